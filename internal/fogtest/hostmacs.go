// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogtest

import (
	"regexp"
	"strconv"
	"strings"
)

var macFormats = regexp.MustCompile(`^([a-fA-F0-9]{2}:){5}[a-fA-F0-9]{2}$|^([a-fA-F0-9]{2}-){5}[a-fA-F0-9]{2}$|^[a-fA-F0-9]{12}$|^([a-fA-F0-9]{4}\.){2}[a-fA-F0-9]{4}$`)

// parseMAC is FOG's parseMacList/MACAddress for one MAC: aa:bb:cc:dd:ee:ff,
// aa-bb-cc-dd-ee-ff, aabbccddeeff or aabb.ccdd.eeff in any case; returns the
// lower-case colon form.
func parseMAC(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if !macFormats.MatchString(s) {
		return "", false
	}
	clean := strings.NewReplacer(":", "", "-", "", ".", "").Replace(s)
	var b strings.Builder
	for i := 0; i < 12; i += 2 {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(clean[i : i+2])
	}
	return b.String(), true
}

// macOwner returns the host id owning mac (any hostMAC row), or 0.
func (s *Server) macOwner(mac string) int64 {
	mt := s.tbl("macaddressassociation")
	for _, id := range mt.ids() {
		if collationEqual(mt.rows[id]["mac"], mac) {
			return mt.rows[id].int("hostID")
		}
	}
	return 0
}

// macFiltered applies FOG_QUICKREG_PENDING_MAC_FILTER: parseMacList drops
// every MAC matching one of its comma-separated entries (case-insensitive,
// anywhere in the MAC; empty by default).
func (s *Server) macFiltered(mac string) bool {
	f := s.settingLocked("FOG_QUICKREG_PENDING_MAC_FILTER")
	for _, p := range strings.Split(f, ",") {
		p = strings.ToLower(strings.TrimSpace(p))
		if p != "" && strings.Contains(strings.ToLower(mac), p) {
			return true
		}
	}
	return false
}

type hostMACPlan struct {
	primary    string
	additional []string
}

// planHostCreateMACs validates "macs" on host create before anything is
// written (reference/fog-api.md §6.3.2): absent/null/non-array or a bad or taken first MAC is a
// PHP fatal; [] means no MAC at all (the host is saved but invisible).
// Additional MACs that are invalid or owned by any host are dropped (edge
// recordings b-host-create-second-mac-is-other-*).
func (s *Server) planHostCreateMACs(body map[string]any) (*hostMACPlan, *response) {
	v, ok := body["macs"]
	if !ok || v == nil {
		return nil, fatalResp() // PHP 8: count(null) TypeError (recording host-create-no-macs)
	}
	arr, ok := v.([]any)
	if !ok {
		return nil, fatalResp()
	}
	plan := &hostMACPlan{}
	if len(arr) == 0 {
		return plan, nil
	}
	first := strings.SplitN(phpString(arr[0]), "|", 2)[0]
	m, ok := parseMAC(first)
	if !ok || s.macFiltered(m) {
		return nil, fatalResp() // "No viable macs to use"
	}
	if s.macOwner(m) != 0 {
		return nil, fatalResp() // "MAC address is already in use by another host"
	}
	plan.primary = m
	seen := map[string]bool{m: true}
	for _, e := range arr[1:] {
		str := phpString(e)
		if strings.Contains(str, "|") {
			continue
		}
		a, ok := parseMAC(str)
		if !ok || seen[a] || s.macFiltered(a) || s.macOwner(a) != 0 {
			continue
		}
		seen[a] = true
		plan.additional = append(plan.additional, a)
	}
	return plan, nil
}

func (s *Server) addMACRow(hostID int64, mac string, primary, pending string) {
	mt := s.tbl("macaddressassociation")
	mt.insert(mt.build(map[string]string{
		"hostID": strconv.FormatInt(hostID, 10), "mac": mac, "primary": primary, "pending": pending,
	}))
}

func (s *Server) applyHostCreateMACs(hostID int64, plan *hostMACPlan) {
	if plan == nil || plan.primary == "" {
		return
	}
	// Host::addPriMAC writes primary '1' and leaves pending unset ('');
	// additional MACs get primary '0', pending '0' (edge recording
	// b-macaddressassociation-list-initial).
	s.addMACRow(hostID, plan.primary, "1", "")
	for _, a := range plan.additional {
		s.addMACRow(hostID, a, "0", "0")
	}
}

// editHostMACs is the PUT "macs" replacement of reference/fog-api.md §6.3.3. cur is the host's
// MAC list as the API shows it; new = body.macs - cur (exact strings).
//   - new empty: fatal, nothing changes;
//   - new[0] becomes the primary, the old primary row is deleted even if listed;
//   - additional MACs not in the list are removed, which on PHP 8 is a fatal
//     after the partial save (recordings host-edit-macs, host-get-after-macs-fatal);
//   - the rest of new becomes additional MACs; pending MACs are untouched.
func (s *Server) editHostMACs(hostID int64, v any) *response {
	arr, ok := v.([]any)
	if !ok {
		return fatalResp()
	}
	mt := s.tbl("macaddressassociation")
	cur := map[string]bool{}
	for _, id := range s.hostMACRows(hostID) {
		cur[readString(mt.rows[id]["mac"])] = true
	}
	var sent, fresh []string
	for _, e := range arr {
		str := phpString(e)
		sent = append(sent, str)
		if !cur[str] {
			fresh = append(fresh, str)
		}
	}
	if len(fresh) == 0 {
		return fatalResp() // "No viable macs to use"
	}
	first, ok := parseMAC(strings.SplitN(fresh[0], "|", 2)[0])
	if !ok || s.macFiltered(first) {
		return fatalResp()
	}
	if s.macOwner(first) != 0 {
		return fatalResp() // already in use (possibly by this very host)
	}
	// Primary swap.
	for _, id := range s.hostMACRows(hostID) {
		if mt.rows[id]["primary"] == "1" {
			mt.delete(id)
		}
	}
	s.addMACRow(hostID, first, "1", "")
	// Remove additional MACs that are not in the list.
	keep := map[string]bool{}
	for _, str := range sent {
		if m, ok := parseMAC(str); ok {
			keep[m] = true
		}
		keep[strings.ToLower(str)] = true
	}
	removed := false
	for _, id := range s.hostMACRows(hostID) {
		r := mt.rows[id]
		if r["primary"] == "1" || r["pending"] == "1" {
			continue
		}
		if !keep[strings.ToLower(r["mac"])] {
			mt.delete(id)
			removed = true
		}
	}
	if removed {
		return fatalResp() // PHP 8 fatal after the partial save
	}
	seen := map[string]bool{first: true}
	for _, str := range fresh[1:] {
		if strings.Contains(str, "|") {
			continue
		}
		a, ok := parseMAC(str)
		if !ok || seen[a] || s.macFiltered(a) || s.macOwner(a) != 0 {
			continue
		}
		seen[a] = true
		s.addMACRow(hostID, a, "0", "0")
	}
	return nil
}
