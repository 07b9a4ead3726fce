// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogtest

import (
	"strconv"
	"strings"
)

// route is the result of matching a request against FOG's AltoRouter table
// (reference/fog-api.md §2.1). Matching uses the raw request URI: the query string is
// cut off and ignored, the path is not URL-decoded (%20 stays three
// characters), repeated and trailing slashes are accepted, and everything is
// case-sensitive.
type route struct {
	kind  string // status, active, search, list, details, indiv, names, ids, edit, task, create, cancel, delete, unrouted
	class string
	word  string // status|info, current|active
	id    int64
	hasID bool
	term  string
	key   string // normalised "METHOD /fog/..." used by counters and faults
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func parseID(s string) int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0 // out of range: no row has this id
	}
	return n
}

// cleanPath cuts the query string and merges repeated slashes (Apache's
// MergeSlashes); a trailing slash is kept.
func cleanPath(rawURI string) string {
	path := rawURI
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	for strings.Contains(path, "//") {
		path = strings.ReplaceAll(path, "//", "/")
	}
	return path
}

// classify matches method and raw request URI. Paths outside the API
// (/fog, /fog/, /fog/management, /fog/service) get a descriptive key too.
func classify(method, rawURI string) route {
	path := cleanPath(rawURI)
	if path == "/fog" || path == "/fog/" {
		return route{kind: "root", key: method + " " + path}
	}
	if strings.HasPrefix(path, "/fog/service/") {
		return route{kind: "service", key: method + " " + path}
	}
	if strings.HasPrefix(path, "/fog/management") {
		return route{kind: "management", key: method + " /fog/management"}
	}
	if !strings.HasPrefix(path, "/fog/") {
		return route{kind: "other", key: method + " " + path}
	}
	var segs []string
	for _, p := range strings.Split(path[len("/fog/"):], "/") {
		if p != "" {
			segs = append(segs, p)
		}
	}
	rt := matchAPI(method, segs)
	if rt.kind == "unrouted" {
		rt.key = method + " (unrouted)"
	}
	return rt
}

func matchAPI(method string, segs []string) route {
	none := route{kind: "unrouted"}
	if len(segs) == 0 {
		return none
	}
	class := segs[0]
	n := len(segs)
	withID := func(rt route, s string) route {
		rt.id = parseID(s)
		rt.hasID = true
		return rt
	}
	switch method {
	case "HEAD", "GET":
		if class == "system" {
			if n == 2 && (segs[1] == "status" || segs[1] == "info") {
				return route{kind: "status", word: segs[1], key: method + " /fog/system/" + segs[1]}
			}
			return none
		}
		if method == "HEAD" {
			return none
		}
		if n == 2 && validActiveClasses[class] && (segs[1] == "current" || segs[1] == "active") {
			return route{kind: "active", class: class, word: segs[1], key: "GET /fog/" + class + "/active"}
		}
		if !validClassSet[class] {
			return none
		}
		switch {
		case n >= 3 && segs[1] == "search":
			return route{kind: "search", class: class, term: strings.Join(segs[2:], "/"), key: "GET /fog/" + class + "/search/{term}"}
		case n == 1 || (n == 2 && (segs[1] == "list" || segs[1] == "all")):
			return route{kind: "list", class: class, key: "GET /fog/" + class}
		case segs[1] == "details" && n <= 3:
			return route{kind: "details", class: class, key: "GET /fog/" + class + "/details"}
		case isDigits(segs[1]):
			// /{id}/{item}: only storagenode reads the item.
			return withID(route{kind: "indiv", class: class, term: strings.Join(segs[2:], "/"), key: "GET /fog/" + class + "/{id}"}, segs[1])
		case segs[1] == "names" && n <= 3:
			return route{kind: "names", class: class, key: "GET /fog/" + class + "/names"}
		case segs[1] == "ids" && n <= 4:
			return route{kind: "ids", class: class, key: "GET /fog/" + class + "/ids"}
		}
	case "PUT":
		if validClassSet[class] && n >= 2 && isDigits(segs[1]) &&
			(n == 2 || (n == 3 && (segs[2] == "edit" || segs[2] == "update"))) {
			return withID(route{kind: "edit", class: class, key: "PUT /fog/" + class + "/{id}"}, segs[1])
		}
	case "POST":
		if validTaskingClasses[class] && n == 3 && isDigits(segs[1]) && segs[2] == "task" {
			return withID(route{kind: "task", class: class, key: "POST /fog/" + class + "/{id}/task"}, segs[1])
		}
		if validClassSet[class] && (n == 1 || (n == 2 && (segs[1] == "create" || segs[1] == "new"))) {
			return route{kind: "create", class: class, key: "POST /fog/" + class}
		}
	case "DELETE":
		if validTaskingClasses[class] {
			if n == 3 && isDigits(segs[1]) && segs[2] == "cancel" {
				return withID(route{kind: "cancel", class: class, key: "DELETE /fog/" + class + "/{id}/cancel"}, segs[1])
			}
			if n == 2 && segs[1] == "cancel" {
				return route{kind: "cancel", class: class, key: "DELETE /fog/" + class + "/cancel"}
			}
		}
		if validClassSet[class] && n >= 2 && isDigits(segs[1]) &&
			(n == 2 || (n == 3 && (segs[2] == "delete" || segs[2] == "remove"))) {
			return withID(route{kind: "delete", class: class, key: "DELETE /fog/" + class + "/{id}"}, segs[1])
		}
	}
	return none
}
