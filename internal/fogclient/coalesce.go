// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"context"
	"sync"
	"time"
)

// Coalescing. FOG serves a filtered list ({"id":[1,2,3]} or
// {"imageID":[4,5]}: SQL IN, reference/fog-api.md §4.5, edge recording 393)
// for about the price of one GET by id, so the reads that concurrent
// resources make of one class are merged: the first read opens a batch, the
// reads arriving within the window join it, and one filtered list answers
// them all. A batch is sent as soon as it holds chunk keys. Each read still
// starts its request after it was asked for, so what it returns is as fresh
// as a GET sent at that moment, at most the window later.
//
// A filtered list is not a GET by id: it hides "_api_" names and hosts
// without a primary MAC, and lists zombies FOG cannot load (see the
// provider's read cache). The callers confirm what a batch lacks with a GET
// by id.

// DefaultCoalesceWindow is the longest a batch waits for more reads. A
// batch is sent sooner when every operation in progress (Client.Working)
// waits for a batch and as many wait as were ever in progress at once: no
// read can join it any more. Terraform starts its operations one after the
// other, tens of milliseconds apart and a hundred with a state of 1,000
// resources. The window is waited in full only where fewer operations run
// at once than earlier in the process (at 70 ms per request, image creates
// hold some of Terraform's slots while assignments read): measured at N =
// 500 (bench/README.md), 1 s made the apply 36% slower than 400 ms for the
// same requests, and 200 ms sent 4% more requests on destroy.
const DefaultCoalesceWindow = 400 * time.Millisecond

// DefaultCoalesceChunk is the most keys one filtered list carries (the JSON
// body of 500 ids is about 3 KB; FOG binds each as a placeholder).
const DefaultCoalesceChunk = 500

// coalescer merges concurrent lookups of keys into one fetch per batch.
type coalescer[K comparable, V any] struct {
	window time.Duration
	chunk  int
	// fetch answers a batch: the value of every key it found; keys it
	// did not find are absent.
	fetch func(ctx context.Context, keys []K) (map[K]V, error)
	// afterFunc schedules the window's end (tests replace it).
	afterFunc func(d time.Duration, f func())
	// gate sends the batch early when no read can join it (nil: never).
	gate *batchGate

	mu      sync.Mutex
	pending *coalesceBatch[K, V]
}

type coalesceBatch[K comparable, V any] struct {
	keys    []K
	waiters int // reads waiting for it (the gate's count until it is sent)
	seen    map[K]bool
	ctx     context.Context // the first caller's, without its cancellation
	once    sync.Once
	done    chan struct{}
	vals    map[K]V
	err     error
}

func newCoalescer[K comparable, V any](window time.Duration, chunk int, fetch func(context.Context, []K) (map[K]V, error)) *coalescer[K, V] {
	if chunk <= 0 {
		chunk = DefaultCoalesceChunk
	}
	if window < 0 {
		window = 0
	}
	return &coalescer[K, V]{window: window, chunk: chunk, fetch: fetch, afterFunc: func(d time.Duration, f func()) { time.AfterFunc(d, f) }}
}

// get returns key's value, found false when the batch's answer lacked it.
// The error is the batch's (every key of the batch shares it) or ctx's.
// The extra keys are asked for too, as long as the batch has room, for
// reads the caller expects to follow (the fetch sees their answers).
func (c *coalescer[K, V]) get(ctx context.Context, key K, extra ...K) (v V, found bool, err error) {
	c.mu.Lock()
	b := c.pending
	if b == nil {
		b = &coalesceBatch[K, V]{seen: map[K]bool{}, ctx: context.WithoutCancel(ctx), done: make(chan struct{})}
		c.pending = b
		c.afterFunc(c.window, func() { c.send(b) })
	}
	if !b.seen[key] {
		b.seen[key] = true
		b.keys = append(b.keys, key)
	}
	full := len(b.keys) >= c.chunk
	for _, k := range extra {
		if len(b.keys) >= c.chunk {
			break
		}
		if !b.seen[k] {
			b.seen[k] = true
			b.keys = append(b.keys, k)
		}
	}
	b.waiters++
	c.gate.join(1) // under c.mu: counted before send can subtract it
	c.mu.Unlock()
	if full {
		c.send(b)
	}
	c.gate.check()
	select {
	case <-b.done:
	case <-ctx.Done():
		return v, false, ctx.Err()
	}
	if b.err != nil {
		return v, false, b.err
	}
	v, found = b.vals[key]
	return v, found, nil
}

// send closes batch b to new keys and fetches it, once.
func (c *coalescer[K, V]) send(b *coalesceBatch[K, V]) {
	b.once.Do(func() {
		c.mu.Lock()
		if c.pending == b {
			c.pending = nil
		}
		keys := b.keys
		c.gate.join(-b.waiters)
		c.mu.Unlock()
		go func() {
			defer close(b.done)
			b.vals, b.err = c.fetch(b.ctx, keys)
		}()
	})
}

// flush sends the pending batch, if any.
func (c *coalescer[K, V]) flush() {
	c.mu.Lock()
	b := c.pending
	c.mu.Unlock()
	if b != nil {
		c.send(b)
	}
}

// batchGate counts the operations in progress (Client.Working) and the
// reads waiting for a batch: when every operation waits, nothing can join a
// pending batch, so they are all sent at once instead of at the window's
// end. Terraform runs at most -parallelism operations at a time, so this is
// what makes batches as large as the concurrency allows without waiting.
type batchGate struct {
	mu      sync.Mutex
	working int
	waiting int
	// peak is the most operations seen in progress at once (Terraform's
	// -parallelism, 10 by default, once reached): while fewer are in
	// progress, Terraform is still starting others, which may join.
	peak    int
	flushes []func()
}

func (g *batchGate) register(flush func()) {
	if g == nil {
		return
	}
	g.mu.Lock()
	g.flushes = append(g.flushes, flush)
	g.mu.Unlock()
}

// join adds d to the reads waiting in batches not sent yet.
func (g *batchGate) join(d int) {
	if g == nil {
		return
	}
	g.mu.Lock()
	g.waiting += d
	g.mu.Unlock()
}

// check flushes when everyone waits.
func (g *batchGate) check() {
	if g == nil {
		return
	}
	g.mu.Lock()
	g.checkLocked()
}

// work adds d to the operations in progress and flushes when everyone
// waits.
func (g *batchGate) work(d int) {
	if g == nil {
		return
	}
	g.mu.Lock()
	g.working += d
	g.peak = max(g.peak, g.working)
	g.checkLocked()
}

// checkLocked unlocks g.mu, then flushes when every operation waits.
func (g *batchGate) checkLocked() {
	all := g.waiting > 0 && g.waiting >= g.working && g.waiting >= g.peak
	flushes := g.flushes
	g.mu.Unlock()
	if all {
		for _, f := range flushes {
			f()
		}
	}
}
