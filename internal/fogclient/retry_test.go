// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// noKeepAlive makes every request use a fresh connection, so Go's transport
// never repeats a request on its own and the server's request count is the
// client's attempt count.
func noKeepAlive(cfg *Config) {
	cfg.Transport = &http.Transport{DisableKeepAlives: true, Proxy: http.ProxyFromEnvironment}
}

// hangUp closes the connection without answering, after the server has read
// (and "applied") the request.
func hangUp(t testing.TB, w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		t.Fatal("cannot hijack")
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		t.Fatal(err)
	}
	_ = conn.Close()
}

// failFirst answers the first n requests with fail and then with ok.
func failFirst(n int32, fail, ok handlerFunc) (handlerFunc, *atomic.Int32) {
	var count atomic.Int32
	return func(w http.ResponseWriter, r *http.Request, body []byte) {
		if count.Add(1) <= n {
			fail(w, r, body)
			return
		}
		ok(w, r, body)
	}, &count
}

func status(code int) handlerFunc {
	return func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(code)
	}
}

func TestGETRetriedOnGatewayErrors(t *testing.T) {
	list := loadRecording(t, "064-image-list-nonempty")
	for _, code := range []int{502, 503, 504} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			f := newFake(t)
			h, count := failFirst(2, status(code), func(w http.ResponseWriter, _ *http.Request, _ []byte) { list.write(w) })
			f.on("GET", "/fog/image", h)
			logs := &captureLogger{}
			c := newTestClient(t, f.srv.URL, noKeepAlive, func(cfg *Config) { cfg.Logger = logs })
			imgs, err := c.ListImages(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if len(imgs) != 9 {
				t.Errorf("got %d images", len(imgs))
			}
			if n := count.Load(); n != 3 {
				t.Errorf("server saw %d requests, want 3", n)
			}
			if n := logs.count("FOG request retry"); n != 2 {
				t.Errorf("logged %d retries, want 2", n)
			}
		})
	}
}

