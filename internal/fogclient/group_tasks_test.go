// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/fogproject/terraform-provider-fog/internal/fogtest"
)

// groupFixture is a group of n hosts, host i with images[i%len(images)].
type groupFixture struct {
	srv    *fogtest.Server
	c      *Client
	group  *Group
	hosts  []int64
	images []int64
}

func newGroupFixture(t *testing.T, n int, imagesPerHost ...int) *groupFixture {
	t.Helper()
	ctx := context.Background()
	srv, c := newEmulator(t, fogtest.Options{})
	fx := &groupFixture{srv: srv, c: c}
	if len(imagesPerHost) == 0 {
		imagesPerHost = []int{1}
	}
	imgs := map[int]int64{}
	for _, k := range imagesPerHost {
		if k == 0 || imgs[k] != 0 {
			continue
		}
		id, err := srv.SeedImage(fmt.Sprintf("img-%d", k))
		if err != nil {
			t.Fatal(err)
		}
		imgs[k] = id
		fx.images = append(fx.images, id)
	}
	g, err := c.CreateGroup(ctx, GroupCreate{Name: "lab"})
	if err != nil {
		t.Fatal(err)
	}
	fx.group = g
	for i := 0; i < n; i++ {
		id, err := srv.SeedHost(fmt.Sprintf("pc%02d", i), imgs[imagesPerHost[i%len(imagesPerHost)]], fmt.Sprintf("02:00:00:00:%02x:%02x", i/256, i%256))
		if err != nil {
			t.Fatal(err)
		}
		fx.hosts = append(fx.hosts, id)
	}
	if _, err := c.SetGroupMembers(ctx, g.ID, fx.hosts); err != nil {
		t.Fatal(err)
	}
	return fx
}

