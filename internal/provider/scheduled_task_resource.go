// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

var (
	_ resource.Resource                     = (*scheduledTaskResource)(nil)
	_ resource.ResourceWithConfigure        = (*scheduledTaskResource)(nil)
	_ resource.ResourceWithImportState      = (*scheduledTaskResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*scheduledTaskResource)(nil)
	_ resource.ResourceWithConfigValidators = (*scheduledTaskResource)(nil)
)

// NewScheduledTaskResource is the constructor of fog_scheduled_task.
func NewScheduledTaskResource() resource.Resource { return &scheduledTaskResource{} }

type scheduledTaskResource struct {
	data *ProviderData
}

type scheduledTaskModel struct {
	ID          types.String `tfsdk:"id"`
	HostID      types.Int64  `tfsdk:"host_id"`
	GroupID     types.Int64  `tfsdk:"group_id"`
	Type        types.String `tfsdk:"type"`
	TypeID      types.Int64  `tfsdk:"type_id"`
	Name        types.String `tfsdk:"name"`
	Description fogTextValue `tfsdk:"description"`
	Cron        types.String `tfsdk:"cron"`
	RunAt       types.String `tfsdk:"run_at"`
	Active      types.Bool   `tfsdk:"active"`
	Shutdown    types.Bool   `tfsdk:"shutdown"`
	WOL         types.Bool   `tfsdk:"wol"`
	NextRun     types.String `tfsdk:"next_run"`
	Done        types.Bool   `tfsdk:"done"`
}

func (r *scheduledTaskResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_scheduled_task"
}

func (r *scheduledTaskResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.Int64{int64planmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{
		// The rest of the page is in templates/resources/scheduled_task.md.tmpl.
		MarkdownDescription: "A scheduled task in FOG (a host's or a group's \"Scheduled Tasks\"): FOG's scheduler service " +
			"starts the task later, once at `run_at` or repeatedly on a `cron` schedule.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The FOG id of the scheduled task, as a string.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"host_id": schema.Int64Attribute{
				MarkdownDescription: "FOG id of the host to run the task for. Exactly one of `host_id` and `group_id` must be set. " +
					"Changing it replaces the scheduled task.",
				Optional:      true,
				Validators:    []validator.Int64{int64validator.AtLeast(1)},
				PlanModifiers: replace,
			},
			"group_id": schema.Int64Attribute{
				MarkdownDescription: "FOG id of the group to run the task for. FOG's scheduler will start it with FOG's group " +
					"route, without any of the checks `fog_task` makes; the plan warns about what those checks find now. " +
					"Changing it replaces the scheduled task.",
				Optional:      true,
				Validators:    []validator.Int64{int64validator.AtLeast(1)},
				PlanModifiers: replace,
			},
			"type": schema.StringAttribute{
				MarkdownDescription: taskTypeDescription + " " + taskTypeUnknownDescription + " Capture is refused for a " +
					"group, the snapin types for any scheduled task.",
				Required:   true,
				Validators: []validator.String{taskTypeValidator()},
			},
			"type_id": schema.Int64Attribute{
				MarkdownDescription: "The id of the task type `type` names.",
				Computed:            true,
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "Name of the scheduled task (not unique in FOG). FOG names the task it starts `<name> - " +
					"<host or group name>`. At most 200 characters. Defaults to empty.",
				Optional:   true,
				Computed:   true,
				Default:    stringdefault.StaticString(""),
				Validators: []validator.String{taskNameValidator()},
			},
			"description": schema.StringAttribute{
				CustomType:          fogTextType{},
				MarkdownDescription: "Free text. Defaults to empty.",
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString(""),
				Validators:          []validator.String{descriptionValidator()},
			},
			"cron": schema.StringAttribute{
				MarkdownDescription: "A repeating schedule: five fields (minute, hour, day of month, month, day of week) " +
					"separated by spaces, in the FOG server's time zone, for example `\"0 22 * * 1-5\"`. Each field is `*`, a " +
					"number, a range `a-b`, a step `*/n`, or a comma list of those; days of the week are 1-7 (Monday to " +
					"Sunday; a lone 0 is Sunday too). A field FOG could never match (an empty one, `61`, 30 February) makes " +
					"FOG hang on every request that shows the task, so it is refused at plan time. Exactly one of `cron` " +
					"and `run_at` must be set.",
				Optional:   true,
				Validators: []validator.String{cronValidator{}},
			},
			"run_at": schema.StringAttribute{
				MarkdownDescription: "A single run, as an RFC 3339 time such as `\"2027-01-15T22:00:00+01:00\"`; FOG stores it " +
					"as a Unix time. It must be in the future when the task is created or changed. A single-run task that " +
					"FOG no longer has (or no longer has active) after its time has passed is done: it stays in the state " +
					"(`done = true`) and is never created again. Exactly one of `cron` and `run_at` must be set.",
				Optional:   true,
				Validators: []validator.String{rfc3339Validator{}},
			},
			"active": schema.BoolAttribute{
				MarkdownDescription: "Whether FOG's scheduler runs the task. Defaults to `true` (FOG's API would store a task " +
					"created without it as inactive).",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(true),
			},
			"shutdown": schema.BoolAttribute{
				MarkdownDescription: "Shut the hosts down when the task is done. Defaults to `false`.",
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(false),
			},
			"wol": schema.BoolAttribute{
				MarkdownDescription: "Have FOG send Wake-on-LAN packets when it starts the task. Required (`true`) for `Wake-Up`. " +
					"Defaults to `false`.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
			"next_run": schema.StringAttribute{
				MarkdownDescription: "The next run as FOG computes it (`YYYY-MM-DD HH:MM`, the FOG server's time), as of the last refresh.",
				Computed:            true,
			},
			"done": schema.BoolAttribute{
				MarkdownDescription: "True when a single-run task's time has passed and FOG no longer has it active: it ran " +
					"(or was deleted). A done task is never created again; changing it replaces it with a new one.",
				Computed: true,
			},
		},
	}
}

