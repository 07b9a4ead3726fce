package fogclient

import "context"

// Host is a FOG host (class "host"). Strings are HTML-unescaped.
type Host struct {
	ID          int64
	Name        string
	Description string
	IP          string
	ImageID     int64
	ImageName   string // "" when unassigned or the image is missing
	PrimaryMAC  string
	MACs        []string // all MACs, lower-case colon form, primary first
	Pending     bool
	KernelArgs  string
	CreatedTime string
	CreatedBy   string
	Deployed    string
	// ADPass and ProductKey are secrets FOG returns in clear text.
	UseAD      bool
	ADDomain   string
	ADOU       string
	ADUser     string
	ADPass     string
	ProductKey string
	Inventory  Inventory

	// fields holds every string field exactly as last read (unescaped); updates
	// resend them so FOG's escape ratchet cannot corrupt them.
	fields map[string]string
}

// Inventory is the subset of a host's hardware inventory the client exposes.
type Inventory struct {
	SysManufacturer string
	SysProduct      string
	SysSerial       string
	SysUUID         string
	PrimaryUser     string
	Memory          string
}

// HostCreate is the body of CreateHost. MACs must be non-empty; the first is
// the primary.
type HostCreate struct {
	Name        string
	MACs        []string
	Description string
	IP          string
	KernelArgs  string
	ImageID     int64
}

// HostUpdate lists the fields to change; nil means "keep". MACs are changed
// through SetHostMACs, never through the host PUT (which is destructive).
type HostUpdate struct {
	Name        *string
	Description *string
	IP          *string
	KernelArgs  *string
	ImageID     *int64
}

// ListHosts returns every host the list route shows (GET /fog/host). Hosts
// without a primary MAC and hosts named with "_api_" are hidden by FOG.
func (c *Client) ListHosts(ctx context.Context) ([]Host, error) {
	panic("fogclient: not implemented yet")
}

// ListHostsByID fetches several hosts in one request (body {"id":[...]}).
func (c *Client) ListHostsByID(ctx context.Context, ids []int64) ([]Host, error) {
	panic("fogclient: not implemented yet")
}

// SearchHosts runs FOG's server-side search (GET /fog/host/search/{term}),
// which also matches MACs, inventory and the assigned image's name. Spaces in
// term are sent as "+", FOG's wildcard.
func (c *Client) SearchHosts(ctx context.Context, term string) ([]Host, error) {
	panic("fogclient: not implemented yet")
}

// FindHostsByName returns the hosts whose name equals name case-insensitively.
func (c *Client) FindHostsByName(ctx context.Context, name string) ([]Host, error) {
	panic("fogclient: not implemented yet")
}

// GetHost reads one host (GET /fog/host/{id}); ErrNotFound when missing.
func (c *Client) GetHost(ctx context.Context, id int64) (*Host, error) {
	panic("fogclient: not implemented yet")
}

// CreateHost creates a host (POST /fog/host/create). MACs are normalised and
// checked against every other host first: FOG silently drops an additional
// MAC that another host owns.
func (c *Client) CreateHost(ctx context.Context, in HostCreate) (*Host, error) {
	panic("fogclient: not implemented yet")
}

// UpdateHost changes a host in place (PUT /fog/host/{id}/edit), resending every
// string field as last read, unescaped, and the name only when it changes.
func (c *Client) UpdateHost(ctx context.Context, id int64, in HostUpdate) (*Host, error) {
	panic("fogclient: not implemented yet")
}

// AssignImage sets the host's image (imageID; 0 unassigns) without touching
// anything else on the host.
func (c *Client) AssignImage(ctx context.Context, hostID, imageID int64) (*Host, error) {
	panic("fogclient: not implemented yet")
}

// DeleteHost deletes a host (DELETE /fog/host/{id}). FOG also deletes the
// host's tasks (active ones included), MACs and inventory.
func (c *Client) DeleteHost(ctx context.Context, id int64) error {
	panic("fogclient: not implemented yet")
}
