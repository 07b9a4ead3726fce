// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"
)

// Image is a FOG image definition. Strings are HTML-unescaped.
type Image struct {
	ID                   int64
	Name                 string
	Description          string
	Path                 string
	ImageTypeID          int64 // 0 when FOG answers null (no such image type)
	ImagePartitionTypeID int64 // 0 when FOG answers null (unset or unknown)
	OSID                 int64
	Format               string // compression format, "" or "0".."6"
	Compress             int64  // compression level
	Protected            bool
	Enabled              bool // isEnabled == "1"
	Replicate            bool // toReplicate == "1"
	Size                 string
	SrvSize              int64
	CreatedTime          string
	CreatedBy            string
	Deployed             string
	ImageTypeName        string
	PartitionTypeName    string
	OSName               string
	StorageGroupName     string
}

// IsZombie reports whether a GET of this listed image would answer 404. Lists
// do not validate (reference/fog-api.md §4.7): an empty name or path, or an image type FOG
// does not have, is listed but not readable (recordings
// image-create-invalid-imagetypeid-99, image-edit-imagetypeid-invalid).
func (i Image) IsZombie() bool {
	return i.ID < 1 || strings.TrimSpace(i.Name) == "" || strings.TrimSpace(i.Path) == "" || i.ImageTypeID < 1
}

// ImageCreate is sent whole, so FOG's API defaults (isEnabled "") never apply,
// and never with "hosts": on create FOG would assign every unassigned host.
type ImageCreate struct {
	Name                 string
	Path                 string
	Description          string
	ImageTypeID          int64
	ImagePartitionTypeID int64
	OSID                 int64
	Enabled              bool
	Replicate            bool
	Protected            bool
	Format               string
	Compress             int64
}

// ImageUpdate lists the changes; nil keeps a field.
type ImageUpdate struct {
	Name                 *string
	Path                 *string
	Description          *string
	ImageTypeID          *int64
	ImagePartitionTypeID *int64
	OSID                 *int64
	Enabled              *bool
	Replicate            *bool
	Protected            *bool
	Format               *string
	Compress             *int64
}

// imageNameMax is the width of images.imageName: FOG truncates a longer name,
// and the INSERT ... ON DUPLICATE KEY UPDATE then overwrites the image of the
// truncated name (reference/fog-api.md §6.2, recording image-create-long-name-collides-after-truncation).
const imageNameMax = 40

// imageStringFields are resent on every PUT, which would otherwise write them
// back HTML-escaped (reference/fog-api.md §4.3, edge recording c-image-edit-isenabled-only).
// "name" is not: an unchanged mixed-case name is refused with "Already created"
// (image-edit-same-name-mixedcase-resent).
var imageStringFields = []string{
	"description", "path", "createdTime", "createdBy", "size", "deployed",
	"format", "magnet", "isEnabled", "toReplicate",
}

// imageWire is the JSON of an image (reference/fog-api.md §5.2).
type imageWire struct {
	ID                   flexInt    `json:"id"`
	ImageTypeID          flexInt    `json:"imageTypeID"`
	ImagePartitionTypeID flexInt    `json:"imagePartitionTypeID"`
	Name                 flexString `json:"name"`
	Description          flexString `json:"description"`
	Path                 flexString `json:"path"`
	CreatedTime          flexString `json:"createdTime"`
	CreatedBy            flexString `json:"createdBy"`
	Size                 flexString `json:"size"`
	OSID                 flexInt    `json:"osID"`
	Deployed             flexString `json:"deployed"`
	Format               flexString `json:"format"`
	Protected            flexInt    `json:"protected"`
	Compress             flexInt    `json:"compress"`
	IsEnabled            flexString `json:"isEnabled"`
	ToReplicate          flexString `json:"toReplicate"`
	SrvSize              flexInt    `json:"srvsize"`
	ImageTypeName        flexString `json:"imagetypename"`
	PartitionTypeName    flexString `json:"imageparttypename"`
	OSName               flexString `json:"osname"`
	StorageGroupName     flexString `json:"storagegroupname"`
}

func (w *imageWire) image() Image {
	return Image{
		ID:                   int64(w.ID),
		Name:                 string(w.Name),
		Description:          string(w.Description),
		Path:                 string(w.Path),
		ImageTypeID:          int64(w.ImageTypeID),
		ImagePartitionTypeID: int64(w.ImagePartitionTypeID),
		OSID:                 int64(w.OSID),
		Format:               string(w.Format),
		Compress:             int64(w.Compress),
		Protected:            w.Protected != 0,
		Enabled:              isFlagSet(w.IsEnabled),
		Replicate:            isFlagSet(w.ToReplicate),
		Size:                 string(w.Size),
		SrvSize:              int64(w.SrvSize),
		CreatedTime:          string(w.CreatedTime),
		CreatedBy:            string(w.CreatedBy),
		Deployed:             string(w.Deployed),
		ImageTypeName:        string(w.ImageTypeName),
		PartitionTypeName:    string(w.PartitionTypeName),
		OSName:               string(w.OSName),
		StorageGroupName:     string(w.StorageGroupName),
	}
}