func (r *scheduledTaskResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		hostOrGroup,
		exactlyOneOf{a: "cron", b: "run_at",
			both: "A scheduled task repeats on a cron schedule or runs once at run_at: remove one of them.",
			neither: "Set cron for a repeating schedule (for example \"0 22 * * 1-5\"), or run_at for a single run (an RFC 3339 " +
				"time such as \"2027-01-15T22:00:00+01:00\")."},
	}
}

func (r *scheduledTaskResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// cronValidator refuses a cron FOG could never compute the next run of
// (fogclient.CronProblems): FOG would hang on it (reference/fleet.md §5.3).
type cronValidator struct{}

func (cronValidator) Description(context.Context) string {
	return "cron must be five fields FOG can match: *, a number, a-b, */n or comma lists of those"
}

func (v cronValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (cronValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if !known(req.ConfigValue) {
		return
	}
	if _, msg := parseCron(req.ConfigValue.ValueString()); msg != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid cron", msg)
	}
}

// parseCron splits cron into its five fields, or says what is wrong.
func parseCron(s string) ([5]string, string) {
	var f [5]string
	fields := strings.Fields(s)
	if len(fields) != 5 {
		return f, fmt.Sprintf("cron %q has %d fields; it needs five, separated by spaces: minute hour day-of-month month "+
			"day-of-week, for example \"0 22 * * 1-5\". FOG would store missing fields as empty, and a task with an empty "+
			"field makes FOG hang on every request that shows it (recording 758).", s, len(fields))
	}
	copy(f[:], fields)
	if problems := fogclient.CronProblems(f); len(problems) > 0 {
		return f, fmt.Sprintf("In cron %q, %s. FOG searches for the next run without end, so such a task would make every "+
			"request that shows it hang and keep a PHP worker busy for good (recording 758). Use *, a number, a range a-b, a "+
			"step */n or a comma list of those, with values that can occur.", s, strings.Join(problems, "; "))
	}
	return f, ""
}

// rfc3339Validator refuses a run_at that is not an RFC 3339 time.
type rfc3339Validator struct{}

func (rfc3339Validator) Description(context.Context) string {
	return "run_at must be an RFC 3339 time such as 2027-01-15T22:00:00+01:00"
}

func (v rfc3339Validator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (rfc3339Validator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if !known(req.ConfigValue) {
		return
	}
	if _, err := time.Parse(time.RFC3339, req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid run_at", fmt.Sprintf(
			"run_at %q is not an RFC 3339 time. Write the date, the time and the offset, for example \"2027-01-15T22:00:00+01:00\" "+
				"or \"2027-01-15T21:00:00Z\"; timestamp() and timeadd() in HCL give this form.", req.ConfigValue.ValueString()))
	}
}

