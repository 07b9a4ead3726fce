// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// TestAccOperatingSystemsDataSource: FOG 1.5.9's operating systems by id
// order, one found by name; FOG 1.5.9 has no Windows 11.
func TestAccOperatingSystemsDataSource(t *testing.T) {
	env := newAccEnv(t)
	os := func(id int64, name, description string) knownvalue.Check {
		return knownvalue.ObjectExact(map[string]knownvalue.Check{
			"id": knownvalue.Int64Exact(id), "name": knownvalue.StringExact(name), "description": knownvalue.StringExact(description),
		})
	}
	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      env.Config("data \"fog_operating_systems\" \"x\" {\n  name = \"Windows 11\"\n}\n"),
				ExpectError: expectError(`Unable to find operating system "Windows 11"`, `"Windows 10" (9)`),
			},
			{
				Config: env.Config(`
data "fog_operating_systems" "all" {
}

data "fog_operating_systems" "win10" {
  name = "windows 10"
}

data "fog_operating_systems" "chromium" {
  name = "Chromium OS"
}
`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.fog_operating_systems.all", tfjsonpath.New("operating_systems"), knownvalue.ListPartial(map[int]knownvalue.Check{
						0: os(1, "Windows 2000/XP", ""),
						8: os(9, "Windows 10", ""),
						9: os(50, "Linux", ""),
					})),
					statecheck.ExpectKnownValue("data.fog_operating_systems.win10", tfjsonpath.New("operating_systems"),
						knownvalue.ListExact([]knownvalue.Check{os(9, "Windows 10", "")})),
					statecheck.ExpectKnownValue("data.fog_operating_systems.chromium", tfjsonpath.New("operating_systems"),
						knownvalue.ListExact([]knownvalue.Check{os(51, "Chromium OS", "Chromium OS")})),
				},
			},
		},
	})
}

// TestAccOperatingSystemsDataSource_example: the documented example applies as written.
func TestAccOperatingSystemsDataSource_example(t *testing.T) {
	env := newAccEnv(t)
	skipUnlessEmulator(t, env, "the example creates an image with a fixed name")
	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.checkImagesDestroyed(),
		Steps: []resource.TestStep{{
			Config: env.Config(exampleConfig(t, "data-sources/fog_operating_systems/data-source.tf")),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("fog_image.win10_22h2", tfjsonpath.New("os_id"), knownvalue.Int64Exact(9)),
			},
		}},
	})
}
