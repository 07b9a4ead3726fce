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

// Defaults of DefaultConfig; New applies them to zero values.
const (
	DefaultTimeout       = 30 * time.Second
	DefaultMaxRetries    = 3
	DefaultMaxConcurrent = 4
	DefaultRetryWaitMin  = 200 * time.Millisecond
	DefaultRetryWaitMax  = 5 * time.Second
	DefaultRetryMaxWait  = 60 * time.Second
)

// Version is sent in the default User-Agent.
const Version = "0.1.0"

// Config configures a Client. Start from DefaultConfig.
type Config struct {
	// ServerURL: "http://host", "http://host/fog" or "https://host/prefix/fog".
	ServerURL string
	// APIToken and UserToken are the base64 values the FOG UI shows.
	APIToken  string
	UserToken string
	// Username and Password are sent as HTTP Basic credentials. FOG accepts
	// them instead of a user token only where the web server passes the
	// Authorization header to PHP (mod_php, not the stock php-fpm setup).
	Username  string
	Password  string
	CACertPEM string // CAs trusted besides the system pool
	Insecure  bool
	// Timeout bounds each attempt, from the moment it holds a slot.
	Timeout time.Duration
	// MaxRetries bounds the retries of a read, and how often a write whose
	// answer was lost is sent again after a look showed it had not landed.
	MaxRetries   int
	RetryWaitMin time.Duration
	RetryWaitMax time.Duration
	// RetryMaxWait is how long requests are retried while FOG is down, in
	// place of MaxRetries: a request that never reached it (connection
	// refused, a name that does not resolve) and a read answered 502/503/504
	// (a restarting web server or PHP pool). It counts from the first such
	// failure (the last retry may start up to RetryWaitMax later); a write,
	// the looks after its lost answer and its resends share one. Zero leaves
	// these failures to MaxRetries.
	RetryMaxWait time.Duration
	// MaxConcurrent caps the requests in flight: FOG's PHP worker pool is small.
	MaxConcurrent int
	UserAgent     string
	Logger        Logger // nil discards the logs
	// Transport is the base transport; nil clones http.DefaultTransport.
	Transport http.RoundTripper
	// CoalesceWindow is how long a read that can be batched (ReadHost,
	// ReadHostsWithImage) waits for concurrent reads to join it; 0 means
	// DefaultCoalesceWindow, negative disables batching.
	CoalesceWindow time.Duration
	// LargeServer declares a server whose full host list is too large to
	// ask for (thousands of hosts): FullListExpensive("host") is true from
	// the start, so reads of hosts go by id, batched, in every process.
	LargeServer bool
}

// DefaultConfig returns a Config with the Default* values.
func DefaultConfig() Config {
	return Config{
		Timeout:       DefaultTimeout,
		MaxRetries:    DefaultMaxRetries,
		MaxConcurrent: DefaultMaxConcurrent,
		RetryMaxWait:  DefaultRetryMaxWait,
	}
}

// checked validates cfg and fills in the defaults; base is the API base.
func (cfg Config) checked() (_ Config, base *url.URL, _ error) {
	base, err := normaliseServerURL(cfg.ServerURL)
	if err != nil {
		return cfg, nil, err
	}
	if cfg.CoalesceWindow == 0 {
		cfg.CoalesceWindow = DefaultCoalesceWindow
	}
	cfg.APIToken = strings.TrimSpace(cfg.APIToken)
	cfg.UserToken = strings.TrimSpace(cfg.UserToken)
	switch {
	case cfg.APIToken == "":
		return cfg, nil, configError("APIToken is required (the base64 value shown in FOG Configuration > FOG Settings > API System)")
	case cfg.UserToken == "" && cfg.Username == "":
		return cfg, nil, configError("either UserToken or Username/Password is required")
	case cfg.Password != "" && cfg.Username == "":
		return cfg, nil, configError("Password is set without Username")
	case !validHeaderValue(cfg.APIToken) || !validHeaderValue(cfg.UserToken):
		return cfg, nil, configError("tokens must be printable ASCII (paste them exactly as the FOG UI shows them)")
	case cfg.Timeout < 0, cfg.MaxRetries < 0, cfg.MaxConcurrent < 0, cfg.RetryWaitMin < 0, cfg.RetryWaitMax < 0, cfg.RetryMaxWait < 0:
		return cfg, nil, configError("Timeout, MaxRetries, MaxConcurrent and the retry waits must not be negative")
	case cfg.Insecure && strings.TrimSpace(cfg.CACertPEM) != "":
		return cfg, nil, configError("CACertPEM and Insecure are mutually exclusive")
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
	return cfg, base, nil
}

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

// normaliseServerURL returns the API base, ending in "/fog".
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
