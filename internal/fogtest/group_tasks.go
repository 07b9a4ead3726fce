// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogtest

import (
	"net/http"
	"sort"
	"strconv"
)

// groupTaskLocked is Group::createImagePackage (fleet recordings 573-604),
// bugs included:
//   - only members with a queued or running imaging-type task are skipped,
//     but the write loops still run over the full member count with the
//     positions array_diff left, so a busy member becomes a task for host 0
//     and the images shift (577, 579);
//   - a deploy pairs members in membership order with their images in host
//     name order (580); a multicast uses the lowest image id for everyone (593);
//   - a capture writes nothing (599); other types task every member, busy
//     or not (601); Wake-Up writes nothing (596);
//   - snapin types (12, 13) without "deploySnapins" end in a TypeError
//     (678); with it every member gets a task, snapins or not, beside the
//     jobs groupSnapinJobsLocked writes (679).
//
// Rows are written with one multi-row INSERT, so createdBy is the HTTP Basic
// user ("" with tokens), storagegroupID is 0 and values are trimmed.
func (s *Server) groupTaskLocked(groupID, typeID int64, body map[string]any, user string) *response {
	g := s.tbl("group").get(groupID)
	taskName := ""
	if v, ok := body["taskName"]; ok && v != nil {
		taskName = phpString(v)
	}
	taskName += " - " + loadedValue(groupSchema, g, "name")
	hostCount := int(s.groupHostCount(groupID))
	if hostCount < 1 {
		return errorResp(s, http.StatusInternalServerError, "No hosts to task")
	}
	members := s.groupMembers(groupID)
	busy := map[int64]bool{}
	inMembers := map[int64]bool{}
	for _, h := range members {
		inMembers[h] = true
	}
	tt := s.tbl("task")
	for _, id := range tt.order {
		r := tt.rows[id]
		if inMembers[r.int("hostID")] && isActiveState(r) && isInitNeededType(r.int("typeID")) {
			busy[r.int("hostID")] = true
		}
	}
	free := map[int]int64{} // array_diff keeps the positions
	var freeIDs []int64
	for i, h := range members {
		if !busy[h] {
			free[i] = h
			freeIDs = append(freeIDs, h)
		}
	}
	if len(free) == 0 {
		return errorResp(s, http.StatusInternalServerError, "No hosts available to task")
	}
	flag := func(k string) string {
		if v, ok := body[k]; ok && v != nil {
			return phpString(v)
		}
		return ""
	}
	wol := flag("wol")
	base := map[string]string{
		"name": taskName, "createdBy": user, "stateID": "1", "typeID": strconv.FormatInt(typeID, 10),
		"wol": wol, "createdTime": s.nowString(),
	}
	batch := func(hostAt func(i int) int64, n int, extra func(i int, vals map[string]string)) []int64 {
		rows := make([]map[string]string, n)
		for i := 0; i < n; i++ {
			vals := map[string]string{}
			for k, v := range base {
				vals[k] = v
			}
			vals["hostID"] = strconv.FormatInt(hostAt(i), 10)
			if extra != nil {
				extra(i, vals)
			}
			rows[i] = vals
		}
		ids := tt.fogInsertBatch(rows)
		for _, id := range ids {
			s.db.lastStep[id] = s.now()
		}
		return ids
	}
	positional := func(i int) int64 { return free[i] } // a missing position binds null: host 0
	snapinArg, snapinOK := deploySnapinsArg(body)

	switch {
	case isImagingType(typeID):
		imageID := s.lowestImageOf(freeIDs)
		img := s.tbl("image").get(imageID)
		if imageID < 1 || !s.objectValid("image", img) {
			return errorResp(s, http.StatusInternalServerError, "Image is not valid")
		}
		if img["isEnabled"] != "1" {
			return errorResp(s, http.StatusInternalServerError, "Image is not enabled")
		}
		sg := s.imagePrimaryGroup(imageID)
		if s.tbl("storagegroup").get(sg) == nil {
			return errorResp(s, http.StatusInternalServerError, "The image storage group assigned is not valid")
		}
		nodeID := s.masterNode(sg)
		if nodeID == 0 {
			return errorResp(s, http.StatusInternalServerError, "Unable to find master Storage Node")
		}
		imaging := func(vals map[string]string) {
			vals["isForced"] = "0"
			vals["storagenodeID"] = strconv.FormatInt(nodeID, 10)
			vals["shutdown"] = flag("shutdown")
			vals["isDebug"] = flag("debug")
			vals["passreset"] = flag("passreset")
		}
		switch {
		case typeID == 8:
			iface := ""
			if n := s.tbl("storagenode").get(nodeID); n != nil {
				iface = n["interface"]
			}
			msID := s.newSessionLocked(taskName, img, iface, sg, "")
			ids := batch(positional, hostCount, func(i int, vals map[string]string) {
				imaging(vals)
				vals["imageID"] = strconv.FormatInt(imageID, 10)
			})
			at := s.tbl("multicastsessionassociation")
			links := make([]map[string]string, len(ids))
			for i, tid := range ids {
				links[i] = map[string]string{"msID": strconv.FormatInt(msID, 10), "taskID": strconv.FormatInt(tid, 10)}
			}
			at.fogInsertBatch(links)
			s.groupSnapinTasking(groupID, -1, true)
		case isDeployType(typeID):
			images := s.imagesByHostName(freeIDs)
			batch(positional, hostCount, func(i int, vals map[string]string) {
				imaging(vals)
				if i < len(images) {
					vals["imageID"] = strconv.FormatInt(images[i], 10)
				}
			})
			if typeID != 17 {
				s.groupSnapinTasking(groupID, snapinArg, snapinOK)
			}
		}
	case isSnapinType(typeID):
		if !snapinOK {
			// _createSnapinTasking returns nothing and count(null) is a
			// TypeError on PHP 8.
			return fatalResp()
		}
		hosts := s.groupSnapinTasking(groupID, snapinArg, true)
		batch(func(i int) int64 { return hosts[i] }, len(hosts), nil)
	case typeID != 14:
		batch(func(i int) int64 { return members[i] }, len(members), func(i int, vals map[string]string) {
			vals["shutdown"] = flag("shutdown")
		})
	}
	if phpTruthy(body["wol"]) {
		s.wolSent++ // Group::wakeOnLAN: the members' MACs, through every node and the web host
	}
	return s.jsonResp(http.StatusOK, "")
}

