#!/usr/bin/env bash
# Provenance tests (internal/sbom, internal/rebuild): cyclonedx-gomod
# v1.10.0, the peer the SBOM is compared with, installed where
# testbin.Tool looks for it; Go 1.22.12 in the module cache, the older
# release rebuild tests build and rebuild with (testbin.Go122); git, which
# the rebuild and deployed-versus-source tests make repositories with.
# Idempotent and quiet; each part is skipped when present or impossible.
set -euo pipefail
cache=/var/cache/gocompat-test/bin
tool="$cache/cyclonedx-gomod@v1.10.0"
if [ ! -x "$tool/cyclonedx-gomod" ] && command -v go >/dev/null; then
	mkdir -p "$cache"
	tmp=$(mktemp -d "$cache/cyclonedx-gomod.tmp-XXXXXX")
	if (cd "$tmp" && GOBIN="$tmp" GOFLAGS= GOWORK=off go install github.com/CycloneDX/cyclonedx-gomod/cmd/cyclonedx-gomod@v1.10.0 >/dev/null 2>&1); then
		mv "$tmp" "$tool" 2>/dev/null || rm -rf "$tmp"
	else
		rm -rf "$tmp"
		echo "30-provenance.sh: go install cyclonedx-gomod@v1.10.0 failed (offline?); its comparison test will skip" >&2
	fi
fi
if command -v go >/dev/null; then
	(cd /tmp && GOTOOLCHAIN=go1.22.12 GOFLAGS= GOWORK=off go env GOROOT >/dev/null 2>&1) ||
		echo "30-provenance.sh: go1.22.12 could not be had through GOTOOLCHAIN (offline?); the older-release rebuild test will skip" >&2
fi
if ! command -v git >/dev/null && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq git >/dev/null
fi
