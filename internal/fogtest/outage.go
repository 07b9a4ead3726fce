// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogtest

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
	"time"
)

// OutageMode is how the server is down during an outage.
type OutageMode string

const (
	// OutageRefuse is a stopped web server: connections are refused. Only
	// listeners made by Server.Listener close; without one, a request that
	// arrives anyway is reset before it is handled.
	OutageRefuse OutageMode = "refuse"
	// OutageUnavailable is a web server whose PHP-FPM pool restarts: every
	// request below /fog is answered with Outage.Status (502 or 503, default
	// 503) and Apache's error page, without reaching PHP.
	OutageUnavailable OutageMode = "unavailable"
)

// Fault kinds the request log shows for an outage (not for AddFault).
const (
	// FaultOutageCut: the request was in flight when the outage began; it
	// was handled (a write applied, as PHP finishes what it started), and
	// its answer was cut.
	FaultOutageCut FaultKind = "outage-cut"
	// FaultOutageDown: the request arrived while the server was down.
	FaultOutageDown FaultKind = "outage-down"
)

// Outage is one window during which the server is down: FOG upgraded or
// rebooted, or its PHP pool restarted.
type Outage struct {
	Mode   OutageMode `json:"mode"`
	Status int        `json:"status,omitempty"`
	// For is how long it lasts (0: until EndOutage).
	For Duration `json:"for,omitempty"`
	// AfterWrites arms it instead of starting it at once: it starts when
	// this many more writes (POST, PUT, DELETE below /fog) have arrived. The
	// one that starts it is then in flight, applied with its answer cut.
	AfterWrites int `json:"afterWrites,omitempty"`
}

// OutageStats says what outages did so far.
type OutageStats struct {
	Down    bool  `json:"down"`
	Armed   bool  `json:"armed"`
	Windows int   `json:"windows"` // outages started
	Cut     int64 `json:"cut"`     // requests in flight whose answer was cut
	Refused int64 `json:"refused"` // requests answered or reset while down
	// ListenErr is the last failure to listen again after an outage.
	ListenErr string `json:"listenErr,omitempty"`
}

type outageState struct {
	armed     *Outage
	writes    int // writes since armed
	cur       Outage
	down      bool
	epoch     uint64 // outages started; a request in flight when it changes is cut
	timer     *time.Timer
	over      chan struct{} // closed when the current outage ends
	stats     OutageStats
	listeners []*outageListener
}

// StartOutage takes the server down now, or arms o (o.AfterWrites > 0).
// An outage already under way is ended first.
func (s *Server) StartOutage(o Outage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.endOutageLocked()
	if o.AfterWrites > 0 {
		cp := o
		s.outage.armed, s.outage.writes = &cp, 0
		return
	}
	s.startOutageLocked(o)
}

// EndOutage brings the server back (and disarms an armed outage).
func (s *Server) EndOutage() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.outage.armed = nil
	s.endOutageLocked()
}

// Outage returns what outages did so far.
func (s *Server) OutageStats() OutageStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.outage.stats
	st.Down, st.Armed = s.outage.down, s.outage.armed != nil
	return st
}

// WaitOutageOver waits until no outage is under way (one that is only
// armed does not count).
func (s *Server) WaitOutageOver(ctx context.Context) error {
	s.mu.Lock()
	over := s.outage.over
	down := s.outage.down
	s.mu.Unlock()
	if !down {
		return nil
	}
	select {
	case <-over:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *Server) startOutageLocked(o Outage) {
	if o.Mode != OutageRefuse {
		o.Mode = OutageUnavailable
	}
	if o.Status != http.StatusBadGateway {
		o.Status = http.StatusServiceUnavailable
	}
	st := &s.outage
	st.armed, st.cur, st.down = nil, o, true
	st.epoch++
	st.stats.Windows++
	st.over = make(chan struct{})
	if o.Mode == OutageRefuse {
		for _, l := range st.listeners {
			l.down()
		}
	}
	if o.For > 0 {
		epoch := st.epoch
		st.timer = time.AfterFunc(time.Duration(o.For), func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			if s.outage.down && s.outage.epoch == epoch {
				s.endOutageLocked()
			}
		})
	}
}

