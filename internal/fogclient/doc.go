// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

// Package fogclient is a typed client for the REST API of the FOG Project
// imaging server (FOG 1.5.x, routes under /fog/...). It knows nothing of
// Terraform:
//
//	cfg := fogclient.DefaultConfig()
//	cfg.ServerURL = "http://fog.example.com"
//	cfg.APIToken = os.Getenv("FOG_API_TOKEN")   // base64, as the FOG UI shows it
//	cfg.UserToken = os.Getenv("FOG_USER_TOKEN") // base64, as the FOG UI shows it
//	c, err := fogclient.New(cfg)
//	images, err := c.ListImages(ctx)
//
// It absorbs FOG's quirks: redirects are never followed (a 302 means "API
// disabled"), numbers may arrive as strings, strings are HTML-unescaped and
// resent whole on updates (the escape ratchet), unchanged names are omitted,
// creates of one name are serialised, tasks are cancelled only by an id just
// seen active, MACs change in the order that keeps a primary. Reads are
// retried; a write is sent again only after a look at the server showed that
// a lost one did not land (lostwrites.go); while the server is down (a
// restart), requests are retried for Config.RetryMaxWait (retry.go), and
// FindCreated* make the look again later for a create whose outcome stayed
// unknown. Errors are values for errors.Is and
// errors.As, and neither errors nor logs carry a token or a password.
package fogclient
