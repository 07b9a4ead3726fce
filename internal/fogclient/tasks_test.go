// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// TestCancelTaskSendsOnlyScopedRequests checks the exact requests of a safe
// cancel: the active check with {"id": N}, then the DELETE with {"id": N}.
// With that body an id that vanished in between cancels nothing (edge
// recording a-task-cancel-unknown-id-body-same-unknown-id); without it FOG
// cancels every active task (task-cancel-nonexistent-id-cancels-all).
func TestCancelTaskSendsOnlyScopedRequests(t *testing.T) {
	f := newFake(t)
	f.replay("GET", "/fog/task/active", loadRecording(t, "322-a-task-active-two-queued"))
	f.replay("DELETE", "/fog/task/1/cancel", loadRecording(t, "325-a-task-cancel-real-id-body-same-id"))
	if err := newTestClient(t, f.srv.URL).CancelTask(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	assertLines(t, f.requestLines(), []string{
		`GET /fog/task/active {"id":1}`,
		`DELETE /fog/task/1/cancel {"id":1}`,
	})
	for _, r := range f.requests() {
		if ct := r.Header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("%s sent with Content-Type %q", r, ct)
		}
	}
}

func TestCancelTaskNotActiveSendsNothing(t *testing.T) {
	for name, active := range map[string]recording{
		"empty active list": loadRecording(t, "158-task-active-empty"),
		// A server that ignores the filter and lists other tasks.
		"other tasks only": loadRecording(t, "322-a-task-active-two-queued"),
	} {
		t.Run(name, func(t *testing.T) {
			f := newFake(t)
			f.replay("GET", "/fog/task/active", active)
			err := newTestClient(t, f.srv.URL).CancelTask(context.Background(), 7)
			if !errors.Is(err, ErrTaskNotActive) {
				t.Fatalf("err = %v, want ErrTaskNotActive", err)
			}
			assertLines(t, f.requestLines(), []string{`GET /fog/task/active {"id":7}`})
		})
	}
}

func TestCancelTaskThatVanishedIsHarmless(t *testing.T) {
	// Listed a moment ago, gone when the DELETE arrives: FOG answers 200 null
	// and, because of the {"id": N} body, cancels nothing else.
	f := newFake(t)
	f.replay("GET", "/fog/task/active", loadRecording(t, "322-a-task-active-two-queued"))
	f.replay("DELETE", "/fog/task/2/cancel", loadRecording(t, "323-a-task-cancel-unknown-id-body-same-unknown-id"))
	if err := newTestClient(t, f.srv.URL).CancelTask(context.Background(), 2); err != nil {
		t.Fatal(err)
	}
	for _, r := range f.requests() {
		if r.Method == "DELETE" && (r.Path != "/fog/task/2/cancel" || r.Body != `{"id":2}`) {
			t.Errorf("unsafe cancel %s", r)
		}
	}
}

// activeBeforeAndAfter answers GET /fog/task/active with before until the
// task request has been received, and with after from then on.
func activeBeforeAndAfter(f *fakeFOG, taskPath string, before, after string, post recording) {
	var posted atomic.Bool
	f.on("POST", taskPath, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		posted.Store(true)
		post.write(w)
	})
	f.on("GET", "/fog/task/active", func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		if posted.Load() {
			writeJSON(w, http.StatusOK, after)
			return
		}
		writeJSON(w, http.StatusOK, before)
	})
}

const noActiveTasks = `{"count":0,"tasks":[]}`

// TestCreateHostTaskFindsTheNewTask: FOG's answer does not name the task, so
// the client reads the host's active tasks before and after, and the task is
// the one that was not there before.
func TestCreateHostTaskFindsTheNewTask(t *testing.T) {
	f := newFake(t)
	activeBeforeAndAfter(f, "/fog/host/1/task", noActiveTasks, loadRecording(t, "180-task-active-after-capture").ResponseBody,
		loadRecording(t, "168-host-task-deploy-ok-int"))
	task, err := newTestClient(t, f.srv.URL).CreateHostTask(context.Background(), 1, TaskCreate{TypeID: TaskTypeDeploy})
	if err != nil {
		t.Fatal(err)
	}
	if task == nil || task.ID != 1 || task.HostID != 1 || task.TypeID != 1 || task.StateID != TaskStateQueued || task.HostName != "host-a" {
		t.Fatalf("got %+v", task)
	}
	assertLines(t, f.requestLines(), []string{
		`GET /fog/task/active {"hostID":1}`,
		`POST /fog/host/1/task {"debug":false,"shutdown":false,"taskName":"","taskTypeID":1,"wol":false}`,
		`GET /fog/task/active {"hostID":1}`,
	})
}

