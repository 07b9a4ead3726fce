// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogtest

import (
	"net/http"
	"sort"
	"strconv"
)

// Association tables keyed by a UNIQUE pair of ids, the batch inserts FOG
// uses to fill them, and the PHP fatal a read can end in.

// phpFatal aborts a request the way an uncaught PHP error does: handleAPI
// answers 500 with an empty text/html body (display_errors Off) and keeps
// whatever was written before.
type phpFatal struct{}

// pairUnique are the association classes whose two id columns form a UNIQUE
// key, so a create of an existing pair is an upsert.
var pairUnique = map[string][2]string{
	"snapinassociation":      {"hostID", "snapinID"},
	"imageassociation":       {"imageID", "storagegroupID"},
	"snapingroupassociation": {"snapinID", "storagegroupID"},
}

// findPair returns the id of the row holding the pair, or 0.
func (t *table) findPair(keys [2]string, r row) int64 {
	a, b := r.int(keys[0]), r.int(keys[1])
	for _, id := range t.order {
		x := t.rows[id]
		if x.int(keys[0]) == a && x.int(keys[1]) == b {
			return id
		}
	}
	return 0
}

// pairCreateLocked is Route::create's save() for a pair that already exists:
// INSERT ... ON DUPLICATE KEY UPDATE uses up an AUTO_INCREMENT value either
// way. When nothing changes MySQL reports insert id 0 and the reload answers
// 404 with no second row (recordings 635, 724: the next create skips an
// id); when the other columns differ the row is overwritten and returned.
// It returns nil when the class has no pair key or the pair is new.
func (s *Server) pairCreateLocked(class string, vals map[string]string) *response {
	keys, ok := pairUnique[class]
	if !ok {
		return nil
	}
	t := s.tbl(class)
	r := t.build(vals)
	id := t.findPair(keys, r)
	if id == 0 {
		return nil
	}
	t.nextID++
	old := t.rows[id]
	same := true
	for _, c := range t.sc.cols {
		if c.key != "id" && old[c.key] != r[c.key] {
			same = false
		}
	}
	if same {
		return emptyResp(http.StatusNotFound)
	}
	r["id"] = strconv.FormatInt(id, 10)
	t.put(id, r)
	return s.jsonResp(http.StatusOK, s.render(class, t.rows[id], false, false))
}

// insertBatchLocked is FOGManagerController::insertBatch: one multi-row
// INSERT ... ON DUPLICATE KEY UPDATE of the listed columns (the others get
// their defaults from vals as given). The statement reserves one
// AUTO_INCREMENT value per row; new rows take them in order and rows whose
// pair already exists leave theirs unused (recordings 641-643: a host PUT of
// snapins [2,3] over [1,2] gives snapin 3 id 5, the identical PUT after it
// writes nothing, and the next create gets ids 9 and 10). It returns the ids
// of the rows written or matched, in order.
func (s *Server) insertBatchLocked(class string, rows []map[string]string) []int64 {
	t := s.tbl(class)
	keys, paired := pairUnique[class]
	next := t.nextID
	t.nextID += int64(len(rows))
	out := make([]int64, 0, len(rows))
	for _, vals := range rows {
		r := t.build(vals)
		if paired {
			if id := t.findPair(keys, r); id != 0 {
				out = append(out, id)
				continue
			}
		}
		r["id"] = strconv.FormatInt(next, 10)
		t.put(next, r)
		out = append(out, next)
		next++
	}
	return out
}

// deleteWhereLocked removes every row of class whose column key equals id
// (a DELETE ... WHERE of a destroy cascade).
func (s *Server) deleteWhereLocked(class, key string, id int64) {
	t := s.tbl(class)
	for _, rid := range t.where(func(r row) bool { return r.int(key) == id }) {
		t.delete(rid)
	}
}

// primaryGroupOf is Image::getStorageGroup (and Snapin's copy of it) over an
// association table with columns owner, storagegroupID and primary:
//   - no association at all: one is written to the lowest-id storage group
//     with primary "1" (the read writes; fog-api.md §5.2, recording 718);
//   - otherwise only associations whose group still exists count: the lowest
//     such group marked primary, else the lowest such group (recording 720:
//     groups 1 and 2, neither primary, read as "default"; 727);
//   - associations that all point to deleted groups end in PHP's
//     min() of an empty array: a fatal error (recordings 735, 739, 742).
func (s *Server) primaryGroupOf(class, owner string, ownerID int64) int64 {
	t := s.tbl(class)
	gt := s.tbl("storagegroup")
	rows := t.where(func(r row) bool { return r.int(owner) == ownerID })
	if len(rows) == 0 {
		groups := gt.ids()
		if len(groups) == 0 {
			panic(phpFatal{})
		}
		t.insert(t.build(map[string]string{
			owner: strconv.FormatInt(ownerID, 10), "storagegroupID": strconv.FormatInt(groups[0], 10), "primary": "1",
		}))
		return groups[0]
	}
	var primary, live []int64
	for _, id := range rows {
		r := t.rows[id]
		g := r.int("storagegroupID")
		if gt.get(g) == nil {
			continue
		}
		live = append(live, g)
		if r["primary"] == "1" {
			primary = append(primary, g)
		}
	}
	if len(live) == 0 {
		panic(phpFatal{})
	}
	if len(primary) > 0 {
		live = primary
	}
	sort.Slice(live, func(i, j int) bool { return live[i] < live[j] })
	return live[0]
}
