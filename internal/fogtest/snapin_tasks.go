// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogtest

import (
	"net/http"
	"strconv"
)

// Snapin jobs (snapinJobs: one per host and deployment) and snapin tasks
// (snapinTasks: one per snapin of a job). The API only creates and cancels
// them; nothing here moves them on (the FOG snapin service and client do).
var snapinJobSchema = newSchema("snapinjob", []string{"hostID", "stateID"}, "",
	integer("id"), integer("hostID"), integer("stateID"), datetime("createdTime"),
)

var snapinTaskSchema = newSchema("snapintask", []string{"jobID", "snapinID"}, "",
	integer("id"), integer("jobID"), integer("stateID"), datetime("checkin"), datetime("complete"),
	integer("snapinID"), integer("return"), text("details"),
)

func init() {
	specificSchemas["snapinjob"] = snapinJobSchema
	specificSchemas["snapintask"] = snapinTaskSchema
}

// snapinTaskVisible: a snapin task is listed only with its job. The task
// the group bug writes with jobID 0 is not in /fog/snapintask/active
// (recordings 679-680); GET by id is assumed to follow the list.
func (s *Server) snapinTaskVisible(r row) bool {
	return r != nil && s.tbl("snapinjob").get(r.int("jobID")) != nil
}

// renderSnapinJob: the raw row, the full host and the state (recording 652).
func (s *Server) renderSnapinJob(r row) *obj {
	o := s.rawObj(snapinJobSchema, r, snapinJobSchema.keys())
	if h := s.tbl("host").get(r.int("hostID")); h != nil {
		o.set("host", s.renderHost(h, h.int("imageID")))
	} else {
		o.set("host", newObj())
	}
	return o.set("state", s.rawObj(taskStateSchema, s.tbl("taskstate").get(r.int("stateID")), taskStateKeys))
}

// renderSnapinTask: the raw row, the snapin's raw fields (all null when the
// snapin does not exist, recording 661), the state and the job (653).
func (s *Server) renderSnapinTask(r row) *obj {
	o := s.rawObj(snapinTaskSchema, r, snapinTaskSchema.keys())
	o.set("snapin", s.rawObj(snapinSchema, s.tbl("snapin").get(r.int("snapinID")), snapinSchema.keys()))
	o.set("state", s.rawObj(taskStateSchema, s.tbl("taskstate").get(r.int("stateID")), taskStateKeys))
	if j := s.tbl("snapinjob").get(r.int("jobID")); j != nil {
		o.set("snapinjob", s.renderSnapinJob(j))
	} else {
		o.set("snapinjob", newObj())
	}
	return o
}

// snapinCapable: task types whose creation reads "deploySnapins": the
// deploys other than 17 "Deploy - No Snapins", and 12/13 (reference/fog-api.md §3.1).
func snapinCapable(typeID int64) bool {
	return (isDeployType(typeID) && typeID != 17) || isSnapinType(typeID)
}

// deploySnapinsArg is the deploySnapins argument Route::task passes on:
// true becomes -1 (all of the host's snapins); a number, or a numeric
// string, that is positive or -1 passes as the snapin id, which is not
// checked (recordings 656-660); anything else, an absent key included, is
// false: no snapins (647, 659, 670).
func deploySnapinsArg(body map[string]any) (int64, bool) {
	v, ok := body["deploySnapins"]
	if !ok || v == nil {
		return 0, false
	}
	if b, isBool := v.(bool); isBool {
		if b {
			return -1, true
		}
		return 0, false
	}
	if isPHPNumeric(v) {
		n := mysqlToInt(phpString(v))
		if n > 0 || n == -1 {
			return n, true
		}
	}
	return 0, false
}

// hostActiveSnapinJob is Host's "snapinjob": its queued or running job
// (the lowest id if there are several), or 0.
func (s *Server) hostActiveSnapinJob(hostID int64) int64 {
	jt := s.tbl("snapinjob")
	for _, id := range jt.ids() {
		if r := jt.rows[id]; r.int("hostID") == hostID && isActiveState(r) {
			return id
		}
	}
	return 0
}

func (s *Server) newSnapinJob(hostID int64) map[string]string {
	return map[string]string{"hostID": strconv.FormatInt(hostID, 10), "stateID": "1", "createdTime": s.nowString()}
}

