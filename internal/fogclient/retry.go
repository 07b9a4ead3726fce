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

// checkRetry is the one retry policy (go-retryablehttp CheckRetry):
//   - never when the caller's context is done;
//   - GET/HEAD: on transport errors that may be transient (not TLS
//     verification, bad scheme and the like) and on 502, 503, 504;
//   - POST/PUT/DELETE: only when the request provably never reached the
//     server (the dial failed, nothing was written). FOG keeps running a
//     request whose client went away (ignore_user_abort), so a repeated
//     create can collide with the first one (fog-api.md 1.7);
//   - never on 500 (FOG's real answers such as "Already created"), 501, or
//     persistent conditions (302 API disabled, 401, 403).
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

// sentWriteError marks the transport error of a write attempt that may have
// reached FOG (limitTransport sees every attempt): checkRetry never repeats it.
type sentWriteError struct{ err error }

func (e *sentWriteError) Error() string { return e.err.Error() }
func (e *sentWriteError) Unwrap() error { return e.err }

// neverSent reports whether err proves the request never left the client:
// the connection (to the server or to the proxy) could not be dialled.
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

// backoff is exponential with equal jitter: a random wait between half and
// all of lo*2^attempt, capped at hi. A 503's Retry-After is honoured up to hi.
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