func TestGETRetriedAfterConnectionReset(t *testing.T) {
	list := loadRecording(t, "064-image-list-nonempty")
	f := newFake(t)
	h, count := failFirst(1,
		func(w http.ResponseWriter, _ *http.Request, _ []byte) { hangUp(t, w) },
		func(w http.ResponseWriter, _ *http.Request, _ []byte) { list.write(w) })
	f.on("GET", "/fog/image", h)
	c := newTestClient(t, f.srv.URL, noKeepAlive)
	if _, err := c.ListImages(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := count.Load(); n != 2 {
		t.Errorf("server saw %d requests, want 2", n)
	}
}

// A write the server may have received (and, FOG being FOG, applied: it
// keeps running after the client goes away) is never sent again blindly:
// after a lost answer the next request is always a look at the server, and
// when that look fails too the outcome is reported as unknown, with the
// write sent exactly once.
func TestLostWritesAreNeverRepeatedWithoutALook(t *testing.T) {
	ctx := context.Background()
	calls := []struct {
		method, path, look string
		setup              func(f *fakeFOG)
		call               func(c *Client) error
	}{
		{"POST", "/fog/image/create", "GET /fog/image", nil, func(c *Client) error {
			_, err := c.CreateImage(ctx, ImageCreate{Name: "img", Path: "img", ImageTypeID: 1, OSID: 9})
			return err
		}},
		{"POST", "/fog/host/1/task", "GET /fog/task/active", nil, func(c *Client) error {
			_, err := c.CreateHostTask(ctx, 1, TaskCreate{TypeID: 1})
			return err
		}},
		{"PUT", "/fog/image/3/edit", "GET /fog/image/3", nil, func(c *Client) error {
			d := "x"
			_, err := c.UpdateImage(ctx, 3, ImageUpdate{Description: &d})
			return err
		}},
		{"DELETE", "/fog/image/3", "GET /fog/image/3", nil, func(c *Client) error { return c.DeleteImage(ctx, 3) }},
	}
	losses := map[string]handlerFunc{
		"connection closed": func(w http.ResponseWriter, _ *http.Request, _ []byte) { hangUp(t, w) },
		"502 from a proxy":  status(http.StatusBadGateway),
	}
	for _, tc := range calls {
		for lossName, lose := range losses {
			t.Run(tc.method+" "+tc.path+", "+lossName, func(t *testing.T) {
				f := newFake(t)
				var writes, reads atomic.Int32
				f.on(tc.method, tc.path, func(w http.ResponseWriter, r *http.Request, b []byte) {
					writes.Add(1)
					lose(w, r, b)
				})
				// Reads work until the write was sent (the update's first
				// read, the task's list of active tasks), then fail.
				f.fallback = func(w http.ResponseWriter, r *http.Request, b []byte) {
					reads.Add(1)
					switch {
					case writes.Load() > 0:
						status(http.StatusServiceUnavailable)(w, r, b)
					case r.URL.Path == "/fog/image/3":
						loadRecording(t, "057-image-get-by-id").write(w)
					default:
						writeJSON(w, 200, `{"count":0,"tasks":[]}`)
					}
				}
				c := newTestClient(t, f.srv.URL, noKeepAlive)
				err := tc.call(c)
				if !errors.Is(err, ErrOutcomeUnknown) {
					t.Fatalf("err = %v, want ErrOutcomeUnknown", err)
				}
				var fe *Error
				if !errors.As(err, &fe) || fe.Method != tc.method || fe.Route != tc.path {
					t.Errorf("error names %+v, want %s %s", fe, tc.method, tc.path)
				}
				if n := writes.Load(); n != 1 {
					t.Errorf("%s sent %d times, want once", tc.method, n)
				}
				lines := f.requestLines()
				for i, line := range lines {
					if strings.HasPrefix(line, tc.method+" "+tc.path) && (i+1 >= len(lines) || !strings.HasPrefix(lines[i+1], tc.look)) {
						t.Errorf("the write was not followed by the look %q: %v", tc.look, lines)
					}
				}
				assertNoSecrets(t, err.Error())
			})
		}
	}
}

// refusingDialer fails the first n dials with a connection refused, the way
// the kernel reports it, then dials for real.
type refusingDialer struct {
	n     int32
	dials atomic.Int32
}

func (d *refusingDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	if d.dials.Add(1) <= d.n {
		return nil, &net.OpError{Op: "dial", Net: network, Err: &os.SyscallError{Syscall: "connect", Err: syscall.ECONNREFUSED}}
	}
	var nd net.Dialer
	return nd.DialContext(ctx, network, addr)
}

func TestWriteRetriedWhenConnectionRefused(t *testing.T) {
	created := loadRecording(t, "035-image-create-minimal")
	f := newFake(t)
	var count atomic.Int32
	f.on("POST", "/fog/image/create", func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		count.Add(1)
		created.write(w)
	})
	d := &refusingDialer{n: 2}
	c := newTestClient(t, f.srv.URL, func(cfg *Config) {
		cfg.Transport = &http.Transport{DialContext: d.DialContext, DisableKeepAlives: true}
	})
	img, err := c.CreateImage(context.Background(), ImageCreate{Name: "img-minimal", Path: "img-minimal", ImageTypeID: 1, OSID: 9})
	if err != nil {
		t.Fatal(err)
	}
	if img.ID != 1 {
		t.Errorf("image id %d", img.ID)
	}
	if n := d.dials.Load(); n != 3 {
		t.Errorf("dialled %d times, want 3", n)
	}
	if n := count.Load(); n != 1 {
		t.Errorf("server saw %d creates, want 1", n)
	}
}

func TestWriteToAClosedPortRetriedThenFails(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close() // nothing listens: every dial is refused
	var dials atomic.Int32
	c := newTestClient(t, "http://"+addr, func(cfg *Config) {
		cfg.Transport = &http.Transport{DialContext: func(ctx context.Context, network, a string) (net.Conn, error) {
			dials.Add(1)
			var nd net.Dialer
			return nd.DialContext(ctx, network, a)
		}}
	})
	err = c.DeleteImage(context.Background(), 3)
	if !errors.Is(err, ErrNoResponse) || !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("err = %v", err)
	}
	if n := dials.Load(); n != 1+DefaultMaxRetries {
		t.Errorf("dialled %d times, want %d", n, 1+DefaultMaxRetries)
	}
	var fe *Error
	if !errors.As(err, &fe) || fe.Method != "DELETE" || fe.Route != "/fog/image/3" || fe.Status != 0 {
		t.Errorf("error = %#v", fe)
	}
}

