// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

const (
	// defaultTaskCreateTimeout bounds a create, including the wait.
	defaultTaskCreateTimeout = 60 * time.Minute
	// taskCleanupTimeout bounds the cancel (and final read) after a failed
	// wait, which runs after the create deadline has passed.
	taskCleanupTimeout = 2 * time.Minute
)

// taskPollInterval is how often wait_for_completion reads the task. FOG's
// clients report progress every few seconds; tests shorten it.
var taskPollInterval = 5 * time.Second

var (
	_ resource.Resource                   = (*taskResource)(nil)
	_ resource.ResourceWithConfigure      = (*taskResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*taskResource)(nil)
	_ resource.ResourceWithImportState    = (*taskResource)(nil)
	_ resource.ResourceWithValidateConfig = (*taskResource)(nil)
)

// NewTaskResource is the constructor of fog_task.
func NewTaskResource() resource.Resource { return &taskResource{} }

type taskResource struct {
	data *ProviderData
}

type taskModel struct {
	ID types.String `tfsdk:"id"`
	taskArguments
	Triggers        types.Map      `tfsdk:"triggers"`
	CancelOnDestroy types.Bool     `tfsdk:"cancel_on_destroy"`
	Timeouts        timeouts.Value `tfsdk:"timeouts"`
	State           types.String   `tfsdk:"state"`
	StateID         types.Int64    `tfsdk:"state_id"`
	Percent         types.Int64    `tfsdk:"percent"`
	CreatedTime     types.String   `tfsdk:"created_time"`
	TypeID          types.Int64    `tfsdk:"type_id"`
	Adopted         types.Bool     `tfsdk:"adopted"`
}

// taskArguments are the arguments of fog_task that the resource and the
// action share (taskResourceOnlyArguments names the others, and why).
type taskArguments struct {
	HostID            types.Int64  `tfsdk:"host_id"`
	Type              types.String `tfsdk:"type"`
	ImageID           types.Int64  `tfsdk:"image_id"`
	TaskName          types.String `tfsdk:"task_name"`
	Shutdown          types.Bool   `tfsdk:"shutdown"`
	Debug             types.Bool   `tfsdk:"debug"`
	WOL               types.Bool   `tfsdk:"wol"`
	DeploySnapins     types.Bool   `tfsdk:"deploy_snapins"`
	WaitForCompletion types.Bool   `tfsdk:"wait_for_completion"`
}

func (r *taskResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_task"
}

const taskResourceDescription = "Starts a FOG task for one host (what FOG's Host Management > Basic Tasks does): deploy an image, " +
	"capture one, wipe a disk, run an inventory, wake the host up, and so on. The host runs the task the next time it boots " +
	"from the network.\n\n" +
	"`fog_task` is **action-like**: creating the resource starts the task, and the resource then records what became of it.\n\n" +
	"* **A task is never re-run by Terraform on its own.** When FOG completes, cancels or deletes the task, the resource stays in " +
	"the state and a refresh only updates `state` (`complete`, `cancelled`, or `purged` when FOG deleted the task, for example " +
	"together with its host). No plan proposes a new task unless an argument that forces replacement changes, for example " +
	"`triggers`. To run the same task again, use `terraform apply -replace=fog_task.<name>` (or change `triggers`).\n" +
	"* **One task per host.** Before creating a task the provider reads the host's active tasks. An active task of the same " +
	"type is **adopted** instead of starting a second one (`adopted = true`, with a warning). Any other active task is an " +
	"error naming it: FOG would refuse a second imaging task, and would silently cancel and replace a non-imaging one.\n" +
	"* **Deploy, capture and wipe** tasks show a warning at plan time naming the host and the image. A capture onto a " +
	"**protected** image is refused (FOG's API itself would accept it and overwrite the image). With `image_id` set, the task " +
	"is refused unless the host has that image at the moment of creation, which also orders the task after a " +
	"`fog_host_image_assignment` in the same configuration.\n" +
	"* **Destroy** cancels the task only if this resource created it (not when adopted), `cancel_on_destroy` is true, and " +
	"the task has not started (Queued or Checked In). A task In-Progress is left to finish with a warning, because " +
	"cancelling it would leave a half-written disk. Destroying a finished task does nothing on the server.\n" +
	"* **Waiting** (`wait_for_completion = true`): `Complete` is success. `Cancelled`, deleted, or not complete within " +
	"`timeouts.create` is failure (FOG has no \"failed\" state: a failed imaging run simply stops reporting). A task that " +
	"never started is then cancelled (if this resource created it) and nothing is saved, so the next apply starts cleanly. " +
	"A task that started imaging is kept in the state as tainted; the replacement on the next apply adopts it while it is " +
	"still running instead of starting a second one.\n" +
	"* **Wake-Up** (`type = \"Wake-Up\"`, requires `wol = true`): FOG sends the Wake-on-LAN packet and deletes the task row " +
	"at once, so there is no task to follow. The resource records the request with the id `wakeup-<host id>-<UTC time>`, " +
	"`state = \"sent\"`, and no `state_id`; refresh and destroy do nothing. To wake a host for a deploy, set `wol = true` on " +
	"the deploy task instead: FOG refuses a Wake-Up next to an active imaging task.\n" +
	"* **Snapins**: FOG merges snapin requests into a host's active snapin task instead of creating a new one. " +
	"`All Snapins` (with `deploy_snapins = true`, without which FOG creates a task that does nothing) follows the rules " +
	"above: an active All Snapins task is adopted, and any other active task is an error, so no request is ever merged. " +
	"`Single Snapin` is refused: it needs a snapin id, which this resource does not take, and FOG would deploy all snapins instead.\n" +
	"* **Not importable**: an existing active task is taken over by declaring a `fog_task` of the same type for its host " +
	"(adoption), not by `terraform import`.\n\n" +
	"Do not use `create_before_destroy` with this resource: the new task would adopt the old one, which destroy may then cancel."

