// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/fogproject/terraform-provider-fog/internal/fogtest"
)

// TestHostsWithImage: one filtered request returns exactly the hosts of an
// image, whatever the number of other hosts.
func TestHostsWithImage(t *testing.T) {
	srv, c := newEmulator(t, fogtest.Options{})
	ctx := context.Background()
	used, err := srv.SeedImage("used")
	if err != nil {
		t.Fatal(err)
	}
	other, err := srv.SeedImage("other")
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64]bool{}
	for i, img := range []int64{used, other, used, 0, other, used} {
		id, err := srv.SeedHost("hwi-"+string(rune('a'+i)), img, "02:00:00:00:cc:0"+string(rune('1'+i)))
		if err != nil {
			t.Fatal(err)
		}
		if img == used {
			want[id] = true
		}
	}
	srv.ResetCounters()
	hosts, err := c.HostsWithImage(ctx, used)
	if err != nil {
		t.Fatal(err)
	}
	if len(hosts) != len(want) {
		t.Fatalf("got %d hosts, want %d: %+v", len(hosts), len(want), hosts)
	}
	for _, h := range hosts {
		if !want[h.ID] || h.ImageID != used {
			t.Errorf("unexpected host %d with image %d", h.ID, h.ImageID)
		}
	}
	if n := srv.TotalRequests(); n != 1 {
		t.Errorf("%d requests, want 1 (%v)", n, srv.Counters())
	}
	if none, err := c.HostsWithImage(ctx, 4242); err != nil || len(none) != 0 {
		t.Errorf("image without hosts: %v %v", none, err)
	}
}

// TestHostsWithImage_filtersOnTheServer: the filter travels in the GET body,
// so FOG renders only the matching hosts.
func TestHostsWithImage_filtersOnTheServer(t *testing.T) {
	f := newFake(t)
	f.json("/fog/host", `{"count":0,"hosts":[]}`)
	c := newTestClient(t, f.srv.URL)
	if _, err := c.HostsWithImage(context.Background(), 5); err != nil {
		t.Fatal(err)
	}
	assertLines(t, f.requestLines(), []string{`GET /fog/host {"imageID":5}`})
}

