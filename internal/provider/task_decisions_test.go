// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
	"github.com/fogproject/terraform-provider-fog/internal/fogtest"
)

// stockTaskTypes returns the task types of a fresh FOG 1.5.9 (the emulator's
// seed, read through fogclient as the provider reads them).
func stockTaskTypes(t *testing.T) []fogclient.TaskType {
	t.Helper()
	c := newEmulatorClient(t, fogtest.New(fogtest.Options{}))
	all, err := c.TaskTypes(context.Background())
	if err != nil {
		t.Fatalf("task types: %v", err)
	}
	if len(all) != 21 {
		t.Fatalf("want the 21 stock task types, got %d", len(all))
	}
	return all
}

// newEmulatorClient serves srv on loopback and returns a client for it.
func newEmulatorClient(t *testing.T, srv *fogtest.Server) *fogclient.Client {
	t.Helper()
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	cfg := fogclient.DefaultConfig()
	cfg.ServerURL, cfg.APIToken, cfg.UserToken = ts.URL, srv.APITokenHeader(), srv.UserTokenHeader()
	c, err := fogclient.New(cfg)
	if err != nil {
		t.Fatalf("fogclient.New: %v", err)
	}
	return c
}

func typeByID(t *testing.T, all []fogclient.TaskType, id int64) fogclient.TaskType {
	t.Helper()
	for _, tt := range all {
		if tt.ID == id {
			return tt
		}
	}
	t.Fatalf("no task type %d", id)
	return fogclient.TaskType{}
}

// TestTaskTypeMatching: names match ignoring case, spaces, dashes and
// underscores; numeric strings are ids; anything else is an error that
// lists every valid name with its id.
func TestTaskTypeMatching(t *testing.T) {
	all := stockTaskTypes(t)
	for in, want := range map[string]int64{
		"deploy": 1, "Deploy": 1, "DEPLOY": 1, " deploy ": 1, "1": 1, " 1 ": 1, "01": 1,
		"capture": 2, "Capture": 2, "2": 2,
		"Deploy - Debug": 15, "deploy-debug": 15, "DeployDebug": 15, "deploy_debug": 15, "deploy -debug": 15,
		"Deploy - No Snapins": 17, "deploy-no-snapins": 17, "DeployNoSnapins": 17,
		"Capture - Debug": 16, "capturedebug": 16,
		"Wake-Up": 14, "wakeup": 14, "wake up": 14, "WAKE_UP": 14, "14": 14,
		"Multi-Cast": 8, "multicast": 8,
		"Memtest86+": 4, "memtest86+": 4,
		"Fast Wipe": 18, "fast-wipe": 18, "Full Wipe": 20,
		"Hardware Inventory": 10, "hardware-inventory": 10,
		"Virus Scan - Quarantine": 22, "virusscanquarantine": 22,
		"All Snapins": 12, "Single Snapin": 13,
	} {
		got, err := resolveTaskType(in, all)
		if err != nil {
			t.Errorf("resolveTaskType(%q): %v", in, err)
			continue
		}
		if got.ID != want {
			t.Errorf("resolveTaskType(%q) = %d (%s), want %d", in, got.ID, got.Name, want)
		}
	}

	for _, in := range []string{"deploi", "9", "23", "0", "-1", "Deploy Debug Now", "memtest", "", "  ", "wake-up!"} {
		_, err := resolveTaskType(in, all)
		if err == nil {
			t.Errorf("resolveTaskType(%q) should fail", in)
			continue
		}
		msg := err.Error()
		for _, listed := range []string{`"Deploy" (1)`, `"Capture" (2)`, `"Wake-Up" (14)`, `"Deploy - No Snapins" (17)`, `"Virus Scan - Quarantine" (22)`} {
			if !strings.Contains(msg, listed) {
				t.Errorf("resolveTaskType(%q) error does not list %s: %s", in, listed, msg)
			}
		}
		if strings.Index(msg, `"Deploy" (1)`) > strings.Index(msg, `"Capture" (2)`) {
			t.Errorf("valid types must be listed by id: %s", msg)
		}
	}
	if _, err := resolveTaskType("9", all); err == nil || !strings.Contains(err.Error(), "no task type with id 9") {
		t.Errorf("an unknown id must say so: %v", err)
	}

	// A custom type whose name folds onto a stock one is ambiguous.
	custom := append(append([]fogclient.TaskType(nil), all...), fogclient.TaskType{ID: 30, Name: "deploy_debug"})
	if _, err := resolveTaskType("Deploy - Debug", custom); err == nil || !strings.Contains(err.Error(), "ids 15, 30") {
		t.Errorf("ambiguous names must be refused with the ids: %v", err)
	}
}

