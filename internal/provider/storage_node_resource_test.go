// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

func storageNodeConfig(name, group, password, extra string) string {
	return fmt.Sprintf(`
resource "fog_storage_node" "test" {
  name             = %q
  storage_group_id = %s
  ip               = "10.1.2.3"
  user             = "fogproject"
  password         = %q
%s
}
`, name, group, password, extra)
}

// nodePassword is the password FOG stores for a node (emulator only).
func (e *accEnv) nodePassword(id string) string {
	return e.rawField("storagenode", mustIDNoT(id), "pass")
}

func mustIDNoT(s string) int64 {
	var n int64
	_, _ = fmt.Sscan(s, &n)
	return n
}

// TestAccStorageNode_lifecycle: create in a group with FOG's UI defaults,
// import, update (the password is kept unless it changes), move to another
// group, drift, destroy; a second master is refused before any write.
func TestAccStorageNode_lifecycle(t *testing.T) {
	env := newAccEnv(t)
	skipUnlessEmulator(t, env, "reads the stored password")
	group := storageGroupConfig(uniqueImageName("sgn"), "")
	name := uniqueImageName("node")
	var id string
	expectPassword := func(want string) stateCheckFunc {
		return func() error {
			if got := env.nodePassword(id); got != want {
				return fmt.Errorf("FOG stores another password than the configured one (%d characters)", len(got))
			}
			return nil
		}
	}
	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: env.checkDestroyed("fog_storage_node", func(ctx context.Context, id int64) error {
			_, err := env.Client.GetStorageNode(ctx, id)
			return err
		}),
		Steps: []resource.TestStep{
			{
				Config: env.Config(group, storageNodeConfig(name, "tonumber(fog_storage_group.test.id)", `p&ss<w>"'rd`, `  is_master = true`)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("fog_storage_node.test", tfjsonpath.New("id"), captureString(&id)),
					statecheck.ExpectKnownValue("fog_storage_node.test", tfjsonpath.New("path"), knownvalue.StringExact("/images")),
					statecheck.ExpectKnownValue("fog_storage_node.test", tfjsonpath.New("ftp_path"), knownvalue.StringExact("/images")),
					statecheck.ExpectKnownValue("fog_storage_node.test", tfjsonpath.New("max_clients"), knownvalue.Int64Exact(10)),
					statecheck.ExpectKnownValue("fog_storage_node.test", tfjsonpath.New("enabled"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue("fog_storage_node.test", tfjsonpath.New("password_wo"), knownvalue.Null()),
					expectPassword(`p&ss<w>"'rd`),
				},
			},
			{
				ResourceName: "fog_storage_node.test", ImportState: true, ImportStateVerify: true,
				// FOG's password is never read back.
				ImportStateVerifyIgnore: []string{"password"},
			},
			{
				Config: env.Config(group, storageNodeConfig(name, "tonumber(fog_storage_group.test.id)", `p&ss<w>"'rd`,
					"  is_master   = true\n  description = \"rack 4\"\n  max_clients = 4")),
				ConfigStateChecks: []statecheck.StateCheck{expectPassword(`p&ss<w>"'rd`)},
			},
			{
				Config:            env.Config(group, storageNodeConfig(name, "tonumber(fog_storage_group.test.id)", "second", "  is_master = true")),
				ConfigStateChecks: []statecheck.StateCheck{expectPassword("second")},
			},
			{
				// A second master in the group is refused before any write.
				Config: env.Config(group, storageNodeConfig(name, "tonumber(fog_storage_group.test.id)", "second", "  is_master = true"), `
resource "fog_storage_node" "second" {
  name             = "`+name+`-2"
  storage_group_id = tonumber(fog_storage_group.test.id)
  ip               = "10.1.2.4"
  user             = "fogproject"
  password         = "x"
  is_master        = true
}
`),
				ExpectError: expectError("already has a master node", "Set is_master = false"),
			},
			{
				// Moved to the default group, as a normal node.
				Config: env.Config(group, storageNodeConfig(name, "1", "second", "")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("fog_storage_node.test", plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("fog_storage_node.test", tfjsonpath.New("storage_group_id"), knownvalue.Int64Exact(1)),
					expectPassword("second"),
				},
			},
			{
				PreConfig: func() {
					ctx, cancel := fixtureContext()
					defer cancel()
					ip := "10.7.7.7"
					if _, err := env.Client.UpdateStorageNode(ctx, mustID(t, id), fogclient.StorageNodeUpdate{IP: &ip}); err != nil {
						t.Fatal(err)
					}
				},
				Config: env.Config(group, storageNodeConfig(name, "1", "second", "")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("fog_storage_node.test", plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("fog_storage_node.test", tfjsonpath.New("ip"), knownvalue.StringExact("10.1.2.3")),
				},
			},
		},
	})
}

// TestStorageNodeWriteOnlyPassword: password_wo at the protocol level, as
// Terraform 1.11+ and OpenTofu 1.12 send it: the value reaches FOG, never
// the plan or the state; password_wo_version sends it again. A client that
// does not support write-only attributes (Terraform 1.5.7) is refused.
func TestStorageNodeWriteOnlyPassword(t *testing.T) {
	env := newProtocolEnv(t, nil)
	ctx := context.Background()
	const typeName = "fog_storage_node"
	s := env.Schema.ResourceSchemas[typeName]
	config := func(password string, version int64, description string) tftypes.Value {
		return env.object(t, s, map[string]tftypes.Value{
			"name": str("wo-node"), "storage_group_id": num(1), "ip": str("10.3.3.3"), "user": str("fogproject"),
			"password_wo": str(password), "password_wo_version": num(version), "description": str(description),
		})
	}
	withoutWO := func(v tftypes.Value) tftypes.Value {
		var in map[string]tftypes.Value
		if err := v.As(&in); err != nil {
			t.Fatal(err)
		}
		m := make(map[string]tftypes.Value, len(in)) // As shares the value's own map
		for k, e := range in {
			m[k] = e
		}
		m["password_wo"] = nullOf(tftypes.String)
		return tftypes.NewValue(v.Type(), m)
	}

	// Terraform 1.5.7 does not announce write-only support.
	for _, allowed := range []bool{false, true} {
		resp, err := env.Server.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{
			TypeName: typeName, Config: dynamic(t, config("wo-secret-1", 1, "")),
			ClientCapabilities: &tfprotov6.ValidateResourceConfigClientCapabilities{WriteOnlyAttributesAllowed: allowed},
		})
		if err != nil {
			t.Fatal(err)
		}
		if allowed {
			expectNoProtoErrors(t, "ValidateResourceConfig", resp.Diagnostics)
		} else {
			expectProtoDiag(t, resp.Diagnostics, tfprotov6.DiagnosticSeverityError, "WriteOnly Attribute Not Allowed")
		}
	}

	apply := func(prior *tfprotov6.DynamicValue, cfg tftypes.Value) *tfprotov6.DynamicValue {
		t.Helper()
		plan, err := env.Server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
			TypeName: typeName, PriorState: prior, ProposedNewState: dynamic(t, withoutWO(cfg)), Config: dynamic(t, cfg),
		})
		if err != nil {
			t.Fatal(err)
		}
		expectNoProtoErrors(t, "PlanResourceChange", plan.Diagnostics)
		applied, err := env.Server.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
			TypeName: typeName, PriorState: prior, PlannedState: plan.PlannedState, Config: dynamic(t, cfg),
			PlannedPrivate: plan.PlannedPrivate, PlannedIdentity: plan.PlannedIdentity,
		})
		if err != nil {
			t.Fatal(err)
		}
		expectNoProtoErrors(t, "ApplyResourceChange", applied.Diagnostics)
		for what, dv := range map[string]*tfprotov6.DynamicValue{"plan": plan.PlannedState, "state": applied.NewState} {
			if strings.Contains(string(dv.MsgPack)+string(dv.JSON), "wo-secret") {
				t.Errorf("the %s holds the write-only password", what)
			}
		}
		return applied.NewState
	}
	stored := func() string {
		ids := env.Emulator.IDs("storagenode")
		v, _ := env.Emulator.RawField("storagenode", ids[len(ids)-1], "pass")
		return v
	}

	state := apply(dynamic(t, nullOf(s.ValueType())), config("wo-secret-1", 1, ""))
	if got := stored(); got != "wo-secret-1" {
		t.Fatalf("FOG stores %q after the create", got)
	}
	if v := decode(t, state, s.ValueType())["password_wo"]; !v.IsNull() {
		t.Errorf("password_wo in the state: %s", v)
	}
	// Another password without a new version is not sent: Terraform cannot
	// see a write-only value change.
	state = apply(state, config("wo-secret-2", 1, "rack 5"))
	if got := stored(); got != "wo-secret-1" {
		t.Errorf("FOG stores %q, want the first password still", got)
	}
	state = apply(state, config("wo-secret-2", 2, "rack 5"))
	if got := stored(); got != "wo-secret-2" {
		t.Errorf("FOG stores %q after the version changed", got)
	}
	if v := decode(t, state, s.ValueType())["password_wo_version"]; int64Of(t, v) != 2 {
		t.Errorf("password_wo_version %s", v)
	}
}

