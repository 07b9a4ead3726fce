// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

// fog_host's RPC methods called directly against the emulator, for what the
// acceptance framework cannot observe: plan-time warnings, the planned
// computed MAC attributes, and the state left by an update that failed
// half-way.

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
	"github.com/fogproject/terraform-provider-fog/internal/fogtest"
)

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

// TestHostModifyPlanWarnsBeforeDestroy: a destroy plan names the active task
// and says what the apply will do with it.
func TestHostModifyPlanWarnsBeforeDestroy(t *testing.T) {
	h := newHostHarness(t)
	img, err := h.srv.SeedImage("win10")
	mustEmulator(t, "seed image", err)
	busy, err := h.srv.SeedHost("busy", img, "02:00:00:00:00:01")
	mustEmulator(t, "seed host", err)
	idle, err := h.srv.SeedHost("idle", img, "02:00:00:00:00:02")
	mustEmulator(t, "seed host", err)
	task, err := h.client.CreateHostTask(context.Background(), busy, fogclient.TaskCreate{TypeID: fogclient.TaskTypeDeploy, TaskName: "nightly"})
	if err != nil || task == nil {
		t.Fatalf("create task: %v", err)
	}

	busyState := h.storedHost(t, busy, false)
	diags, _ := h.modifyPlan(t, nil, &busyState)
	expectDiag(t, diags, diag.SeverityWarning, `Host "busy" has an active task: task "nightly - busy" (id`, "type Deploy, state Queued",
		"Destroying it will fail", "force_destroy = true")

	forced := h.storedHost(t, busy, true)
	diags, _ = h.modifyPlan(t, nil, &forced)
	expectDiag(t, diags, diag.SeverityWarning, "force_destroy is true", "FOG deletes the task with it")

	idleState := h.storedHost(t, idle, false)
	if diags, _ := h.modifyPlan(t, nil, &idleState); len(diags) != 0 {
		t.Errorf("a host without tasks: %v", diags)
	}
	if n := h.srv.Count("DELETE /fog/host/{id}"); n != 0 {
		t.Errorf("planning deleted %d hosts", n)
	}
}

// TestHostModifyPlanMACs: primary_mac and pending_macs are known at plan
// time; a listed pending MAC leaves pending_macs; a case change FOG refuses
// is an error, the lower-case one is not.
func TestHostModifyPlanMACs(t *testing.T) {
	h := newHostHarness(t)
	id, err := h.srv.SeedHost("Lab-01", 0, "02:00:00:00:00:01")
	mustEmulator(t, "seed host", err)
	h.srv.InsertRawRow("macaddressassociation", map[string]string{
		"hostID": fmt.Sprint(id), "mac": "02:00:00:00:00:0a", "primary": "0", "pending": "1",
	})
	prior := h.storedHost(t, id, false)
	if got := stringsOf(prior.PendingMACs); fmt.Sprint(got) != "[02:00:00:00:00:0a]" {
		t.Fatalf("pending MACs read %v", got)
	}

	plan := prior
	plan.MACs = newMACList([]string{"02-00-00-00-00-0A", "02:00:00:00:00:01"})
	plan.PrimaryMAC, plan.PendingMACs = types.StringUnknown(), types.ListUnknown(types.StringType)
	diags, out := h.modifyPlan(t, &plan, &prior)
	if diags.HasError() {
		t.Fatal(diags)
	}
	if out.PrimaryMAC.ValueString() != "02:00:00:00:00:0a" || len(out.PendingMACs.Elements()) != 0 {
		t.Errorf("planned primary %s, pending %v", out.PrimaryMAC, out.PendingMACs)
	}

	plan.MACs = newMACList([]string{"02:00:00:00:00:01", "02:00:00:00:00:02"})
	_, out = h.modifyPlan(t, &plan, &prior)
	if got := stringsOf(out.PendingMACs); out.PrimaryMAC.ValueString() != "02:00:00:00:00:01" || fmt.Sprint(got) != "[02:00:00:00:00:0a]" {
		t.Errorf("planned primary %s, pending %v", out.PrimaryMAC, got)
	}

	plan.Name = types.StringValue("LAB-01")
	diags, _ = h.modifyPlan(t, &plan, &prior)
	expectDiag(t, diags, diag.SeverityError, `Unable to rename host "Lab-01" to "LAB-01"`, `all-lower-case form of the old one ("lab-01")`)
	plan.Name = types.StringValue("lab-01")
	if diags, _ := h.modifyPlan(t, &plan, &prior); diags.HasError() {
		t.Errorf("renaming to the lower-case name: %v", diags)
	}
	for route, n := range h.srv.Counters() {
		if !strings.HasPrefix(route, "GET ") && n > 0 {
			t.Errorf("planning sent %d %s", n, route)
		}
	}
}

// TestHostUpdateFailureRecordsFOGState: when a MAC change fails half-way,
// the state shows what FOG has, not the plan, so the next plan retries.
func TestHostUpdateFailureRecordsFOGState(t *testing.T) {
	h := newHostHarness(t)
	id, err := h.srv.SeedHost("lab-02", 0, "02:00:00:00:00:01")
	mustEmulator(t, "seed host", err)
	prior := h.storedHost(t, id, false)
	plan := prior
	plan.MACs = newMACList([]string{"02:00:00:00:00:02"})
	plan.PrimaryMAC = types.StringValue("02:00:00:00:00:02")

	// The new MAC is added, then promoting it fails.
	h.srv.AddFault(fogtest.FaultRule{Method: "PUT", Route: "/fog/macaddressassociation/*", Kind: fogtest.FaultStatus, Status: 503})
	p, s := h.plan(t, &plan), h.state(t, &prior)
	resp := &resource.UpdateResponse{State: tfsdk.State{Schema: h.schema, Raw: p.Raw.Copy()}}
	h.r.Update(context.Background(), resource.UpdateRequest{Config: tfsdk.Config{Schema: h.schema, Raw: p.Raw}, Plan: p, State: s}, resp)
	expectDiag(t, resp.Diagnostics, diag.SeverityError, `Unable to change the MAC addresses of host "lab-02"`, "HTTP 503")

	var got hostResourceModel
	resp.Diagnostics.Append(resp.State.Get(context.Background(), &got)...)
	macs, _ := got.MACs.strings()
	if !sameMACSet(macs, []string{"02:00:00:00:00:01", "02:00:00:00:00:02"}) || got.PrimaryMAC.ValueString() != "02:00:00:00:00:01" {
		t.Errorf("state after the failure: macs %v primary %s, want FOG's [01 (primary), 02]", macs, got.PrimaryMAC)
	}
}
