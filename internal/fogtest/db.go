// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogtest

import (
	"sort"
	"strconv"
	"strings"
)

// The emulated database. Rows hold raw column text exactly as MySQL would
// store it (after its non-strict coercion); everything FOG does on the way
// out (trim, htmlspecialchars, typing) happens when a row is read.

type colKind int

const (
	cStr      colKind = iota // VARCHAR/TEXT/CHAR: string
	cInt                     // INT family: number (string on PHP <= 8.0)
	cEnum                    // ENUM: string
	cTime                    // DATETIME/TIMESTAMP: string
	cZerofill                // INT ZEROFILL (tasks.taskPCT): always a zero-padded string
	cLongNum                 // LONGTEXT holding a number (multicast imageID): always a string
)

// sqlNull marks an SQL NULL in a row.
const sqlNull = "\x00NULL\x00"

type column struct {
	key    string // API field name
	kind   colKind
	size   int      // VARCHAR/CHAR length in characters (0: TEXT)
	enum   []string // ENUM members
	def    string   // SQL DEFAULT, used when an INSERT does not list the column (fogInsertBatch)
	hasDef bool
}

type schema struct {
	class    string
	cols     []column
	idx      map[string]int
	hasName  bool
	required []string // FOG databaseFieldsRequired, in check order
	unique   string   // UNIQUE key used by INSERT ... ON DUPLICATE KEY UPDATE: a column, or columns joined by ","
}

func newSchema(class string, required []string, unique string, cols ...column) *schema {
	sc := &schema{class: class, cols: cols, idx: map[string]int{}, required: required, unique: unique}
	for i, c := range cols {
		sc.idx[c.key] = i
		if c.key == "name" {
			sc.hasName = true
		}
	}
	return sc
}

func (sc *schema) col(key string) (column, bool) {
	i, ok := sc.idx[key]
	if !ok {
		return column{}, false
	}
	return sc.cols[i], true
}

func (sc *schema) keys() []string {
	out := make([]string, len(sc.cols))
	for i, c := range sc.cols {
		out[i] = c.key
	}
	return out
}

// Column constructors.
func str(key string, size int) column       { return column{key: key, kind: cStr, size: size} }
func text(key string) column                { return column{key: key, kind: cStr} }
func integer(key string) column             { return column{key: key, kind: cInt} }
func datetime(key string) column            { return column{key: key, kind: cTime} }
func enum01(key string) column              { return column{key: key, kind: cEnum, enum: []string{"0", "1"}} }
func enumOf(key string, m ...string) column { return column{key: key, kind: cEnum, enum: m} }

// withDefault gives a column an SQL DEFAULT. FOG's save() lists every
// column, so only batch inserts ever use it.
func (c column) withDefault(v string) column { c.def, c.hasDef = v, true; return c }

// store converts a bound value (PDO binds everything as a string) to what the
// column keeps under sql_mode=”.
func (c column) store(v string) string {
	if v == sqlNull {
		return v
	}
	switch c.kind {
	case cInt, cZerofill:
		n := mysqlToInt(v)
		if c.kind == cZerofill && n < 0 {
			n = 0
		}
		return strconv.FormatInt(n, 10)
	case cEnum:
		return mysqlToEnum(v, c.enum)
	case cTime:
		return mysqlToDatetime(v)
	default:
		return truncateChars(mysqlUTF8MB3(v), c.size)
	}
}

type row map[string]string

func (r row) clone() row {
	n := make(row, len(r))
	for k, v := range r {
		n[k] = v
	}
	return n
}

func (r row) int(key string) int64 {
	v := r[key]
	if v == sqlNull || v == "" {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return mysqlToInt(v)
	}
	return n
}

type table struct {
	sc     *schema
	rows   map[int64]row
	order  []int64 // row ids, ascending
	nextID int64
	gen    int64 // bumped on every insert, delete and whole-row replace
}

func newTable(sc *schema) *table { return &table{sc: sc, rows: map[int64]row{}, nextID: 1} }

func (t *table) get(id int64) row {
	if id <= 0 {
		return nil
	}
	return t.rows[id]
}

// ids returns all row ids in ascending order (a copy).
func (t *table) ids() []int64 {
	out := make([]int64, len(t.order))
	copy(out, t.order)
	return out
}

