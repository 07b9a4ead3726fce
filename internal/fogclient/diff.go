// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"strconv"
	"strings"
)

// diff collects the fields that differ from what was sent.
type diff []Difference

func (d *diff) add(field, have, sent string) {
	*d = append(*d, Difference{Field: field, Have: have, Sent: sent})
}

func (d *diff) str(field, have, sent string) {
	if have != storedText(sent) {
		d.add(field, have, sent)
	}
}

func (d *diff) num(field string, have, sent int64) {
	if have != sent {
		d.add(field, strconv.FormatInt(have, 10), strconv.FormatInt(sent, 10))
	}
}

func (d *diff) flag(field string, have, sent bool) {
	if have != sent {
		d.add(field, strconv.FormatBool(have), strconv.FormatBool(sent))
	}
}

func (d *diff) strP(field, have string, sent *string) {
	if sent != nil {
		d.str(field, have, *sent)
	}
}

func (d *diff) numP(field string, have int64, sent *int64) {
	if sent != nil {
		d.num(field, have, *sent)
	}
}

func (d *diff) flagP(field string, have bool, sent *bool) {
	if sent != nil {
		d.flag(field, have, *sent)
	}
}

// storedText is how FOG returns a string: characters outside the BMP become
// "????" (utf8mb3, recording image-create-emoji-name), and it is trimmed with
// runs of spaces made one (reference/fog-api.md §4.1, §4.3).
func storedText(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r > 0xFFFF {
			b.WriteString("????")
			continue
		}
		b.WriteRune(r)
	}
	s = strings.Trim(b.String(), " \t\n\r\x00\x0B")
	for strings.Contains(s, "  ") {
		s = strings.ReplaceAll(s, "  ", " ")
	}
	return s
}
