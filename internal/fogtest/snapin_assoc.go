// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogtest

import "strconv"

// snapinassociation is snapinAssoc: which snapins a host gets. The pair is
// UNIQUE (a second create of it answers 404, recording 635) and neither id
// is checked (636). Host and group objects never show their snapins (645).
var snapinAssocSchema = newSchema("snapinassociation", []string{"hostID", "snapinID"}, "hostID,snapinID",
	integer("id"), integer("hostID"), integer("snapinID"),
)

func init() { specificSchemas["snapinassociation"] = snapinAssocSchema }

// applyHostSnapins handles a host's "snapins" key: on create the listed
// snapins are added (recording 643), on PUT they replace the host's
// associations, [] removing them all (641, 642, 644). Ids are not checked.
func (s *Server) applyHostSnapins(hostID int64, body map[string]any, replace bool) {
	list, ok := idList(body["snapins"])
	if !ok {
		return
	}
	if replace {
		want := idSet(list)
		t := s.tbl("snapinassociation")
		for _, id := range t.where(func(r row) bool { return r.int("hostID") == hostID && !want[r.int("snapinID")] }) {
			t.delete(id)
		}
	}
	s.insertHostSnapinsLocked([]int64{hostID}, list)
}

// applyGroupSnapins handles a group's "snapins" key (PUT and create): every
// snapin that exists and is not listed is removed from every member, then
// the listed ones are added to every member; hosts outside the group keep
// theirs (recording 681). Associations to snapins that do not exist stay.
func (s *Server) applyGroupSnapins(groupID int64, body map[string]any) {
	list, ok := idList(body["snapins"])
	if !ok {
		return
	}
	members := s.groupMembers(groupID)
	isMember, want := idSet(members), idSet(list)
	st, t := s.tbl("snapin"), s.tbl("snapinassociation")
	for _, id := range t.where(func(r row) bool {
		sid := r.int("snapinID")
		return isMember[r.int("hostID")] && st.get(sid) != nil && !want[sid]
	}) {
		t.delete(id)
	}
	s.insertHostSnapinsLocked(members, list)
}

// insertHostSnapinsLocked writes every host x snapin pair in one batch.
func (s *Server) insertHostSnapinsLocked(hosts, snapins []int64) {
	var rows []map[string]string
	for _, h := range hosts {
		for _, sid := range snapins {
			rows = append(rows, map[string]string{"hostID": strconv.FormatInt(h, 10), "snapinID": strconv.FormatInt(sid, 10)})
		}
	}
	s.tbl("snapinassociation").fogInsertBatch(rows)
}

// hostSnapinIDs is Host::loadSnapins: the host's associated snapins that
// exist, sorted by name (recordings 649 and 672: tasks for "rec-snap-flags"
// before "rec-snap-full", and "rec-snap-full" before "rec-snap-min2").
func (s *Server) hostSnapinIDs(hostID int64) []int64 {
	st := s.tbl("snapin")
	var ids []int64
	seen := map[int64]bool{}
	t := s.tbl("snapinassociation")
	for _, id := range t.where(func(r row) bool { return r.int("hostID") == hostID }) {
		sid := t.rows[id].int("snapinID")
		if st.get(sid) != nil && !seen[sid] {
			seen[sid] = true
			ids = append(ids, sid)
		}
	}
	st.sortByName(ids)
	return ids
}

// destroyHostSnapinsLocked is the snapin part of Host::destroy: the host's
// snapin associations, snapin jobs and their snapin tasks go (reference/fog-api.md §6.6).
func (s *Server) destroyHostSnapinsLocked(hostID int64) {
	s.deleteWhereLocked("snapinassociation", "hostID", hostID)
	jt := s.tbl("snapinjob")
	for _, jid := range jt.where(func(r row) bool { return r.int("hostID") == hostID }) {
		s.deleteWhereLocked("snapintask", "jobID", jid)
		jt.delete(jid)
	}
}

func idSet(ids []int64) map[int64]bool {
	m := make(map[int64]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}
