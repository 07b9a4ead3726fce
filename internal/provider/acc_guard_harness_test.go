// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

// Every acceptance test goes through accParallelTest, which makes sure that
// a CheckDestroy it sets has run. terraform-plugin-testing calls
// CheckDestroy only from its post-test destroy, and runs that only when the
// state is not empty at the end: a test ending with a Destroy step, an
// empty configuration or only failing steps would never run it, and
// whatever it asserts would pass unseen. TestHarness_everyTestCaseGuarded
// holds every resource.TestCase of the package to the wrapper.

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// accParallelTest runs tc as resource.ParallelTest does and fails the test
// when tc sets a CheckDestroy that was never called.
func accParallelTest(t *testing.T, tc resource.TestCase) {
	t.Helper()
	tc, verify := guardCheckDestroy(tc)
	resource.ParallelTest(t, tc)
	verify(t)
}

// accSerialTest runs tc as resource.Test does (not in parallel with the
// package's other tests: for tests that count requests or time) and fails
// the test when tc sets a CheckDestroy that was never called.
func accSerialTest(t *testing.T, tc resource.TestCase) {
	t.Helper()
	tc, verify := guardCheckDestroy(tc)
	resource.Test(t, tc)
	verify(t)
}

// assertAfter checks what a test case left on the server once it has
// finished (after only failing steps, the place for what a CheckDestroy
// would never be called to assert). resource.ParallelTest stops the test on
// a failed step, so check runs only after a test case that passed.
func assertAfter(t *testing.T, check func() error) {
	t.Helper()
	if err := check(); err != nil {
		t.Error(err)
	}
}

// guardReporter is the part of *testing.T the guard reports to.
type guardReporter interface {
	Helper()
	Failed() bool
	Errorf(format string, args ...any)
}

// guardCheckDestroy wraps tc.CheckDestroy so that it records its call, and
// returns the verification to run once the test case has finished. A test
// that failed already is not reported twice.
func guardCheckDestroy(tc resource.TestCase) (resource.TestCase, func(guardReporter)) {
	if tc.CheckDestroy == nil {
		return tc, func(guardReporter) {}
	}
	var called atomic.Bool
	check := tc.CheckDestroy
	tc.CheckDestroy = func(s *terraform.State) error {
		called.Store(true)
		return check(s)
	}
	return tc, func(t guardReporter) {
		t.Helper()
		if !called.Load() && !t.Failed() {
			t.Errorf("CheckDestroy is set but was never called: terraform-plugin-testing runs it only when the state is not empty after the last step " +
				"(not after a Destroy step, an empty configuration or only failing steps); assert in the last step's checks or after the test case instead")
		}
	}
}

// fakeGuardReporter records what the guard reports.
type fakeGuardReporter struct {
	failed bool
	errors []string
}

func (f *fakeGuardReporter) Helper()      {}
func (f *fakeGuardReporter) Failed() bool { return f.failed }
func (f *fakeGuardReporter) Errorf(format string, args ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}

// TestCheckDestroyGuard: the guard fails a test whose CheckDestroy never
// ran, and only such a test.
func TestCheckDestroyGuard(t *testing.T) {
	noop := func(*terraform.State) error { return nil }
	for _, c := range []struct {
		name         string
		checkDestroy resource.TestCheckFunc
		call, failed bool
		wantErrors   int
	}{
		{name: "no CheckDestroy", wantErrors: 0},
		{name: "CheckDestroy called", checkDestroy: noop, call: true, wantErrors: 0},
		{name: "CheckDestroy never called", checkDestroy: noop, wantErrors: 1},
		{name: "CheckDestroy never called, test failed already", checkDestroy: noop, failed: true, wantErrors: 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			tc, verify := guardCheckDestroy(resource.TestCase{CheckDestroy: c.checkDestroy})
			if (tc.CheckDestroy == nil) != (c.checkDestroy == nil) {
				t.Fatalf("CheckDestroy set %v after the guard, %v before", tc.CheckDestroy != nil, c.checkDestroy != nil)
			}
			if c.call {
				if err := tc.CheckDestroy(&terraform.State{}); err != nil {
					t.Fatal(err)
				}
			}
			rep := &fakeGuardReporter{failed: c.failed}
			verify(rep)
			if len(rep.errors) != c.wantErrors {
				t.Fatalf("guard reported %q, want %d error(s)", rep.errors, c.wantErrors)
			}
		})
	}
	t.Run("the wrapped CheckDestroy returns the original's error", func(t *testing.T) {
		want := fmt.Errorf("still exists")
		tc, _ := guardCheckDestroy(resource.TestCase{CheckDestroy: func(*terraform.State) error { return want }})
		if err := tc.CheckDestroy(&terraform.State{}); err != want { //nolint:errorlint // the very error
			t.Fatalf("got %v", err)
		}
	})
}

// TestHarness_everyTestCaseGuarded: no test of the package calls
// resource.Test or resource.ParallelTest itself; each goes through
// accParallelTest or accSerialTest, so that no CheckDestroy can be dead. (A unit test: it
// reads the package's source, not a FOG server.)
func TestHarness_everyTestCaseGuarded(t *testing.T) {
	files, err := filepath.Glob("*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			pkg, ok := sel.X.(*ast.Ident)
			if !ok || (pkg.Name != "resource" && pkg.Name != "tfresource") {
				return true
			}
			switch sel.Sel.Name {
			case "Test", "ParallelTest", "UnitTest":
				if name == "acc_guard_harness_test.go" {
					return true
				}
				t.Errorf("%s: %s.%s called directly: use accParallelTest or accSerialTest, which fail a test whose CheckDestroy never ran",
					fset.Position(call.Pos()), pkg.Name, sel.Sel.Name)
			}
			return true
		})
	}
}
