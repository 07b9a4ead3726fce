// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogtest

import (
	"encoding/json"
	"strconv"
)

// Groups (class group, table groups) and their membership (class
// groupassociation, table groupMembers), fleet recordings 457-545.

// groupSchema: FOG prints createdBy before createdTime (recording 457).
var groupSchema = newSchema("group", []string{"name"}, "name",
	integer("id"), str("name", 50), text("description"), str("createdBy", 50), datetime("createdTime"),
	integer("building"), str("kernel", 255), str("kernelArgs", 255), str("kernelDevice", 255),
)

// groupAssocSchema is groupMembers: UNIQUE (gmHostID, gmGroupID), no check
// that either id exists (recordings 512, 513).
var groupAssocSchema = newSchema("groupassociation", []string{"hostID", "groupID"}, "hostID,groupID",
	integer("id"), integer("hostID"), integer("groupID"),
)

func init() {
	specificSchemas["groupassociation"] = groupAssocSchema
}

// groupMembers is Group::loadHosts: the hostIDs of the group's
// groupMembers rows in row order, hosts that no longer exist included.
func (s *Server) groupMembers(groupID int64) []int64 {
	t := s.tbl("groupassociation")
	var out []int64
	seen := map[int64]bool{}
	for _, id := range t.order {
		r := t.rows[id]
		if r.int("groupID") == groupID && !seen[r.int("hostID")] {
			seen[r.int("hostID")] = true
			out = append(out, r.int("hostID"))
		}
	}
	return out
}

// groupHostCount is Group::getHostCount: members that exist as host rows
// (recording 515: an orphan row for host 999 is not counted).
func (s *Server) groupHostCount(groupID int64) int64 {
	ht := s.tbl("host")
	n := int64(0)
	for _, hid := range s.groupMembers(groupID) {
		if ht.get(hid) != nil {
			n++
		}
	}
	return n
}

// hostGroupIDs is Host::loadGroups: the host's groups that exist, ordered
// by group name.
func (s *Server) hostGroupIDs(hostID int64) []int64 {
	t := s.tbl("groupassociation")
	gt := s.tbl("group")
	var out []int64
	seen := map[int64]bool{}
	for _, id := range t.order {
		r := t.rows[id]
		g := r.int("groupID")
		if r.int("hostID") == hostID && gt.get(g) != nil && !seen[g] {
			seen[g] = true
			out = append(out, g)
		}
	}
	gt.sortByName(out)
	return out
}

// ---- FOGController::addRemItem and assocSetter ----

// addItems is addRemItem(..., 'merge') on an empty list: falsy values are
// dropped, the rest kept as PHP strings.
func addItems(v any) []string {
	var items []string
	for _, e := range phpList(v) {
		if phpTruthy(e) {
			items = append(items, phpString(e))
		}
	}
	return items
}

// removeItems is addRemItem(..., 'diff'): the first occurrence of each value
// goes, then falsy entries.
func removeItems(items []string, rem []string) []string {
	out := append([]string(nil), items...)
	for _, r := range rem {
		for i, x := range out {
			if x == r {
				out = append(out[:i], out[i+1:]...)
				break
			}
		}
	}
	kept := out[:0]
	for _, x := range out {
		if x != "" && x != "0" {
			kept = append(kept, x)
		}
	}
	return kept
}

// phpList is (array)$v for a decoded JSON value.
func phpList(v any) []any {
	switch x := v.(type) {
	case nil:
		return nil
	case []any:
		return x
	case map[string]any:
		out := make([]any, 0, len(x))
		for _, e := range x {
			out = append(out, e)
		}
		return out
	}
	return []any{v}
}

// arrayDiff is PHP array_diff on string values.
func arrayDiff(a, b []string) []string {
	in := map[string]bool{}
	for _, x := range b {
		in[x] = true
	}
	var out []string
	for _, x := range a {
		if !in[x] {
			out = append(out, x)
		}
	}
	return out
}

func idStrings(ids []int64) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = strconv.FormatInt(id, 10)
	}
	return out
}

// assocSetterGroups is FOGController::assocSetter for groupMembers from
// either side: rows of owner (hostID or groupID) whose other column is not
// in items are deleted, then every item is inserted again in one batch.
func (s *Server) assocSetterGroups(ownerCol string, ownerID int64, items []string) {
	otherCol := "groupID"
	if ownerCol == "groupID" {
		otherCol = "hostID"
	}
	t := s.tbl("groupassociation")
	var cur []string
	for _, id := range t.order {
		if r := t.rows[id]; r.int(ownerCol) == ownerID {
			cur = append(cur, r[otherCol])
		}
	}
	rem := map[string]bool{}
	for _, x := range arrayDiff(cur, items) {
		rem[x] = true
	}
	for _, id := range t.ids() {
		if r := t.rows[id]; r.int(ownerCol) == ownerID && rem[r[otherCol]] {
			t.delete(id)
		}
	}
	if len(items) == 0 {
		return
	}
	own := strconv.FormatInt(ownerID, 10)
	rows := make([]map[string]string, len(items))
	for i, x := range items {
		rows[i] = map[string]string{ownerCol: own, otherCol: x}
	}
	t.fogInsertBatch(rows)
}

// ---- host "groups" ----

