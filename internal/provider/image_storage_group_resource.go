// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

// Image placement is its own resource rather than an attribute of fog_image:
// FOG's only per-pair route is imageassociation, and the image's own
// "storagegroups" key replaces every link and demotes the primary one
// (recording 728). One resource per link also leaves the default-group link
// FOG writes at every image create alone (718) unless a configuration
// declares it, so images created before this resource existed keep their
// placement, and a link can name a storage group of another configuration.

import (
	"context"
	"errors"
	"fmt"
	"sort"
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
	_ resource.Resource                = (*imageStorageGroupResource)(nil)
	_ resource.ResourceWithConfigure   = (*imageStorageGroupResource)(nil)
	_ resource.ResourceWithImportState = (*imageStorageGroupResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*imageStorageGroupResource)(nil)
)

// NewImageStorageGroupResource is the constructor of fog_image_storage_group.
func NewImageStorageGroupResource() resource.Resource { return &imageStorageGroupResource{} }

type imageStorageGroupResource struct {
	data *ProviderData
}

type imageStorageGroupModel struct {
	ID                      types.String `tfsdk:"id"`
	ImageID                 types.Int64  `tfsdk:"image_id"`
	StorageGroupID          types.Int64  `tfsdk:"storage_group_id"`
	Primary                 types.Bool   `tfsdk:"primary"`
	EffectiveStorageGroupID types.Int64  `tfsdk:"effective_storage_group_id"`
}

func (r *imageStorageGroupResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_image_storage_group"
}

func (r *imageStorageGroupResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.Int64{int64planmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{
		// The rest of the page is in templates/resources/image_storage_group.md.tmpl.
		MarkdownDescription: "One storage group an image is kept in (FOG's image \"Storage Groups\"): FOG's replication copies " +
			"the image to the group's nodes. Only this one link is managed; the image's other storage groups, including the " +
			"default group FOG links every new image to, are left alone. FOG chooses the group it deploys an image from by " +
			"itself (see `effective_storage_group_id`): no call of its API can make a link primary.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "`<image_id>:<storage_group_id>`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"image_id": schema.Int64Attribute{
				MarkdownDescription: "FOG id of the image, for example `tonumber(fog_image.win10.id)`. Checked to exist.",
				Required:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
				PlanModifiers:       replace,
			},
			"storage_group_id": schema.Int64Attribute{
				MarkdownDescription: "FOG id of the storage group, for example `tonumber(fog_storage_group.site_b.id)`. Checked to exist.",
				Required:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
				PlanModifiers:       replace,
			},
			"primary": schema.BoolAttribute{
				MarkdownDescription: "Whether FOG marks this link primary. FOG sets it only on the link it writes when it creates " +
					"an image; links added later are never primary.",
				Computed: true,
			},
			"effective_storage_group_id": schema.Int64Attribute{
				MarkdownDescription: "The storage group FOG reads and deploys the image from now, by FOG's own rule: among the " +
					"image's links to groups that exist, the primary one, otherwise the one with the lowest id. `0` when none " +
					"of the image's links points to an existing group.",
				Computed: true,
			},
		},
	}
}

