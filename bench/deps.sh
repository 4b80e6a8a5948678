#!/usr/bin/env bash
# Benchmark: `gocompat deps` against `govulncheck ./...` (golang.org/x/vuln
# v1.9.0, the analysis gocompat runs in process) on the same module and
# the same database, with a cold build cache (a fresh GOCACHE each run)
# and a warm one (a GOCACHE filled by one run of each first).
#
# Modules: internal/audit/testdata/deps/textcall (one dependency) and
# github.com/gin-gonic/gin@v1.7.0 from the module proxy (about 25
# modules). Database: the Go vulnerability database entries beside the
# repository (../shared/data/go-vulndb/osv), laid out with `gocompat
# vulndb import`, or the folder given as DBDIR.
#
# gocompat deps runs twice: as a user runs it (its module-health checks
# ask the module proxy: retractions, deprecations), and with GOPROXY=off
# (the vulnerability analysis and the local checks only), which is the
# like-for-like comparison with govulncheck. The tools' runs are
# interleaved; each cell is the median of RUNS runs (default 5). Time is
# wall-clock seconds and CPU (user + system) seconds of all processes;
# memory is the peak resident set of the largest process (GNU time -v
# reports the command's own, and the analysis runs inside it).
#
# Usage: bash bench/deps.sh [RUNS] [DBDIR]
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/gocompat" ./cmd/gocompat
GOBIN="$work" GOFLAGS= GOWORK=off go install golang.org/x/vuln/cmd/govulncheck@v1.9.0

db=${2:-}
if [ -z "$db" ]; then
	osv=../shared/data/go-vulndb/osv
	[ -d "$osv" ] || { echo "no $osv: give a database folder as the second argument" >&2; exit 2; }
	"$work/gocompat" vulndb import --modified 2026-08-21 "$osv" "$work/db" >/dev/null
	db=$work/db
fi
dburl=file://$(cd "$db" && pwd)

mkdir -p "$work/textcall"
cp internal/audit/testdata/deps/textcall/* "$work/textcall/"
gin=$(GOFLAGS=-mod=mod go mod download -json github.com/gin-gonic/gin@v1.7.0 | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
cp -r "$gin" "$work/gin" && chmod -R u+w "$work/gin"
(cd "$work/gin" && go mod download all >/dev/null 2>&1 || true)

echo "go: $(go version | cut -d' ' -f3), db: $(cat "$db/index/db.json"), runs: $runs, cores: $(nproc)"

# measure DIR CACHE CMD...: "wall cpu maxrss_kib" of one run in DIR.
measure() {
	local dir=$1 cache=$2
	shift 2
	(cd "$dir" && GOCACHE=$cache /usr/bin/time -f '%e %U %S %M' -o "$work/t" "$@" >/dev/null 2>&1) || true
	# The last line: GNU time puts "Command exited with non-zero status N"
	# first when the tool reports vulnerabilities (govulncheck exits 3).
	awk 'END { printf "%.2f %.2f %d\n", $1, $2 + $3, $4 }' "$work/t"
}

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) b = 1; printf "%.2f", a / b }'; }

declare -A tools=(
	[govulncheck]="$work/govulncheck -db $dburl ./..."
	[gocompat]="$work/gocompat deps --db $dburl --format json --fail-on never"
	[gocompat-offline]="env GOPROXY=off $work/gocompat deps --db $dburl --format json --fail-on never"
)
order=(govulncheck gocompat gocompat-offline)

printf '%-10s %-5s %-18s %8s %6s %8s %6s %10s %6s\n' module cache tool wall_s ratio cpu_s ratio rss_kib ratio
for mod in textcall gin; do
	for mode in cold warm; do
		: >"$work/res"
		warmcache=$work/gocache-$mod
		if [ "$mode" = warm ]; then
			for tool in "${order[@]}"; do measure "$work/$mod" "$warmcache" ${tools[$tool]} >/dev/null; done
		fi
		for ((r = 0; r < runs; r++)); do
			for tool in "${order[@]}"; do
				cache=$warmcache
				[ "$mode" = cold ] && cache=$(mktemp -d "$work/cold.XXXX")
				echo "$tool $(measure "$work/$mod" "$cache" ${tools[$tool]})" >>"$work/res"
				[ "$mode" = cold ] && rm -rf "$cache"
			done
		done
		declare -A w c m
		for tool in "${order[@]}"; do
			w[$tool]=$(awk -v t="$tool" '$1 == t { print $2 }' "$work/res" | median)
			c[$tool]=$(awk -v t="$tool" '$1 == t { print $3 }' "$work/res" | median)
			m[$tool]=$(awk -v t="$tool" '$1 == t { print $4 }' "$work/res" | median)
		done
		for tool in "${order[@]}"; do
			printf '%-10s %-5s %-18s %8s %6s %8s %6s %10s %6s\n' "$mod" "$mode" "$tool" \
				"${w[$tool]}" "$(ratio "${w[$tool]}" "${w[govulncheck]}")" \
				"${c[$tool]}" "$(ratio "${c[$tool]}" "${c[govulncheck]}")" \
				"${m[$tool]}" "$(ratio "${m[$tool]}" "${m[govulncheck]}")"
		done
	done
done
