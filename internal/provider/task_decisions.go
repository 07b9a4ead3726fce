// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

// The decisions of fog_task as pure functions of what FOG returned, so that
// each safety rule can be tested without a server: which task type a name
// means, what a task's state is called, whether to adopt, refuse or create,
// when a wait has finished, and what destroy may do.

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

// ---- task types ----------------------------------------------------------------

// normalizeTaskTypeName folds a task type name for matching: letter case,
// spaces, dashes and underscores are ignored, so "Deploy - Debug",
// "deploy-debug" and "DeployDebug" are the same name.
func normalizeTaskTypeName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch r {
		case ' ', '\t', '-', '_':
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// taskTypeID parses a numeric type id written as a string ("1"), or returns false.
func taskTypeID(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if s == "" || strings.TrimLeft(s, "0123456789") != "" {
		return 0, false
	}
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0
}

// sameTaskTypeSpelling reports whether two values of `type` name the same
// task type without asking the server: equal after normalisation, or equal ids.
func sameTaskTypeSpelling(a, b string) bool {
	if ia, ok := taskTypeID(a); ok {
		ib, ok := taskTypeID(b)
		return ok && ia == ib
	}
	if _, ok := taskTypeID(b); ok {
		return false
	}
	return normalizeTaskTypeName(a) == normalizeTaskTypeName(b)
}

// resolveTaskType finds the task type that `type` names among the server's
// types: by id when it is a number, otherwise by name ignoring case, spaces,
// dashes and underscores. The error lists the valid names.
func resolveTaskType(value string, all []fogclient.TaskType) (fogclient.TaskType, error) {
	if id, ok := taskTypeID(value); ok {
		for _, t := range all {
			if t.ID == id {
				return t, nil
			}
		}
		return fogclient.TaskType{}, fmt.Errorf("the FOG server has no task type with id %d. Valid task types: %s", id, validTaskTypes(all))
	}
	want := normalizeTaskTypeName(value)
	var found []fogclient.TaskType
	if want != "" {
		for _, t := range all {
			if normalizeTaskTypeName(t.Name) == want {
				found = append(found, t)
			}
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return fogclient.TaskType{}, fmt.Errorf("%q is not a task type of the FOG server (names are matched ignoring letter case, spaces, dashes "+
			"and underscores). Valid task types: %s", value, validTaskTypes(all))
	default:
		ids := make([]string, len(found))
		for i, t := range found {
			ids[i] = strconv.FormatInt(t.ID, 10)
		}
		return fogclient.TaskType{}, fmt.Errorf("%q matches several task types of the FOG server (ids %s); write the id instead",
			value, strings.Join(ids, ", "))
	}
}

// validTaskTypes lists the types as `"Deploy" (1), "Capture" (2), ...` by id.
func validTaskTypes(all []fogclient.TaskType) string {
	sorted := append([]fogclient.TaskType(nil), all...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].ID < sorted[j].ID })
	parts := make([]string, 0, len(sorted))
	for _, t := range sorted {
		parts = append(parts, fmt.Sprintf("%q (%d)", t.Name, t.ID))
	}
	if len(parts) == 0 {
		return "(the server listed none)"
	}
	return strings.Join(parts, ", ")
}

// taskKind is what a task does to a host's disk, for plan-time warnings.
type taskKind int

const (
	kindOther taskKind = iota
	kindDeploy
	kindCapture
	kindWipe
)

// classifyTaskType uses FOG's own deploy and capture rules (fogclient) and
// the wipe types' kernel argument "mode=wipe" (ids 18-20 on a stock server).
func classifyTaskType(t fogclient.TaskType) taskKind {
	switch {
	case t.IsCapture():
		return kindCapture
	case t.IsDeploy():
		return kindDeploy
	case strings.Contains(strings.ToLower(t.KernelArgs), "mode=wipe"):
		return kindWipe
	}
	return kindOther
}

// deploysSnapins reports whether FOG deploys snapins for the type when
// deploySnapins is sent: deploy types except "Deploy - No Snapins" (17),
// and the snapin types (reference/fog-api.md §3.1, "snapin-capable").
func deploysSnapins(t fogclient.TaskType) bool {
	return t.IsSnapinTasking || (t.IsDeploy() && t.ID != fogclient.TaskTypeDeployNoSnapins)
}

