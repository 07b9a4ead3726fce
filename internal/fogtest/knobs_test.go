// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogtest

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// A held Sleep keeps requests inside their worker until released, so pool
// bounds are asserted by counts, not by timing.
func TestLatencyPoolIsBounded(t *testing.T) {
	release := make(chan struct{})
	var slept atomic.Int64
	c := newAPI(t, Options{Workers: 2, Latency: time.Hour, Sleep: func(ctx context.Context, d time.Duration) {
		slept.Add(1)
		select {
		case <-release:
		case <-ctx.Done():
		}
	}})
	var wg sync.WaitGroup
	for i := 0; i < 5; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.must(200, "GET", "/fog/system/info", "")
		}()
	}
	waitFor(func() bool { st := c.srv.PoolStats(); return st.InFlight == 2 && st.Queued == 3 })
	st := c.srv.PoolStats()
	if st.InFlight != 2 || st.Queued != 3 || slept.Load() != 2 {
		t.Fatalf("pool %+v, sleeping %d; want 2 in flight, 3 queued, 2 sleeping", st, slept.Load())
	}
	close(release)
	wg.Wait()
	st = c.srv.PoolStats()
	if st.MaxInFlight != 2 || st.MaxQueued != 3 || st.Served != 5 || st.InFlight != 0 || slept.Load() != 5 {
		t.Fatalf("after release: %+v, slept %d", st, slept.Load())
	}

	// Growing the pool lets queued requests in at once.
	c.srv.ResetPoolStats()
	hold := make(chan struct{})
	c.srv.opts.Sleep = func(ctx context.Context, d time.Duration) { <-hold }
	c.srv.SetWorkers(1)
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); c.must(200, "GET", "/fog/system/status", "") }()
	}
	waitFor(func() bool { st := c.srv.PoolStats(); return st.InFlight == 1 && st.Queued == 2 })
	c.srv.SetWorkers(3)
	waitFor(func() bool { return c.srv.PoolStats().InFlight == 3 })
	if st := c.srv.PoolStats(); st.InFlight != 3 || st.Queued != 0 {
		t.Fatalf("after resize: %+v", st)
	}
	close(hold)
	wg.Wait()
}