func decodeImage(body []byte) (*Image, error) {
	var w imageWire
	if err := decodeObject(body, &w); err != nil {
		return nil, err
	}
	img := w.image()
	return &img, nil
}

// checkImageName refuses names FOG would store as a zombie (empty,
// reference/fog-api.md §4.7) or truncate into another image's row.
func checkImageName(name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return fmt.Errorf("fogclient: image name must not be empty: %w", ErrInvalidArgument)
	case utf8.RuneCountInString(name) > imageNameMax:
		return fmt.Errorf("fogclient: image name %q is longer than FOG's %d characters (FOG would truncate it, possibly onto another image): %w",
			name, imageNameMax, ErrInvalidArgument)
	}
	return nil
}

// ListImages lists GET /fog/image; FOG hides names with "_api_" after the start.
func (c *Client) ListImages(ctx context.Context) ([]Image, error) {
	return listOf(ctx, c, "/image", "images", nil, (*imageWire).image)
}

// ListImagesByID fetches several images in one request (edge recording
// d-image-list-filter-id-list), none for no ids.
func (c *Client) ListImagesByID(ctx context.Context, ids []int64) ([]Image, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	imgs, err := listOf(ctx, c, "/image", "images", map[string]any{"id": ids}, (*imageWire).image)
	if err != nil {
		return nil, err
	}
	want := idSet(ids)
	return filter(imgs, func(i Image) bool { return want[i.ID] }), nil
}

// FindImagesByName returns the images FOG takes for name (SameName).
func (c *Client) FindImagesByName(ctx context.Context, name string) ([]Image, error) {
	if strings.TrimSpace(name) == "" {
		return nil, nil
	}
	imgs, err := listOf(ctx, c, "/image", "images", map[string]any{"name": name}, (*imageWire).image)
	if err != nil {
		return nil, err
	}
	return filter(imgs, func(i Image) bool { return sameName(i.Name, name) }), nil
}

func (c *Client) GetImage(ctx context.Context, id int64) (*Image, error) {
	if err := checkID("image", id); err != nil {
		return nil, err
	}
	var w imageWire
	if _, err := c.getObject(ctx, idPath("image", id, ""), &w); err != nil {
		return nil, err
	}
	img := w.image()
	return &img, nil
}

// CreateImage creates an image; creates of one name are serialised within the
// Client (reference/fog-api.md §6.4).
func (c *Client) CreateImage(ctx context.Context, in ImageCreate) (*Image, error) {
	if err := checkImageName(in.Name); err != nil {
		return nil, err
	}
	if strings.TrimSpace(in.Path) == "" {
		return nil, fmt.Errorf("fogclient: image path must not be empty: %w", ErrInvalidArgument)
	}
	unlock, err := c.locks.lock(ctx, createLockKey("image", in.Name, imageNameMax))
	if err != nil {
		return nil, &Error{Kind: err, Method: http.MethodPost, Route: c.route("/image/create")}
	}
	defer unlock()
	body := map[string]any{
		"name":                 in.Name,
		"path":                 in.Path,
		"description":          in.Description,
		"imageTypeID":          in.ImageTypeID,
		"imagePartitionTypeID": in.ImagePartitionTypeID,
		"osID":                 in.OSID,
		"isEnabled":            flag(in.Enabled),
		"toReplicate":          flag(in.Replicate),
		"protected":            boolInt(in.Protected),
		"format":               in.Format,
		"compress":             in.Compress,
	}
	return c.createImage(ctx, in, body)
}

// UpdateImage resends every string field as read, unescaped, so FOG's escape
// ratchet cannot corrupt them (edge recordings C), and the name only when it
// changes. A case-only rename is ErrCaseOnlyRename: FOG answers "Already
// created" (recording image-edit-change-only-case).
func (c *Client) UpdateImage(ctx context.Context, id int64, in ImageUpdate) (*Image, error) {
	if err := checkID("image", id); err != nil {
		return nil, err
	}
	path := idPath("image", id, "")
	var cur imageWire
	raw, err := c.getObject(ctx, path, &cur)
	if err != nil {
		return nil, err
	}
	if in.Name != nil && *in.Name != string(cur.Name) {
		if strings.EqualFold(*in.Name, string(cur.Name)) {
			return nil, fmt.Errorf("fogclient: rename image %d from %q to %q: %w", id, string(cur.Name), *in.Name, ErrCaseOnlyRename)
		}
		if err := checkImageName(*in.Name); err != nil {
			return nil, err
		}
		unlock, err := c.locks.lock(ctx, createLockKey("image", *in.Name, imageNameMax))
		if err != nil {
			return nil, &Error{Kind: err, Method: http.MethodPut, Route: c.route(idPath("image", id, "/edit"))}
		}
		defer unlock()
	}
	if in.Path != nil && strings.TrimSpace(*in.Path) == "" {
		return nil, fmt.Errorf("fogclient: image path must not be empty: %w", ErrInvalidArgument)
	}
	body, err := imageUpdateBody(raw, string(cur.Name), in)
	if err != nil {
		return nil, c.decodeFailure(http.MethodGet, path, err)
	}
	return c.putImage(ctx, id, in, body)
}

