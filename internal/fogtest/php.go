// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogtest

import (
	"encoding/base64"
	"encoding/json"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// PHP and MySQL behaviours the emulator reproduces.

// phpTrim is PHP trim(): " \t\n\r\0\x0B".
func phpTrim(s string) string { return strings.Trim(s, " \t\n\r\x00\x0B") }

// htmlEscape is htmlspecialchars($s, ENT_QUOTES) with double encoding.
func htmlEscape(s string) string {
	if !strings.ContainsAny(s, `&"'<>`) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '"':
			b.WriteString("&quot;")
		case '\'':
			b.WriteString("&#039;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// readString is what FOG does to every string it loads from the database:
// trim, convert to UTF-8, htmlspecialchars(ENT_QUOTES).
func readString(raw string) string { return htmlEscape(phpTrim(raw)) }

const b64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

// phpBase64Decode is PHP's non-strict base64_decode: characters outside the
// alphabet are skipped, '=' is ignored, a trailing single character is dropped.
func phpBase64Decode(s string) string {
	var out []byte
	var acc uint32
	n := 0
	for i := 0; i < len(s); i++ {
		v := strings.IndexByte(b64Alphabet, s[i])
		if v < 0 {
			continue
		}
		acc = acc<<6 | uint32(v)
		n++
		if n == 4 {
			out = append(out, byte(acc>>16), byte(acc>>8), byte(acc))
			acc, n = 0, 0
		}
	}
	switch n {
	case 2:
		out = append(out, byte(acc>>4))
	case 3:
		out = append(out, byte(acc>>10), byte(acc>>2))
	}
	return string(out)
}

// mysqlUTF8MB3 stores a string in a utf8mb3 column: characters outside the
// BMP (4-byte UTF-8, e.g. emoji) cannot be stored and become one '?' per byte
// (recording image-create-emoji-name). Invalid UTF-8 becomes '?'.
func mysqlUTF8MB3(s string) string {
	ok := true
	for _, r := range s {
		if r > 0xFFFF || r == utf8.RuneError {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			b.WriteByte('?')
		case r > 0xFFFF:
			b.WriteString(strings.Repeat("?", size))
		default:
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}

// truncateChars cuts s to n characters (MySQL varchar(n) in non-strict mode).
func truncateChars(s string, n int) string {
	if n <= 0 || utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for c := 0; c < n; c++ {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i]
}

var numPrefix = regexp.MustCompile(`^[ \t\n\r]*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?`)

// mysqlToInt converts a string bound to an INT column the way MySQL does with
// sql_mode=” : the numeric prefix, rounded; anything else is 0.
func mysqlToInt(s string) int64 {
	m := numPrefix.FindString(s)
	if m == "" {
		return 0
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(m), 64)
	if err != nil {
		return 0
	}
	f = math.Round(f)
	if f > math.MaxInt64 {
		return math.MaxInt64
	}
	if f < math.MinInt64 {
		return math.MinInt64
	}
	return int64(f)
}

// mysqlToNumber is MySQL's string->number conversion for comparisons.
func mysqlToNumber(s string) float64 {
	m := numPrefix.FindString(s)
	if m == "" {
		return 0
	}
	f, _ := strconv.ParseFloat(strings.TrimSpace(m), 64)
	return f
}

var dateRe = regexp.MustCompile(`^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2}))?)?\s*$`)

const zeroDate = "0000-00-00 00:00:00"

// mysqlToDatetime normalises a value for a DATETIME column; invalid input is
// stored as the zero date (sql_mode=”).
func mysqlToDatetime(s string) string {
	m := dateRe.FindStringSubmatch(s)
	if m == nil {
		return zeroDate
	}
	num := func(x string) int {
		if x == "" {
			return 0
		}
		n, _ := strconv.Atoi(x)
		return n
	}
	y, mo, d, h, mi, se := num(m[1]), num(m[2]), num(m[3]), num(m[4]), num(m[5]), num(m[6])
	if mo > 12 || d > 31 || h > 23 || mi > 59 || se > 59 {
		return zeroDate
	}
	return pad4(y) + "-" + pad2(mo) + "-" + pad2(d) + " " + pad2(h) + ":" + pad2(mi) + ":" + pad2(se)
}

func pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

func pad4(n int) string {
	s := strconv.Itoa(n)
	for len(s) < 4 {
		s = "0" + s
	}
	return s
}

// mysqlToEnum stores a value in an ENUM column: an exact (case-insensitive)
// member, a 1-based numeric index, or ” (the invalid-value marker).
func mysqlToEnum(s string, members []string) string {
	for _, m := range members {
		if strings.EqualFold(m, s) {
			return m
		}
	}
	if n, err := strconv.Atoi(s); err == nil && n >= 1 && n <= len(members) {
		return members[n-1]
	}
	return ""
}

// collationKey folds a string the way utf8_general_ci compares it:
// case-insensitive, accent-insensitive for Latin letters, trailing spaces
// ignored (PAD SPACE). Weights are upper-case based, so '_' sorts after
// letters.
func collationKey(s string) string {
	s = strings.TrimRight(s, " ")
	if isASCII(s) {
		return strings.ToUpper(s)
	}
	var b strings.Builder
	for _, r := range s {
		if f, ok := accentFold[r]; ok {
			b.WriteString(f)
			continue
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// collationEqual compares two strings under utf8_general_ci.
func collationEqual(a, b string) bool {
	if isASCII(a) && isASCII(b) {
		return strings.EqualFold(strings.TrimRight(a, " "), strings.TrimRight(b, " "))
	}
	return collationKey(a) == collationKey(b)
}

var accentFold = func() map[rune]string {
	m := map[rune]string{}
	add := func(base string, chars string) {
		for _, r := range chars {
			m[r] = base
		}
	}
	add("A", "ÀÁÂÃÄÅàáâãäåĀāĂăĄą")
	add("C", "ÇçĆćĈĉĊċČč")
	add("D", "ĎďĐđ")
	add("E", "ÈÉÊËèéêëĒēĔĕĖėĘęĚě")
	add("G", "ĜĝĞğĠġĢģ")
	add("H", "ĤĥĦħ")
	add("I", "ÌÍÎÏìíîïĨĩĪīĬĭĮįİı")
	add("J", "Ĵĵ")
	add("K", "Ķķ")
	add("L", "ĹĺĻļĽľĿŀŁł")
	add("N", "ÑñŃńŅņŇň")
	add("O", "ÒÓÔÕÖòóôõöŌōŎŏŐő")
	add("R", "ŔŕŖŗŘř")
	add("S", "ŚśŜŝŞşŠšß")
	add("T", "ŢţŤťŦŧ")
	add("U", "ÙÚÛÜùúûüŨũŪūŬŭŮůŰűŲų")
	add("W", "Ŵŵ")
	add("Y", "ÝýÿŶŷŸ")
	add("Z", "ŹźŻżŽž")
	m['Æ'], m['æ'] = "Æ", "Æ"
	m['Ø'], m['ø'] = "Ø", "Ø"
	return m
}()

// likeMatch implements SQL LIKE ('%' any run, '_' one character, '\' escape)
// under the case-insensitive collation.
func likeMatch(value, pattern string) bool {
	v := []rune(collationKey(value))
	p := []rune(collationKey(pattern))
	return likeRunes(v, p)
}

func likeRunes(v, p []rune) bool {
	// Iterative matcher with backtracking on the last '%'.
	vi, pi := 0, 0
	starP, starV := -1, 0
	for vi < len(v) {
		if pi < len(p) {
			switch p[pi] {
			case '%':
				starP, starV = pi, vi
				pi++
				continue
			case '_':
				vi++
				pi++
				continue
			case '\\':
				if pi+1 < len(p) && p[pi+1] == v[vi] {
					vi++
					pi += 2
					continue
				}
			default:
				if p[pi] == v[vi] {
					vi++
					pi++
					continue
				}
			}
		}
		if starP >= 0 {
			starV++
			vi = starV
			pi = starP + 1
			continue
		}
		return false
	}
	for pi < len(p) && p[pi] == '%' {
		pi++
	}
	return pi == len(p)
}

// EncodeToken returns the form a client sends in fog-api-token and
// fog-user-token: the standard base64 encoding of the raw token (what the FOG
// UI displays).
func EncodeToken(raw string) string { return base64.StdEncoding.EncodeToString([]byte(raw)) }

// phpTruthy is PHP's boolean conversion of a decoded JSON value.
func phpTruthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case float64:
		return x != 0
	case json.Number:
		f, _ := x.Float64()
		return f != 0
	case string:
		return x != "" && x != "0"
	case []any:
		return len(x) > 0
	case map[string]any:
		return true
	}
	return true
}

// phpString converts a decoded JSON value to the string PDO binds.
func phpString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case bool:
		if x {
			return "1"
		}
		return ""
	case json.Number:
		if _, err := strconv.ParseInt(string(x), 10, 64); err == nil {
			return string(x)
		}
		f, _ := x.Float64()
		return phpString(f)
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1e15 {
			return strconv.FormatInt(int64(x), 10)
		}
		return strconv.FormatFloat(x, 'G', 14, 64)
	case string:
		return x
	case []any, map[string]any:
		return "Array"
	}
	return ""
}
