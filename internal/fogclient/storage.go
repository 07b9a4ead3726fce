// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"unicode/utf8"
)

// Storage groups, storage nodes and the storage groups images live in
// (reference/snapins-storage.md §4-§6).

// DefaultStorageGroupID is the group FOG's installer creates. Nothing
// recreates it once deleted (recordings 737, 738).
const DefaultStorageGroupID int64 = 1

// StorageNameMax is the width the client allows for storage group and node
// names (FOG's nfsGroups.ngName and nfsGroupMembers.ngmMemberName).
const StorageNameMax = 255

// ErrInUse refuses to delete an object that others still point at.
var ErrInUse = errors.New("still in use")

// ErrLastStorageGroup refuses to remove an image's last link to a storage
// group that exists.
var ErrLastStorageGroup = errors.New("the image's last storage group")

// StorageGroup is a FOG storage group (recordings 686, 687, 698).
type StorageGroup struct {
	ID          int64
	Name        string
	Description string
	// TotalSupportedClients sums maxClients over EnabledNodes.
	TotalSupportedClients int64
	EnabledNodes          []int64 // sorted by node name, as FOG lists them (709, 710)
	AllNodes              []int64
}

type storageGroupWire struct {
	ID                    flexInt    `json:"id"`
	Name                  flexString `json:"name"`
	Description           flexString `json:"description"`
	TotalSupportedClients flexInt    `json:"totalsupportedclients"`
	EnabledNodes          flexInts   `json:"enablednodes"`
	AllNodes              flexInts   `json:"allnodes"`
}

func (w *storageGroupWire) group() StorageGroup {
	return StorageGroup{
		ID: int64(w.ID), Name: string(w.Name), Description: string(w.Description),
		TotalSupportedClients: int64(w.TotalSupportedClients),
		EnabledNodes:          []int64(w.EnabledNodes), AllNodes: []int64(w.AllNodes),
	}
}

func decodeStorageGroup(body []byte) (*StorageGroup, error) {
	var w storageGroupWire
	if err := decodeObject(body, &w); err != nil {
		return nil, err
	}
	g := w.group()
	return &g, nil
}

// flexInts is a list of ids, numbers or strings.
type flexInts []int64

func (f *flexInts) UnmarshalJSON(b []byte) error {
	var out []int64
	err := decodeArrayOrObject(b, func(raw json.RawMessage) error {
		var v flexInt
		if err := v.UnmarshalJSON(raw); err != nil {
			return err
		}
		out = append(out, int64(v))
		return nil
	})
	*f = out
	return err
}

func checkStorageName(what, name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return fmt.Errorf("fogclient: %s name must not be empty: %w", what, ErrInvalidArgument)
	case utf8.RuneCountInString(name) > StorageNameMax:
		return fmt.Errorf("fogclient: %s name %q is longer than %d characters: %w", what, name, StorageNameMax, ErrInvalidArgument)
	}
	return nil
}

// StorageGroups lists GET /fog/storagegroup.
func (c *Client) StorageGroups(ctx context.Context) ([]StorageGroup, error) {
	return listOf(ctx, c, "/storagegroup", "storagegroups", nil, (*storageGroupWire).group)
}

// FindStorageGroupsByName returns the groups FOG takes for name (SameName).
func (c *Client) FindStorageGroupsByName(ctx context.Context, name string) ([]StorageGroup, error) {
	if strings.TrimSpace(name) == "" {
		return nil, nil
	}
	all, err := listOf(ctx, c, "/storagegroup", "storagegroups", map[string]any{"name": name}, (*storageGroupWire).group)
	if err != nil {
		return nil, err
	}
	return filter(all, func(g StorageGroup) bool { return sameName(g.Name, name) }), nil
}

func (c *Client) GetStorageGroup(ctx context.Context, id int64) (*StorageGroup, error) {
	if err := checkID("storage group", id); err != nil {
		return nil, err
	}
	var w storageGroupWire
	if _, err := c.getObject(ctx, idPath("storagegroup", id, ""), &w); err != nil {
		return nil, err
	}
	g := w.group()
	return &g, nil
}

type StorageGroupCreate struct {
	Name        string
	Description string
}

// StorageGroupUpdate lists the changes; nil keeps a field.
type StorageGroupUpdate struct {
	Name        *string
	Description *string
}

