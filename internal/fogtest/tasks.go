// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogtest

import (
	"net/http"
	"strconv"
	"strings"
)

// Task type classification (reference/fog-api.md §3.1).
func isDeployType(id int64) bool  { return id == 1 || id == 8 || id == 15 || id == 17 || id == 24 }
func isCaptureType(id int64) bool { return id == 2 || id == 16 }
func isImagingType(id int64) bool { return isDeployType(id) || isCaptureType(id) }
func isSnapinType(id int64) bool  { return id == 12 || id == 13 }

func isActiveState(r row) bool {
	st := r.int("stateID")
	return r["stateID"] != "" && st >= 0 && st <= 3
}

// hostActiveTasks returns the host's active tasks sorted by name.
func (s *Server) hostActiveTasks(hostID int64) []int64 {
	t := s.tbl("task")
	ids := t.where(func(r row) bool { return r.int("hostID") == hostID && isActiveState(r) })
	t.sortByName(ids)
	return ids
}

// taskLocked is Route::task -> Host::createImagePackage (reference/fog-api.md §7.2).
func (s *Server) taskLocked(class string, id int64, body map[string]any, user string) *response {
	switch class {
	case "host":
		h := s.tbl("host").get(id)
		if !s.objectValid("host", h) {
			return emptyResp(http.StatusNotFound)
		}
		typeID, ok := s.parseTaskType(body)
		if !ok {
			return errorResp(s, http.StatusNotImplemented, "Invalid tasking type passed")
		}
		return s.createHostTaskLocked(id, typeID, body, user)
	case "group":
		g := s.tbl("group").get(id)
		if !s.objectValid("group", g) {
			return emptyResp(http.StatusNotFound)
		}
		typeID, ok := s.parseTaskType(body)
		if !ok {
			return errorResp(s, http.StatusNotImplemented, "Invalid tasking type passed")
		}
		return s.groupTaskLocked(id, typeID, body, user)
	}
	// multicastsession, scheduledtask, snapinjob, snapintask, task: the
	// object has no createImagePackage (PHP fatal).
	return fatalResp()
}

func (s *Server) parseTaskType(body map[string]any) (int64, bool) {
	v, ok := body["taskTypeID"]
	if !ok || v == nil {
		return 0, false
	}
	str := strings.TrimSpace(phpString(v))
	n, err := strconv.ParseInt(str, 10, 64)
	if err != nil || n <= 0 {
		return 0, false
	}
	if s.tbl("tasktype").get(n) == nil {
		return 0, false
	}
	return n, true
}

// taskSuccess is the body of a successful task creation: "" for imaging
// types, null for the others (recordings host-task-deploy-ok-int,
// host-task-type10-inventory).
func (s *Server) taskSuccess(typeID int64) *response {
	if isImagingType(typeID) {
		return s.jsonResp(http.StatusOK, "")
	}
	return s.jsonResp(http.StatusOK, nil)
}

// createHostTaskLocked runs the checks and writes of reference/fog-api.md §7.2 for one host.
func (s *Server) createHostTaskLocked(hostID, typeID int64, body map[string]any, user string) *response {
	ht := s.tbl("host")
	h := ht.get(hostID)
	tt := s.tbl("task")
	if act := s.hostActiveTasks(hostID); len(act) > 0 {
		cur := tt.get(act[0])
		curType := cur.int("typeID")
		switch {
		case isImagingType(curType):
			return errorResp(s, http.StatusInternalServerError, "Host is already a member of an active task")
		case isSnapinType(curType) && isSnapinType(typeID):
			return s.snapinOnSnapinTaskLocked(hostID, act[0], typeID, body)
		default:
			for _, tid := range act {
				s.cancelTaskObjectLocked(tid)
			}
		}
	}
	var groupID, nodeID int64
	imageID := h.int("imageID")
	if isImagingType(typeID) {
		img := s.tbl("image").get(imageID)
		if !s.objectValid("image", img) {
			return errorResp(s, http.StatusInternalServerError, "Image is not valid")
		}
		if img["isEnabled"] != "1" {
			return errorResp(s, http.StatusInternalServerError, "Image is not enabled")
		}
		groupID = s.imagePrimaryGroup(imageID)
		if s.tbl("storagegroup").get(groupID) == nil {
			return errorResp(s, http.StatusInternalServerError, "The image storage group assigned is not valid")
		}
		nodeID = s.pickNode(groupID, isCaptureType(typeID))
		if nodeID == 0 {
			return fatalResp() // "Could not find any nodes containing this image"
		}
	}
	taskName := ""
	if v, ok := body["taskName"]; ok && v != nil {
		taskName = phpString(v)
	}
	hostName := loadedValue(hostSchema, h, "name")
	name := taskName + " - " + hostName
	if typeID == 8 && phpTruthy(body["sessionjoin"]) {
		name = taskName // joining a named session: no host suffix
	}
	createdBy := "fog"
	if user != "" {
		createdBy = user
	}
	flag := func(k string) bool { return phpTruthy(body[k]) }
	vals := map[string]string{
		"name": name, "checkInTime": "", "hostID": strconv.FormatInt(hostID, 10),
		"stateID": "1", "createdTime": s.nowString(), "createdBy": createdBy, "isForced": "0",
		"scheduledStartTime": "", "typeID": strconv.FormatInt(typeID, 10), "pct": "0",
		"storagegroupID": strconv.FormatInt(groupID, 10), "storagenodeID": strconv.FormatInt(nodeID, 10),
		"imageID": strconv.FormatInt(imageID, 10), "wol": "0", "isDebug": "0", "shutdown": "",
	}
	if flag("shutdown") {
		vals["shutdown"] = "1"
	}
	if flag("debug") {
		vals["isDebug"] = "1"
	}
	if flag("wol") {
		vals["wol"] = "1"
		s.wolSent++ // FOG sends the magic packet through every node and the web host
	}
	if v, ok := body["passreset"]; ok && v != nil {
		vals["passreset"] = phpString(v)
	}
	id := tt.insert(tt.build(vals))
	s.db.lastStep[id] = s.now()
	s.deploySnapinsLocked(hostID, typeID, body)
	if typeID == 8 {
		s.joinMulticastLocked(id, imageID, groupID, nodeID, body)
	}
	if typeID == 14 {
		// Wake-Up: the task row is deleted right away (recording
		// host-task-type14-wakeup-no-wol).
		s.destroyTaskLocked(id)
		return s.taskSuccess(typeID)
	}
	return s.taskSuccess(typeID)
}

