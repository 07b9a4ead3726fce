// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"time"
)

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

	// fields are the string fields as read, which updates resend (escape ratchet).
	fields map[string]string
}

// IsZombie reports whether a GET of this listed host would answer 404. Lists do
// not validate (reference/fog-api.md §4.7): a name against FOG's rule is listed but not
// readable (recordings host-create-name-too-long, host-create-name-with-space).
func (h Host) IsZombie() bool {
	return h.ID < 1 || h.PrimaryMAC == "" || !hostNameRe.MatchString(h.Name)
}

type Inventory struct {
	SysManufacturer string
	SysProduct      string
	SysSerial       string
	SysUUID         string
	PrimaryUser     string
	Memory          string
}

// HostCreate is the body of CreateHost; the first MAC is the primary.
type HostCreate struct {
	Name        string
	MACs        []string
	Description string
	IP          string
	KernelArgs  string
	ImageID     int64
}

// HostUpdate lists the changes; nil keeps a field. MACs change through
// SetHostMACs: the host PUT's macs key is destructive (reference/fog-api.md §6.3.3).
type HostUpdate struct {
	Name        *string
	Description *string
	IP          *string
	KernelArgs  *string
	ImageID     *int64
}

// hostStrings are the writable string columns, resent on every PUT: FOG writes
// back those it is not sent HTML-escaped, one level more each edit (edge
// recording c-host-edit-imageid-only). nil: FOG sent none (null counts as absent).
type hostStrings struct {
	Description  *flexString `json:"description"`
	IP           *flexString `json:"ip"`
	CreatedTime  *flexString `json:"createdTime"`
	Deployed     *flexString `json:"deployed"`
	CreatedBy    *flexString `json:"createdBy"`
	UseAD        *flexString `json:"useAD"`
	ADDomain     *flexString `json:"ADDomain"`
	ADOU         *flexString `json:"ADOU"`
	ADUser       *flexString `json:"ADUser"`
	ADPass       *flexString `json:"ADPass"`
	ADPassLegacy *flexString `json:"ADPassLegacy"`
	ProductKey   *flexString `json:"productKey"`
	PrinterLevel *flexString `json:"printerLevel"`
	KernelArgs   *flexString `json:"kernelArgs"`
	Kernel       *flexString `json:"kernel"`
	KernelDevice *flexString `json:"kernelDevice"`
	Init         *flexString `json:"init"`
	Pending      *flexString `json:"pending"`
	PubKey       *flexString `json:"pub_key"`
	SecTok       *flexString `json:"sec_tok"`
	SecTime      *flexString `json:"sec_time"`
	BiosExit     *flexString `json:"biosexit"`
	EFIExit      *flexString `json:"efiexit"`
	Enforce      *flexString `json:"enforce"`
}

var hostStringFields = func() []string {
	t := reflect.TypeFor[hostStrings]()
	keys := make([]string, t.NumField())
	for i := range keys {
		keys[i] = t.Field(i).Tag.Get("json")
	}
	return keys
}()

func (s *hostStrings) resent() map[string]string {
	v := reflect.ValueOf(s).Elem()
	out := make(map[string]string, len(hostStringFields))
	for i, key := range hostStringFields {
		if p, _ := v.Field(i).Interface().(*flexString); p != nil {
			out[key] = string(*p)
		}
	}
	return out
}

func str(p *flexString) string {
	if p == nil {
		return ""
	}
	return string(*p)
}

// hostNameRe is FOG's name rule (reference/fog-api.md §4.7) without the apostrophe, which
// FOG escapes on read, making the host a 404 zombie (reference/fog-api.md §6.3.1).
var hostNameRe = regexp.MustCompile(`^[A-Za-z0-9_!@#$%^()\-{}.~]{1,15}$`)

const hostNameMax = 15

// hostWire is the JSON of a host (reference/fog-api.md §5.1).
type hostWire struct {
	ID         flexInt     `json:"id"`
	Name       flexString  `json:"name"`
	ImageID    flexInt     `json:"imageID"`
	ImageName  flexString  `json:"imagename"`
	PrimaryMAC flexString  `json:"primac"`
	MACs       flexStrings `json:"macs"`
	hostStrings
	Inventory lenient[struct {
		SysManufacturer flexString `json:"sysman"`
		SysProduct      flexString `json:"sysproduct"`
		SysSerial       flexString `json:"sysserial"`
		SysUUID         flexString `json:"sysuuid"`
		PrimaryUser     flexString `json:"primaryUser"`
		Memory          flexString `json:"memory"`
	}] `json:"inventory"`
}

