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
	gate       batchGate
	hosts      *coalescer[int64, hostRead]
	imageHosts *coalescer[int64, imageHostsRead]
}

// imageHostsRead is what a batched "which hosts have this image" list
// showed of one image, and when the list was sent.
type imageHostsRead struct {
	hosts []Host
	sent  time.Time
}

func (c *Client) reads() *coalescedReads {
	c.batched.once.Do(func() {
		window := c.coalesceWindow
		c.batched.hosts = newCoalescer(window, DefaultCoalesceChunk, c.fetchHostsByID)
		c.batched.imageHosts = newCoalescer(window, DefaultCoalesceChunk, c.fetchHostsByImage)
		c.batched.hosts.gate = &c.batched.gate
		c.batched.imageHosts.gate = &c.batched.gate
		c.batched.gate.register(c.batched.hosts.flush)
		c.batched.gate.register(c.batched.imageHosts.flush)
	})
	return &c.batched
}

// hostRead is one host of a batch: the host, or the answer of its GET by id.
type hostRead struct {
	host Host
	byID bool  // read by id: FOG's own answer, nothing to confirm
	err  error // of the GET by id: ErrNotFound or its failure
}

// smallBatch is the largest batch read with GETs by id, concurrently: a list
// would save at most one request, and a GET by id is FOG's own answer (a
// 404 needs no confirmation).
const smallBatch = 2

func (c *Client) fetchHostsByID(ctx context.Context, ids []int64) (map[int64]hostRead, error) {
	if len(ids) <= smallBatch {
		out := make(map[int64]hostRead, len(ids))
		var mu sync.Mutex
		var wg sync.WaitGroup
		for _, id := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				h, err := c.GetHost(ctx, id)
				r := hostRead{byID: true, err: err}
				if h != nil {
					r.host = *h
				}
				mu.Lock()
				out[id] = r
				mu.Unlock()
			}()
		}
		wg.Wait()
		return out, nil
	}
	hosts, err := c.ListHostsByID(ctx, ids)
	if err != nil {
		c.lists.noteFailure("host", "id", err)
		return nil, err
	}
	out := make(map[int64]hostRead, len(hosts))
	for _, h := range hosts {
		if _, dup := out[h.ID]; !dup {
			out[h.ID] = hostRead{host: h}
		}
	}
	return out, nil
}

func (c *Client) fetchHostsByImage(ctx context.Context, imageIDs []int64) (map[int64]imageHostsRead, error) {
	gen := c.unassigned.generation()
	sent := time.Now()
	answered := c.unassigned.sending(imageIDs, sent)
	defer answered()
	hosts, err := c.hostList(ctx, "/host", map[string]any{"imageID": imageIDs})
	if err != nil {
		c.lists.noteFailure("host", "imageID", err)
		return nil, err
	}
	want := idSet(imageIDs)
	out := make(map[int64]imageHostsRead, len(imageIDs))
	// Every asked image has an answer, possibly no host.
	for _, id := range imageIDs {
		out[id] = imageHostsRead{sent: sent}
	}
	for _, h := range hosts {
		if want[h.ImageID] {
			r := out[h.ImageID]
			r.hosts = append(r.hosts, h)
			out[h.ImageID] = r
		}
	}
	c.unassigned.seen(out, gen)
	return out, nil
}

// Working marks an operation of the caller in progress (a Terraform
// resource's Create, Read, Update or Delete that may read hosts) until done
// is called. Batched reads are sent as soon as every operation in progress
// waits for one, instead of at the end of the coalescing window.
func (c *Client) Working() (done func()) {
	g := &c.reads().gate
	g.work(1)
	var once sync.Once
	return func() { once.Do(func() { g.work(-1) }) }
}

