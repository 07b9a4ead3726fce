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

// Storage groups (reference/snapins-storage.md §4); storage nodes are in
// storage_nodes.go, the groups an image lives in in image_placement.go.

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
