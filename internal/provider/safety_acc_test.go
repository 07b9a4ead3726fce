// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

// Destructive safety, proved from the emulator's request log: imaging tasks
// wipe disks, so what the provider may send is asserted request by request,
// not only through the resulting state.

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
	"github.com/fogproject/terraform-provider-fog/internal/fogtest"
)

// testDeletePathSuffix marks the test's own task deletes in the request log
// (FOG's /remove alias of DELETE /fog/task/{id}), so that assertions about
// the provider's requests can leave them out.
const testDeletePathSuffix = "/remove"

var cancelPath = regexp.MustCompile(`^/fog/task/([0-9]+)/cancel$`)

// checkCancelsAreSafe checks every cancel in the log: only DELETE
// /fog/task/{id}/cancel (never the id-less form, never a host or group
// cancel), always with the body {"id": <that id>}, and always after a GET
// /fog/task/active scoped to that id: right before it, with no other write
// in between, or, for a log of concurrent clients (concurrent), at least
// one such check per cancel of that id sent so far. It returns the ids
// cancelled.
func checkCancelsAreSafe(log []fogtest.Request, concurrent bool) ([]int64, error) {
	var cancelled []int64
	checks, cancels := map[string]int{}, map[string]int{}
	for i, r := range log {
		if r.Route == "GET /fog/task/active" {
			checks[r.Body]++
		}
		if !strings.HasSuffix(r.Route, "/cancel") {
			continue
		}
		if r.Route != routeCancelTask {
			return nil, fmt.Errorf("request %d: %s %s: only DELETE /fog/task/{id}/cancel may ever be sent", i, r.Method, r.Path)
		}
		m := cancelPath.FindStringSubmatch(r.Path)
		if m == nil {
			return nil, fmt.Errorf("request %d: cancel path %q", i, r.Path)
		}
		id, _ := strconv.ParseInt(m[1], 10, 64)
		scope := fmt.Sprintf(`{"id":%d}`, id)
		if r.Body != scope {
			return nil, fmt.Errorf("request %d: cancel of task %d sent with body %q, want %s: without it a task that vanished turns the cancel into a cancel-all", i, id, r.Body, scope)
		}
		cancelled = append(cancelled, id)
		if cancels[scope]++; checks[scope] < cancels[scope] {
			return nil, fmt.Errorf("request %d: cancel number %d of task %d, but only %d active checks of it before", i, cancels[scope], id, checks[scope])
		}
		if concurrent {
			continue
		}
		for j := i - 1; j >= 0; j-- {
			p := log[j]
			if p.Route == "GET /fog/task/active" && p.Body == scope {
				break
			}
			if p.Method != http.MethodGet && !strings.HasSuffix(p.Path, testDeletePathSuffix) {
				return nil, fmt.Errorf("request %d: cancel of task %d not preceded by an active check for it (request %d is %s %s)", i, id, j, p.Method, p.Path)
			}
		}
	}
	return cancelled, nil
}