// FuzzListStream: a list decoded while it arrives gives exactly what the
// buffered decoder gives, and fails exactly when it fails (a repeated list
// key, which PHP never sends, is refused by the stream only).
func FuzzListStream(f *testing.F) {
	addRecordingSeeds(f)
	f.Add([]byte(`{"count":1,"hosts":{"3":{"id":3,"name":"h"}}}`))
	f.Add([]byte(`{"count":0,"hosts":null}`))
	f.Add([]byte(`{"count":0,"hosts":[]} x`))
	f.Add([]byte(`{"hosts":[],"hosts":[{"id":1}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, plural := range []string{"hosts", "images", "tasks"} {
			buffered, errB := decodeListBoth(body, plural, false)
			streamed, errS := decodeListBoth(body, plural, true)
			if errS != nil && errB == nil && strings.Contains(errS.Error(), "appears twice") {
				continue
			}
			if (errB == nil) != (errS == nil) {
				t.Fatalf("%s: buffered error %v, streamed error %v", plural, errB, errS)
			}
			if errB == nil && !reflect.DeepEqual(buffered, streamed) {
				t.Fatalf("%s: buffered %+v\nstreamed %+v", plural, buffered, streamed)
			}
		}
	})
}

// decodeListBoth decodes body's list under plural as getList would, from a
// buffer or from a stream.
func decodeListBoth(body []byte, plural string, stream bool) ([]any, error) {
	var out []any
	item := func(decode func(any) error) error {
		switch plural {
		case "hosts":
			var w hostWire
			err := decode(&w)
			out = append(out, w.host())
			return err
		case "images":
			var w imageWire
			err := decode(&w)
			out = append(out, w.image())
			return err
		default:
			var w taskWire
			err := decode(&w)
			out = append(out, w.task())
			return err
		}
	}
	if stream {
		return out, decodeListStream(bytes.NewReader(body), plural, item)
	}
	return out, decodeList(body, plural, func(raw json.RawMessage) error {
		return item(func(v any) error { return json.Unmarshal(raw, v) })
	})
}

// TestListStreamingFallsBack: answers that are not a plain JSON list take
// the buffered path (PHP warnings printed before the JSON are stripped) or
// are reported as before; a connection lost in the middle of a list is "no
// response", not a malformed answer.
func TestListStreamingFallsBack(t *testing.T) {
	ctx := context.Background()
	list := loadRecording(t, "064-image-list-nonempty")

	t.Run("PHP warnings before the list", func(t *testing.T) {
		f := newFake(t)
		f.replay("GET", "/fog/image", list.withBody("<br />\n<b>Warning</b>: Undefined property: stdClass::$name in <b>/var/www/fog/lib/x.php</b> on line <b>12</b><br />\n"+list.ResponseBody))
		imgs, err := newTestClient(t, f.srv.URL).ListImages(ctx)
		if err != nil || len(imgs) == 0 {
			t.Fatalf("%d images, %v", len(imgs), err)
		}
	})
	t.Run("error object with 200", func(t *testing.T) {
		f := newFake(t)
		f.json("/fog/image", `{"error":"Undefined index"}`)
		_, err := newTestClient(t, f.srv.URL).ListImages(ctx)
		var fe *Error
		if !errors.As(err, &fe) || !errors.Is(err, ErrUnexpectedResponse) || fe.Message != "Undefined index" || fe.Route != "/fog/image" {
			t.Fatalf("err = %#v", err)
		}
	})
	t.Run("connection lost mid-list", func(t *testing.T) {
		f := newFake(t)
		f.on("GET", "/fog/image", func(w http.ResponseWriter, _ *http.Request, _ []byte) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", strconv.Itoa(len(list.ResponseBody)))
			w.WriteHeader(http.StatusOK)
			_, _ = io.WriteString(w, list.ResponseBody[:len(list.ResponseBody)/2])
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					_ = conn.Close()
				}
			}
		})
		_, err := newTestClient(t, f.srv.URL).ListImages(ctx)
		if !errors.Is(err, ErrNoResponse) {
			t.Fatalf("err = %v, want ErrNoResponse", err)
		}
	})
	t.Run("not a list", func(t *testing.T) {
		f := newFake(t)
		f.json("/fog/image", `{"count":1,"images":"nope"}`)
		if _, err := newTestClient(t, f.srv.URL).ListImages(ctx); !errors.Is(err, ErrUnexpectedResponse) {
			t.Fatalf("err = %v, want ErrUnexpectedResponse", err)
		}
	})
}

// FuzzJSONString: the fast path for plain strings decodes exactly like
// encoding/json, and refuses what it refuses.
func FuzzJSONString(f *testing.F) {
	for _, s := range []string{`"plain"`, `""`, `"R&amp;D"`, `"a\"b"`, `"\u00e9t\u00e9"`, `"été"`, "\"\xff\"", "\"tab\there\"", `"a"b"`, `"`, `x`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var want string
		errWant := json.Unmarshal(raw, &want)
		got, err := jsonString(raw)
		if (err == nil) != (errWant == nil) || got != want {
			t.Fatalf("%q: jsonString = %q, %v; encoding/json = %q, %v", raw, got, err, want, errWant)
		}
	})
}

// TestListLargerThanTheBodyLimit: a list is not held whole, so a server
// whose list is larger than the body limit of single answers (64 MB, some
// 25,000 hosts) is still listed.
func TestListLargerThanTheBodyLimit(t *testing.T) {
	const n = 1100
	desc := strings.Repeat("x", 64<<10)
	if n*len(desc) <= maxBodyBytes {
		t.Fatal("the list would not exceed the limit")
	}
	f := newFake(t)
	f.on("GET", "/fog/image", func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = fmt.Fprintf(w, `{"count":%d,"images":[`, n)
		for i := 1; i <= n; i++ {
			if i > 1 {
				_, _ = io.WriteString(w, ",")
			}
			_, _ = fmt.Fprintf(w, `{"id":%d,"name":"img-%d","path":"p","imageTypeID":1,"osID":9,"description":"%s"}`, i, i, desc)
		}
		_, _ = io.WriteString(w, "]}")
	})
	imgs, err := newTestClient(t, f.srv.URL).ListImages(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(imgs) != n || imgs[n-1].Name != fmt.Sprintf("img-%d", n) || len(imgs[0].Description) != len(desc) {
		t.Fatalf("%d images, last %q", len(imgs), imgs[len(imgs)-1].Name)
	}
}
