// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

// A create whose outcome stays unknown is recorded, and the next refresh
// settles it (create_record.go). Each test makes FOG go down as the create
// arrives (fogtest's outage: the create is applied, its answer cut, and the
// look that follows refused), with no retries left (max_retries = 0,
// retry_max_wait = "0s"), so the outcome stays unknown; the server is back
// for the next step.

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
	"github.com/fogproject/terraform-provider-fog/internal/fogtest"
)

// noRetries is a provider block that gives up at once.
func (e *accEnv) noRetries() string {
	return e.providerBlock(map[string]string{"max_retries": "0", "retry_max_wait": `"0s"`})
}

// cutNextWrite makes FOG go down as the next write arrives: it is applied,
// its answer cut, and every connection refused until backUp.
func (e *accEnv) cutNextWrite() {
	e.Emulator.StartOutage(fogtest.Outage{Mode: fogtest.OutageRefuse, AfterWrites: 1})
}

func (e *accEnv) backUp(t *testing.T) {
	t.Helper()
	e.Emulator.EndOutage()
	if st := e.Emulator.OutageStats(); st.Cut != 1 || st.ListenErr != "" {
		t.Errorf("outage: %+v, want exactly the create cut", st)
	}
}

// namedImages returns the ids of the images FOG takes for name.
func (e *accEnv) namedImages(name string) []int64 {
	var ids []int64
	for _, id := range e.Emulator.IDs("image") {
		if n, _ := e.Emulator.RawField("image", id, "name"); fogclient.SameName(n, name) {
			ids = append(ids, id)
		}
	}
	return ids
}

var recordedError = []string{"got no answer", "recorded in the state without an id", "marks the resource tainted"}

// TestAccRecord_image: the image FOG made is taken over by the next
// refresh and replaced by the apply (0 duplicates, 0 orphans); one deleted
// meanwhile is simply created; one changed meanwhile is not taken over and
// the create is refused as the name is taken; a destroy deletes the one
// taken over.
func TestAccRecord_image(t *testing.T) {
	for _, c := range []struct {
		name    string
		between func(env *accEnv, t *testing.T, id int64) // what happens to the image FOG made
		step    func(env *accEnv, name, config string, made *int64) resource.TestStep
	}{
		{"taken over and replaced", nil, func(env *accEnv, name, config string, made *int64) resource.TestStep {
			return resource.TestStep{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("fog_image.test", plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{stateCheckFunc(func() error {
					if ids := env.namedImages(name); len(ids) != 1 || ids[0] == *made {
						return fmt.Errorf("images named %q: %v; want one, not %d (the one taken over is replaced)", name, ids, *made)
					}
					return nil
				})},
			}
		}},
		{"deleted meanwhile", func(env *accEnv, t *testing.T, id int64) {
			ctx, cancel := fixtureContext()
			defer cancel()
			if err := env.Client.DeleteImage(ctx, id); err != nil {
				t.Fatal(err)
			}
		}, func(env *accEnv, name, config string, _ *int64) resource.TestStep {
			return resource.TestStep{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("fog_image.test", plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{stateCheckFunc(func() error {
					if ids := env.namedImages(name); len(ids) != 1 {
						return fmt.Errorf("images named %q: %v, want one", name, ids)
					}
					return nil
				})},
			}
		}},
		{"changed meanwhile", func(env *accEnv, t *testing.T, id int64) {
			mustEmulator(t, "change", env.Emulator.SetRawField("image", id, "path", "changed"))
		}, func(env *accEnv, name, config string, made *int64) resource.TestStep {
			return resource.TestStep{
				Config:      config,
				ExpectError: expectError(fmt.Sprintf("FOG already has an image named %q", name), "terraform import <resource address>"),
			}
		}},
		{"destroyed", nil, func(env *accEnv, name, config string, _ *int64) resource.TestStep {
			return resource.TestStep{Config: config, Destroy: true}
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			env := newAccEnv(t)
			skipUnlessEmulator(t, env, "takes the emulator down")
			name := uniqueImageName("rec")
			config := env.noRetries() + imageConfig(name, name, "")
			var made int64
			rec := &diagRecorder{}
			step := c.step(env, name, config, &made)
			pre := step.PreConfig
			step.PreConfig = func() {
				rec.setLabel("settle")
				env.backUp(t)
				ids := env.namedImages(name)
				if len(ids) != 1 {
					t.Fatalf("images named %q after the cut create: %v, want the one FOG made", name, ids)
				}
				made = ids[0]
				if c.between != nil {
					c.between(env, t, made)
				}
				if pre != nil {
					pre()
				}
			}
			accParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: rec.factories(),
				Steps: []resource.TestStep{
					{
						PreConfig:   env.cutNextWrite,
						Config:      config,
						ExpectError: expectError(append([]string{fmt.Sprintf("Unable to create image %q", name)}, recordedError...)...),
					},
					step,
				},
			})
			// The image taken over holds the name until the replacement
			// deletes it: the plan does not warn that the name is taken.
			if taken := rec.planWarned("settle", "fog_image", expectError("FOG already has an image named")); taken != (c.name == "changed meanwhile") {
				t.Errorf("plan warned that the name is taken: %v, want %v", taken, c.name == "changed meanwhile")
			}
			switch c.name {
			case "changed meanwhile":
				if ids := env.namedImages(name); len(ids) != 1 || ids[0] != made {
					t.Errorf("images named %q: %v; the one that differs (%d) must be left alone", name, ids, made)
				}
			case "destroyed":
				if ids := env.namedImages(name); len(ids) != 0 {
					t.Errorf("images named %q after the destroy: %v", name, ids)
				}
			}
		})
	}
}

