// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

func storageGroupConfig(name, extra string) string {
	return fmt.Sprintf(`
resource "fog_storage_group" "test" {
  name = %q
%s
}
`, name, extra)
}

// TestAccStorageGroup_lifecycle: create, import by id and name, rename,
// drift, destroy.
func TestAccStorageGroup_lifecycle(t *testing.T) {
	env := newAccEnv(t)
	name, renamed := uniqueImageName("sg"), uniqueImageName("sg2")
	var id string
	accParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: env.checkDestroyed("fog_storage_group", func(ctx context.Context, id int64) error {
			_, err := env.Client.GetStorageGroup(ctx, id)
			return err
		}),
		Steps: []tfresource.TestStep{
			{
				Config: env.Config(storageGroupConfig(name, `  description = "site B"`)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("fog_storage_group.test", tfjsonpath.New("id"), captureString(&id)),
					statecheck.ExpectKnownValue("fog_storage_group.test", tfjsonpath.New("description"), knownvalue.StringExact("site B")),
				},
			},
			{ResourceName: "fog_storage_group.test", ImportState: true, ImportStateVerify: true},
			{ResourceName: "fog_storage_group.test", ImportState: true, ImportStateId: "name:" + name, ImportStateVerify: true},
			{
				Config: env.Config(storageGroupConfig(renamed, "")),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("fog_storage_group.test", plancheck.ResourceActionUpdate),
				}},
			},
			{
				PreConfig: func() {
					ctx, cancel := fixtureContext()
					defer cancel()
					d := "changed in the FOG UI"
					if _, err := env.Client.UpdateStorageGroup(ctx, mustID(t, id), fogclient.StorageGroupUpdate{Description: &d}); err != nil {
						t.Fatal(err)
					}
				},
				Config: env.Config(storageGroupConfig(renamed, "")),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("fog_storage_group.test", plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("fog_storage_group.test", tfjsonpath.New("description"), knownvalue.StringExact("")),
				},
			},
		},
	})
}

// TestAccStorageGroup_destroyRefusedWhileInUse is the hazard of recordings
// 732-742: deleting a storage group that an image's only link points at
// makes FOG answer 500 for that image and for the whole image list. The
// destroy is refused and names the image and the node, and the image list
// still answers afterwards.
func TestAccStorageGroup_destroyRefusedWhileInUse(t *testing.T) {
	env := newAccEnv(t)
	img := env.CreateImage(t, fogclient.ImageCreate{})
	name := uniqueImageName("sguse")
	var groupID string
	ctx, cancel := fixtureContext()
	defer cancel()
	imageListWorks := func() {
		if _, err := env.Client.ListImages(ctx); err != nil {
			t.Fatalf("GET /fog/image fails after the destroy: %v", err)
		}
		if _, err := env.Client.GetImage(ctx, img.ID); err != nil {
			t.Fatalf("GET /fog/image/%d fails after the destroy: %v", img.ID, err)
		}
	}
	accParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []tfresource.TestStep{
			{
				Config: env.Config(storageGroupConfig(name, "")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("fog_storage_group.test", tfjsonpath.New("id"), captureString(&groupID)),
				},
			},
			{
				// Outside Terraform, the image moves to the group (its only
				// link), and a node joins it.
				PreConfig: func() {
					gid := mustID(t, groupID)
					if _, _, err := env.Client.LinkImageStorageGroup(ctx, img.ID, gid); err != nil {
						t.Fatal(err)
					}
					if _, err := env.Client.UnlinkImageStorageGroup(ctx, img.ID, fogclient.DefaultStorageGroupID); err != nil {
						t.Fatal(err)
					}
					n, err := env.Client.CreateStorageNode(ctx, fogclient.StorageNodeCreate{Name: uniqueImageName("node"), StorageGroupID: gid,
						IP: "10.9.9.9", Path: "/images", FTPPath: "/images", User: "fogproject", Password: "pw-fixture"})
					if err != nil {
						t.Fatal(err)
					}
					t.Cleanup(func() { _ = env.Client.DeleteStorageNode(context.Background(), n.ID) })
				},
				Config: env.Config(),
				ExpectError: expectError("Unable to delete storage group", "These still point at it: storage node(s)",
					fmt.Sprintf("image(s) %q (id %d)", img.Name, img.ID), "answers every image list with an error"),
			},
			{
				PreConfig: func() {
					imageListWorks()
					// Put the image back in the default group and remove the
					// node; the destroy then goes through.
					gid := mustID(t, groupID)
					if _, _, err := env.Client.LinkImageStorageGroup(ctx, img.ID, fogclient.DefaultStorageGroupID); err != nil {
						t.Fatal(err)
					}
					if _, err := env.Client.UnlinkImageStorageGroup(ctx, img.ID, gid); err != nil {
						t.Fatal(err)
					}
					nodes, err := env.Client.StorageNodesInGroup(ctx, gid)
					if err != nil {
						t.Fatal(err)
					}
					for _, n := range nodes {
						if err := env.Client.DeleteStorageNode(ctx, n.ID); err != nil {
							t.Fatal(err)
						}
					}
				},
				Config: env.Config(),
			},
		},
	})
	imageListWorks()
	if _, err := env.Client.GetStorageGroup(ctx, mustID(t, groupID)); err == nil {
		t.Error("the storage group still exists after the last destroy")
	}
}

// The default group (id 1) is never deleted, even when nothing uses it.
func TestStorageGroupDeleteRefusesDefaultGroup(t *testing.T) {
	h := newResourceHarness[*storageGroupResource, storageGroupModel](t, func(d *ProviderData) *storageGroupResource {
		return &storageGroupResource{data: d}
	})
	m := storageGroupModel{ID: types.StringValue("1"), Name: types.StringValue("default"), Description: newFOGText("")}
	resp := &resource.DeleteResponse{State: h.state(t, &m)}
	h.r.Delete(context.Background(), resource.DeleteRequest{State: h.state(t, &m)}, resp)
	expectDiag(t, resp.Diagnostics, diag.SeverityError, "Unable to delete storage group", "FOG's default storage group (id 1)", "terraform state rm")
	if n := h.srv.Count("DELETE /fog/storagegroup/{id}"); n != 0 {
		t.Errorf("%d DELETE requests", n)
	}
	if _, err := h.client.GetStorageGroup(context.Background(), 1); err != nil {
		t.Errorf("default group: %v", err)
	}
}
