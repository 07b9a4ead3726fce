// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
	"github.com/fogproject/terraform-provider-fog/internal/fogtest"
)

// ---- unit tests -------------------------------------------------------------

func TestHostModelFromAPI(t *testing.T) {
	t.Parallel()
	h := &fogclient.Host{
		ID: 7, Name: "lab-07", Description: "R&D <bench>", IP: "10.0.0.7", KernelArgs: "quiet", ImageID: 3,
		PrimaryMAC: "02:00:00:00:00:01",
		// As FOG lists them: primary first, then additional and pending rows
		// in the order they were added; the association route keeps any notation.
		MACs: []string{"02:00:00:00:00:01", "02-00-00-00-00-0A", "02:00:00:00:00:02"},
	}
	m := hostModelFromAPI(h, []string{"02:00:00:00:00:0a"})
	want := hostResourceModel{
		ID: types.StringValue("7"), Name: types.StringValue("lab-07"),
		MACs:        newMACList([]string{"02:00:00:00:00:01", "02:00:00:00:00:02"}),
		PrimaryMAC:  types.StringValue("02:00:00:00:00:01"),
		PendingMACs: stringList([]string{"02:00:00:00:00:0a"}),
		Description: newFOGText("R&D <bench>"), IP: types.StringValue("10.0.0.7"), KernelArgs: types.StringValue("quiet"),
		ImageID: types.Int64Value(3), ForceDestroy: types.BoolValue(false),
	}
	if !m.MACs.Equal(want.MACs) || !m.PendingMACs.Equal(want.PendingMACs) || m.ID != want.ID || m.Name != want.Name ||
		m.PrimaryMAC != want.PrimaryMAC || !m.Description.Equal(want.Description) || m.IP != want.IP ||
		m.KernelArgs != want.KernelArgs || m.ImageID != want.ImageID || m.ForceDestroy != want.ForceDestroy {
		t.Errorf("hostModelFromAPI =\n  %+v\nwant\n  %+v", m, want)
	}
	if none := hostModelFromAPI(&fogclient.Host{ID: 1, PrimaryMAC: "02:00:00:00:00:01", MACs: []string{"02:00:00:00:00:01"}}, nil); none.PendingMACs.IsNull() || len(none.PendingMACs.Elements()) != 0 {
		t.Errorf("no pending MACs must be an empty list, got %v", none.PendingMACs)
	}
}

func plannedHost() hostResourceModel {
	return hostResourceModel{
		ID: types.StringValue("7"), Name: types.StringValue("lab-07"), MACs: newMACList([]string{"02:00:00:00:00:01"}),
		PrimaryMAC: types.StringValue("02:00:00:00:00:01"), PendingMACs: stringList(nil),
		Description: newFOGText("bench 7\n"), IP: types.StringValue("10.0.0.7"), KernelArgs: types.StringValue("quiet"),
		ImageID: types.Int64Value(3), ForceDestroy: types.BoolValue(false),
	}
}

func TestHostToUpdate(t *testing.T) {
	t.Parallel()
	state := plannedHost()
	if u, changed := plannedHost().toUpdate(state); changed {
		t.Errorf("identical plan and state must not send an update: %+v", u)
	}

	trimmed := plannedHost()
	trimmed.Description = newFOGText("bench 7")
	trimmed.ForceDestroy = types.BoolValue(true)
	trimmed.MACs = newMACList([]string{"02-00-00-00-00-01"})
	if u, changed := trimmed.toUpdate(state); changed {
		t.Errorf("text FOG returns the same way, MACs and force_destroy are not host fields to send: %+v", u)
	}

	plan := plannedHost()
	plan.Name = types.StringValue("lab-07b")
	plan.KernelArgs = types.StringValue("")
	plan.ImageID = types.Int64Value(0)
	u, changed := plan.toUpdate(state)
	if !changed || u.Name == nil || *u.Name != "lab-07b" || u.KernelArgs == nil || *u.KernelArgs != "" ||
		u.ImageID == nil || *u.ImageID != 0 {
		t.Errorf("unexpected update: %+v", u)
	}
	if u.Description != nil || u.IP != nil {
		t.Errorf("unchanged fields must be nil (fogclient resends them as read): %+v", u)
	}

	// An image_id left out of the configuration plans unknown on create and
	// the state's value afterwards: never sent.
	unmanaged := plannedHost()
	unmanaged.ImageID = types.Int64Unknown()
	if u, _ := unmanaged.toUpdate(state); u.ImageID != nil {
		t.Errorf("an unmanaged image must not be sent: %d", *u.ImageID)
	}
	if in := unmanaged.toCreate([]string{"02:00:00:00:00:01"}); in.ImageID != 0 || in.Description != "bench 7" {
		t.Errorf("toCreate = %+v", in)
	}
}

func TestDescribeTasks(t *testing.T) {
	t.Parallel()
	one := []fogclient.Task{{ID: 12, Name: "Deploy - lab-07", TypeName: "Deploy", StateID: 1, StateName: "Queued"}}
	if got, want := describeTasks(one), `an active task: task "Deploy - lab-07" (id 12, type Deploy, state Queued)`; got != want {
		t.Errorf("describeTasks = %q, want %q", got, want)
	}
	two := append(one, fogclient.Task{ID: 13, Name: "- lab-07", TypeName: "Debug", StateID: 3})
	if got := describeTasks(two); !strings.HasPrefix(got, "2 active tasks: ") || !strings.Contains(got, "(id 13, type Debug, state in_progress)") {
		t.Errorf("describeTasks = %q", got)
	}
}

// ---- acceptance helpers ---------------------------------------------------------

const testHostAddr = "fog_host.test"

// hostConfig declares fog_host.test; extra holds further arguments.
func hostConfig(name string, macs []string, extra string) string {
	quoted := make([]string, len(macs))
	for i, m := range macs {
		quoted[i] = strconv.Quote(m)
	}
	return fmt.Sprintf(`
resource "fog_host" "test" {
  name = %q
  macs = [%s]
%s
}
`, name, strings.Join(quoted, ", "), extra)
}

func (e *accEnv) checkHostsDestroyed() func(*terraform.State) error {
	return e.checkDestroyed("fog_host", func(ctx context.Context, id int64) error {
		_, err := e.Client.GetHost(ctx, id)
		return err
	})
}

