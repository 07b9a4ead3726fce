// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"
)

// coalescedReads are the Client's batched reads (coalesce.go).
type coalescedReads struct {
	once       sync.Once
	hosts      *coalescer[int64, Host]
	imageHosts *coalescer[int64, []Host]
}

func (c *Client) reads() *coalescedReads {
	c.batched.once.Do(func() {
		window := c.coalesceWindow
		c.batched.hosts = newCoalescer(window, DefaultCoalesceChunk, c.fetchHostsByID)
		c.batched.imageHosts = newCoalescer(window, DefaultCoalesceChunk, c.fetchHostsByImage)
	})
	return &c.batched
}

func (c *Client) fetchHostsByID(ctx context.Context, ids []int64) (map[int64]Host, error) {
	hosts, err := c.ListHostsByID(ctx, ids)
	if err != nil {
		c.lists.noteFailure("host", "id", err)
		return nil, err
	}
	out := make(map[int64]Host, len(hosts))
	for _, h := range hosts {
		if _, dup := out[h.ID]; !dup {
			out[h.ID] = h
		}
	}
	return out, nil
}

func (c *Client) fetchHostsByImage(ctx context.Context, imageIDs []int64) (map[int64][]Host, error) {
	hosts, err := c.hostList(ctx, "/host", map[string]any{"imageID": imageIDs})
	if err != nil {
		c.lists.noteFailure("host", "imageID", err)
		return nil, err
	}
	want := idSet(imageIDs)
	out := make(map[int64][]Host, len(imageIDs))
	for _, h := range hosts {
		if want[h.ImageID] {
			out[h.ImageID] = append(out[h.ImageID], h)
		}
	}
	// Every asked image has an answer, possibly no host.
	for _, id := range imageIDs {
		if _, ok := out[id]; !ok {
			out[id] = nil
		}
	}
	return out, nil
}

// ReadHost reads host id like GetHost, merged with the concurrent reads of
// other hosts into one filtered list ({"id":[...]}, coalesce.go). A host the
// list lacks or shows in a form FOG cannot load (Host.IsZombie) is read by
// id, so ErrNotFound is always a GET by id's 404. When the filtered list
// fails, every read of the batch falls back to a GET by id, and a list FOG
// answered with a server error is not tried again by this process.
func (c *Client) ReadHost(ctx context.Context, id int64) (*Host, error) {
	if err := checkID("host", id); err != nil {
		return nil, err
	}
	if c.coalesceWindow < 0 || c.lists.failed("host", "id") {
		return c.GetHost(ctx, id)
	}
	h, found, err := c.reads().hosts.get(ctx, id)
	if err != nil && ctx.Err() != nil {
		return nil, err
	}
	if err != nil || !found || h.IsZombie() {
		return c.GetHost(ctx, id)
	}
	return &h, nil
}

// ReadHostsWithImage is HostsWithImage merged with the concurrent calls for
// other images into one filtered list ({"imageID":[...]}). Its answer is as
// fresh as HostsWithImage's sent at the moment of the call (at most the
// coalescing window later); a failed batch falls back to HostsWithImage.
func (c *Client) ReadHostsWithImage(ctx context.Context, imageID int64) ([]Host, error) {
	if err := checkID("image", imageID); err != nil {
		return nil, err
	}
	if c.coalesceWindow < 0 || c.lists.failed("host", "imageID") {
		return c.HostsWithImage(ctx, imageID)
	}
	hosts, _, err := c.reads().imageHosts.get(ctx, imageID)
	if err != nil && ctx.Err() != nil {
		return nil, err
	}
	if err != nil {
		return c.HostsWithImage(ctx, imageID)
	}
	return append([]Host(nil), hosts...), nil
}

// ---- what lists the server showed ----

// ListOutcome is what this process saw of one kind of list on a server.
type ListOutcome struct {
	// Failed is set when the list failed with a server error (FOG's PHP
	// fatal, typically its memory_limit on a large list).
	Failed bool
	// Err is that failure.
	Err error
	// Rows and Took describe the last list that succeeded.
	Rows int
	Took time.Duration
	At   time.Time
}

// listMemory remembers, per server and per process, how FOG answered each
// kind of list, so an operation never pays twice for a list that cannot
// succeed. Keys are "class/filter" ("host/" is the full host list).
type listMemory struct {
	mu  sync.Mutex
	out map[string]ListOutcome
}

var serverLists sync.Map // base URL -> *listMemory

func listMemoryFor(base string) *listMemory {
	v, _ := serverLists.LoadOrStore(base, &listMemory{out: map[string]ListOutcome{}})
	m, _ := v.(*listMemory)
	return m
}

// serverSideFailure reports whether err is FOG failing to build an answer
// (PHP fatal, 5xx), not the network or the caller.
func serverSideFailure(err error) bool {
	if errors.Is(err, ErrServerFatal) {
		return true
	}
	var e *Error
	return errors.As(err, &e) && e.Status == http.StatusInternalServerError
}

func (m *listMemory) noteFailure(class, filter string, err error) {
	if !serverSideFailure(err) {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.out[class+"/"+filter] = ListOutcome{Failed: true, Err: err, At: time.Now()}
}

func (m *listMemory) noteSuccess(class, filter string, rows int, took time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.out[class+"/"+filter] = ListOutcome{Rows: rows, Took: took, At: time.Now()}
}

func (m *listMemory) failed(class, filter string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.out[class+"/"+filter].Failed
}

func (m *listMemory) get(class, filter string) (ListOutcome, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	o, ok := m.out[class+"/"+filter]
	return o, ok
}

// ListOutcome returns what this process saw of the full list of class
// ("host": GET /fog/host without a filter); ok is false before any.
func (c *Client) ListOutcome(class string) (ListOutcome, bool) {
	return c.lists.get(class, "")
}
