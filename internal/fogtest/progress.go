// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogtest

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Task progression, modelled on what a PXE client does through
// /fog/service (recordings in testdata/lifecycle): check-in moves a task
// to 3 In-Progress and stamps checkInTime; progress reports fill the
// progress strings; completion sets 4 Complete with pct "0000000100" and
// percent "100", stamps the host's deployed time (deploy) or the image's
// deployed time (capture). The API itself never advances a task.

// Progress is one progress report (the fields of FOS's status line).
type Progress struct {
	// Percent is 0-100; pct is its rounded value, percent its "%.2f" text.
	Percent float64 `json:"percent"`
	// BPM is the speed text, e.g. "2.40GB" (per minute).
	BPM string `json:"bpm"`
	// Elapsed and Remaining are "hh:mm:ss".
	Elapsed   string `json:"elapsed"`
	Remaining string `json:"remaining"`
	// Copied and Total are sizes like "8.451 GiB".
	Copied string `json:"copied"`
	Total  string `json:"total"`
	// PartitionBytes is the size of the partition being captured; captures
	// append "<bytes>:" to the image size (0: not reported).
	PartitionBytes int64 `json:"partitionBytes"`
}

// ErrNoTask is returned by the task knobs for a missing task.
var ErrNoTask = errors.New("fogtest: no such task")

// ErrTaskNotActive is returned when a task is already complete or cancelled.
var ErrTaskNotActive = errors.New("fogtest: task is not active")

func (s *Server) activeTaskLocked(id int64) (row, error) {
	r := s.tbl("task").get(id)
	if r == nil {
		return nil, ErrNoTask
	}
	if !isActiveState(r) {
		return nil, ErrTaskNotActive
	}
	return r, nil
}

// checkInLocked is TaskQueue::checkIn(). It returns the reply text
// ("##@GO" when imaging may start). With slots=false the node's slot limit
// is not enforced (explicit knobs).
func (s *Server) checkInLocked(id int64, slots bool) string {
	tt := s.tbl("task")
	s.saveObjectLocked("task", id, map[string]string{"stateID": "2"})
	task := tt.get(id)
	nodeID := task.int("storagenodeID")
	used := s.usedTaskTypes()
	now := s.now()
	timeout := time.Duration(mysqlToInt(s.settingLocked("FOG_CHECKIN_TIMEOUT"))) * time.Second
	// Task::getInFrontOfHostCount stamps every queued or checked-in task of
	// the node (of the FOG_USED_TASKS types) whose check-in is older than
	// the timeout (recording task-get-queued-after-other-host-checkin).
	for _, tid := range tt.ids() {
		r := tt.rows[tid]
		st := r.int("stateID")
		if r.int("storagenodeID") != nodeID || !used[r.int("typeID")] || (st != 1 && st != 2) {
			continue
		}
		if t, err := time.ParseInLocation("2006-01-02 15:04:05", r["checkInTime"], now.Location()); err != nil || now.Sub(t) > timeout {
			r["checkInTime"] = s.nowString()
		}
	}
	if slots && used[task.int("typeID")] {
		node := s.tbl("storagenode").get(nodeID)
		inUse, _ := s.nodeLoad(nodeID)
		free := int64(0)
		if node != nil {
			free = node.int("maxClients") - inUse
		}
		front := 0
		for _, tid := range tt.ids() {
			r := tt.rows[tid]
			st := r.int("stateID")
			if tid == id || r.int("storagenodeID") != nodeID || !used[r.int("typeID")] || (st != 1 && st != 2) {
				continue
			}
			if r["checkInTime"] < task["checkInTime"] {
				front++
			}
		}
		if free < 1 || int64(front) >= free {
			return fmt.Sprintf("No open slots, There are %d before me.", front)
		}
	}
	s.saveObjectLocked("task", id, map[string]string{"stateID": "3", "checkInTime": s.nowString()})
	if isCaptureType(task.int("typeID")) {
		if img := s.tbl("image").get(task.int("imageID")); img != nil {
			s.saveObjectLocked("image", img.int("id"), map[string]string{"size": ""})
		}
	}
	s.db.lastStep[id] = now
	return "##@GO"
}

// progressLocked is progress.php: stores the report's first six fields
// (percent trimmed, the others as sent) and pct, and for captures appends
// the partition size to the image size.
func (s *Server) progressLocked(id int64, f []string) {
	for len(f) < 7 {
		f = append(f, "")
	}
	percent := strings.TrimSpace(f[5])
	set := map[string]string{
		"bpm": f[0], "timeElapsed": f[1], "timeRemaining": f[2], "dataCopied": f[3],
		"dataTotal": f[4], "percent": percent, "pct": percent,
	}
	s.saveObjectLocked("task", id, set)
	task := s.tbl("task").get(id)
	if isCaptureType(task.int("typeID")) {
		if bytes := strings.TrimSpace(f[6]); bytes != "" {
			if img := s.tbl("image").get(task.int("imageID")); img != nil && !strings.Contains(img["size"], bytes) {
				img["size"] = imageSchema.cols[imageSchema.idx["size"]].store(img["size"] + bytes + ":")
			}
		}
	}
	s.db.lastStep[id] = s.now()
}

