// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

// The group hazards table: every way FOG's group task route is known to go
// wrong (reference/fleet.md §3, §4), each tried through the CLI with a
// fog_task for the group against the emulator. Each must be refused before
// anything is written (at plan for what the configuration alone shows, at
// apply, after a warning at plan, for what the server's state shows), and
// every field of every row of the server must be as it was before.
//
// The count is a figure of the test summary: "group hazards refused: N/N".

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

// hazardLab is the group a case deploys and what it is made of.
type hazardLab struct {
	group  int64
	hosts  []int64
	images []int64
}

// labGroup makes a group whose i-th member has images[i] (0: none), members
// added in the order given.
func labGroup(t *testing.T, env *accEnv, images ...int64) hazardLab {
	t.Helper()
	lab := hazardLab{group: env.CreateGroup(t, uniqueGroupName("hazard")).ID, images: images}
	ctx, cancel := fixtureContext()
	defer cancel()
	for _, img := range images {
		h := env.CreateHost(t, fogclient.HostCreate{ImageID: img})
		lab.hosts = append(lab.hosts, h.ID)
		if _, err := env.Client.AddGroupMember(ctx, lab.group, h.ID); err != nil {
			t.Fatal(err)
		}
	}
	return lab
}

func enabledImage(t *testing.T, env *accEnv) int64 {
	t.Helper()
	return env.CreateImage(t, fogclient.ImageCreate{Name: uniqueImageName("hz")}).ID
}

type groupHazardCase struct {
	name string
	// recordings show what FOG does instead.
	recordings string
	typ        string
	extra      string
	// setup makes the group (and whatever else the case needs).
	setup func(t *testing.T, env *accEnv) hazardLab
	want  []string
	// atPlan: the configuration alone shows it (an error at plan).
	atPlan bool
}

var groupHazardCases = []groupHazardCase{
	{name: "empty group", recordings: "581", typ: "Deploy",
		setup: func(t *testing.T, env *accEnv) hazardLab { return labGroup(t, env) },
		want:  []string{"has no members", "No hosts to task"}},
	{name: "group that does not exist", recordings: "604", typ: "Deploy",
		setup: func(t *testing.T, env *accEnv) hazardLab { return hazardLab{group: 987654} },
		want:  []string{"FOG has no group with id 987654"}},
	{name: "member without an image", recordings: "575", typ: "Deploy",
		setup: func(t *testing.T, env *accEnv) hazardLab { return labGroup(t, env, enabledImage(t, env), 0) },
		want:  []string{"have no image assigned", "Image is not valid"}},
	{name: "members with different images, deploy", recordings: "580", typ: "Deploy",
		setup: func(t *testing.T, env *accEnv) hazardLab {
			return labGroup(t, env, enabledImage(t, env), enabledImage(t, env))
		},
		want: []string{"have different images", "another member's image (recording 580)"}},
	{name: "members with different images, multicast", recordings: "593", typ: "Multi-Cast",
		setup: func(t *testing.T, env *accEnv) hazardLab {
			return labGroup(t, env, enabledImage(t, env), enabledImage(t, env))
		},
		want: []string{"have different images", "lowest image id"}},
	{name: "member with a queued deploy", recordings: "577, 579, 582-584", typ: "Deploy",
		setup: busyLab(fogclient.TaskTypeDeploy),
		want:  []string{"already has an active task", "phantom task for host 0"}},
	{name: "member with a queued deploy, multicast", recordings: "595", typ: "Multi-Cast",
		setup: busyLab(fogclient.TaskTypeDeploy),
		want:  []string{"already has an active task", "phantom task for host 0"}},
	{name: "member with an active task, inventory", recordings: "601, 602", typ: "Hardware Inventory",
		setup: busyLab(10),
		want:  []string{"already has an active task", "second active task (601)"}},
	{name: "member image disabled", recordings: "code: Image is not enabled", typ: "Deploy",
		setup: func(t *testing.T, env *accEnv) hazardLab {
			img := enabledImage(t, env)
			ctx, cancel := fixtureContext()
			defer cancel()
			off := false
			if _, err := env.Client.UpdateImage(ctx, img, fogclient.ImageUpdate{Enabled: &off}); err != nil {
				t.Fatal(err)
			}
			return labGroup(t, env, img, img)
		},
		want: []string{"is disabled", "Image is not enabled"}},
	{name: "membership row for a host that does not exist", recordings: "512, 515", typ: "Deploy",
		setup: func(t *testing.T, env *accEnv) hazardLab {
			img := enabledImage(t, env)
			lab := labGroup(t, env, img)
			env.Emulator.InsertRawRow("groupassociation", map[string]string{"groupID": fmt.Sprint(lab.group), "hostID": "99999"})
			return lab
		},
		want: []string{"membership rows for host id(s) 99999", "Remove those members"}},
	{name: "image_id other than the members' image", recordings: "580", typ: "Deploy",
		setup: func(t *testing.T, env *accEnv) hazardLab {
			img := enabledImage(t, env)
			lab := labGroup(t, env, img, img)
			lab.images = append(lab.images, enabledImage(t, env))
			return lab
		},
		extra: "image_id", want: []string{"image_id is", "Assign image"}},
	{name: "capture", recordings: "599", typ: "Capture", atPlan: true,
		setup: func(t *testing.T, env *accEnv) hazardLab {
			img := enabledImage(t, env)
			return labGroup(t, env, img, img)
		},
		want: []string{"group capture with success and creates nothing"}},
	{name: "all snapins", recordings: "678-680", typ: "All Snapins", extra: "  deploy_snapins = true", atPlan: true,
		setup: func(t *testing.T, env *accEnv) hazardLab {
			img := enabledImage(t, env)
			return labGroup(t, env, img, img)
		},
		want: []string{"group snapin tasking"}},
	{name: "deploy with deploy_snapins", recordings: "679, 680", typ: "Deploy", extra: "  deploy_snapins = true", atPlan: true,
		setup: func(t *testing.T, env *accEnv) hazardLab {
			img := enabledImage(t, env)
			return labGroup(t, env, img, img)
		},
		want: []string{"snapin job for several hosts", "Remove deploy_snapins"}},
	{name: "Wake-Up without wol", recordings: "596, 597", typ: "Wake-Up", atPlan: true,
		setup: func(t *testing.T, env *accEnv) hazardLab {
			img := enabledImage(t, env)
			return labGroup(t, env, img, img)
		},
		want: []string{"Wake-on-LAN", "wol = true"}},
}

