// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"context"
	"fmt"
	"net/http"
	"strings"
)

// MACAssociation is a row of /fog/macaddressassociation.
type MACAssociation struct {
	ID      int64
	HostID  int64
	MAC     string // as stored: this route does not normalise
	Primary bool
	Pending bool
}

// macWire: edge recording b-macaddressassociation-list-initial.
type macWire struct {
	ID      flexInt    `json:"id"`
	HostID  flexInt    `json:"hostID"`
	MAC     flexString `json:"mac"`
	Primary flexString `json:"primary"`
	Pending flexString `json:"pending"`
}

func (w *macWire) assoc() MACAssociation {
	return MACAssociation{
		ID:      int64(w.ID),
		HostID:  int64(w.HostID),
		MAC:     string(w.MAC),
		Primary: isFlagSet(w.Primary),
		Pending: isFlagSet(w.Pending),
	}
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		isDigit := '0' <= c && c <= '9'
		isLower := 'a' <= c && c <= 'f'
		isUpper := 'A' <= c && c <= 'F'
		if !isDigit && !isLower && !isUpper {
			return false
		}
	}
	return true
}

// NormalizeMAC turns FOG's notations (aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff,
// aabbccddeeff, aabb.ccdd.eeff; any case) into lower-case colon form.
func NormalizeMAC(s string) (string, error) {
	t := strings.TrimSpace(s)
	var hex string
	switch {
	case len(t) == 17 && (t[2] == ':' || t[2] == '-'):
		sep := t[2]
		parts := strings.Split(t, string(sep))
		if len(parts) != 6 {
			break
		}
		ok := true
		for _, p := range parts {
			ok = ok && len(p) == 2
		}
		if ok {
			hex = strings.Join(parts, "")
		}
	case len(t) == 14 && t[4] == '.' && t[9] == '.':
		hex = t[0:4] + t[5:9] + t[10:14]
	case len(t) == 12:
		hex = t
	}
	if len(hex) != 12 || !isHex(hex) {
		return "", fmt.Errorf("fogclient: %q is not a MAC address (use aa:bb:cc:dd:ee:ff): %w", s, ErrInvalidArgument)
	}
	hex = strings.ToLower(hex)
	var b strings.Builder
	for i := 0; i < 12; i += 2 {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(hex[i : i+2])
	}
	return b.String(), nil
}

func normalizeMACList(in []string) ([]string, error) {
	if len(in) == 0 {
		return nil, fmt.Errorf("fogclient: a host needs at least one MAC address: %w", ErrInvalidArgument)
	}
	out := make([]string, 0, len(in))
	seen := make(map[string]bool, len(in))
	for _, m := range in {
		n, err := NormalizeMAC(m)
		if err != nil {
			return nil, err
		}
		if seen[n] {
			return nil, fmt.Errorf("fogclient: MAC address %s is listed twice: %w", n, ErrInvalidArgument)
		}
		seen[n] = true
		out = append(out, n)
	}
	return out, nil
}

// canonicalOrRaw: the association route stores text as sent (edge recording
// b-mac-create-uppercase-dashes), so a row may hold any notation.
func canonicalOrRaw(s string) string {
	if n, err := NormalizeMAC(s); err == nil {
		return n
	}
	return strings.ToLower(strings.TrimSpace(s))
}

func (c *Client) ListMACAssociations(ctx context.Context) ([]MACAssociation, error) {
	return listOf(ctx, c, "/macaddressassociation", "macaddressassociations", nil, (*macWire).assoc)
}

// HostMACAssociations returns one host's MAC rows in FOG's order.
func (c *Client) HostMACAssociations(ctx context.Context, hostID int64) ([]MACAssociation, error) {
	if err := checkID("host", hostID); err != nil {
		return nil, err
	}
	rows, err := listOf(ctx, c, "/macaddressassociation", "macaddressassociations",
		map[string]any{"hostID": hostID}, (*macWire).assoc)
	if err != nil {
		return nil, err
	}
	return filter(rows, func(a MACAssociation) bool { return a.HostID == hostID }), nil
}

// PendingMACs returns the host's MACs that the FOG client service reported and
// that wait for approval. The host object does not say which they are
// (reference/fog-api.md §5.1); a host with only its primary MAC needs no request.
func (c *Client) PendingMACs(ctx context.Context, h *Host) ([]string, error) {
	if h == nil || len(h.MACs) <= 1 {
		return nil, nil
	}
	rows, err := c.HostMACAssociations(ctx, h.ID)
	if err != nil {
		return nil, err
	}
	return pendingOf(h.MACs, rows), nil
}

// PendingMACsIn is PendingMACs from MAC rows already read.
func PendingMACsIn(h *Host, rows []MACAssociation) []string {
	if h == nil {
		return nil
	}
	return pendingOf(h.MACs, filter(rows, func(a MACAssociation) bool { return a.HostID == h.ID }))
}

func pendingOf(macs []string, rows []MACAssociation) []string {
	pending := make(map[string]bool, len(rows))
	for _, a := range rows {
		if a.Pending && !a.Primary {
			pending[canonicalOrRaw(a.MAC)] = true
		}
	}
	var out []string
	for _, m := range macs {
		if n := canonicalOrRaw(m); pending[n] {
			out = append(out, n)
		}
	}
	return out
}

// CheckMACOwnership returns a *MACConflictError when a host other than hostID
// (0: not created yet) owns one of macs. It only reads; the writes check again.
func (c *Client) CheckMACOwnership(ctx context.Context, hostID int64, macs []string) error {
	want, err := normalizeMACList(macs)
	if err != nil {
		return err
	}
	all, err := c.ListMACAssociations(ctx)
	if err != nil {
		return err
	}
	return c.checkMACOwners(ctx, hostID, want, all)
}

