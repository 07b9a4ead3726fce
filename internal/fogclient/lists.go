// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// Lists are decoded while they arrive: GET /fog/host of 10,000 hosts is some
// 25 MB of JSON, and holding the body, the list and each raw element would
// take several times that. Only the decoded objects stay.

// decodeListStream follows decodeList's rules on a stream.
func decodeListStream(r io.Reader, plural string, item listItem) error {
	dec := json.NewDecoder(r)
	if err := expectDelim(dec, '{'); err != nil {
		return err
	}
	found := false
	var message string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		switch {
		case key == plural && found:
			// PHP never repeats a key; a stream cannot keep the last one.
			return fmt.Errorf("fogclient: the list key %q appears twice", plural)
		case key == plural:
			found = true
			if err := streamItems(dec, item); err != nil {
				return err
			}
		case key == "error":
			var s flexString
			if err := dec.Decode(&s); err == nil {
				message = string(s)
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return err
			}
		}
	}
	if err := expectDelim(dec, '}'); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("fogclient: unexpected data after the list")
	}
	if !found {
		if message != "" {
			return &fogMessageError{msg: message}
		}
		return fmt.Errorf("fogclient: list has no %q key", plural)
	}
	return nil
}

func streamItems(dec *json.Decoder, item listItem) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	var end json.Delim
	switch tok {
	case nil:
		return nil
	case json.Delim('['):
		end = ']'
	case json.Delim('{'):
		end = '}'
	default:
		return errors.New("fogclient: expected a list")
	}
	for dec.More() {
		if end == '}' {
			if _, err := dec.Token(); err != nil { // key
				return err
			}
		}
		if err := item(dec.Decode); err != nil {
			return err
		}
	}
	return expectDelim(dec, end)
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("fogclient: expected %q in the list, got %v", want, tok)
	}
	return nil
}

// listItem decodes one element with decode, which works like json.Unmarshal.
type listItem func(decode func(any) error) error

// getList GETs path with an optional filter body and calls item for each
// element of the list under plural as it arrives; reset runs before every
// attempt's decoding, so a retry starts from an empty list.
func (c *Client) getList(ctx context.Context, path, plural string, filter any, reset func(), item listItem) error {
	streamed := false
	body, err := c.do(ctx, call{method: http.MethodGet, path: path, body: filter, stream: func(r io.Reader) error {
		streamed = true
		reset()
		return decodeListStream(r, plural, item)
	}})
	if err != nil || streamed {
		return err
	}
	reset()
	if err := decodeList(body, plural, func(raw json.RawMessage) error {
		return item(func(v any) error { return json.Unmarshal(raw, v) })
	}); err != nil {
		return c.decodeFailure(http.MethodGet, path, err)
	}
	return nil
}

func listOf[W any, T any](ctx context.Context, c *Client, path, plural string, filter any, conv func(*W) T) ([]T, error) {
	var out []T
	err := c.getList(ctx, path, plural, filter, func() { out = out[:0] }, func(decode func(any) error) error {
		var w W
		if err := decode(&w); err != nil {
			return err
		}
		out = append(out, conv(&w))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func filter[T any](in []T, keep func(T) bool) []T {
	var out []T
	for _, v := range in {
		if keep(v) {
			out = append(out, v)
		}
	}
	return out
}
