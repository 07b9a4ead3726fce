// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
	"github.com/fogproject/terraform-provider-fog/internal/fogtest"
)

// resourceHarness calls the methods of resource R, whose model is M,
// directly against the emulator: for what the acceptance framework cannot
// observe (warnings, the exact requests, the state a failed write leaves).
type resourceHarness[R resource.ResourceWithModifyPlan, M any] struct {
	srv    *fogtest.Server
	client *fogclient.Client
	r      R
	schema schema.Schema
}

func newResourceHarness[R resource.ResourceWithModifyPlan, M any](t *testing.T, newResource func(*ProviderData) R) resourceHarness[R, M] {
	t.Helper()
	srv := fogtest.New(fogtest.Options{})
	c := newEmulatorClient(t, srv)
	var resp resource.SchemaResponse
	newResource(nil).Schema(context.Background(), resource.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatalf("schema: %v", resp.Diagnostics)
	}
	return resourceHarness[R, M]{srv: srv, client: c, r: newResource(newProviderData(c, "http://fog.test")), schema: resp.Schema}
}

// state holds m; a null state for nil.
func (h *resourceHarness[R, M]) state(t *testing.T, m *M) tfsdk.State {
	t.Helper()
	s := tfsdk.State{Schema: h.schema, Raw: tftypes.NewValue(h.schema.Type().TerraformType(context.Background()), nil)}
	if m != nil {
		if d := s.Set(context.Background(), m); d.HasError() {
			t.Fatalf("state: %v", d)
		}
	}
	return s
}

// plan holds m; a null plan (a destroy) for nil.
func (h *resourceHarness[R, M]) plan(t *testing.T, m *M) tfsdk.Plan {
	t.Helper()
	p := tfsdk.Plan{Schema: h.schema, Raw: tftypes.NewValue(h.schema.Type().TerraformType(context.Background()), nil)}
	if m != nil {
		if d := p.Set(context.Background(), m); d.HasError() {
			t.Fatalf("plan: %v", d)
		}
	}
	return p
}

// modifyPlan runs ModifyPlan of plan (nil: a destroy) over prior (nil: a
// create), and returns the response and the modified plan.
func (h *resourceHarness[R, M]) modifyPlan(t *testing.T, plan, prior *M) (*resource.ModifyPlanResponse, M) {
	t.Helper()
	p := h.plan(t, plan)
	req := resource.ModifyPlanRequest{Config: tfsdk.Config{Schema: h.schema, Raw: p.Raw}, Plan: p, State: h.state(t, prior)}
	resp := &resource.ModifyPlanResponse{Plan: p}
	h.r.ModifyPlan(context.Background(), req, resp)
	var out M
	if plan != nil {
		resp.Diagnostics.Append(resp.Plan.Get(context.Background(), &out)...)
	}
	return resp, out
}

// hasDiag reports a diagnostic of the severity whose summary and detail
// together contain every part.
func hasDiag(diags diag.Diagnostics, sev diag.Severity, parts ...string) bool {
	for _, d := range diags {
		if d.Severity() != sev {
			continue
		}
		text := d.Summary() + "\n" + d.Detail()
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(text, p)
		}
		if ok {
			return true
		}
	}
	return false
}

func expectDiag(t *testing.T, diags diag.Diagnostics, sev diag.Severity, parts ...string) {
	t.Helper()
	if !hasDiag(diags, sev, parts...) {
		t.Errorf("want a %v containing %q, got %v", sev, parts, diags)
	}
}
