// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

func TestImageDataModelFromAPI(t *testing.T) {
	t.Parallel()
	m := imageDataModelFromAPI(&fogclient.Image{
		ID: 12, Name: "Win10-Base", Path: "win10", Description: "R&D", ImageTypeID: 1, ImageTypeName: "Single Disk - Resizable",
		OSID: 9, OSName: "Windows 10", Format: "", Compress: 6, Enabled: true, Deployed: fogZeroDate, CreatedTime: "2026-01-02 03:04:05",
	})
	if m.ID != types.StringValue("12") || m.OSName != types.StringValue("Windows 10") || !m.Format.IsNull() ||
		m.LastCaptured != types.StringValue("") || m.PartitionTypeID != types.Int64Value(0) || m.Description != types.StringValue("R&D") {
		t.Errorf("imageDataModelFromAPI = %+v", m)
	}
}

// imageObject is the expected data source view of a fixture image.
func imageObject(img *fogclient.Image) map[string]knownvalue.Check {
	return map[string]knownvalue.Check{
		"id":                  knownvalue.StringExact(fmt.Sprint(img.ID)),
		"name":                knownvalue.StringExact(img.Name),
		"path":                knownvalue.StringExact(img.Path),
		"description":         knownvalue.StringExact(img.Description),
		"image_type_id":       knownvalue.Int64Exact(1),
		"image_type_name":     knownvalue.StringExact("Single Disk - Resizable"),
		"os_id":               knownvalue.Int64Exact(50),
		"os_name":             knownvalue.StringExact("Linux"),
		"partition_type_id":   knownvalue.Int64Exact(1),
		"partition_type_name": knownvalue.StringExact("Everything"),
		"enabled":             knownvalue.Bool(true),
		"replicate":           knownvalue.Bool(false),
		"compress":            knownvalue.Int64Exact(0),
		"format":              knownvalue.Int64Exact(5),
		"protected":           knownvalue.Bool(false),
		"created_time":        knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$`)),
		"created_by":          knownvalue.NotNull(),
		"size":                knownvalue.StringExact(""),
		"last_captured":       knownvalue.StringExact(""),
	}
}

// TestAccImageDataSource: by name (without regard to case) and by id, with
// every attribute; exactly one of them; images that do not exist.
func TestAccImageDataSource(t *testing.T) {
	env := newAccEnv(t)
	img := env.CreateImage(t, fogclient.ImageCreate{Name: uniqueImageName("DS-Mixed"), Description: "R&D <base>"})
	const missing = 987654321
	checks := func(addr string) []statecheck.StateCheck {
		var out []statecheck.StateCheck
		for attr, check := range imageObject(img) {
			out = append(out, statecheck.ExpectKnownValue(addr, tfjsonpath.New(attr), check))
		}
		return out
	}

	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      env.Config(fmt.Sprintf("data \"fog_image\" \"x\" {\n  id   = \"%d\"\n  name = %q\n}\n", img.ID, img.Name)),
				ExpectError: expectError(`Exactly one of these attributes must be configured: [id,name]`),
			},
			{
				Config:      env.Config("data \"fog_image\" \"x\" {\n}\n"),
				ExpectError: expectError(`Exactly one of these attributes must be configured: [id,name]`),
			},
			{
				Config:      env.Config("data \"fog_image\" \"x\" {\n  id = \"twelve\"\n}\n"),
				ExpectError: expectError(`must be a FOG id such as "12"`),
			},
			{
				Config:      env.Config("data \"fog_image\" \"x\" {\n  name = \"tfacc-no-such-image\"\n}\n"),
				ExpectError: expectError(`Unable to read image "tfacc-no-such-image"`, `FOG has no image with this name`, "FOG has: "),
			},
			{
				Config:      env.Config(fmt.Sprintf("data \"fog_image\" \"x\" {\n  id = \"%d\"\n}\n", missing)),
				ExpectError: expectError(fmt.Sprintf("Unable to read image %d", missing), fmt.Sprintf("FOG has no image with id %d", missing)),
			},
			{
				Config: env.Config(fmt.Sprintf(`
data "fog_image" "by_name" {
  name = %q
}

data "fog_image" "by_id" {
  id = "%d"
}
`, strings.ToLower(img.Name), img.ID)),
				ConfigStateChecks: append(checks("data.fog_image.by_name"), checks("data.fog_image.by_id")...),
			},
		},
	})
}

// TestAccImageDataSource_example: the documented example applies as written.
func TestAccImageDataSource_example(t *testing.T) {
	env := newAccEnv(t)
	skipUnlessEmulator(t, env, "the example uses a fixed image name")
	_, err := env.Emulator.SeedImage("Win10-Base")
	mustEmulator(t, "seed image", err)
	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.Config(exampleConfig(t, "data-sources/fog_image/data-source.tf")),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("win10_image", knownvalue.StringExact("Win10-Base (Windows 10) in Win10-Base")),
				statecheck.CompareValuePairs("fog_host.lab01", tfjsonpath.New("image_id"), "data.fog_image.win10", tfjsonpath.New("id"), numberEqualsString{}),
			},
		}},
	})
}
