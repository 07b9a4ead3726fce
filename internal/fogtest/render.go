// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogtest

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"html"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Reading rows back out of the database the way FOG's classes do.

// outValue is a column as the API prints it.
func (s *Server) outValue(sc *schema, r row, key string) any {
	c, ok := sc.col(key)
	raw, present := r[key]
	if !ok || !present || raw == sqlNull {
		return nil
	}
	switch c.kind {
	case cInt:
		return dbInt(r.int(key))
	case cZerofill:
		return fmt.Sprintf("%010d", r.int(key))
	}
	if sc == hostSchema && (key == "ADPass" || key == "productKey") {
		return readString(decodeSecret(raw))
	}
	return readString(raw)
}

// loadedValue is what FOG's object holds after load() and writes back on
// save() for a field the caller did not set: the escape ratchet.
func loadedValue(sc *schema, r row, key string) string {
	c, _ := sc.col(key)
	raw := r[key]
	if raw == sqlNull {
		return sqlNull
	}
	switch c.kind {
	case cInt, cZerofill:
		return raw
	}
	if sc == hostSchema && (key == "ADPass" || key == "productKey") {
		return readString(decodeSecret(raw))
	}
	if sc == storageNodeSchema {
		return nodeLoadedValue(key, readString(raw))
	}
	return readString(raw)
}

var encryptedShape = regexp.MustCompile(`^[0-9a-fA-F]*\|[0-9a-fA-F]*(\|[0-9a-fA-F]*)?$`)

// secretError aborts the request: FOG prints {"error": <openssl error>} with
// HTTP 200 when a stored ADPass/productKey has the encrypted shape but does
// not decrypt (reference/fog-api.md §10 item 16).
type secretError struct{ msg string }

// decodeSecret is what FOG does to ADPass and productKey on read (reference/fog-api.md §10 item
// 16). FOG's encrypted form is hex(iv)|hex(cipher)[|hex(key)] (FOGBase
// aesencrypt/aesdecrypt): with the key part it is decrypted (AES-CBC,
// trailing padding trimmed), without it the value reads as "". A plain value
// that is valid (padded) base64 of printable UTF-8 comes back decoded.
// Anything else is returned unchanged.
func decodeSecret(raw string) string {
	v := phpTrim(raw)
	if v == "" {
		return raw
	}
	if encryptedShape.MatchString(v) {
		return decryptSecret(v)
	}
	if len(v)%4 != 0 {
		return raw
	}
	b, err := base64.StdEncoding.Strict().DecodeString(v)
	if err != nil || len(b) == 0 || !utf8.Valid(b) {
		return raw
	}
	for _, c := range string(b) {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return raw
		}
	}
	return string(b)
}

func decryptSecret(v string) string {
	parts := strings.Split(v, "|")
	if len(parts) < 3 || parts[2] == "" {
		return "" // no key stored with the value
	}
	fail := func(msg string) string { panic(secretError{msg}) }
	iv, err1 := hex.DecodeString(parts[0])
	ct, err2 := hex.DecodeString(parts[1])
	key, err3 := hex.DecodeString(parts[2])
	if err1 != nil || err2 != nil || err3 != nil {
		return fail("error:0480006C:PEM routines::no start line")
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return fail("error:1C800066:Provider routines::invalid key length")
	}
	if len(iv) != aes.BlockSize {
		return fail("error:1C800065:Provider routines::invalid iv length")
	}
	if len(ct) == 0 || len(ct)%aes.BlockSize != 0 {
		return fail("error:1C80006B:Provider routines::wrong final block length")
	}
	out := make([]byte, len(ct))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(out, ct)
	if n := int(out[len(out)-1]); n >= 1 && n <= aes.BlockSize && bytes.Equal(out[len(out)-n:], bytes.Repeat([]byte{byte(n)}, n)) {
		out = out[:len(out)-n]
	}
	return html.UnescapeString(strings.TrimRight(string(out), "\x00"))
}

