// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

// Acceptance tests of the read cache (read_cache.go): a refresh costs a
// constant number of FOG requests whatever the number of resources, and
// drift, out-of-band deletes, zombies and hidden names are seen exactly as
// with a GET per resource. Request counts come from the emulator's counters
// and are reset in PreConfig, so each check sees one step's requests.

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

// planCheckFunc runs f as a plan check (for assertions on the server or
// the emulator's counters at a precise point of a step).
type planCheckFunc func() error

func (f planCheckFunc) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = f()
}

// expectRouteCounts checks several emulator route counters, and the total
// when total >= 0 (nothing to check against a real server).
func (e *accEnv) expectRouteCounts(total int64, want map[string]int64) planCheckFunc {
	return func() error {
		if e.Emulator == nil {
			return nil
		}
		var problems []string
		for route, n := range want {
			if got := e.Emulator.Count(route); got != n {
				problems = append(problems, fmt.Sprintf("%s: %d requests, want %d", route, got, n))
			}
		}
		if got := e.Emulator.TotalRequests(); total >= 0 && got != total {
			problems = append(problems, fmt.Sprintf("%d requests in all, want %d", got, total))
		}
		if len(problems) > 0 {
			return fmt.Errorf("%s (requests: %v)", strings.Join(problems, "; "), e.Emulator.Counters())
		}
		return nil
	}
}

func (e *accEnv) resetCounters() {
	if e.Emulator != nil {
		e.Emulator.ResetCounters()
	}
}

// imagesWithAssignments declares n fog_image.many and n
// fog_host_image_assignment.many, one per host.
func imagesWithAssignments(prefix string, hosts []*fogclient.Host) string {
	ids := make([]string, len(hosts))
	for i, h := range hosts {
		ids[i] = idString(h.ID)
	}
	return fmt.Sprintf(`
locals {
  host_ids = [%s]
}

resource "fog_image" "many" {
  count         = length(local.host_ids)
  name          = "%s-${count.index}"
  path          = "%s-${count.index}"
  image_type_id = 1
  os_id         = 9
}

resource "fog_host_image_assignment" "many" {
  count    = length(local.host_ids)
  host_id  = local.host_ids[count.index]
  image_id = tonumber(fog_image.many[count.index].id)
}
`, strings.Join(ids, ", "), prefix, prefix)
}

// TestAccRefresh_constantRequests: refreshing 30 images and 30 assignments
// costs the credentials check and one list per class (3 requests, where a
// GET per resource would cost 61), and no GET by id. Drift and out-of-band
// deletes are still seen: a deleted image is confirmed by one GET by id and
// planned again, a changed image and a reassigned host are put back.
func TestAccRefresh_constantRequests(t *testing.T) {
	env := newAccEnv(t)
	skipUnlessEmulator(t, env, "counts requests with the emulator's counters")
	const n = 30
	hosts := make([]*fogclient.Host, n)
	for i := range hosts {
		hosts[i] = env.CreateHost(t, fogclient.HostCreate{})
	}
	prefix := uniqueImageName("refresh")
	config := env.Config(imagesWithAssignments(prefix, hosts))
	image := func(i int) string { return fmt.Sprintf("fog_image.many[%d]", i) }
	assignment := func(i int) string { return fmt.Sprintf("fog_host_image_assignment.many[%d]", i) }
	imageIDs := make([]string, n)
	var captures []statecheck.StateCheck
	for i := range imageIDs {
		captures = append(captures, statecheck.ExpectKnownValue(image(i), tfjsonpath.New("id"), captureString(&imageIDs[i])))
	}

	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.checkImagesDestroyed(),
		Steps: []resource.TestStep{
			{Config: config, ConfigStateChecks: captures},
			{
				// A no-op plan: the refresh of 60 resources.
				PreConfig: env.resetCounters,
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
					env.expectRouteCounts(3, map[string]int64{
						"GET /fog/system/status": 1, routeListImages: 1, routeListHosts: 1, routeGetImage: 0, routeGetHost: 0,
					}),
					planCheckFunc(func() error {
						fmt.Printf("refresh_requests n=%d: %d\n", n, env.Emulator.TotalRequests())
						return nil
					}),
				}},
			},
			{
				// Outside Terraform: image 0 deleted (FOG unassigns host 0),
				// image 1 changed, host 2 given image 3.
				PreConfig: func() {
					ctx, cancel := fixtureContext()
					defer cancel()
					desc := "changed in the FOG UI"
					if err := env.Client.DeleteImage(ctx, mustID(t, imageIDs[0])); err != nil {
						t.Fatal(err)
					}
					if _, err := env.Client.UpdateImage(ctx, mustID(t, imageIDs[1]), fogclient.ImageUpdate{Description: &desc}); err != nil {
						t.Fatal(err)
					}
					if _, err := env.Client.AssignImage(ctx, hosts[2].ID, mustID(t, imageIDs[3])); err != nil {
						t.Fatal(err)
					}
					env.resetCounters()
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(image(0), plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction(assignment(0), plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction(image(1), plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(image(1), tfjsonpath.New("description"), knownvalue.StringExact("")),
					plancheck.ExpectResourceAction(assignment(2), plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(assignment(2), tfjsonpath.New("image_id"), knownvalue.Int64Func(func(v int64) error {
						if idString(v) != imageIDs[2] {
							return fmt.Errorf("image_id %d, want image %s back", v, imageIDs[2])
						}
						return nil
					})),
					plancheck.ExpectResourceAction(image(2), plancheck.ResourceActionNoop),
					plancheck.ExpectResourceAction(assignment(3), plancheck.ResourceActionNoop),
					// The deleted image, missing from the list, is confirmed by id.
					env.expectRouteCounts(-1, map[string]int64{routeListImages: 1, routeListHosts: 1, routeGetImage: 1, routeGetHost: 0}),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(image(1), tfjsonpath.New("description"), knownvalue.StringExact("")),
					stateCheckFunc(func() error {
						if h := env.GetHost(t, hosts[2].ID); idString(h.ImageID) != imageIDs[2] {
							return fmt.Errorf("host %d has image %d after the apply, want %s", h.ID, h.ImageID, imageIDs[2])
						}
						return nil
					}),
				},
			},
		},
	})
}

