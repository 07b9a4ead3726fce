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
	_ resource.Resource                = (*groupMembershipResource)(nil)
	_ resource.ResourceWithConfigure   = (*groupMembershipResource)(nil)
	_ resource.ResourceWithImportState = (*groupMembershipResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*groupMembershipResource)(nil)
)

// NewGroupMembershipResource is the constructor of fog_group_membership.
func NewGroupMembershipResource() resource.Resource { return &groupMembershipResource{} }

type groupMembershipResource struct {
	data *ProviderData
}

type groupMembershipModel struct {
	ID      types.String `tfsdk:"id"`
	GroupID types.Int64  `tfsdk:"group_id"`
	HostID  types.Int64  `tfsdk:"host_id"`
}

// membershipKey is a group and host pair of fog_group_membership.
type membershipKey struct{ group, host int64 }

func membershipID(groupID, hostID int64) string { return fmt.Sprintf("%d:%d", groupID, hostID) }

func (r *groupMembershipResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_group_membership"
}

func (r *groupMembershipResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.Int64{int64planmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{
		// The rest of the page is in templates/resources/group_membership.md.tmpl.
		MarkdownDescription: "One host's membership of one FOG group, for configurations that add hosts to a group one by " +
			"one (for example from each host's own module). It manages only its own pair: other members of the group are left " +
			"alone. A group whose `fog_group` sets `host_ids` must not also have memberships: `host_ids` would remove them.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "`<group_id>:<host_id>`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"group_id": schema.Int64Attribute{
				MarkdownDescription: "FOG id of the group, for example `fog_group.lab.id`. Changing it moves the host: the old " +
					"membership is removed and a new one made.",
				Required:      true,
				Validators:    []validator.Int64{int64validator.AtLeast(1)},
				PlanModifiers: replace,
			},
			"host_id": schema.Int64Attribute{
				MarkdownDescription: "FOG id of the host. Changing it replaces the membership.",
				Required:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
				PlanModifiers:       replace,
			},
		},
	}
}

