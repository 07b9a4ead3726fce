// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

// The fog_host list resource through its RPCs (GetProviderSchema,
// ValidateListResourceConfig, ListResource) against the emulator, as
// `terraform query` (Terraform 1.14+) calls them, counting the requests
// each query sends, and an acceptance test for a CLI that has
// `terraform query`.

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/fogproject/terraform-provider-fog/internal/fogtest"
)

// listHosts lists fog_host.
func (e *protocolEnv) listHosts(t *testing.T, set map[string]tftypes.Value, includeResource bool, limit int64) []listResult {
	t.Helper()
	return e.listResources(t, "fog_host", set, includeResource, limit)
}

// requestDelta counts the requests fn sends to the emulator: in all, and
// per route.
func (e *protocolEnv) requestDelta(fn func()) (total int64, routes map[string]int64) {
	before, beforeTotal := e.Emulator.Counters(), e.Emulator.TotalRequests()
	fn()
	routes = map[string]int64{}
	for route, n := range e.Emulator.Counters() {
		if d := n - before[route]; d != 0 {
			routes[route] = d
		}
	}
	return e.Emulator.TotalRequests() - beforeTotal, routes
}

// resultIDs returns the identities of the results, failing on any
// diagnostic a result carries.
func resultIDs(t *testing.T, rs []listResult) []int64 {
	t.Helper()
	var out []int64
	for _, r := range rs {
		if len(r.Diags) != 0 {
			t.Errorf("result %q has diagnostics: %s", r.DisplayName, describeProtoDiags(r.Diags))
		}
		out = append(out, r.IdentityID)
	}
	return out
}

// TestHostListResourceSchema: `list "fog_host"` takes search, name_regex
// and image_id, all optional and described.
func TestHostListResourceSchema(t *testing.T) {
	t.Parallel()
	env := newProtocolEnv(t, nil)
	s, ok := env.Schema.ListResourceSchemas["fog_host"]
	if !ok {
		t.Fatal("no list resource fog_host")
	}
	var names []string
	for _, a := range s.Block.Attributes {
		names = append(names, a.Name)
		if !a.Optional || a.Description == "" {
			t.Errorf("%s: want an optional, described filter, got %+v", a.Name, a)
		}
	}
	slices.Sort(names)
	if !slices.Equal(names, []string{"image_id", "name_regex", "search"}) {
		t.Errorf("list config attributes %v", names)
	}
}

// hostListFixture is three hosts: lab-01 (image win10, two MACs and a
// pending one, every field set), lab-02 (no image, one MAC) and kiosk-1
// (image win10, one MAC).
type hostListFixture struct {
	image                 int64
	lab01, lab02, kiosk01 int64
	lab01MACs             []string // primary first
	pending, lab02MAC     string
}

func seedHostListFixture(t *testing.T, env *protocolEnv) hostListFixture {
	t.Helper()
	f := hostListFixture{lab01MACs: []string{randomMAC(), randomMAC()}, pending: randomMAC(), lab02MAC: randomMAC()}
	f.image = env.seedImage(t, "win10", false)
	var err error
	f.lab01, err = env.Emulator.SeedHost("lab-01", f.image, f.lab01MACs...)
	mustEmulator(t, "seed lab-01", err)
	for field, value := range map[string]string{"description": "R&D bench", "ip": "10.0.0.1", "kernelArgs": "quiet"} {
		mustEmulator(t, field, env.Emulator.SetRawField("host", f.lab01, field, value))
	}
	// Reported by the FOG client service, waiting for approval.
	env.Emulator.InsertRawRow("macaddressassociation", map[string]string{
		"hostID": strconv.FormatInt(f.lab01, 10), "mac": f.pending, "primary": "0", "pending": "1",
	})
	f.lab02, err = env.Emulator.SeedHost("lab-02", 0, f.lab02MAC)
	mustEmulator(t, "seed lab-02", err)
	f.kiosk01, err = env.Emulator.SeedHost("kiosk-1", f.image, randomMAC())
	mustEmulator(t, "seed kiosk-1", err)
	return f
}

