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
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

var (
	_ resource.Resource                = (*hostImageAssignmentResource)(nil)
	_ resource.ResourceWithConfigure   = (*hostImageAssignmentResource)(nil)
	_ resource.ResourceWithImportState = (*hostImageAssignmentResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*hostImageAssignmentResource)(nil)
)

// NewHostImageAssignmentResource is the constructor of fog_host_image_assignment.
func NewHostImageAssignmentResource() resource.Resource { return &hostImageAssignmentResource{} }

type hostImageAssignmentResource struct {
	data *ProviderData
}

type hostImageAssignmentModel struct {
	ID      types.String `tfsdk:"id"`
	HostID  types.Int64  `tfsdk:"host_id"`
	ImageID types.Int64  `tfsdk:"image_id"`
}

func (r *hostImageAssignmentResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_host_image_assignment"
}

func (r *hostImageAssignmentResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		// The rest of the page is in templates/resources/host_image_assignment.md.tmpl.
		MarkdownDescription: "Which image an existing FOG host deploys (the host's \"Host Image\" in FOG). The host itself is not " +
			"managed: only its image assignment is. Other host settings (description, kernel arguments, product key, Active Directory " +
			"fields) are left exactly as they are.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The FOG id of the host, as a string.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"host_id": schema.Int64Attribute{
				MarkdownDescription: "FOG id of the host. Changing it moves the assignment: the old host is unassigned and the new one assigned.",
				Required:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.RequiresReplace()},
			},
			"image_id": schema.Int64Attribute{
				MarkdownDescription: "FOG id of the image the host deploys, for example `fog_image.win10.id` converted with `tonumber()`. " +
					"Checked to exist before it is assigned (FOG itself would accept any number).",
				Required:   true,
				Validators: []validator.Int64{int64validator.AtLeast(1)},
			},
		},
	}
}

func (r *hostImageAssignmentResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *hostImageAssignmentResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	ctx = r.data.LogContext(ctx)
	defer r.data.working()()
	a, ok := r.startAssignment(ctx, req.Plan, &resp.Diagnostics)
	if !ok {
		return
	}
	// One read of the host, for the assignment and for the warning below,
	// batched with the reads of concurrent assignments (fogclient.ReadHost).
	host, updated, err := a.client.AssignImageIf(ctx, a.hostID, a.imageID, func(*fogclient.Host) bool { return true })
	if errors.Is(err, fogclient.ErrNotFound) && host == nil {
		addMissingHostError(&resp.Diagnostics, "assign", a.object, a.hostID)
		return
	}
	if errors.Is(err, fogclient.ErrOutcomeUnknown) {
		a.recordUnknown(ctx, host, &resp.State, resp.Private, &resp.Diagnostics, err)
		return
	}
	if err != nil {
		addClientError(&resp.Diagnostics, "assign", a.object, err)
		return
	}
	if host.ImageID != 0 && host.ImageID != a.imageID {
		resp.Diagnostics.AddWarning("Host already had an image",
			fmt.Sprintf("Host %q (id %d) had image %s assigned outside Terraform. It now has image %d, and this resource manages "+
				"the assignment. Destroying the resource leaves the host without an image; it does not restore the previous one.",
				host.Name, host.ID, describeImage(host.ImageID, host.ImageName), a.imageID))
	}
	a.record(ctx, updated, &resp.State, resp.Private, &resp.Diagnostics)
}

// plannedAssignment is an assignment whose image FOG has, ready to write.
type plannedAssignment struct {
	plan            hostImageAssignmentModel
	hostID, imageID int64
	object          string
	client          *fogclient.Client
}

// startAssignment reads the plan of a create or update and checks that the
// image exists; false when there is nothing to write.
func (r *hostImageAssignmentResource) startAssignment(ctx context.Context, plan tfsdk.Plan, diags *diag.Diagnostics) (plannedAssignment, bool) {
	var a plannedAssignment
	diags.Append(plan.Get(ctx, &a.plan)...)
	if diags.HasError() {
		return a, false
	}
	a.hostID, a.imageID = a.plan.HostID.ValueInt64(), a.plan.ImageID.ValueInt64()
	a.object = fmt.Sprintf("the image of host %d", a.hostID)
	if a.client = r.data.clientOrError(diags, "assign", a.object); a.client == nil {
		return a, false
	}
	return a, r.checkImage(ctx, a.client, a.imageID, a.object, diags)
}

