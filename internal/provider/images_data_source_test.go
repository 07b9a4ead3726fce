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

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

func TestFilterImages(t *testing.T) {
	t.Parallel()
	all := []fogclient.Image{{ID: 9, Name: "win10-b"}, {ID: 3, Name: "linux"}, {ID: 4, Name: "Win10-a"}}
	var got []string
	for _, m := range filterImages(all, regexp.MustCompile(`(?i)^win10-`)) {
		got = append(got, m.ID.ValueString()+"="+m.Name.ValueString())
	}
	if fmt.Sprint(got) != "[4=Win10-a 9=win10-b]" {
		t.Errorf("filterImages = %v, want the Windows images sorted by id", got)
	}
	if n := len(filterImages(all, nil)); n != 3 {
		t.Errorf("no pattern kept %d of 3 images", n)
	}
}

// TestAccImagesDataSource: name_regex narrows the list (sorted by id, full
// attributes); a pattern matching nothing gives an empty list.
func TestAccImagesDataSource(t *testing.T) {
	env := newAccEnv(t)
	token := randomString(6)
	first := env.CreateImage(t, fogclient.ImageCreate{Name: uniqueImageName(token), Description: "first"})
	second := env.CreateImage(t, fogclient.ImageCreate{Name: uniqueImageName(token)})

	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      env.Config("data \"fog_images\" \"bad\" {\n  name_regex = \"(unclosed\"\n}\n"),
				ExpectError: expectError(`is not a valid regular expression`),
			},
			{
				Config: env.Config(fmt.Sprintf(`
data "fog_images" "mine" {
  name_regex = "^tfacc-%s-"
}

data "fog_images" "none" {
  name_regex = "^tfacc-%s-no-such-image$"
}
`, token, token)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.fog_images.mine", tfjsonpath.New("images"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectExact(imageObject(first)), knownvalue.ObjectExact(imageObject(second)),
					})),
					statecheck.ExpectKnownValue("data.fog_images.none", tfjsonpath.New("images"), knownvalue.ListSizeExact(0)),
					stateCheckFunc(func() error {
						if first.ID >= second.ID {
							return fmt.Errorf("fixture ids %d, %d: the list order check assumes ascending ids", first.ID, second.ID)
						}
						return nil
					}),
				},
			},
		},
	})
}

// TestAccImagesDataSource_example: the documented example applies as written.
func TestAccImagesDataSource_example(t *testing.T) {
	env := newAccEnv(t)
	skipUnlessEmulator(t, env, "the example matches fixed image names")
	for _, name := range []string{"Win10-Base", "win10-lab", "Linux-Base"} {
		_, err := env.Emulator.SeedImage(name)
		mustEmulator(t, "seed image", err)
	}
	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.Config(exampleConfig(t, "data-sources/fog_images/data-source.tf")),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("win10_images", knownvalue.MapExact(map[string]knownvalue.Check{
					"Win10-Base": knownvalue.StringExact("1"), "win10-lab": knownvalue.StringExact("2"),
				})),
				statecheck.ExpectKnownOutputValue("disabled_images", knownvalue.ListSizeExact(0)),
			},
		}},
	})
}
