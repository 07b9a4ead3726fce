// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

var (
	_ resource.Resource                     = (*taskResource)(nil)
	_ resource.ResourceWithConfigure        = (*taskResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*taskResource)(nil)
	_ resource.ResourceWithImportState      = (*taskResource)(nil)
	_ resource.ResourceWithValidateConfig   = (*taskResource)(nil)
	_ resource.ResourceWithConfigValidators = (*taskResource)(nil)
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
	TaskIDs         types.List     `tfsdk:"task_ids"`
	SessionID       types.Int64    `tfsdk:"multicast_session_id"`
}

// taskArguments are the arguments of fog_task that the resource and the
// action share (taskResourceOnlyArguments names the others, and why).
type taskArguments struct {
	HostID            types.Int64  `tfsdk:"host_id"`
	GroupID           types.Int64  `tfsdk:"group_id"`
	Type              types.String `tfsdk:"type"`
	ImageID           types.Int64  `tfsdk:"image_id"`
	TaskName          types.String `tfsdk:"task_name"`
	Shutdown          types.Bool   `tfsdk:"shutdown"`
	Debug             types.Bool   `tfsdk:"debug"`
	WOL               types.Bool   `tfsdk:"wol"`
	DeploySnapins     types.Bool   `tfsdk:"deploy_snapins"`
	SnapinID          types.Int64  `tfsdk:"snapin_id"`
	WaitForCompletion types.Bool   `tfsdk:"wait_for_completion"`
}

func (r *taskResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_task"
}

// taskResourceDescription is the first paragraph of fog_task's page; the
// rest of it (adoption, destroy, waiting, Wake-Up, snapins) is in
// templates/resources/task.md.tmpl.
const taskResourceDescription = "Starts a FOG task for one host (what FOG's Host Management > Basic Tasks does): deploy an image, " +
	"capture one, wipe a disk, run an inventory, wake the host up, and so on. The host runs the task the next time it boots " +
	"from the network."

// Descriptions of the arguments the fog_task resource and action share.
const (
	taskHostIDDescription = "FOG id of the host, for example `fog_host_image_assignment.lab.host_id`. Exactly one of " +
		"`host_id` and `group_id` must be set."
	taskGroupIDDescription = "FOG id of a group, for example `fog_group.lab.id`, to start the task for every member (one task " +
		"each, or one multicast stream with `Multi-Cast`). Before the request the provider checks every member, as FOG's " +
		"group route does not: the group must have members, none may have an active task, and for a deploy every member " +
		"must have the same, existing, enabled image (and `image_id`, when set). Capture and snapin types are refused for " +
		"groups. Exactly one of `host_id` and `group_id` must be set."
	taskTypeDescription = "The task type: a FOG task type name such as `Deploy`, `Capture`, `Deploy - Debug`, `Fast Wipe`, " +
		"`Hardware Inventory` or `Wake-Up`, matched ignoring letter case, spaces, dashes and underscores (`deploy`, " +
		"`wake-up` and `WakeUp` work), or its numeric id as a string (`\"1\"`)."
	taskTypeUnknownDescription = "An unknown name is a warning at plan time and an error before anything is created, both " +
		"listing the server's task types."
	taskShutdownDescription = "Shut the host down when the task is done, instead of rebooting it. Defaults to `false`."
	taskDebugDescription    = "Run the task in FOG's debug mode (a shell on the host before imaging). Defaults to `false`."
	taskWOLDescription      = "Have FOG send a Wake-on-LAN packet to the host when the task is created. Required " +
		"(`true`) for `Wake-Up`, which does nothing else. Defaults to `false`."
	taskDeploySnapinsDescription = "Deploy all of the host's snapins after the task (FOG's API does not by default). Only " +
		"`Deploy`, `Deploy - Debug`, `Multi-Cast` and `All Snapins` deploy snapins; setting it for another type is an " +
		"error. Required (`true`) for `All Snapins`. Defaults to `false`."
)

var taskTypeSyntax = regexp.MustCompile(`[\pL\pN]`)