// hostWithID checks the host as FOG stores it; id is captured by an earlier check.
func (e *accEnv) hostWithID(t *testing.T, id *string, check func(*fogclient.Host) error) stateCheckFunc {
	return func() error { return check(e.GetHost(t, mustID(t, *id))) }
}

// hostMACsAre checks a host's MACs on the server: the primary, and the
// others in any order.
func hostMACsAre(primary string, others ...string) func(*fogclient.Host) error {
	return func(h *fogclient.Host) error {
		got := canonicalMACs(h.MACs)
		want := append([]string{canonicalMAC(primary)}, canonicalMACs(others)...)
		if canonicalMAC(h.PrimaryMAC) != want[0] || !sameMACSet(got, want) {
			return fmt.Errorf("host %s has MACs %v (primary %s), want %v", h.Name, h.MACs, h.PrimaryMAC, want)
		}
		return nil
	}
}

// fogRequest sends one raw request to the FOG API, for changes "outside
// Terraform" that fogclient refuses to make (it never moves another host's
// MAC, nor creates pending MACs).
func (e *accEnv) fogRequest(t *testing.T, method, route string, body map[string]any) string {
	t.Helper()
	raw, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := fixtureContext()
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(e.Client.BaseURL(), "/")+route, bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("fog-api-token", e.APIToken)
	req.Header.Set("fog-user-token", e.UserToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, route, err)
	}
	out, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: HTTP %d %s", method, route, resp.StatusCode, out)
	}
	return string(out)
}

// giveMAC creates a MAC row for hostID with FOG's association route, which
// moves the MAC when another host has it (edge recording
// b-mac-create-with-other-hosts-primary).
func (e *accEnv) giveMAC(t *testing.T, hostID int64, mac string, primary, pending bool) {
	t.Helper()
	e.fogRequest(t, http.MethodPost, "/macaddressassociation/create", map[string]any{
		"hostID": hostID, "mac": mac, "primary": flagString(primary), "pending": flagString(pending),
	})
}

func flagString(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// macAudit watches every request the provider sends to the emulator: the
// MAC writes in order, a host PUT carrying "macs" (FOG's destructive MAC
// route), and any request after which a host that had a primary MAC has
// none (FOG then hides it: edge recording b-host-get-without-primary).
type macAudit struct {
	srv *fogtest.Server

	mu       sync.Mutex
	writes   []string
	problems []string
}

var assocIDRoute = regexp.MustCompile(`^/fog/macaddressassociation/([0-9]+)`)

func (a *macAudit) wrap(_ *fogtest.Server, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet || !strings.HasPrefix(r.URL.Path, "/fog/") {
			next.ServeHTTP(w, r)
			return
		}
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		var in map[string]any
		_ = json.Unmarshal(body, &in)

		a.mu.Lock()
		defer a.mu.Unlock()
		visible := a.hostsWithPrimary()
		var line string
		if m := assocIDRoute.FindStringSubmatch(r.URL.Path); m != nil {
			id, _ := strconv.ParseInt(m[1], 10, 64)
			mac, _ := a.srv.RawField("macaddressassociation", id, "mac")
			switch r.Method {
			case http.MethodPut:
				line = fmt.Sprintf("set %s %s", canonicalMAC(mac), flags(in))
			case http.MethodDelete:
				line = "delete " + canonicalMAC(mac)
			}
		} else if strings.HasPrefix(r.URL.Path, "/fog/macaddressassociation") && r.Method == http.MethodPost {
			line = fmt.Sprintf("add %s %s", canonicalMAC(fmt.Sprint(in["mac"])), flags(in))
		} else if strings.HasPrefix(r.URL.Path, "/fog/host/") && r.Method == http.MethodPut {
			line = "host update"
			if _, ok := in["macs"]; ok {
				a.problems = append(a.problems, "a host PUT carried macs: "+string(body))
			}
		}
		next.ServeHTTP(w, r)
		if line != "" {
			a.writes = append(a.writes, line)
		}
		after := a.hostsWithPrimary()
		for id := range visible {
			if _, exists := a.srv.RawField("host", id, "name"); exists && !after[id] {
				a.problems = append(a.problems, fmt.Sprintf("host %d had no primary MAC after %s %s %s", id, r.Method, r.URL.Path, body))
			}
		}
	})
}

func flags(in map[string]any) string {
	var parts []string
	for _, k := range []string{"primary", "pending"} {
		if v, ok := in[k]; ok {
			parts = append(parts, fmt.Sprintf("%s=%v", k, v))
		}
	}
	return strings.Join(parts, " ")
}

func (a *macAudit) hostsWithPrimary() map[int64]bool {
	out := map[int64]bool{}
	for _, id := range a.srv.IDs("macaddressassociation") {
		if p, _ := a.srv.RawField("macaddressassociation", id, "primary"); p == "1" {
			h, _ := a.srv.RawField("macaddressassociation", id, "hostID")
			n, _ := strconv.ParseInt(h, 10, 64)
			out[n] = true
		}
	}
	return out
}

// expectWrites checks the MAC and host writes since the last check: the
// phases in order, the writes within a phase in any order. Against a real
// server (nil audit) there is nothing to check.
func (a *macAudit) expectWrites(phases ...[]string) stateCheckFunc {
	return func() error {
		if a == nil {
			return nil
		}
		a.mu.Lock()
		got := a.writes
		a.writes = nil
		problems := a.problems
		a.mu.Unlock()
		if len(problems) > 0 {
			return fmt.Errorf("unsafe MAC handling: %s", strings.Join(problems, "; "))
		}
		i := 0
		for _, phase := range phases {
			if i+len(phase) > len(got) {
				return fmt.Errorf("writes %q, want the phases %q", got, phases)
			}
			have := append([]string(nil), got[i:i+len(phase)]...)
			want := append([]string(nil), phase...)
			sort.Strings(have)
			sort.Strings(want)
			if strings.Join(have, "|") != strings.Join(want, "|") {
				return fmt.Errorf("writes %q, want the phases %q", got, phases)
			}
			i += len(phase)
		}
		if i != len(got) {
			return fmt.Errorf("writes %q, want the phases %q", got, phases)
		}
		return nil
	}
}

