// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
)

func TestNormalizeMAC(t *testing.T) {
	for in, want := range map[string]string{
		"00:11:22:33:44:0b":   "00:11:22:33:44:0b",
		"00-11-22-33-44-0B":   "00:11:22:33:44:0b",
		"00112233440B":        "00:11:22:33:44:0b",
		"0011.2233.440b":      "00:11:22:33:44:0b",
		" AA:BB:CC:DD:EE:FF ": "aa:bb:cc:dd:ee:ff",
	} {
		got, err := NormalizeMAC(in)
		if err != nil || got != want {
			t.Errorf("NormalizeMAC(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "zz:11", "00:11:22:33:44", "00:11:22:33:44:0g", "00:11-22:33:44:55",
		"00:11:22:33:44:55:66", "0:11:22:33:44:55a", "00112233440", "0011.2233-440b", "00:11:22:33:44:55|00:11:22:33:44:56"} {
		if got, err := NormalizeMAC(bad); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("NormalizeMAC(%q) = %q, %v; want ErrInvalidArgument", bad, got, err)
		}
	}
}

// macFOG models FOG's hosts and /fog/macaddressassociation closely enough to
// check request order: a host without a primary MAC answers 404 (edge
// recording b-host-get-without-primary), and an association create with a
// MAC that exists overwrites that row (b-mac-create-with-other-hosts-primary).
type macFOG struct {
	t      *testing.T
	mu     sync.Mutex
	hosts  map[int64]string
	rows   []macRow
	nextID int64
	// lostPrimary is set if a write ever leaves a host without a primary.
	lostPrimary []string
	template    map[string]any
	// created holds the other fields a host create sent, echoed on reads.
	created map[int64]map[string]any
}

type macRow struct {
	ID      int64  `json:"id"`
	HostID  int64  `json:"hostID"`
	MAC     string `json:"mac"`
	Primary string `json:"primary"`
	Pending string `json:"pending"`
}

func newMacFOG(t *testing.T, hosts map[int64]string, rows ...macRow) (*macFOG, *fakeFOG) {
	m := &macFOG{t: t, hosts: hosts, rows: rows}
	for _, r := range rows {
		if r.ID >= m.nextID {
			m.nextID = r.ID
		}
	}
	if err := json.Unmarshal([]byte(loadRecording(t, "335-b-host-create-one-mac").ResponseBody), &m.template); err != nil {
		t.Fatal(err)
	}
	f := newFake(t)
	f.fallback = m.serve
	return m, f
}

var (
	hostPath  = regexp.MustCompile(`^/fog/host/(\d+)$`)
	assocPath = regexp.MustCompile(`^/fog/macaddressassociation/(\d+)(/edit)?$`)
)

func (m *macFOG) serve(w http.ResponseWriter, r *http.Request, body []byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p := r.URL.Path
	switch {
	case r.Method == "GET" && hostPath.MatchString(p):
		id, _ := strconv.ParseInt(hostPath.FindStringSubmatch(p)[1], 10, 64)
		m.writeHost(w, id)
	case r.Method == "GET" && p == "/fog/macaddressassociation":
		b, _ := json.Marshal(map[string]any{"count": len(m.rows), "macaddressassociations": m.rows})
		writeJSON(w, 200, string(b))
	case r.Method == "POST" && p == "/fog/macaddressassociation/create":
		var in struct {
			HostID  int64  `json:"hostID"`
			MAC     string `json:"mac"`
			Primary string `json:"primary"`
			Pending string `json:"pending"`
		}
		_ = json.Unmarshal(body, &in)
		row := macRow{HostID: in.HostID, MAC: in.MAC, Primary: in.Primary, Pending: in.Pending}
		i := m.find(func(r macRow) bool { return strings.EqualFold(r.MAC, in.MAC) })
		if i >= 0 {
			row.ID = m.rows[i].ID
			m.rows[i] = row
		} else {
			m.nextID++
			row.ID = m.nextID
			m.rows = append(m.rows, row)
		}
		m.check(r)
		b, _ := json.Marshal(row)
		writeJSON(w, 200, string(b))
	case r.Method == "PUT" && assocPath.MatchString(p):
		id, _ := strconv.ParseInt(assocPath.FindStringSubmatch(p)[1], 10, 64)
		i := m.find(func(r macRow) bool { return r.ID == id })
		if i < 0 {
			writeJSON(w, 404, "")
			return
		}
		var in map[string]string
		_ = json.Unmarshal(body, &in)
		if v, ok := in["primary"]; ok {
			m.rows[i].Primary = v
		}
		if v, ok := in["pending"]; ok {
			m.rows[i].Pending = v
		}
		m.check(r)
		b, _ := json.Marshal(m.rows[i])
		writeJSON(w, 200, string(b))
	case r.Method == "DELETE" && assocPath.MatchString(p):
		id, _ := strconv.ParseInt(assocPath.FindStringSubmatch(p)[1], 10, 64)
		i := m.find(func(r macRow) bool { return r.ID == id })
		if i < 0 {
			writeJSON(w, 404, "")
			return
		}
		m.rows = append(m.rows[:i], m.rows[i+1:]...)
		m.check(r)
		writeJSON(w, 200, `""`)
	case r.Method == "POST" && p == "/fog/host/create":
		var in struct {
			Name string   `json:"name"`
			MACs []string `json:"macs"`
		}
		_ = json.Unmarshal(body, &in)
		id := int64(len(m.hosts) + 1)
		m.hosts[id] = in.Name
		fields := map[string]any{}
		_ = json.Unmarshal(body, &fields)
		delete(fields, "name")
		delete(fields, "macs")
		if m.created == nil {
			m.created = map[int64]map[string]any{}
		}
		m.created[id] = fields
		for i, mac := range in.MACs {
			m.nextID++
			m.rows = append(m.rows, macRow{ID: m.nextID, HostID: id, MAC: mac, Primary: map[bool]string{true: "1", false: "0"}[i == 0]})
		}
		m.writeHost(w, id)
	default:
		m.t.Errorf("macFOG: unexpected %s %s", r.Method, p)
		writeJSON(w, 501, "")
	}
}

func (m *macFOG) find(match func(macRow) bool) int {
	for i, r := range m.rows {
		if match(r) {
			return i
		}
	}
	return -1
}

// check records a host left without a primary MAC by the request r.
func (m *macFOG) check(r *http.Request) {
	for id := range m.hosts {
		has := false
		for _, row := range m.rows {
			has = has || (row.HostID == id && row.Primary == "1")
		}
		if !has {
			m.lostPrimary = append(m.lostPrimary, r.Method+" "+r.URL.Path)
		}
	}
}

func (m *macFOG) writeHost(w http.ResponseWriter, id int64) {
	name, ok := m.hosts[id]
	var macs []string
	primac := ""
	for _, row := range m.rows {
		if row.HostID == id {
			macs = append(macs, strings.ToLower(row.MAC))
			if row.Primary == "1" && primac == "" {
				primac = strings.ToLower(row.MAC)
			}
		}
	}
	if !ok || primac == "" {
		writeJSON(w, 404, "")
		return
	}
	h := map[string]any{}
	for k, v := range m.template {
		h[k] = v
	}
	for k, v := range m.created[id] {
		h[k] = v
	}
	h["id"], h["name"], h["primac"], h["macs"] = id, name, primac, macs
	b, _ := json.Marshal(h)
	writeJSON(w, 200, string(b))
}

func (m *macFOG) state() map[int64][]string {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[int64][]string{}
	for _, r := range m.rows {
		s := r.MAC
		if r.Primary == "1" {
			s += "*"
		}
		if r.Pending == "1" {
			s += "?"
		}
		out[r.HostID] = append(out[r.HostID], s)
	}
	for _, v := range out {
		sort.Strings(v)
	}
	return out
}

const (
	macA = "00:11:22:bb:00:01"
	macB = "00:11:22:bb:01:01"
	macC = "00:11:22:bb:00:21"
)

func row(id, host int64, mac string, primary bool) macRow {
	p := "0"
	if primary {
		p = "1"
	}
	return macRow{ID: id, HostID: host, MAC: mac, Primary: p, Pending: ""}
}

// pendingRow is a MAC the FOG client service reported for the host.
func pendingRow(id, host int64, mac string) macRow {
	return macRow{ID: id, HostID: host, MAC: mac, Primary: "0", Pending: "1"}
}

func TestSetHostMACsRequestOrder(t *testing.T) {
	const get = "GET /fog/host/1"
	const list = "GET /fog/macaddressassociation"
	cases := []struct {
		name       string
		rows       []macRow
		want       []string
		requests   []string
		finalState []string
		macs       []string
	}{
		{
			name: "add an additional MAC (normalised)", rows: []macRow{row(1, 1, macA, true)},
			want: []string{macA, "00-11-22-BB-01-01"},
			requests: []string{get, list,
				`POST /fog/macaddressassociation/create {"hostID":1,"mac":"00:11:22:bb:01:01","pending":"0","primary":"0"}`,
				get},
			finalState: []string{macA + "*", macB}, macs: []string{macA, macB},
		},
		{
			name: "remove an additional MAC", rows: []macRow{row(1, 1, macA, true), row(2, 1, macB, false)},
			want:       []string{macA},
			requests:   []string{get, list, "DELETE /fog/macaddressassociation/2", get},
			finalState: []string{macA + "*"}, macs: []string{macA},
		},
		{
			name: "new primary, old kept as additional", rows: []macRow{row(1, 1, macA, true)},
			want: []string{macB, macA},
			requests: []string{get, list,
				`POST /fog/macaddressassociation/create {"hostID":1,"mac":"00:11:22:bb:01:01","pending":"0","primary":"0"}`,
				`PUT /fog/macaddressassociation/2/edit {"primary":"1"}`,
				`PUT /fog/macaddressassociation/1/edit {"primary":"0"}`,
				get},
			finalState: []string{macA, macB + "*"}, macs: []string{macB, macA},
		},
		{
			name: "replace the only MAC", rows: []macRow{row(1, 1, macA, true)},
			want: []string{macB},
			requests: []string{get, list,
				`POST /fog/macaddressassociation/create {"hostID":1,"mac":"00:11:22:bb:01:01","pending":"0","primary":"0"}`,
				`PUT /fog/macaddressassociation/2/edit {"primary":"1"}`,
				`PUT /fog/macaddressassociation/1/edit {"primary":"0"}`,
				"DELETE /fog/macaddressassociation/1",
				get},
			finalState: []string{macB + "*"}, macs: []string{macB},
		},
		{
			name: "promote an existing additional MAC", rows: []macRow{row(1, 1, macA, true), row(2, 1, macB, false)},
			want: []string{macB},
			requests: []string{get, list,
				`PUT /fog/macaddressassociation/2/edit {"primary":"1"}`,
				`PUT /fog/macaddressassociation/1/edit {"primary":"0"}`,
				"DELETE /fog/macaddressassociation/1",
				get},
			finalState: []string{macB + "*"}, macs: []string{macB},
		},
		{
			// A MAC the FOG client reported is not Terraform's to remove.
			name: "pending MAC left alone", rows: []macRow{row(1, 1, macA, true), pendingRow(2, 1, macC)},
			want: []string{macA, macB},
			requests: []string{get, list,
				`POST /fog/macaddressassociation/create {"hostID":1,"mac":"00:11:22:bb:01:01","pending":"0","primary":"0"}`,
				get},
			finalState: []string{macA + "*", macC + "?", macB}, macs: []string{macA, macC, macB},
		},
		{
			name: "listed pending MAC approved, then promoted", rows: []macRow{row(1, 1, macA, true), pendingRow(2, 1, macC)},
			want: []string{macC},
			requests: []string{get, list,
				`PUT /fog/macaddressassociation/2/edit {"pending":"0"}`,
				`PUT /fog/macaddressassociation/2/edit {"primary":"1"}`,
				`PUT /fog/macaddressassociation/1/edit {"primary":"0"}`,
				"DELETE /fog/macaddressassociation/1",
				get},
			finalState: []string{macC + "*"}, macs: []string{macC},
		},
		{
			name: "nothing to change", rows: []macRow{row(1, 1, macA, true), row(2, 1, macB, false)},
			want:       []string{macA, macB},
			requests:   []string{get, list, get},
			finalState: []string{macA + "*", macB}, macs: []string{macA, macB},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, f := newMacFOG(t, map[int64]string{1: "mac-a"}, tc.rows...)
			h, err := newTestClient(t, f.srv.URL).SetHostMACs(context.Background(), 1, tc.want)
			if err != nil {
				t.Fatal(err)
			}
			assertLines(t, f.requestLines(), tc.requests)
			if got := m.state()[1]; !reflect.DeepEqual(got, tc.finalState) {
				t.Errorf("server holds %v, want %v", got, tc.finalState)
			}
			if !reflect.DeepEqual(h.MACs, tc.macs) || h.PrimaryMAC != tc.macs[0] {
				t.Errorf("host MACs %v primary %q, want %v", h.MACs, h.PrimaryMAC, tc.macs)
			}
			if len(m.lostPrimary) > 0 {
				t.Errorf("host left without a primary MAC after %v", m.lostPrimary)
			}
		})
	}
}

