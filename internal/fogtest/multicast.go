// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogtest

import "strconv"

// Multicast sessions (class multicastsession) and their task links (class
// multicastsessionassociation, table multicastSessionsAssoc), fleet
// recordings 585-595 and 605-613.

// msAssocSchema: lists print msID before id (recording 591).
var msAssocSchema = newSchema("multicastsessionassociation", []string{"msID", "taskID"}, "",
	integer("msID"), integer("id"), integer("taskID"),
)

func init() {
	specificSchemas["multicastsessionassociation"] = msAssocSchema
}

// sessionAssocs returns the multicastSessionsAssoc row ids of a session.
func (s *Server) sessionAssocs(msID int64) []int64 {
	return s.tbl("multicastsessionassociation").where(func(r row) bool { return r.int("msID") == msID })
}

func (s *Server) addSessionAssoc(msID, taskID int64) {
	t := s.tbl("multicastsessionassociation")
	t.insert(t.build(map[string]string{"msID": strconv.FormatInt(msID, 10), "taskID": strconv.FormatInt(taskID, 10)}))
}

// newSessionLocked saves a multicastSessions row (state 0) and, unless a
// port override is set, moves FOG_UDPCAST_STARTINGPORT to a random even
// port other than the one just used (mt_rand(24576, 32766) * 2; recording
// 586). A group session leaves clients at 0, a host session sets -1.
func (s *Server) newSessionLocked(name string, img row, iface string, groupID int64, clients string) int64 {
	mt := s.tbl("multicastsession")
	override := s.settingLocked("FOG_MULTICAST_PORT_OVERRIDE")
	port := override
	if !phpTruthyString(override) {
		port = s.settingLocked("FOG_UDPCAST_STARTINGPORT")
	}
	vals := map[string]string{
		"name": name, "port": port, "logpath": loadedValue(imageSchema, img, "path"), "clients": clients,
		"interface": iface, "starttime": s.nowString(), "percent": "0", "stateID": "0",
		"isDD": img["imageTypeID"], "storagegroupID": strconv.FormatInt(groupID, 10), "imageID": img["id"],
	}
	id := mt.insert(mt.build(vals))
	if !phpTruthyString(override) {
		next := 2 * (24576 + s.rng.Intn(32766-24576+1))
		for strconv.Itoa(next) == mt.rows[id]["port"] {
			next = 2 * (24576 + s.rng.Intn(32766-24576+1))
		}
		s.setSettingLocked("FOG_UDPCAST_STARTINGPORT", strconv.Itoa(next))
	}
	return id
}

// joinMulticastLocked is the multicast part of Host::createImagePackage: the
// task joins the first active session (by name) of its image, or of the
// taskName with "sessionjoin", else a new session is made (recording 608).
func (s *Server) joinMulticastLocked(taskID, imageID, groupID, nodeID int64, body map[string]any) {
	mt := s.tbl("multicastsession")
	task := s.tbl("task").get(taskID)
	join := func(match func(r row) bool) bool {
		ids := mt.where(func(r row) bool { return isActiveState(r) && match(r) })
		if len(ids) == 0 {
			return false
		}
		mt.sortByName(ids)
		s.addSessionAssoc(ids[0], taskID)
		return true
	}
	if phpTruthy(body["sessionjoin"]) {
		want := phpString(body["taskName"])
		if join(func(r row) bool { return collationEqual(phpTrim(r["name"]), want) }) {
			return
		}
	}
	if join(func(r row) bool { return mysqlToInt(r["imageID"]) == imageID }) {
		return
	}
	iface := ""
	if node := s.tbl("storagenode").get(nodeID); node != nil {
		iface = node["interface"]
	}
	msID := s.newSessionLocked(task["name"], s.tbl("image").get(imageID), iface, groupID, "-1")
	s.addSessionAssoc(msID, taskID)
}

// sessionTaskIDs returns the task ids linked to a session, in link order.
func (s *Server) sessionTaskIDs(msID int64) []int64 {
	at := s.tbl("multicastsessionassociation")
	var out []int64
	for _, aid := range s.sessionAssocs(msID) {
		out = append(out, at.rows[aid].int("taskID"))
	}
	return out
}

