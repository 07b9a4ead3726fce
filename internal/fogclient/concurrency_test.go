// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// inflight tracks the requests a test server is handling at once.
type inflight struct {
	now, max atomic.Int32
}

func (f *inflight) enter() {
	n := f.now.Add(1)
	for {
		m := f.max.Load()
		if n <= m || f.max.CompareAndSwap(m, n) {
			return
		}
	}
}

func (f *inflight) leave() { f.now.Add(-1) }

// TestMaxConcurrentIsNeverExceeded runs many goroutines through one client
// and measures in the server how many requests are handled at once.
func TestMaxConcurrentIsNeverExceeded(t *testing.T) {
	const limit = 3
	list := loadRecording(t, "064-image-list-nonempty")
	img := loadRecording(t, "057-image-get-by-id")
	var gauge inflight
	hold := func(rec recording) handlerFunc {
		return func(w http.ResponseWriter, _ *http.Request, _ []byte) {
			gauge.enter()
			defer gauge.leave()
			// Keep the request in flight long enough for others to pile up.
			time.Sleep(3 * time.Millisecond)
			rec.write(w)
		}
	}
	f := newFake(t)
	f.on("GET", "/fog/image", hold(list))
	f.on("GET", "/fog/image/3", hold(img))
	c := newTestClient(t, f.srv.URL, func(cfg *Config) { cfg.MaxConcurrent = limit })

	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := 0; i < 64; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			var err error
			if i%2 == 0 {
				_, err = c.ListImages(context.Background())
			} else {
				_, err = c.GetImage(context.Background(), 3)
			}
			if err != nil {
				errs <- err
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if m := gauge.max.Load(); m != limit {
		t.Errorf("at most %d requests were in flight at once, want exactly the cap %d", m, limit)
	}
	if n := len(f.requests()); n != 64 {
		t.Errorf("server saw %d requests", n)
	}
}

func TestWaitingForASlotHonoursContext(t *testing.T) {
	release := make(chan struct{})
	entered := make(chan struct{}, 1)
	f := newFake(t)
	list := loadRecording(t, "064-image-list-nonempty")
	f.on("GET", "/fog/image", func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		entered <- struct{}{}
		<-release
		list.write(w)
	})
	c := newTestClient(t, f.srv.URL, func(cfg *Config) { cfg.MaxConcurrent = 1 })
	done := make(chan error, 1)
	go func() { _, err := c.ListImages(context.Background()); done <- err }()
	<-entered // the only slot is taken

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.GetImage(ctx, 3); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := len(f.requests()); n != 1 {
		t.Errorf("server saw %d requests, want 1", n)
	}
}

// TestCreatesOfOneNameAreSerialised: FOG's INSERT ... ON DUPLICATE KEY
// UPDATE lets two simultaneous creates of one name both answer 200 while one
// silently overwrites the other (edge recordings e-concurrent-create-04-a/-b).
// Within one client, creates of one name (in any letter case) never overlap;
// the server then answers every later one "Already created".
func TestCreatesOfOneNameAreSerialised(t *testing.T) {
	dup := loadRecording(t, "409-e-concurrent-create-01-b")
	var gauge inflight
	var mu sync.Mutex
	names := map[string]bool{}
	f := newFake(t)
	f.on("POST", "/fog/image/create", func(w http.ResponseWriter, r *http.Request, body []byte) {
		gauge.enter()
		defer gauge.leave()
		time.Sleep(2 * time.Millisecond)
		name, _ := bodyMap(t, string(body))["name"].(string)
		name = strings.ToLower(name)
		mu.Lock()
		exists := names[name]
		names[name] = true
		mu.Unlock()
		if exists {
			dup.write(w)
			return
		}
		echoImage(t, w, 1, body)
	})
	c := newTestClient(t, f.srv.URL)
	var wg sync.WaitGroup
	var ok, already atomic.Int32
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			name := "race-01"
			if i%2 == 1 {
				name = "RACE-01"
			}
			_, err := c.CreateImage(context.Background(), ImageCreate{Name: name, Path: fmt.Sprintf("race-01-%d", i), ImageTypeID: 1, OSID: 9})
			switch {
			case err == nil:
				ok.Add(1)
			case errors.Is(err, ErrAlreadyExists):
				already.Add(1)
			default:
				t.Error(err)
			}
		}(i)
	}
	wg.Wait()
	if m := gauge.max.Load(); m != 1 {
		t.Errorf("%d creates of one name overlapped", m)
	}
	if ok.Load() != 1 || already.Load() != 9 {
		t.Errorf("%d created, %d already existed; want 1 and 9", ok.Load(), already.Load())
	}
}

func TestCreatesOfDifferentNamesRunTogether(t *testing.T) {
	var gauge inflight
	both := make(chan struct{})
	var once sync.Once
	f := newFake(t)
	f.on("POST", "/fog/image/create", func(w http.ResponseWriter, _ *http.Request, body []byte) {
		gauge.enter()
		defer gauge.leave()
		if gauge.now.Load() == 2 {
			once.Do(func() { close(both) })
		}
		select { // wait (bounded) for the other create to arrive
		case <-both:
		case <-time.After(2 * time.Second):
		}
		echoImage(t, w, 1, body)
	})
	c := newTestClient(t, f.srv.URL)
	var wg sync.WaitGroup
	for _, name := range []string{"img-a", "img-b"} {
		wg.Add(1)
		go func(name string) {
			defer wg.Done()
			if _, err := c.CreateImage(context.Background(), ImageCreate{Name: name, Path: name, ImageTypeID: 1, OSID: 9}); err != nil {
				t.Error(err)
			}
		}(name)
	}
	wg.Wait()
	if m := gauge.max.Load(); m != 2 {
		t.Errorf("creates of different names did not overlap (max %d)", m)
	}
}

// The request timeout runs from the moment a request holds a concurrency
// slot: waiting behind other requests does not count against it.
func TestTimeoutExcludesWaitingForASlot(t *testing.T) {
	f := newFake(t)
	f.replay("GET", "/fog/system/status", loadRecording(t, "002-system-status-ok"))
	c := newTestClient(t, f.srv.URL, func(cfg *Config) {
		cfg.MaxConcurrent = 1
		cfg.Timeout = 100 * time.Millisecond
		cfg.MaxRetries = 0
	})
	lt, ok := c.http.HTTPClient.Transport.(*limitTransport)
	if !ok {
		t.Fatal("no limitTransport")
	}
	lt.sem <- struct{}{} // another request holds the only slot...
	done := make(chan error, 1)
	go func() { done <- c.Status(context.Background()) }()
	time.Sleep(400 * time.Millisecond) // ...for four timeouts
	<-lt.sem
	if err := <-done; err != nil {
		t.Fatalf("queued request failed: %v", err)
	}
}

func TestTimeoutIsReported(t *testing.T) {
	f := newFake(t)
	f.on("GET", "/fog/system/status", func(_ http.ResponseWriter, r *http.Request, _ []byte) {
		<-r.Context().Done() // never answers
	})
	c := newTestClient(t, f.srv.URL, func(cfg *Config) {
		cfg.Timeout = 20 * time.Millisecond
		cfg.MaxRetries = 1
	})
	err := c.Status(context.Background())
	if !errors.Is(err, ErrNoResponse) || !strings.Contains(err.Error(), "no answer within 20ms") {
		t.Fatalf("err = %v", err)
	}
	if n := len(f.requests()); n != 2 {
		t.Errorf("GET sent %d times, want 2 (one retry)", n)
	}
}
