#!/usr/bin/env bash
# bench/loopvar.sh [MODULE@VERSION] [RUNS]
#
# Compares, on one real module below go 1.22 (default
# github.com/stretchr/testify@v1.8.4), the wall time and peak memory of
#
#   gocompat    gocompat loopvar ./...            (drives go vet -vettool=gocompat -json)
#   vettool     go vet -vettool=gocompat ./...    (the same analyzer, unitchecker)
#   go-vet      go vet ./...                      (the standard vet suite)
#   oracle      go list -export -test -gcflags=MOD/...=-lang=go1.22 -d=loopvar=3 ./...
#
# each with a cold build cache (a fresh GOCACHE, so the standard library
# and dependencies are compiled too) and a warm one (the same command run
# again). Peak memory is the largest maximum resident set size of any
# single process of the command (go, compile, vet tool …), as GNU
# /usr/bin/time -v reports it. With RUNS > 1 (default 3) the median of the
# runs is printed. Needs the module proxy once (go mod download), GNU
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

# measure NAME CACHE -- CMD...: prints "seconds max-rss-KiB"
measure() {
	local cache=$1
	shift
	local tf="$work/time.txt"
	(cd "$mod" && GOCACHE="$cache" /usr/bin/time -v "$@" >/dev/null 2>"$tf") || true
	local wall rss
	wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$tf" | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tf")
	echo "$wall $rss"
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

declare -A res
for name in "${order[@]}"; do
	cw=() cm=() ww=() wm=()
	for ((r = 0; r < runs; r++)); do
		cache="$work/cache-$name-$r"
		read -r w m < <(measure "$cache" bash -c "run_$name")
		cw+=("$w") cm+=("$m")
		read -r w m < <(measure "$cache" bash -c "run_$name")
		ww+=("$w") wm+=("$m")
		chmod -R u+w "$cache" 2>/dev/null; rm -rf "$cache"
	done
	res[$name.cold.t]=$(printf '%s\n' "${cw[@]}" | median)
	res[$name.cold.m]=$(printf '%s\n' "${cm[@]}" | median)
	res[$name.warm.t]=$(printf '%s\n' "${ww[@]}" | median)
	res[$name.warm.m]=$(printf '%s\n' "${wm[@]}" | median)
done

printf '\n%-9s %10s %10s %10s %10s   %s\n' tool "cold s" "cold MiB" "warm s" "warm MiB" command
for name in "${order[@]}"; do
	printf '%-9s %10.2f %10.0f %10.2f %10.0f   %s\n' "$name" "${res[$name.cold.t]}" "$(echo "${res[$name.cold.m]} / 1024" | bc -l)" \
		"${res[$name.warm.t]}" "$(echo "${res[$name.warm.m]} / 1024" | bc -l)" "${cmds[$name]}"
done
echo
peers=(go-vet oracle)
[ -n "${BASELINE:-}" ] && peers+=(baseline)
for peer in "${peers[@]}"; do
	for c in cold warm; do
		printf 'gocompat / %-6s %s: time %.2fx, memory %.2fx\n' "$peer" "$c" \
			"$(echo "${res[gocompat.$c.t]} / ${res[$peer.$c.t]}" | bc -l)" \
			"$(echo "${res[gocompat.$c.m]} / ${res[$peer.$c.m]}" | bc -l)"
	done
done
for c in cold warm; do
	printf 'vettool  / go-vet %s: time %.2fx, memory %.2fx\n' "$c" \
		"$(echo "${res[vettool.$c.t]} / ${res[go-vet.$c.t]}" | bc -l)" \
		"$(echo "${res[vettool.$c.m]} / ${res[go-vet.$c.m]}" | bc -l)"
done
