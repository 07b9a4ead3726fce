#!/usr/bin/env bash
# Copyright (c) The terraform-provider-fog Authors
# SPDX-License-Identifier: MPL-2.0

# make demo: build the provider and the FOG emulator, start the emulator on
# 127.0.0.1 with a few demo hosts and automatic task progress, apply
# examples/demo with Terraform (dev_overrides, no registry needed), print the
# outputs, destroy, and stop the emulator.
set -euo pipefail
cd "$(dirname "$0")/.."

work=".demo"
rm -rf "$work"
mkdir -p "$work/bin" "$work/config"

tf="$(scripts/install-clis.sh terraform)"

echo "==> building the provider and the emulator"
go build -o "$work/bin/terraform-provider-fog" .
go build -o "$work/bin/fog-emulator" ./cmd/fog-emulator

# Terraform uses our freshly built binary for fogproject/fog instead of the
# registry. Our own CLI config, so whatever the environment sets is not used.
cat >"$work/terraformrc" <<EOF2
provider_installation {
  dev_overrides {
    "fogproject/fog" = "$PWD/$work/bin"
  }
  direct {}
}
EOF2
export TF_CLI_CONFIG_FILE="$PWD/$work/terraformrc"
export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1

echo "==> starting the FOG emulator on 127.0.0.1"
"$work/bin/fog-emulator" -listen 127.0.0.1:0 -demo-hosts 3 -progress-every 1s >"$work/emulator.out" 2>&1 &
emu=$!
trap 'kill "$emu" 2>/dev/null || true; wait "$emu" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
	[ -s "$work/emulator.out" ] && grep -q '^fog-user-token:' "$work/emulator.out" && break
	sleep 0.1
done
FOG_SERVER_URL="$(head -n1 "$work/emulator.out")"
FOG_API_TOKEN="$(sed -n 's/^fog-api-token: //p' "$work/emulator.out")"
FOG_USER_TOKEN="$(sed -n 's/^fog-user-token: //p' "$work/emulator.out")"
export FOG_SERVER_URL FOG_API_TOKEN FOG_USER_TOKEN
echo "    $FOG_SERVER_URL"

cp examples/demo/main.tf "$work/config/"
cd "$work/config"

echo "==> terraform apply"
"$tf" apply -auto-approve -input=false -compact-warnings
echo "==> outputs"
"$tf" output
echo "==> terraform destroy"
"$tf" destroy -auto-approve -input=false -compact-warnings
echo "==> demo finished: everything created was destroyed"