// The association route would silently move another host's MAC (and a host
// that loses its only MAC disappears): refused before any write.
func TestSetHostMACsRefusesAnotherHostsMAC(t *testing.T) {
	m, f := newMacFOG(t, map[int64]string{1: "mac-x", 2: "mac-y"},
		row(1, 1, macA, true), row(2, 2, "00-11-22-BB-00-21", true))
	_, err := newTestClient(t, f.srv.URL).SetHostMACs(context.Background(), 1, []string{macB, macC})
	var conflict *MACConflictError
	if !errors.As(err, &conflict) || !errors.Is(err, ErrMACInUse) {
		t.Fatalf("err = %v", err)
	}
	if *conflict != (MACConflictError{MAC: macC, OwnerHostID: 2, OwnerHostName: "mac-y"}) {
		t.Errorf("conflict %+v", *conflict)
	}
	for _, r := range f.requests() {
		if r.Method != "GET" {
			t.Errorf("wrote %s", r)
		}
	}
	if got := m.state(); !reflect.DeepEqual(got, map[int64][]string{1: {macA + "*"}, 2: {"00-11-22-BB-00-21*"}}) {
		t.Errorf("state changed: %v", got)
	}
}

func TestSetHostMACsOnMissingHost(t *testing.T) {
	_, f := newMacFOG(t, map[int64]string{1: "mac-a"}, row(1, 1, macA, true))
	_, err := newTestClient(t, f.srv.URL).SetHostMACs(context.Background(), 5, []string{macA})
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("err = %v", err)
	}
	assertLines(t, f.requestLines(), []string{"GET /fog/host/5"})
}

