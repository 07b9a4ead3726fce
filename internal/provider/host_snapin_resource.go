// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

var (
	_ resource.Resource                = (*hostSnapinResource)(nil)
	_ resource.ResourceWithConfigure   = (*hostSnapinResource)(nil)
	_ resource.ResourceWithImportState = (*hostSnapinResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*hostSnapinResource)(nil)
)

// NewHostSnapinResource is the constructor of fog_host_snapin.
func NewHostSnapinResource() resource.Resource { return &hostSnapinResource{} }

type hostSnapinResource struct {
	data *ProviderData
}

type hostSnapinModel struct {
	ID       types.String `tfsdk:"id"`
	HostID   types.Int64  `tfsdk:"host_id"`
	SnapinID types.Int64  `tfsdk:"snapin_id"`
}

func (r *hostSnapinResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_host_snapin"
}

func (r *hostSnapinResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.Int64{int64planmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "One snapin on one FOG host (the host's \"Snapins\" in FOG): the host gets the snapin the next time " +
			"its snapins are deployed (a `fog_task` of type `All Snapins`, or a deploy with `deploy_snapins`). Only this one " +
			"link is managed: the host's other snapins are left alone. FOG's own ways of setting a host's or a group's snapins " +
			"replace the whole list, so the provider never uses them.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "`<host_id>:<snapin_id>`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"host_id": schema.Int64Attribute{
				MarkdownDescription: "FOG id of the host. Checked to exist (FOG itself would link any number).",
				Required:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
				PlanModifiers:       replace,
			},
			"snapin_id": schema.Int64Attribute{
				MarkdownDescription: "FOG id of the snapin, for example `tonumber(fog_snapin.7zip.id)`. Checked to exist (FOG itself " +
					"would link any number).",
				Required:      true,
				Validators:    []validator.Int64{int64validator.AtLeast(1)},
				PlanModifiers: replace,
			},
		},
	}
}

