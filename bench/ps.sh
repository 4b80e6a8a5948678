#!/usr/bin/env bash
# Benchmark: `gocompat ps` against `gops` (github.com/google/gops, the
# tool that lists a machine's Go processes) over every process of this
# machine, plus CHILDREN (default 20) idle Go programs started here so
# that there are Go processes to find.
#
# Prints the wall time per run of each (the mean of RUNS interleaved
# runs, default 20), their ratio, and the peak resident memory of one run (GNU time -v).
# gops is installed at a pinned version into the cache the tests use
# (/var/cache/gocompat-test/bin), through the Go module proxy.
#
# Usage: bash bench/ps.sh [RUNS] [CHILDREN]
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-20}
children=${2:-20}
gops_version=v0.3.28
cache=/var/cache/gocompat-test/bin/gops@$gops_version
work=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

if [ ! -x "$cache/gops" ]; then
	mkdir -p "$cache.tmp"
	GOBIN="$cache.tmp" GOFLAGS= GOWORK=off go install "github.com/google/gops@$gops_version"
	mv "$cache.tmp" "$cache"
fi
go build -o "$work/gocompat" ./cmd/gocompat

# Idle Go programs: each sleeps until killed.
mkdir -p "$work/idle"
cat >"$work/idle/main.go" <<'GO'
package main

import "time"

func main() { time.Sleep(time.Hour) }
GO
printf 'module example.com/idle\n\ngo 1.24\n' >"$work/idle/go.mod"
(cd "$work/idle" && GOFLAGS= GOWORK=off go build -o "$work/idle-prog" .)
for ((i = 0; i < children; i++)); do
	GOMAXPROCS=64 "$work/idle-prog" &
	pids+=($!)
done
sleep 0.5

total=$(ls -d /proc/[0-9]* | wc -l)
gofound=$("$cache/gops" 2>/dev/null | wc -l)
echo "processes: $total, Go processes gops lists: $gofound, runs: $runs, go: $(go version | cut -d' ' -f3), cpus: $(nproc), load: $(cut -d' ' -f1 /proc/loadavg)"

# time_ns CMD...: wall time of one run in nanoseconds.
time_ns() {
	local start end
	start=$(date +%s%N)
	"$@" >/dev/null 2>&1 || true
	end=$(date +%s%N)
	echo $((end - start))
}
peak_kb() {
	/usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ {print $2}'
}

gops=("$cache/gops")
gc=("$work/gocompat" ps --format json --fail-on never)
gt=("$work/gocompat" ps --format text --fail-on never)

# The tools' runs are interleaved, so that a change in the machine's load
# falls on all of them alike.
"${gops[@]}" >/dev/null 2>&1; "${gc[@]}" >/dev/null 2>&1 || true # warm caches
s_gops=0 s_gc=0 s_gt=0
for ((i = 0; i < runs; i++)); do
	s_gops=$((s_gops + $(time_ns "${gops[@]}")))
	s_gc=$((s_gc + $(time_ns "${gc[@]}")))
	s_gt=$((s_gt + $(time_ns "${gt[@]}")))
done
ms() { awk -v ns="$1" -v n="$runs" 'BEGIN { printf "%.1f", ns / n / 1e6 }'; }
t_gops=$(ms $s_gops) t_gc=$(ms $s_gc) t_gt=$(ms $s_gt)
m_gops=$(peak_kb "${gops[@]}")
m_gc=$(peak_kb "${gc[@]}")
m_gt=$(peak_kb "${gt[@]}")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) b = 1; printf "%.2f", a / b }'; }
row() { printf '%-40s %8s %6s %15s\n' "$@"; }
row "command" "ms/run" "ratio" "peak RSS (KiB)"
row "gops $gops_version" "$t_gops" "1.00" "$m_gops"
row "gocompat ps --format json" "$t_gc" "$(ratio "$t_gc" "$t_gops")" "$m_gc"
row "gocompat ps --format text" "$t_gt" "$(ratio "$t_gt" "$t_gops")" "$m_gt"