// taskFlagProblems returns what is wrong with the flags for a type, as
// sentences (empty when nothing is). Each is a combination FOG would accept
// and then silently do nothing useful with.
func taskFlagProblems(t fogclient.TaskType, wol, deploySnapinsSet bool) []string {
	var out []string
	switch {
	case t.ID == fogclient.TaskTypeWakeUp && !wol:
		// reference/fog-api.md §7.2 step 9, recording host-task-type14-wakeup-no-wol.
		out = append(out, fmt.Sprintf("A %q task does nothing unless FOG sends the Wake-on-LAN packet: set wol = true.", t.Name))
	case t.ID == fogclient.TaskTypeAllSnapins && !deploySnapinsSet:
		out = append(out, fmt.Sprintf("FOG creates an %q task without any snapin job unless deploySnapins is sent, so the task would do "+
			"nothing: set deploy_snapins = true.", t.Name))
	}
	if deploySnapinsSet && !deploysSnapins(t) {
		out = append(out, fmt.Sprintf("FOG ignores deploy_snapins for %q tasks; only Deploy, Deploy - Debug, Multi-Cast and All Snapins "+
			"deploy snapins. Remove deploy_snapins, or use one of those types.", t.Name))
	}
	return out
}

// ---- task states -----------------------------------------------------------------

// The synthetic values of `state` for tasks FOG has no row for.
const (
	taskStatePurged = "purged" // FOG deleted the row (host deleted, database cleaned)
	taskStateSent   = "sent"   // a Wake-Up request, whose row FOG deletes at once
)

// taskStateName maps a FOG state id to the value of `state`.
func taskStateName(stateID int64, fogName string) string {
	switch stateID {
	case 0:
		return "new"
	case fogclient.TaskStateQueued:
		return "queued"
	case fogclient.TaskStateCheckedIn:
		return "checked_in"
	case fogclient.TaskStateInProgress:
		return "in_progress"
	case fogclient.TaskStateComplete:
		return "complete"
	case fogclient.TaskStateCancelled:
		return "cancelled"
	}
	words := strings.FieldsFunc(strings.ToLower(fogName), func(r rune) bool { return r == ' ' || r == '-' || r == '_' })
	if len(words) > 0 {
		return strings.Join(words, "_")
	}
	return "state_" + strconv.FormatInt(stateID, 10)
}

// beforeImaging reports whether an active task has not started on the host
// yet (new, Queued or Checked In): cancelling it cannot leave a half-written disk.
func beforeImaging(t *fogclient.Task) bool {
	return t != nil && t.Active() && t.StateID < fogclient.TaskStateInProgress
}

// sameTask reports whether a task FOG returned for a stored id is still the
// task this resource recorded (ids are not reused by MySQL, but a restored or
// reset database can hand an id to another host's task).
func sameTask(t *fogclient.Task, hostID, typeID int64) bool {
	return t != nil && t.HostID == hostID && (typeID == 0 || t.TypeID == typeID)
}

// ---- before creating ---------------------------------------------------------------

type createAction int

const (
	actionCreate createAction = iota
	actionAdopt
	actionRefuse
)

// createDecision is what Create does given the host's active tasks.
type createDecision struct {
	Action createAction
	// Task is the task to adopt, or the one that blocks creation.
	Task *fogclient.Task
	// Reason explains a refusal.
	Reason string
}

