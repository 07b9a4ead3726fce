// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

// Writes whose answer was lost (lostwrites.go): against the emulator for each
// write and each way an answer can be lost, and against a fake server for the
// branches the emulator cannot reach on its own (a late "Already created",
// a look that fails, a write that never lands).

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fogproject/terraform-provider-fog/internal/fogtest"
)

// lostAnswers are the ways the emulator can lose the answer to a write:
// applied says whether the write took effect.
var lostAnswers = []struct {
	name    string
	rule    fogtest.FaultRule
	applied bool
}{
	{"reset after the write was applied", fogtest.FaultRule{Kind: fogtest.FaultResetAfter}, true},
	{"reset before the write reached PHP", fogtest.FaultRule{Kind: fogtest.FaultResetBefore}, false},
	{"502 from a proxy", fogtest.FaultRule{Kind: fogtest.FaultStatus, Status: 502}, false},
	{"503 from a proxy", fogtest.FaultRule{Kind: fogtest.FaultStatus, Status: 503}, false},
	{"504 from a proxy", fogtest.FaultRule{Kind: fogtest.FaultStatus, Status: 504}, false},
}

// loseNext makes the emulator lose the answer to the next request of route.
func loseNext(srv *fogtest.Server, method, route string, rule fogtest.FaultRule) {
	rule.Method, rule.Route, rule.Times = method, route, 1
	srv.AddFault(rule)
}

// wantSends checks how often a write was sent: once when it was applied
// (the look found it), twice when it was not (sent again after the look).
func wantSends(t *testing.T, srv *fogtest.Server, key string, applied bool) {
	t.Helper()
	want := int64(2)
	if applied {
		want = 1
	}
	if got := srv.Count(key); got != want {
		t.Errorf("%s sent %d times, want %d", key, got, want)
	}
}

func TestLostAnswerToImageWrites(t *testing.T) {
	ctx := context.Background()
	for _, lost := range lostAnswers {
		t.Run(lost.name, func(t *testing.T) {
			srv, c := newEmulator(t, fogtest.Options{})

			loseNext(srv, "POST", "/fog/image", lost.rule)
			in := ImageCreate{Name: "Lost Create", Path: "lost-create", Description: "a  b ", ImageTypeID: 1,
				ImagePartitionTypeID: 1, OSID: 9, Enabled: true, Replicate: true, Format: "5", Compress: 6}
			img, err := c.CreateImage(ctx, in)
			if err != nil {
				t.Fatalf("create: %v", err)
			}
			wantSends(t, srv, "POST /fog/image", lost.applied)
			if ids := srv.IDs("image"); len(ids) != 1 || ids[0] != img.ID {
				t.Fatalf("images on the server %v, created %d", ids, img.ID)
			}

			loseNext(srv, "PUT", "/fog/image/{id}", lost.rule)
			name, desc := "Lost Rename", "changed & kept"
			img, err = c.UpdateImage(ctx, img.ID, ImageUpdate{Name: &name, Description: &desc})
			if err != nil {
				t.Fatalf("update: %v", err)
			}
			wantSends(t, srv, "PUT /fog/image/{id}", lost.applied)
			if img.Name != name || img.Description != desc || raw(t, srv, "image", img.ID, "description") != desc {
				t.Errorf("after the update: %+v, stored description %q", img, raw(t, srv, "image", img.ID, "description"))
			}

			loseNext(srv, "DELETE", "/fog/image/{id}", lost.rule)
			if err := c.DeleteImage(ctx, img.ID); err != nil {
				t.Fatalf("delete: %v", err)
			}
			wantSends(t, srv, "DELETE /fog/image/{id}", lost.applied)
			if ids := srv.IDs("image"); len(ids) != 0 {
				t.Errorf("images left: %v", ids)
			}
		})
	}
}