func (r *hostSnapinResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func hostSnapinObject(hostID, snapinID int64) string {
	return fmt.Sprintf("snapin %d on host %d", snapinID, hostID)
}

// ModifyPlan warns about a host or snapin the server does not have; Create
// refuses it (serverChecksAtPlan).
func (r *hostSnapinResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	ctx = r.data.LogContext(ctx)
	if req.Plan.Raw.IsNull() || !req.State.Raw.IsNull() || r.data == nil || r.data.Client == nil || r.data.reads.Wrote() {
		return
	}
	var plan hostSnapinModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var checks diag.Diagnostics
	if known(plan.HostID) && known(plan.SnapinID) {
		object := hostSnapinObject(plan.HostID.ValueInt64(), plan.SnapinID.ValueInt64())
		if _, err := r.data.reads.Host(ctx, plan.HostID.ValueInt64()); errors.Is(err, fogclient.ErrNotFound) {
			addMissingHostError(&checks, "add", object, plan.HostID.ValueInt64())
		}
		if _, err := r.data.reads.Snapin(ctx, plan.SnapinID.ValueInt64()); errors.Is(err, fogclient.ErrNotFound) {
			checks.AddAttributeError(path.Root("snapin_id"), unableTo("add", object), missingSnapinDetail(plan.SnapinID.ValueInt64()))
		}
	}
	resp.Diagnostics.Append(serverChecksAtPlan(checks)...)
}

// missingSnapinDetail explains a snapin id FOG does not have.
func missingSnapinDetail(id int64) string {
	return fmt.Sprintf("FOG has no snapin with id %d. FOG would accept the number anyway and the host would have a snapin that "+
		"does not exist. Use the id of an existing snapin, for example tonumber(fog_snapin.<name>.id), or look it up with the "+
		"fog_snapins data source.", id)
}

func (r *hostSnapinResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	ctx = r.data.LogContext(ctx)
	var plan hostSnapinModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	hostID, snapinID := plan.HostID.ValueInt64(), plan.SnapinID.ValueInt64()
	object := hostSnapinObject(hostID, snapinID)
	client := r.data.clientOrError(&resp.Diagnostics, "add", object)
	if client == nil {
		return
	}
	// FOG links any numbers (recording 636): both are checked before the write.
	host, err := client.GetHost(ctx, hostID)
	if errors.Is(err, fogclient.ErrNotFound) {
		addMissingHostError(&resp.Diagnostics, "add", object, hostID)
		return
	}
	if err != nil {
		addClientError(&resp.Diagnostics, "add", object, err)
		return
	}
	snapin, err := client.GetSnapin(ctx, snapinID)
	if errors.Is(err, fogclient.ErrNotFound) {
		resp.Diagnostics.AddAttributeError(path.Root("snapin_id"), unableTo("add", object), missingSnapinDetail(snapinID))
		return
	}
	if err != nil {
		addClientError(&resp.Diagnostics, "add", object, err)
		return
	}
	object = fmt.Sprintf("snapin %q on host %q", snapin.Name, host.Name)
	_, created, err := client.LinkSnapin(ctx, hostID, snapinID)
	if err != nil {
		addClientError(&resp.Diagnostics, "add", object, err)
		return
	}
	if !created {
		resp.Diagnostics.AddWarning("Host already had the snapin", fmt.Sprintf(
			"Host %q (id %d) already had snapin %q (id %d), linked outside Terraform. This resource now manages the link: "+
				"destroying it removes the snapin from the host.", host.Name, host.ID, snapin.Name, snapin.ID))
	}
	tflog.Info(ctx, "added snapin to host", map[string]any{"host_id": hostID, "snapin_id": snapinID})
	plan.ID = types.StringValue(pairID(hostID, snapinID))
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *hostSnapinResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	ctx = r.data.LogContext(ctx)
	var state hostSnapinModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || r.data == nil || r.data.Client == nil {
		return
	}
	hostID, snapinID := state.HostID.ValueInt64(), state.SnapinID.ValueInt64()
	links, err := r.data.reads.SnapinLinks(ctx)
	if err != nil {
		addClientError(&resp.Diagnostics, "read", hostSnapinObject(hostID, snapinID), err)
		return
	}
	for _, l := range links {
		if l.HostID == hostID && l.SnapinID == snapinID {
			state.ID = types.StringValue(pairID(hostID, snapinID))
			resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
			return
		}
	}
	tflog.Warn(ctx, "the host no longer has the snapin; removing the link from the state", map[string]any{"host_id": hostID, "snapin_id": snapinID})
	resp.State.RemoveResource(ctx)
}

// Update is never called: every argument forces replacement.
func (r *hostSnapinResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	ctx = r.data.LogContext(ctx)
	var plan hostSnapinModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *hostSnapinResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	ctx = r.data.LogContext(ctx)
	var state hostSnapinModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	hostID, snapinID := state.HostID.ValueInt64(), state.SnapinID.ValueInt64()
	object := hostSnapinObject(hostID, snapinID)
	client := r.data.clientOrError(&resp.Diagnostics, "remove", object)
	if client == nil {
		return
	}
	link, err := client.HostSnapinLink(ctx, hostID, snapinID)
	if err != nil {
		addClientError(&resp.Diagnostics, "remove", object, err)
		return
	}
	if link == nil {
		return // already gone
	}
	if err := client.UnlinkSnapin(ctx, link.ID); err != nil && !errors.Is(err, fogclient.ErrNotFound) {
		addClientError(&resp.Diagnostics, "remove", object, err)
		return
	}
	tflog.Info(ctx, "removed snapin from host", map[string]any{"host_id": hostID, "snapin_id": snapinID})
}

// ImportState takes "<host_id>:<snapin_id>".
func (r *hostSnapinResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	ctx = r.data.LogContext(ctx)
	hostID, snapinID, ok := parsePairID(req.ID)
	if !ok {
		resp.Diagnostics.AddError(fmt.Sprintf("Unable to import host snapin %q", req.ID),
			"The import id must be the host's and the snapin's FOG ids joined by a colon, for example 7:3.")
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &hostSnapinModel{
		ID: types.StringValue(pairID(hostID, snapinID)), HostID: types.Int64Value(hostID), SnapinID: types.Int64Value(snapinID),
	})...)
}

// pairID is the id of a link resource: "<a>:<b>".
func pairID(a, b int64) string { return fmt.Sprintf("%d:%d", a, b) }

func parsePairID(s string) (a, b int64, ok bool) {
	left, right, found := strings.Cut(strings.TrimSpace(s), ":")
	if !found {
		return 0, 0, false
	}
	a, errA := strconv.ParseInt(left, 10, 64)
	b, errB := strconv.ParseInt(right, 10, 64)
	return a, b, errA == nil && errB == nil && a > 0 && b > 0
}
