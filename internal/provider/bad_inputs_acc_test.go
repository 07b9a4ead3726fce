// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

// The bad-input table: every way to configure the provider, each resource,
// each data source, the action and each list resource wrongly that the
// provider knows of (the action's and list resources' rows run through the
// protocol: bad_inputs_protocol_test.go). Each case runs
// through the real CLI and must be refused with a diagnostic that points at
// the attribute (Terraform then shows its configuration line) and says what
// to do, at plan time unless the case says why it can only be seen at apply
// time, and must leave the server exactly as it was: no partial object and
// none of the zombie rows FOG creates for bad values (every table of the
// emulator, hidden rows included, is compared before and after).
//
// A case about the server's state (a name taken, an object missing) is a
// warning at plan, with the attribute, and an error at apply before any
// write (serverChecksAtPlan: the plan Terraform runs before a destroy must
// not fail): no write request of the apply gets an answer that applied it.
//
// The number of cases is a figure of the test summary: "bad inputs: N ...".

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
	"github.com/fogproject/terraform-provider-fog/internal/fogtest"
)

// badInputFixtures are the objects the cases refer to, created before the
// server is first compared.
type badInputFixtures struct {
	env *accEnv
	// image is an enabled image; taken is an image whose name a case reuses.
	image, taken, protected *fogclient.Image
	// hostWithImage has image; hostWithoutImage has none; hostProtected has
	// the protected image.
	hostWithImage, hostWithoutImage, hostProtected *fogclient.Host
	// zombieHost is a host row without a MAC address: FOG hides it and
	// answers 404 for it.
	zombieHost int64
	// name is a fresh image name.
	name string
	// group has hostWithImage and hostWithoutImage as members; takenGroup's
	// name a case reuses.
	group, takenGroup *fogclient.Group
	// snapin and storageGroup are a snapin and a storage group whose names
	// cases reuse (storage_bad_inputs_acc_test.go).
	snapin       *fogclient.Snapin
	storageGroup *fogclient.StorageGroup
}

type badInput struct {
	name   string // what is wrong
	target string // what is configured: provider, or the resource or data source type
	// attr is the argument the diagnostic must point at.
	attr string
	// hcl is the configuration without the provider block (for target
	// "provider": the provider block's arguments, as providerBlock takes them).
	hcl func(fx *badInputFixtures) string
	// providerArgs replaces hcl for target "provider".
	providerArgs map[string]string
	// want are phrases of the diagnostic, in order: what is wrong, what to do.
	want []string
	// atApply says why the case can only be seen at apply time ("" = plan time).
	atApply string
	// serverState: a check against the server's state, a warning at plan
	// and an error at apply before any write.
	serverState bool
	// before is a configuration applied first (for a change of an existing object).
	before func(fx *badInputFixtures) string
}

// image is a valid fog_image with extra arguments, which replace the
// defaults of the same name.
func image(extra string) func(*badInputFixtures) string {
	return func(fx *badInputFixtures) string {
		var b strings.Builder
		fmt.Fprintf(&b, "resource \"fog_image\" \"bad\" {\n  name = %q\n  path = %q\n", fx.name, fx.name)
		for _, d := range []string{"image_type_id = 1", "os_id = 9"} {
			if !strings.Contains(extra, strings.Fields(d)[0]+" ") {
				b.WriteString("  " + d + "\n")
			}
		}
		b.WriteString(extra + "\n}\n")
		return b.String()
	}
}

func imageNamed(name, path string) func(*badInputFixtures) string {
	return func(*badInputFixtures) string {
		return fmt.Sprintf("resource \"fog_image\" \"bad\" {\n  name          = %q\n  path          = %q\n  image_type_id = 1\n  os_id         = 9\n}\n", name, path)
	}
}

func imageWithPath(path string) func(*badInputFixtures) string {
	return func(fx *badInputFixtures) string { return imageNamed(fx.name, path)(fx) }
}

func imageWithName(name string) func(*badInputFixtures) string {
	return func(fx *badInputFixtures) string { return imageNamed(name, fx.name)(fx) }
}

func assignment(host, image func(*badInputFixtures) string) func(*badInputFixtures) string {
	return func(fx *badInputFixtures) string {
		return fmt.Sprintf("resource \"fog_host_image_assignment\" \"bad\" {\n  host_id  = %s\n  image_id = %s\n}\n", host(fx), image(fx))
	}
}

func task(host func(*badInputFixtures) string, typ, extra string) func(*badInputFixtures) string {
	return func(fx *badInputFixtures) string {
		return fmt.Sprintf("resource \"fog_task\" \"bad\" {\n  host_id = %s\n  type    = %q\n%s\n}\n", host(fx), typ, extra)
	}
}

func group(extra string) func(*badInputFixtures) string {
	return func(*badInputFixtures) string {
		body := extra
		if !strings.Contains(extra, "name ") {
			body = fmt.Sprintf("  name = %q\n", uniqueGroupName("bad")) + extra
		}
		return "resource \"fog_group\" \"bad\" {\n" + body + "\n}\n"
	}
}

func groupTask(groupExpr func(*badInputFixtures) string, typ, extra string) func(*badInputFixtures) string {
	return func(fx *badInputFixtures) string {
		return fmt.Sprintf("resource \"fog_task\" \"bad\" {\n  group_id = %s\n  type     = %q\n%s\n}\n", groupExpr(fx), typ, extra)
	}
}

func schedule(target func(*badInputFixtures) string, typ, extra string) func(*badInputFixtures) string {
	return func(fx *badInputFixtures) string {
		return fmt.Sprintf("resource \"fog_scheduled_task\" \"bad\" {\n%s\n  type = %q\n%s\n}\n", target(fx), typ, extra)
	}
}