func (w *hostWire) host() Host {
	inv := w.Inventory.V
	h := Host{
		ID:          int64(w.ID),
		Name:        string(w.Name),
		Description: str(w.Description),
		IP:          str(w.IP),
		ImageID:     int64(w.ImageID),
		ImageName:   string(w.ImageName),
		PrimaryMAC:  string(w.PrimaryMAC),
		MACs:        primaryFirst([]string(w.MACs), string(w.PrimaryMAC)),
		Pending:     isFlagSet(flexString(str(w.Pending))),
		KernelArgs:  str(w.KernelArgs),
		CreatedTime: str(w.CreatedTime),
		CreatedBy:   str(w.CreatedBy),
		Deployed:    str(w.Deployed),
		UseAD:       isFlagSet(flexString(str(w.UseAD))),
		ADDomain:    str(w.ADDomain),
		ADOU:        str(w.ADOU),
		ADUser:      str(w.ADUser),
		ADPass:      str(w.ADPass),
		ProductKey:  str(w.ProductKey),
		Inventory: Inventory{
			SysManufacturer: string(inv.SysManufacturer),
			SysProduct:      string(inv.SysProduct),
			SysSerial:       string(inv.SysSerial),
			SysUUID:         string(inv.SysUUID),
			PrimaryUser:     string(inv.PrimaryUser),
			Memory:          string(inv.Memory),
		},
		fields: w.resent(),
	}
	return h
}

// primaryFirst: FOG lists MACs in insertion order, which a primary change
// breaks (edge recording b-host-get-after-primary-swap).
func primaryFirst(macs []string, primary string) []string {
	out := append([]string(nil), macs...)
	sort.SliceStable(out, func(i, j int) bool {
		return strings.EqualFold(out[i], primary) && !strings.EqualFold(out[j], primary)
	})
	return out
}

func decodeHostElem(raw []byte) (Host, error) {
	var w hostWire
	if err := json.Unmarshal(raw, &w); err != nil {
		return Host{}, err
	}
	return w.host(), nil
}

func decodeHost(body []byte) (*Host, error) {
	if err := checkObject(body); err != nil {
		return nil, err
	}
	h, err := decodeHostElem(body)
	if err != nil {
		return nil, err
	}
	return &h, nil
}