// TestAccSafety_cancels: the provider cancels only tasks it created and has
// just seen active, always scoped, and never anything else. Host A's task is
// cancelled on destroy; host C's task vanishes between the provider's active
// check and its cancel (the moment FOG would turn an unscoped cancel into
// "cancel every active task"); host D's task completes in FOG, after which
// no refresh plans a new task and destroy sends nothing. A queued task of
// host B, created outside Terraform, must survive everything.
func TestAccSafety_cancels(t *testing.T) {
	var vanish atomic.Int64 // the task to delete right after the provider's active check for it
	env := newWrappedEmulatorEnvWith(t, "asserts on the emulator's request log", fogtest.Options{RecordRequests: true},
		func(srv *fogtest.Server, next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				body, _ := io.ReadAll(r.Body)
				r.Body = io.NopCloser(bytes.NewReader(body))
				next.ServeHTTP(w, r)
				id := vanish.Load()
				if id == 0 || r.Method != http.MethodGet || r.URL.Path != "/fog/task/active" || string(body) != fmt.Sprintf(`{"id":%d}`, id) {
					return
				}
				vanish.Store(0)
				del := httptest.NewRequest(http.MethodDelete, fmt.Sprintf("/fog/task/%d%s", id, testDeletePathSuffix), nil)
				del.Header.Set("fog-api-token", srv.APITokenHeader())
				del.Header.Set("fog-user-token", srv.UserTokenHeader())
				rec := httptest.NewRecorder()
				next.ServeHTTP(rec, del)
				if rec.Code != http.StatusOK {
					t.Errorf("deleting task %d in between: HTTP %d", id, rec.Code)
				}
			})
		})
	hostA, _ := env.hostWithImage(t, false)
	hostB, _ := env.hostWithImage(t, false)
	hostC, _ := env.hostWithImage(t, false)
	hostD, _ := env.hostWithImage(t, false)
	bystander := env.createTask(t, hostB.ID, fogclient.TaskTypeDeploy)
	start := snapshot(env.Emulator) // the bystander's host and task rows must end as they are now

	tasks := func(hosts ...*fogclient.Host) string {
		var b strings.Builder
		for _, h := range hosts {
			fmt.Fprintf(&b, "resource \"fog_task\" \"host_%d\" {\n  host_id = %d\n  type    = \"Deploy\"\n}\n", h.ID, h.ID)
		}
		return b.String()
	}
	all := env.Config(tasks(hostA, hostC, hostD))
	taskOf := func(h *fogclient.Host) int64 { return env.onlyTaskOf(t, h.ID).ID }
	var idA, idC, idD int64

	// What the last step (everything leaves the configuration) must leave.
	// Terraform destroys the three tasks in parallel, so their requests
	// interleave: each cancel needs an active check of its own task before
	// it, not right before it (this assertion never ran while it was a
	// CheckDestroy, and failed in its strict form once it did).
	afterAll := func() error {
		cancelled, err := checkCancelsAreSafe(env.Emulator.Requests(), true)
		if err != nil {
			return err
		}
		if fmt.Sprint(sortedInt64s(cancelled)) != fmt.Sprint(sortedInt64s([]int64{idA, idC})) {
			return fmt.Errorf("cancelled tasks %v, want exactly %d (host A) and %d (host C, vanished)", cancelled, idA, idC)
		}
		now := snapshot(env.Emulator)
		if d := rowsChanged(start, now, "task", bystander.ID) + rowsChanged(start, now, "host", hostB.ID); d != "" {
			return fmt.Errorf("the bystander (host B and its task) changed: %s", d)
		}
		for _, check := range []stateCheckFunc{
			env.expectTaskStates(t, hostA.ID, fogclient.TaskStateCancelled),
			env.expectTaskStates(t, hostB.ID, fogclient.TaskStateQueued), // the bystander
			env.expectTaskStates(t, hostC.ID),                            // deleted in between, nothing cancelled in its place
			env.expectTaskStates(t, hostD.ID, fogclient.TaskStateComplete),
			env.expectCount("DELETE /fog/task/cancel", 0),
			env.expectCount(routeCreateTask, 1+3), // the bystander fixture, then one per resource: no refresh or destroy started a task
		} {
			if err := check(); err != nil {
				return err
			}
		}
		return nil
	}
	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: all,
				ConfigStateChecks: []statecheck.StateCheck{stateCheckFunc(func() error {
					idA, idC, idD = taskOf(hostA), taskOf(hostC), taskOf(hostD)
					return nil
				})},
			},
			{
				// FOG completes host D's task: refresh records it, and no plan
				// proposes to run it again.
				PreConfig:        func() { mustEmulator(t, "complete task", env.Emulator.CompleteTask(idD)) },
				Config:           all,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(fmt.Sprintf("fog_task.host_%d", hostD.ID), tfjsonpath.New("state"), knownvalue.StringExact("complete")),
				},
			},
			{
				PreConfig: func() { vanish.Store(idC) },
				Config:    env.Config(),
				ConfigStateChecks: []statecheck.StateCheck{stateCheckFunc(func() error {
					if id := vanish.Load(); id != 0 {
						return fmt.Errorf("task %d was never checked before its cancel", id)
					}
					return nil
				}), stateCheckFunc(afterAll)},
			},
		},
	})
}

