// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"context"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Bursts of as many requests as MaxConcurrent allows reuse their
// connections: Go's default transport keeps 2 idle connections per host and
// would open 8 new ones for every burst of 10.
func TestTransportKeepsAConnectionPerRequestInFlight(t *testing.T) {
	const inFlight, bursts = 10, 5
	f := newFake(t)
	var opened atomic.Int64
	f.srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			opened.Add(1)
		}
	}
	f.on(http.MethodGet, "/fog/image/1", func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		time.Sleep(20 * time.Millisecond) // all of a burst in flight at once
		writeJSON(w, http.StatusOK, echoImageJSON(t, 1, []byte(`{}`)))
	})
	c := newTestClient(t, f.srv.URL, func(cfg *Config) { cfg.MaxConcurrent = inFlight })
	for b := 0; b < bursts; b++ {
		var wg sync.WaitGroup
		errs := make(chan error, inFlight)
		for i := 0; i < inFlight; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := c.GetImage(context.Background(), 1); err != nil {
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
	}
	if got := opened.Load(); got > inFlight {
		t.Errorf("%d bursts of %d requests opened %d connections, want at most %d (one per request in flight)",
			bursts, inFlight, got, inFlight)
	}
}
