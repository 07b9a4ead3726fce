// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"
)

// Group is a FOG host group (class "group"). Strings are HTML-unescaped.
// FOG shows no member list on the group: membership is the groupassociation
// rows (reference/fleet.md §2.1).
type Group struct {
	ID           int64
	Name         string
	Description  string
	CreatedBy    string
	CreatedTime  string
	Building     int64
	Kernel       string
	KernelArgs   string
	KernelDevice string // the group's primary disk
	// HostCount counts the members that exist as hosts (recordings 515, 531).
	HostCount int64
}

// IsZombie reports whether a GET of this listed group would answer 404: an
// empty name is listed but cannot be read, changed or deleted (recordings
// 461, 465, 488, 489).
func (g Group) IsZombie() bool { return g.ID < 1 || strings.TrimSpace(g.Name) == "" }

type GroupCreate struct {
	Name         string
	Description  string
	Kernel       string
	KernelArgs   string
	KernelDevice string
}

// GroupUpdate lists the changes; nil keeps a field. There is no way to send
// "hosts" or "imageID": a group PUT with "hosts" replaces the members and
// re-escapes what it does not send, and "imageID" rewrites every member's
// image (reference/fleet.md §2.2, §2.3). Membership changes go through
// AddGroupMember, RemoveGroupMember and SetGroupMembers.
type GroupUpdate struct {
	Name         *string
	Description  *string
	Kernel       *string
	KernelArgs   *string
	KernelDevice *string
}

// GroupNameMax is the width of groups.groupName: FOG cuts a longer name and
// its upsert then overwrites the group of the cut name (recordings 463, 464).
const GroupNameMax = 50

// GroupNameForbidden are the characters a group name may not hold: FOG reads
// them HTML-escaped, and a PUT that does not resend the name (an unchanged
// mixed-case name must not be resent, recording 493) writes the escaped form
// back, one level more each time (recordings 477-481).
const GroupNameForbidden = `&<>"'`

// groupStringFields are resent on every PUT against the escape ratchet
// (recordings 477-482); "name" only when it changes (recording 493).
var groupStringFields = []string{"description", "createdBy", "createdTime", "kernel", "kernelArgs", "kernelDevice"}

type groupWire struct {
	ID           flexInt    `json:"id"`
	Name         flexString `json:"name"`
	Description  flexString `json:"description"`
	CreatedBy    flexString `json:"createdBy"`
	CreatedTime  flexString `json:"createdTime"`
	Building     flexInt    `json:"building"`
	Kernel       flexString `json:"kernel"`
	KernelArgs   flexString `json:"kernelArgs"`
	KernelDevice flexString `json:"kernelDevice"`
	HostCount    flexInt    `json:"hostcount"`
}

func (w *groupWire) group() Group {
	return Group{
		ID:           int64(w.ID),
		Name:         string(w.Name),
		Description:  string(w.Description),
		CreatedBy:    string(w.CreatedBy),
		CreatedTime:  string(w.CreatedTime),
		Building:     int64(w.Building),
		Kernel:       string(w.Kernel),
		KernelArgs:   string(w.KernelArgs),
		KernelDevice: string(w.KernelDevice),
		HostCount:    int64(w.HostCount),
	}
}

func decodeGroup(body []byte) (*Group, error) {
	var w groupWire
	if err := decodeObject(body, &w); err != nil {
		return nil, err
	}
	g := w.group()
	return &g, nil
}

// CheckGroupName refuses a name FOG would store as an unreadable row (empty,
// recording 461), cut onto another group (over 50 characters, 463, 464), or
// escape further with every later PUT (GroupNameForbidden).
func CheckGroupName(name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return fmt.Errorf("fogclient: group name must not be empty: %w", ErrInvalidArgument)
	case utf8.RuneCountInString(name) > GroupNameMax:
		return fmt.Errorf("fogclient: group name %q is longer than FOG's %d characters (FOG would cut it, possibly onto another group): %w",
			name, GroupNameMax, ErrInvalidArgument)
	case strings.ContainsAny(name, GroupNameForbidden):
		return fmt.Errorf("fogclient: group name %q holds one of %s, which FOG escapes once more with every change of the group: %w",
			name, GroupNameForbidden, ErrInvalidArgument)
	}
	return nil
}

// ListGroups lists GET /fog/group, ordered by lower-case name (recording 466).
func (c *Client) ListGroups(ctx context.Context) ([]Group, error) {
	return listOf(ctx, c, "/group", "groups", nil, (*groupWire).group)
}

