// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/fogproject/terraform-provider-fog/internal/fogtest"
)

func TestEffectsOf(t *testing.T) {
	for _, c := range []struct {
		path      string
		want      []string // classes that must be affected
		wantNot   []string // classes that must not be
		wantKnown bool
	}{
		// Deleting an image resets its hosts' imageID (edge F).
		{"/image/12", []string{"image", "host", "task"}, []string{"os", "macaddressassociation"}, true},
		{"/image/create", []string{"image", "host"}, []string{"os"}, true},
		// Deleting a host deletes its tasks (edge F).
		{"/host/3", []string{"host", "task", "macaddressassociation"}, []string{"image", "os"}, true},
		{"/host/3/edit", []string{"host", "task"}, []string{"image"}, true},
		// A task request changes tasks, not the host or image objects.
		{"/host/3/task", []string{"task", "multicastsession"}, []string{"host", "image"}, true},
		{"/task/9/cancel", []string{"task", "multicastsession"}, []string{"host", "image"}, true},
		{"/macaddressassociation/4", []string{"macaddressassociation", "host", "task"}, []string{"image"}, true},
		{"/group/2/edit", []string{"host", "task"}, []string{"image"}, true},
		// Anything else: unknown effects, every class is affected.
		{"/imagetype/1", nil, nil, false},
		{"/storagegroup/1/edit", nil, nil, false},
		{"/", nil, nil, false},
	} {
		got, known := effectsOf(c.path)
		if known != c.wantKnown {
			t.Errorf("%s: known = %v, want %v", c.path, known, c.wantKnown)
		}
		for _, w := range c.want {
			if !slices.Contains(got, w) {
				t.Errorf("%s: effects %v lack %q", c.path, got, w)
			}
		}
		for _, w := range c.wantNot {
			if slices.Contains(got, w) {
				t.Errorf("%s: effects %v include %q", c.path, got, w)
			}
		}
	}
}

// TestWriteGeneration: every write advances the generations of the classes
// it can change, also when FOG's answer is an error or never arrives, and
// no read does; clients of the same server share them.
func TestWriteGeneration(t *testing.T) {
	srv, c := newEmulator(t, fogtest.Options{})
	ctx := context.Background()
	other, err := New(Config{ServerURL: c.BaseURL(), APIToken: srv.APITokenHeader(), UserToken: srv.UserTokenHeader()})
	if err != nil {
		t.Fatal(err)
	}
	gens := func() map[string]uint64 {
		out := map[string]uint64{}
		for _, class := range []string{"image", "host", "task", "os"} {
			out[class] = c.WriteGeneration(class)
			if o := other.WriteGeneration(class); o != out[class] {
				t.Fatalf("%s: two clients of one server disagree: %d and %d", class, out[class], o)
			}
		}
		return out
	}
	expectChanged := func(step string, before map[string]uint64, changed ...string) map[string]uint64 {
		t.Helper()
		after := gens()
		for class, b := range before {
			if moved := after[class] != b; moved != slices.Contains(changed, class) {
				t.Errorf("%s: generation of %q moved=%v (%d -> %d), want moved=%v", step, class, moved, b, after[class], !moved)
			}
		}
		return after
	}

	g := gens()
	img, err := c.CreateImage(ctx, ImageCreate{Name: "gen-img", Path: "gen-img", ImageTypeID: 1, OSID: 9, Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	g = expectChanged("create image", g, "image", "host", "task")

	if _, err := c.GetImage(ctx, img.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListHosts(ctx); err != nil {
		t.Fatal(err)
	}
	g = expectChanged("reads", g)

	host, err := other.CreateHost(ctx, HostCreate{Name: "gen-host", MACs: []string{"02:00:00:00:aa:01"}})
	if err != nil {
		t.Fatal(err)
	}
	g = expectChanged("create host through another client", g, "host", "task")

	if _, err := c.CreateHostTask(ctx, host.ID, TaskCreate{TypeID: 10}); err != nil {
		t.Fatal(err)
	}
	g = expectChanged("create task", g, "task")

	// A write FOG refuses may still have changed something (and here the
	// client cannot tell): 404 on a missing image.
	if _, err := c.UpdateImage(ctx, 999, ImageUpdate{}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("update of a missing image: %v", err)
	}
	g = expectChanged("refused read before an update", g) // UpdateImage stopped at its GET
	if err := c.DeleteImage(ctx, 999); !errors.Is(err, ErrNotFound) {
		t.Fatalf("delete of a missing image: %v", err)
	}
	g = expectChanged("refused delete", g, "image", "host", "task")

	// The response is lost after FOG applied the delete (the client then
	// looks, finds the image gone and reports success: lostwrites.go).
	srv.AddFault(fogtest.FaultRule{Method: "DELETE", Route: "/fog/image/{id}", Kind: fogtest.FaultResetAfter, Times: 1})
	if err := c.DeleteImage(ctx, img.ID); err != nil {
		t.Fatalf("delete with a lost answer: %v", err)
	}
	expectChanged("delete whose answer was lost", g, "image", "host", "task")
}

// TestIsZombie: the rows FOG lists but answers 404 for, judged like the
// emulator (and FOG) judge them, and confirmed by a GET by id.
func TestIsZombie(t *testing.T) {
	srv, c := newEmulator(t, fogtest.Options{})
	ctx := context.Background()
	good, err := srv.SeedImage("zombie-ok")
	if err != nil {
		t.Fatal(err)
	}
	badType, err := srv.SeedImage("zombie-type")
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.SetRawField("image", badType, "imageTypeID", "99"); err != nil {
		t.Fatal(err)
	}
	noPath := srv.InsertRawRow("image", map[string]string{"name": "zombie-path", "path": "", "imageTypeID": "1", "osID": "9"})
	hostOK, err := srv.SeedHost("zhost-ok", 0, "02:00:00:00:bb:01")
	if err != nil {
		t.Fatal(err)
	}
	hostBad, err := srv.SeedHost("zhost-ok2", 0, "02:00:00:00:bb:02")
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.SetRawField("host", hostBad, "name", "it's bad"); err != nil {
		t.Fatal(err)
	}

	images, err := c.ListImages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantImages := map[int64]bool{good: false, badType: true, noPath: true}
	for _, img := range images {
		want, ok := wantImages[img.ID]
		if !ok {
			continue
		}
		delete(wantImages, img.ID)
		if img.IsZombie() != want {
			t.Errorf("image %d (%+v): IsZombie = %v, want %v", img.ID, img, img.IsZombie(), want)
		}
		if _, err := c.GetImage(ctx, img.ID); errors.Is(err, ErrNotFound) != want {
			t.Errorf("image %d: GET by id gave %v, the emulator disagrees with IsZombie = %v", img.ID, err, want)
		}
	}
	if len(wantImages) != 0 {
		t.Errorf("images missing from the list: %v", wantImages)
	}

	hosts, err := c.ListHosts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantHosts := map[int64]bool{hostOK: false, hostBad: true}
	for _, h := range hosts {
		want, ok := wantHosts[h.ID]
		if !ok {
			continue
		}
		delete(wantHosts, h.ID)
		if h.IsZombie() != want {
			t.Errorf("host %d (%q): IsZombie = %v, want %v", h.ID, h.Name, h.IsZombie(), want)
		}
		if _, err := c.GetHost(ctx, h.ID); errors.Is(err, ErrNotFound) != want {
			t.Errorf("host %d: GET by id gave %v, the emulator disagrees with IsZombie = %v", h.ID, err, want)
		}
	}
	if len(wantHosts) != 0 {
		t.Errorf("hosts missing from the list: %v", wantHosts)
	}
}