// TestTaskTypeSpelling: which `type` changes are only a new spelling of the
// same type (no new task) without asking the server.
func TestTaskTypeSpelling(t *testing.T) {
	for _, c := range []struct {
		a, b string
		same bool
	}{
		{"deploy", "Deploy", true},
		{"Deploy - Debug", "deploy-debug", true},
		{"wakeup", "Wake-Up", true},
		{"1", "01", true},
		{"1", "2", false},
		{"1", "deploy", false}, // needs the server: resolved by id in ModifyPlan
		{"deploy", "1", false},
		{"deploy", "capture", false},
		{"deploy", "deploy-debug", false},
	} {
		if got := sameTaskTypeSpelling(c.a, c.b); got != c.same {
			t.Errorf("sameTaskTypeSpelling(%q, %q) = %v, want %v", c.a, c.b, got, c.same)
		}
	}
}

// TestTaskStateMapping: FOG's state ids map to the documented `state` values.
func TestTaskStateMapping(t *testing.T) {
	for _, c := range []struct {
		id   int64
		name string
		want string
	}{
		{1, "Queued", "queued"},
		{2, "Checked In", "checked_in"},
		{3, "In-Progress", "in_progress"},
		{4, "Complete", "complete"},
		{5, "Cancelled", "cancelled"},
		{0, "", "new"},
		{7, "Waiting - For Node", "waiting_for_node"},
		{8, "", "state_8"},
	} {
		if got := taskStateName(c.id, c.name); got != c.want {
			t.Errorf("taskStateName(%d, %q) = %q, want %q", c.id, c.name, got, c.want)
		}
	}
}

func activeTask(id, typeID, stateID int64, typeName string) fogclient.Task {
	return fogclient.Task{ID: id, Name: typeName + " - host1", HostID: 3, HostName: "host1", TypeID: typeID, TypeName: typeName,
		StateID: stateID, ImageID: 7, ImageName: "win10"}
}

// TestTaskDecideCreate: adopt the same type, refuse anything else, create
// only on a host without active tasks.
func TestTaskDecideCreate(t *testing.T) {
	all := stockTaskTypes(t)
	deploy, capture := typeByID(t, all, 1), typeByID(t, all, 2)
	wake, allSnapins := typeByID(t, all, 14), typeByID(t, all, 12)
	image := func(v int64) *int64 { return &v }

	cases := []struct {
		name    string
		active  []fogclient.Task
		want    fogclient.TaskType
		imageID *int64
		action  createAction
		taskID  int64
		reason  []string
	}{
		{name: "no active task", want: deploy, action: actionCreate},
		{name: "finished tasks are not active", want: deploy, action: actionCreate,
			active: []fogclient.Task{activeTask(4, 1, 4, "Deploy"), activeTask(5, 2, 5, "Capture")}},
		{name: "same type queued is adopted", want: deploy, action: actionAdopt, taskID: 9,
			active: []fogclient.Task{activeTask(9, 1, 1, "Deploy")}},
		{name: "same type in progress is adopted", want: deploy, action: actionAdopt, taskID: 9,
			active: []fogclient.Task{activeTask(9, 1, 3, "Deploy")}},
		{name: "same type with the expected image is adopted", want: deploy, imageID: image(7), action: actionAdopt, taskID: 9,
			active: []fogclient.Task{activeTask(9, 1, 1, "Deploy")}},
		{name: "same type with another image is refused", want: deploy, imageID: image(8), action: actionRefuse, taskID: 9,
			active: []fogclient.Task{activeTask(9, 1, 1, "Deploy")}, reason: []string{`"Deploy - host1" (id 9`, `"win10" (id 7)`, "image_id 8"}},
		{name: "another imaging task is refused", want: deploy, action: actionRefuse, taskID: 11,
			active: []fogclient.Task{activeTask(11, 2, 1, "Capture")},
			reason: []string{`host "host1"`, `"Capture - host1" (id 11, type Capture, state`, "only one active task"}},
		{name: "a non-imaging task is refused, FOG would cancel it", want: capture, action: actionRefuse, taskID: 12,
			active: []fogclient.Task{activeTask(12, 10, 1, "Hardware Inventory")},
			reason: []string{"Hardware Inventory", "id 12", "cancel it and put the new task in its place"}},
		{name: "Wake-Up is never adopted", want: wake, action: actionCreate},
		{name: "Wake-Up next to an active task is refused", want: wake, action: actionRefuse, taskID: 13,
			active: []fogclient.Task{activeTask(13, 1, 1, "Deploy")}},
		{name: "All Snapins adopts an active All Snapins task", want: allSnapins, action: actionAdopt, taskID: 14,
			active: []fogclient.Task{activeTask(14, 12, 1, "All Snapins")}},
		{name: "All Snapins never merges into a Single Snapin task", want: allSnapins, action: actionRefuse, taskID: 15,
			active: []fogclient.Task{activeTask(15, 13, 1, "Single Snapin")}},
		{name: "another type wins over a same-type task", want: deploy, action: actionRefuse, taskID: 17,
			active: []fogclient.Task{activeTask(16, 1, 1, "Deploy"), activeTask(17, 10, 1, "Hardware Inventory")}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := decideCreate(c.active, c.want, "host1", c.imageID)
			if d.Action != c.action {
				t.Fatalf("action = %v, want %v (%+v)", d.Action, c.action, d)
			}
			if c.taskID != 0 && (d.Task == nil || d.Task.ID != c.taskID) {
				t.Fatalf("task = %+v, want id %d", d.Task, c.taskID)
			}
			for _, part := range c.reason {
				if !strings.Contains(d.Reason, part) {
					t.Errorf("reason %q does not contain %q", d.Reason, part)
				}
			}
		})
	}
}

