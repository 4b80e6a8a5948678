#!/usr/bin/env bash
# Times `gocompat deploy` against its peer for systemd units,
# `systemd-analyze verify`, on copies of this machine's service units.
# gocompat runs without systemd-analyze on PATH here, so the two numbers
# are independent (gocompat deploy normally runs verify as well).
#
# Usage: bench/deploy.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/gocompat" ./cmd/gocompat
mkdir -p "$work/units"
find /lib/systemd/system /etc/systemd/system -maxdepth 1 -name '*.service' -type f -exec cp {} "$work/units/" \; 2>/dev/null || true
n=$(find "$work/units" -name '*.service' | wc -l)
if [ "$n" -eq 0 ]; then echo "no unit files on this machine"; exit 0; fi
gobin=$(dirname "$(command -v go)")
TIMEFORMAT='%R'
echo "units: $n, runs: $runs"
for i in $(seq "$runs"); do
	g=$( { time env PATH="$gobin" "$work/gocompat" deploy --fail-on never --format json "$work/units" >/dev/null; } 2>&1 )
	if command -v systemd-analyze >/dev/null; then
		s=$( { time systemd-analyze verify --man=no --recursive-errors=no "$work"/units/*.service >/dev/null 2>&1 || true; } 2>&1 )
	else
		s=n/a
	fi
	echo "run $i: gocompat deploy ${g}s   systemd-analyze verify ${s}s"
done
