// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogtest

import (
	"fmt"
	"time"
)

// Large servers. FOG 1.5.9 builds a list answer in PHP: every row is loaded
// as an object, rendered and json_encode'd into one string, so the time and
// the memory a list takes grow with the rows it renders. Measured on a stock
// server (PHP memory_limit 256M): 1,000 hosts 1.0 s and 2 MB, 2,000 2.1 s,
// 3,000 3.9 s and 6 MB; 5,000 hosts exhaust the memory limit and the list
// answers PHP's fatal error (500, empty body with display_errors Off). A
// GET by id takes 30-70 ms whatever the size. A filtered list (a JSON body
// such as {"id":[...]}) is a SQL WHERE, so only matching rows are loaded and
// it costs what it renders.
//
// ListRowCost and ListMaxRows model that for host lists (GET /fog/host,
// its search and its filtered forms): each rendered host holds the worker
// for ListRowCost, and a list that would render more than ListMaxRows hosts
// fails like the memory exhaustion, after holding the worker for the hosts
// it rendered before dying. Other classes are not modelled: their rows
// (a MAC association, a group link) are a small fraction of a host, which
// FOG renders with its MACs, image and inventory.

// SetListRowCost sets the time each rendered list row holds the worker
// (negative: 0).
func (s *Server) SetListRowCost(d time.Duration) {
	if d < 0 {
		d = 0
	}
	s.listRowCost.Store(int64(d))
}

// SetListMaxRows sets the most rows a list renders before it fails with
// FOG's memory-exhausted PHP fatal (<= 0: unlimited).
func (s *Server) SetListMaxRows(n int) {
	if n < 0 {
		n = 0
	}
	s.listMaxRows.Store(int64(n))
}

// ListLimits returns the current ListRowCost and ListMaxRows.
func (s *Server) ListLimits() (rowCost time.Duration, maxRows int) {
	return time.Duration(s.listRowCost.Load()), int(s.listMaxRows.Load())
}

// largeListClass reports whether ListRowCost and ListMaxRows apply to a
// list of class.
func largeListClass(class string) bool { return class == "host" }

func (s *Server) listCost(class string, rows int) time.Duration {
	if !largeListClass(class) {
		return 0
	}
	return time.Duration(rows) * time.Duration(s.listRowCost.Load())
}

// listTooLarge is the memory-exhausted fatal for a list of n rows of
// class, or nil.
func (s *Server) listTooLarge(class string, n int) *response {
	limit := int(s.listMaxRows.Load())
	if !largeListClass(class) || limit <= 0 || n <= limit {
		return nil
	}
	resp := fatalResp() // "Allowed memory size of 268435456 bytes exhausted"
	resp.cost = s.listCost(class, limit)
	return resp
}

// BulkHostName is the name SeedHosts gives its i-th host (1-based).
func BulkHostName(i int) string { return fmt.Sprintf("bulk-%05d", i) }

// BulkHostMAC is the MAC SeedHosts gives its i-th host: locally
// administered, 02:b0:... so it never collides with -demo-hosts.
func BulkHostMAC(i int) string {
	return fmt.Sprintf("02:b0:%02x:%02x:%02x:%02x", byte(i>>24), byte(i>>16), byte(i>>8), byte(i))
}

// SeedHosts bulk-adds n valid hosts named BulkHostName(i) with the MACs
// BulkHostMAC(i) and no image, bypassing the API and its duplicate checks
// (a school district's server; the numbering continues after the bulk
// hosts already there, so the names and MACs stay unique unless a test
// took one of them). It returns the ids added.
func (s *Server) SeedHosts(n int) ([]int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tbl("host")
	first := 1
	for _, r := range t.rows {
		var i int
		if _, err := fmt.Sscanf(r["name"], "bulk-%d", &i); err == nil && i >= first {
			first = i + 1
		}
	}
	now := s.nowString()
	ids := make([]int64, 0, n)
	for i := first; i < first+n; i++ {
		id := t.insert(t.build(map[string]string{
			"name": BulkHostName(i), "imageID": "0", "createdBy": "fog", "createdTime": now,
		}))
		s.applyHostCreateMACs(id, &hostMACPlan{primary: BulkHostMAC(i)})
		ids = append(ids, id)
	}
	if len(ids) > 0 && !s.objectValid("host", t.get(ids[0])) {
		return ids, fmt.Errorf("fogtest: bulk host %d is not valid", ids[0])
	}
	return ids, nil
}