func TestLostAnswerToHostWrites(t *testing.T) {
	ctx := context.Background()
	for _, lost := range lostAnswers {
		t.Run(lost.name, func(t *testing.T) {
			srv, c := newEmulator(t, fogtest.Options{})
			imageID, err := srv.SeedImage("deploy-img")
			if err != nil {
				t.Fatal(err)
			}

			loseNext(srv, "POST", "/fog/host", lost.rule)
			h, err := c.CreateHost(ctx, HostCreate{Name: "lost-host", MACs: []string{"02:00:00:00:00:01", "02:00:00:00:00:02"}})
			if err != nil {
				t.Fatalf("create: %v", err)
			}
			wantSends(t, srv, "POST /fog/host", lost.applied)
			if ids := srv.IDs("host"); len(ids) != 1 || ids[0] != h.ID {
				t.Fatalf("hosts on the server %v, created %d", ids, h.ID)
			}
			if n := len(srv.IDs("macaddressassociation")); n != 2 {
				t.Errorf("%d MAC rows, want 2", n)
			}

			loseNext(srv, "PUT", "/fog/host/{id}", lost.rule)
			h, err = c.AssignImage(ctx, h.ID, imageID)
			if err != nil {
				t.Fatalf("assign: %v", err)
			}
			wantSends(t, srv, "PUT /fog/host/{id}", lost.applied)
			if h.ImageID != imageID {
				t.Errorf("image %d, want %d", h.ImageID, imageID)
			}

			loseNext(srv, "DELETE", "/fog/host/{id}", lost.rule)
			if err := c.DeleteHost(ctx, h.ID); err != nil {
				t.Fatalf("delete: %v", err)
			}
			wantSends(t, srv, "DELETE /fog/host/{id}", lost.applied)
			if ids := srv.IDs("host"); len(ids) != 0 {
				t.Errorf("hosts left: %v", ids)
			}
		})
	}
}

func TestLostAnswerToTaskWrites(t *testing.T) {
	ctx := context.Background()
	for _, lost := range lostAnswers {
		t.Run(lost.name, func(t *testing.T) {
			srv, c := newEmulator(t, fogtest.Options{})
			imageID, err := srv.SeedImage("deploy-img")
			if err != nil {
				t.Fatal(err)
			}
			hostID, err := srv.SeedHost("deploy-host", imageID, "02:00:00:00:01:01")
			if err != nil {
				t.Fatal(err)
			}

			loseNext(srv, "POST", "/fog/host/{id}/task", lost.rule)
			task, err := c.CreateHostTask(ctx, hostID, TaskCreate{TypeID: TaskTypeDeploy})
			if err != nil {
				t.Fatalf("create: %v", err)
			}
			wantSends(t, srv, "POST /fog/host/{id}/task", lost.applied)
			if ids := srv.IDs("task"); len(ids) != 1 || ids[0] != task.ID {
				t.Fatalf("tasks on the server %v, created %d: never a second deploy", ids, task.ID)
			}

			loseNext(srv, "DELETE", "/fog/task/{id}/cancel", lost.rule)
			if err := c.CancelTask(ctx, task.ID); err != nil {
				t.Fatalf("cancel: %v", err)
			}
			wantSends(t, srv, "DELETE /fog/task/{id}/cancel", lost.applied)
			if got, _ := srv.RawField("task", task.ID, "stateID"); got != "5" {
				t.Errorf("task state %s, want 5 (cancelled)", got)
			}
			if n := srv.Count("DELETE /fog/task/cancel"); n != 0 {
				t.Errorf("sent the id-less cancel %d times", n)
			}
		})
	}
}

// Two clients (two Terraform runs, or Terraform and a script) create the same
// image name at the same instant, and both pass FOG's duplicate check: FOG
// answers both with the same row, holding whichever values were written
// last (edge recordings E). The client whose values were overwritten must
// not believe it created its image.
func TestRacedCreatesNeverBothSucceed(t *testing.T) {
	ctx := context.Background()
	srv, a := newEmulator(t, fogtest.Options{})
	b := newClientFor(t, a)
	srv.RaceNextCreates(2)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	imgs := make([]*Image, 2)
	for i, c := range []*Client{a, b} {
		wg.Add(1)
		go func(i int, c *Client) {
			defer wg.Done()
			imgs[i], errs[i] = c.CreateImage(ctx, ImageCreate{Name: "race", Path: fmt.Sprintf("race-%d", i), ImageTypeID: 1, OSID: 9, Enabled: true})
		}(i, c)
	}
	wg.Wait()
	won, lost := -1, -1
	for i, err := range errs {
		var existing *ExistingObjectError
		switch {
		case err == nil:
			won = i
		case errors.As(err, &existing) && existing.Raced && errors.Is(err, ErrAlreadyExists):
			lost = i
			if !strings.Contains(err.Error(), "path") || !strings.Contains(err.Error(), fmt.Sprintf(`sent "race-%d"`, i)) {
				t.Errorf("the error does not say what differs: %v", err)
			}
		default:
			t.Errorf("client %d: %v", i, err)
		}
	}
	if won < 0 || lost < 0 {
		t.Fatalf("want one success and one refusal, got %v", errs)
	}
	if ids := srv.IDs("image"); len(ids) != 1 {
		t.Fatalf("images %v", ids)
	}
	if got := raw(t, srv, "image", imgs[won].ID, "path"); got != fmt.Sprintf("race-%d", won) {
		t.Errorf("the server holds path %q, but client %d was told it created race-%d", got, won, won)
	}
}

