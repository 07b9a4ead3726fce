// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Scheduled tasks (class scheduledtask), reference/fleet.md §5. FOG's
// scheduler service later starts each one with the host's or group's
// createImagePackage and none of this client's checks: other2 is its
// deploySnapins argument, other3 the user, other4 wake-on-LAN (fleet.md,
// "Unsettled").

// ScheduledTask is a scheduled task. Strings are HTML-unescaped. The host or
// group object FOG appends is not decoded: the host one carries the host's
// secrets in clear text (recording 753).
type ScheduledTask struct {
	ID          int64
	Name        string
	Description string
	// Type is "C" for cron; anything else runs once at ScheduleTime.
	Type       string
	TaskTypeID int64
	// Cron is minute, hour, day of month, month, day of week.
	Cron [5]string
	// Group: TargetID is a group id, else a host id (recording 755).
	Group        bool
	TargetID     int64
	Shutdown     bool
	WOL          bool // other4
	ScheduleTime int64
	Active       bool
	ImageID      int64
	// Runtime is the next run in the server's clock, "Y-m-d H:i".
	Runtime string
}

// IsCron reports whether the task repeats (type "C").
func (t ScheduledTask) IsCron() bool { return t.Type == ScheduledTypeCron }

const (
	ScheduledTypeCron   = "C"
	ScheduledTypeSingle = "S"
)

// ScheduledTaskSpec is a scheduled task as sent; Active and Group are always
// sent, because FOG stores a flag not sent as "", which is inactive
// (recordings 757, 762).
type ScheduledTaskSpec struct {
	Name        string
	Description string
	TaskTypeID  int64
	// Cron, when set, makes it a cron task; else it runs once at RunAt (Unix time).
	Cron     *[5]string
	RunAt    int64
	Group    bool
	TargetID int64
	Shutdown bool
	WOL      bool
	Active   bool
}

// scheduledStringFields are resent on every PUT against the escape ratchet.
var scheduledStringFields = []string{
	"name", "description", "type", "minute", "hour", "dayOfMonth", "month", "dayOfWeek",
	"isGroupTask", "shutdown", "other1", "other2", "other3", "other4", "other5", "isActive",
}

type scheduledTaskWire struct {
	ID           flexInt    `json:"id"`
	Name         flexString `json:"name"`
	Description  flexString `json:"description"`
	Type         flexString `json:"type"`
	TaskTypeID   flexInt    `json:"taskTypeID"`
	Minute       flexString `json:"minute"`
	Hour         flexString `json:"hour"`
	DayOfMonth   flexString `json:"dayOfMonth"`
	Month        flexString `json:"month"`
	DayOfWeek    flexString `json:"dayOfWeek"`
	IsGroupTask  flexString `json:"isGroupTask"`
	HostID       flexInt    `json:"hostID"`
	Shutdown     flexString `json:"shutdown"`
	Other4       flexString `json:"other4"`
	ScheduleTime flexInt    `json:"scheduleTime"`
	IsActive     flexString `json:"isActive"`
	ImageID      flexInt    `json:"imageID"`
	Runtime      flexString `json:"runtime"`
}

func (w *scheduledTaskWire) task() ScheduledTask {
	return ScheduledTask{
		ID:           int64(w.ID),
		Name:         string(w.Name),
		Description:  string(w.Description),
		Type:         string(w.Type),
		TaskTypeID:   int64(w.TaskTypeID),
		Cron:         [5]string{string(w.Minute), string(w.Hour), string(w.DayOfMonth), string(w.Month), string(w.DayOfWeek)},
		Group:        isFlagSet(w.IsGroupTask),
		TargetID:     int64(w.HostID),
		Shutdown:     isFlagSet(w.Shutdown),
		WOL:          isFlagSet(w.Other4),
		ScheduleTime: int64(w.ScheduleTime),
		Active:       isFlagSet(w.IsActive),
		ImageID:      int64(w.ImageID),
		Runtime:      string(w.Runtime),
	}
}

func decodeScheduledTask(body []byte) (*ScheduledTask, error) {
	var w scheduledTaskWire
	if err := decodeObject(body, &w); err != nil {
		return nil, err
	}
	t := w.task()
	return &t, nil
}

// ListScheduledTasks lists every scheduled task. FOG computes each row's next
// run to answer, so one row whose cron can never match makes this request
// hang (recording 758); this client never writes such a row (CronProblems).
func (c *Client) ListScheduledTasks(ctx context.Context) ([]ScheduledTask, error) {
	return listOf(ctx, c, "/scheduledtask", "scheduledtasks", nil, (*scheduledTaskWire).task)
}

