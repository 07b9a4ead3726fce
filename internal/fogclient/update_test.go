// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fogproject/terraform-provider-fog/internal/fogtest"
)

func ptr[T any](v T) *T { return &v }

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// lastPUT returns the body of the only PUT the fake received.
func lastPUT(t *testing.T, f *fakeFOG) map[string]any {
	t.Helper()
	var puts []seenRequest
	for _, r := range f.requests() {
		if r.Method == http.MethodPut {
			puts = append(puts, r)
		}
	}
	if len(puts) != 1 {
		t.Fatalf("%d PUTs sent: %v", len(puts), f.requestLines())
	}
	return bodyMap(t, puts[0].Body)
}

func TestUpdateImageResendsEveryStringFieldUnescaped(t *testing.T) {
	// Edge C: the image as created with the description "R&D <x>".
	f := newFake(t)
	f.replay("GET", "/fog/image/2", loadRecording(t, "377-c-image-create-special-desc"))
	f.replay("PUT", "/fog/image/2/edit", loadRecording(t, "380-c-image-edit-resend-description"))
	img, err := newTestClient(t, f.srv.URL).UpdateImage(context.Background(), 2, ImageUpdate{Enabled: ptr(true)})
	if err != nil {
		t.Fatal(err)
	}
	if img.Description != "R&D <x>" || !img.Enabled {
		t.Errorf("got %+v", img)
	}
	assertLines(t, []string{f.requests()[0].String(), f.requests()[1].Method + " " + f.requests()[1].Path},
		[]string{"GET /fog/image/2", "PUT /fog/image/2/edit"})
	want := map[string]any{
		"description": "R&D <x>", "path": "esc-desc-img", "createdTime": "2026-11-27 23:00:45", "createdBy": "fog",
		"size": "", "deployed": "0000-00-00 00:00:00", "format": "", "magnet": "",
		"isEnabled": "1", "toReplicate": "1",
	}
	if got := lastPUT(t, f); !reflect.DeepEqual(got, want) {
		t.Errorf("PUT body %v\nwant      %v", got, want)
	}
}

func TestUpdateImageSendsChangedFieldsAndRename(t *testing.T) {
	f := newFake(t)
	f.replay("GET", "/fog/image/3", loadRecording(t, "057-image-get-by-id"))
	f.replay("PUT", "/fog/image/3/edit", loadRecording(t, "071-image-edit-rename-and-path"))
	_, err := newTestClient(t, f.srv.URL).UpdateImage(context.Background(), 3, ImageUpdate{
		Name: ptr("img-full-renamed"), Path: ptr("img-full-newpath"), OSID: ptr(int64(9)),
		ImagePartitionTypeID: ptr(int64(2)), Protected: ptr(false), Replicate: ptr(false), Compress: ptr(int64(3)),
	})
	if err != nil {
		t.Fatal(err)
	}
	got := lastPUT(t, f)
	for k, v := range map[string]any{
		"name": "img-full-renamed", "path": "img-full-newpath", "osID": 9.0, "imagePartitionTypeID": 2.0,
		"protected": 0.0, "toReplicate": "0", "compress": 3.0, "description": "full description", "isEnabled": "1",
	} {
		if !reflect.DeepEqual(got[k], v) {
			t.Errorf("PUT %s = %#v, want %#v", k, got[k], v)
		}
	}
	if _, ok := got["imageTypeID"]; ok {
		t.Error("unchanged number resent")
	}
}

