// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// hostHarness calls fog_host's methods directly against the emulator, for
// what the acceptance framework cannot observe: plan-time warnings, the
// planned computed MAC attributes, and the state left by an update that
// failed half-way.
type hostHarness struct {
	resourceHarness[*hostResource, hostResourceModel]
}

func newHostHarness(t *testing.T) *hostHarness {
	t.Helper()
	return &hostHarness{newResourceHarness[*hostResource, hostResourceModel](t, func(d *ProviderData) *hostResource {
		return &hostResource{data: d}
	})}
}

// storedHost is the state of host id as FOG has it now.
func (h *hostHarness) storedHost(t *testing.T, id int64, forceDestroy bool) hostResourceModel {
	t.Helper()
	host, pending, err := readHost(context.Background(), h.client, id)
	if err != nil {
		t.Fatal(err)
	}
	m := hostModelFromAPI(host, pending)
	m.ForceDestroy = types.BoolValue(forceDestroy)
	return m
}

func (h *hostHarness) modifyPlan(t *testing.T, plan, prior *hostResourceModel) (diag.Diagnostics, hostResourceModel) {
	t.Helper()
	resp, out := h.resourceHarness.modifyPlan(t, plan, prior)
	return resp.Diagnostics, out
}

// update runs Update of plan over prior; the response's state starts as the plan.
func (h *hostHarness) update(t *testing.T, plan, prior hostResourceModel) *resource.UpdateResponse {
	t.Helper()
	p, s := h.plan(t, &plan), h.state(t, &prior)
	resp := &resource.UpdateResponse{State: tfsdk.State{Schema: h.schema, Raw: p.Raw.Copy()}}
	h.r.Update(context.Background(), resource.UpdateRequest{Config: tfsdk.Config{Schema: h.schema, Raw: p.Raw}, Plan: p, State: s}, resp)
	return resp
}
