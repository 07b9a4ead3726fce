// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

// The bad-input rows of snapins and storage (bad_inputs_acc_test.go runs
// them with the others).

import (
	"fmt"
	"strings"
	"testing"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

func init() { badInputs = append(badInputs, storageBadInputs...) }

func newStorageBadInputFixtures(t *testing.T, env *accEnv) (*fogclient.Snapin, *fogclient.StorageGroup) {
	t.Helper()
	s := env.createSnapin(t, uniqueImageName("badsnap"))
	ctx, cancel := fixtureContext()
	defer cancel()
	g, err := env.Client.CreateStorageGroup(ctx, fogclient.StorageGroupCreate{Name: uniqueImageName("badgroup")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := fixtureContext()
		defer cancel()
		_ = env.Client.DeleteStorageGroup(ctx, g.ID)
	})
	return s, g
}

// badSnapin is a valid fog_snapin with extra arguments replacing the defaults.
func badSnapin(extra string) func(*badInputFixtures) string {
	return func(fx *badInputFixtures) string {
		return withDefaults("fog_snapin", extra, "name = "+fmt.Sprintf("%q", fx.name), `file = "a.msi"`)
	}
}

// badNode is a valid fog_storage_node with extra arguments replacing the defaults.
func badNode(extra string) func(*badInputFixtures) string {
	return func(fx *badInputFixtures) string {
		return withDefaults("fog_storage_node", extra, "name = "+fmt.Sprintf("%q", fx.name), "storage_group_id = "+idString(fx.storageGroup.ID),
			`ip = "10.4.4.4"`, `user = "fogproject"`, `password = "pw-bad-inputs"`)
	}
}

// withDefaults writes resource "<typ>" "bad" with extra and each default
// whose argument extra does not set.
func withDefaults(typ, extra string, defaults ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "resource %q \"bad\" {\n", typ)
	for _, d := range defaults {
		arg := strings.Fields(d)[0]
		if !strings.Contains(extra, arg+" ") {
			b.WriteString("  " + d + "\n")
		}
	}
	b.WriteString(extra + "\n}\n")
	return b.String()
}

func fixtureSnapin(fx *badInputFixtures) string       { return idString(fx.snapin.ID) }
func fixtureStorageGroup(fx *badInputFixtures) string { return idString(fx.storageGroup.ID) }

func hostSnapin(host, snapin func(*badInputFixtures) string) func(*badInputFixtures) string {
	return func(fx *badInputFixtures) string {
		return fmt.Sprintf("resource \"fog_host_snapin\" \"bad\" {\n  host_id   = %s\n  snapin_id = %s\n}\n", host(fx), snapin(fx))
	}
}

func imageGroup(image, group func(*badInputFixtures) string) func(*badInputFixtures) string {
	return func(fx *badInputFixtures) string {
		return fmt.Sprintf("resource \"fog_image_storage_group\" \"bad\" {\n  image_id         = %s\n  storage_group_id = %s\n}\n", image(fx), group(fx))
	}
}