// ScheduledTasksWithTargetID lists the scheduled tasks whose hostID is id:
// the host's, and those of the group with the same id (recording 771).
func (c *Client) ScheduledTasksWithTargetID(ctx context.Context, id int64) ([]ScheduledTask, error) {
	if err := checkID("host", id); err != nil {
		return nil, err
	}
	tasks, err := listOf(ctx, c, "/scheduledtask", "scheduledtasks", map[string]any{"hostID": id}, (*scheduledTaskWire).task)
	if err != nil {
		return nil, err
	}
	return filter(tasks, func(t ScheduledTask) bool { return t.TargetID == id }), nil
}

func (c *Client) GetScheduledTask(ctx context.Context, id int64) (*ScheduledTask, error) {
	if err := checkID("scheduled task", id); err != nil {
		return nil, err
	}
	var w scheduledTaskWire
	if _, err := c.getObject(ctx, idPath("scheduledtask", id, ""), &w); err != nil {
		return nil, err
	}
	t := w.task()
	return &t, nil
}

func checkScheduledSpec(in ScheduledTaskSpec) error {
	if in.TaskTypeID <= 0 {
		return fmt.Errorf("fogclient: task type id %d is not valid: %w", in.TaskTypeID, ErrInvalidArgument)
	}
	what := "host"
	if in.Group {
		what = "group"
	}
	if err := checkID(what, in.TargetID); err != nil {
		return err
	}
	if in.Cron != nil {
		if problems := CronProblems(*in.Cron); len(problems) > 0 {
			return fmt.Errorf("fogclient: cron %q: %s: %w", strings.Join(in.Cron[:], " "), problems[0], ErrInvalidArgument)
		}
	} else if in.RunAt <= 0 {
		return fmt.Errorf("fogclient: a single-run scheduled task needs a time: %w", ErrInvalidArgument)
	}
	return nil
}

func scheduledBody(in ScheduledTaskSpec) map[string]any {
	body := map[string]any{
		"name":        in.Name,
		"description": in.Description,
		"taskTypeID":  in.TaskTypeID,
		"isGroupTask": flag(in.Group),
		"hostID":      in.TargetID,
		"shutdown":    flag(in.Shutdown),
		"other4":      flag(in.WOL),
		"isActive":    flag(in.Active),
	}
	if in.Cron != nil {
		body["type"] = ScheduledTypeCron
		for i, k := range []string{"minute", "hour", "dayOfMonth", "month", "dayOfWeek"} {
			body[k] = in.Cron[i]
		}
		body["scheduleTime"] = 0
	} else {
		body["type"] = ScheduledTypeSingle
		for _, k := range []string{"minute", "hour", "dayOfMonth", "month", "dayOfWeek"} {
			body[k] = ""
		}
		body["scheduleTime"] = in.RunAt
	}
	return body
}

// scheduledDiff lists the fields of t that are not what was sent.
func scheduledDiff(t *ScheduledTask, in ScheduledTaskSpec) []Difference {
	var d diff
	d.str("name", t.Name, in.Name)
	d.str("description", t.Description, in.Description)
	d.num("taskTypeID", t.TaskTypeID, in.TaskTypeID)
	d.flag("isGroupTask", t.Group, in.Group)
	d.num("hostID", t.TargetID, in.TargetID)
	d.flag("shutdown", t.Shutdown, in.Shutdown)
	d.flag("other4", t.WOL, in.WOL)
	d.flag("isActive", t.Active, in.Active)
	if in.Cron != nil {
		d.str("type", t.Type, ScheduledTypeCron)
		for i, k := range []string{"minute", "hour", "dayOfMonth", "month", "dayOfWeek"} {
			d.str(k, t.Cron[i], in.Cron[i])
		}
	} else {
		if t.IsCron() {
			d.add("type", t.Type, ScheduledTypeSingle)
		}
		d.num("scheduleTime", t.ScheduleTime, in.RunAt)
	}
	return d
}