// taskTypeValidator refuses a type that cannot name a task type; the name
// is checked against the server's task types at plan time (a warning) and
// before the create (an error).
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
				Optional:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.RequiresReplace()},
			},
			"group_id": schema.Int64Attribute{
				MarkdownDescription: replace(taskGroupIDDescription),
				Optional:            true,
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
			"snapin_id": schema.Int64Attribute{
				MarkdownDescription: replace(taskSnapinIDDescription),
				Optional:            true,
				Validators:          taskSnapinIDValidators,
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.RequiresReplace()},
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
			"task_ids": schema.ListAttribute{
				MarkdownDescription: "The FOG ids of the tasks: the task's own id for a host, one per member (by host id) for a group; " +
					"empty for a Wake-Up.",
				ElementType:   types.Int64Type,
				Computed:      true,
				PlanModifiers: []planmodifier.List{listplanmodifier.UseStateForUnknown()},
			},
			"multicast_session_id": schema.Int64Attribute{
				MarkdownDescription: "The FOG id of the multicast session of a group's `Multi-Cast` task (see the `fog_active_tasks` " +
					"data source); null otherwise.",
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

// ConfigValidators: a task is for one host or one group.
func (r *taskResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		hostOrGroup,
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

// ModifyPlan resolves `type` (so type_id is known), refuses flag
// combinations FOG would accept and ignore, warns about what the server's
// state would refuse (an unknown type, host or image, a capture onto a
// protected image: serverChecksAtPlan, refused at apply), and warns before
// anything that overwrites a disk. Active tasks are not checked here: on a
// replacement the destroy of the old task runs first and may cancel it.
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
	if !req.State.Raw.IsNull() {
		var state taskModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if resp.Diagnostics.HasError() {
			return
		}
		if plan.Type.IsUnknown() || (plan.Type.ValueString() != state.Type.ValueString() && !r.sameType(ctx, state, plan.Type.ValueString())) {
			resp.RequiresReplace = append(resp.RequiresReplace, path.Root("type"))
		}
		return
	}

	// Creating, or the create half of a replacement.
	if tt, ok := planTaskChecks(ctx, r.data, plan.planArgs(), &resp.Diagnostics); ok {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("type_id"), types.Int64Value(tt.ID))...)
	}
}

func (r *taskResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	ctx = r.data.LogContext(ctx)
	var plan taskModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	hostID := plan.HostID.ValueInt64()
	object := plan.request().object(plan.Type.ValueString())
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
	tt, ok := resolveTaskForApply(ctx, r.data, plan.Type.ValueString(), want, &resp.Diagnostics)
	if !ok {
		return
	}
	plan.TypeID = types.Int64Value(tt.ID)
	plan.SessionID = types.Int64Null()
	if want.GroupID != 0 {
		r.createGroupTask(ctx, client, &plan, want, tt, createTimeout, resp)
		return
	}

	object = fmt.Sprintf("a %s task for host %d", tt.Name, hostID)
	task, adopted, ok := startTask(ctx, client, want, tt, taskStartedByResource, &resp.Diagnostics, func(attempt taskAttempt, err error) {
		// Recorded, so the next refresh settles it (create_record.go).
		rec := plan
		rec.ID, rec.State, rec.CreatedTime = types.StringNull(), types.StringNull(), types.StringNull()
		rec.StateID, rec.Percent = types.Int64Null(), types.Int64Null()
		rec.TypeID, rec.Adopted = types.Int64Value(tt.ID), types.BoolValue(false)
		resp.Diagnostics.Append(recordedState(ctx, &resp.State, &rec)...)
		resp.Diagnostics.Append(recordCreateAttempt(ctx, resp.Private, attempt)...)
		resp.Diagnostics.AddError(unableTo("create", object), sentence(describeClientErrorText(err))+"\n\n"+
			"FOG may have created the task although its answer was lost, and the provider could not find out within "+
			"retry_max_wait (see above why; FOG may have been restarting). Nothing was repeated blindly. The attempt is recorded "+
			"in the state without an id, so Terraform marks the resource tainted. Run terraform apply again once FOG answers: its "+
			"refresh takes over the host's newest active task of this type that was not active before, and the apply then "+
			"replaces it (cancels it unless it has started imaging, and starts a new one); if there is none, the record is "+
			"dropped and the task started. If FOG restarts take longer, raise retry_max_wait.")
	})
	if !ok {
		return
	}

	plan.Adopted = types.BoolValue(adopted)
	if task == nil { // Wake-Up
		now := time.Now()
		plan.ID = types.StringValue(wakeUpID(hostID, now))
		plan.State = types.StringValue(taskStateSent)
		plan.StateID = types.Int64Null()
		plan.Percent = types.Int64Value(0)
		plan.CreatedTime = types.StringValue(now.UTC().Format(fogTimeLayout))
		plan.TaskIDs = int64List(nil)
		tflog.Info(ctx, "sent Wake-Up", map[string]any{"host_id": hostID})
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		return
	}
	plan.ID = types.StringValue(strconv.FormatInt(task.ID, 10))
	plan.TaskIDs = int64List([]int64{task.ID})
	plan.CreatedTime = types.StringValue(task.CreatedTime)
	plan.setTaskState(task)

	if !plan.WaitForCompletion.ValueBool() {
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		return
	}
	r.waitAndRecord(ctx, client, &plan, task, tt, createTimeout, resp)
}

