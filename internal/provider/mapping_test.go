// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

func plannedImage() imageModel {
	return imageModel{
		ID: types.StringUnknown(), Name: types.StringValue("Win10-Base"), Path: types.StringValue("win10"),
		ImageTypeID: types.Int64Value(1), OSID: types.Int64Value(9), Description: newFOGText("R&D <x>\n"),
		PartitionTypeID: types.Int64Value(1), Enabled: types.BoolValue(true), Replicate: types.BoolValue(false),
		Compress: types.Int64Value(19), Format: types.Int64Value(6), Protected: types.BoolValue(true),
		ForceDestroy: types.BoolValue(false),
	}
}

func TestImageToCreate(t *testing.T) {
	t.Parallel()
	got := plannedImage().toCreate()
	want := fogclient.ImageCreate{
		Name: "Win10-Base", Path: "win10", Description: "R&D <x>", ImageTypeID: 1, ImagePartitionTypeID: 1, OSID: 9,
		Enabled: true, Replicate: false, Protected: true, Format: "6", Compress: 19,
	}
	if got != want {
		t.Errorf("toCreate() = %+v\nwant %+v", got, want)
	}
}

func TestImageToUpdate(t *testing.T) {
	t.Parallel()
	state := plannedImage()
	state.ID = types.StringValue("12")

	if _, changed := plannedImage().toUpdate(state); changed {
		t.Error("identical plan and state must not send an update")
	}

	forceOnly := plannedImage()
	forceOnly.ForceDestroy = types.BoolValue(true)
	if _, changed := forceOnly.toUpdate(state); changed {
		t.Error("force_destroy is Terraform-only and must not be sent to FOG")
	}

	trailing := plannedImage()
	trailing.Description = newFOGText("R&D <x>")
	if u, changed := trailing.toUpdate(state); changed {
		t.Errorf("a description that FOG returns the same way must not be sent: %+v", u)
	}

	plan := plannedImage()
	plan.Name = types.StringValue("Win10-New")
	plan.Description = newFOGText("new  text\n")
	plan.Format = types.Int64Value(5)
	plan.Enabled = types.BoolValue(false)
	u, changed := plan.toUpdate(state)
	if !changed {
		t.Fatal("changes not detected")
	}
	if u.Name == nil || *u.Name != "Win10-New" || u.Description == nil || *u.Description != "new text" ||
		u.Format == nil || *u.Format != "5" || u.Enabled == nil || *u.Enabled {
		t.Errorf("unexpected update: %+v", u)
	}
	if u.Path != nil || u.OSID != nil || u.Compress != nil || u.Protected != nil || u.Replicate != nil || u.ImageTypeID != nil {
		t.Errorf("unchanged fields must be nil (kept by fogclient): %+v", u)
	}

	// An image imported without a format (FOG's API default "") gets one.
	state.Format = types.Int64Null()
	u, changed = plannedImage().toUpdate(state)
	if !changed || u.Format == nil || *u.Format != "6" {
		t.Errorf("format missing in FOG must be set: %+v", u)
	}
}

func TestImageFromAPI(t *testing.T) {
	t.Parallel()
	var m imageModel
	m.ForceDestroy = types.BoolValue(true)
	m.fromAPI(&fogclient.Image{
		ID: 12, Name: "Win10", Path: "win10", Description: "R&D <x>", ImageTypeID: 1, ImagePartitionTypeID: 0, OSID: 9,
		Format: "", Compress: 6, Enabled: true, Replicate: true, CreatedTime: "2026-11-27 22:02:57", CreatedBy: "fog",
		Deployed: "0000-00-00 00:00:00", Size: "",
	})
	if m.ID.ValueString() != "12" || m.Description.ValueString() != "R&D <x>" || !m.Format.IsNull() ||
		m.PartitionTypeID.ValueInt64() != 0 || m.LastCaptured.ValueString() != "" || m.CreatedTime.ValueString() != "2026-11-27 22:02:57" {
		t.Errorf("unexpected mapping: %+v", m)
	}
	if !m.ForceDestroy.ValueBool() {
		t.Error("force_destroy must be kept from the prior state")
	}

	m.fromAPI(&fogclient.Image{ID: 12, Format: "5", Deployed: "2026-11-28 10:00:00"})
	if m.Format.ValueInt64() != 5 || m.LastCaptured.ValueString() != "2026-11-28 10:00:00" {
		t.Errorf("unexpected mapping: %+v", m)
	}
}

func TestFilterHosts(t *testing.T) {
	t.Parallel()
	hosts := []fogclient.Host{
		{ID: 3, Name: "lab-03", ImageID: 2, MACs: []string{"02:00:00:00:00:03"}, PrimaryMAC: "02:00:00:00:00:03"},
		{ID: 1, Name: "lab-01", ImageID: 1},
		{ID: 2, Name: "office-02", ImageID: 1},
		{ID: 1, Name: "lab-01", ImageID: 1}, // duplicate from a search
	}
	ids := func(ms []hostModel) string {
		var out []string
		for _, m := range ms {
			out = append(out, fmt.Sprint(m.ID.ValueInt64()))
		}
		return strings.Join(out, ",")
	}
	cases := []struct {
		name    string
		re      *regexp.Regexp
		imageID types.Int64
		want    string
	}{
		{"all, sorted by id, without duplicates", nil, types.Int64Null(), "1,2,3"},
		{"name regex", regexp.MustCompile("^lab-"), types.Int64Null(), "1,3"},
		{"image", nil, types.Int64Value(1), "1,2"},
		{"no image", nil, types.Int64Value(0), ""},
		{"both", regexp.MustCompile("^lab-"), types.Int64Value(1), "1"},
	}
	for _, tc := range cases {
		if got := ids(filterHosts(hosts, tc.re, tc.imageID)); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
	if m := filterHosts(hosts[1:2], nil, types.Int64Null())[0]; m.MACs == nil {
		t.Error("macs must be an empty list, not null")
	}
}

func TestMapActiveTasks(t *testing.T) {
	t.Parallel()
	tasks := []fogclient.Task{
		{ID: 9, HostID: 1, TypeID: fogclient.TaskTypeMulticast, StateID: 1, ImageID: 7},
		{ID: 4, HostID: 2, TypeID: fogclient.TaskTypeDeploy, StateID: 3, ImageID: 8, Percent: 42},
		{ID: 5, HostID: 1, TypeID: fogclient.TaskTypeDeploy, StateID: fogclient.TaskStateCancelled},
	}
	sessions := []fogclient.MulticastSession{{ID: 2, ImageID: 7}, {ID: 1, ImageID: 99}}

	all, allSessions := mapActiveTasks(tasks, sessions, nil)
	if len(all) != 2 || all[0].ID.ValueInt64() != 4 || all[0].Percent.ValueInt64() != 42 || len(allSessions) != 2 ||
		allSessions[0].ID.ValueInt64() != 1 {
		t.Errorf("unexpected mapping: %+v %+v", all, allSessions)
	}

	host := int64(1)
	mine, mySessions := mapActiveTasks(tasks, sessions, &host)
	if len(mine) != 1 || mine[0].ID.ValueInt64() != 9 || len(mySessions) != 1 || mySessions[0].ID.ValueInt64() != 2 {
		t.Errorf("host filter: %+v %+v", mine, mySessions)
	}
}

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