// rawObj renders the listed columns of a row (nil row: every key null).
func (s *Server) rawObj(sc *schema, r row, keys []string) *obj {
	o := newObj()
	for _, k := range keys {
		if r == nil {
			o.set(k, nil)
		} else {
			o.set(k, s.outValue(sc, r, k))
		}
	}
	return o
}

func (s *Server) nullObj(keys ...string) *obj {
	o := newObj()
	for _, k := range keys {
		o.set(k, nil)
	}
	return o
}

// ---- images ----

func (s *Server) imageTypeRow(r row) row {
	if r == nil {
		return nil
	}
	return s.tbl("imagetype").get(r.int("imageTypeID"))
}

func (s *Server) partTypeRow(r row) row {
	if r == nil {
		return nil
	}
	return s.tbl("imagepartitiontype").get(r.int("imagePartitionTypeID"))
}

func (s *Server) osRow(r row) row {
	if r == nil {
		return nil
	}
	return s.tbl("os").get(r.int("osID"))
}

// imageRawObj is an image as nested in hosts, tasks and multicast sessions
// (and, with the computed keys added, in image lists): the joined row, with
// imageTypeID/imagePartitionTypeID null when they do not resolve.
func (s *Server) imageRawObj(r row, keys []string) *obj {
	o := newObj()
	for _, k := range keys {
		switch {
		case r == nil:
			o.set(k, nil)
		case k == "imageTypeID":
			if s.imageTypeRow(r) == nil {
				o.set(k, nil)
			} else {
				o.set(k, s.outValue(imageSchema, r, k))
			}
		case k == "imagePartitionTypeID":
			if s.partTypeRow(r) == nil {
				o.set(k, nil)
			} else {
				o.set(k, s.outValue(imageSchema, r, k))
			}
		default:
			o.set(k, s.outValue(imageSchema, r, k))
		}
	}
	return o
}

// nestedImage is host.image / task.image / multicastsession.image.
func (s *Server) nestedImage(id int64) *obj {
	r := s.tbl("image").get(id)
	o := s.imageRawObj(r, imageListKeys)
	o.set("os", newObj()).set("imagepartitiontype", newObj()).set("imagetype", newObj())
	return o
}

// renderImage is an image in a list (listOrder) or from GET/create/edit.
func (s *Server) renderImage(r row, listOrder bool) *obj {
	keys := imageListKeys
	if !listOrder {
		keys = imageSchema.keys()
	}
	o := s.imageRawObj(r, keys)
	osr, pt, it := s.osRow(r), s.partTypeRow(r), s.imageTypeRow(r)
	o.set("os", s.rawObj(osSchema, osr, []string{"id", "name", "description"}))
	o.set("imagepartitiontype", s.rawObj(partitionTypeSchema, pt, []string{"id", "name", "type"}))
	o.set("imagetype", s.rawObj(imageTypeSchema, it, []string{"id", "name", "type"}))
	nameOf := func(sc *schema, rr row) any {
		if rr == nil {
			return nil
		}
		return s.outValue(sc, rr, "name")
	}
	o.set("imagetypename", nameOf(imageTypeSchema, it))
	o.set("imageparttypename", nameOf(partitionTypeSchema, pt))
	o.set("osname", nameOf(osSchema, osr))
	o.set("storagegroupname", nameOf(storageGroupSchema, s.tbl("storagegroup").get(s.imagePrimaryGroup(r.int("id")))))
	return o
}

// ---- hosts ----

// hostMACRows returns the host's hostMAC row ids in insertion order. The
// index is rebuilt whenever the MAC table changed (its generation moved).
func (s *Server) hostMACRows(hostID int64) []int64 {
	t := s.tbl("macaddressassociation")
	if s.macIdx == nil || s.macIdxGen != t.gen || s.macIdxTable != t {
		s.macIdx = map[int64][]int64{}
		for _, id := range t.order {
			h := t.rows[id].int("hostID")
			s.macIdx[h] = append(s.macIdx[h], id)
		}
		s.macIdxGen, s.macIdxTable = t.gen, t
	}
	return append([]int64(nil), s.macIdx[hostID]...)
}

