// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
	"github.com/fogproject/terraform-provider-fog/internal/fogtest"
)

const testImageAddr = "fog_image.test"

func imageConfig(name, path, extra string) string {
	return fmt.Sprintf(`
resource "fog_image" "test" {
  name          = %q
  path          = %q
  image_type_id = 1
  os_id         = 50
%s
}
`, name, path, extra)
}

func (e *accEnv) checkImagesDestroyed() func(*terraform.State) error {
	return e.checkDestroyed("fog_image", func(ctx context.Context, id int64) error {
		_, err := e.Client.GetImage(ctx, id)
		return err
	})
}

// imageOnServer checks the image as FOG stores it (not as the state says).
// It belongs at the end of ConfigStateChecks, after the check that captures id.
func (e *accEnv) imageOnServer(id *string, check func(*fogclient.Image) error) stateCheckFunc {
	return func() error {
		n, err := strconv.ParseInt(*id, 10, 64)
		if err != nil {
			return fmt.Errorf("image id %q: %w", *id, err)
		}
		ctx, cancel := fixtureContext()
		defer cancel()
		img, err := e.Client.GetImage(ctx, n)
		if err != nil {
			return err
		}
		return check(img)
	}
}

func mustID(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatalf("id %q: %v", s, err)
	}
	return n
}