func TestFaultKinds(t *testing.T) {
	c := newAPI(t, Options{})
	imageBody := func(name string) string {
		return `{"name":"` + name + `","path":"p","imageTypeID":1,"osID":9}`
	}
	count := func() int64 { return num(t, c.must(200, "GET", "/fog/image", "").json(t)["count"]) }

	// 502 from the proxy: the request never reached PHP.
	c.srv.AddFault(FaultRule{Method: "POST", Route: "/fog/image", Kind: FaultStatus, Status: 502, Times: 1})
	r := c.do("POST", "/fog/image", imageBody("a"))
	if r.status != 502 || !strings.HasPrefix(r.ctype, "text/html") || !strings.Contains(r.body, "Proxy Error") || count() != 0 {
		t.Fatalf("status fault: %d %q %q, images %d", r.status, r.ctype, r.body, count())
	}

	// Reset before the handler: transport error, nothing written.
	c.srv.AddFault(FaultRule{Method: "POST", Route: "/fog/image", Kind: FaultResetBefore, Times: 1})
	if _, err := c.raw("POST", "/fog/image", imageBody("b"), nil); err == nil {
		t.Fatal("reset-before: no transport error")
	}
	if count() != 0 {
		t.Fatal("reset-before: the write was applied")
	}

	// Reset after the handler: transport error, the write happened.
	c.srv.AddFault(FaultRule{Method: "POST", Route: "/fog/image", Kind: FaultResetAfter, Times: 1})
	if _, err := c.raw("POST", "/fog/image", imageBody("c"), nil); err == nil {
		t.Fatal("reset-after: no transport error")
	}
	if count() != 1 {
		t.Fatal("reset-after: the write was not applied")
	}

	// Fatal errors, with display_errors Off and On.
	c.srv.AddFault(FaultRule{Route: "/fog/image/{id}", Kind: FaultFatal, Times: 1})
	r = c.do("GET", "/fog/image/1", "")
	if r.status != 500 || r.ctype != ctHTML || r.body != "" {
		t.Fatalf("fatal: %d %q %q", r.status, r.ctype, r.body)
	}
	c.srv.AddFault(FaultRule{Route: "/fog/image/{id}", Kind: FaultFatalDisplayErrors, Times: 1, Message: "Uncaught Exception: boom"})
	r = c.do("GET", "/fog/image/1", "")
	if r.status != 200 || r.ctype != ctHTML || !strings.Contains(r.body, "<b>Fatal error</b>: Uncaught Exception: boom") {
		t.Fatalf("fatal with display_errors: %d %q %q", r.status, r.ctype, r.body)
	}

	// PHP warning printed before the JSON; headers as the handler set them.
	c.srv.AddFault(FaultRule{Route: "/fog/image/{id}", Kind: FaultPHPWarning, Times: 1})
	r = c.do("GET", "/fog/image/1", "")
	plain := c.must(200, "GET", "/fog/image/1", "").body
	want := "<br /><b>Warning</b>: Undefined property: stdClass::$name in <b>/var/www/fog/lib/fog/route.class.php</b> on line <b>1</b><br />"
	if r.status != 200 || r.ctype != ctJSON || r.body != want+plain {
		t.Fatalf("warning: %d %q\n%q\nwant %q", r.status, r.ctype, r.body, want+plain)
	}

	// Slow body: same bytes, sent in chunks with pauses.
	var pauses atomic.Int64
	c.srv.opts.Sleep = func(ctx context.Context, d time.Duration) { pauses.Add(1) }
	c.srv.AddFault(FaultRule{Route: "/fog/image/{id}", Kind: FaultSlowBody, Times: 1, Delay: Duration(time.Millisecond)})
	r = c.do("GET", "/fog/image/1", "")
	if r.body != plain || pauses.Load() < int64(len(plain)/16)-1 {
		t.Fatalf("slow body: %d pauses, body equal %v", pauses.Load(), r.body == plain)
	}

	// After/Times: only the second matching request fails.
	c.srv.ClearFaults()
	id := c.srv.AddFault(FaultRule{Method: "GET", Route: "/fog/system/*", Kind: FaultStatus, Status: 504, After: 1, Times: 1})
	codes := []int{}
	for i := 0; i < 3; i++ {
		codes = append(codes, c.do("GET", "/fog/system/info", "").status)
	}
	if codes[0] != 200 || codes[1] != 504 || codes[2] != 200 {
		t.Fatalf("after/times: %v", codes)
	}
	rules := c.srv.Faults()
	if len(rules) != 1 || rules[0].ID != id || rules[0].Matched != 3 || rules[0].Fired != 1 {
		t.Fatalf("rule counters: %+v", rules)
	}

	// Probability uses the seeded source: some but not all fire.
	c.srv.ClearFaults()
	c.srv.AddFault(FaultRule{Route: "/fog/system/status", Kind: FaultStatus, Probability: 0.5})
	failed := 0
	for i := 0; i < 100; i++ {
		if c.do("GET", "/fog/system/status", "").status == 503 {
			failed++
		}
	}
	if failed == 0 || failed == 100 {
		t.Fatalf("probability 0.5 fired %d/100", failed)
	}
	total, by := c.srv.FaultsInjected()
	if total != int64(8+failed) || by[FaultStatus] != int64(2+failed) || by[FaultResetBefore] != 1 ||
		by[FaultResetAfter] != 1 || by[FaultFatal] != 1 || by[FaultFatalDisplayErrors] != 1 ||
		by[FaultPHPWarning] != 1 || by[FaultSlowBody] != 1 {
		t.Fatalf("injected %d %v (probability fired %d)", total, by, failed)
	}
}

