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
# Results of every test and subtest, where a test that passed only because
# every one of its subtests skipped (at any depth) counts as skipped: go test
# reports such a parent as PASS. go test -v prints each top-level test's
# result lines together, a parent before its subtests, four spaces deeper.
# Prints "<depth> <PASS|FAIL|SKIP> <name>", depth 0 for a top-level test.
results() {
	awk '
		/^(    )*--- (PASS|FAIL|SKIP): / {
			match($0, /^ */); d = RLENGTH / 4
			st = $2; sub(/:$/, "", st)
			n++; name[n] = $3; status[n] = st; depth[n] = d; kids[n] = 0; skipped[n] = 0
			parent[n] = (d > 0 && (d - 1) in open) ? open[d - 1] : 0
			open[d] = n
			for (k in open) if (k + 0 > d) delete open[k]
			next
		}
		END {
			# Children come after their parent: settle them last to first.
			for (i = n; i >= 1; i--) {
				if (status[i] == "PASS" && kids[i] > 0 && kids[i] == skipped[i]) status[i] = "SKIP"
				p = parent[i]
				if (p > 0) { kids[p]++; if (status[i] == "SKIP") skipped[p]++ }
			}
			for (i = 1; i <= n; i++) print depth[i], status[i], name[i]
		}' "$log"
}
all="$(results)"
tops="$(awk '$1 == 0 { print $2, $3 }' <<<"$all")"
tcount() { grep -cE "$1" <<<"$tops" || true; }
echo "tests:            $(tcount '^PASS ') passed, $(tcount '^FAIL ') failed, $(tcount '^SKIP ') skipped (top-level; with subtests: $(grep -cE '^[0-9]+ PASS ' <<<"$all" || true) passed, $(grep -cE '^[0-9]+ SKIP ' <<<"$all" || true) skipped)"
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
	awk '$2 == "SKIP" { print $3 }' <<<"$all" | while read -r t; do
		grep -qE "^ *--- SKIP: $t( |$)" "$log" || echo "  $t: every subtest skipped"
	done
fi
grep -hE '^((edge |lifecycle |fleet |storage )?conformance|bad inputs|secret scan|load|outage|group hazards|mutation score|[a-z_]+_requests|refresh_requests|refresh_ms|apply_speedup_vs_curl|hosts_decode)( [a-z_]+(=[0-9]+)?)*: ' "$log" | sort -u || true
if grep -qE '^(FAIL|--- FAIL|panic:)' "$log"; then
	echo "result: FAIL"
else
	echo "result: ok"
fi
exit 0
