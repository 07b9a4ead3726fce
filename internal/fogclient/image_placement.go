// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
)

// Which storage groups an image lives in: imageassociation rows
// (reference/snapins-storage.md §6).

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