func TestCounters(t *testing.T) {
	c := newAPI(t, Options{})
	c.must(200, "GET", "/fog/image", "")
	c.must(200, "GET", "/fog/image/list", "")
	c.must(200, "GET", "//fog//image//all/", "")
	c.must(404, "GET", "/fog/image/7", "")
	c.must(404, "GET", "/fog/image/7/anything", "")
	c.must(501, "PATCH", "/fog/image/7", "")
	c.must(200, "GET", "/fog/task/current", "")
	c.must(200, "GET", "/fog/task/active", "")
	c.must(200, "DELETE", "/fog/task/cancel", "")
	r, _ := c.raw("GET", "/fog/host", "", map[string]string{"fog-api-token": "bad"})
	if r.status != 403 {
		t.Fatalf("bad token: %d", r.status)
	}
	want := map[string]int64{
		"GET /fog/image": 3, "GET /fog/image/{id}": 2, "PATCH (unrouted)": 1,
		"GET /fog/task/active": 2, "DELETE /fog/task/cancel": 1, "GET /fog/host": 1,
	}
	got := c.srv.Counters()
	for k, v := range want {
		if got[k] != v {
			t.Errorf("counter %q = %d, want %d (all: %v)", k, got[k], v, got)
		}
	}
	if len(got) != len(want) || c.srv.TotalRequests() != 10 || c.srv.Count("GET /fog/image") != 3 {
		t.Fatalf("counters %v total %d", got, c.srv.TotalRequests())
	}
	c.srv.ResetCounters()
	if len(c.srv.Counters()) != 0 || c.srv.TotalRequests() != 0 {
		t.Fatal("ResetCounters did not reset")
	}
}

func taskState(t *testing.T, c *apiClient, id int64) map[string]any {
	t.Helper()
	return c.must(200, "GET", "/fog/task/"+jsonNum(id), "").json(t)
}

func TestExplicitProgression(t *testing.T) {
	c := newAPI(t, Options{})
	imageID, hostID := seedDeploySetup(t, c)
	c.must(200, "POST", "/fog/host/"+jsonNum(hostID)+"/task", `{"taskTypeID":1}`)
	const tid = 1
	if s := taskState(t, c, tid); num(t, s["stateID"]) != 1 || s["checkInTime"] != zeroDate || s["pct"] != "0000000000" || s["percent"] != "" {
		t.Fatalf("queued: %v", s)
	}
	if err := c.srv.AdvanceTask(tid); err != nil {
		t.Fatal(err)
	}
	s := taskState(t, c, tid)
	if num(t, s["stateID"]) != 3 || s["checkInTime"] == zeroDate || s["name"] != "- h1" {
		t.Fatalf("checked in: %v", s)
	}
	if err := c.srv.AdvanceTask(tid); err != nil {
		t.Fatal(err)
	}
	s = taskState(t, c, tid)
	if s["pct"] != "0000000025" || s["percent"] != "25.00" || s["bpm"] != "1.50GB" || s["dataTotal"] != "20.000 GiB" || s["timeElapsed"] != "00:02:30" {
		t.Fatalf("25%%: %v", s)
	}
	if err := c.srv.SetTaskProgress(tid, Progress{Percent: 47.31, BPM: "2.40GB", Elapsed: "00:03:47", Remaining: "00:04:13", Copied: "8.451 GiB", Total: "17.863 GiB"}); err != nil {
		t.Fatal(err)
	}
	s = taskState(t, c, tid)
	if s["pct"] != "0000000047" || s["percent"] != "47.31" || s["dataCopied"] != "8.451 GiB" {
		t.Fatalf("47%%: %v", s)
	}
	// A stall stops automatic steps, not explicit ones.
	if err := c.srv.StallTask(tid, true); err != nil {
		t.Fatal(err)
	}
	if err := c.srv.CompleteTask(tid); err != nil {
		t.Fatal(err)
	}
	s = taskState(t, c, tid)
	if num(t, s["stateID"]) != 4 || s["pct"] != "0000000100" || s["percent"] != "100" || s["bpm"] != "2.40GB" {
		t.Fatalf("complete: %v", s)
	}
	if err := c.srv.AdvanceTask(tid); err != ErrTaskNotActive {
		t.Fatalf("advance after completion: %v", err)
	}
	if err := c.srv.AdvanceTask(99); err != ErrNoTask {
		t.Fatalf("advance missing: %v", err)
	}
	h := c.must(200, "GET", "/fog/host/"+jsonNum(hostID), "").json(t)
	if h["deployed"] == zeroDate {
		t.Fatal("deploy completion did not set the host's deployed time")
	}
	img := c.must(200, "GET", "/fog/image/"+jsonNum(imageID), "").json(t)
	if img["deployed"] != zeroDate || img["size"] != "" {
		t.Fatalf("a deploy changed the image: %v %v", img["deployed"], img["size"])
	}

	// A capture grows the image size and stamps the image.
	c.must(200, "POST", "/fog/host/"+jsonNum(hostID)+"/task", `{"taskTypeID":2}`)
	for i := 0; i < 5; i++ {
		if err := c.srv.AdvanceTask(2); err != nil {
			t.Fatal(err)
		}
	}
	if got := c.srv.TaskSteps(2); got != 5 {
		t.Fatalf("capture took %d steps", got)
	}
	img = c.must(200, "GET", "/fog/image/"+jsonNum(imageID), "").json(t)
	if img["size"] != "21474836480.000000:" || img["deployed"] == zeroDate {
		t.Fatalf("capture completion: size %q deployed %q", img["size"], img["deployed"])
	}
	if s := taskState(t, c, 2); num(t, s["stateID"]) != 4 {
		t.Fatalf("capture not complete: %v", s["stateID"])
	}
}

