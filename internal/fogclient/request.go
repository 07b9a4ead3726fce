// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptrace"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// maxBodyBytes caps how much of a response the client reads. Task lists embed
// full host objects, so this is generous.
const maxBodyBytes = 64 << 20

// call is one logical API request.
type call struct {
	method string
	path   string // below the base, e.g. "/image/3/edit"
	body   any    // JSON-encoded when non-nil; on GET it is FOG's filter
	// task marks POST /fog/host/{id}/task, whose 500 {"error": ...} answers
	// are task refusals (fog-api.md 7.2).
	task bool
	// stream, when set, decodes a 2xx JSON answer while it arrives (lists,
	// lists.go), within the attempt: a body cut off or too slow fails the
	// attempt like a reset connection, and a retry calls stream again from
	// the start (it must drop what an earlier attempt collected). do then
	// returns no body.
	stream func(io.Reader) error
}

// route is the request path as errors and logs show it.
func (c *Client) route(path string) string { return c.base.Path + path }

// do performs one logical request (with retries where safe) and returns the
// body of a 2xx JSON answer, or an *Error.
func (c *Client) do(ctx context.Context, cl call) ([]byte, error) {
	route := c.route(cl.path)
	fail := func(kind error, status int, err error) error {
		return &Error{Kind: kind, Method: cl.method, Route: route, Status: status, Err: err}
	}
	if err := ctx.Err(); err != nil {
		return nil, fail(err, 0, nil)
	}
	var raw any // nil interface: no body at all
	if cl.body != nil {
		b, err := json.Marshal(cl.body)
		if err != nil {
			return nil, fail(ErrInvalidArgument, 0, err)
		}
		// A []byte body is rewound by retryablehttp before every attempt,
		// also for GET requests that carry a filter.
		raw = b
	}

	st := &attemptState{method: cl.method, route: route, stream: cl.stream}
	actx := context.WithValue(ctx, attemptStateKey{}, st)
	actx = httptrace.WithClientTrace(actx, &httptrace.ClientTrace{
		WroteHeaderField: func(string, []string) { st.wrote.Store(true) },
		WroteHeaders:     func() { st.wrote.Store(true) },
	})
	u := *c.base
	u.Path = route
	// FOG reads the raw path without URL-decoding it (fog-api.md 2.3), so
	// what the caller built is sent as is (search terms keep their "+").
	u.RawPath = route
	req, err := retryablehttp.NewRequestWithContext(actx, cl.method, u.String(), raw)
	if err != nil {
		return nil, fail(ErrInvalidArgument, 0, err)
	}
	req.Header.Set("fog-api-token", c.apiToken)
	if c.userToken != "" {
		req.Header.Set("fog-user-token", c.userToken)
	}
	if c.username != "" {
		req.SetBasicAuth(c.username, c.password)
	}
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set("Accept", "application/json")
	if raw != nil {
		req.Header.Set("Content-Type", "application/json")
	}

	if isWriteMethod(cl.method) {
		// Whatever the outcome, the write may have been applied.
		defer c.writes.record(cl.path)
	}
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			c.log("error", "FOG request cancelled", cl.method, route, 0, start)
			return nil, fail(ctxErr, 0, nil)
		}
		c.log("error", "FOG request failed without a response", cl.method, route, 0, start)
		return nil, fail(ErrNoResponse, 0, err)
	}
	defer func() { _ = resp.Body.Close() }()
	if st.streamed {
		c.log("info", "FOG request", cl.method, route, resp.StatusCode, start)
		switch {
		case st.streamErr == nil:
			return nil, nil
		case ctx.Err() != nil:
			return nil, fail(ctx.Err(), resp.StatusCode, nil)
		}
		return nil, c.decodeFailure(cl.method, cl.path, st.streamErr)
	}
	body, readErr := io.ReadAll(io.LimitReader(resp.Body, maxBodyBytes+1))
	c.log("info", "FOG request", cl.method, route, resp.StatusCode, start)
	if readErr != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, fail(ctxErr, resp.StatusCode, nil)
		}
		return nil, fail(ErrNoResponse, resp.StatusCode, readErr)
	}
	if len(body) > maxBodyBytes {
		return nil, fail(ErrUnexpectedResponse, resp.StatusCode, errors.New("response body too large"))
	}
	if stripped, ok := stripPHPWarnings(resp.Header, body); ok {
		body = stripped
		if c.logger != nil {
			c.logger.Warn("FOG printed PHP warnings before its JSON answer (display_errors is on); they were ignored",
				"method", cl.method, "route", route, "status", resp.StatusCode)
		}
	}
	if err := classify(cl.method, route, resp.Request.URL, cl.task, resp.StatusCode, resp.Header, body); err != nil {
		return nil, err
	}
	return body, nil
}

// decodeFailure wraps a body that is JSON but not the expected shape.
func (c *Client) decodeFailure(method, path string, err error) error {
	e := &Error{Kind: ErrUnexpectedResponse, Method: method, Route: c.route(path), Status: http.StatusOK}
	var fm *fogMessageError
	if errors.As(err, &fm) {
		e.Message = truncate(fm.msg, maxMessageLen)
	} else {
		e.Err = err
	}
	return e
}

// getObject GETs path and decodes one object into v.
func (c *Client) getObject(ctx context.Context, path string, v any) ([]byte, error) {
	body, err := c.do(ctx, call{method: http.MethodGet, path: path})
	if err != nil {
		return nil, err
	}
	if err := decodeObject(body, v); err != nil {
		return nil, c.decodeFailure(http.MethodGet, path, err)
	}
	return body, nil
}

// ---- shared: updates and deletes ---------------------------------------------------

// writeObject sends a write whose answer is the object as FOG has it now.
func writeObject[T any](ctx context.Context, c *Client, method, path string, body map[string]any,
	decode func([]byte) (*T, error)) (*T, error) {
	resp, err := c.do(ctx, call{method: method, path: path, body: body})
	if err != nil {
		return nil, err
	}
	obj, err := decode(resp)
	if err != nil {
		return nil, c.decodeFailure(method, path, err)
	}
	return obj, nil
}
