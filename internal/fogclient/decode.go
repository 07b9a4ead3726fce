// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Tolerant scalars.
//
// FOG renders database values with PHP's PDO, whose types depend on the PHP
// version (fog-api.md 4.2): on PHP >= 8.1 integer columns are JSON numbers,
// on PHP <= 8.0 every value is a JSON string ("5"); the zero-filled task
// percentage is always a padded string ("0000000013"); unmatched joins are
// null; flags are "", "0" or "1". Every string is trimmed and passed through
// htmlspecialchars(ENT_QUOTES) on the way out (fog-api.md 4.3). The wire
// types below accept all of these forms, so one decoder serves every server.

// flexInt is an integer that may arrive as a number, a numeric string
// (possibly zero-padded or with a fractional part), "", null or a boolean.
type flexInt int64

func (f *flexInt) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return errors.New("fogclient: empty JSON value")
	}
	switch b[0] {
	case 'n': // null
		if string(b) != "null" {
			return fmt.Errorf("fogclient: invalid JSON literal %.10q", b)
		}
		*f = 0
		return nil
	case 't', 'f':
		var v bool
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*f = 0
		if v {
			*f = 1
		}
		return nil
	case '"':
		s, err := jsonString(b)
		if err != nil {
			return err
		}
		v, err := parseFlexInt(s)
		if err != nil {
			return err
		}
		*f = flexInt(v)
		return nil
	case '{', '[':
		return errors.New("fogclient: expected a number, got an object or array")
	}
	v, err := parseFlexInt(string(b))
	if err != nil {
		return err
	}
	*f = flexInt(v)
	return nil
}

// parseFlexInt parses "", "5", "0000000013", "-1", "12.50" and "1e3". A value
// with a fractional part is truncated toward zero (FOG's "percent" text).
func parseFlexInt(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		return v, nil
	}
	fv, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(fv) || math.IsInf(fv, 0) || fv > math.MaxInt64 || fv < math.MinInt64 {
		return 0, fmt.Errorf("fogclient: %.20q is not a number", s)
	}
	return int64(fv), nil
}

// unescaper is the exact inverse of PHP's htmlspecialchars(ENT_QUOTES), which
// FOG applies to every string it reads from the database. Only the entities
// htmlspecialchars produces are replaced, left to right, so a double-escaped
// "&amp;amp;" correctly becomes "&amp;". html.UnescapeString is not used on
// purpose: it also decodes entities FOG never wrote ("&copy" in a raw value).
var unescaper = strings.NewReplacer(
	"&amp;", "&",
	"&quot;", `"`,
	"&#039;", "'",
	"&#39;", "'",
	"&apos;", "'",
	"&lt;", "<",
	"&gt;", ">",
)

// unescapeFOG undoes FOG's output escaping.
func unescapeFOG(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	return unescaper.Replace(s)
}

// flexString is an HTML-unescaped string that may also arrive as a number,
// a boolean or null ("").
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	s, err := decodeScalarString(b)
	if err != nil {
		return err
	}
	*f = flexString(unescapeFOG(s))
	return nil
}

// decodeScalarString returns the text of a JSON scalar: strings as is,
// numbers as written, true as "1", false and null as "" (PHP's string casts).
func decodeScalarString(b []byte) (string, error) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return "", errors.New("fogclient: empty JSON value")
	}
	switch b[0] {
	case '"':
		return jsonString(b)
	case 'n':
		if string(b) != "null" {
			return "", fmt.Errorf("fogclient: invalid JSON literal %.10q", b)
		}
		return "", nil
	case 't', 'f':
		var v bool
		if err := json.Unmarshal(b, &v); err != nil {
			return "", err
		}
		if v {
			return "1", nil
		}
		return "", nil
	case '{', '[':
		return "", errors.New("fogclient: expected a string, got an object or array")
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return "", err
	}
	return n.String(), nil
}

// jsonString decodes a JSON string literal. Most of FOG's strings hold no
// escape sequence and are plain UTF-8, so they are copied directly; only the
// others go through encoding/json (a list of 10,000 hosts holds 600,000
// strings, and a nested json.Unmarshal validates and reflects for each).
func jsonString(b []byte) (string, error) {
	if n := len(b); n >= 2 && b[0] == '"' && b[n-1] == '"' {
		inner := b[1 : n-1]
		plain := true
		for _, c := range inner {
			if c == '\\' || c == '"' || c < 0x20 {
				plain = false
				break
			}
		}
		if plain && utf8.Valid(inner) {
			return string(inner), nil
		}
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return "", err
	}
	return s, nil
}

// flexBool is a boolean that may arrive as true/false, 1/0, "1"/"0"/"" or null.
type flexBool bool

func (f *flexBool) UnmarshalJSON(b []byte) error {
	s, err := decodeScalarString(b)
	if err != nil {
		return err
	}
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "0", "false":
		*f = false
	default:
		if v, err := parseFlexInt(s); err == nil {
			*f = v != 0
		} else {
			*f = true
		}
	}
	return nil
}

