// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

const testSnapinAddr = "fog_snapin.test"

func snapinConfig(name, file, extra string) string {
	return fmt.Sprintf(`
resource "fog_snapin" "test" {
  name = %q
  file = %q
%s
}
`, name, file, extra)
}

func (e *accEnv) checkSnapinsDestroyed() func(*terraform.State) error {
	return e.checkDestroyed("fog_snapin", func(ctx context.Context, id int64) error {
		_, err := e.Client.GetSnapin(ctx, id)
		return err
	})
}

// snapinOnServer checks the snapin as FOG stores it.
func (e *accEnv) snapinOnServer(id *string, check func(*fogclient.Snapin) error) stateCheckFunc {
	return func() error {
		n, err := strconv.ParseInt(*id, 10, 64)
		if err != nil {
			return fmt.Errorf("snapin id %q: %w", *id, err)
		}
		ctx, cancel := fixtureContext()
		defer cancel()
		s, err := e.Client.GetSnapin(ctx, n)
		if err != nil {
			return err
		}
		return check(s)
	}
}

// TestAccSnapin_lifecycle: create with FOG's UI defaults made explicit,
// import by id and name, update, drift, destroy.
func TestAccSnapin_lifecycle(t *testing.T) {
	env := newAccEnv(t)
	name := uniqueImageName("snap")
	renamed := uniqueImageName("snap2")
	var id string
	sameID := statecheck.CompareValue(compare.ValuesSame())
	created := snapinConfig(name, "7z.msi", `
  run_with      = "msiexec.exe"
  run_with_args = "/i"
  args          = "/quiet TARGET=\"C:\\Program Files\\7-Zip\""
  description   = "R&D <tools>"
`)
	updated := snapinConfig(renamed, "setup.ps1", `
  run_with      = "powershell.exe"
  run_with_args = "-ExecutionPolicy Bypass -NoProfile -File"
  timeout       = 600
  reboot        = true
  hidden        = true
  enabled       = false
  replicate     = false
  protected     = true
  pack_type     = "pack"
  force_destroy = true
`)
	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.checkSnapinsDestroyed(),
		Steps: []resource.TestStep{
			{
				Config: env.Config(created),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testSnapinAddr, tfjsonpath.New("id"), captureString(&id)),
					sameID.AddStateValue(testSnapinAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(testSnapinAddr, tfjsonpath.New("enabled"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(testSnapinAddr, tfjsonpath.New("replicate"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(testSnapinAddr, tfjsonpath.New("reboot"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(testSnapinAddr, tfjsonpath.New("pack_type"), knownvalue.StringExact("normal")),
					statecheck.ExpectKnownValue(testSnapinAddr, tfjsonpath.New("timeout"), knownvalue.Int64Exact(0)),
					statecheck.ExpectKnownValue(testSnapinAddr, tfjsonpath.New("args"), knownvalue.StringExact(`/quiet TARGET="C:\Program Files\7-Zip"`)),
					env.snapinOnServer(&id, func(s *fogclient.Snapin) error {
						// FOG's API would store an unsent flag as "": the defaults are sent.
						if !s.Enabled || !s.Replicate || s.Description != "R&D <tools>" || s.RunWith != "msiexec.exe" {
							return fmt.Errorf("FOG stored %+v", s)
						}
						if v := env.rawField("snapin", s.ID, "isEnabled"); env.Emulator != nil && v != "1" {
							return fmt.Errorf("isEnabled stored as %q", v)
						}
						return nil
					}),
				},
			},
			{ResourceName: testSnapinAddr, ImportState: true, ImportStateVerify: true},
			{ResourceName: testSnapinAddr, ImportState: true, ImportStateId: "name:" + strings.ToUpper(name), ImportStateVerify: true},
			{
				Config: env.Config(updated),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testSnapinAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(testSnapinAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(testSnapinAddr, tfjsonpath.New("name"), knownvalue.StringExact(renamed)),
					statecheck.ExpectKnownValue(testSnapinAddr, tfjsonpath.New("args"), knownvalue.StringExact("")),
					statecheck.ExpectKnownValue(testSnapinAddr, tfjsonpath.New("pack_type"), knownvalue.StringExact("pack")),
					env.snapinOnServer(&id, func(s *fogclient.Snapin) error {
						if s.Enabled || s.Replicate || !s.Reboot || !s.Hidden || !s.Protected || !s.Pack || s.Timeout != 600 || s.Description != "" {
							return fmt.Errorf("FOG stored %+v", s)
						}
						return nil
					}),
				},
			},
			{
				// Drift: changed outside Terraform, put back.
				PreConfig: func() {
					ctx, cancel := fixtureContext()
					defer cancel()
					on, file := true, "other.exe"
					if _, err := env.Client.UpdateSnapin(ctx, mustID(t, id), fogclient.SnapinUpdate{Enabled: &on, File: &file}); err != nil {
						t.Fatal(err)
					}
				},
				Config: env.Config(updated),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testSnapinAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					env.snapinOnServer(&id, func(s *fogclient.Snapin) error {
						if s.Enabled || s.File != "setup.ps1" {
							return fmt.Errorf("drift not corrected: %+v", s)
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
					if err := env.Client.DeleteSnapin(ctx, mustID(t, id)); err != nil {
						t.Fatal(err)
					}
				},
				Config: env.Config(updated),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testSnapinAddr, plancheck.ResourceActionCreate),
				}},
			},
		},
	})
}

// rawField reads a raw database value on the emulator ("" on a real server).
func (e *accEnv) rawField(class string, id int64, field string) string {
	if e.Emulator == nil {
		return ""
	}
	v, _ := e.Emulator.RawField(class, id, field)
	return v
}
