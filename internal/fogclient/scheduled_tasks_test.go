// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/fogproject/terraform-provider-fog/internal/fogtest"
)

func TestScheduledTaskLifecycle(t *testing.T) {
	phpVariants(t, func(t *testing.T, opts fogtest.Options) {
		ctx := context.Background()
		srv, c := newEmulator(t, opts)
		host, err := srv.SeedHost("pc01", 0, "02:00:00:00:00:01")
		if err != nil {
			t.Fatal(err)
		}
		cron := [5]string{"0", "2", "*", "*", "1-5"}
		in := ScheduledTaskSpec{Name: "nightly & weekly", Description: "R&D", TaskTypeID: 10, Cron: &cron, TargetID: host, Active: true}
		st, err := c.CreateScheduledTask(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if !st.IsCron() || st.Cron != cron || !st.Active || st.Group || st.TargetID != host || st.Name != in.Name || st.Runtime == "" {
			t.Errorf("created %+v", st)
		}
		// A single run, then an update that leaves the strings alone.
		at := time.Now().Add(48 * time.Hour).Unix()
		in.Cron, in.RunAt, in.Shutdown, in.WOL = nil, at, true, true
		for i := 0; i < 2; i++ {
			if st, err = c.UpdateScheduledTask(ctx, st.ID, in); err != nil {
				t.Fatal(err)
			}
		}
		if st.IsCron() || st.ScheduleTime != at || !st.Shutdown || !st.WOL || st.Cron != [5]string{} {
			t.Errorf("updated %+v", st)
		}
		if got := raw(t, srv, "scheduledtask", st.ID, "description"); got != "R&D" {
			t.Errorf("description in the database %q", got)
		}
		all, err := c.ScheduledTasksWithTargetID(ctx, host)
		if err != nil || len(all) != 1 {
			t.Errorf("by target: %v %v", all, err)
		}
		if err := c.DeleteScheduledTask(ctx, st.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := c.GetScheduledTask(ctx, st.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("after delete: %v", err)
		}
	})
}

// A cron FOG can never match is never sent: the request would hang and
// every later list with it (recording 758).
func TestScheduledTaskRefusesRunawayCron(t *testing.T) {
	ctx := context.Background()
	srv, c := newEmulator(t, fogtest.Options{})
	for _, cron := range [][5]string{{"", "2", "*", "*", "*"}, {"0", "2", "30", "2", "*"}, {"*/0", "*", "*", "*", "*"}} {
		if _, err := c.CreateScheduledTask(ctx, ScheduledTaskSpec{TaskTypeID: 1, Cron: &cron, TargetID: 1, Active: true}); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%q: %v", cron, err)
		}
	}
	if n := srv.TotalRequests(); n != 0 {
		t.Errorf("%d requests", n)
	}
}

func TestLostAnswerToScheduledTaskCreate(t *testing.T) {
	ctx := context.Background()
	for _, lost := range lostAnswers {
		t.Run(lost.name, func(t *testing.T) {
			srv, c := newEmulator(t, fogtest.Options{})
			host, _ := srv.SeedHost("pc01", 0, "02:00:00:00:00:01")
			cron := [5]string{"0", "2", "*", "*", "*"}
			in := ScheduledTaskSpec{Name: "same", TaskTypeID: 1, Cron: &cron, TargetID: host, Active: true}
			// A row of the same name already exists: names are not unique
			// (recording 757), so only a new row counts.
			first, err := c.CreateScheduledTask(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			srv.ResetCounters()
			loseNext(srv, "POST", "/fog/scheduledtask", lost.rule)
			st, err := c.CreateScheduledTask(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			wantSends(t, srv, "POST /fog/scheduledtask", lost.applied)
			if st.ID == first.ID || !slices.Equal(srv.IDs("scheduledtask"), []int64{first.ID, st.ID}) {
				t.Errorf("rows %v, created %d", srv.IDs("scheduledtask"), st.ID)
			}
		})
	}
}

func TestHostInventory(t *testing.T) {
	ctx := context.Background()
	srv, c := newEmulator(t, fogtest.Options{})
	host, _ := srv.SeedHost("pc01", 0, "02:00:00:00:00:01")
	inv, err := c.GetHostInventory(ctx, host)
	if err != nil || inv != nil {
		t.Fatalf("fresh host: %+v %v", inv, err)
	}
	srv.InsertRawRow("inventory", map[string]string{"hostID": "1", "sysserial": "SN-1", "mem": "MemTotal: 8049116 kB", "cpuman": "Intel"})
	inv, err = c.GetHostInventory(ctx, host)
	if err != nil || inv == nil || inv.SysSerial != "SN-1" || inv.CPUMan != "Intel" || inv.Memory != "7.68 GiB" {
		t.Errorf("inventory %+v %v", inv, err)
	}
}
