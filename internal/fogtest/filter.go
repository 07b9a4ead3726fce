// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogtest

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// parseBody is json_decode of the request body: anything that is not a JSON
// object behaves like {} (reference/fog-api.md §6.1).
func parseBody(body []byte) map[string]any {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return map[string]any{}
	}
	if m, ok := v.(map[string]any); ok {
		return m
	}
	return map[string]any{}
}

// filterMatch applies the JSON-body filter of list/details/active requests
// (reference/fog-api.md §4.5): keys are field names (unknown keys ignored), conditions ANDed,
// arrays mean IN, a string with % means LIKE, a falsy value means "0 or
// empty", null means no condition.
func filterMatch(sc *schema, r row, filter map[string]any) bool {
	for k, v := range filter {
		c, ok := sc.col(k)
		if !ok || v == nil {
			continue
		}
		if !condMatch(c, r[k], v) {
			return false
		}
	}
	return true
}

func condMatch(c column, raw string, v any) bool {
	if raw == sqlNull {
		raw = ""
	}
	if arr, ok := v.([]any); ok {
		if len(arr) == 0 {
			return isZeroOrEmpty(raw)
		}
		for _, e := range arr {
			if e != nil && valueEquals(c, raw, phpString(e)) {
				return true
			}
		}
		return false
	}
	if !phpTruthy(v) {
		return isZeroOrEmpty(raw)
	}
	want := phpString(v)
	if strings.Contains(want, "%") {
		return likeMatch(raw, want)
	}
	return valueEquals(c, raw, want)
}

func isZeroOrEmpty(raw string) bool {
	if raw == "" || raw == "0" {
		return true
	}
	if _, err := strconv.ParseFloat(raw, 64); err == nil {
		return mysqlToNumber(raw) == 0
	}
	return false
}

// valueEquals is SQL '=' between a column and a bound string.
func valueEquals(c column, raw, want string) bool {
	switch c.kind {
	case cInt, cZerofill:
		return mysqlToNumber(raw) == mysqlToNumber(want)
	}
	return collationEqual(raw, want)
}

// searchPattern turns a search term into FOG's LIKE pattern: trimmed, wrapped
// in %...%, and every %, + or whitespace character becomes % (reference/fog-api.md §9).
func searchPattern(term string) string {
	term = phpTrim(term)
	var b strings.Builder
	b.WriteByte('%')
	for _, r := range term {
		switch r {
		case '%', '+', ' ', '\t', '\n', '\r', '\v', '\f':
			b.WriteByte('%')
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('%')
	return b.String()
}

// rowMatchesPattern matches any column of the row (id included, as text).
func rowMatchesPattern(sc *schema, r row, pattern string) bool {
	for _, c := range sc.cols {
		v := r[c.key]
		if v == sqlNull {
			continue
		}
		if likeMatch(v, pattern) {
			return true
		}
	}
	return false
}

// macSearchPattern is the host search's MAC form of a term: '-' and ':'
// removed, then re-split into xx:xx pairs ("0011" matches "00:11").
func macSearchPattern(term string) string {
	t := strings.NewReplacer("-", "", ":", "").Replace(phpTrim(term))
	if t == "" {
		return ""
	}
	var parts []string
	for i := 0; i < len(t); i += 2 {
		end := i + 2
		if end > len(t) {
			end = len(t)
		}
		parts = append(parts, t[i:end])
	}
	return searchPattern(strings.Join(parts, ":"))
}