func TestCreateHostNormalisesMACs(t *testing.T) {
	m, f := newMacFOG(t, map[int64]string{})
	h, err := newTestClient(t, f.srv.URL).CreateHost(context.Background(), HostCreate{
		Name: "host-b", MACs: []string{"00-11-22-33-44-0B", "00112233441B"}, Description: "second host", ImageID: 20,
	})
	if err != nil {
		t.Fatal(err)
	}
	reqs := f.requests()
	if len(reqs) != 2 || reqs[0].String() != "GET /fog/macaddressassociation" {
		t.Fatalf("requests %v", f.requestLines())
	}
	body := bodyMap(t, reqs[1].Body)
	if !reflect.DeepEqual(body["macs"], []any{"00:11:22:33:44:0b", "00:11:22:33:44:1b"}) {
		t.Errorf("macs sent %v", body["macs"])
	}
	for k, v := range map[string]any{"name": "host-b", "description": "second host", "imageID": 20.0} {
		if body[k] != v {
			t.Errorf("%s = %#v", k, body[k])
		}
	}
	if h.ID != 1 || h.PrimaryMAC != "00:11:22:33:44:0b" || len(m.state()[1]) != 2 {
		t.Errorf("host %+v, state %v", h, m.state())
	}
}

// FOG drops a taken additional MAC silently (edge recording
// b-host-create-second-mac-is-other-primary) and fails with an empty 500 on
// a taken first MAC: the client refuses both before creating anything.
func TestCreateHostRefusesAnotherHostsMAC(t *testing.T) {
	for _, macs := range [][]string{{"00:11:22:bb:00:03", macA}, {macA, "00:11:22:bb:00:05"}} {
		_, f := newMacFOG(t, map[int64]string{1: "mac-a"}, row(1, 1, macA, true))
		_, err := newTestClient(t, f.srv.URL).CreateHost(context.Background(), HostCreate{Name: "mac-c", MACs: macs})
		var conflict *MACConflictError
		if !errors.As(err, &conflict) || conflict.MAC != macA || conflict.OwnerHostName != "mac-a" {
			t.Fatalf("err = %v", err)
		}
		for _, r := range f.requests() {
			if r.Method != "GET" {
				t.Errorf("wrote %s", r)
			}
		}
	}
}

