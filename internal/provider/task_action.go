// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

// fog_task as a Terraform action (Terraform 1.14 and later): the task of
// the fog_task resource, started on demand (`terraform apply -invoke`) or
// from a resource's lifecycle (action_trigger), with nothing kept in the
// state. It shares the resource's decisions (task_decisions.go), plan
// checks (task_plan.go), start (task_start.go) and wait (task_wait.go), so
// the safety rules cannot drift apart.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/action/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

var (
	_ action.Action                     = (*taskAction)(nil)
	_ action.ActionWithConfigure        = (*taskAction)(nil)
	_ action.ActionWithModifyPlan       = (*taskAction)(nil)
	_ action.ActionWithConfigValidators = (*taskAction)(nil)
)

// NewTaskAction is the constructor of the fog_task action.
func NewTaskAction() action.Action { return &taskAction{} }

type taskAction struct {
	data *ProviderData
}

// taskActionModel holds the arguments of the fog_task resource that mean
// something for a one-off run: not triggers (action_trigger decides when an
// action runs) nor cancel_on_destroy (there is nothing to destroy).
type taskActionModel struct {
	taskArguments
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

// taskResourceOnlyArguments are the fog_task resource arguments the action
// does not take, and why (a test holds the two schemas in step with this list).
var taskResourceOnlyArguments = map[string]string{
	"triggers":          "an action runs when it is invoked or its action_trigger fires, so there is nothing to replace",
	"cancel_on_destroy": "an action has no destroy; a task the action started is cancelled when its wait fails before the task started",
}

func (a *taskAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_task"
}

// taskActionDescription is the first paragraph of the action's page; the
// rest of it is in templates/actions/task.md.tmpl.
const taskActionDescription = "Starts a FOG task for one host, like the `fog_task` resource, as a Terraform **action** " +
	"(Terraform 1.14 or later): run it on demand with `terraform apply -invoke=action.fog_task.<name>`, or from another " +
	"resource's `lifecycle { action_trigger { ... } }`, for example to deploy a host after its image assignment changed. " +
	"Nothing is kept in the state: every invocation asks FOG again."

func (a *taskAction) Schema(ctx context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: taskActionDescription,
		Attributes: map[string]schema.Attribute{
			"host_id": schema.Int64Attribute{
				MarkdownDescription: taskHostIDDescription,
				Optional:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
			},
			"group_id": schema.Int64Attribute{
				MarkdownDescription: taskGroupIDDescription,
				Optional:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
			},
			"type": schema.StringAttribute{
				MarkdownDescription: taskTypeDescription + " " + taskTypeUnknownDescription,
				Required:            true,
				Validators:          []validator.String{taskTypeValidator()},
			},
			"image_id": schema.Int64Attribute{
				MarkdownDescription: "Optional safety check: the task is refused unless the host's assigned image is this one " +
					"when the action runs. FOG itself always uses the host's assigned image.",
				Optional:   true,
				Validators: []validator.Int64{int64validator.AtLeast(1)},
			},
			"task_name": schema.StringAttribute{
				MarkdownDescription: "Prefix of the task's name in FOG, which FOG stores as `<task_name> - <host name>`.",
				Optional:            true,
				Validators:          []validator.String{taskNameValidator()},
			},
			"shutdown": schema.BoolAttribute{
				MarkdownDescription: taskShutdownDescription,
				Optional:            true,
			},
			"debug": schema.BoolAttribute{
				MarkdownDescription: taskDebugDescription,
				Optional:            true,
			},
			"wol": schema.BoolAttribute{
				MarkdownDescription: taskWOLDescription,
				Optional:            true,
			},
			"deploy_snapins": schema.BoolAttribute{
				MarkdownDescription: taskDeploySnapinsDescription,
				Optional:            true,
			},
			"snapin_id": schema.Int64Attribute{
				MarkdownDescription: taskSnapinIDDescription,
				Optional:            true,
				Validators:          taskSnapinIDValidators,
			},
			"wait_for_completion": schema.BoolAttribute{
				MarkdownDescription: "Wait until FOG reports the task `Complete`, at most `timeouts.invoke`, reporting its progress " +
					"meanwhile. `Cancelled`, deleted or still unfinished at the timeout is an error (see above for what is " +
					"cancelled). Defaults to `false`: the action ends once the task is queued.",
				Optional: true,
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.BlockWithOpts(ctx, timeouts.Opts{
				InvokeDescription: "How long the action may take, including the wait for completion when `wait_for_completion` " +
					"is true, as a duration such as `90m`. Defaults to `60m`.",
			}),
		},
	}
}

// ConfigValidators: a task is for one host or one group.
func (a *taskAction) ConfigValidators(context.Context) []action.ConfigValidator {
	return []action.ConfigValidator{
		hostOrGroup,
	}
}

func (a *taskAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan runs the resource's plan-time checks: the type against the
// server's task types, flags FOG would accept and ignore, an unknown host
// or image, a capture onto a protected image (those against the server's
// state as warnings, refused at invoke), and the warnings before anything
// that overwrites a disk.
func (a *taskAction) ModifyPlan(ctx context.Context, req action.ModifyPlanRequest, resp *action.ModifyPlanResponse) {
	ctx = a.data.LogContext(ctx)
	var cfg taskActionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	planTaskChecks(ctx, a.data, cfg.planArgs(), &resp.Diagnostics)
}

var taskStartedByAction = taskStarter{
	name: "this action", neverCancels: "The action never cancels a task it adopted.",
}

// Invoke creates (or adopts) the task and, with wait_for_completion, follows
// it to the end, reporting progress.
func (a *taskAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	ctx = a.data.LogContext(ctx)
	var cfg taskActionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	want := cfg.request()
	client := a.data.clientOrError(&resp.Diagnostics, "create", want.object(cfg.Type.ValueString()))
	if client == nil {
		return
	}
	timeout, diags := cfg.Timeouts.Invoke(ctx, defaultTaskCreateTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	progress := progressReporter(ctx, resp.SendProgress)

	tt, ok := resolveTaskForApply(ctx, a.data, cfg.Type.ValueString(), want, &resp.Diagnostics)
	if !ok {
		return
	}
	if want.GroupID != 0 {
		a.invokeGroup(ctx, client, want, tt, cfg.WaitForCompletion.ValueBool(), timeout, progress, &resp.Diagnostics)
		return
	}
	// An action keeps no state, so there is nothing to record a create
	// whose outcome stayed unknown in: its error says what to check.
	task, adopted, ok := startTask(ctx, client, want, tt, taskStartedByAction, &resp.Diagnostics, nil)
	if !ok {
		return
	}
	if task == nil {
		tflog.Info(ctx, "sent Wake-Up", map[string]any{"host_id": want.HostID})
		progress(fmt.Sprintf("Sent a %s to host %d: FOG sent the Wake-on-LAN packet and keeps no task to follow.", tt.Name, want.HostID))
		return
	}
	verb := "Created"
	if adopted {
		verb = "Adopted the host's active"
	}
	progress(verb + " " + taskProgressText(tt, task))
	if !cfg.WaitForCompletion.ValueBool() {
		return
	}
	a.wait(ctx, client, task, tt, adopted, timeout, progress, &resp.Diagnostics)
}

// wait follows the task until it completes, reporting each new state or
// percent, and deals with a failed or interrupted wait.
func (a *taskAction) wait(ctx context.Context, client *fogclient.Client, task *fogclient.Task, tt fogclient.TaskType, adopted bool,
	timeout time.Duration, progress func(string), diags *diag.Diagnostics) {
	seen := *task
	last, started, status, waitErr := waitForTask(ctx, client, task, func(t *fogclient.Task) {
		if t.StateID != seen.StateID || t.Percent != seen.Percent {
			seen = *t
			progress(taskProgressText(tt, t))
		}
	})
	if status == waitComplete {
		tflog.Info(ctx, "task complete", map[string]any{"task_id": task.ID})
		return
	}

	const summary = "Task did not complete"
	object := fmt.Sprintf("%s task %d for host %q", tt.Name, task.ID, task.HostName)
	why := failedWaitReason(ctx, object, status, last, waitErr, "timeouts.invoke", timeout)
	// The run's context has ended (timeout or interrupt): the clean-up gets its own.
	cleanup, cancelCleanup := context.WithTimeout(context.WithoutCancel(ctx), taskCleanupTimeout)
	defer cancelCleanup()

	switch decideFailedWait(last, started, adopted) {
	case outcomeKeepTainted:
		diags.AddError(summary, why+". The task had started imaging, so it was not cancelled (that would leave a half-written "+
			"disk); it goes on in FOG. Follow it in FOG's Task Management.")
	case outcomeCancelAndForget:
		now, cancelled, err := cancelIfNotStarted(cleanup, client, task)
		switch {
		case err != nil:
			diags.AddError(summary, why+". The task had not started, but cancelling it failed ("+describeClientErrorText(err)+
				"), so it is still in FOG and runs the next time the host boots from the network. Cancel it in FOG's Task Management.")
		case cancelled:
			tflog.Info(ctx, "cancelled task after a failed wait", map[string]any{"task_id": task.ID})
			diags.AddError(summary, why+". The task had not started on the host, so the action cancelled it. Invoke the action "+
				"again to start a new task; increase timeouts.invoke, or make sure the host boots from the network (wol = true can wake it).")
		case now != nil && now.Active():
			diags.AddError(summary, why+fmt.Sprintf(". The task started imaging meanwhile (it is %s now), so it was not cancelled "+
				"(that would leave a half-written disk); it goes on in FOG.", taskStateName(now.StateID, now.StateName)))
		default:
			diags.AddError(summary, why+". The task is no longer active in FOG, so there was nothing to cancel.")
		}
	default:
		detail := why + "."
		if adopted && last != nil && last.Active() {
			detail = why + ". The task was adopted, not started by this action, so it was left as it is."
		}
		diags.AddError(summary, detail)
	}
}

// cancelIfNotStarted cancels a task this action created only if a fresh
// read shows it has not started imaging (Queued or Checked In): the last
// poll may be several seconds old, and the host may have checked in since.
// It returns the task as read (nil when FOG no longer has it) and whether
// it was cancelled. fogclient.CancelTask itself refuses a task that is no
// longer active and always names the task in its body.
func cancelIfNotStarted(ctx context.Context, client *fogclient.Client, t *fogclient.Task) (now *fogclient.Task, cancelled bool, err error) {
	now, err = client.GetTask(ctx, t.ID)
	switch {
	case errors.Is(err, fogclient.ErrNotFound):
		return nil, false, nil
	case err != nil:
		return nil, false, err
	case !sameTask(now, t.HostID, t.TypeID):
		return nil, false, nil
	case !beforeImaging(now):
		return now, false, nil
	}
	err = client.CancelTask(ctx, t.ID)
	if errors.Is(err, fogclient.ErrTaskNotActive) {
		return nil, false, nil
	}
	return now, err == nil, err
}

// taskProgressText is a progress line: `Deploy task 12 for host "lab-01": in_progress, 25%`.
func taskProgressText(tt fogclient.TaskType, t *fogclient.Task) string {
	return fmt.Sprintf("%s task %d for host %q: %s, %d%%", tt.Name, t.ID, t.HostName, taskStateName(t.StateID, t.StateName), t.Percent)
}

// progressReporter wraps the framework's SendProgress, which blocks until
// Terraform reads the event. Once the run's context has ended Terraform may
// no longer read events, so nothing is sent any more, and a send that is
// still blocked is abandoned: the clean-up (cancelling the task) must never
// wait for a reader that is gone.
func progressReporter(ctx context.Context, send func(action.InvokeProgressEvent)) func(string) {
	return func(msg string) {
		tflog.Debug(ctx, "action progress", map[string]any{"message": msg})
		if send == nil || ctx.Err() != nil {
			return
		}
		sent := make(chan struct{})
		go func() {
			defer close(sent)
			send(action.InvokeProgressEvent{Message: msg})
		}()
		select {
		case <-sent:
		case <-ctx.Done():
		}
	}
}

// invokeGroup starts a group's tasks and, with wait_for_completion, follows
// them to the end, reporting counts per state and the mean percent.
func (a *taskAction) invokeGroup(ctx context.Context, client *fogclient.Client, want taskRequest, tt fogclient.TaskType, wait bool,
	timeout time.Duration, progress func(string), diags *diag.Diagnostics) {
	res, ok := startGroupTask(ctx, client, want, tt, diags)
	if !ok {
		return
	}
	if len(res.Tasks) == 0 {
		progress(fmt.Sprintf("Sent a %s to group %d: FOG sent the Wake-on-LAN packets and keeps no task to follow.", tt.Name, want.GroupID))
		return
	}
	ids := make([]int64, len(res.Tasks))
	tasks := make([]*fogclient.Task, len(res.Tasks))
	for i := range res.Tasks {
		ids[i], tasks[i] = res.Tasks[i].ID, &res.Tasks[i]
	}
	sessionID := int64(0)
	what := fmt.Sprintf("%d %s tasks for group %d", len(ids), tt.Name, want.GroupID)
	if res.Session != nil {
		sessionID = res.Session.ID
		what += fmt.Sprintf(" (multicast session %d)", sessionID)
	}
	progress(fmt.Sprintf("Created %s: %s", what, groupProgress(tasks)))
	if !wait {
		return
	}
	seen := groupProgress(tasks)
	last, started, status, waitErr := waitForTasks(ctx, client, ids, tasks, func(now []*fogclient.Task) {
		if p := groupProgress(now); p != seen {
			seen = p
			progress(fmt.Sprintf("%s tasks for group %d: %s", tt.Name, want.GroupID, p))
		}
	})
	if status == waitComplete {
		tflog.Info(ctx, "group tasks complete", map[string]any{"group_id": want.GroupID, "tasks": len(ids)})
		return
	}
	const summary = "Task did not complete"
	why := failedGroupWaitReason(ctx, fmt.Sprintf("The %s tasks of group %d (%s)", tt.Name, want.GroupID, groupProgress(last)),
		status, waitErr, timeout)
	why = strings.Replace(why, "timeouts.create", "timeouts.invoke", 1)
	if started {
		diags.AddError(summary, why+". Some host had started imaging, so nothing was cancelled (that would leave half-written "+
			"disks); the tasks go on in FOG. Follow them in FOG's Task Management.")
		return
	}
	cleanup, cancelCleanup := context.WithTimeout(context.WithoutCancel(ctx), taskCleanupTimeout)
	defer cancelCleanup()
	// A fresh read: the last poll may be seconds old, and a host may have checked in since.
	now, err := client.ListTasksByID(cleanup, ids)
	if err != nil {
		diags.AddError(summary, why+". Reading the tasks again before cancelling them failed ("+describeClientErrorText(err)+
			"), so they are still in FOG. Cancel them in FOG's Task Management.")
		return
	}
	d := decideGroupDestroy(tasksInOrder(ids, now), sessionID, true)
	var cancelDiags diag.Diagnostics
	cancelGroupTasks(cleanup, client, d, sessionID, &cancelDiags)
	switch {
	case cancelDiags.HasError():
		diags.AddError(summary, why+". No host had started, but cancelling the tasks failed, so they are still in FOG and run the "+
			"next time the hosts boot from the network. Cancel them in FOG's Task Management.")
		diags.Append(cancelDiags...)
	case len(d.leave) > 0:
		diags.AddError(summary, why+fmt.Sprintf(". %d task(s) started meanwhile, so they were not cancelled; they go on in FOG.", len(d.leave)))
	default:
		diags.AddError(summary, why+". No host had started imaging, so the action cancelled the tasks. Invoke the action again to "+
			"start new ones; increase timeouts.invoke, or make sure the hosts boot from the network (wol = true can wake them).")
	}
}
