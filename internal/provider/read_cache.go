// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	"golang.org/x/sync/singleflight"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

// readCacheMaxAge bounds how old a list may be when it answers a read. One
// Terraform operation refreshes every resource within seconds, so a list is
// normally fetched once per operation; the bound keeps a long-lived provider
// process (an apply that waits an hour for a task, then reads a data source)
// from answering with an old list.
const readCacheMaxAge = 30 * time.Second

// errFullListSkipped is the "failure" of a full list this process knows to
// be too expensive on the server: reads go by id (batched) instead.
var errFullListSkipped = errors.New("the full list is too large on this server; reading by ids")

// readCache answers refreshes (Read of resources and data sources) from one
// list request per FOG class instead of one GET per object: FOG is PHP on a
// small worker pool, where every request costs tens of milliseconds, and a
// plan refreshes every managed object.
//
// Rules, in order of importance:
//
//   - Only refreshes (Read of resources and data sources) and plan-time
//     checks use it. Create, Update, Delete and the checks before a write
//     read the server directly.
//   - A list is dropped as soon as this process writes anything that can
//     change the class, FOG's side effects included (deleting an image resets
//     hosts' imageID, deleting a host deletes its tasks): see
//     fogclient.Client.WriteGeneration. A resource created and read back in
//     the same operation therefore sees itself.
//   - A list is never older than readCacheMaxAge.
//   - Terraform's parallel reads share one list request per class
//     (singleflight); a list that fails is not retried by every read: the
//     reads fall back to a GET by id each, as without the cache.
//   - Lists are not GETs by id: FOG lists rows that GET answers 404 for
//     (zombies, reference/fog-api.md §4.7) and hides objects whose name contains "_api_"
//     (edge recordings D, d-image-list) or that have no primary MAC
//     (b-host-list-without-primary). So an object missing from the list, or
//     listed in a form FOG would refuse to load (fogclient's IsZombie), is
//     confirmed with a GET by id before it is declared gone or returned.
//     These GETs cannot be batched into one list request with the body
//     {"id":[...]}: that filter hides the same names and validates nothing
//     (d-image-list-filter-id-list-hidden-and-missing), so only a GET by id
//     can tell a hidden or broken object from a deleted one.
//
// A readCache belongs to one provider configuration (one Terraform
// operation); it is safe for concurrent use.
type readCache struct {
	images        *listCache[fogclient.Image]
	hosts         *listCache[fogclient.Host]
	activeTasks   *listCache[fogclient.Task]
	oss           *listCache[fogclient.OperatingSystem]
	macs          *listCache[fogclient.MACAssociation]
	groups        *listCache[fogclient.Group]
	memberships   *listCache[fogclient.GroupMembership]
	scheduled     *listCache[fogclient.ScheduledTask]
	snapins       *listCache[fogclient.Snapin]
	storageGroups *listCache[fogclient.StorageGroup]
	nodes         *listCache[fogclient.StorageNode]
	snapinLinks   *listCache[fogclient.SnapinAssociation]
	imageLinks    *listCache[fogclient.ImageAssociation]
	client        *fogclient.Client
	startWrites   uint64
}

