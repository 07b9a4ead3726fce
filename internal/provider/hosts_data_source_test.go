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

// TestAccHostsDataSource: search (server-side, also by MAC), name_regex and
// image_id filters. The fixture names share a random token, so the test
// does not depend on what else the server holds.
func TestAccHostsDataSource(t *testing.T) {
	env := newAccEnv(t)
	token := randomString(6)
	img := env.CreateImage(t, fogclient.ImageCreate{})
	mac1, mac2 := randomMAC(), randomMAC()
	h1 := env.CreateHost(t, fogclient.HostCreate{
		Name: "tfa" + token + "-1", MACs: []string{mac1, mac2}, Description: "R&D <lab>", IP: "10.0.0.5", ImageID: img.ID,
	})
	h2 := env.CreateHost(t, fogclient.HostCreate{Name: "tfa" + token + "-2"})

	hostObject := func(h *fogclient.Host, macs []string, imageID int64, imageName, description, ip string) knownvalue.Check {
		macChecks := make([]knownvalue.Check, 0, len(macs))
		for _, m := range macs {
			macChecks = append(macChecks, knownvalue.StringExact(m))
		}
		return knownvalue.ObjectExact(map[string]knownvalue.Check{
			"id":           knownvalue.Int64Exact(h.ID),
			"name":         knownvalue.StringExact(h.Name),
			"description":  knownvalue.StringExact(description),
			"ip":           knownvalue.StringExact(ip),
			"primary_mac":  knownvalue.StringExact(macs[0]),
			"macs":         knownvalue.ListExact(macChecks),
			"image_id":     knownvalue.Int64Exact(imageID),
			"image_name":   knownvalue.StringExact(imageName),
			"pending":      knownvalue.Bool(false),
			"created_time": knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$`)),
		})
	}
	first := hostObject(h1, []string{mac1, mac2}, img.ID, img.Name, "R&D <lab>", "10.0.0.5")
	second := hostObject(h2, h2.MACs, 0, "", "", "")

	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.Config(`
data "fog_hosts" "bad" {
  name_regex = "(unclosed"
}
`),
				ExpectError: expectError(`is not a valid regular expression`),
			},
			{
				Config: env.Config(`
data "fog_hosts" "bad" {
  search = "  "
}
`),
				ExpectError: expectError(`search must not be empty`),
			},
			{
				// Refused at plan time: FOG does not decode the search path.
				Config: env.Config(`
data "fog_hosts" "bad" {
  search = "50%"
}
`),
				ExpectError: expectError(`holds "%", which FOG cannot receive`),
			},
			{
				Config: env.Config(fmt.Sprintf(`
data "fog_hosts" "search" {
  search = %[1]q
}

data "fog_hosts" "by_mac" {
  search = %[2]q
}

data "fog_hosts" "regex" {
  search     = %[1]q
  name_regex = "-2$"
}

data "fog_hosts" "image" {
  search   = %[1]q
  image_id = %[3]d
}

data "fog_hosts" "no_image" {
  name_regex = "^tfa%[1]s-"
  image_id   = 0
}
`, token, mac2, img.ID)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.fog_hosts.search", tfjsonpath.New("hosts"), knownvalue.ListExact([]knownvalue.Check{first, second})),
					statecheck.ExpectKnownValue("data.fog_hosts.by_mac", tfjsonpath.New("hosts"), knownvalue.ListExact([]knownvalue.Check{first})),
					statecheck.ExpectKnownValue("data.fog_hosts.regex", tfjsonpath.New("hosts"), knownvalue.ListExact([]knownvalue.Check{second})),
					statecheck.ExpectKnownValue("data.fog_hosts.image", tfjsonpath.New("hosts"), knownvalue.ListExact([]knownvalue.Check{first})),
					statecheck.ExpectKnownValue("data.fog_hosts.no_image", tfjsonpath.New("hosts"), knownvalue.ListExact([]knownvalue.Check{second})),
				},
			},
		},
	})
}

func TestFilterHosts(t *testing.T) {
	t.Parallel()
	hosts := []fogclient.Host{
		{ID: 3, Name: "lab-03", ImageID: 2, MACs: []string{"02:00:00:00:00:03"}, PrimaryMAC: "02:00:00:00:00:03"},
		{ID: 1, Name: "lab-01", ImageID: 1},
		{ID: 2, Name: "office-02", ImageID: 1},
		{ID: 1, Name: "lab-01", ImageID: 1}, // duplicate from a search
	}
	ids := func(ms []hostModel) string {
		var out []string
		for _, m := range ms {
			out = append(out, fmt.Sprint(m.ID.ValueInt64()))
		}
		return strings.Join(out, ",")
	}
	cases := []struct {
		name    string
		re      *regexp.Regexp
		imageID types.Int64
		want    string
	}{
		{"all, sorted by id, without duplicates", nil, types.Int64Null(), "1,2,3"},
		{"name regex", regexp.MustCompile("^lab-"), types.Int64Null(), "1,3"},
		{"image", nil, types.Int64Value(1), "1,2"},
		{"no image", nil, types.Int64Value(0), ""},
		{"both", regexp.MustCompile("^lab-"), types.Int64Value(1), "1"},
	}
	for _, tc := range cases {
		if got := ids(filterHosts(hosts, tc.re, tc.imageID)); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
	if m := filterHosts(hosts[1:2], nil, types.Int64Null())[0]; m.MACs == nil {
		t.Error("macs must be an empty list, not null")
	}
}
