#!/usr/bin/env bash
# Copyright (c) The terraform-provider-fog Authors
# SPDX-License-Identifier: MPL-2.0

# Checks (default) or adds (-fix) the copyright and SPDX header on every file
# of the project that carries one: Go sources, shell scripts, the GNUmakefile
# and YAML/HCL configuration. Examples under examples/ carry none: they are
# rendered into the user documentation and copied from there.
set -euo pipefail
cd "$(dirname "$0")/.."

COPYRIGHT="Copyright (c) The terraform-provider-fog Authors"
SPDX="SPDX-License-Identifier: MPL-2.0"

fix=false
[ "${1:-}" = "-fix" ] && fix=true

files() {
	git ls-files --cached --others --exclude-standard -- \
		'*.go' '*.sh' '*.yml' '*.yaml' '*.hcl' 'GNUmakefile' '.ci/run' |
		grep -v -e '^internal/fogtest/testdata/' -e '^examples/' -e '^\.terraform' || true
}

missing=0
while IFS= read -r f; do
	[ -f "$f" ] || continue
	if head -n 5 "$f" | grep -qF "$SPDX"; then
		continue
	fi
	if ! $fix; then
		echo "missing license header: $f"
		missing=$((missing + 1))
		continue
	fi
	case "$f" in
	*.go) prefix="//" ;;
	*) prefix="#" ;;
	esac
	tmp="$(mktemp)"
	if head -n 1 "$f" | grep -q '^#!'; then
		{ head -n 1 "$f"; printf '%s %s\n%s %s\n\n' "$prefix" "$COPYRIGHT" "$prefix" "$SPDX"; tail -n +2 "$f"; } >"$tmp"
	else
		{ printf '%s %s\n%s %s\n\n' "$prefix" "$COPYRIGHT" "$prefix" "$SPDX"; cat "$f"; } >"$tmp"
	fi
	cat "$tmp" >"$f" && rm -f "$tmp"
done < <(files)

if [ "$missing" -gt 0 ]; then
	echo "$missing file(s) without the license header: run scripts/license-headers.sh -fix" >&2
	exit 1
fi
$fix || echo "license headers: ok"
