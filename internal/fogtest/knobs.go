// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogtest

import (
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"sync"
)

// ---- switches ----

// SetAPIEnabled flips globalSettings.FOG_API_ENABLED. While disabled every
// API URL answers 302 to /fog/management/index.php before any auth check.
func (s *Server) SetAPIEnabled(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := "0"
	if on {
		v = "1"
	}
	s.setSettingLocked("FOG_API_ENABLED", v)
}

// APIEnabled reports FOG_API_ENABLED.
func (s *Server) APIEnabled() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return phpTruthyString(s.settingLocked("FOG_API_ENABLED"))
}

// SetBasicAuthReachesPHP switches between php-fpm (false: the Authorization
// header never reaches PHP, Basic auth always gives 401) and mod_php.
func (s *Server) SetBasicAuthReachesPHP(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.basicPHP = on
}

// SetFTPAvailable models the storage node's FTP service. When unavailable,
// Post_Stage2.php (capture completion) fails like recording
// svc-post-stage2-capture-complete-ftp-down and the task stays In-Progress.
func (s *Server) SetFTPAvailable(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ftpDown = !on
}

// WakeOnLANSent counts tasks created with "wol" set (FOG would send a
// magic packet for each). A type 14 (Wake-Up) task without it does nothing.
func (s *Server) WakeOnLANSent() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.wolSent
}

// Reset replaces the database with a freshly seeded one (like FOG's
// reset-db.sh). Knobs (latency, faults, counters, switches) are kept, except
// that the API is enabled again unless Options.APIDisabled was set.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.db = s.seed()
	if s.opts.APIDisabled {
		s.setSettingLocked("FOG_API_ENABLED", "0")
	}
	s.raceN, s.race = 0, nil
}

// ---- counters ----

// Counters returns the request count per normalised route, e.g.
// "GET /fog/image/{id}", "POST /fog/host/{id}/task", "GET /fog/task/active",
// "PATCH (unrouted)". Aliases share a key (/list, /all and the bare class
// are "GET /fog/<class>"; /edit and /update are "PUT /fog/<class>/{id}").
// Requests rejected by auth are counted under their route too.
func (s *Server) Counters() map[string]int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int64, len(s.counters))
	for k, v := range s.counters {
		out[k] = v
	}
	return out
}

// Count returns one route's counter.
func (s *Server) Count(route string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counters[route]
}

// TotalRequests counts every request below /fog since the last reset.
func (s *Server) TotalRequests() int64 { return s.total.Load() }

// ResetCounters zeroes the route counters and the total.
func (s *Server) ResetCounters() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counters = map[string]int64{}
	s.total.Store(0)
}

// ---- request log ----

// Request is one request the emulator received (Options.RecordRequests).
type Request struct {
	Method string
	// Route is the normalised route of Counters, e.g. "DELETE /fog/task/{id}/cancel".
	Route string
	// Path is the request URI as sent.
	Path string
	// Body is the request body as sent ("" for none).
	Body string
	// Status is the status FOG answered with (0 when the answer was lost
	// to a reset).
	Status int
	// Fault is the fault injected into this request, if any.
	Fault FaultKind
}

func (s *Server) recordRequest(r *Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, *r)
}

// Requests returns the requests received so far, in order of arrival at the
// emulator (empty unless Options.RecordRequests is set).
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// ClearRequests empties the request log.
func (s *Server) ClearRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

// ---- create races (edge set E) ----

// raceGroup holds creates that passed the duplicate-name check together
// until all of them did, then lets them insert in arrival order and reload
// after every insert: two requests that both pass the "Already created"
// check before either inserts (edge recordings e-concurrent-create-04-*).
type raceGroup struct {
	n, arrived, turn int
	cond             *sync.Cond
}

type raceTicket struct {
	g     *raceGroup
	index int
}

// RaceNextCreates makes the next n creates (POST of any class) race: each
// waits after its duplicate-name check until all n have passed it, so they
// all insert (the later ones overwrite the first row through INSERT ... ON
// DUPLICATE KEY UPDATE) and all answer 200 with the same id. n < 2 disables.
func (s *Server) RaceNextCreates(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n < 2 {
		s.raceN, s.race = 0, nil
		return
	}
	s.raceN = n
	s.race = &raceGroup{n: n, cond: sync.NewCond(&s.mu)}
}

