// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"context"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// checkRetry is the one retry policy. Reads are retried on transient
// transport errors and 502/503/504; writes only when they never left (the
// dial failed), as FOG keeps running a request whose client went away
// (reference/fog-api.md §1.7). A 500 is an answer ("Already created"), never
// retried. How often is the request's retry account's to say (retries.next).
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return false, ctxErr
	}
	acct, _ := ctx.Value(retriesKey{}).(*retries)
	var sent *sentWriteError
	switch {
	case err == nil:
	case errors.Is(err, context.Canceled), errors.As(err, &sent):
		return false, nil
	default:
		if retry, _ := retryablehttp.DefaultRetryPolicy(ctx, nil, err); !retry {
			return false, nil
		}
		return acct.next(neverSent(err)), nil
	}
	if isWriteMethod(resp.Request.Method) {
		return false, nil
	}
	switch resp.StatusCode {
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		// A web server or PHP-FPM pool that restarts answers these for as
		// long as the restart takes.
		return acct.next(true), nil
	}
	return false, nil
}

// retries is one request's retry account: its retries against MaxRetries,
// and the time budget (RetryMaxWait) it may spend while FOG is down.
type retries struct {
	max     int
	counted int
	budget  *retryBudget
}

// next says whether to retry; down means FOG looked down (the request never
// reached it, or a read was answered 502/503/504). While FOG is down, the
// time budget alone decides, so that a restart longer than it fails after
// about that long, whatever MaxRetries says; without a budget, MaxRetries.
func (r *retries) next(down bool) bool {
	if r == nil {
		return false
	}
	if down && r.budget != nil && r.budget.max > 0 {
		return r.budget.allows(time.Now())
	}
	if r.counted < r.max {
		r.counted++
		return true
	}
	return false
}

// retryBudget is the time a request, or an operation's requests, may spend
// retrying while FOG is down, counted from the first such failure: a server
// restart takes seconds to a minute, far longer than a few quick retries.
type retryBudget struct {
	max      time.Duration
	mu       sync.Mutex
	deadline time.Time // zero until first spent
}

func (b *retryBudget) allows(now time.Time) bool {
	if b == nil || b.max <= 0 {
		return false
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.deadline.IsZero() {
		b.deadline = now.Add(b.max)
	}
	return now.Before(b.deadline)
}

type (
	retriesKey struct{}
	budgetKey  struct{}
)

// withRetryBudget gives the requests of one operation one budget: a write,
// the looks after its lost answer and its resends. An operation inside
// another keeps the outer one's.
func (c *Client) withRetryBudget(ctx context.Context) context.Context {
	if _, ok := ctx.Value(budgetKey{}).(*retryBudget); ok {
		return ctx
	}
	return context.WithValue(ctx, budgetKey{}, &retryBudget{max: c.retryMaxWait})
}

// withRetries opens the retry account of one request, on the operation's
// budget when there is one.
func (c *Client) withRetries(ctx context.Context) context.Context {
	b, _ := ctx.Value(budgetKey{}).(*retryBudget)
	if b == nil {
		b = &retryBudget{max: c.retryMaxWait}
	}
	return context.WithValue(ctx, retriesKey{}, &retries{max: c.maxRetries, budget: b})
}

// sentWriteError marks a failed write attempt that may have reached FOG.
type sentWriteError struct{ err error }

func (e *sentWriteError) Error() string { return e.err.Error() }
func (e *sentWriteError) Unwrap() error { return e.err }

// neverSent: the connection (to the server or a proxy) was never dialled.
func neverSent(err error) bool {
	for e := err; e != nil; {
		if op, ok := e.(*net.OpError); ok && op.Op == "dial" {
			return true
		}
		switch u := e.(type) {
		case interface{ Unwrap() error }:
			e = u.Unwrap()
		default:
			return false
		}
	}
	return false
}

// backoff is exponential with equal jitter, capped at hi; a 503's Retry-After
// is honoured up to hi.
func backoff(lo, hi time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil && resp.StatusCode == http.StatusServiceUnavailable {
		if s := resp.Header.Get("Retry-After"); s != "" {
			if secs, err := strconv.Atoi(strings.TrimSpace(s)); err == nil && secs >= 0 {
				d := time.Duration(secs) * time.Second
				if d > hi {
					d = hi
				}
				if d < lo {
					d = lo
				}
				return d
			}
		}
	}
	d := hi
	if attempt < 32 {
		if exp := lo << uint(attempt); exp > 0 && exp < hi {
			d = exp
		}
	}
	half := d / 2
	if half <= 0 {
		return d
	}
	return half + time.Duration(rand.Int64N(int64(half)+1))
}