// TestHostListResource: every listed host comes with its identity (from
// which Terraform writes the import block) and a display name, in id
// order; the filters combine, search being FOG's own (it matches any of a
// host's MACs, and the assigned image's name); the limit is honoured; and
// each query sends exactly one request, the list or the search.
func TestHostListResource(t *testing.T) {
	t.Parallel()
	env := newProtocolEnv(t, nil)
	f := seedHostListFixture(t, env)

	for _, c := range []struct {
		name  string
		set   map[string]tftypes.Value
		limit int64
		route string
		want  []int64
	}{
		{"all", nil, 100, routeListHosts, []int64{f.lab01, f.lab02, f.kiosk01}},
		{"name_regex", map[string]tftypes.Value{"name_regex": str("^lab-")}, 100, routeListHosts, []int64{f.lab01, f.lab02}},
		{"image_id", map[string]tftypes.Value{"image_id": num(f.image)}, 100, routeListHosts, []int64{f.lab01, f.kiosk01}},
		{"image_id 0: no image", map[string]tftypes.Value{"image_id": num(0)}, 100, routeListHosts, []int64{f.lab02}},
		{"search", map[string]tftypes.Value{"search": str("LAB")}, 100, routeSearchHosts, []int64{f.lab01, f.lab02}},
		{"search by an additional MAC", map[string]tftypes.Value{"search": str(f.lab01MACs[1])}, 100, routeSearchHosts, []int64{f.lab01}},
		{"search by image name and name_regex", map[string]tftypes.Value{"search": str("win10"), "name_regex": str("^kiosk")}, 100,
			routeSearchHosts, []int64{f.kiosk01}},
		{"name_regex and image_id", map[string]tftypes.Value{"name_regex": str("(?i)^LAB"), "image_id": num(f.image)}, 100,
			routeListHosts, []int64{f.lab01}},
		{"nothing matches", map[string]tftypes.Value{"name_regex": str("^lab-"), "image_id": num(f.image + 1)}, 100, routeListHosts, nil},
		{"limit", nil, 2, routeListHosts, []int64{f.lab01, f.lab02}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var got []listResult
			total, routes := env.requestDelta(func() { got = env.listHosts(t, c.set, false, c.limit) })
			if ids := resultIDs(t, got); !slices.Equal(ids, c.want) {
				t.Errorf("listed %v, want %v", ids, c.want)
			}
			for _, r := range got {
				if r.Resource != nil {
					t.Errorf("%s: resource returned without include_resource", r.DisplayName)
				}
			}
			if total != 1 || routes[c.route] != 1 {
				t.Errorf("requests %v (%d in all), want one %s", routes, total, c.route)
			}
		})
	}

	t.Run("display name", func(t *testing.T) {
		got := env.listHosts(t, map[string]tftypes.Value{"name_regex": str("^lab-01$")}, false, 100)
		if want := fmt.Sprintf("lab-01 (id %d, %s)", f.lab01, f.lab01MACs[0]); len(got) != 1 || got[0].DisplayName != want {
			t.Errorf("results %+v, want one named %q", got, want)
		}
	})
}

