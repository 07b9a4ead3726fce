// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"
)

// Snapin is a FOG snapin (reference/snapins-storage.md §1): an installer the
// FOG client runs on a host. The file itself lives on the storage nodes;
// FOG's API neither uploads nor checks it (recording 621). Strings are
// HTML-unescaped.
type Snapin struct {
	ID          int64
	Name        string
	Description string
	File        string
	Args        string
	RunWith     string
	RunWithArgs string
	Reboot      bool
	Shutdown    bool
	Hidden      bool // "hide": the FOG client hides the snapin's log
	Enabled     bool
	Replicate   bool
	Protected   bool
	Timeout     int64 // seconds, 0 for none
	Pack        bool  // packtype "1": a Snapin Pack (an archive and the command inside it)
	CreatedTime string
	CreatedBy   string
	Hash        string
	Size        int64
	// StorageGroupName is the group FOG serves the snapin from.
	StorageGroupName string
}

// IsZombie reports whether a GET of this listed snapin could answer 404
// (FOG's lists do not validate, reference/fog-api.md §4.7).
func (s Snapin) IsZombie() bool {
	return s.ID < 1 || strings.TrimSpace(s.Name) == "" || strings.TrimSpace(s.File) == ""
}

// SnapinCreate is sent whole: every flag FOG does not receive is stored as
// "" whatever its schema default (recording 621), so none has a usable
// default.
type SnapinCreate struct {
	Name        string
	File        string
	Description string
	Args        string
	RunWith     string
	RunWithArgs string
	Reboot      bool
	Shutdown    bool
	Hidden      bool
	Enabled     bool
	Replicate   bool
	Protected   bool
	Timeout     int64
	Pack        bool
}

// SnapinUpdate lists the changes; nil keeps a field.
type SnapinUpdate struct {
	Name        *string
	File        *string
	Description *string
	Args        *string
	RunWith     *string
	RunWithArgs *string
	Reboot      *bool
	Shutdown    *bool
	Hidden      *bool
	Enabled     *bool
	Replicate   *bool
	Protected   *bool
	Timeout     *int64
	Pack        *bool
}

// SnapinNameMax is the width the client allows for a snapin name (FOG's
// snapins.sName; longer names would be cut off).
const SnapinNameMax = 200

// snapinStringFields are resent on every PUT, unescaped: FOG's escape
// ratchet writes back the string fields a PUT leaves out one level more
// escaped (reference/snapins-storage.md §1, as for images).
var snapinStringFields = []string{
	"description", "file", "args", "createdTime", "createdBy", "reboot", "shutdown",
	"runWith", "runWithArgs", "isEnabled", "toReplicate", "hide", "packtype", "hash", "anon3",
}

// snapinWire is the JSON of a snapin (recordings 621, 623).
type snapinWire struct {
	ID               flexInt    `json:"id"`
	Name             flexString `json:"name"`
	Description      flexString `json:"description"`
	File             flexString `json:"file"`
	Args             flexString `json:"args"`
	CreatedTime      flexString `json:"createdTime"`
	CreatedBy        flexString `json:"createdBy"`
	Reboot           flexString `json:"reboot"`
	Shutdown         flexString `json:"shutdown"`
	RunWith          flexString `json:"runWith"`
	RunWithArgs      flexString `json:"runWithArgs"`
	Protected        flexInt    `json:"protected"`
	IsEnabled        flexString `json:"isEnabled"`
	ToReplicate      flexString `json:"toReplicate"`
	Hide             flexString `json:"hide"`
	Timeout          flexInt    `json:"timeout"`
	PackType         flexString `json:"packtype"`
	Hash             flexString `json:"hash"`
	Size             flexInt    `json:"size"`
	StorageGroupName flexString `json:"storagegroupname"`
}

func (w *snapinWire) snapin() Snapin {
	return Snapin{
		ID:               int64(w.ID),
		Name:             string(w.Name),
		Description:      string(w.Description),
		File:             string(w.File),
		Args:             string(w.Args),
		RunWith:          string(w.RunWith),
		RunWithArgs:      string(w.RunWithArgs),
		Reboot:           isFlagSet(w.Reboot),
		Shutdown:         isFlagSet(w.Shutdown),
		Hidden:           isFlagSet(w.Hide),
		Enabled:          isFlagSet(w.IsEnabled),
		Replicate:        isFlagSet(w.ToReplicate),
		Protected:        w.Protected != 0,
		Timeout:          int64(w.Timeout),
		Pack:             isFlagSet(w.PackType),
		CreatedTime:      string(w.CreatedTime),
		CreatedBy:        string(w.CreatedBy),
		Hash:             string(w.Hash),
		Size:             int64(w.Size),
		StorageGroupName: string(w.StorageGroupName),
	}
}

