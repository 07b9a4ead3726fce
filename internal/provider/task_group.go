// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

// createGroupTask starts the group's tasks (startGroupTask) and records
// them: task_ids by member, the multicast session, the summary state.
func (r *taskResource) createGroupTask(ctx context.Context, client *fogclient.Client, plan *taskModel, want taskRequest, tt fogclient.TaskType,
	timeout time.Duration, resp *resource.CreateResponse) {
	res, ok := startGroupTask(ctx, client, want, tt, &resp.Diagnostics)
	if !ok {
		return
	}
	plan.Adopted = types.BoolValue(false)
	plan.StateID = types.Int64Null()
	if len(res.Tasks) == 0 { // Wake-Up
		now := time.Now()
		plan.ID = types.StringValue(fmt.Sprintf("%sgroup-%d-%s", wakeUpIDPrefix, want.GroupID, now.UTC().Format("20060102T150405Z")))
		plan.State = types.StringValue(taskStateSent)
		plan.Percent = types.Int64Value(0)
		plan.CreatedTime = types.StringValue(now.UTC().Format(fogTimeLayout))
		plan.TaskIDs = int64List(nil)
		resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
		return
	}
	ids := make([]int64, len(res.Tasks))
	tasks := make([]*fogclient.Task, len(res.Tasks))
	lowest := res.Tasks[0].ID
	for i := range res.Tasks {
		ids[i], tasks[i] = res.Tasks[i].ID, &res.Tasks[i]
		lowest = min(lowest, res.Tasks[i].ID)
	}
	plan.ID = types.StringValue(fmt.Sprintf("group-%d-%d", want.GroupID, lowest))
	plan.TaskIDs = int64List(ids)
	if res.Session != nil {
		plan.SessionID = types.Int64Value(res.Session.ID)
	}
	plan.CreatedTime = types.StringValue(res.Tasks[0].CreatedTime)
	plan.setGroupState(tasks)
	if !plan.WaitForCompletion.ValueBool() {
		resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
		return
	}

	last, started, status, waitErr := waitForTasks(ctx, client, ids, tasks, nil)
	if status == waitComplete {
		plan.setGroupState(last)
		tflog.Info(ctx, "group tasks complete", map[string]any{"group_id": want.GroupID, "tasks": len(ids)})
		resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
		return
	}
	summary := "Task did not complete"
	object := fmt.Sprintf("The %s tasks of group %d (%s)", tt.Name, want.GroupID, groupProgress(last))
	why := failedGroupWaitReason(ctx, object, status, waitErr, timeout)
	if started {
		plan.setGroupState(last)
		resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
		resp.Diagnostics.AddError(summary, why+". Some host had started imaging, so nothing was cancelled (that would leave "+
			"half-written disks) and the tasks are kept in the state as tainted: the next apply replaces them once the running "+
			"ones are done (the replacement refuses while a member has an active task).")
		return
	}
	cleanup, cancelCleanup := context.WithTimeout(context.WithoutCancel(ctx), taskCleanupTimeout)
	defer cancelCleanup()
	var cancelDiags diag.Diagnostics
	cancelGroupTasks(cleanup, client, decideGroupDestroy(last, plan.SessionID.ValueInt64(), true), plan.SessionID.ValueInt64(), &cancelDiags)
	if cancelDiags.HasError() {
		plan.setGroupState(last)
		resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
		resp.Diagnostics.AddError(summary, why+". No host had started, but cancelling the tasks failed, so they are kept in the "+
			"state as tainted; the next apply cancels them and starts new ones.")
		resp.Diagnostics.Append(cancelDiags...)
		return
	}
	resp.Diagnostics.AddError(summary, why+". No host had started imaging, so the provider cancelled the tasks and saved "+
		"nothing: the next apply starts new ones. Increase timeouts.create, or make sure the hosts boot from the network "+
		"(wol = true can wake them).")
}

// failedGroupWaitReason says why a wait for a group's tasks failed.
func failedGroupWaitReason(ctx context.Context, object string, status waitStatus, waitErr error, timeout time.Duration) string {
	switch {
	case status == waitCancelled:
		return object + " were cancelled in FOG before all completed"
	case status == waitPurged:
		return object + " were deleted from FOG before all completed (deleting a host deletes its tasks)"
	case waitErr != nil && ctx.Err() == nil:
		return object + " could not be followed: " + describeClientErrorText(waitErr)
	case errors.Is(ctx.Err(), context.Canceled):
		return object + " were still unfinished when the apply was interrupted"
	}
	return fmt.Sprintf("%s were still unfinished when timeouts.create (%s) ran out. FOG has no failed state: a task whose "+
		"host never boots from the network, or whose imaging stopped, stays unfinished", object, timeout)
}