// CreateScheduledTask creates a scheduled task. Names are not unique
// (recording 757), so a lost answer is settled by the rows that were not
// there before the request and are exactly what was sent.
func (c *Client) CreateScheduledTask(ctx context.Context, in ScheduledTaskSpec) (*ScheduledTask, error) {
	if err := checkScheduledSpec(in); err != nil {
		return nil, err
	}
	const path = "/scheduledtask/create"
	unlock, err := c.locks.lock(ctx, "scheduledtask:create")
	if err != nil {
		return nil, &Error{Kind: err, Method: http.MethodPost, Route: c.route(path)}
	}
	defer unlock()
	before, err := c.ListScheduledTasks(ctx)
	if err != nil {
		return nil, err
	}
	existed := map[int64]bool{}
	for _, t := range before {
		existed[t.ID] = true
	}
	body := scheduledBody(in)
	var lost error
	for sends := 1; ; sends++ {
		t, err := writeObject(ctx, c, http.MethodPost, path, body, decodeScheduledTask)
		switch {
		case err == nil:
			return t, nil
		case !answerLost(err):
			return nil, err
		}
		lost = err
		c.noteLostAnswer(ctx, err, "comparing the scheduled tasks with those before the request")
		now, lerr := c.ListScheduledTasks(ctx)
		if lerr != nil {
			return nil, outcomeUnknown(lost, fmt.Errorf("listing the scheduled tasks failed: %w", lerr))
		}
		fresh := filter(now, func(t ScheduledTask) bool { return !existed[t.ID] && len(scheduledDiff(&t, in)) == 0 })
		switch len(fresh) {
		case 0:
		case 1:
			c.log(ctx, LevelWarn, "found the scheduled task the lost create made; using it", map[string]any{"id": fresh[0].ID})
			return &fresh[0], nil
		default:
			ids := taskIDsOfScheduled(fresh)
			return nil, outcomeUnknown(lost, fmt.Errorf("%d new scheduled tasks (ids %s) match the one sent; someone else may have created the same", len(fresh), joinIDs(ids)))
		}
		c.noteLostAnswer(ctx, err, "no new scheduled task; sending the create again")
		if werr := c.beforeResend(ctx, sends, lost, "the scheduled task"); werr != nil {
			return nil, werr
		}
	}
}

func taskIDsOfScheduled(tasks []ScheduledTask) []int64 {
	out := make([]int64, len(tasks))
	for i, t := range tasks {
		out[i] = t.ID
	}
	return out
}

// UpdateScheduledTask sends the whole spec with every other string field as
// read, against the escape ratchet.
func (c *Client) UpdateScheduledTask(ctx context.Context, id int64, in ScheduledTaskSpec) (*ScheduledTask, error) {
	if err := checkID("scheduled task", id); err != nil {
		return nil, err
	}
	if err := checkScheduledSpec(in); err != nil {
		return nil, err
	}
	path := idPath("scheduledtask", id, "")
	editPath := idPath("scheduledtask", id, "/edit")
	build := func() (map[string]any, error) {
		body, err := c.do(ctx, call{method: http.MethodGet, path: path})
		if err != nil {
			return nil, err
		}
		out, err := resendFields(body, scheduledStringFields)
		if err != nil {
			return nil, c.decodeFailure(http.MethodGet, path, err)
		}
		for k, v := range scheduledBody(in) {
			out[k] = v
		}
		return out, nil
	}
	body, err := build()
	if err != nil {
		return nil, err
	}
	return resendUntilLanded(ctx, c, body,
		func(ctx context.Context, body map[string]any) (*ScheduledTask, error) {
			return writeObject(ctx, c, http.MethodPut, editPath, body, decodeScheduledTask)
		},
		func(ctx context.Context) (*ScheduledTask, map[string]any, bool, error) {
			t, err := c.GetScheduledTask(ctx, id)
			if err != nil {
				return nil, nil, false, err
			}
			if len(scheduledDiff(t, in)) == 0 {
				return t, nil, true, nil
			}
			next, err := build()
			return nil, next, false, err
		})
}

// DeleteScheduledTask deletes the row (DELETE /fog/scheduledtask/{id},
// recordings 769, 770).
func (c *Client) DeleteScheduledTask(ctx context.Context, id int64) error {
	if err := checkID("scheduled task", id); err != nil {
		return err
	}
	return c.deleteObject(ctx, idPath("scheduledtask", id, ""), func(ctx context.Context) error {
		_, err := c.GetScheduledTask(ctx, id)
		return err
	})
}

// ---- cron ------------------------------------------------------------------

// CronFieldNames name the five fields in order.
var CronFieldNames = [5]string{"minute", "hour", "day of month", "month", "day of week"}

var cronRanges = [5][2]int{{0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 7}}