func decodeSnapin(body []byte) (*Snapin, error) {
	var w snapinWire
	if err := decodeObject(body, &w); err != nil {
		return nil, err
	}
	s := w.snapin()
	return &s, nil
}

func checkSnapinName(name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return fmt.Errorf("fogclient: snapin name must not be empty: %w", ErrInvalidArgument)
	case utf8.RuneCountInString(name) > SnapinNameMax:
		return fmt.Errorf("fogclient: snapin name %q is longer than %d characters: %w", name, SnapinNameMax, ErrInvalidArgument)
	}
	return nil
}

// ListSnapins lists GET /fog/snapin (sorted by name, recording 626).
func (c *Client) ListSnapins(ctx context.Context) ([]Snapin, error) {
	return listOf(ctx, c, "/snapin", "snapins", nil, (*snapinWire).snapin)
}

// FindSnapinsByName returns the snapins FOG takes for name (SameName).
func (c *Client) FindSnapinsByName(ctx context.Context, name string) ([]Snapin, error) {
	if strings.TrimSpace(name) == "" {
		return nil, nil
	}
	all, err := listOf(ctx, c, "/snapin", "snapins", map[string]any{"name": name}, (*snapinWire).snapin)
	if err != nil {
		return nil, err
	}
	return filter(all, func(s Snapin) bool { return sameName(s.Name, name) }), nil
}

// GetSnapin reads one snapin; ErrNotFound for an id FOG does not have (628).
func (c *Client) GetSnapin(ctx context.Context, id int64) (*Snapin, error) {
	if err := checkID("snapin", id); err != nil {
		return nil, err
	}
	var w snapinWire
	if _, err := c.getObject(ctx, idPath("snapin", id, ""), &w); err != nil {
		return nil, err
	}
	s := w.snapin()
	return &s, nil
}

// CreateSnapin creates a snapin with every field and flag sent. FOG answers
// a taken name with "Already created" (ErrAlreadyExists, recording 624).
func (c *Client) CreateSnapin(ctx context.Context, in SnapinCreate) (*Snapin, error) {
	if err := checkSnapinName(in.Name); err != nil {
		return nil, err
	}
	if strings.TrimSpace(in.File) == "" {
		// FOG would answer 417 (recording 622).
		return nil, fmt.Errorf("fogclient: snapin file must not be empty: %w", ErrInvalidArgument)
	}
	if in.Timeout < 0 {
		return nil, fmt.Errorf("fogclient: snapin timeout %d is negative: %w", in.Timeout, ErrInvalidArgument)
	}
	unlock, err := c.locks.lock(ctx, createLockKey("snapin", in.Name, SnapinNameMax))
	if err != nil {
		return nil, &Error{Kind: err, Method: http.MethodPost, Route: c.route("/snapin/create")}
	}
	defer unlock()
	body := map[string]any{
		"name":        in.Name,
		"file":        in.File,
		"description": in.Description,
		"args":        in.Args,
		"runWith":     in.RunWith,
		"runWithArgs": in.RunWithArgs,
		"reboot":      flag(in.Reboot),
		"shutdown":    flag(in.Shutdown),
		"hide":        flag(in.Hidden),
		"isEnabled":   flag(in.Enabled),
		"toReplicate": flag(in.Replicate),
		"protected":   boolInt(in.Protected),
		"timeout":     in.Timeout,
		"packtype":    flag(in.Pack),
	}
	snapins := namedClass[Snapin]{class: "snapin", decode: decodeSnapin, find: c.FindSnapinsByName,
		key: func(s *Snapin) (int64, string) { return s.ID, s.Name }}
	return createByName(ctx, c, snapins, in.Name, "/snapin/create", body,
		func(s *Snapin) []Difference { return snapinCreateDiff(s, in) })
}

