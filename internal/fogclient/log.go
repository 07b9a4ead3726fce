// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"net/http"
	"time"

	"github.com/hashicorp/go-retryablehttp"
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
	c.logger.Warn("FOG request retry", "method", req.Method, "route", req.URL.Path, "attempt", attempt+1)
}