var taskStartedByResource = taskStarter{
	name: "this resource", adoptedMark: " (adopted = true)", neverCancels: "Destroying the resource will not cancel it.",
}

// waitAndRecord waits for the task and records the outcome in resp: after
// a failed wait, what is kept in the state decides what the next apply
// does (decideFailedWait).
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
	if known(state.GroupID) {
		r.readGroupTasks(ctx, client, &state, &resp.Diagnostics)
		resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
		return
	}
	if state.ID.IsNull() {
		r.settleCreate(ctx, client, state, req, resp)
		return
	}
	id, err := strconv.ParseInt(state.ID.ValueString(), 10, 64)
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("Unable to read task %q", state.ID.ValueString()), "The id is not a FOG task id.")
		return
	}
	if state.TaskIDs.IsNull() { // stored before task_ids existed
		state.TaskIDs = int64List([]int64{id})
	}
	// A task missing from the active list is finished or deleted: a GET by
	// id tells which.
	t, err := r.data.reads.Task(ctx, id)
	switch {
	case errors.Is(err, fogclient.ErrNotFound):
		// Deleting a host deletes its tasks (edge recordings F,
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

// settleCreate refreshes the record of a create whose outcome stayed
// unknown (create_record.go) by the rule of the lost answer's look.
func (r *taskResource) settleCreate(ctx context.Context, client *fogclient.Client, state taskModel, req resource.ReadRequest, resp *resource.ReadResponse) {
	object := fmt.Sprintf("a %s task for host %d", state.Type.ValueString(), state.HostID.ValueInt64())
	attempt, ok := createAttempt[taskAttempt](ctx, req.Private)
	if !ok {
		resp.State.RemoveResource(ctx)
		return
	}
	t, err := client.FindCreatedTask(ctx, attempt.HostID, attempt.TypeID, attempt.Before)
	switch settleLook(&resp.Diagnostics, object, "task", t != nil, err) {
	case settleAdopted:
		state.ID = types.StringValue(strconv.FormatInt(t.ID, 10))
		state.CreatedTime = types.StringValue(t.CreatedTime)
		state.Adopted = types.BoolValue(false) // this resource's own
		state.setTaskState(t)
		resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
		resp.Diagnostics.Append(settledCreateAttempt(ctx, resp.Private)...)
		adoptedWarning(&resp.Diagnostics, object, "task", t.ID, "it cancels this task unless it has started imaging, "+
			"and starts a new one.")
	case settleNotFound, settleOther:
		resp.State.RemoveResource(ctx)
	}
}

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
	if known(state.GroupID) {
		r.deleteGroupTasks(ctx, &state, &resp.Diagnostics)
		return
	}
	var id int64
	if state.ID.IsNull() {
		// A create record nobody refreshed (destroy -refresh=false): cancel
		// the task that create made, if it is active.
		attempt, ok := createAttempt[taskAttempt](ctx, req.Private)
		client := r.data.clientOrError(&resp.Diagnostics, "cancel", "the task of an interrupted create")
		if !ok || client == nil {
			return
		}
		t, err := client.FindCreatedTask(ctx, attempt.HostID, attempt.TypeID, attempt.Before)
		if err != nil {
			addClientError(&resp.Diagnostics, "cancel", "the task of an interrupted create", err)
			return
		}
		if t == nil {
			return
		}
		id = t.ID
	} else {
		parsed, err := strconv.ParseInt(state.ID.ValueString(), 10, 64)
		if err != nil {
			return
		}
		id = parsed
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
	resp.Diagnostics.AddError(fmt.Sprintf("Unable to import task %q", req.ID), fmt.Sprintf(
		"fog_task cannot be imported: it starts a task, so there is nothing to import. To take over an active task, declare a "+
			"fog_task with the same host_id and type: it adopts the host's active task of that type instead of starting a second one "+
			"(adopted = true)."))
}

// setTaskState copies what refresh tracks from a task FOG returned.
func (m *taskModel) setTaskState(t *fogclient.Task) {
	m.State = types.StringValue(taskStateName(t.StateID, t.StateName))
	m.StateID = types.Int64Value(t.StateID)
	m.Percent = types.Int64Value(t.Percent)
}