// TestHostListResourceIncludeResource: with include_resource every result
// carries the attributes an import followed by a refresh stores for that
// host (pending MACs apart from macs, force_destroy false); they take one
// more request, for every host's MAC rows at once, and none when no listed
// host has more than its primary MAC.
func TestHostListResourceIncludeResource(t *testing.T) {
	t.Parallel()
	env := newProtocolEnv(t, nil)
	ctx := context.Background()
	f := seedHostListFixture(t, env)
	typ := env.resourceType(t, "fog_host")

	var got []listResult
	total, routes := env.requestDelta(func() { got = env.listHosts(t, nil, true, 100) })
	if ids := resultIDs(t, got); !slices.Equal(ids, []int64{f.lab01, f.lab02, f.kiosk01}) {
		t.Fatalf("listed %v", ids)
	}
	if want := map[string]int64{routeListHosts: 1, routeListMACs: 1}; total != 2 || !maps.Equal(routes, want) {
		t.Errorf("requests %v (%d in all), want %v: one list of hosts and one of MAC rows, none per host", routes, total, want)
	}

	// What `terraform import` and the refresh after it store for each host.
	for _, r := range got {
		imp, err := env.Server.ImportResourceState(ctx, &tfprotov6.ImportResourceStateRequest{
			TypeName: "fog_host", Identity: identityData(t, r.IdentityID),
		})
		if err != nil {
			t.Fatal(err)
		}
		expectNoProtoErrors(t, "ImportResourceState", imp.Diagnostics)
		read, err := env.Server.ReadResource(ctx, &tfprotov6.ReadResourceRequest{
			TypeName: "fog_host", CurrentState: imp.ImportedResources[0].State, CurrentIdentity: imp.ImportedResources[0].Identity,
		})
		if err != nil {
			t.Fatal(err)
		}
		expectNoProtoErrors(t, "ReadResource", read.Diagnostics)
		want := decode(t, read.NewState, typ)
		if r.Resource == nil {
			t.Errorf("%s: no resource", r.DisplayName)
			continue
		}
		for name, v := range want {
			if !r.Resource[name].Equal(v) {
				t.Errorf("%s: %s listed as %s, imported as %s", r.DisplayName, name, r.Resource[name], v)
			}
		}
	}

	lab01 := got[0].Resource
	if stringOf(t, lab01["name"]) != "lab-01" || int64Of(t, lab01["image_id"]) != f.image ||
		stringOf(t, lab01["description"]) != "R&D bench" || stringOf(t, lab01["ip"]) != "10.0.0.1" ||
		stringOf(t, lab01["kernel_args"]) != "quiet" || stringOf(t, lab01["primary_mac"]) != f.lab01MACs[0] {
		t.Errorf("lab-01 listed as %v", lab01)
	}
	if macs := stringsOfValue(t, lab01["macs"]); !slices.Equal(macs, f.lab01MACs) {
		t.Errorf("lab-01 macs %v, want %v (the pending MAC apart)", macs, f.lab01MACs)
	}
	if pending := stringsOfValue(t, lab01["pending_macs"]); !slices.Equal(pending, []string{f.pending}) {
		t.Errorf("lab-01 pending_macs %v, want [%s]", pending, f.pending)
	}
	var forceDestroy bool
	if err := lab01["force_destroy"].As(&forceDestroy); err != nil || forceDestroy {
		t.Errorf("force_destroy %v, want false", lab01["force_destroy"])
	}

	t.Run("limit", func(t *testing.T) {
		var got []listResult
		total, routes := env.requestDelta(func() { got = env.listHosts(t, nil, true, 1) })
		if ids := resultIDs(t, got); !slices.Equal(ids, []int64{f.lab01}) || got[0].Resource == nil {
			t.Errorf("listed %v", got)
		}
		if total != 2 || routes[routeListMACs] != 1 {
			t.Errorf("requests %v (%d in all)", routes, total)
		}
	})

	t.Run("hosts with one MAC only", func(t *testing.T) {
		var got []listResult
		total, routes := env.requestDelta(func() {
			got = env.listHosts(t, map[string]tftypes.Value{"name_regex": str("^(lab-02|kiosk-1)$")}, true, 100)
		})
		if ids := resultIDs(t, got); !slices.Equal(ids, []int64{f.lab02, f.kiosk01}) {
			t.Fatalf("listed %v", ids)
		}
		if macs := stringsOfValue(t, got[0].Resource["macs"]); !slices.Equal(macs, []string{f.lab02MAC}) {
			t.Errorf("lab-02 macs %v", macs)
		}
		if pending := stringsOfValue(t, got[0].Resource["pending_macs"]); len(pending) != 0 {
			t.Errorf("lab-02 pending_macs %v, want none", pending)
		}
		if total != 1 || routes[routeListHosts] != 1 {
			t.Errorf("requests %v (%d in all), want the host list only", routes, total)
		}
	})

	t.Run("many hosts", func(t *testing.T) {
		// Twenty more hosts with two MACs each: still two requests.
		for i := range 20 {
			_, err := env.Emulator.SeedHost(fmt.Sprintf("bulk-%02d", i), 0, randomMAC(), randomMAC())
			mustEmulator(t, "seed host", err)
		}
		var got []listResult
		total, routes := env.requestDelta(func() { got = env.listHosts(t, nil, true, 100) })
		if len(resultIDs(t, got)) != 23 {
			t.Errorf("listed %d hosts, want 23", len(got))
		}
		if total != 2 || routes[routeGetHost] != 0 {
			t.Errorf("requests %v (%d in all), want two", routes, total)
		}
	})
}

