// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogtest

import (
	"encoding/base64"
	"sort"
	"strings"
	"testing"
)

// Behaviour from reference/fog-api.md that the recordings do not exercise.

func names(t *testing.T, r apiResp, key string) []string {
	t.Helper()
	var out []string
	for _, e := range asArray(t, r.json(t)[key]) {
		out = append(out, asString(t, asObject(t, e)["name"]))
	}
	return out
}

func TestSearchSemantics(t *testing.T) {
	c := newAPI(t, Options{})
	c.must(200, "POST", "/fog/image", `{"name":"Win Base","path":"wb","imageTypeID":1,"osID":9,"isEnabled":"1"}`)
	c.must(200, "POST", "/fog/image", `{"name":"linux-img","path":"li","imageTypeID":1,"osID":50,"description":"ubuntu"}`)
	c.must(200, "POST", "/fog/host", `{"name":"alpha","macs":["00:11:22:33:44:55"],"imageID":1,"ip":"10.1.2.3"}`)
	c.must(200, "POST", "/fog/host", `{"name":"beta","macs":["aa:bb:cc:dd:ee:ff"],"imageID":2}`)
	c.must(200, "POST", "/fog/host", `{"name":"x_api_y","macs":["00:11:22:00:00:01"]}`)

	cases := []struct {
		path string
		want []string
	}{
		{"/fog/host/search/0011", []string{"alpha"}},               // MAC pairs; x_api_y is hidden
		{"/fog/host/search/00-11-22-33", []string{"alpha"}},        // separators removed, re-paired
		{"/fog/host/search/ubuntu", []string{"beta"}},              // the host's image description
		{"/fog/host/search/win+base", []string{"alpha"}},           // + is a wildcard, image name
		{"/fog/host/search/+", []string{"alpha", "beta"}},          // everything but _api_ names
		{"/fog/image/search/win%20base", []string{}},               // %20 is not decoded
		{"/fog/image/search/10.1.2", []string{"Win Base"}},         // images of hosts whose IP matches
		{"/fog/image/search/LINUX", []string{"linux-img"}},         // case-insensitive
		{"/fog/image/search/1", []string{"linux-img", "Win Base"}}, // any field, ids included
	}
	for _, tc := range cases {
		key := strings.Split(tc.path, "/")[2] + "s"
		got := names(t, c.must(200, "GET", tc.path, ""), key)
		if strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("%s: %v, want %v", tc.path, got, tc.want)
		}
	}
	c.must(501, "GET", "/fog/host/search/", "")
	c.must(500, "GET", "/fog/task/search/x", "")
}

func TestListFilters(t *testing.T) {
	c := newAPI(t, Options{})
	for _, b := range []string{
		`{"name":"img-a","path":"a","imageTypeID":1,"osID":9,"isEnabled":"1"}`,
		`{"name":"img-b","path":"b","imageTypeID":2,"osID":9}`,
		`{"name":"other","path":"c","imageTypeID":1,"osID":50,"isEnabled":"0"}`,
	} {
		c.must(200, "POST", "/fog/image", b)
	}
	cases := []struct {
		filter string
		want   []string
	}{
		{`{"name":"IMG-A"}`, []string{"img-a"}},                                   // collation equality
		{`{"name":"img-%"}`, []string{"img-a", "img-b"}},                          // LIKE
		{`{"imageTypeID":1,"osID":"9"}`, []string{"img-a"}},                       // AND
		{`{"id":[1,3,99]}`, []string{"img-a", "other"}},                           // IN
		{`{"isEnabled":""}`, []string{"img-b", "other"}},                          // falsy: 0 or empty
		{`{"isEnabled":null,"unknown":"x"}`, []string{"img-a", "img-b", "other"}}, // null and unknown keys ignored
		{`[1,2]`, []string{"img-a", "img-b", "other"}},                            // not an object
	}
	for _, tc := range cases {
		got := names(t, c.must(200, "GET", "/fog/image", tc.filter), "images")
		if strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("filter %s: %v, want %v", tc.filter, got, tc.want)
		}
	}
	// Query strings never filter.
	if got := names(t, c.must(200, "GET", "/fog/image?name=img-a", ""), "images"); len(got) != 3 {
		t.Errorf("query string filtered: %v", got)
	}
}

