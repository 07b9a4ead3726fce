#!/usr/bin/env bash
# Copyright (c) The terraform-provider-fog Authors
# SPDX-License-Identifier: MPL-2.0

# Applies, one at a time, the mutants that once survived the unit tests
# (scripts/mutation-killed.txt: file, the text, its mutation, the tests that
# must now fail; tab-separated) and checks that those tests kill each. It is
# the quick regression check of scripts/mutation.sh's survivors (seconds per
# mutant instead of a full gremlins run). Prints "mutants re-checked: K/N killed".
set -euo pipefail
cd "$(dirname "$0")/.."
unset TF_ACC
table="scripts/mutation-killed.txt"
backup="$(mktemp)"
trap 'rm -f "$backup"' EXIT
killed=0
total=0
survivors=()
while IFS=$'\t' read -r file old new tests; do
	case "$file" in '' | '#'*) continue ;; esac
	total=$((total + 1))
	cp "$file" "$backup"
	unescape() { printf '%b' "${1//%/%%}"; }
	if ! OLD="$(unescape "$old")" NEW="$(unescape "$new")" perl -0pi -e 'my $n = s/\Q$ENV{OLD}\E/$ENV{NEW}/g; die "matches $n times\n" if $n != 1' "$file"; then
		cp "$backup" "$file"
		echo "$file: the text of a mutant is not there (once): $old" >&2
		exit 1
	fi
	if go test "./$(dirname "$file")" -run "$tests" -count=1 >/dev/null 2>&1; then
		survivors+=("$file: $old -> $new")
	else
		killed=$((killed + 1))
	fi
	cp "$backup" "$file"
done <"$table"
echo "mutants re-checked: $killed/$total killed"
if [ "${#survivors[@]}" -gt 0 ]; then
	printf 'survived: %s\n' "${survivors[@]}"
	exit 1
fi
