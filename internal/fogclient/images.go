package fogclient

import "context"

// Image is a FOG image definition (class "image"). Strings are HTML-unescaped.
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

// ImageCreate is the body of CreateImage. Every field is sent explicitly, so
// FOG's API defaults (isEnabled "", toReplicate "") never apply by accident.
// Never carries "hosts": on create FOG would assign every unassigned host.
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

// ImageUpdate lists the fields to change; nil means "keep". UpdateImage reads
// the image first and resends every string field unescaped (escape ratchet),
// and sends name only when it changes.
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

// ListImages returns every image the list route shows (GET /fog/image).
// Images whose name contains "_api_" (not at the start) are hidden by FOG.
func (c *Client) ListImages(ctx context.Context) ([]Image, error) {
	panic("fogclient: not implemented yet")
}

// ListImagesByID fetches several images in one request (GET /fog/image with
// the body {"id":[...]}). Unknown ids are skipped; hidden names stay hidden.
func (c *Client) ListImagesByID(ctx context.Context, ids []int64) ([]Image, error) {
	panic("fogclient: not implemented yet")
}

// FindImagesByName returns the images whose name equals name
// case-insensitively, as FOG's uniqueness rule compares names (GET /fog/image
// with the body {"name": name}, then an exact case-insensitive filter).
func (c *Client) FindImagesByName(ctx context.Context, name string) ([]Image, error) {
	panic("fogclient: not implemented yet")
}

// GetImage reads one image (GET /fog/image/{id}); ErrNotFound when missing.
func (c *Client) GetImage(ctx context.Context, id int64) (*Image, error) {
	panic("fogclient: not implemented yet")
}

// CreateImage creates an image (POST /fog/image/create). Creates of the same
// name are serialised within one Client.
func (c *Client) CreateImage(ctx context.Context, in ImageCreate) (*Image, error) {
	panic("fogclient: not implemented yet")
}

// UpdateImage changes an image in place (PUT /fog/image/{id}/edit).
func (c *Client) UpdateImage(ctx context.Context, id int64, in ImageUpdate) (*Image, error) {
	panic("fogclient: not implemented yet")
}

// DeleteImage deletes an image (DELETE /fog/image/{id}). FOG unassigns it from
// every host that used it and does not delete files from storage.
func (c *Client) DeleteImage(ctx context.Context, id int64) error {
	panic("fogclient: not implemented yet")
}
