// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

func TestSnapinIDProblems(t *testing.T) {
	all := stockTaskTypes(t)
	for _, c := range []struct {
		typeID         int64
		snapinID, all  bool
		wantProblem    string
		wantNoProblems bool
	}{
		{typeID: 13, wantProblem: "set snapin_id"},
		{typeID: 13, snapinID: true, wantNoProblems: true},
		{typeID: 13, snapinID: true, all: true, wantProblem: "Remove deploy_snapins"},
		{typeID: 12, snapinID: true, all: true, wantProblem: `use type = "Single Snapin"`},
		{typeID: 1, snapinID: true, wantNoProblems: true},
		{typeID: 15, snapinID: true, wantNoProblems: true},
		{typeID: 1, snapinID: true, all: true, wantProblem: "set only one of them"},
		{typeID: 17, snapinID: true, wantProblem: "ignores snapin_id"},
		{typeID: 8, snapinID: true, wantProblem: "ignores snapin_id"},
		{typeID: 2, snapinID: true, wantProblem: "ignores snapin_id"},
		{typeID: 1, wantNoProblems: true},
	} {
		got := snapinIDProblems(typeByID(t, all, c.typeID), c.snapinID, c.all)
		switch {
		case c.wantNoProblems && len(got) != 0:
			t.Errorf("type %d snapin_id=%v deploy_snapins=%v: unexpected %q", c.typeID, c.snapinID, c.all, got)
		case !c.wantNoProblems && !strings.Contains(strings.Join(got, " "), c.wantProblem):
			t.Errorf("type %d snapin_id=%v deploy_snapins=%v: want %q, got %q", c.typeID, c.snapinID, c.all, c.wantProblem, got)
		}
	}
}

// snapinFixture is a host with an image and snapins "a" (linked) and "b"
// (not linked).
type snapinFixture struct {
	host   *fogclient.Host
	linked *fogclient.Snapin
	other  *fogclient.Snapin
}

func (e *accEnv) snapinFixture(t *testing.T) snapinFixture {
	t.Helper()
	host, _ := e.hostWithImage(t, false)
	fx := snapinFixture{host: host, linked: e.createSnapin(t, uniqueImageName("sa")), other: e.createSnapin(t, uniqueImageName("sb"))}
	ctx, cancel := fixtureContext()
	defer cancel()
	if _, _, err := e.Client.LinkSnapin(ctx, host.ID, fx.linked.ID); err != nil {
		t.Fatal(err)
	}
	return fx
}

// activeSnapinsOf is the snapins the host's active snapin jobs deploy.
func (e *accEnv) activeSnapinsOf(t *testing.T, hostID int64) []int64 {
	t.Helper()
	ctx, cancel := fixtureContext()
	defer cancel()
	tasks, err := e.Client.ActiveSnapinTasksForHost(ctx, hostID)
	if err != nil {
		t.Fatal(err)
	}
	var out []int64
	for _, st := range tasks {
		out = append(out, st.SnapinID)
	}
	return out
}

// TestAccTask_singleSnapin: a Single Snapin task deploys the snapin of
// snapin_id, after the link it waits for; destroying it cancels the whole
// host task, which ends its snapin job too (recording 666).
func TestAccTask_singleSnapin(t *testing.T) {
	env := newAccEnv(t)
	host, _ := env.hostWithImage(t, false)
	name := uniqueImageName("single")
	config := env.Config(snapinConfig(name, "a.msi", ""), fmt.Sprintf(`
resource "fog_host_snapin" "test" {
  host_id   = %d
  snapin_id = tonumber(fog_snapin.test.id)
}
`, host.ID), taskConfig(idString(host.ID), "Single Snapin", "  snapin_id = fog_host_snapin.test.snapin_id"))
	var snapinID string
	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testSnapinAddr, tfjsonpath.New("id"), captureString(&snapinID)),
					statecheck.ExpectKnownValue(testTaskAddr, tfjsonpath.New("type_id"), knownvalue.Int64Exact(fogclient.TaskTypeSingleSnapin)),
					statecheck.ExpectKnownValue(testTaskAddr, tfjsonpath.New("state"), knownvalue.StringExact("queued")),
					stateCheckFunc(func() error {
						if got := env.activeSnapinsOf(t, host.ID); fmt.Sprint(got) != fmt.Sprint([]int64{mustID(t, snapinID)}) {
							return fmt.Errorf("the host's snapin job deploys %v, want snapin %s", got, snapinID)
						}
						return nil
					}),
				},
			},
			{
				// Only the task goes: the whole host task is cancelled, its
				// snapin job with it.
				Config: env.Config(snapinConfig(name, "a.msi", ""), fmt.Sprintf(`
resource "fog_host_snapin" "test" {
  host_id   = %d
  snapin_id = tonumber(fog_snapin.test.id)
}
`, host.ID)),
				ConfigStateChecks: []statecheck.StateCheck{
					env.expectTaskStates(t, host.ID, fogclient.TaskStateCancelled),
					stateCheckFunc(func() error {
						if got := env.activeSnapinsOf(t, host.ID); len(got) != 0 {
							return fmt.Errorf("snapin tasks still active after the cancel: %v", got)
						}
						return nil
					}),
				},
			},
		},
	})
}

