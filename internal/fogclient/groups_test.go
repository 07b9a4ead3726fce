// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/fogproject/terraform-provider-fog/internal/fogtest"
)

func TestGroupLifecycle(t *testing.T) {
	phpVariants(t, func(t *testing.T, opts fogtest.Options) {
		ctx := context.Background()
		srv, c := newEmulator(t, opts)
		g, err := c.CreateGroup(ctx, GroupCreate{Name: "Lab-A", Description: "R&D <lab>", KernelArgs: "quiet"})
		if err != nil {
			t.Fatal(err)
		}
		if g.ID < 1 || g.Name != "Lab-A" || g.Description != "R&D <lab>" || g.KernelArgs != "quiet" || g.CreatedBy != "fog" {
			t.Fatalf("created %+v", g)
		}
		// An unchanged mixed-case name is never resent (FOG would refuse
		// it, recording 493), and the description survives PUTs that do
		// not change it (escape ratchet, recordings 477-481).
		for i := 0; i < 3; i++ {
			kernel := strings.Repeat("k", i+1)
			g, err = c.UpdateGroup(ctx, g.ID, GroupUpdate{Name: ptr("Lab-A"), Kernel: &kernel})
			if err != nil {
				t.Fatalf("update %d: %v", i, err)
			}
		}
		if got := raw(t, srv, "group", g.ID, "description"); got != "R&D <lab>" {
			t.Errorf("description in the database %q, want the raw text", got)
		}
		if g.Kernel != "kkk" || g.Name != "Lab-A" {
			t.Errorf("after updates %+v", g)
		}
		if _, err := c.UpdateGroup(ctx, g.ID, GroupUpdate{Name: ptr("LAB-A")}); !errors.Is(err, ErrCaseOnlyRename) {
			t.Errorf("case-only rename: %v", err)
		}
		g, err = c.UpdateGroup(ctx, g.ID, GroupUpdate{Name: ptr("lab-b")})
		if err != nil || g.Name != "lab-b" {
			t.Fatalf("rename: %v %+v", err, g)
		}
		found, err := c.FindGroupsByName(ctx, "LAB-B")
		if err != nil || len(found) != 1 || found[0].ID != g.ID {
			t.Errorf("find by name: %v %+v", err, found)
		}
		if _, err := c.CreateGroup(ctx, GroupCreate{Name: "LAB-b"}); !errors.Is(err, ErrAlreadyExists) {
			t.Errorf("taken name in another case: %v", err)
		}
		if err := c.DeleteGroup(ctx, g.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := c.GetGroup(ctx, g.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("after delete: %v", err)
		}
	})
}

// The names FOG would store as an unreadable row, cut onto another group,
// or escape further with every PUT are refused before any request.
func TestGroupNamesRefused(t *testing.T) {
	ctx := context.Background()
	srv, c := newEmulator(t, fogtest.Options{})
	long := strings.Repeat("x", GroupNameMax+1)
	for _, name := range []string{"", "  ", long, "R&D", "a<b", `say "hi"`, "it's"} {
		if _, err := c.CreateGroup(ctx, GroupCreate{Name: name}); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("create %q: %v, want ErrInvalidArgument", name, err)
		}
	}
	if n := srv.TotalRequests(); n != 0 {
		t.Errorf("%d requests sent for refused names", n)
	}
	if _, err := c.CreateGroup(ctx, GroupCreate{Name: strings.Repeat("x", GroupNameMax)}); err != nil {
		t.Errorf("50 characters: %v", err)
	}
}

func TestLostAnswerToGroupCreate(t *testing.T) {
	ctx := context.Background()
	for _, lost := range lostAnswers {
		t.Run(lost.name, func(t *testing.T) {
			srv, c := newEmulator(t, fogtest.Options{})
			loseNext(srv, "POST", "/fog/group", lost.rule)
			g, err := c.CreateGroup(ctx, GroupCreate{Name: "lost", Description: "d"})
			if err != nil {
				t.Fatal(err)
			}
			wantSends(t, srv, "POST /fog/group", lost.applied)
			if ids := srv.IDs("group"); !slices.Equal(ids, []int64{g.ID}) {
				t.Errorf("groups %v, want only %d", ids, g.ID)
			}
		})
	}
}