// record stores the host as FOG answered the assignment, and the image this
// resource assigned (in the private state, for Delete).
func (a plannedAssignment) record(ctx context.Context, updated *fogclient.Host, state *tfsdk.State, private privateSetter, diags *diag.Diagnostics) {
	tflog.Info(ctx, "assigned image to host", map[string]any{"host_id": a.hostID, "image_id": a.imageID})
	a.plan.fromAPI(updated)
	diags.Append(state.Set(ctx, &a.plan)...)
	diags.Append(setAssignedImage(ctx, private, a.imageID)...)
}

// assignmentAttempt is the record of an assignment whose outcome stayed
// unknown (create_record.go): the PUT either landed or not, and the host
// tells which. The record is the image sent, and the one the host had.
type assignmentAttempt struct {
	ImageID      int64 `json:"image_id"`
	PriorImageID int64 `json:"prior_image_id"`
}

// recordUnknown records an assignment whose outcome stayed unknown: the
// state holds what was sent and the resource is marked tainted. The next
// refresh keeps it if the host has the image (the next apply then replaces
// it: unassigns and assigns again), and drops it otherwise.
func (a plannedAssignment) recordUnknown(ctx context.Context, before *fogclient.Host, state *tfsdk.State, private privateSetter,
	diags *diag.Diagnostics, err error) {
	attempt := assignmentAttempt{ImageID: a.imageID}
	if before != nil {
		attempt.PriorImageID = before.ImageID
	}
	a.plan.ID = types.StringValue(strconv.FormatInt(a.hostID, 10))
	diags.Append(recordedState(ctx, state, &a.plan)...)
	diags.Append(setAssignedImage(ctx, private, a.imageID)...)
	diags.Append(recordCreateAttempt(ctx, private, attempt)...)
	diags.AddError(unableTo("assign", a.object), sentence(describeClientErrorText(err))+"\n\n"+
		"FOG may have assigned the image although its answer was lost, and the provider could not find out within "+
		"retry_max_wait (see above why; FOG may have been restarting). The attempt is recorded in the state, so Terraform "+
		"marks the resource tainted. Run terraform apply again once FOG answers: its refresh keeps the assignment if the host "+
		"has the image, and the apply then replaces it (unassigns the image and assigns it again); if the host does not have "+
		"it, the record is dropped and the image assigned. If FOG restarts take longer, raise retry_max_wait.")
}

func (r *hostImageAssignmentResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	ctx = r.data.LogContext(ctx)
	defer r.data.working()()
	var state hostImageAssignmentModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if r.data == nil || r.data.Client == nil {
		return
	}
	hostID := state.HostID.ValueInt64()
	host, err := r.data.reads.Host(ctx, hostID)
	if errors.Is(err, fogclient.ErrNotFound) {
		tflog.Warn(ctx, "host no longer exists on the FOG server; removing its image assignment from the state", map[string]any{"host_id": hostID})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addClientError(&resp.Diagnostics, "read", fmt.Sprintf("the image of host %d", hostID), err)
		return
	}
	if attempt, ok := createAttempt[assignmentAttempt](ctx, req.Private); ok {
		object := fmt.Sprintf("the image of host %q", host.Name)
		if host.ImageID != attempt.ImageID {
			resp.Diagnostics.AddWarning("Interrupted assignment left nothing", fmt.Sprintf(
				"An earlier apply lost FOG's answer to the assignment of image %d to host %q (id %d), and the host has image %s: "+
					"the assignment never took effect. The record of the attempt was dropped, and the next apply assigns the image.",
				attempt.ImageID, host.Name, host.ID, hostImageText(host)))
			resp.State.RemoveResource(ctx)
			return
		}
		resp.Diagnostics.Append(settledCreateAttempt(ctx, resp.Private)...)
		resp.Diagnostics.AddWarning("Kept the assignment an interrupted apply made", fmt.Sprintf(
			"An earlier apply lost FOG's answer to the assignment of image %d to host %q (id %d); the host has that image, so "+
				"%s is kept in the state. The resource was marked tainted when the assignment failed, so the next apply "+
				"replaces it: it unassigns the image and assigns it again.", attempt.ImageID, host.Name, host.ID, object))
	}
	if host.ImageID != state.ImageID.ValueInt64() {
		tflog.Info(ctx, "host image changed outside Terraform", map[string]any{
			"host_id": hostID, "state_image_id": state.ImageID.ValueInt64(), "fog_image_id": host.ImageID,
		})
	}
	state.fromAPI(host)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *hostImageAssignmentResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	ctx = r.data.LogContext(ctx)
	defer r.data.working()()
	a, ok := r.startAssignment(ctx, req.Plan, &resp.Diagnostics)
	if !ok {
		return
	}
	updated, err := a.client.AssignImage(ctx, a.hostID, a.imageID)
	if err != nil {
		addClientError(&resp.Diagnostics, "assign", a.object, err)
		return
	}
	a.record(ctx, updated, &resp.State, resp.Private, &resp.Diagnostics)
}