// busyLab is a group of two hosts with one image, the first with an active
// task of typeID.
func busyLab(typeID int64) func(t *testing.T, env *accEnv) hazardLab {
	return func(t *testing.T, env *accEnv) hazardLab {
		img := enabledImage(t, env)
		lab := labGroup(t, env, img, img)
		ctx, cancel := fixtureContext()
		defer cancel()
		if _, err := env.Client.CreateHostTask(ctx, lab.hosts[0], fogclient.TaskCreate{TypeID: typeID}); err != nil {
			t.Fatal(err)
		}
		return lab
	}
}

// rowDiff lists the fields that differ between two Rows snapshots.
func rowDiff(before, after map[string]map[int64]map[string]string) []string {
	var out []string
	classes := map[string]bool{}
	for c := range before {
		classes[c] = true
	}
	for c := range after {
		classes[c] = true
	}
	for c := range classes {
		ids := map[int64]bool{}
		for id := range before[c] {
			ids[id] = true
		}
		for id := range after[c] {
			ids[id] = true
		}
		for id := range ids {
			b, a := before[c][id], after[c][id]
			switch {
			case b == nil:
				out = append(out, fmt.Sprintf("%s %d added", c, id))
			case a == nil:
				out = append(out, fmt.Sprintf("%s %d deleted", c, id))
			default:
				for k, v := range a {
					if b[k] != v {
						out = append(out, fmt.Sprintf("%s %d %s: %q -> %q", c, id, k, b[k], v))
					}
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

func TestAccGroupHazards(t *testing.T) {
	var refused, ran atomic.Int64
	var mu sync.Mutex
	var report []string
	t.Cleanup(func() {
		if ran.Load() != int64(len(groupHazardCases)) {
			return // skipped: no figure
		}
		fmt.Printf("group hazards refused: %d/%d\n", refused.Load(), len(groupHazardCases))
		mu.Lock()
		defer mu.Unlock()
		sort.Strings(report)
		for _, l := range report {
			fmt.Println("  " + l)
		}
	})
	for _, c := range groupHazardCases {
		t.Run(c.name, func(t *testing.T) {
			env := newAccEnv(t)
			skipUnlessEmulator(t, env, "compares every field of the server before and after each hazard")
			ran.Add(1)
			lab := c.setup(t, env)
			extra := c.extra
			if extra == "image_id" {
				extra = fmt.Sprintf("  image_id = %d", lab.images[len(lab.images)-1])
			}
			config := env.Config(fmt.Sprintf("resource \"fog_task\" \"hazard\" {\n  group_id = %d\n  type     = %q\n%s\n}\n", lab.group, c.typ, extra))
			// Reads can fill derived rows (an image's storage group): read
			// what the case reads once before the baseline.
			ctx, cancel := context.WithTimeout(context.Background(), fixtureTimeout)
			defer cancel()
			if c.atPlan {
				_, _ = env.Client.TaskTypes(ctx)
			}
			for _, img := range lab.images {
				_, _ = env.Client.GetImage(ctx, img)
			}
			baseline := env.Emulator.Rows()
			sent := len(env.Emulator.Requests())

			accParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      config,
					PlanOnly:    c.atPlan,
					ExpectError: expectError(c.want...),
				}},
			})

			var writes []string
			for _, r := range env.Emulator.Requests()[sent:] {
				if r.Method != "GET" {
					writes = append(writes, r.Method+" "+r.Path)
				}
			}
			diff := rowDiff(baseline, env.Emulator.Rows())
			moment := "at apply, after a warning at plan"
			if c.atPlan {
				moment = "at plan"
			}
			ok := !t.Failed() && len(writes) == 0 && len(diff) == 0
			if len(writes) > 0 {
				t.Errorf("writes sent: %v", writes)
			}
			if len(diff) > 0 {
				t.Errorf("the server changed: %s", strings.Join(diff, "; "))
			}
			verdict := "refused " + moment + ", no write, every field unchanged"
			if ok {
				refused.Add(1)
			} else {
				verdict = "NOT REFUSED CLEANLY"
			}
			mu.Lock()
			report = append(report, fmt.Sprintf("%s (recordings %s): %s", c.name, c.recordings, verdict))
			mu.Unlock()
		})
	}
}