// ListGroupsByID fetches several groups in one request, none for no ids.
func (c *Client) ListGroupsByID(ctx context.Context, ids []int64) ([]Group, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	groups, err := listOf(ctx, c, "/group", "groups", map[string]any{"id": ids}, (*groupWire).group)
	if err != nil {
		return nil, err
	}
	want := idSet(ids)
	return filter(groups, func(g Group) bool { return want[g.ID] }), nil
}

// FindGroupsByName returns the groups FOG takes for name (SameName).
func (c *Client) FindGroupsByName(ctx context.Context, name string) ([]Group, error) {
	if strings.TrimSpace(name) == "" {
		return nil, nil
	}
	groups, err := listOf(ctx, c, "/group", "groups", map[string]any{"name": name}, (*groupWire).group)
	if err != nil {
		return nil, err
	}
	return filter(groups, func(g Group) bool { return sameName(g.Name, name) }), nil
}

// SearchGroups runs FOG's search (GET /fog/group/search/{term}), which matches
// the term anywhere in any column (recordings 474, 475).
func (c *Client) SearchGroups(ctx context.Context, term string) ([]Group, error) {
	term = strings.Join(strings.Fields(term), "+")
	if !searchTermRe.MatchString(term) {
		return nil, fmt.Errorf("fogclient: search term %q is empty or holds characters FOG cannot receive in a path: %w", term, ErrInvalidArgument)
	}
	return listOf(ctx, c, "/group/search/"+term, "groups", nil, (*groupWire).group)
}

func (c *Client) GetGroup(ctx context.Context, id int64) (*Group, error) {
	if err := checkID("group", id); err != nil {
		return nil, err
	}
	var w groupWire
	if _, err := c.getObject(ctx, idPath("group", id, ""), &w); err != nil {
		return nil, err
	}
	g := w.group()
	return &g, nil
}

// CreateGroup creates a group without members; creates of one name are
// serialised within the Client.
func (c *Client) CreateGroup(ctx context.Context, in GroupCreate) (*Group, error) {
	if err := CheckGroupName(in.Name); err != nil {
		return nil, err
	}
	unlock, err := c.locks.lock(ctx, createLockKey("group", in.Name, GroupNameMax))
	if err != nil {
		return nil, &Error{Kind: err, Method: http.MethodPost, Route: c.route("/group/create")}
	}
	defer unlock()
	body := map[string]any{
		"name":         in.Name,
		"description":  in.Description,
		"kernel":       in.Kernel,
		"kernelArgs":   in.KernelArgs,
		"kernelDevice": in.KernelDevice,
	}
	groups := namedClass[Group]{class: "group", decode: decodeGroup, find: c.FindGroupsByName,
		key: func(g *Group) (int64, string) { return g.ID, g.Name }}
	return createByName(ctx, c, groups, in.Name, "/group/create", body,
		func(g *Group) []Difference { return groupCreateDiff(g, in) })
}

func groupCreateDiff(g *Group, in GroupCreate) []Difference {
	var d diff
	d.str("name", g.Name, in.Name)
	d.str("description", g.Description, in.Description)
	d.str("kernel", g.Kernel, in.Kernel)
	d.str("kernelArgs", g.KernelArgs, in.KernelArgs)
	d.str("kernelDevice", g.KernelDevice, in.KernelDevice)
	return d
}

