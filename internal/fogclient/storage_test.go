// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/fogproject/terraform-provider-fog/internal/fogtest"
)

func newNode(name string, group int64) StorageNodeCreate {
	return StorageNodeCreate{Name: name, StorageGroupID: group, IP: "10.0.0.2", Path: "/images", FTPPath: "/images",
		SnapinPath: "/opt/fog/snapins", User: "fogproject", Password: `p&ss<w>"'rd`, Enabled: true, MaxClients: 10}
}

func TestEmulatorStorageNodePassword(t *testing.T) {
	phpVariants(t, func(t *testing.T, opts fogtest.Options) {
		ctx := context.Background()
		srv, c := newEmulator(t, opts)
		g, err := c.CreateStorageGroup(ctx, StorageGroupCreate{Name: "sg1", Description: "R&D"})
		if err != nil {
			t.Fatal(err)
		}
		in := newNode("node1", g.ID)
		n, err := c.CreateStorageNode(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if n.StorageGroupID != g.ID || !n.Enabled || n.Master || n.MaxClients != 10 || n.FTPPath != "/images" {
			t.Errorf("created %+v", n)
		}
		// Updates keep the raw password (recordings 699-703) and the other
		// strings as they were.
		desc := `a & b`
		for range 2 {
			if n, err = c.UpdateStorageNode(ctx, n.ID, StorageNodeUpdate{Description: &desc}); err != nil {
				t.Fatal(err)
			}
		}
		if got := raw(t, srv, "storagenode", n.ID, "pass"); got != in.Password {
			t.Errorf("password stored as %q after updates", got)
		}
		if n.Description != desc {
			t.Errorf("description %q", n.Description)
		}
		pw := "new-secret"
		if _, err = c.UpdateStorageNode(ctx, n.ID, StorageNodeUpdate{Password: &pw}); err != nil {
			t.Fatal(err)
		}
		if got := raw(t, srv, "storagenode", n.ID, "pass"); got != pw {
			t.Errorf("password stored as %q, want the new one", got)
		}
		// The client's types never hold a password.
		for _, typ := range []reflect.Type{reflect.TypeFor[StorageNode](), reflect.TypeFor[Task](), reflect.TypeFor[SnapinTask]()} {
			for i := range typ.NumField() {
				if name := strings.ToLower(typ.Field(i).Name); strings.Contains(name, "pass") {
					t.Errorf("%s has a field %s", typ, typ.Field(i).Name)
				}
			}
		}
		if n2, err := c.GetStorageNode(ctx, n.ID); err != nil || n2.Name != "node1" {
			t.Errorf("get: %+v %v", n2, err)
		}
	})
}

// A node without a password is refused before any request: FOG would write
// an undeletable node (recordings 705, 717).
func TestCreateStorageNodeWithoutPasswordSendsNothing(t *testing.T) {
	f := newFake(t)
	c := newTestClient(t, f.srv.URL)
	in := newNode("n", 2)
	in.Password = ""
	if _, err := c.CreateStorageNode(context.Background(), in); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("err = %v", err)
	}
	if reqs := f.requests(); len(reqs) != 0 {
		t.Errorf("requests sent: %v", reqs)
	}
}