// hostCreateGroups is Route::create's addGroup for a new host, saved by
// Host::save (recording 527).
func (s *Server) hostCreateGroups(hostID int64, body map[string]any) {
	v, ok := body["groups"]
	if !ok || v == nil {
		return
	}
	items := addItems(v)
	if len(items) == 0 {
		return // addRemItem returns before loading the list: nothing is saved
	}
	s.assocSetterGroups("hostID", hostID, items)
}

// hostEditGroups is Route::edit's removeGroup/addGroup: "groups" replaces
// the host's memberships, unknown group ids included (recordings 521-526).
func (s *Server) hostEditGroups(hostID int64, body map[string]any) {
	v, ok := body["groups"]
	if !ok || v == nil {
		return
	}
	sent := addItems(v)
	cur := idStrings(s.hostGroupIDs(hostID))
	items := removeItems(cur, arrayDiff(cur, sent))
	items = append(items, arrayDiff(sent, cur)...)
	s.assocSetterGroups("hostID", hostID, items)
}

// ---- group "hosts" and "imageID" ----

// groupHostsPlan is what a group create or PUT will do to groupMembers once
// the group row is saved.
type groupHostsPlan struct {
	loaded bool // Group::save runs assocSetter only when "hosts" was loaded
	items  []string
}

// planGroupCreate is Route::create for a group: "hosts" are added, and
// "imageID" is applied to them only when "hosts" is sent too (recording
// 538). A bad image or a busy member is a PHP fatal before anything is saved.
func (s *Server) planGroupCreate(body map[string]any) (groupHostsPlan, *response) {
	var p groupHostsPlan
	v, ok := body["hosts"]
	if !ok || v == nil {
		return p, nil
	}
	p.items = addItems(v)
	p.loaded = len(p.items) > 0
	if img, ok := body["imageID"]; ok && img != nil {
		p.loaded = true
		if fail := s.groupAddImage(img, p.items); fail != nil {
			return p, fail
		}
	}
	return p, nil
}

// planGroupEdit is Route::edit for a group: "hosts" replaces the members,
// unknown host ids included (recordings 529-532); a truthy "imageID" is
// written onto every member (536) or fails the whole PUT (539, 541).
func (s *Server) planGroupEdit(groupID int64, body map[string]any) (groupHostsPlan, *response) {
	var p groupHostsPlan
	if v, ok := body["hosts"]; ok && v != nil {
		sent := addItems(v)
		cur := idStrings(s.groupMembers(groupID))
		p.items = removeItems(cur, arrayDiff(cur, sent))
		p.items = append(p.items, arrayDiff(sent, cur)...)
		p.loaded = true
	}
	if img := body["imageID"]; phpTruthy(img) {
		if !p.loaded {
			p.items = idStrings(s.groupMembers(groupID))
			p.loaded = true
		}
		if fail := s.groupAddImage(img, p.items); fail != nil {
			return p, fail
		}
	}
	return p, nil
}

func (s *Server) applyGroupHostsPlan(groupID int64, p groupHostsPlan) {
	if p.loaded && groupID > 0 {
		s.assocSetterGroups("groupID", groupID, p.items)
	}
}

// groupAddImage is Group::addImage: an invalid numeric image id throws
// "Select a valid image", a member with a queued or running task throws
// "There is a host in a tasking" (both uncaught: 500, empty body); otherwise
// every member's imageID is updated at once.
func (s *Server) groupAddImage(v any, members []string) *response {
	str := phpString(v)
	numeric := isPHPNumeric(v)
	img := s.tbl("image").get(mysqlToInt(str))
	if numeric && (mysqlToInt(str) < 1 || !s.objectValid("image", img)) {
		return fatalResp()
	}
	ids := map[int64]bool{}
	for _, m := range members {
		ids[mysqlToInt(phpTrim(m))] = true
	}
	if len(ids) == 0 {
		ids[0] = true // hostID IN () becomes hostID = '': rows with host 0 match
	}
	tt := s.tbl("task")
	for _, id := range tt.order {
		if r := tt.rows[id]; ids[r.int("hostID")] && isActiveState(r) {
			return fatalResp()
		}
	}
	imageID := strconv.FormatInt(mysqlToInt(str), 10)
	ht := s.tbl("host")
	for hid := range ids {
		if h := ht.get(hid); h != nil {
			h["imageID"] = imageID
		}
	}
	return nil
}

// isPHPNumeric is is_numeric on a decoded JSON value.
func isPHPNumeric(v any) bool {
	switch x := v.(type) {
	case float64, json.Number:
		return true
	case string:
		return isNumericString(x)
	}
	return false
}

// ---- deletes ----

// destroyGroupLocked is Group::destroy: its groupMembers rows, then the row
// (recording 500).
func (s *Server) destroyGroupLocked(id int64) {
	s.deleteWhereLocked("groupassociation", "groupID", id)
	s.tbl("group").delete(id)
}

// groupSearchHosts adds to out the hosts of every group whose name or
// description matches pattern (host search, reference/fog-api.md §9).
func (s *Server) groupSearchHosts(pattern string, out map[int64]bool) {
	gt := s.tbl("group")
	t := s.tbl("groupassociation")
	for _, id := range t.order {
		r := t.rows[id]
		g := gt.get(r.int("groupID"))
		if g != nil && (likeMatch(g["name"], pattern) || likeMatch(g["description"], pattern)) {
			out[r.int("hostID")] = true
		}
	}
}