// ReadHost reads host id like GetHost, merged with the concurrent reads of
// other hosts into one filtered list ({"id":[...]}, coalesce.go). A host the
// list lacks or shows in a form FOG cannot load (Host.IsZombie) is read by
// id, so ErrNotFound is always a GET by id's 404. When FOG fails to build
// the filtered list (a PHP fatal, HTTP 500), every read of the batch falls
// back to a GET by id, and this process does not send such a list again;
// when FOG cannot be reached (failsEveryRequest), the batch's error is every
// read's.
func (c *Client) ReadHost(ctx context.Context, id int64) (*Host, error) {
	if err := checkID("host", id); err != nil {
		return nil, err
	}
	if c.coalesceWindow < 0 || c.lists.failed("host", "id") {
		return c.GetHost(ctx, id)
	}
	r, found, err := c.reads().hosts.get(ctx, id)
	h := r.host
	switch {
	case err == nil && found && r.byID:
		if r.err != nil {
			return nil, r.err // a small batch, read by id: FOG's answer
		}
		return &h, nil
	case err != nil && failsEveryRequest(err):
		// FOG down, the network, the tokens, ctx: a GET by id would meet
		// the same.
		return nil, err
	case err != nil || !found || h.IsZombie():
		return c.GetHost(ctx, id)
	}
	return &h, nil
}

// ReadHostsWithImage is HostsWithImage merged with the concurrent calls for
// other images into one filtered list ({"imageID":[...]}). Its answer is as
// fresh as HostsWithImage's sent at the moment of the call (at most the
// coalescing window later); a batch FOG failed to build falls back to
// HostsWithImage.
func (c *Client) ReadHostsWithImage(ctx context.Context, imageID int64) ([]Host, error) {
	hosts, _, err := c.readHostsWithImage(ctx, imageID)
	return hosts, err
}