// decideCreate applies the adoption rules to a host's active tasks:
//
//   - an active task of the same type is adopted, never duplicated (FOG would
//     refuse a second imaging task, and for snapin types it would merge the
//     request into the active task or cancel the host's other snapin jobs);
//   - any other active task refuses creation: FOG rejects an imaging task
//     next to an active imaging task, and silently cancels and replaces an
//     active non-imaging task (reference/fog-api.md §7.2 step 3);
//   - with image_id set, a same-type task using another image is refused,
//     not adopted.
//
// Wake-Up is never adopted: its row does not survive creation.
func decideCreate(active []fogclient.Task, want fogclient.TaskType, hostName string, imageID *int64) createDecision {
	tasks := append([]fogclient.Task(nil), active...)
	sort.Slice(tasks, func(i, j int) bool { return tasks[i].ID < tasks[j].ID })
	var same, other *fogclient.Task
	for i := range tasks {
		t := &tasks[i]
		if !t.Active() {
			continue
		}
		if t.TypeID == want.ID && want.ID != fogclient.TaskTypeWakeUp {
			if same == nil {
				same = t
			}
		} else if other == nil {
			other = t
		}
	}
	switch {
	case other != nil:
		consequence := "FOG would cancel it and put the new task in its place without saying so"
		if isImagingTypeID(other.TypeID) {
			consequence = "FOG allows only one active task per host while an imaging task is active"
		}
		return createDecision{Action: actionRefuse, Task: other, Reason: fmt.Sprintf(
			"host %q already has another active task: %s. %s. Wait for that task to finish or cancel it in FOG's Task Management, "+
				"then apply again", hostName, describeTask(other), consequence)}
	case same != nil && imageID != nil && same.ImageID != *imageID && isImagingTypeID(same.TypeID):
		return createDecision{Action: actionRefuse, Task: same, Reason: fmt.Sprintf(
			"host %q already has an active %s task, %s, but it uses image %s, not image_id %d. It was not adopted, and a second "+
				"task cannot be created next to it. Cancel it in FOG's Task Management, then apply again",
			hostName, same.TypeName, describeTask(same), describeImage(same.ImageID, same.ImageName), *imageID)}
	case same != nil:
		return createDecision{Action: actionAdopt, Task: same}
	}
	return createDecision{Action: actionCreate}
}

// isImagingTypeID is FOG's list of imaging types on a stock server (1, 2, 8,
// 15, 16, 17), as the server applies it to refuse a second task.
func isImagingTypeID(id int64) bool {
	switch id {
	case fogclient.TaskTypeDeploy, fogclient.TaskTypeCapture, fogclient.TaskTypeMulticast,
		fogclient.TaskTypeDeployDebug, fogclient.TaskTypeCaptureDebug, fogclient.TaskTypeDeployNoSnapins:
		return true
	}
	return false
}

// describeTask names a task for messages: `"Deploy - host1" (id 12, type Deploy, state Queued)`.
func describeTask(t *fogclient.Task) string {
	typ := t.TypeName
	if typ == "" {
		typ = strconv.FormatInt(t.TypeID, 10)
	}
	st := t.StateName
	if st == "" {
		st = taskStateName(t.StateID, "")
	}
	return fmt.Sprintf("%q (id %d, type %s, state %s)", t.Name, t.ID, typ, st)
}

// ---- waiting ------------------------------------------------------------------------

type waitStatus int

const (
	waitPending   waitStatus = iota // keep polling
	waitComplete                    // success
	waitCancelled                   // failure: FOG or someone cancelled it
	waitPurged                      // failure: FOG deleted the row
)

// waitStatusOf classifies one poll. FOG has no failed state: a failed
// imaging run simply stops reporting, which only a timeout can notice.
func waitStatusOf(t *fogclient.Task) waitStatus {
	switch {
	case t == nil:
		return waitPurged
	case t.StateID == fogclient.TaskStateComplete:
		return waitComplete
	case t.StateID == fogclient.TaskStateCancelled:
		return waitCancelled
	}
	return waitPending
}

// failedWaitOutcome is what Create does after a failed wait.
type failedWaitOutcome int

const (
	// outcomeCancelAndForget: the task never started on the host; cancel it
	// (if it is ours and still active) and save no state, so the next apply
	// starts cleanly.
	outcomeCancelAndForget failedWaitOutcome = iota
	// outcomeForget: nothing to cancel (adopted, or no longer active) and
	// nothing started; save no state.
	outcomeForget
	// outcomeKeepTainted: the task started imaging; keep it in state (the
	// error marks it tainted). The replacement adopts it while it runs.
	outcomeKeepTainted
)

// decideFailedWait: started is whether the task was ever seen In-Progress
// (or reporting progress); last is the last task seen (nil: purged).
func decideFailedWait(last *fogclient.Task, started, adopted bool) failedWaitOutcome {
	switch {
	case started:
		return outcomeKeepTainted
	case last != nil && last.Active() && !adopted:
		return outcomeCancelAndForget
	}
	return outcomeForget
}

