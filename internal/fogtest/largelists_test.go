// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogtest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestLargeListKnobs(t *testing.T) {
	var mu sync.Mutex
	var slept time.Duration
	srv := New(Options{Sleep: func(_ context.Context, d time.Duration) {
		mu.Lock()
		slept += d
		mu.Unlock()
	}})
	start := time.Now()
	ids, err := srv.SeedHosts(3000)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("seeding 3000 hosts took %s", time.Since(start))
	if len(ids) != 3000 {
		t.Fatalf("seeded %d hosts", len(ids))
	}
	more, err := srv.SeedHosts(2)
	if err != nil || len(more) != 2 {
		t.Fatalf("second seeding: %v %v", more, err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	get := func(path, body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, ts.URL+path, strings.NewReader(body))
		req.Header.Set("fog-api-token", srv.APITokenHeader())
		req.Header.Set("fog-user-token", srv.UserTokenHeader())
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = resp.Body.Close() }()
		var b strings.Builder
		buf := make([]byte, 1<<16)
		for {
			n, err := resp.Body.Read(buf)
			b.Write(buf[:n])
			if err != nil {
				break
			}
		}
		return resp.StatusCode, b.String()
	}

	srv.SetListRowCost(time.Millisecond)
	srv.SetListMaxRows(4000)
	if st, body := get("/fog/host", ""); st != http.StatusOK || !strings.Contains(body, `"count": 3002`) {
		t.Fatalf("full list under the limit: %d %.200s", st, body)
	}
	mu.Lock()
	if slept != 3002*time.Millisecond {
		t.Errorf("full list of 3002 rows held the worker %s, want 3.002s", slept)
	}
	slept = 0
	mu.Unlock()

	srv.SetListMaxRows(3000)
	if st, body := get("/fog/host", ""); st != http.StatusInternalServerError || body != "" {
		t.Fatalf("full list over the limit: %d %.200s, want FOG's PHP fatal (500, empty body)", st, body)
	}
	mu.Lock()
	if slept != 3000*time.Millisecond {
		t.Errorf("failed list held the worker %s, want the 3000 rows it rendered", slept)
	}
	slept = 0
	mu.Unlock()
	if st, body := get("/fog/host/search/bulk", ""); st != http.StatusInternalServerError {
		t.Fatalf("search over the limit: %d %.200s", st, body)
	}
	// A filtered list loads only what it matches.
	if st, body := get("/fog/host", `{"id":[1,2,3]}`); st != http.StatusOK || !strings.Contains(body, `"count": 3,`) {
		t.Fatalf("filtered list: %d %.200s", st, body)
	}
	if st, body := get("/fog/host", `{"name":"`+BulkHostName(17)+`"}`); st != http.StatusOK || !strings.Contains(body, `"count": 1,`) || !strings.Contains(body, BulkHostMAC(17)) {
		t.Fatalf("name filter: %d %.300s", st, body)
	}
	srv.SetListMaxRows(0)
	if st, _ := get("/fog/host", ""); st != http.StatusOK {
		t.Fatalf("unlimited list: %d", st)
	}
	if c, m := srv.ListLimits(); c != time.Millisecond || m != 0 {
		t.Errorf("ListLimits = %s %d", c, m)
	}
}