// stringsOfValue reads a known list of strings.
func stringsOfValue(t *testing.T, v tftypes.Value) []string {
	t.Helper()
	var elems []tftypes.Value
	if err := v.As(&elems); err != nil {
		t.Fatalf("%s is not a list: %v", v, err)
	}
	out := make([]string, len(elems))
	for i, e := range elems {
		out[i] = stringOf(t, e)
	}
	return out
}

// TestHostListResourceErrors: invalid arguments are refused when the
// configuration is validated, each pointing at its argument, and again
// when a value known only then reaches List (before any request); a FOG
// failure ends the stream with one error naming the route and status.
func TestHostListResourceErrors(t *testing.T) {
	t.Parallel()
	env := newProtocolEnv(t, nil)
	_, err := env.Emulator.SeedHost("lab-01", 0, randomMAC(), randomMAC()) // two MACs: include_resource reads the MAC rows
	mustEmulator(t, "seed host", err)
	s := env.Schema.ListResourceSchemas["fog_host"]

	invalid := []struct {
		name, attr string
		set        map[string]tftypes.Value
		wants      []string
	}{
		{"name_regex", "name_regex", map[string]tftypes.Value{"name_regex": str("lab(")}, []string{"regular expression"}},
		{"search with characters FOG cannot receive", "search", map[string]tftypes.Value{"search": str("50% off?")},
			[]string{`"%", "?"`, "without decoding it"}},
		{"blank search", "search", map[string]tftypes.Value{"search": str("  ")}, []string{"must not be empty"}},
		{"negative image_id", "image_id", map[string]tftypes.Value{"image_id": num(-1)}, []string{"image_id"}},
	}
	for _, c := range invalid {
		t.Run("validate "+c.name, func(t *testing.T) {
			resp, err := env.Server.ValidateListResourceConfig(context.Background(), &tfprotov6.ValidateListResourceConfigRequest{
				TypeName: "fog_host", Config: dynamic(t, env.object(t, s, c.set)),
			})
			if err != nil {
				t.Fatal(err)
			}
			if n := countProtoDiags(resp.Diagnostics, tfprotov6.DiagnosticSeverityError); n != 1 {
				t.Errorf("%d errors, want one: %s", n, describeProtoDiags(resp.Diagnostics))
			}
			if d := expectProtoDiag(t, resp.Diagnostics, tfprotov6.DiagnosticSeverityError, c.wants...); d != nil &&
				(d.Attribute == nil || d.Attribute.String() != fmt.Sprintf("AttributeName(%q)", c.attr)) {
				t.Errorf("the error points at %v, want %s", d.Attribute, c.attr)
			}
		})
		t.Run("list "+c.name, func(t *testing.T) {
			var got []listResult
			total, _ := env.requestDelta(func() { got = env.listHosts(t, c.set, false, 100) })
			if len(got) != 1 {
				t.Fatalf("want one result carrying the error, got %+v", got)
			}
			if d := expectProtoDiag(t, got[0].Diags, tfprotov6.DiagnosticSeverityError, c.wants...); d != nil &&
				(d.Attribute == nil || d.Attribute.String() != fmt.Sprintf("AttributeName(%q)", c.attr)) {
				t.Errorf("the error points at %v, want %s", d.Attribute, c.attr)
			}
			if total != 0 {
				t.Errorf("%d requests sent for an invalid configuration", total)
			}
		})
	}

	for _, c := range []struct {
		name, route, fault string
		set                map[string]tftypes.Value
		include            bool
		wants              []string
	}{
		{"list", "/fog/host", "/fog/host", nil, false,
			[]string{"Unable to list hosts", "FOG answered GET /fog/host with HTTP 500"}},
		{"search", "/fog/host/search/{term}", "/fog/host/search/{term}", map[string]tftypes.Value{"search": str("lab")}, false,
			[]string{`Unable to search hosts for "lab"`, "FOG answered GET /fog/host/search/lab with HTTP 500"}},
		{"MAC rows", "/fog/macaddressassociation", "/fog/macaddressassociation", nil, true,
			[]string{"Unable to list the hosts' MAC addresses", "FOG answered GET /fog/macaddressassociation with HTTP 500"}},
	} {
		t.Run("HTTP error on "+c.name, func(t *testing.T) {
			fault := env.Emulator.AddFault(fogtest.FaultRule{Method: "GET", Route: c.fault, Kind: fogtest.FaultFatal})
			defer env.Emulator.RemoveFault(fault)
			got := env.listHosts(t, c.set, c.include, 100)
			if len(got) != 1 {
				t.Fatalf("want one result carrying the error, got %+v", got)
			}
			if n := countProtoDiags(got[0].Diags, tfprotov6.DiagnosticSeverityError); n != 1 {
				t.Errorf("%d errors, want one: %s", n, describeProtoDiags(got[0].Diags))
			}
			expectProtoDiag(t, got[0].Diags, tfprotov6.DiagnosticSeverityError, c.wants...)
		})
	}
}