func (r *hostImageAssignmentResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	ctx = r.data.LogContext(ctx)
	defer r.data.working()()
	var state hostImageAssignmentModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	hostID := state.HostID.ValueInt64()
	// The image this resource assigned, not the refreshed state: after a
	// refresh the state shows whatever the host has now, which may be an
	// assignment someone else made.
	imageID := assignedImage(ctx, req.Private, state.ImageID.ValueInt64())
	object := fmt.Sprintf("the image of host %d", hostID)
	client := r.data.clientOrError(&resp.Diagnostics, "unassign", object)
	if client == nil {
		return
	}
	// Unassign only while the host still has our image, decided on the host
	// as read right before the write: never clobber an assignment someone
	// else made.
	// The read is batched with the concurrent deletes of assignments and
	// images (fogclient.UnassignImageIfStill), and as fresh as a GET.
	host, updated, err := client.UnassignImageIfStill(ctx, hostID, imageID)
	if errors.Is(err, fogclient.ErrNotFound) {
		return // the host is gone, and its assignment with it
	}
	if err != nil {
		if host != nil {
			object = fmt.Sprintf("the image of host %q", host.Name)
		}
		addClientError(&resp.Diagnostics, "unassign", object, err)
		return
	}
	if updated == nil {
		if _, recorded := createAttempt[assignmentAttempt](ctx, req.Private); host.ImageID != 0 && !recorded {
			resp.Diagnostics.AddWarning("Host image left unchanged",
				fmt.Sprintf("Host %q (id %d) now has image %s, not image %d that Terraform assigned, so the provider left it alone. "+
					"Change it in FOG if it should not deploy that image.", host.Name, host.ID, describeImage(host.ImageID, host.ImageName), imageID))
		}
		return
	}
	tflog.Info(ctx, "unassigned image from host", map[string]any{"host_id": hostID, "image_id": imageID})
}

