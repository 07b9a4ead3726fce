#!/usr/bin/env bash
# Passes `go test -v` output through and ends with a summary: test counts
# (top-level tests and subtests), acceptance-test counts, skipped tests with
# their reasons, and the machine-readable figure lines the suites print
# (conformance, bad inputs, secret scan, load, ...).
set -uo pipefail

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
tee "$log"

count() { grep -cE "$1" "$log" || true; }

echo
echo "== test summary"
echo "tests:            $(count '^\s*--- PASS') passed, $(count '^\s*--- FAIL') failed, $(count '^\s*--- SKIP') skipped"
echo "acceptance tests: $(count '^\s*--- PASS: TestAcc') passed, $(count '^\s*--- FAIL: TestAcc') failed, $(count '^\s*--- SKIP: TestAcc') skipped"
if grep -qE '^\s*--- SKIP' "$log"; then
	echo "skipped:"
	grep -A1 -E '^\s*--- SKIP' "$log" | grep -vE '^--$' | paste - - | sed -E 's/^\s*--- SKIP: ([^ ]+).*\t\s*/  \1: /' | head -n 40
fi
grep -hE '^(conformance|edge conformance|lifecycle conformance|bad inputs|secret scan|load|refresh_requests|apply_speedup_vs_curl|hosts_decode): ' "$log" | sort -u || true
if grep -qE '^(FAIL|--- FAIL|panic:)' "$log"; then
	echo "result: FAIL"
else
	echo "result: ok"
fi
exit 0
