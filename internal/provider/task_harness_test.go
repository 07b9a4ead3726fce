// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

// fog_task's test helpers: for the acceptance tests, on top of the shared
// harness in acctest_test.go; taskHarness, which calls the resource's
// methods directly against the emulator (resource_harness_test.go); and the
// action's RPCs through protocolEnv (protocol_harness_test.go).

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
	"github.com/fogproject/terraform-provider-fog/internal/fogtest"
)

func init() {
	// wait_for_completion polls the emulator without real delays; a real
	// server is polled once a second. Tests assert states and request
	// counts, never how long anything took.
	if os.Getenv(envServerURL) == "" {
		taskPollInterval = 10 * time.Millisecond
	} else {
		taskPollInterval = time.Second
	}
}

const testTaskAddr = "fog_task.test"

// taskConfig declares fog_task.test; extra holds further arguments and blocks.
func taskConfig(hostExpr, taskType, extra string) string {
	return fmt.Sprintf(`
resource "fog_task" "test" {
  host_id = %s
  type    = %q
%s
}
`, hostExpr, taskType, extra)
}

// hostWithImage creates an image (protected or not) and a host that has it
// assigned, both deleted when the test ends.
func (e *accEnv) hostWithImage(t *testing.T, protected bool) (*fogclient.Host, *fogclient.Image) {
	t.Helper()
	img := e.CreateImage(t, fogclient.ImageCreate{Name: uniqueImageName("task"), Protected: protected})
	host := e.CreateHost(t, fogclient.HostCreate{ImageID: img.ID})
	return host, img
}

// tasksOf lists every task of a host (finished ones included), by id.
func (e *accEnv) tasksOf(t *testing.T, hostID int64) []fogclient.Task {
	t.Helper()
	ctx, cancel := fixtureContext()
	defer cancel()
	all, err := e.Client.ListTasks(ctx)
	if err != nil {
		t.Fatalf("list tasks: %v", err)
	}
	var out []fogclient.Task
	for _, task := range all {
		if task.HostID == hostID {
			out = append(out, task)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// onlyTaskOf returns the host's single task, failing unless there is exactly one.
func (e *accEnv) onlyTaskOf(t *testing.T, hostID int64) fogclient.Task {
	t.Helper()
	tasks := e.tasksOf(t, hostID)
	if len(tasks) != 1 {
		t.Fatalf("host %d has %d tasks, want exactly 1: %+v", hostID, len(tasks), tasks)
	}
	return tasks[0]
}

// expectTaskStates checks the states of a host's tasks on the server, in id order.
func (e *accEnv) expectTaskStates(t *testing.T, hostID int64, want ...int64) stateCheckFunc {
	return func() error {
		tasks := e.tasksOf(t, hostID)
		got := make([]int64, len(tasks))
		for i, task := range tasks {
			got[i] = task.StateID
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			return fmt.Errorf("host %d: task states %v, want %v (%+v)", hostID, got, want, tasks)
		}
		return nil
	}
}

// expectRequests checks an emulator route counter (nothing to check against
// a real server, whose requests are not counted).
func (e *accEnv) expectRequests(route string, want int64) stateCheckFunc {
	return func() error {
		if e.Emulator == nil {
			return nil
		}
		if got := e.Emulator.Count(route); got != want {
			return fmt.Errorf("%s: %d requests, want %d", route, got, want)
		}
		return nil
	}
}

// cancelTaskAtCleanup cancels a fixture task when the test ends (by id only).
func (e *accEnv) cancelTaskAtCleanup(t *testing.T, id int64) {
	t.Cleanup(func() {
		ctx, cancel := fixtureContext()
		defer cancel()
		if err := e.Client.CancelTask(ctx, id); err != nil &&
			!errors.Is(err, fogclient.ErrTaskNotActive) && !errors.Is(err, fogclient.ErrNotFound) {
			t.Errorf("fixture cleanup: cancel task %d: %v", id, err)
		}
	})
}

// createTask queues a task outside Terraform and cancels it when the test ends.
func (e *accEnv) createTask(t *testing.T, hostID, typeID int64) *fogclient.Task {
	t.Helper()
	ctx, cancel := fixtureContext()
	defer cancel()
	task, err := e.Client.CreateHostTask(ctx, hostID, fogclient.TaskCreate{TypeID: typeID, TaskName: "tfacc"})
	if err != nil || task == nil {
		t.Fatalf("fixture: create task type %d for host %d: %v", typeID, hostID, err)
	}
	e.cancelTaskAtCleanup(t, task.ID)
	return task
}

// newWrappedEmulatorEnv is newAccEnv with an emulator whose HTTP handler is
// wrapped, so a test can act at a precise point of the provider's requests
// (for example a PXE client checking in while the provider waits). Against
// a real server the test is skipped.
func newWrappedEmulatorEnv(t *testing.T, why string, wrap func(srv *fogtest.Server, next http.Handler) http.Handler) *accEnv {
	t.Helper()
	return newWrappedEmulatorEnvWith(t, why, fogtest.Options{}, wrap)
}

// newWrappedEmulatorEnvWith is newWrappedEmulatorEnv with emulator options.
func newWrappedEmulatorEnvWith(t *testing.T, why string, opts fogtest.Options, wrap func(srv *fogtest.Server, next http.Handler) http.Handler) *accEnv {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance tests run only with TF_ACC=1")
	}
	if os.Getenv(envServerURL) != "" && os.Getenv(envAPIToken) != "" && os.Getenv(envUserToken) != "" {
		t.Skip("emulator only: " + why)
	}
	useEmulatorCredentialsFromEnvironment()
	srv := fogtest.New(opts)
	ts := httptest.NewServer(wrap(srv, srv))
	t.Cleanup(ts.Close)
	env := &accEnv{URL: ts.URL, APIToken: srv.APITokenHeader(), UserToken: srv.UserTokenHeader(), Emulator: srv}
	env.Client = env.newClient(t, env.APIToken, env.UserToken)
	return env
}

var taskGetRoute = regexp.MustCompile(`^/fog/task/([0-9]+)$`)

// checkInAtFirstPoll lets the first GET /fog/task/{id} (the first poll of
// wait_for_completion) answer "Queued", and then checks the task in as a
// PXE client would: it is In-Progress from then on and never reports again,
// like a host whose imaging stalled.
func checkInAtFirstPoll(t *testing.T) func(srv *fogtest.Server, next http.Handler) http.Handler {
	return func(srv *fogtest.Server, next http.Handler) http.Handler {
		var once sync.Once
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, r)
			m := taskGetRoute.FindStringSubmatch(r.URL.Path)
			if r.Method != http.MethodGet || m == nil {
				return
			}
			once.Do(func() {
				id, _ := strconv.ParseInt(m[1], 10, 64)
				if err := srv.CheckInTask(id); err != nil {
					t.Errorf("check in task %d: %v", id, err)
				}
			})
		})
	}
}