// UpdateSnapin resends every string field as read, unescaped, and the name
// only when it changes; a rename to a taken name is ErrAlreadyExists (631).
func (c *Client) UpdateSnapin(ctx context.Context, id int64, in SnapinUpdate) (*Snapin, error) {
	if err := checkID("snapin", id); err != nil {
		return nil, err
	}
	if in.File != nil && strings.TrimSpace(*in.File) == "" {
		return nil, fmt.Errorf("fogclient: snapin file must not be empty: %w", ErrInvalidArgument)
	}
	if in.Timeout != nil && *in.Timeout < 0 {
		return nil, fmt.Errorf("fogclient: snapin timeout %d is negative: %w", *in.Timeout, ErrInvalidArgument)
	}
	path := idPath("snapin", id, "")
	var cur snapinWire
	raw, err := c.getObject(ctx, path, &cur)
	if err != nil {
		return nil, err
	}
	if in.Name != nil && *in.Name != string(cur.Name) {
		if CaseOnlyRenameRefused(string(cur.Name), *in.Name) {
			return nil, fmt.Errorf("fogclient: rename snapin %d from %q to %q: %w", id, string(cur.Name), *in.Name, ErrCaseOnlyRename)
		}
		if err := checkSnapinName(*in.Name); err != nil {
			return nil, err
		}
		unlock, err := c.locks.lock(ctx, createLockKey("snapin", *in.Name, SnapinNameMax))
		if err != nil {
			return nil, &Error{Kind: err, Method: http.MethodPut, Route: c.route(idPath("snapin", id, "/edit"))}
		}
		defer unlock()
	}
	body, err := snapinUpdateBody(raw, string(cur.Name), in)
	if err != nil {
		return nil, c.decodeFailure(http.MethodGet, path, err)
	}
	editPath := idPath("snapin", id, "/edit")
	return resendUntilLanded(ctx, c, body,
		func(ctx context.Context, body map[string]any) (*Snapin, error) {
			return writeObject(ctx, c, http.MethodPut, editPath, body, decodeSnapin)
		},
		func(ctx context.Context) (*Snapin, map[string]any, bool, error) {
			var w snapinWire
			raw, err := c.getObject(ctx, path, &w)
			if err != nil {
				return nil, nil, false, err
			}
			s := w.snapin()
			if snapinUpdateLanded(&s, in) {
				return &s, nil, true, nil
			}
			next, err := snapinUpdateBody(raw, s.Name, in)
			if err != nil {
				return nil, nil, false, c.decodeFailure(http.MethodGet, path, err)
			}
			return nil, next, false, nil
		})
}

func snapinUpdateBody(raw []byte, curName string, in SnapinUpdate) (map[string]any, error) {
	body, err := resendFields(raw, snapinStringFields)
	if err != nil {
		return nil, err
	}
	if in.Name != nil && *in.Name != curName {
		body["name"] = *in.Name
	}
	setIf(body, "file", in.File)
	setIf(body, "description", in.Description)
	setIf(body, "args", in.Args)
	setIf(body, "runWith", in.RunWith)
	setIf(body, "runWithArgs", in.RunWithArgs)
	setIf(body, "timeout", in.Timeout)
	for key, v := range map[string]*bool{
		"reboot": in.Reboot, "shutdown": in.Shutdown, "hide": in.Hidden, "isEnabled": in.Enabled,
		"toReplicate": in.Replicate, "packtype": in.Pack,
	} {
		if v != nil {
			body[key] = flag(*v)
		}
	}
	if in.Protected != nil {
		body["protected"] = boolInt(*in.Protected)
	}
	return body, nil
}

// DeleteSnapin deletes a snapin. FOG also deletes its host links and every
// snapin task that uses it, and leaves the jobs that held them (recording
// 682): callers check for active snapin tasks first (ActiveSnapinTasks).
func (c *Client) DeleteSnapin(ctx context.Context, id int64) error {
	if err := checkID("snapin", id); err != nil {
		return err
	}
	return c.deleteObject(ctx, idPath("snapin", id, ""), func(ctx context.Context) error {
		_, err := c.GetSnapin(ctx, id)
		return err
	})
}

func snapinCreateDiff(s *Snapin, in SnapinCreate) []Difference {
	var d diff
	d.str("name", s.Name, in.Name)
	d.str("file", s.File, in.File)
	d.str("description", s.Description, in.Description)
	d.str("args", s.Args, in.Args)
	d.str("runWith", s.RunWith, in.RunWith)
	d.str("runWithArgs", s.RunWithArgs, in.RunWithArgs)
	d.flag("reboot", s.Reboot, in.Reboot)
	d.flag("shutdown", s.Shutdown, in.Shutdown)
	d.flag("hide", s.Hidden, in.Hidden)
	d.flag("isEnabled", s.Enabled, in.Enabled)
	d.flag("toReplicate", s.Replicate, in.Replicate)
	d.flag("protected", s.Protected, in.Protected)
	d.num("timeout", s.Timeout, in.Timeout)
	d.flag("packtype", s.Pack, in.Pack)
	return d
}

