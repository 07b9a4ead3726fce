// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

// Following a task until FOG reports it complete (wait_for_completion),
// shared by the resource and the action. Each decides for itself what a
// failed wait leaves behind: taskResource.waitAndRecord, taskAction.wait.

import (
	"context"
	"errors"
	"fmt"
	"time"

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

// waitForTasks polls a group's tasks every taskPollInterval (one request
// for all of them) until every one is finished or ctx ends. It returns the
// tasks as last seen, by id in ids' order (nil: FOG no longer has it),
// whether any was ever seen started, and why it stopped: complete only
// when all completed, cancelled or purged as soon as one is. polled, when
// not nil, sees every poll.
func waitForTasks(ctx context.Context, client *fogclient.Client, ids []int64, first []*fogclient.Task, polled func([]*fogclient.Task)) (
	last []*fogclient.Task, started bool, status waitStatus, err error) {
	last = first
	timer := time.NewTimer(taskPollInterval)
	defer timer.Stop()
	for {
		status = waitComplete
		for _, t := range last {
			started = started || taskStarted(t)
			switch st := waitStatusOf(t); st {
			case waitCancelled, waitPurged:
				return last, started, st, nil
			case waitPending:
				status = waitPending
			}
		}
		if status == waitComplete {
			return last, started, status, nil
		}
		select {
		case <-ctx.Done():
			return last, started, waitPending, ctx.Err()
		case <-timer.C:
			timer.Reset(taskPollInterval)
		}
		got, gerr := client.ListTasksByID(ctx, ids)
		if gerr != nil {
			if ctx.Err() != nil {
				return last, started, waitPending, ctx.Err()
			}
			return last, started, waitPending, gerr
		}
		last = tasksInOrder(ids, got)
		tflog.Debug(ctx, "group task progress", map[string]any{"tasks": len(ids), "progress": groupProgress(last)})
		if polled != nil {
			polled(last)
		}
	}
}

// tasksInOrder returns the tasks of ids in that order, nil for an id FOG
// no longer has.
func tasksInOrder(ids []int64, tasks []fogclient.Task) []*fogclient.Task {
	byID := make(map[int64]*fogclient.Task, len(tasks))
	for i := range tasks {
		byID[tasks[i].ID] = &tasks[i]
	}
	out := make([]*fogclient.Task, len(ids))
	for i, id := range ids {
		out[i] = byID[id]
	}
	return out
}