// readHostsWithImage is ReadHostsWithImage, with the time the list that
// answered was sent; a batched list also asks for the extra images.
func (c *Client) readHostsWithImage(ctx context.Context, imageID int64, extra ...int64) ([]Host, time.Time, error) {
	if err := checkID("image", imageID); err != nil {
		return nil, time.Time{}, err
	}
	sent := time.Now()
	if c.coalesceWindow < 0 || c.lists.failed("host", "imageID") {
		hosts, err := c.HostsWithImage(ctx, imageID)
		return hosts, sent, err
	}
	r, _, err := c.reads().imageHosts.get(ctx, imageID, extra...)
	if err != nil && failsEveryRequest(err) {
		return nil, time.Time{}, err // FOG down, the network, the tokens, ctx: a list of one image would meet the same
	}
	if err != nil {
		sent = time.Now()
		hosts, err := c.HostsWithImage(ctx, imageID)
		return hosts, sent, err
	}
	return append([]Host(nil), r.hosts...), r.sent, nil
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

// failsEveryRequest reports whether err would fail any other request as
// well (FOG unreachable or down, the credentials, the caller's context), so
// that reading the batch's objects one by one would only repeat it.
func failsEveryRequest(err error) bool {
	for _, kind := range []error{ErrUnavailable, ErrNoResponse, ErrUnauthorized, ErrForbidden, ErrAPIDisabled,
		ErrHTTPSRequired, ErrRedirect, context.Canceled, context.DeadlineExceeded} {
		if errors.Is(err, kind) {
			return true
		}
	}
	return false
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

// Large lists. FOG 1.5.9 renders a whole list in PHP: about 1 ms and 2 KB
// per host, and a list of some 4,000 hosts exhausts the default
// memory_limit (256M) and answers a PHP fatal. A full list that failed that
// way, or that was as large or as slow as the limits below, is not asked
// for again by this process: reads of single objects then use filtered
// lists of the ids wanted (ReadHost), whose cost follows what is managed.
const (
	// FullListMaxRows is the most rows a full list may have had to be
	// asked for again.
	FullListMaxRows = 2000
	// FullListMaxTime is the longest a full list may have taken to be
	// asked for again.
	FullListMaxTime = 2 * time.Second
)

// FullListExpensive reports whether this process saw the full list of
// class fail on the server's side, or come back with more than
// FullListMaxRows rows or after more than FullListMaxTime; for hosts, also
// whether the configuration declares a large server (Config.LargeServer).
func (c *Client) FullListExpensive(class string) bool {
	if class == "host" && c.largeServer {
		return true
	}
	o, ok := c.lists.get(class, "")
	return ok && (o.Failed || o.Rows > FullListMaxRows || o.Took > FullListMaxTime)
}

// UnassignImageIfStill sets host hostID's image to 0 only while it is
// imageID, like AssignImageIf with that decision, but reads the host through
// the batched "which hosts have this image" list (ReadHostsWithImage) that
// the deletes of concurrent assignments and images share: a host that list
// shows with imageID is read as fresh as by its own GET; a host it does not
// show is read by id (ReadHost) to tell another image from a missing host.
// after is nil when the host no longer has imageID.
func (c *Client) UnassignImageIfStill(ctx context.Context, hostID, imageID int64) (before, after *Host, err error) {
	if err := checkID("host", hostID); err != nil {
		return nil, nil, err
	}
	if imageID <= 0 || c.coalesceWindow < 0 {
		return c.AssignImageIf(ctx, hostID, 0, func(cur *Host) bool { return cur.ImageID == imageID })
	}
	unlockRow, err := c.locks.lock(ctx, hostRowLockKey(hostID))
	if err != nil {
		return nil, nil, &Error{Kind: err, Method: http.MethodPut, Route: c.route(idPath("host", hostID, "/edit"))}
	}
	defer unlockRow()
	var cur *Host
	others := 0 // other hosts the list showed with imageID
	gen := c.unassigned.generation()
	hosts, sent, err := c.readHostsWithImage(ctx, imageID)
	if err == nil {
		for i := range hosts {
			switch {
			case hosts[i].ID == hostID && !hosts[i].IsZombie():
				cur = &hosts[i]
			case hosts[i].ImageID == imageID:
				others++
			}
		}
	} else if ctx.Err() != nil {
		return nil, nil, err
	}
	listed := cur != nil
	if cur == nil {
		if cur, err = c.ReadHost(ctx, hostID); err != nil {
			return nil, nil, err
		}
	}
	if cur.ImageID != imageID {
		return cur, nil, nil
	}
	zero := int64(0)
	in := HostUpdate{ImageID: &zero}
	after, err = c.putHost(ctx, hostID, in, hostUpdateBody(cur, in))
	if err == nil && listed && others == 0 && after != nil && after.ImageID == 0 {
		c.unassigned.note(imageID, sent, gen)
	}
	return cur, after, err
}

// ---- the check before an image's delete ----

// UnassignListReuse is how old a list of an image's hosts may be for
// HostsLeftOnImage to answer from it instead of sending one of its own.
//
// The cost, stated: FOG's image delete silently resets every host that has
// the image to no image (reference/fog-api.md, edge recordings 435-437),
// which is why the provider lists those hosts first and refuses. With a
// list of its own, a host assigned to the image outside this process
// between that list and the DELETE (one request, about 70 ms on a real
// FOG) would be reset. Answered from an earlier list, that window is at
// most UnassignListReuse plus the DELETE's own time. In exchange, the
// destroy of images with their fog_host_image_assignment sends one list
// for many images instead of one per batch of Terraform's parallelism
// (bench/README.md).
const UnassignListReuse = time.Second

// unassignLog remembers the images this process moved a host off
// (UnassignImageIfStill) while the list it read showed no other host with
// them: the images whose delete is likely to follow. Every batched list of
// images' hosts asks for them too (up to the batch's size), and each record
// keeps when a list last showed the image without hosts: what
// HostsLeftOnImage may reuse.
type unassignLog struct {
	mu  sync.Mutex
	gen int64 // image assignments written by this process (AssignImage, host creates)
	m   map[int64]unassignRecord
}

type unassignRecord struct {
	sent time.Time // when a list last showed the image without hosts
	gen  int64     // assignments written before that list was sent
	// A list asking for the image, sent at asked, not answered yet:
	// answered is closed when its answer has updated the record.
	asked    time.Time
	answered <-chan struct{}
}

// unassignRecordsMax bounds the records kept (a destroy of that many
// assignments at once is far beyond a FOG server's size).
const unassignRecordsMax = 10000

func (l *unassignLog) generation() int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.gen
}

// assigned notes a write of this process that may give a host an image:
// every list read before it is void.
func (l *unassignLog) assigned() {
	l.mu.Lock()
	l.gen++
	l.mu.Unlock()
}

// note records that imageID's only host was moved off it after a list sent
// at sent, with gen assignments written before it.
func (l *unassignLog) note(imageID int64, sent time.Time, gen int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.m == nil {
		l.m = map[int64]unassignRecord{}
	}
	if len(l.m) < unassignRecordsMax {
		l.m[imageID] = unassignRecord{sent: sent, gen: gen}
	}
}

// pending returns up to n recorded images other than except: the keys a
// batched list adds for the deletes to come.
func (l *unassignLog) pending(except int64, n int) []int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]int64, 0, min(n, len(l.m)))
	for id := range l.m {
		if len(out) == n {
			break
		}
		if id != except {
			out = append(out, id)
		}
	}
	return out
}

