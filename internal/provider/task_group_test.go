// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

// fog_task with group_id, through the resource's methods against the
// emulator (taskHarness): what a group deploy costs, what it records, what
// refresh and destroy do with it, and the action's progress.

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
	"github.com/fogproject/terraform-provider-fog/internal/fogtest"
)

// seedGroup makes a group of n hosts with image, through the client, as
// FOG's UI would (the harness's writes happen before any plan).
func (h *taskHarness) seedGroup(t *testing.T, n int, imageID int64) (int64, []int64) {
	t.Helper()
	ctx := context.Background()
	g, err := h.client.CreateGroup(ctx, fogclient.GroupCreate{Name: fmt.Sprintf("Lab-%d", n)})
	if err != nil {
		t.Fatal(err)
	}
	var hosts []int64
	for i := 0; i < n; i++ {
		hosts = append(hosts, h.seedHost(t, fmt.Sprintf("lab%02d", i), imageID, randomMAC()))
	}
	if _, err := h.client.SetGroupMembers(ctx, g.ID, hosts); err != nil {
		t.Fatal(err)
	}
	return g.ID, hosts
}

// plannedGroup is the plan of a new fog_task for a group.
func plannedGroup(groupID int64, taskType string, mod ...func(*taskModel)) taskModel {
	m := planned(0, taskType, mod...)
	m.HostID, m.GroupID = types.Int64Null(), types.Int64Value(groupID)
	return m
}

// TestGroupDeployRequests: starting a deploy of a group sends one task
// POST, and the reads around it do not grow with the members. Prints the
// figure for 30 members.
func TestGroupDeployRequests(t *testing.T) {
	counts := map[int]int64{}
	for _, n := range []int{3, 30} {
		h := newTaskHarness(t)
		img := h.seedImage(t, "win11", false)
		g, hosts := h.seedGroup(t, n, img)
		h.srv.ResetCounters()
		resp, got := h.create(t, plannedGroup(g, "Deploy"))
		if resp.Diagnostics.HasError() {
			t.Fatalf("create: %v", resp.Diagnostics)
		}
		if ids := int64sOfList(got.TaskIDs); len(ids) != n || got.State.ValueString() != "queued" || !got.SessionID.IsNull() {
			t.Errorf("state: %d task ids, %s, session %s", len(ids), got.State, got.SessionID)
		}
		if !strings.HasPrefix(got.ID.ValueString(), fmt.Sprintf("group-%d-", g)) || !got.HostID.IsNull() {
			t.Errorf("id %s, host_id %s", got.ID, got.HostID)
		}
		if posts := h.srv.Count("POST /fog/group/{id}/task") + h.srv.Count(routeCreateTask); posts != 1 {
			t.Errorf("%d members: %d task POSTs, want 1", n, posts)
		}
		counts[n] = h.srv.TotalRequests()
		for _, host := range hosts {
			if tasks, _ := h.client.ActiveTasksForHost(context.Background(), host); len(tasks) != 1 || tasks[0].ImageID != img {
				t.Errorf("host %d: %+v", host, tasks)
			}
		}
	}
	fmt.Printf("group_deploy_requests members=30: %d\n", counts[30])
	if counts[30] != counts[3] || counts[30] > 10 {
		t.Errorf("requests %d for 3 members, %d for 30: want the same small number", counts[3], counts[30])
	}
}