func TestAutoProgressByPolls(t *testing.T) {
	c := newAPI(t, Options{AutoProgress: AutoProgress{EveryPolls: 2}})
	_, hostID := seedDeploySetup(t, c)
	c.must(200, "POST", "/fog/host/"+jsonNum(hostID)+"/task", `{"taskTypeID":1}`)
	var states []int64
	var pcts []string
	for i := 0; i < 12; i++ {
		s := taskState(t, c, 1)
		states = append(states, num(t, s["stateID"]))
		pcts = append(pcts, asString(t, s["pct"]))
	}
	wantStates := []int64{1, 3, 3, 3, 3, 3, 3, 3, 3, 4, 4, 4}
	wantPct := []string{"0000000000", "0000000000", "0000000000", "0000000025", "0000000025", "0000000050", "0000000050", "0000000075", "0000000075", "0000000100", "0000000100", "0000000100"}
	for i := range wantStates {
		if states[i] != wantStates[i] || pcts[i] != wantPct[i] {
			t.Fatalf("poll %d: states %v pcts %v", i+1, states, pcts)
		}
	}
	// The active list counts as a poll, and a stalled task never moves.
	c.must(200, "POST", "/fog/host/"+jsonNum(hostID)+"/task", `{"taskTypeID":1}`)
	if err := c.srv.StallTask(2, true); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 6; i++ {
		c.must(200, "GET", "/fog/task/active", "")
	}
	if s := taskState(t, c, 2); num(t, s["stateID"]) != 1 {
		t.Fatalf("stalled task moved: %v", s["stateID"])
	}
	if err := c.srv.StallTask(2, false); err != nil {
		t.Fatal(err)
	}
	c.must(200, "GET", "/fog/task/active", "")
	c.must(200, "GET", "/fog/task/active", "")
	if s := taskState(t, c, 2); num(t, s["stateID"]) != 3 {
		t.Fatalf("resumed task did not check in: %v", s["stateID"])
	}
}

func TestAutoProgressByTime(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	tick := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	c := newAPI(t, Options{Now: clock, AutoProgress: AutoProgress{Every: time.Minute}})
	_, hostID := seedDeploySetup(t, c)
	c.must(200, "POST", "/fog/host/"+jsonNum(hostID)+"/task", `{"taskTypeID":10}`) // inventory: check-in, complete
	s := taskState(t, c, 1)
	if num(t, s["stateID"]) != 1 || s["createdTime"] != "2026-01-02 03:04:05" {
		t.Fatalf("created: %v %v", s["stateID"], s["createdTime"])
	}
	tick(59 * time.Second)
	if s := taskState(t, c, 1); num(t, s["stateID"]) != 1 {
		t.Fatal("moved before the interval")
	}
	tick(time.Second)
	if s := taskState(t, c, 1); num(t, s["stateID"]) != 3 || s["checkInTime"] != "2026-01-02 03:05:05" {
		t.Fatalf("after 1 min: %v %v", s["stateID"], s["checkInTime"])
	}
	tick(5 * time.Minute)
	if s := taskState(t, c, 1); num(t, s["stateID"]) != 4 || s["pct"] != "0000000100" {
		t.Fatalf("after 6 min: %v %v", s["stateID"], s["pct"])
	}
}

