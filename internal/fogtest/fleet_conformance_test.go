// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogtest

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// fleetSections are the questions of testdata/fleet this emulator replays:
// groups (a), membership (b), group tasks and multicast (c), scheduled tasks
// (f), inventory, imaging log and history (g). Sections d (snapins) and e
// (storage) are replayed by their own test.
var fleetSections = map[string]bool{"a": true, "b": true, "c": true, "f": true, "g": true}

// fleetClock is the emulator's clock during the fleet replay: each request
// runs at the second the real server's Date header shows, so timestamps the
// server wrote (createdTime, starttime, completetime, runtime) must come out
// exactly as recorded, not merely in the right format.
type fleetClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fleetClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fleetClock) set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

var udpcastPortRe = regexp.MustCompile(`settingKey='FOG_UDPCAST_STARTINGPORT' settingValue='(\d+)'`)

// applyFleetEnvironment sets what the notes show but the emulator cannot
// know: FOG draws the next multicast port at random (mt_rand) after every
// new session, and the notes quote the value it drew.
func applyFleetEnvironment(srv *Server, rec recording) {
	m := udpcastPortRe.FindAllStringSubmatch(rec.Notes, -1)
	if len(m) == 0 {
		return
	}
	srv.mu.Lock()
	srv.setSettingLocked("FOG_UDPCAST_STARTINGPORT", m[len(m)-1][1])
	srv.mu.Unlock()
}

// TestFleetConformance replays the fleet sections a, b, c, f and g of
// testdata/fleet (457-502, 503-545, 546-614, 746-772, 773-789), setup
// recordings included, each question from a fresh database. Bodies must be
// byte-identical: timestamps and multicast ports are not masked (the clock
// follows the recordings' Date headers, the port setting their notes).
func TestFleetConformance(t *testing.T) {
	all := loadRecordings(t, "fleet")
	var recs []recording
	for _, r := range all {
		if fleetSections[fleetLetter(r)] {
			recs = append(recs, r)
		}
	}
	clock := &fleetClock{}
	opts := recordingOptions()
	opts.Now = clock.now
	rp := newReplayer(opts)
	defer rp.close()
	// FOG answers a runaway request (recording 758) only through Apache's
	// 300 s proxy timeout; the replay does not wait for it.
	rp.srv.SetRunawayTimeout(time.Millisecond)
	tl := &tally{label: "fleet conformance", total: len(recs)}
	defer tl.report()
	letter := ""
	for _, rec := range recs {
		if l := fleetLetter(rec); l != letter {
			rp.srv.Reset()
			letter = l
		}
		if d, err := http.ParseTime(rec.ResponseHeaders["Date"]); err == nil {
			clock.set(d.UTC())
		} else {
			t.Fatalf("%s: no Date header: %v", rec.Name, err)
		}
		applyRecordedEnvironment(rp.srv, rec)
		got, err := rp.send(rec)
		if err == nil && len(compare(rec, got)) == 0 {
			err = exactTimes(string(got.body), rec.ResponseBody)
		}
		tl.check(t, rec, got, err)
		applyFleetEnvironment(rp.srv, rec)
	}
}

// maxRequestSeconds is how much later than the Date header a recorded
// timestamp may be: Apache stamps Date when the request arrives, PHP reads
// the clock later (recording 498: Date 03:19:15, createdTime 03:19:16).
const maxRequestSeconds = 2 * time.Second

// exactTimes checks what compare() leaves out: the bodies must be the same
// bytes once timestamps are set aside, and each timestamp the emulator
// printed must be the recorded one, or at most maxRequestSeconds earlier.
func exactTimes(got, want string) error {
	if got == want {
		return nil
	}
	mask := func(s string) string { return tsMaskRe.ReplaceAllString(s, `"<TIME>"`) }
	if mask(got) != mask(want) {
		return errorString("body differs outside timestamps: " + firstDifference(got, want))
	}
	gs, ws := tsMaskRe.FindAllString(got, -1), tsMaskRe.FindAllString(want, -1)
	for i := range gs {
		if gs[i] == ws[i] {
			continue
		}
		g, err1 := time.Parse(`"2006-01-02 15:04:05"`, gs[i])
		w, err2 := time.Parse(`"2006-01-02 15:04:05"`, ws[i])
		if err1 != nil || err2 != nil || w.Before(g) || w.Sub(g) > maxRequestSeconds {
			return errorString(fmt.Sprintf("timestamp %s, want %s", gs[i], ws[i]))
		}
	}
	return nil
}

type errorString string

func (e errorString) Error() string { return string(e) }

func fleetLetter(r recording) string {
	parts := strings.SplitN(r.Name, "-", 3)
	if len(parts) < 2 {
		return ""
	}
	return parts[1]
}
