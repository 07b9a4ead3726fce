// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

const testAssignmentAddr = "fog_host_image_assignment.test"

// twoImagesConfig declares fog_image.a and fog_image.b.
func twoImagesConfig(prefix string) string {
	return fmt.Sprintf(`
resource "fog_image" "a" {
  name          = "%[1]s-a"
  path          = "%[1]s-a"
  image_type_id = 1
  os_id         = 9
}

resource "fog_image" "b" {
  name          = "%[1]s-b"
  path          = "%[1]s-b"
  image_type_id = 1
  os_id         = 9
}
`, prefix)
}

func assignmentConfig(hostID int64, imageExpr string) string {
	return fmt.Sprintf(`
resource "fog_host_image_assignment" "test" {
  host_id  = %d
  image_id = %s
}
`, hostID, imageExpr)
}

// hostOnServer checks the host as FOG stores it. It belongs in
// ConfigStateChecks, after any check that captures an id it uses.
func (e *accEnv) hostOnServer(t *testing.T, hostID int64, check func(*fogclient.Host) error) stateCheckFunc {
	return func() error { return check(e.GetHost(t, hostID)) }
}

func hostHasImage(idOf func() int64) func(*fogclient.Host) error {
	return func(h *fogclient.Host) error {
		if want := idOf(); h.ImageID != want {
			return fmt.Errorf("host %s has image %d, want %d", h.Name, h.ImageID, want)
		}
		return nil
	}
}

