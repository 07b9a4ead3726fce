// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"strings"
	"testing"
)

func TestRefusesNonLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", "192.0.2.1:8080", ":8080"} {
		err := run([]string{"-listen", addr})
		if err == nil || !strings.Contains(err.Error(), "loopback") {
			t.Errorf("-listen %s: %v", addr, err)
		}
	}
}

func TestRejectsBadDemoHosts(t *testing.T) {
	if err := run([]string{"-demo-hosts", "-1"}); err == nil {
		t.Fatal("negative -demo-hosts accepted")
	}
}

func TestRejectsNegativeLargeServerFlags(t *testing.T) {
	for _, args := range [][]string{{"-list-max-rows", "-1"}, {"-list-row-cost", "-1ms"}, {"-seed-hosts", "-2"}} {
		if err := run(args); err == nil || !strings.Contains(err.Error(), "negative") {
			t.Errorf("%v: %v", args, err)
		}
	}
}
