// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogtest

import (
	"bytes"
	"math"
	"strconv"
	"unicode/utf8"
)

// The emulator builds every response body as a small ordered JSON tree and
// serialises it the way FOG does: PHP json_encode(JSON_PRETTY_PRINT |
// JSON_UNESCAPED_UNICODE), then the output-buffer filter of
// Initiator::sanitizeOutput (see phpOutputFilter). Key order follows the
// recordings (FOG's key order is stable, if not significant).

// obj is an ordered JSON object.
type obj struct {
	keys []string
	vals []any
}

func newObj() *obj { return &obj{} }

// set appends (or replaces) a key.
func (o *obj) set(k string, v any) *obj {
	for i, kk := range o.keys {
		if kk == k {
			o.vals[i] = v
			return o
		}
	}
	o.keys = append(o.keys, k)
	o.vals = append(o.vals, v)
	return o
}

// dbInt is an integer that came from a database column. PHP >= 8.1 (PDO with
// native types) renders it as a JSON number, PHP <= 8.0 as a JSON string.
type dbInt int64

// phpFloat is a computed float (rendered like PHP's serialize_precision -1).
type phpFloat float64

// encodePHP renders v like json_encode(v, JSON_PRETTY_PRINT|JSON_UNESCAPED_UNICODE)
// and then applies FOG's output filter.
func encodePHP(v any, phpStrings bool) []byte {
	var b bytes.Buffer
	writeJSON(&b, v, 0, phpStrings)
	return phpOutputFilter(b.Bytes())
}

func writeIndent(b *bytes.Buffer, n int) {
	b.WriteByte('\n')
	for i := 0; i < n; i++ {
		b.WriteString("    ")
	}
}

func writeJSON(b *bytes.Buffer, v any, depth int, phpStrings bool) {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case string:
		writeJSONString(b, x)
	case bool:
		if x {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case int:
		b.WriteString(strconv.Itoa(x))
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case dbInt:
		if phpStrings {
			writeJSONString(b, strconv.FormatInt(int64(x), 10))
		} else {
			b.WriteString(strconv.FormatInt(int64(x), 10))
		}
	case phpFloat:
		b.WriteString(formatPHPFloat(float64(x)))
	case float64:
		b.WriteString(formatPHPFloat(x))
	case []any:
		if len(x) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			writeIndent(b, depth+1)
			writeJSON(b, e, depth+1, phpStrings)
		}
		writeIndent(b, depth)
		b.WriteByte(']')
	case *obj:
		if x == nil || len(x.keys) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteByte('{')
		for i, k := range x.keys {
			if i > 0 {
				b.WriteByte(',')
			}
			writeIndent(b, depth+1)
			writeJSONString(b, k)
			b.WriteString(": ")
			writeJSON(b, x.vals[i], depth+1, phpStrings)
		}
		writeIndent(b, depth)
		b.WriteByte('}')
	default:
		panic("fogtest: cannot encode value")
	}
}

const hexDigits = "0123456789abcdef"

// writeJSONString escapes like PHP json_encode with JSON_UNESCAPED_UNICODE:
// slashes are escaped, non-ASCII is kept, U+2028/U+2029 are still escaped.
func writeJSONString(b *bytes.Buffer, s string) {
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '/':
			b.WriteString(`\/`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\u2028':
			b.WriteString(`\u2028`)
		case '\u2029':
			b.WriteString(`\u2029`)
		case utf8.RuneError:
			b.WriteString(`\ufffd`)
		default:
			if r < 0x20 {
				b.WriteString(`\u00`)
				b.WriteByte(hexDigits[r>>4])
				b.WriteByte(hexDigits[r&0xf])
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
}

// formatPHPFloat mimics PHP 7.1+ json_encode of a float (serialize_precision -1).
func formatPHPFloat(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "0"
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatFloat(f, 'f', 1, 64)
	}
	s := strconv.FormatFloat(f, 'g', -1, 64)
	// PHP writes 1.0e+25 where Go writes 1e+25.
	if i := bytes.IndexByte([]byte(s), 'e'); i >= 0 && !bytes.ContainsRune([]byte(s[:i]), '.') {
		s = s[:i] + ".0" + s[i:]
	}
	return s
}

// isPCRESpace reports whether c is matched by PCRE's \s without UTF mode.
func isPCRESpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// phpOutputFilter is FOG's output-buffer callback (the php.net
// "sanitize_output" idiom used by Initiator):
//
//	'/\>[^\S ]+/s' => '>'   whitespace other than space after a tag
//	'/[^\S ]+\</s' => '<'   whitespace other than space before a tag
//	'/(\s)+/s'     => '\1'  every whitespace run becomes its last character
//
// On JSON this turns the pretty-printed indentation into single spaces, and it
// collapses runs of spaces inside string values (recording
// image-create-whitespace-name).
func phpOutputFilter(in []byte) []byte {
	// Pass 1: drop non-space whitespace after '>'.
	p1 := make([]byte, 0, len(in))
	for i := 0; i < len(in); i++ {
		c := in[i]
		p1 = append(p1, c)
		if c == '>' {
			j := i + 1
			for j < len(in) && isPCRESpace(in[j]) && in[j] != ' ' {
				j++
			}
			i = j - 1
		}
	}
	// Pass 2: drop non-space whitespace before '<'.
	p2 := make([]byte, 0, len(p1))
	for i := 0; i < len(p1); i++ {
		c := p1[i]
		if isPCRESpace(c) && c != ' ' {
			j := i
			for j < len(p1) && isPCRESpace(p1[j]) && p1[j] != ' ' {
				j++
			}
			if j < len(p1) && p1[j] == '<' {
				i = j - 1
				continue
			}
		}
		p2 = append(p2, c)
	}
	// Pass 3: every whitespace run becomes its last character.
	out := make([]byte, 0, len(p2))
	for i := 0; i < len(p2); i++ {
		c := p2[i]
		if !isPCRESpace(c) {
			out = append(out, c)
			continue
		}
		j := i
		for j+1 < len(p2) && isPCRESpace(p2[j+1]) {
			j++
		}
		out = append(out, p2[j])
		i = j
	}
	return out
}