// mustEmulator runs f against the emulator (fails the test on error).
func mustEmulator(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("emulator: %s: %v", what, err)
	}
}

// taskHarness calls fog_task's methods directly against the emulator, for
// what the acceptance framework cannot observe: warnings (plan-time deploy,
// capture and wipe warnings, adoption, tasks left on destroy) and the exact
// requests.
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
			HostID: types.Int64Value(hostID), GroupID: types.Int64Null(), Type: types.StringValue(taskType),
			ImageID: types.Int64Null(), TaskName: types.StringNull(),
			Shutdown: types.BoolValue(false), Debug: types.BoolValue(false), WOL: types.BoolValue(false), DeploySnapins: types.BoolValue(false),
			WaitForCompletion: types.BoolValue(false),
		},
		Triggers: types.MapNull(types.StringType), CancelOnDestroy: types.BoolValue(true),
		Timeouts: timeouts.Value{Object: types.ObjectNull(map[string]attr.Type{"create": types.StringType})},
		State:    types.StringUnknown(), StateID: types.Int64Unknown(), Percent: types.Int64Unknown(),
		CreatedTime: types.StringUnknown(), TypeID: types.Int64Unknown(), Adopted: types.BoolUnknown(),
		TaskIDs: types.ListUnknown(types.Int64Type), SessionID: types.Int64Unknown(),
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
	m.TaskIDs, m.SessionID = types.ListNull(types.Int64Type), types.Int64Null()
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

// read runs Read of prior.
func (h *taskHarness) read(t *testing.T, prior taskModel) *resource.ReadResponse {
	t.Helper()
	s := h.state(t, &prior)
	resp := &resource.ReadResponse{State: s}
	h.r.Read(context.Background(), resource.ReadRequest{State: s}, resp)
	return resp
}

func (h *taskHarness) delete(t *testing.T, prior taskModel) *resource.DeleteResponse {
	t.Helper()
	s := h.state(t, &prior)
	resp := &resource.DeleteResponse{State: s}
	h.r.Delete(context.Background(), resource.DeleteRequest{State: s}, resp)
	return resp
}

const taskActionType = "fog_task"

func (e *protocolEnv) taskActionSchema(t *testing.T) *tfprotov6.Schema {
	t.Helper()
	s, ok := e.Schema.ActionSchemas[taskActionType]
	if !ok || s.Schema == nil {
		t.Fatalf("GetProviderSchema has no action %q (actions: %v)", taskActionType, e.Schema.ActionSchemas)
	}
	return s.Schema
}

// taskActionConfig is an `action "fog_task"` config block with these arguments.
func (e *protocolEnv) taskActionConfig(t *testing.T, set map[string]tftypes.Value) *tfprotov6.DynamicValue {
	t.Helper()
	return dynamic(t, e.object(t, e.taskActionSchema(t), set))
}