// ModifyPlan warns, at plan time, about a host or an image the server does
// not have (FOG itself would store any image number, recording
// host-edit-imageid-nonexistent): checks against the server's state warn at
// plan (serverChecksAtPlan: the plan before a destroy must not fail). Create
// and Update refuse them before they write.
func (r *hostImageAssignmentResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	ctx = r.data.LogContext(ctx)
	if req.Plan.Raw.IsNull() || r.data == nil || r.data.Client == nil {
		return
	}
	var plan, state hostImageAssignmentModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	creating := req.State.Raw.IsNull()
	if !creating {
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	// Plan-time checks read from the operation's read cache, like the refresh
	// (a host or image missing from a list is confirmed by id). An apply
	// repeats them in Create and Update.
	reads := r.data.reads
	if reads.Wrote() {
		return
	}
	var checks diag.Diagnostics
	object := fmt.Sprintf("the image of host %d", plan.HostID.ValueInt64())
	if known(plan.HostID) && creating {
		_, err := reads.Host(ctx, plan.HostID.ValueInt64())
		switch {
		case errors.Is(err, fogclient.ErrNotFound):
			addMissingHostError(&checks, "assign", object, plan.HostID.ValueInt64())
		case err != nil:
			tflog.Warn(ctx, "could not read the host at plan time; it is checked at apply time", map[string]any{"error": err.Error()})
		}
	}
	if known(plan.ImageID) && (creating || plan.ImageID.ValueInt64() != state.ImageID.ValueInt64()) {
		_, err := reads.Image(ctx, plan.ImageID.ValueInt64())
		switch {
		case errors.Is(err, fogclient.ErrNotFound):
			checks.AddAttributeError(path.Root("image_id"), unableTo("assign", object), unknownImageDetail(plan.ImageID.ValueInt64()))
		case err != nil:
			tflog.Warn(ctx, "could not read the image at plan time; it is checked at apply time", map[string]any{"error": err.Error()})
		}
	}
	resp.Diagnostics.Append(serverChecksAtPlan(checks)...)
}

// unknownImageDetail explains an image id the server does not have.
func unknownImageDetail(imageID int64) string {
	return fmt.Sprintf("FOG has no image with id %d. FOG would store the number anyway and every deploy would fail "+
		"with \"Image is not valid\". Use the id of an existing image, for example tonumber(fog_image.<name>.id).", imageID)
}

// ImportState takes the host id. A host without an image has nothing to import.
func (r *hostImageAssignmentResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	ctx = r.data.LogContext(ctx)
	hostID, err := strconv.ParseInt(strings.TrimSpace(req.ID), 10, 64)
	if err != nil || hostID < 1 {
		resp.Diagnostics.AddError(fmt.Sprintf("Unable to import host image assignment %q", req.ID),
			"The import id must be the host's FOG id, for example 7.")
		return
	}
	object := fmt.Sprintf("the image of host %d", hostID)
	client := r.data.clientOrError(&resp.Diagnostics, "import", object)
	if client == nil {
		return
	}
	host := r.getHost(ctx, client, hostID, "import", object, &resp.Diagnostics)
	if host == nil {
		return
	}
	if host.ImageID == 0 {
		resp.Diagnostics.AddError(unableTo("import", object), fmt.Sprintf(
			"Host %q (id %d) has no image assigned, so there is nothing to import. "+
				"Create the fog_host_image_assignment resource instead.", host.Name, host.ID))
		return
	}
	var m hostImageAssignmentModel
	m.fromAPI(host)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	// Importing adopts the host's current image as the one this resource manages.
	resp.Diagnostics.Append(setAssignedImage(ctx, resp.Private, host.ImageID)...)
}

// getHost reads a host and explains a missing one.
func (r *hostImageAssignmentResource) getHost(ctx context.Context, client *fogclient.Client, hostID int64, action, object string, diags *diag.Diagnostics) *fogclient.Host {
	host, err := client.GetHost(ctx, hostID)
	if errors.Is(err, fogclient.ErrNotFound) {
		addMissingHostError(diags, action, object, hostID)
		return nil
	}
	if err != nil {
		addClientError(diags, action, object, err)
		return nil
	}
	return host
}

// checkImage refuses to assign an image id FOG does not have: FOG stores any
// number, and every deploy then fails with "Image is not valid"
// (recording host-edit-imageid-nonexistent).
func (r *hostImageAssignmentResource) checkImage(ctx context.Context, client *fogclient.Client, imageID int64, object string, diags *diag.Diagnostics) bool {
	return r.data.checkImageExists(ctx, client, imageID, "assign", object, unknownImageDetail(imageID), diags)
}

// privateAssignedImage is the private-state key holding the image id this
// resource last assigned.
const privateAssignedImage = "assigned_image_id"

type privateSetter interface {
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

type privateGetter interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

func setAssignedImage(ctx context.Context, p privateSetter, imageID int64) diag.Diagnostics {
	return p.SetKey(ctx, privateAssignedImage, []byte(strconv.FormatInt(imageID, 10)))
}

// assignedImage returns the image id this resource assigned, or fallback
// for state written without it.
func assignedImage(ctx context.Context, p privateGetter, fallback int64) int64 {
	raw, diags := p.GetKey(ctx, privateAssignedImage)
	if diags.HasError() || len(raw) == 0 {
		return fallback
	}
	id, err := strconv.ParseInt(string(raw), 10, 64)
	if err != nil {
		return fallback
	}
	return id
}

func (m *hostImageAssignmentModel) fromAPI(h *fogclient.Host) {
	m.ID = types.StringValue(strconv.FormatInt(h.ID, 10))
	m.HostID = types.Int64Value(h.ID)
	m.ImageID = types.Int64Value(h.ImageID)
}