// hostPrimaryMAC returns the first primary MAC row of the host (the host
// load joins hostMAC on hmPrimary='1'), or nil: the host is then invisible.
func (s *Server) hostPrimaryMAC(hostID int64) row {
	t := s.tbl("macaddressassociation")
	for _, id := range s.hostMACRows(hostID) {
		if t.rows[id]["primary"] == "1" {
			return t.rows[id]
		}
	}
	return nil
}

func (s *Server) hostVisible(r row) bool { return r != nil && s.hostPrimaryMAC(r.int("id")) != nil }

var hostNameRe = regexp.MustCompile(`^[A-Za-z0-9_!@#$%^()\-'{}.~]{1,15}$`)

// hostValid is Host::isValid after load: required fields, id, the hostname
// rule on the loaded (escaped) name, and a primary MAC.
func (s *Server) hostValid(r row) bool {
	if r == nil || r.int("id") < 1 || !s.hostVisible(r) {
		return false
	}
	return hostNameRe.MatchString(loadedValue(hostSchema, r, "name"))
}

var hostScreenKeys = []string{"id", "hostID", "width", "height", "refresh", "orientation", "other1", "other2"}

func pingHTML(code int64) (string, string) {
	switch code {
	case 0:
		return `<i class="icon-ping-windows fa fa-windows green" data-toggle="tooltip" data-placement="right" title="Windows"></i>`, "Success"
	case 111:
		return `<i class="icon-ping-linux fa fa-linux blue" data-toggle="tooltip" data-placement="right" title="Linux/FOS"></i>`, "Connection refused"
	}
	text := map[int64]string{6: "No such device or address", 110: "Connection timed out", 113: "No route to host"}[code]
	if text == "" {
		text = "Unknown error " + strconv.FormatInt(code, 10)
	}
	return `<i class="icon-ping-down fa fa-exclamation-circle red" data-toggle="tooltip" data-placement="right" title="Unknown"></i>`, text
}

// renderHost is the full host object of reference/fog-api.md §5.1. imageID is the image shown in
// host.image (a task shows its own image there).
func (s *Server) renderHost(r row, imageID int64) *obj {
	o := newObj()
	hid := r.int("id")
	code := mysqlToInt(r["pingstatus"])
	pingHTMLs, pingText := pingHTML(code)
	for _, k := range hostSchema.keys() {
		if k == "pingstatus" {
			o.set(k, pingHTMLs)
			continue
		}
		o.set(k, s.outValue(hostSchema, r, k))
	}
	if pm := s.hostPrimaryMAC(hid); pm != nil {
		o.set("primac", readString(pm["mac"]))
	} else {
		o.set("primac", nil)
	}
	// In a task, imagename follows the task's image while imageID stays the
	// host's (fleet recording 582: task 5, host 6).
	if img := s.tbl("image").get(imageID); img != nil {
		o.set("imagename", s.outValue(imageSchema, img, "name"))
	} else {
		o.set("imagename", nil)
	}
	o.set("hostscreen", s.nullObj(hostScreenKeys...))
	o.set("hostalo", s.nullObj("id", "hostID", "time"))
	o.set("inventory", s.renderInventory(s.hostInventory(hid)))
	o.set("image", s.nestedImage(imageID))
	o.set("pingstatuscode", code)
	o.set("pingstatustext", pingText)
	macs := []any{}
	mt := s.tbl("macaddressassociation")
	for _, id := range s.hostMACRows(hid) {
		macs = append(macs, readString(mt.rows[id]["mac"]))
	}
	o.set("macs", macs)
	return o
}

func (s *Server) hostInventory(hostID int64) row {
	t := s.tbl("inventory")
	for _, id := range t.ids() {
		if t.rows[id].int("hostID") == hostID {
			return t.rows[id]
		}
	}
	return nil
}

func (s *Server) renderInventory(r row) *obj {
	o := s.rawObj(inventorySchema, r, inventorySchema.keys())
	mem := ""
	if r != nil {
		mem = r["mem"]
	}
	o.set("memory", formatMemory(mem))
	return o
}