func (s *Server) endOutageLocked() {
	st := &s.outage
	if !st.down {
		return
	}
	if st.timer != nil {
		st.timer.Stop()
		st.timer = nil
	}
	st.down = false
	for _, l := range st.listeners {
		if err := l.up(); err != nil {
			st.stats.ListenErr = err.Error()
		}
	}
	close(st.over)
}

// outageAtArrival is what an outage does to a request that just arrived:
// down says it is answered without being handled (mode says how); epoch is
// compared when it is done (outageCut).
func (s *Server) outageAtArrival(method string) (epoch uint64, down bool, mode OutageMode, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &s.outage
	if st.down {
		st.stats.Refused++
		return st.epoch, true, st.cur.Mode, st.cur.Status
	}
	if st.armed != nil && isWrite(method) {
		st.writes++
		if st.writes >= st.armed.AfterWrites {
			epoch = st.epoch // this write is in flight when the outage starts
			s.startOutageLocked(*st.armed)
			return epoch, false, "", 0
		}
	}
	return st.epoch, false, "", 0
}

// outageCut reports whether an outage began while the request that arrived
// at epoch was in flight: its answer is then cut.
func (s *Server) outageCut(epoch uint64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.outage.epoch == epoch {
		return false
	}
	s.outage.stats.Cut++
	return true
}

func isWrite(method string) bool {
	switch method {
	case http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch:
		return true
	}
	return false
}

// Listener wraps l, a TCP listener serving this Server, so that an
// OutageRefuse closes it (connections are refused) and the end of the
// outage listens again on the same address:
//
//	ts := httptest.NewUnstartedServer(srv)
//	ts.Listener = srv.Listener(ts.Listener)
//	ts.Start()
func (s *Server) Listener(l net.Listener) net.Listener {
	ol := &outageListener{addr: l.Addr(), inner: l}
	ol.cond = sync.NewCond(&ol.mu)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.outage.listeners = append(s.outage.listeners, ol)
	if s.outage.down && s.outage.cur.Mode == OutageRefuse {
		ol.down()
	}
	return ol
}

// outageListener is a listener that can be closed and opened again on its
// address; Accept waits while it is closed.
type outageListener struct {
	addr   net.Addr
	mu     sync.Mutex
	cond   *sync.Cond
	inner  net.Listener // nil while down
	closed bool
}

func (l *outageListener) Accept() (net.Conn, error) {
	for {
		l.mu.Lock()
		for l.inner == nil && !l.closed {
			l.cond.Wait()
		}
		if l.closed {
			l.mu.Unlock()
			return nil, net.ErrClosed
		}
		in := l.inner
		l.mu.Unlock()
		conn, err := in.Accept()
		if err == nil {
			return conn, nil
		}
		l.mu.Lock()
		current := l.inner == in && !l.closed
		l.mu.Unlock()
		if current {
			return nil, err
		}
		// Taken down meanwhile: wait until it is up again, or closed.
	}
}

// down closes the socket: the kernel refuses connections, and resets those
// still waiting to be accepted.
func (l *outageListener) down() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.inner != nil {
		_ = l.inner.Close()
		l.inner = nil
	}
}

func (l *outageListener) up() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed || l.inner != nil {
		return nil
	}
	in, err := net.Listen(l.addr.Network(), l.addr.String())
	if err != nil {
		return errors.New("fogtest: listening again after the outage: " + err.Error())
	}
	l.inner = in
	l.cond.Broadcast()
	return nil
}

func (l *outageListener) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed = true
	var err error
	if l.inner != nil {
		err = l.inner.Close()
		l.inner = nil
	}
	l.cond.Broadcast()
	return err
}

func (l *outageListener) Addr() net.Addr { return l.addr }