// CreateStorageGroup creates a group; a taken name is ErrAlreadyExists (689).
func (c *Client) CreateStorageGroup(ctx context.Context, in StorageGroupCreate) (*StorageGroup, error) {
	if err := checkStorageName("storage group", in.Name); err != nil {
		return nil, err
	}
	unlock, err := c.locks.lock(ctx, createLockKey("storagegroup", in.Name, StorageNameMax))
	if err != nil {
		return nil, &Error{Kind: err, Method: http.MethodPost, Route: c.route("/storagegroup/create")}
	}
	defer unlock()
	groups := namedClass[StorageGroup]{class: "storage group", decode: decodeStorageGroup, find: c.FindStorageGroupsByName,
		key: func(g *StorageGroup) (int64, string) { return g.ID, g.Name }}
	return createByName(ctx, c, groups, in.Name, "/storagegroup/create",
		map[string]any{"name": in.Name, "description": in.Description},
		func(g *StorageGroup) []Difference {
			var d diff
			d.str("name", g.Name, in.Name)
			d.str("description", g.Description, in.Description)
			return d
		})
}

// UpdateStorageGroup sends the description whole (escape ratchet) and the
// name only when it changes; a taken name is ErrAlreadyExists (694).
func (c *Client) UpdateStorageGroup(ctx context.Context, id int64, in StorageGroupUpdate) (*StorageGroup, error) {
	if err := checkID("storage group", id); err != nil {
		return nil, err
	}
	path := idPath("storagegroup", id, "")
	var cur storageGroupWire
	raw, err := c.getObject(ctx, path, &cur)
	if err != nil {
		return nil, err
	}
	if in.Name != nil && *in.Name != string(cur.Name) {
		if CaseOnlyRenameRefused(string(cur.Name), *in.Name) {
			return nil, fmt.Errorf("fogclient: rename storage group %d from %q to %q: %w", id, string(cur.Name), *in.Name, ErrCaseOnlyRename)
		}
		if err := checkStorageName("storage group", *in.Name); err != nil {
			return nil, err
		}
		unlock, err := c.locks.lock(ctx, createLockKey("storagegroup", *in.Name, StorageNameMax))
		if err != nil {
			return nil, &Error{Kind: err, Method: http.MethodPut, Route: c.route(idPath("storagegroup", id, "/edit"))}
		}
		defer unlock()
	}
	build := func(raw []byte, curName string) (map[string]any, error) {
		body, err := resendFields(raw, []string{"description"})
		if err != nil {
			return nil, err
		}
		if in.Name != nil && *in.Name != curName {
			body["name"] = *in.Name
		}
		setIf(body, "description", in.Description)
		return body, nil
	}
	body, err := build(raw, string(cur.Name))
	if err != nil {
		return nil, c.decodeFailure(http.MethodGet, path, err)
	}
	editPath := idPath("storagegroup", id, "/edit")
	return resendUntilLanded(ctx, c, body,
		func(ctx context.Context, body map[string]any) (*StorageGroup, error) {
			return writeObject(ctx, c, http.MethodPut, editPath, body, decodeStorageGroup)
		},
		func(ctx context.Context) (*StorageGroup, map[string]any, bool, error) {
			var w storageGroupWire
			raw, err := c.getObject(ctx, path, &w)
			if err != nil {
				return nil, nil, false, err
			}
			g := w.group()
			var d diff
			d.strP("name", g.Name, in.Name)
			d.strP("description", g.Description, in.Description)
			if len(d) == 0 {
				return &g, nil, true, nil
			}
			next, err := build(raw, g.Name)
			if err != nil {
				return nil, nil, false, c.decodeFailure(http.MethodGet, path, err)
			}
			return nil, next, false, nil
		})
}

// StorageGroupInUseError (ErrInUse) refuses to delete a storage group that
// something still points at. FOG would delete only the group row: its nodes
// and image links would keep pointing at it, and an image left without a
// link to an existing group makes GET /fog/image/{id} and the whole
// GET /fog/image list answer 500 (recordings 732-742). The default group is
// refused even when empty: FOG never recreates it, and images and snapins
// that lose all their links fall back to the lowest-id group.
type StorageGroupInUseError struct {
	GroupID int64
	Default bool
	Nodes   []StorageNode
	Images  []ObjectRef // images linked to the group
	Snapins []ObjectRef // snapins linked to the group
}

// ObjectRef names an object in messages; Name is "" when it could not be read.
type ObjectRef struct {
	ID   int64
	Name string
}

func (e *StorageGroupInUseError) Error() string {
	if e.Default {
		return fmt.Sprintf("storage group %d is FOG's default storage group", e.GroupID)
	}
	return fmt.Sprintf("storage group %d still has %d node(s), %d image(s) and %d snapin(s)", e.GroupID, len(e.Nodes), len(e.Images), len(e.Snapins))
}

func (e *StorageGroupInUseError) Unwrap() error { return ErrInUse }

