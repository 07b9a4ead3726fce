// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

func TestClientErrorDiagnostic(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		err     error
		wantAll []string
	}{
		{"not found", &fogclient.Error{Kind: fogclient.ErrNotFound, Method: "GET", Route: "/fog/image/12", Status: 404},
			[]string{"FOG answered GET /fog/image/12 with HTTP 404", "deleted outside Terraform"}},
		{"already exists", &fogclient.Error{Kind: fogclient.ErrAlreadyExists, Method: "POST", Route: "/fog/image/create", Status: 500, Message: "Already created"},
			[]string{`HTTP 500 (already exists): "Already created"`, "terraform import"}},
		{"fatal", &fogclient.Error{Kind: fogclient.ErrServerFatal, Method: "PUT", Route: "/fog/host/3/edit", Status: 500},
			[]string{"PUT /fog/host/3/edit with HTTP 500", "PHP error log"}},
		{"api disabled", &fogclient.Error{Kind: fogclient.ErrAPIDisabled, Method: "GET", Route: "/fog/image/12", Status: 302, Location: "http://fog/fog/management/index.php"},
			[]string{"redirecting to http://fog/fog/management/index.php", "FOG Configuration > FOG Settings > API System, tick FOG_API_ENABLED"}},
		{"user token", &fogclient.Error{Kind: fogclient.ErrUnauthorized, Method: "GET", Route: "/fog/image/12", Status: 401},
			[]string{"HTTP 401 (user token rejected)", "Users > your user > API Settings", "API Enabled"}},
		{"display_errors page", &fogclient.Error{Kind: fogclient.ErrUnexpectedContentType, Method: "GET", Route: "/fog/image/12", Status: 200,
			Err: errors.New(`Content-Type "text/html"`)},
			[]string{`HTTP 200 (unexpected content type): Content-Type "text/html"`, "display_errors"}},
		{"wrapped client-side error", fmt.Errorf("checking which hosts use it: %w", errors.New("boom")),
			[]string{"Checking which hosts use it: boom."}},
		{"outcome unknown", &fogclient.Error{Kind: fogclient.ErrOutcomeUnknown, Method: "POST", Route: "/fog/image/create", Status: 503,
			Err: errors.New("the answer was lost (server unavailable), and looking the image up failed: GET /fog/image: HTTP 503")},
			[]string{"FOG answered POST /fog/image/create with HTTP 503 (outcome unknown)", "looking the image up failed: GET /fog/image",
				"may have applied this change", "Nothing was repeated blindly", "terraform import", "request_timeout"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var diags diag.Diagnostics
			addClientError(&diags, "read", "image 12", tc.err)
			if diags.ErrorsCount() != 1 || diags[0].Summary() != "Unable to read image 12" {
				t.Fatalf("unexpected diagnostics: %v", diags)
			}
			if strings.Contains(diags[0].Detail(), "Unable to") {
				t.Errorf("detail %q repeats the summary", diags[0].Detail())
			}
			for _, want := range tc.wantAll {
				if !strings.Contains(diags[0].Detail(), want) {
					t.Errorf("detail %q does not contain %q", diags[0].Detail(), want)
				}
			}
		})
	}
}

func TestExistingObjectDiagnostic(t *testing.T) {
	t.Parallel()
	lost := &fogclient.Error{Kind: fogclient.ErrUnavailable, Method: "POST", Route: "/fog/image/create", Status: 502}
	diffs := []fogclient.Difference{{Field: "path", Have: "theirs", Sent: "mine"}, {Field: "imageTypeID", Have: "2", Sent: "1"}}
	for name, tc := range map[string]struct {
		err     error
		wantAll []string
	}{
		"found after a lost answer": {
			&fogclient.ExistingObjectError{Class: "image", ID: 12, Name: "Win10", Differences: diffs, Method: "POST", Route: "/fog/image/create", Cause: lost},
			[]string{"FOG's answer to the create was lost (FOG answered POST /fog/image/create with HTTP 502", `FOG has image "Win10" (id 12)`,
				`path is "theirs" in FOG, "mine" in this configuration`, `image_type_id is "2" in FOG, "1"`, "not taken over",
				"terraform import <resource address> 12"},
		},
		"raced": {
			&fogclient.ExistingObjectError{Class: "image", ID: 12, Name: "Win10", Differences: diffs, Raced: true, Method: "POST", Route: "/fog/image/create"},
			[]string{"ran at the same moment", `one and the same image, image "Win10" (id 12)`, `path is "theirs" in FOG`, "terraform import <resource address> 12"},
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var diags diag.Diagnostics
			if !addExistingObjectError(&diags, `image "Win10"`, imageAttributeNames, tc.err) {
				t.Fatal("not recognised")
			}
			if diags.ErrorsCount() != 1 || diags[0].Summary() != `Unable to create image "Win10"` || strings.Contains(diags[0].Detail(), "Unable to") {
				t.Fatalf("diagnostics %v", diags)
			}
			withPath, ok := diags[0].(diag.DiagnosticWithPath)
			if !ok || !withPath.Path().Equal(path.Root("name")) {
				t.Errorf("not on the name attribute: %v", diags[0])
			}
			for _, want := range tc.wantAll {
				if !strings.Contains(diags[0].Detail(), want) {
					t.Errorf("detail %q does not contain %q", diags[0].Detail(), want)
				}
			}
		})
	}
	var diags diag.Diagnostics
	if addExistingObjectError(&diags, "x", nil, lost) || diags.HasError() {
		t.Error("an ordinary error was taken for an existing object")
	}
}

func TestServerChecksAtPlan(t *testing.T) {
	var in diag.Diagnostics
	in.AddAttributeError(path.Root("name"), "Unable to create image \"a\"", "FOG already has an image named \"a\" (id 3).")
	in.AddError("Unable to start task", "Host 4 is busy.")
	in.AddWarning("Deploy", "Host 4 will be re-imaged.")

	out := serverChecksAtPlan(in)
	if out.HasError() {
		t.Fatalf("errors left at plan: %v", out)
	}
	if len(out) != 3 {
		t.Fatalf("got %d diagnostics, want 3", len(out))
	}
	first, ok := out[0].(diag.DiagnosticWithPath)
	if !ok || !first.Path().Equal(path.Root("name")) {
		t.Errorf("the attribute path was lost: %#v", out[0])
	}
	if out[0].Summary() != in[0].Summary() || !strings.HasPrefix(out[0].Detail(), in[0].Detail()) ||
		!strings.Contains(out[0].Detail(), "apply will stop") {
		t.Errorf("warning does not carry the error and what the apply will do: %q / %q", out[0].Summary(), out[0].Detail())
	}
	if _, ok := out[1].(diag.DiagnosticWithPath); ok {
		t.Errorf("an error without a path gained one: %#v", out[1])
	}
	if out[2].Detail() != in[2].Detail() {
		t.Errorf("a warning was changed: %q", out[2].Detail())
	}
}