// TestAccHostImageAssignment_lifecycle: create, import, update, drift
// (changed outside Terraform; image deleted outside Terraform), destroy.
// The host's other fields must survive every write unchanged (FOG's escape
// ratchet would otherwise rewrite them HTML-escaped).
func TestAccHostImageAssignment_lifecycle(t *testing.T) {
	env := newAccEnv(t)
	prefix := uniqueImageName("asg")
	host := env.CreateHost(t, fogclient.HostCreate{Description: "R&D <lab> 'A'", KernelArgs: "quiet&x=1"})
	var imageA, imageB, imageB2 string
	id := func(s *string) func() int64 { return func() int64 { return mustID(t, *s) } }
	untouched := func(h *fogclient.Host) error {
		if h.Description != "R&D <lab> 'A'" || h.KernelArgs != "quiet&x=1" || h.Name != host.Name || h.PrimaryMAC != host.PrimaryMAC {
			return fmt.Errorf("the assignment changed other host fields: %+v", h)
		}
		return nil
	}
	hostID := strconv.FormatInt(host.ID, 10)

	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(s *terraform.State) error {
			if h := env.GetHost(t, host.ID); h.ImageID != 0 {
				return fmt.Errorf("host %s still has image %d after destroy", h.Name, h.ImageID)
			}
			return untouched(env.GetHost(t, host.ID))
		},
		Steps: []resource.TestStep{
			{
				Config: env.Config(twoImagesConfig(prefix), assignmentConfig(host.ID, "tonumber(fog_image.a.id)")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testAssignmentAddr, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("fog_image.a", tfjsonpath.New("id"), captureString(&imageA)),
					statecheck.ExpectKnownValue("fog_image.b", tfjsonpath.New("id"), captureString(&imageB)),
					statecheck.ExpectKnownValue(testAssignmentAddr, tfjsonpath.New("id"), knownvalue.StringExact(hostID)),
					statecheck.ExpectKnownValue(testAssignmentAddr, tfjsonpath.New("host_id"), knownvalue.Int64Exact(host.ID)),
					statecheck.CompareValuePairs(testAssignmentAddr, tfjsonpath.New("image_id"), "fog_image.a", tfjsonpath.New("id"), numberEqualsString{}),
					env.hostOnServer(t, host.ID, hostHasImage(id(&imageA))),
					env.hostOnServer(t, host.ID, untouched),
				},
			},
			{
				ResourceName:      testAssignmentAddr,
				ImportState:       true,
				ImportStateId:     hostID,
				ImportStateVerify: true,
			},
			{
				Config: env.Config(twoImagesConfig(prefix), assignmentConfig(host.ID, "tonumber(fog_image.b.id)")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testAssignmentAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.CompareValuePairs(testAssignmentAddr, tfjsonpath.New("image_id"), "fog_image.b", tfjsonpath.New("id"), numberEqualsString{}),
					env.hostOnServer(t, host.ID, hostHasImage(id(&imageB))),
					env.hostOnServer(t, host.ID, untouched),
				},
			},
			{
				// Drift: someone assigns image A in FOG; the plan puts B back.
				PreConfig: func() {
					ctx, cancel := fixtureContext()
					defer cancel()
					if _, err := env.Client.AssignImage(ctx, host.ID, mustID(t, imageA)); err != nil {
						t.Fatalf("out-of-band assignment: %v", err)
					}
				},
				Config: env.Config(twoImagesConfig(prefix), assignmentConfig(host.ID, "tonumber(fog_image.b.id)")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testAssignmentAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{env.hostOnServer(t, host.ID, hostHasImage(id(&imageB)))},
			},
			{
				// Drift: image B deleted in FOG (which leaves the host without an
				// image); the plan shows both, and the apply restores them.
				PreConfig: func() {
					ctx, cancel := fixtureContext()
					defer cancel()
					if err := env.Client.DeleteImage(ctx, mustID(t, imageB)); err != nil {
						t.Fatalf("out-of-band delete: %v", err)
					}
				},
				Config: env.Config(twoImagesConfig(prefix), assignmentConfig(host.ID, "tonumber(fog_image.b.id)")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("fog_image.b", plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction(testAssignmentAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("fog_image.b", tfjsonpath.New("id"), captureString(&imageB2)),
					env.hostOnServer(t, host.ID, hostHasImage(id(&imageB2))),
				},
			},
		},
	})
}

// TestAccHostImageAssignment_imageDeletedShowsDrift: deleting the image in
// FOG resets the host to no image; the plan that would assign the deleted
// image again warns (the server's state: serverChecksAtPlan), and the apply
// refuses it before it writes, saying why.
func TestAccHostImageAssignment_imageDeletedShowsDrift(t *testing.T) {
	env := newAccEnv(t)
	host := env.CreateHost(t, fogclient.HostCreate{})
	img := env.CreateImage(t, fogclient.ImageCreate{})
	config := env.Config(assignmentConfig(host.ID, strconv.FormatInt(img.ID, 10)))
	rec := &diagRecorder{}
	defer rec.expectPlanWarning(t, "deleted", "fog_host_image_assignment", "image_id", fmt.Sprintf(`FOG has no image with id %d`, img.ID))

	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: rec.factories(),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testAssignmentAddr, tfjsonpath.New("image_id"), knownvalue.Int64Exact(img.ID)),
				},
			},
			{
				PreConfig: func() {
					ctx, cancel := fixtureContext()
					defer cancel()
					if err := env.Client.DeleteImage(ctx, img.ID); err != nil {
						t.Fatalf("out-of-band delete: %v", err)
					}
					rec.setLabel("deleted")
				},
				Config:      config,
				ExpectError: expectError(fmt.Sprintf(`Unable to assign the image of host %d`, host.ID), fmt.Sprintf(`FOG has no image with id %d`, img.ID), `Use the id of an existing image`),
			},
		},
	})
}

// TestAccHostImageAssignment_hostDeleted: a host deleted outside Terraform
// leaves the state; the plan that would assign its image again warns, and
// the apply refuses it before it writes, saying the host does not exist.
func TestAccHostImageAssignment_hostDeleted(t *testing.T) {
	env := newAccEnv(t)
	host := env.CreateHost(t, fogclient.HostCreate{})
	img := env.CreateImage(t, fogclient.ImageCreate{})
	config := env.Config(assignmentConfig(host.ID, strconv.FormatInt(img.ID, 10)))
	rec := &diagRecorder{}
	defer rec.expectPlanWarning(t, "deleted", "fog_host_image_assignment", "host_id", fmt.Sprintf(`FOG has no host with id %d`, host.ID))

	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: rec.factories(),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					ctx, cancel := fixtureContext()
					defer cancel()
					if err := env.Client.DeleteHost(ctx, host.ID); err != nil {
						t.Fatalf("out-of-band delete: %v", err)
					}
					rec.setLabel("deleted")
				},
				Config:      config,
				ExpectError: expectError(fmt.Sprintf(`Unable to assign the image of host %d`, host.ID), fmt.Sprintf(`FOG has no host with id %d`, host.ID), `fog_hosts data source`),
			},
		},
	})
}

