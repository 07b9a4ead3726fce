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
# Top-level results, where a test that passed only because every one of its
# subtests skipped counts as skipped: go test reports such a parent as PASS.
results() {
	awk '
		function flush() {
			if (top == "") return
			st = topst
			if (st == "PASS" && subs > 0 && subs == skips) st = "SKIP"
			print st, top
			top = ""
		}
		/^--- (PASS|FAIL|SKIP): / { flush(); topst = $2; sub(/:$/, "", topst); top = $3; subs = 0; skips = 0; next }
		/^    --- (PASS|FAIL|SKIP): / { if (top != "") { subs++; if ($2 == "SKIP:") skips++ } ; next }
		/^[^ \t]/ && !/^--- / { flush() }
		END { flush() }' "$log"
}
tops="$(results)"
tcount() { grep -cE "$1" <<<"$tops" || true; }
echo "tests:            $(tcount '^PASS ') passed, $(tcount '^FAIL ') failed, $(tcount '^SKIP ') skipped (top-level; with subtests: $(count '^\s*--- PASS') passed)"
echo "acceptance tests: $(tcount '^PASS TestAcc') passed, $(tcount '^FAIL TestAcc') failed, $(tcount '^SKIP TestAcc') skipped"

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
	for t in $(awk '$1 == "SKIP" { print $2 }' <<<"$tops"); do
		grep -qE "^--- SKIP: $t( |$)" "$log" || echo "  $t: every subtest skipped"
	done
fi
grep -hE '^((edge |lifecycle |fleet |storage )?conformance|bad inputs|secret scan|load|outage|group hazards|mutation score|[a-z_]+_requests|refresh_requests|refresh_ms|apply_speedup_vs_curl|hosts_decode)( [a-z_]+(=[0-9]+)?)*: ' "$log" | sort -u || true
if grep -qE '^(FAIL|--- FAIL|panic:)' "$log"; then
	echo "result: FAIL"
else
	echo "result: ok"
fi
exit 0
