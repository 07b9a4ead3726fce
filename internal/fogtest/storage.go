// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogtest

import (
	"html"
	"net/http"
)

// Storage groups (nfsGroups) and storage nodes (nfsGroupMembers). Deleting
// either deletes only its own row: a group's nodes and image associations
// keep pointing at it (recordings 732-733), and the default group can be
// deleted like any other (737).

// storageNodeCreateDefaults: StorageNode's getter turns a missing "pass"
// into "", which passes Route::create's required-field check, so a create
// without it writes a node with pass "" and then answers 404 because the
// reload is not valid (recording 705). That node is listed (712) but can be
// neither read, changed nor deleted by id (717). A missing "ip" (or other
// required field) is refused with 417 first (706).
func storageNodeCreateDefaults(vals map[string]string) {
	if _, ok := vals["pass"]; !ok {
		vals["pass"] = ""
	}
}

// nodeLoadedValue is the value a loaded node holds for a field: "pass" is
// the one field whose getter decodes HTML entities, so a save that does not
// set it writes the raw password back instead of escaping it once more
// (recordings 700-703).
func nodeLoadedValue(key, escaped string) string {
	if key == "pass" && escaped != sqlNull {
		return html.UnescapeString(escaped)
	}
	return escaped
}

// nodesOfGroup returns the node ids of a storage group sorted by name, as
// FOG lists them (recording 709: allnodes [2, 6, 3] for rec-node-1,
// rec-node-2, rec-node-nopass). A group that does not exist is read with id
// NULL, which SQL compares as 0: its lists are those of "group 0"
// (recordings 708, 733).
func (s *Server) nodesOfGroup(groupID int64) []int64 {
	nt := s.tbl("storagenode")
	ids := nt.where(func(r row) bool { return r.int("storagegroupID") == groupID })
	nt.sortByName(ids)
	return ids
}

// getNodeItemLocked is GET /fog/storagenode/{id}/{item}: "all" adds
// logfiles, snapinfiles and images, any other item adds that key; each is
// filled only when the node is online, which an emulated node never is
// (recording 711). The getter has loaded "online" by then, so it moves up
// before the added keys and clientload comes last.
func (s *Server) getNodeItemLocked(id int64, item string) *response {
	r := s.tbl("storagenode").get(id)
	if !s.objectValid("storagenode", r) {
		return emptyResp(http.StatusNotFound)
	}
	full := s.renderStorageNode(r, false)
	o := newObj()
	for _, k := range storageNodeSchema.keys() {
		o.set(k, full.value(k))
	}
	o.set("storagegroup", full.value("storagegroup")).set("online", full.value("online"))
	if item == "all" {
		o.set("logfiles", []any{}).set("snapinfiles", []any{}).set("images", []any{})
	} else {
		o.set(item, []any{})
	}
	o.set("clientload", full.value("clientload"))
	return s.jsonResp(http.StatusOK, o)
}

// value returns a key's value (nil when absent).
func (o *obj) value(k string) any {
	for i, kk := range o.keys {
		if kk == k {
			return o.vals[i]
		}
	}
	return nil
}
