// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Task states. FOG has no "failed" state: a failed imaging run stops reporting.
const (
	TaskStateQueued     int64 = 1
	TaskStateCheckedIn  int64 = 2
	TaskStateInProgress int64 = 3
	TaskStateComplete   int64 = 4
	TaskStateCancelled  int64 = 5
)

// Task type ids of a stock FOG 1.5.9 that the client treats specially.
const (
	TaskTypeDeploy          int64 = 1
	TaskTypeCapture         int64 = 2
	TaskTypeMulticast       int64 = 8
	TaskTypeAllSnapins      int64 = 12
	TaskTypeSingleSnapin    int64 = 13
	TaskTypeWakeUp          int64 = 14
	TaskTypeDeployDebug     int64 = 15
	TaskTypeCaptureDebug    int64 = 16
	TaskTypeDeployNoSnapins int64 = 17
)

// Task is a FOG task. Strings are HTML-unescaped.
type Task struct {
	ID            int64
	Name          string
	HostID        int64
	HostName      string
	TypeID        int64
	TypeName      string
	StateID       int64 // 0 is "new" (multicast), see TaskState* constants
	StateName     string
	Percent       int64  // pct, 0..100
	PercentText   string // the raw "percent" text, e.g. "12.50"
	BPM           string
	TimeElapsed   string
	TimeRemaining string
	DataCopied    string
	DataTotal     string
	ImageID       int64
	ImageName     string
	CreatedTime   string
	CreatedBy     string
	CheckInTime   string
	Shutdown      bool
	Debug         bool
	WOL           bool
}

func (t Task) Active() bool { return t.StateID >= 0 && t.StateID <= TaskStateInProgress }

type TaskCreate struct {
	TypeID        int64
	TaskName      string
	Shutdown      bool
	Debug         bool
	WOL           bool
	DeploySnapins bool
	// SnapinID, when set, sends deploySnapins as that one snapin's id: the
	// Single Snapin task's snapin, or the only snapin a deploy queues
	// (recordings 656, 674). FOG checks neither that the snapin exists nor
	// that the host has it (657, 660): callers do.
	SnapinID int64
}

type MulticastSession struct {
	ID      int64
	Name    string
	ImageID int64
	StateID int64
	Clients int64
	Port    int64
}

// taskWire is the JSON of a task (reference/fog-api.md §5.3), without the nested
// "storagenode": it carries the storage node's FTP password in clear text.
type taskWire struct {
	ID            flexInt           `json:"id"`
	Name          flexString        `json:"name"`
	HostID        flexInt           `json:"hostID"`
	TypeID        flexInt           `json:"typeID"`
	StateID       flexInt           `json:"stateID"`
	Pct           flexInt           `json:"pct"` // zero-padded string "0000000013"
	Percent       flexString        `json:"percent"`
	BPM           flexString        `json:"bpm"`
	TimeElapsed   flexString        `json:"timeElapsed"`
	TimeRemaining flexString        `json:"timeRemaining"`
	DataCopied    flexString        `json:"dataCopied"`
	DataTotal     flexString        `json:"dataTotal"`
	ImageID       flexInt           `json:"imageID"`
	CreatedTime   flexString        `json:"createdTime"`
	CreatedBy     flexString        `json:"createdBy"`
	CheckInTime   flexString        `json:"checkInTime"`
	Shutdown      flexString        `json:"shutdown"`
	IsDebug       flexInt           `json:"isDebug"`
	WOL           flexString        `json:"wol"`
	Host          lenient[nameOnly] `json:"host"`
	Type          lenient[nameOnly] `json:"type"`
	State         lenient[nameOnly] `json:"state"`
	Image         lenient[nameOnly] `json:"image"`
}

func (w *taskWire) task() Task {
	return Task{
		ID:            int64(w.ID),
		Name:          string(w.Name),
		HostID:        int64(w.HostID),
		HostName:      string(w.Host.V.Name),
		TypeID:        int64(w.TypeID),
		TypeName:      string(w.Type.V.Name),
		StateID:       int64(w.StateID),
		StateName:     string(w.State.V.Name),
		Percent:       int64(w.Pct),
		PercentText:   string(w.Percent),
		BPM:           string(w.BPM),
		TimeElapsed:   string(w.TimeElapsed),
		TimeRemaining: string(w.TimeRemaining),
		DataCopied:    string(w.DataCopied),
		DataTotal:     string(w.DataTotal),
		ImageID:       int64(w.ImageID),
		ImageName:     string(w.Image.V.Name),
		CreatedTime:   string(w.CreatedTime),
		CreatedBy:     string(w.CreatedBy),
		CheckInTime:   string(w.CheckInTime),
		Shutdown:      isFlagSet(w.Shutdown),
		Debug:         w.IsDebug != 0,
		WOL:           isFlagSet(w.WOL),
	}
}