// UpdateGroup resends every string field as read, unescaped, and the name
// only when it changes; a case-only rename FOG refuses is ErrCaseOnlyRename
// (recordings 485, 493, 494). Updates of one group are serialised.
func (c *Client) UpdateGroup(ctx context.Context, id int64, in GroupUpdate) (*Group, error) {
	if err := checkID("group", id); err != nil {
		return nil, err
	}
	editPath := idPath("group", id, "/edit")
	unlockRow, err := c.locks.lock(ctx, fmt.Sprintf("grouprow:%d", id))
	if err != nil {
		return nil, &Error{Kind: err, Method: http.MethodPut, Route: c.route(editPath)}
	}
	defer unlockRow()
	path := idPath("group", id, "")
	var cur groupWire
	raw, err := c.getObject(ctx, path, &cur)
	if err != nil {
		return nil, err
	}
	if in.Name != nil && *in.Name != string(cur.Name) {
		if CaseOnlyRenameRefused(string(cur.Name), *in.Name) {
			return nil, fmt.Errorf("fogclient: rename group %d from %q to %q: %w", id, string(cur.Name), *in.Name, ErrCaseOnlyRename)
		}
		if err := CheckGroupName(*in.Name); err != nil {
			return nil, err
		}
		unlock, err := c.locks.lock(ctx, createLockKey("group", *in.Name, GroupNameMax))
		if err != nil {
			return nil, &Error{Kind: err, Method: http.MethodPut, Route: c.route(editPath)}
		}
		defer unlock()
	}
	body, err := groupUpdateBody(raw, string(cur.Name), in)
	if err != nil {
		return nil, c.decodeFailure(http.MethodGet, path, err)
	}
	return resendUntilLanded(ctx, c, body,
		func(ctx context.Context, body map[string]any) (*Group, error) {
			return writeObject(ctx, c, http.MethodPut, editPath, body, decodeGroup)
		},
		func(ctx context.Context) (*Group, map[string]any, bool, error) {
			var w groupWire
			raw, err := c.getObject(ctx, path, &w)
			if err != nil {
				return nil, nil, false, err
			}
			g := w.group()
			if groupUpdateLanded(&g, in) {
				return &g, nil, true, nil
			}
			next, err := groupUpdateBody(raw, g.Name, in)
			if err != nil {
				return nil, nil, false, c.decodeFailure(http.MethodGet, path, err)
			}
			return nil, next, false, nil
		})
}

func groupUpdateBody(raw []byte, curName string, in GroupUpdate) (map[string]any, error) {
	body, err := resendFields(raw, groupStringFields)
	if err != nil {
		return nil, err
	}
	if in.Name != nil && *in.Name != curName {
		body["name"] = *in.Name
	}
	setIf(body, "description", in.Description)
	setIf(body, "kernel", in.Kernel)
	setIf(body, "kernelArgs", in.KernelArgs)
	setIf(body, "kernelDevice", in.KernelDevice)
	return body, nil
}

func groupUpdateLanded(g *Group, in GroupUpdate) bool {
	var d diff
	d.strP("name", g.Name, in.Name)
	d.strP("description", g.Description, in.Description)
	d.strP("kernel", g.Kernel, in.Kernel)
	d.strP("kernelArgs", g.KernelArgs, in.KernelArgs)
	d.strP("kernelDevice", g.KernelDevice, in.KernelDevice)
	return len(d) == 0
}

// DeleteGroup deletes a group and its membership rows; the hosts stay
// (recordings 490, 500, 501).
func (c *Client) DeleteGroup(ctx context.Context, id int64) error {
	if err := checkID("group", id); err != nil {
		return err
	}
	return c.deleteObject(ctx, idPath("group", id, ""), func(ctx context.Context) error {
		_, err := c.GetGroup(ctx, id)
		return err
	})
}

// ---- membership (groupassociation) ------------------------------------------

// GroupMembership is one groupassociation row: host HostID is a member of
// group GroupID. FOG checks neither id (recordings 512, 513).
type GroupMembership struct {
	ID      int64
	HostID  int64
	GroupID int64
}

type groupMembershipWire struct {
	ID      flexInt `json:"id"`
	HostID  flexInt `json:"hostID"`
	GroupID flexInt `json:"groupID"`
}

func (w *groupMembershipWire) membership() GroupMembership {
	return GroupMembership{ID: int64(w.ID), HostID: int64(w.HostID), GroupID: int64(w.GroupID)}
}

// ListGroupMemberships lists every groupassociation row (recording 509): the
// only place FOG shows which hosts are in which group.
func (c *Client) ListGroupMemberships(ctx context.Context) ([]GroupMembership, error) {
	return listOf(ctx, c, "/groupassociation", "groupassociations", nil, (*groupMembershipWire).membership)
}

// GroupMemberships lists the rows of one group, filtered by FOG (recording 516).
func (c *Client) GroupMemberships(ctx context.Context, groupID int64) ([]GroupMembership, error) {
	if err := checkID("group", groupID); err != nil {
		return nil, err
	}
	rows, err := listOf(ctx, c, "/groupassociation", "groupassociations", map[string]any{"groupID": groupID}, (*groupMembershipWire).membership)
	if err != nil {
		return nil, err
	}
	return filter(rows, func(m GroupMembership) bool { return m.GroupID == groupID }), nil
}

