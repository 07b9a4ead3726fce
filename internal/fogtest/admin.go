// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogtest

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The admin surface lets another process (a benchmark, `make demo`) drive
// the knobs over HTTP. It lives outside /fog, needs no FOG auth, bypasses
// the worker pool, latency, faults and counters, and speaks plain JSON.
//
//	GET    /_emulator/                       index of these routes
//	GET    /_emulator/counters               {"total":N,"routes":{"GET /fog/image":N,...}}
//	POST   /_emulator/counters/reset
//	GET    /_emulator/pool                   PoolStats
//	PUT    /_emulator/latency                {"latency":"50ms","workers":10}
//	GET    /_emulator/faults                 {"injected":N,"byKind":{...},"rules":[FaultRule...]}
//	POST   /_emulator/faults                 FaultRule -> {"id":N}
//	DELETE /_emulator/faults                 remove every rule
//	DELETE /_emulator/faults/{id}            remove one rule
//	PUT    /_emulator/api                    {"enabled":false}
//	PUT    /_emulator/basic-auth             {"reachesPHP":true}
//	PUT    /_emulator/ftp                    {"available":false}
//	PUT    /_emulator/runaway                {"timeout":"5s"} (a request PHP never answers, then 504)
//	PUT    /_emulator/outage                 Outage, e.g. {"mode":"unavailable","status":502,"for":"5s","afterWrites":10}
//	GET    /_emulator/outage                 OutageStats
//	DELETE /_emulator/outage                 back up now (unreachable while a "refuse" outage closes the listener)
//	PUT    /_emulator/progress               {"everyPolls":3,"every":"2s"}
//	POST   /_emulator/tasks/{id}/advance     one step (check-in, report, completion)
//	POST   /_emulator/tasks/{id}/checkin
//	POST   /_emulator/tasks/{id}/progress    Progress
//	POST   /_emulator/tasks/{id}/complete
//	POST   /_emulator/tasks/{id}/stall       (and /unstall)
//	POST   /_emulator/race                   {"n":2}
//	POST   /_emulator/hosts                  {"name":"h1","imageID":0,"macs":["02:00:00:00:00:01"]} -> {"id":N}
//	POST   /_emulator/hosts/bulk             {"count":5000} -> {"added":N,"first":id,"last":id} (bulk-00001..)
//	PUT    /_emulator/lists                  {"rowCost":"1.3ms","maxRows":4000} (large-server lists; 0 = off)
//	GET    /_emulator/lists                  the same
//	POST   /_emulator/images                 {"name":"img"} -> {"id":N}
//	GET    /_emulator/raw/{class}/{id}       the raw database row
//	POST   /_emulator/reset                  fresh database
func (s *Server) serveAdmin(w http.ResponseWriter, r *http.Request) {
	p := strings.Trim(strings.TrimPrefix(r.URL.Path, "/_emulator"), "/")
	parts := strings.Split(p, "/")
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	reply := func(status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
	}
	ok := func() { reply(http.StatusOK, map[string]bool{"ok": true}) }
	bad := func(err error) { reply(http.StatusBadRequest, map[string]string{"error": err.Error()}) }
	decode := func(v any) bool {
		if len(body) == 0 {
			return true
		}
		if err := json.Unmarshal(body, v); err != nil {
			bad(err)
			return false
		}
		return true
	}
	m := r.Method
	switch {
	case p == "" && m == http.MethodGet:
		reply(http.StatusOK, adminIndex)
	case p == "counters" && m == http.MethodGet:
		reply(http.StatusOK, map[string]any{"total": s.TotalRequests(), "routes": s.Counters()})
	case p == "counters/reset" && m == http.MethodPost:
		s.ResetCounters()
		ok()
	case p == "pool" && m == http.MethodGet:
		reply(http.StatusOK, s.PoolStats())
	case p == "latency" && (m == http.MethodPut || m == http.MethodPost):
		var req struct {
			Latency Duration `json:"latency"`
			Workers int      `json:"workers"`
		}
		req.Latency = Duration(s.latency.Load())
		if !decode(&req) {
			return
		}
		s.SetLatency(time.Duration(req.Latency))
		if req.Workers > 0 {
			s.SetWorkers(req.Workers)
		}
		reply(http.StatusOK, s.PoolStats())
	case p == "faults" && m == http.MethodGet:
		total, by := s.FaultsInjected()
		reply(http.StatusOK, map[string]any{"injected": total, "byKind": by, "rules": s.Faults()})
	case p == "faults" && m == http.MethodPost:
		var f FaultRule
		if !decode(&f) {
			return
		}
		if f.Kind == "" {
			bad(errors.New("kind is required"))
			return
		}
		reply(http.StatusOK, map[string]int{"id": s.AddFault(f)})
	case p == "faults" && m == http.MethodDelete:
		s.ClearFaults()
		ok()
	case len(parts) == 2 && parts[0] == "faults" && m == http.MethodDelete:
		id, _ := strconv.Atoi(parts[1])
		s.RemoveFault(id)
		ok()
	case p == "api" && (m == http.MethodPut || m == http.MethodPost):
		var req struct {
			Enabled bool `json:"enabled"`
		}
		if !decode(&req) {
			return
		}
		s.SetAPIEnabled(req.Enabled)
		ok()
	case p == "basic-auth" && (m == http.MethodPut || m == http.MethodPost):
		var req struct {
			ReachesPHP bool `json:"reachesPHP"`
		}
		if !decode(&req) {
			return
		}
		s.SetBasicAuthReachesPHP(req.ReachesPHP)
		ok()
	case p == "ftp" && (m == http.MethodPut || m == http.MethodPost):
		var req struct {
			Available bool `json:"available"`
		}
		if !decode(&req) {
			return
		}
		s.SetFTPAvailable(req.Available)
		ok()
	case p == "runaway" && (m == http.MethodPut || m == http.MethodPost):
		var req struct {
			Timeout Duration `json:"timeout"`
		}
		if !decode(&req) {
			return
		}
		s.SetRunawayTimeout(time.Duration(req.Timeout))
		ok()
	case p == "outage" && (m == http.MethodPut || m == http.MethodPost):
		var o Outage
		if !decode(&o) {
			return
		}
		if o.Mode != OutageRefuse && o.Mode != OutageUnavailable {
			bad(errors.New(`mode must be "refuse" or "unavailable"`))
			return
		}
		s.StartOutage(o)
		reply(http.StatusOK, s.OutageStats())
	case p == "outage" && m == http.MethodGet:
		reply(http.StatusOK, s.OutageStats())
	case p == "outage" && m == http.MethodDelete:
		s.EndOutage()
		reply(http.StatusOK, s.OutageStats())
	case p == "progress" && (m == http.MethodPut || m == http.MethodPost):
		var req struct {
			EveryPolls int      `json:"everyPolls"`
			Every      Duration `json:"every"`
		}
		if !decode(&req) {
			return
		}
		s.SetAutoProgress(AutoProgress{EveryPolls: req.EveryPolls, Every: time.Duration(req.Every)})
		ok()
	case len(parts) == 3 && parts[0] == "tasks" && m == http.MethodPost:
		id, _ := strconv.ParseInt(parts[1], 10, 64)
		var err error
		switch parts[2] {
		case "advance":
			err = s.AdvanceTask(id)
		case "checkin":
			err = s.CheckInTask(id)
		case "complete":
			err = s.CompleteTask(id)
		case "stall":
			err = s.StallTask(id, true)
		case "unstall":
			err = s.StallTask(id, false)
		case "progress":
			var pr Progress
			if !decode(&pr) {
				return
			}
			err = s.SetTaskProgress(id, pr)
		default:
			reply(http.StatusNotFound, map[string]string{"error": "unknown task action"})
			return
		}
		if err != nil {
			bad(err)
			return
		}
		ok()
	case p == "race" && m == http.MethodPost:
		var req struct {
			N int `json:"n"`
		}
		if !decode(&req) {
			return
		}
		s.RaceNextCreates(req.N)
		ok()
	case p == "hosts" && m == http.MethodPost:
		var req struct {
			Name    string   `json:"name"`
			ImageID int64    `json:"imageID"`
			MACs    []string `json:"macs"`
		}
		if !decode(&req) {
			return
		}
		id, err := s.SeedHost(req.Name, req.ImageID, req.MACs...)
		if err != nil {
			bad(err)
			return
		}
		reply(http.StatusOK, map[string]int64{"id": id})
	case p == "hosts/bulk" && m == http.MethodPost:
		var req struct {
			Count int `json:"count"`
		}
		if !decode(&req) {
			return
		}
		if req.Count < 0 || req.Count > 100000 {
			bad(errors.New("count must be between 0 and 100000"))
			return
		}
		ids, err := s.SeedHosts(req.Count)
		if err != nil {
			bad(err)
			return
		}
		out := map[string]int64{"added": int64(len(ids))}
		if len(ids) > 0 {
			out["first"], out["last"] = ids[0], ids[len(ids)-1]
		}
		reply(http.StatusOK, out)
	case p == "lists" && (m == http.MethodPut || m == http.MethodPost || m == http.MethodGet):
		type limits struct {
			RowCost Duration `json:"rowCost"`
			MaxRows int      `json:"maxRows"`
		}
		cost, maxRows := s.ListLimits()
		req := limits{RowCost: Duration(cost), MaxRows: maxRows}
		if m != http.MethodGet {
			if !decode(&req) {
				return
			}
			s.SetListRowCost(time.Duration(req.RowCost))
			s.SetListMaxRows(req.MaxRows)
			cost, maxRows = s.ListLimits()
		}
		reply(http.StatusOK, limits{RowCost: Duration(cost), MaxRows: maxRows})
	case p == "images" && m == http.MethodPost:
		var req struct {
			Name string `json:"name"`
		}
		if !decode(&req) {
			return
		}
		id, err := s.SeedImage(req.Name)
		if err != nil {
			bad(err)
			return
		}
		reply(http.StatusOK, map[string]int64{"id": id})
	case len(parts) == 3 && parts[0] == "raw" && m == http.MethodGet:
		id, _ := strconv.ParseInt(parts[2], 10, 64)
		s.mu.Lock()
		rr := s.tbl(parts[1]).get(id)
		var out map[string]string
		if rr != nil {
			out = map[string]string{}
			for k, v := range rr {
				if v == sqlNull {
					v = ""
				}
				out[k] = v
			}
		}
		s.mu.Unlock()
		if out == nil {
			reply(http.StatusNotFound, map[string]string{"error": "no such row"})
			return
		}
		reply(http.StatusOK, out)
	case p == "reset" && m == http.MethodPost:
		s.Reset()
		ok()
	default:
		reply(http.StatusNotFound, map[string]string{"error": "unknown admin route", "index": "/_emulator/"})
	}
}

var adminIndex = []string{
	"GET /_emulator/counters", "POST /_emulator/counters/reset", "GET /_emulator/pool",
	"PUT /_emulator/latency", "GET|POST|DELETE /_emulator/faults", "DELETE /_emulator/faults/{id}",
	"PUT /_emulator/api", "PUT /_emulator/basic-auth", "PUT /_emulator/ftp", "PUT /_emulator/runaway", "PUT /_emulator/progress",
	"GET|PUT|DELETE /_emulator/outage",
	"POST /_emulator/tasks/{id}/{advance|checkin|progress|complete|stall|unstall}",
	"POST /_emulator/race", "POST /_emulator/hosts", "POST /_emulator/hosts/bulk", "GET|PUT /_emulator/lists", "POST /_emulator/images",
	"GET /_emulator/raw/{class}/{id}", "POST /_emulator/reset",
}
