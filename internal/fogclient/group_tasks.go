// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
)

// A group task (POST /fog/group/{id}/task) answers "" and no ids, and FOG's
// group route is where its worst bugs live (reference/fleet.md §3): a busy
// member turns into a phantom task for host 0 that the API can never list or
// cancel (577, 579, 583), different images are handed to the wrong members
// (580), capture answers 200 and creates nothing (599), and other types give
// a busy host a second task (601). So a group task is created only after a
// look at every member under the same per-host locks host tasks take, and
// what FOG created is found by comparing the active tasks before and after
// and checked member by member; anything wrong is cancelled again.

// GroupTaskCheck is what CreateGroupTaskIf read right before the request,
// with every member's task lock held.
type GroupTaskCheck struct {
	Group *Group
	// MemberIDs are the group's member host ids in membership order.
	MemberIDs []int64
	// Members are the member hosts FOG lists, by id; Missing are the member
	// ids FOG lists no host for (rows for unknown ids, recording 512, or a
	// host hidden for want of a primary MAC).
	Members []Host
	Missing []int64
	// Images are the members' images that exist (deploy types only).
	Images []Image
	// Active are the members' active tasks.
	Active []Task
}

// GroupTaskResult is what a group task created.
type GroupTaskResult struct {
	// Tasks are the new tasks, one per member, by host id; none for a Wake-Up.
	Tasks []Task
	// Session is the multicast session of a Multi-Cast task, else nil.
	Session *MulticastSession
}

// GroupTaskError: FOG accepted a group task but did not create what was
// asked; what it created was cancelled (Cancelled), as far as it could be.
type GroupTaskError struct {
	GroupID   int64
	Problems  []string
	Created   []Task
	SessionID int64
	Cancelled []int64 // task ids now cancelled
	// CancelErr is why cancelling what was created failed, if it did.
	CancelErr error
}

func (e *GroupTaskError) Error() string {
	msg := fmt.Sprintf("FOG accepted the task for group %d but did not create one task per member with its image: %s",
		e.GroupID, strings.Join(e.Problems, "; "))
	switch {
	case len(e.Created) == 0 && e.SessionID == 0:
		msg += "; nothing was created"
	case e.CancelErr != nil:
		msg += fmt.Sprintf("; cancelling the %d task(s) it created failed: %v", len(e.Created), e.CancelErr)
	default:
		msg += fmt.Sprintf("; the %d task(s) it created were cancelled", len(e.Created))
	}
	return msg
}

func (e *GroupTaskError) Unwrap() error { return ErrUnexpectedResponse }

// GroupTaskRefusal says why a task type cannot be sent to a group at all,
// "" when it can. FOG mishandles these for groups whatever the members.
func GroupTaskRefusal(typeID int64, wol, deploySnapins bool) string {
	switch {
	case typeID == TaskTypeCapture || typeID == TaskTypeCaptureDebug:
		return "FOG answers a group capture with success and creates nothing (recording 599); capture one host instead"
	case typeID == TaskTypeAllSnapins || typeID == TaskTypeSingleSnapin:
		return "FOG's group snapin tasking fails (a PHP fatal without deploySnapins, recording 678) or writes one snapin job " +
			"for several hosts with a snapin task of job 0 (679, 680); deploy snapins host by host instead"
	case typeID == TaskTypeWakeUp && !wol:
		return "a group Wake-Up creates no task and wakes the members only when FOG sends the Wake-on-LAN packets (recordings 596, 597)"
	case deploySnapins:
		return "FOG's group snapin tasking writes one snapin job for several hosts with a snapin task of job 0 (recordings 679, 680)"
	}
	return ""
}

// taskTypeIsDeploy is FOG's isDeploy on the stock type ids (the group route
// decides on the ids, group_tasks.go of the recordings' FOG).
func taskTypeIsDeploy(id int64) bool {
	switch id {
	case TaskTypeDeploy, TaskTypeMulticast, TaskTypeDeployDebug, TaskTypeDeployNoSnapins, 24:
		return true
	}
	return false
}

