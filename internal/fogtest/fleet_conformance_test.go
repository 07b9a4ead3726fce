// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogtest

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fleetTallyLabel names the figure a section of testdata/fleet counts in:
// snapins (d) and storage (e) are reported apart from groups (a),
// membership (b), group tasks and multicast (c), scheduled tasks (f) and
// inventory, imaging log and history (g).
func fleetTallyLabel(letter string) string {
	if letter == "d" || letter == "e" {
		return "storage conformance"
	}
	return "fleet conformance"
}

// fleetDirectWrites are the state changes the notes describe as made
// directly in the database, not through HTTP, applied before the recording
// they precede.
var fleetDirectWrites = map[string]func(*Server){
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

// TestFleetConformance replays testdata/fleet (457-789) in file order, setup
// recordings included, each question (section letter) from a fresh
// database. Bodies must be byte-identical: timestamps and multicast ports
// are not masked (the clock follows the recordings' Date headers, the port
// setting their notes), and the database rows the notes quote must match.
// It prints two figures: "fleet conformance" for sections a-c, f and g,
// "storage conformance" for d and e.
func TestFleetConformance(t *testing.T) {
	recs := loadRecordings(t, "fleet")
	clock := &fleetClock{}
	opts := recordingOptions()
	opts.Now = clock.now
	rp := newReplayer(opts)
	defer rp.close()
	// FOG answers a runaway request (recording 758) only through Apache's
	// 300 s proxy timeout; the replay does not wait for it.
	rp.srv.SetRunawayTimeout(time.Millisecond)
	labels := []string{"fleet conformance", "storage conformance"}
	tallies := map[string]*tally{}
	for _, label := range labels {
		tallies[label] = &tally{label: label}
	}
	defer func() {
		for _, label := range labels {
			tallies[label].report()
		}
	}()
	for _, rec := range recs {
		tallies[fleetTallyLabel(fleetLetter(rec))].total++
	}
	letter := ""
	rowsChecked, rowsFailed := 0, []string(nil)
	for _, rec := range recs {
		if l := fleetLetter(rec); l != letter {
			rp.srv.Reset()
			letter = l
		}
		if w := fleetDirectWrites[rec.Name]; w != nil {
			w(rp.srv)
		}
		if d, err := http.ParseTime(rec.ResponseHeaders["Date"]); err == nil {
			clock.set(d.UTC())
		} else {
			t.Fatalf("%s: no Date header: %v", rec.Name, err)
		}
		applyRecordedEnvironment(rp.srv, rec)
		rp.srv.mu.Lock()
		prevPort := rp.srv.settingLocked("FOG_UDPCAST_STARTINGPORT")
		rp.srv.mu.Unlock()
		got, err := rp.send(rec)
		if err == nil && len(compare(rec, got)) == 0 {
			err = exactTimes(string(got.body), rec.ResponseBody)
		}
		tallies[fleetTallyLabel(letter)].check(t, rec, got, err)
		n, diffs := checkDBQuotes(rp.srv, rec, prevPort)
		rowsChecked += n
		if len(diffs) > 0 {
			rowsFailed = append(rowsFailed, rec.Name+": "+strings.Join(diffs, "; "))
			t.Errorf("%s: database differs from the notes:\n  %s", rec.Name, strings.Join(diffs, "\n  "))
		}
		applyFleetEnvironment(rp.srv, rec)
	}
	fmt.Printf("fleet database notes: %d quoted rows checked, %d recordings differ\n", rowsChecked, len(rowsFailed))
	for _, f := range rowsFailed {
		fmt.Printf("  FAILED %s\n", truncate(f, 300))
	}
}

// maxRequestDelay is how much later than the Date header a recorded
// timestamp may be: Apache stamps Date when the request arrives, PHP reads
// the clock later (recording 498: Date 03:19:15, createdTime 03:19:16).
const maxRequestDelay = 2 * time.Second

// exactTimes checks what compare() leaves out: the bodies must be the same
// bytes once timestamps are set aside, and each timestamp the emulator
// printed must be the recorded one, or at most maxRequestDelay earlier.
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
		if err1 != nil || err2 != nil || w.Before(g) || w.Sub(g) > maxRequestDelay {
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

// fleetDBColumns maps the database columns the notes quote to the
// emulator's class and field; the first column of each table is its key.
var fleetDBColumns = map[string]struct {
	class string
	cols  map[string]string
}{
	"groups": {"group", map[string]string{"groupID": "id", "groupName": "name", "groupDesc": "description",
		"groupCreateBy": "createdBy", "groupBuilding": "building", "groupKernel": "kernel",
		"groupKernelArgs": "kernelArgs", "groupPrimaryDisk": "kernelDevice"}},
	"groupMembers": {"groupassociation", map[string]string{"gmID": "id", "gmHostID": "hostID", "gmGroupID": "groupID"}},
	"hosts":        {"host", map[string]string{"hostID": "id", "hostName": "name", "hostImage": "imageID"}},
	"tasks": {"task", map[string]string{"taskID": "id", "taskName": "name", "taskHostID": "hostID",
		"taskTypeID": "typeID", "taskStateID": "stateID", "taskImageID": "imageID", "taskNFSGroupID": "storagegroupID",
		"taskNFSMemberID": "storagenodeID", "taskCreateBy": "createdBy", "taskWOL": "wol"}},
	"globalSettings": {"service", map[string]string{"settingKey": "name", "settingValue": "value"}},
	"multicastSessions": {"multicastsession", map[string]string{"msID": "id", "msName": "name", "msBasePort": "port",
		"msLogPath": "logpath", "msImage": "imageID", "msClients": "clients", "msSessClients": "sessclients",
		"msInterface": "interface", "msStartDateTime": "starttime", "msPercent": "percent", "msState": "stateID",
		"msCompleteDateTime": "completetime", "msIsDD": "isDD", "msNFSGroupID": "storagegroupID"}},
	"multicastSessionsAssoc": {"multicastsessionassociation", map[string]string{"msaID": "id", "msID": "msID", "tID": "taskID"}},
	"scheduledTasks": {"scheduledtask", map[string]string{"stID": "id", "stName": "name", "stDesc": "description",
		"stType": "type", "stTaskTypeID": "taskTypeID", "stMinute": "minute", "stHour": "hour", "stDOM": "dayOfMonth",
		"stMonth": "month", "stDOW": "dayOfWeek", "stIsGroup": "isGroupTask", "stGroupHostID": "hostID",
		"stImageID": "imageID", "stShutDown": "shutdown", "stDateTime": "scheduleTime", "stActive": "isActive",
		"stOther1": "other1", "stOther2": "other2", "stOther3": "other3", "stOther4": "other4", "stOther5": "other5"}},
	"inventory": {"inventory", map[string]string{"iID": "id", "iHostID": "hostID", "iSysman": "sysman",
		"iSysproduct": "sysproduct", "iSysserial": "sysserial", "iMem": "mem", "iCpuman": "cpuman", "iPrimaryUser": "primaryUser"}},
	"imagingLog": {"imaginglog", map[string]string{"ilID": "id", "ilHostID": "hostID", "ilStartTime": "start",
		"ilFinishTime": "finish", "ilImageName": "image", "ilType": "type", "ilCreatedBy": "createdBy"}},
	"snapins": {"snapin", map[string]string{"sID": "id", "sName": "name", "sDesc": "description", "sFilePath": "file",
		"sArgs": "args", "sCreator": "createdBy", "sReboot": "reboot", "sShutdown": "shutdown", "sRunWith": "runWith",
		"sRunWithArgs": "runWithArgs", "snapinProtect": "protected", "sEnabled": "isEnabled", "sReplicate": "toReplicate",
		"sHideLog": "hide", "sTimeout": "timeout", "sPackType": "packtype", "sHash": "hash", "sSize": "size", "sAnon3": "anon3"}},
	"snapinAssoc": {"snapinassociation", map[string]string{"saID": "id", "saHostID": "hostID", "saSnapinID": "snapinID"}},
	"snapinGroupAssoc": {"snapingroupassociation", map[string]string{"sgaID": "id", "sgaSnapinID": "snapinID",
		"sgaStorageGroupID": "storagegroupID", "sgaPrimary": "primary"}},
	"snapinJobs": {"snapinjob", map[string]string{"sjID": "id", "sjHostID": "hostID", "sjStateID": "stateID", "sjCreateTime": "createdTime"}},
	"snapinTasks": {"snapintask", map[string]string{"stID": "id", "stJobID": "jobID", "stState": "stateID",
		"stSnapinID": "snapinID", "stReturnCode": "return", "stCompleteDate": "complete"}},
	"nfsGroups": {"storagegroup", map[string]string{"ngID": "id", "ngName": "name", "ngDesc": "description"}},
	"nfsGroupMembers": {"storagenode", map[string]string{"ngmID": "id", "ngmMemberName": "name",
		"ngmMemberDescription": "description", "ngmIsMasterNode": "isMaster", "ngmGroupID": "storagegroupID",
		"ngmIsEnabled": "isEnabled", "ngmGraphEnabled": "isGraphEnabled", "ngmRootPath": "path", "ngmFTPPath": "ftppath",
		"ngmSnapinPath": "snapinpath", "ngmSSLPath": "sslpath", "ngmHostname": "ip", "ngmMaxClients": "maxClients",
		"ngmUser": "user", "ngmPass": "pass", "ngmInterface": "interface", "ngmBandwidthLimit": "bandwidth",
		"ngmWebroot": "webroot"}},
	"imageGroupAssoc": {"imageassociation", map[string]string{"igaID": "id", "igaImageID": "imageID",
		"igaStorageGroupID": "storagegroupID", "igaPrimary": "primary"}},
}

// fleetFullTables are quoted whole in the notes: a row the emulator has and
// the quote lacks is a difference too.
var fleetFullTables = map[string]bool{"groupMembers": true, "multicastSessionsAssoc": true}

type quotedRow struct {
	keys []string
	vals map[string]string
}

var dbQuoteRe = regexp.MustCompile(`DB (\w+): `)

// parseDBQuotes reads the notes' "DB table: col='v' col='v'; col='v' ..."
// quotes (\' escapes a quote); "(no rows)" gives an empty list.
func parseDBQuotes(notes string) map[string][]quotedRow {
	out := map[string][]quotedRow{}
	for _, m := range dbQuoteRe.FindAllStringSubmatchIndex(notes, -1) {
		table := notes[m[2]:m[3]]
		rest := notes[m[1]:]
		rows := []quotedRow{}
		cur := quotedRow{vals: map[string]string{}}
		i := 0
		for i < len(rest) {
			j := i
			for j < len(rest) && (rest[j] == '_' || rest[j] >= 'a' && rest[j] <= 'z' || rest[j] >= 'A' && rest[j] <= 'Z' || rest[j] >= '0' && rest[j] <= '9') {
				j++
			}
			if j == i || j+1 >= len(rest) || rest[j] != '=' || rest[j+1] != '\'' {
				break
			}
			key := rest[i:j]
			var v strings.Builder
			k := j + 2
			for k < len(rest) && rest[k] != '\'' {
				if rest[k] == '\\' && k+1 < len(rest) {
					k++
				}
				v.WriteByte(rest[k])
				k++
			}
			cur.keys = append(cur.keys, key)
			cur.vals[key] = v.String()
			i = k + 1
			switch {
			case strings.HasPrefix(rest[i:], "; "):
				rows = append(rows, cur)
				cur = quotedRow{vals: map[string]string{}}
				i += 2
			case strings.HasPrefix(rest[i:], " "):
				i++
			default:
				i = len(rest)
			}
		}
		if len(cur.keys) > 0 {
			rows = append(rows, cur)
		}
		if _, ok := fleetDBColumns[table]; ok {
			out[table] = rows
		}
	}
	return out
}

// checkDBQuotes compares the database rows a recording's notes quote with
// the emulator's raw rows. Notes that say the rows were "read again" later
// describe a later state and are skipped.
//
// FOG_UDPCAST_STARTINGPORT is drawn at random after each new session: when
// the notes show it changed, the emulator's must have changed too, to an
// even port in FOG's range (mt_rand(24576, 32766) * 2).
func checkDBQuotes(srv *Server, rec recording, prevPort string) (checked int, diffs []string) {
	if strings.Contains(rec.Notes, "read again") {
		return 0, nil
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	for table, rows := range parseDBQuotes(rec.Notes) {
		m := fleetDBColumns[table]
		t := srv.tbl(m.class)
		listed := map[int64]bool{}
		for _, q := range rows {
			checked++
			keyCol := q.keys[0]
			var r row
			if m.cols[keyCol] == "id" {
				id, _ := strconv.ParseInt(q.vals[keyCol], 10, 64)
				listed[id] = true
				r = t.get(id)
			} else {
				for _, id := range t.ids() {
					if t.rows[id][m.cols[keyCol]] == q.vals[keyCol] {
						r = t.rows[id]
					}
				}
			}
			if r == nil {
				diffs = append(diffs, fmt.Sprintf("%s %s=%s: no such row", table, keyCol, q.vals[keyCol]))
				continue
			}
			for _, k := range q.keys {
				field, ok := m.cols[k]
				if !ok {
					continue
				}
				got, want := r[field], q.vals[k]
				if got == sqlNull {
					got = "NULL"
				}
				if got == want || exactTimes(`"`+got+`"`, `"`+want+`"`) == nil && tsRe.MatchString(want) {
					continue
				}
				if table == "globalSettings" && k == "settingValue" && q.vals[keyCol] == "FOG_UDPCAST_STARTINGPORT" && want != prevPort {
					if p, err := strconv.Atoi(got); err == nil && got != prevPort && p%2 == 0 && p >= 49152 && p <= 65532 {
						continue
					}
				}
				diffs = append(diffs, fmt.Sprintf("%s %s=%s: %s=%q, want %q", table, keyCol, q.vals[keyCol], k, got, want))
			}
		}
		if fleetFullTables[table] {
			for _, id := range t.ids() {
				if !listed[id] {
					diffs = append(diffs, fmt.Sprintf("%s: extra row %d", table, id))
				}
			}
		}
	}
	return checked, diffs
}