// scheduledTypeProblems: what the configuration alone shows is wrong with the
// task type of a scheduled task.
func scheduledTypeProblems(tt fogclient.TaskType, group, wol bool) []string {
	var out []string
	if tt.IsSnapinTasking || tt.ID == fogclient.TaskTypeAllSnapins || tt.ID == fogclient.TaskTypeSingleSnapin {
		out = append(out, fmt.Sprintf("%q cannot be scheduled here: FOG's scheduler passes no snapin id, and an All Snapins task "+
			"without its deploySnapins option creates no snapin job. Schedule a Deploy instead, or start snapins with fog_task.", tt.Name))
		return out
	}
	if group {
		return append(out, groupTypeProblems(tt, wol, false)...)
	}
	if tt.ID == fogclient.TaskTypeWakeUp && !wol {
		out = append(out, fmt.Sprintf("A %q task does nothing unless FOG sends the Wake-on-LAN packet: set wol = true.", tt.Name))
	}
	return out
}

// ModifyPlan resolves `type`, refuses what the configuration shows FOG would
// get wrong (a run_at in the past, a type it cannot schedule), warns about
// what the server shows (serverChecksAtPlan: a host or group that does not
// exist, and for a group what fog_task's checks find now), and replaces a
// done task instead of updating the row FOG no longer has.
func (r *scheduledTaskResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	ctx = r.data.LogContext(ctx)
	if req.Plan.Raw.IsNull() {
		return
	}
	var plan scheduledTaskModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var state *scheduledTaskModel
	if !req.State.Raw.IsNull() {
		state = &scheduledTaskModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, state)...)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	if state != nil && state.Done.ValueBool() && !sameSchedulePlan(plan, *state) {
		resp.RequiresReplace = append(resp.RequiresReplace, path.Root("run_at"))
	}
	if known(plan.RunAt) && (state == nil || plan.RunAt.ValueString() != state.RunAt.ValueString()) {
		if at, err := time.Parse(time.RFC3339, plan.RunAt.ValueString()); err == nil && !at.After(time.Now()) {
			resp.Diagnostics.AddAttributeError(path.Root("run_at"), "run_at is in the past", fmt.Sprintf(
				"run_at %s has passed, so FOG's scheduler would start the task at once (or never, if it is not running). Use a "+
					"time in the future.", plan.RunAt.ValueString()))
		}
	}
	client := r.data.configuredClient()
	if client == nil || !known(plan.Type) {
		return
	}
	all, err := r.data.serverTaskTypes(ctx)
	if err != nil {
		resp.Diagnostics.AddWarning("Task type not checked at plan time", "Could not list the FOG server's task types: "+describeClientErrorText(err))
		return
	}
	tt, err := resolveTaskType(plan.Type.ValueString(), all)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("type"), "Unknown task type", "Invalid type: "+err.Error()+".")
		return
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("type_id"), types.Int64Value(tt.ID))...)
	group := !plan.GroupID.IsNull()
	if known(plan.WOL) {
		for _, p := range scheduledTypeProblems(tt, group, plan.WOL.ValueBool()) {
			resp.Diagnostics.AddAttributeError(path.Root("type"), "Task type refused for a scheduled task", p)
		}
	}
	if resp.Diagnostics.HasError() || r.data.reads.Wrote() {
		return
	}
	var checks diag.Diagnostics
	switch {
	case group && known(plan.GroupID):
		groupChecks := planGroupChecks(ctx, r.data, plan.GroupID.ValueInt64(), types.Int64Null(), tt)
		resp.Diagnostics.Append(groupChecks...)
		resp.Diagnostics.AddAttributeWarning(path.Root("group_id"), "FOG runs scheduled group tasks without these checks",
			fmt.Sprintf("FOG's scheduler will start this %s task with FOG's group route when it is due, without any of the "+
				"checks fog_task makes. If a member is busy then, FOG writes a task for host 0 that its API can never cancel "+
				"(recordings 577, 579); if the members' images differ, deploys get each other's images (580). Keep the group's "+
				"members idle and on one image when the task is due.", tt.Name))
	case known(plan.HostID):
		if _, err := r.data.reads.Host(ctx, plan.HostID.ValueInt64()); errors.Is(err, fogclient.ErrNotFound) {
			checks.AddAttributeError(path.Root("host_id"), unableTo("schedule", "a task"), missingHostDetail(plan.HostID.ValueInt64()))
		}
	}
	resp.Diagnostics.Append(serverChecksAtPlan(checks)...)
}

