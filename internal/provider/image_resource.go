// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

// FOG's image defaults as its web UI applies them (the API applies none:
// reference/fog-api.md §6.4), used as the resource's defaults.
const (
	defaultImagePartitionTypeID = 1 // Everything
	defaultImageCompress        = 6 // FOG_PIGZ_COMP
	defaultImageFormat          = 5 // FOG_IMAGE_COMPRESSION_FORMAT_DEFAULT: Partclone Zstd
	// fogZeroDate is how FOG returns a DATETIME that was never set.
	fogZeroDate = "0000-00-00 00:00:00"
)

// imageFormats are the values of an image's format ("Image Manager" in FOG's UI).
var imageFormats = []struct {
	id   int64
	name string
	gzip bool
}{
	{0, "Partclone Gzip", true},
	{1, "Partimage", false},
	{2, "Partclone Gzip Split 200MiB", true},
	{3, "Partclone Uncompressed", false},
	{4, "Partclone Uncompressed Split 200MiB", false},
	{5, "Partclone Zstd", false},
	{6, "Partclone Zstd Split 200MiB", false},
}

var (
	_ resource.Resource                   = (*imageResource)(nil)
	_ resource.ResourceWithConfigure      = (*imageResource)(nil)
	_ resource.ResourceWithImportState    = (*imageResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*imageResource)(nil)
	_ resource.ResourceWithValidateConfig = (*imageResource)(nil)
	_ resource.ResourceWithIdentity       = (*imageResource)(nil)
)

// NewImageResource is the constructor of fog_image.
func NewImageResource() resource.Resource { return &imageResource{} }

type imageResource struct {
	data *ProviderData
}