// seen updates the records of the images a list answered for, with gen
// assignments written before it was sent: an image it showed with hosts
// loses its record (its delete's check reads again and finds them).
func (l *unassignLog) seen(answers map[int64]imageHostsRead, gen int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for id, r := range l.m {
		a, ok := answers[id]
		switch {
		case !ok || a.sent.Before(r.sent):
		case len(a.hosts) > 0:
			delete(l.m, id)
		default:
			l.m[id] = unassignRecord{sent: a.sent, gen: gen}
		}
	}
}

// sending marks the recorded images among ids as asked for by a list sent
// at sent; the returned func, called once the answer has updated the
// records (seen), releases the reads waiting for it (answerFor).
func (l *unassignLog) sending(ids []int64, sent time.Time) (answered func()) {
	ch := make(chan struct{})
	l.mu.Lock()
	for _, id := range ids {
		if r, ok := l.m[id]; ok {
			r.asked, r.answered = sent, ch
			l.m[id] = r
		}
	}
	l.mu.Unlock()
	return func() { close(ch) }
}

// answerFor returns the channel of a list asking for imageID that was sent
// at most maxAge ago and has not been answered (nil: none). Its answer is
// as good as a recorded one for take: a list sent at most maxAge ago.
func (l *unassignLog) answerFor(imageID int64, maxAge time.Duration) <-chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	r, ok := l.m[imageID]
	if !ok || r.answered == nil || time.Since(r.asked) > maxAge {
		return nil
	}
	select {
	case <-r.answered:
		return nil // answered: the record says what it showed
	default:
		return r.answered
	}
}

// take reports whether a list sent at most maxAge ago showed imageID
// without hosts, with no assignment written since; it forgets the record
// when it does (the image's delete follows) and when forget is set.
func (l *unassignLog) take(imageID int64, maxAge time.Duration, forget bool) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	r, ok := l.m[imageID]
	fresh := ok && r.gen == l.gen && time.Since(r.sent) <= maxAge
	if fresh || forget {
		delete(l.m, imageID)
	}
	return fresh
}

// HostsLeftOnImage returns the hosts that have imageID, for the check before
// deleting the image. When this process moved the image's only host off it
// (UnassignImageIfStill), and a list sent at most UnassignListReuse ago
// showed the image without hosts, with no image assignment written by this
// process since, the answer is that list's (no host; reused is true) and no
// request is sent. Otherwise it is a batched list's (ReadHostsWithImage)
// that also asks for the other images this process moved hosts off, whose
// deletes are likely to follow; the caller counts as an operation in
// progress for the batching (Working) meanwhile.
func (c *Client) HostsLeftOnImage(ctx context.Context, imageID int64) (hosts []Host, reused bool, err error) {
	if err := checkID("image", imageID); err != nil {
		return nil, false, err
	}
	if c.unassigned.take(imageID, UnassignListReuse, false) {
		return nil, true, nil
	}
	// A list already on its way asks for this image too (it was pending,
	// an extra key of another check's batch): its answer is fresher than
	// any record take would accept.
	if answered := c.unassigned.answerFor(imageID, UnassignListReuse); answered != nil {
		select {
		case <-answered:
		case <-ctx.Done():
			return nil, false, ctx.Err()
		}
		if c.unassigned.take(imageID, UnassignListReuse, false) {
			return nil, true, nil
		}
	}
	defer c.Working()()
	defer c.unassigned.take(imageID, 0, true)
	hosts, _, err = c.readHostsWithImage(ctx, imageID, c.unassigned.pending(imageID, DefaultCoalesceChunk/2)...)
	return hosts, false, err
}

// ListHostsWhere lists the hosts matching filter, which FOG applies in SQL
// (reference/fog-api.md §4.5: keys are host fields, conditions ANDed, an
// array is IN, a string with % is LIKE). A nil or empty filter is the full
// list (ListHosts). FOG renders only the matching rows, so a filtered list
// works on servers whose full list exhausts PHP's memory_limit.
func (c *Client) ListHostsWhere(ctx context.Context, filter map[string]any) ([]Host, error) {
	if len(filter) == 0 {
		return c.ListHosts(ctx)
	}
	return c.hostList(ctx, "/host", filter)
}