// PHP <= 8.0 renders every database value as a string, nested ones too;
// computed values keep their types.
func TestPHPStringsMode(t *testing.T) {
	c := newAPI(t, Options{PHPStrings: true})
	_, hostID := seedDeploySetup(t, c)
	c.must(200, "POST", "/fog/host/"+jsonNum(hostID)+"/task", `{"taskTypeID":8}`)
	var walk func(path string, v any)
	computed := map[string]bool{"count": true, "pingstatuscode": true, "isSnapinTasking": true,
		"totalsupportedclients": true, "online": true, "clientload": true}
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				walk(path+"."+k, e)
			}
		case []any:
			for _, e := range x {
				walk(path+"[]", e)
			}
		case float64, bool:
			key := path[strings.LastIndex(path, ".")+1:]
			if !computed[key] {
				t.Errorf("%s is %T (%v) in PHP-string mode", path, v, v)
			}
		}
	}
	for _, p := range []string{"/fog/task", "/fog/host", "/fog/image", "/fog/multicastsession", "/fog/storagenode", "/fog/tasktype", "/fog/macaddressassociation"} {
		walk(p, c.must(200, "GET", p, "").json(t))
	}
	task := c.must(200, "GET", "/fog/task/1", "").json(t)
	if task["id"] != "1" || task["hostID"] != jsonNum(hostID) || task["pct"] != "0000000000" ||
		asObject(t, asObject(t, task["host"])["image"])["id"] != "1" ||
		asObject(t, task["storagenode"])["maxClients"] != "10" {
		t.Fatalf("task in PHP-string mode: %v", task)
	}
	g := asObject(t, asArray(t, c.must(200, "GET", "/fog/storagegroup", "").json(t)["storagegroups"])[0])
	if asArray(t, g["enablednodes"])[0] != "1" || g["totalsupportedclients"] != float64(10) {
		t.Fatalf("storage group: %v", g)
	}
	m := c.must(200, "GET", "/fog/host/"+jsonNum(hostID), "").json(t)
	if m["pingstatuscode"] != float64(0) || m["imageID"] != "1" {
		t.Fatalf("host: %v %v", m["pingstatuscode"], m["imageID"])
	}
}

func TestZombiesAndRawState(t *testing.T) {
	c := newAPI(t, Options{})
	// An image with an unknown type: listed, 404 by id.
	zid := c.srv.InsertRawRow("image", map[string]string{"name": "zombie", "path": "z", "imageTypeID": "99", "osID": "9"})
	list := c.must(200, "GET", "/fog/image", "").json(t)
	if num(t, list["count"]) != 1 {
		t.Fatalf("zombie image not listed: %v", list)
	}
	c.must(404, "GET", "/fog/image/"+jsonNum(zid), "")
	c.must(404, "PUT", "/fog/image/"+jsonNum(zid), `{"description":"x"}`)
	c.must(404, "DELETE", "/fog/image/"+jsonNum(zid), "")
	if err := c.srv.SetRawField("image", zid, "imageTypeID", "1"); err != nil {
		t.Fatal(err)
	}
	c.must(200, "GET", "/fog/image/"+jsonNum(zid), "")

	// A host with a bad name: created, 404, listed. A host without MACs:
	// invisible but its name is taken.
	c.must(404, "POST", "/fog/host", `{"name":"bad name","macs":["02:00:00:00:00:09"]}`)
	c.must(404, "POST", "/fog/host", `{"name":"nomacs","macs":[]}`)
	hosts := c.must(200, "GET", "/fog/host", "").json(t)
	if num(t, hosts["count"]) != 1 || asObject(t, asArray(t, hosts["hosts"])[0])["name"] != "bad name" {
		t.Fatalf("hosts: %v", hosts)
	}
	c.must(500, "POST", "/fog/host", `{"name":"NOMACS","macs":["02:00:00:00:00:0a"]}`)
	if ids := c.srv.IDs("host"); len(ids) != 2 {
		t.Fatalf("host rows %v", ids)
	}

	// The escape ratchet, seen in the raw database value.
	hid, err := c.srv.SeedHost("esc", 0, "02:00:00:00:00:0b")
	if err != nil {
		t.Fatal(err)
	}
	c.must(200, "PUT", "/fog/host/"+jsonNum(hid), `{"description":"R&D <lab>"}`)
	if v, _ := c.srv.RawField("host", hid, "description"); v != "R&D <lab>" {
		t.Fatalf("stored %q", v)
	}
	c.must(200, "PUT", "/fog/host/"+jsonNum(hid), `{"imageID":0}`)
	if v, _ := c.srv.RawField("host", hid, "description"); v != "R&amp;D &lt;lab&gt;" {
		t.Fatalf("after ratchet %q", v)
	}
	if got := c.must(200, "GET", "/fog/host/"+jsonNum(hid), "").json(t)["description"]; got != "R&amp;amp;D &amp;lt;lab&amp;gt;" {
		t.Fatalf("read back %q", got)
	}
	if _, ok := c.srv.RawField("host", 999, "name"); ok {
		t.Fatal("RawField of a missing row")
	}
}

