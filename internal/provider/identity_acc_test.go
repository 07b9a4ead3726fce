// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

// identityIs is a knownvalue check that an identity's id is the FOG id
// captured from the state's id (text) by an earlier check.
func identityIs(id *string) knownvalue.Check {
	return knownvalue.Int64Func(func(v int64) error {
		if strconv.FormatInt(v, 10) != *id {
			return fmt.Errorf("identity id %d, want the state's id %s", v, *id)
		}
		return nil
	})
}

// TestAccImage_identity: the state records the image's identity (its FOG
// id), and an import block with `identity = { id = ... }` imports the image
// with no difference from the configuration. Needs a CLI that stores
// identities (Terraform 1.12+, OpenTofu 1.12+): under Terraform 1.5.7 it is
// skipped, which is not a pass; identity_test.go covers the same
// through the RPCs.
func TestAccImage_identity(t *testing.T) {
	env := newAccEnv(t)
	name := uniqueImageName("ident")
	var id string

	accParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.checkImagesDestroyed(),
		Steps: []resource.TestStep{
			{
				Config: env.Config(imageConfig(name, name, "")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testImageAddr, tfjsonpath.New("id"), captureString(&id)),
					statecheck.ExpectIdentity(testImageAddr, map[string]knownvalue.Check{"id": identityIs(&id)}),
				},
			},
			{
				ResourceName:    testImageAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
			{
				ResourceName:    testImageAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
			},
		},
	})
}

// TestAccHost_identity: the state records the host's identity (its FOG
// id), and an import block with `identity = { id = ... }` (or with the id)
// imports the host with no difference from the configuration. Needs a CLI
// that stores identities (Terraform 1.12+, OpenTofu 1.12+): under Terraform
// 1.5.7 it is skipped, which is not a pass; host_identity_test.go covers
// the same through the RPCs.
func TestAccHost_identity(t *testing.T) {
	env := newAccEnv(t)
	name := uniqueHostName()
	macs := []string{randomMAC(), randomMAC()}
	var id string

	accParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.checkHostsDestroyed(),
		Steps: []resource.TestStep{
			{
				Config: env.Config(hostConfig(name, macs, `  description = "identity"`)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testHostAddr, tfjsonpath.New("id"), captureString(&id)),
					statecheck.ExpectIdentity(testHostAddr, map[string]knownvalue.Check{"id": identityIs(&id)}),
				},
			},
			{
				ResourceName:    testHostAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
			{
				ResourceName:    testHostAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
			},
		},
	})
}

// TestAccGroup_identity: as TestAccImage_identity, for fog_group with its
// members (host_ids). Skipped below Terraform 1.12; group_resource_test.go
// covers the same through the RPCs.
func TestAccGroup_identity(t *testing.T) {
	env := newAccEnv(t)
	host := env.CreateHost(t, fogclient.HostCreate{})
	name := uniqueGroupName("ident")
	var id string

	accParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.checkGroupsDestroyed(),
		Steps: []resource.TestStep{
			{
				Config: env.Config(groupConfig(name, hostIDsHCL(host.ID))),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testGroupAddr, tfjsonpath.New("id"), captureString(&id)),
					statecheck.ExpectIdentity(testGroupAddr, map[string]knownvalue.Check{"id": identityIs(&id)}),
				},
			},
			{ResourceName: testGroupAddr, ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity},
			{ResourceName: testGroupAddr, ImportState: true, ImportStateKind: resource.ImportBlockWithID},
		},
	})
}
