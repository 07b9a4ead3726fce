// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

// The read cache against the emulator: what it answers (the same as a
// GET by id, always) and how many requests that costs (the emulator's
// per-route counters). Time is a fake clock; nothing sleeps.

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
	"github.com/fogproject/terraform-provider-fog/internal/fogtest"
)

type readCacheHarness struct {
	srv    *fogtest.Server
	client *fogclient.Client
	cache  *readCache

	mu  sync.Mutex
	now time.Time
}

func newReadCacheHarness(t *testing.T) *readCacheHarness {
	t.Helper()
	h := &readCacheHarness{srv: fogtest.New(fogtest.Options{}), now: time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)}
	h.client = h.newClient(t)
	h.cache = newReadCache(h.client, readCacheMaxAge, h.clock)
	return h
}

// newClient serves the emulator on a URL of its own: a client of another
// URL is like another process (its writes are not this client's).
func (h *readCacheHarness) newClient(t *testing.T) *fogclient.Client {
	t.Helper()
	ts := httptest.NewServer(h.srv)
	t.Cleanup(ts.Close)
	cfg := fogclient.DefaultConfig()
	cfg.ServerURL, cfg.APIToken, cfg.UserToken = ts.URL, h.srv.APITokenHeader(), h.srv.UserTokenHeader()
	cfg.RetryWaitMin, cfg.RetryWaitMax = time.Millisecond, 2*time.Millisecond
	cfg.RetryMaxWait = 0 // a failing list is retried max_retries times, not for a minute
	c, err := fogclient.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (h *readCacheHarness) clock() time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.now
}

func (h *readCacheHarness) advance(d time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.now = h.now.Add(d)
}

// expectCounts checks emulator route counters (routes not named must be 0
// only when listed with 0).
func (h *readCacheHarness) expectCounts(t *testing.T, step string, want map[string]int64) {
	t.Helper()
	for route, n := range want {
		if got := h.srv.Count(route); got != n {
			t.Errorf("%s: %s: %d requests, want %d (all: %v)", step, route, got, n, h.srv.Counters())
		}
	}
}

func (h *readCacheHarness) seedImages(t *testing.T, n int) []int64 {
	t.Helper()
	ids := make([]int64, n)
	for i := range ids {
		id, err := h.srv.SeedImage(fmt.Sprintf("snap-img-%03d", i))
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = id
	}
	return ids
}

func (h *readCacheHarness) seedHosts(t *testing.T, imageIDs []int64) []int64 {
	t.Helper()
	ids := make([]int64, len(imageIDs))
	for i, img := range imageIDs {
		id, err := h.srv.SeedHost(fmt.Sprintf("snap-h%03d", i), img, fmt.Sprintf("02:00:00:00:%02x:%02x", i/256, i%256))
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = id
	}
	return ids
}

