// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
	"github.com/fogproject/terraform-provider-fog/internal/fogtest"
)

const testGroupAddr = "fog_group.test"

// uniqueGroupName returns "tfacc-<label>-<random>", at most 50 characters,
// with capitals: FOG refuses to resend an unchanged mixed-case name.
func uniqueGroupName(label string) string {
	return fmt.Sprintf("TfAcc-%s-%s", label, randomString(8))
}

func groupConfig(name, extra string) string {
	return fmt.Sprintf("resource \"fog_group\" \"test\" {\n  name = %q\n%s\n}\n", name, extra)
}

func hostIDsHCL(ids ...int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprint(id)
	}
	return "  host_ids = [" + strings.Join(parts, ", ") + "]"
}

func int64SetValue(ids ...int64) knownvalue.Check {
	checks := make([]knownvalue.Check, len(ids))
	for i, id := range ids {
		checks[i] = knownvalue.Int64Exact(id)
	}
	return knownvalue.SetExact(checks)
}

func (e *accEnv) checkGroupsDestroyed() func(*terraform.State) error {
	return e.checkDestroyed("fog_group", func(ctx context.Context, id int64) error {
		_, err := e.Client.GetGroup(ctx, id)
		return err
	})
}

// CreateGroup creates a group outside Terraform and deletes it when the test ends.
func (e *accEnv) CreateGroup(t *testing.T, name string, members ...int64) *fogclient.Group {
	t.Helper()
	ctx, cancel := fixtureContext()
	defer cancel()
	g, err := e.Client.CreateGroup(ctx, fogclient.GroupCreate{Name: name})
	if err != nil {
		t.Fatalf("fixture: create group %q: %v", name, err)
	}
	if len(members) > 0 {
		if _, err := e.Client.SetGroupMembers(ctx, g.ID, members); err != nil {
			t.Fatalf("fixture: members of group %q: %v", name, err)
		}
	}
	t.Cleanup(func() {
		ctx, cancel := fixtureContext()
		defer cancel()
		if err := e.Client.DeleteGroup(ctx, g.ID); err != nil && !errors.Is(err, fogclient.ErrNotFound) {
			t.Errorf("fixture cleanup: delete group %d: %v", g.ID, err)
		}
	})
	return g
}

// groupOnServer checks the group and its members as FOG has them.
func (e *accEnv) groupOnServer(id *string, check func(*fogclient.Group, []int64) error) stateCheckFunc {
	return func() error {
		ctx, cancel := fixtureContext()
		defer cancel()
		var n int64
		if _, err := fmt.Sscan(*id, &n); err != nil {
			return err
		}
		g, err := e.Client.GetGroup(ctx, n)
		if err != nil {
			return err
		}
		members, err := e.Client.GroupMemberIDs(ctx, n)
		if err != nil {
			return err
		}
		slices.Sort(members)
		return check(g, members)
	}
}