type imageModel struct {
	ID              types.String `tfsdk:"id"`
	Name            types.String `tfsdk:"name"`
	Path            types.String `tfsdk:"path"`
	ImageTypeID     types.Int64  `tfsdk:"image_type_id"`
	OSID            types.Int64  `tfsdk:"os_id"`
	Description     fogTextValue `tfsdk:"description"`
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

func (r *imageResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_image"
}

func (r *imageResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	formats := make([]string, 0, len(imageFormats))
	for _, f := range imageFormats {
		formats = append(formats, fmt.Sprintf("`%d` %s", f.id, f.name))
	}
	useState := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "An image definition in FOG (Image Management): where a captured disk image is stored and how it is " +
			"captured and deployed. Deleting the definition does not delete the captured files on the storage node.\n\n" +
			"Values FOG would silently change are refused at plan time: names longer than 40 characters (FOG truncates them and " +
			"can overwrite another image), leading, trailing or repeated spaces, the characters `& \" ' < > %`, names containing " +
			"`_api_` (FOG hides them from its lists) and characters outside the Basic Multilingual Plane such as emoji (stored as `????`).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The FOG id of the image, as a string.",
				Computed:            true,
				PlanModifiers:       useState,
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "Image name, unique in FOG regardless of letter case; 1 to 40 characters. It can be changed in place, " +
					"except for a change of letter case only, which FOG cannot do (rename to another name first).",
				Required:   true,
				Validators: []validator.String{imageNameValidator()},
			},
			"path": schema.StringAttribute{
				MarkdownDescription: "Directory of the image files, relative to the storage node's image directory (usually `/images`), " +
					"for example `win10-base`. The reserved names `postdownloadscripts` and `dev` are refused. Changing it does not move " +
					"files that were already captured: they stay under the old directory.",
				Required:   true,
				Validators: []validator.String{imagePathValidator()},
			},
			"image_type_id": schema.Int64Attribute{
				MarkdownDescription: "Image type: `1` Single Disk - Resizable, `2` Multiple Partition Image - Single Disk (Not Resizable), " +
					"`3` Multiple Partition Image - All Disks (Not Resizable), `4` Raw Image (Sector By Sector, DD, Slow).",
				Required:   true,
				Validators: []validator.Int64{int64validator.Between(1, 4)},
			},
			"os_id": schema.Int64Attribute{
				MarkdownDescription: "Operating system id, for example `9` Windows 10, `50` Linux, `99` Other " +
					"(the `/fog/os` list of the server; stock FOG 1.5.9 has 1-9, 50, 51 and 99). Checked against the server: a warning at plan time, an error before the image is written.",
				Required:   true,
				Validators: []validator.Int64{int64validator.AtLeast(1)},
			},
			"description": schema.StringAttribute{
				CustomType: fogTextType{},
				MarkdownDescription: "Free text. Defaults to empty. FOG trims leading and trailing whitespace and collapses repeated spaces " +
					"when it returns the text; such differences (for example a heredoc's final newline) are not reported as changes. " +
					"After an import, a description that differs from the configuration only in this way shows one in-place update.",
				Optional:   true,
				Computed:   true,
				Default:    stringdefault.StaticString(""),
				Validators: []validator.String{descriptionValidator()},
			},
			"partition_type_id": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("Which partitions are captured and deployed: `1` Everything, `2` Partition Table and MBR only, "+
					"`3`-`12` Partition 1-10 only (id = partition number + 2). Defaults to `%d`.", defaultImagePartitionTypeID),
				Optional:   true,
				Computed:   true,
				Default:    int64default.StaticInt64(defaultImagePartitionTypeID),
				Validators: []validator.Int64{int64validator.Between(1, 12)},
			},
			"enabled": schema.BoolAttribute{
				MarkdownDescription: "Whether the image can be deployed or captured. Defaults to `true` (FOG's API would otherwise " +
					"store an image that every deploy refuses with \"Image is not enabled\").",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(true),
			},
			"replicate": schema.BoolAttribute{
				MarkdownDescription: "Whether FOG's replication service copies the image to the other storage nodes and groups. Defaults to `true`.",
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(true),
			},
			"compress": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("Compression level used at capture, `0`-`22` (Zstd levels; the Gzip formats `0` and `2` "+
					"accept `0`-`9`; ignored by the uncompressed formats). Defaults to `%d`, FOG's own default.", defaultImageCompress),
				Optional:   true,
				Computed:   true,
				Default:    int64default.StaticInt64(defaultImageCompress),
				Validators: []validator.Int64{int64validator.Between(0, 22)},
			},
			"format": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("Image format (\"Image Manager\" in FOG's UI): %s. Defaults to `%d`, FOG's own default. "+
					"An image FOG stores without a format reads as null.", strings.Join(formats, ", "), defaultImageFormat),
				Optional:   true,
				Computed:   true,
				Default:    int64default.StaticInt64(defaultImageFormat),
				Validators: []validator.Int64{int64validator.Between(0, 6)},
			},
			"protected": schema.BoolAttribute{
				MarkdownDescription: "Whether FOG's web UI refuses to capture over the image. Defaults to `false`. " +
					"FOG's API (and so the `fog_task` resource) does not enforce it.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
			"force_destroy": schema.BoolAttribute{
				MarkdownDescription: "Delete the image even while hosts still use it. Defaults to `false`: destroy then fails and " +
					"names the hosts, because FOG would silently leave them without an image. Hosts whose assignment " +
					"(`fog_host_image_assignment`) is in the same configuration are unassigned first anyway. This is a Terraform-only " +
					"setting; it must be applied before the destroy to take effect.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
			"created_time": schema.StringAttribute{
				MarkdownDescription: "When the image was created, in the FOG server's local time (`YYYY-MM-DD HH:MM:SS`).",
				Computed:            true,
				PlanModifiers:       useState,
			},
			"created_by": schema.StringAttribute{
				MarkdownDescription: "FOG user that created the image (`fog` when created with a user token).",
				Computed:            true,
				PlanModifiers:       useState,
			},
			"size": schema.StringAttribute{
				MarkdownDescription: "Partition sizes in bytes as the client reported them at the last capture, colon-separated " +
					"(FOG's `size` field); empty until the first capture.",
				Computed:      true,
				PlanModifiers: useState,
			},
			"last_captured": schema.StringAttribute{
				MarkdownDescription: "When the image was last captured (`YYYY-MM-DD HH:MM:SS`, server time); empty if never.",
				Computed:            true,
				PlanModifiers:       useState,
			},
		},
	}
}