func TestCreateHostTaskBody(t *testing.T) {
	f := newFake(t)
	activeBeforeAndAfter(f, "/fog/host/2/task", noActiveTasks, loadRecording(t, "180-task-active-after-capture").ResponseBody,
		loadRecording(t, "178-host-task-deploy-ok-string-with-name"))
	_, err := newTestClient(t, f.srv.URL).CreateHostTask(context.Background(), 2, TaskCreate{
		TypeID: 1, TaskName: "Nightly deploy", Shutdown: true, WOL: true, DeploySnapins: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	got := f.requests()[1].Body
	want := `{"debug":false,"deploySnapins":true,"shutdown":true,"taskName":"Nightly deploy","taskTypeID":1,"wol":true}`
	if got != want {
		t.Errorf("body %s\nwant %s", got, want)
	}
}

func TestCreateHostTaskPicksTheNewestMatch(t *testing.T) {
	// Two new active deploys for host 1 (the second replacing nothing): the newest wins.
	var list map[string]any
	if err := json.Unmarshal([]byte(loadRecording(t, "180-task-active-after-capture").ResponseBody), &list); err != nil {
		t.Fatal(err)
	}
	tasks, _ := list["tasks"].([]any)
	for _, task := range tasks {
		if m, ok := task.(map[string]any); ok {
			m["hostID"] = 1
		}
	}
	b, _ := json.Marshal(list)
	f := newFake(t)
	activeBeforeAndAfter(f, "/fog/host/1/task", noActiveTasks, string(b), loadRecording(t, "168-host-task-deploy-ok-int"))
	task, err := newTestClient(t, f.srv.URL).CreateHostTask(context.Background(), 1, TaskCreate{TypeID: 1})
	if err != nil {
		t.Fatal(err)
	}
	if task.ID != 2 {
		t.Errorf("picked task %d, want 2", task.ID)
	}
}

// A deploy of the same type that was active before the request is never
// taken for the new task.
func TestCreateHostTaskIgnoresTasksActiveBefore(t *testing.T) {
	after := loadRecording(t, "180-task-active-after-capture").ResponseBody
	f := newFake(t)
	activeBeforeAndAfter(f, "/fog/host/1/task", after, after, loadRecording(t, "168-host-task-deploy-ok-int"))
	_, err := newTestClient(t, f.srv.URL).CreateHostTask(context.Background(), 1, TaskCreate{TypeID: 1})
	if !errors.Is(err, ErrUnexpectedResponse) || !strings.Contains(err.Error(), "not in the active task list") {
		t.Errorf("err = %v", err)
	}
}

func TestCreateHostTaskWakeUpHasNoTask(t *testing.T) {
	f := newFake(t)
	f.replay("POST", "/fog/host/3/task", loadRecording(t, "190-host-task-type14-wakeup-no-wol"))
	f.replay("GET", "/fog/task/active", loadRecording(t, "158-task-active-empty"))
	task, err := newTestClient(t, f.srv.URL).CreateHostTask(context.Background(), 3, TaskCreate{TypeID: TaskTypeWakeUp, WOL: true})
	if err != nil || task != nil {
		t.Fatalf("got %+v, %v", task, err)
	}
	assertLines(t, f.requestLines(), []string{
		`GET /fog/task/active {"hostID":3}`,
		`POST /fog/host/3/task {"debug":false,"shutdown":false,"taskName":"","taskTypeID":14,"wol":true}`,
	})
}

func TestCreateHostTaskNotFoundAfterwards(t *testing.T) {
	f := newFake(t)
	f.replay("POST", "/fog/host/3/task", loadRecording(t, "191-host-task-type10-inventory"))
	f.replay("GET", "/fog/task/active", loadRecording(t, "158-task-active-empty"))
	_, err := newTestClient(t, f.srv.URL).CreateHostTask(context.Background(), 3, TaskCreate{TypeID: 10})
	if !errors.Is(err, ErrUnexpectedResponse) {
		t.Errorf("err = %v", err)
	}
}

func TestCreateHostTaskOnMissingHost(t *testing.T) {
	f := newFake(t)
	f.replay("POST", "/fog/host/999999/task", loadRecording(t, "193-host-task-on-missing-host"))
	f.replay("GET", "/fog/task/active", loadRecording(t, "158-task-active-empty"))
	_, err := newTestClient(t, f.srv.URL).CreateHostTask(context.Background(), 999999, TaskCreate{TypeID: 1})
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("err = %v", err)
	}
}

func TestTaskReads(t *testing.T) {
	ctx := context.Background()
	f := newFake(t)
	f.replay("GET", "/fog/task", loadRecording(t, "195-task-list-all"))
	f.replay("GET", "/fog/task/999999", loadRecording(t, "204-task-get-missing"))
	f.replay("GET", "/fog/multicastsession/current", loadRecording(t, "187-multicastsession-current-one"))
	f.on("GET", "/fog/task/active", func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		loadRecording(t, "194-task-active-many").write(w)
	})
	c := newTestClient(t, f.srv.URL)
	all, err := c.ListTasks(ctx)
	if err != nil || len(all) != 7 {
		t.Fatalf("%d tasks, %v", len(all), err)
	}
	active, err := c.ActiveTasks(ctx)
	if err != nil || len(active) != 5 {
		t.Fatalf("%d active, %v", len(active), err)
	}
	// A server that ignores the filter still yields only host 3's task.
	mine, err := c.ActiveTasksForHost(ctx, 3)
	if err != nil || len(mine) != 1 || mine[0].ID != 7 || mine[0].TypeID != 10 {
		t.Fatalf("%+v, %v", mine, err)
	}
	if _, err := c.GetTask(ctx, 999999); !errors.Is(err, ErrNotFound) {
		t.Errorf("err = %v", err)
	}
	sessions, err := c.ActiveMulticastSessions(ctx)
	if err != nil || len(sessions) != 1 {
		t.Fatalf("%+v, %v", sessions, err)
	}
	if s := sessions[0]; s != (MulticastSession{ID: 1, Name: "- host-d", ImageID: 20, StateID: 0, Clients: -1, Port: 63100}) {
		t.Errorf("session %+v", s)
	}
}

