// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
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

func imageStorageGroupConfig(label, group string) string {
	return fmt.Sprintf(`
resource "fog_image_storage_group" %q {
  image_id         = tonumber(fog_image.test.id)
  storage_group_id = %s
}
`, label, group)
}

// imagePlacement reads where FOG keeps image id.
func (e *accEnv) imagePlacement(t *testing.T, id string) *fogclient.ImagePlacement {
	t.Helper()
	ctx, cancel := fixtureContext()
	defer cancel()
	p, err := e.Client.ImagePlacementOf(ctx, mustID(t, id))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestAccImageStorageGroup_lifecycle: an image gets a second group through
// a per-pair link (never the replacing PUT), FOG's effective group is
// reported rather than chosen, the default link can be taken over and
// removed, and destroying everything never leaves the image without a group.
func TestAccImageStorageGroup_lifecycle(t *testing.T) {
	env := newAccEnv(t)
	name := uniqueImageName("place")
	var imageID, groupID string
	base := env.Config(imageConfig(name, name, ""), storageGroupConfig(uniqueImageName("sgp"), ""))
	second := imageStorageGroupConfig("site_b", "tonumber(fog_storage_group.test.id)")
	both := second + imageStorageGroupConfig("default", "1")
	accParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []tfresource.TestStep{
			{
				Config: base + second,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testImageAddr, tfjsonpath.New("id"), captureString(&imageID)),
					statecheck.ExpectKnownValue("fog_storage_group.test", tfjsonpath.New("id"), captureString(&groupID)),
					statecheck.ExpectKnownValue("fog_image_storage_group.site_b", tfjsonpath.New("primary"), knownvalue.Bool(false)),
					// The create's primary link to the default group wins (recording 720).
					statecheck.ExpectKnownValue("fog_image_storage_group.site_b", tfjsonpath.New("effective_storage_group_id"), knownvalue.Int64Exact(1)),
					stateCheckFunc(func() error {
						if p := env.imagePlacement(t, imageID); len(p.Links) != 2 || p.Effective != 1 {
							return fmt.Errorf("placement %+v", p)
						}
						if env.Emulator != nil && env.Emulator.Count("PUT /fog/image/{id}") != 0 {
							return fmt.Errorf("an image PUT was sent")
						}
						return nil
					}),
				},
			},
			{ResourceName: "fog_image_storage_group.site_b", ImportState: true, ImportStateVerify: true},
			{
				// The default link, taken over: primary.
				Config: base + both,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("fog_image_storage_group.default", tfjsonpath.New("primary"), knownvalue.Bool(true)),
				},
			},
			{
				// ... and removed: the image now lives in the other group.
				Config: base + second,
				ConfigStateChecks: []statecheck.StateCheck{
					stateCheckFunc(func() error {
						if p := env.imagePlacement(t, imageID); len(p.Links) != 1 || p.Effective != mustID(t, groupID) {
							return fmt.Errorf("placement %+v", p)
						}
						return nil
					}),
				},
			},
			{
				Config:           base + second,
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("fog_image_storage_group.site_b", tfjsonpath.New("effective_storage_group_id"),
						knownvalue.Int64Func(func(v int64) error {
							if strconv.FormatInt(v, 10) != groupID {
								return fmt.Errorf("effective group %d, want %s", v, groupID)
							}
							return nil
						})),
				},
			},
			{
				// Removing its last group first puts the image back in the
				// lowest-id group, so the image stays readable.
				Config: env.Config(imageConfig(name, name, ""), storageGroupConfig(uniqueImageName("sgp"), "")),
				ConfigStateChecks: []statecheck.StateCheck{
					stateCheckFunc(func() error {
						if p := env.imagePlacement(t, imageID); p.Effective != 1 {
							return fmt.Errorf("placement %+v", p)
						}
						ctx, cancel := fixtureContext()
						defer cancel()
						_, err := env.Client.ListImages(ctx)
						return err
					}),
				},
			},
		},
	})
}