func imageUpdateBody(raw []byte, curName string, in ImageUpdate) (map[string]any, error) {
	body, err := resendFields(raw, imageStringFields)
	if err != nil {
		return nil, err
	}
	if in.Name != nil && *in.Name != curName {
		body["name"] = *in.Name
	}
	setIf(body, "path", in.Path)
	setIf(body, "description", in.Description)
	setIf(body, "format", in.Format)
	setIf(body, "imageTypeID", in.ImageTypeID)
	setIf(body, "imagePartitionTypeID", in.ImagePartitionTypeID)
	setIf(body, "osID", in.OSID)
	setIf(body, "compress", in.Compress)
	if in.Enabled != nil {
		body["isEnabled"] = flag(*in.Enabled)
	}
	if in.Replicate != nil {
		body["toReplicate"] = flag(*in.Replicate)
	}
	if in.Protected != nil {
		body["protected"] = boolInt(*in.Protected)
	}
	return body, nil
}

// DeleteImage deletes an image; FOG unassigns it from its hosts and keeps its files.
func (c *Client) DeleteImage(ctx context.Context, id int64) error {
	if err := checkID("image", id); err != nil {
		return err
	}
	// FOG answers 200 "" (recording image-delete-bare).
	return c.deleteObject(ctx, idPath("image", id, ""), func(ctx context.Context) error {
		_, err := c.GetImage(ctx, id)
		return err
	})
}

func (c *Client) createImage(ctx context.Context, in ImageCreate, body map[string]any) (*Image, error) {
	images := namedClass[Image]{class: "image", decode: decodeImage, find: c.FindImagesByName,
		key: func(img *Image) (int64, string) { return img.ID, img.Name }}
	return createByName(ctx, c, images, in.Name, "/image/create", body,
		func(img *Image) []Difference { return imageCreateDiff(img, in) })
}

// imageCreateDiff compares strings the way FOG stores them.
func imageCreateDiff(img *Image, in ImageCreate) []Difference {
	var d diff
	d.str("name", img.Name, in.Name)
	d.str("path", img.Path, in.Path)
	d.str("description", img.Description, in.Description)
	d.num("imageTypeID", img.ImageTypeID, in.ImageTypeID)
	d.num("imagePartitionTypeID", img.ImagePartitionTypeID, in.ImagePartitionTypeID)
	d.num("osID", img.OSID, in.OSID)
	d.str("format", img.Format, in.Format)
	d.num("compress", img.Compress, in.Compress)
	d.flag("isEnabled", img.Enabled, in.Enabled)
	d.flag("toReplicate", img.Replicate, in.Replicate)
	d.flag("protected", img.Protected, in.Protected)
	return d
}

func imageUpdateLanded(img *Image, in ImageUpdate) bool {
	var d diff
	d.strP("name", img.Name, in.Name)
	d.strP("path", img.Path, in.Path)
	d.strP("description", img.Description, in.Description)
	d.numP("imageTypeID", img.ImageTypeID, in.ImageTypeID)
	d.numP("imagePartitionTypeID", img.ImagePartitionTypeID, in.ImagePartitionTypeID)
	d.numP("osID", img.OSID, in.OSID)
	d.strP("format", img.Format, in.Format)
	d.numP("compress", img.Compress, in.Compress)
	d.flagP("isEnabled", img.Enabled, in.Enabled)
	d.flagP("toReplicate", img.Replicate, in.Replicate)
	d.flagP("protected", img.Protected, in.Protected)
	return len(d) == 0
}

func (c *Client) putImage(ctx context.Context, id int64, in ImageUpdate, body map[string]any) (*Image, error) {
	editPath := idPath("image", id, "/edit")
	return resendUntilLanded(ctx, c, body,
		func(ctx context.Context, body map[string]any) (*Image, error) {
			return writeObject(ctx, c, http.MethodPut, editPath, body, decodeImage)
		},
		func(ctx context.Context) (*Image, map[string]any, bool, error) {
			path := idPath("image", id, "")
			var w imageWire
			raw, err := c.getObject(ctx, path, &w)
			if err != nil {
				return nil, nil, false, err
			}
			img := w.image()
			if imageUpdateLanded(&img, in) {
				return &img, nil, true, nil
			}
			next, err := imageUpdateBody(raw, img.Name, in)
			if err != nil {
				return nil, nil, false, c.decodeFailure(http.MethodGet, path, err)
			}
			return nil, next, false, nil
		})
}