// Descriptions of the arguments the fog_task resource and action share.
const (
	taskHostIDDescription = "FOG id of the host, for example `fog_host_image_assignment.lab.host_id`."
	taskTypeDescription   = "The task type: a FOG task type name such as `Deploy`, `Capture`, `Deploy - Debug`, `Fast Wipe`, " +
		"`Hardware Inventory` or `Wake-Up`, matched ignoring letter case, spaces, dashes and underscores (`deploy`, " +
		"`wake-up` and `WakeUp` work), or its numeric id as a string (`\"1\"`)."
	taskTypeUnknownDescription = "An unknown name is an error at plan time that lists the server's task types."
	taskShutdownDescription    = "Shut the host down when the task is done, instead of rebooting it. Defaults to `false`."
	taskDebugDescription       = "Run the task in FOG's debug mode (a shell on the host before imaging). Defaults to `false`."
	taskWOLDescription         = "Have FOG send a Wake-on-LAN packet to the host when the task is created. Required " +
		"(`true`) for `Wake-Up`, which does nothing else. Defaults to `false`."
	taskDeploySnapinsDescription = "Deploy all of the host's snapins after the task (FOG's API does not by default). Only " +
		"`Deploy`, `Deploy - Debug`, `Multi-Cast` and `All Snapins` deploy snapins; setting it for another type is an " +
		"error. Required (`true`) for `All Snapins`. Defaults to `false`."
)

// taskTypeValidator refuses a type that cannot name a task type; the name
// is checked against the server's task types at plan time.
func taskTypeValidator() validator.String {
	return stringvalidator.RegexMatches(taskTypeSyntax, "must contain a letter or a digit")
}

