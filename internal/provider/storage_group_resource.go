// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

var (
	_ resource.Resource                = (*storageGroupResource)(nil)
	_ resource.ResourceWithConfigure   = (*storageGroupResource)(nil)
	_ resource.ResourceWithImportState = (*storageGroupResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*storageGroupResource)(nil)
	_ resource.ResourceWithIdentity    = (*storageGroupResource)(nil)
)

// NewStorageGroupResource is the constructor of fog_storage_group.
func NewStorageGroupResource() resource.Resource { return &storageGroupResource{} }

type storageGroupResource struct {
	data *ProviderData
}

type storageGroupModel struct {
	ID          types.String `tfsdk:"id"`
	Name        types.String `tfsdk:"name"`
	Description fogTextValue `tfsdk:"description"`
}

func (r *storageGroupResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_storage_group"
}

func (r *storageGroupResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		// The rest of the page is in templates/resources/storage_group.md.tmpl.
		MarkdownDescription: "A FOG storage group (Storage Management): a set of storage nodes that hold the same images and " +
			"snapins, one of them the master that the others replicate from. Destroying a group that still has nodes, images " +
			"or snapins is refused, and so is destroying FOG's default group (id 1): FOG would delete the group and leave them " +
			"pointing at nothing, after which FOG cannot even list its images.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The FOG id of the storage group, as a string.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "Storage group name, unique in FOG regardless of letter case; 1 to 255 characters.",
				Required:            true,
				Validators:          []validator.String{objectNameValidator("storage group", fogclient.StorageNameMax)},
			},
			"description": schema.StringAttribute{
				CustomType:          fogTextType{},
				MarkdownDescription: "Free text. Defaults to empty.",
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString(""),
				Validators:          []validator.String{descriptionValidator()},
			},
		},
	}
}

func (r *storageGroupResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = fogIDIdentitySchema("storage group")
}

func (r *storageGroupResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// groupNameTaken is the check that a group name is free, as an error on name.
func groupNameTaken(action, name string, all []fogclient.StorageGroup, self string) diag.Diagnostics {
	var diags diag.Diagnostics
	for _, g := range all {
		if fogclient.SameName(g.Name, name) && strconv.FormatInt(g.ID, 10) != self {
			diags.AddAttributeError(path.Root("name"), unableTo(action, fmt.Sprintf("storage group %q", name)),
				nameTakenDetail("storage group", g.Name, g.ID))
			break
		}
	}
	return diags
}

// ModifyPlan warns about a name FOG already has (serverChecksAtPlan) and
// refuses a change of letter case only.
func (r *storageGroupResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	ctx = r.data.LogContext(ctx)
	if req.Plan.Raw.IsNull() {
		return
	}
	var plan, state storageGroupModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	action := "create"
	if !req.State.Raw.IsNull() {
		action = "rename"
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	}
	if resp.Diagnostics.HasError() || !known(plan.Name) {
		return
	}
	if action == "rename" {
		if isCaseOnlyChange(state.Name.ValueString(), plan.Name.ValueString()) {
			resp.Diagnostics.AddAttributeError(path.Root("name"), unableTo("rename", fmt.Sprintf("storage group %q", state.Name.ValueString())),
				"FOG cannot change only the letter case of a name. Rename it to a different name in one apply, and to the wanted spelling in the next.")
			return
		}
		if sameName(state.Name.ValueString(), plan.Name.ValueString()) {
			return
		}
	}
	if r.data == nil || r.data.Client == nil || r.data.reads.Wrote() {
		return
	}
	all, err := r.data.reads.StorageGroups(ctx)
	if err != nil {
		tflog.Warn(ctx, "could not list storage groups at plan time; the name is checked at apply time", map[string]any{"error": err.Error()})
		return
	}
	resp.Diagnostics.Append(serverChecksAtPlan(groupNameTaken(action, plan.Name.ValueString(), all, state.ID.ValueString()))...)
}

func (r *storageGroupResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	ctx = r.data.LogContext(ctx)
	var plan storageGroupModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	object := fmt.Sprintf("storage group %q", plan.Name.ValueString())
	client := r.data.clientOrError(&resp.Diagnostics, "create", object)
	if client == nil {
		return
	}
	existing, err := client.FindStorageGroupsByName(ctx, plan.Name.ValueString())
	if err != nil {
		addClientError(&resp.Diagnostics, "create", object, fmt.Errorf("looking the name up: %w", err))
		return
	}
	if resp.Diagnostics.Append(groupNameTaken("create", plan.Name.ValueString(), existing, "")...); resp.Diagnostics.HasError() {
		return
	}
	g, err := client.CreateStorageGroup(ctx, fogclient.StorageGroupCreate{
		Name: plan.Name.ValueString(), Description: normalizeFOGText(plan.Description.ValueString()),
	})
	if err != nil {
		if !addExistingObjectError(&resp.Diagnostics, object, map[string]string{"name": "name", "description": "description"}, err) {
			addClientError(&resp.Diagnostics, "create", object, err)
		}
		return
	}
	tflog.Info(ctx, "created storage group", map[string]any{"id": g.ID, "name": g.Name})
	plan.fromAPI(g)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setFOGIDIdentity(ctx, resp.Identity, g.ID)...)
}

