package fogclient

import "context"

// MACAssociation is a row of /fog/macaddressassociation.
type MACAssociation struct {
	ID      int64
	HostID  int64
	MAC     string // as stored: this route does not normalise
	Primary bool
	Pending bool
}

// NormalizeMAC turns any of FOG's accepted notations (aa:bb:cc:dd:ee:ff,
// aa-bb-cc-dd-ee-ff, aabbccddeeff, aabb.ccdd.eeff; any case) into the
// canonical lower-case colon form. It returns an error wrapping
// ErrInvalidArgument for anything else.
func NormalizeMAC(s string) (string, error) {
	panic("fogclient: not implemented yet")
}

// ListMACAssociations returns every MAC row on the server.
func (c *Client) ListMACAssociations(ctx context.Context) ([]MACAssociation, error) {
	panic("fogclient: not implemented yet")
}

// SetHostMACs makes the host's MAC set exactly macs (first = primary) through
// /fog/macaddressassociation, in the only safe order (fog-edge-recordings B):
// add new MACs as additional, promote the new primary, demote the old one,
// then delete the MACs no longer wanted. The host is never without a primary
// MAC. A MAC owned by another host is refused with *MACConflictError before
// anything is changed.
func (c *Client) SetHostMACs(ctx context.Context, hostID int64, macs []string) (*Host, error) {
	panic("fogclient: not implemented yet")
}