func (r *taskResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := func(what string) string {
		return what + " Changing it starts a new task (the resource is replaced)."
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: taskResourceDescription,
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The FOG id of the task, as a string; `wakeup-<host id>-<UTC time>` for a Wake-Up, which FOG keeps no task for.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"host_id": schema.Int64Attribute{
				MarkdownDescription: replace(taskHostIDDescription),
				Required:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.RequiresReplace()},
			},
			"type": schema.StringAttribute{
				MarkdownDescription: taskTypeDescription + " Kept in the state exactly as written; the resolved id is `type_id`. " +
					taskTypeUnknownDescription + " Changing it to another type starts a new task; changing only its spelling " +
					"(`deploy` to `Deploy`, or `\"1\"` to `Deploy`) does not.",
				Required:   true,
				Validators: []validator.String{taskTypeValidator()},
			},
			"image_id": schema.Int64Attribute{
				MarkdownDescription: replace("Optional safety check: the task is refused unless the host's assigned image is this one " +
					"at the moment the task is created. Set it to `fog_host_image_assignment.<name>.image_id` so the task is created " +
					"after the assignment and can never deploy the previous image. FOG itself always uses the host's assigned image."),
				Optional:      true,
				Validators:    []validator.Int64{int64validator.AtLeast(1)},
				PlanModifiers: []planmodifier.Int64{int64planmodifier.RequiresReplace()},
			},
			"task_name": schema.StringAttribute{
				MarkdownDescription: replace("Prefix of the task's name in FOG, which FOG stores as `<task_name> - <host name>`; " +
					"at most 200 characters, without control characters or characters outside the Basic Multilingual Plane such as emoji."),
				Optional:      true,
				Validators:    []validator.String{taskNameValidator()},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"shutdown": schema.BoolAttribute{
				MarkdownDescription: replace(taskShutdownDescription),
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(false),
				PlanModifiers:       []planmodifier.Bool{boolplanmodifier.RequiresReplace()},
			},
			"debug": schema.BoolAttribute{
				MarkdownDescription: replace(taskDebugDescription),
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(false),
				PlanModifiers:       []planmodifier.Bool{boolplanmodifier.RequiresReplace()},
			},
			"wol": schema.BoolAttribute{
				MarkdownDescription: replace(taskWOLDescription),
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(false),
				PlanModifiers:       []planmodifier.Bool{boolplanmodifier.RequiresReplace()},
			},
			"deploy_snapins": schema.BoolAttribute{
				MarkdownDescription: replace(taskDeploySnapinsDescription),
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(false),
				PlanModifiers:       []planmodifier.Bool{boolplanmodifier.RequiresReplace()},
			},
			"triggers": schema.MapAttribute{
				MarkdownDescription: "Arbitrary strings; any change (adding, removing or changing a key or value) starts a new task, " +
					"like `triggers_replace` of `terraform_data`. For example `{ image_version = var.image_version }` redeploys " +
					"whenever the version changes.",
				ElementType:   types.StringType,
				Optional:      true,
				PlanModifiers: []planmodifier.Map{mapplanmodifier.RequiresReplace()},
			},
			"wait_for_completion": schema.BoolAttribute{
				MarkdownDescription: "Wait, when the task is created, until FOG reports it `Complete`, at most `timeouts.create`. " +
					"`Cancelled`, deleted or still unfinished at the timeout is an error (see the description above for what is " +
					"kept). Defaults to `false`: the apply returns once the task is queued. Changing it updates the resource in " +
					"place: it never starts a task, and it does not wait for a task that already exists.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
			"cancel_on_destroy": schema.BoolAttribute{
				MarkdownDescription: "On destroy (and on replacement), cancel the task if this resource created it and it is still " +
					"Queued or Checked In. An In-Progress task is never cancelled (it would leave a half-written disk); an adopted " +
					"task is never cancelled. Defaults to `true`. Changing it updates the resource in place and never starts a task.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(true),
			},
			"state": schema.StringAttribute{
				MarkdownDescription: "What became of the task, as of the last refresh: `queued`, `checked_in`, `in_progress`, " +
					"`complete`, `cancelled`; `purged` when FOG no longer has the task (deleted with its host, or by a database " +
					"clean-up); `sent` for a Wake-Up.",
				Computed:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"state_id": schema.Int64Attribute{
				MarkdownDescription: "FOG's state id: `1` Queued, `2` Checked In, `3` In-Progress, `4` Complete, `5` Cancelled. " +
					"Null when FOG has no task row (`purged`, `sent`).",
				Computed:      true,
				PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
			"percent": schema.Int64Attribute{
				MarkdownDescription: "Progress in percent (0-100) as the imaging client last reported it. FOG keeps the last value " +
					"when a task is cancelled; a purged task keeps the last value seen.",
				Computed:      true,
				PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
			"created_time": schema.StringAttribute{
				MarkdownDescription: "When FOG created the task (`YYYY-MM-DD HH:MM:SS`, the FOG server's local time). For a Wake-Up, " +
					"when the request was sent, in UTC.",
				Computed:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"type_id": schema.Int64Attribute{
				MarkdownDescription: "The id of the task type `type` names, resolved against the server's task types (known at plan " +
					"time when the provider is configured and `type` is known).",
				Computed:      true,
				PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
			"adopted": schema.BoolAttribute{
				MarkdownDescription: "True when the host already had an active task of the same type, which this resource took over " +
					"instead of starting a second one. An adopted task is never cancelled on destroy.",
				Computed:      true,
				PlanModifiers: []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{
				Create:            true,
				CreateDescription: "How long creating the task may take, including the wait for completion when `wait_for_completion` is true, as a duration such as `90m`. Defaults to `60m`.",
			}),
		},
	}
}

func (r *taskResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ValidateConfig refuses a create timeout that is not positive: the
// timeouts block accepts any duration, and a zero or negative one would
// make every create fail before it starts.
func (r *taskResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	ctx = r.data.LogContext(ctx) // nil before Configure: nothing to mask yet
	var t timeouts.Value
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("timeouts"), &t)...)
	if resp.Diagnostics.HasError() || t.IsNull() || t.IsUnknown() {
		return
	}
	var raw types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("timeouts").AtName("create"), &raw)...)
	if resp.Diagnostics.HasError() || !known(raw) {
		return
	}
	if d, err := time.ParseDuration(raw.ValueString()); err == nil && d <= 0 {
		resp.Diagnostics.AddAttributeError(path.Root("timeouts").AtName("create"), "Invalid create timeout", fmt.Sprintf(
			"timeouts.create is %q, but it must be longer than zero: it bounds the whole create, including the wait for "+
				"completion. Use a duration such as \"30m\" or \"2h\", or remove it for the default of %s.", raw.ValueString(), defaultTaskCreateTimeout))
	}
}

// ---- plan ---------------------------------------------------------------------------

// ModifyPlan resolves `type` (so type_id is known and an unknown name fails
// at plan time), refuses flag combinations FOG would accept and ignore,
// refuses a capture onto a protected image, and warns before anything that
// overwrites a disk. Active tasks are not checked here: on a replacement the
// destroy of the old task runs first and may cancel it.
func (r *taskResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	ctx = r.data.LogContext(ctx)
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var plan taskModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	client := r.data.configuredClient()

	if !req.State.Raw.IsNull() {
		var state taskModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if resp.Diagnostics.HasError() {
			return
		}
		if plan.Type.IsUnknown() || (plan.Type.ValueString() != state.Type.ValueString() && !r.sameType(ctx, client, state, plan.Type.ValueString())) {
			resp.RequiresReplace = append(resp.RequiresReplace, path.Root("type"))
		}
		return
	}

	// Creating, or the create half of a replacement.
	if tt, ok := planTaskChecks(ctx, client, plan.planArgs(), &resp.Diagnostics); ok {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("type_id"), types.Int64Value(tt.ID))...)
	}
}

// taskPlanArgs are the arguments of a fog_task (resource or action) that
// plan-time checks look at; any of them may be unknown.
type taskPlanArgs struct {
	Type               types.String
	HostID, ImageID    types.Int64
	WOL, DeploySnapins types.Bool
}

func (m taskArguments) planArgs() taskPlanArgs {
	return taskPlanArgs{Type: m.Type, HostID: m.HostID, ImageID: m.ImageID, WOL: m.WOL, DeploySnapins: m.DeploySnapins}
}