// invokeTimeout is the timeouts block with invoke set.
func (e *protocolEnv) invokeTimeout(t *testing.T, d string) tftypes.Value {
	t.Helper()
	return blockValue(t, e.taskActionSchema(t), "timeouts", map[string]tftypes.Value{"invoke": str(d)})
}

// actionRun is what one InvokeAction streamed: the progress messages in
// order, and the diagnostics of the one completed event.
type actionRun struct {
	Progress  []string
	Diags     []*tfprotov6.Diagnostic
	Completed int
}

// invoke calls InvokeAction and reads the event stream to its end.
// onProgress, when set, runs for each progress event before the next one is
// read, as Terraform would print it; it may act on the server meanwhile.
func (e *protocolEnv) invoke(t *testing.T, cfg *tfprotov6.DynamicValue, onProgress func(msg string)) actionRun {
	t.Helper()
	stream, err := e.Server.InvokeAction(context.Background(), &tfprotov6.InvokeActionRequest{ActionType: taskActionType, Config: cfg})
	if err != nil {
		t.Fatalf("InvokeAction: %v", err)
	}
	var run actionRun
	for ev := range stream.Events {
		switch ev := ev.Type.(type) {
		case tfprotov6.ProgressInvokeActionEventType:
			if run.Completed > 0 {
				t.Errorf("progress %q after the completed event", ev.Message)
			}
			run.Progress = append(run.Progress, ev.Message)
			if onProgress != nil {
				onProgress(ev.Message)
			}
		case tfprotov6.CompletedInvokeActionEventType:
			run.Completed++
			run.Diags = append(run.Diags, ev.Diagnostics...)
		default:
			t.Errorf("unexpected event %T", ev)
		}
	}
	if run.Completed != 1 {
		t.Errorf("the stream ended with %d completed events, want exactly 1", run.Completed)
	}
	return run
}

// stop is what Terraform sends on Ctrl-C: StopProvider cancels every RPC in flight.
func (e *protocolEnv) stop(t *testing.T) {
	t.Helper()
	if _, err := e.Server.StopProvider(context.Background(), &tfprotov6.StopProviderRequest{}); err != nil {
		t.Errorf("StopProvider: %v", err)
	}
}

func (e *protocolEnv) seedImage(t *testing.T, name string, protected bool) int64 {
	t.Helper()
	id, err := e.Emulator.SeedImage(name)
	mustEmulator(t, "seed image", err)
	if protected {
		mustEmulator(t, "protect image", e.Emulator.SetRawField("image", id, "protected", "1"))
	}
	return id
}

func (e *protocolEnv) seedHost(t *testing.T, name string, imageID int64) int64 {
	t.Helper()
	id, err := e.Emulator.SeedHost(name, imageID, randomMAC())
	mustEmulator(t, "seed host", err)
	return id
}

// queueTask creates a task outside Terraform.
func (e *protocolEnv) queueTask(t *testing.T, hostID, typeID int64) *fogclient.Task {
	t.Helper()
	task, err := e.Client.CreateHostTask(context.Background(), hostID, fogclient.TaskCreate{TypeID: typeID, TaskName: "outside"})
	if err != nil || task == nil {
		t.Fatalf("fixture: create task type %d for host %d: %v", typeID, hostID, err)
	}
	return task
}

// hostTasks lists a host's tasks (finished ones included) by id.
func (e *protocolEnv) hostTasks(t *testing.T, hostID int64) []fogclient.Task {
	t.Helper()
	all, err := e.Client.ListTasks(context.Background())
	if err != nil {
		t.Fatalf("list tasks: %v", err)
	}
	var out []fogclient.Task
	for _, task := range all {
		if task.HostID == hostID {
			out = append(out, task)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// expectTaskStates checks the states of a host's tasks on the server, by id.
func (e *protocolEnv) expectTaskStates(t *testing.T, hostID int64, want ...int64) {
	t.Helper()
	var got []int64
	for _, task := range e.hostTasks(t, hostID) {
		got = append(got, task.StateID)
	}
	if !slices.Equal(got, want) {
		t.Errorf("host %d: task states %v, want %v", hostID, got, want)
	}
}

func (e *protocolEnv) expectRequests(t *testing.T, route string, want int64) {
	t.Helper()
	if got := e.Emulator.Count(route); got != want {
		t.Errorf("%s: %d requests, want %d", route, got, want)
	}
}

// advanceAfterEachPoll moves a task one step (check-in, 25/50/75 %,
// completion) right after each GET /fog/task/{id} is answered, as a PXE
// client reporting between two polls would.
func advanceAfterEachPoll(t *testing.T) func(srv *fogtest.Server, next http.Handler) http.Handler {
	return func(srv *fogtest.Server, next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, r)
			if m := taskGetRoute.FindStringSubmatch(r.URL.Path); r.Method == http.MethodGet && m != nil {
				id, _ := strconv.ParseInt(m[1], 10, 64)
				if err := srv.AdvanceTask(id); err != nil && err != fogtest.ErrTaskNotActive {
					t.Errorf("advance task %d: %v", id, err)
				}
			}
		})
	}
}