// CreateGroupTaskIf creates a task for every member of a group when decide,
// given the members, their images and their active tasks as read right
// before the request, says yes. The group's membership lock and every
// member's task lock (hosttask:<id>, as CreateHostTaskIf takes it) are held,
// in id order, from that read to the end of the request and its check, so no
// task of this Client for a member can slip in between. check is nil when
// reading failed; res is nil when decide said no.
func (c *Client) CreateGroupTaskIf(ctx context.Context, groupID int64, in TaskCreate, decide func(GroupTaskCheck) bool) (check *GroupTaskCheck, res *GroupTaskResult, err error) {
	if err := checkID("group", groupID); err != nil {
		return nil, nil, err
	}
	if in.TypeID <= 0 {
		return nil, nil, fmt.Errorf("fogclient: task type id %d is not valid: %w", in.TypeID, ErrInvalidArgument)
	}
	if why := GroupTaskRefusal(in.TypeID, in.WOL, in.DeploySnapins); why != "" {
		return nil, nil, fmt.Errorf("fogclient: task type %d for group %d: %s: %w", in.TypeID, groupID, why, ErrInvalidArgument)
	}
	path := idPath("group", groupID, "/task")
	lockErr := func(err error) error { return &Error{Kind: err, Method: http.MethodPost, Route: c.route(path)} }
	unlockMembers, err := c.locks.lock(ctx, membershipLockKey(groupID))
	if err != nil {
		return nil, nil, lockErr(err)
	}
	defer unlockMembers()

	group, err := c.GetGroup(ctx, groupID)
	if err != nil {
		return nil, nil, err
	}
	memberIDs, err := c.GroupMemberIDs(ctx, groupID)
	if err != nil {
		return nil, nil, err
	}
	sorted := slices.Clone(memberIDs)
	slices.Sort(sorted)
	for _, h := range sorted {
		unlock, err := c.locks.lock(ctx, hostTaskLockKey(h))
		if err != nil {
			return nil, nil, lockErr(err)
		}
		defer unlock()
	}

	chk := &GroupTaskCheck{Group: group, MemberIDs: memberIDs}
	if len(memberIDs) > 0 {
		hosts, err := c.ListHostsByID(ctx, memberIDs)
		if err != nil {
			return nil, nil, err
		}
		byID := map[int64]Host{}
		for _, h := range hosts {
			byID[h.ID] = h
		}
		for _, id := range sorted {
			if h, ok := byID[id]; ok {
				chk.Members = append(chk.Members, h)
			} else {
				chk.Missing = append(chk.Missing, id)
			}
		}
		if taskTypeIsDeploy(in.TypeID) {
			if chk.Images, err = c.ListImagesByID(ctx, imageIDsOf(chk.Members)); err != nil {
				return nil, nil, err
			}
		}
	}
	before, err := c.ActiveTasks(ctx)
	if err != nil {
		return nil, nil, err
	}
	members := idSet(memberIDs)
	chk.Active = filter(before, func(t Task) bool { return members[t.HostID] })
	var sessionsBefore []MulticastSession
	if in.TypeID == TaskTypeMulticast {
		if sessionsBefore, err = c.ActiveMulticastSessions(ctx); err != nil {
			return chk, nil, err
		}
	}
	if decide != nil && !decide(*chk) {
		return chk, nil, nil
	}

	body := map[string]any{
		"taskTypeID": in.TypeID,
		"taskName":   in.TaskName,
		"shutdown":   in.Shutdown,
		"debug":      in.Debug,
		"wol":        in.WOL,
	}
	res, err = c.postGroupTask(ctx, path, chk, in, body, before, sessionsBefore)
	return chk, res, err
}

func imageIDsOf(hosts []Host) []int64 {
	var ids []int64
	seen := map[int64]bool{}
	for _, h := range hosts {
		if h.ImageID > 0 && !seen[h.ImageID] {
			seen[h.ImageID] = true
			ids = append(ids, h.ImageID)
		}
	}
	return ids
}