// IdentitySchema: an image is identified by its FOG id (identity.go).
func (r *imageResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = fogIDIdentitySchema("image")
}

func (r *imageResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ValidateConfig checks combinations that single-attribute validators cannot.
func (r *imageResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	ctx = r.data.LogContext(ctx) // nil before Configure: nothing to mask yet
	var format, compress types.Int64
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("format"), &format)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("compress"), &compress)...)
	if resp.Diagnostics.HasError() || compress.IsNull() || compress.IsUnknown() || format.IsUnknown() {
		return
	}
	f := int64(defaultImageFormat)
	if !format.IsNull() {
		f = format.ValueInt64()
	}
	for _, candidate := range imageFormats {
		if candidate.id == f && candidate.gzip && compress.ValueInt64() > 9 {
			resp.Diagnostics.AddAttributeError(path.Root("compress"), "Invalid compression level",
				fmt.Sprintf("format %d (%s) compresses with gzip, whose levels are 0-9; compress is %d. "+
					"Use a level of 9 or less, or a Zstd format (5 or 6).", f, candidate.name, compress.ValueInt64()))
		}
	}
}

// ModifyPlan refuses what FOG cannot do and warns about what it will not do.
func (r *imageResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	ctx = r.data.LogContext(ctx)
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	plan := imagePlanFieldsOf(ctx, req.Plan.GetAttribute, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	creating := req.State.Raw.IsNull()
	var state imagePlanFields
	if !creating {
		state = imagePlanFieldsOf(ctx, req.State.GetAttribute, &resp.Diagnostics)
		if resp.Diagnostics.HasError() {
			return
		}
		if known(plan.Name) && isCaseOnlyChange(state.Name.ValueString(), plan.Name.ValueString()) {
			from, to := state.Name.ValueString(), plan.Name.ValueString()
			resp.Diagnostics.AddAttributeError(path.Root("name"), fmt.Sprintf("Unable to rename image %q to %q", from, to),
				fmt.Sprintf("FOG cannot change only the letter case of a name (it compares names without regard to case and "+
					"refuses the rename). Rename it to a different name in one apply, for example %q, and to %q in the next.",
					to+"-tmp", to))
		}
		if known(plan.Path) && plan.Path.ValueString() != state.Path.ValueString() {
			resp.Diagnostics.AddAttributeWarning(path.Root("path"), "Captured files stay under the old path",
				fmt.Sprintf("Changing the path of image %q from %q to %q only changes where FOG looks for the image. "+
					"Files already captured stay in %q on the storage nodes: move them there by hand (on every storage node), "+
					"or capture the image again, before deploying it.", state.Name.ValueString(), state.Path.ValueString(),
					plan.Path.ValueString(), state.Path.ValueString()))
		}
	}

	// Checks against the server's state warn at plan (serverChecksAtPlan:
	// the plan before a destroy must not fail) and run again as errors
	// before the write.
	if r.data == nil || r.data.Client == nil {
		return
	}
	var checks diag.Diagnostics
	object := fmt.Sprintf("image %q", plan.Name.ValueString())
	action := "create"
	if !creating {
		action, object = "update", fmt.Sprintf("image %q", state.Name.ValueString())
	}
	if known(plan.OSID) && (creating || plan.OSID.ValueInt64() != state.OSID.ValueInt64()) {
		r.checkOSExists(ctx, plan.OSID.ValueInt64(), action, object, &checks)
	}
	if creating && known(plan.Name) {
		r.checkNameFree(ctx, plan.Name.ValueString(), &checks)
	}
	resp.Diagnostics.Append(serverChecksAtPlan(checks)...)
}

// imagePlanFields are the attributes ModifyPlan checks. It reads them one
// by one: decoding a whole imageModel costs the framework a reflection pass
// over all its fields for every planned image, most of ModifyPlan's CPU.
type imagePlanFields struct {
	Name, Path types.String
	OSID       types.Int64
}

func imagePlanFieldsOf(ctx context.Context, get func(context.Context, path.Path, any) diag.Diagnostics, diags *diag.Diagnostics) imagePlanFields {
	var f imagePlanFields
	diags.Append(get(ctx, path.Root("name"), &f.Name)...)
	diags.Append(get(ctx, path.Root("path"), &f.Path)...)
	diags.Append(get(ctx, path.Root("os_id"), &f.OSID)...)
	return f
}

// checkOSExists refuses an os_id the server does not know: FOG stores any
// number without complaint, and the image then shows no operating system.
// The list of operating systems comes from the read cache at apply time
// too: the provider never writes it.
func (r *imageResource) checkOSExists(ctx context.Context, osID int64, action, object string, diags *diag.Diagnostics) {
	oss, err := r.data.reads.OperatingSystems(ctx)
	if err != nil {
		tflog.Warn(ctx, "could not list operating systems to check os_id; skipping the check", map[string]any{"error": err.Error()})
		return
	}
	if len(oss) == 0 {
		return
	}
	sort.Slice(oss, func(i, j int) bool { return oss[i].ID < oss[j].ID })
	names := make([]string, 0, len(oss))
	for _, os := range oss {
		if os.ID == osID {
			return
		}
		names = append(names, fmt.Sprintf("%d (%s)", os.ID, os.Name))
	}
	diags.AddAttributeError(path.Root("os_id"), unableTo(action, object),
		fmt.Sprintf("os_id %d does not exist on the FOG server (FOG would store it anyway, and the image would have no operating system). "+
			"Valid ids: %s.", osID, strings.Join(names, ", ")))
}

func (r *imageResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	ctx = r.data.LogContext(ctx)
	var plan imageModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	object := fmt.Sprintf("image %q", plan.Name.ValueString())
	client := r.data.clientOrError(&resp.Diagnostics, "create", object)
	if client == nil {
		return
	}
	// The plan only warned (ModifyPlan); a name already taken is refused by
	// FOG itself ("Already created"), before it writes anything.
	if r.checkOSExists(ctx, plan.OSID.ValueInt64(), "create", object, &resp.Diagnostics); resp.Diagnostics.HasError() {
		return
	}

	in := plan.toCreate()
	img, err := client.CreateImage(ctx, in)
	if createOutcomeUnknown(err) {
		// Recorded, so the next refresh settles it (create_record.go).
		rec := plan
		rec.ID, rec.CreatedTime, rec.CreatedBy = types.StringNull(), types.StringNull(), types.StringNull()
		rec.Size, rec.LastCaptured = types.StringNull(), types.StringNull()
		resp.Diagnostics.Append(recordedState(ctx, &resp.State, &rec)...)
		resp.Diagnostics.Append(recordCreateAttempt(ctx, resp.Private, in)...)
		addUnknownCreateError(&resp.Diagnostics, object, "image", err)
		return
	}
	if err != nil {
		r.addNameError(ctx, &resp.Diagnostics, "create", object, plan.Name.ValueString(), err)
		return
	}
	tflog.Info(ctx, "created image", map[string]any{"id": img.ID, "name": img.Name})
	r.data.createdImages.Store(img.ID, struct{}{})

	plan.fromAPI(img)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setFOGIDIdentity(ctx, resp.Identity, img.ID)...)
}