// newHostAccEnv is newAccEnv with a macAudit on the emulator; against a
// real server the audit is nil and its checks pass without checking.
func newHostAccEnv(t *testing.T) (*accEnv, *macAudit) {
	t.Helper()
	if os.Getenv(envServerURL) != "" && os.Getenv(envAPIToken) != "" && os.Getenv(envUserToken) != "" {
		return newAccEnv(t), nil
	}
	audit := &macAudit{}
	env := newWrappedEmulatorEnv(t, "", func(srv *fogtest.Server, next http.Handler) http.Handler {
		audit.srv = srv
		return audit.wrap(srv, next)
	})
	return env, audit
}

func phase(lines ...string) []string { return lines }

// ---- acceptance tests ---------------------------------------------------------------

// TestAccHost_lifecycle: create, import by id and by name, update of every
// field, MAC add / remove / primary change / full replacement (in place,
// in the safe order, the host visible throughout), drift (changed and
// deleted outside Terraform), destroy.
func TestAccHost_lifecycle(t *testing.T) {
	env, audit := newHostAccEnv(t)
	name, renamed := uniqueHostName(), uniqueHostName()
	m1, m2, m3, m4 := randomMAC(), randomMAC(), randomMAC(), randomMAC()
	upper := func(m string) string { return strings.ToUpper(strings.ReplaceAll(m, ":", "-")) }
	var id string
	sameID := statecheck.CompareValue(compare.ValuesSame())
	inPlace := func() resource.ConfigPlanChecks {
		return resource.ConfigPlanChecks{
			PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(testHostAddr, plancheck.ResourceActionUpdate)},
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		}
	}
	fields := `
  description = "R&D <bench> 'A'"
  ip          = "10.0.0.5"
  kernel_args = "quiet&x=1"
`
	updatedFields := `
  description = "second bench"
  ip          = "10.0.0.6"
  kernel_args = "nomodeset"
`

	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.checkHostsDestroyed(),
		Steps: []resource.TestStep{
			{
				// MACs in FOG's dash notation and upper case: kept as written.
				Config: env.Config(hostConfig(name, []string{upper(m1), m2}, fields)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(testHostAddr, plancheck.ResourceActionCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testHostAddr, tfjsonpath.New("id"), captureString(&id)),
					sameID.AddStateValue(testHostAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(testHostAddr, tfjsonpath.New("name"), knownvalue.StringExact(name)),
					statecheck.ExpectKnownValue(testHostAddr, tfjsonpath.New("macs"),
						knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(upper(m1)), knownvalue.StringExact(m2)})),
					statecheck.ExpectKnownValue(testHostAddr, tfjsonpath.New("primary_mac"), knownvalue.StringExact(m1)),
					statecheck.ExpectKnownValue(testHostAddr, tfjsonpath.New("pending_macs"), knownvalue.ListSizeExact(0)),
					statecheck.ExpectKnownValue(testHostAddr, tfjsonpath.New("description"), knownvalue.StringExact("R&D <bench> 'A'")),
					statecheck.ExpectKnownValue(testHostAddr, tfjsonpath.New("ip"), knownvalue.StringExact("10.0.0.5")),
					statecheck.ExpectKnownValue(testHostAddr, tfjsonpath.New("kernel_args"), knownvalue.StringExact("quiet&x=1")),
					statecheck.ExpectKnownValue(testHostAddr, tfjsonpath.New("image_id"), knownvalue.Int64Exact(0)),
					statecheck.ExpectKnownValue(testHostAddr, tfjsonpath.New("force_destroy"), knownvalue.Bool(false)),
					env.hostWithID(t, &id, hostMACsAre(m1, m2)),
					env.hostWithID(t, &id, func(h *fogclient.Host) error {
						if h.Name != name || h.Description != "R&D <bench> 'A'" || h.IP != "10.0.0.5" || h.KernelArgs != "quiet&x=1" {
							return fmt.Errorf("FOG stored %+v", h)
						}
						return nil
					}),
					audit.expectWrites(),
				},
			},
			{
				ResourceName:            testHostAddr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"macs.0"}, // imported in FOG's notation: checked below
				ImportStateCheck:        importedMACs(m1, m2),
			},
			{
				ResourceName:            testHostAddr,
				ImportState:             true,
				ImportStateIdFunc:       func(*terraform.State) (string, error) { return "name:" + strings.ToUpper(name), nil },
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"macs.0"},
				ImportStateCheck:        importedMACs(m1, m2),
			},
			{
				// Every field, and a MAC added: an additional row, nothing else.
				Config:           env.Config(hostConfig(renamed, []string{upper(m1), m2, m3}, updatedFields)),
				ConfigPlanChecks: inPlace(),
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(testHostAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(testHostAddr, tfjsonpath.New("name"), knownvalue.StringExact(renamed)),
					statecheck.ExpectKnownValue(testHostAddr, tfjsonpath.New("description"), knownvalue.StringExact("second bench")),
					env.hostWithID(t, &id, hostMACsAre(m1, m2, m3)),
					env.hostWithID(t, &id, func(h *fogclient.Host) error {
						if h.Name != renamed || h.Description != "second bench" || h.IP != "10.0.0.6" || h.KernelArgs != "nomodeset" {
							return fmt.Errorf("FOG stored %+v", h)
						}
						return nil
					}),
					audit.expectWrites(phase("host update"), phase("add "+m3+" primary=0 pending=0")),
				},
			},
			{
				// An additional MAC removed.
				Config:           env.Config(hostConfig(renamed, []string{upper(m1), m3}, updatedFields)),
				ConfigPlanChecks: inPlace(),
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(testHostAddr, tfjsonpath.New("id")),
					env.hostWithID(t, &id, hostMACsAre(m1, m3)),
					audit.expectWrites(phase("delete " + m2)),
				},
			},
			{
				// The primary changes to an additional MAC: promoted first, then
				// the old one demoted; it stays as an additional MAC.
				Config:           env.Config(hostConfig(renamed, []string{m3, upper(m1)}, updatedFields)),
				ConfigPlanChecks: inPlace(),
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(testHostAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(testHostAddr, tfjsonpath.New("primary_mac"), knownvalue.StringExact(m3)),
					env.hostWithID(t, &id, hostMACsAre(m3, m1)),
					audit.expectWrites(phase("set "+m3+" primary=1"), phase("set "+m1+" primary=0")),
				},
			},
			{
				// Every MAC replaced by a new one: added, promoted, the old
				// primary demoted, then the old MACs deleted.
				Config:           env.Config(hostConfig(renamed, []string{m4}, updatedFields)),
				ConfigPlanChecks: inPlace(),
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(testHostAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(testHostAddr, tfjsonpath.New("macs"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(m4)})),
					env.hostWithID(t, &id, hostMACsAre(m4)),
					audit.expectWrites(phase("add "+m4+" primary=0 pending=0"), phase("set "+m4+" primary=1"),
						phase("set "+m3+" primary=0"), phase("delete "+m3, "delete "+m1)),
				},
			},
			{
				// Drift: changed in FOG; the apply puts the configuration back.
				PreConfig: func() {
					ctx, cancel := fixtureContext()
					defer cancel()
					desc, ip := "changed in the FOG UI", "10.9.9.9"
					if _, err := env.Client.UpdateHost(ctx, mustID(t, id), fogclient.HostUpdate{Description: &desc, IP: &ip}); err != nil {
						t.Fatalf("out-of-band update: %v", err)
					}
					if _, err := env.Client.SetHostMACs(ctx, mustID(t, id), []string{m4, m2}); err != nil {
						t.Fatalf("out-of-band MAC change: %v", err)
					}
					_ = audit.expectWrites()() // the out-of-band writes are not the provider's
				},
				Config: env.Config(hostConfig(renamed, []string{m4}, updatedFields)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testHostAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(testHostAddr, tfjsonpath.New("description"), knownvalue.StringExact("second bench")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(testHostAddr, tfjsonpath.New("id")),
					env.hostWithID(t, &id, hostMACsAre(m4)),
					env.hostWithID(t, &id, func(h *fogclient.Host) error {
						if h.Description != "second bench" || h.IP != "10.0.0.6" {
							return fmt.Errorf("drift not corrected, FOG has %+v", h)
						}
						return nil
					}),
					audit.expectWrites(phase("host update"), phase("delete "+m2)),
				},
			},
			{
				// Drift: deleted outside Terraform; created again.
				PreConfig: func() {
					ctx, cancel := fixtureContext()
					defer cancel()
					if err := env.Client.DeleteHost(ctx, mustID(t, id)); err != nil {
						t.Fatalf("out-of-band delete: %v", err)
					}
					_ = audit.expectWrites()()
				},
				Config: env.Config(hostConfig(renamed, []string{m4}, updatedFields)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testHostAddr, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testHostAddr, tfjsonpath.New("id"), knownvalue.StringFunc(func(v string) error {
						if v == id {
							return fmt.Errorf("expected a new id, got the deleted host's id %s", v)
						}
						return nil
					})),
					statecheck.ExpectKnownValue(testHostAddr, tfjsonpath.New("name"), knownvalue.StringExact(renamed)),
				},
			},
		},
	})
}

