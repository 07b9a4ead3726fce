// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// maxBodyBytes caps an answer that is read whole.
const maxBodyBytes = 64 << 20

// call is one logical API request.
type call struct {
	method string
	path   string // below the base, e.g. "/image/3/edit"
	body   any    // JSON-encoded when non-nil; on GET it is FOG's filter
	// task: the 500 {"error": ...} answers of POST /fog/host/{id}/task are
	// task refusals (reference/fog-api.md §7.2).
	task bool
	// stream decodes a 2xx JSON list while it arrives (lists.go); each retry
	// calls it again from the start. do then returns no body.
	stream func(io.Reader) error
}

func (c *Client) route(path string) string { return c.base.Path + path }

// do sends one request, retried where safe, and returns the body of a 2xx
// JSON answer, or an *Error.
func (c *Client) do(ctx context.Context, cl call) ([]byte, error) {
	route := c.route(cl.path)
	fail := func(kind error, status int, err error) error {
		return &Error{Kind: kind, Method: cl.method, Route: route, Status: status, Err: err}
	}
	if err := ctx.Err(); err != nil {
		return nil, fail(err, 0, nil)
	}
	req, err := c.newRequest(c.withRetries(ctx), cl.method, route, cl.body)
	if err != nil {
		return nil, fail(ErrInvalidArgument, 0, err)
	}
	var ans answer
	req.SetResponseHandler(func(resp *http.Response) error {
		ans.read(resp, cl.stream)
		if ans.readErr != nil && !isWriteMethod(cl.method) {
			return ans.readErr // a read cut off is retried whole (checkRetry)
		}
		// A write's lost answer is settled by looking (lostwrites.go), and a
		// body that arrived in full would not decode better a second time.
		return nil
	})

	if isWriteMethod(cl.method) {
		defer c.writes.record(cl.path)
	}
	start := time.Now()
	resp, err := c.http.Do(req)
	if resp != nil && ans.resp != resp {
		// A 502/503/504 with no retry left: retryablehttp skips the handler.
		if err == nil {
			ans.read(resp, nil)
		} else {
			_ = resp.Body.Close()
		}
	}
	if err == nil {
		err = ans.readErr
	}
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			c.logRequest(ctx, LevelError, "FOG request cancelled", cl.method, route, 0, start)
			return nil, fail(ctxErr, 0, nil)
		}
		c.logRequest(ctx, LevelError, "FOG request failed without a response", cl.method, route, 0, start)
		return nil, fail(ErrNoResponse, 0, err)
	}
	c.logRequest(ctx, LevelInfo, "FOG request", cl.method, route, resp.StatusCode, start)
	if ans.streamed {
		switch {
		case ans.decodeErr == nil:
			return nil, nil
		case ctx.Err() != nil:
			return nil, fail(ctx.Err(), resp.StatusCode, nil)
		}
		return nil, c.decodeFailure(cl.method, cl.path, ans.decodeErr)
	}
	body := ans.body
	if len(body) > maxBodyBytes {
		return nil, fail(ErrUnexpectedResponse, resp.StatusCode, errors.New("response body too large"))
	}
	if stripped, ok := stripPHPWarnings(resp.Header, body); ok {
		body = stripped
		c.log(ctx, LevelWarn, "FOG printed PHP warnings before its JSON answer (display_errors is on); they were ignored",
			map[string]any{"method": cl.method, "route": route, "status": resp.StatusCode})
	}
	if err := classify(cl.method, route, resp.Request.URL, cl.task, resp.StatusCode, resp.Header, body); err != nil {
		return nil, err
	}
	return body, nil
}

func (c *Client) newRequest(ctx context.Context, method, route string, body any) (*retryablehttp.Request, error) {
	var raw any // a nil []byte would still be a body
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		raw = b
	}
	u := *c.base
	u.Path = route
	// FOG does not URL-decode the path (reference/fog-api.md §2.3): send it as built.
	u.RawPath = route
	req, err := retryablehttp.NewRequestWithContext(ctx, method, u.String(), raw)
	if err != nil {
		return nil, err
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
	return req, nil
}

// answer is what one attempt received.
type answer struct {
	resp      *http.Response
	body      []byte
	streamed  bool
	decodeErr error // from stream, on a body that arrived in full
	readErr   error
}

// read reads or streams resp's body and closes it, ending the attempt.
func (a *answer) read(resp *http.Response, stream func(io.Reader) error) {
	*a = answer{resp: resp}
	defer func() { _ = resp.Body.Close() }()
	rec := &readErrorRecorder{r: resp.Body}
	var r io.Reader = rec
	if stream != nil && streamable(resp) {
		br := bufio.NewReaderSize(rec, 64<<10)
		if first, ok := peekNonSpace(br); ok && first != '<' {
			a.streamed = true
			a.decodeErr = stream(br)
			a.readErr = rec.err
			return
		}
		// PHP warnings before the JSON (display_errors=On): do strips them.
		r = br
	}
	a.body, _ = io.ReadAll(io.LimitReader(r, maxBodyBytes+1))
	a.readErr = rec.err
}

func streamable(resp *http.Response) bool {
	return resp.StatusCode >= 200 && resp.StatusCode <= 299 && mediaType(resp.Header.Get("Content-Type")) == "application/json"
}

func peekNonSpace(br *bufio.Reader) (byte, bool) {
	for n := 1; ; n++ {
		b, err := br.Peek(n)
		if len(b) < n {
			return 0, false
		}
		if c := b[n-1]; c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			return c, true
		}
		if err != nil || n == br.Size() {
			return 0, false
		}
	}
}

// readErrorRecorder tells a connection lost mid-body from a body that is not JSON.
type readErrorRecorder struct {
	r   io.Reader
	err error
}

func (r *readErrorRecorder) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		r.err = err
	}
	return n, err
}

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

// writeObject sends a write whose answer is the object as FOG now has it.
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