func TestHostRules(t *testing.T) {
	c := newAPI(t, Options{})
	c.must(200, "POST", "/fog/image", `{"name":"i","path":"i","imageTypeID":1,"osID":9}`)
	h := c.must(200, "POST", "/fog/host", `{"name":"Host-One","macs":["00AABBCCDDEE","aabb.ccdd.ef00","bad","00:aa:bb:cc:dd:ee"],"imageID":1}`).json(t)
	if macs, ok := h["macs"].([]any); h["primac"] != "00:aa:bb:cc:dd:ee" || !ok || len(macs) != 2 || macs[1] != "aa:bb:cc:dd:ef:00" {
		t.Fatalf("macs: %v %v", h["primac"], h["macs"])
	}
	c.must(500, "POST", "/fog/host", `{"name":"host-one","macs":["02:00:00:00:00:01"]}`) // duplicate, any case
	c.must(500, "POST", "/fog/host", `{"name":"h2","macs":"02:00:00:00:00:01"}`)         // not an array
	c.must(500, "POST", "/fog/host", `{"name":"h2","macs":["aa:bb:cc:dd:ef:00"]}`)       // first MAC taken (additional)
	c.must(417, "POST", "/fog/host", `{"macs":["02:00:00:00:00:01"]}`)
	if ids := c.srv.IDs("macaddressassociation"); len(ids) != 2 {
		t.Fatalf("failed creates wrote MACs: %v", ids)
	}
	// imageID: null ignored, "" and 0 unassign, unknown stored.
	if got := c.must(200, "PUT", "/fog/host/1", `{"imageID":null}`).json(t)["imageID"]; got != float64(1) {
		t.Fatalf("null imageID: %v", got)
	}
	if got := c.must(200, "PUT", "/fog/host/1", `{"imageID":""}`).json(t)["imageID"]; got != float64(0) {
		t.Fatalf("empty imageID: %v", got)
	}
	r := c.must(200, "PUT", "/fog/host/1", `{"imageID":"77"}`).json(t)
	if r["imageID"] != float64(77) || r["imagename"] != nil || asObject(t, r["image"])["id"] != nil {
		t.Fatalf("unknown imageID: %v %v", r["imageID"], r["imagename"])
	}
	// Rename rule: re-sending a mixed-case name fails, a new name works.
	c.must(500, "PUT", "/fog/host/1", `{"name":"Host-One"}`)
	c.must(200, "PUT", "/fog/host/1", `{"name":"host-two"}`)
	c.must(200, "PUT", "/fog/host/1", `{"name":"host-two"}`) // unchanged lower-case is fine
	// Name truncated at 16: the host becomes a zombie; a longer name that
	// truncates to the same 16 characters overwrites it in place.
	c.must(404, "POST", "/fog/host", `{"name":"abcdefghijklmnopq","macs":["02:00:00:00:00:02"]}`)
	c.must(404, "POST", "/fog/host", `{"name":"abcdefghijklmnopZZ","macs":["02:00:00:00:00:03"]}`)
	if ids := c.srv.IDs("host"); len(ids) != 2 {
		t.Fatalf("truncation upsert made %v", ids)
	}
	if v, _ := c.srv.RawField("host", 2, "name"); v != "abcdefghijklmnop" {
		t.Fatalf("stored %q", v)
	}
	// A deleted host takes its MACs with it.
	c.must(200, "DELETE", "/fog/host/1", "")
	c.must(404, "DELETE", "/fog/host/1", "")
	c.must(200, "POST", "/fog/host", `{"name":"reuse","macs":["00:aa:bb:cc:dd:ee"]}`)
}

