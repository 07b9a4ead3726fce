// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

// The fog_group list resource through its RPCs, and `terraform query`
// under a CLI that has it; the refresh of many groups and their members.

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// seedGroup writes a group row and its membership rows behind the
// provider's back.
func (e *protocolEnv) seedGroup(t *testing.T, name string, members ...int64) int64 {
	t.Helper()
	id := e.Emulator.InsertRawRow("group", map[string]string{"name": name, "createdBy": "fog"})
	for _, h := range members {
		e.Emulator.InsertRawRow("groupassociation", map[string]string{"groupID": strconv.FormatInt(id, 10), "hostID": strconv.FormatInt(h, 10)})
	}
	return id
}

func TestGroupListResource(t *testing.T) {
	t.Parallel()
	env := newProtocolEnv(t, nil)
	h1 := env.seedHost(t, "pc01", 0)
	h2 := env.seedHost(t, "pc02", 0)
	labA := env.seedGroup(t, "Lab-A", h1, h2)
	labB := env.seedGroup(t, "Lab-B", h2)
	office := env.seedGroup(t, "office")
	env.Emulator.InsertRawRow("group", map[string]string{"name": ""}) // listed by FOG, unreadable (recording 461)
	mustEmulator(t, "description", env.Emulator.SetRawField("group", labB, "description", "second floor"))

	for _, c := range []struct {
		name  string
		set   map[string]tftypes.Value
		limit int64
		want  []int64
	}{
		{"all", nil, 100, []int64{labA, labB, office}},
		{"name_regex", map[string]tftypes.Value{"name_regex": str("^Lab-")}, 100, []int64{labA, labB}},
		{"host_id", map[string]tftypes.Value{"host_id": num(h2)}, 100, []int64{labA, labB}},
		{"search", map[string]tftypes.Value{"search": str("floor")}, 100, []int64{labB}},
		{"combined", map[string]tftypes.Value{"name_regex": str("A$"), "host_id": num(h2)}, 100, []int64{labA}},
		{"limit", nil, 1, []int64{labA}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var got []listResult
			n, _ := env.requestDelta(func() { got = env.listResources(t, "fog_group", c.set, false, c.limit) })
			if ids := resultIDs(t, got); !slices.Equal(ids, c.want) {
				t.Errorf("listed %v, want %v", ids, c.want)
			}
			if n != 2 {
				t.Errorf("%d requests, want 2 (the groups and every membership row)", n)
			}
		})
	}

	t.Run("include_resource", func(t *testing.T) {
		got := env.listResources(t, "fog_group", map[string]tftypes.Value{"name_regex": str("^Lab-A$")}, true, 100)
		if len(got) != 1 || got[0].DisplayName != fmt.Sprintf("Lab-A (id %d, 2 hosts)", labA) {
			t.Fatalf("results %+v", got)
		}
		r := got[0].Resource
		var ids []tftypes.Value
		if err := r["host_ids"].As(&ids); err != nil || len(ids) != 2 {
			t.Errorf("host_ids %v", r["host_ids"])
		}
		if stringOf(t, r["name"]) != "Lab-A" || int64Of(t, r["host_count"]) != 2 {
			t.Errorf("resource %v", r)
		}
	})

	t.Run("invalid", func(t *testing.T) {
		s := env.Schema.ListResourceSchemas["fog_group"]
		resp, err := env.Server.ValidateListResourceConfig(context.Background(), &tfprotov6.ValidateListResourceConfigRequest{
			TypeName: "fog_group", Config: dynamic(t, env.object(t, s, map[string]tftypes.Value{"search": str("a/b")})),
		})
		if err != nil {
			t.Fatal(err)
		}
		expectProtoDiag(t, resp.Diagnostics, tfprotov6.DiagnosticSeverityError, "FOG cannot receive")
	})
}

// TestGroupListResourceExample: the documented query uses the list
// resource's arguments.
func TestGroupListResourceExample(t *testing.T) {
	t.Parallel()
	env := newProtocolEnv(t, nil)
	list := exampleBlock(t, "../../examples/list-resources/fog_group/list-resource.tfquery.hcl", "list", "fog_group", "labs")
	if len(list.Blocks) != 1 || list.Blocks[0].Type != "config" {
		t.Fatalf("the example's list block has no single config block")
	}
	expectBodyFitsSchema(t, "list.fog_group.labs.config", list.Blocks[0].Body, env.Schema.ListResourceSchemas["fog_group"].Block)
}