// sameSchedulePlan reports whether the plan changes nothing FOG stores.
func sameSchedulePlan(plan, state scheduledTaskModel) bool {
	return plan.Type.Equal(state.Type) && plan.Name.Equal(state.Name) && plan.Cron.Equal(state.Cron) &&
		plan.RunAt.Equal(state.RunAt) && plan.Active.Equal(state.Active) && plan.Shutdown.Equal(state.Shutdown) &&
		plan.WOL.Equal(state.WOL) && normalizeFOGText(plan.Description.ValueString()) == normalizeFOGText(state.Description.ValueString())
}

// spec is the scheduled task to send; ok is false when an error was added.
func (r *scheduledTaskResource) spec(ctx context.Context, client *fogclient.Client, m scheduledTaskModel, action string, diags *diag.Diagnostics) (fogclient.ScheduledTaskSpec, bool) {
	object := fmt.Sprintf("scheduled task %q", m.Name.ValueString())
	all, err := r.data.serverTaskTypes(ctx)
	if err != nil {
		addClientError(diags, action, object, fmt.Errorf("listing task types: %w", err))
		return fogclient.ScheduledTaskSpec{}, false
	}
	tt, err := resolveTaskType(m.Type.ValueString(), all)
	if err != nil {
		diags.AddAttributeError(path.Root("type"), unableTo(action, object), "Invalid type: "+err.Error()+".")
		return fogclient.ScheduledTaskSpec{}, false
	}
	group := known(m.GroupID)
	for _, p := range scheduledTypeProblems(tt, group, m.WOL.ValueBool()) {
		diags.AddAttributeError(path.Root("type"), unableTo(action, object), p)
	}
	if diags.HasError() {
		return fogclient.ScheduledTaskSpec{}, false
	}
	in := fogclient.ScheduledTaskSpec{
		Name: m.Name.ValueString(), Description: normalizeFOGText(m.Description.ValueString()), TaskTypeID: tt.ID,
		Group: group, TargetID: m.HostID.ValueInt64(), Shutdown: m.Shutdown.ValueBool(), WOL: m.WOL.ValueBool(),
		Active: m.Active.IsNull() || m.Active.ValueBool(),
	}
	if group {
		in.TargetID = m.GroupID.ValueInt64()
		if _, err := client.GetGroup(ctx, in.TargetID); errors.Is(err, fogclient.ErrNotFound) {
			diags.AddAttributeError(path.Root("group_id"), unableTo(action, object), missingGroupDetail(in.TargetID))
			return in, false
		} else if err != nil {
			addClientError(diags, action, object, err)
			return in, false
		}
	} else if _, err := client.GetHost(ctx, in.TargetID); errors.Is(err, fogclient.ErrNotFound) {
		addMissingHostError(diags, action, object, in.TargetID)
		return in, false
	} else if err != nil {
		addClientError(diags, action, object, err)
		return in, false
	}
	if known(m.Cron) {
		f, msg := parseCron(m.Cron.ValueString())
		if msg != "" {
			diags.AddAttributeError(path.Root("cron"), unableTo(action, object), msg)
			return in, false
		}
		in.Cron = &f
		return in, true
	}
	at, err := time.Parse(time.RFC3339, m.RunAt.ValueString())
	if err != nil {
		diags.AddAttributeError(path.Root("run_at"), unableTo(action, object), err.Error())
		return in, false
	}
	if !at.After(time.Now()) {
		diags.AddAttributeError(path.Root("run_at"), unableTo(action, object), fmt.Sprintf(
			"run_at %s has passed. Use a time in the future.", m.RunAt.ValueString()))
		return in, false
	}
	in.RunAt = at.Unix()
	return in, true
}