func TestRaceNextCreates(t *testing.T) {
	c := newAPI(t, Options{})
	c.srv.RaceNextCreates(2)
	var wg sync.WaitGroup
	res := make([]apiResp, 2)
	for i, path := range []string{"race-a", "race-b"} {
		wg.Add(1)
		go func(i int, path string) {
			defer wg.Done()
			res[i] = c.do("POST", "/fog/image", `{"name":"race","path":"`+path+`","imageTypeID":1,"osID":9}`)
		}(i, path)
	}
	wg.Wait()
	a, b := res[0].json(t), res[1].json(t)
	if res[0].status != 200 || res[1].status != 200 || a["id"] != b["id"] || a["path"] != b["path"] {
		t.Fatalf("race: %d %v / %d %v", res[0].status, a, res[1].status, b)
	}
	if n := num(t, c.must(200, "GET", "/fog/image", "").json(t)["count"]); n != 1 {
		t.Fatalf("%d rows", n)
	}
	// Both inserts consumed an id.
	if id := num(t, c.must(200, "POST", "/fog/image", `{"name":"next","path":"n","imageTypeID":1,"osID":9}`).json(t)["id"]); id != 3 {
		t.Fatalf("next id %d", id)
	}
	// Without the knob the second create is refused.
	c.must(500, "POST", "/fog/image", `{"name":"RACE","path":"x","imageTypeID":1,"osID":9}`)
}