// multicastWire is a row of /fog/multicastsession (reference/fog-api.md §5.8).
type multicastWire struct {
	ID      flexInt    `json:"id"`
	Name    flexString `json:"name"`
	ImageID flexInt    `json:"imageID"`
	StateID flexInt    `json:"stateID"`
	Clients flexInt    `json:"clients"`
	Port    flexInt    `json:"port"`
}

func (w *multicastWire) session() MulticastSession {
	return MulticastSession{
		ID:      int64(w.ID),
		Name:    string(w.Name),
		ImageID: int64(w.ImageID),
		StateID: int64(w.StateID),
		Clients: int64(w.Clients),
		Port:    int64(w.Port),
	}
}

// CreateHostTask creates a task for a host and returns it, nil for a Wake-Up
// (type 14), whose row FOG deletes at once. FOG answers "" or null instead of
// the task (recordings host-task-deploy-ok-int, host-task-type10-inventory), so
// the task is the newest of its type that was not active before. FOG's
// refusals are ErrTaskRejected with its message in Error.Message.
func (c *Client) CreateHostTask(ctx context.Context, hostID int64, in TaskCreate) (*Task, error) {
	_, created, err := c.CreateHostTaskIf(ctx, hostID, in, nil)
	return created, err
}

// CreateHostTaskIf is CreateHostTask decided on the host's active tasks as read
// right before the request, under a per-host lock; nothing is sent when decide
// says no. active is nil when reading it failed.
func (c *Client) CreateHostTaskIf(ctx context.Context, hostID int64, in TaskCreate, decide func(active []Task) bool) (active []Task, created *Task, err error) {
	if err := checkID("host", hostID); err != nil {
		return nil, nil, err
	}
	if in.TypeID <= 0 {
		return nil, nil, fmt.Errorf("fogclient: task type id %d is not valid: %w", in.TypeID, ErrInvalidArgument)
	}
	path := idPath("host", hostID, "/task")
	unlock, err := c.locks.lock(ctx, hostTaskLockKey(hostID))
	if err != nil {
		return nil, nil, &Error{Kind: err, Method: http.MethodPost, Route: c.route(path)}
	}
	defer unlock()
	active, err = c.ActiveTasksForHost(ctx, hostID)
	if err != nil {
		return nil, nil, err
	}
	if decide != nil && !decide(active) {
		return active, nil, nil
	}

	// "taskType", as FOG's public docs say, is answered with 501 (recording
	// host-task-deploy-tasktype-field-string).
	body := map[string]any{
		"taskTypeID": in.TypeID,
		"taskName":   in.TaskName,
		"shutdown":   in.Shutdown,
		"debug":      in.Debug,
		"wol":        in.WOL,
	}
	switch {
	case in.SnapinID > 0:
		body["deploySnapins"] = in.SnapinID
	case in.DeploySnapins:
		body["deploySnapins"] = true
	}
	created, err = c.createHostTask(ctx, hostID, in, path, body, active)
	return active, created, err
}

// hostTaskLockKey is the lock a task request for the host holds from the
// read of its active tasks to the end of the request; a group task holds it
// for every member (CreateGroupTaskIf).
func hostTaskLockKey(hostID int64) string { return fmt.Sprintf("hosttask:%d", hostID) }

func newestOfType(tasks []Task, typeID int64) *Task {
	var best *Task
	for i := range tasks {
		if tasks[i].TypeID == typeID && (best == nil || tasks[i].ID > best.ID) {
			best = &tasks[i]
		}
	}
	return best
}

// ActiveTasks lists tasks in states 0-3.
func (c *Client) ActiveTasks(ctx context.Context) ([]Task, error) {
	return listOf(ctx, c, "/task/active", "tasks", nil, (*taskWire).task)
}