// cancelSessionLocked is MulticastSession::cancel(): every linked task goes
// to 5 whatever its state, the links go, and the session is saved with
// state 5, name "", clients 0 and completetime now (recordings 605, 611).
func (s *Server) cancelSessionLocked(msID int64) {
	s.finishSessionLocked(msID, "5", false)
}

// finishSessionLocked ends a session with state: its linked tasks (only the
// active ones when onlyActive) get the state by a mass update, its links
// are deleted, and the session row is saved (escape ratchet included).
func (s *Server) finishSessionLocked(msID int64, state string, onlyActive bool) {
	tt := s.tbl("task")
	for _, tid := range s.sessionTaskIDs(msID) {
		if r := tt.get(tid); r != nil && (!onlyActive || isActiveState(r)) {
			r["stateID"] = state
		}
	}
	at := s.tbl("multicastsessionassociation")
	for _, aid := range s.sessionAssocs(msID) {
		at.delete(aid)
	}
	s.saveObjectLocked("multicastsession", msID, map[string]string{
		"stateID": state, "name": "", "clients": "0", "completetime": s.nowString(),
	})
}

// massCancelSessionsLocked is MulticastSessionManager::cancel (Route::cancel
// with an unknown id, and TaskManager::cancel): the linked tasks go to 5,
// the sessions get state 5 and name "" by one UPDATE (no completetime, no
// ratchet), and their links are deleted.
func (s *Server) massCancelSessionsLocked(ids []int64) {
	tt := s.tbl("task")
	mt := s.tbl("multicastsession")
	at := s.tbl("multicastsessionassociation")
	for _, msID := range ids {
		for _, tid := range s.sessionTaskIDs(msID) {
			if r := tt.get(tid); r != nil {
				r["stateID"] = "5"
			}
		}
		if r := mt.get(msID); r != nil {
			r["stateID"] = "5"
			r["name"] = ""
		}
		for _, aid := range s.sessionAssocs(msID) {
			at.delete(aid)
		}
	}
}

// massCancelTasksLocked is TaskManager::cancel: the active tasks among ids
// go to 5, their session links are deleted, and their active sessions are
// cancelled when none of those sessions has a link left (recording
// task-cancel-nonexistent-id-cancels-all).
func (s *Server) massCancelTasksLocked(ids []int64) {
	tt := s.tbl("task")
	for _, id := range ids {
		if r := tt.get(id); r != nil && isActiveState(r) {
			r["stateID"] = "5"
		}
	}
	want := map[int64]bool{}
	for _, id := range ids {
		want[id] = true
	}
	at := s.tbl("multicastsessionassociation")
	mt := s.tbl("multicastsession")
	sessions := map[int64]bool{}
	for _, aid := range at.ids() {
		if r := at.rows[aid]; want[r.int("taskID")] {
			sessions[r.int("msID")] = true
			at.delete(aid)
		}
	}
	var active []int64
	for _, msID := range mt.ids() {
		if sessions[msID] && isActiveState(mt.rows[msID]) {
			active = append(active, msID)
		}
	}
	left := 0
	for _, msID := range active {
		left += len(s.sessionAssocs(msID))
	}
	if left == 0 && len(active) > 0 {
		s.massCancelSessionsLocked(active)
	}
}

// detachFromSessionLocked is the emulator's stand-in for FOG's multicast
// service when a task completes (state 4): the task leaves its session, and
// a session with no active task left is completed.
func (s *Server) detachFromSessionLocked(taskID int64, state string) {
	at := s.tbl("multicastsessionassociation")
	var sessions []int64
	for _, aid := range at.ids() {
		if r := at.rows[aid]; r.int("taskID") == taskID {
			sessions = append(sessions, r.int("msID"))
			at.delete(aid)
		}
	}
	tt := s.tbl("task")
	for _, msID := range sessions {
		busy := false
		for _, tid := range s.sessionTaskIDs(msID) {
			if r := tt.get(tid); r != nil && isActiveState(r) {
				busy = true
			}
		}
		if r := s.tbl("multicastsession").get(msID); !busy && r != nil && isActiveState(r) {
			s.finishSessionLocked(msID, state, true)
		}
	}
}
