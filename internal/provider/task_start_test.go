// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

// TestStartTask_concurrentStartsOnOneHost: several fog_task resources of one
// apply start a task for the same host at the same moment. Exactly one task
// is created; the others adopt it (same type) or are refused (another
// type). Two creations would have FOG refuse the second imaging task, or
// silently cancel the first non-imaging one and put the second in its place
// (reference/fog-api.md §7.2 step 3). fogclient.CreateHostTaskIf is what
// serialises them: it reads the host's active tasks and creates under one
// per-host lock, with the decision taken in between.
func TestStartTask_concurrentStartsOnOneHost(t *testing.T) {
	cases := []struct {
		name        string
		types       []string
		wantAdopted int // the rest, but one, are refused
	}{
		{"same imaging type", []string{"deploy", "deploy", "deploy", "deploy"}, 3},
		{"other non-imaging types", []string{"Hardware Inventory", "Memtest86+", "Disk Surface Test", "Password Reset"}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newTaskHarness(t)
			img := h.seedImage(t, "win10", false)
			host := h.seedHost(t, "host1", img, "02:00:00:00:00:01")
			// Every request holds a worker for a while, so that all the
			// starts read the host's active tasks before any creation lands
			// unless something serialises them.
			h.srv.SetLatency(20 * time.Millisecond)

			results := make([]taskModel, len(tc.types))
			diags := make([]diag.Diagnostics, len(tc.types))
			var wg sync.WaitGroup
			for i, typ := range tc.types {
				wg.Add(1)
				go func() {
					defer wg.Done()
					resp, got := h.create(t, planned(host, typ))
					results[i], diags[i] = got, resp.Diagnostics
				}()
			}
			wg.Wait()

			created, adopted, refused := 0, 0, 0
			var taskID string
			for i := range tc.types {
				switch {
				case diags[i].HasError():
					refused++
					expectDiag(t, diags[i], diag.SeverityError, "already has another active task")
				case results[i].Adopted.ValueBool():
					adopted++
				default:
					created++
					taskID = results[i].ID.ValueString()
				}
			}
			if created != 1 || adopted != tc.wantAdopted || refused != len(tc.types)-1-tc.wantAdopted {
				t.Errorf("created %d, adopted %d, refused %d; want 1, %d, %d", created, adopted, refused,
					tc.wantAdopted, len(tc.types)-1-tc.wantAdopted)
			}
			for i := range tc.types {
				if results[i].Adopted.ValueBool() && results[i].ID.ValueString() != taskID {
					t.Errorf("adopted task %s, want the one created, %s", results[i].ID.ValueString(), taskID)
				}
			}
			if n := h.srv.Count(routeCreateTask); n != 1 {
				t.Errorf("%d task creations sent, want 1", n)
			}
			tasks, err := h.client.ListTasks(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if len(tasks) != 1 || tasks[0].StateID != fogclient.TaskStateQueued {
				t.Errorf("FOG has %+v, want the one created task, queued", tasks)
			}
		})
	}
}