// TestTaskFlagProblems: combinations FOG accepts and then ignores are refused.
func TestTaskFlagProblems(t *testing.T) {
	all := stockTaskTypes(t)
	for _, c := range []struct {
		typeID        int64
		wol, snapins  bool
		wantProblem   string
		wantNoProblem bool
	}{
		{typeID: 14, wol: false, wantProblem: "set wol = true"},
		{typeID: 14, wol: true, wantNoProblem: true},
		{typeID: 13, wantNoProblem: true}, // snapin_id: snapinIDProblems
		{typeID: 12, snapins: false, wantProblem: "set deploy_snapins = true"},
		{typeID: 12, snapins: true, wantNoProblem: true},
		{typeID: 1, snapins: true, wantNoProblem: true},
		{typeID: 15, snapins: true, wantNoProblem: true},
		{typeID: 8, snapins: true, wantNoProblem: true},
		{typeID: 17, snapins: true, wantProblem: "ignores deploy_snapins"},
		{typeID: 2, snapins: true, wantProblem: "ignores deploy_snapins"},
		{typeID: 10, snapins: true, wantProblem: "ignores deploy_snapins"},
		{typeID: 1, wantNoProblem: true},
		{typeID: 2, wol: true, wantNoProblem: true},
	} {
		got := taskFlagProblems(typeByID(t, all, c.typeID), c.wol, c.snapins)
		switch {
		case c.wantNoProblem && len(got) != 0:
			t.Errorf("type %d wol=%v snapins=%v: unexpected %q", c.typeID, c.wol, c.snapins, got)
		case !c.wantNoProblem && (len(got) == 0 || !strings.Contains(strings.Join(got, " "), c.wantProblem)):
			t.Errorf("type %d wol=%v snapins=%v: want %q, got %q", c.typeID, c.wol, c.snapins, c.wantProblem, got)
		}
	}
}

// TestTaskClassify: which stock types get the deploy, capture and wipe warnings.
func TestTaskClassify(t *testing.T) {
	all := stockTaskTypes(t)
	want := map[int64]taskKind{1: kindDeploy, 8: kindDeploy, 15: kindDeploy, 17: kindDeploy, 2: kindCapture, 16: kindCapture,
		18: kindWipe, 19: kindWipe, 20: kindWipe}
	for _, tt := range all {
		if got := classifyTaskType(tt); got != want[tt.ID] {
			t.Errorf("%s (%d): kind %d, want %d", tt.Name, tt.ID, got, want[tt.ID])
		}
	}
}