// planTaskChecks resolves `type` against the server's task types (ok is
// true when it did), refuses flag combinations FOG would accept and ignore,
// and runs the host checks. With no client (provider not configured yet) or
// an unknown type it checks nothing: apply checks again.
func planTaskChecks(ctx context.Context, client *fogclient.Client, args taskPlanArgs, diags *diag.Diagnostics) (fogclient.TaskType, bool) {
	if client == nil || args.Type.IsUnknown() || args.Type.IsNull() {
		return fogclient.TaskType{}, false
	}
	all, err := cachedTaskTypes(ctx, client)
	if err != nil {
		diags.AddWarning("Task type not checked at plan time", fmt.Sprintf(
			"Could not list the FOG server's task types to check type %q, so it is checked at apply time instead: %s",
			args.Type.ValueString(), describeClientErrorText(err)))
		return fogclient.TaskType{}, false
	}
	tt, err := resolveTaskType(args.Type.ValueString(), all)
	if err != nil {
		diags.AddAttributeError(path.Root("type"), "Unknown task type", "Invalid type: "+err.Error()+".")
		return fogclient.TaskType{}, false
	}
	if !args.WOL.IsUnknown() && !args.DeploySnapins.IsUnknown() {
		for _, p := range taskFlagProblems(tt, args.WOL.ValueBool(), args.DeploySnapins.ValueBool()) {
			diags.AddAttributeError(path.Root("type"), "Task would do nothing useful", p)
		}
	}
	if diags.HasError() || args.HostID.IsUnknown() {
		return tt, true
	}
	planHostChecks(ctx, client, args.HostID.ValueInt64(), args.ImageID, tt, diags)
	return tt, true
}

// sameType reports whether a changed `type` still names the state's task
// type, so that a change of spelling does not start a new task.
func (r *taskResource) sameType(ctx context.Context, client *fogclient.Client, state taskModel, newType string) bool {
	if sameTaskTypeSpelling(state.Type.ValueString(), newType) {
		return true
	}
	if client == nil || state.TypeID.IsNull() || state.TypeID.IsUnknown() {
		return false
	}
	all, err := cachedTaskTypes(ctx, client)
	if err != nil {
		return false
	}
	tt, err := resolveTaskType(newType, all)
	return err == nil && tt.ID == state.TypeID.ValueInt64()
}

// planHostChecks looks at the host (and image) a deploy, capture or wipe
// would overwrite.
func planHostChecks(ctx context.Context, client *fogclient.Client, hostID int64, imageID types.Int64, tt fogclient.TaskType, diags *diag.Diagnostics) {
	host, err := client.GetHost(ctx, hostID)
	if errors.Is(err, fogclient.ErrNotFound) {
		diags.AddAttributeError(path.Root("host_id"), "Unknown host", missingHostDetail(hostID))
		return
	}
	if err != nil {
		tflog.Warn(ctx, "could not read the host at plan time; it is checked at apply time", map[string]any{"host_id": hostID, "error": err.Error()})
		return
	}
	kind := classifyTaskType(tt)
	if kind == kindOther {
		return
	}

	// The image the task will use: image_id when set (the assignment may
	// happen in this same apply), otherwise the host's current image.
	var img *fogclient.Image
	imageText := ""
	switch {
	case imageID.IsUnknown():
		imageText = "the image assigned to it by then (image_id is known only at apply time)"
	case !imageID.IsNull():
		img, err = client.GetImage(ctx, imageID.ValueInt64())
		if errors.Is(err, fogclient.ErrNotFound) {
			diags.AddAttributeError(path.Root("image_id"), "Unknown image", fmt.Sprintf(
				"FOG has no image with id %d, so the host can never have it assigned and the task would always be refused. "+
					"Use the id of an existing image.", imageID.ValueInt64()))
			return
		}
		if err != nil {
			img = nil
		}
		imageText = "image " + describeImage(imageID.ValueInt64(), imageName(img))
	case host.ImageID == 0:
		if kind != kindWipe {
			diags.AddAttributeWarning(path.Root("image_id"), "Host has no image", fmt.Sprintf(
				"Host %q (id %d) has no image assigned now, so FOG would refuse the %s task with \"Image is not valid\". If a "+
					"fog_host_image_assignment in this configuration assigns one, set image_id = fog_host_image_assignment.<name>.image_id "+
					"so the task is created after the assignment.", host.Name, host.ID, tt.Name))
		}
		imageText = "no image"
	default:
		img, err = client.GetImage(ctx, host.ImageID)
		if err != nil {
			img = nil
		}
		imageText = "image " + describeImage(host.ImageID, host.ImageName)
	}

	if kind == kindCapture && img != nil && img.Protected {
		diags.AddAttributeError(path.Root("type"), "Image is protected", protectedImageDetail(host, img, tt))
		return
	}
	switch kind {
	case kindDeploy:
		diags.AddWarning("Deploy overwrites the host's disk", fmt.Sprintf(
			"This plan starts a %s task: host %q (id %d) will be re-imaged with %s the next time it boots from the network, "+
				"and everything on its disk will be replaced.", tt.Name, host.Name, host.ID, imageText))
	case kindCapture:
		diags.AddWarning("Capture overwrites the image", fmt.Sprintf(
			"This plan starts a %s task: the disk of host %q (id %d) will be captured into %s the next time the host boots "+
				"from the network, replacing the image's files.", tt.Name, host.Name, host.ID, imageText))
	case kindWipe:
		diags.AddWarning("Wipe erases the host's disk", fmt.Sprintf(
			"This plan starts a %s task: the disk of host %q (id %d) will be erased the next time it boots from the network "+
				"(its assigned image: %s).", tt.Name, host.Name, host.ID, imageText))
	}
}