func TestSecretsReadBack(t *testing.T) {
	c := newAPI(t, Options{})
	enc := base64.StdEncoding.EncodeToString([]byte("S3cret!"))
	h := c.must(200, "POST", "/fog/host", `{"name":"ad","macs":["02:00:00:00:00:01"],"ADPass":"`+enc+`","productKey":"password"}`).json(t)
	if h["ADPass"] != "S3cret!" || h["productKey"] != "password" {
		t.Fatalf("ADPass %q productKey %q", h["ADPass"], h["productKey"])
	}
	if v, _ := c.srv.RawField("host", 1, "ADPass"); v != enc {
		t.Fatalf("stored %q", v)
	}
	// The ratchet writes the decoded value back.
	c.must(200, "PUT", "/fog/host/1", `{"description":"x"}`)
	if v, _ := c.srv.RawField("host", 1, "ADPass"); v != "S3cret!" {
		t.Fatalf("after PUT %q", v)
	}
}

func TestImageCollections(t *testing.T) {
	c := newAPI(t, Options{})
	c.must(200, "POST", "/fog/image", `{"name":"first","path":"f","imageTypeID":1,"osID":9}`)
	c.must(200, "POST", "/fog/host", `{"name":"h1","macs":["02:00:00:00:00:01"]}`)
	c.must(200, "POST", "/fog/host", `{"name":"h2","macs":["02:00:00:00:00:02"],"imageID":1}`)
	c.must(200, "POST", "/fog/host", `{"name":"h3","macs":["02:00:00:00:00:03"]}`)
	imageOf := func() []int64 {
		var out []int64
		for _, id := range []int64{1, 2, 3} {
			v, _ := c.srv.RawField("host", id, "imageID")
			out = append(out, mysqlToInt(v))
		}
		return out
	}
	// The create bug: every host without an image is assigned.
	c.must(200, "POST", "/fog/image", `{"name":"second","path":"s","imageTypeID":1,"osID":9,"hosts":[]}`)
	if got := imageOf(); got[0] != 2 || got[1] != 1 || got[2] != 2 {
		t.Fatalf("create hosts bug: %v", got)
	}
	// PUT replaces.
	c.must(200, "PUT", "/fog/image/1", `{"hosts":[1]}`)
	if got := imageOf(); got[0] != 1 || got[1] != 0 || got[2] != 2 {
		t.Fatalf("PUT hosts: %v", got)
	}
	// Delete unassigns.
	c.must(200, "DELETE", "/fog/image/2/remove", "")
	if got := imageOf(); got[2] != 0 {
		t.Fatalf("delete: %v", got)
	}
	img := c.must(200, "POST", "/fog/image", `{"name":"grp","path":"g","imageTypeID":1,"osID":9,"storagegroups":[3]}`).json(t)
	var groups []int64
	at := c.srv.tbl("imageassociation")
	for _, id := range at.where(func(r row) bool { return r.int("imageID") == 3 }) {
		groups = append(groups, at.rows[id].int("storagegroupID"))
	}
	if img["storagegroupname"] != "default" || strings.Join(int64s(groups), ",") != "1,3" {
		t.Fatalf("storagegroups on create: %v %v", img["storagegroupname"], groups)
	}
	// Name truncated at 40, emoji stored as ????.
	img = c.must(200, "POST", "/fog/image", `{"name":"e-😀-0123456789012345678901234567890123456789","path":"e","imageTypeID":1,"osID":9}`).json(t)
	if img["name"] != "e-????-012345678901234567890123456789012" {
		t.Fatalf("name %q", img["name"])
	}
}

func int64s(v []int64) []string {
	out := make([]string, len(v))
	for i, n := range v {
		out[i] = jsonNum(n)
	}
	sort.Strings(out)
	return out
}

