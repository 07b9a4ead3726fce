// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

// Assigning an image checks that FOG has it (FOG stores any number). An
// image the same provider process created, in the same apply, is known to
// exist and costs no request; one it deleted since, or any other id, is read
// by id.

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestCheckImageExists_createdInThisProcess(t *testing.T) {
	ctx := context.Background()
	h := newResourceHarness[*imageResource, imageModel](t, func(d *ProviderData) *imageResource {
		return &imageResource{data: d}
	})
	d := h.r.data
	check := func(step string, id int64, wantOK bool, wantGETs int64) {
		t.Helper()
		h.srv.ResetCounters()
		var diags diag.Diagnostics
		if ok := d.checkImageExists(ctx, h.client, id, "assign", "the image of host 1", "no such image", &diags); ok != wantOK {
			t.Errorf("%s: checkImageExists(%d) = %v, want %v (%v)", step, id, ok, wantOK, diags)
		}
		if got := h.srv.Count(routeGetImage); got != wantGETs {
			t.Errorf("%s: %d GET /fog/image/{id}, want %d", step, got, wantGETs)
		}
	}

	// Created through fog_image's Create: no request to check it.
	planned := plannedImage()
	createResp := &resource.CreateResponse{State: h.state(t, nil)}
	h.r.Create(ctx, resource.CreateRequest{Plan: h.plan(t, &planned)}, createResp)
	if createResp.Diagnostics.HasError() {
		t.Fatalf("create: %v", createResp.Diagnostics)
	}
	var created imageModel
	createResp.Diagnostics.Append(createResp.State.Get(ctx, &created)...)
	id := mustID(t, created.ID.ValueString())
	check("created by this process", id, true, 0)

	// An image of the server this process did not create: read by id.
	other, err := h.srv.SeedImage("created-elsewhere")
	mustEmulator(t, "seed image", err)
	check("created elsewhere", other, true, 1)

	// Deleted through fog_image's Delete: read by id again, and refused.
	created.ForceDestroy = types.BoolValue(true)
	deleteResp := &resource.DeleteResponse{State: h.state(t, &created)}
	h.r.Delete(ctx, resource.DeleteRequest{State: h.state(t, &created)}, deleteResp)
	if deleteResp.Diagnostics.HasError() {
		t.Fatalf("delete: %v", deleteResp.Diagnostics)
	}
	check("deleted by this process", id, false, 1)
}
