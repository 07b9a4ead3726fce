// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

const testScheduleAddr = "fog_scheduled_task.test"

func scheduleConfig(target, taskType, extra string) string {
	return fmt.Sprintf("resource \"fog_scheduled_task\" \"test\" {\n  %s\n  type = %q\n%s\n}\n", target, taskType, extra)
}

// scheduleOnServer checks the scheduled task as FOG has it.
func (e *accEnv) scheduleOnServer(id *string, check func(*fogclient.ScheduledTask) error) stateCheckFunc {
	return func() error {
		ctx, cancel := fixtureContext()
		defer cancel()
		n, err := strconv.ParseInt(*id, 10, 64)
		if err != nil {
			return err
		}
		st, err := e.Client.GetScheduledTask(ctx, n)
		if err != nil {
			return err
		}
		return check(st)
	}
}

// TestAccScheduledTask_lifecycle: a cron task for a host (always sent
// active), import, update to a single run, drift (deactivated, then deleted
// outside Terraform), destroy.
func TestAccScheduledTask_lifecycle(t *testing.T) {
	env := newAccEnv(t)
	host, _ := env.hostWithImage(t, false)
	target := fmt.Sprintf("host_id = %d", host.ID)
	cron := scheduleConfig(target, "deploy", `  name        = "nightly"
  description = "R&D lab"
  cron        = "0 22 * * 1-5"
  shutdown    = true`)
	runAt := time.Now().Add(72 * time.Hour).UTC().Truncate(time.Second)
	once := scheduleConfig(target, "Deploy", fmt.Sprintf("  name   = \"once\"\n  run_at = %q", runAt.Format(time.RFC3339)))
	var id string
	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.Config(cron),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testScheduleAddr, tfjsonpath.New("id"), captureString(&id)),
					statecheck.ExpectKnownValue(testScheduleAddr, tfjsonpath.New("type_id"), knownvalue.Int64Exact(1)),
					statecheck.ExpectKnownValue(testScheduleAddr, tfjsonpath.New("active"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(testScheduleAddr, tfjsonpath.New("done"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(testScheduleAddr, tfjsonpath.New("next_run"), knownvalue.NotNull()),
					env.scheduleOnServer(&id, func(st *fogclient.ScheduledTask) error {
						if !st.IsCron() || st.Cron != [5]string{"0", "22", "*", "*", "1-5"} || !st.Active || st.Group ||
							st.TargetID != host.ID || !st.Shutdown || st.Description != "R&D lab" {
							return fmt.Errorf("FOG has %+v", st)
						}
						return nil
					}),
				},
			},
			{ResourceName: testScheduleAddr, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"type"}},
			{
				Config: env.Config(once),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testScheduleAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					env.scheduleOnServer(&id, func(st *fogclient.ScheduledTask) error {
						if st.IsCron() || st.ScheduleTime != runAt.Unix() || st.Shutdown || st.Name != "once" {
							return fmt.Errorf("FOG has %+v", st)
						}
						return nil
					}),
				},
			},
			{
				// Deactivated outside Terraform: put back.
				PreConfig: func() {
					ctx, cancel := fixtureContext()
					defer cancel()
					if _, err := env.Client.UpdateScheduledTask(ctx, mustID(t, id), fogclient.ScheduledTaskSpec{
						Name: "once", TaskTypeID: 1, RunAt: runAt.Unix(), TargetID: host.ID, Active: false,
					}); err != nil {
						t.Fatal(err)
					}
				},
				Config: env.Config(once),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testScheduleAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					env.scheduleOnServer(&id, func(st *fogclient.ScheduledTask) error {
						if !st.Active {
							return fmt.Errorf("not active again: %+v", st)
						}
						return nil
					}),
				},
			},
			{
				// Deleted outside Terraform before its time: created again.
				PreConfig: func() {
					ctx, cancel := fixtureContext()
					defer cancel()
					if err := env.Client.DeleteScheduledTask(ctx, mustID(t, id)); err != nil {
						t.Fatal(err)
					}
				},
				Config: env.Config(once),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testScheduleAddr, plancheck.ResourceActionCreate),
				}},
			},
		},
	})
	if env.Emulator != nil {
		if ids := env.Emulator.IDs("scheduledtask"); len(ids) != 0 {
			t.Errorf("scheduled tasks left: %v", ids)
		}
	}
}

