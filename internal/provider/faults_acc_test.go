// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

// Faults through the real CLI, against the emulator's fault knobs:
// transient faults are absorbed, persistent ones fail at once with the
// route named, and a write whose answer is lost is settled by looking,
// never by sending it again blindly: no duplicate image, no second deploy.

import (
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
	"github.com/fogproject/terraform-provider-fog/internal/fogtest"
)

// injectFaults installs rules on the test's emulator and zeroes its counters.
func (e *accEnv) injectFaults(rules ...fogtest.FaultRule) {
	e.Emulator.ClearFaults()
	e.Emulator.ResetCounters()
	for _, r := range rules {
		e.Emulator.AddFault(r)
	}
}

// expectFaultsFired checks that every installed rule fired as often as it may.
func (e *accEnv) expectFaultsFired() stateCheckFunc {
	return func() error {
		for _, r := range e.Emulator.Faults() {
			if r.Times > 0 && r.Fired != r.Times {
				return fmt.Errorf("fault rule %s %s %s fired %d times, want %d: the test did not exercise it", r.Method, r.Route, r.Kind, r.Fired, r.Times)
			}
		}
		return nil
	}
}

// expectCount checks an emulator route counter.
func (e *accEnv) expectCount(route string, want int64) stateCheckFunc {
	return func() error {
		if got := e.Emulator.Count(route); got != want {
			return fmt.Errorf("%s: %d requests, want %d", route, got, want)
		}
		return nil
	}
}

// expectImagesNamed checks that the server holds exactly one image of name
// and that it is the one in the state (id).
func (e *accEnv) expectOneImageNamed(name string, id *string) stateCheckFunc {
	return func() error {
		ctx, cancel := fixtureContext()
		defer cancel()
		found, err := e.Client.FindImagesByName(ctx, name)
		if err != nil {
			return err
		}
		if len(found) != 1 || fmt.Sprint(found[0].ID) != *id {
			return fmt.Errorf("images named %q on the server: %+v; the state has id %s", name, found, *id)
		}
		return nil
	}
}

// TestAccFaults_transientReadsRetried: 502/503/504 pages, connection resets
// (before PHP ran, and after it answered) and a body too slow for
// request_timeout, all on reads the apply depends on: the apply succeeds,
// every fault fired, and no write was sent twice. The image checked by id is
// one the configuration does not create (an image created in the same apply
// is known to exist and is not read again).
func TestAccFaults_transientReadsRetried(t *testing.T) {
	env := newAccEnv(t)
	skipUnlessEmulator(t, env, "injects faults")
	host := env.CreateHost(t, fogclient.HostCreate{})
	other := env.CreateHost(t, fogclient.HostCreate{})
	existing := env.CreateImage(t, fogclient.ImageCreate{})
	name := uniqueImageName("transient")
	var imageID string
	config := env.providerBlock(map[string]string{"request_timeout": `"2s"`}) + imageConfig(name, name, "") +
		assignmentConfig(host.ID, "tonumber(fog_image.test.id)") + fmt.Sprintf(`
resource "fog_host_image_assignment" "existing" {
  host_id  = %d
  image_id = %d
}
`, other.ID, existing.ID)
	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: func() {
				env.injectFaults(
					fogtest.FaultRule{Method: "GET", Route: "/fog/system/status", Kind: fogtest.FaultStatus, Status: 503, Times: 1},
					fogtest.FaultRule{Method: "GET", Route: "/fog/host/{id}", Kind: fogtest.FaultStatus, Status: 502, Times: 1},
					fogtest.FaultRule{Method: "GET", Route: "/fog/host/{id}", Kind: fogtest.FaultSlowBody, Delay: fogtest.Duration(100e6), Times: 1},
					fogtest.FaultRule{Method: "GET", Route: "/fog/image/{id}", Kind: fogtest.FaultResetBefore, Times: 1},
					fogtest.FaultRule{Method: "GET", Route: "/fog/image/{id}", Kind: fogtest.FaultResetAfter, Times: 1},
					fogtest.FaultRule{Method: "GET", Route: "/fog/image/{id}", Kind: fogtest.FaultStatus, Status: 504, Times: 1},
				)
			},
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(testImageAddr, tfjsonpath.New("id"), captureString(&imageID)),
				env.expectFaultsFired(),
				env.expectCount("POST /fog/image", 1),
				env.expectCount("PUT /fog/host/{id}", 2),
				env.expectOneImageNamed(name, &imageID),
				env.hostOnServer(t, host.ID, hostHasImage(func() int64 { return mustID(t, imageID) })),
				env.hostOnServer(t, other.ID, hostHasImage(func() int64 { return existing.ID })),
			},
		}, {
			// The refresh reads lists (read_cache.go): a list cut off, too
			// slow or refused by a proxy is read again, whole.
			PreConfig: func() {
				env.injectFaults(
					fogtest.FaultRule{Method: "GET", Route: "/fog/image", Kind: fogtest.FaultSlowBody, Delay: fogtest.Duration(100e6), Times: 1},
					fogtest.FaultRule{Method: "GET", Route: "/fog/image", Kind: fogtest.FaultResetAfter, Times: 1},
					fogtest.FaultRule{Method: "GET", Route: "/fog/host", Kind: fogtest.FaultStatus, Status: 502, Times: 1},
					fogtest.FaultRule{Method: "GET", Route: "/fog/host", Kind: fogtest.FaultResetBefore, Times: 1},
				)
			},
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectEmptyPlan(),
				planCheckFunc(func() error { return env.expectFaultsFired()() }),
				// Each list was read whole on its third attempt; nothing fell
				// back to reading objects one by one.
				env.expectRouteCounts(-1, map[string]int64{routeListImages: 3, routeListHosts: 3, routeGetImage: 0, routeGetHost: 0}),
			}},
		}},
	})
}

