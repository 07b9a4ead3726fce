// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

// "Nothing changed on the server", field by field: a snapshot is every row
// of every table of the emulator, hidden rows included, with every column's
// raw text (fogtest's Rows). Comparing two shows an object added or deleted
// and also a fixture whose fields changed (a host's imageID, a MAC moved to
// another host, a task's state, an image's fields): a provider that writes
// before it refuses is seen even when it writes nothing new.

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/fogproject/terraform-provider-fog/internal/fogtest"
)

// serverSnapshot is every field of every row, by class and id.
type serverSnapshot = map[string]map[int64]map[string]string

// snapshot takes the emulator's snapshot.
func snapshot(emu *fogtest.Server) serverSnapshot { return emu.Rows() }

// snapshotDiff describes what differs between two snapshots, row by row and
// field by field ("" when nothing does).
func snapshotDiff(before, after serverSnapshot) string {
	if d := rowDiff(before, after); len(d) > 0 {
		return strings.Join(d, "; ")
	}
	return ""
}

// rowsChanged describes what changed in the rows of class whose ids are
// given (every row of class when none is), field by field ("" when nothing).
func rowsChanged(before, after serverSnapshot, class string, ids ...int64) string {
	pick := func(s serverSnapshot) serverSnapshot {
		rows := map[int64]map[string]string{}
		for id, r := range s[class] {
			if len(ids) == 0 || slices.Contains(ids, id) {
				rows[id] = r
			}
		}
		return serverSnapshot{class: rows}
	}
	return snapshotDiff(pick(before), pick(after))
}

// expectSameSnapshot fails when a row was added or deleted or a field of
// one changed.
func expectSameSnapshot(t *testing.T, before, after serverSnapshot) {
	t.Helper()
	if diff := snapshotDiff(before, after); diff != "" {
		t.Errorf("the server changed: %s", diff)
	}
}

// The comparison sees a zombie FOG leaves behind (an image created with an
// invalid type answers 404 but stays in the database), and a change of a
// field of an existing row, whatever its kind.
func TestSnapshotDiffSeesZombiesAndFields(t *testing.T) {
	emu := fogtest.New(fogtest.Options{})
	img := emu.InsertRawRow("image", map[string]string{"name": "fixture", "imageTypeID": "1", "protected": "0"})
	host := emu.InsertRawRow("host", map[string]string{"name": "fixture", "imageID": "0"})
	task := emu.InsertRawRow("task", map[string]string{"hostID": "1", "stateID": "1"})
	mac := emu.InsertRawRow("macaddressassociation", map[string]string{"hostID": "1", "mac": "02:00:00:00:00:01", "primary": "1"})
	before := snapshot(emu)
	if d := snapshotDiff(before, snapshot(emu)); d != "" {
		t.Fatalf("no change, but diff %q", d)
	}
	for _, c := range []struct {
		class  string
		id     int64
		field  string
		value  string
		expect string
	}{
		{"host", host, "imageID", "7", `"0" -> "7"`},
		{"macaddressassociation", mac, "hostID", "9", `"1" -> "9"`},
		{"task", task, "stateID", "5", `"1" -> "5"`},
		{"image", img, "protected", "1", `"0" -> "1"`},
		{"image", img, "description", "x", `"" -> "x"`},
	} {
		old, _ := emu.RawField(c.class, c.id, c.field)
		if err := emu.SetRawField(c.class, c.id, c.field, c.value); err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf("%s %d %s: %s", c.class, c.id, c.field, c.expect)
		if d := snapshotDiff(before, snapshot(emu)); !strings.Contains(d, want) {
			t.Errorf("diff %q does not show %s", d, want)
		}
		if err := emu.SetRawField(c.class, c.id, c.field, old); err != nil {
			t.Fatal(err)
		}
	}
	if d := snapshotDiff(before, snapshot(emu)); d != "" {
		t.Fatalf("restored, but diff %q", d)
	}
	emu.InsertRawRow("image", map[string]string{"name": "zombie", "imageTypeID": "99"})
	if d := snapshotDiff(before, snapshot(emu)); !strings.Contains(d, fmt.Sprintf("image %d added", img+1)) {
		t.Errorf("diff %q does not show the zombie image", d)
	}
}
