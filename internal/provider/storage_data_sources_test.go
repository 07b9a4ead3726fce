// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// TestAccSnapinAndStorageDataSources: fog_snapin, fog_snapins,
// fog_storage_group, fog_storage_groups and fog_storage_nodes read what the
// resources created; no node password reaches the state.
func TestAccSnapinAndStorageDataSources(t *testing.T) {
	env := newAccEnv(t)
	snapin, group, node := uniqueImageName("dss"), uniqueImageName("dsg"), uniqueImageName("dsn")
	resources := snapinConfig(snapin, "ds.msi", `  description = "R&D"`) + storageGroupConfig(group, "") +
		storageNodeConfig(node, "tonumber(fog_storage_group.test.id)", "node-secret-pw", "  max_clients = 7")
	dataSources := fmt.Sprintf(`
data "fog_snapin" "by_name" {
  name = %q
  depends_on = [fog_snapin.test]
}

data "fog_snapin" "by_id" {
  id = fog_snapin.test.id
}

data "fog_snapins" "matching" {
  name_regex = "^%s$"
  depends_on = [fog_snapin.test]
}

data "fog_storage_group" "by_name" {
  name       = %q
  depends_on = [fog_storage_node.test]
}

data "fog_storage_group" "default" {
  id = "1"
}

data "fog_storage_groups" "all" {
  depends_on = [fog_storage_group.test]
}

data "fog_storage_nodes" "group" {
  storage_group_id = tonumber(fog_storage_group.test.id)
  depends_on       = [fog_storage_node.test]
}

data "fog_storage_nodes" "all" {
  depends_on = [fog_storage_node.test]
}
`, snapin, snapin, group)
	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: env.Config(resources)},
			{
				Config: env.Config(resources, dataSources),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.fog_snapin.by_name", tfjsonpath.New("file"), knownvalue.StringExact("ds.msi")),
					statecheck.ExpectKnownValue("data.fog_snapin.by_name", tfjsonpath.New("description"), knownvalue.StringExact("R&D")),
					statecheck.ExpectKnownValue("data.fog_snapin.by_id", tfjsonpath.New("storage_group_name"), knownvalue.StringExact("default")),
					statecheck.ExpectKnownValue("data.fog_snapins.matching", tfjsonpath.New("snapins"), knownvalue.ListSizeExact(1)),
					statecheck.ExpectKnownValue("data.fog_storage_group.by_name", tfjsonpath.New("total_supported_clients"), knownvalue.Int64Exact(7)),
					statecheck.ExpectKnownValue("data.fog_storage_group.by_name", tfjsonpath.New("node_ids"), knownvalue.ListSizeExact(1)),
					statecheck.ExpectKnownValue("data.fog_storage_group.default", tfjsonpath.New("name"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue("data.fog_storage_nodes.group", tfjsonpath.New("storage_nodes").AtSliceIndex(0).AtMapKey("name"),
						knownvalue.StringExact(node)),
					statecheck.ExpectKnownValue("data.fog_storage_nodes.group", tfjsonpath.New("storage_nodes").AtSliceIndex(0).AtMapKey("user"),
						knownvalue.StringExact("fogproject")),
				},
			},
			{
				Config:      env.Config(resources, `data "fog_snapin" "missing" { name = "no-such-snapin-x" }`),
				ExpectError: regexp.MustCompile(`FOG has no snapin with this name`),
			},
		},
	})
}
