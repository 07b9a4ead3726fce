// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"bytes"
	"net/http"
	"regexp"
)

// phpWarningsRe matches PHP's display_errors=On warnings after FOG's
// whitespace filter: "<br /><b>Warning</b>: ... on line <b>N</b><br />".
var phpWarningsRe = regexp.MustCompile(`(?s)^\s*(?:<br\s*/?>\s*<b>(?:Warning|Notice|Deprecated|Strict Standards)</b>:.*? on line <b>\d+</b>\s*<br\s*/?>\s*)+`)

// stripPHPWarnings removes PHP warnings printed before a JSON answer, which
// keeps its status and type as FOG buffers its output. PHP 8 warns on every
// PUT without "name" (reference/fog-api.md §4.6), so without this such a server would
// fail every update after applying it. Fatal errors are never stripped.
func stripPHPWarnings(h http.Header, body []byte) ([]byte, bool) {
	if mediaType(h.Get("Content-Type")) != "application/json" || !bytes.HasPrefix(bytes.TrimSpace(body), []byte("<")) {
		return body, false
	}
	loc := phpWarningsRe.FindIndex(body)
	if loc == nil {
		return body, false
	}
	return body[loc[1]:], true
}
