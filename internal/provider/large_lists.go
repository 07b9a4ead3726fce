// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"errors"
	"regexp"
	"regexp/syntax"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

// Large servers. FOG builds a list answer in PHP, and on a stock FOG 1.5.9
// (memory_limit 256M) the full host list of some 4,000 hosts or more
// exhausts the memory and answers a PHP fatal error instead
// (reference/fog-api.md §4.5). FOG's list filters (a JSON body: equality,
// IN for an array, LIKE for a string with %) are applied in SQL, so a
// filtered list costs what it matches. They offer no ranges (no <, >,
// BETWEEN, LIMIT), so the full list cannot be paged.

// nameRegexLike returns a LIKE pattern every name matching re also matches
// (a superset: LIKE is case-insensitive, and % and _ in names are
// wildcards), or "" when re has no literal text to narrow by: "^lab-"
// gives "lab-%", "kiosk" gives "%kiosk%".
func nameRegexLike(re string) string {
	parsed, err := syntax.Parse(re, syntax.Perl)
	if err != nil {
		return ""
	}
	parsed = parsed.Simplify()
	subs := []*syntax.Regexp{parsed}
	if parsed.Op == syntax.OpConcat {
		subs = parsed.Sub
	}
	anchored := false
	if len(subs) > 0 && (subs[0].Op == syntax.OpBeginText || (subs[0].Op == syntax.OpBeginLine && parsed.Flags&syntax.OneLine != 0)) {
		anchored = true
		subs = subs[1:]
	}
	if len(subs) == 0 || subs[0].Op != syntax.OpLiteral {
		if !anchored {
			// An unanchored regexp's required literal prefix, wherever the
			// match starts.
			if prefix, _ := regexp.MustCompile(re).LiteralPrefix(); prefix != "" {
				return "%" + prefix + "%"
			}
		}
		return ""
	}
	lit := string(subs[0].Rune)
	if lit == "" {
		return ""
	}
	if anchored {
		return lit + "%"
	}
	return "%" + lit + "%"
}

// hostsFilter is the JSON body FOG applies for the fog_hosts and fog_host
// list filters it can evaluate itself; members is the group's host ids
// when a group filter is set (nil: none). An empty filter means the full
// list.
func hostsFilter(nameRegex string, imageID *int64, members []int64) map[string]any {
	f := map[string]any{}
	if like := nameRegexLike(nameRegex); like != "" {
		f["name"] = like
	}
	if imageID != nil {
		f["imageID"] = *imageID
	}
	if members != nil {
		f["id"] = members
	}
	return f
}

// addHostsListError reports a failed host list. A full list (no filter)
// that FOG could not produce says why and what to do, naming help (the
// filters FOG applies itself); any other failure is reported as usual.
func addHostsListError(diags *diag.Diagnostics, help string, filter map[string]any, err error) {
	if detail := fullListFailedDetail(help, err); detail != "" && len(filter) == 0 {
		diags.AddError("Unable to list hosts", detail+"\n\n"+describeClientErrorText(err))
		return
	}
	addClientError(diags, "list", "hosts", err)
}

// fullListFailedDetail explains a full host list FOG could not produce,
// and what to do, or "" when err is not such a failure.
func fullListFailedDetail(filters string, err error) string {
	if !errors.Is(err, fogclient.ErrServerFatal) {
		var e *fogclient.Error
		if !errors.As(err, &e) || e.Status != 500 {
			return ""
		}
	}
	return "FOG could not produce the list of all hosts: it answered a PHP fatal error. On a large server this is " +
		"almost always PHP's memory_limit: FOG 1.5.9 builds the whole list in memory, about 2 KB per host, and the default " +
		"256M is exhausted at some 4,000 hosts; FOG's API offers no way to fetch the list in pages.\n\n" +
		"Narrow the list with a filter FOG applies itself (" + filters + "), which works whatever the server's size, or raise the limit on " +
		"the FOG server: set memory_limit (for example 1024M) in the php.ini that php-fpm loads (`php-fpm -i | grep " +
		"php.ini` shows which) and restart php-fpm (for example `systemctl restart php8.1-fpm`, after the PHP version " +
		"installed). The web server's PHP error log shows the exact error (\"Allowed memory size ... exhausted\")."
}

// hostsFilterHelp names the fog_hosts filters FOG applies itself.
const hostsFilterHelp = "`name_regex` starting with literal text such as `^lab-`, `image_id`, `group_id`, or `search`"

// hostListFilterHelp names the fog_host list resource's filters FOG applies
// itself.
const hostListFilterHelp = "`name_regex` starting with literal text such as `^lab-`, `image_id`, or `search`"
