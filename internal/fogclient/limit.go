// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"
)

// ---- concurrency ---------------------------------------------------------

// limitTransport caps the requests in flight (FOG's PHP worker pool is small)
// and bounds each attempt by Config.Timeout. It reads the whole answer within
// the attempt, so that an answer cut off or too slow in its body is a failed
// attempt like a reset connection: retried for reads by the one retry
// policy (checkRetry), and a lost answer for writes. A slot is held from
// sending a request until its body is read, and not while a retry waits; the
// timeout runs from taking the slot.
type limitTransport struct {
	next    http.RoundTripper
	sem     chan struct{}
	timeout time.Duration
	logger  Logger
}

func (t *limitTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	select {
	case t.sem <- struct{}{}:
	case <-req.Context().Done():
		if req.Body != nil {
			_ = req.Body.Close()
		}
		return nil, req.Context().Err()
	}
	defer func() { <-t.sem }()
	start := time.Now()
	ctx, cancel := context.WithTimeout(req.Context(), t.timeout)
	defer cancel()
	timedOut := func() bool { return ctx.Err() != nil && req.Context().Err() == nil }
	fail := func(what string, err error) (*http.Response, error) {
		if timedOut() {
			err = fmt.Errorf("%s within %s (the request timeout): %w", what, t.timeout, err)
		}
		if t.logger != nil {
			t.logger.Debug("FOG request attempt failed", "method", req.Method, "route", req.URL.Path,
				"duration", time.Since(start).String())
		}
		return nil, err
	}
	resp, err := t.next.RoundTrip(req.WithContext(ctx))
	if err != nil {
		return fail("no answer", err)
	}
	var reader io.Reader = resp.Body
	if st, _ := req.Context().Value(attemptStateKey{}).(*attemptState); st != nil && st.stream != nil && streamable(resp) {
		br := bufio.NewReaderSize(resp.Body, 64<<10)
		reader = br
		if first, ok := peekNonSpace(br); ok && first != '<' {
			// A list: decoded while it arrives, not held whole (lists.go).
			rec := &readErrorRecorder{r: br}
			decodeErr := st.stream(rec)
			_ = resp.Body.Close()
			if rec.err != nil {
				return fail(fmt.Sprintf("HTTP %d, but the body did not arrive in full", resp.StatusCode), fmt.Errorf("reading the answer: %w", rec.err))
			}
			st.streamed, st.streamErr = true, decodeErr
			if t.logger != nil {
				t.logger.Debug("FOG request attempt", "method", req.Method, "route", req.URL.Path,
					"status", resp.StatusCode, "duration", time.Since(start).String())
			}
			resp.Body = io.NopCloser(bytes.NewReader(nil))
			resp.ContentLength = 0
			return resp, nil
		}
		// Empty, or PHP warnings before the JSON (display_errors=On): the
		// ordinary path strips them or reports the answer.
	}
	body, err := io.ReadAll(io.LimitReader(reader, maxBodyBytes+1))
	_ = resp.Body.Close()
	if err != nil {
		return fail(fmt.Sprintf("HTTP %d, but the body did not arrive in full", resp.StatusCode), fmt.Errorf("reading the answer: %w", err))
	}
	if t.logger != nil {
		t.logger.Debug("FOG request attempt", "method", req.Method, "route", req.URL.Path,
			"status", resp.StatusCode, "duration", time.Since(start).String())
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	return resp, nil
}

// keyedLocks serialises operations that share a key (creates of one name:
// FOG's INSERT ... ON DUPLICATE KEY UPDATE lets two simultaneous creates of
// the same name both answer 200 while one overwrites the other, edge
// recordings E, e-concurrent-create-04-a/-b). Waiting honours ctx.
type keyedLocks struct {
	mu    sync.Mutex
	locks map[string]*keyedLock
}

type keyedLock struct {
	ch   chan struct{}
	refs int
}

// lock acquires key and returns its unlock function.
func (k *keyedLocks) lock(ctx context.Context, key string) (func(), error) {
	k.mu.Lock()
	if k.locks == nil {
		k.locks = make(map[string]*keyedLock)
	}
	l := k.locks[key]
	if l == nil {
		l = &keyedLock{ch: make(chan struct{}, 1)}
		k.locks[key] = l
	}
	l.refs++
	k.mu.Unlock()

	drop := func() {
		k.mu.Lock()
		l.refs--
		if l.refs == 0 {
			delete(k.locks, key)
		}
		k.mu.Unlock()
	}
	select {
	case l.ch <- struct{}{}:
	case <-ctx.Done():
		drop()
		return nil, ctx.Err()
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			<-l.ch
			drop()
		})
	}, nil
}