// TestAccFaults_lostWriteAnswers: the answer to every write of an apply, an
// update and a destroy (image create, host assignment, deploy task, image
// update, cancel, unassignment, image delete) is lost once, in each way an
// answer can be lost. The provider looks before it does anything else:
// nothing is duplicated, no second deploy is started, and the state matches
// the server after each step.
func TestAccFaults_lostWriteAnswers(t *testing.T) {
	for _, lost := range []struct {
		name    string
		rule    fogtest.FaultRule
		applied bool
	}{
		{"reset after FOG applied the write", fogtest.FaultRule{Kind: fogtest.FaultResetAfter}, true},
		{"reset before the write reached PHP", fogtest.FaultRule{Kind: fogtest.FaultResetBefore}, false},
		{"503 from a proxy", fogtest.FaultRule{Kind: fogtest.FaultStatus, Status: 503}, false},
	} {
		t.Run(lost.name, func(t *testing.T) {
			env := newAccEnv(t)
			skipUnlessEmulator(t, env, "injects faults")
			img := env.CreateImage(t, fogclient.ImageCreate{Name: uniqueImageName("old")})
			host := env.CreateHost(t, fogclient.HostCreate{ImageID: img.ID})
			name := uniqueImageName("lost")
			sends := int64(2)
			if lost.applied {
				sends = 1
			}
			loseOnce := func(method, route string) fogtest.FaultRule {
				r := lost.rule
				r.Method, r.Route, r.Times = method, route, 1
				return r
			}
			config := func(description string) string {
				return env.Config(imageConfig(name, name, fmt.Sprintf("  description = %q", description)) +
					assignmentConfig(host.ID, "tonumber(fog_image.test.id)") +
					taskConfig(idString(host.ID), "Deploy", "  image_id = fog_host_image_assignment.test.image_id"))
			}
			var imageID, taskID string
			onlyTask := func() error {
				tasks := env.tasksOf(t, host.ID)
				if len(tasks) != 1 || fmt.Sprint(tasks[0].ID) != taskID {
					return fmt.Errorf("host %d has tasks %+v; the state has task %s", host.ID, tasks, taskID)
				}
				return nil
			}
			// What the destroy step leaves (its Check runs after the destroy).
			afterDestroy := func(*terraform.State) error {
				for _, check := range []stateCheckFunc{
					env.expectFaultsFired(),
					env.expectCount("DELETE /fog/image/{id}", sends),
					env.expectCount("PUT /fog/host/{id}", sends),
					env.expectCount(routeCancelTask, sends),
					env.expectCount("DELETE /fog/task/cancel", 0),
					env.expectTaskStates(t, host.ID, fogclient.TaskStateCancelled),
					env.hostOnServer(t, host.ID, hostHasImage(func() int64 { return 0 })),
				} {
					if err := check(); err != nil {
						return err
					}
				}
				ctx, cancel := fixtureContext()
				defer cancel()
				if left, err := env.Client.FindImagesByName(ctx, name); err != nil || len(left) != 0 {
					return fmt.Errorf("images named %q left: %+v (%v)", name, left, err)
				}
				return nil
			}
			accParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{
						PreConfig: func() {
							env.injectFaults(loseOnce("POST", "/fog/image"), loseOnce("PUT", "/fog/host/{id}"), loseOnce("POST", "/fog/host/{id}/task"))
						},
						Config: config("first"),
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(testImageAddr, tfjsonpath.New("id"), captureString(&imageID)),
							statecheck.ExpectKnownValue(testTaskAddr, tfjsonpath.New("id"), captureString(&taskID)),
							statecheck.ExpectKnownValue(testTaskAddr, tfjsonpath.New("adopted"), knownvalue.Bool(false)),
							env.expectFaultsFired(),
							env.expectCount("POST /fog/image", sends),
							env.expectCount("PUT /fog/host/{id}", sends),
							env.expectCount(routeCreateTask, sends),
							env.expectOneImageNamed(name, &imageID),
							env.hostOnServer(t, host.ID, hostHasImage(func() int64 { return mustID(t, imageID) })),
							stateCheckFunc(onlyTask),
						},
					},
					{
						PreConfig: func() { env.injectFaults(loseOnce("PUT", "/fog/image/{id}")) },
						Config:    config("second"),
						ConfigStateChecks: []statecheck.StateCheck{
							env.expectFaultsFired(),
							env.expectCount("PUT /fog/image/{id}", sends),
							env.imageOnServer(&imageID, func(img *fogclient.Image) error {
								if img.Description != "second" {
									return fmt.Errorf("description %q on the server", img.Description)
								}
								return nil
							}),
							env.expectCount(routeCreateTask, 0),
							stateCheckFunc(onlyTask),
						},
					},
					{
						PreConfig: func() {
							env.injectFaults(loseOnce("DELETE", "/fog/task/{id}/cancel"), loseOnce("PUT", "/fog/host/{id}"), loseOnce("DELETE", "/fog/image/{id}"))
						},
						Config:  config("second"),
						Destroy: true,
						Check:   afterDestroy,
					},
				},
			})
		})
	}
}