// 500 is a real FOG answer, and 302/401/403 are persistent: one request each.
func TestNeverRetried(t *testing.T) {
	for _, prefix := range []string{
		"069-image-names",                  // 500 fatal
		"042-image-create-duplicate-name",  // 500 Already created
		"021-image-list-api-disabled",      // 302
		"008-system-info-wrong-user-token", // 401
		"004-system-info-wrong-api-token",  // 403
		"217-unknown-class",                // 501
		"060-image-get-missing-999999",     // 404
	} {
		t.Run(prefix, func(t *testing.T) {
			rec := loadRecording(t, prefix)
			f := newFake(t)
			var count atomic.Int32
			f.on("GET", "/fog/image", func(w http.ResponseWriter, _ *http.Request, _ []byte) {
				count.Add(1)
				rec.write(w)
			})
			c := newTestClient(t, f.srv.URL)
			if _, err := c.ListImages(context.Background()); err == nil {
				t.Fatal("no error")
			}
			if n := count.Load(); n != 1 {
				t.Errorf("sent %d times, want once", n)
			}
		})
	}
}

func TestRetryResendsTheFilterBody(t *testing.T) {
	active := loadRecording(t, "171-task-active-one")
	f := newFake(t)
	h, _ := failFirst(1, status(503), func(w http.ResponseWriter, _ *http.Request, _ []byte) { active.write(w) })
	f.on("GET", "/fog/task/active", h)
	c := newTestClient(t, f.srv.URL)
	tasks, err := c.ActiveTasksForHost(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(tasks) != 1 {
		t.Errorf("got %d tasks", len(tasks))
	}
	assertLines(t, f.requestLines(), []string{
		`GET /fog/task/active {"hostID":1}`,
		`GET /fog/task/active {"hostID":1}`,
	})
}

func TestNoRetriesWhenMaxRetriesIsZero(t *testing.T) {
	f := newFake(t)
	var count atomic.Int32
	f.on("GET", "/fog/image", func(w http.ResponseWriter, r *http.Request, b []byte) {
		count.Add(1)
		status(503)(w, r, b)
	})
	c := newTestClient(t, f.srv.URL, func(cfg *Config) { cfg.MaxRetries = 0 })
	if _, err := c.ListImages(context.Background()); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("err = %v", err)
	}
	if n := count.Load(); n != 1 {
		t.Errorf("sent %d times, want once", n)
	}
}