// TestGroupTaskReadAndDestroy: refresh summarises the tasks (the least
// advanced state, the mean percent) with one request for the finished ones;
// destroy cancels the tasks that have not started and leaves the others.
func TestGroupTaskReadAndDestroy(t *testing.T) {
	h := newTaskHarness(t)
	img := h.seedImage(t, "win11", false)
	g, _ := h.seedGroup(t, 3, img)
	resp, st := h.create(t, plannedGroup(g, "Deploy"))
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	ids := int64sOfList(st.TaskIDs)
	mustEmulator(t, "complete", h.srv.CompleteTask(ids[0]))
	mustEmulator(t, "start", h.srv.AdvanceTask(ids[1]))
	mustEmulator(t, "start", h.srv.AdvanceTask(ids[1]))

	read := h.read(t, st)
	var now taskModel
	read.Diagnostics.Append(read.State.Get(context.Background(), &now)...)
	if read.Diagnostics.HasError() {
		t.Fatal(read.Diagnostics)
	}
	if now.State.ValueString() != "queued" || !now.StateID.IsNull() {
		t.Errorf("state %s (%s), want queued: the least advanced task", now.State, now.StateID)
	}

	del := h.delete(t, now)
	if del.Diagnostics.HasError() {
		t.Fatal(del.Diagnostics)
	}
	expectDiag(t, del.Diagnostics, diag.SeverityWarning, "were not cancelled", "already imaging their hosts")
	want := map[int64]int64{ids[0]: fogclient.TaskStateComplete, ids[1]: fogclient.TaskStateInProgress, ids[2]: fogclient.TaskStateCancelled}
	for id, state := range want {
		if got, _ := h.srv.RawField("task", id, "stateID"); got != strconv.FormatInt(state, 10) {
			t.Errorf("task %d state %s, want %d", id, got, state)
		}
	}
}

// TestGroupMulticastDestroy: the session is cancelled (with every member's
// task) only while no member has checked in.
func TestGroupMulticastDestroy(t *testing.T) {
	for _, checkedIn := range []bool{false, true} {
		t.Run(fmt.Sprintf("checked in %v", checkedIn), func(t *testing.T) {
			h := newTaskHarness(t)
			img := h.seedImage(t, "win11", false)
			g, _ := h.seedGroup(t, 3, img)
			resp, st := h.create(t, plannedGroup(g, "Multi-Cast"))
			if resp.Diagnostics.HasError() {
				t.Fatal(resp.Diagnostics)
			}
			session := st.SessionID.ValueInt64()
			if session == 0 {
				t.Fatal("no session recorded")
			}
			ids := int64sOfList(st.TaskIDs)
			if checkedIn {
				mustEmulator(t, "check in", h.srv.CheckInTask(ids[0]))
			}
			del := h.delete(t, st)
			if del.Diagnostics.HasError() {
				t.Fatal(del.Diagnostics)
			}
			sessions, _ := h.client.ActiveMulticastSessions(context.Background())
			if checkedIn {
				expectDiag(t, del.Diagnostics, diag.SeverityWarning, "checked in to the multicast session")
				if len(sessions) != 1 {
					t.Errorf("sessions %+v, want the session left running", sessions)
				}
				return
			}
			if len(sessions) != 0 {
				t.Errorf("sessions %+v, want none", sessions)
			}
			for _, id := range ids {
				if got, _ := h.srv.RawField("task", id, "stateID"); got != "5" {
					t.Errorf("task %d state %s, want 5", id, got)
				}
			}
		})
	}
}

// TestGroupTaskWaitForCompletion: wait_for_completion waits for every
// member's task.
func TestGroupTaskWaitForCompletion(t *testing.T) {
	h := newTaskHarness(t)
	img := h.seedImage(t, "win11", false)
	g, _ := h.seedGroup(t, 3, img)
	h.srv.SetAutoProgress(fogtest.AutoProgress{EveryPolls: 1})
	resp, st := h.create(t, plannedGroup(g, "Deploy", func(m *taskModel) { m.WaitForCompletion = types.BoolValue(true) }))
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	if st.State.ValueString() != "complete" || st.Percent.ValueInt64() != 100 {
		t.Errorf("state %s, percent %s", st.State, st.Percent)
	}
}

// TestTaskActionGroupProgress: the action reports a group's progress as
// counts per state and the mean percent.
func TestTaskActionGroupProgress(t *testing.T) {
	env := newProtocolEnv(t, nil)
	img := env.seedImage(t, "win11", false)
	g, err := env.Client.CreateGroup(context.Background(), fogclient.GroupCreate{Name: "Lab-A"})
	if err != nil {
		t.Fatal(err)
	}
	var hosts []int64
	for i := 0; i < 3; i++ {
		hosts = append(hosts, env.seedHost(t, fmt.Sprintf("lab%02d", i), img))
	}
	if _, err := env.Client.SetGroupMembers(context.Background(), g.ID, hosts); err != nil {
		t.Fatal(err)
	}
	env.Emulator.SetAutoProgress(fogtest.AutoProgress{EveryPolls: 1})
	var lines []string
	run := env.invoke(t, env.taskActionConfig(t, map[string]tftypes.Value{
		"group_id": num(g.ID), "type": str("Deploy"), "wait_for_completion": boolean(true),
	}), func(msg string) { lines = append(lines, msg) })
	expectNoProtoErrors(t, "InvokeAction", run.Diags)
	if len(lines) < 2 || !strings.Contains(lines[0], "Created 3 Deploy tasks for group") ||
		!strings.Contains(lines[len(lines)-1], "3 complete; 100% on average") {
		t.Errorf("progress %q", lines)
	}
}

