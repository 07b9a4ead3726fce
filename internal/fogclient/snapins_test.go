// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"context"
	"errors"
	"testing"

	"github.com/fogproject/terraform-provider-fog/internal/fogtest"
)

func TestEmulatorSnapinLifecycle(t *testing.T) {
	phpVariants(t, func(t *testing.T, opts fogtest.Options) {
		ctx := context.Background()
		srv, c := newEmulator(t, opts)
		const desc = `R&D <x> "quoted" it's`
		s, err := c.CreateSnapin(ctx, SnapinCreate{
			Name: "7zip", File: "7z.msi", Description: desc, RunWith: "msiexec.exe", RunWithArgs: "/i", Args: "/quiet",
			Enabled: true, Replicate: true, Timeout: 300,
		})
		if err != nil {
			t.Fatal(err)
		}
		// Every flag is sent, so none is stored as "" (recording 621).
		for field, want := range map[string]string{"isEnabled": "1", "toReplicate": "1", "reboot": "0", "shutdown": "0", "hide": "0", "packtype": "0"} {
			if got := raw(t, srv, "snapin", s.ID, field); got != want {
				t.Errorf("%s stored as %q, want %q", field, got, want)
			}
		}
		if s.Description != desc || !s.Enabled || !s.Replicate || s.Reboot || s.Timeout != 300 || s.StorageGroupName != "default" {
			t.Errorf("created %+v", s)
		}
		// A PUT that changes one flag keeps the description as it was: the
		// escape ratchet would write it back escaped.
		off := false
		for range 3 {
			if s, err = c.UpdateSnapin(ctx, s.ID, SnapinUpdate{Enabled: &off}); err != nil {
				t.Fatal(err)
			}
		}
		if s.Description != desc || s.Enabled || raw(t, srv, "snapin", s.ID, "description") != desc {
			t.Errorf("after updates: %+v, raw description %q", s, raw(t, srv, "snapin", s.ID, "description"))
		}

		// A taken name: create and rename (recordings 624, 631).
		other, err := c.CreateSnapin(ctx, SnapinCreate{Name: "other", File: "o.exe"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.CreateSnapin(ctx, SnapinCreate{Name: "7ZIP", File: "x.msi"}); !errors.Is(err, ErrAlreadyExists) {
			t.Errorf("create of a taken name: %v", err)
		}
		name := "7zip"
		if _, err := c.UpdateSnapin(ctx, other.ID, SnapinUpdate{Name: &name}); !errors.Is(err, ErrAlreadyExists) {
			t.Errorf("rename to a taken name: %v", err)
		}
		found, err := c.FindSnapinsByName(ctx, "7Zip")
		if err != nil || len(found) != 1 || found[0].ID != s.ID {
			t.Errorf("find by name: %+v %v", found, err)
		}
		if _, err := c.CreateSnapin(ctx, SnapinCreate{Name: "nofile"}); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("create without a file: %v", err)
		}

		if err := c.DeleteSnapin(ctx, s.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := c.GetSnapin(ctx, s.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("after delete: %v", err)
		}
	})
}

func TestEmulatorLinkSnapin(t *testing.T) {
	ctx := context.Background()
	srv, c := newEmulator(t, fogtest.Options{})
	h, err := c.CreateHost(ctx, HostCreate{Name: "h1", MACs: []string{"00:11:22:33:44:55"}})
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.CreateSnapin(ctx, SnapinCreate{Name: "s1", File: "s1.exe", Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	link, created, err := c.LinkSnapin(ctx, h.ID, s.ID)
	if err != nil || !created || link.HostID != h.ID || link.SnapinID != s.ID {
		t.Fatalf("link: %+v %v %v", link, created, err)
	}
	// A duplicate pair is FOG's empty 404 (recording 635): the existing link.
	again, created, err := c.LinkSnapin(ctx, h.ID, s.ID)
	if err != nil || created || again.ID != link.ID {
		t.Fatalf("second link: %+v %v %v", again, created, err)
	}
	if n := len(srv.IDs("snapinassociation")); n != 1 {
		t.Errorf("%d links, want 1", n)
	}
	if err := c.UnlinkSnapin(ctx, link.ID); err != nil {
		t.Fatal(err)
	}
	if l, err := c.HostSnapinLink(ctx, h.ID, s.ID); err != nil || l != nil {
		t.Errorf("after unlink: %+v %v", l, err)
	}

	// Snapin tasks of a Single Snapin deploy, read without their nested host.
	if _, _, err := c.LinkSnapin(ctx, h.ID, s.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateHostTask(ctx, h.ID, TaskCreate{TypeID: TaskTypeSingleSnapin, SnapinID: s.ID}); err != nil {
		t.Fatal(err)
	}
	tasks, err := c.ActiveSnapinTasksForHost(ctx, h.ID)
	if err != nil || len(tasks) != 1 || tasks[0].SnapinID != s.ID {
		t.Fatalf("active snapin tasks: %+v %v", tasks, err)
	}
	bySnapin, err := c.ActiveSnapinTasksOfSnapin(ctx, s.ID)
	if err != nil || len(bySnapin) != 1 {
		t.Fatalf("active snapin tasks of the snapin: %+v %v", bySnapin, err)
	}
}
