// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogtest

import (
	"sort"
	"strconv"
)

// Association tables: the batch inserts FOG fills them with, the deletes of
// a destroy cascade, and the primary storage group of an image or snapin.
// A create of a pair that already exists is table.insert's ON DUPLICATE KEY
// UPDATE over the schema's two-column UNIQUE key (recordings 511, 635, 724:
// the reload answers 404 and the id is used up).

// fogInsertBatch is FOGManagerController::insertBatch: one multi-row
// INSERT ... ON DUPLICATE KEY UPDATE of the listed columns, every value
// trimmed. Columns a row does not list take their SQL default on a new row
// (imageassociation's primary "0", recordings 720, 728) and keep their value
// on an existing one. InnoDB reserves one AUTO_INCREMENT value per row up
// front; a row that hits the UNIQUE key hands its value on to the next row,
// and what is left over is lost (recordings 523, 524, 530 and 536: the gmIDs
// 6, 10, 14-16, 18, 21; 641-643: a host PUT of snapins [2,3] over [1,2]
// gives snapin 3 id 5, and the next create gets ids 9 and 10). It returns
// the id each row got, 0 for rows that hit an existing one.
func (t *table) fogInsertBatch(rows []map[string]string) []int64 {
	next := t.nextID
	t.nextID += int64(len(rows))
	ids := make([]int64, len(rows))
	for i, vals := range rows {
		listed := make(map[string]string, len(vals))
		for k, v := range vals {
			listed[k] = phpTrim(v)
		}
		withDefaults := make(map[string]string, len(t.sc.cols))
		for _, c := range t.sc.cols {
			if v, ok := listed[c.key]; ok {
				withDefaults[c.key] = v
			} else if c.hasDef {
				withDefaults[c.key] = c.def
			}
		}
		r := t.build(withDefaults)
		if eid := t.duplicateOf(r); eid != 0 {
			updated := t.rows[eid].clone()
			for _, c := range t.sc.cols {
				if _, ok := listed[c.key]; ok && c.key != "id" {
					updated[c.key] = r[c.key]
				}
			}
			if !sameRow(t.rows[eid], updated) {
				t.put(eid, updated)
			}
			continue
		}
		r["id"] = strconv.FormatInt(next, 10)
		t.put(next, r)
		ids[i] = next
		next++
	}
	return ids
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
//     with primary "1" (the read writes; reference/fog-api.md §5.2,
//     recording 718);
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
			panic(phpFatalPanic{})
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
		panic(phpFatalPanic{})
	}
	if len(primary) > 0 {
		live = primary
	}
	sort.Slice(live, func(i, j int) bool { return live[i] < live[j] })
	return live[0]
}