func TestRetryWaitHonoursContext(t *testing.T) {
	f := newFake(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var count atomic.Int32
	f.on("GET", "/fog/image", func(w http.ResponseWriter, r *http.Request, b []byte) {
		count.Add(1)
		status(503)(w, r, b)
		cancel() // the client now waits for a retry that must not come
	})
	c := newTestClient(t, f.srv.URL, func(cfg *Config) {
		cfg.RetryWaitMin = time.Hour
		cfg.RetryWaitMax = time.Hour
	})
	_, err := c.ListImages(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if n := count.Load(); n != 1 {
		t.Errorf("sent %d times, want once", n)
	}
	if !strings.Contains(err.Error(), "GET /fog/image") {
		t.Errorf("message %q lacks the route", err)
	}
}

func TestBackoffBounds(t *testing.T) {
	for attempt := 0; attempt < 70; attempt++ {
		d := backoff(100*time.Millisecond, 2*time.Second, attempt, nil)
		if d < 50*time.Millisecond || d > 2*time.Second {
			t.Fatalf("attempt %d: %v out of bounds", attempt, d)
		}
	}
	resp := &http.Response{StatusCode: 503, Header: http.Header{"Retry-After": []string{"3600"}}}
	if d := backoff(time.Millisecond, 2*time.Second, 0, resp); d != 2*time.Second {
		t.Errorf("Retry-After not capped: %v", d)
	}
}

// captureLogger records log lines for assertions.
type captureLogger struct {
	mu    sync.Mutex
	lines []string
	ctxs  []context.Context
}

func (l *captureLogger) Log(ctx context.Context, level, msg string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf("%s %s %v", strings.ToUpper(level), msg, fields))
	l.ctxs = append(l.ctxs, ctx)
}

func (l *captureLogger) all() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

func (l *captureLogger) count(msg string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, line := range l.lines {
		if strings.Contains(line, " "+msg+" ") {
			n++
		}
	}
	return n
}

// An answer whose body is cut off, or too slow to arrive within the request
// timeout, is a failed attempt: a read is retried, and for a write the
// answer counts as lost (settled by looking).
func TestCutOffOrSlowBodyIsAFailedAttempt(t *testing.T) {
	list := loadRecording(t, "064-image-list-nonempty")
	cutOff := func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", fmt.Sprint(len(list.ResponseBody)))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(list.ResponseBody[:20]))
		if fl, ok := w.(http.Flusher); ok {
			fl.Flush()
		}
		hangUp(t, w)
	}
	slow := func(w http.ResponseWriter, r *http.Request, _ []byte) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(`{"count":`))
		if fl, ok := w.(http.Flusher); ok {
			fl.Flush()
		}
		<-r.Context().Done() // the rest never comes: the client gives up first
	}
	for name, first := range map[string]handlerFunc{"cut off": cutOff, "too slow": slow} {
		t.Run(name, func(t *testing.T) {
			f := newFake(t)
			h, count := failFirst(1, first, func(w http.ResponseWriter, _ *http.Request, _ []byte) { list.write(w) })
			f.on("GET", "/fog/image", h)
			c := newTestClient(t, f.srv.URL, noKeepAlive, func(cfg *Config) { cfg.Timeout = 500 * time.Millisecond })
			imgs, err := c.ListImages(context.Background())
			if err != nil || len(imgs) != 9 {
				t.Fatalf("%d images, %v", len(imgs), err)
			}
			if n := count.Load(); n != 2 {
				t.Errorf("server saw %d requests, want 2", n)
			}
		})
	}
	t.Run("write", func(t *testing.T) {
		f := newFake(t)
		var deletes atomic.Int32
		f.on("DELETE", "/fog/image/3", func(w http.ResponseWriter, r *http.Request, b []byte) {
			deletes.Add(1)
			cutOff(w, r, b)
		})
		f.replay("GET", "/fog/image/3", loadRecording(t, "060-image-get-missing-999999"))
		if err := newTestClient(t, f.srv.URL, noKeepAlive).DeleteImage(context.Background(), 3); err != nil {
			t.Fatal(err)
		}
		assertLines(t, f.requestLines(), []string{`DELETE /fog/image/3`, `GET /fog/image/3`})
	})
}

// A list cut off after some of its elements is retried whole: the list of
// the attempt that arrived in full replaces what the cut-off one decoded.
func TestCutOffListIsRetriedWhole(t *testing.T) {
	list := loadRecording(t, "064-image-list-nonempty")
	f := newFake(t)
	h, count := failFirst(1, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", fmt.Sprint(len(list.ResponseBody)))
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, list.ResponseBody[:len(list.ResponseBody)*3/4]) // several whole images
		if fl, ok := w.(http.Flusher); ok {
			fl.Flush()
		}
		hangUp(t, w)
	}, func(w http.ResponseWriter, _ *http.Request, _ []byte) { list.write(w) })
	f.on("GET", "/fog/image", h)
	imgs, err := newTestClient(t, f.srv.URL, noKeepAlive).ListImages(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n := count.Load(); n != 2 {
		t.Errorf("server saw %d requests, want 2", n)
	}
	seen := map[int64]bool{}
	for _, img := range imgs {
		if seen[img.ID] {
			t.Errorf("image %d listed twice", img.ID)
		}
		seen[img.ID] = true
	}
	if len(imgs) != 9 {
		t.Errorf("got %d images, want 9", len(imgs))
	}
}