func snapinUpdateLanded(s *Snapin, in SnapinUpdate) bool {
	var d diff
	d.strP("name", s.Name, in.Name)
	d.strP("file", s.File, in.File)
	d.strP("description", s.Description, in.Description)
	d.strP("args", s.Args, in.Args)
	d.strP("runWith", s.RunWith, in.RunWith)
	d.strP("runWithArgs", s.RunWithArgs, in.RunWithArgs)
	d.flagP("reboot", s.Reboot, in.Reboot)
	d.flagP("shutdown", s.Shutdown, in.Shutdown)
	d.flagP("hide", s.Hidden, in.Hidden)
	d.flagP("isEnabled", s.Enabled, in.Enabled)
	d.flagP("toReplicate", s.Replicate, in.Replicate)
	d.flagP("protected", s.Protected, in.Protected)
	d.numP("timeout", s.Timeout, in.Timeout)
	d.flagP("packtype", s.Pack, in.Pack)
	return len(d) == 0
}

// ---- which hosts get a snapin (snapinassociation) ----

// SnapinAssociation links one snapin to one host (reference/snapins-storage.md §2).
type SnapinAssociation struct {
	ID       int64
	HostID   int64
	SnapinID int64
}

type snapinAssocWire struct {
	ID       flexInt `json:"id"`
	HostID   flexInt `json:"hostID"`
	SnapinID flexInt `json:"snapinID"`
}

func (w *snapinAssocWire) assoc() SnapinAssociation {
	return SnapinAssociation{ID: int64(w.ID), HostID: int64(w.HostID), SnapinID: int64(w.SnapinID)}
}

// SnapinAssociations lists the host-snapin links, only those of hostID and
// snapinID when they are set (FOG filters by a JSON body, recording 638).
func (c *Client) SnapinAssociations(ctx context.Context, hostID, snapinID int64) ([]SnapinAssociation, error) {
	scope := map[string]any{}
	if hostID > 0 {
		scope["hostID"] = hostID
	}
	if snapinID > 0 {
		scope["snapinID"] = snapinID
	}
	var body any
	if len(scope) > 0 {
		body = scope
	}
	all, err := listOf(ctx, c, "/snapinassociation", "snapinassociations", body, (*snapinAssocWire).assoc)
	if err != nil {
		return nil, err
	}
	return filter(all, func(a SnapinAssociation) bool {
		return (hostID <= 0 || a.HostID == hostID) && (snapinID <= 0 || a.SnapinID == snapinID)
	}), nil
}

// HostSnapinLink returns the link of hostID and snapinID, nil when there is none.
func (c *Client) HostSnapinLink(ctx context.Context, hostID, snapinID int64) (*SnapinAssociation, error) {
	if err := checkID("host", hostID); err != nil {
		return nil, err
	}
	if err := checkID("snapin", snapinID); err != nil {
		return nil, err
	}
	links, err := c.SnapinAssociations(ctx, hostID, snapinID)
	if err != nil || len(links) == 0 {
		return nil, err
	}
	return &links[0], nil
}

// LinkSnapin gives host hostID snapin snapinID through the per-pair route,
// never the host's or group's "snapins" key, which replaces every link
// (recordings 641, 681). FOG checks neither id (636), so the caller checks
// both first. created is false when the link was already there: FOG answers
// a duplicate pair with an empty 404 (635), which is confirmed with a
// filtered list.
func (c *Client) LinkSnapin(ctx context.Context, hostID, snapinID int64) (link *SnapinAssociation, created bool, err error) {
	if err := checkID("host", hostID); err != nil {
		return nil, false, err
	}
	if err := checkID("snapin", snapinID); err != nil {
		return nil, false, err
	}
	body := map[string]any{"hostID": hostID, "snapinID": snapinID}
	find := func(ctx context.Context) (*SnapinAssociation, error) { return c.HostSnapinLink(ctx, hostID, snapinID) }
	return createPair(ctx, c, "/snapinassociation/create", body, fmt.Sprintf("snapin %d on host %d", snapinID, hostID),
		func(b []byte) (*SnapinAssociation, error) {
			var w snapinAssocWire
			if err := decodeObject(b, &w); err != nil {
				return nil, err
			}
			a := w.assoc()
			return &a, nil
		}, find)
}

// UnlinkSnapin deletes the link with this id (the host keeps its other snapins).
func (c *Client) UnlinkSnapin(ctx context.Context, id int64) error {
	if err := checkID("snapin association", id); err != nil {
		return err
	}
	return c.deleteObject(ctx, idPath("snapinassociation", id, ""), func(ctx context.Context) error {
		var w snapinAssocWire
		_, err := c.getObject(ctx, idPath("snapinassociation", id, ""), &w)
		return err
	})
}