// formatMemory is Inventory::getMem: the second space-separated word of
// "MemTotal: N kB" times 1024, through FOGBase::formatByteSize, which picks
// the unit from the number of decimal digits (floor((strlen-1)/3)).
func formatMemory(mem string) string {
	words := strings.Split(mem, " ")
	var kb int64
	if len(words) > 1 {
		kb = mysqlToInt(words[1])
	}
	size := kb * 1024
	units := []string{"iB", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"}
	factor := (len(strconv.FormatInt(size, 10)) - 1) / 3
	if factor >= len(units) {
		factor = len(units) - 1
	}
	return fmt.Sprintf("%3.2f %s", float64(size)/math.Pow(1024, float64(factor)), units[factor])
}

// ---- tasks ----

func (s *Server) taskVisible(r row) bool {
	return r != nil && s.hostVisible(s.tbl("host").get(r.int("hostID")))
}

var taskTypeKeys = []string{"id", "name", "description", "icon", "kernel", "kernelArgs", "type", "isAdvanced", "access", "initrd"}
var taskStateKeys = []string{"id", "name", "description", "order", "icon"}

func (s *Server) renderTask(r row) *obj {
	o := newObj()
	for _, k := range taskSchema.keys() {
		o.set(k, s.outValue(taskSchema, r, k))
	}
	imageID := r.int("imageID")
	o.set("image", s.nestedImage(imageID))
	if h := s.tbl("host").get(r.int("hostID")); h != nil {
		o.set("host", s.renderHost(h, imageID))
	} else {
		o.set("host", newObj())
	}
	o.set("type", s.rawObj(taskTypeSchema, s.tbl("tasktype").get(r.int("typeID")), taskTypeKeys))
	o.set("state", s.rawObj(taskStateSchema, s.tbl("taskstate").get(r.int("stateID")), taskStateKeys))
	node := s.tbl("storagenode").get(r.int("storagenodeID"))
	no := s.rawObj(storageNodeSchema, node, storageNodeSchema.keys())
	no.set("storagegroup", newObj())
	o.set("storagenode", no)
	var grp row
	if node != nil {
		grp = s.tbl("storagegroup").get(node.int("storagegroupID"))
	}
	o.set("storagegroup", s.rawObj(storageGroupSchema, grp, []string{"id", "name", "description"}))
	return o
}

// ---- multicast sessions ----

func (s *Server) renderMulticast(r row) *obj {
	o := newObj()
	for _, k := range []string{"id", "name", "port", "logpath"} {
		o.set(k, s.outValue(multicastSchema, r, k))
	}
	o.set("image", s.nestedImage(mysqlToInt(r["imageID"])))
	for _, k := range []string{"clients", "sessclients", "interface", "starttime", "percent", "stateID", "completetime", "isDD", "storagegroupID", "anon3", "anon4", "anon5"} {
		o.set(k, s.outValue(multicastSchema, r, k))
	}
	o.set("state", s.rawObj(taskStateSchema, s.tbl("taskstate").get(r.int("stateID")), taskStateKeys))
	o.set("imageID", s.outValue(multicastSchema, r, "imageID"))
	return o
}

// ---- storage ----

func (s *Server) renderStorageGroup(r row) *obj {
	o := s.rawObj(storageGroupSchema, r, []string{"id", "name", "description"})
	gid := r.int("id")
	nt := s.tbl("storagenode")
	enabled, all := []any{}, []any{}
	total := int64(0)
	for _, id := range s.nodesOfGroup(gid) {
		n := nt.rows[id]
		all = append(all, dbInt(id))
		if n["isEnabled"] == "1" && n.int("maxClients") >= 1 {
			enabled = append(enabled, dbInt(id))
			total += n.int("maxClients")
		}
	}
	o.set("totalsupportedclients", total)
	o.set("enablednodes", enabled)
	o.set("allnodes", all)
	return o
}

// usedTaskTypes is FOG_USED_TASKS: task types that occupy a node slot.
func (s *Server) usedTaskTypes() map[int64]bool {
	m := map[int64]bool{}
	for _, p := range strings.Split(s.settingLocked("FOG_USED_TASKS"), ",") {
		if n, err := strconv.ParseInt(strings.TrimSpace(p), 10, 64); err == nil {
			m[n] = true
		}
	}
	return m
}

// nodeLoad counts the node's used (in progress) and queued slots of the
// FOG_USED_TASKS types.
func (s *Server) nodeLoad(nodeID int64) (used, queued int64) {
	used_ := s.usedTaskTypes()
	t := s.tbl("task")
	for _, id := range t.ids() {
		r := t.rows[id]
		if r.int("storagenodeID") != nodeID || !used_[r.int("typeID")] {
			continue
		}
		switch r.int("stateID") {
		case 3:
			used++
		case 1, 2:
			queued++
		}
	}
	return used, queued
}

func (s *Server) renderStorageNode(r row, details bool) *obj {
	o := s.rawObj(storageNodeSchema, r, storageNodeSchema.keys())
	o.set("storagegroup", s.renderStorageGroup(s.tbl("storagegroup").get(r.int("storagegroupID"))))
	used, queued := s.nodeLoad(r.int("id"))
	load := 0.0
	if mc := r.int("maxClients"); mc > 0 {
		load = float64(used+queued) / float64(mc)
	}
	if load == float64(int64(load)) {
		o.set("clientload", int64(load))
	} else {
		o.set("clientload", phpFloat(load))
	}
	o.set("online", false)
	if details {
		o.set("logfiles", []any{}).set("snapinfiles", []any{}).set("images", []any{})
	}
	return o
}

// ---- others ----

func (s *Server) renderTaskType(r row) *obj {
	o := s.rawObj(taskTypeSchema, r, taskTypeKeys)
	id := r.int("id")
	o.set("isSnapinTasking", id == 12 || id == 13)
	return o
}

func (s *Server) renderGroup(r row) *obj {
	o := s.rawObj(groupSchema, r, groupSchema.keys())
	o.set("hostcount", s.groupHostCount(r.int("id")))
	return o
}

// render is the object for a class, as in lists (list=true) or GET.
func (s *Server) render(class string, r row, list bool, details bool) *obj {
	switch class {
	case "host":
		return s.renderHost(r, r.int("imageID"))
	case "image":
		return s.renderImage(r, list)
	case "task":
		return s.renderTask(r)
	case "multicastsession":
		return s.renderMulticast(r)
	case "storagegroup":
		return s.renderStorageGroup(r)
	case "storagenode":
		return s.renderStorageNode(r, details)
	case "tasktype":
		return s.renderTaskType(r)
	case "inventory":
		return s.renderInventory(r)
	case "group":
		return s.renderGroup(r)
	case "snapin":
		return s.renderSnapin(r)
	case "snapinjob":
		return s.renderSnapinJob(r)
	case "snapintask":
		return s.renderSnapinTask(r)
	case "imageassociation":
		return s.renderImageAssoc(r)
	case "snapingroupassociation":
		return s.renderSnapinGroupAssoc(r)
	case "scheduledtask":
		return s.renderScheduledTask(r)
	case "imaginglog":
		return s.renderImagingLog(r)
	}
	sc := s.tbl(class).sc
	return s.rawObj(sc, r, sc.keys())
}

// pluginList is the plugin class: FOG lists the plugins shipped on disk
// (recording plugin-list), none installed.
func pluginList() *obj {
	items := []any{}
	for _, p := range seedPlugins {
		loc := "../lib/plugins/" + p.dir + "/"
		sum := md5.Sum([]byte(p.name))
		items = append(items, newObj().set("name", p.name).set("description", p.description).
			set("location", loc).set("icon", p.icon).
			set("runinclude", []any{p.name, loc + "html/run.php"}).
			set("hash", hex.EncodeToString(sum[:])))
	}
	return newObj().set("count", int64(len(items))).set("plugins", items).
		set("count_active", int64(0)).set("count_installed", int64(0)).set("count_not_active", int64(len(items)))
}
