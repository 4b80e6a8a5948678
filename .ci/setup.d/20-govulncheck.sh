#!/usr/bin/env bash
# The deps tests compare gocompat deps with govulncheck v1.9.0 run on the
# same modules and database (internal/audit TestDepsMatchesGovulncheck).
# Install it once where internal/testbin.Tool looks, and fetch go1.22.12
# (the case judging the standard library at a selected toolchain). Quiet;
# skips what is present.
set -euo pipefail
command -v go >/dev/null || exit 0
dir=/var/cache/gocompat-test/bin/govulncheck@v1.9.0
if [ ! -x "$dir/govulncheck" ]; then
	mkdir -p /var/cache/gocompat-test/bin
	tmp=$(mktemp -d /var/cache/gocompat-test/bin/govulncheck.tmp-XXXXXX)
	if GOBIN=$tmp GOFLAGS= GOWORK=off go install golang.org/x/vuln/cmd/govulncheck@v1.9.0 >/dev/null 2>&1; then
		mv "$tmp" "$dir" 2>/dev/null || rm -rf "$tmp"
	else
		rm -rf "$tmp"
		echo "setup: govulncheck@v1.9.0 could not be installed; the deps ground-truth test will skip" >&2
	fi
fi
GOTOOLCHAIN=go1.22.12 GOFLAGS= go version >/dev/null 2>&1 || echo "setup: go1.22.12 could not be fetched; the go1.22.12 deps case will skip" >&2