// createPair creates an association row of a unique pair. A pair that
// exists is not sent again: FOG's create is an INSERT ... ON DUPLICATE KEY
// UPDATE of every column, which would rewrite the row's other columns (an
// image link's primary flag becomes "", demoting the primary link; from
// FOG's code, the emulator does the same); its empty 404 answers an
// unchanged pair (recordings 635, 724). A lost answer is settled by looking.
func createPair[T any](ctx context.Context, c *Client, path string, body map[string]any, what string,
	decode func([]byte) (*T, error), find func(context.Context) (*T, error)) (*T, bool, error) {
	if existing, err := find(ctx); err != nil || existing != nil {
		return existing, false, err
	}
	var lost error
	for sends := 1; ; sends++ {
		obj, err := writeObject(ctx, c, http.MethodPost, path, body, decode)
		switch {
		case err == nil:
			return obj, true, nil
		case errors.Is(err, ErrNotFound):
			existing, ferr := find(ctx)
			switch {
			case ferr != nil:
				return nil, false, fmt.Errorf("fogclient: %s: FOG answered 404, and looking the link up failed: %w", what, ferr)
			case existing == nil:
				return nil, false, err
			}
			// After a lost answer the existing row may be the one this create wrote.
			return existing, lost != nil, nil
		case !answerLost(err):
			return nil, false, err
		}
		lost = err
		c.noteLostAnswer(ctx, err, "looking the link up")
		existing, ferr := find(ctx)
		switch {
		case ferr != nil:
			return nil, false, outcomeUnknown(lost, fmt.Errorf("looking the link up failed: %w", ferr))
		case existing != nil:
			return existing, true, nil
		}
		if werr := c.beforeResend(ctx, sends, lost, what); werr != nil {
			return nil, false, werr
		}
	}
}

// ---- snapin jobs and tasks (read only) ----

// SnapinTask is one snapin of a host's snapin job (reference/snapins-storage.md
// §3). Only ids and the state are decoded: the nested job carries the whole
// host, its AD password included.
type SnapinTask struct {
	ID       int64
	JobID    int64
	SnapinID int64
	StateID  int64
}

type snapinTaskWire struct {
	ID       flexInt `json:"id"`
	JobID    flexInt `json:"jobID"`
	SnapinID flexInt `json:"snapinID"`
	StateID  flexInt `json:"stateID"`
}

func (w *snapinTaskWire) task() SnapinTask {
	return SnapinTask{ID: int64(w.ID), JobID: int64(w.JobID), SnapinID: int64(w.SnapinID), StateID: int64(w.StateID)}
}

type snapinJobWire struct {
	ID     flexInt `json:"id"`
	HostID flexInt `json:"hostID"`
}

// ActiveSnapinTasksForHost lists the queued or running snapin tasks of the
// host's active snapin jobs. There is deliberately no way to cancel one:
// FOG's snapin task cancel marks the whole job cancelled and its job cancel
// leaves the job and the host task queued (recordings 663, 665); only the
// host task's cancel (CancelTask) ends everything (666).
func (c *Client) ActiveSnapinTasksForHost(ctx context.Context, hostID int64) ([]SnapinTask, error) {
	if err := checkID("host", hostID); err != nil {
		return nil, err
	}
	jobs, err := listOf(ctx, c, "/snapinjob/active", "snapinjobs", map[string]any{"hostID": hostID},
		func(w *snapinJobWire) snapinJobWire { return *w })
	if err != nil {
		return nil, err
	}
	var out []SnapinTask
	for _, j := range jobs {
		if int64(j.HostID) != hostID {
			continue
		}
		jobID := int64(j.ID)
		tasks, err := listOf(ctx, c, "/snapintask/active", "snapintasks", map[string]any{"jobID": jobID}, (*snapinTaskWire).task)
		if err != nil {
			return nil, err
		}
		out = append(out, filter(tasks, func(t SnapinTask) bool { return t.JobID == jobID })...)
	}
	return out, nil
}

// ActiveSnapinTasksOfSnapin lists the queued or running snapin tasks that
// deploy snapinID, on any host.
func (c *Client) ActiveSnapinTasksOfSnapin(ctx context.Context, snapinID int64) ([]SnapinTask, error) {
	if err := checkID("snapin", snapinID); err != nil {
		return nil, err
	}
	tasks, err := listOf(ctx, c, "/snapintask/active", "snapintasks", map[string]any{"snapinID": snapinID}, (*snapinTaskWire).task)
	if err != nil {
		return nil, err
	}
	return filter(tasks, func(t SnapinTask) bool { return t.SnapinID == snapinID }), nil
}
