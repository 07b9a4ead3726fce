// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

var (
	_ resource.Resource                = (*groupResource)(nil)
	_ resource.ResourceWithConfigure   = (*groupResource)(nil)
	_ resource.ResourceWithImportState = (*groupResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*groupResource)(nil)
	_ resource.ResourceWithIdentity    = (*groupResource)(nil)
)

// NewGroupResource is the constructor of fog_group.
func NewGroupResource() resource.Resource { return &groupResource{} }

type groupResource struct {
	data *ProviderData
}

type groupModel struct {
	ID           types.String `tfsdk:"id"`
	Name         types.String `tfsdk:"name"`
	Description  fogTextValue `tfsdk:"description"`
	Kernel       types.String `tfsdk:"kernel"`
	KernelArgs   types.String `tfsdk:"kernel_args"`
	KernelDevice types.String `tfsdk:"kernel_device"`
	HostIDs      types.Set    `tfsdk:"host_ids"`
	HostCount    types.Int64  `tfsdk:"host_count"`
	CreatedTime  types.String `tfsdk:"created_time"`
	CreatedBy    types.String `tfsdk:"created_by"`
}

func (r *groupResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_group"
}

func (r *groupResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	useState := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	optionalText := func(desc, what string) schema.StringAttribute {
		return schema.StringAttribute{
			MarkdownDescription: desc + " At most 255 characters. Defaults to empty.",
			Optional:            true,
			Computed:            true,
			Default:             stringdefault.StaticString(""),
			Validators:          []validator.String{groupStringValidator(what)},
		}
	}
	resp.Schema = schema.Schema{
		// The rest of the page is in templates/resources/group.md.tmpl.
		MarkdownDescription: "A host group in FOG (Group Management): a set of hosts that can be deployed together, one " +
			"task per member or one multicast stream (`fog_task` with `group_id`).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The FOG id of the group, as a string.",
				Computed:            true,
				PlanModifiers:       useState,
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "Group name, unique in FOG regardless of letter case: 1 to 50 characters, without " +
					"`& < > \" '`, leading, trailing or repeated spaces, or `_api_`. Renamed in place. FOG accepts a change of " +
					"letter case only towards the all-lower-case name (`Lab-A` to `lab-a`); any other change of case only needs " +
					"two applies through a different name.",
				Required:   true,
				Validators: []validator.String{groupNameValidator()},
			},
			"description": schema.StringAttribute{
				CustomType: fogTextType{},
				MarkdownDescription: "Free text. Defaults to empty. FOG trims leading and trailing whitespace and collapses repeated " +
					"spaces when it returns the text; such differences are not reported as changes.",
				Optional:   true,
				Computed:   true,
				Default:    stringdefault.StaticString(""),
				Validators: []validator.String{descriptionValidator()},
			},
			"kernel":        optionalText("Kernel file the members boot for imaging (FOG's \"Group Kernel\"), empty for FOG's default.", "kernel"),
			"kernel_args":   optionalText("Extra kernel arguments for the members' imaging boots (\"Group Kernel Arguments\").", "kernel_args"),
			"kernel_device": optionalText("The members' primary disk (\"Group Primary Disk\"), for example `/dev/sda`; empty to let FOS choose.", "kernel_device"),
			"host_ids": schema.SetAttribute{
				MarkdownDescription: "The FOG ids of the group's members. When set, the group has exactly these members: the " +
					"provider adds and removes members one by one and reports any other change as drift. When left out, the " +
					"provider does not manage membership and only reports the members here (use `fog_group_membership` to add " +
					"hosts one by one instead; the two must not manage the same group). Every host must exist (FOG itself would " +
					"store any number).",
				ElementType: types.Int64Type,
				Optional:    true,
				Computed:    true,
				Validators:  []validator.Set{setvalidator.ValueInt64sAre(int64validator.AtLeast(1))},
				PlanModifiers: []planmodifier.Set{
					setplanmodifier.UseStateForUnknown(),
				},
			},
			"host_count": schema.Int64Attribute{
				MarkdownDescription: "How many members of the group exist as hosts (FOG's `hostcount`).",
				Computed:            true,
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
			"created_time": schema.StringAttribute{
				MarkdownDescription: "When the group was created, in the FOG server's local time (`YYYY-MM-DD HH:MM:SS`).",
				Computed:            true,
				PlanModifiers:       useState,
			},
			"created_by": schema.StringAttribute{
				MarkdownDescription: "FOG user that created the group (`fog` when created with a user token).",
				Computed:            true,
				PlanModifiers:       useState,
			},
		},
	}
}