// TestHostListResourceExample: the documented queries use the list
// resource's arguments, pass its validation and find what they promise.
func TestHostListResourceExample(t *testing.T) {
	t.Parallel()
	env := newProtocolEnv(t, nil)
	const file = "../../examples/list-resources/fog_host/list-resource.tfquery.hcl"
	s := env.Schema.ListResourceSchemas["fog_host"]
	lab01, err := env.Emulator.SeedHost("lab-01", 0, "02:00:5e:10:00:01")
	mustEmulator(t, "seed lab-01", err)
	lab02, err := env.Emulator.SeedHost("lab-02", 0, "02:00:5e:10:00:02")
	mustEmulator(t, "seed lab-02", err)
	_, err = env.Emulator.SeedHost("kiosk-1", 0, "02:00:5e:20:00:01")
	mustEmulator(t, "seed kiosk-1", err)

	for _, c := range []struct {
		label string
		want  []int64
	}{
		{"lab", []int64{lab01, lab02}},
		{"by_mac", []int64{lab01}},
	} {
		t.Run(c.label, func(t *testing.T) {
			block := exampleBlock(t, file, "list", "fog_host", c.label)
			if len(block.Blocks) != 1 || block.Blocks[0].Type != "config" {
				t.Fatalf("the example's list block has no single config block")
			}
			cfg := block.Blocks[0].Body
			expectBodyFitsSchema(t, "list.fog_host."+c.label+".config", cfg, s.Block)
			set := literalArguments(t, cfg)
			resp, err := env.Server.ValidateListResourceConfig(context.Background(), &tfprotov6.ValidateListResourceConfigRequest{
				TypeName: "fog_host", Config: dynamic(t, env.object(t, s, set)),
			})
			if err != nil {
				t.Fatal(err)
			}
			expectNoProtoErrors(t, "ValidateListResourceConfig", resp.Diagnostics)
			include := false
			if attr := block.Attributes["include_resource"]; attr != nil {
				v, diags := attr.Expr.Value(nil)
				if diags.HasErrors() {
					t.Fatal(diags.Error())
				}
				include = v.True()
			}
			got := env.listHosts(t, set, include, 100)
			if ids := resultIDs(t, got); !slices.Equal(ids, c.want) {
				t.Errorf("the example lists %v, want %v", ids, c.want)
			}
		})
	}
}

