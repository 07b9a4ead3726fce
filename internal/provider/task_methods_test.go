// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

// fog_task's RPC methods called directly against the emulator, for what the
// acceptance framework cannot observe: warnings (plan-time deploy, capture
// and wipe warnings, adoption, tasks left on destroy) and the exact requests.

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

type taskHarness struct {
	resourceHarness[*taskResource, taskModel]
}

func newTaskHarness(t *testing.T) *taskHarness {
	t.Helper()
	return &taskHarness{newResourceHarness[*taskResource, taskModel](t, func(d *ProviderData) *taskResource {
		return &taskResource{data: d}
	})}
}

func (h *taskHarness) seedImage(t *testing.T, name string, protected bool) int64 {
	t.Helper()
	id, err := h.srv.SeedImage(name)
	if err != nil {
		t.Fatal(err)
	}
	if protected {
		if err := h.srv.SetRawField("image", id, "protected", "1"); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

func (h *taskHarness) seedHost(t *testing.T, name string, imageID int64, mac string) int64 {
	t.Helper()
	id, err := h.srv.SeedHost(name, imageID, mac)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func (h *taskHarness) queueTask(t *testing.T, hostID, typeID int64) *fogclient.Task {
	t.Helper()
	task, err := h.client.CreateHostTask(context.Background(), hostID, fogclient.TaskCreate{TypeID: typeID})
	if err != nil || task == nil {
		t.Fatalf("create task: %v", err)
	}
	return task
}

// planned is the plan of a new fog_task: computed values unknown, defaults applied.
func planned(hostID int64, taskType string, mod ...func(*taskModel)) taskModel {
	m := taskModel{
		ID: types.StringUnknown(),
		taskArguments: taskArguments{
			HostID: types.Int64Value(hostID), Type: types.StringValue(taskType),
			ImageID: types.Int64Null(), TaskName: types.StringNull(),
			Shutdown: types.BoolValue(false), Debug: types.BoolValue(false), WOL: types.BoolValue(false), DeploySnapins: types.BoolValue(false),
			WaitForCompletion: types.BoolValue(false),
		},
		Triggers: types.MapNull(types.StringType), CancelOnDestroy: types.BoolValue(true),
		Timeouts: timeouts.Value{Object: types.ObjectNull(map[string]attr.Type{"create": types.StringType})},
		State:    types.StringUnknown(), StateID: types.Int64Unknown(), Percent: types.Int64Unknown(),
		CreatedTime: types.StringUnknown(), TypeID: types.Int64Unknown(), Adopted: types.BoolUnknown(),
	}
	for _, f := range mod {
		f(&m)
	}
	return m
}

// stored is the state of an existing fog_task.
func stored(taskID string, hostID, typeID int64, taskType string, mod ...func(*taskModel)) taskModel {
	m := planned(hostID, taskType)
	m.ID, m.TypeID, m.Adopted = types.StringValue(taskID), types.Int64Value(typeID), types.BoolValue(false)
	m.State, m.StateID, m.Percent, m.CreatedTime = types.StringValue("queued"), types.Int64Value(1), types.Int64Value(0), types.StringValue("2026-01-01 00:00:00")
	for _, f := range mod {
		f(&m)
	}
	return m
}

func (h *taskHarness) modifyPlan(t *testing.T, plan taskModel, prior *taskModel) (*resource.ModifyPlanResponse, taskModel) {
	t.Helper()
	return h.resourceHarness.modifyPlan(t, &plan, prior)
}

func (h *taskHarness) create(t *testing.T, plan taskModel) (*resource.CreateResponse, taskModel) {
	t.Helper()
	p := h.plan(t, &plan)
	resp := &resource.CreateResponse{State: h.state(t, nil)}
	h.r.Create(context.Background(), resource.CreateRequest{Config: tfsdk.Config{Schema: h.schema, Raw: p.Raw}, Plan: p}, resp)
	var out taskModel
	if !resp.State.Raw.IsNull() {
		resp.Diagnostics.Append(resp.State.Get(context.Background(), &out)...)
	}
	return resp, out
}

func (h *taskHarness) delete(t *testing.T, prior taskModel) *resource.DeleteResponse {
	t.Helper()
	s := h.state(t, &prior)
	resp := &resource.DeleteResponse{State: s}
	h.r.Delete(context.Background(), resource.DeleteRequest{State: s}, resp)
	return resp
}

// hasDiag reports a diagnostic of the severity whose summary and detail
// together contain every part.
func hasDiag(diags diag.Diagnostics, sev diag.Severity, parts ...string) bool {
	for _, d := range diags {
		if d.Severity() != sev {
			continue
		}
		text := d.Summary() + "\n" + d.Detail()
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(text, p)
		}
		if ok {
			return true
		}
	}
	return false
}

func expectDiag(t *testing.T, diags diag.Diagnostics, sev diag.Severity, parts ...string) {
	t.Helper()
	if !hasDiag(diags, sev, parts...) {
		t.Errorf("want a %v containing %q, got %v", sev, parts, diags)
	}
}

// TestTaskModifyPlan: type_id is resolved at plan time, deploy, capture and
// wipe warn naming the host and the image, a capture onto a protected image,
// an unknown type, an unknown host and useless flags are errors, and
// nothing is sent to FOG but reads.
func TestTaskModifyPlan(t *testing.T) {
	h := newTaskHarness(t)
	win10 := h.seedImage(t, "win10", false)
	gold := h.seedImage(t, "gold", true)
	host1 := h.seedHost(t, "host1", win10, "02:00:00:00:00:01")
	host2 := h.seedHost(t, "host2", gold, "02:00:00:00:00:02")
	host3 := h.seedHost(t, "host3", 0, "02:00:00:00:00:03")
	withImage := func(id int64) func(*taskModel) { return func(m *taskModel) { m.ImageID = types.Int64Value(id) } }

	for _, c := range []struct {
		name   string
		plan   taskModel
		sev    diag.Severity
		parts  []string
		typeID int64
	}{
		{"deploy warns with host and image", planned(host1, "deploy"), diag.SeverityWarning,
			[]string{"Deploy overwrites the host's disk", `host "host1"`, `image "win10" (id 1)`}, 1},
		{"image_id names the image the deploy will use", planned(host1, "Deploy - Debug", withImage(gold)), diag.SeverityWarning,
			[]string{"Deploy - Debug task", `host "host1"`, `image "gold" (id 2)`}, 15},
		{"unknown image_id is described", planned(host1, "deploy", func(m *taskModel) { m.ImageID = types.Int64Unknown() }), diag.SeverityWarning,
			[]string{`host "host1"`, "image_id is known only at apply time"}, 1},
		{"capture warns", planned(host1, "capture"), diag.SeverityWarning,
			[]string{"Capture overwrites the image", `captured into image "win10"`}, 2},
		{"wipe warns", planned(host1, "fast wipe"), diag.SeverityWarning,
			[]string{"Wipe erases the host's disk", `host "host1"`, "Fast Wipe"}, 18},
		{"capture onto a protected image is refused", planned(host2, "Capture"), diag.SeverityError,
			[]string{"Image is protected", `Image "gold" (id 2) is protected`, `host "host2"`}, 2},
		{"capture onto a protected image_id is refused", planned(host1, "Capture - Debug", withImage(gold)), diag.SeverityError,
			[]string{`Image "gold" (id 2) is protected`}, 16},
		{"deploy on a host without image warns", planned(host3, "deploy"), diag.SeverityWarning,
			[]string{"Host has no image", `"host3"`, "Image is not valid"}, 1},
		{"unknown host", planned(99, "deploy"), diag.SeverityError, []string{"no host with id 99"}, 1},
		{"unknown image_id", planned(host1, "deploy", withImage(77)), diag.SeverityError, []string{"no image with id 77"}, 1},
		{"unknown type lists valid ones", planned(host1, "deploi"), diag.SeverityError,
			[]string{`"deploi" is not a task type`, `"Deploy" (1)`, `"Wake-Up" (14)`}, 0},
		{"Wake-Up without wol", planned(host1, "wakeup"), diag.SeverityError, []string{"set wol = true"}, 14},
		{"deploy_snapins on a capture", planned(host1, "capture", func(m *taskModel) { m.DeploySnapins = types.BoolValue(true) }),
			diag.SeverityError, []string{"ignores deploy_snapins"}, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			resp, out := h.modifyPlan(t, c.plan, nil)
			expectDiag(t, resp.Diagnostics, c.sev, c.parts...)
			if c.typeID != 0 && (out.TypeID.IsUnknown() || out.TypeID.ValueInt64() != c.typeID) {
				t.Errorf("type_id in plan = %v, want %d", out.TypeID, c.typeID)
			}
		})
	}

	t.Run("no warning for a task that does not touch the disk", func(t *testing.T) {
		resp, out := h.modifyPlan(t, planned(host1, "Hardware Inventory"), nil)
		if len(resp.Diagnostics) != 0 || out.TypeID.ValueInt64() != 10 {
			t.Errorf("diagnostics %v, type_id %v", resp.Diagnostics, out.TypeID)
		}
	})
	t.Run("a new spelling of the same type is not a replacement", func(t *testing.T) {
		prior := stored("5", host1, 1, "deploy")
		for _, spelling := range []string{"Deploy", "1", "DEPLOY"} {
			next := stored("5", host1, 1, spelling)
			resp, _ := h.modifyPlan(t, next, &prior)
			if len(resp.RequiresReplace) != 0 || resp.Diagnostics.HasError() {
				t.Errorf("%q: requires replace %v, %v", spelling, resp.RequiresReplace, resp.Diagnostics)
			}
		}
		for _, other := range []string{"capture", "15", "deploy-debug"} {
			resp, _ := h.modifyPlan(t, stored("5", host1, 1, other), &prior)
			if !resp.RequiresReplace.Contains(path.Root("type")) {
				t.Errorf("%q must replace the task", other)
			}
		}
		resp, _ := h.modifyPlan(t, stored("5", host1, 1, "deploy", func(m *taskModel) { m.Type = types.StringUnknown() }), &prior)
		if !resp.RequiresReplace.Contains(path.Root("type")) {
			t.Error("an unknown type must replace the task")
		}
	})
	if n := h.srv.Count(routeCreateTask); n != 0 {
		t.Errorf("planning sent %d task creations", n)
	}
	if tasks, _ := h.client.ListTasks(context.Background()); len(tasks) != 0 {
		t.Errorf("planning created tasks: %+v", tasks)
	}
}

// TestTaskCreateAdoption: an active task of the same type is adopted with a
// warning and no request that creates a task; another active task is an
// error naming it; image_id must match the host's image.
func TestTaskCreateAdoption(t *testing.T) {
	h := newTaskHarness(t)
	img := h.seedImage(t, "win10", false)
	other := h.seedImage(t, "other", false)
	host := h.seedHost(t, "host1", img, "02:00:00:00:00:01")
	existing := h.queueTask(t, host, 1)
	posts := h.srv.Count(routeCreateTask)

	resp, got := h.create(t, planned(host, "deploy", func(m *taskModel) { m.ImageID = types.Int64Value(img) }))
	if resp.Diagnostics.HasError() {
		t.Fatalf("create: %v", resp.Diagnostics)
	}
	expectDiag(t, resp.Diagnostics, diag.SeverityWarning, "Adopted an existing task", `Host "host1"`, `(id 1, type Deploy, state Queued)`)
	if got.ID.ValueString() != "1" || !got.Adopted.ValueBool() || got.State.ValueString() != "queued" || got.TypeID.ValueInt64() != 1 {
		t.Errorf("state after adoption: %+v", got)
	}
	if h.srv.Count(routeCreateTask) != posts {
		t.Error("adoption must not create a task")
	}

	resp, _ = h.create(t, planned(host, "deploy", func(m *taskModel) { m.ImageID = types.Int64Value(other) }))
	expectDiag(t, resp.Diagnostics, diag.SeverityError, "image_id is 2, but the host has image \"win10\" (id 1) assigned")
	resp, _ = h.create(t, planned(host, "capture"))
	expectDiag(t, resp.Diagnostics, diag.SeverityError, "already has another active task", `(id 1, type Deploy`, "only one active task")
	if !resp.State.Raw.IsNull() {
		t.Error("a refused task must leave no state")
	}
	if h.srv.Count(routeCreateTask) != posts {
		t.Error("refusals must not send a task creation")
	}
	if task, _ := h.client.GetTask(context.Background(), existing.ID); task.StateID != fogclient.TaskStateQueued {
		t.Errorf("the existing task must be left alone: %+v", task)
	}
}

// TestTaskDelete: destroy cancels only our own task before imaging, with
// one scoped cancel; it warns when it leaves a task running.
func TestTaskDelete(t *testing.T) {
	h := newTaskHarness(t)
	img := h.seedImage(t, "win10", false)
	adopted := func(m *taskModel) { m.Adopted = types.BoolValue(true) }
	noCancel := func(m *taskModel) { m.CancelOnDestroy = types.BoolValue(false) }

	for i, c := range []struct {
		name       string
		prepare    func(task *fogclient.Task)
		mod        []func(*taskModel)
		wantState  int64
		wantCancel int64
		warning    []string
	}{
		{name: "queued, ours: cancelled", wantState: 5, wantCancel: 1},
		{name: "checked in, ours: cancelled", prepare: func(task *fogclient.Task) {
			if err := h.srv.SetRawField("task", task.ID, "stateID", "2"); err != nil {
				t.Fatal(err)
			}
		}, wantState: 5, wantCancel: 1},
		{name: "in progress: left with a warning", prepare: func(task *fogclient.Task) {
			if err := h.srv.CheckInTask(task.ID); err != nil {
				t.Fatal(err)
			}
		}, wantState: 3, warning: []string{"Task in progress left to finish", "half-written disk", "state In-Progress"}},
		{name: "adopted: left with a warning", mod: []func(*taskModel){adopted}, wantState: 1,
			warning: []string{"Adopted task left running", "state Queued"}},
		{name: "cancel_on_destroy = false: left", mod: []func(*taskModel){noCancel}, wantState: 1},
		{name: "complete: nothing", prepare: func(task *fogclient.Task) {
			if err := h.srv.CompleteTask(task.ID); err != nil {
				t.Fatal(err)
			}
		}, wantState: 4},
	} {
		t.Run(c.name, func(t *testing.T) {
			host := h.seedHost(t, "host"+string(rune('a'+i)), img, "02:00:00:00:01:0"+string(rune('0'+i)))
			task := h.queueTask(t, host, 1)
			if c.prepare != nil {
				c.prepare(task)
			}
			h.srv.ResetCounters()
			resp := h.delete(t, stored(idString(task.ID), host, 1, "deploy", c.mod...))
			if resp.Diagnostics.HasError() {
				t.Fatalf("delete: %v", resp.Diagnostics)
			}
			if c.warning != nil {
				expectDiag(t, resp.Diagnostics, diag.SeverityWarning, c.warning...)
			} else if len(resp.Diagnostics) != 0 {
				t.Errorf("unexpected diagnostics %v", resp.Diagnostics)
			}
			got, _ := h.client.GetTask(context.Background(), task.ID)
			if got.StateID != c.wantState {
				t.Errorf("task state %d, want %d", got.StateID, c.wantState)
			}
			if n := h.srv.Count(routeCancelTask); n != c.wantCancel {
				t.Errorf("%d cancel requests, want %d", n, c.wantCancel)
			}
			for _, never := range []string{"DELETE /fog/task/cancel", "DELETE /fog/host/{id}/cancel"} {
				if n := h.srv.Count(never); n != 0 {
					t.Errorf("%s was sent %d times", never, n)
				}
			}
		})
	}

	t.Run("purged and Wake-Up: nothing", func(t *testing.T) {
		h.srv.ResetCounters()
		for _, prior := range []taskModel{stored("999", 1, 1, "deploy"), stored("wakeup-1-20260101T000000Z", 1, 14, "wakeup")} {
			if resp := h.delete(t, prior); len(resp.Diagnostics) != 0 {
				t.Errorf("delete %s: %v", prior.ID, resp.Diagnostics)
			}
		}
		if n := h.srv.Count(routeCancelTask); n != 0 {
			t.Errorf("%d cancel requests", n)
		}
	})
}

// TestTaskReadPurged: a task deleted with its host reads as purged and stays
// in the state; a stored id now used by another host's task reads as purged too.
func TestTaskReadPurged(t *testing.T) {
	h := newTaskHarness(t)
	img := h.seedImage(t, "win10", false)
	host := h.seedHost(t, "host1", img, "02:00:00:00:00:01")
	task := h.queueTask(t, host, 1)

	read := func(prior taskModel) (taskModel, diag.Diagnostics) {
		s := h.state(t, &prior)
		resp := &resource.ReadResponse{State: s}
		h.r.Read(context.Background(), resource.ReadRequest{State: s}, resp)
		var out taskModel
		if resp.State.Raw.IsNull() {
			t.Fatal("Read removed the resource")
		}
		resp.Diagnostics.Append(resp.State.Get(context.Background(), &out)...)
		return out, resp.Diagnostics
	}
	got, diags := read(stored(idString(task.ID), host, 1, "deploy"))
	if diags.HasError() || got.State.ValueString() != "queued" {
		t.Fatalf("read: %v %+v", diags, got)
	}
	got, _ = read(stored(idString(task.ID), host+1, 1, "deploy"))
	if got.State.ValueString() != taskStatePurged {
		t.Errorf("another host's task must read as purged: %+v", got)
	}
	if err := h.client.DeleteHost(context.Background(), host); err != nil {
		t.Fatal(err)
	}
	got, diags = read(stored(idString(task.ID), host, 1, "deploy", func(m *taskModel) { m.Percent = types.Int64Value(40) }))
	if diags.HasError() || got.State.ValueString() != taskStatePurged || !got.StateID.IsNull() || got.Percent.ValueInt64() != 40 {
		t.Errorf("after host delete: %v %+v", diags, got)
	}
}
