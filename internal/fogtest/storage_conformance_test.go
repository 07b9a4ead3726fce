// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogtest

import (
	"strconv"
	"strings"
	"testing"
)

// storageKnobs are the state changes the fleet notes describe as made
// directly in the database, not through HTTP.
var storageKnobs = map[string]func(*Server){
	// "After 740 the default group row was put back directly in the
	// database (INSERT ngID 1 default, same values as the fresh install)".
	"741-e-storagegroup-get-default-restored": func(s *Server) {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.tbl("storagegroup").insertWithID(1, map[string]string{
			"name": "default", "description": "Auto generated fog nfs group",
		})
	},
}

// TestStorageConformance replays the snapin (D, 615-685) and storage (E,
// 686-745) questions of testdata/fleet in file order. Each question starts
// from a fresh database, like the recorder's reset.
func TestStorageConformance(t *testing.T) {
	var recs []recording
	for _, rec := range loadRecordings(t, "fleet") {
		n, err := strconv.Atoi(strings.SplitN(rec.Name, "-", 2)[0])
		if err != nil {
			t.Fatalf("%s: no number", rec.Name)
		}
		if n >= 615 && n <= 745 {
			recs = append(recs, rec)
		}
	}
	rp := newReplayer(recordingOptions())
	defer rp.close()
	tl := &tally{label: "storage conformance", total: len(recs)}
	defer tl.report()
	letter := ""
	for _, rec := range recs {
		if l := strings.SplitN(rec.Name, "-", 3)[1]; l != letter {
			rp.srv.Reset()
			letter = l
		}
		if k := storageKnobs[rec.Name]; k != nil {
			k(rp.srv)
		}
		applyRecordedEnvironment(rp.srv, rec)
		got, err := rp.send(rec)
		tl.check(t, rec, got, err)
	}
}