func TestTaskRules(t *testing.T) {
	c := newAPI(t, Options{})
	c.must(200, "POST", "/fog/image", `{"name":"img","path":"img","imageTypeID":1,"osID":9,"isEnabled":"1"}`)
	c.must(200, "POST", "/fog/host", `{"name":"h1","macs":["02:00:00:00:00:01"],"imageID":1}`)
	c.must(200, "POST", "/fog/host", `{"name":"h2","macs":["02:00:00:00:00:02"],"imageID":1}`)
	activeOf := func(host string) []string {
		var out []string
		for _, e := range asArray(t, c.must(200, "GET", "/fog/task/active", `{"hostID":`+host+`}`).json(t)["tasks"]) {
			out = append(out, jsonNum(num(t, asObject(t, e)["typeID"])))
		}
		return out
	}
	// Snapin task then single snapin: no new row. Then debug replaces it.
	if r := c.must(200, "POST", "/fog/host/1/task", `{"taskTypeID":12}`); r.body != "null" {
		t.Fatalf("type 12 body %q", r.body)
	}
	c.must(200, "POST", "/fog/host/1/task", `{"taskTypeID":13}`)
	if got := activeOf("1"); strings.Join(got, ",") != "12" {
		t.Fatalf("after 13: %v", got)
	}
	c.must(200, "POST", "/fog/host/1/task", `{"taskTypeID":"3","taskName":"dbg"}`)
	if got := activeOf("1"); strings.Join(got, ",") != "3" {
		t.Fatalf("after debug: %v", got)
	}
	// A non-imaging task does not block deploy? It does get replaced.
	if r := c.must(200, "POST", "/fog/host/1/task", `{"taskTypeID":8,"taskName":"mc"}`); r.body != `""` {
		t.Fatalf("multicast body %q", r.body)
	}
	c.must(200, "POST", "/fog/host/2/task", `{"taskTypeID":8}`)
	sessions := c.must(200, "GET", "/fog/multicastsession/active", "").json(t)
	if num(t, sessions["count"]) != 1 {
		t.Fatalf("hosts of one image should share a session: %v", sessions)
	}
	// Cancelling the session cancels its tasks.
	if r := c.must(200, "DELETE", "/fog/multicastsession/1/cancel", ""); r.body != `""` {
		t.Fatalf("session cancel body %q", r.body)
	}
	if got := c.must(200, "GET", "/fog/task/active", "").json(t)["count"]; got != float64(0) {
		t.Fatalf("tasks left active: %v", got)
	}
	ms := c.must(200, "GET", "/fog/multicastsession/1", "").json(t)
	if ms["name"] != "" || num(t, ms["clients"]) != 0 || num(t, ms["stateID"]) != 5 {
		t.Fatalf("session after cancel: %v", ms)
	}
	// Task names: "<taskName> - <host>".
	tk := c.must(200, "GET", "/fog/task/2", "").json(t)
	if tk["name"] != "dbg - h1" || num(t, tk["stateID"]) != 5 {
		t.Fatalf("task 2: %v %v", tk["name"], tk["stateID"])
	}
	if tk := c.must(200, "GET", "/fog/task/3", "").json(t); tk["name"] != "mc - h1" {
		t.Fatalf("task 3: %v", tk["name"])
	}
	// Other tasking classes cannot create tasks; POST /fog/task needs an id.
	c.must(500, "POST", "/fog/task/1/task", `{"taskTypeID":1}`)
	r := c.must(417, "POST", "/fog/task", `{"typeID":1,"hostID":1}`)
	if !strings.Contains(r.body, "Required database field is empty: id") {
		t.Fatalf("task create: %q", r.body)
	}
	// Group tasking and group cancel.
	c.must(200, "POST", "/fog/group", `{"name":"g","hosts":[1,2]}`)
	c.must(200, "POST", "/fog/group/1/task", `{"taskTypeID":10}`)
	if got := c.must(200, "GET", "/fog/task/active", "").json(t)["count"]; got != float64(2) {
		t.Fatalf("group task: %v", got)
	}
	c.must(200, "DELETE", "/fog/group/1/cancel", "")
	c.must(500, "DELETE", "/fog/group/1/cancel", "")
	c.must(404, "DELETE", "/fog/host/cancel", "")
	// Wake-Up leaves no row; only "wol" sends a packet.
	c.must(200, "POST", "/fog/host/1/task", `{"taskTypeID":14}`)
	c.must(200, "POST", "/fog/host/1/task", `{"taskTypeID":14,"wol":true}`)
	if c.srv.WakeOnLANSent() != 1 || c.do("GET", "/fog/task/active", `{"typeID":14}`).json(t)["count"] != float64(0) {
		t.Fatalf("wake-up: wol %d", c.srv.WakeOnLANSent())
	}
	// Hosts join groups through their own "groups" key too.
	c.must(200, "POST", "/fog/host", `{"name":"h3","macs":["02:00:00:00:00:03"],"groups":[1,42]}`)
	if g := c.must(200, "GET", "/fog/group/1", "").json(t); g["hostcount"] != float64(3) {
		t.Fatalf("group hostcount %v", g["hostcount"])
	}
	c.must(404, "POST", "/fog/group/9/task", `{"taskTypeID":10}`)
}