// IdentitySchema: a group is identified by its FOG id (identity.go).
func (r *groupResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = fogIDIdentitySchema("group")
}

func (r *groupResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan refuses a rename FOG cannot do and, as warnings
// (serverChecksAtPlan), a name FOG already has, hosts it does not have, and
// fog_group_membership resources that manage the same group.
func (r *groupResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	ctx = r.data.LogContext(ctx)
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var plan, config groupModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	creating := req.State.Raw.IsNull()
	var state groupModel
	var id int64
	if !creating {
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if resp.Diagnostics.HasError() {
			return
		}
		id, _ = strconv.ParseInt(state.ID.ValueString(), 10, 64)
		from, to := state.Name.ValueString(), plan.Name.ValueString()
		if known(plan.Name) && fogclient.CaseOnlyRenameRefused(from, to) {
			resp.Diagnostics.AddAttributeError(path.Root("name"), fmt.Sprintf("Unable to rename group %q to %q", from, to),
				fmt.Sprintf("FOG cannot change only the letter case of a name, except to all lower case (it compares names "+
					"without regard to case and refuses the rename). Rename it to a different name in one apply, for example %q, "+
					"and to %q in the next.", to+"-tmp", to))
		}
		if !plan.HostIDs.Equal(state.HostIDs) {
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("host_count"), types.Int64Unknown())...)
		}
	}
	if creating {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("host_count"), types.Int64Unknown())...)
	}
	if r.data.configuredClient() == nil || resp.Diagnostics.HasError() {
		return
	}
	managed := known(config.HostIDs)
	if managed && id > 0 {
		r.data.groupsWithHostIDs.Store(id, struct{}{})
	}
	if r.data.reads.Wrote() {
		return // an apply: Create and Update check again
	}
	var checks diag.Diagnostics
	if known(plan.Name) && (creating || plan.Name.ValueString() != state.Name.ValueString()) {
		checks.Append(r.nameFree(ctx, id, plan.Name.ValueString())...)
	}
	if managed {
		ids, _ := int64sOf(config.HostIDs)
		checks.Append(r.hostsExist(ctx, ids)...)
		if id > 0 {
			checks.Append(membershipConflict(r.data, id)...)
		}
	}
	resp.Diagnostics.Append(serverChecksAtPlan(checks)...)
}

// nameFree refuses a name another group holds, from the read cache.
func (r *groupResource) nameFree(ctx context.Context, id int64, name string) diag.Diagnostics {
	var diags diag.Diagnostics
	found, err := r.data.reads.GroupsNamed(ctx, name)
	if err != nil {
		tflog.Warn(ctx, "could not look the group name up at plan time; it is checked at apply time", map[string]any{"error": err.Error()})
		return nil
	}
	found = slices.DeleteFunc(found, func(g fogclient.Group) bool { return g.ID == id })
	if len(found) > 0 {
		existing := found[0]
		if exact := pickByName(found, name, func(g *fogclient.Group) string { return g.Name }); exact != nil {
			existing = *exact
		}
		diags.AddAttributeError(path.Root("name"), unableTo("create", fmt.Sprintf("group %q", name)),
			nameTakenDetail("group", existing.Name, existing.ID))
	}
	return diags
}

// hostsExist refuses host ids FOG does not have, from the read cache.
func (r *groupResource) hostsExist(ctx context.Context, ids []int64) diag.Diagnostics {
	var diags diag.Diagnostics
	var missing []int64
	for _, id := range ids {
		_, err := r.data.reads.Host(ctx, id)
		switch {
		case errors.Is(err, fogclient.ErrNotFound):
			missing = append(missing, id)
		case err != nil:
			tflog.Warn(ctx, "could not read a host at plan time; it is checked at apply time", map[string]any{"host_id": id, "error": err.Error()})
		}
	}
	if len(missing) > 0 {
		diags.AddAttributeError(path.Root("host_ids"), "Unable to set the group's members", missingHostsDetail(missing))
	}
	return diags
}