// TestAccScheduledTask_group: a group's schedule warns at plan that FOG will
// run it without fog_task's checks (and about a busy member now), refuses a
// capture; the cron fields FOG would hang on are refused at plan.
func TestAccScheduledTask_group(t *testing.T) {
	env := newAccEnv(t)
	host, _ := env.hostWithImage(t, false)
	group := env.CreateGroup(t, uniqueGroupName("sched"), host.ID)
	target := fmt.Sprintf("group_id = %d", group.ID)
	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      env.Config(scheduleConfig(target, "Capture", `  cron = "0 2 * * *"`)),
				PlanOnly:    true,
				ExpectError: expectError("group capture with success and creates nothing"),
			},
			{
				Config:      env.Config(scheduleConfig(target, "Deploy", `  cron = "0 2 30 2 *"`)),
				PlanOnly:    true,
				ExpectError: expectError("never falls in the month", "hang"),
			},
			{
				Config: env.Config(scheduleConfig(target, "Multi-Cast", `  cron = "30 1 * * 7"`)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testScheduleAddr, tfjsonpath.New("group_id"), knownvalue.Int64Exact(group.ID)),
					statecheck.ExpectKnownValue(testScheduleAddr, tfjsonpath.New("host_id"), knownvalue.Null()),
				},
			},
		},
	})
}

// TestScheduledTaskPlanWarnsForGroups: the plan of a group's schedule warns
// that FOG runs it unchecked, and about what the checks find now.
func TestScheduledTaskPlanWarnsForGroups(t *testing.T) {
	h := newResourceHarness[*scheduledTaskResource, scheduledTaskModel](t, func(d *ProviderData) *scheduledTaskResource {
		return &scheduledTaskResource{data: d}
	})
	g := h.srv.InsertRawRow("group", map[string]string{"name": "Lab-A"})
	host, _ := h.srv.SeedHost("pc01", 0, randomMAC())
	h.srv.InsertRawRow("groupassociation", map[string]string{"groupID": strconv.FormatInt(g, 10), "hostID": strconv.FormatInt(host, 10)})
	plan := plannedSchedule(func(m *scheduledTaskModel) { m.GroupID = types.Int64Value(g) })
	resp, out := h.modifyPlan(t, &plan, nil)
	if resp.Diagnostics.HasError() {
		t.Fatalf("errors at plan: %v", resp.Diagnostics)
	}
	expectDiag(t, resp.Diagnostics, diag.SeverityWarning, "FOG runs scheduled group tasks without these checks")
	expectDiag(t, resp.Diagnostics, diag.SeverityWarning, "have no image assigned", "The apply will stop with this error")
	if out.TypeID.ValueInt64() != 1 {
		t.Errorf("type_id %s", out.TypeID)
	}
}

func plannedSchedule(mod ...func(*scheduledTaskModel)) scheduledTaskModel {
	m := scheduledTaskModel{
		ID: types.StringUnknown(), HostID: types.Int64Null(), GroupID: types.Int64Null(), Type: types.StringValue("Deploy"),
		TypeID: types.Int64Unknown(), Name: types.StringValue(""), Description: newFOGText(""), Cron: types.StringValue("0 2 * * *"),
		RunAt: types.StringNull(), Active: types.BoolValue(true), Shutdown: types.BoolValue(false), WOL: types.BoolValue(false),
		NextRun: types.StringUnknown(), Done: types.BoolUnknown(),
	}
	for _, f := range mod {
		f(&m)
	}
	return m
}