// readGroupTasks refreshes a group's tasks: the active ones from the read
// cache's active task list, the others with one request for all.
func (r *taskResource) readGroupTasks(ctx context.Context, client *fogclient.Client, state *taskModel, diags *diag.Diagnostics) {
	ids := int64sOfList(state.TaskIDs)
	if len(ids) == 0 {
		return
	}
	active, err := r.data.reads.ActiveTasks(ctx)
	if err != nil {
		addClientError(diags, "read", "the active tasks", err)
		return
	}
	want := idSet(ids)
	var found []fogclient.Task
	seen := map[int64]bool{}
	for _, t := range active {
		if want[t.ID] {
			found = append(found, t)
			seen[t.ID] = true
		}
	}
	var rest []int64
	for _, id := range ids {
		if !seen[id] {
			rest = append(rest, id)
		}
	}
	if len(rest) > 0 {
		more, err := client.ListTasksByID(ctx, rest)
		if err != nil {
			addClientError(diags, "read", fmt.Sprintf("tasks %s", joinInt64s(rest)), err)
			return
		}
		found = append(found, more...)
	}
	tasks := tasksInOrder(ids, found)
	for i, t := range tasks {
		if t != nil && t.TypeID != state.TypeID.ValueInt64() {
			tasks[i] = nil // the id now belongs to another task (a restored database)
		}
	}
	state.setGroupState(tasks)
}

// deleteGroupTasks cancels the group's tasks that have not started
// (decideGroupDestroy) and warns about those left running.
func (r *taskResource) deleteGroupTasks(ctx context.Context, state *taskModel, diags *diag.Diagnostics) {
	ids := int64sOfList(state.TaskIDs)
	object := fmt.Sprintf("the tasks of group %d", state.GroupID.ValueInt64())
	client := r.data.clientOrError(diags, "cancel", object)
	if client == nil || len(ids) == 0 {
		return
	}
	found, err := client.ListTasksByID(ctx, ids)
	if err != nil {
		addClientError(diags, "cancel", object, err)
		return
	}
	tasks := tasksInOrder(ids, found)
	for i, t := range tasks {
		if t != nil && t.TypeID != state.TypeID.ValueInt64() {
			tasks[i] = nil
		}
	}
	d := decideGroupDestroy(tasks, state.SessionID.ValueInt64(), state.CancelOnDestroy.ValueBool())
	cancelGroupTasks(ctx, client, d, state.SessionID.ValueInt64(), diags)
	if len(d.leave) > 0 {
		names := make([]string, len(d.leave))
		for i, t := range d.leave {
			names[i] = describeTask(t)
		}
		why := "they are already imaging their hosts, and cancelling them now would leave half-written disks"
		if state.SessionID.ValueInt64() != 0 {
			why = "a member has checked in to the multicast session, and cancelling the session would cancel every member's task"
		}
		diags.AddWarning("Group tasks left to finish", fmt.Sprintf("%d task(s) of group %d were not cancelled: %s. They stay in "+
			"FOG until they complete: %s. Cancel them in FOG's Task Management if you really mean to stop them.",
			len(d.leave), state.GroupID.ValueInt64(), why, strings.Join(names, ", ")))
	}
}

// cancelGroupTasks carries out d: the session (which cancels its tasks),
// else each task by its id.
func cancelGroupTasks(ctx context.Context, client *fogclient.Client, d groupDestroy, sessionID int64, diags *diag.Diagnostics) {
	if d.cancelSession {
		if err := client.CancelMulticastSession(ctx, sessionID); err != nil && !errors.Is(err, fogclient.ErrTaskNotActive) {
			addClientError(diags, "cancel", fmt.Sprintf("multicast session %d", sessionID), err)
			return
		}
		tflog.Info(ctx, "cancelled multicast session", map[string]any{"session_id": sessionID})
	}
	for _, id := range d.cancel {
		if err := client.CancelTask(ctx, id); err != nil && !errors.Is(err, fogclient.ErrTaskNotActive) {
			addClientError(diags, "cancel", fmt.Sprintf("task %d", id), err)
			return
		}
		tflog.Info(ctx, "cancelled task", map[string]any{"task_id": id})
	}
}

// setGroupState records the summary of a group's tasks.
func (m *taskModel) setGroupState(tasks []*fogclient.Task) {
	st, pct := groupTaskState(tasks)
	m.State = types.StringValue(st)
	m.StateID = types.Int64Null()
	m.Percent = types.Int64Value(pct)
}

// int64List is a known list of ids (empty, not null, for none).
func int64List(ids []int64) types.List {
	elems := make([]attr.Value, len(ids))
	for i, id := range ids {
		elems[i] = types.Int64Value(id)
	}
	return types.ListValueMust(types.Int64Type, elems)
}

// int64sOfList returns the known ids of a list.
func int64sOfList(l types.List) []int64 {
	if !known(l) {
		return nil
	}
	out := make([]int64, 0, len(l.Elements()))
	for _, e := range l.Elements() {
		if v, ok := e.(types.Int64); ok && known(v) {
			out = append(out, v.ValueInt64())
		}
	}
	return out
}