// groupTaskName is the name FOG gives each member's task: the taskName sent,
// " - ", the group's name, trimmed (recordings 573, 574).
func groupTaskName(taskName, groupName string) string {
	return storedText(taskName + " - " + groupName)
}

// postGroupTask sends the request and settles it, a lost answer included, by
// what the active tasks (and sessions) show afterwards.
func (c *Client) postGroupTask(ctx context.Context, path string, chk *GroupTaskCheck, in TaskCreate, body map[string]any,
	before []Task, sessionsBefore []MulticastSession) (*GroupTaskResult, error) {
	var lost error
	for sends := 1; ; sends++ {
		// The body ("") says nothing; the status is the answer.
		_, err := c.do(ctx, call{method: http.MethodPost, path: path, body: body, task: true})
		switch {
		case err == nil:
			if in.TypeID == TaskTypeWakeUp {
				return &GroupTaskResult{}, nil
			}
			return c.settleGroupTask(ctx, chk, in, before, sessionsBefore, nil)
		case lost != nil && errors.Is(err, ErrTaskRejected):
			// The lost request may have made the members busy.
			return c.settleGroupTask(ctx, chk, in, before, sessionsBefore, lost)
		case !answerLost(err):
			return nil, err
		}
		lost = err
		if in.TypeID == TaskTypeWakeUp {
			// A group Wake-Up writes nothing (recording 596): sending the
			// packets again is all a resend does.
			if werr := c.beforeResend(ctx, sends, lost, "an answer to the Wake-Up"); werr != nil {
				return nil, werr
			}
			continue
		}
		c.noteLostAnswer(ctx, err, "comparing the members' active tasks with those before the request")
		res, serr := c.settleGroupTask(ctx, chk, in, before, sessionsBefore, lost)
		var gte *GroupTaskError
		switch {
		case serr == nil:
			c.log(ctx, LevelWarn, "found the tasks the lost request created; using them", map[string]any{"tasks": len(res.Tasks)})
			return res, nil
		case !errors.As(serr, &gte) || len(gte.Created) > 0 || gte.SessionID != 0:
			return nil, serr
		}
		c.noteLostAnswer(ctx, err, "no task was created; sending the request again")
		if werr := c.beforeResend(ctx, sends, lost, fmt.Sprintf("the type %d tasks of group %d", in.TypeID, chk.Group.ID)); werr != nil {
			return nil, werr
		}
	}
}

// settleGroupTask finds what the request created and checks it: each member
// exactly one new task of the type and name, with the member's image for a
// deploy, and for a multicast one new session linked to exactly those tasks.
// Otherwise it cancels what was created and returns a *GroupTaskError.
func (c *Client) settleGroupTask(ctx context.Context, chk *GroupTaskCheck, in TaskCreate, before []Task,
	sessionsBefore []MulticastSession, lost error) (*GroupTaskResult, error) {
	fail := func(err error) error {
		if lost != nil {
			return outcomeUnknown(lost, err)
		}
		return err
	}
	after, err := c.ActiveTasks(ctx)
	if err != nil {
		return nil, fail(fmt.Errorf("listing the active tasks after the group task failed: %w", err))
	}
	wasActive := map[int64]bool{}
	for _, t := range before {
		wasActive[t.ID] = true
	}
	members := idSet(chk.MemberIDs)
	name := groupTaskName(in.TaskName, chk.Group.Name)
	created := filter(after, func(t Task) bool {
		return !wasActive[t.ID] && members[t.HostID] && t.TypeID == in.TypeID && t.Name == name
	})
	sort.Slice(created, func(i, j int) bool {
		return created[i].HostID < created[j].HostID || (created[i].HostID == created[j].HostID && created[i].ID < created[j].ID)
	})

	var problems []string
	res := &GroupTaskResult{Tasks: created}
	if in.TypeID == TaskTypeMulticast {
		sessions, err := c.ActiveMulticastSessions(ctx)
		if err != nil {
			return nil, c.cancelCreated(ctx, chk.Group.ID, created, 0, []string{"the multicast sessions could not be listed: " + err.Error()})
		}
		old := map[int64]bool{}
		for _, s := range sessionsBefore {
			old[s.ID] = true
		}
		fresh := filter(sessions, func(s MulticastSession) bool { return !old[s.ID] })
		switch len(fresh) {
		case 0:
			problems = append(problems, "no new multicast session")
		case 1:
			res.Session = &fresh[0]
			linked, err := c.MulticastSessionTaskIDs(ctx, fresh[0].ID)
			if err != nil {
				problems = append(problems, "the session's tasks could not be listed: "+err.Error())
				break
			}
			if !sameIDs(linked, taskIDs(created)) {
				problems = append(problems, fmt.Sprintf("session %d links tasks %s, not the new tasks %s",
					fresh[0].ID, joinIDs(linked), joinIDs(taskIDs(created))))
			}
		default:
			problems = append(problems, fmt.Sprintf("%d new multicast sessions", len(fresh)))
		}
	}
	problems = append(problems, groupTaskProblems(chk, in, created)...)
	if len(problems) > 0 {
		sid := int64(0)
		if res.Session != nil {
			sid = res.Session.ID
		}
		return nil, c.cancelCreated(ctx, chk.Group.ID, created, sid, problems)
	}
	return res, nil
}

