// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"context"
	"net/http"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// Levels of Logger.Log.
const (
	LevelError = "error"
	LevelWarn  = "warn"
	LevelInfo  = "info"
	LevelDebug = "debug"
)

// Logger receives the client's logs: method, route, status, duration,
// retries and lost answers, never tokens, passwords or bodies. ctx is the
// context of the request the line is about.
type Logger interface {
	Log(ctx context.Context, level, msg string, fields map[string]any)
}

func logTo(l Logger, ctx context.Context, level, msg string, fields map[string]any) {
	if l != nil {
		l.Log(ctx, level, msg, fields)
	}
}

func (c *Client) log(ctx context.Context, level, msg string, fields map[string]any) {
	logTo(c.logger, ctx, level, msg, fields)
}

func (c *Client) logRequest(ctx context.Context, level, msg, method, route string, status int, start time.Time) {
	c.log(ctx, level, msg, map[string]any{"method": method, "route": route, "status": status, "duration": time.Since(start).String()})
}

func (c *Client) logAttempt(_ retryablehttp.Logger, req *http.Request, attempt int) {
	if attempt > 0 {
		c.log(req.Context(), LevelWarn, "FOG request retry", map[string]any{"method": req.Method, "route": req.URL.Path, "attempt": attempt + 1})
	}
}