// TestScheduledTaskDone: a single run whose row is gone after its time is
// done: kept in the state, never created again; a change replaces it.
func TestScheduledTaskDone(t *testing.T) {
	h := newResourceHarness[*scheduledTaskResource, scheduledTaskModel](t, func(d *ProviderData) *scheduledTaskResource {
		return &scheduledTaskResource{data: d}
	})
	host, _ := h.srv.SeedHost("pc01", 0, randomMAC())
	past := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	stored := plannedSchedule(func(m *scheduledTaskModel) {
		m.ID, m.HostID, m.TypeID, m.Cron, m.RunAt = types.StringValue("77"), types.Int64Value(host), types.Int64Value(1), types.StringNull(), types.StringValue(past)
		m.NextRun, m.Done = types.StringValue("2026-01-01 00:00"), types.BoolValue(false)
	})
	s := h.state(t, &stored)
	read := &fwresource.ReadResponse{State: s}
	h.r.Read(context.Background(), fwresource.ReadRequest{State: s}, read)
	var now scheduledTaskModel
	read.Diagnostics.Append(read.State.Get(context.Background(), &now)...)
	if read.Diagnostics.HasError() || read.State.Raw.IsNull() || !now.Done.ValueBool() {
		t.Fatalf("after read: %v, done %s", read.Diagnostics, now.Done)
	}
	// Unchanged: nothing to do, and the past run_at is not refused.
	resp, _ := h.modifyPlan(t, &now, &now)
	if resp.Diagnostics.HasError() || len(resp.RequiresReplace) != 0 {
		t.Errorf("unchanged done task: %v, replace %v", resp.Diagnostics, resp.RequiresReplace)
	}
	changed := now
	changed.RunAt = types.StringValue(time.Now().Add(time.Hour).UTC().Format(time.RFC3339))
	resp, _ = h.modifyPlan(t, &changed, &now)
	if !resp.RequiresReplace.Contains(path.Root("run_at")) {
		t.Errorf("changed done task: replace %v", resp.RequiresReplace)
	}
	if n := h.srv.Count("POST /fog/scheduledtask"); n != 0 {
		t.Errorf("%d creates", n)
	}
}

// TestAccHost_destroyKeepsGroupSchedules: FOG deletes a group's scheduled
// tasks with the host of the same id (recordings 771, 772): destroy refuses,
// naming them, unless force_destroy is set, and then warns.
func TestAccHost_destroyKeepsGroupSchedules(t *testing.T) {
	env := newAccEnv(t)
	skipUnlessEmulator(t, env, "needs a host and a group with the same id")
	name := uniqueHostName()
	mac := randomMAC()
	var id string
	hostHCL := func(extra string) string { return hostConfig(name, []string{mac}, extra) }
	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.Config(hostHCL("")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testHostAddr, tfjsonpath.New("id"), captureString(&id)),
					stateCheckFunc(func() error {
						ctx, cancel := fixtureContext()
						defer cancel()
						g := env.Emulator.InsertRawRow("group", map[string]string{"name": "same-id"})
						if strconv.FormatInt(g, 10) != id {
							return fmt.Errorf("group id %d, host id %s: the test needs them equal", g, id)
						}
						cron := [5]string{"0", "2", "*", "*", "*"}
						_, err := env.Client.CreateScheduledTask(ctx, fogclient.ScheduledTaskSpec{Name: "group-nightly", TaskTypeID: 1,
							Cron: &cron, Group: true, TargetID: g, Active: true})
						return err
					}),
				},
			},
			{
				Config:      env.Config(),
				ExpectError: expectError("has 1 scheduled task(s)", `"group-nightly"`, "set force_destroy = true"),
			},
			{Config: env.Config(hostHCL("  force_destroy = true"))},
			{Config: env.Config()},
		},
	})
	if ids := env.Emulator.IDs("scheduledtask"); len(ids) != 0 {
		t.Errorf("scheduled tasks %v: force_destroy deletes them with the host", ids)
	}
}
