// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
	"github.com/fogproject/terraform-provider-fog/internal/fogtest"
)

// Large servers (issue 16): FOG 1.5.9's full host list exhausts PHP's
// memory_limit at some 4,000 hosts. The emulator's list limit models it.

const largeServerListLimit = 4000

// largeServerConfig manages n hosts, one image and the hosts' assignments.
func largeServerConfig(env *accEnv, n int) string {
	return env.Config(fmt.Sprintf(`
resource "fog_image" "big" {
  name          = "large-server"
  path          = "large-server"
  image_type_id = 1
  os_id         = 9
}

resource "fog_host" "managed" {
  count = %d
  name  = format("managed-%%02d", count.index)
  macs  = [format("02:c0:00:00:00:%%02x", count.index)]
}

resource "fog_host_image_assignment" "managed" {
  count    = %d
  host_id  = tonumber(fog_host.managed[count.index].id)
  image_id = tonumber(fog_image.big.id)
}
`, n, n))
}

// fullHostLists counts the full host lists (GET /fog/host without a
// filter) the emulator received, and those it failed.
func fullHostLists(srv *fogtest.Server) (all, failed int) {
	for _, r := range srv.Requests() {
		if r.Route == routeListHosts && strings.TrimSpace(r.Body) == "" {
			all++
			if r.Status >= 500 {
				failed++
			}
		}
	}
	return all, failed
}

// newLargeServerEnv is an emulator whose full host list fails beyond
// largeServerListLimit rows, as FOG's PHP memory_limit makes it, seeded with
// hosts bulk hosts and recording requests; it skips against a real server.
func newLargeServerEnv(t *testing.T, hosts int) *accEnv {
	t.Helper()
	env := newAccEnv(t, withEmulatorOptions(func(o *fogtest.Options) {
		o.ListMaxRows = largeServerListLimit
		o.RecordRequests = true
	}))
	skipUnlessEmulator(t, env, "needs the emulator's list limit")
	if _, err := env.Emulator.SeedHosts(hosts); err != nil {
		t.Fatal(err)
	}
	return env
}

// largeServerPlanRequests applies 20 managed hosts with their assignments on
// a server holding bulk more hosts, then runs a no-op plan, and returns the
// plan's requests and its full host lists.
func largeServerPlanRequests(t *testing.T, bulk int) (requests int64, fullLists int) {
	env := newLargeServerEnv(t, bulk)
	const managed = 20
	config := largeServerConfig(env, managed)
	accSerialTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					env.Emulator.ResetCounters()
					env.Emulator.ClearRequests()
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
					planCheckFunc(func() error {
						requests = env.Emulator.TotalRequests()
						all, failed := fullHostLists(env.Emulator)
						fullLists = all
						if failed > 0 {
							return fmt.Errorf("the plan sent %d full host lists that failed (requests: %v)", failed, env.Emulator.Counters())
						}
						fmt.Printf("large_server_refresh_requests managed=%d server_hosts=%d: %d (full host lists: %d; %v)\n",
							managed, bulk+managed, requests, all, env.Emulator.Counters())
						return nil
					}),
				}},
			},
		},
	})
	return requests, fullLists
}