func TestGroupDeploy(t *testing.T) {
	ctx := context.Background()
	fx := newGroupFixture(t, 30)
	fx.srv.ResetCounters()
	var seen GroupTaskCheck
	chk, res, err := fx.c.CreateGroupTaskIf(ctx, fx.group.ID, TaskCreate{TypeID: TaskTypeDeploy}, func(c GroupTaskCheck) bool {
		seen = c
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen.Members) != 30 || len(chk.Active) != 0 || len(seen.Images) != 1 {
		t.Errorf("check: %d members, %d active, %d images", len(seen.Members), len(chk.Active), len(seen.Images))
	}
	if len(res.Tasks) != 30 || res.Session != nil {
		t.Fatalf("created %d tasks, session %v", len(res.Tasks), res.Session)
	}
	for _, task := range res.Tasks {
		if task.Name != "- lab" || task.ImageID != fx.images[0] || task.StateID != TaskStateQueued {
			t.Errorf("task %+v", task)
		}
	}
	if n := fx.srv.Count("POST /fog/group/{id}/task"); n != 1 {
		t.Errorf("%d task POSTs", n)
	}
	// group, members, hosts, images, active before, POST, active after.
	if n := fx.srv.TotalRequests(); n != 7 {
		t.Errorf("%d requests, want 7: %v", n, fx.srv.Counters())
	}
}

// The checks a caller skips are the ones FOG's bugs punish: the client
// finds what FOG wrote, sees it is wrong, and cancels it.
func TestGroupTaskVerifiesWhatFOGCreated(t *testing.T) {
	ctx := context.Background()
	yes := func(GroupTaskCheck) bool { return true }

	t.Run("busy member: phantom task and a task without image", func(t *testing.T) {
		fx := newGroupFixture(t, 2)
		busy, err := fx.c.CreateHostTask(ctx, fx.hosts[0], TaskCreate{TypeID: TaskTypeDeploy})
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = fx.c.CreateGroupTaskIf(ctx, fx.group.ID, TaskCreate{TypeID: TaskTypeDeploy}, yes)
		var gte *GroupTaskError
		if !errors.As(err, &gte) {
			t.Fatalf("err %v, want a GroupTaskError", err)
		}
		if len(gte.Created) == 0 || gte.CancelErr != nil || len(gte.Cancelled) != len(gte.Created) {
			t.Errorf("created %v, cancelled %v, %v", gte.Created, gte.Cancelled, gte.CancelErr)
		}
		active, _ := fx.c.ActiveTasks(ctx)
		if len(active) != 1 || active[0].ID != busy.ID {
			t.Errorf("active tasks %+v, want only the busy host's own", active)
		}
	})

	t.Run("deploy with mixed images", func(t *testing.T) {
		fx := newGroupFixture(t, 2, 2, 1)
		// Membership order other than the host names' order makes FOG hand
		// each member the other's image (recording 580).
		if _, err := fx.c.SetGroupMembers(ctx, fx.group.ID, nil); err != nil {
			t.Fatal(err)
		}
		for _, h := range []int64{fx.hosts[1], fx.hosts[0]} {
			if _, err := fx.c.AddGroupMember(ctx, fx.group.ID, h); err != nil {
				t.Fatal(err)
			}
		}
		_, _, err := fx.c.CreateGroupTaskIf(ctx, fx.group.ID, TaskCreate{TypeID: TaskTypeDeploy}, yes)
		var gte *GroupTaskError
		if !errors.As(err, &gte) || len(gte.Cancelled) != 2 {
			t.Fatalf("err %v", err)
		}
		if active, _ := fx.c.ActiveTasks(ctx); len(active) != 0 {
			t.Errorf("still active: %+v", active)
		}
	})

	t.Run("multicast with mixed images", func(t *testing.T) {
		fx := newGroupFixture(t, 2, 1, 2)
		_, _, err := fx.c.CreateGroupTaskIf(ctx, fx.group.ID, TaskCreate{TypeID: TaskTypeMulticast}, yes)
		var gte *GroupTaskError
		if !errors.As(err, &gte) || gte.SessionID == 0 {
			t.Fatalf("err %v", err)
		}
		if s, _ := fx.c.ActiveMulticastSessions(ctx); len(s) != 0 {
			t.Errorf("sessions still active: %+v", s)
		}
		if active, _ := fx.c.ActiveTasks(ctx); len(active) != 0 {
			t.Errorf("still active: %+v", active)
		}
	})

	t.Run("multicast whose session cancel fails", func(t *testing.T) {
		fx := newGroupFixture(t, 2, 1, 2)
		// FOG fails the session's cancel (a PHP fatal): the error says so,
		// the member tasks are still cancelled one by one.
		fx.srv.AddFault(fogtest.FaultRule{Method: "DELETE", Route: "/fog/multicastsession/{id}/cancel", Kind: fogtest.FaultFatal})
		_, _, err := fx.c.CreateGroupTaskIf(ctx, fx.group.ID, TaskCreate{TypeID: TaskTypeMulticast}, yes)
		var gte *GroupTaskError
		if !errors.As(err, &gte) || gte.SessionID == 0 {
			t.Fatalf("err %v", err)
		}
		if gte.CancelErr == nil {
			t.Errorf("the session's failed cancel is not reported (cancelled %v)", gte.Cancelled)
		}
		if len(gte.Cancelled) != len(gte.Created) {
			t.Errorf("created %v, cancelled %v", gte.Created, gte.Cancelled)
		}
	})
}

func TestGroupMulticast(t *testing.T) {
	ctx := context.Background()
	fx := newGroupFixture(t, 3)
	_, res, err := fx.c.CreateGroupTaskIf(ctx, fx.group.ID, TaskCreate{TypeID: TaskTypeMulticast}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Tasks) != 3 || res.Session == nil {
		t.Fatalf("result %+v", res)
	}
	linked, err := fx.c.MulticastSessionTaskIDs(ctx, res.Session.ID)
	if err != nil || !sameIDs(linked, taskIDs(res.Tasks)) {
		t.Errorf("linked %v %v", linked, err)
	}
	if err := fx.c.CancelMulticastSession(ctx, res.Session.ID); err != nil {
		t.Fatal(err)
	}
	if err := fx.c.CancelMulticastSession(ctx, res.Session.ID); !errors.Is(err, ErrTaskNotActive) {
		t.Errorf("second cancel: %v", err)
	}
	tasks, err := fx.c.ListTasksByID(ctx, taskIDs(res.Tasks))
	if err != nil || len(tasks) != 3 {
		t.Fatalf("tasks %v %v", tasks, err)
	}
	for _, task := range tasks {
		if task.StateID != TaskStateCancelled {
			t.Errorf("task %d state %d", task.ID, task.StateID)
		}
	}
}

func TestGroupTaskRefusedTypes(t *testing.T) {
	ctx := context.Background()
	fx := newGroupFixture(t, 2)
	fx.srv.ResetCounters()
	for _, in := range []TaskCreate{
		{TypeID: TaskTypeCapture}, {TypeID: TaskTypeCaptureDebug}, {TypeID: TaskTypeAllSnapins}, {TypeID: TaskTypeSingleSnapin},
		{TypeID: TaskTypeWakeUp}, {TypeID: TaskTypeDeploy, DeploySnapins: true},
	} {
		if _, _, err := fx.c.CreateGroupTaskIf(ctx, fx.group.ID, in, nil); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%+v: %v", in, err)
		}
	}
	if n := fx.srv.TotalRequests(); n != 0 {
		t.Errorf("%d requests", n)
	}
	if _, res, err := fx.c.CreateGroupTaskIf(ctx, fx.group.ID, TaskCreate{TypeID: TaskTypeWakeUp, WOL: true}, nil); err != nil || len(res.Tasks) != 0 {
		t.Errorf("wake-up with wol: %v %+v", err, res)
	}
}