// taskStarted reports whether a task has reached the host's disk.
func taskStarted(t *fogclient.Task) bool {
	return t != nil && (t.StateID == fogclient.TaskStateInProgress || t.StateID == fogclient.TaskStateComplete ||
		(t.StateID == fogclient.TaskStateCancelled && t.Percent > 0))
}

// ---- destroying -------------------------------------------------------------------

type destroyAction int

const (
	destroyNothing       destroyAction = iota // finished, purged, or cancel_on_destroy = false
	destroyCancel                             // ours and not started: cancel it
	destroyLeaveRunning                       // In-Progress: cancelling would leave a half-written disk
	destroyLeaveAdopted                       // not ours
	destroyLeaveDisabled                      // cancel_on_destroy = false and still active
)

// decideDestroy: t is the task as FOG has it now (nil: purged).
func decideDestroy(t *fogclient.Task, adopted, cancelOnDestroy bool) destroyAction {
	switch {
	case t == nil || !t.Active():
		return destroyNothing
	case adopted:
		return destroyLeaveAdopted
	case !cancelOnDestroy:
		return destroyLeaveDisabled
	case beforeImaging(t):
		return destroyCancel
	}
	return destroyLeaveRunning
}

// ---- Wake-Up ----------------------------------------------------------------------

// wakeUpIDPrefix starts the id of a Wake-Up resource: FOG deletes the task
// row right after creating it (reference/fog-api.md §7.2 step 9), so there is no task id.
const wakeUpIDPrefix = "wakeup-"

// wakeUpID is "wakeup-<host id>-<UTC time of the request>".
func wakeUpID(hostID int64, at time.Time) string {
	return fmt.Sprintf("%s%d-%s", wakeUpIDPrefix, hostID, at.UTC().Format("20060102T150405Z"))
}

func isWakeUpID(id string) bool { return strings.HasPrefix(id, wakeUpIDPrefix) }

// fogTimeLayout is how FOG prints times.
const fogTimeLayout = "2006-01-02 15:04:05"

// ---- group tasks ------------------------------------------------------------------

// groupTypeProblems returns why a task type cannot be sent to a group at
// all, as sentences (empty when it can): FOG mishandles these for groups
// whatever the members (fogclient.GroupTaskRefusal).
func groupTypeProblems(t fogclient.TaskType, wol, deploySnapins bool) []string {
	typeID := t.ID
	switch {
	case t.IsCapture():
		typeID = fogclient.TaskTypeCapture
	case t.IsSnapinTasking:
		typeID = fogclient.TaskTypeAllSnapins
	}
	why := fogclient.GroupTaskRefusal(typeID, wol, deploySnapins)
	if why == "" {
		return nil
	}
	fix := "Use host_id to start the task host by host."
	switch {
	case typeID == fogclient.TaskTypeWakeUp:
		fix = "Set wol = true."
	case deploySnapins && !t.IsSnapinTasking:
		fix = "Remove deploy_snapins, and deploy the members' snapins host by host."
	}
	return []string{fmt.Sprintf("FOG cannot run a %q task for a group: %s. %s", t.Name, why, fix)}
}

// groupHazard is a reason to refuse a group task, on the attribute it is about.
type groupHazard struct {
	attr   string // "group_id" or "image_id"
	detail string
}

