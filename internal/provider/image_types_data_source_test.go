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

func idNameType(id int64, name, typ string) knownvalue.Check {
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"id": knownvalue.Int64Exact(id), "name": knownvalue.StringExact(name), "type": knownvalue.StringExact(typ),
	})
}

// TestAccImageTypesDataSource: FOG 1.5.9's four image types, and one found
// by name without regard to case and repeated spaces (FOG stores type 3's
// name with two spaces and returns one).
func TestAccImageTypesDataSource(t *testing.T) {
	env := newAccEnv(t)
	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      env.Config("data \"fog_image_types\" \"x\" {\n  name = \"Resizable\"\n}\n"),
				ExpectError: expectError(`Unable to find image type "Resizable"`, `Valid image types: "Single Disk - Resizable" (1)`),
			},
			{
				Config: env.Config(`
data "fog_image_types" "all" {
}

data "fog_image_types" "all_disks" {
  name = "multiple partition image - all disks  (not resizable)"
}
`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.fog_image_types.all", tfjsonpath.New("image_types"), knownvalue.ListExact([]knownvalue.Check{
						idNameType(1, "Single Disk - Resizable", "n"),
						idNameType(2, "Multiple Partition Image - Single Disk (Not Resizable)", "mps"),
						idNameType(3, "Multiple Partition Image - All Disks (Not Resizable)", "mpa"),
						idNameType(4, "Raw Image (Sector By Sector, DD, Slow)", "dd"),
					})),
					statecheck.ExpectKnownValue("data.fog_image_types.all_disks", tfjsonpath.New("image_types"), knownvalue.ListExact([]knownvalue.Check{
						idNameType(3, "Multiple Partition Image - All Disks (Not Resizable)", "mpa"),
					})),
				},
			},
		},
	})
}

// TestAccImageTypesDataSource_example: the documented example applies as written.
func TestAccImageTypesDataSource_example(t *testing.T) {
	env := newAccEnv(t)
	skipUnlessEmulator(t, env, "the example creates an image with a fixed name")
	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.checkImagesDestroyed(),
		Steps: []resource.TestStep{{
			Config: env.Config(exampleConfig(t, "data-sources/fog_image_types/data-source.tf")),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("fog_image.appliance", tfjsonpath.New("image_type_id"), knownvalue.Int64Exact(4)),
			},
		}},
	})
}