func TestListMACAssociationsKeepsStoredText(t *testing.T) {
	f := newFake(t)
	f.replay("GET", "/fog/macaddressassociation", loadRecording(t, "354-b-macaddressassociation-list-end"))
	rows, err := newTestClient(t, f.srv.URL).ListMACAssociations(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []MACAssociation{
		{ID: 1, HostID: 1, MAC: "00:11:22:bb:00:01"},
		{ID: 3, HostID: 1, MAC: "00:11:22:bb:01:02", Primary: true},
		{ID: 4, HostID: 1, MAC: "00-11-22-BB-01-03"},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("got %+v", rows)
	}
}

// The host object lists pending MACs among its macs without marking them;
// PendingMACs finds them in the host's rows, and asks nothing for a host
// that has only its primary MAC.
func TestPendingMACs(t *testing.T) {
	ctx := context.Background()
	_, f := newMacFOG(t, map[int64]string{1: "mac-a", 2: "mac-b"},
		row(1, 1, macA, true), pendingRow(2, 1, "00-11-22-BB-00-21"), row(3, 1, macB, false), row(4, 2, "00:11:22:bb:00:99", true))
	c := newTestClient(t, f.srv.URL)

	single := &Host{ID: 2, MACs: []string{"00:11:22:bb:00:99"}}
	if got, err := c.PendingMACs(ctx, single); err != nil || got != nil {
		t.Errorf("single-MAC host: %v, %v", got, err)
	}
	if n := len(f.requests()); n != 0 {
		t.Errorf("a host with one MAC cost %d requests", n)
	}

	h, err := c.GetHost(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.PendingMACs(ctx, h)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, []string{macC}) {
		t.Errorf("pending = %v, want [%s]", got, macC)
	}
	reqs := f.requests()
	if last := reqs[len(reqs)-1]; last.String() != `GET /fog/macaddressassociation {"hostID":1}` {
		t.Errorf("rows read with %s", last)
	}

	// From one list of every host's rows: only this host's pending rows count.
	all, err := c.ListMACAssociations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	other := &Host{ID: 2, MACs: []string{"00:11:22:bb:00:99", macC}}
	if got := PendingMACsIn(h, all); !reflect.DeepEqual(got, []string{macC}) {
		t.Errorf("PendingMACsIn(host 1) = %v", got)
	}
	if got := PendingMACsIn(other, all); len(got) != 0 {
		t.Errorf("host 2 has no pending rows, got %v", got)
	}
}

func TestCheckMACOwnership(t *testing.T) {
	ctx := context.Background()
	_, f := newMacFOG(t, map[int64]string{1: "mac-a", 2: "mac-b"}, row(1, 1, macA, true), row(2, 2, macB, true))
	c := newTestClient(t, f.srv.URL)

	if err := c.CheckMACOwnership(ctx, 1, []string{"00-11-22-BB-00-01", macC}); err != nil {
		t.Errorf("own and free MACs: %v", err)
	}
	err := c.CheckMACOwnership(ctx, 0, []string{macC, strings.ToUpper(macB)})
	var conflict *MACConflictError
	if !errors.As(err, &conflict) || *conflict != (MACConflictError{MAC: macB, OwnerHostID: 2, OwnerHostName: "mac-b"}) {
		t.Errorf("err = %v", err)
	}
	if err := c.CheckMACOwnership(ctx, 1, []string{macA, "00:11:22:bb:00:1"}); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("malformed MAC: err = %v", err)
	}
	for _, r := range f.requests() {
		if r.Method != http.MethodGet {
			t.Errorf("wrote %s", r)
		}
	}
}
