#!/usr/bin/env bash
# Copyright (c) The terraform-provider-fog Authors
# SPDX-License-Identifier: MPL-2.0

# Mutation score of the decision code (make mutation): gremlins
# (tools/gremlins/go.mod, v0.6.0) mutates the files below one mutant at a
# time and runs their package's unit tests against each. It prints
#
#   mutation score: K/C killed (P%) of the covered mutants; E equivalent
#   (scripts/mutation-equivalents.txt), so K/(C-E) (Q%) of the others;
#   T timed out, N not covered, V not viable, counted apart
#
# where C = killed + lived: the honest denominator is the mutants in code
# the unit tests run. A timed-out mutant (usually a loop that no longer
# ends) is neither killed nor lived; a mutant no test runs is not covered.
# Every lived mutant must be killed by a test or listed, with why it is
# equivalent, in scripts/mutation-equivalents.txt; the others are printed
# and make the script fail.
#
#   MUTATION_WORKERS=1                 parallel mutants (each runs go test)
#   MUTATION_TIMEOUT_COEFFICIENT=10    a mutant's tests may take this many
#                                      times the unmutated run's time
#   MUTATION_PACKAGES="fogclient"      only these targets (fogclient, provider)
#
# It takes tens of minutes on two cores: it is not part of CI.
set -euo pipefail
cd "$(dirname "$0")/.."

tools_cache="${FOG_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-fog}"
gremlins="${GREMLINS:-$tools_cache/bin/gremlins}"
if [ ! -x "$gremlins" ]; then
	mkdir -p "$(dirname "$gremlins")"
	(cd tools/gremlins && go build -o "$gremlins" github.com/go-gremlins/gremlins/cmd/gremlins)
fi
workers="${MUTATION_WORKERS:-1}"
coefficient="${MUTATION_TIMEOUT_COEFFICIENT:-10}"
targets="${MUTATION_PACKAGES:-fogclient provider}"
equivalents="scripts/mutation-equivalents.txt"
export GOFLAGS=-count=1
# Unit tests only: with TF_ACC each mutant would run the acceptance suite.
unset TF_ACC

# The files mutated in each package: fogclient's decisions (retries, errors,
# decoding, MACs, lost writes, write generations, PHP warnings, names, ids,
# diffs, bodies, tasks) and the provider's task and MAC decisions.
declare -A files=(
	[fogclient]="retry.go errors.go decode.go macs.go lostwrites.go writegenerations.go phpwarnings.go names.go ids.go diff.go bodies.go tasks.go group_tasks.go"
	[provider]="task_decisions.go mac_list_type.go"
)

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
for target in $targets; do
	dir="internal/$target"
	# gremlins mutates every file of the package but those excluded.
	exclude=()
	for f in "$dir"/*.go; do
		base="$(basename "$f")"
		case "$base" in *_test.go) continue ;; esac
		if ! grep -qw -- "$base" <<<"${files[$target]}"; then
			exclude+=(-E "(^|/)${base//./\\.}\$")
		fi
	done
	echo "mutating ${files[$target]} ($dir)" >&2
	"$gremlins" unleash "./$dir" --workers "$workers" --timeout-coefficient "$coefficient" \
		"${exclude[@]}" -o "$out/$target.json" >"$out/$target.log" 2>&1 || {
		cat "$out/$target.log" >&2
		exit 1
	}
	# One line per mutant: <package file>:<line>:<column> <TYPE> <STATUS>
	jq -r --arg dir "$dir" '.files[] | .file_name as $f | .mutations[] |
		"\($dir)/\($f | split("/") | last):\(.line):\(.column) \(.type) \(.status)"' "$out/$target.json" >>"$out/mutants"
done

count() { grep -c " $1\$" "$out/mutants" || true; }
killed="$(count KILLED)"
lived="$(count LIVED)"
timed_out="$(count "TIMED OUT")"
not_covered="$(count "NOT COVERED")"
not_viable="$(count "NOT VIABLE")"
# Equivalent mutants: "<file>:<line>:<column> <TYPE>  <why>" lines.
equivalent=0
survivors=()
while read -r pos type _; do
	if grep -qE "^${pos//./\\.} ${type}( |$)" "$equivalents" 2>/dev/null; then
		equivalent=$((equivalent + 1))
	else
		survivors+=("$pos $type")
	fi
done < <(grep " LIVED\$" "$out/mutants" || true)
covered=$((killed + lived))
pct() { if [ "$2" -gt 0 ]; then awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", 100 * a / b }'; else echo "n/a"; fi; }
echo "mutation score: $killed/$covered killed ($(pct "$killed" "$covered")%) of the covered mutants; $equivalent equivalent ($equivalents), so $killed/$((covered - equivalent)) ($(pct "$killed" $((covered - equivalent)))%) of the others; $timed_out timed out, $not_covered not covered, $not_viable not viable, counted apart"
if [ "${#survivors[@]}" -gt 0 ]; then
	echo "lived, neither killed nor listed as equivalent:"
	printf '  %s\n' "${survivors[@]}"
	exit 1
fi
