#!/usr/bin/env bash
# Copyright (c) The terraform-provider-fog Authors
# SPDX-License-Identifier: MPL-2.0

# Filters `go test -v` output (drops the RUN/PAUSE/CONT chatter and the PASS
# lines of subtests) and ends with a summary: test counts, acceptance-test
# counts, skipped tests with their reasons, and the machine-readable figure
# lines the suites print (conformance, bad inputs, secret scan, load, ...).
set -uo pipefail

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
tee "$log" | grep --line-buffered -vE '^\s*=== (RUN|PAUSE|CONT|NAME)|^\s+--- PASS' || true

count() { grep -cE "$1" "$log" || true; }

echo
echo "== test summary"
echo "tests:            $(count '^--- PASS') passed, $(count '^--- FAIL') failed, $(count '^--- SKIP') skipped (top-level; with subtests: $(count '^\s*--- PASS') passed)"
echo "acceptance tests: $(count '^--- PASS: TestAcc') passed, $(count '^--- FAIL: TestAcc') failed, $(count '^--- SKIP: TestAcc') skipped"
if grep -qE '^\s*--- SKIP' "$log"; then
	echo "skipped:"
	# The reason is the t.Skip line next to "--- SKIP": after it for a
	# subtest, before it for a top-level test (go test -v streams its log).
	awk -v re='^[ \t]+[^ \t]+[.]go:[0-9]+: ' '
		{ line[NR] = $0 }
		END {
			for (i = 1; i <= NR; i++) {
				if (line[i] !~ /^[ \t]*--- SKIP: /) continue
				name = line[i]; sub(/^[ \t]*--- SKIP: /, "", name); sub(/ .*/, "", name)
				reason = ""
				if (i < NR && line[i+1] ~ re) reason = line[i+1]
				else if (i > 1 && line[i-1] ~ re) reason = line[i-1]
				sub(re, "", reason)
				print "  " name ": " reason
			}
		}' "$log" | head -n 40
fi
grep -hE '^(conformance|edge conformance|lifecycle conformance|bad inputs|secret scan|load|refresh_requests|apply_speedup_vs_curl|hosts_decode)( n=[0-9]+)?: ' "$log" | sort -u || true
if grep -qE '^(FAIL|--- FAIL|panic:)' "$log"; then
	echo "result: FAIL"
else
	echo "result: ok"
fi
exit 0