// newReadCache builds the read cache of client's server. now is the clock
// (time.Now outside tests).
func newReadCache(client *fogclient.Client, maxAge time.Duration, now func() time.Time) *readCache {
	clock := listClock{maxAge: maxAge, now: now, generation: client.WriteGeneration}
	return &readCache{
		client:      client,
		startWrites: client.WriteCount(),
		images: &listCache[fogclient.Image]{
			class: "image", clock: clock, list: client.ListImages, getByID: client.GetImage,
			id: func(i *fogclient.Image) int64 { return i.ID }, suspect: fogclient.Image.IsZombie,
		},
		// On a large server (fogclient.FullListExpensive: the full list
		// failed, or was large or slow, earlier in this provider process)
		// hosts are read by ids instead, batched into
		// filtered lists {"id":[...]} (fogclient.ReadHost): the cost
		// follows what is managed, not the server's size.
		hosts: &listCache[fogclient.Host]{
			class: "host", clock: clock, list: func(ctx context.Context) ([]fogclient.Host, error) {
				if client.FullListExpensive("host") {
					return nil, errFullListSkipped
				}
				return client.ListHosts(ctx)
			}, getByID: client.ReadHost,
			id: func(h *fogclient.Host) int64 { return h.ID }, suspect: fogclient.Host.IsZombie,
		},
		// Only the active tasks: /fog/task lists every task the server ever
		// ran, each with its full host, so it grows without bound. A task
		// missing from the active list is finished or gone, and its GET by
		// id says which.
		activeTasks: &listCache[fogclient.Task]{
			class: "task", clock: clock, list: client.ActiveTasks, getByID: client.GetTask,
			id: func(t *fogclient.Task) int64 { return t.ID }, suspect: func(fogclient.Task) bool { return false },
		},
		oss: &listCache[fogclient.OperatingSystem]{
			class: "os", clock: clock, list: client.OperatingSystems,
			id: func(o *fogclient.OperatingSystem) int64 { return o.ID },
		},
		// The MAC rows tell which of a host's MACs are pending (fog_host);
		// only read whole.
		macs: &listCache[fogclient.MACAssociation]{
			class: "macaddressassociation", clock: clock, list: client.ListMACAssociations,
			id: func(a *fogclient.MACAssociation) int64 { return a.ID },
		},
		groups: &listCache[fogclient.Group]{
			class: "group", clock: clock, list: client.ListGroups, getByID: client.GetGroup,
			id: func(g *fogclient.Group) int64 { return g.ID }, suspect: fogclient.Group.IsZombie,
		},
		// Membership is only visible as groupassociation rows (reference/fleet.md
		// §2.1): one list answers every group's and every host's members.
		memberships: &listCache[fogclient.GroupMembership]{
			class: "groupassociation", clock: clock, list: client.ListGroupMemberships,
			id: func(m *fogclient.GroupMembership) int64 { return m.ID },
		},
		scheduled: &listCache[fogclient.ScheduledTask]{
			class: "scheduledtask", clock: clock, list: client.ListScheduledTasks, getByID: client.GetScheduledTask,
			id: func(t *fogclient.ScheduledTask) int64 { return t.ID },
		},
		snapins: &listCache[fogclient.Snapin]{
			class: "snapin", clock: clock, list: client.ListSnapins, getByID: client.GetSnapin,
			id: func(s *fogclient.Snapin) int64 { return s.ID }, suspect: fogclient.Snapin.IsZombie,
		},
		storageGroups: &listCache[fogclient.StorageGroup]{
			class: "storagegroup", clock: clock, list: client.StorageGroups, getByID: client.GetStorageGroup,
			id: func(g *fogclient.StorageGroup) int64 { return g.ID }, suspect: fogclient.StorageGroup.IsZombie,
		},
		nodes: &listCache[fogclient.StorageNode]{
			class: "storagenode", clock: clock, list: client.ListStorageNodes, getByID: client.GetStorageNode,
			id: func(n *fogclient.StorageNode) int64 { return n.ID }, suspect: fogclient.StorageNode.IsZombie,
		},
		// Link rows (host-snapin, image-storage group): only read whole.
		snapinLinks: &listCache[fogclient.SnapinAssociation]{
			class: "snapinassociation", clock: clock,
			list: func(ctx context.Context) ([]fogclient.SnapinAssociation, error) {
				return client.SnapinAssociations(ctx, 0, 0)
			},
			id: func(a *fogclient.SnapinAssociation) int64 { return a.ID },
		},
		imageLinks: &listCache[fogclient.ImageAssociation]{
			class: "imageassociation", clock: clock,
			list: func(ctx context.Context) ([]fogclient.ImageAssociation, error) {
				return client.ImageAssociations(ctx, 0, 0)
			},
			id: func(a *fogclient.ImageAssociation) int64 { return a.ID },
		},
	}
}

// Image returns image id as FOG has it; fogclient.ErrNotFound when FOG has
// no such image (confirmed by a GET by id).
func (r *readCache) Image(ctx context.Context, id int64) (*fogclient.Image, error) {
	return r.images.get(ctx, id)
}

// Host returns host id as FOG has it; fogclient.ErrNotFound when FOG has
// no such host or cannot load it (confirmed by a GET by id).
func (r *readCache) Host(ctx context.Context, id int64) (*fogclient.Host, error) {
	return r.hosts.get(ctx, id)
}