func TestGroupMembership(t *testing.T) {
	ctx := context.Background()
	srv, c := newEmulator(t, fogtest.Options{})
	g, err := c.CreateGroup(ctx, GroupCreate{Name: "lab"})
	if err != nil {
		t.Fatal(err)
	}
	var hosts []int64
	for i, mac := range []string{"02:00:00:00:00:01", "02:00:00:00:00:02", "02:00:00:00:00:03"} {
		id, err := srv.SeedHost("h"+string(rune('1'+i)), 0, mac)
		if err != nil {
			t.Fatal(err)
		}
		hosts = append(hosts, id)
	}
	m, err := c.AddGroupMember(ctx, g.ID, hosts[0])
	if err != nil || m.HostID != hosts[0] || m.GroupID != g.ID {
		t.Fatalf("add: %v %+v", err, m)
	}
	// FOG answers the same pair with an empty 404 (recording 511): success.
	again, err := c.AddGroupMember(ctx, g.ID, hosts[0])
	if err != nil || again.ID != m.ID {
		t.Fatalf("add again: %v %+v", err, again)
	}
	// FOG would write a row for a host that does not exist (recording 512).
	if _, err := c.AddGroupMember(ctx, g.ID, 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown host: %v", err)
	}
	if ids := srv.IDs("groupassociation"); len(ids) != 1 {
		t.Errorf("membership rows %v, want 1", ids)
	}

	rows, err := c.SetGroupMembers(ctx, g.ID, []int64{hosts[2], hosts[1]})
	if err != nil {
		t.Fatal(err)
	}
	if got := MemberIDs(rows, g.ID); !sameIDs(got, []int64{hosts[1], hosts[2]}) {
		t.Errorf("members %v", got)
	}
	var mErr *MissingHostsError
	if _, err := c.SetGroupMembers(ctx, g.ID, []int64{hosts[1], 4242}); !errors.As(err, &mErr) || !slices.Equal(mErr.IDs, []int64{4242}) {
		t.Errorf("unknown host in the set: %v", err)
	}
	if err := c.RemoveGroupMember(ctx, g.ID, hosts[1]); err != nil {
		t.Fatal(err)
	}
	if err := c.RemoveGroupMember(ctx, g.ID, hosts[1]); err != nil {
		t.Errorf("remove twice: %v", err)
	}
	got, err := c.GroupMemberIDs(ctx, g.ID)
	if err != nil || !slices.Equal(got, []int64{hosts[2]}) {
		t.Errorf("members %v %v", got, err)
	}
	gg, _ := c.GetGroup(ctx, g.ID)
	if gg.HostCount != 1 {
		t.Errorf("hostcount %d", gg.HostCount)
	}
	// Membership never goes through a group PUT (it replaces the members).
	for _, r := range srv.Requests() {
		if r.Method == "PUT" && strings.HasPrefix(r.Path, "/fog/group/") {
			t.Errorf("sent %s %s", r.Method, r.Path)
		}
	}
}

func TestLostAnswerToGroupMemberAdd(t *testing.T) {
	ctx := context.Background()
	for _, lost := range lostAnswers {
		t.Run(lost.name, func(t *testing.T) {
			srv, c := newEmulator(t, fogtest.Options{})
			g, _ := c.CreateGroup(ctx, GroupCreate{Name: "lab"})
			h, _ := srv.SeedHost("h1", 0, "02:00:00:00:00:01")
			loseNext(srv, "POST", "/fog/groupassociation", lost.rule)
			if _, err := c.AddGroupMember(ctx, g.ID, h); err != nil {
				t.Fatal(err)
			}
			wantSends(t, srv, "POST /fog/groupassociation", lost.applied)
			if ids := srv.IDs("groupassociation"); len(ids) != 1 {
				t.Errorf("rows %v", ids)
			}
		})
	}
}
