// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"context"
	"strconv"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	pschema "github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The floor: a provider named fog with the two resource types the benchmark
// uses, fog_image and fog_host_image_assignment, with the same attribute
// names, types, required/optional/computed flags and defaults as the real
// ones, and nothing else: no I/O, no validators, no plan checks, no
// logging of its own. Create stores the plan with made-up computed values,
// Read keeps the state, Delete forgets. What Terraform and the framework
// cost for resources of this shape is the floor the real provider is
// measured against.

var floorIDs atomic.Int64

func newFloor() provider.Provider { return floorProvider{} }

type floorProvider struct{}

func (floorProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "fog"
}

func (floorProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	str := func() pschema.StringAttribute { return pschema.StringAttribute{Optional: true} }
	resp.Schema = pschema.Schema{Attributes: map[string]pschema.Attribute{
		"server_url": str(), "api_token": pschema.StringAttribute{Optional: true, Sensitive: true},
		"user_token": pschema.StringAttribute{Optional: true, Sensitive: true}, "username": str(),
		"password": pschema.StringAttribute{Optional: true, Sensitive: true}, "ca_cert_pem": str(),
		"insecure": pschema.BoolAttribute{Optional: true}, "request_timeout": str(),
		"max_retries": pschema.Int64Attribute{Optional: true}, "retry_max_wait": str(),
		"max_concurrent_requests": pschema.Int64Attribute{Optional: true},
	}}
}

func (floorProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (floorProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		func() resource.Resource { return floorImage{} },
		func() resource.Resource { return floorAssignment{} },
	}
}

func (floorProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

type floorImageModel struct {
	ID              types.String `tfsdk:"id"`
	Name            types.String `tfsdk:"name"`
	Path            types.String `tfsdk:"path"`
	ImageTypeID     types.Int64  `tfsdk:"image_type_id"`
	OSID            types.Int64  `tfsdk:"os_id"`
	Description     types.String `tfsdk:"description"`
	PartitionTypeID types.Int64  `tfsdk:"partition_type_id"`
	Enabled         types.Bool   `tfsdk:"enabled"`
	Replicate       types.Bool   `tfsdk:"replicate"`
	Compress        types.Int64  `tfsdk:"compress"`
	Format          types.Int64  `tfsdk:"format"`
	Protected       types.Bool   `tfsdk:"protected"`
	ForceDestroy    types.Bool   `tfsdk:"force_destroy"`
	CreatedTime     types.String `tfsdk:"created_time"`
	CreatedBy       types.String `tfsdk:"created_by"`
	Size            types.String `tfsdk:"size"`
	LastCaptured    types.String `tfsdk:"last_captured"`
}

type floorImage struct{}

func (floorImage) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_image"
}

func (floorImage) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	useState := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	computed := func() schema.StringAttribute { return schema.StringAttribute{Computed: true, PlanModifiers: useState} }
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{
		"id":                computed(),
		"name":              schema.StringAttribute{Required: true},
		"path":              schema.StringAttribute{Required: true},
		"image_type_id":     schema.Int64Attribute{Required: true},
		"os_id":             schema.Int64Attribute{Required: true},
		"description":       schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString("")},
		"partition_type_id": schema.Int64Attribute{Optional: true, Computed: true, Default: int64default.StaticInt64(1)},
		"enabled":           schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(true)},
		"replicate":         schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(true)},
		"compress":          schema.Int64Attribute{Optional: true, Computed: true, Default: int64default.StaticInt64(6)},
		"format":            schema.Int64Attribute{Optional: true, Computed: true, Default: int64default.StaticInt64(5)},
		"protected":         schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(false)},
		"force_destroy":     schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(false)},
		"created_time":      computed(),
		"created_by":        computed(),
		"size":              computed(),
		"last_captured":     computed(),
	}}
}

func (floorImage) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m floorImageModel
	if resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...); resp.Diagnostics.HasError() {
		return
	}
	m.ID = types.StringValue(strconv.FormatInt(floorIDs.Add(1), 10))
	m.CreatedTime = types.StringValue("2026-01-01 00:00:00")
	m.CreatedBy = types.StringValue("fog")
	m.Size = types.StringValue("")
	m.LastCaptured = types.StringValue("")
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (floorImage) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m floorImageModel
	if resp.Diagnostics.Append(req.State.Get(ctx, &m)...); resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (floorImage) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m floorImageModel
	if resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...); resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (floorImage) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

type floorAssignmentModel struct {
	ID      types.String `tfsdk:"id"`
	HostID  types.Int64  `tfsdk:"host_id"`
	ImageID types.Int64  `tfsdk:"image_id"`
}

type floorAssignment struct{}

func (floorAssignment) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_host_image_assignment"
}

func (floorAssignment) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{
		"id": schema.StringAttribute{Computed: true, PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}},
		"host_id": schema.Int64Attribute{Required: true,
			PlanModifiers: []planmodifier.Int64{int64planmodifier.RequiresReplace()}},
		"image_id": schema.Int64Attribute{Required: true},
	}}
}

func (floorAssignment) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m floorAssignmentModel
	if resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...); resp.Diagnostics.HasError() {
		return
	}
	m.ID = types.StringValue(strconv.FormatInt(m.HostID.ValueInt64(), 10))
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (floorAssignment) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m floorAssignmentModel
	if resp.Diagnostics.Append(req.State.Get(ctx, &m)...); resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (floorAssignment) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m floorAssignmentModel
	if resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...); resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (floorAssignment) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}