// TestAccSafety_simultaneousCreatesOfOneName: two creates of one image name
// at the same moment (another Terraform run, a script) can both pass FOG's
// duplicate check; FOG then gives both the same row, holding the values of
// the one that wrote last, and answers both with it (edge recordings E,
// e-concurrent-create-04-a/-b). Whichever side Terraform is on, nothing is
// silently overwritten: the loser is told, and the state holds exactly what
// the server holds.
func TestAccSafety_simultaneousCreatesOfOneName(t *testing.T) {
	t.Run("Terraform writes last and keeps the image", func(t *testing.T) {
		env := newAccEnv(t)
		skipUnlessEmulator(t, env, "makes two creates race inside the emulator")
		name := uniqueImageName("race")
		other := make(chan error, 1)
		var id string
		accParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{{
				PreConfig: func() {
					env.Emulator.ResetCounters()
					env.Emulator.RaceNextCreates(2)
					// Another client's create of the same name arrives first and
					// waits inside FOG for Terraform's.
					otherClient := env.newClient(t, env.APIToken, env.UserToken)
					go func() {
						ctx, cancel := fixtureContext()
						defer cancel()
						_, err := otherClient.CreateImage(ctx, fogclient.ImageCreate{Name: name, Path: name + "-other", ImageTypeID: 1, OSID: 9, Enabled: true})
						other <- err
					}()
					waitUntil(t, func() bool { return env.Emulator.Count("POST /fog/image") == 1 })
				},
				Config: env.Config(imageConfig(name, name+"-terraform", "")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testImageAddr, tfjsonpath.New("id"), captureString(&id)),
					statecheck.ExpectKnownValue(testImageAddr, tfjsonpath.New("path"), knownvalue.StringExact(name+"-terraform")),
					env.expectOneImageNamed(name, &id),
					env.imageOnServer(&id, func(img *fogclient.Image) error {
						if img.Path != name+"-terraform" {
							return fmt.Errorf("server path %q", img.Path)
						}
						return nil
					}),
					stateCheckFunc(func() error {
						var existing *fogclient.ExistingObjectError
						if err := <-other; !errors.As(err, &existing) || !existing.Raced {
							return fmt.Errorf("the other client's create: %v, want a refusal (its values were overwritten)", err)
						}
						return nil
					}),
				},
			}},
		})
	})

	t.Run("Terraform is overwritten and says so", func(t *testing.T) {
		var raced atomic.Bool
		env := newWrappedEmulatorEnv(t, "plays FOG's answer to a lost race", func(srv *fogtest.Server, next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method != http.MethodPost || r.URL.Path != "/fog/image/create" || !raced.CompareAndSwap(false, true) {
					next.ServeHTTP(w, r)
					return
				}
				// Terraform's insert happens, then the other request's
				// ON DUPLICATE KEY UPDATE writes its path into the same row,
				// and FOG answers with the row as it now is.
				rec := httptest.NewRecorder()
				next.ServeHTTP(rec, r)
				ids := srv.IDs("image")
				id := ids[len(ids)-1]
				name, _ := srv.RawField("image", id, "name")
				if err := srv.SetRawField("image", id, "path", name+"-other"); err != nil {
					t.Errorf("overwrite: %v", err)
				}
				get := httptest.NewRequest(http.MethodGet, fmt.Sprintf("/fog/image/%d", id), nil)
				get.Header = r.Header.Clone()
				next.ServeHTTP(w, get)
			})
		})
		name := uniqueImageName("race")
		var before serverSnapshot
		accParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{
				{
					Config: env.Config(imageConfig(name, name+"-terraform", "")),
					ExpectError: expectError(fmt.Sprintf("Unable to create image %q", name), "ran at the same moment",
						fmt.Sprintf(`path is "%[1]s-other" in FOG, "%[1]s-terraform" in this configuration`, name), "terraform import <resource address>"),
				},
				{
					// The failed apply saved nothing: Terraform still plans to create
					// the image (the plan warns that the name is taken), and the
					// apply names the image that holds the name.
					PreConfig: func() {
						if ids := env.Emulator.IDs("image"); len(ids) != 1 {
							t.Errorf("images on the server %v, want the other request's only", ids)
						}
						before = snapshot(env.Emulator)
					},
					Config:      env.Config(imageConfig(name, name+"-terraform", "")),
					ExpectError: expectError(fmt.Sprintf("FOG already has an image named %q", name), "terraform import <resource address>"),
				},
			},
		})
		// The refusal changed nothing, field by field: not the other
		// request's image either.
		assertAfter(t, func() error {
			if d := snapshotDiff(before, snapshot(env.Emulator)); d != "" {
				return fmt.Errorf("the refused create changed the server: %s", d)
			}
			return nil
		})
	})
}

// waitUntil waits for a condition another goroutine brings about (a request
// reaching the emulator), failing the test if it never holds.
func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	for i := 0; i < 10000; i++ {
		if cond() {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatal("condition never held")
}

func sortedInt64s(in []int64) []int64 {
	out := slices.Clone(in)
	slices.Sort(out)
	return out
}
