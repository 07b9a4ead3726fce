// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/fogproject/terraform-provider-fog/internal/fogtest"
)

// manualTimer replaces the coalescer's window timer: fire ends the windows.
type manualTimer struct {
	mu  sync.Mutex
	fns []func()
}

func (m *manualTimer) after(_ time.Duration, f func()) {
	m.mu.Lock()
	m.fns = append(m.fns, f)
	m.mu.Unlock()
}

func (m *manualTimer) fire() {
	m.mu.Lock()
	fns := m.fns
	m.fns = nil
	m.mu.Unlock()
	for _, f := range fns {
		f()
	}
}

type fetchLog struct {
	mu      sync.Mutex
	batches [][]int64
	fail    error
}

func (l *fetchLog) fetch(_ context.Context, keys []int64) (map[int64]string, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.batches = append(l.batches, append([]int64(nil), keys...))
	if l.fail != nil {
		return nil, l.fail
	}
	out := map[int64]string{}
	for _, k := range keys {
		if k%2 == 0 {
			out[k] = fmt.Sprintf("v%d", k)
		}
	}
	return out, nil
}

// waitJoined waits until the pending batch holds n keys.
func waitJoined[K comparable, V any](t *testing.T, c *coalescer[K, V], n int) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		c.mu.Lock()
		got := 0
		if c.pending != nil {
			got = len(c.pending.keys)
		}
		c.mu.Unlock()
		if got == n {
			return
		}
	}
	t.Fatalf("the pending batch never held %d keys", n)
}

func TestCoalescerBatchesConcurrentReads(t *testing.T) {
	var log fetchLog
	timer := &manualTimer{}
	c := newCoalescer(time.Hour, 100, log.fetch)
	c.afterFunc = timer.after
	type result struct {
		key   int64
		v     string
		found bool
		err   error
	}
	results := make(chan result, 8)
	for _, k := range []int64{1, 2, 3, 4, 4, 6} { // 4 twice: one key, two readers
		go func(k int64) {
			v, found, err := c.get(context.Background(), k)
			results <- result{k, v, found, err}
		}(k)
	}
	waitJoined(t, c, 5)
	timer.fire()
	for range 6 {
		r := <-results
		if r.err != nil || r.found != (r.key%2 == 0) || (r.found && r.v != fmt.Sprintf("v%d", r.key)) {
			t.Errorf("key %d: %q %v %v", r.key, r.v, r.found, r.err)
		}
	}
	if len(log.batches) != 1 || len(log.batches[0]) != 5 {
		t.Fatalf("fetches %v, want one batch of the 5 distinct keys", log.batches)
	}
}

func TestCoalescerChunks(t *testing.T) {
	var log fetchLog
	timer := &manualTimer{}
	c := newCoalescer(time.Hour, 3, log.fetch)
	c.afterFunc = timer.after
	var wg sync.WaitGroup
	for k := int64(1); k <= 7; k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, _ = c.get(context.Background(), k)
		}()
		if k%3 != 0 {
			waitJoined(t, c, int((k-1)%3)+1)
		} else {
			waitFetched(t, &log, int(k/3)) // the full batch went before the next key
		}
	}
	// Two full batches went without the window; the seventh key waits.
	waitJoined(t, c, 1)
	timer.fire()
	wg.Wait()
	sizes := []int{}
	for _, b := range log.batches {
		sizes = append(sizes, len(b))
	}
	sort.Ints(sizes)
	if fmt.Sprint(sizes) != "[1 3 3]" {
		t.Fatalf("batch sizes %v, want [1 3 3] (chunks of 3)", sizes)
	}
}

func TestCoalescerSharesAFailure(t *testing.T) {
	log := fetchLog{fail: errors.New("boom")}
	timer := &manualTimer{}
	c := newCoalescer(time.Hour, 10, log.fetch)
	c.afterFunc = timer.after
	errs := make(chan error, 2)
	for _, k := range []int64{1, 2} {
		go func() {
			_, _, err := c.get(context.Background(), k)
			errs <- err
		}()
	}
	waitJoined(t, c, 2)
	timer.fire()
	for range 2 {
		if err := <-errs; err == nil || err.Error() != "boom" {
			t.Errorf("err %v, want the batch's", err)
		}
	}
}

func TestCoalescerCancelledReader(t *testing.T) {
	var log fetchLog
	timer := &manualTimer{}
	c := newCoalescer(time.Hour, 10, log.fetch)
	c.afterFunc = timer.after
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, _, err := c.get(ctx, 2)
		done <- err
	}()
	stay := make(chan string, 1)
	go func() {
		v, _, _ := c.get(context.Background(), 4)
		stay <- v
	}()
	waitJoined(t, c, 2)
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled reader: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a cancelled reader kept waiting for the batch")
	}
	// The batch still answers the other reader.
	timer.fire()
	if v := <-stay; v != "v4" {
		t.Fatalf("other reader got %q", v)
	}
}

