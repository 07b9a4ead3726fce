// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

// TestAccGroupDataSources: fog_group by name (any letter case) and by id,
// with its members; fog_groups by name pattern, search and member host;
// fog_hosts of a group; a group FOG does not have.
func TestAccGroupDataSources(t *testing.T) {
	env := newAccEnv(t)
	h1 := env.CreateHost(t, fogclient.HostCreate{})
	h2 := env.CreateHost(t, fogclient.HostCreate{})
	prefix := uniqueGroupName("ds")
	a := env.CreateGroup(t, prefix+"-a", h1.ID, h2.ID)
	b := env.CreateGroup(t, prefix+"-b", h2.ID)
	ctx, cancel := fixtureContext()
	defer cancel()
	desc := "needle in the description"
	if _, err := env.Client.UpdateGroup(ctx, b.ID, fogclient.GroupUpdate{Description: &desc}); err != nil {
		t.Fatal(err)
	}
	idA, idB := strconv.FormatInt(a.ID, 10), strconv.FormatInt(b.ID, 10)
	groupIDs := func(ids ...string) knownvalue.Check {
		checks := make([]knownvalue.Check, len(ids))
		for i, id := range ids {
			checks[i] = knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.StringExact(id)})
		}
		return knownvalue.ListExact(checks)
	}

	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.Config(fmt.Sprintf(`
data "fog_group" "by_name" {
  name = %q
}

data "fog_group" "by_id" {
  id = %q
}

data "fog_groups" "prefix" {
  name_regex = "^%s-"
}

data "fog_groups" "of_host" {
  name_regex = "^%s-"
  host_id    = %d
}

data "fog_groups" "search" {
  search = "needle"
}

data "fog_hosts" "members" {
  group_id = data.fog_group.by_name.id
}
`, a.Name, idB, prefix, prefix, h1.ID)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.fog_group.by_name", tfjsonpath.New("id"), knownvalue.StringExact(idA)),
					statecheck.ExpectKnownValue("data.fog_group.by_name", tfjsonpath.New("host_ids"), int64SetValue(h1.ID, h2.ID)),
					statecheck.ExpectKnownValue("data.fog_group.by_name", tfjsonpath.New("host_count"), knownvalue.Int64Exact(2)),
					statecheck.ExpectKnownValue("data.fog_group.by_id", tfjsonpath.New("name"), knownvalue.StringExact(b.Name)),
					statecheck.ExpectKnownValue("data.fog_group.by_id", tfjsonpath.New("description"), knownvalue.StringExact(desc)),
					statecheck.ExpectKnownValue("data.fog_groups.prefix", tfjsonpath.New("groups"), groupIDs(idA, idB)),
					statecheck.ExpectKnownValue("data.fog_groups.of_host", tfjsonpath.New("groups"), groupIDs(idA)),
					statecheck.ExpectKnownValue("data.fog_groups.search", tfjsonpath.New("groups"), groupIDs(idB)),
					statecheck.ExpectKnownValue("data.fog_hosts.members", tfjsonpath.New("hosts"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.Int64Exact(h1.ID)}),
						knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.Int64Exact(h2.ID)}),
					})),
				},
			},
			{
				Config:      env.Config(fmt.Sprintf("data \"fog_group\" \"missing\" {\n  name = %q\n}\n", prefix+"-none")),
				ExpectError: expectError("FOG has no group with this name", "FOG has:"),
			},
		},
	})
}
