// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// TestRecordedStateHasNoUnknowns: the record of a create whose outcome is
// unknown holds no unknown value, whatever the plan left unknown (a host's
// image_id the configuration leaves out, its primary MAC, its pending
// MACs). Terraform rejects an apply's state with unknowns ("Provider
// returned invalid result object after apply"), which hid the lost answer.
func TestRecordedStateHasNoUnknowns(t *testing.T) {
	ctx := context.Background()
	var sr resource.SchemaResponse
	NewHostResource().Schema(ctx, resource.SchemaRequest{}, &sr)
	state := tfsdk.State{Schema: sr.Schema}
	var plan hostResourceModel
	// Every attribute unknown, as a plan leaves the computed ones.
	objType, ok := sr.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatalf("the host schema's type is %T, not an object", sr.Schema.Type().TerraformType(ctx))
	}
	attrs := map[string]tftypes.Value{}
	for name, typ := range objType.AttributeTypes {
		attrs[name] = tftypes.NewValue(typ, tftypes.UnknownValue)
	}
	attrs["name"] = tftypes.NewValue(tftypes.String, "lab-01")
	unknownPlan := tfsdk.Plan{Schema: sr.Schema, Raw: tftypes.NewValue(objType, attrs)}
	if diags := unknownPlan.Get(ctx, &plan); diags.HasError() {
		t.Fatal(diags)
	}
	if diags := recordedState(ctx, &state, &plan); diags.HasError() {
		t.Fatal(diags)
	}
	if !state.Raw.IsFullyKnown() {
		t.Fatalf("the record holds unknown values: %s", state.Raw)
	}
}