// TestAccStorageNode_writeOnly: password_wo through a CLI that accepts
// write-only arguments (Terraform 1.11+, OpenTofu 1.12+; skipped below):
// FOG gets the password, the state never holds it, and a new
// password_wo_version sends the new one.
func TestAccStorageNode_writeOnly(t *testing.T) {
	env := newAccEnv(t)
	skipUnlessEmulator(t, env, "reads the stored password")
	name := uniqueImageName("wo")
	var id string
	config := func(pw string, version int) string {
		return env.Config(fmt.Sprintf(`
resource "fog_storage_node" "test" {
  name                = %q
  storage_group_id    = 1
  ip                  = "10.6.6.6"
  user                = "fogproject"
  password_wo         = %q
  password_wo_version = %d
}
`, name, pw, version))
	}
	stored := func(want string) stateCheckFunc {
		return func() error {
			if got := env.nodePassword(id); got != want {
				return fmt.Errorf("FOG stores another password (%d characters)", len(got))
			}
			return nil
		}
	}
	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps: []resource.TestStep{
			{
				Config: config("wo-first", 1),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("fog_storage_node.test", tfjsonpath.New("id"), captureString(&id)),
					statecheck.ExpectKnownValue("fog_storage_node.test", tfjsonpath.New("password_wo"), knownvalue.Null()),
					statecheck.ExpectKnownValue("fog_storage_node.test", tfjsonpath.New("password"), knownvalue.Null()),
					stored("wo-first"),
				},
			},
			{Config: config("wo-second", 1), ConfigStateChecks: []statecheck.StateCheck{stored("wo-first")}},
			{Config: config("wo-second", 2), ConfigStateChecks: []statecheck.StateCheck{stored("wo-second")}},
		},
	})
}