func TestGroupTaskDecideNoSendsNothing(t *testing.T) {
	ctx := context.Background()
	fx := newGroupFixture(t, 2)
	_, res, err := fx.c.CreateGroupTaskIf(ctx, fx.group.ID, TaskCreate{TypeID: TaskTypeDeploy}, func(GroupTaskCheck) bool { return false })
	if err != nil || res != nil {
		t.Fatalf("%v %+v", err, res)
	}
	if n := fx.srv.Count("POST /fog/group/{id}/task"); n != 0 {
		t.Errorf("%d POSTs", n)
	}
}

func TestLostAnswerToGroupTask(t *testing.T) {
	ctx := context.Background()
	for _, lost := range lostAnswers {
		t.Run(lost.name, func(t *testing.T) {
			fx := newGroupFixture(t, 3)
			loseNext(fx.srv, "POST", "/fog/group/{id}/task", lost.rule)
			_, res, err := fx.c.CreateGroupTaskIf(ctx, fx.group.ID, TaskCreate{TypeID: TaskTypeDeploy}, nil)
			if err != nil {
				t.Fatal(err)
			}
			wantSends(t, fx.srv, "POST /fog/group/{id}/task", lost.applied)
			if len(res.Tasks) != 3 || len(fx.srv.IDs("task")) != 3 {
				t.Errorf("tasks %d, on the server %v", len(res.Tasks), fx.srv.IDs("task"))
			}
		})
	}
}

// A host task for a member waits for the group task's locks, so it sees the
// member busy and cannot slip in between the check and the request.
func TestGroupTaskHoldsMemberLocks(t *testing.T) {
	ctx := context.Background()
	fx := newGroupFixture(t, 2)
	inDecide := make(chan struct{})
	release := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		_, _, err := fx.c.CreateGroupTaskIf(ctx, fx.group.ID, TaskCreate{TypeID: TaskTypeDeploy}, func(GroupTaskCheck) bool {
			close(inDecide)
			<-release
			return true
		})
		if err != nil {
			t.Error(err)
		}
	}()
	<-inDecide
	var hostActive []Task
	hostDecided := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		hostActive, _, _ = fx.c.CreateHostTaskIf(ctx, fx.hosts[1], TaskCreate{TypeID: TaskTypeDeploy}, func([]Task) bool {
			close(hostDecided)
			return false
		})
	}()
	// Wait until the host task either waits for the member's lock or has
	// decided without it (the failure this test is for).
	key := hostTaskLockKey(fx.hosts[1])
	for waiting := false; !waiting; {
		select {
		case <-hostDecided:
			t.Fatal("the host task ran while the group task held the member's lock")
		default:
		}
		fx.c.locks.mu.Lock()
		waiting = fx.c.locks.locks[key] != nil && fx.c.locks.locks[key].refs == 2
		fx.c.locks.mu.Unlock()
		runtime.Gosched()
	}
	close(release)
	wg.Wait()
	<-done
	if !slices.ContainsFunc(hostActive, func(t Task) bool { return t.Name == "- lab" }) {
		t.Errorf("the host task saw %+v, want the group's task", hostActive)
	}
}

func TestCronProblems(t *testing.T) {
	ok := [][5]string{
		{"0", "2", "*", "*", "*"}, {"*/15", "8-17", "*", "*", "1-5"}, {"0", "0", "29", "2", "*"},
		{"5", "4", "31", "1,4", "*"}, {"0", "0", "*", "*", "0"}, {"0", "0", "30", "2", "1"}, {"1,2,*/20", "*", "*/31", "*/12", "*/7"},
	}
	for _, f := range ok {
		if p := CronProblems(f); len(p) != 0 {
			t.Errorf("%q: %v", f, p)
		}
	}
	bad := map[[5]string]string{
		{"", "2", "*", "*", "*"}:          "is empty",
		{"0", "2", "*", "*", " "}:         "contains whitespace",
		{"61", "2", "*", "*", "*"}:        "outside 0-59",
		{"0", "24", "*", "*", "*"}:        "outside 0-23",
		{"abc", "2", "*", "*", "*"}:       "not a number",
		{"*/0", "2", "*", "*", "*"}:       "must be a number of 1 or more",
		{"0", "2", "30", "2", "*"}:        "never falls in the month",
		{"0", "2", "31", "4,6,9,11", "*"}: "never falls in the month",
		{"0", "2", "*/32", "*", "*"}:      "matches no value",
		{"0", "2", "*", "*", "0-6"}:       "write 7 for Sunday",
		{"0", "2", "*", "*", "5-3"}:       "the first not above the second",
		{"0", "2", "0", "*", "*"}:         "outside 1-31",
		{"0", "2", "*", "13", "*"}:        "outside 1-12",
		{"0", "2", ",1", "*", "*"}:        "not a number",
	}
	for f, want := range bad {
		p := CronProblems(f)
		if len(p) == 0 || !strings.Contains(p[0], want) {
			t.Errorf("%q: %v, want %q", f, p, want)
		}
	}
}