// Re-sending an unchanged mixed-case name makes FOG answer "Already created"
// (recording image-edit-same-name-mixedcase-resent), so it is left out.
func TestUpdateOmitsUnchangedName(t *testing.T) {
	f := newFake(t)
	f.replay("GET", "/fog/image/10", loadRecording(t, "076-image-create-mixed-case"))
	f.on("PUT", "/fog/image/10/edit", func(w http.ResponseWriter, _ *http.Request, body []byte) {
		if _, ok := bodyMap(t, string(body))["name"]; ok {
			loadRecording(t, "077-image-edit-same-name-mixedcase-resent").write(w)
			return
		}
		loadRecording(t, "079-image-edit-without-name-on-mixedcase").write(w)
	})
	img, err := newTestClient(t, f.srv.URL).UpdateImage(context.Background(), 10, ImageUpdate{
		Name: ptr("Win10-Base"), Path: ptr("Win10Base-v2"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if img.Name != "Win10-Base" || img.Path != "Win10Base-v2" {
		t.Errorf("got %+v", img)
	}
	if _, ok := lastPUT(t, f)["name"]; ok {
		t.Error("unchanged name sent")
	}
}

// FOG cannot change only the letter case of a name (recording
// image-edit-change-only-case): refused after the read, with no write.
func TestCaseOnlyRenameRefusedWithoutWriting(t *testing.T) {
	ctx := context.Background()
	f := newFake(t)
	f.replay("GET", "/fog/image/10", loadRecording(t, "076-image-create-mixed-case"))
	f.replay("GET", "/fog/host/1", loadRecording(t, "372-c-host-get-after-create"))
	c := newTestClient(t, f.srv.URL)
	if _, err := c.UpdateImage(ctx, 10, ImageUpdate{Name: ptr("WIN10-BASE")}); !errors.Is(err, ErrCaseOnlyRename) {
		t.Errorf("image: err = %v", err)
	}
	if _, err := c.UpdateHost(ctx, 1, HostUpdate{Name: ptr("ESC-Host"), Description: ptr("x")}); !errors.Is(err, ErrCaseOnlyRename) {
		t.Errorf("host: err = %v", err)
	}
	assertLines(t, f.requestLines(), []string{"GET /fog/image/10", "GET /fog/host/1"})
}

// The host of edge C: an imageID-only PUT re-saves every string escaped, so
// the client resends them all, unescaped, and nothing display-only.
func TestAssignImageResendsEveryHostStringField(t *testing.T) {
	f := newFake(t)
	f.replay("GET", "/fog/host/1", loadRecording(t, "372-c-host-get-after-create"))
	f.on("PUT", "/fog/host/1/edit", func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		// The answer FOG would give had the strings been resent.
		loadRecording(t, "372-c-host-get-after-create").withBody(
			strings.Replace(loadRecording(t, "372-c-host-get-after-create").ResponseBody, `"imageID": 0`, `"imageID": 1`, 1)).write(w)
	})
	h, err := newTestClient(t, f.srv.URL).AssignImage(context.Background(), 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	if h.ImageID != 1 {
		t.Errorf("image %d", h.ImageID)
	}
	got := lastPUT(t, f)
	want := map[string]any{"imageID": 1.0}
	for _, k := range hostStringFields {
		want[k] = ""
	}
	for k, v := range map[string]any{
		"description": "R&D <lab>", "kernelArgs": "quiet&x=1", "productKey": "AB&CD-<12>", "ADPass": "p&ss<1>",
		"ADOU": "OU=R&D,DC=lab", "createdTime": "2026-11-27 23:00:40", "deployed": "0000-00-00 00:00:00",
		"createdBy": "fog", "sec_time": "0000-00-00 00:00:00",
	} {
		want[k] = v
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("PUT keys %v\nwant     %v", keys(got), keys(want))
		for k := range want {
			if !reflect.DeepEqual(got[k], want[k]) {
				t.Errorf("%s = %#v, want %#v", k, got[k], want[k])
			}
		}
	}
}

// ratchetImage is a tiny model of FOG's image edit (reference/fog-api.md §4.3, §6.2):
// strings are stored as sent, read back HTML-escaped, and a PUT that leaves a
// string out stores its escaped form.
type ratchetImage struct {
	mu     sync.Mutex
	fields map[string]string
	puts   int
}

var htmlEscaper = strings.NewReplacer("&", "&amp;", `"`, "&quot;", "'", "&#039;", "<", "&lt;", ">", "&gt;")

func (s *ratchetImage) get(w http.ResponseWriter, _ *http.Request, _ []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]any{"id": 2, "imageTypeID": 1, "osID": 9}
	for k, v := range s.fields {
		out[k] = htmlEscaper.Replace(v)
	}
	b, _ := json.Marshal(out)
	writeJSON(w, http.StatusOK, string(b))
}

func (s *ratchetImage) put(w http.ResponseWriter, r *http.Request, body []byte) {
	var in map[string]any
	_ = json.Unmarshal(body, &in)
	s.mu.Lock()
	s.puts++
	for k, v := range s.fields {
		if sent, ok := in[k].(string); ok {
			s.fields[k] = sent
		} else {
			s.fields[k] = htmlEscaper.Replace(v) // the ratchet
		}
	}
	s.mu.Unlock()
	s.get(w, r, nil)
}

func TestEscapeRatchetDoesNotCorruptAcrossEdits(t *testing.T) {
	db := &ratchetImage{fields: map[string]string{
		"name": "esc-desc-img", "description": `R&D <x> "quoted" it's`, "path": "esc-desc-img",
		"magnet": "a&b", "isEnabled": "0", "toReplicate": "1",
	}}
	f := newFake(t)
	f.on("GET", "/fog/image/2", db.get)
	f.on("PUT", "/fog/image/2/edit", db.put)
	c := newTestClient(t, f.srv.URL)
	for i := 0; i < 3; i++ {
		if _, err := c.UpdateImage(context.Background(), 2, ImageUpdate{Enabled: ptr(i%2 == 0)}); err != nil {
			t.Fatal(err)
		}
	}
	img, err := c.GetImage(context.Background(), 2)
	if err != nil {
		t.Fatal(err)
	}
	if img.Description != `R&D <x> "quoted" it's` || db.fields["magnet"] != "a&b" {
		t.Errorf("after %d edits: description %q, stored magnet %q", db.puts, img.Description, db.fields["magnet"])
	}
	// The one field FOG forbids resending: a name with special characters
	// does ratchet, which is why names must not contain them.
	if db.fields["name"] != "esc-desc-img" {
		t.Errorf("plain name changed: %q", db.fields["name"])
	}
}

func TestUpdateHostRenameAndFields(t *testing.T) {
	f := newFake(t)
	f.replay("GET", "/fog/host/3", loadRecording(t, "124-host-create-image-int"))
	f.replay("PUT", "/fog/host/3/edit", loadRecording(t, "156-host-edit-rename"))
	h, err := newTestClient(t, f.srv.URL).UpdateHost(context.Background(), 3, HostUpdate{
		Name: ptr("host-c2"), Description: ptr("renamed"), IP: ptr("10.0.0.9"), KernelArgs: ptr("quiet"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if h.Name != "host-c2" {
		t.Errorf("got %+v", h)
	}
	got := lastPUT(t, f)
	for k, v := range map[string]any{"name": "host-c2", "description": "renamed", "ip": "10.0.0.9", "kernelArgs": "quiet"} {
		if got[k] != v {
			t.Errorf("%s = %#v, want %#v", k, got[k], v)
		}
	}
	for _, k := range []string{"macs", "primac", "pingstatus", "imagename", "imageID", "inventory", "image", "hostscreen", "hostalo", "pingstatuscode", "id"} {
		if _, ok := got[k]; ok {
			t.Errorf("PUT carries %q", k)
		}
	}
}

func TestUpdateOfMissingObject(t *testing.T) {
	f := newFake(t)
	f.replay("GET", "/fog/image/999999", loadRecording(t, "060-image-get-missing-999999"))
	_, err := newTestClient(t, f.srv.URL).UpdateImage(context.Background(), 999999, ImageUpdate{Description: ptr("x")})
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("err = %v", err)
	}
	assertLines(t, f.requestLines(), []string{"GET /fog/image/999999"})
}

func TestCaseOnlyRenameRefused(t *testing.T) {
	for _, tc := range []struct {
		from, to string
		refused  bool
	}{
		{"Lab-01", "lab-01", false}, // the lower-cased name passes FOG's rename check
		{"lab-01", "Lab-01", true},  // image-edit-change-only-case
		{"Lab-01", "LAB-01", true},
		{"Lab-01", "Lab-01", false}, // no rename
		{"Lab-01", "lab-02", false}, // a different name
	} {
		if got := CaseOnlyRenameRefused(tc.from, tc.to); got != tc.refused {
			t.Errorf("CaseOnlyRenameRefused(%q, %q) = %v, want %v", tc.from, tc.to, got, tc.refused)
		}
	}
}

// Renaming a host to the lower-cased form of its name is sent: FOG's check
// compares the sent name with the lower-cased current one.
func TestUpdateHostLowerCaseRenameSent(t *testing.T) {
	f := newFake(t)
	f.replay("GET", "/fog/host/1", loadRecording(t, "372-c-host-get-after-create").withBody(
		strings.Replace(loadRecording(t, "372-c-host-get-after-create").ResponseBody, `"name": "esc-host"`, `"name": "ESC-Host"`, 1)))
	f.replay("PUT", "/fog/host/1/edit", loadRecording(t, "372-c-host-get-after-create"))
	h, err := newTestClient(t, f.srv.URL).UpdateHost(context.Background(), 1, HostUpdate{Name: ptr("esc-host")})
	if err != nil {
		t.Fatal(err)
	}
	if got := lastPUT(t, f)["name"]; got != "esc-host" || h.Name != "esc-host" {
		t.Errorf("PUT name %#v, host %q", got, h.Name)
	}
}

// Two updates of one host (a fog_host change and an image assignment in the
// same apply) must not overlap: each PUT resends every string field as its
// GET read them, so the second would write back the first one's old value.
func TestUpdatesOfOneHostAreSerialised(t *testing.T) {
	var (
		mu          sync.Mutex
		description = "old"
		imageID     = 0.0
	)
	firstGET := make(chan struct{})
	release := make(chan struct{})
	overlap := make(chan struct{})
	var gets int
	f := newFake(t)
	var releaseOnce sync.Once
	unblock := func() { releaseOnce.Do(func() { close(release) }) }
	t.Cleanup(unblock) // runs before the fake server closes, even when the test fails
	f.on("GET", "/fog/host/1", func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		mu.Lock()
		gets++
		n := gets
		mu.Unlock()
		select {
		case <-release:
		default:
			if n > 1 {
				close(overlap) // the second update read while the first one was holding
			}
		}
		if n == 1 {
			close(firstGET)
			<-release // hold the first update between its read and its write
		}
		mu.Lock()
		body := fmt.Sprintf(`{"id":1,"name":"h1","description":%q,"imageID":%v,"primac":"00:11:22:33:44:55","macs":["00:11:22:33:44:55"]}`, description, imageID)
		mu.Unlock()
		writeJSON(w, http.StatusOK, body)
	})
	f.on("PUT", "/fog/host/1/edit", func(w http.ResponseWriter, _ *http.Request, raw []byte) {
		in := bodyMap(t, string(raw))
		mu.Lock()
		if v, ok := in["description"].(string); ok {
			description = v
		}
		if v, ok := in["imageID"].(float64); ok {
			imageID = v
		}
		body := fmt.Sprintf(`{"id":1,"name":"h1","description":%q,"imageID":%v,"primac":"00:11:22:33:44:55","macs":["00:11:22:33:44:55"]}`, description, imageID)
		mu.Unlock()
		writeJSON(w, http.StatusOK, body)
	})
	c := newTestClient(t, f.srv.URL)
	ctx := context.Background()

	errs := make(chan error, 2)
	go func() {
		_, err := c.UpdateHost(ctx, 1, HostUpdate{Description: ptr("new")})
		errs <- err
	}()
	<-firstGET
	go func() {
		_, err := c.AssignImage(ctx, 1, 7)
		errs <- err
	}()
	// The assignment is queued behind the update before the update may write.
	waitForLockWaiters(t, c, hostRowLockKey(1), 2, overlap)
	unblock()
	for i := 0; i < 2; i++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if description != "new" || imageID != 7 {
		t.Errorf("host ends with description %q and image %v, want \"new\" and 7", description, imageID)
	}
	assertLines(t, methods(f.requests()), []string{"GET", "PUT", "GET", "PUT"})
}

// waitForLockWaiters waits until n callers hold or wait for key, and fails
// as soon as failed is closed.
func waitForLockWaiters(t *testing.T, c *Client, key string, n int, failed <-chan struct{}) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second) // a safety net, not a timing assertion
	for {
		select {
		case <-failed:
			t.Fatal("the second update read the host while the first one was between its read and its write")
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("never saw %d callers on lock %q", n, key)
		}
		c.locks.mu.Lock()
		l := c.locks.locks[key]
		refs := 0
		if l != nil {
			refs = l.refs
		}
		c.locks.mu.Unlock()
		if refs >= n {
			return
		}
		runtime.Gosched()
	}
}

func methods(reqs []seenRequest) []string {
	out := make([]string, len(reqs))
	for i, r := range reqs {
		out[i] = r.Method
	}
	return out
}

// TestAssignImageIf: the host is read once; the write happens only when
// decide says so, and decide sees the host as it is right before it.
func TestAssignImageIf(t *testing.T) {
	srv, c := newEmulator(t, fogtest.Options{})
	ctx := context.Background()
	mine, err := srv.SeedImage("mine")
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := srv.SeedImage("theirs")
	if err != nil {
		t.Fatal(err)
	}
	hostID, err := srv.SeedHost("cas-host", theirs, "02:00:00:00:0c:01")
	if err != nil {
		t.Fatal(err)
	}
	srv.ResetCounters()

	// Someone else's image: left alone.
	before, after, err := c.AssignImageIf(ctx, hostID, 0, func(cur *Host) bool { return cur.ImageID == mine })
	if err != nil || after != nil || before == nil || before.ImageID != theirs {
		t.Fatalf("refused unassign: before %+v after %+v err %v", before, after, err)
	}
	if got := srv.Count("PUT /fog/host/{id}"); got != 0 {
		t.Errorf("refused unassign sent %d PUTs", got)
	}

	// Assigned: one read, one write.
	srv.ResetCounters()
	before, after, err = c.AssignImageIf(ctx, hostID, mine, func(*Host) bool { return true })
	if err != nil || before.ImageID != theirs || after == nil || after.ImageID != mine {
		t.Fatalf("assign: before %+v after %+v err %v", before, after, err)
	}
	// The read is a filtered list {"id":[...]} (ReadHost).
	if g, p := srv.Count("GET /fog/host/{id}")+srv.Count("GET /fog/host"), srv.Count("PUT /fog/host/{id}"); g != 1 || p != 1 {
		t.Errorf("assign sent %d GETs and %d PUTs, want 1 and 1", g, p)
	}

	// A missing host: not found, nothing written.
	if before, after, err = c.AssignImageIf(ctx, 999, mine, func(*Host) bool { return true }); !errors.Is(err, ErrNotFound) || before != nil || after != nil {
		t.Fatalf("missing host: %+v %+v %v", before, after, err)
	}
}
