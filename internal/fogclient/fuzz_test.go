// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

// The fuzz targets are seeded with every recorded response body of a real
// FOG 1.5.9, plus the same body with every number turned into a string (the
// PHP <= 8.0 rendering). Beyond "never panics", each checks the property the
// decoders exist for: a PHP <= 8.0 body decodes exactly like the PHP >= 8.1
// body it was made from.

func addRecordingSeeds(f *testing.F) {
	for _, r := range allRecordings(f) {
		if r.ResponseBody == "" {
			continue
		}
		f.Add([]byte(r.ResponseBody))
		if s, err := stringifyStream([]byte(r.ResponseBody)); err == nil {
			f.Add(s)
		}
	}
	f.Add([]byte(`{"id":"0000000005","name":null,"macs":{"1":"aa","0":"bb"},"inventory":[]}`))
	f.Add([]byte(`{"error":"x"}`))
}

// stringifyStream rewrites every JSON number as a JSON string, keeping key
// order and duplicate keys, so the result decodes like the input would on
// PHP <= 8.0.
func stringifyStream(data []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var buf bytes.Buffer
	var walk func() error
	walk = func() error {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch v := tok.(type) {
		case json.Delim:
			opening, closing := byte(v), byte('}')
			if v == '[' {
				closing = ']'
			}
			buf.WriteByte(opening)
			for first := true; dec.More(); first = false {
				if !first {
					buf.WriteByte(',')
				}
				if opening == '{' {
					k, err := dec.Token()
					if err != nil {
						return err
					}
					kb, _ := json.Marshal(k)
					buf.Write(kb)
					buf.WriteByte(':')
				}
				if err := walk(); err != nil {
					return err
				}
			}
			if _, err := dec.Token(); err != nil {
				return err
			}
			buf.WriteByte(closing)
		case json.Number:
			b, _ := json.Marshal(v.String())
			buf.Write(b)
		default:
			b, _ := json.Marshal(v)
			buf.Write(b)
		}
		return nil
	}
	if err := walk(); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("trailing data")
	}
	return buf.Bytes(), nil
}

// sameUnderStrings decodes body and its all-strings variant with decode and
// requires equal results whenever body decodes.
func sameUnderStrings[T any](t *testing.T, body []byte, decode func([]byte) (T, error)) {
	got, err := decode(body)
	if err != nil {
		return
	}
	variant, err := stringifyStream(body)
	if err != nil {
		return // not a single JSON value json.Unmarshal also accepts
	}
	got2, err := decode(variant)
	if err != nil {
		t.Fatalf("decodes with numbers but not with strings: %v\n%s", err, variant)
	}
	if !reflect.DeepEqual(got, got2) {
		t.Fatalf("numbers: %#v\nstrings: %#v", got, got2)
	}
}

func FuzzDecodeImage(f *testing.F) {
	addRecordingSeeds(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		sameUnderStrings(t, body, decodeImage)
	})
}

func FuzzDecodeHost(f *testing.F) {
	addRecordingSeeds(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		sameUnderStrings(t, body, decodeHost)
	})
}

func FuzzDecodeTask(f *testing.F) {
	addRecordingSeeds(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		sameUnderStrings(t, body, func(b []byte) (Task, error) {
			var w taskWire
			if err := decodeObject(b, &w); err != nil {
				return Task{}, err
			}
			return w.task(), nil
		})
	})
}

// decodedLists decodes body under every list key the client reads.
type decodedLists struct {
	Images   []Image
	Hosts    []Host
	Tasks    []Task
	MACs     []MACAssociation
	Types    []TaskType
	Sessions []MulticastSession
	OSes     []idNameDesc
	Errs     []bool
}

func decodeAllLists(body []byte) (decodedLists, error) {
	var out decodedLists
	add := func(plural string, item func(json.RawMessage) error) {
		out.Errs = append(out.Errs, decodeList(body, plural, item) != nil)
	}
	add("images", func(raw json.RawMessage) error {
		var w imageWire
		err := json.Unmarshal(raw, &w)
		out.Images = append(out.Images, w.image())
		return err
	})
	add("hosts", func(raw json.RawMessage) error {
		h, err := decodeHostElem(raw)
		out.Hosts = append(out.Hosts, h)
		return err
	})
	add("tasks", func(raw json.RawMessage) error {
		var w taskWire
		err := json.Unmarshal(raw, &w)
		out.Tasks = append(out.Tasks, w.task())
		return err
	})
	add("macaddressassociations", func(raw json.RawMessage) error {
		var w macWire
		err := json.Unmarshal(raw, &w)
		out.MACs = append(out.MACs, w.assoc())
		return err
	})
	add("tasktypes", func(raw json.RawMessage) error {
		var w taskTypeWire
		err := json.Unmarshal(raw, &w)
		out.Types = append(out.Types, w.taskType())
		return err
	})
	add("multicastsessions", func(raw json.RawMessage) error {
		var w multicastWire
		err := json.Unmarshal(raw, &w)
		out.Sessions = append(out.Sessions, w.session())
		return err
	})
	add("oss", func(raw json.RawMessage) error {
		var w idNameDesc
		err := json.Unmarshal(raw, &w)
		out.OSes = append(out.OSes, w)
		return err
	})
	return out, nil
}

