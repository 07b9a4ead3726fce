// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

// TestAccHostInventoryDataSource: a host never inventoried (every field
// empty), one inventoried (FOG's values, memory as FOG renders it), and a
// host that does not exist.
func TestAccHostInventoryDataSource(t *testing.T) {
	env := newAccEnv(t)
	skipUnlessEmulator(t, env, "writes an inventory row as FOG's client would")
	fresh := env.CreateHost(t, fogclient.HostCreate{})
	seen := env.CreateHost(t, fogclient.HostCreate{})
	env.Emulator.InsertRawRow("inventory", map[string]string{
		"hostID": fmt.Sprint(seen.ID), "sysman": "Dell Inc.", "sysproduct": "OptiPlex 7090", "sysserial": "SN-1 & co",
		"mem": "MemTotal: 8049116 kB", "cpuman": "Intel", "hdmodel": "NVMe 512", "createdTime": "2026-12-06 03:32:49",
	})
	ds := func(label string, id int64) string {
		return fmt.Sprintf("data \"fog_host_inventory\" %q {\n  host_id = %d\n}\n", label, id)
	}
	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.Config(ds("fresh", fresh.ID), ds("seen", seen.ID)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.fog_host_inventory.fresh", tfjsonpath.New("inventoried"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue("data.fog_host_inventory.fresh", tfjsonpath.New("memory"), knownvalue.StringExact("")),
					statecheck.ExpectKnownValue("data.fog_host_inventory.fresh", tfjsonpath.New("host_name"), knownvalue.StringExact(fresh.Name)),
					statecheck.ExpectKnownValue("data.fog_host_inventory.seen", tfjsonpath.New("inventoried"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue("data.fog_host_inventory.seen", tfjsonpath.New("sys_serial"), knownvalue.StringExact("SN-1 & co")),
					statecheck.ExpectKnownValue("data.fog_host_inventory.seen", tfjsonpath.New("memory"), knownvalue.StringExact("7.68 GiB")),
					statecheck.ExpectKnownValue("data.fog_host_inventory.seen", tfjsonpath.New("memory_raw"), knownvalue.StringExact("MemTotal: 8049116 kB")),
					statecheck.ExpectKnownValue("data.fog_host_inventory.seen", tfjsonpath.New("disk_model"), knownvalue.StringExact("NVMe 512")),
					statecheck.ExpectKnownValue("data.fog_host_inventory.seen", tfjsonpath.New("inventoried_time"), knownvalue.StringExact("2026-12-06 03:32:49")),
				},
			},
			{
				Config:      env.Config(ds("missing", 987654)),
				ExpectError: expectError("FOG has no host with id 987654"),
			},
		},
	})
}