// TestGroupTaskModifyPlan: what the server shows is a warning at plan (the
// apply refuses it before any write), what the configuration shows an error.
func TestGroupTaskModifyPlan(t *testing.T) {
	h := newTaskHarness(t)
	img := h.seedImage(t, "win11", false)
	g, hosts := h.seedGroup(t, 2, img)
	h.queueTask(t, hosts[0], 10) // Hardware Inventory
	// The harness's own writes would make the plan look like an apply's.
	h.r.data = newProviderData(h.client, "http://fog.test")

	resp, plan := h.modifyPlan(t, plannedGroup(g, "Deploy"), nil)
	if resp.Diagnostics.HasError() {
		t.Fatalf("errors at plan: %v", resp.Diagnostics)
	}
	expectDiag(t, resp.Diagnostics, diag.SeverityWarning, "already has an active task", "phantom task for host 0",
		"The apply will stop with this error")
	expectDiag(t, resp.Diagnostics, diag.SeverityWarning, "Deploy overwrites the disks of the group's hosts", "its 2 hosts")
	if plan.TypeID.ValueInt64() != fogclient.TaskTypeDeploy {
		t.Errorf("type_id %s", plan.TypeID)
	}

	resp, _ = h.modifyPlan(t, plannedGroup(g, "Capture"), nil)
	expectDiag(t, resp.Diagnostics, diag.SeverityError, "Task type refused for a group", "creates nothing")
	if n := h.srv.Count("POST /fog/group/{id}/task"); n != 0 {
		t.Errorf("%d task POSTs at plan", n)
	}
}