// completeLocked is TaskQueue::checkout() (Post_Stage2.php / Post_Stage3.php).
func (s *Server) completeLocked(id int64) {
	task := s.tbl("task").get(id)
	typeID := task.int("typeID")
	s.saveObjectLocked("task", id, map[string]string{"stateID": "4", "pct": "100", "percent": "100"})
	hostID := task.int("hostID")
	if h := s.tbl("host").get(hostID); h != nil {
		set := map[string]string{"pub_key": "", "sec_tok": ""}
		if isDeployType(typeID) {
			set["deployed"] = s.nowString()
		}
		s.saveObjectLocked("host", hostID, set)
	}
	if isCaptureType(typeID) {
		if img := s.tbl("image").get(task.int("imageID")); img != nil {
			s.saveObjectLocked("image", img.int("id"), map[string]string{"deployed": s.nowString()})
		}
	}
	s.detachFromSessionLocked(id, "4")
	s.db.lastStep[id] = s.now()
}

// syntheticReport is the report the emulator's automatic client sends at pct.
func syntheticReport(pct float64, capture bool) []string {
	const total = 20.0 // GiB
	sec := int(pct * 6)
	rem := int((100 - pct) * 6)
	hms := func(n int) string { return fmt.Sprintf("%02d:%02d:%02d", n/3600, n/60%60, n%60) }
	f := []string{"  1.50GB", hms(sec), hms(rem), fmt.Sprintf("%.3f GiB", total*pct/100), fmt.Sprintf("%.3f GiB", total), fmt.Sprintf("%6.2f", pct), ""}
	if capture {
		f[6] = "21474836480.000000"
	}
	return f
}

// advanceLocked moves an active task one step: check-in, then progress
// reports at 25, 50 and 75 % (imaging types only), then completion.
func (s *Server) advanceLocked(id int64) error {
	task, err := s.activeTaskLocked(id)
	if err != nil {
		return err
	}
	typeID := task.int("typeID")
	switch st := task.int("stateID"); {
	case st < 3:
		s.checkInLocked(id, false)
	case isImagingType(typeID) && task.int("pct") < 75:
		next := float64((task.int("pct")/25 + 1) * 25)
		s.progressLocked(id, syntheticReport(next, isCaptureType(typeID)))
	default:
		s.completeLocked(id)
	}
	s.db.steps[id]++
	return nil
}

// notePollsLocked counts API appearances of tasks and advances those that
// reached AutoProgress.EveryPolls.
func (s *Server) notePollsLocked(ids []int64) {
	k := s.progress.EveryPolls
	if k <= 0 {
		return
	}
	tt := s.tbl("task")
	for _, id := range ids {
		r := tt.get(id)
		if r == nil || !isActiveState(r) || s.db.stalled[id] {
			continue
		}
		s.db.polls[id]++
		if s.db.polls[id] >= k {
			s.db.polls[id] = 0
			_ = s.advanceLocked(id)
		}
	}
}

// autoProgressByTimeLocked advances every active task once per elapsed
// AutoProgress.Every of the server clock.
func (s *Server) autoProgressByTimeLocked() {
	d := s.progress.Every
	if d <= 0 {
		return
	}
	now := s.now()
	tt := s.tbl("task")
	for _, id := range tt.ids() {
		r := tt.rows[id]
		if !isActiveState(r) || s.db.stalled[id] {
			continue
		}
		last, ok := s.db.lastStep[id]
		if !ok {
			s.db.lastStep[id] = now
			continue
		}
		for i := 0; i < 10 && now.Sub(last) >= d; i++ {
			if tt.get(id) == nil || !isActiveState(tt.get(id)) {
				break
			}
			_ = s.advanceLocked(id)
			last = last.Add(d)
		}
		if tt.get(id) != nil {
			s.db.lastStep[id] = last
		}
	}
}

// SetAutoProgress changes the automatic progression mode.
func (s *Server) SetAutoProgress(p AutoProgress) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.progress = p
	now := s.now()
	for _, id := range s.tbl("task").ids() {
		s.db.lastStep[id] = now
		s.db.polls[id] = 0
	}
}

// AdvanceTask moves an active task one step (check-in, a progress report,
// or completion). It returns ErrNoTask or ErrTaskNotActive.
func (s *Server) AdvanceTask(id int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.advanceLocked(id)
}

// CheckInTask checks an active task in as a PXE client would (state 3,
// checkInTime now), without enforcing the node's slot limit.
func (s *Server) CheckInTask(id int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.activeTaskLocked(id); err != nil {
		return err
	}
	s.checkInLocked(id, false)
	return nil
}

// SetTaskProgress stores a progress report for an active task (checking
// it in first if it is still queued).
func (s *Server) SetTaskProgress(id int64, p Progress) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	task, err := s.activeTaskLocked(id)
	if err != nil {
		return err
	}
	if task.int("stateID") < 3 {
		s.checkInLocked(id, false)
	}
	pct := math.Max(0, math.Min(100, p.Percent))
	f := []string{p.BPM, p.Elapsed, p.Remaining, p.Copied, p.Total, fmt.Sprintf("%6.2f", pct), ""}
	if p.PartitionBytes > 0 {
		f[6] = strconv.FormatInt(p.PartitionBytes, 10) + ".000000"
	}
	s.progressLocked(id, f)
	return nil
}

// CompleteTask completes an active task the way Post_Stage2/Post_Stage3 do.
func (s *Server) CompleteTask(id int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.activeTaskLocked(id); err != nil {
		return err
	}
	s.completeLocked(id)
	return nil
}

// StallTask stops (or resumes) automatic progression of one task: a stuck
// client. Explicit knobs still move it.
func (s *Server) StallTask(id int64, stalled bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tbl("task").get(id) == nil {
		return ErrNoTask
	}
	if stalled {
		s.db.stalled[id] = true
	} else {
		delete(s.db.stalled, id)
		s.db.lastStep[id] = s.now()
	}
	return nil
}

// TaskSteps returns how many automatic or AdvanceTask steps a task took.
func (s *Server) TaskSteps(id int64) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.db.steps[id]
}