// groupTaskProblems compares the new tasks with the members.
func groupTaskProblems(chk *GroupTaskCheck, in TaskCreate, created []Task) []string {
	byHost := map[int64][]Task{}
	for _, t := range created {
		byHost[t.HostID] = append(byHost[t.HostID], t)
	}
	var problems []string
	for _, h := range chk.Members {
		got := byHost[h.ID]
		switch {
		case len(got) == 0:
			problems = append(problems, fmt.Sprintf("host %q (id %d) got no task", h.Name, h.ID))
		case len(got) > 1:
			problems = append(problems, fmt.Sprintf("host %q (id %d) got %d tasks", h.Name, h.ID, len(got)))
		case taskTypeIsDeploy(in.TypeID) && got[0].ImageID != h.ImageID:
			problems = append(problems, fmt.Sprintf("host %q (id %d), which has image %d, got task %d with image %d",
				h.Name, h.ID, h.ImageID, got[0].ID, got[0].ImageID))
		}
	}
	return problems
}

// cancelCreated cancels what a group task created that is wrong: the
// session (which cancels its linked tasks, recordings 605-607), then every
// task still active, each by its id.
func (c *Client) cancelCreated(ctx context.Context, groupID int64, created []Task, sessionID int64, problems []string) error {
	e := &GroupTaskError{GroupID: groupID, Problems: problems, Created: created, SessionID: sessionID}
	var errs []error
	if sessionID != 0 {
		if err := c.CancelMulticastSession(ctx, sessionID); err != nil && !errors.Is(err, ErrTaskNotActive) {
			errs = append(errs, err)
		}
	}
	for _, t := range created {
		err := c.cancelTask(ctx, t.ID)
		switch {
		case err == nil, errors.Is(err, ErrTaskNotActive):
			e.Cancelled = append(e.Cancelled, t.ID)
		default:
			errs = append(errs, err)
		}
	}
	e.CancelErr = errors.Join(errs...)
	return e
}

func taskIDs(tasks []Task) []int64 {
	out := make([]int64, len(tasks))
	for i, t := range tasks {
		out[i] = t.ID
	}
	return out
}

func sameIDs(a, b []int64) bool {
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

// ListTasksByID reads several tasks, active or not, in one request (GET
// /fog/task with {"id":[...]}), none for no ids. A task FOG no longer has is
// missing from the answer.
func (c *Client) ListTasksByID(ctx context.Context, ids []int64) ([]Task, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	tasks, err := listOf(ctx, c, "/task", "tasks", map[string]any{"id": ids}, (*taskWire).task)
	if err != nil {
		return nil, err
	}
	want := idSet(ids)
	return filter(tasks, func(t Task) bool { return want[t.ID] }), nil
}