func protectedImageDetail(host *fogclient.Host, img *fogclient.Image, tt fogclient.TaskType) string {
	return fmt.Sprintf("Image %s is protected, so a %s task for host %q (id %d) is refused: it would overwrite the protected image. "+
		"FOG's web UI refuses this, but its API would accept it. Unprotect the image first (protected = false on its fog_image), "+
		"or assign the host another image.", describeImage(img.ID, img.Name), tt.Name, host.Name, host.ID)
}

// ---- create -------------------------------------------------------------------------

func (r *taskResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	ctx = r.data.LogContext(ctx)
	var plan taskModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	hostID := plan.HostID.ValueInt64()
	object := fmt.Sprintf("a %s task for host %d", plan.Type.ValueString(), hostID)
	client := r.data.clientOrError(&resp.Diagnostics, "create", object)
	if client == nil {
		return
	}
	createTimeout, diags := plan.Timeouts.Create(ctx, defaultTaskCreateTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, createTimeout)
	defer cancel()

	want := plan.request()
	tt, ok := resolveTaskForApply(ctx, client, plan.Type.ValueString(), want, &resp.Diagnostics)
	if !ok {
		return
	}

	// Check and create under one lock per host, so that two fog_task
	// resources of one apply cannot both see "no active task".
	unlock := lockHostTasks(client, hostID)
	task, adopted, ok := startTask(ctx, client, want, tt, taskStartedByResource, &resp.Diagnostics)
	unlock()
	if !ok {
		return
	}

	plan.TypeID = types.Int64Value(tt.ID)
	plan.Adopted = types.BoolValue(adopted)
	if task == nil { // Wake-Up
		now := time.Now()
		plan.ID = types.StringValue(wakeUpID(hostID, now))
		plan.State = types.StringValue(taskStateSent)
		plan.StateID = types.Int64Null()
		plan.Percent = types.Int64Value(0)
		plan.CreatedTime = types.StringValue(now.UTC().Format(fogTimeLayout))
		tflog.Info(ctx, "sent Wake-Up", map[string]any{"host_id": hostID})
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		return
	}
	plan.ID = types.StringValue(strconv.FormatInt(task.ID, 10))
	plan.CreatedTime = types.StringValue(task.CreatedTime)
	plan.setTaskState(task)

	if !plan.WaitForCompletion.ValueBool() {
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		return
	}
	r.waitAndRecord(ctx, client, &plan, task, tt, createTimeout, resp)
}

// taskRequest is the task fog_task (resource or action) asks FOG for, with
// every value known.
type taskRequest struct {
	HostID int64
	// ImageID is the image the host must have assigned, or nil.
	ImageID                             *int64
	TaskName                            string
	Shutdown, Debug, WOL, DeploySnapins bool
}

// request is the task to ask FOG for; unset flags are false.
func (m taskArguments) request() taskRequest {
	req := taskRequest{
		HostID: m.HostID.ValueInt64(), TaskName: m.TaskName.ValueString(),
		Shutdown: m.Shutdown.ValueBool(), Debug: m.Debug.ValueBool(), WOL: m.WOL.ValueBool(), DeploySnapins: m.DeploySnapins.ValueBool(),
	}
	if known(m.ImageID) {
		v := m.ImageID.ValueInt64()
		req.ImageID = &v
	}
	return req
}

// resolveTaskForApply resolves `type` again at apply time (the plan may
// have been made without a server) and refuses flags FOG would ignore.
func resolveTaskForApply(ctx context.Context, client *fogclient.Client, taskType string, req taskRequest, diags *diag.Diagnostics) (fogclient.TaskType, bool) {
	object := fmt.Sprintf("a %s task for host %d", taskType, req.HostID)
	all, err := cachedTaskTypes(ctx, client)
	if err != nil {
		addClientError(diags, "create", object, fmt.Errorf("listing task types: %w", err))
		return fogclient.TaskType{}, false
	}
	tt, err := resolveTaskType(taskType, all)
	if err != nil {
		diags.AddAttributeError(path.Root("type"), "Unable to create "+object, "Invalid type: "+err.Error()+".")
		return fogclient.TaskType{}, false
	}
	object = fmt.Sprintf("a %s task for host %d", tt.Name, req.HostID)
	problems := taskFlagProblems(tt, req.WOL, req.DeploySnapins)
	for _, p := range problems {
		diags.AddAttributeError(path.Root("type"), "Unable to create "+object, p)
	}
	return tt, len(problems) == 0
}

// taskStarter words the adoption warning for what starts the task.
type taskStarter struct {
	name, adoptedMark, neverCancels string
}

var taskStartedByResource = taskStarter{
	name: "this resource", adoptedMark: " (adopted = true)", neverCancels: "Destroying the resource will not cancel it.",
}

