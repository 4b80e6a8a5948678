#!/usr/bin/env bash
# Benchmark: `gocompat matrix --test` over three Go releases against the
# shell loop a user would write instead,
#   for v in go1.21.13 go1.22.12 <installed>; do GOTOOLCHAIN=$v go test ./...; done
# on the same module (github.com/google/go-cmp v0.7.0, go 1.21, from the
# module cache), in one run, interleaved.
#
# gocompat does more than the loop: it also vets each release with every
# analyzer (one go test per row does it, gocompat being its -toolexec
# program), runs each release above the go line a second time with the
# go line raised to it (-modfile copy), and attributes failures. Both
# share the module cache; each measurement starts from a fresh build
# cache, and gocompat from a fresh cache directory (XDG_CACHE_HOME, where
# it keeps vet's output), cold, and is then repeated on those caches
# (warm). Peak memory is the largest resident set of any one process of
# the run (GNU time -v: the maximum over gocompat and each of its
# children; gocompat runs at most one go command per CPU at once), CPU
# the user + system time of all its processes: on a machine shared with
# other work, CPU time is the steadier measure. gocompat -v prints where
# its time goes (per cell: wall and CPU seconds of each go command, and
# their sums).
#
# Usage: bash bench/matrix.sh [ROUNDS]   (warm rounds, default 5)
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=${1:-5}
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
go build -o "$work/gocompat" ./cmd/gocompat
inst=$(go env GOVERSION)
inst=${inst%% *}
lang=$(echo "$inst" | sed -E 's/^go([0-9]+\.[0-9]+).*/\1/')
rels=(go1.21.13 go1.22.12 "$inst")

mod=github.com/google/go-cmp@v0.7.0
src=$(GOFLAGS=-mod=mod go mod download -json "$mod" | awk -F'"' '/"Dir"/ {print $4}')
cp -r "$src" "$work/m" && chmod -R u+w "$work/m"
cd "$work/m"
for v in "${rels[@]}"; do GOTOOLCHAIN=$v go version >/dev/null; done # take the toolchains first
echo "module: $mod, releases: ${rels[*]}, CPUs: $(nproc), rounds: $rounds"
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"

export rels_s="${rels[*]}"
loopcmd=(bash -c 'for v in $rels_s; do GOTOOLCHAIN=$v GOFLAGS= go test ./... >/dev/null 2>&1 || true; done')
matrixcmd=("$work/gocompat" matrix --go "1.21,1.22,$lang" --test --fail-on never --format json -v .)

# run NAME CACHE CMD...: wall seconds and peak KiB of one run.
run() {
	local name=$1 cache=$2; shift 2
	local start end kb
	start=$(date +%s%N)
	read -r kb cpu < <(GOCACHE=$cache/go XDG_CACHE_HOME=$cache/xdg /usr/bin/time -v "$@" 2>&1 >/dev/null |
		awk -F': ' '/Maximum resident set size/ {kb=$2} /User time|System time/ {cpu+=$2} END {print kb, cpu}')
	end=$(date +%s%N)
	awk -v n="$name" -v ns=$((end - start)) -v kb="$kb" -v cpu="$cpu" 'BEGIN { printf "%s\t%.2f\t%s\t%.2f\n", n, ns / 1e9, kb, cpu }'
}

# Cold: one run of each from an empty build cache (the standard library
# is compiled for each release). Warm: ROUNDS runs of each, interleaved,
# on the cache its cold run left.
results=$work/results.tsv
mkdir -p "$work/cache-loop" "$work/cache-matrix"
{
	run "loop cold" "$work/cache-loop" "${loopcmd[@]}"
	run "matrix cold" "$work/cache-matrix" "${matrixcmd[@]}"
	for ((r = 1; r <= rounds; r++)); do
		run "loop warm" "$work/cache-loop" "${loopcmd[@]}"
		run "matrix warm" "$work/cache-matrix" "${matrixcmd[@]}"
	done
} >"$results"

echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-12s %10s %8s %12s %8s %14s\n' run "median s" ratio "median CPU s" ratio "peak RSS KiB"
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for kind in cold warm; do
	l=$(awk -F'\t' -v k="loop $kind" '$1==k {print $2}' "$results" | median)
	m=$(awk -F'\t' -v k="matrix $kind" '$1==k {print $2}' "$results" | median)
	lc=$(awk -F'\t' -v k="loop $kind" '$1==k {print $4}' "$results" | median)
	mc=$(awk -F'\t' -v k="matrix $kind" '$1==k {print $4}' "$results" | median)
	lk=$(awk -F'\t' -v k="loop $kind" '$1==k {print $3}' "$results" | sort -n | tail -1)
	mk=$(awk -F'\t' -v k="matrix $kind" '$1==k {print $3}' "$results" | sort -n | tail -1)
	printf '%-12s %10s %8s %12s %8s %14s\n' "loop $kind" "$l" 1.00 "$lc" 1.00 "$lk"
	printf '%-12s %10s %8s %12s %8s %14s\n' "matrix $kind" "$m" "$(awk -v m="$m" -v l="$l" 'BEGIN { printf "%.2f", m / l }')" \
		"$mc" "$(awk -v m="$mc" -v l="$lc" 'BEGIN { printf "%.2f", m / l }')" "$mk"
done
echo "all runs (name, wall s, peak KiB, CPU s):"
cat "$results"
echo
echo "where gocompat's time goes (seconds per cell, build/vet/test; cold cache, then warm):"
mkdir -p "$work/cache-last"
for kind in cold warm; do
	echo "-- $kind"
	GOCACHE=$work/cache-last/go XDG_CACHE_HOME=$work/cache-last/xdg "${matrixcmd[@]}" 2>&1 >/dev/null |
		grep -E ': done: |go commands for the cells|matrix done in' | sed 's/^gocompat matrix: //' | sort
done