// literalArguments turns an example block's literal string and number
// arguments into configuration values.
func literalArguments(t *testing.T, body *hclsyntax.Body) map[string]tftypes.Value {
	t.Helper()
	out := map[string]tftypes.Value{}
	for name, attr := range body.Attributes {
		v, diags := attr.Expr.Value(nil)
		if diags.HasErrors() {
			t.Fatalf("%s: %s", name, diags.Error())
		}
		switch {
		case v.Type().FriendlyName() == "string":
			out[name] = str(v.AsString())
		case v.Type().FriendlyName() == "number":
			n, _ := v.AsBigFloat().Int64()
			out[name] = num(n)
		default:
			t.Fatalf("%s: a %s, not a literal string or number", name, v.Type().FriendlyName())
		}
	}
	return out
}

// TestAccHostListResource_query: `terraform query` lists the hosts a
// configuration created, each with the identity its import block needs,
// filtered by name and by FOG's search on a MAC address, and with the
// resource's attributes when include_resource is set. Terraform 1.14+
// only: our CI's CLIs skip it, and that skip is not a pass;
// TestHostListResource and TestHostListResourceIncludeResource cover the
// same through the RPCs.
func TestAccHostListResource_query(t *testing.T) {
	env := newAccEnv(t)
	prefix := "tfq" + randomString(6)
	macA, macB := randomMAC(), randomMAC()
	var idA, idB string

	accParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.checkHostsDestroyed(),
		Steps: []resource.TestStep{
			{
				Config: env.Config(fmt.Sprintf(`
resource "fog_host" "a" {
  name        = "%[1]s-a"
  macs        = [%[2]q]
  description = "query a"
}

resource "fog_host" "b" {
  name = "%[1]s-b"
  macs = [%[3]q]
}
`, prefix, macA, macB)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("fog_host.a", tfjsonpath.New("id"), captureString(&idA)),
					statecheck.ExpectKnownValue("fog_host.b", tfjsonpath.New("id"), captureString(&idB)),
				},
			},
			{
				Query: true,
				// The query file sits beside the configuration of the step
				// before, which has the provider block: a second one is
				// "Duplicate provider configuration".
				Config: fmt.Sprintf(`
list "fog_host" "mine" {
  provider = fog
  config {
    name_regex = "^%[1]s-"
  }
}

list "fog_host" "by_mac" {
  provider         = fog
  include_resource = true
  config {
    search = %[2]q
  }
}
`, prefix, strings.ToUpper(macA)),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("fog_host.mine", 2),
					querycheck.ExpectIdentity("fog_host.mine", map[string]knownvalue.Check{"id": identityIs(&idA)}),
					querycheck.ExpectIdentity("fog_host.mine", map[string]knownvalue.Check{"id": identityIs(&idB)}),
					querycheck.ExpectLength("fog_host.by_mac", 1),
					querycheck.ExpectResourceKnownValues("fog_host.by_mac",
						queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": identityIs(&idA)}),
						[]querycheck.KnownValueCheck{
							{Path: tfjsonpath.New("name"), KnownValue: knownvalue.StringExact(prefix + "-a")},
							{Path: tfjsonpath.New("description"), KnownValue: knownvalue.StringExact("query a")},
							{Path: tfjsonpath.New("primary_mac"), KnownValue: knownvalue.StringExact(macA)},
						}),
				},
			},
		},
	})
}