func (c *Client) hostList(ctx context.Context, path string, filterBody any) ([]Host, error) {
	var out []Host
	err := c.getList(ctx, path, "hosts", filterBody, func() { out = out[:0] }, func(decode func(any) error) error {
		var w hostWire
		if err := decode(&w); err != nil {
			return err
		}
		out = append(out, w.host())
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func checkHostName(name string) error {
	if !hostNameRe.MatchString(name) {
		return fmt.Errorf("fogclient: host name %q is not valid for FOG (1-%d characters of A-Z a-z 0-9 _ - . and !@#$%%^(){}~): %w",
			name, hostNameMax, ErrInvalidArgument)
	}
	return nil
}

// ListHosts lists GET /fog/host; FOG hides hosts without a primary MAC and "_api_" names.
// The outcome is remembered for this process (FullListExpensive).
func (c *Client) ListHosts(ctx context.Context) ([]Host, error) {
	start := time.Now()
	hosts, err := c.hostList(ctx, "/host", nil)
	if err != nil {
		c.lists.noteFailure("host", "", err)
		return nil, err
	}
	c.lists.noteSuccess("host", "", len(hosts), time.Since(start))
	return hosts, nil
}

// ListHostsByID fetches several hosts in one request, none for no ids.
func (c *Client) ListHostsByID(ctx context.Context, ids []int64) ([]Host, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	hosts, err := c.hostList(ctx, "/host", map[string]any{"id": ids})
	if err != nil {
		return nil, err
	}
	want := idSet(ids)
	return filter(hosts, func(h Host) bool { return want[h.ID] }), nil
}

// HostsWithImage lists imageID's hosts with one GET that FOG filters in SQL
// (reference/fog-api.md §4.5, recording image-list-filtered-by-json-body-on-get).
func (c *Client) HostsWithImage(ctx context.Context, imageID int64) ([]Host, error) {
	if err := checkID("image", imageID); err != nil {
		return nil, err
	}
	hosts, err := c.hostList(ctx, "/host", map[string]any{"imageID": imageID})
	if err != nil {
		return nil, err
	}
	return filter(hosts, func(h Host) bool { return h.ImageID == imageID }), nil
}

// searchTermRe: FOG does not URL-decode the term (reference/fog-api.md §9), so it cannot
// hold anything that needs percent-encoding.
var searchTermRe = regexp.MustCompile(`^[A-Za-z0-9\-._~!$&'()*+,;=:@]+$`)

// SearchTermPunctuation is what a search term may hold besides letters, digits and spaces.
const SearchTermPunctuation = "-._~!$&'()*+,;=:@"

// InvalidSearchChars returns the characters of term SearchHosts cannot send, each once.
func InvalidSearchChars(term string) []string {
	var bad []string
	seen := map[rune]bool{}
	for _, r := range strings.Join(strings.Fields(term), "+") {
		if seen[r] || searchTermRe.MatchString(string(r)) {
			continue
		}
		seen[r] = true
		bad = append(bad, string(r))
	}
	return bad
}

// SearchHosts runs FOG's search (GET /fog/host/search/{term}), which also
// matches MACs, inventory and image names; spaces become "+", FOG's wildcard.
func (c *Client) SearchHosts(ctx context.Context, term string) ([]Host, error) {
	term = strings.Join(strings.Fields(term), "+")
	if !searchTermRe.MatchString(term) {
		return nil, fmt.Errorf("fogclient: search term %q is empty or holds characters FOG cannot receive in a path: %w", term, ErrInvalidArgument)
	}
	return c.hostList(ctx, "/host/search/"+term, nil)
}

func (c *Client) FindHostsByName(ctx context.Context, name string) ([]Host, error) {
	if strings.TrimSpace(name) == "" {
		return nil, nil
	}
	hosts, err := c.hostList(ctx, "/host", map[string]any{"name": name})
	if err != nil {
		return nil, err
	}
	return filter(hosts, func(h Host) bool { return sameName(h.Name, name) }), nil
}

// GetHost reads one host; ErrNotFound also when it has no primary MAC.
func (c *Client) GetHost(ctx context.Context, id int64) (*Host, error) {
	if err := checkID("host", id); err != nil {
		return nil, err
	}
	path := idPath("host", id, "")
	body, err := c.do(ctx, call{method: http.MethodGet, path: path})
	if err != nil {
		return nil, err
	}
	h, err := decodeHost(body)
	if err != nil {
		return nil, c.decodeFailure(http.MethodGet, path, err)
	}
	return h, nil
}

// CreateHost refuses a MAC another host owns before creating: FOG drops such an
// additional MAC silently (edge recordings b-host-create-second-mac-is-other-primary/-additional)
// and fails with an empty 500 on a taken first one (b-host-create-first-mac-is-other-additional).
func (c *Client) CreateHost(ctx context.Context, in HostCreate) (*Host, error) {
	if err := checkHostName(in.Name); err != nil {
		return nil, err
	}
	macs, err := normalizeMACList(in.MACs)
	if err != nil {
		return nil, err
	}
	if in.ImageID < 0 {
		return nil, fmt.Errorf("fogclient: image id %d is not valid: %w", in.ImageID, ErrInvalidArgument)
	}
	unlock, err := c.locks.lock(ctx, createLockKey("host", in.Name, hostNameMax+1))
	if err != nil {
		return nil, &Error{Kind: err, Method: http.MethodPost, Route: c.route("/host/create")}
	}
	defer unlock()

	assocs, err := c.ListMACAssociations(ctx)
	if err != nil {
		return nil, err
	}
	if err := c.checkMACOwners(ctx, 0, macs, assocs); err != nil {
		return nil, err
	}
	body := map[string]any{
		"name":        in.Name,
		"macs":        macs,
		"description": in.Description,
		"ip":          in.IP,
		"kernelArgs":  in.KernelArgs,
		"imageID":     in.ImageID,
	}
	in.MACs = macs
	if in.ImageID > 0 {
		c.unassigned.assigned()
	}
	return c.createHost(ctx, in, body)
}

// UpdateHost resends every string field as read, and the name only when it
// changes; a case-only rename FOG refuses is ErrCaseOnlyRename. Updates of one
// host are serialised, or overlapping ones would write back stale values.
func (c *Client) UpdateHost(ctx context.Context, id int64, in HostUpdate) (*Host, error) {
	_, updated, err := c.updateHost(ctx, id, in, nil)
	return updated, err
}

// updateHost writes in on top of the host as read unless decide says no.
func (c *Client) updateHost(ctx context.Context, id int64, in HostUpdate, decide func(cur *Host) bool) (before, after *Host, err error) {
	if err := checkID("host", id); err != nil {
		return nil, nil, err
	}
	if in.ImageID != nil && *in.ImageID < 0 {
		return nil, nil, fmt.Errorf("fogclient: image id %d is not valid: %w", *in.ImageID, ErrInvalidArgument)
	}
	unlockRow, err := c.locks.lock(ctx, hostRowLockKey(id))
	if err != nil {
		return nil, nil, &Error{Kind: err, Method: http.MethodPut, Route: c.route(idPath("host", id, "/edit"))}
	}
	defer unlockRow()
	// Read after taking the row lock, batched with the concurrent reads of
	// other hosts (ReadHost): as fresh as a GET sent now.
	cur, err := c.ReadHost(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if decide != nil && !decide(cur) {
		return cur, nil, nil
	}
	if in.Name != nil && *in.Name != cur.Name {
		if CaseOnlyRenameRefused(cur.Name, *in.Name) {
			return cur, nil, fmt.Errorf("fogclient: rename host %d from %q to %q: %w", id, cur.Name, *in.Name, ErrCaseOnlyRename)
		}
		if err := checkHostName(*in.Name); err != nil {
			return cur, nil, err
		}
		unlock, err := c.locks.lock(ctx, createLockKey("host", *in.Name, hostNameMax+1))
		if err != nil {
			return cur, nil, &Error{Kind: err, Method: http.MethodPut, Route: c.route(idPath("host", id, "/edit"))}
		}
		defer unlock()
	}
	after, err = c.putHost(ctx, id, in, hostUpdateBody(cur, in))
	return cur, after, err
}

func hostUpdateBody(cur *Host, in HostUpdate) map[string]any {
	body := make(map[string]any, len(cur.fields)+4)
	for k, v := range cur.fields {
		body[k] = v
	}
	if in.Name != nil && *in.Name != cur.Name {
		body["name"] = *in.Name
	}
	setIf(body, "description", in.Description)
	setIf(body, "ip", in.IP)
	setIf(body, "kernelArgs", in.KernelArgs)
	setIf(body, "imageID", in.ImageID)
	return body
}

// AssignImage sets the host's image (0 unassigns) like any update, resending the
// string fields an imageID-only PUT would re-save escaped (edge recording
// c-host-edit-imageid-only). FOG does not check the image (host-edit-imageid-nonexistent).
func (c *Client) AssignImage(ctx context.Context, hostID, imageID int64) (*Host, error) {
	return c.UpdateHost(ctx, hostID, HostUpdate{ImageID: &imageID})
}

// AssignImageIf is AssignImage decided on the host as read right before the
// write, under UpdateHost's lock; after is nil when decide says no.
func (c *Client) AssignImageIf(ctx context.Context, hostID, imageID int64, decide func(cur *Host) bool) (before, after *Host, err error) {
	return c.updateHost(ctx, hostID, HostUpdate{ImageID: &imageID}, decide)
}

func hostRowLockKey(id int64) string { return fmt.Sprintf("hostrow:%d", id) }

// DeleteHost deletes a host; FOG also deletes its tasks (active ones included),
// MACs and inventory.
func (c *Client) DeleteHost(ctx context.Context, id int64) error {
	if err := checkID("host", id); err != nil {
		return err
	}
	return c.deleteObject(ctx, idPath("host", id, ""), func(ctx context.Context) error {
		_, err := c.GetHost(ctx, id)
		return err
	})
}

func (c *Client) createHost(ctx context.Context, in HostCreate, body map[string]any) (*Host, error) {
	hosts := namedClass[Host]{class: "host", decode: decodeHost, find: c.FindHostsByName,
		key: func(h *Host) (int64, string) { return h.ID, h.Name }}
	return createByName(ctx, c, hosts, in.Name, "/host/create", body,
		func(h *Host) []Difference { return hostCreateDiff(h, in) })
}

func hostCreateDiff(h *Host, in HostCreate) []Difference {
	var d diff
	d.str("name", h.Name, in.Name)
	d.str("description", h.Description, in.Description)
	d.str("ip", h.IP, in.IP)
	d.str("kernelArgs", h.KernelArgs, in.KernelArgs)
	d.num("imageID", h.ImageID, in.ImageID)
	// The primary MAC identifies the host. Additional MACs are not
	// compared: FOG drops those its pending-MAC filter matches without a word.
	if len(in.MACs) > 0 && !strings.EqualFold(h.PrimaryMAC, in.MACs[0]) {
		d.add("primac", h.PrimaryMAC, in.MACs[0])
	}
	return d
}

func hostUpdateLanded(h *Host, in HostUpdate) bool {
	var d diff
	d.strP("name", h.Name, in.Name)
	d.strP("description", h.Description, in.Description)
	d.strP("ip", h.IP, in.IP)
	d.strP("kernelArgs", h.KernelArgs, in.KernelArgs)
	d.numP("imageID", h.ImageID, in.ImageID)
	return len(d) == 0
}

func (c *Client) putHost(ctx context.Context, id int64, in HostUpdate, body map[string]any) (*Host, error) {
	if in.ImageID != nil && *in.ImageID > 0 {
		c.unassigned.assigned() // HostsLeftOnImage
	}
	editPath := idPath("host", id, "/edit")
	return resendUntilLanded(ctx, c, body,
		func(ctx context.Context, body map[string]any) (*Host, error) {
			return writeObject(ctx, c, http.MethodPut, editPath, body, decodeHost)
		},
		func(ctx context.Context) (*Host, map[string]any, bool, error) {
			h, err := c.GetHost(ctx, id)
			if err != nil {
				return nil, nil, false, err
			}
			if hostUpdateLanded(h, in) {
				return h, nil, true, nil
			}
			return nil, hostUpdateBody(h, in), false, nil
		})
}
