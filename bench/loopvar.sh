#!/usr/bin/env bash
# bench/loopvar.sh [MODULE@VERSION] [RUNS]
#
# Compares, on one real module below go 1.22 (default
# github.com/stretchr/testify@v1.8.4), the wall time, CPU time and peak
# memory of
#
#   gocompat    gocompat loopvar ./...            (drives go vet -vettool=gocompat -json)
#   vettool     go vet -vettool=gocompat ./...    (the same analyzer, unitchecker)
#   go-vet      go vet ./...                      (the standard vet suite)
#   oracle      go list -export -test -gcflags=MOD/...=-lang=go1.22 -d=loopvar=3 ./...
#
# each with a cold build cache (a fresh GOCACHE, so the standard library
# and dependencies are compiled too) and a warm one (the same command run
# again, WARM times per cold run, default 5). Peak memory is the largest
# maximum resident set size of any single process of the command (go,
# compile, vet tool …), CPU the user + system time of all of them, as GNU
# /usr/bin/time -v reports it; CPU time is the steadier figure on a busy
# machine. The runs of the tools are interleaved and the medians printed
# (RUNS cold runs per tool, default 3). Needs the module proxy once (go mod download), GNU
# time, bc, and builds gocompat from this tree.
#
# With BASELINE=/path/to/another/gocompat, its `loopvar ./...` is measured
# too (row "baseline"), to compare two builds in one run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mv=${1:-github.com/stretchr/testify@v1.8.4}
runs=${2:-3}
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

export GOWORK=off
bin="$work/gocompat"
(cd "$root" && go build -o "$bin" ./cmd/gocompat)
src=$(cd "$work" && GOFLAGS=-mod=mod go mod download -json "$mv" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -n "$src" ] || { echo "bench: go mod download $mv failed" >&2; exit 1; }
mod="$work/mod"
cp -r "$src" "$mod"
chmod -R u+w "$mod"
(cd "$mod" && GOFLAGS=-mod=mod go mod download && GOFLAGS=-mod=mod go list -test -deps ./... >/dev/null)
path=$(cd "$mod" && go list -m)
echo "module: $mv ($(cd "$mod" && go list -m -f '{{.GoVersion}}' | sed 's/^/go /')), $(find "$mod" -name '*.go' | xargs cat | wc -l) lines of Go; $(go version | cut -d' ' -f3-); $(nproc) CPUs"

# measure CACHE CMD...: prints "wall-seconds max-rss-KiB cpu-seconds"
# (cpu: user + system time of the command and all its children).
measure() {
	local cache=$1
	shift
	local tf="$work/time.txt"
	(cd "$mod" && GOCACHE="$cache" /usr/bin/time -v "$@" >/dev/null 2>"$tf") || true
	local wall rss cpu
	wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$tf" | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tf")
	cpu=$(awk -F': ' '/User time \(seconds\)|System time \(seconds\)/ { t += $2 } END { print t }' "$tf")
	echo "$wall $rss $cpu"
}

run_gocompat() { "$bin" loopvar --fail-on never ./...; }
run_baseline() { "$BASELINE" loopvar --fail-on never ./...; }
run_vettool() { go vet -vettool="$bin" ./...; }
run_go-vet() { go vet ./...; }
run_oracle() { go list -export -test -gcflags="$path/...=-lang=go1.22 -d=loopvar=3" ./...; }
declare -A cmds=(
	[gocompat]="gocompat loopvar ./..."
	[vettool]="go vet -vettool=gocompat ./..."
	[go-vet]="go vet ./..."
	[oracle]="go list -export -test -gcflags='$path/...=-lang=go1.22 -d=loopvar=3' ./..."
)
order=(gocompat vettool go-vet oracle)
if [ -n "${BASELINE:-}" ]; then
	cmds[baseline]="$BASELINE loopvar ./..."
	order=(baseline "${order[@]}")
	export BASELINE
fi
export -f run_gocompat run_baseline run_vettool run_go-vet run_oracle
export bin path

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# Runs are interleaved (run 1 of every tool, then run 2 …) so that a
# change in the machine's load hits all tools alike. Each cold run is
# followed by $WARM warm runs (default 5) on the same cache.
warm=${WARM:-5}
declare -A lists
for ((r = 0; r < runs; r++)); do
	for name in "${order[@]}"; do
		cache="$work/cache-$name-$r"
		read -r w m c < <(measure "$cache" bash -c "run_$name")
		lists[$name.cold.t]+="$w " lists[$name.cold.m]+="$m " lists[$name.cold.c]+="$c "
		for ((i = 0; i < warm; i++)); do
			read -r w m c < <(measure "$cache" bash -c "run_$name")
			lists[$name.warm.t]+="$w " lists[$name.warm.m]+="$m " lists[$name.warm.c]+="$c "
		done
		chmod -R u+w "$cache" 2>/dev/null
		rm -rf "$cache"
	done
done
declare -A res
for k in "${!lists[@]}"; do
	res[$k]=$(printf '%s\n' ${lists[$k]} | median)
done

printf '\n%-9s %8s %8s %8s %8s %8s %8s   %s\n' tool "cold s" "cpu s" "MiB" "warm s" "cpu s" "MiB" command
for name in "${order[@]}"; do
	printf '%-9s %8.2f %8.2f %8.0f %8.3f %8.3f %8.0f   %s\n' "$name" \
		"${res[$name.cold.t]}" "${res[$name.cold.c]}" "$(echo "${res[$name.cold.m]} / 1024" | bc -l)" \
		"${res[$name.warm.t]}" "${res[$name.warm.c]}" "$(echo "${res[$name.warm.m]} / 1024" | bc -l)" "${cmds[$name]}"
done
echo
ratio() { # A B COLD|WARM
	printf '%-8s / %-8s %s: time %.2fx, cpu %.2fx, memory %.2fx\n' "$1" "$2" "$3" \
		"$(echo "${res[$1.$3.t]} / ${res[$2.$3.t]}" | bc -l)" \
		"$(echo "${res[$1.$3.c]} / ${res[$2.$3.c]}" | bc -l)" \
		"$(echo "${res[$1.$3.m]} / ${res[$2.$3.m]}" | bc -l)"
}
peers=(go-vet oracle)
[ -n "${BASELINE:-}" ] && peers+=(baseline)
for peer in "${peers[@]}"; do
	for c in cold warm; do
		ratio gocompat "$peer" "$c"
	done
done
for c in cold warm; do
	ratio vettool go-vet "$c"
done
