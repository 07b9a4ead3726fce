// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
	"github.com/fogproject/terraform-provider-fog/internal/fogtest"
)

func taskAttr(name string) tfjsonpath.Path { return tfjsonpath.New(name) }

func idString(id int64) string { return strconv.FormatInt(id, 10) }

// TestAccTask_deployAfterAssignment: a deploy ordered after an image
// assignment made in the same configuration (image_id), with triggers.
// type_id is known at plan time, `type` stays as written, the task is
// queued on the server with the new image, a second plan is empty, and
// destroy cancels the queued task this resource created.
func TestAccTask_deployAfterAssignment(t *testing.T) {
	env := newAccEnv(t)
	host := env.CreateHost(t, fogclient.HostCreate{})
	name := uniqueImageName("dep")
	config := env.Config(fmt.Sprintf(`
resource "fog_image" "img" {
  name          = %q
  path          = %q
  image_type_id = 1
  os_id         = 9
}

resource "fog_host_image_assignment" "lab" {
  host_id  = %d
  image_id = tonumber(fog_image.img.id)
}
`, name, name, host.ID), taskConfig("fog_host_image_assignment.lab.host_id", "deploy", `
  image_id  = fog_host_image_assignment.lab.image_id
  task_name = "tfacc"
  triggers  = { image_version = "1" }
`))
	var taskID, imageID string

	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			return env.expectTaskStates(t, host.ID, fogclient.TaskStateCancelled)()
		},
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testTaskAddr, plancheck.ResourceActionCreate),
					plancheck.ExpectKnownValue(testTaskAddr, taskAttr("type_id"), knownvalue.Int64Exact(fogclient.TaskTypeDeploy)),
					plancheck.ExpectUnknownValue(testTaskAddr, taskAttr("image_id")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testTaskAddr, taskAttr("id"), captureString(&taskID)),
					statecheck.ExpectKnownValue("fog_image.img", taskAttr("id"), captureString(&imageID)),
					statecheck.ExpectKnownValue(testTaskAddr, taskAttr("type"), knownvalue.StringExact("deploy")),
					statecheck.ExpectKnownValue(testTaskAddr, taskAttr("type_id"), knownvalue.Int64Exact(1)),
					statecheck.ExpectKnownValue(testTaskAddr, taskAttr("state"), knownvalue.StringExact("queued")),
					statecheck.ExpectKnownValue(testTaskAddr, taskAttr("state_id"), knownvalue.Int64Exact(1)),
					statecheck.ExpectKnownValue(testTaskAddr, taskAttr("percent"), knownvalue.Int64Exact(0)),
					statecheck.ExpectKnownValue(testTaskAddr, taskAttr("adopted"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(testTaskAddr, taskAttr("wait_for_completion"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(testTaskAddr, taskAttr("cancel_on_destroy"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(testTaskAddr, taskAttr("created_time"), knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$`))),
					stateCheckFunc(func() error {
						task := env.onlyTaskOf(t, host.ID)
						if idString(task.ID) != taskID || task.TypeID != 1 || task.StateID != 1 || idString(task.ImageID) != imageID {
							return fmt.Errorf("server task %+v, want queued deploy %s of image %s", task, taskID, imageID)
						}
						if task.Name != "tfacc - "+host.Name {
							return fmt.Errorf("task name %q", task.Name)
						}
						return nil
					}),
					env.expectRequests(routeCreateTask, 1),
				},
			},
			{
				// Refresh and plan again: nothing to do, no new task.
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: []statecheck.StateCheck{env.expectRequests(routeCreateTask, 1)},
			},
		},
	})
}

// TestAccTask_waitForCompletion: with the emulator's PXE client advancing
// the task on every poll, the apply waits until Complete. Refresh plans
// nothing, and destroying the finished task sends no cancel.
func TestAccTask_waitForCompletion(t *testing.T) {
	env := newAccEnv(t, withEmulatorOptions(func(o *fogtest.Options) { o.AutoProgress = fogtest.AutoProgress{EveryPolls: 1} }))
	skipUnlessEmulator(t, env, "needs the emulator's PXE client to progress the task")
	host, _ := env.hostWithImage(t, false)
	config := env.Config(taskConfig(idString(host.ID), "Deploy", `  wait_for_completion = true`))

	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if err := env.expectTaskStates(t, host.ID, fogclient.TaskStateComplete)(); err != nil {
				return err
			}
			return env.expectRequests(routeCancelTask, 0)()
		},
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testTaskAddr, taskAttr("state"), knownvalue.StringExact("complete")),
					statecheck.ExpectKnownValue(testTaskAddr, taskAttr("state_id"), knownvalue.Int64Exact(4)),
					statecheck.ExpectKnownValue(testTaskAddr, taskAttr("percent"), knownvalue.Int64Exact(100)),
					env.expectTaskStates(t, host.ID, fogclient.TaskStateComplete),
					env.expectRequests(routeCreateTask, 1),
				},
			},
			{
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testTaskAddr, taskAttr("state"), knownvalue.StringExact("complete")),
					env.expectRequests(routeCreateTask, 1),
				},
			},
		},
	})
}

// TestAccTask_waitTimeoutWhileQueued: the host never boots, so the wait
// times out while the task is Queued. The provider cancels its task and
// saves no state: the next plan creates a new task.
func TestAccTask_waitTimeoutWhileQueued(t *testing.T) {
	env := newAccEnv(t)
	host, _ := env.hostWithImage(t, false)
	timeout := "1s"
	if env.IsReal() {
		timeout = "3s"
	}
	waiting := env.Config(taskConfig(idString(host.ID), "deploy", fmt.Sprintf(`
  wait_for_completion = true
  timeouts {
    create = %q
  }
`, timeout)))

	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      waiting,
				ExpectError: expectError("was still queued when timeouts.create", "had not started on the host, so the provider cancelled it"),
			},
			{
				PreConfig: func() {
					if err := env.expectTaskStates(t, host.ID, fogclient.TaskStateCancelled)(); err != nil {
						t.Fatal(err)
					}
				},
				// Nothing was saved: the same resource is created again.
				Config: env.Config(taskConfig(idString(host.ID), "deploy", "")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testTaskAddr, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					env.expectTaskStates(t, host.ID, fogclient.TaskStateCancelled, fogclient.TaskStateQueued),
					env.expectRequests(routeCreateTask, 2),
				},
			},
		},
	})
}

// TestAccTask_waitTimeoutInProgress: the host checks in and then stops
// reporting. The wait fails, the task is not cancelled and stays in the
// state (tainted); the replacement on the next apply adopts the still
// running task instead of starting a second one.
func TestAccTask_waitTimeoutInProgress(t *testing.T) {
	env := newWrappedEmulatorEnv(t, "needs a PXE client that checks in and stalls", checkInAtFirstPoll(t))
	host, _ := env.hostWithImage(t, false)
	var running fogclient.Task
	timeouts := `
  timeouts {
    create = "1s"
  }
`
	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      env.Config(taskConfig(idString(host.ID), "deploy", "  wait_for_completion = true\n"+timeouts)),
				ExpectError: expectError("was still in_progress when timeouts.create", "had started imaging, so it was not cancelled", "tainted"),
			},
			{
				PreConfig: func() {
					running = env.onlyTaskOf(t, host.ID)
					if running.StateID != fogclient.TaskStateInProgress {
						t.Fatalf("task %+v should still be In-Progress", running)
					}
				},
				Config: env.Config(taskConfig(idString(host.ID), "deploy", timeouts)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testTaskAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testTaskAddr, taskAttr("id"), knownvalue.StringFunc(func(v string) error {
						if v != idString(running.ID) {
							return fmt.Errorf("id %s, want the running task %d", v, running.ID)
						}
						return nil
					})),
					statecheck.ExpectKnownValue(testTaskAddr, taskAttr("adopted"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(testTaskAddr, taskAttr("state"), knownvalue.StringExact("in_progress")),
					env.expectTaskStates(t, host.ID, fogclient.TaskStateInProgress),
					env.expectRequests(routeCreateTask, 1),
					env.expectRequests(routeCancelTask, 0),
				},
			},
			{
				PreConfig: func() { mustEmulator(t, "complete task", env.Emulator.CompleteTask(running.ID)) },
				Config:    env.Config(taskConfig(idString(host.ID), "deploy", timeouts)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testTaskAddr, taskAttr("state"), knownvalue.StringExact("complete")),
				},
			},
		},
	})
}

// TestAccTask_adoptExisting: the host already has a queued deploy made
// outside Terraform. The resource adopts it (no second deploy) and destroy
// leaves it queued.
func TestAccTask_adoptExisting(t *testing.T) {
	env := newAccEnv(t)
	host, _ := env.hostWithImage(t, false)
	existing := env.createDeployTask(t, host)

	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			return env.expectTaskStates(t, host.ID, fogclient.TaskStateQueued)()
		},
		Steps: []resource.TestStep{
			{
				Config: env.Config(taskConfig(idString(host.ID), "Deploy", "")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testTaskAddr, taskAttr("id"), knownvalue.StringExact(idString(existing.ID))),
					statecheck.ExpectKnownValue(testTaskAddr, taskAttr("adopted"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(testTaskAddr, taskAttr("state"), knownvalue.StringExact("queued")),
					env.expectTaskStates(t, host.ID, fogclient.TaskStateQueued),
					env.expectRequests(routeCreateTask, 1), // the fixture's
				},
			},
		},
	})
}

// TestAccTask_refuseOtherActiveTask: another active task (here a Hardware
// Inventory, which FOG would silently cancel and replace) makes creation
// fail with an error naming it, and the other task is left alone.
func TestAccTask_refuseOtherActiveTask(t *testing.T) {
	env := newAccEnv(t)
	host, _ := env.hostWithImage(t, false)
	other := env.createTask(t, host.ID, 10)

	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.Config(taskConfig(idString(host.ID), "deploy", "")),
				ExpectError: expectError(fmt.Sprintf(`already has another active task: "tfacc - %s" (id %d, type Hardware Inventory`, host.Name, other.ID),
					"FOG would cancel it"),
			},
		},
	})
	// Nothing was created and the inventory task is still queued.
	assertAfter(t, func() error {
		if err := env.expectTaskStates(t, host.ID, fogclient.TaskStateQueued)(); err != nil {
			return err
		}
		return env.expectRequests(routeCreateTask, 1)()
	})
}

// TestAccTask_imageIDMismatch: image_id names another image than the host
// has, so the task is refused before anything is sent.
func TestAccTask_imageIDMismatch(t *testing.T) {
	env := newAccEnv(t)
	host, img := env.hostWithImage(t, false)
	other := env.CreateImage(t, fogclient.ImageCreate{Name: uniqueImageName("other")})

	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.Config(taskConfig(idString(host.ID), "deploy", fmt.Sprintf("  image_id = %d\n", other.ID))),
				ExpectError: expectError(fmt.Sprintf("image_id is %d, but the host has image %q (id %d) assigned, so the task was refused",
					other.ID, img.Name, img.ID)),
			},
		},
	})
	assertAfter(t, func() error {
		if tasks := env.tasksOf(t, host.ID); len(tasks) != 0 {
			return fmt.Errorf("no task may be created, found %+v", tasks)
		}
		return env.expectRequests(routeCreateTask, 0)()
	})
}

// TestAccTask_captureProtectedImage: a capture onto a protected image is
// refused before anything is created (FOG's API itself would accept it).
func TestAccTask_captureProtectedImage(t *testing.T) {
	env := newAccEnv(t)
	host, img := env.hostWithImage(t, true)

	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// The plan warns (the server's state: serverChecksAtPlan); the apply refuses.
				Config:      env.Config(taskConfig(idString(host.ID), "capture", "")),
				ExpectError: expectError(fmt.Sprintf("Image %q (id %d) is protected, so a Capture task for host %q", img.Name, img.ID, host.Name)),
			},
		},
	})
	assertAfter(t, func() error {
		if tasks := env.tasksOf(t, host.ID); len(tasks) != 0 {
			return fmt.Errorf("no task may be created, found %+v", tasks)
		}
		return env.expectRequests(routeCreateTask, 0)()
	})
}

// TestAccTask_refreshAfterFOGFinished: after FOG completes, cancels or
// purges the task (deleting the host deletes its tasks), refresh records the
// new state and the plan is empty: nothing is ever re-run on its own, and
// destroy sends no cancel.
func TestAccTask_refreshAfterFOGFinished(t *testing.T) {
	for _, c := range []struct {
		name     string
		state    string
		emulator bool
		finish   func(t *testing.T, env *accEnv, host *fogclient.Host, task fogclient.Task)
	}{
		{name: "complete", state: "complete", emulator: true, finish: func(t *testing.T, env *accEnv, _ *fogclient.Host, task fogclient.Task) {
			mustEmulator(t, "complete task", env.Emulator.CompleteTask(task.ID))
		}},
		{name: "cancelled", state: "cancelled", finish: func(t *testing.T, env *accEnv, _ *fogclient.Host, task fogclient.Task) {
			ctx, cancel := fixtureContext()
			defer cancel()
			if err := env.Client.CancelTask(ctx, task.ID); err != nil {
				t.Fatalf("cancel task %d: %v", task.ID, err)
			}
		}},
		{name: "purged", state: "purged", finish: func(t *testing.T, env *accEnv, host *fogclient.Host, _ fogclient.Task) {
			ctx, cancel := fixtureContext()
			defer cancel()
			if err := env.Client.DeleteHost(ctx, host.ID); err != nil {
				t.Fatalf("delete host %d: %v", host.ID, err)
			}
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			env := newAccEnv(t)
			if c.emulator {
				skipUnlessEmulator(t, env, "needs the emulator to complete the task")
			}
			host, _ := env.hostWithImage(t, false)
			config := env.Config(taskConfig(idString(host.ID), "deploy", ""))
			var stateID knownvalue.Check = knownvalue.Int64Exact(map[string]int64{"complete": 4, "cancelled": 5}[c.state])
			if c.state == "purged" {
				stateID = knownvalue.Null()
			}
			accParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				CheckDestroy: func(*terraform.State) error {
					return env.expectRequests(routeCancelTask, map[string]int64{"cancelled": 1}[c.state])() // only the test's own cancel
				},
				Steps: []resource.TestStep{
					{
						Config: config,
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(testTaskAddr, taskAttr("state"), knownvalue.StringExact("queued")),
						},
					},
					{
						PreConfig:        func() { c.finish(t, env, host, env.onlyTaskOf(t, host.ID)) },
						Config:           config,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(testTaskAddr, taskAttr("state"), knownvalue.StringExact(c.state)),
							statecheck.ExpectKnownValue(testTaskAddr, taskAttr("state_id"), stateID),
							env.expectRequests(routeCreateTask, 1),
						},
					},
					{
						// A later refresh and plan still propose nothing.
						Config:           config,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
					},
				},
			})
		})
	}
}

// TestAccTask_triggersAndReplace: a change of triggers starts a new task
// (the old queued one is cancelled first), and so does -replace (a tainted
// resource), each with exactly one new POST.
func TestAccTask_triggersAndReplace(t *testing.T) {
	env := newAccEnv(t)
	host, _ := env.hostWithImage(t, false)
	withTrigger := func(v string) string {
		return env.Config(taskConfig(idString(host.ID), "deploy", fmt.Sprintf("  triggers = { image_version = %q }\n", v)))
	}
	var first, second, third string

	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			return env.expectTaskStates(t, host.ID, fogclient.TaskStateCancelled, fogclient.TaskStateCancelled, fogclient.TaskStateCancelled)()
		},
		Steps: []resource.TestStep{
			{
				Config: withTrigger("1"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testTaskAddr, taskAttr("id"), captureString(&first)),
				},
			},
			{
				Config: withTrigger("2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testTaskAddr, plancheck.ResourceActionDestroyBeforeCreate),
					// The create half of a replacement is planned like a create.
					plancheck.ExpectKnownValue(testTaskAddr, taskAttr("type_id"), knownvalue.Int64Exact(1)),
					plancheck.ExpectUnknownValue(testTaskAddr, taskAttr("id")),
					plancheck.ExpectUnknownValue(testTaskAddr, taskAttr("state")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testTaskAddr, taskAttr("id"), captureString(&second)),
					statecheck.ExpectKnownValue(testTaskAddr, taskAttr("adopted"), knownvalue.Bool(false)),
					env.expectTaskStates(t, host.ID, fogclient.TaskStateCancelled, fogclient.TaskStateQueued),
					env.expectRequests(routeCreateTask, 2),
					stateCheckFunc(func() error {
						if first == second {
							return fmt.Errorf("triggers change kept task %s", first)
						}
						return nil
					}),
				},
			},
			{
				// terraform apply -replace=fog_task.test
				Config: withTrigger("2"),
				Taint:  []string{testTaskAddr},
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testTaskAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testTaskAddr, taskAttr("id"), captureString(&third)),
					statecheck.ExpectKnownValue(testTaskAddr, taskAttr("adopted"), knownvalue.Bool(false)),
					env.expectTaskStates(t, host.ID, fogclient.TaskStateCancelled, fogclient.TaskStateCancelled, fogclient.TaskStateQueued),
					env.expectRequests(routeCreateTask, 3),
				},
			},
			{
				Config:           withTrigger("2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// TestAccTask_rerunFinishedTask: -replace after FOG completed the task
// starts exactly one new task; destroying the finished one sends nothing.
func TestAccTask_rerunFinishedTask(t *testing.T) {
	env := newAccEnv(t)
	skipUnlessEmulator(t, env, "needs the emulator to complete the task")
	host, _ := env.hostWithImage(t, false)
	config := env.Config(taskConfig(idString(host.ID), "deploy", ""))

	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() { mustEmulator(t, "complete task", env.Emulator.CompleteTask(env.onlyTaskOf(t, host.ID).ID)) },
				Config:    config,
				Taint:     []string{testTaskAddr},
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testTaskAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testTaskAddr, taskAttr("state"), knownvalue.StringExact("queued")),
					statecheck.ExpectKnownValue(testTaskAddr, taskAttr("adopted"), knownvalue.Bool(false)),
					env.expectTaskStates(t, host.ID, fogclient.TaskStateComplete, fogclient.TaskStateQueued),
					env.expectRequests(routeCreateTask, 2),
					env.expectRequests(routeCancelTask, 0),
				},
			},
		},
	})
}

// TestAccTask_updateInPlace: wait_for_completion, cancel_on_destroy,
// timeouts and a new spelling of `type` update in place and never start a
// task. With cancel_on_destroy = false, destroy leaves the queued task.
func TestAccTask_updateInPlace(t *testing.T) {
	env := newAccEnv(t)
	host, _ := env.hostWithImage(t, false)
	hostID := idString(host.ID)
	var taskID string
	sameTask := knownvalue.StringFunc(func(v string) error {
		if v != taskID {
			return fmt.Errorf("id %s, want %s", v, taskID)
		}
		return nil
	})

	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if err := env.expectTaskStates(t, host.ID, fogclient.TaskStateQueued)(); err != nil {
				return err
			}
			return env.expectRequests(routeCancelTask, 0)()
		},
		Steps: []resource.TestStep{
			{
				Config: env.Config(taskConfig(hostID, "deploy", "")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testTaskAddr, taskAttr("id"), captureString(&taskID)),
				},
			},
			{
				Config: env.Config(taskConfig(hostID, "deploy", `
  wait_for_completion = true
  cancel_on_destroy   = false
  timeouts {
    create = "5m"
  }
`)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testTaskAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(testTaskAddr, taskAttr("state"), knownvalue.StringExact("queued")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testTaskAddr, taskAttr("id"), sameTask),
					statecheck.ExpectKnownValue(testTaskAddr, taskAttr("wait_for_completion"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(testTaskAddr, taskAttr("cancel_on_destroy"), knownvalue.Bool(false)),
					env.expectRequests(routeCreateTask, 1),
				},
			},
			{
				// Same type, other spelling (name, then id): no new task.
				Config: env.Config(taskConfig(hostID, "Deploy", "  wait_for_completion = true\n  cancel_on_destroy = false\n")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testTaskAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testTaskAddr, taskAttr("type"), knownvalue.StringExact("Deploy")),
					statecheck.ExpectKnownValue(testTaskAddr, taskAttr("id"), sameTask),
				},
			},
			{
				Config: env.Config(taskConfig(hostID, "1", "  wait_for_completion = true\n  cancel_on_destroy = false\n")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testTaskAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testTaskAddr, taskAttr("type"), knownvalue.StringExact("1")),
					statecheck.ExpectKnownValue(testTaskAddr, taskAttr("type_id"), knownvalue.Int64Exact(1)),
					statecheck.ExpectKnownValue(testTaskAddr, taskAttr("id"), sameTask),
					env.expectRequests(routeCreateTask, 1),
					env.expectTaskStates(t, host.ID, fogclient.TaskStateQueued),
				},
			},
		},
	})
}

// TestAccTask_destroyCancelsQueued: destroy cancels a queued task this
// resource created, with one scoped cancel request.
func TestAccTask_destroyCancelsQueued(t *testing.T) {
	env := newAccEnv(t)
	host, _ := env.hostWithImage(t, false)
	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if err := env.expectTaskStates(t, host.ID, fogclient.TaskStateCancelled)(); err != nil {
				return err
			}
			if err := env.expectRequests(routeCancelTask, 1)(); err != nil {
				return err
			}
			return env.expectRequests("DELETE /fog/task/cancel", 0)()
		},
		Steps: []resource.TestStep{{Config: env.Config(taskConfig(idString(host.ID), "deploy", ""))}},
	})
}

// TestAccTask_destroyLeavesInProgress: a task the host is already imaging
// is not cancelled on destroy (that would leave a half-written disk).
func TestAccTask_destroyLeavesInProgress(t *testing.T) {
	env := newAccEnv(t)
	skipUnlessEmulator(t, env, "needs the emulator's PXE client to check the task in")
	host, _ := env.hostWithImage(t, false)
	config := env.Config(taskConfig(idString(host.ID), "deploy", ""))
	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if err := env.expectTaskStates(t, host.ID, fogclient.TaskStateInProgress)(); err != nil {
				return err
			}
			return env.expectRequests(routeCancelTask, 0)()
		},
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig:        func() { mustEmulator(t, "check in", env.Emulator.CheckInTask(env.onlyTaskOf(t, host.ID).ID)) },
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testTaskAddr, taskAttr("state"), knownvalue.StringExact("in_progress")),
				},
			},
		},
	})
}

// TestAccTask_wakeUp: FOG deletes a Wake-Up's task row at once; the
// resource records the request as "sent" and sends exactly one packet.
// Without wol = true the plan fails (the task would do nothing).
func TestAccTask_wakeUp(t *testing.T) {
	env := newAccEnv(t)
	host := env.CreateHost(t, fogclient.HostCreate{})
	config := env.Config(taskConfig(idString(host.ID), "wake-up", "  wol = true\n"))
	wolSent := func(want int64) stateCheckFunc {
		return func() error {
			if env.Emulator != nil && env.Emulator.WakeOnLANSent() != want {
				return fmt.Errorf("Wake-on-LAN sent %d times, want %d", env.Emulator.WakeOnLANSent(), want)
			}
			return nil
		}
	}
	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      env.Config(taskConfig(idString(host.ID), "Wake-Up", "")),
				PlanOnly:    true,
				ExpectError: expectError("does nothing unless FOG sends the Wake-on-LAN packet: set wol = true"),
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(testTaskAddr, taskAttr("type_id"), knownvalue.Int64Exact(fogclient.TaskTypeWakeUp)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testTaskAddr, taskAttr("id"),
						knownvalue.StringRegexp(regexp.MustCompile(fmt.Sprintf(`^wakeup-%d-\d{8}T\d{6}Z$`, host.ID)))),
					statecheck.ExpectKnownValue(testTaskAddr, taskAttr("state"), knownvalue.StringExact("sent")),
					statecheck.ExpectKnownValue(testTaskAddr, taskAttr("state_id"), knownvalue.Null()),
					statecheck.ExpectKnownValue(testTaskAddr, taskAttr("adopted"), knownvalue.Bool(false)),
					wolSent(1),
					env.expectRequests(routeCreateTask, 1),
					stateCheckFunc(func() error {
						if tasks := env.tasksOf(t, host.ID); len(tasks) != 0 {
							return fmt.Errorf("a Wake-Up leaves no task row, found %+v", tasks)
						}
						return nil
					}),
				},
			},
			{
				Config:            config,
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{wolSent(1), env.expectRequests(routeCreateTask, 1)},
			},
		},
	})
}

// TestAccTask_importRefused: fog_task is not importable, with a message
// that points to adoption.
func TestAccTask_importRefused(t *testing.T) {
	env := newAccEnv(t)
	host, _ := env.hostWithImage(t, false)
	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: env.Config(taskConfig(idString(host.ID), "deploy", ""))},
			{
				ResourceName:  testTaskAddr,
				ImportState:   true,
				ImportStateId: "1",
				ExpectError:   expectError("fog_task cannot be imported", "adopts the host's active task"),
			},
		},
	})
}

// TestAccTask_unknownType: an unknown type name fails (the plan warns, the
// apply refuses: the types are the server's) with the server's valid names,
// and nothing is sent.
func TestAccTask_unknownType(t *testing.T) {
	env := newAccEnv(t)
	host, _ := env.hostWithImage(t, false)
	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      env.Config(taskConfig(idString(host.ID), "deploi", "")),
				ExpectError: expectError(`"deploi" is not a task type of the FOG server`, `Valid task types: "Deploy" (1), "Capture" (2)`, `"Wake-Up" (14)`),
			},
			{
				Config:      env.Config(taskConfig(idString(host.ID), "single snapin", "  deploy_snapins = true\n")),
				PlanOnly:    true,
				ExpectError: expectError("needs the snapin to deploy"),
			},
		},
	})
	assertAfter(t, func() error {
		return env.expectRequests(routeCreateTask, 0)()
	})
}

// TestAccTask_example: the documented example applies as written: the
// deploy waits for the assignment and for completion, and the Wake-Up is
// recorded as sent. Re-planning proposes nothing.
func TestAccTask_example(t *testing.T) {
	env := newAccEnv(t, withEmulatorOptions(func(o *fogtest.Options) { o.AutoProgress = fogtest.AutoProgress{EveryPolls: 1} }))
	skipUnlessEmulator(t, env, "the example uses fixed host ids and image names")
	example, err := os.ReadFile("../../examples/resources/fog_task/resource.tf")
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 13; i++ { // the example's hosts are 12 and 13
		if _, err := env.Emulator.SeedHost(fmt.Sprintf("lab%02d", i), 0, fmt.Sprintf("02:00:00:00:00:%02x", i)); err != nil {
			t.Fatal(err)
		}
	}
	config := env.Config(string(example))
	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("fog_task.deploy_lab01", taskAttr("state"), knownvalue.StringExact("complete")),
					statecheck.ExpectKnownValue("fog_task.deploy_lab01", taskAttr("percent"), knownvalue.Int64Exact(100)),
					statecheck.ExpectKnownValue("fog_task.wake_lab02", taskAttr("state"), knownvalue.StringExact("sent")),
					env.expectRequests(routeCreateTask, 2),
				},
			},
			{
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// TestTaskModifyPlan: type_id is resolved at plan time, deploy, capture and
// wipe warn naming the host and the image, a capture onto a protected image,
// an unknown type, host or image warn (checks against the server's state:
// serverChecksAtPlan), useless flags are errors, and nothing is sent to FOG
// but reads.
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
		{"capture onto a protected image is refused", planned(host2, "Capture"), diag.SeverityWarning,
			[]string{"Image is protected", `Image "gold" (id 2) is protected`, `host "host2"`}, 2},
		{"capture onto a protected image_id is refused", planned(host1, "Capture - Debug", withImage(gold)), diag.SeverityWarning,
			[]string{`Image "gold" (id 2) is protected`}, 16},
		{"deploy on a host without image warns", planned(host3, "deploy"), diag.SeverityWarning,
			[]string{"Host has no image", `"host3"`, "Image is not valid"}, 1},
		{"unknown host", planned(99, "deploy"), diag.SeverityWarning, []string{"no host with id 99", "The apply will stop"}, 1},
		{"unknown image_id", planned(host1, "deploy", withImage(77)), diag.SeverityWarning, []string{"no image with id 77"}, 1},
		{"unknown type lists valid ones", planned(host1, "deploi"), diag.SeverityWarning,
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
		resp := h.read(t, prior)
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