// startTask runs the checks and creates or adopts the task. task is nil for
// a Wake-Up; ok is false when an error was added.
func startTask(ctx context.Context, client *fogclient.Client, req taskRequest, tt fogclient.TaskType, by taskStarter, diags *diag.Diagnostics) (task *fogclient.Task, adopted, ok bool) {
	hostID := req.HostID
	object := fmt.Sprintf("a %s task for host %d", tt.Name, hostID)
	host, err := client.GetHost(ctx, hostID)
	if errors.Is(err, fogclient.ErrNotFound) {
		diags.AddAttributeError(path.Root("host_id"), "Unable to create "+object, "Unable to create "+object+": "+missingHostDetail(hostID))
		return nil, false, false
	}
	if err != nil {
		addClientError(diags, "create", object, err)
		return nil, false, false
	}
	object = fmt.Sprintf("a %s task for host %q", tt.Name, host.Name)

	wantImage := req.ImageID
	if wantImage != nil {
		v := *wantImage
		if host.ImageID != v {
			diags.AddAttributeError(path.Root("image_id"), "Unable to create "+object, fmt.Sprintf(
				"Unable to create %s: image_id is %d, but the host has image %s assigned, so the task was refused (it would use the "+
					"host's image). Assign image %d to the host first (fog_host_image_assignment, and set image_id to its image_id "+
					"so the task waits for the assignment), or correct image_id.", object, v, hostImageText(host), v))
			return nil, false, false
		}
	}
	if kind := classifyTaskType(tt); (kind == kindDeploy || kind == kindCapture) && host.ImageID == 0 {
		// FOG would answer "Image is not valid" (recording
		// host-task-deploy-host-without-image); say what to do instead. On
		// host_id: image_id is not set, so Terraform could not show its line.
		diags.AddAttributeError(path.Root("host_id"), "Unable to create "+object, fmt.Sprintf(
			"Unable to create %s: the host has no image assigned, so FOG would refuse the task (\"Image is not valid\"). Assign one "+
				"with a fog_host_image_assignment and set image_id = fog_host_image_assignment.<name>.image_id on this task, so "+
				"that it is created after the assignment.", object))
		return nil, false, false
	}
	if classifyTaskType(tt) == kindCapture && host.ImageID != 0 {
		img, err := client.GetImage(ctx, host.ImageID)
		switch {
		case err == nil && img.Protected:
			diags.AddAttributeError(path.Root("type"), "Unable to create "+object, "Unable to create "+object+": "+protectedImageDetail(host, img, tt))
			return nil, false, false
		case err != nil && !errors.Is(err, fogclient.ErrNotFound):
			addClientError(diags, "create", object, fmt.Errorf("checking whether image %d is protected: %w", host.ImageID, err))
			return nil, false, false
		}
	}

	// The decision is made on the active tasks the create reads anyway, right
	// before its request.
	var (
		decision createDecision
		listed   bool
	)
	_, created, err := client.CreateHostTaskIf(ctx, hostID, fogclient.TaskCreate{
		TypeID:        tt.ID,
		TaskName:      req.TaskName,
		Shutdown:      req.Shutdown,
		Debug:         req.Debug,
		WOL:           req.WOL,
		DeploySnapins: req.DeploySnapins,
	}, func(active []fogclient.Task) bool {
		listed = true
		decision = decideCreate(active, tt, host.Name, wantImage)
		return decision.Action == actionCreate
	})
	if err != nil && !listed {
		addClientError(diags, "create", object, fmt.Errorf("listing the host's active tasks: %w", err))
		return nil, false, false
	}
	switch decision.Action {
	case actionRefuse:
		diags.AddError("Unable to create "+object, "Unable to create "+object+": "+decision.Reason+".")
		return nil, false, false
	case actionAdopt:
		t := decision.Task
		diags.AddWarning("Adopted an existing task", fmt.Sprintf(
			"Host %q (id %d) already had an active %s task: %s, created outside %s. FOG runs one such task per host, "+
				"so %s adopted it%s instead of starting a second one. %s", host.Name, host.ID, tt.Name, describeTask(t),
			by.name, by.name, by.adoptedMark, by.neverCancels))
		tflog.Info(ctx, "adopted active task", map[string]any{"task_id": t.ID, "host_id": hostID, "type_id": tt.ID})
		return t, true, true
	}
	if err != nil {
		addClientError(diags, "create", object, err)
		return nil, false, false
	}
	if created == nil && tt.ID != fogclient.TaskTypeWakeUp {
		diags.AddError("Unable to create "+object, "Unable to create "+object+": FOG accepted the task but it could not be found "+
			"afterwards. This is a bug in the provider, please report it.")
		return nil, false, false
	}
	if created != nil {
		tflog.Info(ctx, "created task", map[string]any{"task_id": created.ID, "host_id": hostID, "type_id": tt.ID})
	}
	return created, false, true
}

func hostImageText(h *fogclient.Host) string {
	if h.ImageID == 0 {
		return "none"
	}
	return describeImage(h.ImageID, h.ImageName)
}