var storageBadInputs = []badInput{
	// ---- fog_snapin ----
	{name: "name empty", target: "fog_snapin", attr: "name", hcl: badSnapin(`  name = ""`),
		want: []string{"A snapin name must not be empty"}},
	{name: "name FOG would cut off (201 characters)", target: "fog_snapin", attr: "name", hcl: badSnapin(fmt.Sprintf("  name = %q", strings.Repeat("s", 201))),
		want: []string{"is 201 characters long, the limit is 200", "Use a shorter name"}},
	{name: "name FOG would escape", target: "fog_snapin", attr: "name", hcl: badSnapin(`  name = "R&D tools"`),
		want: []string{`contains "&"`, "Use letters, digits, spaces"}},
	{name: "name already taken (other letter case)", target: "fog_snapin", attr: "name", serverState: true,
		hcl: func(fx *badInputFixtures) string {
			return badSnapin(fmt.Sprintf("  name = %q", strings.ToUpper(fx.snapin.Name)))(fx)
		},
		want: []string{"FOG already has a snapin named", "terraform import <resource address>"}},
	{name: "file empty", target: "fog_snapin", attr: "file", hcl: badSnapin(`  file = ""`),
		want: []string{"The snapin file must not be empty"}},
	{name: "file with a directory", target: "fog_snapin", attr: "file", hcl: badSnapin(`  file = "installers/7z.msi"`),
		want: []string{"contains a directory", `write only its name: "7z.msi"`}},
	{name: "timeout negative", target: "fog_snapin", attr: "timeout", hcl: badSnapin("  timeout = -1"),
		want: []string{"timeout value must be at least 0, got: -1"}},
	{name: "reboot and shutdown", target: "fog_snapin", attr: "shutdown", hcl: badSnapin("  reboot   = true\n  shutdown = true"),
		want: []string{"reboot and shutdown are both true", "Keep one of them"}},
	{name: "pack_type unknown", target: "fog_snapin", attr: "pack_type", hcl: badSnapin(`  pack_type = "zip"`),
		want: []string{`value must be one of: ["normal" "pack"]`}},

	// ---- fog_host_snapin ----
	{name: "host_id 0", target: "fog_host_snapin", attr: "host_id", hcl: hostSnapin(literal("0"), fixtureSnapin),
		want: []string{"host_id value must be at least 1, got: 0"}},
	{name: "snapin_id negative", target: "fog_host_snapin", attr: "snapin_id", hcl: hostSnapin(hostWithImage, literal("-4")),
		want: []string{"snapin_id value must be at least 1, got: -4"}},
	{name: "snapin that does not exist", target: "fog_host_snapin", attr: "snapin_id", serverState: true,
		hcl:  hostSnapin(hostWithImage, literal(missingID)),
		want: []string{"FOG has no snapin with id " + missingID, "fog_snapins data source"}},
	{name: "host that does not exist", target: "fog_host_snapin", attr: "host_id", serverState: true,
		hcl:  hostSnapin(literal(missingID), fixtureSnapin),
		want: []string{"FOG has no host with id " + missingID, "fog_hosts data source"}},

	// ---- fog_storage_group ----
	{name: "name empty", target: "fog_storage_group", attr: "name", hcl: literal("resource \"fog_storage_group\" \"bad\" {\n  name = \"\"\n}\n"),
		want: []string{"A storage group name must not be empty"}},
	{name: "name with trailing space", target: "fog_storage_group", attr: "name", hcl: literal("resource \"fog_storage_group\" \"bad\" {\n  name = \"site-b \"\n}\n"),
		want: []string{"has leading or trailing whitespace", `Remove it: "site-b"`}},
	{name: "name already taken", target: "fog_storage_group", attr: "name", serverState: true,
		hcl: func(fx *badInputFixtures) string {
			return fmt.Sprintf("resource \"fog_storage_group\" \"bad\" {\n  name = %q\n}\n", strings.ToUpper(fx.storageGroup.Name))
		},
		want: []string{"FOG already has a storage group named", "terraform import <resource address>"}},

	// ---- fog_storage_node ----
	{name: "no password", target: "fog_storage_node", attr: "password", hcl: badNode("  password = null"),
		want: []string{"Set password (or password_wo with password_wo_version)", "write a node without one"}},
	{name: "password empty", target: "fog_storage_node", attr: "password", hcl: badNode(`  password = ""`),
		want: []string{"The password is empty", "neither read nor delete"}},
	{name: "password with surrounding whitespace", target: "fog_storage_node", attr: "password", hcl: badNode(`  password = " pw "`),
		want: []string{"leading or trailing whitespace, which FOG trims"}},
	{name: "password_wo_version without password_wo", target: "fog_storage_node", attr: "password_wo_version", hcl: badNode("  password_wo_version = 1"),
		want: []string{"password_wo_version only tells when to send password_wo again"}},
	{name: "ip with a scheme", target: "fog_storage_node", attr: "ip", hcl: badNode(`  ip = "http://10.4.4.4"`),
		want: []string{"is neither an IP address nor a host name", `write only the address`}},
	{name: "ip with a port", target: "fog_storage_node", attr: "ip", hcl: badNode(`  ip = "10.4.4.4:21"`),
		want: []string{"is neither an IP address nor a host name"}},
	{name: "path relative", target: "fog_storage_node", attr: "path", hcl: badNode(`  path = "images"`),
		want: []string{`"images" is not an absolute path`, `"/images"`}},
	{name: "ftp_path with ..", target: "fog_storage_node", attr: "ftp_path", hcl: badNode(`  ftp_path = "/images/../etc"`),
		want: []string{`contains an empty, "." or ".." component`}},
	{name: "snapin_path with a space", target: "fog_storage_node", attr: "snapin_path", hcl: badNode(`  snapin_path = "/opt/fog snapins"`),
		want: []string{"contains spaces"}},
	{name: "max_clients negative", target: "fog_storage_node", attr: "max_clients", hcl: badNode("  max_clients = -1"),
		want: []string{"max_clients value must be at least 0, got: -1"}},
	{name: "storage group that does not exist", target: "fog_storage_node", attr: "storage_group_id", serverState: true,
		hcl:  badNode("  storage_group_id = " + missingID),
		want: []string{"FOG has no storage group with id " + missingID, "Use the id of an existing group"}},
	{name: "second master in a group", target: "fog_storage_node", attr: "is_master", serverState: true,
		hcl:  badNode("  storage_group_id = 1\n  is_master        = true"),
		want: []string{"Storage group 1 already has a master node", "Set is_master = false"}},

	// ---- fog_image_storage_group ----
	{name: "image_id 0", target: "fog_image_storage_group", attr: "image_id", hcl: imageGroup(literal("0"), fixtureStorageGroup),
		want: []string{"image_id value must be at least 1, got: 0"}},
	{name: "storage group that does not exist", target: "fog_image_storage_group", attr: "storage_group_id", serverState: true,
		hcl:  imageGroup(fixtureImage, literal(missingID)),
		want: []string{"FOG has no storage group with id " + missingID, "fog_storage_groups data source"}},
	{name: "image that does not exist", target: "fog_image_storage_group", attr: "image_id", serverState: true,
		hcl:  imageGroup(literal(missingID), fixtureStorageGroup),
		want: []string{"FOG has no image with id " + missingID}},

	// ---- fog_task: snapin_id ----
	{name: "snapin_id for a Capture", target: "fog_task", attr: "snapin_id", hcl: task(hostWithImage, "Capture", "  snapin_id = 3"),
		want: []string{`FOG ignores snapin_id for "Capture" tasks`, "Remove snapin_id"}},
	{name: "snapin_id with deploy_snapins", target: "fog_task", attr: "snapin_id", hcl: task(hostWithImage, "Deploy", "  snapin_id      = 3\n  deploy_snapins = true"),
		want: []string{"set only one of them"}},
	{name: "snapin_id 0", target: "fog_task", attr: "snapin_id", hcl: task(hostWithImage, "Single Snapin", "  snapin_id = 0"),
		want: []string{"snapin_id value must be at least 1, got: 0"}},
	{name: "snapin the host does not have", target: "fog_task", attr: "snapin_id", serverState: true,
		hcl: func(fx *badInputFixtures) string {
			return task(hostWithImage, "Single Snapin", "  snapin_id = "+fixtureSnapin(fx))(fx)
		},
		want: []string{"does not have snapin", "Add it to the host with a fog_host_snapin"}},

	// ---- data sources ----
	{name: "id not a number", target: "fog_snapin (data)", attr: "id", hcl: literal("data \"fog_snapin\" \"bad\" {\n  id = \"seven\"\n}\n"),
		want: []string{`must be a FOG id such as "12"`}},
	{name: "name_regex invalid", target: "fog_snapins", attr: "name_regex", hcl: literal("data \"fog_snapins\" \"bad\" {\n  name_regex = \"[\"\n}\n"),
		want: []string{`"[" is not a valid regular expression`}},
	{name: "name empty", target: "fog_storage_group (data)", attr: "name", hcl: literal("data \"fog_storage_group\" \"bad\" {\n  name = \" \"\n}\n"),
		want: []string{"must not be empty"}},
	{name: "storage_group_id 0", target: "fog_storage_nodes", attr: "storage_group_id", hcl: literal("data \"fog_storage_nodes\" \"bad\" {\n  storage_group_id = 0\n}\n"),
		want: []string{"storage_group_id value must be at least 1, got: 0"}},
}
