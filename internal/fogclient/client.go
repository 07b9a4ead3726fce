// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// Defaults used by DefaultConfig and applied by New to zero values.
const (
	DefaultTimeout = 30 * time.Second
	// DefaultMaxRetries also bounds how often a write whose answer was lost
	// is sent again, which only happens after a look showed that the lost one
	// did not land (ambiguous.go). Raise it for very unreliable networks.
	DefaultMaxRetries    = 3
	DefaultMaxConcurrent = 4
)

// Logger receives the client's request logs (method, route, status, duration,
// retries). It is compatible with retryablehttp.LeveledLogger. Messages never
// contain tokens, passwords or response bodies.
type Logger interface {
	Error(msg string, keysAndValues ...interface{})
	Info(msg string, keysAndValues ...interface{})
	Debug(msg string, keysAndValues ...interface{})
	Warn(msg string, keysAndValues ...interface{})
}

// Config configures a Client. Start from DefaultConfig.
type Config struct {
	// ServerURL is the FOG web server: "http://host", "http://host/" or
	// "http://host/fog" are all accepted.
	ServerURL string
	// APIToken and UserToken are sent exactly as the FOG UI shows them (the
	// base64 form) in the fog-api-token and fog-user-token headers.
	APIToken  string
	UserToken string
	// Username and Password, when set, are sent as HTTP Basic credentials.
	// FOG accepts them instead of a user token only where the web server passes
	// the Authorization header to PHP (mod_php, not the stock php-fpm setup).
	Username string
	Password string
	// CACertPEM is a PEM bundle of CAs to trust in addition to the system pool.
	CACertPEM string
	// Insecure disables TLS certificate verification. Off by default.
	Insecure bool
	// Timeout bounds each HTTP request (0 means DefaultTimeout).
	Timeout time.Duration
	// MaxRetries is how many times a safely repeatable request is retried,
	// and how many times a write whose answer was lost is sent again once a
	// look showed it had not landed (0 disables both; DefaultConfig sets
	// DefaultMaxRetries).
	MaxRetries int
	// RetryWaitMin and RetryWaitMax bound the exponential backoff between
	// retries (0 means 200ms and 5s).
	RetryWaitMin time.Duration
	RetryWaitMax time.Duration
	// MaxConcurrent caps requests in flight at once (0 means DefaultMaxConcurrent).
	// FOG runs on a small PHP worker pool.
	MaxConcurrent int
	// UserAgent is sent with every request (default "fogclient/<version>").
	UserAgent string
	// Logger receives request logs; nil discards them.
	Logger Logger
	// Transport is the base HTTP transport; nil builds one from
	// http.DefaultTransport (keeping ProxyFromEnvironment) with the TLS settings above.
	Transport http.RoundTripper
}

// DefaultConfig returns a Config with the stated defaults: 30 s per request,
// 5 retries, 4 concurrent requests.
func DefaultConfig() Config {
	return Config{
		Timeout:       DefaultTimeout,
		MaxRetries:    DefaultMaxRetries,
		MaxConcurrent: DefaultMaxConcurrent,
	}
}

// Version is this client's version, sent in the default User-Agent.
const Version = "0.1.0"

// Backoff bounds used when Config.RetryWaitMin/RetryWaitMax are zero.
const (
	DefaultRetryWaitMin = 200 * time.Millisecond
	DefaultRetryWaitMax = 5 * time.Second
)

// maxBodyBytes caps how much of a response the client reads. Task lists embed
// full host objects, so this is generous.
const maxBodyBytes = 64 << 20

// Client talks to one FOG server. It is safe for concurrent use.
type Client struct {
	base      *url.URL // normalised, e.g. http://fog.example.com/fog
	apiToken  string
	userToken string
	username  string
	password  string
	userAgent string
	logger    Logger
	http      *retryablehttp.Client
	locks     keyedLocks
	writes    *writeLog // shared by every Client of this server
}