// TestReadCache_parallelReadsShareOneListPerClass: Terraform refreshes in
// parallel; 100 images and 100 hosts cost one list request each, no GET by
// id, and every answer equals what a GET by id returns.
func TestReadCache_parallelReadsShareOneListPerClass(t *testing.T) {
	h := newReadCacheHarness(t)
	images := h.seedImages(t, 100)
	hosts := h.seedHosts(t, images)
	ctx := context.Background()

	type result struct {
		image *fogclient.Image
		host  *fogclient.Host
	}
	results := make([]result, len(images))
	var wg sync.WaitGroup
	errs := make(chan error, 2*len(images))
	for i := range images {
		wg.Add(2)
		go func() {
			defer wg.Done()
			img, err := h.cache.Image(ctx, images[i])
			results[i].image = img
			errs <- err
		}()
		go func() {
			defer wg.Done()
			host, err := h.cache.Host(ctx, hosts[i])
			results[i].host = host
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	h.expectCounts(t, "parallel refresh", map[string]int64{routeListImages: 1, routeListHosts: 1, routeGetImage: 0, routeGetHost: 0})

	for i, r := range results {
		byID, err := h.client.GetImage(ctx, images[i])
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprintf("%+v", *r.image) != fmt.Sprintf("%+v", *byID) {
			t.Errorf("image %d from the list differs from GET by id:\n list %+v\n get  %+v", images[i], *r.image, *byID)
		}
		host, err := h.client.GetHost(ctx, hosts[i])
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprintf("%+v", *r.host) != fmt.Sprintf("%+v", *host) {
			t.Errorf("host %d from the list differs from GET by id:\n list %+v\n get  %+v", hosts[i], *r.host, *host)
		}
		if r.host.ImageID != images[i] {
			t.Errorf("host %d: image %d, want %d", hosts[i], r.host.ImageID, images[i])
		}
	}
}

// TestReadCache_flightEndedBetweenMissAndJoin: a read that finds no list,
// while another read's list request starts and ends before it joins the
// flight, uses that list instead of sending a second request.
func TestReadCache_flightEndedBetweenMissAndJoin(t *testing.T) {
	h := newReadCacheHarness(t)
	images := h.seedImages(t, 2)
	ctx := context.Background()
	var first atomic.Bool
	h.cache.images.afterMiss = func() {
		if first.CompareAndSwap(false, true) {
			if _, err := h.cache.Image(ctx, images[1]); err != nil {
				t.Error(err)
			}
		}
	}
	if _, err := h.cache.Image(ctx, images[0]); err != nil {
		t.Fatal(err)
	}
	h.expectCounts(t, "two reads, one after the other's list", map[string]int64{routeListImages: 1, routeGetImage: 0})
}

// TestReadCache_createdAndReadBackSeesItself: a write through the provider's
// client drops the list, so an object created, changed or deleted in the
// same operation is read as it now is.
func TestReadCache_createdAndReadBackSeesItself(t *testing.T) {
	h := newReadCacheHarness(t)
	ctx := context.Background()
	first := h.seedImages(t, 1)[0]
	if _, err := h.cache.Image(ctx, first); err != nil {
		t.Fatal(err)
	}
	h.expectCounts(t, "first read", map[string]int64{routeListImages: 1})

	created, err := h.client.CreateImage(ctx, fogclient.ImageCreate{Name: "snap-new", Path: "snap-new", ImageTypeID: 1, OSID: 9, Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	got, err := h.cache.Image(ctx, created.ID)
	if err != nil {
		t.Fatalf("image created in this operation not seen: %v", err)
	}
	if got.Name != "snap-new" {
		t.Errorf("read back %+v", got)
	}
	h.expectCounts(t, "read after create", map[string]int64{routeListImages: 2, routeGetImage: 0})

	desc := "changed by this operation"
	if _, err := h.client.UpdateImage(ctx, created.ID, fogclient.ImageUpdate{Description: &desc}); err != nil {
		t.Fatal(err)
	}
	if got, err := h.cache.Image(ctx, created.ID); err != nil || got.Description != desc {
		t.Errorf("read after update: %+v, %v", got, err)
	}
	getsBefore := h.srv.Count(routeGetImage) // UpdateImage reads the image first
	h.expectCounts(t, "read after update", map[string]int64{routeListImages: 3})

	if err := h.client.DeleteImage(ctx, created.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := h.cache.Image(ctx, created.ID); !errors.Is(err, fogclient.ErrNotFound) {
		t.Errorf("read after delete: %v, want not found", err)
	}
	// Missing from the new list, so confirmed by one GET by id.
	h.expectCounts(t, "read after delete", map[string]int64{routeListImages: 4, routeGetImage: getsBefore + 1})
	// The confirmation is remembered for the rest of the list's life.
	if _, err := h.cache.Image(ctx, created.ID); !errors.Is(err, fogclient.ErrNotFound) {
		t.Errorf("second read after delete: %v", err)
	}
	h.expectCounts(t, "second read after delete", map[string]int64{routeListImages: 4, routeGetImage: getsBefore + 1})
}

// TestReadCache_writeSideEffects: deleting an image changes the hosts that
// used it (FOG resets their imageID), so it drops the host list too;
// deleting a host deletes its tasks, so it drops the task list; a write
// that cannot change a class keeps its list.
func TestReadCache_writeSideEffects(t *testing.T) {
	h := newReadCacheHarness(t)
	ctx := context.Background()
	images := h.seedImages(t, 2)
	hosts := h.seedHosts(t, images)

	if host, err := h.cache.Host(ctx, hosts[0]); err != nil || host.ImageID != images[0] {
		t.Fatalf("host before: %+v %v", host, err)
	}
	if _, err := h.cache.Image(ctx, images[1]); err != nil {
		t.Fatal(err)
	}
	h.expectCounts(t, "before", map[string]int64{routeListHosts: 1, routeListImages: 1})

	if err := h.client.DeleteImage(ctx, images[0]); err != nil {
		t.Fatal(err)
	}
	host, err := h.cache.Host(ctx, hosts[0])
	if err != nil {
		t.Fatal(err)
	}
	if host.ImageID != 0 {
		t.Errorf("after deleting its image the host still shows image %d", host.ImageID)
	}
	h.expectCounts(t, "host after image delete", map[string]int64{routeListHosts: 2, routeGetHost: 0})

	// A task for host 2: changes tasks, not images or hosts.
	task, err := h.client.CreateHostTask(ctx, hosts[1], fogclient.TaskCreate{TypeID: fogclient.TaskTypeDeploy})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.cache.Image(ctx, images[1]); err != nil {
		t.Fatal(err)
	}
	if _, err := h.cache.Host(ctx, hosts[1]); err != nil {
		t.Fatal(err)
	}
	h.expectCounts(t, "image and host after a task write", map[string]int64{routeListImages: 2, routeListHosts: 2})
	// (the image delete above dropped the image list once: 2)

	got, err := h.cache.Task(ctx, task.ID)
	if err != nil || got.StateID != fogclient.TaskStateQueued {
		t.Fatalf("active task: %+v %v", got, err)
	}
	// CreateHostTask reads the active list twice (the host's tasks before
	// sending, to recognise its own task after a lost answer, and the new
	// task after), the cache once.
	h.expectCounts(t, "active task from the list", map[string]int64{routeActive: 3, routeGetTask: 0})

	if err := h.client.DeleteHost(ctx, hosts[1]); err != nil {
		t.Fatal(err)
	}
	if _, err := h.cache.Task(ctx, task.ID); !errors.Is(err, fogclient.ErrNotFound) {
		t.Errorf("task of a deleted host: %v, want not found", err)
	}
	h.expectCounts(t, "task after host delete", map[string]int64{routeActive: 4, routeGetTask: 1})
}

// TestReadCache_outOfBandChangesAndMaxAge: a change made by someone else is
// not seen by the list this operation already has (a refresh is one moment),
// but a list is never used once it is older than readCacheMaxAge.
func TestReadCache_outOfBandChangesAndMaxAge(t *testing.T) {
	h := newReadCacheHarness(t)
	ctx := context.Background()
	id := h.seedImages(t, 1)[0]
	other := h.newClient(t)

	if _, err := h.cache.Image(ctx, id); err != nil {
		t.Fatal(err)
	}
	desc := "changed in the FOG UI"
	if _, err := other.UpdateImage(ctx, id, fogclient.ImageUpdate{Description: &desc}); err != nil {
		t.Fatal(err)
	}
	h.advance(readCacheMaxAge)
	if got, _ := h.cache.Image(ctx, id); got.Description != "" {
		t.Errorf("within the max age the list is reused; got %q", got.Description)
	}
	h.expectCounts(t, "within max age", map[string]int64{routeListImages: 1})

	h.advance(time.Millisecond)
	if got, _ := h.cache.Image(ctx, id); got.Description != desc {
		t.Errorf("after the max age: description %q, want %q", got.Description, desc)
	}
	h.expectCounts(t, "after max age", map[string]int64{routeListImages: 2})
}

// TestReadCache_listsAreNotGETs: what lists hide or show oddly is confirmed
// by a GET by id, never declared gone (or returned) from the list alone.
func TestReadCache_listsAreNotGETs(t *testing.T) {
	h := newReadCacheHarness(t)
	ctx := context.Background()
	images := h.seedImages(t, 4)
	hosts := h.seedHosts(t, images[:2])
	plain, hidden, zombie, deleted := images[0], images[1], images[2], images[3]

	// Renamed outside Terraform to a name FOG hides from lists (edge D).
	if err := h.srv.SetRawField("image", hidden, "name", "snap_api_hidden"); err != nil {
		t.Fatal(err)
	}
	// An image type FOG does not have: listed, but GET answers 404.
	if err := h.srv.SetRawField("image", zombie, "imageTypeID", "99"); err != nil {
		t.Fatal(err)
	}
	if err := h.newClient(t).DeleteImage(ctx, deleted); err != nil {
		t.Fatal(err)
	}
	// A host whose only MAC lost its primary flag: hidden from lists and
	// 404 by id (edge B, b-host-get-without-primary).
	macID := h.srv.IDs("macaddressassociation")[1]
	if err := h.srv.SetRawField("macaddressassociation", macID, "primary", "0"); err != nil {
		t.Fatal(err)
	}
	// A host renamed to a name FOG refuses to load (zombie).
	if err := h.srv.SetRawField("host", hosts[0], "name", "bad name"); err != nil {
		t.Fatal(err)
	}

	if img, err := h.cache.Image(ctx, plain); err != nil || img.Name != "snap-img-000" {
		t.Errorf("plain image: %+v %v", img, err)
	}
	h.expectCounts(t, "plain", map[string]int64{routeListImages: 1, routeGetImage: 0})

	img, err := h.cache.Image(ctx, hidden)
	if err != nil || img.Name != "snap_api_hidden" {
		t.Errorf("image hidden from the list: %+v %v; want it read by id with its new name", img, err)
	}
	h.expectCounts(t, "hidden", map[string]int64{routeListImages: 1, routeGetImage: 1})

	for _, id := range []int64{zombie, deleted} {
		if _, err := h.cache.Image(ctx, id); !errors.Is(err, fogclient.ErrNotFound) {
			t.Errorf("image %d: %v, want not found (FOG answers 404 by id)", id, err)
		}
	}
	h.expectCounts(t, "zombie and deleted", map[string]int64{routeListImages: 1, routeGetImage: 3})

	for _, id := range hosts {
		if _, err := h.cache.Host(ctx, id); !errors.Is(err, fogclient.ErrNotFound) {
			t.Errorf("host %d: %v, want not found (FOG answers 404 by id)", id, err)
		}
	}
	h.expectCounts(t, "hosts", map[string]int64{routeListHosts: 1, routeGetHost: 2})
}

// TestReadCache_confirmationsAreShared: parallel reads of one missing object
// send one GET by id.
func TestReadCache_confirmationsAreShared(t *testing.T) {
	h := newReadCacheHarness(t)
	ctx := context.Background()
	h.seedImages(t, 1)
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := h.cache.Image(ctx, 4242); !errors.Is(err, fogclient.ErrNotFound) {
				t.Errorf("missing image: %v", err)
			}
		}()
	}
	wg.Wait()
	h.expectCounts(t, "20 reads of a missing image", map[string]int64{routeListImages: 1, routeGetImage: 1})
}

// TestReadCache_listFailureFallsBackToGETs: when the list request fails
// (here 503 on every attempt), each read costs a GET by id, as without a
// cache; the list is not asked again by every read.
func TestReadCache_listFailureFallsBackToGETs(t *testing.T) {
	h := newReadCacheHarness(t)
	ctx := context.Background()
	images := h.seedImages(t, 3)
	h.srv.AddFault(fogtest.FaultRule{Method: "GET", Route: "/fog/image", Kind: fogtest.FaultStatus, Status: 503})

	for _, id := range images {
		img, err := h.cache.Image(ctx, id)
		if err != nil || img.ID != id {
			t.Fatalf("image %d: %+v %v", id, img, err)
		}
	}
	attempts := int64(1 + fogclient.DefaultMaxRetries)
	h.expectCounts(t, "list failing", map[string]int64{routeListImages: attempts, routeGetImage: 3})

	// The listing is reported to callers that need the whole list.
	if _, err := h.cache.images.all(ctx); !errors.Is(err, fogclient.ErrUnavailable) {
		t.Errorf("whole list: %v, want the list's 503", err)
	}
	h.srv.ClearFaults()
	h.advance(readCacheMaxAge + time.Second)
	if _, err := h.cache.Image(ctx, images[0]); err != nil {
		t.Fatal(err)
	}
	h.expectCounts(t, "list working again after the max age", map[string]int64{routeListImages: attempts + 1, routeGetImage: 3})
}

// TestReadCache_cancelledReaderDoesNotFailOthers: a read whose context ends
// returns at once; the shared list request goes on for the others.
func TestReadCache_cancelledReaderDoesNotFailOthers(t *testing.T) {
	h := newReadCacheHarness(t)
	id := h.seedImages(t, 1)[0]
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := h.cache.Image(cancelled, id); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled read: %v", err)
	}
	if img, err := h.cache.Image(context.Background(), id); err != nil || img.ID != id {
		t.Errorf("read after a cancelled one: %+v %v", img, err)
	}
}

// TestReadCache_operatingSystems: planning many images checks os_id against
// one /fog/os list; image writes do not drop it.
func TestReadCache_operatingSystems(t *testing.T) {
	h := newReadCacheHarness(t)
	ctx := context.Background()
	for range 3 {
		oss, err := h.cache.OperatingSystems(ctx)
		if err != nil || len(oss) == 0 {
			t.Fatalf("os list: %v %v", oss, err)
		}
		if _, err := h.client.CreateImage(ctx, fogclient.ImageCreate{Name: fmt.Sprintf("os-%d", len(oss)), Path: "p", ImageTypeID: 1, OSID: 9}); err != nil &&
			!errors.Is(err, fogclient.ErrAlreadyExists) {
			t.Fatal(err)
		}
	}
	h.expectCounts(t, "three plans of image creates", map[string]int64{routeListOS: 1})
}