// waitAndRecord waits for the task and records the outcome in resp.
func (r *taskResource) waitAndRecord(ctx context.Context, client *fogclient.Client, plan *taskModel, task *fogclient.Task, tt fogclient.TaskType,
	timeout time.Duration, resp *resource.CreateResponse) {
	adopted := plan.Adopted.ValueBool()
	last, started, status, waitErr := waitForTask(ctx, client, task, nil)
	if status == waitComplete {
		plan.setTaskState(last)
		tflog.Info(ctx, "task complete", map[string]any{"task_id": task.ID})
		resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
		return
	}

	summary := "Task did not complete"
	why := failedWaitReason(ctx, fmt.Sprintf("%s task %d for host %q", tt.Name, task.ID, task.HostName), status, last, waitErr,
		"timeouts.create", timeout)

	cleanup, cancelCleanup := context.WithTimeout(context.WithoutCancel(ctx), taskCleanupTimeout)
	defer cancelCleanup()
	switch decideFailedWait(last, started, adopted) {
	case outcomeKeepTainted:
		if last != nil {
			plan.setTaskState(last)
		} else {
			plan.State, plan.StateID = types.StringValue(taskStatePurged), types.Int64Null()
		}
		resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
		resp.Diagnostics.AddError(summary, why+". The task had started imaging, so it was not cancelled (that would leave a "+
			"half-written disk) and it is kept in the state as tainted. The next apply replaces it: while the task is still "+
			"running, the replacement adopts it instead of starting a second one; once it has finished, a new task is started.")
	case outcomeCancelAndForget:
		err := client.CancelTask(cleanup, task.ID)
		if err != nil && !errors.Is(err, fogclient.ErrTaskNotActive) {
			// Keep it, so that the replacement's destroy cancels it.
			plan.setTaskState(last)
			resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
			resp.Diagnostics.AddError(summary, why+". The task had not started, but cancelling it failed ("+describeClientErrorText(err)+
				"), so it is kept in the state as tainted; the next apply cancels it and starts a new one.")
			return
		}
		tflog.Info(ctx, "cancelled task after a failed wait", map[string]any{"task_id": task.ID})
		resp.Diagnostics.AddError(summary, why+". The task had not started on the host, so the provider cancelled it and "+
			"saved nothing: the next apply starts a new task. Increase timeouts.create, or make sure the host boots from the "+
			"network (wol = true can wake it).")
	default:
		detail := why + ". Nothing was saved in the state, so the next apply starts a new task."
		if adopted && last != nil && last.Active() {
			detail = why + ". The task was adopted, not created by this resource, so it was left as it is; nothing was saved " +
				"in the state, and the next apply adopts it again while it is active."
		}
		resp.Diagnostics.AddError(summary, detail)
	}
}

// failedWaitReason says why a wait for object failed, as the first sentence
// of an error (without the final period). ctx is the context of the wait;
// timeoutSetting names the setting that bounded it.
func failedWaitReason(ctx context.Context, object string, status waitStatus, last *fogclient.Task, waitErr error,
	timeoutSetting string, timeout time.Duration) string {
	switch {
	case status == waitCancelled:
		return fmt.Sprintf("%s was cancelled in FOG before it completed", object)
	case status == waitPurged:
		return fmt.Sprintf("%s was deleted from FOG before it completed (deleting a host deletes its tasks)", object)
	case waitErr != nil && ctx.Err() == nil:
		return fmt.Sprintf("%s could not be followed: %s", object, describeClientErrorText(waitErr))
	case errors.Is(ctx.Err(), context.Canceled):
		return fmt.Sprintf("%s was still %s when the apply was interrupted", object, taskStateName(last.StateID, last.StateName))
	}
	return fmt.Sprintf("%s was still %s when %s (%s) ran out. FOG has no failed state: a task whose host never "+
		"boots from the network, or whose imaging stopped, stays unfinished", object, taskStateName(last.StateID, last.StateName),
		timeoutSetting, timeout)
}

// waitForTask polls the task every taskPollInterval until it is complete,
// cancelled or purged, or ctx ends. It returns the last task seen (nil when
// purged), whether it was ever seen started, and why it stopped. polled, when
// not nil, sees every task read (the fog_task action reports progress with it).
func waitForTask(ctx context.Context, client *fogclient.Client, t *fogclient.Task, polled func(*fogclient.Task)) (last *fogclient.Task, started bool, status waitStatus, err error) {
	id := t.ID
	last = t
	started = taskStarted(t)
	timer := time.NewTimer(taskPollInterval)
	defer timer.Stop()
	for {
		if st := waitStatusOf(last); st != waitPending {
			return last, started, st, nil
		}
		select {
		case <-ctx.Done():
			return last, started, waitPending, ctx.Err()
		case <-timer.C:
			timer.Reset(taskPollInterval)
		}
		got, gerr := client.GetTask(ctx, id)
		switch {
		case errors.Is(gerr, fogclient.ErrNotFound):
			return nil, started, waitPurged, nil
		case gerr != nil:
			if ctx.Err() != nil {
				return last, started, waitPending, ctx.Err()
			}
			return last, started, waitPending, gerr
		case !sameTask(got, t.HostID, t.TypeID):
			return nil, started, waitPurged, nil
		}
		tflog.Debug(ctx, "task progress", map[string]any{"task_id": id, "state_id": got.StateID, "percent": got.Percent})
		if polled != nil {
			polled(got)
		}
		last = got
		started = started || taskStarted(got)
	}
}

// ---- read ---------------------------------------------------------------------------

