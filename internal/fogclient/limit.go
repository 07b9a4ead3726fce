// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"sync"
	"sync/atomic"
	"time"
)

// limitTransport caps the requests in flight (FOG's PHP worker pool is small)
// and times each attempt from taking a slot until its body is closed, so a
// body cut off or too slow fails like a reset connection.
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
	ctx, cancel := context.WithTimeout(req.Context(), t.timeout)
	a := &attempt{t: t, req: req, ctx: ctx, start: time.Now(), release: func() { cancel(); <-t.sem }}
	var written atomic.Bool
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteHeaderField: func(string, []string) { written.Store(true) },
		WroteHeaders:     func() { written.Store(true) },
	})
	resp, err := t.next.RoundTrip(req.WithContext(ctx))
	if err != nil {
		err = a.fail("no answer", err)
		a.end()
		if isWriteMethod(req.Method) && (written.Load() || !neverSent(err)) {
			return nil, &sentWriteError{err}
		}
		return nil, err
	}
	a.status = resp.StatusCode
	resp.Body = &attemptBody{ReadCloser: resp.Body, a: a}
	return resp, nil
}

type attempt struct {
	t       *limitTransport
	req     *http.Request
	ctx     context.Context // req's, with the timeout
	start   time.Time
	status  int
	err     error
	release func()
	once    sync.Once
}

func (a *attempt) fail(what string, err error) error {
	if a.ctx.Err() != nil && a.req.Context().Err() == nil {
		err = fmt.Errorf("%s within %s (the request timeout): %w", what, a.t.timeout, err)
	}
	a.err = err
	return err
}

func (a *attempt) end() {
	a.once.Do(func() {
		a.release()
		fields := map[string]any{"method": a.req.Method, "route": a.req.URL.Path, "duration": time.Since(a.start).String()}
		if a.err != nil {
			logTo(a.t.logger, a.req.Context(), LevelDebug, "FOG request attempt failed", fields)
			return
		}
		fields["status"] = a.status
		logTo(a.t.logger, a.req.Context(), LevelDebug, "FOG request attempt", fields)
	})
}

type attemptBody struct {
	io.ReadCloser
	a *attempt
}

func (b *attemptBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	switch {
	case err == nil || errors.Is(err, io.EOF):
		return n, err
	case b.a.err != nil:
		return n, b.a.err
	}
	return n, b.a.fail(fmt.Sprintf("HTTP %d, but the body did not arrive in full", b.a.status), fmt.Errorf("reading the answer: %w", err))
}

func (b *attemptBody) Close() error {
	err := b.ReadCloser.Close()
	b.a.end()
	return err
}

// keyedLocks serialises operations that share a key: two simultaneous creates
// of one name both answer 200 while one overwrites the other (INSERT ... ON
// DUPLICATE KEY UPDATE, edge recordings E, e-concurrent-create-04-a/-b).
type keyedLocks struct {
	mu    sync.Mutex
	locks map[string]*keyedLock
}

type keyedLock struct {
	ch   chan struct{}
	refs int
}

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
