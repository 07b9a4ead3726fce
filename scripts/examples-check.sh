#!/usr/bin/env bash
# Copyright (c) The terraform-provider-fog Authors
# SPDX-License-Identifier: MPL-2.0

# Checks examples/ (rendered into docs/ by tfplugindocs) with the oldest
# Terraform the provider supports: `terraform fmt -check`, then `terraform
# validate` of each example directory against a freshly built provider,
# installed through a dev_overrides CLI configuration so that no registry is
# needed. Files that need a newer Terraform are left out, each with its reason.
#
#   scripts/examples-check.sh            # Terraform from scripts/install-clis.sh
#   TERRAFORM=/path/to/terraform scripts/examples-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."

# Examples that Terraform 1.5.7 cannot read, and why.
declare -A SKIP=(
	[examples/actions/fog_task/action.tf]="action blocks and lifecycle action_trigger need Terraform 1.14"
	[examples/resources/fog_host/import-by-identity.tf]="import blocks by identity need Terraform 1.12"
	[examples/resources/fog_image/import-by-identity.tf]="import blocks by identity need Terraform 1.12"
	[examples/resources/fog_group/import-by-identity.tf]="import blocks by identity need Terraform 1.12"
)

tf="${TERRAFORM:-}"
if [ -z "$tf" ]; then
	tf="$(scripts/install-clis.sh terraform)"
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Our own configuration, whatever the environment's TF_CLI_CONFIG_FILE says:
# the provider comes from the binary built here.
mkdir -p "$tmp/plugins" "$tmp/work"
go build -o "$tmp/plugins/terraform-provider-fog" .
cat >"$tmp/cli.tfrc" <<EOF
provider_installation {
  dev_overrides {
    "fogproject/fog" = "$tmp/plugins"
  }
  direct {}
}
EOF
export TF_CLI_CONFIG_FILE="$tmp/cli.tfrc"
export TF_IN_AUTOMATION=1
unset TF_CLI_ARGS TF_CLI_ARGS_validate TF_CLI_ARGS_fmt

echo "examples: $("$tf" version | head -n 1)"
failed=0

if ! "$tf" fmt -check -recursive -diff examples/; then
	echo "examples: terraform fmt -check failed: run 'make fmt'" >&2
	failed=1
fi

for f in "${!SKIP[@]}"; do
	[ -f "$f" ] || { echo "examples: skip list names $f, which does not exist" >&2; failed=1; }
done
while IFS= read -r f; do
	echo "examples: skip $f: list blocks (.tfquery.hcl, terraform query) need Terraform 1.14"
done < <(find examples -name '*.tfquery.hcl' | sort)

validated=0
while IFS= read -r dir; do
	work="$tmp/work/$dir"
	mkdir -p "$work"
	n=0
	for f in "$dir"/*.tf; do
		if [ -n "${SKIP[$f]:-}" ]; then
			echo "examples: skip $f: ${SKIP[$f]}"
			continue
		fi
		cp "$f" "$work/"
		n=$((n + 1))
	done
	[ "$n" -gt 0 ] || continue
	# Snippets rendered into the docs leave out the source address, which
	# would otherwise default to hashicorp/fog.
	if ! grep -q required_providers "$work"/*.tf; then
		cat >"$work/zz_required_providers.tf" <<-'EOF'
			terraform {
			  required_providers {
			    fog = { source = "fogproject/fog" }
			  }
			}
		EOF
	fi
	if out="$(cd "$work" && "$tf" validate -no-color 2>&1)"; then
		echo "examples: ok   $dir"
		validated=$((validated + 1))
	else
		echo "examples: FAIL $dir"
		printf '%s\n' "$out" | sed '/Warning: Provider development overrides/,/releases\./d; s/^/    /'
		failed=1
	fi
done < <(find examples -name '*.tf' -printf '%h\n' | sort -u)

if [ "$failed" -ne 0 ]; then
	echo "examples: failed" >&2
	exit 1
fi
echo "examples: $validated directories valid"