// newClientFor is a second, independent client (no shared locks) for the
// server a talks to.
func newClientFor(t *testing.T, a *Client) *Client {
	t.Helper()
	cfg := DefaultConfig()
	cfg.ServerURL = strings.TrimSuffix(a.BaseURL(), "/fog")
	cfg.APIToken, cfg.UserToken = a.apiToken, a.userToken
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// ---- fake server: the branches the emulator does not reach ------------------------------

func minimalImage() ImageCreate {
	return ImageCreate{Name: "img-minimal", Path: "img-minimal", ImageTypeID: 1, OSID: 9}
}

// An image of that name that does not match what was sent is not adopted:
// the error names it (for terraform import) and nothing is sent again.
func TestLostCreateFindsADifferentImage(t *testing.T) {
	f := newFake(t)
	f.on("POST", "/fog/image/create", func(w http.ResponseWriter, _ *http.Request, _ []byte) { hangUp(t, w) })
	f.json("/fog/image", `{"count":1,"images":[{"id":7,"name":"img-minimal","path":"someone-elses","imageTypeID":1,"osID":9,"isEnabled":"0","toReplicate":"0","format":"","compress":0}]}`)
	_, err := newTestClient(t, f.srv.URL, noKeepAlive).CreateImage(context.Background(), minimalImage())
	var existing *ExistingObjectError
	if !errors.As(err, &existing) || existing.ID != 7 || existing.Raced || !errors.Is(err, ErrAlreadyExists) || !errors.Is(err, ErrNoResponse) {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(err.Error(), `path "someone-elses" (sent "img-minimal")`) {
		t.Errorf("differences not named: %v", err)
	}
	assertLines(t, f.requestLines(), []string{
		`POST /fog/image/create {"compress":0,"description":"","format":"","imagePartitionTypeID":0,"imageTypeID":1,"isEnabled":"0","name":"img-minimal","osID":9,"path":"img-minimal","protected":0,"toReplicate":"0"}`,
		`GET /fog/image {"name":"img-minimal"}`,
	})
}

// FOG keeps running a request whose client went away: the look finds
// nothing, the create is sent again and FOG says "Already created" because
// the first one has landed meanwhile. The client looks once more and adopts it.
func TestLostCreateLandsLate(t *testing.T) {
	f := newFake(t)
	var posts, looks atomic.Int32
	var sent []byte
	f.on("POST", "/fog/image/create", func(w http.ResponseWriter, _ *http.Request, body []byte) {
		if posts.Add(1) == 1 {
			sent = body
			hangUp(t, w)
			return
		}
		loadRecording(t, "042-image-create-duplicate-name").write(w)
	})
	f.on("GET", "/fog/image", func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		if looks.Add(1) == 1 {
			writeJSON(w, 200, `{"count":0,"images":[]}`)
			return
		}
		writeJSON(w, 200, `{"count":1,"images":[`+echoImageJSON(t, 12, sent)+`]}`)
	})
	img, err := newTestClient(t, f.srv.URL, noKeepAlive).CreateImage(context.Background(), minimalImage())
	if err != nil || img.ID != 12 {
		t.Fatalf("img %+v, err %v", img, err)
	}
	if posts.Load() != 2 || looks.Load() != 2 {
		t.Errorf("%d creates and %d looks, want 2 and 2", posts.Load(), looks.Load())
	}
}

// A look that fails leaves the outcome open: ErrOutcomeUnknown, naming the
// write's route, and the write is not sent again.
func TestLostCreateWhenTheLookFails(t *testing.T) {
	f := newFake(t)
	var posts atomic.Int32
	f.on("POST", "/fog/image/create", func(w http.ResponseWriter, r *http.Request, b []byte) {
		posts.Add(1)
		status(http.StatusBadGateway)(w, r, b)
	})
	f.on("GET", "/fog/image", status(http.StatusServiceUnavailable))
	_, err := newTestClient(t, f.srv.URL).CreateImage(context.Background(), minimalImage())
	var fe *Error
	if !errors.Is(err, ErrOutcomeUnknown) || !errors.As(err, &fe) || fe.Method != "POST" || fe.Route != "/fog/image/create" || fe.Status != 502 {
		t.Fatalf("err = %v (%+v)", err, fe)
	}
	if !strings.Contains(err.Error(), "GET /fog/image") {
		t.Errorf("the failed look is not named: %v", err)
	}
	if posts.Load() != 1 {
		t.Errorf("create sent %d times, want once", posts.Load())
	}
	assertNoSecrets(t, err.Error())
}

// A write that never lands is sent at most 1+MaxRetries times.
func TestLostCreateGivesUp(t *testing.T) {
	f := newFake(t)
	var posts atomic.Int32
	f.on("POST", "/fog/image/create", func(w http.ResponseWriter, r *http.Request, b []byte) {
		posts.Add(1)
		status(http.StatusServiceUnavailable)(w, r, b)
	})
	f.json("/fog/image", `{"count":0,"images":[]}`)
	_, err := newTestClient(t, f.srv.URL, func(cfg *Config) { cfg.MaxRetries = 2 }).CreateImage(context.Background(), minimalImage())
	if !errors.Is(err, ErrOutcomeUnknown) || !strings.Contains(err.Error(), "still not there after 3 attempts") {
		t.Fatalf("err = %v", err)
	}
	if posts.Load() != 3 {
		t.Errorf("create sent %d times, want 3 (max_retries = 2)", posts.Load())
	}
}

// A request cancelled by the caller after it was sent cannot be settled:
// the outcome is unknown, not "failed".
func TestCancelledWriteIsOutcomeUnknown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	f := newFake(t)
	f.on("DELETE", "/fog/image/3", func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		cancel()
		hangUp(t, w)
	})
	err := newTestClient(t, f.srv.URL, noKeepAlive).DeleteImage(ctx, 3)
	if !errors.Is(err, ErrOutcomeUnknown) || !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	assertLines(t, f.requestLines(), []string{`DELETE /fog/image/3`})
}

