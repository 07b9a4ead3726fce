// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

// The fog_task action through its RPCs (GetProviderSchema, ValidateActionConfig,
// PlanAction, InvokeAction) against the emulator: what a Terraform 1.14 CLI
// would see, asserted as progress messages, diagnostics, the tasks FOG ends up
// with and the requests it received; and an acceptance test for a CLI that
// has actions.

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
	"github.com/fogproject/terraform-provider-fog/internal/fogtest"
)

// TestTaskActionSchema: GetProviderSchema lists the fog_task action with
// the fog_task resource's arguments (same types, same required/optional),
// except those the action documents as resource-only, plus timeouts.invoke.
// Adding an argument to the resource fails here until the action has it
// too, or it is listed as resource-only with the reason.
func TestTaskActionSchema(t *testing.T) {
	t.Parallel()
	env := newProtocolEnv(t, nil)
	act := env.taskActionSchema(t)
	res := env.Schema.ResourceSchemas["fog_task"]
	if res == nil {
		t.Fatal("no fog_task resource schema")
	}

	actAttrs := map[string]*tfprotov6.SchemaAttribute{}
	for _, a := range act.Block.Attributes {
		actAttrs[a.Name] = a
	}
	for _, a := range res.Block.Attributes {
		if !a.Required && !a.Optional {
			continue // computed only: what the resource records, not an argument
		}
		if _, resourceOnly := taskResourceOnlyArguments[a.Name]; resourceOnly {
			if _, ok := actAttrs[a.Name]; ok {
				t.Errorf("%s is listed as resource-only but the action has it", a.Name)
			}
			continue
		}
		got, ok := actAttrs[a.Name]
		if !ok {
			t.Errorf("the action lacks the resource argument %q (add it, or list it in taskResourceOnlyArguments with the reason)", a.Name)
			continue
		}
		if !got.Type.Equal(a.Type) || got.Required != a.Required {
			t.Errorf("%s: action %s required=%v, resource %s required=%v", a.Name, got.Type, got.Required, a.Type, a.Required)
		}
		if got.Description == "" {
			t.Errorf("%s: no description", a.Name)
		}
		delete(actAttrs, a.Name)
	}
	for name := range taskResourceOnlyArguments {
		if !slices.ContainsFunc(res.Block.Attributes, func(a *tfprotov6.SchemaAttribute) bool { return a.Name == name }) {
			t.Errorf("taskResourceOnlyArguments lists %q, which the resource does not have", name)
		}
	}
	if len(actAttrs) != 0 {
		t.Errorf("action arguments the resource does not have: %v", actAttrs)
	}
	if len(act.Block.BlockTypes) != 1 || act.Block.BlockTypes[0].TypeName != "timeouts" ||
		len(act.Block.BlockTypes[0].Block.Attributes) != 1 || act.Block.BlockTypes[0].Block.Attributes[0].Name != "invoke" {
		t.Errorf("want exactly the block timeouts { invoke }, got %+v", act.Block.BlockTypes)
	}
}