// HostGroupMemberships lists the rows of one host (recording 517).
func (c *Client) HostGroupMemberships(ctx context.Context, hostID int64) ([]GroupMembership, error) {
	if err := checkID("host", hostID); err != nil {
		return nil, err
	}
	rows, err := listOf(ctx, c, "/groupassociation", "groupassociations", map[string]any{"hostID": hostID}, (*groupMembershipWire).membership)
	if err != nil {
		return nil, err
	}
	return filter(rows, func(m GroupMembership) bool { return m.HostID == hostID }), nil
}

// GroupMemberIDs returns the ids of a group's member hosts, each once, in
// membership order, hosts that no longer exist included.
func (c *Client) GroupMemberIDs(ctx context.Context, groupID int64) ([]int64, error) {
	rows, err := c.GroupMemberships(ctx, groupID)
	if err != nil {
		return nil, err
	}
	return MemberIDs(rows, groupID), nil
}

// MemberIDs returns the host ids of group groupID among rows, each once, in
// row order.
func MemberIDs(rows []GroupMembership, groupID int64) []int64 {
	var out []int64
	seen := map[int64]bool{}
	for _, m := range rows {
		if m.GroupID == groupID && !seen[m.HostID] {
			seen[m.HostID] = true
			out = append(out, m.HostID)
		}
	}
	return out
}

func membershipLockKey(groupID int64) string { return fmt.Sprintf("groupmembers:%d", groupID) }

// AddGroupMember makes host hostID a member of group groupID with one
// groupassociation create. FOG writes rows for ids that do not exist
// (recordings 512, 513), so both are read first. FOG answers a pair that is
// already there with an empty 404 (recording 511): that is success, as is a
// lost answer after which the pair is there.
func (c *Client) AddGroupMember(ctx context.Context, groupID, hostID int64) (*GroupMembership, error) {
	if err := checkID("group", groupID); err != nil {
		return nil, err
	}
	if err := checkID("host", hostID); err != nil {
		return nil, err
	}
	unlock, err := c.locks.lock(ctx, membershipLockKey(groupID))
	if err != nil {
		return nil, &Error{Kind: err, Method: http.MethodPost, Route: c.route("/groupassociation/create")}
	}
	defer unlock()
	if _, err := c.GetGroup(ctx, groupID); err != nil {
		return nil, err
	}
	if _, err := c.GetHost(ctx, hostID); err != nil {
		return nil, err
	}
	return c.addGroupMember(ctx, groupID, hostID)
}

// addGroupMember sends the create; the caller holds the group's membership lock.
func (c *Client) addGroupMember(ctx context.Context, groupID, hostID int64) (*GroupMembership, error) {
	const path = "/groupassociation/create"
	body := map[string]any{"hostID": hostID, "groupID": groupID}
	var lost error
	for sends := 1; ; sends++ {
		resp, err := c.do(ctx, call{method: http.MethodPost, path: path, body: body})
		switch {
		case err == nil:
			var w groupMembershipWire
			if derr := decodeObject(resp, &w); derr != nil || w.ID <= 0 {
				if derr == nil {
					derr = errors.New("created association has no id")
				}
				return nil, c.decodeFailure(http.MethodPost, path, derr)
			}
			m := w.membership()
			return &m, nil
		case errors.Is(err, ErrNotFound):
			// The pair exists: FOG's upsert matched it (recording 511).
			m, ferr := c.findMembership(ctx, groupID, hostID)
			switch {
			case ferr != nil && lost != nil:
				return nil, outcomeUnknown(lost, fmt.Errorf("looking the membership up failed: %w", ferr))
			case ferr != nil:
				return nil, ferr
			case m == nil:
				return nil, err
			}
			return m, nil
		case !answerLost(err):
			return nil, err
		}
		lost = err
		c.noteLostAnswer(ctx, err, "looking the membership up")
		m, ferr := c.findMembership(ctx, groupID, hostID)
		switch {
		case ferr != nil:
			return nil, outcomeUnknown(lost, fmt.Errorf("looking the membership up failed: %w", ferr))
		case m != nil:
			return m, nil
		}
		if werr := c.beforeResend(ctx, sends, lost, fmt.Sprintf("the membership of host %d in group %d", hostID, groupID)); werr != nil {
			return nil, werr
		}
	}
}

func (c *Client) findMembership(ctx context.Context, groupID, hostID int64) (*GroupMembership, error) {
	rows, err := c.GroupMemberships(ctx, groupID)
	if err != nil {
		return nil, err
	}
	for i := range rows {
		if rows[i].HostID == hostID {
			return &rows[i], nil
		}
	}
	return nil, nil
}