// importedMACs checks that an import reads the MACs in FOG's notation.
func importedMACs(primary string, others ...string) resource.ImportStateCheckFunc {
	return func(states []*terraform.InstanceState) error {
		if len(states) != 1 {
			return fmt.Errorf("imported %d instances", len(states))
		}
		attrs := states[0].Attributes
		n, _ := strconv.Atoi(attrs["macs.#"])
		got := make([]string, n)
		for i := range got {
			got[i] = attrs[fmt.Sprintf("macs.%d", i)]
		}
		if !sameMACSet(got, append([]string{primary}, others...)) || got[0] != canonicalMAC(primary) {
			return fmt.Errorf("imported macs %v, want %s first (lower case with colons), then %v", got, canonicalMAC(primary), others)
		}
		if attrs["force_destroy"] != "false" {
			return fmt.Errorf("imported force_destroy %q", attrs["force_destroy"])
		}
		return nil
	}
}

// TestAccHost_macStolenOutsideTerraform: FOG's association route gives a
// MAC to another host without a word (edge recording
// b-mac-create-with-other-hosts-primary). The plan shows the loss; taking
// the MAC back is refused, naming the host that has it; a host that lost its
// primary MAC is hidden by FOG and planned for creation, which the plan warns
// about and the apply refuses before it writes.
func TestAccHost_macStolenOutsideTerraform(t *testing.T) {
	env := newAccEnv(t)
	name := uniqueHostName()
	m1, m2 := randomMAC(), randomMAC()
	thief := env.CreateHost(t, fogclient.HostCreate{})
	var id string
	t.Cleanup(func() {
		// The host that lost its only MAC is invisible to the API; give it
		// a primary MAC again so that it can be deleted.
		if id == "" {
			return
		}
		ctx, cancel := fixtureContext()
		defer cancel()
		if _, err := env.Client.GetHost(ctx, mustID(t, id)); err == nil {
			return
		}
		env.giveMAC(t, mustID(t, id), m1, true, false)
		if err := env.Client.DeleteHost(ctx, mustID(t, id)); err != nil {
			t.Errorf("cleanup: delete host %s: %v", id, err)
		}
	})

	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.Config(hostConfig(name, []string{m1, m2}, "")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testHostAddr, tfjsonpath.New("id"), captureString(&id)),
				},
			},
			{
				// The additional MAC moves to another host outside Terraform.
				PreConfig:   func() { env.giveMAC(t, thief.ID, m2, false, false) },
				Config:      env.Config(hostConfig(name, []string{m1, m2}, "")),
				ExpectError: expectError(fmt.Sprintf(`MAC address %s belongs to host %q (id %d)`, m2, thief.Name, thief.ID), "Nothing was changed"),
			},
			{
				// Accepting the loss: the configuration matches FOG again.
				Config: env.Config(hostConfig(name, []string{m1}, "")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testHostAddr, plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					env.hostWithID(t, &id, hostMACsAre(m1)),
					env.hostOnServer(t, thief.ID, hostMACsAre(thief.PrimaryMAC, m2)),
				},
			},
			{
				// The primary (and only) MAC moves too: FOG hides the host.
				PreConfig:   func() { env.giveMAC(t, thief.ID, m1, false, false) },
				Config:      env.Config(hostConfig(name, []string{m1}, "")),
				ExpectError: expectError(fmt.Sprintf(`Unable to create host %q`, name), fmt.Sprintf(`MAC address %s belongs to host %q`, m1, thief.Name)),
			},
		},
	})
}