// CronProblems returns what is wrong with five cron fields, nothing when FOG
// can compute their next run. FOG searches for the next run without end, so a
// field that is empty (recording 758) or can never match makes every request
// that shows the row hang and keeps a PHP worker busy for good; "*/0" is a
// PHP fatal (reference/fleet.md §5.3). Only a strict subset of cron is taken,
// whose meaning in FOG's matcher (FOGCron::_fit) is the usual one: "*", a
// number, a range "a-b", a step "*/n", and comma lists of numbers, ranges
// and steps. Days of the week are 1-7 (Sunday 7; a lone 0 is Sunday too).
func CronProblems(f [5]string) []string {
	var out []string
	sets := [5][]bool{}
	for i, field := range f {
		set, problem := cronField(i, field)
		if problem != "" {
			out = append(out, fmt.Sprintf("the %s field %q %s", CronFieldNames[i], field, problem))
			continue
		}
		sets[i] = set
	}
	if len(out) > 0 {
		return out
	}
	if !cronDateExists(f, sets) {
		out = append(out, fmt.Sprintf("the day of month %q never falls in the month %q, so FOG would search for the next run forever",
			f[2], f[3]))
	}
	return out
}

// cronField parses one field into the set of values it matches (nil for "*").
func cronField(i int, field string) ([]bool, string) {
	lo, hi := cronRanges[i][0], cronRanges[i][1]
	switch {
	case field == "":
		return nil, "is empty"
	case strings.ContainsFunc(field, func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f' }):
		return nil, "contains whitespace"
	case field == "*":
		return nil, ""
	}
	set := make([]bool, hi+1)
	num := func(s string) (int, bool) {
		if s == "" || strings.TrimLeft(s, "0123456789") != "" || len(s) > 2 {
			return 0, false
		}
		n, err := strconv.Atoi(s)
		return n, err == nil
	}
	if i == 4 && field == "0" {
		set[7] = true // FOG turns a lone 0 into 7 (Sunday)
		return set, ""
	}
	dowNote := ""
	if i == 4 {
		dowNote = " (FOG numbers the days 1-7, Monday to Sunday: write 7 for Sunday)"
	}
	for _, part := range strings.Split(field, ",") {
		switch {
		case strings.HasPrefix(part, "*/"):
			step, ok := num(part[2:])
			if !ok || step < 1 {
				return nil, fmt.Sprintf("has the step %q, which must be a number of 1 or more", part)
			}
			matched := false
			for v := lo; v <= hi; v++ {
				if v%step == 0 && (i != 4 || v != 0) {
					set[v] = true
					matched = true
				}
			}
			if !matched {
				return nil, fmt.Sprintf("has the step %q, which matches no value from %d to %d", part, max(lo, 1), hi)
			}
		case strings.Contains(part, "-"):
			a, b, _ := strings.Cut(part, "-")
			x, okx := num(a)
			y, oky := num(b)
			if !okx || !oky || x > y {
				return nil, fmt.Sprintf("has the range %q, which must be two numbers, the first not above the second", part)
			}
			if x < cronLow(i) || y > hi {
				return nil, fmt.Sprintf("has the range %q outside %d-%d%s", part, cronLow(i), hi, dowNote)
			}
			for v := x; v <= y; v++ {
				set[v] = true
			}
		default:
			v, ok := num(part)
			if !ok {
				return nil, fmt.Sprintf("has %q, which is not a number, a range a-b or a step */n", part)
			}
			if v < cronLow(i) || v > hi {
				return nil, fmt.Sprintf("has %d, outside %d-%d%s", v, cronLow(i), hi, dowNote)
			}
			set[v] = true
		}
	}
	return set, ""
}

// cronLow: in a list or range, a day of the week 0 never matches (FOG's days
// are 1-7 and only a lone 0 becomes 7).
func cronLow(i int) int {
	if i == 4 {
		return 1
	}
	return cronRanges[i][0]
}

var cronMonthDays = [13]int{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

// cronDateExists: with a day of month and no day of week, some day of the
// allowed months must exist (29 February does, in leap years). A day of the
// week matches in every month, and FOG takes either day field when both are
// set.
func cronDateExists(f [5]string, sets [5][]bool) bool {
	if f[2] == "*" || f[4] != "*" {
		return true
	}
	for m := 1; m <= 12; m++ {
		if f[3] != "*" && !sets[3][m] {
			continue
		}
		if slices.Contains(sets[2][1:cronMonthDays[m]+1], true) {
			return true
		}
	}
	return false
}
