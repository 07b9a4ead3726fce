// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

// The emulator's normalised routes (fogtest counters and request log) that
// the tests count.
const (
	routeListImages  = "GET /fog/image"
	routeGetImage    = "GET /fog/image/{id}"
	routeListHosts   = "GET /fog/host"
	routeSearchHosts = "GET /fog/host/search/{term}"
	routeGetHost     = "GET /fog/host/{id}"
	routeListMACs    = "GET /fog/macaddressassociation"
	routeActive      = "GET /fog/task/active"
	routeGetTask     = "GET /fog/task/{id}"
	routeListOS      = "GET /fog/os"
	routeCreateTask  = "POST /fog/host/{id}/task"
	routeCancelTask  = "DELETE /fog/task/{id}/cancel"
)
