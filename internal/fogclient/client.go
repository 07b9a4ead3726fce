package fogclient

import (
	"context"
	"net/http"
	"time"
)

// Defaults used by DefaultConfig and applied by New to zero values.
const (
	DefaultTimeout       = 30 * time.Second
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
	// MaxRetries is how many times a safely repeatable request is retried
	// (0 disables retries; DefaultConfig sets DefaultMaxRetries).
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
// 3 retries, 4 concurrent requests.
func DefaultConfig() Config {
	return Config{
		Timeout:       DefaultTimeout,
		MaxRetries:    DefaultMaxRetries,
		MaxConcurrent: DefaultMaxConcurrent,
	}
}

// Client talks to one FOG server. It is safe for concurrent use.
type Client struct {
	// unexported fields: base URL, http client, semaphore, per-name create locks...
}

// New validates cfg and builds a Client. It does not contact the server; call
// Status for a credentials check.
func New(cfg Config) (*Client, error) {
	panic("fogclient: not implemented yet")
}

// BaseURL returns the normalised API base, e.g. "http://fog.example.com/fog".
func (c *Client) BaseURL() string {
	panic("fogclient: not implemented yet")
}

// Status checks that the API is enabled and the credentials are accepted
// (GET /fog/system/status, which answers 200 "success\n").
func (c *Client) Status(ctx context.Context) error {
	panic("fogclient: not implemented yet")
}