// TestAccFaults_persistentFailAtOnce: what is not transient is not retried:
// a PHP fatal error (500), an error page printed with display_errors on, a
// proxy that stays unavailable (retried max_retries times, then named), and
// the API switched off in the middle of an apply. Each fails with a
// diagnostic naming the route and the fix, and leaves nothing behind.
func TestAccFaults_persistentFailAtOnce(t *testing.T) {
	t.Run("PHP fatal on create", func(t *testing.T) {
		env := newAccEnv(t, withEmulatorOptions(func(o *fogtest.Options) { o.RecordRequests = true }))
		skipUnlessEmulator(t, env, "injects faults")
		name := uniqueImageName("fatal")
		var before serverSnapshot
		accParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{
				{
					PreConfig: func() {
						before = snapshot(env.Emulator)
						env.injectFaults(fogtest.FaultRule{Method: "POST", Route: "/fog/image", Kind: fogtest.FaultFatal})
					},
					Config:      env.Config(imageConfig(name, name, "")),
					ExpectError: expectError(fmt.Sprintf(`Unable to create image %q`, name), `FOG answered POST /fog/image/create with HTTP 500`, `PHP error log`),
				},
				{
					PreConfig: func() {
						if got := env.Emulator.Count("POST /fog/image"); got != 1 {
							t.Errorf("the failing create was sent %d times, want once", got)
						}
						log := env.Emulator.Requests()
						if last := log[len(log)-1]; last.Route != "POST /fog/image" {
							t.Errorf("a 500 is FOG's answer, not a lost one, but the provider went on with %s %s", last.Method, last.Path)
						}
						expectSameSnapshot(t, before, snapshot(env.Emulator))
						env.Emulator.ClearFaults()
					},
					Config: env.Config(imageConfig(name, name, "")),
				},
			},
		})
	})

	t.Run("display_errors page on refresh", func(t *testing.T) {
		env := newAccEnv(t)
		skipUnlessEmulator(t, env, "injects faults")
		name := uniqueImageName("display")
		var before serverSnapshot
		accParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{
				{Config: env.Config(imageConfig(name, name, ""))},
				{
					PreConfig: func() {
						before = snapshot(env.Emulator) // a failed refresh changes nothing
						// A refresh reads the image list; when the list fails,
						// each image is read by id (read_cache.go): both fail.
						env.injectFaults(
							fogtest.FaultRule{Method: "GET", Route: "/fog/image", Kind: fogtest.FaultFatalDisplayErrors},
							fogtest.FaultRule{Method: "GET", Route: "/fog/image/{id}", Kind: fogtest.FaultFatalDisplayErrors})
					},
					Config:      env.Config(imageConfig(name, name, "")),
					ExpectError: expectError(`FOG answered GET /fog/image/`, `with HTTP 200 (unexpected content type)`, `display_errors`),
				},
				{
					PreConfig: func() {
						for _, route := range []string{"GET /fog/image", "GET /fog/image/{id}"} {
							if got := env.Emulator.Count(route); got != 1 {
								t.Errorf("%s sent %d times, want once (an error page is not transient)", route, got)
							}
						}
						expectSameSnapshot(t, before, snapshot(env.Emulator))
						env.Emulator.ClearFaults()
					},
					Config: env.Config(imageConfig(name, name, "")),
				},
			},
		})
	})

	t.Run("proxy stays unavailable", func(t *testing.T) {
		env := newAccEnv(t)
		skipUnlessEmulator(t, env, "injects faults")
		name := uniqueImageName("down")
		var before serverSnapshot
		// retry_max_wait = "0s": a proxy that stays unavailable is retried
		// max_retries times only (outage_acc_test.go tests the time budget).
		config := env.providerBlock(map[string]string{"max_retries": "2", "retry_max_wait": `"0s"`}) + imageConfig(name, name, "")
		accParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{
				{Config: config},
				{
					PreConfig: func() {
						before = snapshot(env.Emulator) // a failed refresh changes nothing
						env.injectFaults(
							fogtest.FaultRule{Method: "GET", Route: "/fog/image", Kind: fogtest.FaultStatus, Status: 503},
							fogtest.FaultRule{Method: "GET", Route: "/fog/image/{id}", Kind: fogtest.FaultStatus, Status: 503})
					},
					Config:      config,
					ExpectError: expectError(`FOG answered GET /fog/image/`, `with HTTP 503 (server unavailable)`, `Try again later`),
				},
				{
					PreConfig: func() {
						for _, route := range []string{"GET /fog/image", "GET /fog/image/{id}"} {
							if got := env.Emulator.Count(route); got != 3 {
								t.Errorf("%s sent %d times, want 3 (max_retries = 2)", route, got)
							}
						}
						expectSameSnapshot(t, before, snapshot(env.Emulator))
						env.Emulator.ClearFaults()
					},
					Config: config,
				},
			},
		})
	})

	t.Run("API disabled in the middle of an apply", func(t *testing.T) {
		var creates atomic.Int64
		env := newWrappedEmulatorEnv(t, "switches the API off", func(srv *fogtest.Server, next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				next.ServeHTTP(w, r)
				if r.Method == http.MethodPost && r.URL.Path == "/fog/image/create" && creates.Add(1) == 1 {
					srv.SetAPIEnabled(false) // after the first image, as an admin unticks FOG_API_ENABLED
				}
			})
		})
		prefix := uniqueImageName("midway")
		config := env.Config(fmt.Sprintf(`
resource "fog_image" "a" {
  name          = "%[1]s-a"
  path          = "%[1]s-a"
  image_type_id = 1
  os_id         = 9
}

resource "fog_image" "b" {
  name          = "%[1]s-b"
  path          = "%[1]s-b"
  image_type_id = 1
  os_id         = 9
  depends_on    = [fog_image.a]
}
`, prefix))
		var idA string
		accParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{
				{
					Config: config,
					ExpectError: expectError(fmt.Sprintf(`Unable to create image "%s-b"`, prefix),
						`FOG answered POST /fog/image/create with HTTP 302 (FOG API disabled)`, `FOG_API_ENABLED`),
				},
				{
					PreConfig: func() {
						if got := env.Emulator.Count("POST /fog/image"); got != 2 {
							t.Errorf("%d creates sent, want 2 (image a, and one attempt at image b)", got)
						}
						if ids := env.Emulator.IDs("image"); len(ids) != 1 {
							t.Errorf("images on the server %v, want only image a", ids)
						}
						env.Emulator.SetAPIEnabled(true)
					},
					Config: config,
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue("fog_image.a", tfjsonpath.New("id"), captureString(&idA)),
						env.expectOneImageNamed(prefix+"-a", &idA),
						stateCheckFunc(func() error {
							if ids := env.Emulator.IDs("image"); len(ids) != 2 {
								return fmt.Errorf("images on the server %v, want a and b once each", ids)
							}
							return nil
						}),
					},
				},
			},
		})
	})
}

// TestAccFaults_phpWarningsTolerated: PHP 8 prints warnings on ordinary
// requests (every PUT without "name", reference/fog-api.md §4.6); with display_errors
// on they come before the JSON, on a request FOG has applied. They are
// stripped, not retried and not reported as a failure of a write that
// succeeded.
func TestAccFaults_phpWarningsTolerated(t *testing.T) {
	env := newAccEnv(t)
	skipUnlessEmulator(t, env, "injects faults")
	name := uniqueImageName("warned")
	var id string
	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: env.Config(imageConfig(name, name, `  description = "one"`))},
			{
				PreConfig: func() {
					env.injectFaults(fogtest.FaultRule{Method: "PUT", Route: "/fog/image/{id}", Kind: fogtest.FaultPHPWarning})
				},
				Config: env.Config(imageConfig(name, name, `  description = "two"`)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testImageAddr, tfjsonpath.New("id"), captureString(&id)),
					env.expectCount("PUT /fog/image/{id}", 1),
					env.imageOnServer(&id, func(img *fogclient.Image) error {
						if img.Description != "two" {
							return fmt.Errorf("description %q", img.Description)
						}
						return nil
					}),
				},
			},
		},
	})
}