func (r *imageStorageGroupResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func imageGroupObject(imageID, groupID int64) string {
	return fmt.Sprintf("storage group %d of image %d", groupID, imageID)
}

func missingStorageGroupDetail(groupID int64) string {
	return fmt.Sprintf("FOG has no storage group with id %d. FOG would store the link anyway, and it would point at "+
		"nothing. Use the id of an existing group, for example tonumber(fog_storage_group.<name>.id), or look it up with the "+
		"fog_storage_groups data source.", groupID)
}

// ModifyPlan warns about an image or group the server does not have;
// Create refuses it (serverChecksAtPlan).
func (r *imageStorageGroupResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	ctx = r.data.LogContext(ctx)
	if req.Plan.Raw.IsNull() || !req.State.Raw.IsNull() || r.data == nil || r.data.Client == nil || r.data.reads.Wrote() {
		return
	}
	var plan imageStorageGroupModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || !known(plan.ImageID) || !known(plan.StorageGroupID) {
		return
	}
	var checks diag.Diagnostics
	object := imageGroupObject(plan.ImageID.ValueInt64(), plan.StorageGroupID.ValueInt64())
	if _, err := r.data.reads.Image(ctx, plan.ImageID.ValueInt64()); errors.Is(err, fogclient.ErrNotFound) {
		checks.AddAttributeError(path.Root("image_id"), unableTo("add", object), unknownImageDetail(plan.ImageID.ValueInt64()))
	}
	if _, err := r.data.reads.StorageGroup(ctx, plan.StorageGroupID.ValueInt64()); errors.Is(err, fogclient.ErrNotFound) {
		checks.AddAttributeError(path.Root("storage_group_id"), unableTo("add", object), missingStorageGroupDetail(plan.StorageGroupID.ValueInt64()))
	}
	resp.Diagnostics.Append(serverChecksAtPlan(checks)...)
}

func (r *imageStorageGroupResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	ctx = r.data.LogContext(ctx)
	var plan imageStorageGroupModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	imageID, groupID := plan.ImageID.ValueInt64(), plan.StorageGroupID.ValueInt64()
	object := imageGroupObject(imageID, groupID)
	client := r.data.clientOrError(&resp.Diagnostics, "add", object)
	if client == nil {
		return
	}
	// FOG links any numbers (recording 725): both are checked first. An
	// image FOG cannot load (ErrServerFatal: its links point nowhere) is the
	// one a new link repairs (recording 744), so it counts as existing.
	if _, err := client.GetImage(ctx, imageID); err != nil && !errors.Is(err, fogclient.ErrServerFatal) {
		if errors.Is(err, fogclient.ErrNotFound) {
			resp.Diagnostics.AddAttributeError(path.Root("image_id"), unableTo("add", object), unknownImageDetail(imageID))
		} else {
			addClientError(&resp.Diagnostics, "add", object, err)
		}
		return
	}
	if _, err := client.GetStorageGroup(ctx, groupID); err != nil {
		if errors.Is(err, fogclient.ErrNotFound) {
			resp.Diagnostics.AddAttributeError(path.Root("storage_group_id"), unableTo("add", object), missingStorageGroupDetail(groupID))
		} else {
			addClientError(&resp.Diagnostics, "add", object, err)
		}
		return
	}
	if _, _, err := client.LinkImageStorageGroup(ctx, imageID, groupID); err != nil {
		addClientError(&resp.Diagnostics, "add", object, err)
		return
	}
	tflog.Info(ctx, "added storage group to image", map[string]any{"image_id": imageID, "storage_group_id": groupID})
	p, err := client.ImagePlacementOf(ctx, imageID)
	if err != nil {
		addClientError(&resp.Diagnostics, "read", object, err)
		return
	}
	plan.fromPlacement(p.Links, p.Effective)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (m *imageStorageGroupModel) fromPlacement(links []fogclient.ImageAssociation, effective int64) bool {
	imageID, groupID := m.ImageID.ValueInt64(), m.StorageGroupID.ValueInt64()
	for _, l := range links {
		if l.ImageID == imageID && l.StorageGroupID == groupID {
			m.ID = types.StringValue(pairID(imageID, groupID))
			m.Primary = types.BoolValue(l.Primary)
			m.EffectiveStorageGroupID = types.Int64Value(effective)
			return true
		}
	}
	return false
}

func (r *imageStorageGroupResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	ctx = r.data.LogContext(ctx)
	var state imageStorageGroupModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || r.data == nil || r.data.Client == nil {
		return
	}
	object := imageGroupObject(state.ImageID.ValueInt64(), state.StorageGroupID.ValueInt64())
	all, err := r.data.reads.ImageLinks(ctx)
	if err != nil {
		addClientError(&resp.Diagnostics, "read", object, err)
		return
	}
	groups, err := r.data.reads.StorageGroups(ctx)
	if err != nil {
		addClientError(&resp.Diagnostics, "read", object, err)
		return
	}
	var links []fogclient.ImageAssociation
	for _, l := range all {
		if l.ImageID == state.ImageID.ValueInt64() {
			links = append(links, l)
		}
	}
	exists := map[int64]bool{}
	for _, g := range groups {
		exists[g.ID] = true
	}
	effective, _ := fogclient.EffectiveStorageGroup(links, func(id int64) bool { return exists[id] })
	if !state.fromPlacement(links, effective) {
		tflog.Warn(ctx, "the image is no longer in the storage group; removing the link from the state", map[string]any{
			"image_id": state.ImageID.ValueInt64(), "storage_group_id": state.StorageGroupID.ValueInt64()})
		resp.State.RemoveResource(ctx)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update is never called: every argument forces replacement.
func (r *imageStorageGroupResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	ctx = r.data.LogContext(ctx)
	var state imageStorageGroupModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Delete removes the link. It never leaves the image without a link to a
// storage group that exists, which FOG could no longer load, failing every
// image list (recordings 735, 742): when this is the last one, the client
// first links the image to the lowest-id other group (FOG's own fallback),
// and with no other group on the server it keeps the link.
func (r *imageStorageGroupResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	ctx = r.data.LogContext(ctx)
	var state imageStorageGroupModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	imageID, groupID := state.ImageID.ValueInt64(), state.StorageGroupID.ValueInt64()
	object := imageGroupObject(imageID, groupID)
	client := r.data.clientOrError(&resp.Diagnostics, "remove", object)
	if client == nil {
		return
	}
	movedTo, err := client.UnlinkImageStorageGroup(ctx, imageID, groupID)
	switch {
	case errors.Is(err, fogclient.ErrLastStorageGroup):
		resp.Diagnostics.AddWarning("Storage group kept on the image", fmt.Sprintf(
			"Storage group %d is the only storage group of image %d and of the FOG server, so the link was left in FOG and only "+
				"removed from Terraform's state: without it FOG could no longer read the image, and every image list of the "+
				"server would fail. Deleting the image removes the link with it.", groupID, imageID))
	case errors.Is(err, fogclient.ErrNotFound):
	case err != nil:
		addClientError(&resp.Diagnostics, "remove", object, err)
	case movedTo != 0:
		resp.Diagnostics.AddWarning("Image moved to another storage group", fmt.Sprintf(
			"Storage group %d was the last storage group of image %d. Without one FOG could no longer read the image, and every "+
				"image list of the server would fail, so the image was first linked to storage group %d, the lowest-id group "+
				"(where FOG itself puts an image without a group). Declare a fog_image_storage_group for the group it should be "+
				"in instead.", groupID, imageID, movedTo))
	default:
		tflog.Info(ctx, "removed storage group from image", map[string]any{"image_id": imageID, "storage_group_id": groupID})
	}
}

// ImportState takes "<image_id>:<storage_group_id>".
func (r *imageStorageGroupResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	ctx = r.data.LogContext(ctx)
	imageID, groupID, ok := parsePairID(req.ID)
	if !ok {
		resp.Diagnostics.AddError(fmt.Sprintf("Unable to import image storage group %q", req.ID),
			"The import id must be the image's and the storage group's FOG ids joined by a colon, for example 12:1.")
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &imageStorageGroupModel{
		ID: types.StringValue(pairID(imageID, groupID)), ImageID: types.Int64Value(imageID), StorageGroupID: types.Int64Value(groupID),
		Primary: types.BoolNull(), EffectiveStorageGroupID: types.Int64Null(),
	})...)
}

// ---- images FOG cannot load ------------------------------------------------------

// brokenImagesDetail explains, when FOG answered 500, which images have no
// link to an existing storage group (the cause of recordings 735 and 742)
// and how to repair each; "" when none has (another PHP error).
func brokenImagesDetail(ctx context.Context, client *fogclient.Client, only int64) string {
	ids, err := client.ImagesWithoutStorageGroup(ctx)
	if err != nil {
		tflog.Warn(ctx, "could not check the images' storage groups", map[string]any{"error": err.Error()})
		return ""
	}
	if only > 0 {
		ids = filterIDs(ids, func(id int64) bool { return id == only })
	}
	if len(ids) == 0 {
		return ""
	}
	groups, _ := client.StorageGroups(ctx)
	sort.Slice(groups, func(i, j int) bool { return groups[i].ID < groups[j].ID })
	suggest := "an existing storage group"
	if len(groups) > 0 {
		suggest = fmt.Sprintf("storage group %s", describeObject(groups[0].ID, groups[0].Name))
	}
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = fmt.Sprintf("id %d", id)
	}
	example := ids[0]
	groupID := int64(1)
	if len(groups) > 0 {
		groupID = groups[0].ID
	}
	return fmt.Sprintf("FOG cannot load image(s) %s: every storage group they were linked to has been deleted, and FOG then "+
		"answers 500 for each of them and for every list of images. Give each one a storage group that exists, for "+
		"example %s: declare\n\n  resource \"fog_image_storage_group\" \"repair\" {\n    image_id         = %d\n    "+
		"storage_group_id = %d\n  }\n\nor send FOG's own repair, PUT /fog/image/%d/edit with {\"storagegroups\":[%d]}.",
		strings.Join(names, ", "), suggest, example, groupID, example, groupID)
}

func filterIDs(ids []int64, keep func(int64) bool) []int64 {
	var out []int64
	for _, id := range ids {
		if keep(id) {
			out = append(out, id)
		}
	}
	return out
}

// addImageReadError reports a failed read of images; when FOG answered 500
// because images have no storage group left (recording 742), the detail
// names them and their repair. only limits it to one image (0: any).
func addImageReadError(ctx context.Context, client *fogclient.Client, diags *diag.Diagnostics, action, object string, only int64, err error) {
	if errors.Is(err, fogclient.ErrServerFatal) {
		if detail := brokenImagesDetail(ctx, client, only); detail != "" {
			diags.AddError(unableTo(action, object), sentence(describeClientErrorText(err))+"\n\n"+detail)
			return
		}
	}
	addClientError(diags, action, object, err)
}