func (c *Client) ActiveTasksForHost(ctx context.Context, hostID int64) ([]Task, error) {
	if err := checkID("host", hostID); err != nil {
		return nil, err
	}
	tasks, err := listOf(ctx, c, "/task/active", "tasks", map[string]any{"hostID": hostID}, (*taskWire).task)
	if err != nil {
		return nil, err
	}
	return filter(tasks, func(t Task) bool { return t.HostID == hostID }), nil
}

func (c *Client) ListTasks(ctx context.Context) ([]Task, error) {
	return listOf(ctx, c, "/task", "tasks", nil, (*taskWire).task)
}

// GetTask reads one task; ErrNotFound when FOG purged it (a host delete
// deletes its tasks, edge recording f-task-get-after-host-delete).
func (c *Client) GetTask(ctx context.Context, id int64) (*Task, error) {
	if err := checkID("task", id); err != nil {
		return nil, err
	}
	var w taskWire
	if _, err := c.getObject(ctx, idPath("task", id, ""), &w); err != nil {
		return nil, err
	}
	t := w.task()
	return &t, nil
}

// CancelTask cancels a task only when it is in the active list a moment before
// (else ErrTaskNotActive), and always with the body {"id": id}: without it, a
// task that vanished in between turns the cancel into a cancel of every active
// task (task-cancel-nonexistent-id-cancels-all, edge recordings A).
func (c *Client) CancelTask(ctx context.Context, id int64) error {
	if err := checkID("task", id); err != nil {
		return err
	}
	return c.cancelTask(ctx, id)
}

func (c *Client) ActiveMulticastSessions(ctx context.Context) ([]MulticastSession, error) {
	return listOf(ctx, c, "/multicastsession/current", "multicastsessions", nil, (*multicastWire).session)
}

// createHostTask finds the task it created; a lost answer is settled the same way.
func (c *Client) createHostTask(ctx context.Context, hostID int64, in TaskCreate, path string, body map[string]any, before []Task) (*Task, error) {
	ctx = c.withRetryBudget(ctx)
	wasActive := make(map[int64]bool, len(before))
	for _, t := range before {
		wasActive[t.ID] = true
	}
	var lost error
	for sends := 1; ; sends++ {
		// The body ("" or null) says nothing; the status is the answer.
		_, err := c.do(ctx, call{method: http.MethodPost, path: path, body: body, task: true})
		switch {
		case err == nil:
			if in.TypeID == TaskTypeWakeUp {
				return nil, nil
			}
			return c.findCreatedTask(ctx, hostID, in.TypeID, wasActive, true)
		case lost != nil && isActiveTaskConflict(err):
			t, ferr := c.findCreatedTask(ctx, hostID, in.TypeID, wasActive, false)
			if ferr != nil || t == nil {
				return nil, outcomeUnknown(lost, fmt.Errorf("FOG now refuses the task (%w) but no new task is active", err))
			}
			return t, nil
		case !answerLost(err):
			return nil, err
		}
		lost = err
		if in.TypeID == TaskTypeWakeUp {
			// FOG deletes a Wake-Up's row at once, so there is nothing to find;
			// sending it again is harmless unless the host has an active task FOG
			// would cancel and replace (reference/fog-api.md §7.2 step 3).
			c.noteLostAnswer(ctx, err, "checking that the host has no active task before sending the Wake-Up again")
			now, aerr := c.ActiveTasksForHost(ctx, hostID)
			switch {
			case aerr != nil:
				return nil, outcomeUnknown(lost, fmt.Errorf("listing the host's active tasks failed: %w", aerr))
			case len(now) > 0 || len(before) > 0:
				return nil, outcomeUnknown(lost, errors.New("the host has an active task, which a repeated Wake-Up would cancel"))
			}
			if werr := c.beforeResend(ctx, sends, lost, "an answer to the Wake-Up"); werr != nil {
				return nil, werr
			}
			continue
		}
		c.noteLostAnswer(ctx, err, "looking for the task among the host's active tasks")
		t, ferr := c.findCreatedTask(ctx, hostID, in.TypeID, wasActive, false)
		switch {
		case ferr != nil:
			return nil, outcomeUnknown(lost, fmt.Errorf("listing the host's active tasks failed: %w", ferr))
		case t != nil:
			c.log(ctx, LevelWarn, "found the task the lost request created; using it", map[string]any{"id": t.ID})
			return t, nil
		}
		c.noteLostAnswer(ctx, err, "the task does not exist; sending the request again")
		if werr := c.beforeResend(ctx, sends, lost, fmt.Sprintf("a type %d task for host %d", in.TypeID, hostID)); werr != nil {
			return nil, werr
		}
	}
}

