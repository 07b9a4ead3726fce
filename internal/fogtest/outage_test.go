// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogtest

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// newAPIWithListener serves the emulator on a listener that a "refuse"
// outage closes.
func newAPIWithListener(t *testing.T, opts Options) *apiClient {
	t.Helper()
	srv := New(opts)
	ts := httptest.NewUnstartedServer(srv)
	ts.Listener = srv.Listener(ts.Listener)
	ts.Start()
	t.Cleanup(ts.Close)
	return &apiClient{t: t, srv: srv, ts: ts, hc: &http.Client{
		Transport:     &http.Transport{DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

func imageCount(t *testing.T, c *apiClient) int {
	t.Helper()
	return len(c.srv.IDs("image"))
}

// A restarting PHP pool: every request is answered with the proxy's page
// until the outage ends, and none reaches PHP.
func TestOutageUnavailable(t *testing.T) {
	for _, status := range []int{502, 503} {
		c := newAPI(t, Options{RecordRequests: true})
		c.srv.StartOutage(Outage{Mode: OutageUnavailable, Status: status})
		r := c.do("GET", "/fog/image", "")
		if r.status != status || !strings.HasPrefix(r.ctype, "text/html") || !strings.Contains(r.body, "<title>"+apacheStatusText[status].title) {
			t.Fatalf("%d: GET while down: %d %q %q", status, r.status, r.ctype, r.body)
		}
		c.must(status, "POST", "/fog/image/create", `{"name":"down","path":"down","imageTypeID":1,"osID":9}`)
		if n := imageCount(t, c); n != 0 {
			t.Fatalf("%d: a create reached PHP while down: %d images", status, n)
		}
		if st := c.srv.OutageStats(); !st.Down || st.Refused != 2 || st.Windows != 1 {
			t.Fatalf("%d: stats %+v", status, st)
		}
		c.srv.EndOutage()
		c.must(200, "GET", "/fog/image", "")
		log := c.srv.Requests()
		if len(log) != 3 || log[0].Fault != FaultOutageDown || log[0].Status != status || log[2].Fault != "" {
			t.Fatalf("%d: request log %+v", status, log)
		}
	}
}

// The write that arrives as the armed outage starts is in flight: FOG
// applies it and the client never gets the answer. The next request finds
// the server down.
func TestOutageCutsTheWriteInFlight(t *testing.T) {
	c := newAPI(t, Options{RecordRequests: true})
	c.srv.StartOutage(Outage{Mode: OutageUnavailable, AfterWrites: 2})
	c.must(200, "POST", "/fog/image/create", `{"name":"one","path":"one","imageTypeID":1,"osID":9}`)
	if st := c.srv.OutageStats(); !st.Armed || st.Down {
		t.Fatalf("after one write: %+v", st)
	}
	_, err := c.raw("POST", "/fog/image/create", `{"name":"two","path":"two","imageTypeID":1,"osID":9}`, nil)
	if err == nil {
		t.Fatal("the answer to the write in flight arrived")
	}
	if n := imageCount(t, c); n != 2 {
		t.Fatalf("%d images, want 2: the write in flight was not applied", n)
	}
	c.must(503, "GET", "/fog/image", "")
	if st := c.srv.OutageStats(); !st.Down || st.Cut != 1 || st.Refused != 1 {
		t.Fatalf("stats %+v", st)
	}
	c.srv.EndOutage()
	if n := num(t, c.must(200, "GET", "/fog/image", "").json(t)["count"]); n != 2 {
		t.Fatalf("after the outage: %d images listed", n)
	}
	// The cut write's entry is logged when its handler ends, which may be
	// after the GET that follows: find it by what it sent.
	var cut []Request
	for _, e := range c.srv.Requests() {
		if e.Method == "POST" && strings.Contains(e.Body, `"two"`) {
			cut = append(cut, e)
		}
	}
	if len(cut) != 1 || cut[0].Fault != FaultOutageCut || cut[0].Status != 0 {
		t.Fatalf("the cut write is logged as %+v", cut)
	}
}

// A request held inside PHP when the outage starts (here: in its latency)
// is finished, and its answer cut, whoever started the outage.
func TestOutageCutsEveryRequestInFlight(t *testing.T) {
	release := make(chan struct{})
	var held sync.WaitGroup
	held.Add(1)
	c := newAPI(t, Options{Latency: time.Hour, Sleep: func(ctx context.Context, _ time.Duration) {
		held.Done()
		select {
		case <-release:
		case <-ctx.Done():
		}
	}})
	errc := make(chan error, 1)
	go func() {
		_, err := c.raw("POST", "/fog/image/create", `{"name":"held","path":"held","imageTypeID":1,"osID":9}`, nil)
		errc <- err
	}()
	held.Wait()
	c.srv.StartOutage(Outage{Mode: OutageUnavailable})
	close(release)
	if err := <-errc; err == nil {
		t.Fatal("the answer to the request in flight arrived")
	}
	if n := imageCount(t, c); n != 1 {
		t.Fatalf("%d images: the request in flight was not finished", n)
	}
}

// A stopped web server refuses connections on the listener it was given,
// and listens again on the same address when the outage ends, by itself
// after Outage.For.
func TestOutageRefusesConnections(t *testing.T) {
	c := newAPIWithListener(t, Options{})
	c.must(200, "GET", "/fog/system/status", "")
	c.srv.StartOutage(Outage{Mode: OutageRefuse})
	_, err := c.raw("GET", "/fog/system/status", "", nil)
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("GET while down: %v, want connection refused", err)
	}
	c.srv.EndOutage()
	c.must(200, "GET", "/fog/system/status", "")

	c.srv.StartOutage(Outage{Mode: OutageRefuse, For: Duration(20 * time.Millisecond)})
	if _, err := net.Dial("tcp", c.ts.Listener.Addr().String()); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("dial while down: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.srv.WaitOutageOver(ctx); err != nil {
		t.Fatal(err)
	}
	c.must(200, "GET", "/fog/system/status", "")
	if st := c.srv.OutageStats(); st.Down || st.Windows != 2 || st.ListenErr != "" {
		t.Fatalf("stats %+v", st)
	}
}

// Armed in refuse mode: the write that starts it is applied, its answer
// cut, and the next connection refused.
func TestOutageRefuseCutsTheWriteInFlight(t *testing.T) {
	c := newAPIWithListener(t, Options{})
	c.srv.StartOutage(Outage{Mode: OutageRefuse, AfterWrites: 1})
	if _, err := c.raw("POST", "/fog/image/create", `{"name":"cut","path":"cut","imageTypeID":1,"osID":9}`, nil); err == nil {
		t.Fatal("the answer arrived")
	}
	if n := imageCount(t, c); n != 1 {
		t.Fatalf("%d images, want 1", n)
	}
	if _, err := c.raw("GET", "/fog/image", "", nil); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("GET after the cut: %v", err)
	}
	c.srv.EndOutage()
	c.must(200, "GET", "/fog/image", "")
}

func TestOutageAdminRoutes(t *testing.T) {
	c := newAPI(t, Options{})
	c.must(200, "PUT", "/_emulator/outage", `{"mode":"unavailable","status":502}`)
	c.must(502, "GET", "/fog/system/status", "")
	if st := c.must(200, "GET", "/_emulator/outage", "").json(t); st["down"] != true {
		t.Fatalf("stats %v", st)
	}
	c.must(200, "DELETE", "/_emulator/outage", "")
	c.must(200, "GET", "/fog/system/status", "")
	c.must(400, "PUT", "/_emulator/outage", `{"mode":"sideways"}`)
}
