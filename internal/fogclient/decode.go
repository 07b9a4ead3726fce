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

// FOG's types depend on the PHP version (reference/fog-api.md §4.2): integers are JSON
// numbers on PHP >= 8.1 and strings before; the task percentage is a padded
// string ("0000000013"); unmatched joins are null; flags are "", "0" or "1".
// Every string goes through htmlspecialchars(ENT_QUOTES) (reference/fog-api.md §4.3).
// The flex types accept every form, so one decoder serves every server.

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

// parseFlexInt truncates a fractional part, as in FOG's "percent" text.
func parseFlexInt(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		return v, nil
	}
	fv, err := strconv.ParseFloat(s, 64)
	// float64(math.MaxInt64) is 2^63, one past the largest int64.
	if err != nil || math.IsNaN(fv) || math.IsInf(fv, 0) || fv >= math.MaxInt64 || fv < math.MinInt64 {
		return 0, fmt.Errorf("fogclient: %.20q is not a number", s)
	}
	return int64(fv), nil
}

// unescaper inverts htmlspecialchars(ENT_QUOTES) left to right, so "&amp;amp;"
// becomes "&amp;". html.UnescapeString would also decode entities FOG never
// wrote ("&copy" in a raw value).
var unescaper = strings.NewReplacer(
	"&amp;", "&",
	"&quot;", `"`,
	"&#039;", "'",
	"&#39;", "'",
	"&apos;", "'",
	"&lt;", "<",
	"&gt;", ">",
)

func unescapeFOG(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	return unescaper.Replace(s)
}

type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	s, err := decodeScalarString(b)
	if err != nil {
		return err
	}
	*f = flexString(unescapeFOG(s))
	return nil
}

// decodeScalarString follows PHP's string casts: true is "1", false and null "".
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

// jsonString copies plain strings directly: 10,000 hosts hold 600,000 strings,
// and json.Unmarshal validates and reflects for each.
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

func isFlagSet(s flexString) bool {
	v, err := parseFlexInt(string(s))
	return err == nil && v != 0
}

// flexStrings: a de-duplicated PHP array with holes is encoded as an object
// (reference/fog-api.md §10 item 21).
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

// decodeArrayOrObject calls item for each element, or each value of an object
// in document order; null is an empty list.
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

// decodeList decodes FOG's list envelope {"count": N, "<plural>": [...]}; a
// missing plural key is an error, never an empty list.
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

// objectEnvelope holds the two keys decodeObject looks at first, without
// building a map of every key (a host has about forty, its inventory nested).
// encoding/json matches the keys without regard to case; no object of FOG's
// has another key that folds to "id" or "error" (the recordings).
type objectEnvelope struct {
	ID    json.RawMessage `json:"id"`
	Error json.RawMessage `json:"error"`
}

// checkObject: a 200 {"error": ...} (the ADPass decryption failure of
// reference/fog-api.md §10 item 16) is an error; an object with an "id",
// even null, is not.
func checkObject(body []byte) error {
	var env objectEnvelope
	if err := json.Unmarshal(body, &env); err != nil {
		return err
	}
	if env.ID == nil {
		if msg := errorMessage(env.Error); msg != "" {
			return &fogMessageError{msg: msg}
		}
	}
	return nil
}

// decodeObject decodes one object after checkObject.
func decodeObject(body []byte, v any) error {
	if err := checkObject(body); err != nil {
		return err
	}
	return json.Unmarshal(body, v)
}

type fogMessageError struct{ msg string }

func (e *fogMessageError) Error() string { return "FOG reported an error" }

func errorMessageOf(env map[string]json.RawMessage) string {
	return errorMessage(env["error"])
}

// errorMessage is the text of an "error" value; "" when absent or not a string.
func errorMessage(raw json.RawMessage) string {
	if raw == nil {
		return ""
	}
	var s flexString
	if err := json.Unmarshal(raw, &s); err != nil {
		return ""
	}
	return string(s)
}

// stringFields decodes the keys of an object as unescaped strings, leaving out
// null: FOG treats it like an absent key.
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

// lenient ignores anything but an object: PHP encodes an empty array as [] and
// missing joins as null.
type lenient[T any] struct{ V T }

func (l *lenient[T]) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '{' {
		return nil
	}
	return json.Unmarshal(b, &l.V)
}

type nameOnly struct {
	Name flexString `json:"name"`
}