func fixtureGroup(fx *badInputFixtures) string { return idString(fx.group.ID) }

func scheduleHost(fx *badInputFixtures) string { return "  host_id = " + idString(fx.hostWithImage.ID) }

func scheduleGroup(fx *badInputFixtures) string { return "  group_id = " + idString(fx.group.ID) }

func literal(s string) func(*badInputFixtures) string {
	return func(*badInputFixtures) string { return s }
}

func hostWithImage(fx *badInputFixtures) string    { return idString(fx.hostWithImage.ID) }
func hostWithoutImage(fx *badInputFixtures) string { return idString(fx.hostWithoutImage.ID) }
func fixtureImage(fx *badInputFixtures) string     { return idString(fx.image.ID) }

const missingID = "987654"

var badInputs = []badInput{
	// ---- provider configuration ----
	{name: "server_url is not a URL", target: "provider", attr: "server_url", providerArgs: map[string]string{"server_url": `"http://[::1"`},
		want: []string{"is not a valid URL", `Use the form "https://fog.example.com"`}},
	{name: "server_url without a scheme", target: "provider", attr: "server_url", providerArgs: map[string]string{"server_url": `"fog.example.com"`},
		want: []string{"must start with http:// or https://", `for example "https://fog.example.com"`}},
	{name: "server_url with another scheme", target: "provider", attr: "server_url", providerArgs: map[string]string{"server_url": `"ftp://fog.example.com"`},
		want: []string{"must start with http:// or https://"}},
	{name: "server_url without a host", target: "provider", attr: "server_url", providerArgs: map[string]string{"server_url": `"https://"`},
		want: []string{"has no host name", `Use the form "https://fog.example.com"`}},
	{name: "server_url with credentials", target: "provider", attr: "server_url", providerArgs: map[string]string{"server_url": `"https://admin:secret@fog.example.com"`},
		want: []string{"must not contain credentials", "Use the api_token and user_token arguments"}},
	{name: "server_url with a query", target: "provider", attr: "server_url", providerArgs: map[string]string{"server_url": `"https://fog.example.com/?debug=1"`},
		want: []string{"must not have a query string or fragment", `Use the form "https://fog.example.com"`}},
	{name: "server_url empty", target: "provider", attr: "server_url", providerArgs: map[string]string{"server_url": `""`},
		want: []string{"server_url is empty", `Set it to the FOG web server, for example "https://fog.example.com"`}},
	{name: "api_token empty", target: "provider", attr: "api_token", providerArgs: map[string]string{"api_token": `""`},
		want: []string{"The api_token is empty", "Copy it from FOG Configuration > FOG Settings > API System"}},
	{name: "api_token only whitespace", target: "provider", attr: "api_token", providerArgs: map[string]string{"api_token": `"   "`},
		want: []string{"The api_token is empty", "Copy it from FOG Configuration > FOG Settings > API System"}},
	{name: "api_token with a trailing newline", target: "provider", attr: "api_token", providerArgs: map[string]string{"api_token": `"bm90LXJlYWxseQ==\n"`},
		want: []string{"has leading or trailing whitespace", "Remove it, for example with trimspace()"}},
	{name: "api_token as the raw hex value", target: "provider", attr: "api_token", providerArgs: map[string]string{"api_token": fmt.Sprintf("%q", strings.Repeat("0123456789abcdef", 8))},
		want: []string{"128-character hex value", "base64encode("}},
	{name: "api_token not base64", target: "provider", attr: "api_token", providerArgs: map[string]string{"api_token": `"not*base64!"`},
		want: []string{"The api_token is not base64 text", "Copy it exactly as FOG Configuration > FOG Settings > API System"}},
	{name: "user_token with a space inside", target: "provider", attr: "user_token", providerArgs: map[string]string{"user_token": `"bm90 LXJlYWxseQ=="`},
		want: []string{"The user_token contains whitespace", "Copy it again from Users > your user > API Settings"}},
	{name: "request_timeout without a unit", target: "provider", attr: "request_timeout", providerArgs: map[string]string{"request_timeout": `"30"`},
		want: []string{`"30" is not a duration`, `Use a number with a unit, such as "30s"`}},
	{name: "request_timeout negative", target: "provider", attr: "request_timeout", providerArgs: map[string]string{"request_timeout": `"-5s"`},
		want: []string{`"-5s" must be greater than zero`, `Use a duration such as "30s"`}},
	{name: "max_retries negative", target: "provider", attr: "max_retries", providerArgs: map[string]string{"max_retries": "-1"},
		want: []string{"max_retries value must be between 0 and 20, got: -1"}},
	{name: "max_concurrent_requests zero", target: "provider", attr: "max_concurrent_requests", providerArgs: map[string]string{"max_concurrent_requests": "0"},
		want: []string{"max_concurrent_requests value must be between 1 and 64, got: 0"}},
	{name: "ca_cert_pem without a certificate", target: "provider", attr: "ca_cert_pem", providerArgs: map[string]string{"ca_cert_pem": `"-----BEGIN PRIVATE KEY-----"`},
		want: []string{`contains no "-----BEGIN CERTIFICATE-----" block`, "Set it to the PEM text of the CA certificate"}},
	{name: "insecure together with ca_cert_pem", target: "provider", attr: "insecure", providerArgs: map[string]string{"insecure": "true", "ca_cert_pem": "local.ca"},
		want: []string{"insecure = true turns certificate verification off", "Remove insecure"}},
	{name: "username without password", target: "provider", attr: "username", providerArgs: map[string]string{"username": `"fog"`},
		want: []string{"username is set, so HTTP Basic authentication needs password too", "Set password, or remove username"}},
	{name: "password without username", target: "provider", attr: "password", providerArgs: map[string]string{"password": `"secret"`},
		want: []string{"password is set, so HTTP Basic authentication needs username too", "Set username, or remove password"}},
	{name: "username only whitespace", target: "provider", attr: "username", providerArgs: map[string]string{"username": `"  "`, "password": `"secret"`},
		want: []string{"The username must not be empty or only whitespace"}},
	{name: "retry_max_wait without a unit", target: "provider", attr: "retry_max_wait", providerArgs: map[string]string{"retry_max_wait": `"60"`},
		want: []string{`"60" is not a duration`, `such as "60s" or "5m" ("0s" turns it off)`}},
	{name: "retry_max_wait negative", target: "provider", attr: "retry_max_wait", providerArgs: map[string]string{"retry_max_wait": `"-5s"`},
		want: []string{`"-5s" must not be negative`}},

	// ---- fog_image ----
	{name: "name empty", target: "fog_image", attr: "name", hcl: imageWithName(""),
		want: []string{"An image name must not be empty or only whitespace"}},
	{name: "name with leading whitespace", target: "fog_image", attr: "name", hcl: imageWithName(" lead"),
		want: []string{"has leading or trailing whitespace. FOG trims it", `Remove it: "lead"`}},
	{name: "name FOG would truncate (41 characters)", target: "fog_image", attr: "name", hcl: imageWithName(strings.Repeat("n", 41)),
		want: []string{"is 41 characters long, the limit is 40", "Use a shorter name"}},
	{name: "name with repeated spaces", target: "fog_image", attr: "name", hcl: imageWithName("two  spaces"),
		want: []string{"contains repeated spaces", "Use single spaces"}},
	{name: "name FOG would escape (&)", target: "fog_image", attr: "name", hcl: imageWithName("R&D"),
		want: []string{`contains "&". FOG returns these characters HTML-escaped`, "Use letters, digits, spaces"}},
	{name: "name FOG would escape (<)", target: "fog_image", attr: "name", hcl: imageWithName("<script>"),
		want: []string{`contains "<"`, "Use letters, digits, spaces"}},
	{name: "name with a LIKE wildcard", target: "fog_image", attr: "name", hcl: imageWithName("100%"),
		want: []string{`contains "%"`, "is a wildcard in FOG's name lookups"}},
	{name: "name FOG would hide (_api_)", target: "fog_image", attr: "name", hcl: imageWithName("img_api_x"),
		want: []string{`FOG hides every object whose name contains "_api_"`, `for example with "-api-"`}},
	{name: "name with an emoji", target: "fog_image", attr: "name", hcl: imageWithName("party \U0001F389"),
		want: []string{"outside the Basic Multilingual Plane", `stores each such character as "????". Remove it`}},
	{name: "name with a tab", target: "fog_image", attr: "name", hcl: imageWithName("tab\there"),
		want: []string{"contains control characters", "Remove them"}},
	{name: "name already taken (other letter case)", target: "fog_image", attr: "name",
		hcl:  func(fx *badInputFixtures) string { return imageWithName(strings.ToUpper(fx.taken.Name))(fx) },
		want: []string{"FOG already has an image named", "terraform import <resource address>"}, serverState: true},
	{name: "rename changing only the letter case", target: "fog_image", attr: "name",
		before: func(fx *badInputFixtures) string { return imageWithName(fx.name + "-case")(fx) },
		hcl:    func(fx *badInputFixtures) string { return imageWithName(strings.ToUpper(fx.name + "-case"))(fx) },
		want:   []string{"FOG cannot change only the letter case of a name", "Rename it to a different name in one apply"}},
	{name: "path empty", target: "fog_image", attr: "path", hcl: imageWithPath(""),
		want: []string{"An image path must not be empty or only whitespace"}},
	{name: "path absolute", target: "fog_image", attr: "path", hcl: imageWithPath("/images/win10"),
		want: []string{"relative to the storage node's image directory", `write "images/win10", not "/images/win10"`}},
	{name: "path with a trailing slash", target: "fog_image", attr: "path", hcl: imageWithPath("win10/"),
		want: []string{`Remove the trailing slash: write "win10"`}},
	{name: "path with ..", target: "fog_image", attr: "path", hcl: imageWithPath("a/../b"),
		want: []string{`contains an empty, "." or ".." component`, "Use a plain directory name"}},
	{name: "path reserved by FOG", target: "fog_image", attr: "path", hcl: imageWithPath("postdownloadscripts"),
		want: []string{"is reserved for FOG's own files", "Choose another directory name"}},
	{name: "path is the storage root", target: "fog_image", attr: "path", hcl: imageWithPath("/"),
		want: []string{"names the storage root itself", "Use a directory name such as"}},
	{name: "image_type_id 0", target: "fog_image", attr: "image_type_id", hcl: image("  image_type_id = 0"),
		want: []string{"image_type_id value must be between 1 and 4, got: 0"}},
	{name: "image_type_id 5", target: "fog_image", attr: "image_type_id", hcl: image("  image_type_id = 5"),
		want: []string{"image_type_id value must be between 1 and 4, got: 5"}},
	{name: "os_id negative", target: "fog_image", attr: "os_id", hcl: image("  os_id = -1"),
		want: []string{"os_id value must be at least 1, got: -1"}},
	{name: "os_id the server does not have", target: "fog_image", attr: "os_id", hcl: image("  os_id = 4242"),
		want: []string{"os_id 4242 does not exist on the FOG server", "Valid ids: 1 (Windows 2000/XP)"}, serverState: true},
	{name: "partition_type_id 13", target: "fog_image", attr: "partition_type_id", hcl: image("  partition_type_id = 13"),
		want: []string{"partition_type_id value must be between 1 and 12, got: 13"}},
	{name: "compress 23", target: "fog_image", attr: "compress", hcl: image("  compress = 23"),
		want: []string{"compress value must be between 0 and 22, got: 23"}},
	{name: "format 7", target: "fog_image", attr: "format", hcl: image("  format = 7"),
		want: []string{"format value must be between 0 and 6, got: 7"}},
	{name: "Zstd level for a gzip format", target: "fog_image", attr: "compress", hcl: image("  format   = 2\n  compress = 12"),
		want: []string{"compresses with gzip, whose levels are 0-9; compress is 12", "Use a level of 9 or less, or a Zstd format"}},
	{name: "description with an emoji", target: "fog_image", attr: "description", hcl: image(`  description = "party \U0001F389"`),
		want: []string{"The description contains", `"????". Remove it`}},

	// ---- fog_host_image_assignment ----
	{name: "host_id 0", target: "fog_host_image_assignment", attr: "host_id", hcl: assignment(literal("0"), fixtureImage),
		want: []string{"host_id value must be at least 1, got: 0"}},
	{name: "host_id negative", target: "fog_host_image_assignment", attr: "host_id", hcl: assignment(literal("-3"), fixtureImage),
		want: []string{"host_id value must be at least 1, got: -3"}},
	{name: "image_id 0", target: "fog_host_image_assignment", attr: "image_id", hcl: assignment(hostWithImage, literal("0")),
		want: []string{"image_id value must be at least 1, got: 0"}},
	{name: "image that does not exist", target: "fog_host_image_assignment", attr: "image_id", hcl: assignment(hostWithImage, literal(missingID)),
		want: []string{"FOG has no image with id " + missingID, "Use the id of an existing image"}, serverState: true},
	{name: "host that does not exist", target: "fog_host_image_assignment", attr: "host_id", hcl: assignment(literal(missingID), fixtureImage),
		want: []string{"FOG has no host with id " + missingID, "look it up with the fog_hosts data source"}, serverState: true},
	{name: "host FOG hides (no primary MAC)", target: "fog_host_image_assignment", attr: "host_id",
		hcl:  assignment(func(fx *badInputFixtures) string { return idString(fx.zombieHost) }, fixtureImage),
		want: []string{"has no primary MAC address, which makes FOG hide it", "look it up with the fog_hosts data source"}, serverState: true},

	// ---- fog_host ----
	{name: "name already taken (other letter case)", target: "fog_host", attr: "name",
		hcl: func(fx *badInputFixtures) string {
			return hostConfig(strings.ToUpper(fx.hostWithImage.Name), []string{randomMAC()}, "")
		},
		want: []string{"FOG already has a host named", "terraform import <resource address>"}, serverState: true},
	{name: "MAC address of another host", target: "fog_host", attr: "macs",
		hcl: func(fx *badInputFixtures) string {
			return hostConfig(uniqueHostName(), []string{fx.hostWithImage.PrimaryMAC}, "")
		},
		want: []string{"belongs to host " + `"`, "remove it from"}, serverState: true},

	// ---- fog_task ----
	{name: "type empty", target: "fog_task", attr: "type", hcl: task(hostWithImage, "", ""),
		want: []string{"type must contain a letter or a digit"}},
	{name: "type only spaces", target: "fog_task", attr: "type", hcl: task(hostWithImage, "   ", ""),
		want: []string{"type must contain a letter or a digit"}},
	{name: "type the server does not have", target: "fog_task", attr: "type", hcl: task(hostWithImage, "Deploy please", ""),
		want: []string{`"Deploy please" is not a task type of the FOG server`, `Valid task types: "Deploy" (1)`}, serverState: true},
	{name: "type id the server does not have", target: "fog_task", attr: "type", hcl: task(hostWithImage, "99", ""),
		want: []string{"the FOG server has no task type with id 99", "Valid task types:"}, serverState: true},
	{name: "Wake-Up without wol", target: "fog_task", attr: "type", hcl: task(hostWithImage, "Wake-Up", ""),
		want: []string{"does nothing unless FOG sends the Wake-on-LAN packet", "set wol = true"}},
	{name: "Single Snapin without snapin_id", target: "fog_task", attr: "type", hcl: task(hostWithImage, "Single Snapin", ""),
		want: []string{"needs the snapin to deploy: set snapin_id", `use type = "All Snapins" with deploy_snapins = true`}},
	{name: "All Snapins without deploy_snapins", target: "fog_task", attr: "type", hcl: task(hostWithImage, "All Snapins", ""),
		want: []string{"without any snapin job unless deploySnapins is sent", "set deploy_snapins = true"}},
	{name: "deploy_snapins for a wipe", target: "fog_task", attr: "type", hcl: task(hostWithImage, "Fast Wipe", "  deploy_snapins = true"),
		want: []string{`FOG ignores deploy_snapins for "Fast Wipe" tasks`, "Remove deploy_snapins"}},
	{name: "host_id 0", target: "fog_task", attr: "host_id", hcl: task(literal("0"), "Deploy", ""),
		want: []string{"host_id value must be at least 1, got: 0"}},
	{name: "host that does not exist", target: "fog_task", attr: "host_id", hcl: task(literal(missingID), "Deploy", ""),
		want: []string{"FOG has no host with id " + missingID, "look it up with the fog_hosts data source"}, serverState: true},
	{name: "image_id negative", target: "fog_task", attr: "image_id", hcl: task(hostWithImage, "Deploy", "  image_id = -2"),
		want: []string{"image_id value must be at least 1, got: -2"}},
	{name: "image_id that does not exist", target: "fog_task", attr: "image_id", hcl: task(hostWithImage, "Deploy", "  image_id = "+missingID),
		want: []string{"FOG has no image with id " + missingID, "Use the id of an existing image"}, serverState: true},
	{name: "capture onto a protected image", target: "fog_task", attr: "type",
		hcl:  task(func(fx *badInputFixtures) string { return idString(fx.hostProtected.ID) }, "Capture", ""),
		want: []string{"is protected, so a Capture task", "Unprotect the image first"}, serverState: true},
	{name: "deploy to a host without an image", target: "fog_task", attr: "host_id", hcl: task(hostWithoutImage, "Deploy", ""),
		atApply: "a fog_host_image_assignment of the same apply, ordered by depends_on, may still assign one (the plan warns)",
		want:    []string{"The host has no image assigned, so FOG would refuse the task", "set image_id = fog_host_image_assignment.<name>.image_id"}},
	{name: "image_id other than the host's image", target: "fog_task", attr: "image_id",
		hcl: func(fx *badInputFixtures) string {
			return task(hostWithImage, "Deploy", "  image_id = "+idString(fx.taken.ID))(fx)
		},
		atApply: "a fog_host_image_assignment of the same apply may still assign that image",
		want:    []string{"but the host has image", "Assign image"}},
	{name: "timeouts.create not a duration", target: "fog_task", attr: "create", hcl: task(hostWithImage, "Deploy", "  timeouts {\n    create = \"soon\"\n  }"),
		want: []string{`"soon" must be a string containing a sequence of decimal numbers`, `such as "300ms"`}},
	{name: "timeouts.create zero", target: "fog_task", attr: "create", hcl: task(hostWithImage, "Deploy", "  timeouts {\n    create = \"0s\"\n  }"),
		want: []string{`timeouts.create is "0s", but it must be longer than zero`, `Use a duration such as "30m"`}},
	{name: "timeouts.create negative", target: "fog_task", attr: "create", hcl: task(hostWithImage, "Deploy", "  timeouts {\n    create = \"-10m\"\n  }"),
		want: []string{`timeouts.create is "-10m", but it must be longer than zero`}},
	{name: "task_name with an emoji", target: "fog_task", attr: "task_name", hcl: task(hostWithImage, "Deploy", "  task_name = \"nightly \U0001F319\""),
		want: []string{"outside the Basic Multilingual Plane", "Remove it"}},
	{name: "task_name FOG would truncate", target: "fog_task", attr: "task_name", hcl: task(hostWithImage, "Deploy", fmt.Sprintf("  task_name = %q", strings.Repeat("t", 201))),
		want: []string{"is 201 characters long, the limit is 200", "Use a shorter name"}},

	// ---- fog_hosts ----
	{name: "search empty", target: "fog_hosts", attr: "search", hcl: literal("data \"fog_hosts\" \"bad\" {\n  search = \"\"\n}\n"),
		want: []string{"The search must not be empty"}},
	{name: "name_regex invalid", target: "fog_hosts", attr: "name_regex", hcl: literal("data \"fog_hosts\" \"bad\" {\n  name_regex = \"(\"\n}\n"),
		want: []string{`"(" is not a valid regular expression (RE2 syntax)`}},
	{name: "image_id negative", target: "fog_hosts", attr: "image_id", hcl: literal("data \"fog_hosts\" \"bad\" {\n  image_id = -1\n}\n"),
		want: []string{"image_id value must be at least 0, got: -1"}},

	// ---- fog_group ----
	{name: "name empty", target: "fog_group", attr: "name", hcl: group(`  name = ""`),
		want: []string{"A group name must not be empty or only whitespace"}},
	{name: "name FOG would cut (51 characters)", target: "fog_group", attr: "name", hcl: group(fmt.Sprintf("  name = %q", strings.Repeat("g", 51))),
		want: []string{"is 51 characters long, the limit is 50", "FOG overwrites that group"}},
	{name: "name FOG would escape (&)", target: "fog_group", attr: "name", hcl: group(`  name = "R&D"`),
		want: []string{`contains "&"`, "escapes it once more"}},
	{name: "name FOG would escape (')", target: "fog_group", attr: "name", hcl: group(`  name = "Bob's lab"`),
		want: []string{`contains "'"`, "escapes it once more"}},
	{name: "name with leading whitespace", target: "fog_group", attr: "name", hcl: group(`  name = " lab"`),
		want: []string{"has leading or trailing whitespace", `Remove it: "lab"`}},
	{name: "name FOG would hide (_api_)", target: "fog_group", attr: "name", hcl: group(`  name = "lab_api_x"`),
		want: []string{`FOG hides every object whose name contains "_api_"`}},
	{name: "name already taken (other letter case)", target: "fog_group", attr: "name",
		hcl: func(fx *badInputFixtures) string {
			return group(fmt.Sprintf("  name = %q", strings.ToUpper(fx.takenGroup.Name)))(fx)
		},
		serverState: true,
		want:        []string{"FOG already has a group named", "terraform import <resource address>"}},
	{name: "rename changing only the letter case", target: "fog_group", attr: "name",
		before: func(fx *badInputFixtures) string { return group(`  name = "Case-Lab"`)(fx) },
		hcl:    func(fx *badInputFixtures) string { return group(`  name = "CASE-LAB"`)(fx) },
		want:   []string{"FOG cannot change only the letter case of a name", "Rename it to a different name in one apply"}},
	{name: "host_ids with 0", target: "fog_group", attr: "host_ids", hcl: group("  host_ids = [0]"),
		want: []string{"value must be at least 1, got: 0"}},
	{name: "host_ids with a host that does not exist", target: "fog_group", attr: "host_ids", hcl: group("  host_ids = [" + missingID + "]"),
		serverState: true,
		want:        []string{"FOG has no host with id " + missingID, "fog_hosts data source"}},
	{name: "kernel_args with leading whitespace", target: "fog_group", attr: "kernel_args", hcl: group(`  kernel_args = " quiet"`),
		want: []string{"has leading or trailing whitespace"}},
	{name: "kernel_device too long", target: "fog_group", attr: "kernel_device", hcl: group(fmt.Sprintf("  kernel_device = %q", strings.Repeat("d", 256))),
		want: []string{"is 256 characters long, the limit is 255"}},

	// ---- fog_group_membership ----
	{name: "group_id 0", target: "fog_group_membership", attr: "group_id",
		hcl:  func(fx *badInputFixtures) string { return membershipHCL("bad", "0", fx.hostWithImage.ID) },
		want: []string{"group_id value must be at least 1, got: 0"}},
	{name: "group that does not exist", target: "fog_group_membership", attr: "group_id",
		hcl:         func(fx *badInputFixtures) string { return membershipHCL("bad", missingID, fx.hostWithImage.ID) },
		serverState: true,
		want:        []string{"FOG has no group with id " + missingID, "fog_group data source"}},
	{name: "host that does not exist", target: "fog_group_membership", attr: "host_id",
		hcl:         func(fx *badInputFixtures) string { return membershipHCL("bad", fixtureGroup(fx), 987654) },
		serverState: true,
		want:        []string{"FOG has no host with id " + missingID}},
	{name: "host already a member", target: "fog_group_membership", attr: "host_id",
		hcl:         func(fx *badInputFixtures) string { return membershipHCL("bad", fixtureGroup(fx), fx.hostWithImage.ID) },
		serverState: true,
		want:        []string{"is already a member of group", "terraform import <resource address>"}},

	// ---- fog_task for a group ----
	{name: "both host_id and group_id", target: "fog_task", attr: "group_id",
		hcl: func(fx *badInputFixtures) string {
			return groupTask(fixtureGroup, "Deploy", "  host_id = "+hostWithImage(fx))(fx)
		},
		want: []string{"host_id and group_id are both set", "remove one of them"}},
	{name: "snapin_id for a group", target: "fog_task", attr: "snapin_id",
		hcl:  groupTask(fixtureGroup, "Deploy", "  snapin_id = 1"),
		want: []string{`Attribute "group_id" cannot be specified when "snapin_id" is specified`}},
	{name: "capture of a group", target: "fog_task", attr: "type", hcl: groupTask(fixtureGroup, "Capture", ""),
		want: []string{"group capture with success and creates nothing", "Use host_id"}},
	{name: "deploy_snapins for a group", target: "fog_task", attr: "type", hcl: groupTask(fixtureGroup, "Deploy", "  deploy_snapins = true"),
		want: []string{"snapin job for several hosts", "Remove deploy_snapins"}},
	{name: "group_id 0", target: "fog_task", attr: "group_id", hcl: groupTask(literal("0"), "Deploy", ""),
		want: []string{"group_id value must be at least 1, got: 0"}},
	{name: "group that does not exist", target: "fog_task", attr: "group_id", hcl: groupTask(literal(missingID), "Deploy", ""),
		serverState: true,
		want:        []string{"FOG has no group with id " + missingID}},
	{name: "deploy of a group with a member without an image", target: "fog_task", attr: "group_id", hcl: groupTask(fixtureGroup, "Deploy", ""),
		serverState: true,
		want:        []string{"have no image assigned", "Image is not valid"}},

	// ---- fog_scheduled_task ----
	{name: "cron with four fields", target: "fog_scheduled_task", attr: "cron", hcl: schedule(scheduleHost, "Deploy", `  cron = "0 2 * *"`),
		want: []string{"has 4 fields; it needs five", "hang"}},
	{name: "cron date that never comes", target: "fog_scheduled_task", attr: "cron", hcl: schedule(scheduleHost, "Deploy", `  cron = "0 2 30 2 *"`),
		want: []string{"never falls in the month", "hang"}},
	{name: "cron minute not a number", target: "fog_scheduled_task", attr: "cron", hcl: schedule(scheduleHost, "Deploy", `  cron = "abc 2 * * *"`),
		want: []string{"which is not a number", "hang"}},
	{name: "cron step 0", target: "fog_scheduled_task", attr: "cron", hcl: schedule(scheduleHost, "Deploy", `  cron = "*/0 * * * *"`),
		want: []string{"must be a number of 1 or more"}},
	{name: "cron Sunday as 0 in a range", target: "fog_scheduled_task", attr: "cron", hcl: schedule(scheduleHost, "Deploy", `  cron = "0 2 * * 0-5"`),
		want: []string{"write 7 for Sunday"}},
	{name: "run_at not RFC 3339", target: "fog_scheduled_task", attr: "run_at", hcl: schedule(scheduleHost, "Deploy", `  run_at = "tomorrow 22:00"`),
		want: []string{"is not an RFC 3339 time"}},
	{name: "run_at in the past", target: "fog_scheduled_task", attr: "run_at", hcl: schedule(scheduleHost, "Deploy", `  run_at = "2020-01-01T00:00:00Z"`),
		want: []string{"has passed", "Use a time in the future"}},
	{name: "both cron and run_at", target: "fog_scheduled_task", attr: "run_at",
		hcl:  schedule(scheduleHost, "Deploy", "  cron   = \"0 2 * * *\"\n  run_at = \"2099-01-01T00:00:00Z\""),
		want: []string{"cron and run_at are both set", "remove one of them"}},
	{name: "Wake-Up without wol", target: "fog_scheduled_task", attr: "type", hcl: schedule(scheduleHost, "Wake-Up", `  cron = "0 6 * * 1-5"`),
		want: []string{"does nothing unless FOG sends the Wake-on-LAN packet", "set wol = true"}},
	{name: "All Snapins", target: "fog_scheduled_task", attr: "type", hcl: schedule(scheduleHost, "All Snapins", `  cron = "0 6 * * 1-5"`),
		want: []string{"cannot be scheduled here"}},
	{name: "capture of a group", target: "fog_scheduled_task", attr: "type", hcl: schedule(scheduleGroup, "Capture", `  cron = "0 6 * * 1-5"`),
		want: []string{"group capture with success and creates nothing"}},
	{name: "host that does not exist", target: "fog_scheduled_task", attr: "host_id",
		hcl:         schedule(literal("  host_id = "+missingID), "Deploy", `  cron = "0 2 * * *"`),
		serverState: true,
		want:        []string{"FOG has no host with id " + missingID}},
	{name: "group that does not exist", target: "fog_scheduled_task", attr: "group_id",
		hcl:     schedule(literal("  group_id = "+missingID), "Hardware Inventory", `  cron = "0 2 * * *"`),
		atApply: "the group is the server's state: the error before any write",
		want:    []string{"FOG has no group with id " + missingID}},

	// ---- fog_group, fog_groups, fog_host_inventory data sources; fog_hosts group_id ----
	{name: "id not a number", target: "data fog_group", attr: "id", hcl: literal("data \"fog_group\" \"bad\" {\n  id = \"lab\"\n}\n"),
		want: []string{`must be a FOG id such as "3"`}},
	{name: "name FOG does not have", target: "data fog_group", attr: "name", hcl: literal("data \"fog_group\" \"bad\" {\n  name = \"no-such-group\"\n}\n"),
		want: []string{"FOG has no group with this name", "FOG has:"}},
	{name: "search FOG cannot receive", target: "fog_groups", attr: "search", hcl: literal("data \"fog_groups\" \"bad\" {\n  search = \"a/b\"\n}\n"),
		want: []string{`holds "/", which FOG cannot receive`}},
	{name: "name_regex invalid", target: "fog_groups", attr: "name_regex", hcl: literal("data \"fog_groups\" \"bad\" {\n  name_regex = \"(\"\n}\n"),
		want: []string{`"(" is not a valid regular expression (RE2 syntax)`}},
	{name: "host_id 0", target: "fog_groups", attr: "host_id", hcl: literal("data \"fog_groups\" \"bad\" {\n  host_id = 0\n}\n"),
		want: []string{"host_id value must be at least 1, got: 0"}},
	{name: "group_id 0", target: "fog_hosts", attr: "group_id", hcl: literal("data \"fog_hosts\" \"bad\" {\n  group_id = 0\n}\n"),
		want: []string{"group_id value must be at least 1, got: 0"}},
	{name: "host_id 0", target: "fog_host_inventory", attr: "host_id", hcl: literal("data \"fog_host_inventory\" \"bad\" {\n  host_id = 0\n}\n"),
		want: []string{"host_id value must be at least 1, got: 0"}},
	{name: "host that does not exist", target: "fog_host_inventory", attr: "host_id",
		hcl:  literal("data \"fog_host_inventory\" \"bad\" {\n  host_id = " + missingID + "\n}\n"),
		want: []string{"FOG has no host with id " + missingID}},

	// ---- fog_active_tasks ----
	{name: "host_id 0", target: "fog_active_tasks", attr: "host_id", hcl: literal("data \"fog_active_tasks\" \"bad\" {\n  host_id = 0\n}\n"),
		want: []string{"host_id value must be at least 1, got: 0"}},
	{name: "host_id negative", target: "fog_active_tasks", attr: "host_id", hcl: literal("data \"fog_active_tasks\" \"bad\" {\n  host_id = -7\n}\n"),
		want: []string{"host_id value must be at least 1, got: -7"}},
}

