// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Defaults used by DefaultConfig and applied by New to zero values.
const (
	DefaultTimeout = 30 * time.Second
	// DefaultMaxRetries also bounds how often a write whose answer was lost
	// is sent again, which only happens after a look showed that the lost one
	// did not land (lostwrites.go). Raise it for very unreliable networks.
	DefaultMaxRetries    = 3
	DefaultMaxConcurrent = 4
)

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