// TestAccImage_refreshWithBrokenImage: an image whose storage groups were
// all deleted outside Terraform makes FOG answer 500 for it and for the
// whole image list (recording 742). The refresh reads the other images by
// id, and names the broken one and its repair in a warning instead of
// failing every image; the repair with fog_image_storage_group works.
func TestAccImage_refreshWithBrokenImage(t *testing.T) {
	env := newAccEnv(t)
	skipUnlessEmulator(t, env, "breaks an image on purpose")
	broken := env.CreateImage(t, fogclient.ImageCreate{})
	name := uniqueImageName("ok")
	var okID string
	ctx, cancel := fixtureContext()
	defer cancel()
	config := env.Config(imageConfig(name, name, ""), fmt.Sprintf(`
import {
  to = fog_image.broken
  id = "%d"
}

resource "fog_image" "broken" {
  name          = %q
  path          = %q
  image_type_id = 1
  os_id         = 50
}
`, broken.ID, broken.Name, broken.Path))
	accParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []tfresource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testImageAddr, tfjsonpath.New("id"), captureString(&okID)),
				},
			},
			{
				// The broken image's only group is deleted behind FOG's back.
				PreConfig: func() {
					g, err := env.Client.CreateStorageGroup(ctx, fogclient.StorageGroupCreate{Name: uniqueImageName("gone")})
					if err != nil {
						t.Fatal(err)
					}
					if _, _, err := env.Client.LinkImageStorageGroup(ctx, broken.ID, g.ID); err != nil {
						t.Fatal(err)
					}
					if _, err := env.Client.UnlinkImageStorageGroup(ctx, broken.ID, fogclient.DefaultStorageGroupID); err != nil {
						t.Fatal(err)
					}
					// The raw DELETE: the client would refuse it.
					env.rawRequest(t, http.MethodDelete, fmt.Sprintf("/fog/storagegroup/%d", g.ID))
					if _, err := env.Client.ListImages(ctx); err == nil {
						t.Fatal("the image list still answers: the image is not broken")
					}
					env.Emulator.ResetCounters()
				},
				Config:   config,
				PlanOnly: true,
			},
			{
				// The refresh listed the images once, then read each by id
				// (the broken one answers 500 and is kept with a warning).
				PreConfig: func() {
					if n := env.Emulator.Count(routeListImages); n != 1 {
						t.Errorf("%d image lists during the refresh, want 1", n)
					}
					if n := env.Emulator.Count(routeGetImage); n != 2 {
						t.Errorf("%d image reads by id during the refresh, want 2", n)
					}
				},
				// The repair FOG's warning names: a link to an existing group.
				Config: config + fmt.Sprintf(`
resource "fog_image_storage_group" "repair" {
  image_id         = %d
  storage_group_id = 1
}
`, broken.ID),
				ConfigStateChecks: []statecheck.StateCheck{stateCheckFunc(func() error {
					_, err := env.Client.ListImages(ctx)
					return err
				})},
			},
		},
	})
}

// rawRequest sends a request to the server outside the client, which would
// refuse it (a change only a careless script or FOG's UI would make).
func (e *accEnv) rawRequest(t *testing.T, method, path string) {
	t.Helper()
	req, err := http.NewRequest(method, e.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("fog-api-token", e.APIToken)
	req.Header.Set("fog-user-token", e.UserToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: HTTP %d", method, path, resp.StatusCode)
	}
}

// The warning of a refresh of an image FOG cannot load names the image and
// the repair, and keeps the state.
func TestImageReadWarnsAboutBrokenImage(t *testing.T) {
	h := newResourceHarness[*imageResource, imageModel](t, func(d *ProviderData) *imageResource { return &imageResource{data: d} })
	ctx := context.Background()
	img, err := h.client.CreateImage(ctx, fogclient.ImageCreate{Name: "broken", Path: "broken", ImageTypeID: 1, ImagePartitionTypeID: 1, OSID: 9})
	if err != nil {
		t.Fatal(err)
	}
	g, err := h.client.CreateStorageGroup(ctx, fogclient.StorageGroupCreate{Name: "gone"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := h.client.LinkImageStorageGroup(ctx, img.ID, g.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := h.client.UnlinkImageStorageGroup(ctx, img.ID, fogclient.DefaultStorageGroupID); err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodDelete, "http://fog.test/fog/storagegroup/"+strconv.FormatInt(g.ID, 10), nil)
	req.Header.Set("fog-api-token", h.srv.APITokenHeader())
	req.Header.Set("fog-user-token", h.srv.UserTokenHeader())
	rec := httptest.NewRecorder()
	h.srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("delete group: %d", rec.Code)
	}
	var m imageModel
	m.fromAPI(img)
	m.ForceDestroy = types.BoolValue(false)
	state := h.state(t, &m)
	resp := &resource.ReadResponse{State: state}
	h.r.Read(ctx, resource.ReadRequest{State: state}, resp)
	expectDiag(t, resp.Diagnostics, diag.SeverityWarning, `Image "broken"`, "cannot be read",
		"every storage group they were linked to has been deleted", `resource "fog_image_storage_group"`,
		fmt.Sprintf(`PUT /fog/image/%d/edit with {"storagegroups":[1]}`, img.ID))
	if resp.Diagnostics.HasError() || resp.State.Raw.IsNull() {
		t.Errorf("the state was not kept: %v", resp.Diagnostics)
	}
}
