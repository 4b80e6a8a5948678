#!/usr/bin/env bash
# Benchmark: `gocompat matrix --test` over three Go releases against the
# shell loops a user would write instead, on the same module
# (github.com/google/go-cmp v0.7.0, go 1.21, from the module cache), in
# one run, interleaved:
#
#   loop:      for v in go1.21.13 go1.22.12 <installed>; do
#                GOTOOLCHAIN=$v go test ./...; done
#   loop-same: the same work as the matrix's rows: every release at the
#              module's go line, and each release above it a second time
#              with the go line raised to it (a -modfile copy):
#              for v in ...; do GOTOOLCHAIN=$v go test ./...
#                GOTOOLCHAIN=$v go test -modfile=raised-$v.mod ./...; done
#
# gocompat does more than either loop: it also vets each row with every
# analyzer (one go test per row does it, gocompat being its -toolexec
# program) and attributes failures. Over three releases of a module
# whose go line is the oldest, the matrix has five rows: the first loop
# runs three of them, the second all five.
#
# All share the module cache; each measurement starts from a fresh build
# cache, and gocompat from a fresh cache directory (XDG_CACHE_HOME, where
# it keeps vet's output), cold, and is then repeated on those caches
# (warm). Peak memory is the largest resident set of any one process of
# the run (GNU time -v: the maximum over the command and each of its
# children; gocompat runs at most one go command per CPU at once), CPU
# the user + system time of all its processes: on a machine shared with
# other work, CPU time is the steadier measure. gocompat -v prints where
# its time goes (per cell: wall and CPU seconds of each go command, and
# their sums).
#
# Usage: bash bench/matrix.sh [ROUNDS [COLD]]
#   ROUNDS warm rounds (default 5), COLD cold rounds (default 1): on a
#   machine shared with other work, the load changes between one cold run
#   and the next; several cold rounds, interleaved, give a median.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=${1:-5}
coldrounds=${2:-1}
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

# The raised go lines of loop-same: a copy of go.mod (and go.sum) per
# release above the module's go line, as gocompat makes them.
own=$(go mod edit -json | awk -F'"' '/"Go":/ {print $4}')
raised=()
for v in "${rels[@]}"; do
	l=$(echo "$v" | sed -E 's/^go([0-9]+\.[0-9]+).*/\1/')
	if [ "$(printf '%s\n%s\n' "$own" "$l" | sort -V | head -1)" != "$l" ]; then
		cp go.mod "$work/raised-$v.mod"
		[ -f go.sum ] && cp go.sum "$work/raised-$v.sum"
		go mod edit -go="$l" "$work/raised-$v.mod"
		raised+=("$v")
	fi
done
echo "module: $mod (go $own), releases: ${rels[*]}, raised: ${raised[*]:-none}, CPUs: $(nproc), rounds: $rounds warm, $coldrounds cold"
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
export rels_s="${rels[*]}" raised_s="${raised[*]}" work
loopcmd=(bash -c 'for v in $rels_s; do GOTOOLCHAIN=$v GOFLAGS= go test ./... >/dev/null 2>&1 || true; done')
samecmd=(bash -c 'for v in $rels_s; do
	GOTOOLCHAIN=$v GOFLAGS= go test ./... >/dev/null 2>&1 || true
	case " $raised_s " in *" $v "*) GOTOOLCHAIN=$v GOFLAGS= go test -modfile="$work/raised-$v.mod" ./... >/dev/null 2>&1 || true ;; esac
done')
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

# Cold: COLD runs of each, interleaved, each from an empty build cache
# (the standard library is compiled for each release). Warm: ROUNDS runs
# of each, interleaved, on the cache its last cold run left.
results=$work/results.tsv
{
	for ((r = 1; r <= coldrounds; r++)); do
		rm -rf "$work/cache-loop" "$work/cache-same" "$work/cache-matrix"
		mkdir -p "$work/cache-loop" "$work/cache-same" "$work/cache-matrix"
		run "loop cold" "$work/cache-loop" "${loopcmd[@]}"
		run "loop-same cold" "$work/cache-same" "${samecmd[@]}"
		run "matrix cold" "$work/cache-matrix" "${matrixcmd[@]}"
	done
	for ((r = 1; r <= rounds; r++)); do
		run "loop warm" "$work/cache-loop" "${loopcmd[@]}"
		run "loop-same warm" "$work/cache-same" "${samecmd[@]}"
		run "matrix warm" "$work/cache-matrix" "${matrixcmd[@]}"
	done
} >"$results"

echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-15s %9s %9s %9s %12s %9s %9s %14s\n' run "median s" "/loop" "/same" "median CPU s" "/loop" "/same" "peak RSS KiB"
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
col() { awk -F'\t' -v k="$1" -v c="$2" '$1==k {print $c}' "$results"; }
ratio() { awk -v m="$1" -v l="$2" 'BEGIN { printf "%.2f", m / l }'; }
for kind in cold warm; do
	l=$(col "loop $kind" 2 | median)
	lc=$(col "loop $kind" 4 | median)
	s=$(col "loop-same $kind" 2 | median)
	sc=$(col "loop-same $kind" 4 | median)
	for name in loop loop-same matrix; do
		w=$(col "$name $kind" 2 | median)
		c=$(col "$name $kind" 4 | median)
		k=$(col "$name $kind" 3 | sort -n | tail -1)
		printf '%-15s %9s %9s %9s %12s %9s %9s %14s\n' "$name $kind" "$w" "$(ratio "$w" "$l")" "$(ratio "$w" "$s")" \
			"$c" "$(ratio "$c" "$lc")" "$(ratio "$c" "$sc")" "$k"
	done
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
