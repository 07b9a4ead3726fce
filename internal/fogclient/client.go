// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"context"
	"errors"
	"math"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// Client talks to one FOG server. It is safe for concurrent use.
type Client struct {
	base      *url.URL // e.g. http://fog.example.com/fog
	apiToken  string
	userToken string
	username  string
	password  string
	userAgent string
	logger    Logger
	http      *retryablehttp.Client
	locks     keyedLocks
	writes    *writeLog // shared by every Client of this server
	// maxRetries bounds retries (checkRetry) and resends after a look
	// (beforeResend); retryMaxWait is the time budget while FOG is down.
	maxRetries   int
	retryMaxWait time.Duration
	// coalesceWindow is how long a batched read waits for others
	// (coalesce.go); negative: reads are never batched.
	coalesceWindow time.Duration
	batched        coalescedReads
	unassigned     unassignLog // HostsLeftOnImage
	lists          *listMemory // shared by every Client of this server
	largeServer    bool        // Config.LargeServer
}

// New validates cfg and builds a Client without contacting the server; Status
// checks the credentials.
func New(cfg Config) (*Client, error) {
	cfg, base, err := cfg.checked()
	if err != nil {
		return nil, err
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
		lists:     listMemoryFor(base.String()),

		coalesceWindow: cfg.CoalesceWindow,
		largeServer:    cfg.LargeServer,

		maxRetries:   cfg.MaxRetries,
		retryMaxWait: cfg.RetryMaxWait,
	}
	lt := &limitTransport{next: transport, sem: make(chan struct{}, cfg.MaxConcurrent), timeout: cfg.Timeout, logger: cfg.Logger}
	c.http = &retryablehttp.Client{
		HTTPClient: &http.Client{
			// No Timeout here: waiting for a slot must not count (limitTransport).
			Transport: lt,
			// FOG's 302s mean "API disabled" or "use https"; following one
			// would turn a PUT into a GET of the login page (reference/fog-api.md §1.3).
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		RetryWaitMin: cfg.RetryWaitMin,
		RetryWaitMax: cfg.RetryWaitMax,
		// The count and the time budget are the request's retry account's
		// to keep (checkRetry).
		RetryMax:       math.MaxInt32,
		CheckRetry:     checkRetry,
		Backoff:        backoff,
		ErrorHandler:   retryablehttp.PassthroughErrorHandler,
		RequestLogHook: c.logAttempt,
	}
	return c, nil
}

// BaseURL returns the API base, e.g. "http://fog.example.com/fog".
func (c *Client) BaseURL() string { return c.base.String() }

// Status checks that the API is enabled and the credentials are accepted
// (GET /fog/system/status answers 200 "success\n").
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