func missingHostsDetail(ids []int64) string {
	return fmt.Sprintf("FOG has no host with id %s (or the host has no primary MAC address, which makes FOG hide it). FOG would "+
		"record the membership anyway, for a host that does not exist. Check the ids in FOG's Host Management, or look them up "+
		"with the fog_hosts data source.", joinInt64s(ids))
}

func joinInt64s(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ", ")
}

func (r *groupResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	ctx = r.data.LogContext(ctx)
	var plan, config groupModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	object := fmt.Sprintf("group %q", plan.Name.ValueString())
	client := r.data.clientOrError(&resp.Diagnostics, "create", object)
	if client == nil {
		return
	}
	hostIDs, managed := int64sOf(config.HostIDs)
	if managed && !r.checkHostsBeforeWrite(ctx, client, "create", object, hostIDs, &resp.Diagnostics) {
		return
	}

	g, err := client.CreateGroup(ctx, plan.toCreate())
	if err != nil {
		r.addNameError(ctx, &resp.Diagnostics, "create", object, plan.Name.ValueString(), err)
		return
	}
	tflog.Info(ctx, "created group", map[string]any{"id": g.ID, "name": g.Name})
	resp.Diagnostics.Append(setFOGIDIdentity(ctx, resp.Identity, g.ID)...)
	members := []int64{}
	if managed {
		r.data.groupsWithHostIDs.Store(g.ID, struct{}{})
		rows, err := client.SetGroupMembers(ctx, g.ID, hostIDs)
		if err != nil {
			// The group exists: keep it in the state (tainted by the error).
			addGroupMembersError(&resp.Diagnostics, "create", object, err)
			plan.fromAPI(g, nil)
			resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
			return
		}
		members = fogclient.MemberIDs(rows, g.ID)
		if g, err = client.GetGroup(ctx, g.ID); err != nil { // hostcount
			addClientError(&resp.Diagnostics, "read", object, err)
			return
		}
	}
	plan.fromAPI(g, members)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// checkHostsBeforeWrite refuses, before any write, host ids FOG does not have.
func (r *groupResource) checkHostsBeforeWrite(ctx context.Context, client *fogclient.Client, action, object string, ids []int64, diags *diag.Diagnostics) bool {
	if len(ids) == 0 {
		return true
	}
	hosts, err := client.ListHostsByID(ctx, ids)
	if err != nil {
		addClientError(diags, action, object, fmt.Errorf("checking the hosts of host_ids: %w", err))
		return false
	}
	found := map[int64]bool{}
	for _, h := range hosts {
		found[h.ID] = true
	}
	var lost []int64
	for _, id := range ids {
		if found[id] {
			continue
		}
		if _, err := client.GetHost(ctx, id); errors.Is(err, fogclient.ErrNotFound) {
			lost = append(lost, id)
		} else if err != nil {
			addClientError(diags, action, object, fmt.Errorf("checking host %d of host_ids: %w", id, err))
			return false
		}
	}
	if len(lost) > 0 {
		diags.AddAttributeError(path.Root("host_ids"), unableTo(action, object), missingHostsDetail(lost))
		return false
	}
	return true
}

func addGroupMembersError(diags *diag.Diagnostics, action, object string, err error) {
	var missing *fogclient.MissingHostsError
	if errors.As(err, &missing) {
		diags.AddAttributeError(path.Root("host_ids"), unableTo(action, object), missingHostsDetail(missing.IDs))
		return
	}
	diags.AddAttributeError(path.Root("host_ids"), unableTo(action, object),
		"Setting the group's members failed: "+clientErrorDetail(err, fixContext{}))
}

// addNameError explains "Already created" with the id of the existing group.
func (r *groupResource) addNameError(ctx context.Context, diags *diag.Diagnostics, action, object, name string, err error) {
	if addExistingObjectError(diags, object, groupAttributeNames, err) {
		return
	}
	if errors.Is(err, fogclient.ErrAlreadyExists) {
		if existing, ferr := r.data.Client.FindGroupsByName(ctx, name); ferr == nil && len(existing) > 0 {
			diags.AddAttributeError(path.Root("name"), unableTo(action, object), nameTakenDetail("group", existing[0].Name, existing[0].ID))
			return
		}
	}
	addClientError(diags, action, object, err)
}

// groupAttributeNames maps FOG's group fields to fog_group's attributes.
var groupAttributeNames = map[string]string{
	"name": "name", "description": "description", "kernel": "kernel", "kernelArgs": "kernel_args", "kernelDevice": "kernel_device",
}

func (r *groupResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	ctx = r.data.LogContext(ctx)
	var state groupModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id, ok := fogIDToRefresh(ctx, r.data, "group", state.ID, resp)
	if !ok {
		return
	}
	g, err := r.data.reads.Group(ctx, id)
	if errors.Is(err, fogclient.ErrNotFound) {
		tflog.Warn(ctx, "group no longer exists on the FOG server; removing it from the state", map[string]any{"id": id})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addClientError(&resp.Diagnostics, "read", fmt.Sprintf("group %d", id), err)
		return
	}
	members, err := r.data.reads.GroupMemberIDs(ctx, id)
	if err != nil {
		addClientError(&resp.Diagnostics, "read", fmt.Sprintf("the members of group %d", id), err)
		return
	}
	state.fromAPI(g, members)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *groupResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	ctx = r.data.LogContext(ctx)
	var plan, state, config groupModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	object := fmt.Sprintf("group %q", state.Name.ValueString())
	client := r.data.clientOrError(&resp.Diagnostics, "update", object)
	if client == nil {
		return
	}
	id, ok := parseID(state.ID.ValueString(), &resp.Diagnostics)
	if !ok {
		return
	}
	resp.Diagnostics.Append(setFOGIDIdentity(ctx, resp.Identity, id)...)
	hostIDs, managed := int64sOf(config.HostIDs)
	setMembers := managed && !plan.HostIDs.Equal(state.HostIDs)
	if setMembers {
		r.data.groupsWithHostIDs.Store(id, struct{}{})
		if d := membershipConflict(r.data, id); d.HasError() {
			resp.Diagnostics.Append(d...)
			return
		}
		if !r.checkHostsBeforeWrite(ctx, client, "update", object, hostIDs, &resp.Diagnostics) {
			return
		}
	}

	g, err := (*fogclient.Group)(nil), error(nil)
	if upd, changed := plan.toUpdate(state); changed {
		g, err = client.UpdateGroup(ctx, id, upd)
		if err != nil {
			if errors.Is(err, fogclient.ErrAlreadyExists) && upd.Name != nil {
				r.addNameError(ctx, &resp.Diagnostics, "update", object, *upd.Name, err)
				return
			}
			addClientError(&resp.Diagnostics, "update", object, err)
			return
		}
	}
	var members []int64
	if setMembers {
		rows, err := client.SetGroupMembers(ctx, id, hostIDs)
		if err != nil {
			addGroupMembersError(&resp.Diagnostics, "update", object, err)
			return
		}
		members = fogclient.MemberIDs(rows, id)
	} else if members, err = client.GroupMemberIDs(ctx, id); err != nil {
		addClientError(&resp.Diagnostics, "read", "the members of "+object, err)
		return
	}
	if g == nil || setMembers {
		if g, err = client.GetGroup(ctx, id); err != nil {
			addClientError(&resp.Diagnostics, "read", object, err)
			return
		}
	}
	tflog.Info(ctx, "updated group", map[string]any{"id": g.ID, "name": g.Name})
	plan.fromAPI(g, members)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *groupResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	ctx = r.data.LogContext(ctx)
	var state groupModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	object := fmt.Sprintf("group %q", state.Name.ValueString())
	client := r.data.clientOrError(&resp.Diagnostics, "delete", object)
	if client == nil {
		return
	}
	id, ok := parseID(state.ID.ValueString(), &resp.Diagnostics)
	if !ok {
		return
	}
	// FOG deletes the group's membership rows with it; the hosts stay
	// (recordings 490, 500, 501).
	r.data.groupsWithHostIDs.Delete(id)
	deleteFOGObject(ctx, "group", object, id, client.DeleteGroup, &resp.Diagnostics)
}

// ImportState accepts the FOG id ("12"), the name ("name:Lab-A"), or an
// identity (`identity = { id = 12 }` in an import block).
func (r *groupResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	ctx = r.data.LogContext(ctx)
	importFOGObject(ctx, groupImport, r.data, req, resp)
}

var groupImport = fogIDImport{
	object:      "group",
	exampleName: "Lab-A",
	findByName: func(ctx context.Context, client *fogclient.Client, name string) (int64, error) {
		found, err := client.FindGroupsByName(ctx, name)
		if err != nil {
			return 0, err
		}
		if g := pickByName(found, name, func(g *fogclient.Group) string { return g.Name }); g != nil {
			return g.ID, nil
		}
		return 0, nil
	},
	noSuchName: "FOG has no group with this name. Check the name in FOG's Group Management",
}

func (m groupModel) toCreate() fogclient.GroupCreate {
	return fogclient.GroupCreate{
		Name:         m.Name.ValueString(),
		Description:  normalizeFOGText(m.Description.ValueString()),
		Kernel:       m.Kernel.ValueString(),
		KernelArgs:   m.KernelArgs.ValueString(),
		KernelDevice: m.KernelDevice.ValueString(),
	}
}

// toUpdate lists the fields whose planned value differs from the state.
func (m groupModel) toUpdate(state groupModel) (fogclient.GroupUpdate, bool) {
	var u fogclient.GroupUpdate
	changed := false
	str := func(plan, prior types.String) *string {
		if !known(plan) || plan.ValueString() == prior.ValueString() {
			return nil
		}
		changed = true
		v := plan.ValueString()
		return &v
	}
	u.Name = str(m.Name, state.Name)
	if known(m.Description) && normalizeFOGText(m.Description.ValueString()) != normalizeFOGText(state.Description.ValueString()) {
		d := normalizeFOGText(m.Description.ValueString())
		u.Description = &d
		changed = true
	}
	u.Kernel = str(m.Kernel, state.Kernel)
	u.KernelArgs = str(m.KernelArgs, state.KernelArgs)
	u.KernelDevice = str(m.KernelDevice, state.KernelDevice)
	return u, changed
}

// fromAPI copies the group and its member ids into the model.
func (m *groupModel) fromAPI(g *fogclient.Group, members []int64) {
	m.ID = types.StringValue(strconv.FormatInt(g.ID, 10))
	m.Name = types.StringValue(g.Name)
	m.Description = newFOGText(g.Description)
	m.Kernel = types.StringValue(g.Kernel)
	m.KernelArgs = types.StringValue(g.KernelArgs)
	m.KernelDevice = types.StringValue(g.KernelDevice)
	m.HostIDs = int64Set(members)
	m.HostCount = types.Int64Value(g.HostCount)
	m.CreatedTime = types.StringValue(dateOrEmpty(g.CreatedTime))
	m.CreatedBy = types.StringValue(g.CreatedBy)
}

// int64Set is a known set of ids (empty, not null, for none).
func int64Set(ids []int64) types.Set {
	elems := make([]attr.Value, 0, len(ids))
	seen := map[int64]bool{}
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			elems = append(elems, types.Int64Value(id))
		}
	}
	return types.SetValueMust(types.Int64Type, elems)
}

// int64sOf returns the ids of a known set, sorted; ok is false when the set
// or an element is null or unknown.
func int64sOf(s types.Set) ([]int64, bool) {
	if !known(s) {
		return nil, false
	}
	out := make([]int64, 0, len(s.Elements()))
	for _, e := range s.Elements() {
		v, ok := e.(types.Int64)
		if !ok || !known(v) {
			return nil, false
		}
		out = append(out, v.ValueInt64())
	}
	slices.Sort(out)
	return out, true
}