// TestAccRefresh_zombieAndHiddenName: what the image list does not show as
// it is, is read by id. A zombie (listed, but 404 by id) is removed from
// the state as before, and an image renamed outside Terraform to a name FOG
// hides from lists ("_api_") is an update, not a delete.
func TestAccRefresh_zombieAndHiddenName(t *testing.T) {
	env := newAccEnv(t)
	skipUnlessEmulator(t, env, "makes a zombie row in the emulator's database")
	hosts := []*fogclient.Host{env.CreateHost(t, fogclient.HostCreate{}), env.CreateHost(t, fogclient.HostCreate{})}
	prefix := uniqueImageName("zombie")
	config := env.Config(imagesWithAssignments(prefix, hosts))
	var zombieID, hiddenID string
	rec := &diagRecorder{}

	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: rec.factories(),
		CheckDestroy:             env.checkImagesDestroyed(),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("fog_image.many[0]", tfjsonpath.New("id"), captureString(&zombieID)),
					statecheck.ExpectKnownValue("fog_image.many[1]", tfjsonpath.New("id"), captureString(&hiddenID)),
				},
			},
			{
				PreConfig: func() {
					mustEmulator(t, "rename", env.Emulator.SetRawField("image", mustID(t, hiddenID), "name", prefix+"_api_1"))
					env.resetCounters()
				},
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					// Hidden from the list, found by id: an update, not a delete.
					plancheck.ExpectResourceAction("fog_image.many[0]", plancheck.ResourceActionNoop),
					plancheck.ExpectResourceAction("fog_image.many[1]", plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue("fog_image.many[1]", tfjsonpath.New("name"), knownvalue.StringExact(prefix+"-1")),
					plancheck.ExpectResourceAction("fog_host_image_assignment.many[1]", plancheck.ResourceActionNoop),
					// Only the row the list cannot vouch for was read by id.
					env.expectRouteCounts(-1, map[string]int64{routeListImages: 1, routeGetImage: 1, routeGetHost: 0}),
				}},
			},
			{
				PreConfig: func() {
					// FOG answers 404 for an image whose type does not exist
					// (recording image-edit-imagetypeid-invalid), but lists it.
					mustEmulator(t, "zombie", env.Emulator.SetRawField("image", mustID(t, zombieID), "imageTypeID", "99"))
					rec.setLabel("zombie")
				},
				// Gone as far as FOG's API goes, so planned again; but the
				// zombie row still holds its name, so the plan says so (a
				// warning: the server's state, serverChecksAtPlan) instead of
				// leaving it to an apply failing with "Already created".
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				PreConfig: func() {
					if p := rec.planWarning("zombie", "fog_image", "name", expectError(fmt.Sprintf(`FOG already has an image named %q`, prefix+"-0"))); p != "" {
						t.Error(p)
					}
					mustEmulator(t, "repair", env.Emulator.SetRawField("image", mustID(t, zombieID), "imageTypeID", "1"))
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("fog_image.many[0]", plancheck.ResourceActionNoop),
					plancheck.ExpectResourceAction("fog_image.many[1]", plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					env.imageOnServer(&hiddenID, func(img *fogclient.Image) error {
						if img.Name != prefix+"-1" {
							return fmt.Errorf("name %q not put back", img.Name)
						}
						return nil
					}),
				},
			},
		},
	})
}