// HostWithPendingMACs returns host id and those of its MACs that are
// pending (awaiting approval in FOG). The MAC rows are one list for every
// host of the operation, read only when a host has more than one MAC.
func (r *readCache) HostWithPendingMACs(ctx context.Context, id int64) (*fogclient.Host, []string, error) {
	host, err := r.hosts.get(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if len(host.MACs) <= 1 {
		return host, nil, nil
	}
	rows, err := r.macs.all(ctx)
	if err != nil {
		return nil, nil, err
	}
	return host, fogclient.PendingMACsIn(host, rows), nil
}

// Wrote reports whether this process has written to the server since the
// cache was made: the operation is an apply. Plan-time checks that the
// apply's creates and updates repeat anyway (an image name already taken, a
// host or image that does not exist) are then skipped: each write would make
// the next list stale again, and a list per check would cost far more than
// the check is worth.
func (r *readCache) Wrote() bool {
	return r.client.WriteCount() != r.startWrites
}

// ImagesNamed returns the listed images FOG takes for name
// (fogclient.SameName), as FindImagesByName would, for plan-time checks.
// Zombie rows, which hold their name too, are listed.
func (r *readCache) ImagesNamed(ctx context.Context, name string) ([]fogclient.Image, error) {
	all, err := r.images.all(ctx)
	if err != nil {
		return nil, err
	}
	var out []fogclient.Image
	for _, img := range all {
		if fogclient.SameName(img.Name, name) {
			out = append(out, img)
		}
	}
	return out, nil
}

// MACAssociations returns every MAC row (GET /fog/macaddressassociation).
func (r *readCache) MACAssociations(ctx context.Context) ([]fogclient.MACAssociation, error) {
	return r.macs.all(ctx)
}

// Hosts returns every host FOG lists (GET /fog/host).
func (r *readCache) Hosts(ctx context.Context) ([]fogclient.Host, error) {
	return r.hosts.all(ctx)
}

// Task returns task id: from the active task list when it is active, else
// by a GET by id (finished tasks); fogclient.ErrNotFound when FOG has no
// such task (deleted, for example with its host).
func (r *readCache) Task(ctx context.Context, id int64) (*fogclient.Task, error) {
	return r.activeTasks.get(ctx, id)
}

// ActiveTasks returns FOG's active tasks (GET /fog/task/active).
func (r *readCache) ActiveTasks(ctx context.Context) ([]fogclient.Task, error) {
	return r.activeTasks.all(ctx)
}

// OperatingSystems returns FOG's operating systems (GET /fog/os).
func (r *readCache) OperatingSystems(ctx context.Context) ([]fogclient.OperatingSystem, error) {
	return r.oss.all(ctx)
}

// Group returns group id as FOG has it; fogclient.ErrNotFound when FOG has
// no such group (confirmed by a GET by id).
func (r *readCache) Group(ctx context.Context, id int64) (*fogclient.Group, error) {
	return r.groups.get(ctx, id)
}

// Groups returns every group FOG lists (GET /fog/group).
func (r *readCache) Groups(ctx context.Context) ([]fogclient.Group, error) {
	return r.groups.all(ctx)
}

// GroupsNamed returns the listed groups FOG takes for name
// (fogclient.SameName), for plan-time checks.
func (r *readCache) GroupsNamed(ctx context.Context, name string) ([]fogclient.Group, error) {
	all, err := r.groups.all(ctx)
	if err != nil {
		return nil, err
	}
	var out []fogclient.Group
	for _, g := range all {
		if fogclient.SameName(g.Name, name) {
			out = append(out, g)
		}
	}
	return out, nil
}

// GroupMemberships returns every membership row (GET /fog/groupassociation).
func (r *readCache) GroupMemberships(ctx context.Context) ([]fogclient.GroupMembership, error) {
	return r.memberships.all(ctx)
}

// GroupMemberIDs returns the member host ids of a group, in membership order.
func (r *readCache) GroupMemberIDs(ctx context.Context, groupID int64) ([]int64, error) {
	rows, err := r.memberships.all(ctx)
	if err != nil {
		return nil, err
	}
	return fogclient.MemberIDs(rows, groupID), nil
}

// ScheduledTask returns scheduled task id; fogclient.ErrNotFound when FOG
// has no such row (confirmed by a GET by id).
func (r *readCache) ScheduledTask(ctx context.Context, id int64) (*fogclient.ScheduledTask, error) {
	return r.scheduled.get(ctx, id)
}

// Snapin returns snapin id as FOG has it; fogclient.ErrNotFound when FOG has
// no such snapin (confirmed by a GET by id).
func (r *readCache) Snapin(ctx context.Context, id int64) (*fogclient.Snapin, error) {
	return r.snapins.get(ctx, id)
}

// Snapins returns every snapin FOG lists (GET /fog/snapin).
func (r *readCache) Snapins(ctx context.Context) ([]fogclient.Snapin, error) {
	return r.snapins.all(ctx)
}

// StorageGroup returns storage group id as FOG has it.
func (r *readCache) StorageGroup(ctx context.Context, id int64) (*fogclient.StorageGroup, error) {
	return r.storageGroups.get(ctx, id)
}

// StorageGroups returns every storage group (GET /fog/storagegroup).
func (r *readCache) StorageGroups(ctx context.Context) ([]fogclient.StorageGroup, error) {
	return r.storageGroups.all(ctx)
}

// StorageNode returns storage node id as FOG has it (never its password).
func (r *readCache) StorageNode(ctx context.Context, id int64) (*fogclient.StorageNode, error) {
	return r.nodes.get(ctx, id)
}

// StorageNodes returns every storage node (GET /fog/storagenode).
func (r *readCache) StorageNodes(ctx context.Context) ([]fogclient.StorageNode, error) {
	return r.nodes.all(ctx)
}

// SnapinLinks returns every host-snapin link (GET /fog/snapinassociation).
func (r *readCache) SnapinLinks(ctx context.Context) ([]fogclient.SnapinAssociation, error) {
	return r.snapinLinks.all(ctx)
}

// ImageLinks returns every image-storage group link (GET /fog/imageassociation).
func (r *readCache) ImageLinks(ctx context.Context) ([]fogclient.ImageAssociation, error) {
	return r.imageLinks.all(ctx)
}

// listClock decides whether a list is still current.
type listClock struct {
	maxAge     time.Duration
	now        func() time.Time
	generation func(class string) uint64
}

// listCache is the cached list of one FOG class.
type listCache[T any] struct {
	class   string // FOG class; its write generation invalidates the list
	clock   listClock
	list    func(context.Context) ([]T, error)
	getByID func(context.Context, int64) (*T, error) // nil: the class is only read whole
	id      func(*T) int64
	suspect func(T) bool // a listed row FOG might answer 404 for by id; nil: none

	mu      sync.Mutex
	current *listView[T]
	flight  singleflight.Group

	afterMiss func() // tests: runs between a miss and the flight
}

// listView is one list as fetched, with the GETs by id that confirmed
// objects it lacks or shows oddly.
type listView[T any] struct {
	generation uint64
	fetchedAt  time.Time // when the request started
	items      []T
	byID       map[int64]int
	err        error // the list request failed: reads fall back to GETs by id

	mu        sync.Mutex
	confirmed map[int64]confirmation[T]
}

type confirmation[T any] struct {
	item     *T    // nil when FOG answered 404
	notFound error // FOG's 404, as the GET returned it
}

// view returns a current list, fetching it (once for all concurrent
// callers) when there is none. The error is only ctx's.
func (c *listCache[T]) view(ctx context.Context) (*listView[T], error) {
	gen := c.clock.generation(c.class)
	if v := c.fresh(gen); v != nil {
		return v, nil
	}
	if c.afterMiss != nil {
		c.afterMiss()
	}
	// The key carries the generation: a read that starts after a write
	// never joins a list request that started before it.
	ch := c.flight.DoChan("list@"+strconv.FormatUint(gen, 10), func() (any, error) {
		// A flight for this generation may have ended between the check
		// above and DoChan: use its list rather than fetch another.
		if v := c.fresh(gen); v != nil {
			return v, nil
		}
		return c.fetch(context.WithoutCancel(ctx), gen), nil
	})
	select {
	case res := <-ch:
		nv, _ := res.Val.(*listView[T])
		return nv, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// fresh returns the current list when it is of generation gen and not too
// old, else nil.
func (c *listCache[T]) fresh(gen uint64) *listView[T] {
	c.mu.Lock()
	v := c.current
	c.mu.Unlock()
	if v != nil && v.generation == gen && c.clock.now().Sub(v.fetchedAt) <= c.clock.maxAge {
		return v
	}
	return nil
}

// fetch lists the class. It runs without the caller's cancellation: other
// reads may be waiting for it (the client's timeouts still bound it).
func (c *listCache[T]) fetch(ctx context.Context, gen uint64) *listView[T] {
	v := &listView[T]{generation: gen, fetchedAt: c.clock.now()}
	items, err := c.list(ctx)
	if errors.Is(err, errFullListSkipped) {
		v.err = err
		tflog.Debug(ctx, "not listing the whole class; reading by ids", map[string]any{"class": c.class})
	} else if err != nil {
		v.err = err
		tflog.Warn(ctx, "listing failed; each refresh reads its object by id instead", map[string]any{
			"class": c.class, "error": err.Error(),
		})
	} else {
		v.items = items
		v.byID = make(map[int64]int, len(items))
		for i := range items {
			if id := c.id(&items[i]); id > 0 {
				if _, dup := v.byID[id]; !dup {
					v.byID[id] = i
				}
			}
		}
		tflog.Debug(ctx, "listed for refresh", map[string]any{"class": c.class, "count": len(items)})
	}
	c.mu.Lock()
	// Keep it only if nothing was written meanwhile; the readers waiting
	// for it started before any such write ended, so they may still use it.
	if c.clock.generation(c.class) == gen {
		c.current = v
	}
	c.mu.Unlock()
	return v
}

// all returns the whole list.
func (c *listCache[T]) all(ctx context.Context) ([]T, error) {
	v, err := c.view(ctx)
	if err != nil {
		return nil, err
	}
	if v.err != nil {
		return nil, v.err
	}
	return append([]T(nil), v.items...), nil
}

// get returns one object from the list when it is there and looks loadable,
// else from a GET by id.
func (c *listCache[T]) get(ctx context.Context, id int64) (*T, error) {
	v, err := c.view(ctx)
	if err != nil {
		return nil, err
	}
	if v.err == nil {
		if i, ok := v.byID[id]; ok && (c.suspect == nil || !c.suspect(v.items[i])) {
			item := v.items[i]
			tflog.Trace(ctx, "refreshed from the list", map[string]any{"class": c.class, "id": id})
			return &item, nil
		}
	}
	return c.confirm(ctx, v, id)
}

// confirm reads id with a GET by id, once per list view for all concurrent
// callers, and remembers a found object or a 404 for the view.
func (c *listCache[T]) confirm(ctx context.Context, v *listView[T], id int64) (*T, error) {
	if c.getByID == nil {
		return nil, fmt.Errorf("%s %d: this class is only read as a whole list", c.class, id)
	}
	v.mu.Lock()
	known, done := v.confirmed[id]
	v.mu.Unlock()
	if !done {
		key := "get@" + strconv.FormatUint(v.generation, 10) + "/" + strconv.FormatInt(v.fetchedAt.UnixNano(), 10) + "/" + strconv.FormatInt(id, 10)
		ch := c.flight.DoChan(key, func() (any, error) {
			// Another flight may have confirmed id since the check above.
			v.mu.Lock()
			known, done := v.confirmed[id]
			v.mu.Unlock()
			if done {
				return known, nil
			}
			item, err := c.getByID(context.WithoutCancel(ctx), id)
			if err != nil && !errors.Is(err, fogclient.ErrNotFound) {
				return nil, err // not remembered: the next read asks again
			}
			if err == nil {
				tflog.Debug(ctx, "read by id: missing from the list or listed in a form FOG cannot load", map[string]any{"class": c.class, "id": id})
			}
			conf := confirmation[T]{item: item, notFound: err}
			v.mu.Lock()
			if v.confirmed == nil {
				v.confirmed = map[int64]confirmation[T]{}
			}
			v.confirmed[id] = conf
			v.mu.Unlock()
			return conf, nil
		})
		select {
		case res := <-ch:
			if res.Err != nil {
				return nil, res.Err
			}
			known, _ = res.Val.(confirmation[T])
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if known.item == nil {
		return nil, known.notFound
	}
	item := *known.item
	return &item, nil
}