// addNameError explains "Already created" (of a create, or of an update
// that renames) with the id of the existing image, so the user can import it.
func (r *imageResource) addNameError(ctx context.Context, diags *diag.Diagnostics, action, object, name string, err error) {
	if addExistingObjectError(diags, object, imageAttributeNames, err) {
		return
	}
	if errors.Is(err, fogclient.ErrAlreadyExists) {
		if existing, ferr := r.data.Client.FindImagesByName(ctx, name); ferr == nil && len(existing) > 0 {
			diags.AddAttributeError(path.Root("name"), unableTo(action, object),
				nameTakenDetail("image", existing[0].Name, existing[0].ID))
			return
		}
	}
	addClientError(diags, action, object, err)
}

// checkNameFree refuses, at plan time, a new image whose name FOG already
// has (FOG would answer "Already created"). An image that another resource
// of the same plan destroys still holds the name until then: apply the
// removal first. A server that cannot be asked is checked at apply time.
func (r *imageResource) checkNameFree(ctx context.Context, name string, diags *diag.Diagnostics) {
	// The image list of this operation's read cache: zombie rows, which hold
	// their name too, are listed; names FOG hides ("_api_") are refused by
	// the name validator anyway. An apply repeats the check in Create.
	if r.data.reads.Wrote() {
		return
	}
	found, err := r.data.reads.ImagesNamed(ctx, name)
	if err != nil {
		tflog.Warn(ctx, "could not look the image name up at plan time; it is checked at apply time", map[string]any{"error": err.Error()})
		return
	}
	found = slices.DeleteFunc(found, func(img fogclient.Image) bool { return r.data.adoptedForReplacement("image", img.ID) })
	if len(found) > 0 {
		existing := found[0]
		if exact := pickByName(found, name, imageName); exact != nil {
			existing = *exact
		}
		object := fmt.Sprintf("image %q", name)
		diags.AddAttributeError(path.Root("name"), unableTo("create", object), nameTakenDetail("image", existing.Name, existing.ID))
	}
}