// StorageGroupUsers returns what points at storage group id: its nodes and
// the images and snapins linked to it (links to objects that no longer
// exist are left out). nil when nothing does.
func (c *Client) StorageGroupUsers(ctx context.Context, id int64) (*StorageGroupInUseError, error) {
	if err := checkID("storage group", id); err != nil {
		return nil, err
	}
	nodes, err := c.StorageNodesInGroup(ctx, id)
	if err != nil {
		return nil, err
	}
	links, err := c.ImageAssociations(ctx, 0, id)
	if err != nil {
		return nil, err
	}
	images, err := c.existingRefs(ctx, imageIDs(links), func(ctx context.Context, ids []int64) (map[int64]string, error) {
		imgs, err := c.ListImagesByID(ctx, ids)
		out := map[int64]string{}
		for _, img := range imgs {
			out[img.ID] = img.Name
		}
		return out, err
	}, func(ctx context.Context, id int64) (string, error) {
		img, err := c.GetImage(ctx, id)
		if err != nil {
			return "", err
		}
		return img.Name, nil
	})
	if err != nil {
		return nil, err
	}
	snapins, err := c.snapinsInGroup(ctx, id)
	if err != nil {
		return nil, err
	}
	if len(nodes) == 0 && len(images) == 0 && len(snapins) == 0 {
		return nil, nil
	}
	return &StorageGroupInUseError{GroupID: id, Nodes: nodes, Images: images, Snapins: snapins}, nil
}

// existingRefs names the ids that exist: listed ones from one list request,
// the others (hidden from lists, or listing failed) by id; a 404 drops one.
func (c *Client) existingRefs(ctx context.Context, ids []int64, list func(context.Context, []int64) (map[int64]string, error),
	get func(context.Context, int64) (string, error)) ([]ObjectRef, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	names, _ := list(ctx, ids) // a failed list (an image FOG cannot load) falls back to GETs by id
	var out []ObjectRef
	for _, id := range ids {
		if name, ok := names[id]; ok {
			out = append(out, ObjectRef{ID: id, Name: name})
			continue
		}
		name, err := get(ctx, id)
		switch {
		case errors.Is(err, ErrNotFound):
			continue
		case errors.Is(err, ErrServerFatal):
			// An image FOG cannot load (its links point nowhere) still exists.
			out = append(out, ObjectRef{ID: id})
		case err != nil:
			return nil, err
		default:
			out = append(out, ObjectRef{ID: id, Name: name})
		}
	}
	return out, nil
}