// TestAccHost_invalidInput: what FOG would silently mangle is refused at
// plan time; a MAC or name another host has, a missing image and bad import
// ids are refused with what to do. Nothing is created.
func TestAccHost_invalidInput(t *testing.T) {
	env := newAccEnv(t)
	ok, mac := uniqueHostName(), randomMAC()
	other := env.CreateHost(t, fogclient.HostCreate{Name: "Tfacc-" + randomString(9)})
	// planStep is refused at plan (what the configuration alone shows),
	// applyStep at apply (the server's state); both point at attr's line.
	planStep := func(name string, macs []string, extra, attr, want string) resource.TestStep {
		return resource.TestStep{Config: env.Config(hostConfig(name, macs, extra)), PlanOnly: true, ExpectError: badInputError(attr, []string{want})}
	}
	applyStep := func(name string, macs []string, extra, attr, want string) resource.TestStep {
		return resource.TestStep{Config: env.Config(hostConfig(name, macs, extra)), ExpectError: badInputError(attr, []string{want})}
	}
	const missing = 987654321

	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			planStep(strings.Repeat("a", 16), []string{mac}, "", "name", "16 characters long, the limit is 15"),
			planStep("bob's-pc", []string{mac}, "", "name", "FOG returns ' as &#039;"),
			planStep("lab%01", []string{mac}, "", "name", "wildcard in FOG's name filters"),
			planStep("host_api_x", []string{mac}, "", "name", `FOG hides every object whose name contains "_api_"`),
			planStep("lab 01", []string{mac}, "", "name", "which FOG does not allow in a host name"),
			planStep(ok, []string{"00:11:22:33:44"}, "", "macs", `"00:11:22:33:44" is not a MAC address`),
			planStep(ok, []string{mac, strings.ToUpper(strings.ReplaceAll(mac, ":", "-"))}, "", "macs", mac+" is listed twice"),
			planStep(ok, []string{}, "", "macs", "must contain at least 1 elements"),
			planStep(ok, []string{mac}, `  ip = "2001:db8:0:0:0:0:ff00:0042"`, "ip", "26 characters long, the limit is 25"),
			planStep(ok, []string{mac}, `  kernel_args = "quiet  splash"`, "kernel_args", "repeated spaces"),
			planStep(ok, []string{mac}, `  image_id = -1`, "image_id", "must be at least 0"),
			planStep(ok, []string{mac}, `  description = "party `+"\U0001F389"+`"`, "description", "outside the Basic Multilingual Plane"),
			applyStep(ok, []string{mac, strings.ToUpper(other.PrimaryMAC)}, "", "macs",
				fmt.Sprintf(`MAC address %s belongs to host %q (id %d)`, other.PrimaryMAC, other.Name, other.ID)),
			{
				// FOG compares names without regard to case: the error names the
				// existing host and how to import it.
				Config: env.Config(hostConfig(strings.ToLower(other.Name), []string{mac}, "")),
				ExpectError: badInputError("name", []string{fmt.Sprintf(`FOG already has a host named %q (id %d)`, other.Name, other.ID),
					fmt.Sprintf(`terraform import <resource address> %d`, other.ID)}),
			},
			applyStep(ok, []string{mac}, fmt.Sprintf("  image_id = %d", missing), "image_id", fmt.Sprintf("FOG has no image with id %d", missing)),
			{
				Config:        env.Config(hostConfig(ok, []string{mac}, "")),
				ResourceName:  testHostAddr,
				ImportState:   true,
				ImportStateId: "lab 01",
				ExpectError:   expectError(`import id must be the host's FOG id (for example 12) or its name prefixed with "name:"`),
			},
			{
				Config:        env.Config(hostConfig(ok, []string{mac}, "")),
				ResourceName:  testHostAddr,
				ImportState:   true,
				ImportStateId: "name:" + ok,
				ExpectError:   expectError(fmt.Sprintf(`Unable to import host %q`, ok), `FOG lists no host with this name`),
			},
		},
	})
	assertAfter(t, func() error {
		ctx, cancel := fixtureContext()
		defer cancel()
		if found, err := env.Client.FindHostsByName(ctx, ok); err != nil || len(found) > 0 {
			return fmt.Errorf("host %s exists after refused plans (%v)", ok, err)
		}
		return hostMACsAre(other.PrimaryMAC)(env.GetHost(t, other.ID))
	})
}

// TestAccHost_rename: renamed in place; FOG accepts a change of case only
// towards the all-lower-case name (reference/fog-api.md §6.2), refuses any other, which
// two applies through a different name do.
func TestAccHost_rename(t *testing.T) {
	env := newAccEnv(t)
	mixed := "Tfacc-" + strings.ToUpper(randomString(9))
	lower, upper := strings.ToLower(mixed), strings.ToUpper(mixed)
	mac := randomMAC()
	var id string
	sameID := statecheck.CompareValue(compare.ValuesSame())
	renamedTo := func(want string) []statecheck.StateCheck {
		return []statecheck.StateCheck{
			sameID.AddStateValue(testHostAddr, tfjsonpath.New("id")),
			statecheck.ExpectKnownValue(testHostAddr, tfjsonpath.New("name"), knownvalue.StringExact(want)),
			env.hostWithID(t, &id, func(h *fogclient.Host) error {
				if h.Name != want {
					return fmt.Errorf("FOG has name %q, want %q", h.Name, want)
				}
				return nil
			}),
		}
	}

	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.checkHostsDestroyed(),
		Steps: []resource.TestStep{
			{
				Config: env.Config(hostConfig(mixed, []string{mac}, "")),
				ConfigStateChecks: append([]statecheck.StateCheck{
					statecheck.ExpectKnownValue(testHostAddr, tfjsonpath.New("id"), captureString(&id)),
				}, renamedTo(mixed)...),
			},
			{
				Config: env.Config(hostConfig(lower, []string{mac}, "")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testHostAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: renamedTo(lower),
			},
			{
				Config:      env.Config(hostConfig(upper, []string{mac}, "")),
				ExpectError: expectError(fmt.Sprintf(`Unable to rename host %q to %q`, lower, upper), `FOG refuses a change of letter case only`),
			},
			{
				Config:            env.Config(hostConfig(tempName(upper), []string{mac}, "")),
				ConfigStateChecks: renamedTo(tempName(upper)),
			},
			{
				Config:            env.Config(hostConfig(upper, []string{mac}, "")),
				ConfigStateChecks: renamedTo(upper),
			},
		},
	})
}