// A lost delete of an object that still exists is sent again; a 404 to that
// second delete means the first one did it after all.
func TestLostDeleteSentAgain(t *testing.T) {
	f := newFake(t)
	var deletes atomic.Int32
	f.on("DELETE", "/fog/image/3", func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		if deletes.Add(1) == 1 {
			hangUp(t, w)
			return
		}
		loadRecording(t, "060-image-get-missing-999999").write(w)
	})
	f.replay("GET", "/fog/image/3", loadRecording(t, "057-image-get-by-id"))
	if err := newTestClient(t, f.srv.URL, noKeepAlive).DeleteImage(context.Background(), 3); err != nil {
		t.Fatal(err)
	}
	assertLines(t, f.requestLines(), []string{`DELETE /fog/image/3`, `GET /fog/image/3`, `DELETE /fog/image/3`})
}

// A lost update is read back; once the change is there nothing more is
// sent, and a rename that landed is not sent again (FOG would answer
// "Already created" to a mixed-case name it already has).
func TestLostUpdateThatLanded(t *testing.T) {
	srv, c := newEmulator(t, fogtest.Options{})
	id, err := srv.SeedImage("before")
	if err != nil {
		t.Fatal(err)
	}
	loseNext(srv, "PUT", "/fog/image/{id}", fogtest.FaultRule{Kind: fogtest.FaultResetAfter})
	name := "After-Rename"
	img, err := c.UpdateImage(context.Background(), id, ImageUpdate{Name: &name})
	if err != nil || img.Name != name {
		t.Fatalf("%+v %v", img, err)
	}
	if n := srv.Count("PUT /fog/image/{id}"); n != 1 {
		t.Errorf("PUT sent %d times", n)
	}
	if n := srv.Count("GET /fog/image/{id}"); n != 2 {
		t.Errorf("image read %d times, want 2 (before the update and after the lost answer)", n)
	}
}

