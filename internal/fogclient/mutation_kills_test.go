// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

// Tests written for mutants that survived the rest of the suite
// (scripts/mutation.sh): each names the mutant it kills.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/fogproject/terraform-provider-fog/internal/fogtest"
)

// decode.go parseFlexInt: the range check of a number in float form. 2^63
// is not an int64 (float64(math.MaxInt64) is 2^63: "fv > MaxInt64" let it
// through as MinInt64); -2^63 is.
func TestParseFlexIntRangeEdges(t *testing.T) {
	if v, err := parseFlexInt("9.223372036854775808e18"); err == nil {
		t.Errorf("2^63 parsed as %d, want an error", v)
	}
	if v, err := parseFlexInt("-9.223372036854775808e18"); err != nil || v != math.MinInt64 {
		t.Errorf("-2^63: %d, %v; want %d", v, err, int64(math.MinInt64))
	}
	if v, err := parseFlexInt("1e3"); err != nil || v != 1000 {
		t.Errorf("1e3: %d, %v", v, err)
	}
}

// decode.go jsonString: the fast path takes only strings without escapes,
// quotes or control characters.
func TestJSONStringFastPathEdges(t *testing.T) {
	for raw, want := range map[string]string{
		`"\\"`:     `\`,   // only backslashes: "c == '\\'" negated would copy them
		`"\\\\"`:   `\\`,  // two
		`"a b"`:    "a b", // a space is plain
		`"\u0041"`: "A",
		`""`:       "",
	} {
		if got, err := jsonString([]byte(raw)); err != nil || got != want {
			t.Errorf("jsonString(%s) = %q, %v; want %q", raw, got, err, want)
		}
	}
	// A raw control character is not JSON ("c < 0x20" negated would copy it).
	if got, err := jsonString([]byte("\"\x01\"")); err == nil {
		t.Errorf("jsonString of a raw control character = %q, want an error", got)
	}
}

// decode.go flexBool: a number is true unless it is zero, in any form;
// anything else FOG prints is true.
func TestFlexBoolForms(t *testing.T) {
	for raw, want := range map[string]bool{
		`"0.0"`: false, `"0"`: false, `0`: false, `""`: false, `"false"`: false, `"FALSE"`: false,
		`"2"`: true, `1`: true, `"yes"`: true, `"on"`: true, `"1.5"`: true,
	} {
		var f flexBool
		if err := f.UnmarshalJSON([]byte(raw)); err != nil || bool(f) != want {
			t.Errorf("flexBool(%s) = %v, %v; want %v", raw, f, err, want)
		}
	}
}

// decode.go decodeList: a body without the list's key but with FOG's
// "error" is that error; without either, a generic one.
func TestDecodeListWithoutTheKey(t *testing.T) {
	noop := func([]byte) error { return nil }
	err := decodeList([]byte(`{"error":"Invalid tasking type"}`), "hosts", func(b json.RawMessage) error { return noop(b) })
	var msg *fogMessageError
	if !errors.As(err, &msg) || msg.msg != "Invalid tasking type" {
		t.Errorf("with an error key: %v (%T), want FOG's message", err, err)
	}
	err = decodeList([]byte(`{"count":0}`), "hosts", func(b json.RawMessage) error { return noop(b) })
	if err == nil || errors.As(err, &msg) {
		t.Errorf("without either key: %v (%T), want the generic error", err, err)
	}
}

// diff.go storedText: U+FFFF is in the Basic Multilingual Plane (utf8mb3
// stores it); U+10000 is the first character FOG turns into "????".
func TestStoredTextPlaneEdge(t *testing.T) {
	if got := storedText("a\uffffb"); got != "a\uffffb" {
		t.Errorf("U+FFFF: %q", got)
	}
	if got := storedText("a\U00010000b"); got != "a????b" {
		t.Errorf("U+10000: %q", got)
	}
}

// group_tasks.go CreateGroupTaskIf: type id 0 is refused before any
// request ("<= 0" mutated to "< 0" would send it).
func TestCreateGroupTaskIfRefusesTypeZero(t *testing.T) {
	srv, c := newEmulator(t, fogtest.Options{})
	before := srv.TotalRequests()
	_, _, err := c.CreateGroupTaskIf(context.Background(), 1, TaskCreate{TypeID: 0}, func(GroupTaskCheck) bool { return true })
	if !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("type 0: %v, want ErrInvalidArgument", err)
	}
	if n := srv.TotalRequests() - before; n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// lostwrites.go beforeResend: the first resend waits the first backoff
// (RetryWaitMin, jittered down to half of it), not the third ("sends-1"
// mutated to "sends+1" waits at least twice RetryWaitMin).
func TestBeforeResendFirstBackoff(t *testing.T) {
	const lo = 200 * time.Millisecond
	c := newTestClient(t, "http://127.0.0.1:1", func(cfg *Config) {
		cfg.RetryWaitMin, cfg.RetryWaitMax, cfg.MaxRetries = lo, 10*time.Second, 3
	})
	start := time.Now()
	if err := c.beforeResend(context.Background(), 1, errors.New("lost"), "the write"); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took < lo/2 || took >= 2*lo-lo/4 {
		t.Errorf("the first resend waited %v, want between %v and %v", took, lo/2, lo)
	}
}

// retry.go backoff: each edge of the exponential backoff and of Retry-After.
func TestBackoffEdges(t *testing.T) {
	retryAfter := func(v string) *http.Response {
		return &http.Response{StatusCode: http.StatusServiceUnavailable, Header: http.Header{"Retry-After": []string{v}}}
	}
	// Retry-After: 0 is a valid answer: the shortest wait, not the backoff of attempt 3 (4-8 s here).
	if d := backoff(time.Second, 10*time.Second, 3, retryAfter("0")); d != time.Second {
		t.Errorf("Retry-After 0: %v, want the minimum 1s", d)
	}
	// Attempt 0 waits about the minimum (half of it to all of it), not the maximum.
	for range 20 {
		if d := backoff(time.Second, time.Hour, 0, nil); d < time.Second/2 || d > time.Second {
			t.Fatalf("attempt 0: %v, want 0.5s-1s", d)
		}
	}
	// From attempt 32 on the shift is not taken (it would overflow for
	// larger minimums): the maximum, whatever the minimum.
	if d := backoff(time.Nanosecond, time.Hour, 32, nil); d < 30*time.Minute {
		t.Errorf("attempt 32: %v, want 30m-1h", d)
	}
	if d := backoff(time.Nanosecond, time.Hour, 31, nil); d > 3*time.Second {
		t.Errorf("attempt 31 of 1ns: %v, want about 2s", d)
	}
	// A zero minimum waits the maximum (a shift of zero is no backoff).
	if d := backoff(0, time.Second, 0, nil); d < time.Second/2 {
		t.Errorf("zero minimum: %v, want 0.5s-1s", d)
	}
	// Below two nanoseconds there is nothing to jitter: the wait itself.
	if d := backoff(time.Nanosecond, time.Nanosecond, 0, nil); d != time.Nanosecond {
		t.Errorf("1ns: %v", d)
	}
	// Otherwise the wait is jittered (one of 40 draws below the maximum).
	jittered := false
	for range 40 {
		if backoff(time.Second, time.Second, 0, nil) < time.Second {
			jittered = true
		}
	}
	if !jittered {
		t.Error("40 waits of 1s were all exactly 1s: no jitter")
	}
}

// tasks.go createHostTask: a task create whose answer is lost every time
// and that never landed is sent MaxRetries+1 times, then refused ("sends++"
// mutated to "sends--" would resend for ever).
func TestCreateHostTaskLostEveryTimeStops(t *testing.T) {
	srv, c := newEmulator(t, fogtest.Options{}, func(cfg *Config) { cfg.MaxRetries = 2 })
	img, err := srv.SeedImage("win10")
	if err != nil {
		t.Fatal(err)
	}
	host, err := srv.SeedHost("pc01", img, "02:00:00:00:00:01")
	if err != nil {
		t.Fatal(err)
	}
	srv.AddFault(fogtest.FaultRule{Method: "POST", Route: "/fog/host/{id}/task", Kind: fogtest.FaultResetBefore})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := c.CreateHostTask(ctx, host, TaskCreate{TypeID: 1}); err == nil || ctx.Err() != nil {
		t.Fatalf("CreateHostTask: %v (context: %v), want a refusal before the deadline", err, ctx.Err())
	}
	if n := srv.Count("POST /fog/host/{id}/task"); n != 3 {
		t.Errorf("%d sends, want 3 (max_retries = 2)", n)
	}
}

// writegenerations.go effectsOf: only a class's task or cancel route is a
// tasking; a bare "/cancel" is no route FOG has, so every class must be
// assumed changed ("len(parts) > 1" mutated to ">= 1" would call it a
// tasking).
func TestEffectsOfBareCancel(t *testing.T) {
	if classes, known := effectsOf("/cancel"); known {
		t.Errorf("effectsOf(/cancel) = %v, known; want unknown", classes)
	}
	if classes, known := effectsOf("/host/3/cancel"); !known || len(classes) != len(taskingEffects) {
		t.Errorf("effectsOf(/host/3/cancel) = %v, %v", classes, known)
	}
}

// groupOf makes a group of hosts (in this membership order) with one image.
func groupOf(t *testing.T, srv *fogtest.Server, c *Client, names ...string) (group int64, hosts []int64) {
	t.Helper()
	img, err := srv.SeedImage("win10")
	if err != nil {
		t.Fatal(err)
	}
	for i, n := range names {
		id, err := srv.SeedHost(n, img, fmt.Sprintf("02:00:00:00:01:%02x", i))
		if err != nil {
			t.Fatal(err)
		}
		hosts = append(hosts, id)
	}
	g, err := c.CreateGroup(context.Background(), GroupCreate{Name: "lab"})
	if err != nil {
		t.Fatal(err)
	}
	// Membership order against host order: every other host from the end.
	var members []int64
	for i := len(hosts) - 1; i >= 0; i -= 2 {
		members = append(members, hosts[i])
	}
	for i := len(hosts) - 2; i >= 0; i -= 2 {
		members = append(members, hosts[i])
	}
	slices.Reverse(members[len(members)/2:])
	if _, err := c.SetGroupMembers(context.Background(), g.ID, members); err != nil {
		t.Fatal(err)
	}
	return g.ID, hosts
}

// group_tasks.go postGroupTask: a group task create lost every time and
// never landed is sent MaxRetries+1 times, then refused ("sends++" mutated
// to "sends--" would resend for ever).
func TestGroupTaskLostEveryTimeStops(t *testing.T) {
	srv, c := newEmulator(t, fogtest.Options{}, func(cfg *Config) { cfg.MaxRetries = 2 })
	group, _ := groupOf(t, srv, c, "pc01", "pc02")
	srv.AddFault(fogtest.FaultRule{Method: "POST", Route: "/fog/group/{id}/task", Kind: fogtest.FaultResetBefore})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, _, err := c.CreateGroupTaskIf(ctx, group, TaskCreate{TypeID: TaskTypeDeploy}, func(GroupTaskCheck) bool { return true }); err == nil || ctx.Err() != nil {
		t.Fatalf("CreateGroupTaskIf: %v (context: %v), want a refusal before the deadline", err, ctx.Err())
	}
	if n := srv.Count("POST /fog/group/{id}/task"); n != 3 {
		t.Errorf("%d sends, want 3 (max_retries = 2)", n)
	}
}

// group_tasks.go postGroupTask: the created tasks come by host id, then
// task id, whatever the membership order and the tasks' ids (each operator
// of the comparator negated orders them otherwise).
func TestGroupTaskCreatedInHostOrder(t *testing.T) {
	srv, c := newEmulator(t, fogtest.Options{})
	// More than twelve members: sort.Slice sorts up to twelve by insertion,
	// which a comparator of host or id orders right by chance.
	var names []string
	for i := range 24 {
		names = append(names, fmt.Sprintf("pc%02d", i))
	}
	group, hosts := groupOf(t, srv, c, names...)
	// Members added one by one from the last host: FOG writes a group's
	// tasks in membership order, so their ids run against the hosts' ids
	// (a group PUT writes the rows in host order).
	if _, err := c.SetGroupMembers(context.Background(), group, nil); err != nil {
		t.Fatal(err)
	}
	for i := len(hosts) - 1; i >= 0; i-- {
		if _, err := c.AddGroupMember(context.Background(), group, hosts[i]); err != nil {
			t.Fatal(err)
		}
	}
	_, res, err := c.CreateGroupTaskIf(context.Background(), group, TaskCreate{TypeID: TaskTypeDeploy}, func(GroupTaskCheck) bool { return true })
	if err != nil || res == nil {
		t.Fatalf("CreateGroupTaskIf: %v", err)
	}
	var got []int64
	for _, task := range res.Tasks {
		got = append(got, task.HostID)
	}
	if fmt.Sprint(got) != fmt.Sprint(hosts) {
		t.Errorf("tasks for hosts %v, want %v (host order)", got, hosts)
	}
}

// group_tasks.go imageIDsOf: a member without an image (0) has no image to
// read ("ImageID > 0" mutated to ">= 0" would read image 0).
func TestImageIDsOfSkipsNoImage(t *testing.T) {
	if got := imageIDsOf([]Host{{ID: 1, ImageID: 0}, {ID: 2, ImageID: 7}, {ID: 3, ImageID: 7}, {ID: 4, ImageID: 5}}); fmt.Sprint(got) != "[7 5]" {
		t.Errorf("imageIDsOf = %v, want [7 5]", got)
	}
}

// macs.go isHex: every hex digit in either case, and nothing else ("c <=
// 'f'" mutated to "c < 'f'" would refuse f).
func TestIsHexEdges(t *testing.T) {
	for _, s := range []string{"0123456789", "abcdef", "ABCDEF", "f", "F", "9", "0", "a", "A"} {
		if !isHex(s) {
			t.Errorf("isHex(%q) = false", s)
		}
	}
	for _, s := range []string{"g", "G", "/", ":", "@", "`", " "} {
		if isHex(s) {
			t.Errorf("isHex(%q) = true", s)
		}
	}
}

// macs.go createMACAssociation: an answer without a real id (0) is a
// failure, not an association ("w.ID <= 0" mutated to "< 0" would take it).
func TestCreateMACAssociationIDZero(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id":"0","hostID":"1","mac":"02:00:00:00:00:01","primary":"0","pending":"0"}`))
	}))
	t.Cleanup(ts.Close)
	c := newTestClient(t, ts.URL)
	if a, err := c.createMACAssociation(context.Background(), 1, "02:00:00:00:00:01"); err == nil {
		t.Errorf("created association %+v from an answer with id 0", a)
	}
}