// TestTaskWaitDecisions: Complete is the only success; after a failure a
// task that never started is cancelled (if ours) and forgotten, and one that
// started is kept (tainted).
func TestTaskWaitDecisions(t *testing.T) {
	task := func(state, pct int64) *fogclient.Task {
		return &fogclient.Task{ID: 1, StateID: state, Percent: pct}
	}
	for _, c := range []struct {
		t    *fogclient.Task
		want waitStatus
	}{
		{nil, waitPurged}, {task(1, 0), waitPending}, {task(2, 0), waitPending}, {task(3, 50), waitPending},
		{task(0, 0), waitPending}, {task(4, 100), waitComplete}, {task(5, 0), waitCancelled},
	} {
		if got := waitStatusOf(c.t); got != c.want {
			t.Errorf("waitStatusOf(%+v) = %v, want %v", c.t, got, c.want)
		}
	}
	for _, c := range []struct {
		t    *fogclient.Task
		want bool
	}{
		{nil, false}, {task(1, 0), false}, {task(2, 0), false}, {task(3, 0), true}, {task(4, 100), true},
		{task(5, 0), false}, {task(5, 40), true},
	} {
		if got := taskStarted(c.t); got != c.want {
			t.Errorf("taskStarted(%+v) = %v, want %v", c.t, got, c.want)
		}
	}
	for _, c := range []struct {
		last             *fogclient.Task
		started, adopted bool
		want             failedWaitOutcome
	}{
		{task(1, 0), false, false, outcomeCancelAndForget},
		{task(2, 0), false, false, outcomeCancelAndForget},
		{task(1, 0), false, true, outcomeForget}, // adopted: never cancelled
		{task(5, 0), false, false, outcomeForget},
		{nil, false, false, outcomeForget},
		{task(3, 25), true, false, outcomeKeepTainted},
		{task(3, 25), true, true, outcomeKeepTainted},
		{task(5, 50), true, false, outcomeKeepTainted},
		{nil, true, false, outcomeKeepTainted},
	} {
		if got := decideFailedWait(c.last, c.started, c.adopted); got != c.want {
			t.Errorf("decideFailedWait(%+v, started=%v, adopted=%v) = %v, want %v", c.last, c.started, c.adopted, got, c.want)
		}
	}
}

// TestTaskDecideDestroy: only our own task, only before imaging, only with
// cancel_on_destroy.
func TestTaskDecideDestroy(t *testing.T) {
	task := func(state int64) *fogclient.Task { return &fogclient.Task{ID: 1, StateID: state} }
	for _, c := range []struct {
		t                *fogclient.Task
		adopted, cancelD bool
		want             destroyAction
	}{
		{task(1), false, true, destroyCancel},
		{task(2), false, true, destroyCancel},
		{task(3), false, true, destroyLeaveRunning},
		{task(4), false, true, destroyNothing},
		{task(5), false, true, destroyNothing},
		{nil, false, true, destroyNothing},
		{task(1), true, true, destroyLeaveAdopted},
		{task(3), true, true, destroyLeaveAdopted},
		{task(4), true, true, destroyNothing},
		{task(1), false, false, destroyLeaveDisabled},
		{task(4), false, false, destroyNothing},
	} {
		if got := decideDestroy(c.t, c.adopted, c.cancelD); got != c.want {
			t.Errorf("decideDestroy(%+v, adopted=%v, cancel_on_destroy=%v) = %v, want %v", c.t, c.adopted, c.cancelD, got, c.want)
		}
	}
}

// TestTaskSameTask: a stored id that now names another host's or type's
// task is not ours.
func TestTaskSameTask(t *testing.T) {
	got := &fogclient.Task{ID: 5, HostID: 3, TypeID: 1}
	if !sameTask(got, 3, 1) || !sameTask(got, 3, 0) || sameTask(got, 4, 1) || sameTask(got, 3, 2) || sameTask(nil, 3, 1) {
		t.Error("sameTask must compare host and type")
	}
}

// TestTaskWakeUpID: the synthetic id of a Wake-Up names the host and the
// UTC time, and is recognised as such.
func TestTaskWakeUpID(t *testing.T) {
	at := time.Date(2026, 1, 2, 15, 4, 5, 0, time.FixedZone("x", 3600))
	id := wakeUpID(7, at)
	if id != "wakeup-7-20260102T140405Z" || !isWakeUpID(id) || isWakeUpID("12") {
		t.Errorf("wakeUpID = %q", id)
	}
}