func (r *imageResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	ctx = r.data.LogContext(ctx)
	var state imageModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if state.ID.IsNull() && r.data != nil && r.data.Client != nil {
		r.settleCreate(ctx, state, req, resp)
		return
	}
	id, ok := fogIDToRefresh(ctx, r.data, "image", state.ID, resp)
	if !ok {
		return
	}
	img, err := r.data.reads.Image(ctx, id)
	if errors.Is(err, fogclient.ErrNotFound) {
		tflog.Warn(ctx, "image no longer exists on the FOG server; removing it from the state", map[string]any{"id": id})
		resp.State.RemoveResource(ctx)
		return
	}
	if errors.Is(err, fogclient.ErrServerFatal) {
		// An image whose storage groups were all deleted (recordings 735,
		// 742): keep the state, name the image and its repair.
		if detail := brokenImagesDetail(ctx, r.data.Client, id); detail != "" {
			resp.Diagnostics.AddWarning(fmt.Sprintf("Image %s cannot be read", describeImage(id, state.Name.ValueString())), detail)
			return
		}
	}
	if err != nil {
		addClientError(&resp.Diagnostics, "read", fmt.Sprintf("image %d", id), err)
		return
	}
	state.fromAPI(img)
	if state.ForceDestroy.IsNull() || state.ForceDestroy.IsUnknown() {
		state.ForceDestroy = types.BoolValue(false) // after import
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// settleCreate refreshes the record of a create whose outcome stayed
// unknown (create_record.go).
func (r *imageResource) settleCreate(ctx context.Context, state imageModel, req resource.ReadRequest, resp *resource.ReadResponse) {
	object := fmt.Sprintf("image %q", state.Name.ValueString())
	in, ok := createAttempt[fogclient.ImageCreate](ctx, req.Private)
	if !ok {
		resp.Diagnostics.Append(removeRecord(ctx, &resp.State, resp.Identity)...)
		return
	}
	img, err := r.data.Client.FindCreatedImage(ctx, *in)
	switch settleLook(&resp.Diagnostics, object, "image", img != nil, err) {
	case settleAdopted:
		state.fromAPI(img)
		resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
		resp.Diagnostics.Append(setFOGIDIdentity(ctx, resp.Identity, img.ID)...)
		resp.Diagnostics.Append(settledCreateAttempt(ctx, resp.Private)...)
		r.data.adopt("image", img.ID)
		adoptedWarning(&resp.Diagnostics, object, "image", img.ID, "it deletes this image and creates it again.")
	case settleNotFound, settleOther:
		resp.Diagnostics.Append(removeRecord(ctx, &resp.State, resp.Identity)...)
	}
}

func (r *imageResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	ctx = r.data.LogContext(ctx)
	var plan, state imageModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	object := fmt.Sprintf("image %q", state.Name.ValueString())
	client := r.data.clientOrError(&resp.Diagnostics, "update", object)
	if client == nil {
		return
	}
	id, ok := parseID(state.ID.ValueString(), &resp.Diagnostics)
	if !ok {
		return
	}
	// The image keeps its id whatever happens below, also when the write
	// fails (as fog_host does).
	resp.Diagnostics.Append(setFOGIDIdentity(ctx, resp.Identity, id)...)

	upd, changed := plan.toUpdate(state)
	if upd.OSID != nil {
		if r.checkOSExists(ctx, *upd.OSID, "update", object, &resp.Diagnostics); resp.Diagnostics.HasError() {
			return
		}
	}
	img, err := (*fogclient.Image)(nil), error(nil)
	if changed {
		img, err = client.UpdateImage(ctx, id, upd)
	} else {
		// Only Terraform-side settings (force_destroy) changed.
		img, err = client.GetImage(ctx, id)
	}
	if err != nil {
		if errors.Is(err, fogclient.ErrAlreadyExists) && upd.Name != nil {
			r.addNameError(ctx, &resp.Diagnostics, "update", object, *upd.Name, err)
			return
		}
		addClientError(&resp.Diagnostics, "update", object, err)
		return
	}
	tflog.Info(ctx, "updated image", map[string]any{"id": img.ID, "name": img.Name})
	plan.fromAPI(img)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setFOGIDIdentity(ctx, resp.Identity, img.ID)...)
}

func (r *imageResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	ctx = r.data.LogContext(ctx)
	var state imageModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	object := fmt.Sprintf("image %q", state.Name.ValueString())
	client := r.data.clientOrError(&resp.Diagnostics, "delete", object)
	if client == nil {
		return
	}
	var id int64
	if state.ID.IsNull() {
		// A create record nobody refreshed (destroy -refresh=false): delete
		// what that create made, if FOG has it exactly as sent.
		in, ok := createAttempt[fogclient.ImageCreate](ctx, req.Private)
		if !ok {
			return
		}
		img, err := client.FindCreatedImage(ctx, *in)
		if err != nil && !errors.Is(err, fogclient.ErrAlreadyExists) {
			addClientError(&resp.Diagnostics, "delete", object, err)
		}
		if img == nil {
			return
		}
		id = img.ID
	} else {
		parsed, ok := parseID(state.ID.ValueString(), &resp.Diagnostics)
		if !ok {
			return
		}
		id = parsed
	}

	if !state.ForceDestroy.ValueBool() {
		hosts, err := hostsLeftOnImage(ctx, client, id)
		if err != nil {
			addClientError(&resp.Diagnostics, "delete", object, fmt.Errorf("checking which hosts use it: %w", err))
			return
		}
		if len(hosts) > 0 {
			resp.Diagnostics.AddError(unableTo("delete", object), fmt.Sprintf(
				"%d host(s) still use it: %s. FOG would delete it anyway and silently leave these hosts "+
					"without an image.\n\nAssign them another image (for example with fog_host_image_assignment), or set "+
					"force_destroy = true on the image, apply, and destroy again.", len(hosts), describeHosts(hosts)))
			return
		}
	}

	r.data.createdImages.Delete(id)
	deleteFOGObject(ctx, "image", object, id, client.DeleteImage, &resp.Diagnostics)
}

// hostsLeftOnImage lists the hosts whose image is imageID, sorted by name.
func hostsLeftOnImage(ctx context.Context, client *fogclient.Client, imageID int64) ([]fogclient.Host, error) {
	// Batched with the checks of concurrent image deletes into one list
	// {"imageID":[...]}, sent after this call like a list of its own, or
	// answered by the list its assignment's destroy read just before
	// (fogclient.UnassignListReuse says how old it may be, and what that
	// costs).
	out, reused, err := client.HostsLeftOnImage(ctx, imageID)
	if err != nil {
		return nil, err
	}
	if reused {
		tflog.Debug(ctx, "hosts using the image: none, as the list read by its assignment's destroy showed",
			map[string]any{"image_id": imageID, "max_age": fogclient.UnassignListReuse.String()})
	}
	sort.Slice(out, func(i, j int) bool { return strings.ToLower(out[i].Name) < strings.ToLower(out[j].Name) })
	return out, nil
}

func describeHosts(hosts []fogclient.Host) string {
	const limit = 20
	parts := make([]string, 0, len(hosts))
	for i, h := range hosts {
		if i == limit {
			parts = append(parts, fmt.Sprintf("and %d more", len(hosts)-limit))
			break
		}
		parts = append(parts, fmt.Sprintf("%s (id %d)", h.Name, h.ID))
	}
	return strings.Join(parts, ", ")
}

// ImportState accepts the FOG id ("12"), the name ("name:Win10-Base"), or
// an identity (`identity = { id = 12 }` in an import block).
func (r *imageResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	ctx = r.data.LogContext(ctx)
	importFOGObject(ctx, imageImport, r.data, req, resp)
}

var imageImport = fogIDImport{
	object:      "image",
	exampleName: "Win10-Base",
	findByName: func(ctx context.Context, client *fogclient.Client, name string) (int64, error) {
		img, err := findImageByName(ctx, client, name)
		if img == nil {
			return 0, err
		}
		return img.ID, nil
	},
	noSuchName: "FOG has no image with this name. Check the name in FOG's Image Management",
}

// findImageByName returns the image with this name (an exact match before one
// that differs in letter case), nil when FOG has none.
func findImageByName(ctx context.Context, client *fogclient.Client, name string) (*fogclient.Image, error) {
	found, err := client.FindImagesByName(ctx, name)
	if err != nil {
		return nil, err
	}
	return pickByName(found, name, imageName), nil
}

func (m imageModel) toCreate() fogclient.ImageCreate {
	in := fogclient.ImageCreate{
		Name:                 m.Name.ValueString(),
		Path:                 m.Path.ValueString(),
		Description:          normalizeFOGText(m.Description.ValueString()),
		ImageTypeID:          m.ImageTypeID.ValueInt64(),
		ImagePartitionTypeID: valueOr(m.PartitionTypeID, defaultImagePartitionTypeID),
		OSID:                 m.OSID.ValueInt64(),
		Enabled:              m.Enabled.IsNull() || m.Enabled.ValueBool(),
		Replicate:            m.Replicate.IsNull() || m.Replicate.ValueBool(),
		Protected:            m.Protected.ValueBool(),
		Compress:             valueOr(m.Compress, defaultImageCompress),
		Format:               strconv.FormatInt(valueOr(m.Format, defaultImageFormat), 10),
	}
	return in
}

// toUpdate lists the fields whose planned value differs from the state.
func (m imageModel) toUpdate(state imageModel) (fogclient.ImageUpdate, bool) {
	var u fogclient.ImageUpdate
	changed := false
	str := func(plan, prior types.String) *string {
		if plan.IsNull() || plan.IsUnknown() || plan.ValueString() == prior.ValueString() {
			return nil
		}
		changed = true
		v := plan.ValueString()
		return &v
	}
	num := func(plan, prior types.Int64) *int64 {
		if plan.IsNull() || plan.IsUnknown() || (plan.ValueInt64() == prior.ValueInt64() && !prior.IsNull()) {
			return nil
		}
		changed = true
		v := plan.ValueInt64()
		return &v
	}
	flag := func(plan, prior types.Bool) *bool {
		if plan.IsNull() || plan.IsUnknown() || (plan.ValueBool() == prior.ValueBool() && !prior.IsNull()) {
			return nil
		}
		changed = true
		v := plan.ValueBool()
		return &v
	}
	u.Name = str(m.Name, state.Name)
	u.Path = str(m.Path, state.Path)
	if !m.Description.IsNull() && !m.Description.IsUnknown() &&
		normalizeFOGText(m.Description.ValueString()) != normalizeFOGText(state.Description.ValueString()) {
		d := normalizeFOGText(m.Description.ValueString())
		u.Description = &d
		changed = true
	}
	u.ImageTypeID = num(m.ImageTypeID, state.ImageTypeID)
	u.ImagePartitionTypeID = num(m.PartitionTypeID, state.PartitionTypeID)
	u.OSID = num(m.OSID, state.OSID)
	u.Compress = num(m.Compress, state.Compress)
	if f := num(m.Format, state.Format); f != nil {
		s := strconv.FormatInt(*f, 10)
		u.Format = &s
	}
	u.Enabled = flag(m.Enabled, state.Enabled)
	u.Replicate = flag(m.Replicate, state.Replicate)
	u.Protected = flag(m.Protected, state.Protected)
	return u, changed
}

// fromAPI copies what FOG returned into the model. Terraform-only settings
// (force_destroy) are left alone.
func (m *imageModel) fromAPI(img *fogclient.Image) {
	m.ID = types.StringValue(strconv.FormatInt(img.ID, 10))
	m.Name = types.StringValue(img.Name)
	m.Path = types.StringValue(img.Path)
	m.ImageTypeID = types.Int64Value(img.ImageTypeID)
	m.OSID = types.Int64Value(img.OSID)
	m.Description = newFOGText(img.Description)
	m.PartitionTypeID = types.Int64Value(img.ImagePartitionTypeID)
	m.Enabled = types.BoolValue(img.Enabled)
	m.Replicate = types.BoolValue(img.Replicate)
	m.Compress = types.Int64Value(img.Compress)
	if f, err := strconv.ParseInt(strings.TrimSpace(img.Format), 10, 64); err == nil {
		m.Format = types.Int64Value(f)
	} else {
		m.Format = types.Int64Null() // FOG API default "" (no format)
	}
	m.Protected = types.BoolValue(img.Protected)
	m.CreatedTime = types.StringValue(dateOrEmpty(img.CreatedTime))
	m.CreatedBy = types.StringValue(img.CreatedBy)
	m.Size = types.StringValue(img.Size)
	m.LastCaptured = types.StringValue(dateOrEmpty(img.Deployed))
}

func dateOrEmpty(s string) string {
	if s == fogZeroDate {
		return ""
	}
	return s
}

// imageAttributeNames maps FOG's image fields to fog_image's attributes.
var imageAttributeNames = map[string]string{
	"name": "name", "path": "path", "description": "description", "imageTypeID": "image_type_id",
	"imagePartitionTypeID": "partition_type_id", "osID": "os_id", "format": "format", "compress": "compress",
	"isEnabled": "enabled", "toReplicate": "replicate", "protected": "protected",
}

func imageName(img *fogclient.Image) string {
	if img == nil {
		return ""
	}
	return img.Name
}