// badInputError matches a diagnostic that shows the configuration line of
// attr (Terraform does for an attribute's diagnostics) followed by want.
func badInputError(attr string, want []string) *regexp.Regexp {
	return regexp.MustCompile(`(?s)\d+:\s+` + regexp.QuoteMeta(attr) + `\s+=.*` + strings.TrimPrefix(expectError(want...).String(), `(?s)`))
}

// TestAccBadInputs runs the table, grouped by target (one emulator and one
// CLI working directory per group), and prints the figure.
func TestAccBadInputs(t *testing.T) {
	var atPlan, warnedAtPlan, atApply, groupsRun atomic.Int64
	var mu sync.Mutex
	var leftovers []string
	groups := map[string][]badInput{}
	t.Cleanup(func() {
		if groupsRun.Load() != int64(len(groups))+1 { // the CLI's groups and the protocol rows
			return // skipped: no figure
		}
		verdict := "every one refused with its attribute and the fix, nothing left on the server"
		if t.Failed() {
			verdict = "FAILED"
		}
		fmt.Printf("bad inputs: %d (%d refused at plan, %d warned at plan and refused at apply before any write, %d at apply before any write; "+
			"%d of them the action's and list resources' through the protocol), %s\n",
			len(badInputs)+len(protocolBadInputs), atPlan.Load(), warnedAtPlan.Load(), atApply.Load(), len(protocolBadInputs), verdict)
		mu.Lock()
		defer mu.Unlock()
		for _, l := range leftovers {
			fmt.Println("  left on the server:", l)
		}
	})
	seen := map[string]bool{}
	for _, c := range badInputs {
		key := c.target + ": " + c.name
		if seen[key] {
			t.Fatalf("duplicate case %q", key)
		}
		seen[key] = true
		if (c.hcl == nil) == (c.providerArgs == nil) || len(c.want) == 0 || c.attr == "" || (c.serverState && (c.atApply != "" || c.before != nil)) {
			t.Fatalf("case %q is incomplete", key)
		}
	}

	for _, c := range badInputs {
		group := c.target
		if c.before != nil {
			group += ": " + c.name // a case that changes an object gets a working directory of its own
		}
		groups[group] = append(groups[group], c)
	}
	// The fog_task action and the list resources, through the RPCs a newer
	// Terraform calls (bad_inputs_protocol_test.go).
	t.Run("actions and list resources (protocol)", func(t *testing.T) {
		if os.Getenv("TF_ACC") == "" {
			t.Skip("acceptance tests run only with TF_ACC=1 (TestBadInputsProtocol runs these rows without it)")
		}
		t.Parallel()
		groupsRun.Add(1)
		plan, warned, invoke := runProtocolBadInputs(t)
		atPlan.Add(int64(plan))
		warnedAtPlan.Add(int64(warned))
		atApply.Add(int64(invoke))
	})
	for group, cases := range groups {
		t.Run(group, func(t *testing.T) {
			env := newAccEnv(t, withEmulatorOptions(func(o *fogtest.Options) { o.RecordRequests = true }))
			skipUnlessEmulator(t, env, "compares every table of the server before and after each bad input")
			rec := &diagRecorder{}
			groupsRun.Add(1)
			fx := newBadInputFixtures(t, env)
			baseline := snapshot(env.Emulator)
			compare := func(after string) {
				if diff := snapshotDiff(baseline, snapshot(env.Emulator)); diff != "" {
					mu.Lock()
					leftovers = append(leftovers, group+", after "+after+": "+diff)
					mu.Unlock()
					t.Errorf("after %s: the server changed: %s", after, diff)
				}
			}
			// pre starts case i: it compares the server after case i-1 and
			// checks that no write of a server-state case was applied.
			written := 0
			writesApplied := func(c badInput) {
				reqs := env.Emulator.Requests()
				for _, r := range reqs[written:] {
					if c.before == nil && r.Method != "GET" && r.Status >= 200 && r.Status < 300 { // a case with a first step writes in it
						t.Errorf("%s: %s %s was answered %d: the apply wrote before refusing", c.name, r.Method, r.Path, r.Status)
					}
				}
				written = len(reqs)
			}
			pre := func(i int) func() {
				prev := stepPreConfig(i, cases, compare)
				return func() {
					if prev != nil {
						prev()
						writesApplied(cases[i-1])
					}
					written = len(env.Emulator.Requests())
					rec.setLabel(cases[i].name)
				}
			}
			var steps []resource.TestStep
			for i, c := range cases {
				config := env.Config
				if c.target == "provider" {
					args := map[string]string{}
					for k, v := range c.providerArgs {
						args[k] = v
					}
					if args["ca_cert_pem"] == "local.ca" {
						args["ca_cert_pem"] = fmt.Sprintf("%q", newTestCACertPEM(t))
					}
					steps = append(steps, resource.TestStep{
						PreConfig:   pre(i),
						Config:      env.providerBlock(args) + configureProbe,
						PlanOnly:    true,
						ExpectError: badInputError(c.attr, c.want),
					})
					atPlan.Add(1)
					continue
				}
				if c.before != nil {
					steps = append(steps, resource.TestStep{Config: config(c.before(fx))})
				}
				step := resource.TestStep{
					PreConfig:   pre(i),
					Config:      config(c.hcl(fx)),
					ExpectError: badInputError(c.attr, c.want),
				}
				switch {
				case c.serverState:
					// The apply's error; the plan's warning is asserted below.
					warnedAtPlan.Add(1)
				case c.atApply == "":
					step.PlanOnly = true // refused at plan: a plan that succeeded would fail the step
					atPlan.Add(1)
				default:
					atApply.Add(1)
				}
				if c.before != nil {
					step.PreConfig = nil // the object of the first step exists until the end
				}
				steps = append(steps, step)
			}
			accParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: rec.factories(),
				Steps:                    steps,
			})
			compare(cases[len(cases)-1].name + " (and the final destroy)")
			writesApplied(cases[len(cases)-1])
			for _, c := range cases {
				if c.serverState {
					rec.expectPlanWarning(t, c.name, c.target, c.attr, c.want...)
				}
			}
		})
	}
}