// TestAccRefresh_writtenAndReadBackInOneApply: in one apply, a data source
// lists the hosts, an assignment then changes one, and a second data source
// lists them again: the write dropped the first list, so the second sees
// the assignment.
func TestAccRefresh_writtenAndReadBackInOneApply(t *testing.T) {
	env := newAccEnv(t)
	host := env.CreateHost(t, fogclient.HostCreate{})
	name := uniqueImageName("readback")
	config := env.Config(fmt.Sprintf(`
resource "fog_image" "img" {
  name          = %q
  path          = %q
  image_type_id = 1
  os_id         = 9
}

# Read during the apply (its image_id is unknown until the image exists),
# before the assignment.
data "fog_hosts" "before" {
  image_id = tonumber(fog_image.img.id)
}

resource "fog_host_image_assignment" "lab" {
  host_id    = %d
  image_id   = tonumber(fog_image.img.id)
  depends_on = [data.fog_hosts.before]
}

data "fog_hosts" "after" {
  image_id = fog_host_image_assignment.lab.image_id
}
`, name, name, host.ID))

	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.checkImagesDestroyed(),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.fog_hosts.before", tfjsonpath.New("hosts"), knownvalue.ListExact([]knownvalue.Check{})),
					statecheck.ExpectKnownValue("data.fog_hosts.after", tfjsonpath.New("hosts"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.Int64Exact(host.ID)}),
					})),
					// Both data sources listed the hosts during the apply (the
					// plan read neither: their image_id was unknown); the plan
					// listed them once, for the assignment's host check. The
					// assignment of the image created in the same apply costs
					// no GET to check that the image exists.
					stateCheckFunc(env.expectRouteCounts(-1, map[string]int64{routeListHosts: 3, routeGetImage: 0})),
				},
			},
		},
	})
}

// TestAccRefresh_tasks: active tasks are refreshed from one active-task
// list; a task that finished or was cancelled outside Terraform is read by
// id and recorded as such.
func TestAccRefresh_tasks(t *testing.T) {
	env := newAccEnv(t)
	skipUnlessEmulator(t, env, "completes a task with the emulator's PXE client")
	var hosts []*fogclient.Host
	var blocks []string
	for i := range 3 {
		host, _ := env.hostWithImage(t, false)
		hosts = append(hosts, host)
		blocks = append(blocks, fmt.Sprintf(`
resource "fog_task" "t%d" {
  host_id = %d
  type    = "Deploy"
}
`, i, host.ID))
	}
	config := env.Config(blocks...)
	taskIDs := make([]string, 3)

	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("fog_task.t0", taskAttr("id"), captureString(&taskIDs[0])),
					statecheck.ExpectKnownValue("fog_task.t1", taskAttr("id"), captureString(&taskIDs[1])),
					statecheck.ExpectKnownValue("fog_task.t2", taskAttr("id"), captureString(&taskIDs[2])),
				},
			},
			{
				PreConfig: env.resetCounters,
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
					env.expectRouteCounts(2, map[string]int64{"GET /fog/system/status": 1, routeActive: 1}),
				}},
			},
			{
				PreConfig: func() {
					mustEmulator(t, "complete", env.Emulator.CompleteTask(mustID(t, taskIDs[0])))
					ctx, cancel := fixtureContext()
					defer cancel()
					if err := env.Client.CancelTask(ctx, mustID(t, taskIDs[1])); err != nil {
						t.Fatal(err)
					}
					env.resetCounters()
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
					// The two no longer active are read by id.
					env.expectRouteCounts(4, map[string]int64{"GET /fog/system/status": 1, routeActive: 1, routeGetTask: 2}),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("fog_task.t0", taskAttr("state"), knownvalue.StringExact("complete")),
					statecheck.ExpectKnownValue("fog_task.t1", taskAttr("state"), knownvalue.StringExact("cancelled")),
					statecheck.ExpectKnownValue("fog_task.t2", taskAttr("state"), knownvalue.StringExact("queued")),
				},
			},
		},
		CheckDestroy: func(*terraform.State) error {
			return env.expectTaskStates(t, hosts[2].ID, fogclient.TaskStateCancelled)()
		},
	})
}

// TestAccRefresh_hosts: refreshing fog_host resources costs one host list
// and one list of MAC rows (for the pending MACs of hosts with several
// MACs), not a GET per host; a host deleted outside Terraform is confirmed
// by one GET by id and planned again.
func TestAccRefresh_hosts(t *testing.T) {
	env := newAccEnv(t)
	skipUnlessEmulator(t, env, "counts requests with the emulator's counters")
	const n = 12
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "resource \"fog_host\" \"h%02d\" {\n  name = %q\n  macs = [%q, %q]\n}\n\n",
			i, uniqueHostName(), randomMAC(), randomMAC())
	}
	config := env.Config(b.String())
	var firstID string

	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("fog_host.h00", tfjsonpath.New("id"), captureString(&firstID)),
				},
			},
			{
				PreConfig: env.resetCounters,
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
					env.expectRouteCounts(3, map[string]int64{
						"GET /fog/system/status": 1, routeListHosts: 1, routeListMACs: 1, routeGetHost: 0,
					}),
				}},
			},
			{
				PreConfig: func() {
					ctx, cancel := fixtureContext()
					defer cancel()
					if err := env.Client.DeleteHost(ctx, mustID(t, firstID)); err != nil {
						t.Fatal(err)
					}
					env.resetCounters()
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("fog_host.h00", plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction("fog_host.h01", plancheck.ResourceActionNoop),
					env.expectRouteCounts(-1, map[string]int64{routeListHosts: 1, routeGetHost: 1}),
				}},
			},
		},
	})
}