// TestAccHost_destroyRefusedWhileTaskActive: FOG deletes a host's tasks with
// the host (edge recording f-task-get-after-host-delete), so destroy refuses
// and names the task, unless force_destroy was applied first.
func TestAccHost_destroyRefusedWhileTaskActive(t *testing.T) {
	env := newAccEnv(t)
	name, imageName, mac := uniqueHostName(), uniqueImageName("hostdel"), randomMAC()
	var id string
	var task *fogclient.Task
	config := func(extra string) string {
		return env.Config(imageConfig(imageName, imageName, ""), hostConfig(name, []string{mac}, "  image_id = fog_image.test.id\n"+extra))
	}

	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(s *terraform.State) error {
			if err := env.checkHostsDestroyed()(s); err != nil {
				return err
			}
			ctx, cancel := fixtureContext()
			defer cancel()
			if _, err := env.Client.GetTask(ctx, task.ID); !errors.Is(err, fogclient.ErrNotFound) {
				return fmt.Errorf("task %d of the forcibly deleted host: %v, want FOG to have deleted it", task.ID, err)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: config(""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testHostAddr, tfjsonpath.New("id"), captureString(&id)),
					statecheck.CompareValuePairs(testHostAddr, tfjsonpath.New("image_id"), testImageAddr, tfjsonpath.New("id"), numberEqualsString{}),
				},
			},
			{
				PreConfig: func() { task = env.createTask(t, mustID(t, id), fogclient.TaskTypeDeploy) },
				Config:    config(""),
				Destroy:   true,
				ExpectError: expectError(fmt.Sprintf(`Unable to delete host %q`, name), fmt.Sprintf(`The host has an active task: task "tfacc - %s" (id`, name),
					"type Deploy, state Queued", "force_destroy = true"),
			},
			{
				// A Terraform-only setting: nothing is written to FOG.
				Config: config("  force_destroy = true\n"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testHostAddr, tfjsonpath.New("force_destroy"), knownvalue.Bool(true)),
					env.expectRequests("PUT /fog/host/{id}", 0),
					stateCheckFunc(func() error {
						if tasks := env.tasksOf(t, mustID(t, id)); len(tasks) != 1 || !tasks[0].Active() {
							return fmt.Errorf("the task must still be active: %+v", tasks)
						}
						return nil
					}),
				},
			},
		},
	})
}

// TestAccHost_imageOwnership: a fog_host without image_id and a
// fog_host_image_assignment share a host without undoing each other; then
// the image moves to fog_host's own image_id; removing image_id leaves the
// host's image as it is.
func TestAccHost_imageOwnership(t *testing.T) {
	env := newAccEnv(t)
	name, mac := uniqueHostName(), randomMAC()
	imageA := env.CreateImage(t, fogclient.ImageCreate{})
	imageB := env.CreateImage(t, fogclient.ImageCreate{})
	var id string
	withAssignment := func(description string) string {
		return env.Config(hostConfig(name, []string{mac}, fmt.Sprintf("  description = %q\n", description)), fmt.Sprintf(`
resource "fog_host_image_assignment" "test" {
  host_id  = tonumber(fog_host.test.id)
  image_id = %d
}
`, imageA.ID))
	}
	hostImage := func(want int64) stateCheckFunc {
		return env.hostWithID(t, &id, func(h *fogclient.Host) error {
			if h.ImageID != want {
				return fmt.Errorf("host %s has image %d, want %d", h.Name, h.ImageID, want)
			}
			return nil
		})
	}

	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.checkHostsDestroyed(),
		Steps: []resource.TestStep{
			{
				// The assignment owns the image; fog_host only reports it.
				Config: withAssignment("first"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testHostAddr, tfjsonpath.New("id"), captureString(&id)),
					hostImage(imageA.ID),
				},
			},
			{
				// A host change sends no image: the assignment's stays.
				Config: withAssignment("second"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testHostAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction(testAssignmentAddr, plancheck.ResourceActionNoop),
					plancheck.ExpectKnownValue(testHostAddr, tfjsonpath.New("image_id"), knownvalue.Int64Exact(imageA.ID)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testHostAddr, tfjsonpath.New("image_id"), knownvalue.Int64Exact(imageA.ID)),
					statecheck.ExpectKnownValue(testHostAddr, tfjsonpath.New("description"), knownvalue.StringExact("second")),
					hostImage(imageA.ID),
				},
			},
			{
				// The image moves to fog_host: the assignment goes, and
				// whichever runs first, the host ends with image B.
				Config: env.Config(hostConfig(name, []string{mac}, fmt.Sprintf("  description = \"second\"\n  image_id = %d\n", imageB.ID))),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(testAssignmentAddr, plancheck.ResourceActionDestroy),
						plancheck.ExpectResourceAction(testHostAddr, plancheck.ResourceActionUpdate),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testHostAddr, tfjsonpath.New("image_id"), knownvalue.Int64Exact(imageB.ID)),
					hostImage(imageB.ID),
				},
			},
			{
				Config: env.Config(hostConfig(name, []string{mac}, "  description = \"second\"\n  image_id = 0\n")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testHostAddr, tfjsonpath.New("image_id"), knownvalue.Int64Exact(0)),
					hostImage(0),
				},
			},
			{
				Config:            env.Config(hostConfig(name, []string{mac}, fmt.Sprintf("  description = \"second\"\n  image_id = %d\n", imageA.ID))),
				ConfigStateChecks: []statecheck.StateCheck{hostImage(imageA.ID)},
			},
			{
				// No longer managed here: nothing to change, the image stays.
				Config: env.Config(hostConfig(name, []string{mac}, "  description = \"second\"\n")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testHostAddr, plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testHostAddr, tfjsonpath.New("image_id"), knownvalue.Int64Exact(imageA.ID)),
					hostImage(imageA.ID),
				},
			},
		},
	})
}

