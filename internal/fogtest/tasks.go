// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogtest

import (
	"net/http"
	"strconv"
	"strings"
)

// Task type classification (fog-api.md §3.1).
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

// taskLocked is Route::task -> Host::createImagePackage (§7.2).
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
		if isSnapinType(typeID) {
			return s.groupSnapinTaskLocked(id, typeID, body)
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

// createHostTaskLocked runs the checks and writes of §7.2 for one host.
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

// joinMulticastLocked links a type-8 task to a multicast session: an active
// session for the same image, or a new one (state 0, clients -1, next port).
func (s *Server) joinMulticastLocked(taskID, imageID, groupID, nodeID int64, body map[string]any) {
	mt := s.tbl("multicastsession")
	task := s.tbl("task").get(taskID)
	if phpTruthy(body["sessionjoin"]) {
		want := phpString(body["taskName"])
		for _, id := range mt.ids() {
			r := mt.rows[id]
			if isActiveState(r) && phpTrim(r["name"]) == want {
				s.db.msTasks[taskID] = id
				return
			}
		}
	}
	for _, id := range mt.ids() {
		r := mt.rows[id]
		if isActiveState(r) && mysqlToInt(r["imageID"]) == imageID {
			s.db.msTasks[taskID] = id
			return
		}
	}
	img := s.tbl("image").get(imageID)
	node := s.tbl("storagenode").get(nodeID)
	port := s.settingLocked("FOG_MULTICAST_PORT_OVERRIDE")
	if mysqlToInt(port) == 0 {
		port = s.settingLocked("FOG_UDPCAST_STARTINGPORT")
		// Like FOG, pick the next session's port at random (an even port).
		next := 49152 + 2*s.rng.Intn((65534-49152)/2)
		s.setSettingLocked("FOG_UDPCAST_STARTINGPORT", strconv.Itoa(next))
	}
	iface := ""
	if node != nil {
		iface = node["interface"]
	}
	vals := map[string]string{
		"name": task["name"], "port": port, "logpath": img["path"], "clients": "-1", "sessclients": "0",
		"interface": iface, "starttime": s.nowString(), "percent": "0", "stateID": "0",
		"completetime": "", "isDD": img["imageTypeID"], "storagegroupID": strconv.FormatInt(groupID, 10),
		"imageID": strconv.FormatInt(imageID, 10),
	}
	id := mt.insert(mt.build(vals))
	s.db.msTasks[taskID] = id
}

func (s *Server) groupTaskLocked(groupID, typeID int64, body map[string]any, user string) *response {
	members := s.db.groupHosts[groupID]
	if len(members) == 0 {
		return errorResp(s, http.StatusInternalServerError, "No hosts to task")
	}
	ht := s.tbl("host")
	var ids []int64
	for hid := range members {
		if h := ht.get(hid); s.objectValid("host", h) && len(s.hostActiveTasks(hid)) == 0 {
			ids = append(ids, hid)
		}
	}
	if len(ids) == 0 {
		return errorResp(s, http.StatusInternalServerError, "No hosts available to task")
	}
	ht.sortByName(ids)
	var last *response
	for _, hid := range ids {
		resp := s.createHostTaskLocked(hid, typeID, body, user)
		if resp.status != http.StatusOK {
			return resp
		}
		last = resp
	}
	return last
}

// ---- cancel ----

// cancelTaskObjectLocked is Task::cancel(): the loaded task is saved with
// stateID 5 (so its other fields go through the escape ratchet: a stored
// " - host" name loses its leading space), it leaves its multicast
// session, which is cancelled when no active task is left in it, and the
// host's active snapin job is cancelled with it (recordings 666, 673).
func (s *Server) cancelTaskObjectLocked(id int64) {
	s.saveObjectLocked("task", id, map[string]string{"stateID": "5"})
	s.detachFromSessionLocked(id, "5")
	s.cancelHostSnapinJobLocked(s.tbl("task").get(id).int("hostID"))
}

// detachFromSessionLocked removes a finished task from its multicast
// session and ends the session (state 4 or 5) when it has no active task left.
func (s *Server) detachFromSessionLocked(taskID int64, state string) {
	msID, ok := s.db.msTasks[taskID]
	if !ok {
		return
	}
	delete(s.db.msTasks, taskID)
	tt := s.tbl("task")
	for tid, sid := range s.db.msTasks {
		if r := tt.get(tid); sid == msID && r != nil && isActiveState(r) {
			return
		}
	}
	if r := s.tbl("multicastsession").get(msID); r != nil && isActiveState(r) {
		s.endSessionLocked(msID, state)
	}
}

// endSessionLocked is MulticastSession::cancel()/complete(): its tasks get
// the state by a mass update, the associations go, and the session is saved
// with the state, name "", clients 0 and completetime now.
func (s *Server) endSessionLocked(msID int64, state string) {
	tt := s.tbl("task")
	for tid, sid := range s.db.msTasks {
		if sid != msID {
			continue
		}
		if r := tt.get(tid); r != nil && isActiveState(r) {
			r["stateID"] = state
		}
		delete(s.db.msTasks, tid)
	}
	s.saveObjectLocked("multicastsession", msID, map[string]string{
		"stateID": state, "name": "", "clients": "0", "completetime": s.nowString(),
	})
}

// cancelLocked is Route::cancel (§7.6 and edge set A).
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
		ids := make([]int64, 0, len(s.db.groupHosts[rt.id]))
		for hid := range s.db.groupHosts[rt.id] {
			ids = append(ids, hid)
		}
		s.tbl("host").sortByName(ids)
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
		var sessions []int64
		if r := mt.get(rt.id); rt.hasID && r != nil {
			sessions = []int64{rt.id}
		} else {
			sessions = mt.where(func(r row) bool { return isActiveState(r) && filterMatch(mt.sc, r, body) })
		}
		for _, msID := range sessions {
			s.endSessionLocked(msID, "5")
		}
		return s.jsonResp(http.StatusOK, "")
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
		for _, id := range ids {
			t.rows[id]["stateID"] = "5"
		}
		for _, id := range ids {
			s.detachFromSessionLocked(id, "5")
			s.cancelHostSnapinJobLocked(t.rows[id].int("hostID"))
		}
	}
	return s.jsonResp(http.StatusOK, nil)
}