// TestCreateHostTaskIfDecidesOnTheListItReads: the caller decides on the
// host's active tasks as CreateHostTask reads them anyway; a "no" sends
// nothing more, a "yes" costs no read of its own.
func TestCreateHostTaskIfDecidesOnTheListItReads(t *testing.T) {
	active := loadRecording(t, "180-task-active-after-capture").ResponseBody
	t.Run("refused", func(t *testing.T) {
		f := newFake(t)
		activeBeforeAndAfter(f, "/fog/host/1/task", active, active, loadRecording(t, "168-host-task-deploy-ok-int"))
		var seen []Task
		got, created, err := newTestClient(t, f.srv.URL).CreateHostTaskIf(context.Background(), 1, TaskCreate{TypeID: TaskTypeDeploy},
			func(a []Task) bool { seen = a; return false })
		if err != nil || created != nil || len(got) == 0 || len(seen) != len(got) {
			t.Fatalf("active %d (decide saw %d), created %+v, err %v", len(got), len(seen), created, err)
		}
		assertLines(t, f.requestLines(), []string{`GET /fog/task/active {"hostID":1}`})
	})
	t.Run("accepted", func(t *testing.T) {
		f := newFake(t)
		activeBeforeAndAfter(f, "/fog/host/1/task", noActiveTasks, active, loadRecording(t, "168-host-task-deploy-ok-int"))
		_, created, err := newTestClient(t, f.srv.URL).CreateHostTaskIf(context.Background(), 1, TaskCreate{TypeID: TaskTypeDeploy},
			func(a []Task) bool { return len(a) == 0 })
		if err != nil || created == nil || created.ID != 1 {
			t.Fatalf("created %+v, err %v", created, err)
		}
		assertLines(t, f.requestLines(), []string{
			`GET /fog/task/active {"hostID":1}`,
			`POST /fog/host/1/task {"debug":false,"shutdown":false,"taskName":"","taskTypeID":1,"wol":false}`,
			`GET /fog/task/active {"hostID":1}`,
		})
	})
}