// groupTaskHazards applies the group rules to what the members look like
// right before the request (reference/fleet.md §3, §4): an empty group
// (581), members FOG does not list, a member with an active task (a phantom
// task for host 0 that the API can never cancel, 577, 579; a second active
// task, 601), and for deploys a member without an image (575), members with
// different images (swapped, 580; the lowest for all, 593), an image other
// than image_id, or one that is missing or disabled.
func groupTaskHazards(chk fogclient.GroupTaskCheck, tt fogclient.TaskType, imageID *int64) []groupHazard {
	g := chk.Group
	var out []groupHazard
	add := func(attr, format string, args ...any) {
		out = append(out, groupHazard{attr: attr, detail: fmt.Sprintf(format, args...)})
	}
	if len(chk.Missing) > 0 {
		ids := make([]string, len(chk.Missing))
		for i, id := range chk.Missing {
			ids[i] = strconv.FormatInt(id, 10)
		}
		add("group_id", "Group %q (id %d) has membership rows for host id(s) %s, which FOG does not list (no such host, or a host "+
			"without a primary MAC address). FOG's group task counts only existing hosts but tasks every row, so what it would write "+
			"cannot be foreseen. Remove those members from the group (fog_group host_ids, or FOG's Group Management), then apply again.",
			g.Name, g.ID, strings.Join(ids, ", "))
	}
	if len(chk.Members) == 0 && len(chk.Missing) == 0 {
		add("group_id", "Group %q (id %d) has no members, so FOG would refuse the task (\"No hosts to task\"). Add hosts to it "+
			"first (fog_group host_ids or fog_group_membership), and make this task depend on them.", g.Name, g.ID)
		return out
	}
	if tt.ID == fogclient.TaskTypeWakeUp {
		return out // writes no task (recording 596): a busy member is no hazard
	}
	members := map[int64]fogclient.Host{}
	for _, h := range chk.Members {
		members[h.ID] = h
	}
	busy := append([]fogclient.Task(nil), chk.Active...)
	sort.Slice(busy, func(i, j int) bool {
		if busy[i].HostID != busy[j].HostID {
			return busy[i].HostID < busy[j].HostID
		}
		return busy[i].ID < busy[j].ID
	})
	for i := range busy {
		t := &busy[i]
		add("group_id", "Host %q (id %d) of group %q already has an active task: %s. FOG would skip that host and write a "+
			"phantom task for host 0 that its API can never list or cancel (recordings 577, 579), or give the host a second "+
			"active task (601). Wait for the task to finish or cancel it in FOG's Task Management, then apply again.",
			members[t.HostID].Name, t.HostID, g.Name, describeTask(t))
	}
	if !tt.IsDeploy() {
		return out
	}
	byImage := map[int64][]string{}
	var imageOrder []int64
	for _, h := range chk.Members {
		if _, ok := byImage[h.ImageID]; !ok {
			imageOrder = append(imageOrder, h.ImageID)
		}
		byImage[h.ImageID] = append(byImage[h.ImageID], fmt.Sprintf("%q (id %d)", h.Name, h.ID))
	}
	sort.Slice(imageOrder, func(i, j int) bool { return imageOrder[i] < imageOrder[j] })
	if without := byImage[0]; len(without) > 0 {
		add("group_id", "Host(s) %s of group %q have no image assigned, so FOG would refuse the task for the whole group "+
			"(\"Image is not valid\", recording 575). Assign an image to every member first.", strings.Join(without, ", "), g.Name)
	}
	images := map[int64]fogclient.Image{}
	for _, img := range chk.Images {
		images[img.ID] = img
	}
	if len(imageOrder) > 1 {
		parts := make([]string, 0, len(imageOrder))
		for _, id := range imageOrder {
			parts = append(parts, fmt.Sprintf("image %s for %s", describeImage(id, images[id].Name), strings.Join(byImage[id], ", ")))
		}
		consequence := "FOG would pair members and images in different orders and deploy some hosts with another member's " +
			"image (recording 580)"
		if tt.IsMulticast() {
			consequence = fmt.Sprintf("FOG would deploy the lowest image id, %d, to every member of the multicast (recording 593)", imageOrder[0])
		}
		add("group_id", "The members of group %q have different images: %s. %s. Give every member the same image, or deploy "+
			"the hosts one by one with host_id.", g.Name, strings.Join(parts, "; "), consequence)
		return out
	}
	if len(imageOrder) == 0 {
		return out // every member row is for a host FOG does not list (said above)
	}
	id := imageOrder[0]
	if id == 0 {
		return out
	}
	if imageID != nil && *imageID != id {
		add("image_id", "image_id is %d, but the members of group %q have image %s assigned, so the task was refused (it would "+
			"deploy their image). Assign image %d to the members first, or correct image_id.", *imageID, g.Name,
			describeImage(id, images[id].Name), *imageID)
	}
	img, ok := images[id]
	switch {
	case !ok:
		add("group_id", "The members of group %q have image %d assigned, which FOG does not have, so FOG would refuse the task "+
			"(\"Image is not valid\"). Assign an existing image to the members.", g.Name, id)
	case !img.Enabled:
		add("group_id", "Image %s of the members of group %q is disabled, so FOG would refuse the task (\"Image is not "+
			"enabled\"). Enable it (enabled = true on its fog_image) first.", describeImage(id, img.Name), g.Name)
	}
	return out
}