func TestBatchGateSendsWhenEveryOperationWaits(t *testing.T) {
	var log fetchLog
	c := newCoalescer(time.Hour, 100, log.fetch) // only the gate can send
	g := &batchGate{}
	c.gate = g
	g.register(c.flush)
	for range 3 {
		g.work(1)
	}
	got := make(chan string, 3)
	for _, k := range []int64{2, 4, 6} {
		go func() {
			v, _, _ := c.get(context.Background(), k)
			got <- v
		}()
	}
	for range 3 {
		select {
		case <-got:
		case <-time.After(5 * time.Second):
			t.Fatal("three operations waiting: the gate never sent their batch")
		}
	}
	if len(log.batches) != 1 || len(log.batches[0]) != 3 {
		t.Fatalf("batches %v, want one of 3", log.batches)
	}
	// Two of three operations waiting: held (peak 3) until the third
	// operation ends.
	go func() {
		v, _, _ := c.get(context.Background(), 8)
		got <- v
	}()
	go func() {
		v, _, _ := c.get(context.Background(), 10)
		got <- v
	}()
	waitJoined(t, c, 2)
	select {
	case <-got:
		t.Fatal("sent while an operation was still running")
	case <-time.After(50 * time.Millisecond):
	}
	g.work(-1)
	g.work(-1) // 1 in progress, 2 waiting, peak 3: still held
	select {
	case <-got:
		t.Fatal("sent with fewer waiting than the peak")
	case <-time.After(50 * time.Millisecond):
	}
	g.work(1)
	g.work(1) // 3 in progress again: the third joins
	go func() {
		v, _, _ := c.get(context.Background(), 12)
		got <- v
	}()
	for range 3 {
		select {
		case <-got:
		case <-time.After(5 * time.Second):
			t.Fatal("the gate never sent the second batch")
		}
	}
}

func TestReadHostBatchesAndConfirmsByID(t *testing.T) {
	srv, c := newEmulator(t, fogtest.Options{}, func(cfg *Config) { cfg.CoalesceWindow = time.Hour })
	ctx := context.Background()
	var ids []int64
	for i := range 5 {
		id, err := srv.SeedHost(fmt.Sprintf("rh-%d", i), 0, fmt.Sprintf("02:00:00:00:0d:%02x", i))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	// A hidden name: missing from every list, found by id.
	hidden, err := srv.SeedHost("x_api_y", 0, "02:00:00:00:0d:ff")
	if err != nil {
		t.Fatal(err)
	}
	ids = append(ids, hidden, 9999)
	srv.ResetCounters()
	var wg sync.WaitGroup
	hosts := make([]*Host, len(ids))
	errs := make([]error, len(ids))
	// Seven operations, all started before any reads (as Terraform's are
	// when it starts them): the batch goes when all seven wait. A read that
	// ran before the others started would go alone, and the rest would then
	// wait for the window.
	dones := startOperations(c, len(ids))
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer dones[i]()
			hosts[i], errs[i] = c.ReadHost(ctx, id)
		}()
	}
	wg.Wait()
	for i := range 6 {
		if errs[i] != nil || hosts[i] == nil || hosts[i].ID != ids[i] {
			t.Errorf("host %d: %+v %v", ids[i], hosts[i], errs[i])
		}
	}
	if !errors.Is(errs[6], ErrNotFound) {
		t.Errorf("missing host: %v, want ErrNotFound", errs[6])
	}
	if l, g := srv.Count("GET /fog/host"), srv.Count("GET /fog/host/{id}"); l != 1 || g != 2 {
		t.Errorf("%d lists and %d GETs by id, want 1 list and 2 GETs (the hidden and the missing host)", l, g)
	}
}

func TestReadHostFallsBackAndRemembersAFailingList(t *testing.T) {
	srv, c := newEmulator(t, fogtest.Options{}, func(cfg *Config) { cfg.CoalesceWindow = time.Hour })
	ctx := context.Background()
	var ids []int64
	for i := range 3 { // more than smallBatch: a list
		id, err := srv.SeedHost(fmt.Sprintf("fb-%d", i), 0, fmt.Sprintf("02:00:00:00:0e:%02x", i))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	srv.AddFault(fogtest.FaultRule{Method: http.MethodGet, Route: "/fog/host", Kind: fogtest.FaultFatal, Times: 1})
	srv.ResetCounters()
	readAll := func() {
		var wg sync.WaitGroup
		dones := startOperations(c, len(ids))
		for i, id := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer dones[i]()
				if h, err := c.ReadHost(ctx, id); err != nil || h.ID != id {
					t.Errorf("read %d: %+v %v", id, h, err)
				}
			}()
		}
		wg.Wait()
	}
	readAll()
	readAll()
	// One failing list, then GETs by id only: the failure is remembered.
	if l, g := srv.Count("GET /fog/host"), srv.Count("GET /fog/host/{id}"); l != 1 || g != 6 {
		t.Errorf("%d lists and %d GETs by id, want 1 failed list and 6 GETs", l, g)
	}
	if !c.lists.failed("host", "id") {
		t.Error("the failed filtered list is not remembered")
	}
}

