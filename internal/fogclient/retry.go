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
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// checkRetry is the one retry policy. Reads are retried on transient
// transport errors and 502/503/504; writes only when they never left (the
// dial failed), as FOG keeps running a request whose client went away
// (reference/fog-api.md §1.7). A 500 is an answer ("Already created"), never retried.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return false, ctxErr
	}
	var sent *sentWriteError
	switch {
	case err == nil:
	case errors.Is(err, context.Canceled), errors.As(err, &sent):
		return false, nil
	default:
		retry, _ := retryablehttp.DefaultRetryPolicy(ctx, nil, err)
		return retry, nil
	}
	if isWriteMethod(resp.Request.Method) {
		return false, nil
	}
	switch resp.StatusCode {
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true, nil
	}
	return false, nil
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