// TestAccImage_lifecycle: create, import by id and by name, update in place,
// drift (changed and deleted outside Terraform), destroy.
func TestAccImage_lifecycle(t *testing.T) {
	env := newAccEnv(t)
	name := uniqueImageName("life")
	renamed := uniqueImageName("renamed")
	var id string
	sameID := statecheck.CompareValue(compare.ValuesSame())

	created := imageConfig(name, name, `  description = "R&D <lab> & \"friends\""`)
	updated := imageConfig(renamed, renamed+"-v2", `
  description       = "second version"
  partition_type_id = 2
  enabled           = false
  replicate         = false
  compress          = 19
  format            = 6
  protected         = true
  force_destroy     = true
`)

	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.checkImagesDestroyed(),
		Steps: []resource.TestStep{
			{
				Config: env.Config(created),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testImageAddr, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testImageAddr, tfjsonpath.New("id"), captureString(&id)),
					sameID.AddStateValue(testImageAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(testImageAddr, tfjsonpath.New("name"), knownvalue.StringExact(name)),
					statecheck.ExpectKnownValue(testImageAddr, tfjsonpath.New("path"), knownvalue.StringExact(name)),
					statecheck.ExpectKnownValue(testImageAddr, tfjsonpath.New("description"), knownvalue.StringExact(`R&D <lab> & "friends"`)),
					statecheck.ExpectKnownValue(testImageAddr, tfjsonpath.New("image_type_id"), knownvalue.Int64Exact(1)),
					statecheck.ExpectKnownValue(testImageAddr, tfjsonpath.New("os_id"), knownvalue.Int64Exact(50)),
					statecheck.ExpectKnownValue(testImageAddr, tfjsonpath.New("partition_type_id"), knownvalue.Int64Exact(1)),
					statecheck.ExpectKnownValue(testImageAddr, tfjsonpath.New("enabled"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(testImageAddr, tfjsonpath.New("replicate"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(testImageAddr, tfjsonpath.New("compress"), knownvalue.Int64Exact(6)),
					statecheck.ExpectKnownValue(testImageAddr, tfjsonpath.New("format"), knownvalue.Int64Exact(5)),
					statecheck.ExpectKnownValue(testImageAddr, tfjsonpath.New("protected"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(testImageAddr, tfjsonpath.New("force_destroy"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(testImageAddr, tfjsonpath.New("created_time"), knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$`))),
					statecheck.ExpectKnownValue(testImageAddr, tfjsonpath.New("created_by"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(testImageAddr, tfjsonpath.New("last_captured"), knownvalue.StringExact("")),
					env.imageOnServer(&id, func(img *fogclient.Image) error {
						if img.Description != `R&D <lab> & "friends"` || !img.Enabled || !img.Replicate || img.Format != "5" {
							return fmt.Errorf("FOG stored %+v", img)
						}
						return nil
					}),
				},
			},
			{
				ResourceName:      testImageAddr,
				ImportState:       true,
				ImportStateVerify: true,
			},
			{
				ResourceName:      testImageAddr,
				ImportState:       true,
				ImportStateId:     "name:" + name,
				ImportStateVerify: true,
			},
			{
				ResourceName:      testImageAddr,
				ImportState:       true,
				ImportStateId:     "name:" + strings.ToUpper(name),
				ImportStateVerify: true,
			},
			{
				Config: env.Config(updated),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testImageAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(testImageAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(testImageAddr, tfjsonpath.New("name"), knownvalue.StringExact(renamed)),
					statecheck.ExpectKnownValue(testImageAddr, tfjsonpath.New("path"), knownvalue.StringExact(renamed+"-v2")),
					statecheck.ExpectKnownValue(testImageAddr, tfjsonpath.New("description"), knownvalue.StringExact("second version")),
					statecheck.ExpectKnownValue(testImageAddr, tfjsonpath.New("partition_type_id"), knownvalue.Int64Exact(2)),
					statecheck.ExpectKnownValue(testImageAddr, tfjsonpath.New("enabled"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(testImageAddr, tfjsonpath.New("replicate"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(testImageAddr, tfjsonpath.New("compress"), knownvalue.Int64Exact(19)),
					statecheck.ExpectKnownValue(testImageAddr, tfjsonpath.New("format"), knownvalue.Int64Exact(6)),
					statecheck.ExpectKnownValue(testImageAddr, tfjsonpath.New("protected"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(testImageAddr, tfjsonpath.New("force_destroy"), knownvalue.Bool(true)),
				},
			},
			{
				// Drift: changed outside Terraform, put back by the next apply.
				PreConfig: func() {
					ctx, cancel := fixtureContext()
					defer cancel()
					desc, enabled, compress := "changed in the FOG UI", true, int64(3)
					if _, err := env.Client.UpdateImage(ctx, mustID(t, id), fogclient.ImageUpdate{
						Description: &desc, Enabled: &enabled, Compress: &compress,
					}); err != nil {
						t.Fatalf("out-of-band update: %v", err)
					}
				},
				Config: env.Config(updated),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testImageAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(testImageAddr, tfjsonpath.New("description"), knownvalue.StringExact("second version")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(testImageAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(testImageAddr, tfjsonpath.New("description"), knownvalue.StringExact("second version")),
					statecheck.ExpectKnownValue(testImageAddr, tfjsonpath.New("enabled"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(testImageAddr, tfjsonpath.New("compress"), knownvalue.Int64Exact(19)),
					env.imageOnServer(&id, func(img *fogclient.Image) error {
						if img.Description != "second version" || img.Enabled || img.Compress != 19 || img.Name != renamed {
							return fmt.Errorf("drift not corrected, FOG has %+v", img)
						}
						return nil
					}),
				},
			},
			{
				// Drift: deleted outside Terraform, created again.
				PreConfig: func() {
					ctx, cancel := fixtureContext()
					defer cancel()
					if err := env.Client.DeleteImage(ctx, mustID(t, id)); err != nil {
						t.Fatalf("out-of-band delete: %v", err)
					}
				},
				Config: env.Config(updated),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testImageAddr, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testImageAddr, tfjsonpath.New("name"), knownvalue.StringExact(renamed)),
					statecheck.ExpectKnownValue(testImageAddr, tfjsonpath.New("id"), knownvalue.StringFunc(func(v string) error {
						if v == id {
							return fmt.Errorf("expected a new id, got the deleted image's id %s", v)
						}
						return nil
					})),
				},
			},
		},
	})
}

// TestAccImage_descriptionSurvivesFOG: a heredoc's trailing newline, repeated
// spaces and HTML-special characters come back from FOG changed; no diff.
func TestAccImage_descriptionSurvivesFOG(t *testing.T) {
	env := newAccEnv(t)
	name := uniqueImageName("desc")
	var id string
	config := env.Config(imageConfig(name, name, `
  description = <<-EOT
    R&D <x>  lab 'A'
    second line
  EOT
`))

	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.checkImagesDestroyed(),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testImageAddr, tfjsonpath.New("id"), captureString(&id)),
					statecheck.ExpectKnownValue(testImageAddr, tfjsonpath.New("description"),
						knownvalue.StringExact("R&D <x>  lab 'A'\nsecond line\n")),
					env.imageOnServer(&id, func(img *fogclient.Image) error {
						if want := "R&D <x> lab 'A'\nsecond line"; img.Description != want {
							return fmt.Errorf("FOG stored description %q, want %q", img.Description, want)
						}
						return nil
					}),
				},
			},
			{
				// Plan only: refreshing reads "R&D <x> lab 'A'\nsecond line" back.
				Config:   config,
				PlanOnly: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPreRefresh:  []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				// An unrelated update resends the description (FOG's escape
				// ratchet would otherwise store "R&amp;D") and still no diff.
				Config: env.Config(imageConfig(name, name, `
  replicate   = false
  description = <<-EOT
    R&D <x>  lab 'A'
    second line
  EOT
`)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(testImageAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					env.imageOnServer(&id, func(img *fogclient.Image) error {
						if want := "R&D <x> lab 'A'\nsecond line"; img.Description != want {
							return fmt.Errorf("after an update FOG has description %q, want %q", img.Description, want)
						}
						return nil
					}),
				},
			},
		},
	})
}

// TestAccImage_caseOnlyRenameRefused: FOG cannot rename "Abc" to "abc".
func TestAccImage_caseOnlyRenameRefused(t *testing.T) {
	env := newAccEnv(t)
	name := uniqueImageName("Case")
	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.checkImagesDestroyed(),
		Steps: []resource.TestStep{
			{Config: env.Config(imageConfig(name, "case-path", ""))},
			{
				Config:      env.Config(imageConfig(strings.ToLower(name), "case-path", "")),
				ExpectError: expectError(`FOG cannot change only the letter case of a name`),
			},
			{
				// The way out the message suggests: another name first.
				Config: env.Config(imageConfig(strings.ToLower(name)+"-tmp", "case-path", "")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testImageAddr, tfjsonpath.New("name"), knownvalue.StringExact(strings.ToLower(name)+"-tmp")),
				},
			},
		},
	})
}

// TestAccImage_invalidInput: what FOG would silently mangle is refused at plan time.
func TestAccImage_invalidInput(t *testing.T) {
	env := newAccEnv(t)
	ok := uniqueImageName("bad")
	existing := env.CreateImage(t, fogclient.ImageCreate{Name: uniqueImageName("Taken")})
	step := func(extra, name, path, want string) resource.TestStep {
		return resource.TestStep{
			Config:      env.Config(imageConfig(name, path, extra)),
			ExpectError: expectError(want),
		}
	}
	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			step("", ok+strings.Repeat("x", 41-len(ok)), ok, `41 characters long, the limit is 40`),
			step("", "R&D image", ok, `contains "&"`),
			step("", "img_api_x", ok, `hides every object whose name contains`),
			step("", "rocket \U0001F680", ok, `stores each such character as "????"`),
			step("", "two  spaces", ok, `repeated spaces`),
			step("", " leading", ok, `leading or trailing whitespace`),
			step("", ok, "/", `storage root itself`),
			step("", ok, "dev", `reserved for FOG's own files`),
			step("", ok, "/images/x", `relative to the storage node's image directory`),
			step(`  partition_type_id = 13`, ok, ok, `must be between 1 and 12`),
			step(`  compress = 23`, ok, ok, `must be between 0 and 22`),
			step(`  format = 7`, ok, ok, `must be between 0 and 6`),
			step("  format = 0\n  compress = 12", ok, ok, `compresses with gzip, whose levels are 0-9`),
			step(`  description = "party \U0001F389"`, ok, ok, `outside the Basic Multilingual Plane`),
			{
				// FOG compares names without regard to case: the error names the
				// existing image and how to import it.
				Config: env.Config(imageConfig(strings.ToLower(existing.Name), ok, "")),
				ExpectError: expectError(fmt.Sprintf(`FOG already has an image named %q (id %d)`, existing.Name, existing.ID),
					fmt.Sprintf(`terraform import <resource address> %d`, existing.ID)),
			},
			{
				Config: env.Config(fmt.Sprintf(`
resource "fog_image" "test" {
  name          = %q
  path          = %q
  image_type_id = 5
  os_id         = 50
}`, ok, ok)),
				ExpectError: expectError(`must be between 1 and 4`),
			},
			{
				Config: env.Config(fmt.Sprintf(`
resource "fog_image" "test" {
  name          = %q
  path          = %q
  image_type_id = 1
  os_id         = 4242
}`, ok, ok)),
				ExpectError: expectError(`os_id 4242 does not exist on the FOG server`, `Valid ids: 1 (Windows 2000/XP)`),
			},
		},
	})
}

// TestAccImage_destroyRefusedWhileHostUsesIt: FOG would silently unassign the
// hosts; the provider refuses and names them, unless force_destroy is set.
func TestAccImage_destroyRefusedWhileHostUsesIt(t *testing.T) {
	env := newAccEnv(t)
	name := uniqueImageName("inuse")
	host := env.CreateHost(t, fogclient.HostCreate{})
	var id string

	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(s *terraform.State) error {
			if err := env.checkImagesDestroyed()(s); err != nil {
				return err
			}
			if h := env.GetHost(t, host.ID); h.ImageID != 0 {
				return fmt.Errorf("host %s still has image %d after a forced destroy", h.Name, h.ImageID)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: env.Config(imageConfig(name, name, "")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testImageAddr, tfjsonpath.New("id"), captureString(&id)),
				},
			},
			{
				PreConfig: func() {
					ctx, cancel := fixtureContext()
					defer cancel()
					if _, err := env.Client.AssignImage(ctx, host.ID, mustID(t, id)); err != nil {
						t.Fatalf("out-of-band assignment: %v", err)
					}
				},
				Config:      env.Config(imageConfig(name, name, "")),
				Destroy:     true,
				ExpectError: expectError(`1 host(s) still use it: `+host.Name, `force_destroy = true`),
			},
			{
				Config: env.Config(imageConfig(name, name, "  force_destroy = true")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testImageAddr, tfjsonpath.New("force_destroy"), knownvalue.Bool(true)),
				},
			},
		},
	})
}

func plannedImage() imageModel {
	return imageModel{
		ID: types.StringUnknown(), Name: types.StringValue("Win10-Base"), Path: types.StringValue("win10"),
		ImageTypeID: types.Int64Value(1), OSID: types.Int64Value(9), Description: newFOGText("R&D <x>\n"),
		PartitionTypeID: types.Int64Value(1), Enabled: types.BoolValue(true), Replicate: types.BoolValue(false),
		Compress: types.Int64Value(19), Format: types.Int64Value(6), Protected: types.BoolValue(true),
		ForceDestroy: types.BoolValue(false),
	}
}

func TestImageToCreate(t *testing.T) {
	t.Parallel()
	got := plannedImage().toCreate()
	want := fogclient.ImageCreate{
		Name: "Win10-Base", Path: "win10", Description: "R&D <x>", ImageTypeID: 1, ImagePartitionTypeID: 1, OSID: 9,
		Enabled: true, Replicate: false, Protected: true, Format: "6", Compress: 19,
	}
	if got != want {
		t.Errorf("toCreate() = %+v\nwant %+v", got, want)
	}
}

func TestImageToUpdate(t *testing.T) {
	t.Parallel()
	state := plannedImage()
	state.ID = types.StringValue("12")

	if _, changed := plannedImage().toUpdate(state); changed {
		t.Error("identical plan and state must not send an update")
	}

	forceOnly := plannedImage()
	forceOnly.ForceDestroy = types.BoolValue(true)
	if _, changed := forceOnly.toUpdate(state); changed {
		t.Error("force_destroy is Terraform-only and must not be sent to FOG")
	}

	trailing := plannedImage()
	trailing.Description = newFOGText("R&D <x>")
	if u, changed := trailing.toUpdate(state); changed {
		t.Errorf("a description that FOG returns the same way must not be sent: %+v", u)
	}

	plan := plannedImage()
	plan.Name = types.StringValue("Win10-New")
	plan.Description = newFOGText("new  text\n")
	plan.Format = types.Int64Value(5)
	plan.Enabled = types.BoolValue(false)
	u, changed := plan.toUpdate(state)
	if !changed {
		t.Fatal("changes not detected")
	}
	if u.Name == nil || *u.Name != "Win10-New" || u.Description == nil || *u.Description != "new text" ||
		u.Format == nil || *u.Format != "5" || u.Enabled == nil || *u.Enabled {
		t.Errorf("unexpected update: %+v", u)
	}
	if u.Path != nil || u.OSID != nil || u.Compress != nil || u.Protected != nil || u.Replicate != nil || u.ImageTypeID != nil {
		t.Errorf("unchanged fields must be nil (kept by fogclient): %+v", u)
	}

	// An image imported without a format (FOG's API default "") gets one.
	state.Format = types.Int64Null()
	u, changed = plannedImage().toUpdate(state)
	if !changed || u.Format == nil || *u.Format != "6" {
		t.Errorf("format missing in FOG must be set: %+v", u)
	}
}

func TestImageFromAPI(t *testing.T) {
	t.Parallel()
	var m imageModel
	m.ForceDestroy = types.BoolValue(true)
	m.fromAPI(&fogclient.Image{
		ID: 12, Name: "Win10", Path: "win10", Description: "R&D <x>", ImageTypeID: 1, ImagePartitionTypeID: 0, OSID: 9,
		Format: "", Compress: 6, Enabled: true, Replicate: true, CreatedTime: "2026-11-27 22:02:57", CreatedBy: "fog",
		Deployed: "0000-00-00 00:00:00", Size: "",
	})
	if m.ID.ValueString() != "12" || m.Description.ValueString() != "R&D <x>" || !m.Format.IsNull() ||
		m.PartitionTypeID.ValueInt64() != 0 || m.LastCaptured.ValueString() != "" || m.CreatedTime.ValueString() != "2026-11-27 22:02:57" {
		t.Errorf("unexpected mapping: %+v", m)
	}
	if !m.ForceDestroy.ValueBool() {
		t.Error("force_destroy must be kept from the prior state")
	}

	m.fromAPI(&fogclient.Image{ID: 12, Format: "5", Deployed: "2026-11-28 10:00:00"})
	if m.Format.ValueInt64() != 5 || m.LastCaptured.ValueString() != "2026-11-28 10:00:00" {
		t.Errorf("unexpected mapping: %+v", m)
	}
}

// TestAccImage_destroyWithItsAssignment: destroying an image with its
// assignment checks the image's hosts once, with the list the assignment's
// destroy reads (fogclient.UnassignListReuse): no list between the PUT that
// moves the host off the image and the image's DELETE. When that list shows
// another host with the image (assigned outside Terraform), the image's
// destroy reads again and refuses, naming it.
func TestAccImage_destroyWithItsAssignment(t *testing.T) {
	config := func(env *accEnv, name string, hostID int64) string {
		return env.Config(imageConfig(name, name, "") + assignmentConfig(hostID, "tonumber(fog_image.test.id)"))
	}

	t.Run("reused", func(t *testing.T) {
		env := newAccEnv(t, withEmulatorOptions(func(o *fogtest.Options) { o.RecordRequests = true }))
		skipUnlessEmulator(t, env, "reads the emulator's request log")
		// The requests since the log was cleared, from the PUT on the host on.
		destroyRequests := func() []string {
			var out []string
			for _, r := range env.Emulator.Requests() {
				if r.Route == "PUT /fog/host/{id}" || len(out) > 0 {
					out = append(out, r.Route)
				}
			}
			return out
		}
		name := uniqueImageName("pair")
		host := env.CreateHost(t, fogclient.HostCreate{})
		accParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy:             env.checkImagesDestroyed(),
			Steps: []resource.TestStep{
				{Config: config(env, name, host.ID)},
				{
					PreConfig: func() { env.Emulator.ClearRequests() },
					Config:    env.Config(),
					ConfigStateChecks: []statecheck.StateCheck{
						stateCheckFunc(func() error {
							got := destroyRequests()
							want := []string{"PUT /fog/host/{id}", "DELETE /fog/image/{id}"}
							if !slices.Equal(got, want) {
								return fmt.Errorf("requests from the unassign on: %v, want %v", got, want)
							}
							return nil
						}),
						env.hostOnServer(t, host.ID, hostHasImage(func() int64 { return 0 })),
					},
				},
				// Something in the state at the end, so that CheckDestroy runs.
				{Config: env.Config(imageConfig(name, name, ""))},
			},
		})
	})

	t.Run("another host", func(t *testing.T) {
		env := newAccEnv(t)
		name := uniqueImageName("pair")
		ours := env.CreateHost(t, fogclient.HostCreate{})
		theirs := env.CreateHost(t, fogclient.HostCreate{})
		var id string
		accParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy:             env.checkImagesDestroyed(),
			Steps: []resource.TestStep{
				{
					Config: config(env, name, ours.ID),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(testImageAddr, tfjsonpath.New("id"), captureString(&id)),
					},
				},
				{
					PreConfig: func() {
						ctx, cancel := fixtureContext()
						defer cancel()
						if _, err := env.Client.AssignImage(ctx, theirs.ID, mustID(t, id)); err != nil {
							t.Fatalf("out-of-band assignment: %v", err)
						}
					},
					Config:      env.Config(),
					ExpectError: expectError(`1 host(s) still use it: `+theirs.Name, `force_destroy = true`),
				},
				{
					PreConfig: func() {
						if h := env.GetHost(t, ours.ID); h.ImageID != 0 {
							t.Errorf("host %s still has image %d: the assignment was not destroyed", h.Name, h.ImageID)
						}
						ctx, cancel := fixtureContext()
						defer cancel()
						if _, err := env.Client.AssignImage(ctx, theirs.ID, 0); err != nil {
							t.Fatalf("out-of-band unassignment: %v", err)
						}
					},
					Config: env.Config(imageConfig(name, name, "")),
				},
			},
		})
	})
}