// TestAccTask_deployWithOneSnapin: snapin_id limits a deploy's snapins to
// that one (recording 674).
func TestAccTask_deployWithOneSnapin(t *testing.T) {
	env := newAccEnv(t)
	fx := env.snapinFixture(t)
	ctx, cancel := fixtureContext()
	defer cancel()
	if _, _, err := env.Client.LinkSnapin(ctx, fx.host.ID, fx.other.ID); err != nil {
		t.Fatal(err)
	}
	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.Config(taskConfig(idString(fx.host.ID), "Deploy", "  snapin_id = "+idString(fx.linked.ID))),
			ConfigStateChecks: []statecheck.StateCheck{stateCheckFunc(func() error {
				if got := env.activeSnapinsOf(t, fx.host.ID); fmt.Sprint(got) != fmt.Sprint([]int64{fx.linked.ID}) {
					return fmt.Errorf("the deploy queues snapins %v, want only %d", got, fx.linked.ID)
				}
				return nil
			})},
		}},
	})
}

// TestAccTask_snapinRefusals: a snapin the host does not have, and a
// Single Snapin next to an active All Snapins task (which FOG would rename
// instead, recording 658), are refused before any task is created.
func TestAccTask_snapinRefusals(t *testing.T) {
	env := newAccEnv(t)
	fx := env.snapinFixture(t)
	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      env.Config(taskConfig(idString(fx.host.ID), "Single Snapin", "  snapin_id = "+idString(fx.other.ID))),
				ExpectError: expectError(fmt.Sprintf("Host %d does not have snapin", fx.host.ID), "Add it to the host with a fog_host_snapin"),
			},
			{
				Config:      env.Config(taskConfig(idString(fx.host.ID), "Single Snapin", "  snapin_id = 987654")),
				ExpectError: expectError("FOG has no snapin with id 987654"),
			},
			{
				PreConfig: func() {
					ctx, cancel := fixtureContext()
					defer cancel()
					task, err := env.Client.CreateHostTask(ctx, fx.host.ID, fogclient.TaskCreate{TypeID: fogclient.TaskTypeAllSnapins, DeploySnapins: true})
					if err != nil {
						t.Fatal(err)
					}
					env.cancelTaskAtCleanup(t, task.ID)
				},
				Config:      env.Config(taskConfig(idString(fx.host.ID), "Single Snapin", "  snapin_id = "+idString(fx.linked.ID))),
				ExpectError: expectError("has an active All Snapins task", `rename that task to "Multiple Snapin task -- Altered after single"`),
			},
			{
				// Nothing was renamed or created by the refused steps.
				PreConfig: func() {
					tasks := env.tasksOf(t, fx.host.ID)
					if len(tasks) != 1 || tasks[0].TypeID != fogclient.TaskTypeAllSnapins || strings.Contains(tasks[0].Name, "Altered") {
						t.Errorf("the host's tasks: %+v", tasks)
					}
				},
				Config: env.Config(),
			},
		},
	})
}

// decideSnapinTask adopts a same-type task only when its job deploys the
// snapin asked for.
func TestDecideSnapinTaskAdoption(t *testing.T) {
	env := newProtocolEnv(t, nil)
	ctx := context.Background()
	c := env.Client
	host, err := c.CreateHost(ctx, fogclient.HostCreate{Name: "h1", MACs: []string{"02:00:00:00:00:01"}})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := c.CreateSnapin(ctx, fogclient.SnapinCreate{Name: "a", File: "a"})
	b, _ := c.CreateSnapin(ctx, fogclient.SnapinCreate{Name: "b", File: "b"})
	task, err := c.CreateHostTask(ctx, host.ID, fogclient.TaskCreate{TypeID: fogclient.TaskTypeSingleSnapin, SnapinID: a.ID})
	if err != nil {
		t.Fatal(err)
	}
	tt := fogclient.TaskType{ID: fogclient.TaskTypeSingleSnapin, Name: "Single Snapin", IsSnapinTasking: true}
	adopt := createDecision{Action: actionAdopt, Task: task}
	if d := decideSnapinTask(ctx, c, adopt, tt, "h1", a.ID); d.Action != actionAdopt {
		t.Errorf("same snapin: %+v", d)
	}
	if d := decideSnapinTask(ctx, c, adopt, tt, "h1", b.ID); d.Action != actionRefuse || !strings.Contains(d.Reason, "does not deploy snapin") {
		t.Errorf("other snapin: %+v", d)
	}
}