// TestAccHost_pendingMACs: MACs the FOG client service reported stay
// pending and out of macs (no drift); listing one approves it; changing the
// MACs leaves the others alone.
func TestAccHost_pendingMACs(t *testing.T) {
	env, audit := newHostAccEnv(t)
	name := uniqueHostName()
	m1, p1, p2, m3 := randomMAC(), randomMAC(), randomMAC(), randomMAC()
	var id string
	pendingOnServer := func(want ...string) stateCheckFunc {
		return func() error {
			ctx, cancel := fixtureContext()
			defer cancel()
			rows, err := env.Client.HostMACAssociations(ctx, mustID(t, id))
			if err != nil {
				return err
			}
			var got []string
			for _, r := range rows {
				if r.Pending {
					got = append(got, canonicalMAC(r.MAC))
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				return fmt.Errorf("pending MACs on the server %v, want %v", got, want)
			}
			return nil
		}
	}
	report := func(pending ...string) knownvalue.Check {
		checks := make([]knownvalue.Check, len(pending))
		for i, p := range pending {
			checks[i] = knownvalue.StringExact(p)
		}
		return knownvalue.ListExact(checks)
	}

	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.checkHostsDestroyed(),
		Steps: []resource.TestStep{
			{
				Config: env.Config(hostConfig(name, []string{m1}, "")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testHostAddr, tfjsonpath.New("id"), captureString(&id)),
				},
			},
			{
				PreConfig: func() {
					env.giveMAC(t, mustID(t, id), p1, false, true)
					_ = audit.expectWrites()()
				},
				Config: env.Config(hostConfig(name, []string{m1}, "")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testHostAddr, plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testHostAddr, tfjsonpath.New("macs"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(m1)})),
					statecheck.ExpectKnownValue(testHostAddr, tfjsonpath.New("pending_macs"), report(p1)),
					pendingOnServer(p1),
				},
			},
			{
				// Listed: approved in place, nothing else written.
				Config: env.Config(hostConfig(name, []string{m1, p1}, "")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(testHostAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(testHostAddr, tfjsonpath.New("pending_macs"), report()),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testHostAddr, tfjsonpath.New("pending_macs"), report()),
					env.hostWithID(t, &id, hostMACsAre(m1, p1)),
					pendingOnServer(),
					audit.expectWrites(phase("set " + p1 + " pending=0")),
				},
			},
			{
				// Another pending MAC arrives; every managed MAC is replaced.
				PreConfig: func() {
					env.giveMAC(t, mustID(t, id), p2, false, true)
					_ = audit.expectWrites()()
				},
				Config: env.Config(hostConfig(name, []string{m3}, "")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(testHostAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testHostAddr, tfjsonpath.New("primary_mac"), knownvalue.StringExact(m3)),
					statecheck.ExpectKnownValue(testHostAddr, tfjsonpath.New("pending_macs"), report(p2)),
					env.hostWithID(t, &id, hostMACsAre(m3, p2)),
					pendingOnServer(p2),
					audit.expectWrites(phase("add "+m3+" primary=0 pending=0"), phase("set "+m3+" primary=1"),
						phase("set "+m1+" primary=0"), phase("delete "+m1, "delete "+p1)),
				},
			},
		},
	})
}

// TestAccHost_example: the documented example applies as written (the image
// looked up by name, one host owning its image, one leaving it to an
// assignment), and re-planning proposes nothing.
func TestAccHost_example(t *testing.T) {
	env := newAccEnv(t)
	skipUnlessEmulator(t, env, "the example uses fixed host names, MACs and image names")
	imageID, err := env.Emulator.SeedImage("Win10-Base")
	mustEmulator(t, "seed image", err)
	config := env.Config(exampleConfig(t, "resources/fog_host/resource.tf"))

	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.checkHostsDestroyed(),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("fog_host.lab01", tfjsonpath.New("image_id"), knownvalue.Int64Exact(imageID)),
					statecheck.ExpectKnownValue("fog_host.lab01", tfjsonpath.New("primary_mac"), knownvalue.StringExact("02:00:5e:10:00:01")),
					env.hostOnServerByName(t, "lab-02", func(h *fogclient.Host) error {
						if h.ImageID != imageID {
							return fmt.Errorf("lab-02 has image %d, want %d from its assignment", h.ImageID, imageID)
						}
						return nil
					}),
					env.hostOnServerByName(t, "lab-01", hostMACsAre("02:00:5e:10:00:01", "02:00:5e:10:00:a1")),
				},
			},
			{
				// lab-02 reports the image its assignment set once refreshed,
				// without planning any change.
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("fog_host.lab02", tfjsonpath.New("image_id"), knownvalue.Int64Exact(imageID)),
				},
			},
		},
	})
}

// hostOnServerByName checks the host FOG lists under name.
func (e *accEnv) hostOnServerByName(t *testing.T, name string, check func(*fogclient.Host) error) stateCheckFunc {
	return func() error {
		ctx, cancel := fixtureContext()
		defer cancel()
		hosts, err := e.Client.FindHostsByName(ctx, name)
		if err != nil || len(hosts) != 1 {
			return fmt.Errorf("%s: %v %v", name, hosts, err)
		}
		return check(e.GetHost(t, hosts[0].ID))
	}
}

// TestAccHost_adoptExisting: a host registered in FOG is brought under
// Terraform with an import block (by name). A configuration that writes the
// MACs in another notation and order plans one update that writes nothing,
// and then nothing more.
func TestAccHost_adoptExisting(t *testing.T) {
	env, audit := newHostAccEnv(t)
	m1, m2, m3 := randomMAC(), randomMAC(), randomMAC()
	existing := env.CreateHost(t, fogclient.HostCreate{MACs: []string{m1, m2, m3}, Description: "registered by hand", IP: "10.0.0.7"})
	upper := strings.ToUpper(strings.ReplaceAll(m1, ":", "-"))
	config := env.Config(fmt.Sprintf(`
import {
  to = fog_host.test
  id = "name:%s"
}
`, existing.Name), hostConfig(existing.Name, []string{upper, m3, m2}, `
  description = "registered by hand"
  ip          = "10.0.0.7"
`))

	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.checkHostsDestroyed(),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(testHostAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testHostAddr, tfjsonpath.New("id"), knownvalue.StringExact(strconv.FormatInt(existing.ID, 10))),
					statecheck.ExpectKnownValue(testHostAddr, tfjsonpath.New("macs"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact(upper), knownvalue.StringExact(m3), knownvalue.StringExact(m2),
					})),
					statecheck.ExpectKnownValue(testHostAddr, tfjsonpath.New("force_destroy"), knownvalue.Bool(false)),
					env.hostOnServer(t, existing.ID, hostMACsAre(m1, m2, m3)),
					audit.expectWrites(),
				},
			},
		},
	})
}