// pickNode: the group's master node for captures, otherwise the least
// loaded enabled node; falls back to the lowest node id of the group.
func (s *Server) pickNode(groupID int64, capture bool) int64 {
	nt := s.tbl("storagenode")
	var ids []int64
	for _, id := range nt.ids() {
		if nt.rows[id].int("storagegroupID") == groupID {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return 0
	}
	if capture {
		for _, id := range ids {
			if nt.rows[id]["isMaster"] == "1" {
				return id
			}
		}
		return ids[0]
	}
	best, bestLoad := int64(0), int64(-1)
	for _, id := range ids {
		n := nt.rows[id]
		if n["isEnabled"] != "1" {
			continue
		}
		used, queued := s.nodeLoad(id)
		if bestLoad < 0 || used+queued < bestLoad {
			best, bestLoad = id, used+queued
		}
	}
	if best == 0 {
		return ids[0]
	}
	return best
}

// ---- cancel ----

// cancelTaskObjectLocked is Task::cancel(): the loaded task is saved with
// stateID 5, so its other fields go through the escape ratchet (a stored
// " - host" name loses its leading space) and an empty createdBy becomes
// "fog" (recordings 609, 612). Its multicast session and link stay
// (recordings 609, 610). The host's active snapin job is cancelled with it,
// whatever the task's type (recordings 666, 673).
func (s *Server) cancelTaskObjectLocked(id int64) {
	s.saveObjectLocked("task", id, map[string]string{"stateID": "5"})
	s.cancelHostSnapinJobLocked(s.tbl("task").get(id).int("hostID"))
}

// cancelLocked is Route::cancel (reference/fog-api.md §7.6 and edge set A).
func (s *Server) cancelLocked(rt route, body map[string]any) *response {
	switch rt.class {
	case "host":
		if !rt.hasID {
			return emptyResp(http.StatusNotFound)
		}
		h := s.tbl("host").get(rt.id)
		if !s.objectValid("host", h) {
			return emptyResp(http.StatusNotFound)
		}
		act := s.hostActiveTasks(rt.id)
		if len(act) == 0 {
			return fatalResp() // recording host-cancel-when-no-task
		}
		s.cancelTaskObjectLocked(act[0])
		return s.jsonResp(http.StatusOK, nil)
	case "group":
		g := s.tbl("group").get(rt.id)
		if !rt.hasID || !s.objectValid("group", g) {
			return emptyResp(http.StatusNotFound)
		}
		ht := s.tbl("host")
		var ids []int64
		for _, hid := range s.groupMembers(rt.id) {
			if ht.get(hid) != nil {
				ids = append(ids, hid)
			}
		}
		ht.sortByName(ids)
		for _, hid := range ids {
			act := s.hostActiveTasks(hid)
			if len(act) == 0 {
				return fatalResp() // same PHP error as a single host, after a partial cancel
			}
			s.cancelTaskObjectLocked(act[0])
		}
		return s.jsonResp(http.StatusOK, nil)
	case "multicastsession":
		mt := s.tbl("multicastsession")
		if r := mt.get(rt.id); rt.hasID && r != nil {
			if isActiveState(r) {
				s.cancelSessionLocked(rt.id)
			}
		} else {
			s.massCancelSessionsLocked(mt.where(func(r row) bool { return isActiveState(r) && filterMatch(mt.sc, r, body) }))
		}
		return s.jsonResp(http.StatusOK, "")
	case "scheduledtask":
		return s.cancelScheduledTaskLocked(rt)
	case "snapinjob", "snapintask":
		return s.cancelSnapinLocked(rt, body)
	}
	t := s.tbl(rt.class)
	if rt.hasID {
		if r := t.get(rt.id); s.objectValid(rt.class, r) {
			// A known id cancels that task only; the body is ignored (edge
			// recording a-task-cancel-real-id-body-other-hostid).
			if rt.class == "task" && isActiveState(r) {
				s.cancelTaskObjectLocked(rt.id)
			}
			return s.jsonResp(http.StatusOK, nil)
		}
	}
	// Unknown id or no id: every active row matching the JSON body is
	// cancelled, all of them when there is no body (recording
	// task-cancel-nonexistent-id-cancels-all). This is a mass UPDATE, so
	// names are not rewritten.
	if rt.class == "task" {
		ids := t.where(func(r row) bool {
			return s.taskVisible(r) && isActiveState(r) && filterMatch(t.sc, r, body)
		})
		s.massCancelTasksLocked(ids)
		for _, id := range ids {
			s.cancelHostSnapinJobLocked(t.rows[id].int("hostID"))
		}
	}
	return s.jsonResp(http.StatusOK, nil)
}
