// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

var allKinds = []error{
	ErrNotFound, ErrUnauthorized, ErrForbidden, ErrAPIDisabled, ErrHTTPSRequired, ErrRedirect,
	ErrAlreadyExists, ErrRequiredField, ErrTaskRejected, ErrServerFatal, ErrNotImplemented,
	ErrUnexpectedContentType, ErrUnexpectedResponse, ErrUnavailable, ErrNoResponse,
	ErrMACInUse, ErrTaskNotActive, ErrCaseOnlyRename, ErrInvalidArgument, ErrOutcomeUnknown,
}

// TestTypedErrors replays the recorded answer of a real FOG for every error a
// caller can branch on, and checks the error's kind, that it names method,
// route and status, and that it never carries a credential.
func TestTypedErrors(t *testing.T) {
	ctx := context.Background()
	assocList := loadRecording(t, "336-b-macaddressassociation-list-initial")
	cases := []struct {
		name     string
		kind     error
		method   string
		route    string
		status   int
		message  string // FOG's own text kept in Error.Message
		inError  string // extra text the message must hold
		requests int    // requests the call may send in total
		setup    func(f *fakeFOG)
		call     func(c *Client) error
	}{
		{
			name: "404 not found", kind: ErrNotFound, method: "GET", route: "/fog/host/999999", status: 404, requests: 1,
			setup: func(f *fakeFOG) { f.replay("GET", "/fog/host/999999", loadRecording(t, "139-host-get-missing")) },
			call:  func(c *Client) error { _, err := c.GetHost(ctx, 999999); return err },
		},
		{
			name: "401 bad user token", kind: ErrUnauthorized, method: "GET", route: "/fog/system/status", status: 401, requests: 1,
			inError: "user token",
			setup: func(f *fakeFOG) {
				f.replay("GET", "/fog/system/status", loadRecording(t, "008-system-info-wrong-user-token"))
			},
			call: func(c *Client) error { return c.Status(ctx) },
		},
		{
			name: "403 bad API token", kind: ErrForbidden, method: "GET", route: "/fog/system/status", status: 403, requests: 1,
			inError: "API token",
			setup: func(f *fakeFOG) {
				f.replay("GET", "/fog/system/status", loadRecording(t, "004-system-info-wrong-api-token"))
			},
			call: func(c *Client) error { return c.Status(ctx) },
		},
		{
			name: "302 API disabled", kind: ErrAPIDisabled, method: "GET", route: "/fog/image", status: 302, requests: 1,
			inError: "FOG API disabled (redirect to http://",
			setup:   func(f *fakeFOG) { f.replay("GET", "/fog/image", loadRecording(t, "021-image-list-api-disabled")) },
			call:    func(c *Client) error { _, err := c.ListImages(ctx); return err },
		},
		{
			name: "302 API disabled on a write", kind: ErrAPIDisabled, method: "DELETE", route: "/fog/image/4", status: 302, requests: 1,
			setup: func(f *fakeFOG) { f.replay("DELETE", "/fog/image/4", loadRecording(t, "021-image-list-api-disabled")) },
			call:  func(c *Client) error { return c.DeleteImage(ctx, 4) },
		},
		{
			name: "302 to https", kind: ErrHTTPSRequired, method: "GET", route: "/fog/image", status: 302, requests: 1,
			inError: "server requires https (redirect to https://",
			setup: func(f *fakeFOG) {
				rec := loadRecording(t, "021-image-list-api-disabled")
				f.on("GET", "/fog/image", func(w http.ResponseWriter, r *http.Request, _ []byte) {
					rec.ResponseHeaders["Location"] = "https://" + r.Host + r.URL.Path
					rec.write(w)
				})
			},
			call: func(c *Client) error { _, err := c.ListImages(ctx); return err },
		},
		{
			name: "302 elsewhere", kind: ErrRedirect, method: "GET", route: "/fog/image", status: 302, requests: 1,
			setup: func(f *fakeFOG) {
				rec := loadRecording(t, "021-image-list-api-disabled")
				rec.ResponseHeaders["Location"] = "http://other.example/somewhere"
				f.replay("GET", "/fog/image", rec)
			},
			call: func(c *Client) error { _, err := c.ListImages(ctx); return err },
		},
		{
			name: "500 Already created", kind: ErrAlreadyExists, method: "POST", route: "/fog/image/create", status: 500,
			message: "Already created", requests: 1,
			setup: func(f *fakeFOG) {
				f.replay("POST", "/fog/image/create", loadRecording(t, "042-image-create-duplicate-name"))
			},
			call: func(c *Client) error {
				_, err := c.CreateImage(ctx, ImageCreate{Name: "img-full", Path: "other", ImageTypeID: 1, OSID: 9})
				return err
			},
		},
		{
			name: "417 required field", kind: ErrRequiredField, method: "POST", route: "/fog/image/create", status: 417,
			message: "Required database field is empty: osID", requests: 1,
			setup: func(f *fakeFOG) {
				f.replay("POST", "/fog/image/create", loadRecording(t, "036-image-create-without-osid"))
			},
			call: func(c *Client) error {
				_, err := c.CreateImage(ctx, ImageCreate{Name: "img-noos", Path: "img-noos", ImageTypeID: 1})
				return err
			},
		},
		{
			name: "500 task error", kind: ErrTaskRejected, method: "POST", route: "/fog/host/1/task", status: 500,
			message: "Host is already a member of an active task", requests: 2,
			setup: func(f *fakeFOG) {
				f.replay("POST", "/fog/host/1/task", loadRecording(t, "169-host-task-second-while-active"))
				f.replay("GET", "/fog/task/active", loadRecording(t, "158-task-active-empty"))
			},
			call: func(c *Client) error { _, err := c.CreateHostTask(ctx, 1, TaskCreate{TypeID: 1}); return err },
		},
		{
			name: "500 image not enabled", kind: ErrTaskRejected, method: "POST", route: "/fog/host/5/task", status: 500,
			message: "Image is not enabled", requests: 2,
			setup: func(f *fakeFOG) {
				f.replay("POST", "/fog/host/5/task", loadRecording(t, "177-host-task-deploy-disabled-image"))
				f.replay("GET", "/fog/task/active", loadRecording(t, "158-task-active-empty"))
			},
			call: func(c *Client) error { _, err := c.CreateHostTask(ctx, 5, TaskCreate{TypeID: 1}); return err },
		},
		{
			name: "501 invalid tasking type", kind: ErrTaskRejected, method: "POST", route: "/fog/host/1/task", status: 501,
			message: "Invalid tasking type passed", requests: 2,
			setup: func(f *fakeFOG) {
				f.replay("POST", "/fog/host/1/task", loadRecording(t, "167-host-task-invalid-tasktypeid-999"))
				f.replay("GET", "/fog/task/active", loadRecording(t, "158-task-active-empty"))
			},
			call: func(c *Client) error { _, err := c.CreateHostTask(ctx, 1, TaskCreate{TypeID: 999}); return err },
		},
		{
			name: "500 empty text/html fatal", kind: ErrServerFatal, method: "POST", route: "/fog/host/create", status: 500, requests: 2,
			setup: func(f *fakeFOG) {
				f.replay("GET", "/fog/macaddressassociation", assocList)
				f.replay("POST", "/fog/host/create", loadRecording(t, "128-host-create-no-macs"))
			},
			call: func(c *Client) error {
				_, err := c.CreateHost(ctx, HostCreate{Name: "host-nomac", MACs: []string{"00:11:22:33:44:99"}})
				return err
			},
		},
		{
			name: "501 empty route not supported", kind: ErrNotImplemented, method: "GET", route: "/fog/multicastsession/current", status: 501, requests: 1,
			setup: func(f *fakeFOG) {
				f.replay("GET", "/fog/multicastsession/current", loadRecording(t, "217-unknown-class"))
			},
			call: func(c *Client) error { _, err := c.ActiveMulticastSessions(ctx); return err },
		},
		{
			name: "200 text/html", kind: ErrUnexpectedContentType, method: "GET", route: "/fog/image", status: 200, requests: 1,
			inError: `unexpected content type: Content-Type "text/html"`,
			setup: func(f *fakeFOG) {
				rec := loadRecording(t, "064-image-list-nonempty")
				rec.ResponseHeaders["Content-Type"] = "text/html; charset=UTF-8"
				rec.ResponseBody = "<br />\n<b>Warning</b>:  Undefined property in <b>/var/www/fog/lib/x.php</b><br />\n" + rec.ResponseBody
				f.replay("GET", "/fog/image", rec)
			},
			call: func(c *Client) error { _, err := c.ListImages(ctx); return err },
		},
		{
			name: "200 text/html on a write", kind: ErrUnexpectedContentType, method: "DELETE", route: "/fog/image/4", status: 200, requests: 1,
			setup: func(f *fakeFOG) {
				rec := loadRecording(t, "099-image-delete-bare")
				rec.ResponseHeaders["Content-Type"] = "text/html; charset=UTF-8"
				rec.ResponseBody = "<b>Fatal error</b>"
				f.replay("DELETE", "/fog/image/4", rec)
			},
			call: func(c *Client) error { return c.DeleteImage(ctx, 4) },
		},
		{
			// A web server's own 404 page means the URL does not reach FOG's
			// API; it must not read as "the object is gone".
			name: "404 text/html is not ErrNotFound", kind: ErrUnexpectedContentType, method: "GET", route: "/fog/image/3", status: 404, requests: 1,
			setup: func(f *fakeFOG) {
				rec := loadRecording(t, "060-image-get-missing-999999")
				rec.ResponseHeaders["Content-Type"] = "text/html; charset=iso-8859-1"
				rec.ResponseBody = "<html><body><h1>Not Found</h1></body></html>"
				f.replay("GET", "/fog/image/3", rec)
			},
			call: func(c *Client) error { _, err := c.GetImage(ctx, 3); return err },
		},
		{
			name: "200 with an error object", kind: ErrUnexpectedResponse, method: "GET", route: "/fog/host/1", status: 200, requests: 1,
			message: "error:1C800064:Provider routines::bad decrypt",
			setup: func(f *fakeFOG) {
				f.json("/fog/host/1", `{"error":"error:1C800064:Provider routines::bad decrypt"}`)
			},
			call: func(c *Client) error { _, err := c.GetHost(ctx, 1); return err },
		},
		{
			name: "503 after retries", kind: ErrUnavailable, method: "GET", route: "/fog/image", status: 503, requests: 1 + DefaultMaxRetries,
			setup: func(f *fakeFOG) {
				f.on("GET", "/fog/image", func(w http.ResponseWriter, _ *http.Request, _ []byte) {
					w.Header().Set("Content-Type", "text/html")
					w.WriteHeader(http.StatusServiceUnavailable)
				})
			},
			call: func(c *Client) error { _, err := c.ListImages(ctx); return err },
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t)
			tc.setup(f)
			c := newTestClient(t, f.srv.URL)
			err := tc.call(c)
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, tc.kind) {
				t.Fatalf("errors.Is(%v, %v) = false", err, tc.kind)
			}
			for _, k := range allKinds {
				if k != tc.kind && errors.Is(err, k) {
					t.Errorf("error also matches %v", k)
				}
			}
			var fe *Error
			if !errors.As(err, &fe) {
				t.Fatalf("not an *Error: %T", err)
			}
			if fe.Method != tc.method || fe.Route != tc.route || fe.Status != tc.status {
				t.Errorf("got %s %s %d, want %s %s %d", fe.Method, fe.Route, fe.Status, tc.method, tc.route, tc.status)
			}
			if fe.Message != tc.message {
				t.Errorf("Message = %q, want %q", fe.Message, tc.message)
			}
			msg := err.Error()
			for _, want := range []string{tc.method + " " + tc.route, fmt.Sprintf("HTTP %d", tc.status), tc.inError, tc.message} {
				if !strings.Contains(msg, want) {
					t.Errorf("message %q lacks %q", msg, want)
				}
			}
			assertNoSecrets(t, msg)
			assertNoSecrets(t, fmt.Sprintf("%+v %#v", err, fe))
			if n := len(f.requests()); n != tc.requests {
				t.Errorf("sent %d requests, want %d: %v", n, tc.requests, f.requestLines())
			}
		})
	}
}