// stepPreConfig compares the server with the baseline before case i, that
// is after case i-1.
func stepPreConfig(i int, cases []badInput, compare func(string)) func() {
	if i == 0 {
		return nil
	}
	return func() { compare(cases[i-1].name) }
}

func newBadInputFixtures(t *testing.T, env *accEnv) *badInputFixtures {
	t.Helper()
	fx := &badInputFixtures{env: env, name: uniqueImageName("bad")}
	fx.image = env.CreateImage(t, fogclient.ImageCreate{})
	fx.taken = env.CreateImage(t, fogclient.ImageCreate{Name: uniqueImageName("taken")})
	fx.protected = env.CreateImage(t, fogclient.ImageCreate{Protected: true})
	fx.hostWithImage = env.CreateHost(t, fogclient.HostCreate{ImageID: fx.image.ID})
	fx.hostWithoutImage = env.CreateHost(t, fogclient.HostCreate{})
	fx.hostProtected = env.CreateHost(t, fogclient.HostCreate{ImageID: fx.protected.ID})
	fx.zombieHost = env.Emulator.InsertRawRow("host", map[string]string{"name": uniqueHostName()})
	fx.group = env.CreateGroup(t, uniqueGroupName("bad"), fx.hostWithImage.ID, fx.hostWithoutImage.ID)
	fx.takenGroup = env.CreateGroup(t, uniqueGroupName("taken"))
	fx.snapin, fx.storageGroup = newStorageBadInputFixtures(t, env)
	ctx, cancel := fixtureContext()
	defer cancel()
	for _, img := range []*fogclient.Image{fx.image, fx.taken, fx.protected} {
		// Reading an image can write its storage group association
		// (reference/fog-api.md §5.2); read each once before the baseline.
		if _, err := env.Client.GetImage(ctx, img.ID); err != nil {
			t.Fatal(err)
		}
	}
	return fx
}