// TestAccGroup_lifecycle: create with members, import by id and by name,
// update (rename, members), drift of fields and of members, membership left
// alone without host_ids, deleted outside Terraform, destroy.
func TestAccGroup_lifecycle(t *testing.T) {
	env := newAccEnv(t)
	h1 := env.CreateHost(t, fogclient.HostCreate{})
	h2 := env.CreateHost(t, fogclient.HostCreate{})
	h3 := env.CreateHost(t, fogclient.HostCreate{})
	name := uniqueGroupName("life")
	renamed := uniqueGroupName("renamed")
	var id string
	sameID := statecheck.CompareValue(compare.ValuesSame())

	created := groupConfig(name, `  description   = "Room A: R&D <lab>"
  kernel_args   = "nomodeset"
  kernel_device = "/dev/nvme0n1"
`+hostIDsHCL(h1.ID, h2.ID))
	updated := groupConfig(renamed, `  description = "Room B"
`+hostIDsHCL(h2.ID, h3.ID))
	unmanaged := groupConfig(renamed, `  description = "Room B"`)

	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.checkGroupsDestroyed(),
		Steps: []resource.TestStep{
			{
				Config: env.Config(created),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testGroupAddr, tfjsonpath.New("id"), captureString(&id)),
					sameID.AddStateValue(testGroupAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(testGroupAddr, tfjsonpath.New("name"), knownvalue.StringExact(name)),
					statecheck.ExpectKnownValue(testGroupAddr, tfjsonpath.New("description"), knownvalue.StringExact("Room A: R&D <lab>")),
					statecheck.ExpectKnownValue(testGroupAddr, tfjsonpath.New("kernel"), knownvalue.StringExact("")),
					statecheck.ExpectKnownValue(testGroupAddr, tfjsonpath.New("kernel_args"), knownvalue.StringExact("nomodeset")),
					statecheck.ExpectKnownValue(testGroupAddr, tfjsonpath.New("kernel_device"), knownvalue.StringExact("/dev/nvme0n1")),
					statecheck.ExpectKnownValue(testGroupAddr, tfjsonpath.New("host_ids"), int64SetValue(h1.ID, h2.ID)),
					statecheck.ExpectKnownValue(testGroupAddr, tfjsonpath.New("host_count"), knownvalue.Int64Exact(2)),
					statecheck.ExpectKnownValue(testGroupAddr, tfjsonpath.New("created_time"), knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$`))),
					env.groupOnServer(&id, func(g *fogclient.Group, members []int64) error {
						if g.Description != "Room A: R&D <lab>" || !slices.Equal(members, []int64{h1.ID, h2.ID}) {
							return fmt.Errorf("FOG has %+v with members %v", g, members)
						}
						return nil
					}),
				},
			},
			{ResourceName: testGroupAddr, ImportState: true, ImportStateVerify: true},
			{ResourceName: testGroupAddr, ImportState: true, ImportStateId: "name:" + name, ImportStateVerify: true},
			{ResourceName: testGroupAddr, ImportState: true, ImportStateId: "name:" + strings.ToLower(name), ImportStateVerify: true},
			{
				Config: env.Config(updated),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testGroupAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(testGroupAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(testGroupAddr, tfjsonpath.New("name"), knownvalue.StringExact(renamed)),
					statecheck.ExpectKnownValue(testGroupAddr, tfjsonpath.New("kernel_args"), knownvalue.StringExact("")),
					statecheck.ExpectKnownValue(testGroupAddr, tfjsonpath.New("host_ids"), int64SetValue(h2.ID, h3.ID)),
					statecheck.ExpectKnownValue(testGroupAddr, tfjsonpath.New("host_count"), knownvalue.Int64Exact(2)),
				},
			},
			{
				// Drift of a field and of the members, put back by the next apply.
				PreConfig: func() {
					ctx, cancel := fixtureContext()
					defer cancel()
					desc := "changed in the FOG UI"
					if _, err := env.Client.UpdateGroup(ctx, mustID(t, id), fogclient.GroupUpdate{Description: &desc}); err != nil {
						t.Fatal(err)
					}
					if _, err := env.Client.AddGroupMember(ctx, mustID(t, id), h1.ID); err != nil {
						t.Fatal(err)
					}
				},
				Config: env.Config(updated),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testGroupAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(testGroupAddr, tfjsonpath.New("host_ids"), int64SetValue(h2.ID, h3.ID)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					env.groupOnServer(&id, func(g *fogclient.Group, members []int64) error {
						if g.Description != "Room B" || !slices.Equal(members, []int64{h2.ID, h3.ID}) || g.Name != renamed {
							return fmt.Errorf("drift not corrected, FOG has %+v with members %v", g, members)
						}
						return nil
					}),
				},
			},
			{
				// Without host_ids, membership is left alone: a member added
				// outside Terraform is only reported.
				PreConfig: func() {
					ctx, cancel := fixtureContext()
					defer cancel()
					if _, err := env.Client.AddGroupMember(ctx, mustID(t, id), h1.ID); err != nil {
						t.Fatal(err)
					}
				},
				Config: env.Config(unmanaged),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testGroupAddr, tfjsonpath.New("host_ids"), int64SetValue(h1.ID, h2.ID, h3.ID)),
					statecheck.ExpectKnownValue(testGroupAddr, tfjsonpath.New("host_count"), knownvalue.Int64Exact(3)),
				},
			},
			{
				// Deleted outside Terraform: created again, with a new id.
				PreConfig: func() {
					ctx, cancel := fixtureContext()
					defer cancel()
					if err := env.Client.DeleteGroup(ctx, mustID(t, id)); err != nil {
						t.Fatal(err)
					}
				},
				Config: env.Config(unmanaged),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testGroupAddr, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testGroupAddr, tfjsonpath.New("id"), knownvalue.StringFunc(func(v string) error {
						if v == id {
							return fmt.Errorf("expected a new id, got the deleted group's id %s", v)
						}
						return nil
					})),
					statecheck.ExpectKnownValue(testGroupAddr, tfjsonpath.New("host_ids"), knownvalue.SetExact(nil)),
				},
			},
		},
	})
}

// TestAccGroup_refusals: a name FOG already has (another letter case), a
// host that does not exist (warnings at plan, errors before any write), a
// rename FOG cannot do (an error at plan).
func TestAccGroup_refusals(t *testing.T) {
	env := newAccEnv(t)
	taken := env.CreateGroup(t, uniqueGroupName("taken"))
	name := uniqueGroupName("case")
	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      env.Config(groupConfig(strings.ToLower(taken.Name), "")),
				ExpectError: expectError("FOG already has a group named", "terraform import <resource address>"),
			},
			{
				Config:      env.Config(groupConfig(name, hostIDsHCL(987654))),
				ExpectError: expectError("FOG has no host with id 987654", "fog_hosts data source"),
			},
			{Config: env.Config(groupConfig(name, ""))},
			{
				Config:      env.Config(groupConfig(strings.ToUpper(name), "")),
				PlanOnly:    true,
				ExpectError: expectError("FOG cannot change only the letter case of a name", "Rename it to a different name"),
			},
			{
				// To all lower case FOG can rename (recording 494).
				Config: env.Config(groupConfig(strings.ToLower(name), "")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testGroupAddr, tfjsonpath.New("name"), knownvalue.StringExact(strings.ToLower(name))),
				},
			},
		},
	})
	if env.Emulator != nil {
		if ids := env.Emulator.IDs("groupassociation"); len(ids) != 0 {
			t.Errorf("membership rows left: %v", ids)
		}
		if ids := env.Emulator.IDs("group"); !slices.Equal(ids, []int64{taken.ID}) {
			t.Errorf("groups left: %v, want only %d", ids, taken.ID)
		}
	}
}

// The plan warns about what the apply will refuse, so that `terraform
// destroy` (which plans first) is never blocked.
func TestGroupModifyPlanServerChecksAreWarnings(t *testing.T) {
	h := newResourceHarness[*groupResource, groupModel](t, func(d *ProviderData) *groupResource { return &groupResource{data: d} })
	// Written behind the client's back: a write of this process would make
	// the plan look like an apply's, which skips these checks.
	h.srv.InsertRawRow("group", map[string]string{"name": "Lab-A"})
	plan := groupModel{
		Name: types.StringValue("LAB-a"), Description: newFOGText(""), Kernel: types.StringValue(""), KernelArgs: types.StringValue(""),
		KernelDevice: types.StringValue(""), HostIDs: int64Set([]int64{4242}), ID: types.StringUnknown(), HostCount: types.Int64Unknown(),
		CreatedTime: types.StringUnknown(), CreatedBy: types.StringUnknown(),
	}
	resp, _ := h.modifyPlan(t, &plan, nil)
	if resp.Diagnostics.HasError() {
		t.Fatalf("errors at plan: %v", resp.Diagnostics)
	}
	expectDiag(t, resp.Diagnostics, diag.SeverityWarning, "FOG already has a group named \"Lab-A\"", "The apply will stop with this error")
	expectDiag(t, resp.Diagnostics, diag.SeverityWarning, "FOG has no host with id 4242")
}

func TestInt64Sets(t *testing.T) {
	s := int64Set([]int64{3, 1, 3})
	ids, ok := int64sOf(s)
	if !ok || !slices.Equal(ids, []int64{1, 3}) {
		t.Errorf("%v %v", ids, ok)
	}
	if _, ok := int64sOf(types.SetNull(types.Int64Type)); ok {
		t.Error("null set is known")
	}
	if _, ok := int64sOf(types.SetValueMust(types.Int64Type, []attr.Value{types.Int64Unknown()})); ok {
		t.Error("a set with an unknown element is known")
	}
}

var groupIdentityResource = fogIDResource{
	typeName: "fog_group", object: "group", anObject: "a group",
	config: func(name string) map[string]tftypes.Value {
		return map[string]tftypes.Value{"name": str(name)}
	},
	get: func(ctx context.Context, c *fogclient.Client, id int64) (fogObjectText, error) {
		g, err := c.GetGroup(ctx, id)
		if err != nil {
			return fogObjectText{}, err
		}
		return fogObjectText{g.Name, g.Description}, nil
	},
	del: func(ctx context.Context, c *fogclient.Client, id int64) error { return c.DeleteGroup(ctx, id) },
	seed: func(t *testing.T, e *protocolEnv, name string) int64 {
		t.Helper()
		g, err := e.Client.CreateGroup(context.Background(), fogclient.GroupCreate{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		return g.ID
	},
	createdName:    "Lab-A",
	seededName:     "Lab-B",
	importName:     "lab-b", // FOG compares group names without regard to case
	exampleName:    "lab-%02d",
	failedUpdate:   &fogtest.FaultRule{Method: "PUT", Route: "/fog/group/{id}", Kind: fogtest.FaultFatal},
	noForceDestroy: true,
}

// TestGroupIdentity: fog_group is identified like fog_image and fog_host
// (identity_test.go): the schema, create, read and update, import by
// identity, id and name, and the documented import blocks.
func TestGroupIdentity(t *testing.T) {
	t.Parallel()
	testIdentitySchema(t, groupIdentityResource)
	t.Run("create read update", func(t *testing.T) { testIdentityCreateReadUpdate(t, groupIdentityResource) })
	t.Run("import", func(t *testing.T) { testImportByIdentity(t, groupIdentityResource) })
	t.Run("examples", func(t *testing.T) { testImportExamples(t, groupIdentityResource) })
}
