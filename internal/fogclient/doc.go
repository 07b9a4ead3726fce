// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

// Package fogclient is a typed, context-aware client for the REST API of the
// FOG Project imaging server (FOG 1.5.x, routes under /fog/...).
//
// It knows nothing of Terraform and can be used on its own:
//
//	cfg := fogclient.DefaultConfig()
//	cfg.ServerURL = "http://fog.example.com"
//	cfg.APIToken = os.Getenv("FOG_API_TOKEN")   // base64, exactly as the FOG UI shows it
//	cfg.UserToken = os.Getenv("FOG_USER_TOKEN") // base64, exactly as the FOG UI shows it
//	c, err := fogclient.New(cfg)
//	...
//	images, err := c.ListImages(ctx)
//
// The client absorbs FOG's quirks so callers do not have to: it never follows
// redirects (a 302 means "API disabled"), checks the Content-Type of every
// answer, decodes numbers that arrive as numbers or strings, HTML-unescapes
// every string, resends every string field on updates (the "escape ratchet"),
// omits unchanged names, serialises creates of the same name, cancels tasks
// only by an id it has just seen active and always with a scoping body, and
// changes MAC addresses in the order that never leaves a host without a
// primary MAC. Errors are values callers can branch on with errors.Is and
// errors.As; none of them contains a token or password.
//
// Requests and retries: at most Config.MaxConcurrent requests are in flight
// at once, and each attempt gets Config.Timeout from the moment it holds a
// slot. GET requests are retried (go-retryablehttp, exponential backoff with
// jitter, honouring the context) on connection errors and 502/503/504; POST,
// PUT and DELETE only when the connection could not even be dialled, because
// FOG keeps running a request whose client went away. A 500 is never retried:
// FOG's 500s are answers ("Already created"). Redirects are never followed.
//
// Lost answers: when the answer to a write is lost after it may have reached
// FOG (a reset or timed-out connection, a proxy's 502/503/504), the client
// never repeats it blindly and never reports a failure that may be false. It
// looks at the server: a create adopts the object it finds by name (a task:
// by host and type, among tasks not active before) when it is exactly what
// was sent, refuses one that differs with *ExistingObjectError, and is sent
// again only once the look shows nothing was created; an update is read back
// and sent again only when the change is not there; a delete is done when
// the object is gone; a cancel is sent again only to a task seen active
// again. A create whose own answer holds another request's values (two
// creates of one name at the same moment) is refused the same way. When the
// look fails too, the error has Kind ErrOutcomeUnknown (lostwrites.go).
// SetHostMACs, a sequence of writes, returns a lost answer as it is.
//
// Reads before writes: UpdateImage, UpdateHost and AssignImage read the
// object first (a missing one is ErrNotFound from that GET), CreateHost and
// SetHostMACs read the MAC associations, CancelTask reads the active tasks,
// and CreateHostTask reads them before and after creating. The client logs
// method, route, status, duration, retries and lost answers through
// Config.Logger; never headers, tokens or bodies.
package fogclient