// TestAccLargeServer_refreshFollowsWhatIsManaged: with the full host list
// beyond FOG's memory limit, a plan of 20 managed hosts and their
// assignments succeeds without a failing full list, and costs at most 10
// requests on a server of 3,000 and of 5,000 hosts.
func TestAccLargeServer_refreshFollowsWhatIsManaged(t *testing.T) {
	var medium, large int64
	var mediumLists, largeLists int
	// For the record: a small server, whose full list is the cheapest read.
	t.Run("100", func(t *testing.T) { _, _ = largeServerPlanRequests(t, 80) })
	t.Run("3000", func(t *testing.T) { medium, mediumLists = largeServerPlanRequests(t, 2980) })
	t.Run("5000", func(t *testing.T) { large, largeLists = largeServerPlanRequests(t, 4980) })
	if t.Failed() || t.Skipped() || medium == 0 {
		return
	}
	if mediumLists != 0 || largeLists != 0 {
		t.Errorf("full host lists in the plans: %d at 3,000 hosts, %d at 5,000; want none (the apply saw the list is too large)", mediumLists, largeLists)
	}
	// Batches form as Terraform's reads arrive, so how many a plan sends
	// depends on the machine's load (5 to 7 seen for the same plan); what
	// does not depend on the server's size is the bound: the credentials
	// check, the image list, and the host reads of what is managed.
	for _, c := range []struct {
		hosts    string
		requests int64
	}{{"3,000", medium}, {"5,000", large}} {
		if c.requests > 10 {
			t.Errorf("the plan of 20 hosts and 20 assignments on a server of %s hosts sent %d requests, want at most 10 whatever the server's size",
				c.hosts, c.requests)
		}
	}
}

// TestAccLargeServer_hostsDataSource: on a server whose full host list
// exhausts PHP's memory, fog_hosts with a name filter is answered by a
// filtered list, and without a filter fails with what to do.
func TestAccLargeServer_hostsDataSource(t *testing.T) {
	env := newLargeServerEnv(t, 5000)
	accSerialTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.Config(`
data "fog_hosts" "some" {
  name_regex = "^bulk-0012[0-4]$"
}
`),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr("data.fog_hosts.some", "hosts.#", "5"),
					resource.TestCheckResourceAttr("data.fog_hosts.some", "hosts.0.name", "bulk-00120"),
					resource.TestCheckResourceAttr("data.fog_hosts.some", "hosts.4.name", "bulk-00124"),
					func(*terraform.State) error {
						if all, failed := fullHostLists(env.Emulator); all != 0 || failed != 0 {
							return fmt.Errorf("%d full host lists (%d failed), want none: the name filter goes to FOG", all, failed)
						}
						return nil
					},
				),
			},
			{
				Config:      env.Config(`data "fog_hosts" "all" {}`),
				ExpectError: regexp.MustCompile(`(?s)PHP fatal error.*memory_limit.*name_regex.*image_id.*php-fpm`),
			},
		},
	})
}

// TestAccLargeServer_declared: with large_server = true, no operation asks
// for the full host list, not even the first of a provider process, which
// otherwise pays for it once (each Terraform command is a new process). The
// configuration is that of make bench: images assigned to hosts that exist.
// Without the setting, the same run sends a full list that fails.
func TestAccLargeServer_declared(t *testing.T) {
	run := func(t *testing.T, declared bool) (all, failed int) {
		env := newLargeServerEnv(t, 4990)
		var blocks []string
		for i := range 10 {
			h := env.CreateHost(t, fogclient.HostCreate{})
			blocks = append(blocks, fmt.Sprintf(`
resource "fog_image" "i%[1]d" {
  name          = "declared-%[1]d"
  path          = "declared-%[1]d"
  image_type_id = 1
  os_id         = 9
}

resource "fog_host_image_assignment" "a%[1]d" {
  host_id  = %[2]d
  image_id = tonumber(fog_image.i%[1]d.id)
}
`, i, h.ID))
		}
		config := env.Config(blocks...)
		if declared {
			config = strings.Replace(config, "provider \"fog\" {\n", "provider \"fog\" {\n  large_server = true\n", 1)
		}
		env.Emulator.ClearRequests()
		accSerialTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{
				{Config: config},
				{
					Config: config,
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectEmptyPlan(),
						planCheckFunc(func() error {
							all, failed = fullHostLists(env.Emulator)
							return nil
						}),
					}},
				},
			},
		})
		return all, failed
	}
	t.Run("declared", func(t *testing.T) {
		if all, _ := run(t, true); all != 0 {
			t.Errorf("large_server = true: %d full host lists, want none", all)
		}
	})
	t.Run("not declared", func(t *testing.T) {
		if _, failed := run(t, false); failed == 0 {
			t.Error("without large_server the run sent no failing full host list: this test no longer shows what the setting saves")
		}
	})
}
