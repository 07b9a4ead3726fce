// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogtest

import (
	"strconv"
	"time"
)

// database is the whole emulated FOG database plus the emulator's
// bookkeeping for task progression.
type database struct {
	tables map[string]*table

	// Emulator bookkeeping (not FOG data).
	polls    map[int64]int       // API appearances of a task since its last automatic step
	lastStep map[int64]time.Time // when a task last moved (automatic mode by duration)
	stalled  map[int64]bool
	steps    map[int64]int // automatic steps taken
}

func (s *Server) tbl(class string) *table {
	t, ok := s.db.tables[class]
	if !ok {
		t = newTable(genericSchema(class))
		s.db.tables[class] = t
	}
	return t
}

// seed builds a fresh FOG 1.5.9 database (schema 270, reference/fog-api.md §3).
func (s *Server) seed() *database {
	db := &database{
		tables:   map[string]*table{},
		polls:    map[int64]int{},
		lastStep: map[int64]time.Time{},
		stalled:  map[int64]bool{},
		steps:    map[int64]int{},
	}
	for class, sc := range specificSchemas {
		db.tables[class] = newTable(sc)
	}
	for _, c := range validClasses {
		if _, ok := db.tables[c]; !ok {
			db.tables[c] = newTable(genericSchema(c))
		}
	}
	seedRows := func(class string, rows []map[string]string) {
		t := db.tables[class]
		for _, r := range rows {
			id, _ := strconv.ParseInt(r["id"], 10, 64)
			t.insertWithID(id, r)
		}
	}
	seedRows("tasktype", seedTaskTypes)
	seedRows("taskstate", seedTaskStates)
	seedRows("imagetype", seedImageTypes)
	seedRows("imagepartitiontype", seedPartitionTypes)
	seedRows("os", seedOS)
	db.tables["storagegroup"].insertWithID(1, map[string]string{
		"name": "default", "description": "Auto generated fog nfs group",
	})
	db.tables["storagenode"].insertWithID(1, map[string]string{
		"name": "DefaultMember", "description": "Auto generated fog nfs group member",
		"isMaster": "1", "storagegroupID": "1", "isEnabled": "1", "isGraphEnabled": "1",
		"path": "/images", "ftppath": "/images/", "bitrate": sqlNull, "helloInterval": sqlNull,
		"snapinpath": "/opt/fog/snapins", "sslpath": "/opt/fog/snapins/ssl", "ip": s.opts.NodeIP,
		"maxClients": "10", "user": DefaultFTPUser, "pass": DefaultFTPPassword, "key": "",
		"interface": "lo", "bandwidth": "0", "webroot": "/fog/",
	})
	settings := []struct{ name, value, category, desc string }{
		{"FOG_API_ENABLED", "1", "API System", "Enable the API."},
		{"FOG_API_TOKEN", s.opts.APIToken, "API System", "The API token."},
		{"FOG_CAPTURERESIZEPCT", "7", "General Settings", "Percentage of free space to leave when shrinking a partition."},
		{"FOG_CHECKIN_TIMEOUT", "600", "General Settings", "Seconds a checked-in client keeps its place in the queue."},
		{"FOG_IMAGE_COMPRESSION_FORMAT_DEFAULT", "5", "General Settings", "Default image compression format."},
		{"FOG_MULTICAST_PORT_OVERRIDE", "0", "Multicast Settings", "Fixed multicast port (0: none)."},
		{"FOG_PIGZ_COMP", "6", "General Settings", "Default compression level."},
		{"FOG_QUICKREG_PENDING_MAC_FILTER", "", "FOG Quick Registration", "MAC prefixes to ignore."},
		{"FOG_SNAPIN_LIMIT", "0", "General Settings", "Snapin limit."},
		{"FOG_UDPCAST_STARTINGPORT", "63100", "Multicast Settings", "Next multicast port."},
		{"FOG_USED_TASKS", "1,15,17", "General Settings", "Task types that use a storage node slot."},
		{"FOG_WEB_HOST", s.opts.NodeIP, "Web Server", "Address of the FOG web server."},
	}
	for i, st := range settings {
		db.tables["service"].insertWithID(int64(i+1), map[string]string{
			"name": st.name, "value": st.value, "category": st.category, "description": st.desc,
		})
	}
	return db
}

func (s *Server) settingLocked(name string) string {
	t := s.tbl("service")
	for _, id := range t.ids() {
		if t.rows[id]["name"] == name {
			return t.rows[id]["value"]
		}
	}
	return ""
}

func (s *Server) setSettingLocked(name, value string) {
	t := s.tbl("service")
	for _, id := range t.ids() {
		if t.rows[id]["name"] == name {
			t.rows[id]["value"] = value
			return
		}
	}
	r := t.build(map[string]string{"name": name, "value": value})
	t.insert(r)
}

func (s *Server) nowString() string { return s.now().Format("2006-01-02 15:04:05") }