// A lost task request whose task is found is not sent again; when FOG then
// refuses a second imaging task because the first request landed late, the
// client adopts the task instead of failing.
func TestLostTaskRequestLandsLate(t *testing.T) {
	active := loadRecording(t, "180-task-active-after-capture").ResponseBody
	f := newFake(t)
	var posts, looks atomic.Int32
	f.on("POST", "/fog/host/1/task", func(w http.ResponseWriter, r *http.Request, b []byte) {
		if posts.Add(1) == 1 {
			status(http.StatusGatewayTimeout)(w, r, b)
			return
		}
		loadRecording(t, "169-host-task-second-while-active").write(w)
	})
	f.on("GET", "/fog/task/active", func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		if looks.Add(1) <= 2 { // before the request, and the first look
			writeJSON(w, 200, noActiveTasks)
			return
		}
		writeJSON(w, 200, active)
	})
	task, err := newTestClient(t, f.srv.URL).CreateHostTask(context.Background(), 1, TaskCreate{TypeID: TaskTypeDeploy})
	if err != nil || task == nil || task.ID != 1 {
		t.Fatalf("task %+v, err %v", task, err)
	}
	if posts.Load() != 2 {
		t.Errorf("task request sent %d times, want 2", posts.Load())
	}
}

// A Wake-Up leaves no task row to find. It is sent again only while the host
// has no active task (which FOG would cancel and replace).
func TestLostWakeUp(t *testing.T) {
	for name, tc := range map[string]struct {
		active    string
		wantPosts int32
		wantErr   error
	}{
		"no active task: sent again":     {noActiveTasks, 2, nil},
		"an active task: not sent again": {loadRecording(t, "171-task-active-one").ResponseBody, 1, ErrOutcomeUnknown},
	} {
		t.Run(name, func(t *testing.T) {
			f := newFake(t)
			var posts atomic.Int32
			f.on("POST", "/fog/host/1/task", func(w http.ResponseWriter, r *http.Request, b []byte) {
				if posts.Add(1) == 1 {
					hangUp(t, w)
					return
				}
				loadRecording(t, "190-host-task-type14-wakeup-no-wol").write(w)
			})
			f.json("/fog/task/active", tc.active)
			_, err := newTestClient(t, f.srv.URL, noKeepAlive).CreateHostTask(context.Background(), 1, TaskCreate{TypeID: TaskTypeWakeUp, WOL: true})
			if !errors.Is(err, tc.wantErr) || (tc.wantErr == nil && err != nil) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if posts.Load() != tc.wantPosts {
				t.Errorf("Wake-Up sent %d times, want %d", posts.Load(), tc.wantPosts)
			}
		})
	}
}

// A lost cancel is sent again only after the task was seen active again,
// always with its scoping body; a task that is no longer active means done.
func TestLostCancel(t *testing.T) {
	two := loadRecording(t, "322-a-task-active-two-queued").ResponseBody
	for name, tc := range map[string]struct {
		activeAfterLoss string
		want            []string
	}{
		"cancelled meanwhile": {noActiveTasks, []string{
			`GET /fog/task/active {"id":1}`, `DELETE /fog/task/1/cancel {"id":1}`, `GET /fog/task/active {"id":1}`,
		}},
		"still active": {two, []string{
			`GET /fog/task/active {"id":1}`, `DELETE /fog/task/1/cancel {"id":1}`, `GET /fog/task/active {"id":1}`,
			`DELETE /fog/task/1/cancel {"id":1}`,
		}},
	} {
		t.Run(name, func(t *testing.T) {
			f := newFake(t)
			var looks, cancels atomic.Int32
			f.on("GET", "/fog/task/active", func(w http.ResponseWriter, _ *http.Request, _ []byte) {
				if looks.Add(1) == 1 {
					writeJSON(w, 200, two)
					return
				}
				writeJSON(w, 200, tc.activeAfterLoss)
			})
			f.on("DELETE", "/fog/task/1/cancel", func(w http.ResponseWriter, _ *http.Request, _ []byte) {
				if cancels.Add(1) == 1 {
					hangUp(t, w)
					return
				}
				loadRecording(t, "325-a-task-cancel-real-id-body-same-id").write(w)
			})
			if err := newTestClient(t, f.srv.URL, noKeepAlive).CancelTask(context.Background(), 1); err != nil {
				t.Fatal(err)
			}
			assertLines(t, f.requestLines(), tc.want)
		})
	}
}