// FindCreatedTask looks for the task a create whose outcome stayed unknown
// (ErrOutcomeUnknown) may have made for the host, by the rule the lost
// answer's look uses: the newest active task of the type that was not among
// before (the host's active tasks when the create was sent, as
// CreateHostTaskIf returned them); nil when there is none. A task that has
// finished since is no longer active, so it is not found.
func (c *Client) FindCreatedTask(ctx context.Context, hostID, typeID int64, before []int64) (*Task, error) {
	if err := checkID("host", hostID); err != nil {
		return nil, err
	}
	wasActive := make(map[int64]bool, len(before))
	for _, id := range before {
		wasActive[id] = true
	}
	return c.findCreatedTask(ctx, hostID, typeID, wasActive, false)
}

// isActiveTaskConflict: 500 {"error":"Host is already a member of an active task"} (reference/fog-api.md §7.2).
func isActiveTaskConflict(err error) bool {
	var fe *Error
	return errors.Is(err, ErrTaskRejected) && errors.As(err, &fe) && strings.Contains(strings.ToLower(fe.Message), "already a member of an active task")
}

// findCreatedTask returns the newest active task of the type that was not
// active before; accepted means FOG said success, so the task must exist.
func (c *Client) findCreatedTask(ctx context.Context, hostID, typeID int64, wasActive map[int64]bool, accepted bool) (*Task, error) {
	tasks, err := c.ActiveTasksForHost(ctx, hostID)
	if err != nil {
		return nil, err
	}
	fresh := filter(tasks, func(t Task) bool { return !wasActive[t.ID] })
	if t := newestOfType(fresh, typeID); t != nil {
		return t, nil
	}
	if typeID == TaskTypeSingleSnapin || typeID == TaskTypeAllSnapins {
		// A snapin request joins the host's active snapin task, which FOG
		// may turn into an All Snapins task (reference/fog-api.md §7.2 step 3).
		for _, want := range []int64{typeID, TaskTypeAllSnapins} {
			if t := newestOfType(tasks, want); t != nil {
				return t, nil
			}
		}
	}
	if !accepted {
		return nil, nil
	}
	return nil, &Error{Kind: ErrUnexpectedResponse, Method: http.MethodGet, Route: c.route("/task/active"), Status: http.StatusOK,
		Err: fmt.Errorf("FOG accepted the task (type %d) for host %d, but it is not in the active task list", typeID, hostID)}
}

// cancelTask sends a cancel only to a task it has just seen active, also
// after a lost answer.
func (c *Client) cancelTask(ctx context.Context, id int64) error {
	ctx = c.withRetryBudget(ctx)
	scope := map[string]any{"id": id}
	var lost error // the last cancel whose answer was lost; the loop only goes round after one
	for sends := 0; ; sends++ {
		active, err := listOf(ctx, c, "/task/active", "tasks", scope, (*taskWire).task)
		switch {
		case err != nil && sends == 0:
			return err
		case err != nil:
			return outcomeUnknown(lost, fmt.Errorf("checking whether the task is still active failed: %w", err))
		case !slices.ContainsFunc(active, func(t Task) bool { return t.ID == id }) && sends == 0:
			return fmt.Errorf("fogclient: task %d is not in /fog/task/active, nothing was cancelled: %w", id, ErrTaskNotActive)
		case !slices.ContainsFunc(active, func(t Task) bool { return t.ID == id }):
			c.noteLostAnswer(ctx, lost, "the task is no longer active, so the cancel is done")
			return nil
		case sends > 0:
			c.noteLostAnswer(ctx, lost, "the task is still active; sending the cancel again")
			if werr := c.beforeResend(ctx, sends, lost, "the cancel of task "+strconv.FormatInt(id, 10)); werr != nil {
				return werr
			}
		}
		_, err = c.do(ctx, call{method: http.MethodDelete, path: idPath("task", id, "/cancel"), body: scope})
		if err == nil || !answerLost(err) {
			return err
		}
		lost = err
		c.noteLostAnswer(ctx, err, "checking whether the task is still active")
	}
}
