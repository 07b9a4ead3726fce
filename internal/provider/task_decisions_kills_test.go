// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

// Tests written for mutants of the provider's decision code that survived
// the rest of the unit tests (scripts/mutation.sh): each names its mutant.

import (
	"strings"
	"testing"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

// task_decisions.go taskTypeID: 0 is no task type id ("id > 0" mutated to
// "id >= 0" would take "0" and "000" for one).
func TestTaskTypeIDZero(t *testing.T) {
	for _, s := range []string{"0", "000", " 0 "} {
		if id, ok := taskTypeID(s); ok {
			t.Errorf("taskTypeID(%q) = %d, true; want no id", s, id)
		}
	}
	if id, ok := taskTypeID("01"); !ok || id != 1 {
		t.Errorf("taskTypeID(\"01\") = %d, %v", id, ok)
	}
}

// task_decisions.go decideCreate: of several active tasks, the oldest (the
// lowest id) is the one adopted or named, whatever order FOG lists them in
// (the sort by id negated would pick the newest).
func TestDecideCreatePicksTheOldestTask(t *testing.T) {
	deploy := fogclient.TaskType{ID: fogclient.TaskTypeDeploy, Name: "Deploy"}
	others := []fogclient.Task{{ID: 9, TypeID: 10, StateID: 1}, {ID: 4, TypeID: 10, StateID: 1}, {ID: 7, TypeID: 10, StateID: 2}}
	if d := decideCreate(others, deploy, "pc01", nil); d.Action != actionRefuse || d.Task == nil || d.Task.ID != 4 {
		t.Errorf("refusal names task %+v, want task 4", d.Task)
	}
	same := []fogclient.Task{{ID: 12, TypeID: 1, StateID: 1}, {ID: 11, TypeID: 1, StateID: 1}}
	if d := decideCreate(same, deploy, "pc01", nil); d.Action != actionAdopt || d.Task == nil || d.Task.ID != 11 {
		t.Errorf("adopts task %+v, want task 11", d.Task)
	}
}

// task_decisions.go groupTaskHazards: the busy members are named by host id,
// then task id, whatever the task ids (the comparator "host < host || id <
// id" was no ordering: a newer task of a lower host came last).
func TestGroupTaskHazardsBusyOrder(t *testing.T) {
	inventory := fogclient.TaskType{ID: 10, Name: "Hardware Inventory"}
	chk := fogclient.GroupTaskCheck{
		Group:   &fogclient.Group{ID: 3, Name: "lab"},
		Members: []fogclient.Host{{ID: 1, Name: "pc01"}, {ID: 2, Name: "pc02"}},
		Active: []fogclient.Task{
			{ID: 9, HostID: 1, TypeID: 10, StateID: 1},
			{ID: 5, HostID: 2, TypeID: 10, StateID: 1},
			{ID: 12, HostID: 1, TypeID: 10, StateID: 1},
		},
	}
	var got []string
	for _, h := range groupTaskHazards(chk, inventory, nil) {
		got = append(got, h.detail[:strings.Index(h.detail, " of group")])
	}
	want := []string{`Host "pc01" (id 1)`, `Host "pc01" (id 1)`, `Host "pc02" (id 2)`}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("hazards in order %q, want %q", got, want)
	}
	// Of one host, the older task first.
	first := groupTaskHazards(chk, inventory, nil)
	if !strings.Contains(first[0].detail, "(id 9") || !strings.Contains(first[1].detail, "(id 12") {
		t.Errorf("host 1's tasks in order %q, %q; want task 9 first", first[0].detail, first[1].detail)
	}
}

// task_decisions.go groupProgress: a group without tasks has 0% on
// average ("len(tasks) > 0" mutated to ">= 0" divides by zero).
func TestGroupProgressWithoutTasks(t *testing.T) {
	if got := groupProgress(nil); !strings.HasSuffix(got, "0% on average") {
		t.Errorf("groupProgress(nil) = %q", got)
	}
}
