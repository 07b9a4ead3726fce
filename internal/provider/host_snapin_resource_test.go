// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

func hostSnapinConfig(hostID int64, snapinID string) string {
	return fmt.Sprintf(`
resource "fog_host_snapin" "test" {
  host_id   = %d
  snapin_id = %s
}
`, hostID, snapinID)
}

// hostSnapins returns the snapin ids FOG links to host hostID.
func (e *accEnv) hostSnapins(t *testing.T, hostID int64) map[int64]bool {
	t.Helper()
	ctx, cancel := fixtureContext()
	defer cancel()
	links, err := e.Client.SnapinAssociations(ctx, hostID, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]bool{}
	for _, l := range links {
		out[l.SnapinID] = true
	}
	return out
}

// createSnapin creates a snapin outside Terraform and deletes it at the end.
func (e *accEnv) createSnapin(t *testing.T, name string) *fogclient.Snapin {
	t.Helper()
	ctx, cancel := fixtureContext()
	defer cancel()
	s, err := e.Client.CreateSnapin(ctx, fogclient.SnapinCreate{Name: name, File: name + ".msi", Enabled: true, Replicate: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := fixtureContext()
		defer cancel()
		_ = e.Client.DeleteSnapin(ctx, s.ID)
	})
	return s
}

// TestAccHostSnapin_lifecycle: one link added and removed without touching
// the host's other snapins; import; drift; a snapin is not destroyed while
// a host has it.
func TestAccHostSnapin_lifecycle(t *testing.T) {
	env := newAccEnv(t)
	host := env.CreateHost(t, fogclient.HostCreate{})
	other := env.createSnapin(t, uniqueImageName("other"))
	ctx, cancel := fixtureContext()
	defer cancel()
	if _, _, err := env.Client.LinkSnapin(ctx, host.ID, other.ID); err != nil {
		t.Fatal(err)
	}
	name := uniqueImageName("hs")
	withLink := env.Config(snapinConfig(name, "a.msi", ""), hostSnapinConfig(host.ID, "tonumber(fog_snapin.test.id)"))
	var snapinID string

	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: withLink,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testSnapinAddr, tfjsonpath.New("id"), captureString(&snapinID)),
					statecheck.ExpectKnownValue("fog_host_snapin.test", tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^\d+:\d+$`))),
					stateCheckFunc(func() error {
						if got := env.hostSnapins(t, host.ID); !got[other.ID] || !got[mustID(t, snapinID)] || len(got) != 2 {
							return fmt.Errorf("host snapins %v", got)
						}
						return nil
					}),
				},
			},
			{ResourceName: "fog_host_snapin.test", ImportState: true, ImportStateVerify: true},
			{
				// Drift: the link removed outside Terraform is added again.
				PreConfig: func() {
					l, err := env.Client.HostSnapinLink(ctx, host.ID, mustID(t, snapinID))
					if err != nil || l == nil {
						t.Fatalf("link: %v %v", l, err)
					}
					if err := env.Client.UnlinkSnapin(ctx, l.ID); err != nil {
						t.Fatal(err)
					}
				},
				Config: withLink,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("fog_host_snapin.test", plancheck.ResourceActionCreate),
				}},
			},
			{
				// The snapin is refused while a host outside Terraform has it.
				PreConfig: func() {
					other := env.CreateHost(t, fogclient.HostCreate{})
					if _, _, err := env.Client.LinkSnapin(ctx, other.ID, mustID(t, snapinID)); err != nil {
						t.Fatal(err)
					}
				},
				Config:      env.Config(),
				ExpectError: regexp.MustCompile(`(?s)Unable to delete snapin.*1 host\(s\) have it.*force_destroy = true`),
			},
			{
				Config: env.Config(snapinConfig(name, "a.msi", "  force_destroy = true")),
			},
			{
				Config: env.Config(),
				ConfigStateChecks: []statecheck.StateCheck{stateCheckFunc(func() error {
					if got := env.hostSnapins(t, host.ID); !got[other.ID] || len(got) != 1 {
						return fmt.Errorf("host snapins after destroy %v, want only the other snapin", got)
					}
					return nil
				})},
			},
		},
	})
}

// TestAccHostSnapin_adoptsExistingLink: a link made outside Terraform is
// taken over with a warning, never duplicated.
func TestAccHostSnapin_adoptsExistingLink(t *testing.T) {
	env := newAccEnv(t)
	host := env.CreateHost(t, fogclient.HostCreate{})
	s := env.createSnapin(t, uniqueImageName("adopt"))
	ctx, cancel := fixtureContext()
	defer cancel()
	if _, _, err := env.Client.LinkSnapin(ctx, host.ID, s.ID); err != nil {
		t.Fatal(err)
	}
	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.Config(hostSnapinConfig(host.ID, idString(s.ID))),
				ConfigStateChecks: []statecheck.StateCheck{stateCheckFunc(func() error {
					links, err := env.Client.SnapinAssociations(ctx, host.ID, s.ID)
					if err != nil || len(links) != 1 {
						return fmt.Errorf("links %v %v", links, err)
					}
					return nil
				})},
			},
		},
	})
}