// TestAccRecord_host: the host FOG made is taken over, then replaced.
func TestAccRecord_host(t *testing.T) {
	env := newAccEnv(t)
	skipUnlessEmulator(t, env, "takes the emulator down")
	name, mac := uniqueHostName(), randomMAC()
	config := env.noRetries() + hostConfig(name, []string{mac}, "")
	var made int64
	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig:   env.cutNextWrite,
				Config:      config,
				ExpectError: expectError(append([]string{fmt.Sprintf("Unable to create host %q", name)}, recordedError...)...),
			},
			{
				PreConfig: func() {
					env.backUp(t)
					ids := env.Emulator.IDs("host")
					if len(ids) != 1 {
						t.Fatalf("hosts after the cut create: %v", ids)
					}
					made = ids[0]
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testHostAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testHostAddr, tfjsonpath.New("primary_mac"), knownvalue.StringExact(mac)),
					stateCheckFunc(func() error {
						if ids := env.Emulator.IDs("host"); len(ids) != 1 || ids[0] == made {
							return fmt.Errorf("hosts %v; want one, not %d (the one taken over is replaced)", ids, made)
						}
						return nil
					}),
				},
			},
		},
	})
}

// TestAccRecord_assignment: an assignment that landed is kept, then
// replaced; one that did not land (the host's image changed back) is
// dropped and assigned again.
func TestAccRecord_assignment(t *testing.T) {
	for _, landed := range []bool{true, false} {
		t.Run(fmt.Sprint("landed ", landed), func(t *testing.T) {
			env := newAccEnv(t)
			skipUnlessEmulator(t, env, "takes the emulator down")
			host := env.CreateHost(t, fogclient.HostCreate{})
			img := env.CreateImage(t, fogclient.ImageCreate{})
			config := env.noRetries() + assignmentConfig(host.ID, idString(img.ID))
			action := plancheck.ResourceActionDestroyBeforeCreate
			if !landed {
				action = plancheck.ResourceActionCreate
			}
			accParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{
						PreConfig: env.cutNextWrite,
						Config:    config,
						ExpectError: expectError(fmt.Sprintf("Unable to assign the image of host %d", host.ID), "got no answer",
							"The attempt is recorded in the state", "marks the resource tainted"),
					},
					{
						PreConfig: func() {
							env.backUp(t)
							if h := env.GetHost(t, host.ID); h.ImageID != img.ID {
								t.Fatalf("host %d has image %d after the cut assignment, want %d", host.ID, h.ImageID, img.ID)
							}
							if !landed {
								mustEmulator(t, "undo", env.Emulator.SetRawField("host", host.ID, "imageID", "0"))
							}
						},
						Config: config,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(testAssignmentAddr, action),
						}},
						ConfigStateChecks: []statecheck.StateCheck{env.hostOnServer(t, host.ID, hostHasImage(func() int64 { return img.ID }))},
					},
				},
			})
		})
	}
}

// TestAccRecord_task: the task FOG made is taken over (this resource's
// own, not adopted), then replaced: cancelled before it started, and one
// new task queued.
func TestAccRecord_task(t *testing.T) {
	env := newAccEnv(t)
	skipUnlessEmulator(t, env, "takes the emulator down")
	host, _ := env.hostWithImage(t, false)
	config := env.noRetries() + taskConfig(idString(host.ID), "Deploy", "")
	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: env.cutNextWrite,
				Config:    config,
				ExpectError: expectError(fmt.Sprintf("Unable to create a Deploy task for host %d", host.ID), "got no answer",
					"recorded in the state without an id", "marks the resource tainted"),
			},
			{
				PreConfig: func() {
					env.backUp(t)
					if tasks := env.tasksOf(t, host.ID); len(tasks) != 1 {
						t.Fatalf("tasks after the cut create: %+v", tasks)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testTaskAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testTaskAddr, taskAttr("adopted"), knownvalue.Bool(false)),
					stateCheckFunc(func() error {
						var active, cancelled int
						for _, task := range env.tasksOf(t, host.ID) {
							switch {
							case task.Active():
								active++
							case task.StateID == fogclient.TaskStateCancelled:
								cancelled++
							}
						}
						if active != 1 || cancelled != 1 {
							return fmt.Errorf("host %d: %d active and %d cancelled tasks, want 1 and 1", host.ID, active, cancelled)
						}
						return nil
					}),
				},
			},
		},
	})
}