// TestTaskActionValidateConfig: ValidateActionConfig refuses what can be
// refused without the server, pointing at the argument.
func TestTaskActionValidateConfig(t *testing.T) {
	t.Parallel()
	env := newProtocolEnv(t, nil)
	for _, c := range []struct {
		name string
		set  map[string]tftypes.Value
		attr string // "" = valid
		want string
	}{
		{"valid", map[string]tftypes.Value{"host_id": num(1), "type": str("Deploy")}, "", ""},
		{"valid with unknowns", map[string]tftypes.Value{"host_id": unknownNumber(), "type": unknownString()}, "", ""},
		{"host id zero", map[string]tftypes.Value{"host_id": num(0), "type": str("Deploy")}, "host_id", "at least 1"},
		{"type without letters", map[string]tftypes.Value{"host_id": num(1), "type": str("--")}, "type", "must contain a letter or a digit"},
		{"image id zero", map[string]tftypes.Value{"host_id": num(1), "type": str("Deploy"), "image_id": num(0)}, "image_id", "at least 1"},
		{"bad timeout", map[string]tftypes.Value{"host_id": num(1), "type": str("Deploy"),
			"timeouts": env.invokeTimeout(t, "soon")}, "timeouts", "Time Duration"},
	} {
		t.Run(c.name, func(t *testing.T) {
			resp, err := env.Server.ValidateActionConfig(context.Background(), &tfprotov6.ValidateActionConfigRequest{
				ActionType: taskActionType, Config: env.taskActionConfig(t, c.set),
			})
			if err != nil {
				t.Fatal(err)
			}
			if c.attr == "" {
				if len(resp.Diagnostics) != 0 {
					t.Errorf("want no diagnostics, got %s", describeProtoDiags(resp.Diagnostics))
				}
				return
			}
			d := expectProtoDiag(t, resp.Diagnostics, tfprotov6.DiagnosticSeverityError, c.want)
			if d != nil && (d.Attribute == nil || !strings.HasPrefix(d.Attribute.String(), `AttributeName("`+c.attr+`")`)) {
				t.Errorf("the error points at %v, want %s", d.Attribute, c.attr)
			}
		})
	}
	if total := env.Emulator.TotalRequests(); total != 1 { // the provider's status check at ConfigureProvider
		t.Errorf("validation sent %d requests to FOG besides the status check", total-1)
	}
}