func TestAnswerLost(t *testing.T) {
	dial := fmt.Errorf("sending: %w", &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")})
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{&Error{Kind: ErrNoResponse, Method: "POST", Err: errors.New("connection reset by peer")}, true},
		{&Error{Kind: ErrNoResponse, Method: "POST", Err: dial}, false},
		{&Error{Kind: ErrUnavailable, Method: "PUT", Status: 504}, true},
		{&Error{Kind: context.DeadlineExceeded, Method: "DELETE"}, true},
		{&Error{Kind: ErrNoResponse, Method: "GET", Err: errors.New("connection reset by peer")}, false},
		{&Error{Kind: ErrServerFatal, Method: "POST", Status: 500}, false},
		{&Error{Kind: ErrAlreadyExists, Method: "POST", Status: 500}, false},
		{&Error{Kind: ErrAPIDisabled, Method: "POST", Status: 302}, false},
		{errors.New("not a client error"), false},
	} {
		if got := answerLost(tc.err); got != tc.want {
			t.Errorf("answerLost(%v) = %t, want %t", tc.err, got, tc.want)
		}
	}
}

func TestStoredText(t *testing.T) {
	for in, want := range map[string]string{
		"plain":        "plain",
		"  a  b\t":     "a b",
		"emoji 🎉 here": "emoji ???? here",
		"tab\tinside":  "tab\tinside",
	} {
		if got := storedText(in); got != want {
			t.Errorf("storedText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestExistingObjectErrorText(t *testing.T) {
	lost := &Error{Kind: ErrUnavailable, Method: "POST", Route: "/fog/image/create", Status: 503}
	e := &ExistingObjectError{Class: "image", ID: 4, Name: "win10", Differences: []Difference{{Field: "path", Have: "b", Sent: "a"}},
		Method: "POST", Route: "/fog/image/create", Cause: lost}
	want := `POST /fog/image/create: the answer was lost (POST /fog/image/create: HTTP 503: server unavailable); FOG has an image named "win10" (id 4) that differs from the one requested: path "b" (sent "a")`
	if e.Error() != want {
		t.Errorf("got  %s\nwant %s", e.Error(), want)
	}
	if !errors.Is(e, ErrAlreadyExists) || !errors.Is(e, ErrUnavailable) {
		t.Error("does not match ErrAlreadyExists and the lost answer's kind")
	}
	e.Raced, e.Cause, e.Class = true, nil, "host"
	if !strings.Contains(e.Error(), "ran at the same moment") || !strings.Contains(e.Error(), "FOG has a host named") {
		t.Errorf("raced: %s", e.Error())
	}
}

// A server restart in the middle of writes (fogtest's outage: connections
// refused, or a PHP pool answering 502/503; the write in flight applied
// and its answer cut) is ridden out within the time budget: the cut create
// is found by the look that waits for the server, the next create is sent
// when the server is back, and nothing is created twice. Without a budget
// the same restart outlasts the retries.
func TestWritesRideOutAnOutage(t *testing.T) {
	for _, outage := range []fogtest.Outage{
		{Mode: fogtest.OutageRefuse},
		{Mode: fogtest.OutageUnavailable, Status: 502},
		{Mode: fogtest.OutageUnavailable, Status: 503},
	} {
		for _, budget := range []time.Duration{time.Minute, 0} {
			t.Run(fmt.Sprintf("%s %d budget %v", outage.Mode, outage.Status, budget), func(t *testing.T) {
				srv := fogtest.New(fogtest.Options{})
				ts := httptest.NewUnstartedServer(srv)
				ts.Listener = srv.Listener(ts.Listener)
				ts.Start()
				t.Cleanup(ts.Close)
				c := newTestClient(t, ts.URL, withBudget(budget), func(cfg *Config) {
					cfg.APIToken, cfg.UserToken, cfg.Username, cfg.Password = srv.APITokenHeader(), srv.UserTokenHeader(), "", ""
				})
				outage.AfterWrites, outage.For = 1, fogtest.Duration(200*time.Millisecond)
				srv.StartOutage(outage)
				ctx := context.Background()
				a := minimalImage()
				a.Name, a.Path = "cut", "cut"
				img, err := c.CreateImage(ctx, a)
				if budget == 0 {
					if !errors.Is(err, ErrOutcomeUnknown) {
						t.Fatalf("without a budget: err = %v, want an unknown outcome", err)
					}
					return
				}
				if err != nil {
					t.Fatalf("the cut create: %v", err)
				}
				b := minimalImage()
				b.Name, b.Path = "after", "after"
				if _, err := c.CreateImage(ctx, b); err != nil {
					t.Fatalf("the create after: %v", err)
				}
				if st := srv.OutageStats(); st.Cut != 1 || st.Windows != 1 {
					t.Errorf("outage %+v", st)
				}
				if ids := srv.IDs("image"); len(ids) != 2 || ids[0] != img.ID {
					t.Errorf("images %v, the cut create adopted %d", ids, img.ID)
				}
			})
		}
	}
}

// The look made later, by the next refresh, for a create whose outcome
// stayed unknown: an object exactly as sent is found, one that differs is
// refused with what differs, and none is nil. A task is found while it is
// active and was not before.
func TestFindCreated(t *testing.T) {
	ctx := context.Background()
	_, c := newEmulator(t, fogtest.Options{})
	in := minimalImage()
	in.Enabled = true
	if img, err := c.FindCreatedImage(ctx, in); img != nil || err != nil {
		t.Fatalf("nothing created yet: %+v, %v", img, err)
	}
	made, err := c.CreateImage(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if img, err := c.FindCreatedImage(ctx, in); err != nil || img == nil || img.ID != made.ID {
		t.Fatalf("the image as sent: %+v, %v", img, err)
	}
	other := in
	other.Path = "elsewhere"
	_, err = c.FindCreatedImage(ctx, other)
	var existing *ExistingObjectError
	if !errors.As(err, &existing) || existing.ID != made.ID || existing.Cause != nil ||
		!strings.Contains(err.Error(), `path "`+in.Path+`" (sent "elsewhere")`) || !strings.Contains(err.Error(), "earlier create") {
		t.Fatalf("an image that differs: %v", err)
	}

	host := HostCreate{Name: "made", MACs: []string{"02-00-00-00-00-AA"}, Description: "x"}
	if h, err := c.FindCreatedHost(ctx, host); h != nil || err != nil {
		t.Fatalf("no host yet: %+v, %v", h, err)
	}
	h, err := c.CreateHost(ctx, host)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := c.FindCreatedHost(ctx, host); err != nil || got == nil || got.ID != h.ID {
		t.Fatalf("the host as sent: %+v, %v", got, err)
	}
	moved := host
	moved.MACs = []string{"02:00:00:00:00:bb"}
	if _, err := c.FindCreatedHost(ctx, moved); !errors.As(err, &existing) || existing.ID != h.ID {
		t.Fatalf("a host with another primary MAC: %v", err)
	}

	if _, err := c.AssignImage(ctx, h.ID, made.ID); err != nil {
		t.Fatal(err)
	}
	task, err := c.CreateHostTask(ctx, h.ID, TaskCreate{TypeID: TaskTypeDeploy})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := c.FindCreatedTask(ctx, h.ID, TaskTypeDeploy, nil); err != nil || got == nil || got.ID != task.ID {
		t.Fatalf("the task: %+v, %v", got, err)
	}
	if got, err := c.FindCreatedTask(ctx, h.ID, TaskTypeDeploy, []int64{task.ID}); err != nil || got != nil {
		t.Fatalf("a task active before: %+v, %v", got, err)
	}
	if err := c.CancelTask(ctx, task.ID); err != nil {
		t.Fatal(err)
	}
	if got, err := c.FindCreatedTask(ctx, h.ID, TaskTypeDeploy, nil); err != nil || got != nil {
		t.Fatalf("a task no longer active: %+v, %v", got, err)
	}
}
