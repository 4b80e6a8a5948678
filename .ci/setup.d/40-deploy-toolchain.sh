#!/usr/bin/env bash
# The buildvcs fact is checked on a real older toolchain
# (internal/facts TestBuildVCSOnRealToolchains): fetch go1.21.13 through
# the module proxy into the module cache once. Quiet; skips when present.
set -euo pipefail
command -v go >/dev/null || exit 0
GOTOOLCHAIN=go1.21.13 GOFLAGS= go version >/dev/null 2>&1 || echo "setup: go1.21.13 could not be fetched; TestBuildVCSOnRealToolchains will skip it" >&2
