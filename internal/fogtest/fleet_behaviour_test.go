// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogtest

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestRunawayScheduledTask: a cron task with empty fields is written, but
// the request never gets PHP's answer (recording 758). The emulator holds it
// until the client gives up, or answers Apache's 504 after the runaway
// timeout; every later read that renders the row does the same, and a
// DELETE, which renders nothing, removes it (760).
func TestRunawayScheduledTask(t *testing.T) {
	c := newAPI(t, Options{})
	c.srv.SetRunawayTimeout(time.Hour)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		req, _ := http.NewRequestWithContext(ctx, "POST", c.ts.URL+"/fog/scheduledtask",
			strings.NewReader(`{"type":"C","taskTypeID":1,"hostID":1}`))
		req.Header.Set("fog-api-token", c.srv.APITokenHeader())
		req.Header.Set("fog-user-token", c.srv.UserTokenHeader())
		resp, err := c.hc.Do(req)
		if err == nil {
			_ = resp.Body.Close()
		}
		done <- err
	}()
	waitFor(func() bool { return len(c.srv.IDs("scheduledtask")) == 1 && c.srv.PoolStats().InFlight == 1 })
	if got := c.srv.IDs("scheduledtask"); len(got) != 1 {
		t.Fatalf("row not written: %v", got)
	}
	select {
	case err := <-done:
		t.Fatalf("the request was answered: %v", err)
	default:
	}
	cancel() // the client gives up
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("client error %v, want context.Canceled", err)
	}
	waitFor(func() bool { return c.srv.PoolStats().InFlight == 0 })
	if n := c.srv.PoolStats().InFlight; n != 0 {
		t.Fatalf("worker still held: %d", n)
	}

	// Through the admin surface, as the emulator binary is driven.
	req, _ := http.NewRequest("PUT", c.ts.URL+"/_emulator/runaway", strings.NewReader(`{"timeout":"1ms"}`))
	if resp, err := c.hc.Do(req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("PUT /_emulator/runaway: %v %v", resp, err)
	} else {
		_ = resp.Body.Close()
	}
	// /active does not render the row: its isActive is "".
	c.must(200, "GET", "/fog/scheduledtask/active", "")
	for _, path := range []string{"/fog/scheduledtask", "/fog/scheduledtask/1", "/fog/scheduledtask/search/C"} {
		r := c.do("GET", path, "")
		if r.status != http.StatusGatewayTimeout || !strings.Contains(r.body, "<title>504 Gateway Timeout</title>") ||
			!strings.Contains(r.body, "Server at 127.0.0.1 Port ") {
			t.Fatalf("GET %s: %d %q", path, r.status, r.body)
		}
	}
	c.must(200, "DELETE", "/fog/scheduledtask/1", "")
	if r := c.must(200, "GET", "/fog/scheduledtask", "").json(t); r["count"] != float64(0) {
		t.Fatalf("list after delete: %v", r)
	}
}