func FuzzDecodeList(f *testing.F) {
	addRecordingSeeds(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		sameUnderStrings(t, body, decodeAllLists)
	})
}

func FuzzFlexScalars(f *testing.F) {
	for _, s := range []string{`5`, `"5"`, `"0000000013"`, `""`, `null`, `"12.50"`, `-1`, `1e3`, `true`, `"R&amp;D"`, `{}`, `[]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var i flexInt
		var s flexString
		var b flexBool
		errI := json.Unmarshal(raw, &i)
		_ = json.Unmarshal(raw, &s)
		_ = json.Unmarshal(raw, &b)
		var n json.Number
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if dec.Decode(&n) != nil || errI != nil {
			return
		}
		// A number and the same number as a string decode alike.
		quoted, _ := json.Marshal(n.String())
		var i2 flexInt
		var s2 flexString
		if err := json.Unmarshal(quoted, &i2); err != nil || i2 != i {
			t.Fatalf("%s -> %d, %s -> %d (%v)", raw, i, quoted, i2, err)
		}
		if err := json.Unmarshal(quoted, &s2); err != nil || s2 != s {
			t.Fatalf("%s -> %q, %s -> %q (%v)", raw, s, quoted, s2, err)
		}
	})
}

// FuzzClassify: any status, content type, Location and body yield either nil
// (2xx JSON) or an *Error naming the status, whose text never holds the body.
func FuzzClassify(f *testing.F) {
	for _, r := range allRecordings(f) {
		f.Add(r.Status, r.ResponseHeaders["Content-Type"], r.ResponseHeaders["Location"], []byte(r.ResponseBody))
	}
	reqURL, _ := url.Parse("http://fog.example.com/fog/image")
	f.Fuzz(func(t *testing.T, status int, ct, loc string, body []byte) {
		h := http.Header{}
		h.Set("Content-Type", ct)
		h.Set("Location", loc)
		err := classify("GET", "/fog/image", reqURL, false, status, h, body)
		if err == nil {
			if status < 200 || status > 299 || mediaType(ct) != "application/json" {
				t.Fatalf("status %d %q accepted", status, ct)
			}
			return
		}
		var fe *Error
		if !errors.As(err, &fe) || fe.Status != status || fe.Kind == nil {
			t.Fatalf("err = %#v", err)
		}
		const marker = "SECRET-BODY-MARKER"
		h2 := h.Clone()
		err2 := classify("GET", "/fog/image", reqURL, false, status, h2, append([]byte(marker), body...))
		if err2 != nil && strings.Contains(err2.Error(), marker) {
			t.Fatalf("error text holds the body: %v", err2)
		}
	})
}

// FuzzStripPHPWarnings: only a leading run of PHP warnings is ever removed.
func FuzzStripPHPWarnings(f *testing.F) {
	f.Add([]byte("<br /><b>Warning</b>: Undefined property: stdClass::$name in <b>/x.php</b> on line <b>1</b><br />{\"id\":1}"))
	f.Add([]byte("<br /><b>Fatal error</b>: x in <b>/x.php</b> on line <b>1</b><br />"))
	f.Add([]byte(`{"id":1}`))
	h := http.Header{"Content-Type": {"application/json"}}
	f.Fuzz(func(t *testing.T, body []byte) {
		out, ok := stripPHPWarnings(h, body)
		if !ok {
			if !bytes.Equal(out, body) {
				t.Fatal("changed without stripping")
			}
			return
		}
		if !bytes.HasSuffix(body, out) || len(out) >= len(body) || !bytes.Contains(body[:len(body)-len(out)], []byte("</b>:")) {
			t.Fatalf("stripped %q from %q", body[:len(body)-len(out)], body)
		}
	})
}