func (r *storageGroupResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	ctx = r.data.LogContext(ctx)
	var state storageGroupModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id, ok := fogIDToRefresh(ctx, r.data, "storage group", state.ID, resp)
	if !ok {
		return
	}
	g, err := r.data.reads.StorageGroup(ctx, id)
	if errors.Is(err, fogclient.ErrNotFound) {
		tflog.Warn(ctx, "storage group no longer exists on the FOG server; removing it from the state", map[string]any{"id": id})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addClientError(&resp.Diagnostics, "read", fmt.Sprintf("storage group %d", id), err)
		return
	}
	state.fromAPI(g)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *storageGroupResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	ctx = r.data.LogContext(ctx)
	var plan, state storageGroupModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	object := fmt.Sprintf("storage group %q", state.Name.ValueString())
	client := r.data.clientOrError(&resp.Diagnostics, "update", object)
	if client == nil {
		return
	}
	id, ok := parseID(state.ID.ValueString(), &resp.Diagnostics)
	if !ok {
		return
	}
	resp.Diagnostics.Append(setFOGIDIdentity(ctx, resp.Identity, id)...)
	var upd fogclient.StorageGroupUpdate
	if n := plan.Name.ValueString(); n != state.Name.ValueString() {
		upd.Name = &n
		existing, err := client.FindStorageGroupsByName(ctx, n)
		if err != nil {
			addClientError(&resp.Diagnostics, "update", object, fmt.Errorf("looking the new name up: %w", err))
			return
		}
		if resp.Diagnostics.Append(groupNameTaken("rename", n, existing, state.ID.ValueString())...); resp.Diagnostics.HasError() {
			return
		}
	}
	if d := normalizeFOGText(plan.Description.ValueString()); d != normalizeFOGText(state.Description.ValueString()) {
		upd.Description = &d
	}
	g, err := client.UpdateStorageGroup(ctx, id, upd)
	if err != nil {
		addClientError(&resp.Diagnostics, "update", object, err)
		return
	}
	plan.fromAPI(g)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// Delete refuses the default group and a group that nodes, images or
// snapins still point at (fogclient.DeleteStorageGroup, decided right
// before the DELETE): FOG would delete the group row only, and every image
// left without a link to an existing group makes FOG answer 500 for it and
// for its whole image list (recordings 732-742).
func (r *storageGroupResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	ctx = r.data.LogContext(ctx)
	var state storageGroupModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	object := fmt.Sprintf("storage group %q", state.Name.ValueString())
	client := r.data.clientOrError(&resp.Diagnostics, "delete", object)
	if client == nil {
		return
	}
	id, ok := parseID(state.ID.ValueString(), &resp.Diagnostics)
	if !ok {
		return
	}
	err := client.DeleteStorageGroup(ctx, id)
	var inUse *fogclient.StorageGroupInUseError
	switch {
	case errors.As(err, &inUse):
		resp.Diagnostics.AddError(unableTo("delete", object), storageGroupInUseDetail(inUse))
	case errors.Is(err, fogclient.ErrNotFound):
	case err != nil:
		addClientError(&resp.Diagnostics, "delete", object, err)
	default:
		tflog.Info(ctx, "deleted storage group", map[string]any{"id": id})
	}
}

func storageGroupInUseDetail(e *fogclient.StorageGroupInUseError) string {
	if e.Default {
		return "It is FOG's default storage group (id 1). FOG would delete it, nothing would ever recreate it, and images and " +
			"snapins whose only storage group it is could no longer be read (FOG then fails every image list). The provider " +
			"never deletes it. To stop managing it, remove it from the state instead: terraform state rm <resource address>."
	}
	var parts []string
	if len(e.Nodes) > 0 {
		names := make([]string, len(e.Nodes))
		for i, n := range e.Nodes {
			names[i] = describeObject(n.ID, n.Name)
		}
		parts = append(parts, fmt.Sprintf("storage node(s) %s", limitList(names)))
	}
	if len(e.Images) > 0 {
		parts = append(parts, fmt.Sprintf("image(s) %s", describeRefs(e.Images)))
	}
	if len(e.Snapins) > 0 {
		parts = append(parts, fmt.Sprintf("snapin(s) %s", describeRefs(e.Snapins)))
	}
	return fmt.Sprintf("These still point at it: %s. FOG would delete only the group and leave them pointing at nothing: an "+
		"image whose storage groups are all gone can no longer be read, and FOG then answers every image list with an "+
		"error (HTTP 500), for every client.\n\nMove the nodes to another group (storage_group_id of their fog_storage_node, "+
		"or delete them), and give each image another storage group (fog_image_storage_group) before removing its link to "+
		"this one; then destroy the group again.", strings.Join(parts, "; "))
}

func describeRefs(refs []fogclient.ObjectRef) string {
	names := make([]string, len(refs))
	for i, r := range refs {
		names[i] = describeObject(r.ID, r.Name)
	}
	return limitList(names)
}

func limitList(items []string) string {
	const limit = 20
	if len(items) > limit {
		return strings.Join(items[:limit], ", ") + fmt.Sprintf(" and %d more", len(items)-limit)
	}
	return strings.Join(items, ", ")
}

// ImportState accepts the FOG id ("2"), the name ("name:site-b"), or an identity.
func (r *storageGroupResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	ctx = r.data.LogContext(ctx)
	importFOGObject(ctx, storageGroupImport, r.data, req, resp)
}

var storageGroupImport = fogIDImport{
	object:      "storage group",
	exampleName: "site-b",
	findByName: func(ctx context.Context, client *fogclient.Client, name string) (int64, error) {
		found, err := client.FindStorageGroupsByName(ctx, name)
		if g := pickByName(found, name, func(g *fogclient.StorageGroup) string { return g.Name }); g != nil {
			return g.ID, nil
		}
		return 0, err
	},
	noSuchName: "FOG has no storage group with this name. Check the name in FOG's Storage Management",
}

func (m *storageGroupModel) fromAPI(g *fogclient.StorageGroup) {
	m.ID = types.StringValue(strconv.FormatInt(g.ID, 10))
	m.Name = types.StringValue(g.Name)
	m.Description = newFOGText(g.Description)
}
