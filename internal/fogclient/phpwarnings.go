// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"bytes"
	"net/http"
	"regexp"
)

// phpWarningsRe matches the warnings PHP prints with display_errors=On, as
// they look after FOG's whitespace filter: "<br /><b>Warning</b>: ... on
// line <b>N</b><br />".
var phpWarningsRe = regexp.MustCompile(`(?s)^\s*(?:<br\s*/?>\s*<b>(?:Warning|Notice|Deprecated|Strict Standards)</b>:.*? on line <b>\d+</b>\s*<br\s*/?>\s*)+`)

// stripPHPWarnings removes PHP warnings printed before a JSON answer. FOG
// buffers its output, so such an answer keeps its status and its
// application/json type; PHP 8 emits warnings on ordinary requests (every
// PUT without "name", fog-api.md 4.6), which would otherwise make a server
// with display_errors=On fail every update after applying it. Fatal errors
// are not warnings and are never stripped; a text/html answer is never
// trusted (classify).
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