func (s *Server) newSnapinTask(jobID, snapinID int64) map[string]string {
	return map[string]string{
		"jobID": strconv.FormatInt(jobID, 10), "stateID": "1", "checkin": s.nowString(),
		"snapinID": strconv.FormatInt(snapinID, 10), "return": "0",
	}
}

// createSnapinTaskingLocked is Host::_createSnapinTasking: the host's active
// job, or a new one, gets one queued snapin task per snapin (snapin -1: all
// of the host's), written in one batch. A host without snapins gets an
// empty job (recording 655).
func (s *Server) createSnapinTaskingLocked(hostID, snapin int64) {
	job := s.hostActiveSnapinJob(hostID)
	if job == 0 {
		jt := s.tbl("snapinjob")
		job = jt.insert(jt.build(s.newSnapinJob(hostID)))
	}
	snapins := []int64{snapin}
	if snapin == -1 {
		snapins = s.hostSnapinIDs(hostID)
	}
	rows := make([]map[string]string, 0, len(snapins))
	for _, sid := range snapins {
		rows = append(rows, s.newSnapinTask(job, sid))
	}
	s.tbl("snapintask").fogInsertBatch(rows)
}

// deploySnapinsLocked runs after a new host task was written: snapin-capable
// types with "deploySnapins" get their snapin job (recordings 649, 656,
// 672, 674). All Snapins (12) without it is a task with no job (647).
func (s *Server) deploySnapinsLocked(hostID, typeID int64, body map[string]any) {
	if snapin, ok := deploySnapinsArg(body); ok && snapinCapable(typeID) {
		s.createSnapinTaskingLocked(hostID, snapin)
	}
}

// snapinOnSnapinTaskLocked is a 12 or 13 for a host whose active task is
// already a snapin task: no task row is written. For 13 the current task is
// renamed "Multiple Snapin task -- Altered after single" and becomes a 12
// unless the snapin is already queued in the host's job, and the snapin is
// added to that job (recording 658). For 12 the host's jobs, their snapin
// tasks and its other active tasks are cancelled and the task is kept
// (code-derived, not recorded). Answers null like any non-imaging task.
func (s *Server) snapinOnSnapinTaskLocked(hostID, curTask, typeID int64, body map[string]any) *response {
	snapin, ok := deploySnapinsArg(body)
	if typeID == 13 {
		if !s.snapinQueuedInJob(s.hostActiveSnapinJob(hostID), snapin, ok) {
			s.saveObjectLocked("task", curTask, map[string]string{
				"name": "Multiple Snapin task -- Altered after single", "typeID": "12",
			})
		}
	} else {
		s.cancelJobsSnapinsForHostLocked(hostID, curTask)
	}
	if ok {
		s.createSnapinTaskingLocked(hostID, snapin)
	}
	return s.taskSuccess(typeID)
}

// snapinQueuedInJob is PHP's in_array($deploySnapins, $currSnapins) over the
// job's active snapin tasks: all (-1) matches any snapin, false none.
func (s *Server) snapinQueuedInJob(job, snapin int64, ok bool) bool {
	st := s.tbl("snapintask")
	for _, id := range st.ids() {
		r := st.rows[id]
		if job == 0 || r.int("jobID") != job || !isActiveState(r) {
			continue
		}
		if ok && (snapin == -1 || r.int("snapinID") == snapin) {
			return true
		}
	}
	return false
}

// cancelJobsSnapinsForHostLocked is Host::_cancelJobsSnapinsForHost, a mass
// update: the host's active snapin tasks are cancelled with return -9999,
// then its active jobs and every active task but keep.
func (s *Server) cancelJobsSnapinsForHostLocked(hostID, keep int64) {
	jt, st, tt := s.tbl("snapinjob"), s.tbl("snapintask"), s.tbl("task")
	jobs := idSet(jt.where(func(r row) bool { return r.int("hostID") == hostID && isActiveState(r) }))
	for _, id := range st.where(func(r row) bool { return jobs[r.int("jobID")] && isActiveState(r) }) {
		r := st.rows[id]
		r["return"], r["details"], r["stateID"] = "-9999", "Cancelled due to new tasking.", "5"
	}
	for id := range jobs {
		jt.rows[id]["stateID"] = "5"
	}
	for _, id := range tt.where(func(r row) bool { return r.int("hostID") == hostID && isActiveState(r) && r.int("id") != keep }) {
		tt.rows[id]["stateID"] = "5"
	}
}

