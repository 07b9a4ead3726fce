// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

// Integration tests: the client against the FOG emulator of internal/fogtest,
// which was written from the same spec independently (it does not import
// this package).

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fogproject/terraform-provider-fog/internal/fogtest"
)

func newEmulator(t *testing.T, opts fogtest.Options, mods ...func(*Config)) (*fogtest.Server, *Client) {
	t.Helper()
	srv := fogtest.New(opts)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	cfg := DefaultConfig()
	cfg.ServerURL = ts.URL
	cfg.APIToken = srv.APITokenHeader()
	cfg.UserToken = srv.UserTokenHeader()
	cfg.RetryWaitMin = time.Millisecond
	cfg.RetryWaitMax = 2 * time.Millisecond
	for _, m := range mods {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func raw(t *testing.T, srv *fogtest.Server, class string, id int64, field string) string {
	t.Helper()
	v, ok := srv.RawField(class, id, field)
	if !ok {
		t.Fatalf("no %s %d field %s", class, id, field)
	}
	return v
}

// Both renderings: PHP >= 8.1 numbers and PHP <= 8.0 strings.
func phpVariants(t *testing.T, run func(t *testing.T, opts fogtest.Options)) {
	for name, opts := range map[string]fogtest.Options{
		"PHP 8.1 numbers": {},
		"PHP 8.0 strings": {PHPStrings: true},
	} {
		t.Run(name, func(t *testing.T) { run(t, opts) })
	}
}

func TestEmulatorImageLifecycle(t *testing.T) {
	phpVariants(t, func(t *testing.T, opts fogtest.Options) {
		ctx := context.Background()
		srv, c := newEmulator(t, opts)
		if err := c.Status(ctx); err != nil {
			t.Fatal(err)
		}
		const desc = `R&D <x> "quoted" it's`
		img, err := c.CreateImage(ctx, ImageCreate{
			Name: "Win10-Base", Path: "win10base", Description: desc, ImageTypeID: 1, ImagePartitionTypeID: 1,
			OSID: 9, Enabled: true, Replicate: true, Format: "5", Compress: 6,
		})
		if err != nil {
			t.Fatal(err)
		}
		want := Image{
			ID: img.ID, Name: "Win10-Base", Path: "win10base", Description: desc, ImageTypeID: 1, ImagePartitionTypeID: 1,
			OSID: 9, Enabled: true, Replicate: true, Format: "5", Compress: 6, CreatedBy: "fog",
			CreatedTime: img.CreatedTime, Deployed: img.Deployed, ImageTypeName: "Single Disk - Resizable",
			PartitionTypeName: "Everything", OSName: "Windows 10", StorageGroupName: "default",
		}
		if *img != want {
			t.Errorf("created %+v\nwant    %+v", *img, want)
		}
		if _, err := c.CreateImage(ctx, ImageCreate{Name: "WIN10-BASE", Path: "x", ImageTypeID: 1, OSID: 9}); !errors.Is(err, ErrAlreadyExists) {
			t.Errorf("duplicate: %v", err)
		}
		// Edits that leave the description alone never corrupt it.
		for i := 0; i < 3; i++ {
			if _, err := c.UpdateImage(ctx, img.ID, ImageUpdate{Enabled: ptr(i%2 == 1), Name: ptr("Win10-Base")}); err != nil {
				t.Fatal(err)
			}
		}
		if got := raw(t, srv, "image", img.ID, "description"); got != desc {
			t.Errorf("database holds %q after three edits", got)
		}
		if _, err := c.UpdateImage(ctx, img.ID, ImageUpdate{Name: ptr("win10-base")}); !errors.Is(err, ErrCaseOnlyRename) {
			t.Errorf("case-only rename: %v", err)
		}
		upd, err := c.UpdateImage(ctx, img.ID, ImageUpdate{Name: ptr("Win11-Base"), Path: ptr("win11base"), Compress: ptr(int64(9))})
		if err != nil {
			t.Fatal(err)
		}
		if upd.Name != "Win11-Base" || upd.Path != "win11base" || upd.Compress != 9 || upd.Description != desc {
			t.Errorf("updated %+v", upd)
		}
		found, err := c.FindImagesByName(ctx, "win11-base")
		if err != nil || len(found) != 1 || found[0].ID != img.ID {
			t.Errorf("find: %+v %v", found, err)
		}
		other, err := c.CreateImage(ctx, ImageCreate{Name: "other", Path: "other", ImageTypeID: 1, OSID: 9, Enabled: true})
		if err != nil {
			t.Fatal(err)
		}
		byID, err := c.ListImagesByID(ctx, []int64{other.ID, 999})
		if err != nil || len(byID) != 1 || byID[0].Name != "other" {
			t.Errorf("by id: %+v %v", byID, err)
		}
		all, err := c.ListImages(ctx)
		if err != nil || len(all) != 2 {
			t.Errorf("list: %d %v", len(all), err)
		}
		if err := c.DeleteImage(ctx, img.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := c.GetImage(ctx, img.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("after delete: %v", err)
		}
		if err := c.DeleteImage(ctx, img.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("second delete: %v", err)
		}
	})
}

func TestEmulatorLookups(t *testing.T) {
	phpVariants(t, func(t *testing.T, opts fogtest.Options) {
		ctx := context.Background()
		_, c := newEmulator(t, opts)
		types, err := c.TaskTypes(ctx)
		if err != nil || len(types) != 21 {
			t.Fatalf("%d task types, %v", len(types), err)
		}
		var imaging []int64
		for _, tt := range types {
			if tt.IsImaging() {
				imaging = append(imaging, tt.ID)
			}
		}
		if fmt.Sprint(sortedIDs(imaging)) != "[1 2 8 15 16 17]" {
			t.Errorf("imaging types %v", sortedIDs(imaging))
		}
		its, err1 := c.ImageTypes(ctx)
		pts, err2 := c.PartitionTypes(ctx)
		oss, err3 := c.OperatingSystems(ctx)
		sgs, err4 := c.StorageGroups(ctx)
		if err := errors.Join(err1, err2, err3, err4); err != nil {
			t.Fatal(err)
		}
		if len(its) != 4 || len(pts) != 12 || len(oss) != 12 || len(sgs) != 1 || sgs[0].Name != "default" {
			t.Errorf("%d image types, %d partition types, %d OSes, %+v", len(its), len(pts), len(oss), sgs)
		}
	})
}

func TestEmulatorHostLifecycle(t *testing.T) {
	phpVariants(t, func(t *testing.T, opts fogtest.Options) {
		ctx := context.Background()
		srv, c := newEmulator(t, opts)
		imgID, err := srv.SeedImage("deploy-img")
		if err != nil {
			t.Fatal(err)
		}
		h, err := c.CreateHost(ctx, HostCreate{
			Name: "lab-01", MACs: []string{"00-11-22-33-44-0A", "00112233441A"}, Description: "R&D <lab>",
			IP: "10.0.0.5", KernelArgs: "quiet&x=1", ImageID: imgID,
		})
		if err != nil {
			t.Fatal(err)
		}
		if h.Name != "lab-01" || h.PrimaryMAC != "00:11:22:33:44:0a" || !reflect.DeepEqual(h.MACs, []string{"00:11:22:33:44:0a", "00:11:22:33:44:1a"}) ||
			h.ImageID != imgID || h.ImageName != "deploy-img" || h.Description != "R&D <lab>" || h.KernelArgs != "quiet&x=1" {
			t.Errorf("created %+v", h)
		}
		// Fields set elsewhere (the FOG UI) survive image assignments.
		for field, v := range map[string]string{"productKey": "AB&CD-<12>", "ADOU": "OU=R&D,DC=lab", "ADPass": "p&ss<1>"} {
			if err := srv.SetRawField("host", h.ID, field, v); err != nil {
				t.Fatal(err)
			}
		}
		for _, img := range []int64{0, imgID, imgID} {
			got, err := c.AssignImage(ctx, h.ID, img)
			if err != nil {
				t.Fatal(err)
			}
			if got.ImageID != img {
				t.Errorf("assigned %d, host has %d", img, got.ImageID)
			}
		}
		for field, v := range map[string]string{"description": "R&D <lab>", "kernelArgs": "quiet&x=1", "productKey": "AB&CD-<12>", "ADOU": "OU=R&D,DC=lab", "ADPass": "p&ss<1>"} {
			if got := raw(t, srv, "host", h.ID, field); got != v {
				t.Errorf("database %s = %q, want %q", field, got, v)
			}
		}
		got, err := c.GetHost(ctx, h.ID)
		if err != nil || got.ProductKey != "AB&CD-<12>" || got.ADOU != "OU=R&D,DC=lab" {
			t.Errorf("read back %+v %v", got, err)
		}
		if _, err := c.UpdateHost(ctx, h.ID, HostUpdate{Name: ptr("LAB-01")}); !errors.Is(err, ErrCaseOnlyRename) {
			t.Errorf("case-only: %v", err)
		}
		renamed, err := c.UpdateHost(ctx, h.ID, HostUpdate{Name: ptr("lab-02"), Description: ptr("moved"), IP: ptr("10.0.0.6")})
		if err != nil || renamed.Name != "lab-02" || renamed.Description != "moved" || renamed.IP != "10.0.0.6" || renamed.KernelArgs != "quiet&x=1" {
			t.Fatalf("renamed %+v %v", renamed, err)
		}
		for term, n := range map[string]int{"lab": 1, "00:11:22:33:44:1a": 1, "nomatch": 0} {
			hosts, err := c.SearchHosts(ctx, term)
			if err != nil || len(hosts) != n {
				t.Errorf("search %q: %d %v", term, len(hosts), err)
			}
		}
		byName, err := c.FindHostsByName(ctx, "LAB-02")
		if err != nil || len(byName) != 1 {
			t.Errorf("find: %+v %v", byName, err)
		}
		if _, err := c.CreateHost(ctx, HostCreate{Name: "Lab-02", MACs: []string{"02:00:00:00:00:01"}}); !errors.Is(err, ErrAlreadyExists) {
			t.Errorf("duplicate: %v", err)
		}
		if err := c.DeleteHost(ctx, h.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := c.GetHost(ctx, h.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("after delete: %v", err)
		}
	})
}

func TestEmulatorMACs(t *testing.T) {
	ctx := context.Background()
	srv, c := newEmulator(t, fogtest.Options{})
	a, err := srv.SeedHost("host-a", 0, "02:00:00:00:00:01")
	if err != nil {
		t.Fatal(err)
	}
	b, err := srv.SeedHost("host-b", 0, "02:00:00:00:00:09")
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		want, macs []string
	}{
		{[]string{"02-00-00-00-00-02", "02:00:00:00:00:01", "020000000003"}, []string{"02:00:00:00:00:02", "02:00:00:00:00:01", "02:00:00:00:00:03"}},
		{[]string{"02:00:00:00:00:03"}, []string{"02:00:00:00:00:03"}},
		{[]string{"02:00:00:00:00:03", "02:00:00:00:00:04"}, []string{"02:00:00:00:00:03", "02:00:00:00:00:04"}},
		{[]string{"02:00:00:00:00:04"}, []string{"02:00:00:00:00:04"}},
	}
	for i, st := range steps {
		h, err := c.SetHostMACs(ctx, a, st.want)
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		got := append([]string(nil), h.MACs[1:]...)
		sort.Strings(got)
		exp := append([]string(nil), st.macs[1:]...)
		sort.Strings(exp)
		if h.PrimaryMAC != st.macs[0] || h.MACs[0] != st.macs[0] || !reflect.DeepEqual(got, exp) {
			t.Errorf("step %d: host has %v (primary %s), want %v", i, h.MACs, h.PrimaryMAC, st.macs)
		}
	}
	_, err = c.SetHostMACs(ctx, a, []string{"02:00:00:00:00:04", "02:00:00:00:00:09"})
	var conflict *MACConflictError
	if !errors.As(err, &conflict) || conflict.OwnerHostID != b || conflict.OwnerHostName != "host-b" {
		t.Fatalf("err = %v", err)
	}
	hb, err := c.GetHost(ctx, b)
	if err != nil || hb.PrimaryMAC != "02:00:00:00:00:09" {
		t.Errorf("host-b %+v %v", hb, err)
	}
	before := len(srv.IDs("host"))
	if _, err := c.CreateHost(ctx, HostCreate{Name: "host-c", MACs: []string{"02:00:00:00:00:05", "02:00:00:00:00:09"}}); !errors.Is(err, ErrMACInUse) {
		t.Errorf("create with a taken MAC: %v", err)
	}
	if n := len(srv.IDs("host")); n != before {
		t.Errorf("a host was created")
	}
	if n := srv.Count("PUT /fog/host/{id}"); n != 0 {
		t.Errorf("%d host PUTs (the destructive macs route) sent", n)
	}
}

// A MAC the FOG client service reported (pending) is found, survives a
// change of the host's MAC set, and is approved when the set lists it.
func TestEmulatorPendingMACs(t *testing.T) {
	ctx := context.Background()
	srv, c := newEmulator(t, fogtest.Options{})
	id, err := srv.SeedHost("host-p", 0, "02:00:00:00:00:01")
	if err != nil {
		t.Fatal(err)
	}
	row := srv.InsertRawRow("macaddressassociation", map[string]string{
		"hostID": fmt.Sprint(id), "mac": "02:00:00:00:00:0a", "primary": "0", "pending": "1",
	})
	h, err := c.GetHost(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if pending, err := c.PendingMACs(ctx, h); err != nil || !reflect.DeepEqual(pending, []string{"02:00:00:00:00:0a"}) {
		t.Fatalf("pending = %v, %v", pending, err)
	}
	h, err = c.SetHostMACs(ctx, id, []string{"02:00:00:00:00:02"})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(h.MACs, []string{"02:00:00:00:00:02", "02:00:00:00:00:0a"}) || raw(t, srv, "macaddressassociation", row, "pending") != "1" {
		t.Errorf("after a change: %v, pending flag %q", h.MACs, raw(t, srv, "macaddressassociation", row, "pending"))
	}
	h, err = c.SetHostMACs(ctx, id, []string{"02:00:00:00:00:02", "02-00-00-00-00-0A"})
	if err != nil {
		t.Fatal(err)
	}
	if pending, err := c.PendingMACs(ctx, h); err != nil || len(pending) != 0 || raw(t, srv, "macaddressassociation", row, "pending") != "0" {
		t.Errorf("listed pending MAC not approved: %v %v", pending, err)
	}
}

func TestEmulatorTasks(t *testing.T) {
	phpVariants(t, func(t *testing.T, opts fogtest.Options) {
		ctx := context.Background()
		srv, c := newEmulator(t, opts)
		imgID, _ := srv.SeedImage("deploy-img")
		h1, _ := srv.SeedHost("host-1", imgID, "02:00:00:00:01:01")
		h2, _ := srv.SeedHost("host-2", imgID, "02:00:00:00:01:02")
		h3, _ := srv.SeedHost("host-3", 0, "02:00:00:00:01:03")

		t1, err := c.CreateHostTask(ctx, h1, TaskCreate{TypeID: TaskTypeDeploy, TaskName: "Nightly"})
		if err != nil {
			t.Fatal(err)
		}
		if t1.HostID != h1 || t1.TypeID != 1 || t1.StateID != TaskStateQueued || t1.Name != "Nightly - host-1" || t1.HostName != "host-1" || t1.ImageID != imgID {
			t.Errorf("task %+v", t1)
		}
		_, err = c.CreateHostTask(ctx, h1, TaskCreate{TypeID: TaskTypeCapture})
		var fe *Error
		if !errors.Is(err, ErrTaskRejected) || !errors.As(err, &fe) || fe.Message != "Host is already a member of an active task" {
			t.Errorf("second task: %v", err)
		}
		if _, err := c.CreateHostTask(ctx, h3, TaskCreate{TypeID: TaskTypeDeploy}); !errors.Is(err, ErrTaskRejected) {
			t.Errorf("host without image: %v", err)
		}
		if _, err := c.CreateHostTask(ctx, h2, TaskCreate{TypeID: 999}); !errors.Is(err, ErrTaskRejected) {
			t.Errorf("invalid type: %v", err)
		}
		if task, err := c.CreateHostTask(ctx, h3, TaskCreate{TypeID: TaskTypeWakeUp, WOL: true}); err != nil || task != nil {
			t.Errorf("wake-up: %+v %v", task, err)
		}
		t2, err := c.CreateHostTask(ctx, h2, TaskCreate{TypeID: TaskTypeDeploy})
		if err != nil {
			t.Fatal(err)
		}
		inv, err := c.CreateHostTask(ctx, h3, TaskCreate{TypeID: 10})
		if err != nil || inv.TypeID != 10 || inv.HostID != h3 {
			t.Fatalf("inventory task %+v %v", inv, err)
		}
		active, err := c.ActiveTasks(ctx)
		if err != nil || len(active) != 3 {
			t.Fatalf("%d active, %v", len(active), err)
		}

		// Progress as a PXE client would report it.
		if err := srv.CheckInTask(t2.ID); err != nil {
			t.Fatal(err)
		}
		if err := srv.SetTaskProgress(t2.ID, fogtest.Progress{Percent: 47.5, BPM: "2.40GB", Copied: "8 GiB", Total: "17 GiB"}); err != nil {
			t.Fatal(err)
		}
		p, err := c.GetTask(ctx, t2.ID)
		if err != nil || p.StateID != TaskStateInProgress || p.Percent != 48 || p.PercentText != "47.50" || p.BPM != "2.40GB" {
			t.Errorf("progress %+v %v", p, err)
		}

		// Safe cancel: only t1 changes.
		if err := c.CancelTask(ctx, t1.ID); err != nil {
			t.Fatal(err)
		}
		got, err := c.GetTask(ctx, t1.ID)
		if err != nil || got.StateID != TaskStateCancelled || got.Active() {
			t.Errorf("cancelled %+v %v", got, err)
		}
		if err := c.CancelTask(ctx, t1.ID); !errors.Is(err, ErrTaskNotActive) {
			t.Errorf("second cancel: %v", err)
		}
		if err := c.CancelTask(ctx, 999999); !errors.Is(err, ErrTaskNotActive) {
			t.Errorf("unknown id: %v", err)
		}
		active, err = c.ActiveTasks(ctx)
		if err != nil || len(active) != 2 {
			t.Errorf("%d active after cancels, %v", len(active), err)
		}
		mine, err := c.ActiveTasksForHost(ctx, h2)
		if err != nil || len(mine) != 1 || mine[0].ID != t2.ID {
			t.Errorf("host 2: %+v %v", mine, err)
		}
		if n := srv.Count("DELETE /fog/task/cancel"); n != 0 {
			t.Errorf("id-less cancel sent %d times", n)
		}
		if n := srv.Count("DELETE /fog/host/{id}/cancel"); n != 0 {
			t.Errorf("host cancel sent %d times", n)
		}
		all, err := c.ListTasks(ctx)
		if err != nil || len(all) != 3 {
			t.Errorf("%d tasks, %v", len(all), err)
		}
		if _, err := c.ActiveMulticastSessions(ctx); err != nil {
			t.Error(err)
		}
	})
}

func TestEmulatorAuthErrors(t *testing.T) {
	ctx := context.Background()
	srv, c := newEmulator(t, fogtest.Options{})
	srv.SetAPIEnabled(false)
	if err := c.Status(ctx); !errors.Is(err, ErrAPIDisabled) {
		t.Errorf("disabled: %v", err)
	}
	if _, err := c.CreateImage(ctx, ImageCreate{Name: "x", Path: "x", ImageTypeID: 1, OSID: 9}); !errors.Is(err, ErrAPIDisabled) {
		t.Errorf("disabled create: %v", err)
	}
	srv.SetAPIEnabled(true)
	if n := srv.Count("POST /fog/image"); n != 1 {
		t.Errorf("create sent %d times", n)
	}
	for name, mod := range map[string]func(*Config){
		"wrong API token":   func(c *Config) { c.APIToken = "d3JvbmctdG9rZW4=" },
		"raw hex API token": func(c *Config) { c.APIToken = fogtest.DefaultAPIToken },
		"wrong user token":  func(c *Config) { c.UserToken = "d3JvbmctdG9rZW4=" },
		"basic auth under php-fpm": func(c *Config) {
			c.UserToken, c.Username, c.Password = "", fogtest.DefaultUsername, fogtest.DefaultPassword
		},
	} {
		want := map[string]error{"wrong API token": ErrForbidden, "raw hex API token": ErrForbidden,
			"wrong user token": ErrUnauthorized, "basic auth under php-fpm": ErrUnauthorized}[name]
		_, c := newEmulator(t, fogtest.Options{}, mod)
		err := c.Status(ctx)
		if !errors.Is(err, want) {
			t.Errorf("%s: %v", name, err)
			continue
		}
		assertNoSecrets(t, err.Error())
		if s := err.Error(); containsAny(s, fogtest.DefaultAPIToken, fogtest.DefaultPassword, fogtest.DefaultAPITokenBase64) {
			t.Errorf("%s: error holds a credential: %s", name, s)
		}
	}
	_, c = newEmulator(t, fogtest.Options{BasicAuthReachesPHP: true}, func(c *Config) {
		c.UserToken, c.Username, c.Password = "", fogtest.DefaultUsername, fogtest.DefaultPassword
	})
	if err := c.Status(ctx); err != nil {
		t.Errorf("basic auth under mod_php: %v", err)
	}
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if sub != "" && strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func TestEmulatorFaults(t *testing.T) {
	ctx := context.Background()
	srv, c := newEmulator(t, fogtest.Options{})
	if _, err := srv.SeedImage("img"); err != nil {
		t.Fatal(err)
	}

	t.Run("503 twice then fine", func(t *testing.T) {
		srv.ResetCounters()
		id := srv.AddFault(fogtest.FaultRule{Method: "GET", Route: "/fog/image", Kind: fogtest.FaultStatus, Status: 503, Times: 2})
		defer srv.RemoveFault(id)
		if imgs, err := c.ListImages(ctx); err != nil || len(imgs) != 1 {
			t.Fatalf("%v %v", imgs, err)
		}
		if n := srv.Count("GET /fog/image"); n != 3 {
			t.Errorf("%d requests, want 3", n)
		}
	})
	t.Run("GET reset before reaching PHP is retried", func(t *testing.T) {
		srv.ResetCounters()
		id := srv.AddFault(fogtest.FaultRule{Method: "GET", Route: "/fog/image/{id}", Kind: fogtest.FaultResetBefore, Times: 1})
		defer srv.RemoveFault(id)
		if _, err := c.GetImage(ctx, 1); err != nil {
			t.Fatal(err)
		}
		if n := srv.Count("GET /fog/image/{id}"); n != 2 {
			t.Errorf("%d requests, want 2", n)
		}
	})
	t.Run("create applied, response lost: found, not repeated", func(t *testing.T) {
		srv.ResetCounters()
		id := srv.AddFault(fogtest.FaultRule{Method: "POST", Route: "/fog/image", Kind: fogtest.FaultResetAfter, Times: 1})
		defer srv.RemoveFault(id)
		img, err := c.CreateImage(ctx, ImageCreate{Name: "lost", Path: "lost", ImageTypeID: 1, OSID: 9, Enabled: true})
		if err != nil {
			t.Fatalf("err = %v", err)
		}
		if n := srv.Count("POST /fog/image"); n != 1 {
			t.Errorf("create sent %d times", n)
		}
		found, err := c.FindImagesByName(ctx, "lost")
		if err != nil || len(found) != 1 || found[0].ID != img.ID {
			t.Errorf("the create was applied once: %+v %v", found, err)
		}
	})
	t.Run("PHP fatal", func(t *testing.T) {
		srv.ResetCounters()
		id := srv.AddFault(fogtest.FaultRule{Method: "GET", Route: "/fog/image", Kind: fogtest.FaultFatal})
		defer srv.RemoveFault(id)
		if _, err := c.ListImages(ctx); !errors.Is(err, ErrServerFatal) {
			t.Errorf("err = %v", err)
		}
		if n := srv.Count("GET /fog/image"); n != 1 {
			t.Errorf("%d requests", n)
		}
	})
	t.Run("PHP fatal with display_errors", func(t *testing.T) {
		id := srv.AddFault(fogtest.FaultRule{Method: "GET", Route: "/fog/image/{id}", Kind: fogtest.FaultFatalDisplayErrors})
		defer srv.RemoveFault(id)
		if _, err := c.GetImage(ctx, 1); !errors.Is(err, ErrUnexpectedContentType) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("PHP warning before the JSON", func(t *testing.T) {
		id := srv.AddFault(fogtest.FaultRule{Method: "PUT", Route: "/fog/image/{id}", Kind: fogtest.FaultPHPWarning})
		defer srv.RemoveFault(id)
		img, err := c.UpdateImage(ctx, 1, ImageUpdate{Description: ptr("warned")})
		if err != nil || img.Description != "warned" {
			t.Errorf("%+v %v", img, err)
		}
	})
}

func TestEmulatorConcurrencyCap(t *testing.T) {
	const limit = 3
	srv, c := newEmulator(t, fogtest.Options{Workers: 16, Latency: 3 * time.Millisecond},
		func(cfg *Config) { cfg.MaxConcurrent = limit })
	id, err := srv.SeedImage("img")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.GetImage(context.Background(), id); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	st := srv.PoolStats()
	if st.MaxInFlight+st.MaxQueued != limit {
		t.Errorf("server saw at most %d requests at once (%+v), want the cap %d", st.MaxInFlight+st.MaxQueued, st, limit)
	}
}
