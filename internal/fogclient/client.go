// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/hashicorp/go-retryablehttp"
)

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