// New validates cfg and builds a Client. It does not contact the server; call
// Status for a credentials check.
func New(cfg Config) (*Client, error) {
	base, err := normaliseServerURL(cfg.ServerURL)
	if err != nil {
		return nil, err
	}
	cfg.APIToken = strings.TrimSpace(cfg.APIToken)
	cfg.UserToken = strings.TrimSpace(cfg.UserToken)
	switch {
	case cfg.APIToken == "":
		return nil, configError("APIToken is required (the base64 value shown in FOG Configuration > FOG Settings > API System)")
	case cfg.UserToken == "" && cfg.Username == "":
		return nil, configError("either UserToken or Username/Password is required")
	case cfg.Password != "" && cfg.Username == "":
		return nil, configError("Password is set without Username")
	case !validHeaderValue(cfg.APIToken) || !validHeaderValue(cfg.UserToken):
		return nil, configError("tokens must be printable ASCII (paste them exactly as the FOG UI shows them)")
	case cfg.Timeout < 0, cfg.MaxRetries < 0, cfg.MaxConcurrent < 0, cfg.RetryWaitMin < 0, cfg.RetryWaitMax < 0:
		return nil, configError("Timeout, MaxRetries, MaxConcurrent and the retry waits must not be negative")
	case cfg.Insecure && strings.TrimSpace(cfg.CACertPEM) != "":
		return nil, configError("CACertPEM and Insecure are mutually exclusive")
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.MaxConcurrent == 0 {
		cfg.MaxConcurrent = DefaultMaxConcurrent
	}
	if cfg.RetryWaitMin == 0 {
		cfg.RetryWaitMin = DefaultRetryWaitMin
	}
	if cfg.RetryWaitMax == 0 {
		cfg.RetryWaitMax = DefaultRetryWaitMax
	}
	if cfg.RetryWaitMax < cfg.RetryWaitMin {
		cfg.RetryWaitMax = cfg.RetryWaitMin
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = "fogclient/" + Version
	}

	transport, err := buildTransport(cfg)
	if err != nil {
		return nil, err
	}
	c := &Client{
		base:      base,
		apiToken:  cfg.APIToken,
		userToken: cfg.UserToken,
		username:  cfg.Username,
		password:  cfg.Password,
		userAgent: cfg.UserAgent,
		logger:    cfg.Logger,
		writes:    writeLogFor(base.String()),
	}
	lt := &limitTransport{next: transport, sem: make(chan struct{}, cfg.MaxConcurrent), timeout: cfg.Timeout, logger: cfg.Logger}
	c.http = &retryablehttp.Client{
		HTTPClient: &http.Client{
			// No http.Client.Timeout: limitTransport times each attempt from
			// the moment it holds a concurrency slot, so that waiting behind
			// other requests does not eat into Config.Timeout.
			Transport: lt,
			// Never follow redirects: FOG's 302s mean "API disabled" or "use
			// https", and following them would turn a PUT into a GET of the
			// HTML login page (fog-api.md 1.3).
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		Logger:         nil, // the client logs through Config.Logger itself, without URLs or bodies
		RetryWaitMin:   cfg.RetryWaitMin,
		RetryWaitMax:   cfg.RetryWaitMax,
		RetryMax:       cfg.MaxRetries,
		CheckRetry:     checkRetry,
		Backoff:        backoff,
		ErrorHandler:   retryablehttp.PassthroughErrorHandler,
		RequestLogHook: c.logAttempt,
	}
	return c, nil
}

// configError is returned by New for an unusable Config.
func configError(msg string) error {
	return fmt.Errorf("fogclient: invalid configuration: %s: %w", msg, ErrInvalidArgument)
}

func validHeaderValue(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// normaliseServerURL accepts "http://host", "http://host/", "http://host/fog"
// and "http://host/fog/" (and a FOG installed below a prefix, such as
// "https://host/prefix/fog") and returns the API base ending in "/fog".
func normaliseServerURL(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, configError("ServerURL is required, e.g. http://fog.example.com")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, configError("ServerURL is not a URL")
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, configError("ServerURL must start with http:// or https://")
	case u.Host == "":
		return nil, configError("ServerURL has no host")
	case u.User != nil:
		return nil, configError("ServerURL must not carry credentials; use Username and Password")
	case u.RawQuery != "" || u.Fragment != "" || u.ForceQuery:
		return nil, configError("ServerURL must not have a query or fragment")
	}
	p := strings.TrimRight(u.Path, "/")
	if !strings.HasSuffix(p, "/fog") {
		p += "/fog"
	}
	return &url.URL{Scheme: u.Scheme, Host: u.Host, Path: p}, nil
}

// buildTransport returns the base transport: Config.Transport, or a clone of
// http.DefaultTransport (which keeps ProxyFromEnvironment), with the TLS
// settings applied.
func buildTransport(cfg Config) (http.RoundTripper, error) {
	wantTLS := cfg.Insecure || strings.TrimSpace(cfg.CACertPEM) != ""
	var t *http.Transport
	switch base := cfg.Transport.(type) {
	case nil:
		dt, ok := http.DefaultTransport.(*http.Transport)
		if !ok {
			return nil, configError("http.DefaultTransport is not an *http.Transport; set Config.Transport")
		}
		t = dt.Clone()
	case *http.Transport:
		t = base.Clone()
	default:
		if wantTLS {
			return nil, configError("CACertPEM and Insecure need Transport to be nil or an *http.Transport")
		}
		return base, nil
	}
	if t.Proxy == nil && cfg.Transport == nil {
		t.Proxy = http.ProxyFromEnvironment
	}
	if !wantTLS {
		return t, nil
	}
	tlsCfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if t.TLSClientConfig != nil {
		tlsCfg = t.TLSClientConfig.Clone()
	}
	if cfg.Insecure {
		tlsCfg.InsecureSkipVerify = true // #nosec G402 -- explicit opt-in
	}
	if pem := strings.TrimSpace(cfg.CACertPEM); pem != "" {
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM([]byte(pem)) {
			return nil, configError("CACertPEM holds no PEM certificate")
		}
		tlsCfg.RootCAs = pool
	}
	t.TLSClientConfig = tlsCfg
	return t, nil
}

// BaseURL returns the normalised API base, e.g. "http://fog.example.com/fog".
func (c *Client) BaseURL() string { return c.base.String() }

// Status checks that the API is enabled and the credentials are accepted
// (GET /fog/system/status, which answers 200 "success\n").
func (c *Client) Status(ctx context.Context) error {
	body, err := c.do(ctx, call{method: http.MethodGet, path: "/system/status"})
	if err != nil {
		return err
	}
	if strings.TrimSpace(string(body)) != "success" {
		return &Error{Kind: ErrUnexpectedResponse, Method: http.MethodGet, Route: c.route("/system/status"), Status: http.StatusOK,
			Err: errors.New(`expected the body "success"`)}
	}
	return nil
}

// call is one logical API request.
type call struct {
	method string
	path   string // below the base, e.g. "/image/3/edit"
	body   any    // JSON-encoded when non-nil; on GET it is FOG's filter
	// task marks POST /fog/host/{id}/task, whose 500 {"error": ...} answers
	// are task refusals (fog-api.md 7.2).
	task bool
	// stream, when set, decodes a 2xx JSON answer while it arrives (lists,
	// stream.go), within the attempt: a body cut off or too slow fails the
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

// listItem decodes one element of a list with decode (which unmarshals the
// element into its argument, like json.Unmarshal).
type listItem func(decode func(any) error) error

// getList GETs path (with an optional JSON filter body) and decodes the list
// under the plural key, calling item for each element as it arrives.
// reset is called before each decoding, so that a retried attempt starts
// from an empty list.
func (c *Client) getList(ctx context.Context, path, plural string, filter any, reset func(), item listItem) error {
	streamed := false
	body, err := c.do(ctx, call{method: http.MethodGet, path: path, body: filter, stream: func(r io.Reader) error {
		streamed = true
		reset()
		return decodeListStream(r, plural, item)
	}})
	if err != nil || streamed {
		return err
	}
	reset()
	if err := decodeList(body, plural, func(raw json.RawMessage) error {
		return item(func(v any) error { return json.Unmarshal(raw, v) })
	}); err != nil {
		return c.decodeFailure(http.MethodGet, path, err)
	}
	return nil
}

// listOf decodes every element of a list with decode.
func listOf[W any, T any](ctx context.Context, c *Client, path, plural string, filter any, conv func(*W) T) ([]T, error) {
	var out []T
	err := c.getList(ctx, path, plural, filter, func() { out = out[:0] }, func(decode func(any) error) error {
		var w W
		if err := decode(&w); err != nil {
			return err
		}
		out = append(out, conv(&w))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ---- logging -------------------------------------------------------------

// log writes one request line: method, route, status and duration only.
func (c *Client) log(level, msg, method, route string, status int, start time.Time) {
	if c.logger == nil {
		return
	}
	kv := []interface{}{"method", method, "route", route, "status", status, "duration", time.Since(start).String()}
	switch level {
	case "error":
		c.logger.Error(msg, kv...)
	case "info":
		c.logger.Info(msg, kv...)
	default:
		c.logger.Debug(msg, kv...)
	}
}

// logAttempt is retryablehttp's RequestLogHook: it logs retries.
func (c *Client) logAttempt(_ retryablehttp.Logger, req *http.Request, attempt int) {
	if c.logger == nil || attempt == 0 {
		return
	}
	method, route := req.Method, req.URL.Path
	if st, ok := req.Context().Value(attemptStateKey{}).(*attemptState); ok {
		method, route = st.method, st.route
	}
	c.logger.Warn("FOG request retry", "method", method, "route", route, "attempt", attempt+1)
}

// ---- retries -------------------------------------------------------------

type attemptStateKey struct{}

// attemptState follows one logical request across its attempts.
type attemptState struct {
	method string
	route  string
	// wrote is set as soon as any byte of the request may have been written
	// to a connection; a write request is then never repeated.
	wrote atomic.Bool
	// stream is call.stream; limitTransport sets streamed and streamErr
	// when an attempt's answer was decoded by it.
	stream    func(io.Reader) error
	streamed  bool
	streamErr error
}

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
	st, _ := ctx.Value(attemptStateKey{}).(*attemptState)
	idempotent := st == nil || st.method == http.MethodGet || st.method == http.MethodHead
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return false, nil
		}
		if !idempotent {
			return neverSent(err) && (st == nil || !st.wrote.Load()), nil
		}
		retry, _ := retryablehttp.DefaultRetryPolicy(ctx, nil, err)
		return retry, nil
	}
	if !idempotent {
		return false, nil
	}
	switch resp.StatusCode {
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true, nil
	}
	return false, nil
}

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
			// A list: decoded while it arrives, not held whole (stream.go).
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

// phpWarningsRe matches the warnings PHP prints with display_errors=On, as
// they look after FOG's whitespace filter: "<br /><b>Warning</b>: ... on
// line <b>N</b><br />".
var phpWarningsRe = regexp.MustCompile(`(?s)^\s*(?:<br\s*/?>\s*<b>(?:Warning|Notice|Deprecated|Strict Standards)</b>:.*? on line <b>\d+</b>\s*<br\s*/?>\s*)+`)

// stripPHPWarnings removes PHP warnings printed before a JSON answer. FOG
// buffers its output, so such an answer keeps its status and its
// application/json type; PHP 8 emits warnings on ordinary requests (every
// PUT without "name", fog-api.md 4.6), which would otherwise make a server
// with display_errors=On fail every update after applying it. Fatal errors
// are not warnings and are never stripped; a text/html answer is never
// trusted (classify).
func stripPHPWarnings(h http.Header, body []byte) ([]byte, bool) {
	if mediaType(h.Get("Content-Type")) != "application/json" || !bytes.HasPrefix(bytes.TrimSpace(body), []byte("<")) {
		return body, false
	}
	loc := phpWarningsRe.FindIndex(body)
	if loc == nil {
		return body, false
	}
	return body[loc[1]:], true
}
