// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogtest

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// The recordings 001-456 (core, edge, lifecycle) carry no Date header, so
// the times FOG wrote cannot be compared with the emulator's one for one,
// as the fleet replay does. compare() lets any non-zero timestamp stand for
// another; the ledger below checks what the recordings do show: every
// timestamp the emulator prints is its clock's reading, in FOG's format,
// and the timestamps move as the recorded ones move. The replay runs on a
// clock that ticks one second per recording, and every pair (emulator's
// time, recorded time) at the same place of an answer goes into the ledger,
// which requires:
//
//   - the emulator's time is one its clock showed during the replay (not a
//     constant, not the zero date, not in the future);
//   - one emulator time stands for one recorded time: a timestamp the
//     emulator left alone where FOG wrote a new one (a frozen "deployed", a
//     task's start time never set) shows one emulator time paired with two
//     recorded times;
//   - the order is kept: a time the emulator wrote later is never paired with
//     a recorded time earlier than one it wrote before (FOG's clock has one
//     second resolution, so recorded times may be equal where the
//     emulator's differ).
type timeLedger struct {
	mu    sync.Mutex
	base  time.Time
	now   time.Time
	pairs map[string]string // emulator's time -> recorded time
	// sent are the times clients sent in request bodies so far: FOG
	// stores some as given (an image's createdTime in a create or a PUT
	// of a whole object), and later answers show them.
	sent map[string]bool
}

const ledgerLayout = "2006-01-02 15:04:05"

func newTimeLedger() *timeLedger {
	base := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	return &timeLedger{base: base, now: base, pairs: map[string]string{}, sent: map[string]bool{}}
}

// clock is the emulator's Options.Now.
func (l *timeLedger) clock() time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.now
}

// tick moves the clock one second on, before each recording.
func (l *timeLedger) tick() {
	l.mu.Lock()
	l.now = l.now.Add(time.Second)
	l.mu.Unlock()
}

// newLedgerReplayer is a replayer on the ledger's clock.
func newLedgerReplayer() (*replayer, *timeLedger) {
	l := newTimeLedger()
	opts := recordingOptions()
	opts.Now = l.clock
	return newReplayer(opts), l
}

// check adds the timestamps of an answer that compare() accepted to the
// ledger; err is the replay's own failure, returned unchanged when set.
func (l *timeLedger) check(rec recording, got *result, err error) error {
	if rec.RequestBody != nil {
		l.mu.Lock()
		for _, ts := range tsMaskRe.FindAllString(*rec.RequestBody, -1) {
			l.sent[strings.Trim(ts, `"`)] = true
		}
		l.mu.Unlock()
	}
	if err != nil || got == nil || len(compare(rec, got)) != 0 {
		return err
	}
	gs, ws := tsMaskRe.FindAllString(string(got.body), -1), tsMaskRe.FindAllString(rec.ResponseBody, -1)
	if len(gs) != len(ws) {
		return fmt.Errorf("%d timestamps in the answer, %d recorded", len(gs), len(ws))
	}
	var problems []string
	for i := range gs {
		g, w := strings.Trim(gs[i], `"`), strings.Trim(ws[i], `"`)
		if w == zeroDate || l.wasSent(w) {
			if g != w {
				problems = append(problems, fmt.Sprintf("%s, want %s (the zero date or a time a client sent)", g, w))
			}
			continue
		}
		if p := l.add(g, w); p != "" {
			problems = append(problems, p)
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("timestamps: %s", strings.Join(problems, "; "))
	}
	return nil
}

func (l *timeLedger) wasSent(ts string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.sent[ts]
}

// add records that the emulator printed g where FOG printed w.
func (l *timeLedger) add(g, w string) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	gt, err := time.Parse(ledgerLayout, g)
	if err != nil {
		return fmt.Sprintf("%q is not in FOG's format", g)
	}
	if gt.Before(l.base) || gt.After(l.now) {
		return fmt.Sprintf("%s was never the emulator's clock (replay %s to %s)", g,
			l.base.Format(ledgerLayout), l.now.Format(ledgerLayout))
	}
	if prev, ok := l.pairs[g]; ok {
		if prev != w {
			return fmt.Sprintf("the emulator's %s stands for FOG's %s and %s: a timestamp FOG moved did not move", g, prev, w)
		}
		return ""
	}
	for pg, pw := range l.pairs {
		if (pg < g && pw > w) || (pg > g && pw < w) {
			return fmt.Sprintf("order: the emulator wrote %s after %s, FOG wrote %s before %s", max(g, pg), min(g, pg),
				map[bool]string{true: w, false: pw}[pg < g], map[bool]string{true: pw, false: w}[pg < g])
		}
	}
	l.pairs[g] = w
	return ""
}

// TestTimeLedger: the ledger refuses a constant time, a time that does not
// move where FOG's did, and times out of order.
func TestTimeLedger(t *testing.T) {
	l := newTimeLedger()
	l.tick()
	t1 := l.clock().Format(ledgerLayout)
	if p := l.add(t1, "2025-06-01 10:00:00"); p != "" {
		t.Fatalf("first pair refused: %s", p)
	}
	if p := l.add(t1, "2025-06-01 10:00:00"); p != "" {
		t.Fatalf("the same pair again refused: %s", p)
	}
	if p := l.add("2020-01-01 00:00:00", "2025-06-01 10:00:05"); !strings.Contains(p, "never the emulator's clock") {
		t.Errorf("a constant time: %q", p)
	}
	if p := l.add(t1, "2025-06-01 10:00:07"); !strings.Contains(p, "did not move") {
		t.Errorf("a time that did not move: %q", p)
	}
	l.tick()
	t2 := l.clock().Format(ledgerLayout)
	if p := l.add(t2, "2025-06-01 09:59:59"); !strings.Contains(p, "order") {
		t.Errorf("out of order: %q", p)
	}
	if p := l.add(t2, "2025-06-01 10:00:00"); p != "" {
		t.Errorf("two emulator seconds in one of FOG's: %q", p)
	}
	if p := l.add("2030-01-01 00:00:00 x", "2025-06-01 10:00:00"); !strings.Contains(p, "format") {
		t.Errorf("format: %q", p)
	}
}