// TestTaskActionPlan: PlanAction runs the resource's plan checks: a warning
// before a deploy naming host and image, warnings for an unknown type
// (listing the valid ones), a capture onto a protected image and an unknown
// host (the server's state: serverChecksAtPlan), an error for Wake-Up
// without wol; with values known only at apply, nothing is refused. Plans
// only read.
func TestTaskActionPlan(t *testing.T) {
	t.Parallel()
	env := newProtocolEnv(t, nil)
	win10 := env.seedImage(t, "win10", false)
	gold := env.seedImage(t, "gold", true)
	lab1 := env.seedHost(t, "lab1", win10)
	lab2 := env.seedHost(t, "lab2", gold)

	for _, c := range []struct {
		name  string
		set   map[string]tftypes.Value
		sev   tfprotov6.DiagnosticSeverity
		parts []string
	}{
		{"deploy warns", map[string]tftypes.Value{"host_id": num(lab1), "type": str("deploy")},
			tfprotov6.DiagnosticSeverityWarning, []string{"Deploy overwrites the host's disk", `host "lab1"`, `"win10"`}},
		{"unknown type", map[string]tftypes.Value{"host_id": num(lab1), "type": str("Deploy Now")},
			tfprotov6.DiagnosticSeverityWarning, []string{"Unknown task type", `"Deploy Now" is not a task type`, `"Deploy" (1)`}},
		{"protected capture", map[string]tftypes.Value{"host_id": num(lab2), "type": str("Capture")},
			tfprotov6.DiagnosticSeverityWarning, []string{"Image is protected", `"gold"`, `host "lab2"`}},
		{"wake-up without wol", map[string]tftypes.Value{"host_id": num(lab1), "type": str("Wake-Up")},
			tfprotov6.DiagnosticSeverityError, []string{"Task would do nothing useful", "set wol = true"}},
		{"unknown host", map[string]tftypes.Value{"host_id": num(9999), "type": str("Deploy")},
			tfprotov6.DiagnosticSeverityWarning, []string{"Unknown host", "no host with id 9999"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			resp, err := env.Server.PlanAction(context.Background(), &tfprotov6.PlanActionRequest{
				ActionType: taskActionType, Config: env.taskActionConfig(t, c.set),
			})
			if err != nil {
				t.Fatal(err)
			}
			expectProtoDiag(t, resp.Diagnostics, c.sev, c.parts...)
			if c.sev == tfprotov6.DiagnosticSeverityWarning && countProtoDiags(resp.Diagnostics, tfprotov6.DiagnosticSeverityError) > 0 {
				t.Errorf("unexpected errors: %s", describeProtoDiags(resp.Diagnostics))
			}
		})
	}
	t.Run("unknown at plan time", func(t *testing.T) {
		resp, err := env.Server.PlanAction(context.Background(), &tfprotov6.PlanActionRequest{
			ActionType: taskActionType, Config: env.taskActionConfig(t, map[string]tftypes.Value{"host_id": unknownNumber(), "type": str("Capture")}),
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(resp.Diagnostics) != 0 {
			t.Errorf("want no diagnostics while host_id is unknown, got %s", describeProtoDiags(resp.Diagnostics))
		}
	})
	env.expectRequests(t, routeCreateTask, 0)
	env.expectTaskStates(t, lab1)
	env.expectTaskStates(t, lab2)
}

// TestTaskActionInvoke_waitReportsProgress: with wait_for_completion the
// action creates one task and reports every new state and percent the host
// reports, up to complete; nothing is cancelled.
func TestTaskActionInvoke_waitReportsProgress(t *testing.T) {
	t.Parallel()
	env := newProtocolEnv(t, advanceAfterEachPoll(t))
	host := env.seedHost(t, "lab1", env.seedImage(t, "win10", false))

	run := env.invoke(t, env.taskActionConfig(t, map[string]tftypes.Value{
		"host_id": num(host), "type": str("deploy"), "wait_for_completion": boolean(true),
	}), nil)

	expectNoProtoErrors(t, "InvokeAction", run.Diags)
	if len(run.Diags) != 0 {
		t.Errorf("want no diagnostics, got %s", describeProtoDiags(run.Diags))
	}
	tasks := env.hostTasks(t, host)
	if len(tasks) != 1 {
		t.Fatalf("want one task, got %+v", tasks)
	}
	prefix := fmt.Sprintf(`Deploy task %d for host "lab1": `, tasks[0].ID)
	want := []string{"Created " + prefix + "queued, 0%"}
	for _, p := range []string{"in_progress, 0%", "in_progress, 25%", "in_progress, 50%", "in_progress, 75%", "complete, 100%"} {
		want = append(want, prefix+p)
	}
	if !slices.Equal(run.Progress, want) {
		t.Errorf("progress:\n  %s\nwant:\n  %s", strings.Join(run.Progress, "\n  "), strings.Join(want, "\n  "))
	}
	env.expectTaskStates(t, host, fogclient.TaskStateComplete)
	env.expectRequests(t, routeCreateTask, 1)
	env.expectRequests(t, routeCancelTask, 0)
}

// TestTaskActionInvoke_noWait: without wait_for_completion the action ends
// once the task is queued, with one progress message.
func TestTaskActionInvoke_noWait(t *testing.T) {
	t.Parallel()
	env := newProtocolEnv(t, nil)
	host := env.seedHost(t, "lab1", env.seedImage(t, "win10", false))

	run := env.invoke(t, env.taskActionConfig(t, map[string]tftypes.Value{
		"host_id": num(host), "type": str("Deploy"), "task_name": str("nightly"), "shutdown": boolean(true),
		"wait_for_completion": boolean(false),
	}), nil)

	if len(run.Diags) != 0 {
		t.Errorf("want no diagnostics, got %s", describeProtoDiags(run.Diags))
	}
	tasks := env.hostTasks(t, host)
	if len(tasks) != 1 || tasks[0].StateID != fogclient.TaskStateQueued || !tasks[0].Shutdown || !strings.HasPrefix(tasks[0].Name, "nightly") {
		t.Fatalf("want one queued task named nightly with shutdown, got %+v", tasks)
	}
	want := []string{fmt.Sprintf(`Created Deploy task %d for host "lab1": queued, 0%%`, tasks[0].ID)}
	if !slices.Equal(run.Progress, want) {
		t.Errorf("progress %q, want %q", run.Progress, want)
	}
	env.expectRequests(t, routeCreateTask, 1)
}

// TestTaskActionInvoke_adoptsSameType: the host already has a queued deploy
// made outside Terraform. The action adopts it with a warning instead of
// starting a second deploy, and a failed wait leaves it alone.
func TestTaskActionInvoke_adoptsSameType(t *testing.T) {
	t.Parallel()
	env := newProtocolEnv(t, nil)
	host := env.seedHost(t, "lab1", env.seedImage(t, "win10", false))
	outside := env.queueTask(t, host, fogclient.TaskTypeDeploy)

	run := env.invoke(t, env.taskActionConfig(t, map[string]tftypes.Value{
		"host_id": num(host), "type": str("Deploy"), "wait_for_completion": boolean(true), "timeouts": env.invokeTimeout(t, "200ms"),
	}), nil)

	expectProtoDiag(t, run.Diags, tfprotov6.DiagnosticSeverityWarning, "Adopted an existing task", `Host "lab1"`,
		fmt.Sprintf("id %d", outside.ID), "created outside this action", "never cancels a task it adopted")
	expectProtoDiag(t, run.Diags, tfprotov6.DiagnosticSeverityError, "Task did not complete",
		"was still queued when timeouts.invoke (200ms) ran out", "adopted, not started by this action, so it was left as it is")
	if len(run.Progress) != 1 || run.Progress[0] != fmt.Sprintf(`Adopted the host's active Deploy task %d for host "lab1": queued, 0%%`, outside.ID) {
		t.Errorf("progress %q", run.Progress)
	}
	env.expectTaskStates(t, host, fogclient.TaskStateQueued)
	env.expectRequests(t, routeCreateTask, 1) // the one made outside
	env.expectRequests(t, routeCancelTask, 0)
}

// TestTaskActionInvoke_refusals: every refusal of the resource, with the
// same messages, and no task created: another active task on the host, a
// host without the image image_id names, a capture onto a protected image
// (checked again at apply), and Single Snapin.
func TestTaskActionInvoke_refusals(t *testing.T) {
	t.Parallel()
	env := newProtocolEnv(t, nil)
	win10 := env.seedImage(t, "win10", false)
	other := env.seedImage(t, "other", false)
	gold := env.seedImage(t, "gold", true)
	busy := env.seedHost(t, "busy", win10)
	inventory := env.queueTask(t, busy, 10) // Hardware Inventory
	lab1 := env.seedHost(t, "lab1", win10)
	lab2 := env.seedHost(t, "lab2", gold)

	for _, c := range []struct {
		name  string
		set   map[string]tftypes.Value
		parts []string
	}{
		{"another active task", map[string]tftypes.Value{"host_id": num(busy), "type": str("Deploy")},
			[]string{"Unable to create", `Host "busy" already has another active task`, fmt.Sprintf("id %d, type Hardware Inventory", inventory.ID)}},
		{"image_id mismatch", map[string]tftypes.Value{"host_id": num(lab1), "type": str("Deploy"), "image_id": num(other)},
			[]string{fmt.Sprintf("image_id is %d, but the host has image", other), `"win10"`}},
		{"protected capture", map[string]tftypes.Value{"host_id": num(lab2), "type": str("Capture")},
			[]string{"is protected", "would overwrite the protected image"}},
		{"single snapin", map[string]tftypes.Value{"host_id": num(lab1), "type": str("Single Snapin")},
			[]string{"needs the snapin to deploy"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			run := env.invoke(t, env.taskActionConfig(t, c.set), nil)
			expectProtoDiag(t, run.Diags, tfprotov6.DiagnosticSeverityError, c.parts...)
			if len(run.Progress) != 0 {
				t.Errorf("progress %q for a refused task", run.Progress)
			}
		})
	}
	env.expectRequests(t, routeCreateTask, 1) // the inventory made outside
	env.expectTaskStates(t, busy, fogclient.TaskStateQueued)
	env.expectTaskStates(t, lab1)
	env.expectTaskStates(t, lab2)
}

// TestTaskActionInvoke_wakeUp: FOG sends the packet and keeps no task; the
// action says so and has nothing to wait for.
func TestTaskActionInvoke_wakeUp(t *testing.T) {
	t.Parallel()
	env := newProtocolEnv(t, nil)
	host := env.seedHost(t, "lab1", 0)

	run := env.invoke(t, env.taskActionConfig(t, map[string]tftypes.Value{
		"host_id": num(host), "type": str("WakeUp"), "wol": boolean(true), "wait_for_completion": boolean(true),
	}), nil)

	if len(run.Diags) != 0 {
		t.Errorf("want no diagnostics, got %s", describeProtoDiags(run.Diags))
	}
	want := []string{fmt.Sprintf("Sent a Wake-Up to host %d: FOG sent the Wake-on-LAN packet and keeps no task to follow.", host)}
	if !slices.Equal(run.Progress, want) {
		t.Errorf("progress %q, want %q", run.Progress, want)
	}
	if n := env.Emulator.WakeOnLANSent(); n != 1 {
		t.Errorf("%d Wake-on-LAN packets, want 1", n)
	}
	env.expectRequests(t, routeCreateTask, 1)
	env.expectTaskStates(t, host)
}

// TestTaskActionInvoke_timeoutCancelsQueuedTask: the host never boots; at
// timeouts.invoke the action cancels its still-queued task (so nothing runs
// later by surprise) and says so.
func TestTaskActionInvoke_timeoutCancelsQueuedTask(t *testing.T) {
	t.Parallel()
	env := newProtocolEnv(t, nil)
	host := env.seedHost(t, "lab1", env.seedImage(t, "win10", false))

	run := env.invoke(t, env.taskActionConfig(t, map[string]tftypes.Value{
		"host_id": num(host), "type": str("Deploy"), "wait_for_completion": boolean(true), "timeouts": env.invokeTimeout(t, "200ms"),
	}), nil)

	expectProtoDiag(t, run.Diags, tfprotov6.DiagnosticSeverityError, "Task did not complete",
		`for host "lab1" was still queued when timeouts.invoke (200ms) ran out`, "had not started on the host, so the action cancelled it")
	env.expectTaskStates(t, host, fogclient.TaskStateCancelled)
	env.expectRequests(t, routeCreateTask, 1)
	env.expectRequests(t, routeCancelTask, 1)
}

// TestTaskActionInvoke_interruptCancelsQueuedTask: Ctrl-C (StopProvider)
// while the task is queued cancels it; no progress is sent after the
// interruption, and the stream still ends with the completed event.
func TestTaskActionInvoke_interruptCancelsQueuedTask(t *testing.T) {
	t.Parallel()
	env := newProtocolEnv(t, nil)
	host := env.seedHost(t, "lab1", env.seedImage(t, "win10", false))

	run := env.invoke(t, env.taskActionConfig(t, map[string]tftypes.Value{
		"host_id": num(host), "type": str("Deploy"), "wait_for_completion": boolean(true),
	}), func(string) { env.stop(t) })

	expectProtoDiag(t, run.Diags, tfprotov6.DiagnosticSeverityError, "Task did not complete",
		"was still queued when the apply was interrupted", "so the action cancelled it")
	if len(run.Progress) != 1 {
		t.Errorf("progress %q: want only the message before the interruption", run.Progress)
	}
	env.expectTaskStates(t, host, fogclient.TaskStateCancelled)
	env.expectRequests(t, routeCancelTask, 1)
}

// TestTaskActionInvoke_interruptLeavesImagingTask: once the host is imaging,
// an interruption never cancels the task (a half-written disk is worse).
func TestTaskActionInvoke_interruptLeavesImagingTask(t *testing.T) {
	t.Parallel()
	env := newProtocolEnv(t, checkInAtFirstPoll(t))
	host := env.seedHost(t, "lab1", env.seedImage(t, "win10", false))

	run := env.invoke(t, env.taskActionConfig(t, map[string]tftypes.Value{
		"host_id": num(host), "type": str("Deploy"), "wait_for_completion": boolean(true),
	}), func(msg string) {
		if strings.HasSuffix(msg, "in_progress, 0%") {
			env.stop(t)
		}
	})

	expectProtoDiag(t, run.Diags, tfprotov6.DiagnosticSeverityError, "Task did not complete",
		"was still in_progress when the apply was interrupted", "had started imaging, so it was not cancelled")
	env.expectTaskStates(t, host, fogclient.TaskStateInProgress)
	env.expectRequests(t, routeCancelTask, 0)
}

// TestTaskActionInvoke_cancelledOrDeletedInFOG: a task cancelled in FOG's UI,
// or deleted with its host, while the action waits is an error naming what
// happened, and the action sends no cancel of its own.
func TestTaskActionInvoke_cancelledOrDeletedInFOG(t *testing.T) {
	t.Parallel()
	env := newProtocolEnv(t, nil)
	img := env.seedImage(t, "win10", false)
	for i, c := range []struct {
		name    string
		outside func(t *testing.T, hostID, taskID int64)
		want    string
	}{
		{"cancelled", func(t *testing.T, _, taskID int64) {
			if err := env.Client.CancelTask(context.Background(), taskID); err != nil {
				t.Errorf("cancel outside: %v", err)
			}
		}, "was cancelled in FOG before it completed"},
		{"host deleted", func(t *testing.T, hostID, _ int64) {
			if err := env.Client.DeleteHost(context.Background(), hostID); err != nil {
				t.Errorf("delete host outside: %v", err)
			}
		}, "was deleted from FOG before it completed"},
	} {
		t.Run(c.name, func(t *testing.T) {
			host := env.seedHost(t, fmt.Sprintf("lab%d", i), img)
			cancels := env.Emulator.Count(routeCancelTask)
			run := env.invoke(t, env.taskActionConfig(t, map[string]tftypes.Value{
				"host_id": num(host), "type": str("Deploy"), "wait_for_completion": boolean(true),
			}), func(msg string) {
				if id := taskIDIn(msg); id > 0 {
					c.outside(t, host, id)
				}
			})
			expectProtoDiag(t, run.Diags, tfprotov6.DiagnosticSeverityError, "Task did not complete", c.want)
			if c.name == "cancelled" && env.Emulator.Count(routeCancelTask) != cancels+1 {
				t.Errorf("want only the cancel made outside, got %d", env.Emulator.Count(routeCancelTask)-cancels)
			}
		})
	}
}

var progressTaskID = regexp.MustCompile(`^Created \S+ task ([0-9]+) `)

// taskIDIn returns the task id of a "Created ..." progress message, or 0.
func taskIDIn(msg string) int64 {
	m := progressTaskID.FindStringSubmatch(msg)
	if m == nil {
		return 0
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

// TestCancelIfNotStarted: the clean-up after a failed wait reads the task
// again and cancels it only while it has not started imaging.
func TestCancelIfNotStarted(t *testing.T) {
	t.Parallel()
	env := newProtocolEnv(t, nil)
	img := env.seedImage(t, "win10", false)
	ctx := context.Background()

	for i, c := range []struct {
		name          string
		before        func(t *testing.T, task *fogclient.Task)
		wantCancelled bool
		wantState     int64 // 0: the task is gone
	}{
		{"queued", func(*testing.T, *fogclient.Task) {}, true, fogclient.TaskStateCancelled},
		{"checked in since the last poll", func(t *testing.T, task *fogclient.Task) {
			mustEmulator(t, "check in", env.Emulator.CheckInTask(task.ID))
		}, false, fogclient.TaskStateInProgress},
		{"completed", func(t *testing.T, task *fogclient.Task) {
			mustEmulator(t, "complete", env.Emulator.CompleteTask(task.ID))
		}, false, fogclient.TaskStateComplete},
		{"host deleted", func(t *testing.T, task *fogclient.Task) {
			if err := env.Client.DeleteHost(ctx, task.HostID); err != nil {
				t.Fatal(err)
			}
		}, false, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			host := env.seedHost(t, fmt.Sprintf("host%d", i), img)
			task := env.queueTask(t, host, fogclient.TaskTypeDeploy)
			c.before(t, task)
			cancels := env.Emulator.Count(routeCancelTask)

			_, cancelled, err := cancelIfNotStarted(ctx, env.Client, task)
			if err != nil || cancelled != c.wantCancelled {
				t.Fatalf("cancelled %v, %v; want %v", cancelled, err, c.wantCancelled)
			}
			wantCancels := int64(0)
			if c.wantCancelled {
				wantCancels = 1
			}
			if got := env.Emulator.Count(routeCancelTask) - cancels; got != wantCancels {
				t.Errorf("%d cancel requests, want %d", got, wantCancels)
			}
			if c.wantState == 0 {
				env.expectTaskStates(t, host)
			} else {
				env.expectTaskStates(t, host, c.wantState)
			}
		})
	}
}

// TestAccTaskAction_actionTrigger: an action_trigger runs the fog_task
// action after the resource it hangs on is created or updated, and the
// action waits for the deploy to complete; an apply without changes starts
// nothing. Terraform 1.14+ only: our CI's CLIs skip it, and that skip is
// not a pass; the TestTaskAction* tests cover the action through its RPCs.
// (terraform-plugin-testing has no step for `terraform apply -invoke`.)
func TestAccTaskAction_actionTrigger(t *testing.T) {
	env := newAccEnv(t, withEmulatorOptions(func(o *fogtest.Options) { o.AutoProgress = fogtest.AutoProgress{EveryPolls: 1} }))
	skipUnlessEmulator(t, env, "the deploy must complete, which takes a host that boots from the network")
	host, _ := env.hostWithImage(t, false)
	config := func(version string) string {
		return env.Config(fmt.Sprintf(`
action "fog_task" "deploy" {
  config {
    host_id             = %d
    type                = "Deploy"
    wait_for_completion = true
    timeouts {
      invoke = "2m"
    }
  }
}

resource "terraform_data" "image_version" {
  input = %q

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.fog_task.deploy]
    }
  }
}
`, host.ID, version))
	}

	accParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config("v1"),
				ConfigStateChecks: []statecheck.StateCheck{
					env.expectTaskStates(t, host.ID, fogclient.TaskStateComplete),
					env.expectRequests(routeCreateTask, 1),
				},
			},
			{
				Config: config("v2"),
				ConfigStateChecks: []statecheck.StateCheck{
					env.expectTaskStates(t, host.ID, fogclient.TaskStateComplete, fogclient.TaskStateComplete),
					env.expectRequests(routeCreateTask, 2),
				},
			},
			{
				Config: config("v2"),
				ConfigStateChecks: []statecheck.StateCheck{
					env.expectRequests(routeCreateTask, 2),
				},
			},
		},
	})
}

