#!/usr/bin/env bash
# Copyright (c) The terraform-provider-fog Authors
# SPDX-License-Identifier: MPL-2.0

# Builds the Terraform and OpenTofu CLIs used by the acceptance tests from the
# Go module proxy (no release downloads needed) into a cache outside the
# checkout, keyed by version, and prints the path of the one asked for.
#
#   scripts/install-clis.sh terraform   # -> .../terraform/1.5.7/terraform
#   scripts/install-clis.sh tofu        # -> .../tofu/1.12.6/tofu
#
# Environment: FOG_TOOLS_CACHE (default: the user cache dir),
# TERRAFORM_VERSION, TOFU_VERSION. A cold build takes several minutes; later
# runs reuse the binary (and the Go build cache).
set -euo pipefail

TERRAFORM_VERSION="${TERRAFORM_VERSION:-1.5.7}" # last MPL-licensed release
TOFU_VERSION="${TOFU_VERSION:-1.12.6}"
CACHE="${FOG_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-fog}"

log() { echo "install-clis: $*" >&2; }

build_terraform() {
	local dir="$CACHE/terraform/$TERRAFORM_VERSION"
	if [ ! -x "$dir/terraform" ]; then
		log "building terraform v$TERRAFORM_VERSION from the Go module proxy (first run only; takes a few minutes)"
		mkdir -p "$dir.tmp"
		(cd "$dir.tmp" && GOBIN="$dir.tmp" GOFLAGS=-buildvcs=false go install "github.com/hashicorp/terraform@v$TERRAFORM_VERSION")
		rm -rf "$dir" && mv "$dir.tmp" "$dir"
	fi
	echo "$dir/terraform"
}

build_tofu() {
	local dir="$CACHE/tofu/$TOFU_VERSION"
	if [ ! -x "$dir/tofu" ]; then
		log "building OpenTofu v$TOFU_VERSION from the Go module proxy (first run only; takes several minutes)"
		local src
		mkdir -p "$CACHE"
		# OpenTofu's go.mod has replace directives, so `go install module@version`
		# refuses it: build cmd/tofu inside the downloaded module instead.
		src="$(cd "$CACHE" && GOFLAGS= go mod download -json "github.com/opentofu/opentofu@v$TOFU_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
		if [ -z "$src" ] || [ ! -d "$src" ]; then
			log "could not download github.com/opentofu/opentofu@v$TOFU_VERSION"
			exit 1
		fi
		mkdir -p "$dir.tmp"
		(cd "$src" && GOFLAGS=-buildvcs=false go build -ldflags "-X github.com/opentofu/opentofu/version.dev=no" -o "$dir.tmp/tofu" ./cmd/tofu)
		rm -rf "$dir" && mv "$dir.tmp" "$dir"
	fi
	echo "$dir/tofu"
}

case "${1:-}" in
terraform) build_terraform ;;
tofu) build_tofu ;;
*)
	echo "usage: $0 terraform|tofu" >&2
	exit 2
	;;
esac