func TestAdminSurface(t *testing.T) {
	c := newAPI(t, Options{})
	admin := func(method, path, body string) map[string]any {
		t.Helper()
		r, err := c.raw(method, "/_emulator"+path, body, nil)
		if err != nil || r.status != 200 {
			t.Fatalf("%s %s: %v %d %s", method, path, err, r.status, r.body)
		}
		var m map[string]any
		_ = json.Unmarshal([]byte(r.body), &m)
		return m
	}
	hid := num(t, admin("POST", "/hosts", `{"name":"adm","macs":["02:00:00:00:00:21"]}`)["id"])
	iid := num(t, admin("POST", "/images", `{"name":"adm-img"}`)["id"])
	c.must(200, "PUT", "/fog/host/"+jsonNum(hid), `{"imageID":`+jsonNum(iid)+`}`)
	c.must(200, "POST", "/fog/host/"+jsonNum(hid)+"/task", `{"taskTypeID":1}`)
	admin("POST", "/tasks/1/advance", "")
	admin("POST", "/tasks/1/progress", `{"percent":60,"bpm":"1GB"}`)
	if s := taskState(t, c, 1); s["pct"] != "0000000060" {
		t.Fatalf("admin progress: %v", s["pct"])
	}
	admin("POST", "/tasks/1/complete", "")
	if s := taskState(t, c, 1); num(t, s["stateID"]) != 4 {
		t.Fatal("admin complete")
	}
	counters := admin("GET", "/counters", "")
	if num(t, counters["total"]) != 4 {
		t.Fatalf("counters %v", counters)
	}
	admin("POST", "/counters/reset", "")
	admin("PUT", "/latency", `{"latency":"0s","workers":4}`)
	if st := admin("GET", "/pool", ""); num(t, st["workers"]) != 4 {
		t.Fatalf("pool %v", st)
	}
	admin("POST", "/faults", `{"route":"/fog/host","kind":"status","status":503,"times":1}`)
	c.must(503, "GET", "/fog/host", "")
	if f := admin("GET", "/faults", ""); num(t, f["injected"]) != 1 {
		t.Fatalf("faults %v", f)
	}
	admin("DELETE", "/faults", "")
	admin("PUT", "/api", `{"enabled":false}`)
	r := c.do("GET", "/fog/host", "")
	if r.status != 302 || r.header.Get("Location") != c.ts.URL+"/fog/management/index.php" {
		t.Fatalf("api disabled: %d %q", r.status, r.header.Get("Location"))
	}
	admin("PUT", "/api", `{"enabled":true}`)
	raw := admin("GET", "/raw/host/"+jsonNum(hid), "")
	if raw["name"] != "adm" {
		t.Fatalf("raw %v", raw)
	}
	admin("POST", "/reset", "")
	if n := num(t, c.must(200, "GET", "/fog/host", "").json(t)["count"]); n != 0 {
		t.Fatalf("after reset %d hosts", n)
	}
}

// The request log keeps what was sent (bodies included), the answer's status
// and any injected fault, in order.
func TestRequestLog(t *testing.T) {
	c := newAPI(t, Options{RecordRequests: true})
	c.srv.AddFault(FaultRule{Method: "DELETE", Route: "/fog/task/{id}/cancel", Kind: FaultStatus, Status: 502, Times: 1})
	c.must(200, "GET", "/fog/task/active", `{"id":3}`)
	c.must(502, "DELETE", "/fog/task/3/cancel", `{"id":3}`)
	c.must(200, "DELETE", "/fog/task/cancel", "")
	got := c.srv.Requests()
	want := []Request{
		{Method: "GET", Route: "GET /fog/task/active", Path: "/fog/task/active", Body: `{"id":3}`, Status: 200},
		{Method: "DELETE", Route: "DELETE /fog/task/{id}/cancel", Path: "/fog/task/3/cancel", Body: `{"id":3}`, Status: 502, Fault: FaultStatus},
		{Method: "DELETE", Route: "DELETE /fog/task/cancel", Path: "/fog/task/cancel", Status: 200},
	}
	if len(got) != len(want) {
		t.Fatalf("logged %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("request %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	if n := len(newAPI(t, Options{}).srv.Requests()); n != 0 {
		t.Errorf("logging is off by default, got %d", n)
	}
}

// A snapshot lists every row, also rows FOG hides or answers 404 for.
func TestSnapshotIncludesZombies(t *testing.T) {
	c := newAPI(t, Options{})
	before := c.srv.Snapshot()
	c.must(404, "POST", "/fog/image/create", `{"name":"zombie","path":"z","imageTypeID":99,"osID":9}`)
	after := c.srv.Snapshot()
	if len(after["image"]) != len(before["image"])+1 {
		t.Fatalf("images before %v, after %v", before["image"], after["image"])
	}
	if len(before["tasktype"]) == 0 || len(after["imageassociation"]) < len(before["imageassociation"]) {
		t.Errorf("seeds or associations missing: %v", after)
	}
}

func TestRowsSeesFieldChanges(t *testing.T) {
	emu := New(Options{})
	id, err := emu.SeedHost("pc01", 0, "02:00:00:00:00:01")
	if err != nil {
		t.Fatal(err)
	}
	before := emu.Rows()
	if err := emu.SetRawField("host", id, "description", "changed"); err != nil {
		t.Fatal(err)
	}
	after := emu.Rows()
	if before["host"][id]["description"] == after["host"][id]["description"] || after["host"][id]["description"] != "changed" {
		t.Errorf("before %q, after %q", before["host"][id]["description"], after["host"][id]["description"])
	}
}