const taskActionExample = "../../examples/actions/fog_task/action.tf"

// TestTaskActionExample: the documented example's action config uses the
// action's arguments, all required ones included (TestAccTaskAction_example
// applies it with a CLI that has actions).
func TestTaskActionExample(t *testing.T) {
	t.Parallel()
	env := newProtocolEnv(t, nil)
	action := exampleBlock(t, taskActionExample, "action", "fog_task", "deploy_lab01")
	if len(action.Blocks) != 1 || action.Blocks[0].Type != "config" {
		t.Fatalf("the example's action has no single config block")
	}
	expectBodyFitsSchema(t, "action.fog_task.deploy_lab01.config", action.Blocks[0].Body, env.taskActionSchema(t).Block)
}

// TestAccTaskAction_example: the documented example applies as written: the
// assignment's creation triggers the deploy, which the action follows to
// completion; re-applying starts nothing. Terraform 1.14+ only: our CI's
// CLIs skip it, and that skip is not a pass.
func TestAccTaskAction_example(t *testing.T) {
	env := newAccEnv(t, withEmulatorOptions(func(o *fogtest.Options) { o.AutoProgress = fogtest.AutoProgress{EveryPolls: 1} }))
	skipUnlessEmulator(t, env, "the example uses a fixed host id and image name")
	example, err := os.ReadFile(taskActionExample)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 12; i++ { // the example's host is 12
		if _, err := env.Emulator.SeedHost(fmt.Sprintf("lab%02d", i), 0, fmt.Sprintf("02:00:00:00:00:%02x", i)); err != nil {
			t.Fatal(err)
		}
	}
	config := env.Config(string(example))
	accParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					env.expectTaskStates(t, 12, fogclient.TaskStateComplete),
					env.expectRequests(routeCreateTask, 1),
				},
			},
			{
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					env.expectRequests(routeCreateTask, 1),
				},
			},
		},
	})
}