// TestHostModifyPlanWarnsBeforeDestroy: a destroy plan names the active task
// and says what the apply will do with it.
func TestHostModifyPlanWarnsBeforeDestroy(t *testing.T) {
	h := newHostHarness(t)
	img, err := h.srv.SeedImage("win10")
	mustEmulator(t, "seed image", err)
	busy, err := h.srv.SeedHost("busy", img, "02:00:00:00:00:01")
	mustEmulator(t, "seed host", err)
	idle, err := h.srv.SeedHost("idle", img, "02:00:00:00:00:02")
	mustEmulator(t, "seed host", err)
	task, err := h.client.CreateHostTask(context.Background(), busy, fogclient.TaskCreate{TypeID: fogclient.TaskTypeDeploy, TaskName: "nightly"})
	if err != nil || task == nil {
		t.Fatalf("create task: %v", err)
	}

	busyState := h.storedHost(t, busy, false)
	diags, _ := h.modifyPlan(t, nil, &busyState)
	expectDiag(t, diags, diag.SeverityWarning, `Host "busy" has an active task: task "nightly - busy" (id`, "type Deploy, state Queued",
		"Destroying it will fail", "force_destroy = true")

	forced := h.storedHost(t, busy, true)
	diags, _ = h.modifyPlan(t, nil, &forced)
	expectDiag(t, diags, diag.SeverityWarning, "force_destroy is true", "FOG deletes the task with it")

	idleState := h.storedHost(t, idle, false)
	if diags, _ := h.modifyPlan(t, nil, &idleState); len(diags) != 0 {
		t.Errorf("a host without tasks: %v", diags)
	}
	if n := h.srv.Count("DELETE /fog/host/{id}"); n != 0 {
		t.Errorf("planning deleted %d hosts", n)
	}
}

// TestHostModifyPlanMACs: primary_mac and pending_macs are known at plan
// time; a listed pending MAC leaves pending_macs; a case change FOG refuses
// is an error, the lower-case one is not.
func TestHostModifyPlanMACs(t *testing.T) {
	h := newHostHarness(t)
	id, err := h.srv.SeedHost("Lab-01", 0, "02:00:00:00:00:01")
	mustEmulator(t, "seed host", err)
	h.srv.InsertRawRow("macaddressassociation", map[string]string{
		"hostID": fmt.Sprint(id), "mac": "02:00:00:00:00:0a", "primary": "0", "pending": "1",
	})
	prior := h.storedHost(t, id, false)
	if got := stringsOf(prior.PendingMACs); fmt.Sprint(got) != "[02:00:00:00:00:0a]" {
		t.Fatalf("pending MACs read %v", got)
	}

	plan := prior
	plan.MACs = newMACList([]string{"02-00-00-00-00-0A", "02:00:00:00:00:01"})
	plan.PrimaryMAC, plan.PendingMACs = types.StringUnknown(), types.ListUnknown(types.StringType)
	diags, out := h.modifyPlan(t, &plan, &prior)
	if diags.HasError() {
		t.Fatal(diags)
	}
	if out.PrimaryMAC.ValueString() != "02:00:00:00:00:0a" || len(out.PendingMACs.Elements()) != 0 {
		t.Errorf("planned primary %s, pending %v", out.PrimaryMAC, out.PendingMACs)
	}

	plan.MACs = newMACList([]string{"02:00:00:00:00:01", "02:00:00:00:00:02"})
	_, out = h.modifyPlan(t, &plan, &prior)
	if got := stringsOf(out.PendingMACs); out.PrimaryMAC.ValueString() != "02:00:00:00:00:01" || fmt.Sprint(got) != "[02:00:00:00:00:0a]" {
		t.Errorf("planned primary %s, pending %v", out.PrimaryMAC, got)
	}

	plan.Name = types.StringValue("LAB-01")
	diags, _ = h.modifyPlan(t, &plan, &prior)
	expectDiag(t, diags, diag.SeverityError, `Unable to rename host "Lab-01" to "LAB-01"`, `all-lower-case form of the old one ("lab-01")`)
	plan.Name = types.StringValue("lab-01")
	if diags, _ := h.modifyPlan(t, &plan, &prior); diags.HasError() {
		t.Errorf("renaming to the lower-case name: %v", diags)
	}
	for route, n := range h.srv.Counters() {
		if !strings.HasPrefix(route, "GET ") && n > 0 {
			t.Errorf("planning sent %d %s", n, route)
		}
	}
}

// TestHostUpdateFailureRecordsFOGState: when a MAC change fails half-way,
// the state shows what FOG has, not the plan, so the next plan retries.
func TestHostUpdateFailureRecordsFOGState(t *testing.T) {
	h := newHostHarness(t)
	id, err := h.srv.SeedHost("lab-02", 0, "02:00:00:00:00:01")
	mustEmulator(t, "seed host", err)
	prior := h.storedHost(t, id, false)
	plan := prior
	plan.MACs = newMACList([]string{"02:00:00:00:00:02"})
	plan.PrimaryMAC = types.StringValue("02:00:00:00:00:02")

	// The new MAC is added, then promoting it fails.
	h.srv.AddFault(fogtest.FaultRule{Method: "PUT", Route: "/fog/macaddressassociation/*", Kind: fogtest.FaultStatus, Status: 503})
	resp := h.update(t, plan, prior)
	expectDiag(t, resp.Diagnostics, diag.SeverityError, `Unable to change the MAC addresses of host "lab-02"`, "HTTP 503")

	var got hostResourceModel
	resp.Diagnostics.Append(resp.State.Get(context.Background(), &got)...)
	macs, _ := got.MACs.strings()
	if !sameMACSet(macs, []string{"02:00:00:00:00:01", "02:00:00:00:00:02"}) || got.PrimaryMAC.ValueString() != "02:00:00:00:00:01" {
		t.Errorf("state after the failure: macs %v primary %s, want FOG's [01 (primary), 02]", macs, got.PrimaryMAC)
	}
}
