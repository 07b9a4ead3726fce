// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"context"
	"fmt"
	"net/http"
	"strings"
)

// Storage nodes (reference/snapins-storage.md §5).

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
