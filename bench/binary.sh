#!/usr/bin/env bash
# Benchmark: `gocompat binary` against `go version -m` on the same binaries
# (every file in $(go env GOROOT)/bin and $(go env GOTOOLDIR)).
#
# Prints the wall time per run of each (the mean of RUNS runs, default
# 20), their ratio, and the peak resident memory of one run of each
# (GNU time -v). gocompat runs with --format json and --target scratch so
# that the run reads the binaries and matches them against a preset, with
# no host probing; a second line gives the default (--target host).
#
# The last two rows run the same gocompat command from an empty directory
# and from one holding 10,000 Go files (each with an inline ignore): only
# the files findings point into are read for inline ignores, so the two
# should cost the same.
#
# Usage: bash bench/binary.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-20}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/gocompat" ./cmd/gocompat

mapfile -t bins < <(find "$(go env GOROOT)/bin" "$(go env GOTOOLDIR)" -maxdepth 1 -type f -perm -u+x | sort)
echo "binaries: ${#bins[@]} ($(du -ch "${bins[@]}" | tail -1 | cut -f1) in all), go: $(go version | cut -d' ' -f3), runs: $runs"

# mean_ms CMD...: mean wall time of one run in milliseconds (0.1 ms).
mean_ms() {
	local start end
	"$@" >/dev/null 2>&1 || true # warm the page cache
	start=$(date +%s%N)
	for ((i = 0; i < runs; i++)); do "$@" >/dev/null 2>&1 || true; done
	end=$(date +%s%N)
	awk -v ns=$((end - start)) -v n="$runs" 'BEGIN { printf "%.1f", ns / n / 1e6 }'
}

# peak_kb CMD...: maximum resident set size of one run in KiB.
peak_kb() {
	/usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ {print $2}'
}

# The same list 20 times over shows the cost per binary once process
# start-up no longer dominates.
many=()
for ((k = 0; k < 20; k++)); do many+=("${bins[@]}"); done

gv=(go version -m "${bins[@]}")
gc=("$work/gocompat" binary --format json --fail-on never --target scratch "${bins[@]}")
gh=("$work/gocompat" binary --format json --fail-on never "${bins[@]}")

gv20=(go version -m "${many[@]}")
gc20=("$work/gocompat" binary --format json --fail-on never --target scratch "${many[@]}")

t_gv=$(mean_ms "${gv[@]}")
t_gc=$(mean_ms "${gc[@]}")
t_gh=$(mean_ms "${gh[@]}")
m_gv=$(peak_kb "${gv[@]}")
m_gc=$(peak_kb "${gc[@]}")
m_gh=$(peak_kb "${gh[@]}")
t_gv20=$(mean_ms "${gv20[@]}")
t_gc20=$(mean_ms "${gc20[@]}")
m_gv20=$(peak_kb "${gv20[@]}")
m_gc20=$(peak_kb "${gc20[@]}")

empty="$work/empty"
tree="$work/tree"
mkdir -p "$empty"
for ((p = 0; p < 100; p++)); do
	mkdir -p "$tree/p$p"
	for ((f = 0; f < 100; f++)); do
		printf 'package p\n\n//gocompat:ignore x/y z\nvar V = %d\n' "$f" >"$tree/p$p/f$f.go"
	done
done

t_empty=$(mean_ms env -C "$empty" "${gc[@]}")
t_tree=$(mean_ms env -C "$tree" "${gc[@]}")
m_empty=$(peak_kb env -C "$empty" "${gc[@]}")
m_tree=$(peak_kb env -C "$tree" "${gc[@]}")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) b = 1; printf "%.2f", a / b }'; }
row() { printf '%-48s %8s %6s %15s\n' "$@"; }
row "command" "ms/run" "ratio" "peak RSS (KiB)"
row "go version -m" "$t_gv" "1.00" "$m_gv"
row "gocompat binary --format json --target scratch" "$t_gc" "$(ratio "$t_gc" "$t_gv")" "$m_gc"
row "gocompat binary --format json (target host)" "$t_gh" "$(ratio "$t_gh" "$t_gv")" "$m_gh"
row "go version -m, list x20 (${#many[@]} files)" "$t_gv20" "1.00" "$m_gv20"
row "gocompat binary ... --target scratch, list x20" "$t_gc20" "$(ratio "$t_gc20" "$t_gv20")" "$m_gc20"
row "gocompat binary ... --target scratch, in empty dir" "$t_empty" "1.00" "$m_empty"
row "  the same, in a dir of 10,000 .go files" "$t_tree" "$(ratio "$t_tree" "$t_empty")" "$m_tree"