func TestEmulatorDeleteStorageGroupRefusals(t *testing.T) {
	ctx := context.Background()
	srv, c := newEmulator(t, fogtest.Options{})
	var inUse *StorageGroupInUseError
	if err := c.DeleteStorageGroup(ctx, DefaultStorageGroupID); !errors.As(err, &inUse) || !inUse.Default {
		t.Fatalf("default group: %v", err)
	}
	g, err := c.CreateStorageGroup(ctx, StorageGroupCreate{Name: "sg"})
	if err != nil {
		t.Fatal(err)
	}
	n, err := c.CreateStorageNode(ctx, newNode("n1", g.ID))
	if err != nil {
		t.Fatal(err)
	}
	img, err := c.CreateImage(ctx, ImageCreate{Name: "img", Path: "img", ImageTypeID: 1, ImagePartitionTypeID: 1, OSID: 9})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.LinkImageStorageGroup(ctx, img.ID, g.ID); err != nil {
		t.Fatal(err)
	}
	err = c.DeleteStorageGroup(ctx, g.ID)
	if !errors.As(err, &inUse) || len(inUse.Nodes) != 1 || inUse.Nodes[0].ID != n.ID || len(inUse.Images) != 1 ||
		inUse.Images[0] != (ObjectRef{ID: img.ID, Name: "img"}) || !errors.Is(err, ErrInUse) {
		t.Fatalf("in use: %v %+v", err, inUse)
	}
	if srv.Count("DELETE /fog/storagegroup/{id}") != 0 {
		t.Error("a DELETE was sent")
	}
	if err := c.DeleteStorageNode(ctx, n.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UnlinkImageStorageGroup(ctx, img.ID, g.ID); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteStorageGroup(ctx, g.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetImage(ctx, img.ID); err != nil {
		t.Errorf("image after the group's delete: %v", err)
	}
}

func TestEmulatorImageStorageGroups(t *testing.T) {
	ctx := context.Background()
	srv, c := newEmulator(t, fogtest.Options{})
	g2, err := c.CreateStorageGroup(ctx, StorageGroupCreate{Name: "sg2"})
	if err != nil {
		t.Fatal(err)
	}
	img, err := c.CreateImage(ctx, ImageCreate{Name: "img", Path: "img", ImageTypeID: 1, ImagePartitionTypeID: 1, OSID: 9})
	if err != nil {
		t.Fatal(err)
	}
	link, created, err := c.LinkImageStorageGroup(ctx, img.ID, g2.ID)
	if err != nil || !created || link.Primary {
		t.Fatalf("link: %+v %v %v", link, created, err)
	}
	if again, created, err := c.LinkImageStorageGroup(ctx, img.ID, g2.ID); err != nil || created || again.ID != link.ID {
		t.Fatalf("duplicate link: %+v %v %v", again, created, err)
	}
	// Linking the existing default pair sends nothing: FOG's create would
	// rewrite the row and demote its primary flag.
	posts := srv.Count("POST /fog/imageassociation")
	if posts != 1 {
		t.Fatalf("%d link creates counted, want 1", posts)
	}
	if def, created, err := c.LinkImageStorageGroup(ctx, img.ID, DefaultStorageGroupID); err != nil || created || !def.Primary {
		t.Fatalf("default link: %+v %v %v", def, created, err)
	}
	if srv.Count("POST /fog/imageassociation") != posts {
		t.Error("the existing pair was posted again")
	}
	// The create's primary link to the default group wins (recording 720).
	p, err := c.ImagePlacementOf(ctx, img.ID)
	if err != nil || p.Effective != DefaultStorageGroupID || len(p.Links) != 2 {
		t.Fatalf("placement: %+v %v", p, err)
	}
	if moved, err := c.UnlinkImageStorageGroup(ctx, img.ID, DefaultStorageGroupID); err != nil || moved != 0 {
		t.Fatal(moved, err)
	}
	if p, _ = c.ImagePlacementOf(ctx, img.ID); p.Effective != g2.ID {
		t.Errorf("effective after removing the default link: %d", p.Effective)
	}
	if got, _ := c.GetImage(ctx, img.ID); got.StorageGroupName != "sg2" {
		t.Errorf("storagegroupname %q", got.StorageGroupName)
	}
	// Removing the last link to an existing group first links the image
	// to the lowest-id other group.
	if moved, err := c.UnlinkImageStorageGroup(ctx, img.ID, g2.ID); err != nil || moved != DefaultStorageGroupID {
		t.Fatalf("last link: moved to %d, %v", moved, err)
	}
	if p, _ = c.ImagePlacementOf(ctx, img.ID); p.Effective != DefaultStorageGroupID || len(p.Links) != 1 {
		t.Fatalf("after removing the last link: %+v", p)
	}
	// With no other group on the server, the last link stays.
	if _, _, err := c.LinkImageStorageGroup(ctx, img.ID, g2.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UnlinkImageStorageGroup(ctx, img.ID, DefaultStorageGroupID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.do(ctx, call{method: http.MethodDelete, path: idPath("storagegroup", DefaultStorageGroupID, "")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UnlinkImageStorageGroup(ctx, img.ID, g2.ID); !errors.Is(err, ErrLastStorageGroup) {
		t.Fatalf("the server's only group: %v", err)
	}

	// A group deleted behind the client's back leaves the image unreadable
	// (recordings 735, 742); the client names it.
	if _, err := c.do(ctx, call{method: http.MethodDelete, path: idPath("storagegroup", g2.ID, "")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetImage(ctx, img.ID); !errors.Is(err, ErrServerFatal) {
		t.Fatalf("broken image: %v", err)
	}
	broken, err := c.ImagesWithoutStorageGroup(ctx)
	if err != nil || !reflect.DeepEqual(broken, []int64{img.ID}) {
		t.Fatalf("broken images: %v %v", broken, err)
	}
	// A per-pair link to an existing group repairs it.
	g3, err := c.CreateStorageGroup(ctx, StorageGroupCreate{Name: "sg3"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.LinkImageStorageGroup(ctx, img.ID, g3.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetImage(ctx, img.ID); err != nil {
		t.Errorf("after the repair: %v", err)
	}
}