// An answer that arrived in full but does not decode is FOG's answer: the
// request is sent once, and a write above all (FOG has applied it; asking
// again could create a second image).
func TestUndecodableAnswerIsSentOnce(t *testing.T) {
	ctx := context.Background()
	const garbage = `{"id":{"not":"a number"},"name":"img"}`
	for _, tc := range []struct {
		method, path string
		call         func(c *Client) error
	}{
		{"POST", "/fog/image/create", func(c *Client) error {
			_, err := c.CreateImage(ctx, ImageCreate{Name: "img", Path: "img", ImageTypeID: 1, OSID: 9})
			return err
		}},
		{"PUT", "/fog/image/3/edit", func(c *Client) error {
			d := "x"
			_, err := c.UpdateImage(ctx, 3, ImageUpdate{Description: &d})
			return err
		}},
		{"GET", "/fog/image", func(c *Client) error {
			_, err := c.ListImages(ctx)
			return err
		}},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			f := newFake(t)
			f.replay("GET", "/fog/image/3", loadRecording(t, "057-image-get-by-id"))
			var sent atomic.Int32
			f.on(tc.method, tc.path, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
				sent.Add(1)
				writeJSON(w, http.StatusOK, garbage)
			})
			err := tc.call(newTestClient(t, f.srv.URL, noKeepAlive))
			if !errors.Is(err, ErrUnexpectedResponse) {
				t.Fatalf("err = %v, want ErrUnexpectedResponse", err)
			}
			if n := sent.Load(); n != 1 {
				t.Errorf("%s %s sent %d times, want once: %v", tc.method, tc.path, n, f.requestLines())
			}
		})
	}
}

// scriptedDialer refuses the dials for which refuse(n) is true (n counts
// from 1), the way the kernel reports a port nobody listens on, and dials
// for real otherwise.
type scriptedDialer struct {
	refuse func(n int32) bool
	dials  atomic.Int32
}

func (d *scriptedDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	if d.refuse(d.dials.Add(1)) {
		return nil, &net.OpError{Op: "dial", Net: network, Err: &os.SyscallError{Syscall: "connect", Err: syscall.ECONNREFUSED}}
	}
	var nd net.Dialer
	return nd.DialContext(ctx, network, addr)
}

func withDialer(d *scriptedDialer) func(*Config) {
	return func(cfg *Config) {
		cfg.Transport = &http.Transport{DialContext: d.DialContext, DisableKeepAlives: true}
	}
}

func withBudget(d time.Duration) func(*Config) { return func(cfg *Config) { cfg.RetryMaxWait = d } }

// A server that restarts refuses connections for longer than MaxRetries
// quick retries last: within the time budget, reads and writes that never
// reached it are retried until it is back, without using up MaxRetries.
func TestRetryBudgetRidesOutARefusedServer(t *testing.T) {
	created := loadRecording(t, "035-image-create-minimal")
	list := loadRecording(t, "064-image-list-nonempty")
	const down = 20 // dials refused, far more than MaxRetries (3)
	for _, budget := range []time.Duration{time.Minute, 0} {
		t.Run(fmt.Sprint("budget ", budget), func(t *testing.T) {
			f := newFake(t)
			var posts atomic.Int32
			f.on("POST", "/fog/image/create", func(w http.ResponseWriter, _ *http.Request, _ []byte) {
				posts.Add(1)
				created.write(w)
			})
			f.on("GET", "/fog/image", func(w http.ResponseWriter, _ *http.Request, _ []byte) { list.write(w) })
			for _, call := range []struct {
				name string
				do   func(c *Client) error
			}{
				{"read", func(c *Client) error { _, err := c.ListImages(context.Background()); return err }},
				{"write", func(c *Client) error {
					_, err := c.CreateImage(context.Background(), ImageCreate{Name: "img-minimal", Path: "img-minimal", ImageTypeID: 1, OSID: 9})
					return err
				}},
			} {
				d := &scriptedDialer{refuse: func(n int32) bool { return n <= down }}
				err := call.do(newTestClient(t, f.srv.URL, withDialer(d), withBudget(budget)))
				switch {
				case budget > 0 && err != nil:
					t.Errorf("%s: %v", call.name, err)
				case budget > 0 && d.dials.Load() != down+1:
					t.Errorf("%s: dialled %d times, want %d", call.name, d.dials.Load(), down+1)
				case budget == 0 && (!errors.Is(err, ErrNoResponse) || !errors.Is(err, syscall.ECONNREFUSED)):
					t.Errorf("%s without a budget: err = %v", call.name, err)
				case budget == 0 && d.dials.Load() != 1+DefaultMaxRetries:
					t.Errorf("%s without a budget: dialled %d times, want %d", call.name, d.dials.Load(), 1+DefaultMaxRetries)
				}
			}
			if want := map[bool]int32{true: 1, false: 0}[budget > 0]; posts.Load() != want {
				t.Errorf("server saw %d creates, want %d", posts.Load(), want)
			}
		})
	}
}