// CheckMACOwnershipIn is CheckMACOwnership against MAC rows already read.
func (c *Client) CheckMACOwnershipIn(ctx context.Context, hostID int64, macs []string, rows []MACAssociation) error {
	want, err := normalizeMACList(macs)
	if err != nil {
		return err
	}
	return c.checkMACOwners(ctx, hostID, want, rows)
}

func (c *Client) checkMACOwners(ctx context.Context, hostID int64, macs []string, assocs []MACAssociation) error {
	owner := make(map[string]MACAssociation, len(assocs))
	for _, a := range assocs {
		owner[canonicalOrRaw(a.MAC)] = a
	}
	for _, m := range macs {
		a, ok := owner[m]
		if !ok || a.HostID == hostID {
			continue
		}
		conflict := &MACConflictError{MAC: m, OwnerHostID: a.HostID}
		if a.HostID > 0 {
			// Best effort: a host without a primary MAC answers 404.
			if h, err := c.GetHost(ctx, a.HostID); err == nil {
				conflict.OwnerHostName = h.Name
			}
		}
		return conflict
	}
	return nil
}

// SetHostMACs makes the host's MACs exactly macs (the first is the primary) in
// the only safe order (edge recordings B): add, promote, demote, delete. A
// host without a primary answers 404 and leaves the lists
// (b-mac-edit-only-primary-to-zero), and the route silently moves a MAC another
// host owns (b-mac-create-with-other-hosts-primary), which is refused first. A
// row holding a wanted MAC in another notation is kept: the MAC column is a
// case-insensitive unique key. Pending MACs are an administrator's decision:
// those listed in macs are approved, the others left alone.
func (c *Client) SetHostMACs(ctx context.Context, hostID int64, macs []string) (*Host, error) {
	if err := checkID("host", hostID); err != nil {
		return nil, err
	}
	want, err := normalizeMACList(macs)
	if err != nil {
		return nil, err
	}
	unlock, err := c.locks.lock(ctx, fmt.Sprintf("hostmacs:%d", hostID))
	if err != nil {
		return nil, &Error{Kind: err, Method: http.MethodGet, Route: c.route("/macaddressassociation")}
	}
	defer unlock()

	if _, err := c.GetHost(ctx, hostID); err != nil {
		return nil, err
	}
	all, err := c.ListMACAssociations(ctx)
	if err != nil {
		return nil, err
	}
	if err := c.checkMACOwners(ctx, hostID, want, all); err != nil {
		return nil, err
	}

	mine := make(map[string]MACAssociation)
	var mineOrder []MACAssociation
	for _, a := range all {
		if a.HostID == hostID {
			mine[canonicalOrRaw(a.MAC)] = a
			mineOrder = append(mineOrder, a)
		}
	}

	// 1. Approve wanted MACs that are pending; add the missing ones as additional.
	for _, m := range want {
		if a, ok := mine[m]; ok {
			if a.Pending && !a.Primary {
				if err := c.editMACAssociation(ctx, a.ID, map[string]any{"pending": "0"}); err != nil {
					return nil, err
				}
				a.Pending = false
				mine[m] = a
			}
			continue
		}
		a, err := c.createMACAssociation(ctx, hostID, m)
		if err != nil {
			return nil, err
		}
		mine[m] = a
	}

	// 2. Promote the new primary, then 3. demote the others
	// (b-mac-edit-new-to-primary, b-mac-edit-old-to-not-primary).
	newPrimary := mine[want[0]]
	if !newPrimary.Primary {
		if err := c.setMACPrimary(ctx, newPrimary.ID, true); err != nil {
			return nil, err
		}
	}
	for _, a := range mineOrder {
		if a.Primary && a.ID != newPrimary.ID {
			if err := c.setMACPrimary(ctx, a.ID, false); err != nil {
				return nil, err
			}
		}
	}

	// 4. Delete the rows no longer wanted, last.
	wanted := make(map[int64]bool, len(want))
	for _, m := range want {
		wanted[mine[m].ID] = true
	}
	for _, a := range mineOrder {
		if wanted[a.ID] || (a.Pending && !a.Primary) {
			continue
		}
		if _, err := c.do(ctx, call{method: http.MethodDelete, path: idPath("macaddressassociation", a.ID, "")}); err != nil {
			return nil, err
		}
	}
	return c.GetHost(ctx, hostID)
}

// createMACAssociation: edge recording b-mac-create-additional.
func (c *Client) createMACAssociation(ctx context.Context, hostID int64, mac string) (MACAssociation, error) {
	const path = "/macaddressassociation/create"
	body, err := c.do(ctx, call{method: http.MethodPost, path: path, body: map[string]any{
		"hostID": hostID, "mac": mac, "primary": "0", "pending": "0",
	}})
	if err != nil {
		return MACAssociation{}, err
	}
	var w macWire
	if err := decodeObject(body, &w); err != nil {
		return MACAssociation{}, c.decodeFailure(http.MethodPost, path, err)
	}
	if w.ID <= 0 {
		return MACAssociation{}, c.decodeFailure(http.MethodPost, path, fmt.Errorf("created association has no id"))
	}
	return w.assoc(), nil
}

func (c *Client) setMACPrimary(ctx context.Context, id int64, primary bool) error {
	return c.editMACAssociation(ctx, id, map[string]any{"primary": flag(primary)})
}

// editMACAssociation: edge recording b-mac-edit-new-to-primary.
func (c *Client) editMACAssociation(ctx context.Context, id int64, body map[string]any) error {
	_, err := c.do(ctx, call{method: http.MethodPut, path: idPath("macaddressassociation", id, "/edit"), body: body})
	return err
}