// cancelHostSnapinJobLocked is the snapin part of Task::cancel, whatever the
// task's type: the host's active job is cancelled and every snapin task of
// it gets state 5 and a complete date (recordings 666, 673). A task whose
// host has no active job cancels nothing else (648).
func (s *Server) cancelHostSnapinJobLocked(hostID int64) {
	job := s.hostActiveSnapinJob(hostID)
	if job == 0 {
		return
	}
	st := s.tbl("snapintask")
	s.setSnapinTasksCancelled(st.where(func(r row) bool { return r.int("jobID") == job }))
	s.tbl("snapinjob").rows[job]["stateID"] = "5"
}

func (s *Server) setSnapinTasksCancelled(ids []int64) {
	st := s.tbl("snapintask")
	now := s.nowString()
	for _, id := range ids {
		st.rows[id]["stateID"] = "5"
		st.rows[id]["complete"] = now
	}
}

// cancelSnapinLocked is Route::cancel for snapinjob and snapintask: an
// active object given by id is cancelled; an unknown id, or none, cancels
// every active one matching the JSON body (all of them without a body), like
// tasks. Answers null (recordings 663, 665).
//   - A snapin task: it gets state 5 and a complete date, and its job is
//     set to 5 even while other snapin tasks of the job are still queued;
//     the host task stays queued (663, 664).
//   - A snapin job: all its snapin tasks are cancelled, but the job itself
//     and the host task stay queued (665).
func (s *Server) cancelSnapinLocked(rt route, body map[string]any) *response {
	t := s.tbl(rt.class)
	var ids []int64
	if r := t.get(rt.id); rt.hasID && s.objectValid(rt.class, r) {
		if isActiveState(r) {
			ids = []int64{rt.id}
		}
	} else {
		ids = t.where(func(r row) bool {
			return s.listVisible(rt.class, r) && isActiveState(r) && filterMatch(t.sc, r, body)
		})
	}
	st := s.tbl("snapintask")
	switch rt.class {
	case "snapintask":
		s.setSnapinTasksCancelled(ids)
		jt := s.tbl("snapinjob")
		for _, id := range ids {
			if j := jt.get(st.rows[id].int("jobID")); j != nil {
				j["stateID"] = "5"
			}
		}
	case "snapinjob":
		jobs := idSet(ids)
		s.setSnapinTasksCancelled(st.where(func(r row) bool { return jobs[r.int("jobID")] }))
	}
	return s.jsonResp(http.StatusOK, nil)
}

// groupSnapinJobsLocked is the job writing of Group::_createSnapinTasking
// for the members, in membership order (snapin -1: each member's linked
// snapins, existing or not). Jobs are written only for members that have
// snapins, but then paired with the members by position, so snapin tasks
// can land in another member's job or in job 0 (recording 679: one job for
// the second member, its snapin task with jobID 0). The members' host tasks
// are groupTaskLocked's.
func (s *Server) groupSnapinJobsLocked(members []int64, snapin int64) {
	snapins := make([][]int64, len(members))
	var jobRows []map[string]string
	at := s.tbl("snapinassociation")
	for i, h := range members {
		if snapin == -1 {
			for _, id := range at.where(func(r row) bool { return r.int("hostID") == h }) {
				snapins[i] = append(snapins[i], at.rows[id].int("snapinID"))
			}
		} else {
			snapins[i] = []int64{snapin}
		}
		if len(snapins[i]) > 0 {
			jobRows = append(jobRows, s.newSnapinJob(h))
		}
	}
	if len(jobRows) == 0 {
		return
	}
	jobs := s.tbl("snapinjob").fogInsertBatch(jobRows)
	var taskRows []map[string]string
	for i := range members {
		var job int64 // PHP: undefined array key, null
		if i < len(jobs) {
			job = jobs[i]
		}
		for _, sid := range snapins[i] {
			taskRows = append(taskRows, s.newSnapinTask(job, sid))
		}
	}
	s.tbl("snapintask").fogInsertBatch(taskRows)
}
