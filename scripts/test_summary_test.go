// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

// Package scripts holds the tests of the repository's shell scripts.
package scripts

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestSummaryCountsAllSkippedParentsAsSkipped: go test reports a parent
// whose subtests all skipped as PASS; the summary counts it as skipped, at
// any depth (TestC's only subtest has only skipped subtests), and a parent
// with one passing subtest as passed (TestD).
func TestSummaryCountsAllSkippedParentsAsSkipped(t *testing.T) {
	in, err := os.Open("testdata/summary-skipped-parents.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = in.Close() }()
	cmd := exec.Command("bash", "test-summary.sh")
	cmd.Stdin = in
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("test-summary.sh: %v\n%s", err, out)
	}
	for _, want := range []string{
		"tests:            2 passed, 0 failed, 3 skipped (top-level; with subtests: 3 passed, 9 skipped)",
		"acceptance tests: 0 passed, 0 failed, 1 skipped",
		"  TestB: every subtest skipped",
		"  TestC: every subtest skipped",
		"  TestC/a: every subtest skipped",
		"result: ok",
	} {
		if !strings.Contains(string(out), want+"\n") {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(string(out), "TestD: every subtest skipped") {
		t.Errorf("TestD has a passing subtest:\n%s", out)
	}
}