// TestErrorStatesFactsOnly: an Error says what happened (method, route,
// status, kind, FOG's message, the redirect target) and nothing else; what
// to do about it is the caller's to say (the provider's diagnostics).
func TestErrorStatesFactsOnly(t *testing.T) {
	f := newFake(t)
	f.replay("GET", "/fog/system/status", loadRecording(t, "019-system-info-api-disabled"))
	err := newTestClient(t, f.srv.URL).Status(context.Background())
	var fe *Error
	if !errors.As(err, &fe) || fe.Location != "http://127.0.0.1:8080/fog/management/index.php" {
		t.Fatalf("err = %v", err)
	}
	want := "GET /fog/system/status: HTTP 302: FOG API disabled (redirect to http://127.0.0.1:8080/fog/management/index.php)"
	if got := err.Error(); got != want {
		t.Errorf("Error() = %q\nwant    %q", got, want)
	}
	fatal := &Error{Kind: ErrServerFatal, Method: "POST", Route: "/fog/host/create", Status: 500}
	if got, want := fatal.Error(), "POST /fog/host/create: HTTP 500: server fatal error"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestClientSideRefusals(t *testing.T) {
	ctx := context.Background()
	f := newFake(t) // any request fails the test
	c := newTestClient(t, f.srv.URL)
	cases := []struct {
		name string
		kind error
		call func() error
	}{
		{"empty image name", ErrInvalidArgument, func() error {
			_, err := c.CreateImage(ctx, ImageCreate{Name: " ", Path: "p", ImageTypeID: 1, OSID: 9})
			return err
		}},
		{"image name over 40 characters", ErrInvalidArgument, func() error {
			_, err := c.CreateImage(ctx, ImageCreate{Name: strings.Repeat("x", 41), Path: "p", ImageTypeID: 1, OSID: 9})
			return err
		}},
		{"empty image path", ErrInvalidArgument, func() error {
			_, err := c.CreateImage(ctx, ImageCreate{Name: "n", ImageTypeID: 1, OSID: 9})
			return err
		}},
		{"host name with a space", ErrInvalidArgument, func() error {
			_, err := c.CreateHost(ctx, HostCreate{Name: "bad name", MACs: []string{"00:11:22:33:44:55"}})
			return err
		}},
		{"host name too long", ErrInvalidArgument, func() error {
			_, err := c.CreateHost(ctx, HostCreate{Name: "this-hostname-is-too-long", MACs: []string{"00:11:22:33:44:55"}})
			return err
		}},
		{"host without MACs", ErrInvalidArgument, func() error {
			_, err := c.CreateHost(ctx, HostCreate{Name: "h1"})
			return err
		}},
		{"invalid MAC", ErrInvalidArgument, func() error {
			_, err := c.CreateHost(ctx, HostCreate{Name: "h1", MACs: []string{"zz:11"}})
			return err
		}},
		{"MAC twice", ErrInvalidArgument, func() error {
			_, err := c.CreateHost(ctx, HostCreate{Name: "h1", MACs: []string{"00:11:22:33:44:55", "00-11-22-33-44-55"}})
			return err
		}},
		{"search term that needs encoding", ErrInvalidArgument, func() error {
			_, err := c.SearchHosts(ctx, "50%?")
			return err
		}},
		{"task type 0", ErrInvalidArgument, func() error {
			_, err := c.CreateHostTask(ctx, 1, TaskCreate{})
			return err
		}},
		{"id 0", ErrInvalidArgument, func() error { return c.CancelTask(ctx, 0) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.call(); !errors.Is(err, tc.kind) {
				t.Errorf("err = %v, want %v", err, tc.kind)
			}
		})
	}
	if n := len(f.requests()); n != 0 {
		t.Errorf("sent %d requests: %v", n, f.requestLines())
	}
}