// isInitNeededType is TaskType::isInitNeededTasking(true): 1-24 but 4, 12,
// 13 and 14.
func isInitNeededType(id int64) bool {
	return id >= 1 && id <= 24 && id != 4 && id != 12 && id != 13 && id != 14
}

// groupSnapinTasking is Group::_createSnapinTasking: it writes the snapin
// jobs of the group's members and returns the members.
func (s *Server) groupSnapinTasking(groupID, snapin int64, ok bool) []int64 {
	if !ok {
		return nil
	}
	hosts := s.groupMembers(groupID)
	s.groupSnapinJobsLocked(hosts, snapin)
	return hosts
}

// lowestImageOf is @min over the imageIDs of the given hosts (0 when none
// of them exists).
func (s *Server) lowestImageOf(hostIDs []int64) int64 {
	ht := s.tbl("host")
	lowest, found := int64(0), false
	for _, h := range hostIDs {
		if r := ht.get(h); r != nil {
			if id := r.int("imageID"); !found || id < lowest {
				lowest, found = id, true
			}
		}
	}
	return lowest
}

// imagesByHostName is getSubObjectIDs('Host', ids, 'imageID') without the
// unique filter: the images of the hosts that exist, in host name order.
func (s *Server) imagesByHostName(hostIDs []int64) []int64 {
	ht := s.tbl("host")
	var ids []int64
	seen := map[int64]bool{}
	for _, h := range hostIDs {
		if ht.get(h) != nil && !seen[h] {
			seen[h] = true
			ids = append(ids, h)
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	ht.sortByName(ids)
	out := make([]int64, len(ids))
	for i, h := range ids {
		out[i] = ht.rows[h].int("imageID")
	}
	return out
}

// masterNode is StorageGroup::getMasterStorageNode when no node answers
// (the emulator's nodes are never online): the lowest enabled node id, or
// the lowest node id when none is enabled; 0 when the group has no node.
func (s *Server) masterNode(groupID int64) int64 {
	nt := s.tbl("storagenode")
	var enabled, all []int64
	for _, id := range nt.ids() {
		n := nt.rows[id]
		if n.int("storagegroupID") != groupID {
			continue
		}
		all = append(all, id)
		if n["isEnabled"] == "1" && n.int("maxClients") >= 1 {
			enabled = append(enabled, id)
		}
	}
	if len(enabled) > 0 {
		return enabled[0]
	}
	if len(all) > 0 {
		return all[0]
	}
	return 0
}
