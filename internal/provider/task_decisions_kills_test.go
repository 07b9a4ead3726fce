// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

// Tests written for mutants of the provider's decision code that survived
// the rest of the unit tests (scripts/mutation.sh): each names its mutant.

import (
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