// TestGroupRefreshRequests: refreshing 100 fog_group resources with 1,000
// memberships between them costs one request per class (the groups, the
// membership rows), not one per group or member. Prints the figure.
func TestGroupRefreshRequests(t *testing.T) {
	env := newProtocolEnv(t, nil)
	const groups, hosts, perHost = 100, 250, 4
	var hostIDs []int64
	for i := 0; i < hosts; i++ {
		hostIDs = append(hostIDs, env.seedHost(t, fmt.Sprintf("pc%03d", i), 0))
	}
	typ := env.resourceType(t, "fog_group")
	obj, ok := typ.(tftypes.Object)
	if !ok {
		t.Fatalf("fog_group type %s", typ)
	}
	var states []*tfprotov6.DynamicValue
	members := 0
	// Host i is in the perHost groups i*perHost .. i*perHost+perHost-1 (mod groups).
	in := make([][]int64, groups)
	for i, h := range hostIDs {
		for k := 0; k < perHost; k++ {
			g := (i*perHost + k) % groups
			in[g] = append(in[g], h)
		}
	}
	for g := 0; g < groups; g++ {
		members += len(in[g])
		id := env.seedGroup(t, fmt.Sprintf("Lab-%03d", g), in[g]...)
		vals := map[string]tftypes.Value{}
		for name, at := range obj.AttributeTypes {
			vals[name] = tftypes.NewValue(at, nil)
		}
		vals["id"] = str(strconv.FormatInt(id, 10))
		vals["name"] = str(fmt.Sprintf("Lab-%03d", g))
		states = append(states, dynamic(t, tftypes.NewValue(typ, vals)))
	}
	if members != hosts*perHost {
		t.Fatalf("seeded %d memberships, want %d", members, hosts*perHost)
	}

	var wg sync.WaitGroup
	n, routes := env.requestDelta(func() {
		for _, st := range states {
			wg.Add(1)
			go func(st *tfprotov6.DynamicValue) {
				defer wg.Done()
				read, err := env.Server.ReadResource(context.Background(), &tfprotov6.ReadResourceRequest{TypeName: "fog_group", CurrentState: st})
				if err != nil {
					t.Error(err)
					return
				}
				expectNoProtoErrors(t, "ReadResource", read.Diagnostics)
				var ids []tftypes.Value
				if err := decode(t, read.NewState, typ)["host_ids"].As(&ids); err != nil || len(ids) != perHost*hosts/groups {
					t.Errorf("host_ids %d, %v", len(ids), err)
				}
			}(st)
		}
		wg.Wait()
	})
	fmt.Printf("refresh_requests groups n=%d members=%d: %d\n", groups, members, n)
	if n != 2 {
		t.Errorf("%d requests %v, want 2: GET /fog/group and GET /fog/groupassociation", n, routes)
	}
}

// TestAccGroupListResource_query: `terraform query` lists the groups a
// configuration created, each with the identity its import block needs.
// Terraform 1.14+ only; TestGroupListResource covers the same through the RPCs.
func TestAccGroupListResource_query(t *testing.T) {
	env := newAccEnv(t)
	prefix := uniqueGroupName("query")
	var idA, idB string
	accParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.checkGroupsDestroyed(),
		Steps: []resource.TestStep{
			{
				Config: env.Config(fmt.Sprintf("resource \"fog_group\" \"a\" {\n  name = \"%[1]s-a\"\n}\n\nresource \"fog_group\" \"b\" {\n  name = \"%[1]s-b\"\n}\n", prefix)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("fog_group.a", tfjsonpath.New("id"), captureString(&idA)),
					statecheck.ExpectKnownValue("fog_group.b", tfjsonpath.New("id"), captureString(&idB)),
				},
			},
			{
				Query: true,
				// The query file sits beside the configuration of the step
				// before, which has the provider block.
				Config: fmt.Sprintf("list \"fog_group\" \"mine\" {\n  provider = fog\n  config {\n    name_regex = \"^%s-\"\n  }\n}\n", prefix),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("fog_group.mine", 2),
					querycheck.ExpectIdentity("fog_group.mine", map[string]knownvalue.Check{"id": identityIs(&idA)}),
					querycheck.ExpectIdentity("fog_group.mine", map[string]knownvalue.Check{"id": identityIs(&idB)}),
				},
			},
		},
	})
}