// RemoveGroupMember deletes the groupassociation rows of the pair; a pair
// that is not there is nothing to do.
func (c *Client) RemoveGroupMember(ctx context.Context, groupID, hostID int64) error {
	if err := checkID("group", groupID); err != nil {
		return err
	}
	if err := checkID("host", hostID); err != nil {
		return err
	}
	unlock, err := c.locks.lock(ctx, membershipLockKey(groupID))
	if err != nil {
		return &Error{Kind: err, Method: http.MethodDelete, Route: c.route("/groupassociation")}
	}
	defer unlock()
	rows, err := c.GroupMemberships(ctx, groupID)
	if err != nil {
		return err
	}
	return c.deleteMemberships(ctx, filter(rows, func(m GroupMembership) bool { return m.HostID == hostID }))
}

func (c *Client) deleteMemberships(ctx context.Context, rows []GroupMembership) error {
	for _, m := range rows {
		id := m.ID
		err := c.deleteObject(ctx, idPath("groupassociation", id, ""), func(ctx context.Context) error {
			var w groupMembershipWire
			_, err := c.getObject(ctx, idPath("groupassociation", id, ""), &w)
			return err
		})
		if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
	}
	return nil
}

// SetGroupMembers makes hostIDs the exact members of group groupID, pair by
// pair: creates for the missing, deletes for the others, never a group PUT
// of "hosts", which replaces the members and re-escapes what it does not
// send (reference/fleet.md §2.2). Every host must exist (FOG would write a
// row for a host that does not). It returns the rows as they are afterwards.
func (c *Client) SetGroupMembers(ctx context.Context, groupID int64, hostIDs []int64) ([]GroupMembership, error) {
	if err := checkID("group", groupID); err != nil {
		return nil, err
	}
	want := map[int64]bool{}
	var ordered []int64
	for _, h := range hostIDs {
		if err := checkID("host", h); err != nil {
			return nil, err
		}
		if !want[h] {
			want[h] = true
			ordered = append(ordered, h)
		}
	}
	slices.Sort(ordered)
	unlock, err := c.locks.lock(ctx, membershipLockKey(groupID))
	if err != nil {
		return nil, &Error{Kind: err, Method: http.MethodPut, Route: c.route("/groupassociation")}
	}
	defer unlock()
	rows, err := c.GroupMemberships(ctx, groupID)
	if err != nil {
		return nil, err
	}
	have := map[int64]bool{}
	var extra []GroupMembership
	for _, m := range rows {
		if want[m.HostID] && !have[m.HostID] {
			have[m.HostID] = true
			continue
		}
		extra = append(extra, m)
	}
	var missing []int64
	for _, h := range ordered {
		if !have[h] {
			missing = append(missing, h)
		}
	}
	if len(missing) > 0 {
		if err := c.checkHostsExist(ctx, missing); err != nil {
			return nil, err
		}
	}
	for _, h := range missing {
		if _, err := c.addGroupMember(ctx, groupID, h); err != nil {
			return nil, err
		}
	}
	if err := c.deleteMemberships(ctx, extra); err != nil {
		return nil, err
	}
	return c.GroupMemberships(ctx, groupID)
}

// MissingHostsError names host ids FOG does not have (or hides: a host
// without a primary MAC).
type MissingHostsError struct{ IDs []int64 }

func (e *MissingHostsError) Error() string {
	return fmt.Sprintf("FOG has no host with id %s", joinIDs(e.IDs))
}

func (e *MissingHostsError) Unwrap() error { return ErrNotFound }

// checkHostsExist reads the hosts in one request; any missing from the list
// is confirmed by a GET by id (the list hides some readable hosts).
func (c *Client) checkHostsExist(ctx context.Context, ids []int64) error {
	hosts, err := c.ListHostsByID(ctx, ids)
	if err != nil {
		return err
	}
	found := map[int64]bool{}
	for _, h := range hosts {
		found[h.ID] = true
	}
	var missing []int64
	for _, id := range ids {
		if found[id] {
			continue
		}
		if _, err := c.GetHost(ctx, id); errors.Is(err, ErrNotFound) {
			missing = append(missing, id)
		} else if err != nil {
			return err
		}
	}
	if len(missing) > 0 {
		return &MissingHostsError{IDs: missing}
	}
	return nil
}

func joinIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprint(id)
	}
	return strings.Join(parts, ", ")
}