// groupTaskState summarises a group's tasks for `state` and `percent`: the
// state of the least advanced unfinished task; once all are finished,
// "complete" only when every one completed, "cancelled" when one was
// cancelled, else "purged". percent is the mean. tasks holds nil for a
// task FOG no longer has.
func groupTaskState(tasks []*fogclient.Task) (string, int64) {
	if len(tasks) == 0 {
		return taskStateSent, 0
	}
	var (
		least           *fogclient.Task
		sum             int64
		cancelled, gone bool
		completeAll     = true
	)
	for _, t := range tasks {
		if t == nil {
			gone, completeAll = true, false
			continue
		}
		sum += t.Percent
		switch {
		case t.Active():
			completeAll = false
			if least == nil || t.StateID < least.StateID {
				least = t
			}
		case t.StateID == fogclient.TaskStateCancelled:
			cancelled, completeAll = true, false
		case t.StateID != fogclient.TaskStateComplete:
			completeAll = false
		}
	}
	mean := sum / int64(len(tasks))
	switch {
	case least != nil:
		return taskStateName(least.StateID, least.StateName), mean
	case completeAll:
		return taskStateName(fogclient.TaskStateComplete, ""), mean
	case cancelled:
		return taskStateName(fogclient.TaskStateCancelled, ""), mean
	case gone:
		return taskStatePurged, mean
	}
	return taskStateName(fogclient.TaskStateComplete, ""), mean
}

// groupProgress is a progress line of a group's tasks: counts per state and
// the mean percent.
func groupProgress(tasks []*fogclient.Task) string {
	counts := map[string]int{}
	var sum int64
	for _, t := range tasks {
		if t == nil {
			counts[taskStatePurged]++
			continue
		}
		counts[taskStateName(t.StateID, t.StateName)]++
		sum += t.Percent
	}
	names := make([]string, 0, len(counts))
	for name := range counts {
		names = append(names, name)
	}
	order := map[string]int{"new": 0, "queued": 1, "checked_in": 2, "in_progress": 3, "complete": 4, "cancelled": 5, taskStatePurged: 6}
	sort.Slice(names, func(i, j int) bool { return order[names[i]] < order[names[j]] })
	parts := make([]string, len(names))
	for i, name := range names {
		parts[i] = fmt.Sprintf("%d %s", counts[name], name)
	}
	mean := int64(0)
	if len(tasks) > 0 {
		mean = sum / int64(len(tasks))
	}
	return fmt.Sprintf("%s; %d%% on average", strings.Join(parts, ", "), mean)
}

// groupDestroy is what destroy does to a group's tasks.
type groupDestroy struct {
	cancelSession bool
	cancel        []int64           // tasks to cancel one by one
	leave         []*fogclient.Task // active tasks left to finish
}

// decideGroupDestroy: tasks are the group task's tasks as FOG has them now
// (nil: purged). A multicast session is cancelled, with every member's task,
// only while no member has checked in (cancelling it then cannot stop a
// stream a host waits for); otherwise, or for unicast tasks, each task not
// yet started is cancelled and running ones are left.
func decideGroupDestroy(tasks []*fogclient.Task, sessionID int64, cancelOnDestroy bool) groupDestroy {
	var d groupDestroy
	if !cancelOnDestroy {
		return d
	}
	var active []*fogclient.Task
	for _, t := range tasks {
		if t != nil && t.Active() {
			active = append(active, t)
		}
	}
	if len(active) == 0 {
		return d
	}
	if sessionID != 0 {
		for _, t := range active {
			if t.StateID > fogclient.TaskStateQueued {
				d.leave = active
				return d
			}
		}
		d.cancelSession = true
		return d
	}
	for _, t := range active {
		if beforeImaging(t) {
			d.cancel = append(d.cancel, t.ID)
		} else {
			d.leave = append(d.leave, t)
		}
	}
	return d
}
