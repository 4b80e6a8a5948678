#!/usr/bin/env bash
# bench/upgrade.sh: how long `gocompat upgrade --test` takes to name the
# loop that breaks a test at go 1.22, against the peer approach of running
# bisect by hand, unscoped (`bisect -compile=loopvar go test`, which
# recompiles the standard library on every trial).
#
# Usage: bench/upgrade.sh [--no-peer]
# Needs: go on PATH; golang.org/x/tools/cmd/bisect (built from this module).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

go build -o "$work/gocompat" ./cmd/gocompat
go build -o "$work/bisect" golang.org/x/tools/cmd/bisect
cp -r internal/check/upgrade/testdata/loop121 "$work/mod"

t0=$(date +%s.%N)
"$work/gocompat" upgrade --to 1.22 --test --fail-on never "$work/mod" >"$work/report.txt" 2>/dev/null
t1=$(date +%s.%N)
grep -q 'counter.go:10:6' "$work/report.txt" || { echo "gocompat did not name the loop" >&2; exit 1; }
printf 'gocompat upgrade --to 1.22 --test (static report, both test runs, attribution, scoped bisect): %.1fs\n' "$(echo "$t1 - $t0" | bc)"

t0=$(date +%s.%N)
"$work/gocompat" upgrade --to 1.22 --fail-on never "$work/mod" >/dev/null 2>&1
t1=$(date +%s.%N)
printf 'gocompat upgrade --to 1.22 (no tests, warm cache): %.1fs\n' "$(echo "$t1 - $t0" | bc)"

[ "${1:-}" = "--no-peer" ] && exit 0
sed 's/^go 1.21$/go 1.22/' "$work/mod/go.mod" >"$work/alt.mod"
: >"$work/alt.sum"
t0=$(date +%s.%N)
(cd "$work/mod" && GOFLAGS=-mod=mod "$work/bisect" -compile=loopvar go test -modfile="$work/alt.mod" -run '^TestSteps$' . >"$work/peer.txt" 2>/dev/null) || true
t1=$(date +%s.%N)
grep -q 'counter.go:10:6' "$work/peer.txt" || echo "(the unscoped bisect did not name the loop)" >&2
printf 'peer: bisect -compile=loopvar go test (unscoped, by hand): %.1fs\n' "$(echo "$t1 - $t0" | bc)"