func TestDecideGroupDestroy(t *testing.T) {
	task := func(id, state int64) *fogclient.Task { return &fogclient.Task{ID: id, StateID: state} }
	for _, c := range []struct {
		name    string
		tasks   []*fogclient.Task
		session int64
		cancel  bool
		want    groupDestroy
	}{
		{"nothing active", []*fogclient.Task{task(1, 4), nil}, 0, true, groupDestroy{}},
		{"cancel_on_destroy off", []*fogclient.Task{task(1, 1)}, 0, false, groupDestroy{}},
		{"unicast", []*fogclient.Task{task(1, 1), task(2, 2), task(3, 3), task(4, 4)}, 0, true,
			groupDestroy{cancel: []int64{1, 2}, leave: []*fogclient.Task{task(3, 3)}}},
		{"multicast, none checked in", []*fogclient.Task{task(1, 1), task(2, 1), task(3, 5)}, 9, true, groupDestroy{cancelSession: true}},
		{"multicast, one checked in", []*fogclient.Task{task(1, 1), task(2, 2)}, 9, true,
			groupDestroy{leave: []*fogclient.Task{task(1, 1), task(2, 2)}}},
	} {
		got := decideGroupDestroy(c.tasks, c.session, c.cancel)
		if fmt.Sprint(got.cancelSession, got.cancel, len(got.leave)) != fmt.Sprint(c.want.cancelSession, c.want.cancel, len(c.want.leave)) {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
}

func TestGroupTaskState(t *testing.T) {
	task := func(state, pct int64) *fogclient.Task { return &fogclient.Task{StateID: state, Percent: pct} }
	for _, c := range []struct {
		tasks []*fogclient.Task
		state string
		pct   int64
	}{
		{[]*fogclient.Task{task(4, 100), task(3, 50), task(1, 0)}, "queued", 50},
		{[]*fogclient.Task{task(4, 100), task(4, 100)}, "complete", 100},
		{[]*fogclient.Task{task(4, 100), task(5, 10)}, "cancelled", 55},
		{[]*fogclient.Task{task(4, 100), nil}, "purged", 50},
		{nil, "sent", 0},
	} {
		st, pct := groupTaskState(c.tasks)
		if st != c.state || pct != c.pct {
			t.Errorf("%v: %s %d, want %s %d", c.tasks, st, pct, c.state, c.pct)
		}
	}
	if got := groupProgress([]*fogclient.Task{task(4, 100), task(1, 0), task(1, 0), nil}); got != "2 queued, 1 complete, 1 purged; 25% on average" {
		t.Errorf("progress %q", got)
	}
}

// TestAccTask_group: a deploy of a group created by the same configuration
// (one task per member, by host id), its refresh, and a destroy that
// cancels the tasks that have not started.
func TestAccTask_group(t *testing.T) {
	env := newAccEnv(t)
	img := env.CreateImage(t, fogclient.ImageCreate{Name: uniqueImageName("grp")})
	h1 := env.CreateHost(t, fogclient.HostCreate{ImageID: img.ID})
	h2 := env.CreateHost(t, fogclient.HostCreate{ImageID: img.ID})
	group := groupConfig(uniqueGroupName("deploy"), hostIDsHCL(h1.ID, h2.ID))
	task := `
resource "fog_task" "test" {
  group_id  = fog_group.test.id
  type      = "Deploy"
  task_name = "nightly"
}
`
	var taskIDs []int64
	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.Config(group, task),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testTaskAddr, tfjsonpath.New("state"), knownvalue.StringExact("queued")),
					statecheck.ExpectKnownValue(testTaskAddr, tfjsonpath.New("type_id"), knownvalue.Int64Exact(1)),
					statecheck.ExpectKnownValue(testTaskAddr, tfjsonpath.New("multicast_session_id"), knownvalue.Null()),
					statecheck.ExpectKnownValue(testTaskAddr, tfjsonpath.New("task_ids"), knownvalue.ListSizeExact(2)),
					statecheck.ExpectKnownValue(testTaskAddr, tfjsonpath.New("task_ids"), knownvalue.ListPartial(map[int]knownvalue.Check{
						0: knownvalue.Int64Func(func(v int64) error { taskIDs = append(taskIDs[:0], v); return nil }),
						1: knownvalue.Int64Func(func(v int64) error { taskIDs = append(taskIDs, v); return nil }),
					})),
					stateCheckFunc(func() error {
						for i, host := range []int64{h1.ID, h2.ID} {
							got := env.onlyTaskOf(t, host)
							if got.ID != taskIDs[i] || got.Name != "nightly - "+groupNameOf(group) || got.ImageID != img.ID {
								return fmt.Errorf("host %d has %+v, want task %d", host, got, taskIDs[i])
							}
						}
						return nil
					}),
				},
			},
			{
				// Nothing changes on a second plan: the tasks are not started again.
				Config:   env.Config(group, task),
				PlanOnly: true,
			},
			{
				Config: env.Config(group),
				ConfigStateChecks: []statecheck.StateCheck{
					env.expectTaskStates(t, h1.ID, fogclient.TaskStateCancelled),
					env.expectTaskStates(t, h2.ID, fogclient.TaskStateCancelled),
				},
			},
		},
	})
}

// groupNameOf returns the name in a groupConfig.
func groupNameOf(hcl string) string {
	_, rest, _ := strings.Cut(hcl, "name = \"")
	name, _, _ := strings.Cut(rest, "\"")
	return name
}

// TestAccGroup_example: the lab example of fog_group's page (hosts from a
// for_each, a group, a multicast deploy) applies as written, but for the
// for_each: terraform-plugin-testing cannot read back a state whose
// resources have string keys, so the hosts are made with count over the
// same map.
func TestAccGroup_example(t *testing.T) {
	env := newAccEnv(t)
	skipUnlessEmulator(t, env, "the example's names and MAC addresses are fixed")
	env.Emulator.SetAutoProgress(fogtest.AutoProgress{})
	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.Config(withCountForEach(t, exampleConfig(t, "resources/fog_group/resource.tf"))),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("fog_group.lab_a", tfjsonpath.New("host_count"), knownvalue.Int64Exact(3)),
				statecheck.ExpectKnownValue("fog_task.lab_a_deploy", tfjsonpath.New("task_ids"), knownvalue.ListSizeExact(3)),
				statecheck.ExpectKnownValue("fog_task.lab_a_deploy", tfjsonpath.New("multicast_session_id"), knownvalue.NotNull()),
				statecheck.ExpectKnownValue("fog_task.lab_a_deploy", tfjsonpath.New("state"), knownvalue.StringExact("queued")),
			},
		}},
	})
	// The destroy cancelled the session, and with it every member's task.
	if n := env.Emulator.Count("DELETE /fog/multicastsession/{id}/cancel"); n != 1 {
		t.Errorf("%d session cancels, want 1", n)
	}
}