func (r *scheduledTaskResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	ctx = r.data.LogContext(ctx)
	var plan scheduledTaskModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	object := fmt.Sprintf("scheduled task %q", plan.Name.ValueString())
	client := r.data.clientOrError(&resp.Diagnostics, "create", object)
	if client == nil {
		return
	}
	in, ok := r.spec(ctx, client, plan, "create", &resp.Diagnostics)
	if !ok {
		return
	}
	st, err := client.CreateScheduledTask(ctx, in)
	if err != nil {
		addClientError(&resp.Diagnostics, "create", object, err)
		return
	}
	tflog.Info(ctx, "created scheduled task", map[string]any{"id": st.ID})
	plan.fromAPI(st, in.TaskTypeID)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *scheduledTaskResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	ctx = r.data.LogContext(ctx)
	var state scheduledTaskModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || r.data.configuredClient() == nil {
		return
	}
	if state.Done.ValueBool() {
		return // FOG no longer has it; nothing will bring it back
	}
	id, ok := parseID(state.ID.ValueString(), &resp.Diagnostics)
	if !ok {
		return
	}
	st, err := r.data.reads.ScheduledTask(ctx, id)
	switch {
	case errors.Is(err, fogclient.ErrNotFound):
		if state.singleRunPassed() {
			// Ran and removed, or deleted once its time had passed: done,
			// never created again (that could image a host a second time).
			tflog.Info(ctx, "single-run scheduled task is gone after its time; keeping it as done", map[string]any{"id": id})
			state.Done = types.BoolValue(true)
			resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
			return
		}
		// Deleted outside Terraform, or with its host (FOG deletes the
		// scheduled tasks of a host's id, a group's included: recording 771).
		tflog.Warn(ctx, "scheduled task no longer exists on the FOG server; removing it from the state", map[string]any{"id": id})
		resp.State.RemoveResource(ctx)
		return
	case err != nil:
		addClientError(&resp.Diagnostics, "read", fmt.Sprintf("scheduled task %d", id), err)
		return
	}
	if !st.IsCron() && !st.Active && time.Unix(st.ScheduleTime, 0).Before(time.Now()) && state.Active.ValueBool() {
		// FOG's scheduler deactivates a single-run task once it started it
		// (its code; not recorded): done, not drift to undo.
		state.Done = types.BoolValue(true)
		state.NextRun = types.StringValue(st.Runtime)
		resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
		return
	}
	if known(state.TypeID) && st.TaskTypeID != state.TypeID.ValueInt64() {
		// Changed outside Terraform: the type's id makes the plan show it.
		state.Type = types.StringValue(strconv.FormatInt(st.TaskTypeID, 10))
	}
	state.fromAPI(st, st.TaskTypeID)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// singleRunPassed reports whether the state is a single run whose time has passed.
func (m scheduledTaskModel) singleRunPassed() bool {
	if !known(m.RunAt) {
		return false
	}
	at, err := time.Parse(time.RFC3339, m.RunAt.ValueString())
	return err == nil && !at.After(time.Now())
}

func (r *scheduledTaskResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	ctx = r.data.LogContext(ctx)
	var plan, state scheduledTaskModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	object := fmt.Sprintf("scheduled task %q", state.Name.ValueString())
	client := r.data.clientOrError(&resp.Diagnostics, "update", object)
	if client == nil {
		return
	}
	id, ok := parseID(state.ID.ValueString(), &resp.Diagnostics)
	if !ok {
		return
	}
	in, ok := r.spec(ctx, client, plan, "update", &resp.Diagnostics)
	if !ok {
		return
	}
	st, err := client.UpdateScheduledTask(ctx, id, in)
	if err != nil {
		addClientError(&resp.Diagnostics, "update", object, err)
		return
	}
	plan.fromAPI(st, in.TaskTypeID)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *scheduledTaskResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	ctx = r.data.LogContext(ctx)
	var state scheduledTaskModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || state.Done.ValueBool() {
		return
	}
	object := fmt.Sprintf("scheduled task %q", state.Name.ValueString())
	client := r.data.clientOrError(&resp.Diagnostics, "delete", object)
	if client == nil {
		return
	}
	id, ok := parseID(state.ID.ValueString(), &resp.Diagnostics)
	if !ok {
		return
	}
	deleteFOGObject(ctx, "scheduled task", object, id, client.DeleteScheduledTask, &resp.Diagnostics)
}

// ImportState takes the FOG id; the Read that follows fills the rest, with
// run_at in UTC and the task type's name as FOG has it.
func (r *scheduledTaskResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	ctx = r.data.LogContext(ctx)
	id, err := strconv.ParseInt(strings.TrimSpace(req.ID), 10, 64)
	if err != nil || id < 1 {
		resp.Diagnostics.AddError(fmt.Sprintf("Unable to import scheduled task %q", req.ID),
			"The import id must be the scheduled task's FOG id, for example 7.")
		return
	}
	client := r.data.clientOrError(&resp.Diagnostics, "import", fmt.Sprintf("scheduled task %d", id))
	if client == nil {
		return
	}
	st, err := client.GetScheduledTask(ctx, id)
	if err != nil {
		addClientError(&resp.Diagnostics, "import", fmt.Sprintf("scheduled task %d", id), err)
		return
	}
	typeName := strconv.FormatInt(st.TaskTypeID, 10)
	if all, err := r.data.serverTaskTypes(ctx); err == nil {
		for _, t := range all {
			if t.ID == st.TaskTypeID {
				typeName = t.Name
			}
		}
	}
	var m scheduledTaskModel
	m.Type = types.StringValue(typeName)
	m.fromAPI(st, st.TaskTypeID)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// fromAPI copies what FOG stores into the model. type keeps the spelling of
// the configuration; cron and run_at keep theirs when FOG has the same
// schedule.
func (m *scheduledTaskModel) fromAPI(st *fogclient.ScheduledTask, typeID int64) {
	m.ID = types.StringValue(strconv.FormatInt(st.ID, 10))
	m.TypeID = types.Int64Value(typeID)
	m.HostID, m.GroupID = types.Int64Value(st.TargetID), types.Int64Null()
	if st.Group {
		m.HostID, m.GroupID = types.Int64Null(), types.Int64Value(st.TargetID)
	}
	m.Name = types.StringValue(st.Name)
	m.Description = newFOGText(st.Description)
	if st.IsCron() {
		cron := strings.Join(st.Cron[:], " ")
		if !known(m.Cron) || strings.Join(strings.Fields(m.Cron.ValueString()), " ") != cron {
			m.Cron = types.StringValue(cron)
		}
		m.RunAt = types.StringNull()
	} else {
		if at, err := time.Parse(time.RFC3339, m.RunAt.ValueString()); !known(m.RunAt) || err != nil || at.Unix() != st.ScheduleTime {
			m.RunAt = types.StringValue(time.Unix(st.ScheduleTime, 0).UTC().Format(time.RFC3339))
		}
		m.Cron = types.StringNull()
	}
	m.Active = types.BoolValue(st.Active)
	m.Shutdown = types.BoolValue(st.Shutdown)
	m.WOL = types.BoolValue(st.WOL)
	m.NextRun = types.StringValue(st.Runtime)
	m.Done = types.BoolValue(false)
}