// TestAccHostImageAssignment_destroyLeavesOtherImage: when someone assigned
// another image after Terraform did, destroy leaves it alone (with a warning).
func TestAccHostImageAssignment_destroyLeavesOtherImage(t *testing.T) {
	env := newAccEnv(t)
	host := env.CreateHost(t, fogclient.HostCreate{})
	ours := env.CreateImage(t, fogclient.ImageCreate{})
	theirs := env.CreateImage(t, fogclient.ImageCreate{})

	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.Config(assignmentConfig(host.ID, strconv.FormatInt(ours.ID, 10))),
				ConfigStateChecks: []statecheck.StateCheck{
					env.hostOnServer(t, host.ID, hostHasImage(func() int64 { return ours.ID })),
				},
			},
			{
				PreConfig: func() {
					ctx, cancel := fixtureContext()
					defer cancel()
					if _, err := env.Client.AssignImage(ctx, host.ID, theirs.ID); err != nil {
						t.Fatalf("out-of-band assignment: %v", err)
					}
				},
				// The assignment leaves the configuration: it is destroyed.
				Config: env.Config(),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testAssignmentAddr, plancheck.ResourceActionDestroy),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					env.hostOnServer(t, host.ID, hostHasImage(func() int64 { return theirs.ID })),
				},
			},
		},
	})
}

// TestAccHostImageAssignment_adoptsExistingImage: creating the assignment on
// a host that already has another image replaces it (with a warning).
func TestAccHostImageAssignment_adoptsExistingImage(t *testing.T) {
	env := newAccEnv(t)
	previous := env.CreateImage(t, fogclient.ImageCreate{})
	wanted := env.CreateImage(t, fogclient.ImageCreate{})
	host := env.CreateHost(t, fogclient.HostCreate{ImageID: previous.ID})

	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.Config(assignmentConfig(host.ID, strconv.FormatInt(wanted.ID, 10))),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testAssignmentAddr, tfjsonpath.New("image_id"), knownvalue.Int64Exact(wanted.ID)),
					env.hostOnServer(t, host.ID, hostHasImage(func() int64 { return wanted.ID })),
				},
			},
		},
	})
}

// TestAccHostImageAssignment_invalidInput: missing host or image, bad import ids.
func TestAccHostImageAssignment_invalidInput(t *testing.T) {
	env := newAccEnv(t)
	host := env.CreateHost(t, fogclient.HostCreate{})
	img := env.CreateImage(t, fogclient.ImageCreate{})
	const missing = 987654321

	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      env.Config(assignmentConfig(host.ID, "0")),
				ExpectError: expectError(`must be at least 1`),
			},
			{
				Config:      env.Config(assignmentConfig(host.ID, strconv.Itoa(missing))),
				ExpectError: expectError(fmt.Sprintf(`FOG has no image with id %d`, missing)),
			},
			{
				Config:      env.Config(assignmentConfig(missing, strconv.FormatInt(img.ID, 10))),
				ExpectError: expectError(fmt.Sprintf(`FOG has no host with id %d`, missing)),
			},
			{
				Config:        env.Config(assignmentConfig(host.ID, strconv.FormatInt(img.ID, 10))),
				ResourceName:  testAssignmentAddr,
				ImportState:   true,
				ImportStateId: "web01",
				ExpectError:   expectError(`import id must be the host's FOG id`),
			},
			{
				Config:        env.Config(assignmentConfig(host.ID, strconv.FormatInt(img.ID, 10))),
				ResourceName:  testAssignmentAddr,
				ImportState:   true,
				ImportStateId: strconv.FormatInt(host.ID, 10),
				ExpectError:   expectError(`has no image assigned, so there is nothing to import`),
			},
		},
	})
}

// numberEqualsString compares an Int64 attribute with a string id attribute.
type numberEqualsString struct{}

func (numberEqualsString) CompareValues(values ...any) error {
	if len(values) != 2 {
		return fmt.Errorf("want 2 values, got %d", len(values))
	}
	return compareNumberString(values[0], values[1])
}

func compareNumberString(a, b any) error {
	if fmt.Sprint(a) != fmt.Sprint(b) {
		return fmt.Errorf("%v (%T) != %v (%T)", a, a, b, b)
	}
	return nil
}
