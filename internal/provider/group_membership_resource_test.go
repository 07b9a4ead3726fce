// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

func membershipHCL(label string, groupRef string, hostID int64) string {
	return fmt.Sprintf("resource \"fog_group_membership\" %q {\n  group_id = %s\n  host_id  = %d\n}\n", label, groupRef, hostID)
}

// TestAccGroupMembership_lifecycle: memberships beside members added
// outside Terraform (left alone), import, drift (removed outside Terraform:
// added again), a pair that already exists (refused, with the import), and
// destroy, which removes only its own pairs.
func TestAccGroupMembership_lifecycle(t *testing.T) {
	env := newAccEnv(t)
	h1 := env.CreateHost(t, fogclient.HostCreate{})
	h2 := env.CreateHost(t, fogclient.HostCreate{})
	other := env.CreateHost(t, fogclient.HostCreate{})
	group := env.CreateGroup(t, uniqueGroupName("members"), other.ID)
	ref := fmt.Sprint(group.ID)
	config := env.Config(membershipHCL("a", ref, h1.ID), membershipHCL("b", ref, h2.ID))
	members := func(want ...int64) stateCheckFunc {
		return func() error {
			ctx, cancel := fixtureContext()
			defer cancel()
			got, err := env.Client.GroupMemberIDs(ctx, group.ID)
			if err != nil {
				return err
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				return fmt.Errorf("members %v, want %v", got, want)
			}
			return nil
		}
	}

	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("fog_group_membership.a", tfjsonpath.New("id"), knownvalue.StringExact(membershipID(group.ID, h1.ID))),
					members(other.ID, h1.ID, h2.ID),
				},
			},
			{ResourceName: "fog_group_membership.a", ImportState: true, ImportStateVerify: true},
			{
				PreConfig: func() {
					ctx, cancel := fixtureContext()
					defer cancel()
					if err := env.Client.RemoveGroupMember(ctx, group.ID, h2.ID); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("fog_group_membership.b", plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{members(other.ID, h1.ID, h2.ID)},
			},
			{
				Config:      env.Config(membershipHCL("a", ref, h1.ID), membershipHCL("b", ref, h2.ID), membershipHCL("c", ref, other.ID)),
				ExpectError: expectError(fmt.Sprintf("Host %d is already a member of group %d", other.ID, group.ID), "terraform import <resource address> "+membershipID(group.ID, other.ID)),
			},
			{
				Config:            env.Config(),
				ConfigStateChecks: []statecheck.StateCheck{members(other.ID)},
			},
		},
	})
}

// TestAccGroupMembership_conflictWithHostIDs: a group whose fog_group sets
// host_ids cannot also get memberships. Created together, the apply stops
// before the membership is written; against an existing group the plan
// warns (TestGroupMembershipModifyPlanWarnsOfHostIDs).
func TestAccGroupMembership_conflictWithHostIDs(t *testing.T) {
	env := newAccEnv(t)
	h1 := env.CreateHost(t, fogclient.HostCreate{})
	h2 := env.CreateHost(t, fogclient.HostCreate{})
	group := groupConfig(uniqueGroupName("conflict"), hostIDsHCL(h1.ID))
	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      env.Config(group, membershipHCL("extra", "fog_group.test.id", h2.ID)),
				ExpectError: expectError("A fog_group sets host_ids for group", "Manage the group's members one way"),
			},
		},
	})
	if env.Emulator != nil {
		if n := env.Emulator.Count("POST /fog/groupassociation"); n != 1 {
			t.Errorf("%d membership creates, want only the group's own", n)
		}
	}
}

// The plan of a membership of a group whose fog_group sets host_ids warns
// (an error would block `terraform destroy`, which plans first).
func TestGroupMembershipModifyPlanWarnsOfHostIDs(t *testing.T) {
	h := newResourceHarness[*groupMembershipResource, groupMembershipModel](t, func(d *ProviderData) *groupMembershipResource {
		return &groupMembershipResource{data: d}
	})
	g := h.srv.InsertRawRow("group", map[string]string{"name": "lab"})
	host, err := h.srv.SeedHost("pc01", 0, randomMAC())
	if err != nil {
		t.Fatal(err)
	}
	h.r.data.groupsWithHostIDs.Store(g, struct{}{})
	plan := groupMembershipModel{ID: types.StringUnknown(), GroupID: types.Int64Value(g), HostID: types.Int64Value(host)}
	resp, _ := h.modifyPlan(t, &plan, nil)
	if resp.Diagnostics.HasError() {
		t.Fatalf("errors at plan: %v", resp.Diagnostics)
	}
	expectDiag(t, resp.Diagnostics, diag.SeverityWarning, "A fog_group sets host_ids for group", "The apply will stop with this error")
	if n := h.srv.Count("POST /fog/groupassociation"); n != 0 {
		t.Errorf("%d writes at plan", n)
	}
}