// put stores a row under id, keeping the id order.
func (t *table) put(id int64, r row) {
	if _, ok := t.rows[id]; !ok {
		i := sort.Search(len(t.order), func(i int) bool { return t.order[i] >= id })
		t.order = append(t.order, 0)
		copy(t.order[i+1:], t.order[i:])
		t.order[i] = id
	}
	t.rows[id] = r
	t.gen++
}

// build makes a full row from supplied values: supplied keys are coerced,
// missing ones get ” coerced (0, the zero date, or the invalid enum ”).
func (t *table) build(vals map[string]string) row {
	r := row{}
	for _, c := range t.sc.cols {
		if c.key == "id" {
			continue
		}
		v, ok := vals[c.key]
		if !ok {
			v = ""
		}
		r[c.key] = c.store(v)
	}
	return r
}

// insert is FOG's INSERT ... ON DUPLICATE KEY UPDATE. Every insert consumes an
// AUTO_INCREMENT value; when the row collides with the table's UNIQUE key
// (after truncation) the existing row is overwritten in place and its id is
// returned (recording image-create-long-name-collides-after-truncation).
// When the overwrite changes nothing MySQL reports no insert id, so 0 is
// returned and FOG's reload finds nothing (recording 511).
func (t *table) insert(r row) int64 {
	newID := t.nextID
	t.nextID++
	if eid := t.duplicateOf(r); eid != 0 {
		r = r.clone()
		r["id"] = strconv.FormatInt(eid, 10)
		if sameRow(t.rows[eid], r) {
			return 0
		}
		t.put(eid, r)
		return eid
	}
	r = r.clone()
	r["id"] = strconv.FormatInt(newID, 10)
	t.put(newID, r)
	return newID
}

// duplicateOf returns the id of the row that r collides with on the table's
// UNIQUE key, or 0.
func (t *table) duplicateOf(r row) int64 {
	if t.sc.unique == "" {
		return 0
	}
	cols := strings.Split(t.sc.unique, ",")
	for _, eid := range t.order {
		e := t.rows[eid]
		match := true
		for _, c := range cols {
			if !collationEqual(e[c], r[c]) {
				match = false
				break
			}
		}
		if match {
			return eid
		}
	}
	return 0
}

func sameRow(a, b row) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// insertWithID inserts a seed row with a fixed id.
func (t *table) insertWithID(id int64, vals map[string]string) {
	r := t.build(vals)
	for k, v := range vals {
		if v == sqlNull {
			r[k] = sqlNull
		}
	}
	r["id"] = strconv.FormatInt(id, 10)
	t.put(id, r)
	if id >= t.nextID {
		t.nextID = id + 1
	}
}

func (t *table) delete(id int64) {
	if _, ok := t.rows[id]; !ok {
		return
	}
	delete(t.rows, id)
	i := sort.Search(len(t.order), func(i int) bool { return t.order[i] >= id })
	t.order = append(t.order[:i], t.order[i+1:]...)
	t.gen++
}

// where returns ids of rows for which keep returns true, ascending.
func (t *table) where(keep func(row) bool) []int64 {
	var out []int64
	for _, id := range t.order {
		if keep(t.rows[id]) {
			out = append(out, id)
		}
	}
	return out
}

// nameExists reports whether any row's name equals name under the collation.
func (t *table) nameExists(name string) bool {
	for _, r := range t.rows {
		if collationEqual(r["name"], name) {
			return true
		}
	}
	return false
}

// sortByName orders ids by the raw name under the collation (ORDER BY
// LOWER(name)), ties by id; classes without a name sort by id.
func (t *table) sortByName(ids []int64) {
	if !t.sc.hasName {
		sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		return
	}
	keys := make(map[int64]string, len(ids))
	for _, id := range ids {
		keys[id] = collationKey(t.rows[id]["name"])
	}
	sort.SliceStable(ids, func(i, j int) bool {
		a, b := keys[ids[i]], keys[ids[j]]
		if a != b {
			return a < b
		}
		return ids[i] < ids[j]
	})
}

// hiddenAPIName is FOG's list filter: names containing "_api_" (any case)
// anywhere but at position 0 are left out of lists and searches.
func hiddenAPIName(name string) bool {
	i := strings.Index(strings.ToLower(name), "_api_")
	return i > 0
}