// snapinsInGroup: snapins are linked to storage groups like images
// (snapingroupassociation). That class was never read through the API in
// the recordings; a server that does not serve it is taken as having none.
func (c *Client) snapinsInGroup(ctx context.Context, groupID int64) ([]ObjectRef, error) {
	type wire struct {
		SnapinID       flexInt `json:"snapinID"`
		StorageGroupID flexInt `json:"storagegroupID"`
	}
	links, err := listOf(ctx, c, "/snapingroupassociation", "snapingroupassociations", map[string]any{"storagegroupID": groupID},
		func(w *wire) wire { return *w })
	if errors.Is(err, ErrNotImplemented) || errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var ids []int64
	seen := map[int64]bool{}
	for _, l := range links {
		if id := int64(l.SnapinID); int64(l.StorageGroupID) == groupID && id > 0 && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return c.existingRefs(ctx, ids, func(ctx context.Context, _ []int64) (map[int64]string, error) {
		all, err := c.ListSnapins(ctx)
		out := map[int64]string{}
		for _, s := range all {
			out[s.ID] = s.Name
		}
		return out, err
	}, func(ctx context.Context, id int64) (string, error) {
		s, err := c.GetSnapin(ctx, id)
		if err != nil {
			return "", err
		}
		return s.Name, nil
	})
}

// DeleteStorageGroup deletes a storage group that nothing points at. It
// refuses, with a *StorageGroupInUseError, the default group and any group
// that still has nodes, images or snapins (StorageGroupUsers), decided
// right before the DELETE.
func (c *Client) DeleteStorageGroup(ctx context.Context, id int64) error {
	if err := checkID("storage group", id); err != nil {
		return err
	}
	if id == DefaultStorageGroupID {
		return &StorageGroupInUseError{GroupID: id, Default: true}
	}
	users, err := c.StorageGroupUsers(ctx, id)
	if err != nil {
		return err
	}
	if users != nil {
		return users
	}
	return c.deleteObject(ctx, idPath("storagegroup", id, ""), func(ctx context.Context) error {
		_, err := c.GetStorageGroup(ctx, id)
		return err
	})
}

// ---- storage nodes ----

// StorageNode is a FOG storage node (recordings 695-697). It has no
// password: FOG returns the FTP password in clear text in every read
// (reference/snapins-storage.md §5), and the client never decodes it.
type StorageNode struct {
	ID             int64
	Name           string
	Description    string
	StorageGroupID int64
	Master         bool
	Enabled        bool
	GraphEnabled   bool
	IP             string
	Path           string
	FTPPath        string
	SnapinPath     string
	SSLPath        string
	WebRoot        string
	User           string
	Interface      string
	MaxClients     int64
	Bandwidth      int64 // replication bandwidth limit, kbps; 0 for none
	Online         bool  // whether FOG reached the node's FTP port when it answered

	// unloadable: FOG lists the node but answers 404 for it by id, as for a
	// node written without a password (recordings 712, 717).
	unloadable bool
}

// IsZombie reports whether a GET of this listed node would answer 404.
func (n StorageNode) IsZombie() bool {
	return n.ID < 1 || n.unloadable || strings.TrimSpace(n.Name) == ""
}

// IsZombie reports whether a GET of this listed group could answer 404.
func (g StorageGroup) IsZombie() bool { return g.ID < 1 || strings.TrimSpace(g.Name) == "" }

// nonEmpty records whether a string field is set without keeping its value.
type nonEmpty bool

func (f *nonEmpty) UnmarshalJSON(b []byte) error {
	s, err := decodeScalarString(b)
	*f = nonEmpty(strings.TrimSpace(s) != "")
	return err
}

// storageNodeWire is the JSON of a node without "pass" (and without "key"),
// so the password is never held in memory.
type storageNodeWire struct {
	ID             flexInt    `json:"id"`
	Name           flexString `json:"name"`
	Description    flexString `json:"description"`
	IsMaster       flexString `json:"isMaster"`
	StorageGroupID flexInt    `json:"storagegroupID"`
	IsEnabled      flexString `json:"isEnabled"`
	IsGraphEnabled flexString `json:"isGraphEnabled"`
	Path           flexString `json:"path"`
	FTPPath        flexString `json:"ftppath"`
	SnapinPath     flexString `json:"snapinpath"`
	SSLPath        flexString `json:"sslpath"`
	IP             flexString `json:"ip"`
	MaxClients     flexInt    `json:"maxClients"`
	User           flexString `json:"user"`
	Interface      flexString `json:"interface"`
	Bandwidth      flexInt    `json:"bandwidth"`
	WebRoot        flexString `json:"webroot"`
	Online         flexBool   `json:"online"`
	// Whether "pass" is set, and nothing more of it (FOG's required fields,
	// without which the node cannot be loaded by id).
	HasSecret nonEmpty `json:"pass"`
}

func (w *storageNodeWire) node() StorageNode {
	return StorageNode{
		ID: int64(w.ID), Name: string(w.Name), Description: string(w.Description),
		StorageGroupID: int64(w.StorageGroupID), Master: isFlagSet(w.IsMaster), Enabled: isFlagSet(w.IsEnabled),
		GraphEnabled: isFlagSet(w.IsGraphEnabled), IP: string(w.IP), Path: string(w.Path), FTPPath: string(w.FTPPath),
		SnapinPath: string(w.SnapinPath), SSLPath: string(w.SSLPath), WebRoot: string(w.WebRoot), User: string(w.User),
		Interface: string(w.Interface), MaxClients: int64(w.MaxClients), Bandwidth: int64(w.Bandwidth), Online: bool(w.Online),
		unloadable: !bool(w.HasSecret) || strings.TrimSpace(string(w.IP)) == "",
	}
}

func decodeStorageNode(body []byte) (*StorageNode, error) {
	var w storageNodeWire
	if err := decodeObject(body, &w); err != nil {
		return nil, err
	}
	n := w.node()
	return &n, nil
}

// storageNodeStringFields are resent on every PUT (escape ratchet). "pass"
// is not among them: a PUT without it keeps the raw password (recordings
// 699, 702, 703), and the client does not hold it.
var storageNodeStringFields = []string{
	"description", "isMaster", "isEnabled", "isGraphEnabled", "path", "ftppath", "bitrate", "helloInterval",
	"snapinpath", "sslpath", "ip", "user", "interface", "webroot",
}

// StorageNodeCreate is sent whole. Password is required: without "pass" FOG
// answers 404 but writes a node that can be neither read nor deleted
// through the API (recordings 705, 717).
type StorageNodeCreate struct {
	Name, Description                      string
	StorageGroupID                         int64
	Master, Enabled, GraphEnabled          bool
	IP, Path, FTPPath, SnapinPath, SSLPath string
	WebRoot, User, Password, Interface     string
	MaxClients, Bandwidth                  int64
}

// StorageNodeUpdate lists the changes; nil keeps a field (the password too).
type StorageNodeUpdate struct {
	Name, Description                      *string
	StorageGroupID                         *int64
	Master, Enabled, GraphEnabled          *bool
	IP, Path, FTPPath, SnapinPath, SSLPath *string
	WebRoot, User, Password, Interface     *string
	MaxClients, Bandwidth                  *int64
}

// ListStorageNodes lists GET /fog/storagenode. FOG probes each node's FTP
// port (up to a second each) while it answers.
func (c *Client) ListStorageNodes(ctx context.Context) ([]StorageNode, error) {
	return listOf(ctx, c, "/storagenode", "storagenodes", nil, (*storageNodeWire).node)
}

// StorageNodesInGroup lists the nodes whose group is groupID (recording 712).
func (c *Client) StorageNodesInGroup(ctx context.Context, groupID int64) ([]StorageNode, error) {
	nodes, err := listOf(ctx, c, "/storagenode", "storagenodes", map[string]any{"storagegroupID": groupID}, (*storageNodeWire).node)
	if err != nil {
		return nil, err
	}
	return filter(nodes, func(n StorageNode) bool { return n.StorageGroupID == groupID }), nil
}

// FindStorageNodesByName returns the nodes FOG takes for name (SameName).
func (c *Client) FindStorageNodesByName(ctx context.Context, name string) ([]StorageNode, error) {
	if strings.TrimSpace(name) == "" {
		return nil, nil
	}
	nodes, err := listOf(ctx, c, "/storagenode", "storagenodes", map[string]any{"name": name}, (*storageNodeWire).node)
	if err != nil {
		return nil, err
	}
	return filter(nodes, func(n StorageNode) bool { return sameName(n.Name, name) }), nil
}

func (c *Client) GetStorageNode(ctx context.Context, id int64) (*StorageNode, error) {
	if err := checkID("storage node", id); err != nil {
		return nil, err
	}
	var w storageNodeWire
	if _, err := c.getObject(ctx, idPath("storagenode", id, ""), &w); err != nil {
		return nil, err
	}
	n := w.node()
	return &n, nil
}

// CreateStorageNode creates a node; it refuses one without a password
// before sending anything, and a taken name is ErrAlreadyExists (704). FOG
// accepts any group id (708) and a second master in a group (709): callers
// check both.
func (c *Client) CreateStorageNode(ctx context.Context, in StorageNodeCreate) (*StorageNode, error) {
	if err := checkStorageName("storage node", in.Name); err != nil {
		return nil, err
	}
	if in.Password == "" {
		return nil, fmt.Errorf("fogclient: storage node %q has no password; FOG would write a node that cannot be read or deleted: %w",
			in.Name, ErrInvalidArgument)
	}
	for what, v := range map[string]string{"ip": in.IP, "path": in.Path, "ftppath": in.FTPPath, "user": in.User} {
		if strings.TrimSpace(v) == "" {
			return nil, fmt.Errorf("fogclient: storage node %s must not be empty: %w", what, ErrInvalidArgument)
		}
	}
	if in.StorageGroupID <= 0 {
		return nil, fmt.Errorf("fogclient: storage node group id %d is not valid: %w", in.StorageGroupID, ErrInvalidArgument)
	}
	unlock, err := c.locks.lock(ctx, createLockKey("storagenode", in.Name, StorageNameMax))
	if err != nil {
		return nil, &Error{Kind: err, Method: http.MethodPost, Route: c.route("/storagenode/create")}
	}
	defer unlock()
	body := map[string]any{
		"name": in.Name, "description": in.Description, "storagegroupID": in.StorageGroupID,
		"isMaster": flag(in.Master), "isEnabled": flag(in.Enabled), "isGraphEnabled": flag(in.GraphEnabled),
		"ip": in.IP, "path": in.Path, "ftppath": in.FTPPath, "snapinpath": in.SnapinPath, "sslpath": in.SSLPath,
		"webroot": in.WebRoot, "user": in.User, "pass": in.Password, "interface": in.Interface,
		"maxClients": in.MaxClients, "bandwidth": in.Bandwidth,
	}
	nodes := namedClass[StorageNode]{class: "storage node", decode: decodeStorageNode, find: c.FindStorageNodesByName,
		key: func(n *StorageNode) (int64, string) { return n.ID, n.Name }}
	return createByName(ctx, c, nodes, in.Name, "/storagenode/create", body,
		func(n *StorageNode) []Difference { return storageNodeDiff(n, in) })
}

func storageNodeDiff(n *StorageNode, in StorageNodeCreate) []Difference {
	var d diff
	d.str("name", n.Name, in.Name)
	d.str("description", n.Description, in.Description)
	d.num("storagegroupID", n.StorageGroupID, in.StorageGroupID)
	d.flag("isMaster", n.Master, in.Master)
	d.flag("isEnabled", n.Enabled, in.Enabled)
	d.flag("isGraphEnabled", n.GraphEnabled, in.GraphEnabled)
	d.str("ip", n.IP, in.IP)
	d.str("path", n.Path, in.Path)
	d.str("ftppath", n.FTPPath, in.FTPPath)
	d.str("snapinpath", n.SnapinPath, in.SnapinPath)
	d.str("sslpath", n.SSLPath, in.SSLPath)
	d.str("webroot", n.WebRoot, in.WebRoot)
	d.str("user", n.User, in.User)
	d.str("interface", n.Interface, in.Interface)
	d.num("maxClients", n.MaxClients, in.MaxClients)
	d.num("bandwidth", n.Bandwidth, in.Bandwidth)
	return d
}

func storageNodeUpdateLanded(n *StorageNode, in StorageNodeUpdate) bool {
	var d diff
	d.strP("name", n.Name, in.Name)
	d.strP("description", n.Description, in.Description)
	d.numP("storagegroupID", n.StorageGroupID, in.StorageGroupID)
	d.flagP("isMaster", n.Master, in.Master)
	d.flagP("isEnabled", n.Enabled, in.Enabled)
	d.flagP("isGraphEnabled", n.GraphEnabled, in.GraphEnabled)
	d.strP("ip", n.IP, in.IP)
	d.strP("path", n.Path, in.Path)
	d.strP("ftppath", n.FTPPath, in.FTPPath)
	d.strP("snapinpath", n.SnapinPath, in.SnapinPath)
	d.strP("sslpath", n.SSLPath, in.SSLPath)
	d.strP("webroot", n.WebRoot, in.WebRoot)
	d.strP("user", n.User, in.User)
	d.strP("interface", n.Interface, in.Interface)
	d.numP("maxClients", n.MaxClients, in.MaxClients)
	d.numP("bandwidth", n.Bandwidth, in.Bandwidth)
	// The password cannot be read back to compare.
	return len(d) == 0
}

// UpdateStorageNode resends the string fields as read (not the password,
// which a PUT without it keeps), the name only when it changes, and the
// password only when in.Password is set.
func (c *Client) UpdateStorageNode(ctx context.Context, id int64, in StorageNodeUpdate) (*StorageNode, error) {
	if err := checkID("storage node", id); err != nil {
		return nil, err
	}
	if in.Password != nil && *in.Password == "" {
		return nil, fmt.Errorf("fogclient: storage node password must not be empty: %w", ErrInvalidArgument)
	}
	path := idPath("storagenode", id, "")
	var cur storageNodeWire
	raw, err := c.getObject(ctx, path, &cur)
	if err != nil {
		return nil, err
	}
	if in.Name != nil && *in.Name != string(cur.Name) {
		if CaseOnlyRenameRefused(string(cur.Name), *in.Name) {
			return nil, fmt.Errorf("fogclient: rename storage node %d from %q to %q: %w", id, string(cur.Name), *in.Name, ErrCaseOnlyRename)
		}
		if err := checkStorageName("storage node", *in.Name); err != nil {
			return nil, err
		}
		unlock, err := c.locks.lock(ctx, createLockKey("storagenode", *in.Name, StorageNameMax))
		if err != nil {
			return nil, &Error{Kind: err, Method: http.MethodPut, Route: c.route(idPath("storagenode", id, "/edit"))}
		}
		defer unlock()
	}
	build := func(raw []byte, curName string) (map[string]any, error) {
		body, err := resendFields(raw, storageNodeStringFields)
		if err != nil {
			return nil, err
		}
		if in.Name != nil && *in.Name != curName {
			body["name"] = *in.Name
		}
		for key, v := range map[string]*string{
			"description": in.Description, "ip": in.IP, "path": in.Path, "ftppath": in.FTPPath, "snapinpath": in.SnapinPath,
			"sslpath": in.SSLPath, "webroot": in.WebRoot, "user": in.User, "pass": in.Password, "interface": in.Interface,
		} {
			setIf(body, key, v)
		}
		for key, v := range map[string]*bool{"isMaster": in.Master, "isEnabled": in.Enabled, "isGraphEnabled": in.GraphEnabled} {
			if v != nil {
				body[key] = flag(*v)
			}
		}
		setIf(body, "storagegroupID", in.StorageGroupID)
		setIf(body, "maxClients", in.MaxClients)
		setIf(body, "bandwidth", in.Bandwidth)
		return body, nil
	}
	body, err := build(raw, string(cur.Name))
	if err != nil {
		return nil, c.decodeFailure(http.MethodGet, path, err)
	}
	editPath := idPath("storagenode", id, "/edit")
	return resendUntilLanded(ctx, c, body,
		func(ctx context.Context, body map[string]any) (*StorageNode, error) {
			return writeObject(ctx, c, http.MethodPut, editPath, body, decodeStorageNode)
		},
		func(ctx context.Context) (*StorageNode, map[string]any, bool, error) {
			var w storageNodeWire
			raw, err := c.getObject(ctx, path, &w)
			if err != nil {
				return nil, nil, false, err
			}
			n := w.node()
			if storageNodeUpdateLanded(&n, in) {
				return &n, nil, true, nil
			}
			next, err := build(raw, n.Name)
			if err != nil {
				return nil, nil, false, c.decodeFailure(http.MethodGet, path, err)
			}
			return nil, next, false, nil
		})
}

// DeleteStorageNode deletes a node (recordings 714-716).
func (c *Client) DeleteStorageNode(ctx context.Context, id int64) error {
	if err := checkID("storage node", id); err != nil {
		return err
	}
	return c.deleteObject(ctx, idPath("storagenode", id, ""), func(ctx context.Context) error {
		_, err := c.GetStorageNode(ctx, id)
		return err
	})
}

// ---- which storage groups an image lives in (imageassociation) ----

// ImageAssociation links an image to a storage group (recordings 719, 722).
type ImageAssociation struct {
	ID             int64
	ImageID        int64
	StorageGroupID int64
	// Primary is the row's flag: FOG writes "1" only for the link an image
	// create (or a read of an image without links) makes; no API call sets it.
	Primary bool
}

type imageAssocWire struct {
	ID             flexInt    `json:"id"`
	ImageID        flexInt    `json:"imageID"`
	StorageGroupID flexInt    `json:"storagegroupID"`
	Primary        flexString `json:"primary"`
}

func (w *imageAssocWire) assoc() ImageAssociation {
	return ImageAssociation{ID: int64(w.ID), ImageID: int64(w.ImageID), StorageGroupID: int64(w.StorageGroupID), Primary: isFlagSet(w.Primary)}
}

func imageIDs(links []ImageAssociation) []int64 {
	var ids []int64
	seen := map[int64]bool{}
	for _, l := range links {
		if l.ImageID > 0 && !seen[l.ImageID] {
			seen[l.ImageID] = true
			ids = append(ids, l.ImageID)
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}

// ImageAssociations lists image-storage group links, only those of imageID
// and groupID when they are set.
func (c *Client) ImageAssociations(ctx context.Context, imageID, groupID int64) ([]ImageAssociation, error) {
	scope := map[string]any{}
	if imageID > 0 {
		scope["imageID"] = imageID
	}
	if groupID > 0 {
		scope["storagegroupID"] = groupID
	}
	var body any
	if len(scope) > 0 {
		body = scope
	}
	all, err := listOf(ctx, c, "/imageassociation", "imageassociations", body, (*imageAssocWire).assoc)
	if err != nil {
		return nil, err
	}
	return filter(all, func(a ImageAssociation) bool {
		return (imageID <= 0 || a.ImageID == imageID) && (groupID <= 0 || a.StorageGroupID == groupID)
	}), nil
}

// EffectiveStorageGroup is the group FOG reads and deploys an image from,
// by FOG's rule: only links to groups that exist count; the lowest such
// group whose link is primary, else the lowest such group (recordings 720,
// 727). ok is false when no link points to an existing group: FOG then
// cannot load the image at all (735, 742), or, with no link at all, links it
// to the lowest-id group on the next read.
func EffectiveStorageGroup(links []ImageAssociation, groupExists func(int64) bool) (groupID int64, ok bool) {
	var live, primary []int64
	for _, l := range links {
		if !groupExists(l.StorageGroupID) {
			continue
		}
		live = append(live, l.StorageGroupID)
		if l.Primary {
			primary = append(primary, l.StorageGroupID)
		}
	}
	if len(primary) > 0 {
		live = primary
	}
	if len(live) == 0 {
		return 0, false
	}
	sort.Slice(live, func(i, j int) bool { return live[i] < live[j] })
	return live[0], true
}

// ImagePlacement is where an image lives: its links and the group FOG uses.
type ImagePlacement struct {
	Links []ImageAssociation
	// Effective is the group FOG reads and deploys the image from; 0 when
	// no link points to an existing group.
	Effective int64
}

// ImagePlacementOf reads image imageID's links and the storage groups.
func (c *Client) ImagePlacementOf(ctx context.Context, imageID int64) (*ImagePlacement, error) {
	if err := checkID("image", imageID); err != nil {
		return nil, err
	}
	links, err := c.ImageAssociations(ctx, imageID, 0)
	if err != nil {
		return nil, err
	}
	groups, err := c.StorageGroups(ctx)
	if err != nil {
		return nil, err
	}
	exists := groupSet(groups)
	p := &ImagePlacement{Links: links}
	p.Effective, _ = EffectiveStorageGroup(links, func(id int64) bool { return exists[id] })
	return p, nil
}

func groupSet(groups []StorageGroup) map[int64]bool {
	m := make(map[int64]bool, len(groups))
	for _, g := range groups {
		m[g.ID] = true
	}
	return m
}

// ImagesWithoutStorageGroup returns the ids of the images whose links all
// point to storage groups that no longer exist: FOG answers 500 for each of
// them and for the whole image list (recordings 735, 742). A PUT of the
// image's "storagegroups" repairs one (744), as does a new link to an
// existing group (LinkImageStorageGroup).
func (c *Client) ImagesWithoutStorageGroup(ctx context.Context) ([]int64, error) {
	links, err := c.ImageAssociations(ctx, 0, 0)
	if err != nil {
		return nil, err
	}
	groups, err := c.StorageGroups(ctx)
	if err != nil {
		return nil, err
	}
	exists := groupSet(groups)
	byImage := map[int64][]ImageAssociation{}
	for _, l := range links {
		byImage[l.ImageID] = append(byImage[l.ImageID], l)
	}
	var out []int64
	for id, ls := range byImage {
		if _, ok := EffectiveStorageGroup(ls, func(g int64) bool { return exists[g] }); !ok && id > 0 {
			out = append(out, id)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out, nil
}

// ImageStorageGroupLink returns the link of imageID and groupID, nil when none.
func (c *Client) ImageStorageGroupLink(ctx context.Context, imageID, groupID int64) (*ImageAssociation, error) {
	if err := checkID("image", imageID); err != nil {
		return nil, err
	}
	if err := checkID("storage group", groupID); err != nil {
		return nil, err
	}
	links, err := c.ImageAssociations(ctx, imageID, groupID)
	if err != nil || len(links) == 0 {
		return nil, err
	}
	return &links[0], nil
}

// LinkImageStorageGroup adds storage group groupID to image imageID through
// the per-pair route, never the image's "storagegroups" key, which replaces
// every link and demotes the primary one (recording 728). FOG checks neither
// id (725): the caller checks both. created is false when the pair existed
// (FOG's empty 404, recording 724). FOG stores the new row with primary ""
// (722): it never becomes the primary link.
func (c *Client) LinkImageStorageGroup(ctx context.Context, imageID, groupID int64) (link *ImageAssociation, created bool, err error) {
	if err := checkID("image", imageID); err != nil {
		return nil, false, err
	}
	if err := checkID("storage group", groupID); err != nil {
		return nil, false, err
	}
	body := map[string]any{"imageID": imageID, "storagegroupID": groupID}
	return createPair(ctx, c, "/imageassociation/create", body, fmt.Sprintf("storage group %d of image %d", groupID, imageID),
		func(b []byte) (*ImageAssociation, error) {
			var w imageAssocWire
			if err := decodeObject(b, &w); err != nil {
				return nil, err
			}
			a := w.assoc()
			return &a, nil
		}, func(ctx context.Context) (*ImageAssociation, error) {
			return c.ImageStorageGroupLink(ctx, imageID, groupID)
		})
}

// UnlinkImageStorageGroup deletes the link of imageID and groupID, never
// leaving the image without a link to a storage group that exists: FOG
// could no longer load it, nor list any image (recordings 735, 742). When it
// is the image's last such link, the image is first linked to the
// lowest-id other group that exists, as FOG itself falls back to the
// lowest-id group (recording 720); movedTo is that group. With no other
// group the link stays: ErrLastStorageGroup. A link already gone is no error.
func (c *Client) UnlinkImageStorageGroup(ctx context.Context, imageID, groupID int64) (movedTo int64, err error) {
	if err := checkID("image", imageID); err != nil {
		return 0, err
	}
	links, err := c.ImageAssociations(ctx, imageID, 0)
	if err != nil {
		return 0, err
	}
	var mine *ImageAssociation
	var others []ImageAssociation
	for i := range links {
		if links[i].StorageGroupID == groupID {
			mine = &links[i]
		} else {
			others = append(others, links[i])
		}
	}
	if mine == nil {
		return 0, nil
	}
	groups, err := c.StorageGroups(ctx)
	if err != nil {
		return 0, err
	}
	exists := groupSet(groups)
	if _, ok := EffectiveStorageGroup(others, func(g int64) bool { return exists[g] }); !ok && exists[groupID] {
		for _, g := range sortedGroupIDs(groups) {
			if g != groupID {
				movedTo = g
				break
			}
		}
		if movedTo == 0 {
			return 0, fmt.Errorf("fogclient: storage group %d is the only storage group of image %d and of the server: %w",
				groupID, imageID, ErrLastStorageGroup)
		}
		if _, _, err := c.LinkImageStorageGroup(ctx, imageID, movedTo); err != nil {
			return 0, err
		}
	}
	err = c.deleteObject(ctx, idPath("imageassociation", mine.ID, ""), func(ctx context.Context) error {
		l, err := c.ImageStorageGroupLink(ctx, imageID, groupID)
		if err == nil && l == nil {
			return &Error{Kind: ErrNotFound, Method: http.MethodGet, Route: c.route("/imageassociation")}
		}
		return err
	})
	if errors.Is(err, ErrNotFound) {
		err = nil
	}
	return movedTo, err
}

func sortedGroupIDs(groups []StorageGroup) []int64 {
	ids := make([]int64, 0, len(groups))
	for _, g := range groups {
		ids = append(ids, g.ID)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}