// withCountForEach rewrites the example's fog_host for_each over a map into
// count over its keys (sorted, as for_each orders them).
func withCountForEach(t *testing.T, hcl string) string {
	t.Helper()
	old := "  for_each = local.lab_a\n  name     = each.key\n  macs     = [each.value]\n"
	if !strings.Contains(hcl, old) {
		t.Fatalf("the example no longer has the for_each this test rewrites:\n%s", hcl)
	}
	return strings.Replace(hcl, old, "  count = length(local.lab_a)\n  name  = sort(keys(local.lab_a))[count.index]\n"+
		"  macs  = [local.lab_a[sort(keys(local.lab_a))[count.index]]]\n", 1)
}

// TestAccTaskAction_group: an action_trigger runs the fog_task action for a
// group (one POST, every member's task waited for). Terraform 1.14+ only;
// TestTaskActionGroupProgress covers the action through its RPCs.
func TestAccTaskAction_group(t *testing.T) {
	env := newAccEnv(t, withEmulatorOptions(func(o *fogtest.Options) { o.AutoProgress = fogtest.AutoProgress{EveryPolls: 1} }))
	skipUnlessEmulator(t, env, "the deploy must complete, which takes hosts that boot from the network")
	img := env.CreateImage(t, fogclient.ImageCreate{Name: uniqueImageName("act")})
	h1 := env.CreateHost(t, fogclient.HostCreate{ImageID: img.ID})
	h2 := env.CreateHost(t, fogclient.HostCreate{ImageID: img.ID})
	group := env.CreateGroup(t, uniqueGroupName("action"), h1.ID, h2.ID)
	accParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.Config(fmt.Sprintf(`
action "fog_task" "deploy" {
  config {
    group_id            = %d
    type                = "Deploy"
    wait_for_completion = true
  }
}

resource "terraform_data" "image_version" {
  input = "v1"

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.fog_task.deploy]
    }
  }
}
`, group.ID)),
			ConfigStateChecks: []statecheck.StateCheck{
				env.expectTaskStates(t, h1.ID, fogclient.TaskStateComplete),
				env.expectTaskStates(t, h2.ID, fogclient.TaskStateComplete),
				env.expectRequests("POST /fog/group/{id}/task", 1),
			},
		}},
	})
}

// A group Wake-Up writes no task (recording 596), so a busy member does not
// refuse it; an empty group does.
func TestGroupTaskHazardsWakeUp(t *testing.T) {
	wake := fogclient.TaskType{ID: fogclient.TaskTypeWakeUp, Name: "Wake-Up"}
	chk := fogclient.GroupTaskCheck{
		Group: &fogclient.Group{ID: 1, Name: "lab"}, MemberIDs: []int64{1},
		Members: []fogclient.Host{{ID: 1, Name: "pc01"}}, Active: []fogclient.Task{{ID: 9, HostID: 1, TypeID: 1, StateID: 1}},
	}
	if h := groupTaskHazards(chk, wake, nil); len(h) != 0 {
		t.Errorf("wake-up with a busy member: %+v", h)
	}
	if h := groupTaskHazards(chk, fogclient.TaskType{ID: 1, Name: "Deploy"}, nil); len(h) == 0 {
		t.Error("deploy with a busy member is not refused")
	}
	chk.Members, chk.MemberIDs, chk.Active = nil, nil, nil
	if h := groupTaskHazards(chk, wake, nil); len(h) != 1 || !strings.Contains(h[0].detail, "has no members") {
		t.Errorf("wake-up of an empty group: %+v", h)
	}
}
