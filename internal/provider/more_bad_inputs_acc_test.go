// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

// The bad-input rows of fog_host and of the data sources the first table
// left out (bad_inputs_acc_test.go runs them with the others). Actions and
// list resources, which Terraform 1.5.7 cannot run, have their rows in
// bad_inputs_protocol_test.go.

import (
	"fmt"
	"strings"
)

func init() { badInputs = append(badInputs, moreBadInputs...) }

// badHost is a fog_host with a fresh name and MAC and extra arguments.
func badHost(name string, macs []string, extra string) func(*badInputFixtures) string {
	return func(*badInputFixtures) string {
		if name == "" {
			name = uniqueHostName()
		}
		if macs == nil {
			macs = []string{randomMAC()}
		}
		return hostConfig(name, macs, extra)
	}
}

// badHostMAC is a fog_host with a fresh name and the MACs mac(fresh MAC).
func badHostMACs(macs func(mac string) []string) func(*badInputFixtures) string {
	return func(fx *badInputFixtures) string { return badHost("", macs(randomMAC()), "")(fx) }
}

func dataSource(typ, body string) func(*badInputFixtures) string {
	return literal(fmt.Sprintf("data %q \"bad\" {\n%s\n}\n", typ, body))
}

var moreBadInputs = []badInput{
	// ---- fog_host ----
	{name: "name FOG would cut (16 characters)", target: "fog_host", attr: "name", hcl: badHost(strings.Repeat("a", 16), nil, ""),
		want: []string{"16 characters long, the limit is 15"}},
	{name: "name FOG would escape (')", target: "fog_host", attr: "name", hcl: badHost("bob's-pc", nil, ""),
		want: []string{"FOG returns ' as &#039;"}},
	{name: "name with a LIKE wildcard", target: "fog_host", attr: "name", hcl: badHost("lab%01", nil, ""),
		want: []string{"wildcard in FOG's name filters"}},
	{name: "name FOG would hide (_api_)", target: "fog_host", attr: "name", hcl: badHost("host_api_x", nil, ""),
		want: []string{`FOG hides every object whose name contains "_api_"`}},
	{name: "name with a space", target: "fog_host", attr: "name", hcl: badHost("lab 01", nil, ""),
		want: []string{"which FOG does not allow in a host name"}},
	{name: "MAC address too short", target: "fog_host", attr: "macs", hcl: badHost("", []string{"00:11:22:33:44"}, ""),
		want: []string{`"00:11:22:33:44" is not a MAC address`}},
	{name: "MAC address listed twice in another spelling", target: "fog_host", attr: "macs",
		hcl:  badHostMACs(func(m string) []string { return []string{m, strings.ToUpper(strings.ReplaceAll(m, ":", "-"))} }),
		want: []string{"is listed twice"}},
	{name: "macs empty", target: "fog_host", attr: "macs", hcl: badHost("", []string{}, ""),
		want: []string{"must contain at least 1 elements"}},
	{name: "ip FOG would cut (26 characters)", target: "fog_host", attr: "ip", hcl: badHost("", nil, `  ip = "2001:db8:0:0:0:0:ff00:0042"`),
		want: []string{"26 characters long, the limit is 25"}},
	{name: "kernel_args with repeated spaces", target: "fog_host", attr: "kernel_args", hcl: badHost("", nil, `  kernel_args = "quiet  splash"`),
		want: []string{"repeated spaces"}},
	{name: "image_id negative", target: "fog_host", attr: "image_id", hcl: badHost("", nil, `  image_id = -1`),
		want: []string{"must be at least 0"}},
	{name: "description with an emoji", target: "fog_host", attr: "description", hcl: badHost("", nil, `  description = "party `+"\U0001F389"+`"`),
		want: []string{"outside the Basic Multilingual Plane"}},
	{name: "image that does not exist", target: "fog_host", attr: "image_id", hcl: badHost("", nil, "  image_id = "+missingID),
		atApply: "fog_host reads the image only at apply: no plan warning yet (a gap of host_resource.go's ModifyPlan, which the server-state rule asks for)",
		want:    []string{"FOG has no image with id " + missingID}},

	// ---- fog_image (data) ----
	{name: "id not a number", target: "data fog_image", attr: "id", hcl: dataSource("fog_image", `  id = "win10"`),
		want: []string{`must be a FOG id such as "12"`}},
	{name: "id 0", target: "data fog_image", attr: "id", hcl: dataSource("fog_image", `  id = "0"`),
		want: []string{`must be a FOG id such as "12"`}},
	{name: "name only whitespace", target: "data fog_image", attr: "name", hcl: dataSource("fog_image", `  name = "  "`),
		want: []string{"must not be empty"}},

	// ---- fog_images ----
	{name: "name_regex invalid", target: "fog_images", attr: "name_regex", hcl: dataSource("fog_images", `  name_regex = "win("`),
		want: []string{`"win(" is not a valid regular expression (RE2 syntax)`}},

	// ---- fog_task_types, fog_image_types, fog_operating_systems ----
	{name: "name only whitespace", target: "fog_task_types", attr: "name", hcl: dataSource("fog_task_types", `  name = " "`),
		want: []string{"must not be empty"}},
	{name: "name only whitespace", target: "fog_image_types", attr: "name", hcl: dataSource("fog_image_types", `  name = " "`),
		want: []string{"must not be empty"}},
	{name: "name only whitespace", target: "fog_operating_systems", attr: "name", hcl: dataSource("fog_operating_systems", `  name = " "`),
		want: []string{"must not be empty"}},
}
