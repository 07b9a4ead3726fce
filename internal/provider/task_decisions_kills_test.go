// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

// Tests written for mutants of the provider's decision code that survived
// the rest of the unit tests (scripts/mutation.sh): each names its mutant.

import "testing"

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