func TestReadHostAloneIsAGetByID(t *testing.T) {
	srv, c := newEmulator(t, fogtest.Options{}, func(cfg *Config) { cfg.CoalesceWindow = time.Hour })
	id, err := srv.SeedHost("alone", 0, "02:00:00:00:0e:21")
	if err != nil {
		t.Fatal(err)
	}
	srv.ResetCounters()
	done := c.Working()
	h, err := c.ReadHost(context.Background(), id)
	done()
	if err != nil || h.ID != id {
		t.Fatalf("read: %+v %v", h, err)
	}
	if _, err := c.ReadHost(context.Background(), 9999); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing host: %v", err)
	}
	if l, g := srv.Count("GET /fog/host"), srv.Count("GET /fog/host/{id}"); l != 0 || g != 2 {
		t.Errorf("%d lists and %d GETs by id, want 2 GETs (a batch of one is read by id, once)", l, g)
	}
	// Two at once: read by id too (smallBatch).
	srv.ResetCounters()
	id2, err := srv.SeedHost("alone-2", 0, "02:00:00:00:0e:22")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	dones := startOperations(c, 2)
	for i, hid := range []int64{id, id2} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer dones[i]()
			if h, err := c.ReadHost(context.Background(), hid); err != nil || h.ID != hid {
				t.Errorf("read %d: %+v %v", hid, h, err)
			}
		}()
	}
	wg.Wait()
	if l, g := srv.Count("GET /fog/host"), srv.Count("GET /fog/host/{id}"); l != 0 || g != 2 {
		t.Errorf("two reads at once: %d lists and %d GETs by id, want 2 GETs", l, g)
	}
}

func TestFullListExpensiveRemembered(t *testing.T) {
	srv, c := newEmulator(t, fogtest.Options{ListMaxRows: 3})
	ctx := context.Background()
	if c.FullListExpensive("host") {
		t.Fatal("expensive before any list")
	}
	if _, err := srv.SeedHosts(4); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListHosts(ctx); !errors.Is(err, ErrServerFatal) {
		t.Fatalf("list of 4 hosts with a limit of 3: %v, want the PHP fatal", err)
	}
	if !c.FullListExpensive("host") {
		t.Fatal("a full list that failed is not remembered")
	}
	// Another Client of the same server in this process knows it too.
	cfg := DefaultConfig()
	cfg.ServerURL, cfg.APIToken, cfg.UserToken = c.base.String(), "a", "b"
	other, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !other.FullListExpensive("host") {
		t.Error("a second Client of the server does not share what the first saw")
	}
}

// TestCoalescerExtraKeys: the keys a reader expects to follow ride along in
// its batch (once each), up to the chunk, and are never counted as readers.
func TestCoalescerExtraKeys(t *testing.T) {
	var log fetchLog
	timer := &manualTimer{}
	c := newCoalescer(time.Hour, 4, log.fetch)
	c.afterFunc = timer.after
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _, _ = c.get(context.Background(), 1, 2, 1, 3, 4, 5, 6)
	}()
	waitJoined(t, c, 4) // extras do not make the batch full: it waits
	c.mu.Lock()
	if w := c.pending.waiters; w != 1 {
		t.Errorf("%d readers counted, want 1", w)
	}
	c.mu.Unlock()
	timer.fire()
	<-done
	if len(log.batches) != 1 || fmt.Sprint(log.batches[0]) != "[1 2 3 4]" {
		t.Fatalf("batches %v, want one [1 2 3 4] (the key, then extras up to the chunk of 4)", log.batches)
	}
}

// TestLargeServerDeclared: Config.LargeServer makes the full host list
// expensive from the start (no list needed to learn it); other classes and
// other configurations are unaffected.
func TestLargeServerDeclared(t *testing.T) {
	_, declared := newEmulator(t, fogtest.Options{}, func(cfg *Config) { cfg.LargeServer = true })
	if !declared.FullListExpensive("host") {
		t.Error("a declared large server: the full host list is not treated as expensive")
	}
	if declared.FullListExpensive("image") {
		t.Error("a declared large server: the image list is treated as expensive too")
	}
	_, plain := newEmulator(t, fogtest.Options{})
	if plain.FullListExpensive("host") {
		t.Error("no declaration and no list seen: the full host list is treated as expensive")
	}
}

// startOperations marks n operations in progress (Client.Working) before
// any of them reads, and returns their done funcs.
func startOperations(c *Client, n int) []func() {
	dones := make([]func(), n)
	for i := range dones {
		dones[i] = c.Working()
	}
	return dones
}

// waitFetched waits until log has n batches.
func waitFetched(t *testing.T, log *fetchLog, n int) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		log.mu.Lock()
		got := len(log.batches)
		log.mu.Unlock()
		if got >= n {
			return
		}
	}
	t.Fatalf("%d batches never fetched", n)
}