// isFlagSet reports whether a FOG flag string ("", "0", "1") is set.
func isFlagSet(s flexString) bool {
	v, err := parseFlexInt(string(s))
	return err == nil && v != 0
}

// flexStrings is a list of strings that FOG may encode either as a JSON array
// or, for a de-duplicated PHP array with holes, as an object whose values are
// the items (fog-api.md 10, item 21). Object order is preserved.
type flexStrings []string

func (f *flexStrings) UnmarshalJSON(b []byte) error {
	var items []flexString
	if err := decodeArrayOrObject(b, func(raw json.RawMessage) error {
		var s flexString
		if err := json.Unmarshal(raw, &s); err != nil {
			return err
		}
		items = append(items, s)
		return nil
	}); err != nil {
		return err
	}
	out := make([]string, len(items))
	for i, s := range items {
		out[i] = string(s)
	}
	*f = out
	return nil
}

// decodeArrayOrObject calls item for each element of a JSON array, or each
// value of a JSON object in document order. null is an empty list.
func decodeArrayOrObject(b []byte, item func(json.RawMessage) error) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return errors.New("fogclient: empty JSON value")
	}
	switch b[0] {
	case 'n':
		if string(b) != "null" {
			return fmt.Errorf("fogclient: invalid JSON literal %.10q", b)
		}
		return nil
	case '[':
		var raws []json.RawMessage
		if err := json.Unmarshal(b, &raws); err != nil {
			return err
		}
		for _, r := range raws {
			if err := item(r); err != nil {
				return err
			}
		}
		return nil
	case '{':
		dec := json.NewDecoder(bytes.NewReader(b))
		if _, err := dec.Token(); err != nil { // {
			return err
		}
		for dec.More() {
			if _, err := dec.Token(); err != nil { // key
				return err
			}
			var r json.RawMessage
			if err := dec.Decode(&r); err != nil {
				return err
			}
			if err := item(r); err != nil {
				return err
			}
		}
		_, err := dec.Token() // }
		return err
	}
	return errors.New("fogclient: expected a list")
}

// decodeList decodes FOG's list envelope {"count": N, "<plural>": [...]} and
// calls item for each element. It fails when the plural key is missing, so an
// unrelated JSON document is never mistaken for an empty list.
func decodeList(body []byte, plural string, item func(json.RawMessage) error) error {
	var env map[string]json.RawMessage
	if err := json.Unmarshal(body, &env); err != nil {
		return err
	}
	raw, ok := env[plural]
	if !ok {
		if msg := errorMessageOf(env); msg != "" {
			return &fogMessageError{msg: msg}
		}
		return fmt.Errorf("fogclient: list has no %q key", plural)
	}
	return decodeArrayOrObject(raw, item)
}

// decodeObject decodes a single FOG object into v. A body that is a JSON
// object carrying only an "error" key (PHP printing {"error": ...} with a 200,
// as the ADPass decryption failure of fog-api.md 10 item 16 does) is an error.
func decodeObject(body []byte, v any) error {
	var env map[string]json.RawMessage
	if err := json.Unmarshal(body, &env); err != nil {
		return err
	}
	if _, hasID := env["id"]; !hasID {
		if msg := errorMessageOf(env); msg != "" {
			return &fogMessageError{msg: msg}
		}
	}
	return json.Unmarshal(body, v)
}

// fogMessageError carries FOG's own {"error": "..."} text out of a decoder.
type fogMessageError struct{ msg string }

func (e *fogMessageError) Error() string { return "FOG reported an error" }

// errorMessageOf returns the "error" string of a decoded JSON object, if any.
func errorMessageOf(env map[string]json.RawMessage) string {
	raw, ok := env["error"]
	if !ok {
		return ""
	}
	var s flexString
	if err := json.Unmarshal(raw, &s); err != nil {
		return ""
	}
	return string(s)
}

// stringFields decodes the listed keys of a JSON object as unescaped strings.
// Keys that are absent or null are left out: FOG treats null like an absent
// key, and the client cannot resend a value it never saw.
func stringFields(body []byte, keys []string) (map[string]string, error) {
	var env map[string]json.RawMessage
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, err
	}
	out := make(map[string]string, len(keys))
	for _, k := range keys {
		raw, ok := env[k]
		if !ok || bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
			continue
		}
		var s flexString
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, fmt.Errorf("fogclient: field %q: %w", k, err)
		}
		out[k] = string(s)
	}
	return out, nil
}

// lenient decodes a nested object and ignores anything else (PHP encodes an
// empty array as [], and missing joins may come as null).
type lenient[T any] struct{ V T }

func (l *lenient[T]) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '{' {
		return nil
	}
	return json.Unmarshal(b, &l.V)
}

// nameOnly is a nested object of which only the name is used.
type nameOnly struct {
	Name flexString `json:"name"`
}