// A restarting PHP-FPM pool answers 502/503 rather than refusing: reads
// ride it out within the budget too.
func TestRetryBudgetRidesOutGatewayErrorsOnReads(t *testing.T) {
	list := loadRecording(t, "064-image-list-nonempty")
	for _, code := range []int{502, 503, 504} {
		f := newFake(t)
		h, count := failFirst(25, status(code), func(w http.ResponseWriter, _ *http.Request, _ []byte) { list.write(w) })
		f.on("GET", "/fog/image", h)
		if _, err := newTestClient(t, f.srv.URL, noKeepAlive, withBudget(time.Minute)).ListImages(context.Background()); err != nil {
			t.Fatalf("%d: %v", code, err)
		}
		if n := count.Load(); n != 26 {
			t.Errorf("%d: server saw %d requests, want 26", code, n)
		}
	}
}

// The budget is time, not a count: once spent, a server that stays down
// fails the request, after more attempts than MaxRetries allows alone.
func TestRetryBudgetRunsOut(t *testing.T) {
	d := &scriptedDialer{refuse: func(int32) bool { return true }}
	c := newTestClient(t, "http://127.0.0.1:9", withDialer(d), withBudget(30*time.Millisecond))
	_, err := c.ListImages(context.Background())
	if !errors.Is(err, ErrNoResponse) || !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("err = %v", err)
	}
	if n := d.dials.Load(); n <= 1+DefaultMaxRetries {
		t.Errorf("dialled %d times: the budget added no retry", n)
	}
}

// The look after a lost answer rides out the restart on the write's
// budget: the create FOG applied before it went down is found, not sent
// again, and not reported as an unknown outcome.
func TestLostCreateLooksAgainUntilTheServerIsBack(t *testing.T) {
	var posts atomic.Int32
	var stored []byte
	f := newFake(t)
	f.on("POST", "/fog/image/create", func(w http.ResponseWriter, _ *http.Request, body []byte) {
		posts.Add(1)
		stored = body
		hangUp(t, w) // applied; the answer is lost as the server goes down
	})
	f.on("GET", "/fog/image", func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		writeJSON(w, 200, `{"count":1,"images":[`+echoImageJSON(t, 7, stored)+`]}`)
	})
	const down = 15 // the dials after the create's, while the server restarts
	for _, budget := range []time.Duration{time.Minute, 0} {
		posts.Store(0)
		d := &scriptedDialer{refuse: func(n int32) bool { return n > 1 && n <= 1+down }}
		img, err := newTestClient(t, f.srv.URL, withDialer(d), withBudget(budget)).CreateImage(context.Background(), minimalImage())
		switch {
		case budget > 0 && (err != nil || img.ID != 7):
			t.Errorf("with a budget: img %+v, err %v", img, err)
		case budget == 0 && (!errors.Is(err, ErrOutcomeUnknown) || !strings.Contains(err.Error(), "connection refused")):
			t.Errorf("without a budget: err = %v", err)
		}
		if posts.Load() != 1 {
			t.Errorf("budget %v: create sent %d times, want once", budget, posts.Load())
		}
	}
}

// One budget covers a write and its looks: a server that stays down after
// the create's answer was lost gives an unknown outcome once the budget is
// spent, with the create sent once.
func TestLostCreateLookSharesTheWritesBudget(t *testing.T) {
	var posts atomic.Int32
	f := newFake(t)
	f.on("POST", "/fog/image/create", func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		posts.Add(1)
		hangUp(t, w)
	})
	var budget *retryBudget
	d := &scriptedDialer{refuse: func(n int32) bool { return n > 1 }}
	c := newTestClient(t, f.srv.URL, withDialer(d), withBudget(30*time.Millisecond))
	ctx := c.withRetryBudget(context.Background())
	budget, _ = ctx.Value(budgetKey{}).(*retryBudget)
	_, err := c.CreateImage(ctx, minimalImage())
	if !errors.Is(err, ErrOutcomeUnknown) || !strings.Contains(err.Error(), "looking the image up failed") {
		t.Fatalf("err = %v", err)
	}
	if posts.Load() != 1 {
		t.Errorf("create sent %d times, want once", posts.Load())
	}
	if budget.deadline.IsZero() {
		t.Error("the look did not spend the operation's budget")
	}
}
