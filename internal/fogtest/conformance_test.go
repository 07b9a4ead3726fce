// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogtest

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// Run with:  go test -v -run Conformance ./internal/fogtest/ | grep conformance
// (or `go test -run Conformance` inside internal/fogtest): each test prints
// "<set> conformance: N/M recordings reproduced" and every skipped or failed
// recording.

// applyRecordedEnvironment drives, through knobs, the state changes the
// recordings' notes describe as made outside the API.
func applyRecordedEnvironment(srv *Server, rec recording) {
	// Port 8081 of the recording server ran the same code under mod_php,
	// where the Authorization header reaches PHP.
	srv.SetBasicAuthReachesPHP(strings.Contains(rec.URL, ":8081/"))
	switch {
	case strings.Contains(rec.Notes, "FOG_API_ENABLED=0"):
		srv.SetAPIEnabled(false)
	case strings.Contains(rec.Notes, "FOG_API_ENABLED=1"):
		srv.SetAPIEnabled(true)
	}
}

// TestConformance replays testdata/recordings (001-232) in file order
// against one fresh emulator.
func TestConformance(t *testing.T) {
	recs := loadRecordings(t, "recordings")
	rp, times := newLedgerReplayer()
	defer rp.close()
	tl := &tally{label: "conformance", total: len(recs)}
	defer tl.report()
	for _, rec := range recs {
		times.tick()
		applyRecordedEnvironment(rp.srv, rec)
		got, err := rp.send(rec)
		tl.check(t, rec, got, times.check(rec, got, err))
	}
}

// TestEdgeConformance replays testdata/edge (317-456). Every question (the
// letter after the number) starts from a fresh database, and part B resets
// again wherever its notes say "after reset-db.sh" (335, 355, 361, 364).
// The concurrent creates of part E are sent the way they raced: for a clean
// attempt the request that won goes first; for the race (both 200) the
// emulator's RaceNextCreates knob holds both after the duplicate check.
func TestEdgeConformance(t *testing.T) {
	recs := loadRecordings(t, "edge")
	rp, times := newLedgerReplayer()
	defer rp.close()
	tl := &tally{label: "edge conformance", total: len(recs)}
	defer tl.report()
	letter := ""
	for i := 0; i < len(recs); i++ {
		rec := recs[i]
		l := strings.SplitN(rec.Name, "-", 3)[1]
		if l != letter || strings.Contains(rec.Notes, "after reset-db.sh") {
			rp.srv.Reset()
			letter = l
		}
		times.tick()
		applyRecordedEnvironment(rp.srv, rec)
		if l == "e" && strings.Contains(rec.Name, "-concurrent-create-") && i+1 < len(recs) &&
			strings.HasSuffix(rec.Name, "-a") && strings.HasSuffix(recs[i+1].Name, "-b") {
			a, b := rec, recs[i+1]
			ga, gb, ea, eb := replayPair(rp, a, b)
			tl.check(t, a, ga, times.check(a, ga, ea))
			tl.check(t, b, gb, times.check(b, gb, eb))
			i++
			continue
		}
		got, err := rp.send(rec)
		tl.check(t, rec, got, times.check(rec, got, err))
	}
}

// replayPair sends two simultaneous creates. When both were answered 200,
// request b reached the database first (both bodies show a's path: a's
// upsert came last), so b is held at the race barrier before a is sent.
func replayPair(rp *replayer, a, b recording) (ga, gb *result, ea, eb error) {
	if a.Status == http.StatusOK && b.Status == http.StatusOK {
		rp.srv.RaceNextCreates(2)
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			gb, eb = rp.send(b)
		}()
		waitFor(func() bool {
			rp.srv.mu.Lock()
			defer rp.srv.mu.Unlock()
			return rp.srv.raceN == 1
		})
		ga, ea = rp.send(a)
		wg.Wait()
		return
	}
	if b.Status == http.StatusOK {
		gb, eb = rp.send(b)
		ga, ea = rp.send(a)
		return
	}
	ga, ea = rp.send(a)
	gb, eb = rp.send(b)
	return
}

// waitFor polls a condition on the emulator's state (not a timing assertion:
// it only waits for a goroutine to reach a known point).
func waitFor(cond func() bool) {
	deadline := time.Now().Add(10 * time.Second)
	for !cond() && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
}

// lifecycleKnobs are the state changes the lifecycle notes describe as made
// directly in the database or on the machine, not through HTTP.
var lifecycleKnobs = map[string]func(*Server){
	// "no FTP/NFS storage service runs on this setup": capture completion fails.
	"274-svc-post-stage2-capture-complete-ftp-down": func(s *Server) { s.SetFTPAvailable(false) },
	// "the columns that a successful Post_Stage2.php sets were then set
	// directly in the database": what CompleteTask does.
	"276-task-get-capture-complete": func(s *Server) {
		s.SetFTPAvailable(true)
		if err := s.CompleteTask(2); err != nil {
			panic(err)
		}
	},
	// "storage node 1 maxClients was set to 1 directly in the DB".
	"305-task-active-two-deploys-queued": func(s *Server) {
		if err := s.SetRawField("storagenode", 1, "maxClients", "1"); err != nil {
			panic(err)
		}
	},
}

// TestLifecycleConformance replays testdata/lifecycle (233-316), the PXE
// client's /fog/service calls included, against one fresh emulator.
func TestLifecycleConformance(t *testing.T) {
	recs := loadRecordings(t, "lifecycle")
	rp, times := newLedgerReplayer()
	defer rp.close()
	tl := &tally{label: "lifecycle conformance", total: len(recs)}
	defer tl.report()
	for _, rec := range recs {
		times.tick()
		if k := lifecycleKnobs[rec.Name]; k != nil {
			k(rp.srv)
		}
		applyRecordedEnvironment(rp.srv, rec)
		got, err := rp.send(rec)
		tl.check(t, rec, got, times.check(rec, got, err))
	}
}