// Read refreshes state, state_id and percent. It never removes the
// resource: a finished or purged task stays in the state, so that no plan
// proposes to run it again.
func (r *taskResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	ctx = r.data.LogContext(ctx)
	var state taskModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	client := r.data.configuredClient()
	if client == nil || isWakeUpID(state.ID.ValueString()) {
		return
	}
	id, err := strconv.ParseInt(state.ID.ValueString(), 10, 64)
	if err != nil {
		resp.Diagnostics.AddError("Unable to read task", fmt.Sprintf("Unable to read task %q: the id is not a FOG task id.", state.ID.ValueString()))
		return
	}
	// Active tasks come from the active list shared by every refresh of
	// this operation; finished or deleted ones from a GET by id.
	t, err := r.data.reads.Task(ctx, id)
	switch {
	case errors.Is(err, fogclient.ErrNotFound):
		// Deleting a host deletes its tasks (fog-edge-recordings F,
		// f-task-get-after-host-delete): the task is gone, not failed.
		t = nil
	case err != nil:
		addClientError(&resp.Diagnostics, "read", fmt.Sprintf("task %d", id), err)
		return
	case !sameTask(t, state.HostID.ValueInt64(), state.TypeID.ValueInt64()):
		tflog.Warn(ctx, "task id now belongs to another host's or type's task; recording the task as purged", map[string]any{"task_id": id})
		t = nil
	}
	if t == nil {
		if state.State.ValueString() != taskStatePurged {
			tflog.Info(ctx, "task no longer exists on the FOG server; keeping it in the state as purged", map[string]any{"task_id": id})
		}
		state.State, state.StateID = types.StringValue(taskStatePurged), types.Int64Null()
	} else {
		state.setTaskState(t)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// ---- update -------------------------------------------------------------------------

// Update only records wait_for_completion, cancel_on_destroy, timeouts and a
// new spelling of `type`: everything else forces replacement. It sends no
// request, so it can never start a task.
func (r *taskResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	ctx = r.data.LogContext(ctx)
	var plan, state taskModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	state.Type = plan.Type
	state.WaitForCompletion = plan.WaitForCompletion
	state.CancelOnDestroy = plan.CancelOnDestroy
	state.Timeouts = plan.Timeouts
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// ---- delete -------------------------------------------------------------------------

func (r *taskResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	ctx = r.data.LogContext(ctx)
	var state taskModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if isWakeUpID(state.ID.ValueString()) {
		return // nothing exists on the server
	}
	id, err := strconv.ParseInt(state.ID.ValueString(), 10, 64)
	if err != nil {
		return
	}
	adopted, cancelOnDestroy := state.Adopted.ValueBool(), state.CancelOnDestroy.ValueBool()
	object := fmt.Sprintf("task %d", id)
	client := r.data.clientOrError(&resp.Diagnostics, "cancel", object)
	if client == nil {
		return
	}
	t, err := client.GetTask(ctx, id)
	switch {
	case errors.Is(err, fogclient.ErrNotFound):
		t = nil
	case err != nil:
		addClientError(&resp.Diagnostics, "cancel", object, err)
		return
	case !sameTask(t, state.HostID.ValueInt64(), state.TypeID.ValueInt64()):
		t = nil
	}
	switch decideDestroy(t, adopted, cancelOnDestroy) {
	case destroyNothing:
		return
	case destroyLeaveAdopted:
		resp.Diagnostics.AddWarning("Adopted task left running", fmt.Sprintf(
			"Task %s was adopted by this resource, not created by it, so destroying the resource left it in FOG. "+
				"Cancel it in FOG's Task Management if it should not run.", describeTask(t)))
	case destroyLeaveDisabled:
		tflog.Info(ctx, "cancel_on_destroy is false; leaving the task in FOG", map[string]any{"task_id": id, "state_id": t.StateID})
	case destroyLeaveRunning:
		resp.Diagnostics.AddWarning("Task in progress left to finish", fmt.Sprintf(
			"Task %s is already imaging the host, so it was not cancelled: cancelling it now would leave a half-written disk. "+
				"It stays in FOG until it completes. Cancel it in FOG's Task Management if you really mean to stop it.", describeTask(t)))
	case destroyCancel:
		err := client.CancelTask(ctx, id)
		if err != nil && !errors.Is(err, fogclient.ErrTaskNotActive) {
			addClientError(&resp.Diagnostics, "cancel", object, err)
			return
		}
		tflog.Info(ctx, "cancelled task", map[string]any{"task_id": id})
	}
}

// ImportState refuses: a task is an action, not an object to take over.
func (r *taskResource) ImportState(_ context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resp.Diagnostics.AddError("fog_task cannot be imported", fmt.Sprintf(
		"Unable to import task %q: fog_task starts a task, so there is nothing to import. To take over an active task, declare a "+
			"fog_task with the same host_id and type: it adopts the host's active task of that type instead of starting a second one "+
			"(adopted = true).", req.ID))
}

// ---- helpers ------------------------------------------------------------------------

// setTaskState copies what refresh tracks from a task FOG returned.
func (m *taskModel) setTaskState(t *fogclient.Task) {
	m.State = types.StringValue(taskStateName(t.StateID, t.StateName))
	m.StateID = types.Int64Value(t.StateID)
	m.Percent = types.Int64Value(t.Percent)
}

// taskTypeSyntax: a type must contain a letter or a digit.
var taskTypeSyntax = regexp.MustCompile(`[\pL\pN]`)

// taskTypesCache keeps each client's task type list for the life of the
// provider process: the list changes only with a FOG upgrade, and one plan
// may hold many fog_task resources.
var taskTypesCache sync.Map // *fogclient.Client -> []fogclient.TaskType

func cachedTaskTypes(ctx context.Context, client *fogclient.Client) ([]fogclient.TaskType, error) {
	if v, ok := taskTypesCache.Load(client); ok {
		if all, ok := v.([]fogclient.TaskType); ok {
			return all, nil
		}
	}
	all, err := client.TaskTypes(ctx)
	if err != nil {
		return nil, err
	}
	taskTypesCache.Store(client, all)
	return all, nil
}

// hostTaskLocks serialises the check-then-create of tasks per host and
// client within one provider process.
var hostTaskLocks sync.Map // string -> *sync.Mutex

func lockHostTasks(client *fogclient.Client, hostID int64) func() {
	v, _ := hostTaskLocks.LoadOrStore(fmt.Sprintf("%p/%d", client, hostID), &sync.Mutex{})
	mu, ok := v.(*sync.Mutex)
	if !ok {
		return func() {}
	}
	mu.Lock()
	return mu.Unlock
}