func (r *groupMembershipResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// membershipConflict refuses a fog_group_membership of a group whose
// fog_group sets host_ids, as far as this provider instance has seen both:
// host_ids would remove the membership's host at every apply, and the
// membership would add it back at the next. FOG keeps no trace of who
// manages a membership, so this is what can be detected: a plan sees both
// when the group already exists (a warning, serverChecksAtPlan), an apply
// when it creates or changes the group's members too (an error before the
// membership is written).
func membershipConflict(data *ProviderData, groupID int64) diag.Diagnostics {
	var diags diag.Diagnostics
	if data == nil {
		return nil
	}
	if _, ok := data.groupsWithHostIDs.Load(groupID); !ok {
		return nil
	}
	var hosts []int64
	data.groupsWithMemberships.Range(func(k, _ any) bool {
		if key, ok := k.(membershipKey); ok && key.group == groupID {
			hosts = append(hosts, key.host)
		}
		return true
	})
	if len(hosts) == 0 {
		return nil
	}
	diags.AddError(unableTo("manage", fmt.Sprintf("the members of group %d", groupID)), fmt.Sprintf(
		"A fog_group sets host_ids for group %d, and fog_group_membership resources add host(s) %s to the same group. "+
			"host_ids makes the group have exactly those members, so each apply would remove the memberships' hosts and the "+
			"next would add them back.\n\nManage the group's members one way: list every host in host_ids and remove the "+
			"fog_group_membership resources (terraform state rm), or remove host_ids from the fog_group.", groupID, joinInt64s(hosts)))
	return diags
}

// ModifyPlan runs, as warnings (serverChecksAtPlan), the checks Create
// repeats as errors: the group and the host exist, the host is not a member
// yet, and no fog_group manages the group's members with host_ids.
func (r *groupMembershipResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	ctx = r.data.LogContext(ctx)
	if req.Plan.Raw.IsNull() || r.data.configuredClient() == nil {
		return
	}
	var plan groupMembershipModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || !known(plan.GroupID) || !known(plan.HostID) {
		return
	}
	g, h := plan.GroupID.ValueInt64(), plan.HostID.ValueInt64()
	r.data.groupsWithMemberships.Store(membershipKey{g, h}, struct{}{})
	conflict := membershipConflict(r.data, g)
	if !req.State.Raw.IsNull() {
		resp.Diagnostics.Append(serverChecksAtPlan(conflict)...)
		return
	}
	if r.data.reads.Wrote() {
		resp.Diagnostics.Append(serverChecksAtPlan(conflict)...)
		return // an apply: Create checks again
	}
	checks := conflict
	object := fmt.Sprintf("the membership of host %d in group %d", h, g)
	if _, err := r.data.reads.Group(ctx, g); errors.Is(err, fogclient.ErrNotFound) {
		checks.AddAttributeError(path.Root("group_id"), unableTo("create", object), missingGroupDetail(g))
	}
	if _, err := r.data.reads.Host(ctx, h); errors.Is(err, fogclient.ErrNotFound) {
		checks.AddAttributeError(path.Root("host_id"), unableTo("create", object), missingHostDetail(h))
	}
	if rows, err := r.data.reads.GroupMemberships(ctx); err == nil && hasMembership(rows, g, h) {
		checks.AddAttributeError(path.Root("host_id"), unableTo("create", object), alreadyMemberDetail(g, h))
	}
	resp.Diagnostics.Append(serverChecksAtPlan(checks)...)
}

func hasMembership(rows []fogclient.GroupMembership, groupID, hostID int64) bool {
	for _, m := range rows {
		if m.GroupID == groupID && m.HostID == hostID {
			return true
		}
	}
	return false
}

func missingGroupDetail(groupID int64) string {
	return fmt.Sprintf("FOG has no group with id %d. FOG would record the membership anyway, for a group that does not exist. "+
		"Check the id in FOG's Group Management, or look it up with the fog_group data source.", groupID)
}

func alreadyMemberDetail(groupID, hostID int64) string {
	return fmt.Sprintf("Host %d is already a member of group %d. To manage that membership with Terraform, import it:\n\n"+
		"  terraform import <resource address> %s", hostID, groupID, membershipID(groupID, hostID))
}

func (r *groupMembershipResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	ctx = r.data.LogContext(ctx)
	var plan groupMembershipModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	g, h := plan.GroupID.ValueInt64(), plan.HostID.ValueInt64()
	object := fmt.Sprintf("the membership of host %d in group %d", h, g)
	client := r.data.clientOrError(&resp.Diagnostics, "create", object)
	if client == nil {
		return
	}
	r.data.groupsWithMemberships.Store(membershipKey{g, h}, struct{}{})
	if d := membershipConflict(r.data, g); d.HasError() {
		resp.Diagnostics.Append(d...)
		return
	}
	if _, err := client.GetGroup(ctx, g); err != nil {
		if errors.Is(err, fogclient.ErrNotFound) {
			resp.Diagnostics.AddAttributeError(path.Root("group_id"), unableTo("create", object), missingGroupDetail(g))
		} else {
			addClientError(&resp.Diagnostics, "create", object, err)
		}
		return
	}
	if _, err := client.GetHost(ctx, h); err != nil {
		if errors.Is(err, fogclient.ErrNotFound) {
			addMissingHostError(&resp.Diagnostics, "create", object, h)
		} else {
			addClientError(&resp.Diagnostics, "create", object, err)
		}
		return
	}
	rows, err := client.GroupMemberships(ctx, g)
	if err != nil {
		addClientError(&resp.Diagnostics, "create", object, err)
		return
	}
	if hasMembership(rows, g, h) {
		resp.Diagnostics.AddAttributeError(path.Root("host_id"), unableTo("create", object), alreadyMemberDetail(g, h))
		return
	}
	if _, err := client.AddGroupMember(ctx, g, h); err != nil {
		addClientError(&resp.Diagnostics, "create", object, err)
		return
	}
	tflog.Info(ctx, "added host to group", map[string]any{"group_id": g, "host_id": h})
	plan.ID = types.StringValue(membershipID(g, h))
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *groupMembershipResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	ctx = r.data.LogContext(ctx)
	var state groupMembershipModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || r.data.configuredClient() == nil {
		return
	}
	g, h := state.GroupID.ValueInt64(), state.HostID.ValueInt64()
	r.data.groupsWithMemberships.Store(membershipKey{g, h}, struct{}{})
	rows, err := r.data.reads.GroupMemberships(ctx)
	if err != nil {
		addClientError(&resp.Diagnostics, "read", fmt.Sprintf("the membership of host %d in group %d", h, g), err)
		return
	}
	if !hasMembership(rows, g, h) {
		// Removed outside Terraform, or with its host or group (FOG deletes
		// the rows of both, recordings 500, 543).
		tflog.Warn(ctx, "membership no longer exists on the FOG server; removing it from the state", map[string]any{"group_id": g, "host_id": h})
		r.data.groupsWithMemberships.Delete(membershipKey{g, h})
		resp.State.RemoveResource(ctx)
		return
	}
	state.ID = types.StringValue(membershipID(g, h))
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update never runs: both arguments force a replacement.
func (r *groupMembershipResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	ctx = r.data.LogContext(ctx)
	var plan groupMembershipModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *groupMembershipResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	ctx = r.data.LogContext(ctx)
	var state groupMembershipModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	g, h := state.GroupID.ValueInt64(), state.HostID.ValueInt64()
	object := fmt.Sprintf("the membership of host %d in group %d", h, g)
	client := r.data.clientOrError(&resp.Diagnostics, "delete", object)
	if client == nil {
		return
	}
	r.data.groupsWithMemberships.Delete(membershipKey{g, h})
	if err := client.RemoveGroupMember(ctx, g, h); err != nil && !errors.Is(err, fogclient.ErrNotFound) {
		addClientError(&resp.Diagnostics, "delete", object, err)
		return
	}
	tflog.Info(ctx, "removed host from group", map[string]any{"group_id": g, "host_id": h})
}

// ImportState takes "<group_id>:<host_id>"; the Read that follows checks
// that the membership exists.
func (r *groupMembershipResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	ctx = r.data.LogContext(ctx)
	gs, hs, ok := strings.Cut(strings.TrimSpace(req.ID), ":")
	g, gerr := strconv.ParseInt(gs, 10, 64)
	h, herr := strconv.ParseInt(hs, 10, 64)
	if !ok || gerr != nil || herr != nil || g < 1 || h < 1 {
		resp.Diagnostics.AddError(fmt.Sprintf("Unable to import group membership %q", req.ID),
			"The import id must be the group's and the host's FOG ids joined by a colon, <group_id>:<host_id>, for example 3:12.")
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), membershipID(g, h))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("group_id"), g)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("host_id"), h)...)
}