// TestFOGCronParse checks the port of FOGCron::parse on cases the
// recordings do not cover (753, 755, 759 and 767 are covered).
func TestFOGCronParse(t *testing.T) {
	start := time.Date(2026, 12, 6, 3, 26, 45, 0, time.UTC) // a Sunday
	cases := []struct{ cron, want string }{
		{"0 2 * * *", "2026-12-07 02:00"},
		{"30 1 * * 1", "2026-12-07 01:30"},
		{"45 23 * * 5", "2026-12-11 23:45"},
		{"* * * * *", "2026-12-06 03:26"},
		{"*/15 * * * *", "2026-12-06 03:30"},
		{"0 12 * * 0", "2026-12-06 12:00"},    // day of week 0 is read as 7, Sunday
		{"0 0 13 * 5", "2026-12-11 00:00"},    // both day fields: either one
		{"0 0 1-3 * *", "2027-01-01 00:00"},   // a range
		{"10,40 * * * *", "2026-12-06 03:40"}, // a list
		{"0 0 29 2 *", "2028-02-29 00:00"},    // the next leap day
		{"5 4 * 1 *", "2027-01-06 04:05"},     // a month step keeps the day: not 1 January
		{"7/20 * * * *", "2026-12-06 03:27"},  // n/m: minute % m == n
	}
	for _, tc := range cases {
		got := time.Unix(fogCronParse(tc.cron, start), 0).UTC().Format("2006-01-02 15:04")
		if got != tc.want {
			t.Errorf("%q: %s, want %s", tc.cron, got, tc.want)
		}
	}
	for cron, want := range map[string]any{
		"  2 * * *":    runawayPanic{}, // an empty field never matches (recording 758)
		"0 0 30 2 *":   runawayPanic{}, // 30 February
		"61 * * * *":   runawayPanic{},
		"*/0 * * * *":  phpFatalPanic{}, // DivisionByZeroError
		"   0 * */0 *": runawayPanic{},  // the minute loops before the month is read
		",5 * * * *":   runawayPanic{},  // strpos() 0 is falsy: no list, and ",5" equals no minute
	} {
		func() {
			defer func() {
				if p := recover(); p != want {
					t.Errorf("%q: panic %#v, want %#v", cron, p, want)
				}
			}()
			fogCronParse(cron, start)
		}()
	}
}

// TestGroupTaskWithoutRecordedCases covers group task paths the fleet
// recordings leave out.
func TestGroupTaskWithoutRecordedCases(t *testing.T) {
	c := newAPI(t, Options{})
	c.must(200, "POST", "/fog/image", `{"name":"img","path":"img","imageTypeID":1,"osID":9,"isEnabled":"1"}`)
	c.must(200, "POST", "/fog/host", `{"name":"h1","macs":["02:00:00:00:00:01"],"imageID":1}`)
	c.must(200, "POST", "/fog/host", `{"name":"h2","macs":["02:00:00:00:00:02"],"imageID":1}`)
	c.must(200, "POST", "/fog/group", `{"name":"g","hosts":[1,2,99]}`)

	// All Snapins without deploySnapins: count(null) (recording 678).
	if r := c.do("POST", "/fog/group/1/task", `{"taskTypeID":12}`); r.status != 500 || r.body != "" {
		t.Fatalf("type 12 without flag: %d %q", r.status, r.body)
	}
	// A capture writes nothing (recording 599).
	c.must(200, "POST", "/fog/group/1/task", `{"taskTypeID":2}`)
	if got := c.srv.IDs("task"); len(got) != 0 {
		t.Fatalf("capture wrote tasks %v", got)
	}
	// Non-imaging types task every member row, the missing host 99 too
	// (such a task is never listed: task lists join hosts).
	c.must(200, "POST", "/fog/group/1/task", `{"taskTypeID":10,"wol":true}`)
	if got := c.srv.IDs("task"); len(got) != 3 {
		t.Fatalf("tasks %v, want one per member row", got)
	}
	if v, _ := c.srv.RawField("task", 3, "hostID"); v != "99" {
		t.Fatalf("task 3 host %q", v)
	}
	if c.srv.WakeOnLANSent() != 1 {
		t.Fatalf("wake-on-LAN %d", c.srv.WakeOnLANSent())
	}
	// Busy members (type 10 needs the init) leave no host free for a deploy.
	if r := c.do("POST", "/fog/group/1/task", `{"taskTypeID":1}`).json(t); r["error"] != "No hosts available to task" {
		t.Fatalf("deploy on busy group: %v", r)
	}
	// A group PUT imageID fails while members are busy (recording 541).
	if r := c.do("PUT", "/fog/group/1", `{"imageID":1}`); r.status != 500 || r.ctype != ctHTML {
		t.Fatalf("imageID on busy group: %d %q", r.status, r.ctype)
	}
}
