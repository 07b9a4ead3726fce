// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

// Unit tests of the group task decisions (task_decisions.go) the
// acceptance tests covered alone, so that their mutants are seen by the unit
// tests the mutation score runs (scripts/mutation.sh).

import (
	"strings"
	"testing"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

func TestGroupTaskHazardsTable(t *testing.T) {
	deploy := fogclient.TaskType{ID: fogclient.TaskTypeDeploy, Name: "Deploy"}
	multicast := fogclient.TaskType{ID: fogclient.TaskTypeMulticast, Name: "Multi-Cast"}
	inventory := fogclient.TaskType{ID: 10, Name: "Hardware Inventory"}
	group := &fogclient.Group{ID: 3, Name: "lab"}
	img := func(id int64, enabled bool) fogclient.Image {
		return fogclient.Image{ID: id, Name: "img" + idString(id), Enabled: enabled}
	}
	hosts := func(images ...int64) []fogclient.Host {
		out := make([]fogclient.Host, len(images))
		for i, im := range images {
			out[i] = fogclient.Host{ID: int64(i + 1), Name: "pc0" + idString(int64(i+1)), ImageID: im}
		}
		return out
	}
	seven := int64(7)
	nine := int64(9)
	type want struct{ attr, part string }
	for _, c := range []struct {
		name    string
		chk     fogclient.GroupTaskCheck
		tt      fogclient.TaskType
		imageID *int64
		want    []want // in order; none = no hazard
	}{
		{"deploy, one enabled image", fogclient.GroupTaskCheck{Members: hosts(7, 7), Images: []fogclient.Image{img(7, true)}}, deploy, nil, nil},
		{"deploy with the members' image_id", fogclient.GroupTaskCheck{Members: hosts(7), Images: []fogclient.Image{img(7, true)}}, deploy, &seven, nil},
		{"members FOG does not list", fogclient.GroupTaskCheck{Members: hosts(7), Missing: []int64{41, 42}, Images: []fogclient.Image{img(7, true)}}, deploy, nil,
			[]want{{"group_id", "host id(s) 41, 42, which FOG does not list"}}},
		{"only missing members", fogclient.GroupTaskCheck{Missing: []int64{41}}, deploy, nil,
			[]want{{"group_id", "host id(s) 41"}}},
		{"empty group", fogclient.GroupTaskCheck{}, deploy, nil, []want{{"group_id", "has no members"}}},
		{"a busy member", fogclient.GroupTaskCheck{Members: hosts(7, 7), Images: []fogclient.Image{img(7, true)},
			Active: []fogclient.Task{{ID: 5, HostID: 2, TypeID: 10, TypeName: "Hardware Inventory", StateID: 1}}}, deploy, nil,
			[]want{{"group_id", `Host "pc02" (id 2) of group "lab" already has an active task`}}},
		{"two busy members, in host order", fogclient.GroupTaskCheck{Members: hosts(7, 7), Images: []fogclient.Image{img(7, true)},
			Active: []fogclient.Task{{ID: 6, HostID: 2, TypeID: 10, StateID: 1}, {ID: 5, HostID: 1, TypeID: 10, StateID: 1}}}, deploy, nil,
			[]want{{"group_id", `Host "pc01" (id 1)`}, {"group_id", `Host "pc02" (id 2)`}}},
		{"a busy member, not a deploy", fogclient.GroupTaskCheck{Members: hosts(0),
			Active: []fogclient.Task{{ID: 5, HostID: 1, TypeID: 1, StateID: 1}}}, inventory, nil,
			[]want{{"group_id", "already has an active task"}}},
		{"not a deploy: images do not matter", fogclient.GroupTaskCheck{Members: hosts(0, 7)}, inventory, nil, nil},
		{"a member without an image", fogclient.GroupTaskCheck{Members: hosts(0)}, deploy, nil,
			[]want{{"group_id", `Host(s) "pc01" (id 1) of group "lab" have no image assigned`}}},
		{"different images", fogclient.GroupTaskCheck{Members: hosts(9, 7), Images: []fogclient.Image{img(7, true), img(9, true)}}, deploy, nil,
			[]want{{"group_id", `different images: image "img7" (id 7) for "pc02" (id 2); image "img9" (id 9) for "pc01" (id 1). FOG would pair`}}},
		{"different images, one of them none", fogclient.GroupTaskCheck{Members: hosts(0, 7), Images: []fogclient.Image{img(7, true)}}, deploy, nil,
			[]want{{"group_id", "have no image assigned"}, {"group_id", "different images"}}},
		{"different images, multicast", fogclient.GroupTaskCheck{Members: hosts(9, 7), Images: []fogclient.Image{img(7, true), img(9, true)}}, multicast, nil,
			[]want{{"group_id", "FOG would deploy the lowest image id, 7, to every member"}}},
		{"image_id other than the members'", fogclient.GroupTaskCheck{Members: hosts(7), Images: []fogclient.Image{img(7, true)}}, deploy, &nine,
			[]want{{"image_id", `image_id is 9, but the members of group "lab" have image "img7" (id 7)`}}},
		{"the members' image does not exist", fogclient.GroupTaskCheck{Members: hosts(7)}, deploy, nil,
			[]want{{"group_id", "have image 7 assigned, which FOG does not have"}}},
		{"the members' image is disabled", fogclient.GroupTaskCheck{Members: hosts(7), Images: []fogclient.Image{img(7, false)}}, deploy, nil,
			[]want{{"group_id", `Image "img7" (id 7) of the members of group "lab" is disabled`}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.chk.Group = group
			got := groupTaskHazards(c.chk, c.tt, c.imageID)
			if len(got) != len(c.want) {
				t.Fatalf("%d hazards, want %d: %+v", len(got), len(c.want), got)
			}
			for i, w := range c.want {
				if got[i].attr != w.attr || !strings.Contains(got[i].detail, w.part) {
					t.Errorf("hazard %d: %s %q, want %s with %q", i, got[i].attr, got[i].detail, w.attr, w.part)
				}
			}
		})
	}
}

func TestGroupTypeProblemsTable(t *testing.T) {
	for _, c := range []struct {
		name               string
		tt                 fogclient.TaskType
		wol, deploySnapins bool
		want               string // "" = none
	}{
		{"deploy", fogclient.TaskType{ID: fogclient.TaskTypeDeploy, Name: "Deploy"}, false, false, ""},
		{"wake-up with wol", fogclient.TaskType{ID: fogclient.TaskTypeWakeUp, Name: "Wake-Up"}, true, false, ""},
		{"wake-up without wol", fogclient.TaskType{ID: fogclient.TaskTypeWakeUp, Name: "Wake-Up"}, false, false, "Set wol = true."},
		{"capture", fogclient.TaskType{ID: fogclient.TaskTypeCapture, Name: "Capture"}, false, false, "Use host_id"},
		{"a capture by its flags", fogclient.TaskType{ID: 90, Name: "Custom Capture", KernelArgs: "type=up"}, false, false, "Use host_id"},
		{"a snapin type by its flags", fogclient.TaskType{ID: 91, Name: "Custom Snapins", IsSnapinTasking: true}, false, true, "Use host_id"},
		{"deploy with deploy_snapins", fogclient.TaskType{ID: fogclient.TaskTypeDeploy, Name: "Deploy"}, false, true, "Remove deploy_snapins"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := groupTypeProblems(c.tt, c.wol, c.deploySnapins)
			switch {
			case c.want == "" && len(got) != 0:
				t.Errorf("problems %q, want none", got)
			case c.want != "" && (len(got) != 1 || !strings.Contains(got[0], c.want) || !strings.Contains(got[0], c.tt.Name)):
				t.Errorf("problems %q, want one naming %q with %q", got, c.tt.Name, c.want)
			}
		})
	}
}
