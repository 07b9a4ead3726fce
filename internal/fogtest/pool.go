// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogtest

import (
	"context"
	"sync"
	"time"
)

// workerPool models php-fpm's bounded pool: at most `workers` requests are
// served at once, the rest wait in FIFO order.
type workerPool struct {
	mu          sync.Mutex
	workers     int
	inFlight    int
	maxInFlight int
	waiters     []chan struct{}
	served      int64
	maxQueued   int
}

func newWorkerPool(n int) *workerPool { return &workerPool{workers: n} }

func (p *workerPool) acquire(ctx context.Context) bool {
	p.mu.Lock()
	if p.inFlight < p.workers && len(p.waiters) == 0 {
		p.take()
		p.mu.Unlock()
		return true
	}
	ch := make(chan struct{})
	p.waiters = append(p.waiters, ch)
	if len(p.waiters) > p.maxQueued {
		p.maxQueued = len(p.waiters)
	}
	p.mu.Unlock()
	select {
	case <-ch:
		return true
	case <-ctx.Done():
		p.mu.Lock()
		for i, w := range p.waiters {
			if w == ch {
				p.waiters = append(p.waiters[:i], p.waiters[i+1:]...)
				p.mu.Unlock()
				return false
			}
		}
		p.mu.Unlock()
		// Granted concurrently: give the slot back.
		p.release()
		return false
	}
}

// take must be called with p.mu held.
func (p *workerPool) take() {
	p.inFlight++
	if p.inFlight > p.maxInFlight {
		p.maxInFlight = p.inFlight
	}
}

func (p *workerPool) release() {
	p.mu.Lock()
	p.inFlight--
	p.served++
	p.grant()
	p.mu.Unlock()
}

func (p *workerPool) grant() {
	for p.inFlight < p.workers && len(p.waiters) > 0 {
		ch := p.waiters[0]
		p.waiters = p.waiters[1:]
		p.take()
		close(ch)
	}
}

func (p *workerPool) resize(n int) {
	if n <= 0 {
		n = DefaultWorkers
	}
	p.mu.Lock()
	p.workers = n
	p.grant()
	p.mu.Unlock()
}

// PoolStats is a snapshot of the worker pool.
type PoolStats struct {
	Workers     int   `json:"workers"`
	InFlight    int   `json:"inFlight"`
	Queued      int   `json:"queued"`
	MaxInFlight int   `json:"maxInFlight"`
	MaxQueued   int   `json:"maxQueued"`
	Served      int64 `json:"served"`
	// LatencyMS is the configured per-request latency in milliseconds.
	LatencyMS int64 `json:"latencyMs"`
}

// PoolStats reports the worker pool's current and peak usage.
func (s *Server) PoolStats() PoolStats {
	p := s.pool
	p.mu.Lock()
	defer p.mu.Unlock()
	return PoolStats{Workers: p.workers, InFlight: p.inFlight, Queued: len(p.waiters),
		MaxInFlight: p.maxInFlight, MaxQueued: p.maxQueued, Served: p.served,
		LatencyMS: time.Duration(s.latency.Load()).Milliseconds()}
}

// SetLatency sets how long each request holds a worker before it is handled.
func (s *Server) SetLatency(d time.Duration) {
	if d < 0 {
		d = 0
	}
	s.latency.Store(int64(d))
}

// SetWorkers resizes the worker pool (<= 0 restores DefaultWorkers).
func (s *Server) SetWorkers(n int) { s.pool.resize(n) }

// ResetPoolStats clears the peak and served figures.
func (s *Server) ResetPoolStats() {
	p := s.pool
	p.mu.Lock()
	p.maxInFlight, p.maxQueued, p.served = p.inFlight, len(p.waiters), 0
	p.mu.Unlock()
}
