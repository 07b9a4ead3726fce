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