// joinRaceLocked blocks (releasing s.mu) until the race group is complete
// and it is this request's turn to insert.
func (s *Server) joinRaceLocked() *raceTicket {
	if s.raceN <= 0 || s.race == nil {
		return nil
	}
	g := s.race
	s.raceN--
	if s.raceN == 0 {
		s.race = nil
	}
	t := &raceTicket{g: g, index: g.arrived}
	g.arrived++
	g.cond.Broadcast()
	for g.arrived < g.n || g.turn != t.index {
		g.cond.Wait()
	}
	return t
}

// inserted lets the next racer insert and waits until every racer did.
func (t *raceTicket) inserted() {
	if t == nil {
		return
	}
	t.g.turn++
	t.g.cond.Broadcast()
	for t.g.turn < t.g.n {
		t.g.cond.Wait()
	}
}

// ---- direct state helpers for tests ----

// SeedHost creates a valid host with the given MACs (the first is primary)
// and image (0 = none), bypassing the API. It returns the host id.
func (s *Server) SeedHost(name string, imageID int64, macs ...string) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(macs) == 0 {
		return 0, errors.New("fogtest: a host needs at least one MAC")
	}
	body := map[string]any{"name": name, "imageID": strconv.FormatInt(imageID, 10)}
	arr := make([]any, len(macs))
	for i, m := range macs {
		arr[i] = m
	}
	body["macs"] = arr
	resp := s.createLocked("host", body, "", false)
	if resp.status != http.StatusOK {
		return 0, fmt.Errorf("fogtest: seeding host %q: status %d %s", name, resp.status, resp.body)
	}
	return s.lastIDLocked("host"), nil
}

// SeedImage creates an enabled, valid image (type 1, OS 9, path = name).
func (s *Server) SeedImage(name string) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	resp := s.createLocked("image", map[string]any{
		"name": name, "path": name, "imageTypeID": "1", "imagePartitionTypeID": "1", "osID": "9",
		"isEnabled": "1", "toReplicate": "1",
	}, "", false)
	if resp.status != http.StatusOK {
		return 0, fmt.Errorf("fogtest: seeding image %q: status %d %s", name, resp.status, resp.body)
	}
	return s.lastIDLocked("image"), nil
}

func (s *Server) lastIDLocked(class string) int64 {
	ids := s.tbl(class).ids()
	if len(ids) == 0 {
		return 0
	}
	return ids[len(ids)-1]
}

// RawField returns the raw database value of a field (the API field name),
// e.g. to prove the escape ratchet. ok is false for a missing row or field;
// SQL NULL reads as "".
func (s *Server) RawField(class string, id int64, field string) (value string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.tbl(class).get(id)
	if r == nil {
		return "", false
	}
	v, ok := r[field]
	if v == sqlNull {
		v = ""
	}
	return v, ok
}

// SetRawField writes a raw database value (coerced like MySQL would), e.g.
// an unknown imageTypeID to make a zombie, or storage node maxClients.
func (s *Server) SetRawField(class string, id int64, field, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tbl(class)
	r := t.get(id)
	if r == nil {
		return fmt.Errorf("fogtest: no %s %d", class, id)
	}
	c, ok := t.sc.col(field)
	if !ok || field == "id" {
		return fmt.Errorf("fogtest: %s has no field %q", class, field)
	}
	r[field] = c.store(value)
	t.gen++
	return nil
}

// InsertRawRow inserts a row without any validation (a zombie when the
// values are invalid) and returns its id. Unknown fields are ignored.
func (s *Server) InsertRawRow(class string, fields map[string]string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tbl(class)
	id := t.insert(t.build(fields))
	return id
}

// Snapshot returns the ids of every row of every table, visible or not
// (zombies and hidden rows included), by class: comparing two snapshots
// shows every object a request sequence left behind.
func (s *Server) Snapshot() map[string][]int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string][]int64, len(s.db.tables))
	for class, t := range s.db.tables {
		out[class] = sortedIDs(t.ids())
	}
	return out
}

func sortedIDs(ids []int64) []int64 {
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}

// Rows returns every row of every table, visible or not, by class and id,
// with each column's raw text as the database holds it: comparing two of
// them shows every field a request sequence changed, the global settings
// (FOG_UDPCAST_STARTINGPORT, which a multicast rewrites) included.
func (s *Server) Rows() map[string]map[int64]map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]map[int64]map[string]string, len(s.db.tables))
	for class, t := range s.db.tables {
		rows := make(map[int64]map[string]string, len(t.rows))
		for id, r := range t.rows {
			cp := make(map[string]string, len(r))
			for k, v := range r {
				cp[k] = v
			}
			rows[id] = cp
		}
		out[class] = rows
	}
	return out
}

// IDs returns the ids of every row of a class, visible or not, ascending.
func (s *Server) IDs(class string) []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := s.tbl(class).ids()
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}