func TestAuthVariants(t *testing.T) {
	c := newAPI(t, Options{})
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("fog:password"))
	r, _ := c.raw("GET", "/fog/system/info", "", map[string]string{"fog-user-token": "", "Authorization": basic})
	if r.status != 401 || r.header.Get("WWW-Authenticate") != "" {
		t.Fatalf("php-fpm basic: %d", r.status)
	}
	c.srv.SetBasicAuthReachesPHP(true)
	r, _ = c.raw("POST", "/fog/image", `{"name":"by-basic","path":"p","imageTypeID":1,"osID":9}`, map[string]string{"fog-user-token": "", "Authorization": basic})
	if r.status != 200 || r.json(t)["createdBy"] != "fog" {
		t.Fatalf("mod_php basic: %d %q", r.status, r.body)
	}
	r, _ = c.raw("HEAD", "/fog/system/status", "", nil)
	if r.status != 200 || r.body != "" || r.ctype != ctJSON {
		t.Fatalf("HEAD status: %d %q", r.status, r.body)
	}
	r, _ = c.raw("HEAD", "/fog/image", "", nil)
	if r.status != 501 {
		t.Fatalf("HEAD list: %d", r.status)
	}
	r, _ = c.raw("GET", "/fog/Host", "", nil)
	if r.status != 501 {
		t.Fatalf("upper case class: %d", r.status)
	}
	r, _ = c.raw("GET", "/fog/user", "", map[string]string{"fog-api-token": ""})
	if r.status != 403 {
		t.Fatalf("user without token: %d", r.status)
	}
}

func TestSecretDecryptionAndMemory(t *testing.T) {
	c := newAPI(t, Options{})
	// hex(iv)|hex(cipher)|hex(key): AES-256-CBC of "Pa55word" (PKCS#7).
	enc := encryptForTest(t, "Pa55word")
	h := c.must(200, "POST", "/fog/host", `{"name":"enc","macs":["02:00:00:00:00:01"],"ADPass":"`+enc+`","productKey":"00ff|00ff"}`).json(t)
	if h["ADPass"] != "Pa55word" || h["productKey"] != "" {
		t.Fatalf("decrypted %q / %q", h["ADPass"], h["productKey"])
	}
	// A value of the encrypted shape that does not decrypt stops the
	// request with 200 and an error object.
	c.must(200, "PUT", "/fog/host/1", `{"ADPass":"0011|2233|4455"}`)
	r := c.must(200, "GET", "/fog/host/1", "")
	if e, ok := r.json(t)["error"].(string); !ok || !strings.Contains(e, "Provider routines") {
		t.Fatalf("malformed secret: %q", r.body)
	}
	if got := formatMemory("MemTotal: 8167848 kB"); got != "7.79 GiB" {
		t.Fatalf("memory %q", got)
	}
	if got := formatMemory(""); got != "0.00 iB" {
		t.Fatalf("memory %q", got)
	}
	if m, ok := parseMAC("AA-bb-CC-dd-EE-ff"); !ok || m != "aa:bb:cc:dd:ee:ff" {
		t.Fatalf("parseMAC %q %v", m, ok)
	}
	if _, ok := parseMAC("aa:bb-cc:dd-ee:ff"); ok {
		t.Fatal("mixed separators accepted")
	}
}
