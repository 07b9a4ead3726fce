// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"errors"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

// createDeployTask queues a deploy task for host through fogclient and
// cancels it when the test ends (only this task, by its id).
func (e *accEnv) createDeployTask(t *testing.T, host *fogclient.Host) *fogclient.Task {
	t.Helper()
	ctx, cancel := fixtureContext()
	defer cancel()
	task, err := e.Client.CreateHostTask(ctx, host.ID, fogclient.TaskCreate{TypeID: fogclient.TaskTypeDeploy, TaskName: "tfacc"})
	if err != nil {
		t.Fatalf("fixture: create deploy task for host %s: %v", host.Name, err)
	}
	if task == nil {
		t.Fatalf("fixture: deploy task for host %s was not found after creation", host.Name)
	}
	t.Cleanup(func() {
		ctx, cancel := fixtureContext()
		defer cancel()
		if err := e.Client.CancelTask(ctx, task.ID); err != nil &&
			!errors.Is(err, fogclient.ErrTaskNotActive) && !errors.Is(err, fogclient.ErrNotFound) {
			t.Errorf("fixture cleanup: cancel task %d: %v", task.ID, err)
		}
	})
	return task
}

// TestAccActiveTasksDataSource: the active tasks of one host, mapped.
func TestAccActiveTasksDataSource(t *testing.T) {
	env := newAccEnv(t)
	img := env.CreateImage(t, fogclient.ImageCreate{})
	busy := env.CreateHost(t, fogclient.HostCreate{ImageID: img.ID})
	idle := env.CreateHost(t, fogclient.HostCreate{})
	task := env.createDeployTask(t, busy)

	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      env.Config(`data "fog_active_tasks" "bad" { host_id = 0 }`),
				ExpectError: expectError(`must be at least 1`),
			},
			{
				Config: env.Config(fmt.Sprintf(`
data "fog_active_tasks" "busy" {
  host_id = %d
}

data "fog_active_tasks" "idle" {
  host_id = %d
}

data "fog_active_tasks" "all" {}
`, busy.ID, idle.ID)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.fog_active_tasks.busy", tfjsonpath.New("tasks"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{
							"id":           knownvalue.Int64Exact(task.ID),
							"name":         knownvalue.StringExact("tfacc - " + busy.Name),
							"host_id":      knownvalue.Int64Exact(busy.ID),
							"host_name":    knownvalue.StringExact(busy.Name),
							"type_id":      knownvalue.Int64Exact(fogclient.TaskTypeDeploy),
							"type":         knownvalue.StringExact("Deploy"),
							"state_id":     knownvalue.Int64Exact(fogclient.TaskStateQueued),
							"state":        knownvalue.StringExact("Queued"),
							"percent":      knownvalue.Int64Exact(0),
							"image_id":     knownvalue.Int64Exact(img.ID),
							"image_name":   knownvalue.StringExact(img.Name),
							"created_time": knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$`)),
						}),
					})),
					statecheck.ExpectKnownValue("data.fog_active_tasks.busy", tfjsonpath.New("multicast_sessions"), knownvalue.ListSizeExact(0)),
					statecheck.ExpectKnownValue("data.fog_active_tasks.idle", tfjsonpath.New("tasks"), knownvalue.ListSizeExact(0)),
					statecheck.ExpectKnownValue("data.fog_active_tasks.all", tfjsonpath.New("tasks"), listContainsID(task.ID)),
				},
			},
		},
	})
}

// listContainsID checks that a list of objects has one whose "id" is id,
// whatever else the server holds.
type listContainsID int64

func (c listContainsID) CheckValue(v any) error {
	items, ok := v.([]any)
	if !ok {
		return fmt.Errorf("expected a list, got %T", v)
	}
	for _, item := range items {
		if obj, ok := item.(map[string]any); ok && fmt.Sprint(obj["id"]) == fmt.Sprint(int64(c)) {
			return nil
		}
	}
	return fmt.Errorf("no element with id %d among %d", int64(c), len(items))
}

func (c listContainsID) String() string { return fmt.Sprintf("list containing id %d", int64(c)) }

func TestMapActiveTasks(t *testing.T) {
	t.Parallel()
	tasks := []fogclient.Task{
		{ID: 9, HostID: 1, TypeID: fogclient.TaskTypeMulticast, StateID: 1, ImageID: 7},
		{ID: 4, HostID: 2, TypeID: fogclient.TaskTypeDeploy, StateID: 3, ImageID: 8, Percent: 42},
		{ID: 5, HostID: 1, TypeID: fogclient.TaskTypeDeploy, StateID: fogclient.TaskStateCancelled},
	}
	sessions := []fogclient.MulticastSession{{ID: 2, ImageID: 7}, {ID: 1, ImageID: 99}}

	all, allSessions := mapActiveTasks(tasks, sessions, nil)
	if len(all) != 2 || all[0].ID.ValueInt64() != 4 || all[0].Percent.ValueInt64() != 42 || len(allSessions) != 2 ||
		allSessions[0].ID.ValueInt64() != 1 {
		t.Errorf("unexpected mapping: %+v %+v", all, allSessions)
	}

	host := int64(1)
	mine, mySessions := mapActiveTasks(tasks, sessions, &host)
	if len(mine) != 1 || mine[0].ID.ValueInt64() != 9 || len(mySessions) != 1 || mySessions[0].ID.ValueInt64() != 2 {
		t.Errorf("host filter: %+v %+v", mine, mySessions)
	}
}
