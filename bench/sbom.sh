#!/usr/bin/env bash
# Benchmark: `gocompat sbom` against cyclonedx-gomod v1.10.0 (app mode, the
# peer a user would run instead) on the same real modules, and
# `gocompat rebuild` against the `go build` it runs.
#
# The modules come from the module proxy (through the module cache) and
# are copied into fresh git repositories, as a checkout would be:
# github.com/google/gops v0.3.28 (main package .) and
# github.com/CycloneDX/cyclonedx-gomod v1.10.0 (main package
# cmd/cyclonedx-gomod). Both tools run warm (the go command's caches are
# filled by a first run); times are the mean of RUNS runs (default 10).
#
# rebuild: gops built with -trimpath in its repository, then rebuilt; the
# rebuild's whole time (read, check out the revision, go build, compare)
# against the go build it runs, and against doing the same by hand (a
# shared clone and go build -trimpath in it), all with a warm build cache.
#
# Usage: bash bench/sbom.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-10}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GOFLAGS= GOWORK=off GOTOOLCHAIN=local
go build -o "$work/gocompat" ./cmd/gocompat
peer=/var/cache/gocompat-test/bin/cyclonedx-gomod@v1.10.0/cyclonedx-gomod
if [ ! -x "$peer" ]; then
	bash .ci/setup.d/30-provenance.sh
fi

gitc() { git -c user.name=bench -c user.email=bench@example.com "$@"; }

# checkout MOD@VERSION DIR: the module's files in a new git repository.
checkout() {
	local src
	src=$(go mod download -json "$1" | awk -F'"' '/"Dir"/ {print $4}')
	cp -r "$src" "$2" && chmod -R u+w "$2"
	(cd "$2" && gitc init -q && gitc add -A && gitc commit -qm import && gitc tag "${1#*@}")
}

mean_ms() {
	local start end
	"$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
	start=$(date +%s%N)
	for ((i = 0; i < runs; i++)); do "$@" >/dev/null 2>&1; done
	end=$(date +%s%N)
	awk -v ns=$((end - start)) -v n="$runs" 'BEGIN { printf "%.1f", ns / n / 1e6 }'
}

echo "go: $(go version | cut -d' ' -f3), cpus: $(nproc), runs: $runs"
echo
# cpu_ms CMD...: user + system CPU time of one run in milliseconds.
cpu_ms() {
	/usr/bin/time -f '%U %S' "$@" 2>&1 >/dev/null | tail -1 | awk '{ printf "%.0f", ($1 + $2) * 1000 }'
}

echo "| module | cyclonedx-gomod app (ms) | gocompat sbom (ms) | ratio | CPU ms, cyclonedx-gomod / gocompat | components |"
echo "|---|---:|---:|---:|---:|---:|"
for spec in "github.com/google/gops@v0.3.28 ." "github.com/CycloneDX/cyclonedx-gomod@v1.10.0 cmd/cyclonedx-gomod"; do
	read -r mod main <<<"$spec"
	dir="$work/$(basename "${mod%@*}")"
	checkout "$mod" "$dir"
	cd "$dir"
	t_peer=$(mean_ms "$peer" app -json -std -noserial -notimestamp -main "$main" -output "$work/peer.json" .)
	t_gc=$(mean_ms "$work/gocompat" sbom --pkg "./$main" -o "$work/gc.json" .)
	c_peer=$(cpu_ms "$peer" app -json -std -noserial -notimestamp -main "$main" -output "$work/peer.json" .)
	c_gc=$(cpu_ms "$work/gocompat" sbom --pkg "./$main" -o "$work/gc.json" .)
	n=$(grep -c '"bom-ref"' "$work/gc.json" || true)
	cd - >/dev/null
	awk -v m="${mod}" -v a="$t_peer" -v b="$t_gc" -v ca="$c_peer" -v cb="$c_gc" -v n="$n" 'BEGIN { printf "| %s | %s | %s | %.2f | %s / %s | %d |\n", m, a, b, b / a, ca, cb, n - 1 }'
done

echo
# rebuild: its own time against the go build it runs (both printed by the
# rebuild on stderr), and against doing the same by hand: a shared clone
# of the repository at the revision plus go build -trimpath in it.
dir="$work/gops"
go build -C "$dir" -trimpath -buildvcs=true -o "$work/gops.bin" .
# A fresh output file each time: go build skips the link when -o names an
# up-to-date binary, which a rebuild never has.
byhand() {
	rm -rf "$work/byhand" "$work/gops.again"
	git clone -q --shared "$dir" "$work/byhand"
	go build -C "$work/byhand" -trimpath -buildvcs=true -o "$work/gops.again" .
}
t_hand=$(mean_ms byhand)
"$work/gocompat" rebuild --src "$dir" "$work/gops.bin" >/dev/null 2>&1 # warm
sum_b=0 sum_t=0
for ((i = 0; i < runs; i++)); do
	line=$("$work/gocompat" rebuild --src "$dir" "$work/gops.bin" 2>&1 >/dev/null | grep 'go build took')
	b=$(sed -E 's/.*took ([0-9.]+)s.*/\1/' <<<"$line")
	t=$(sed -E 's/.*whole rebuild ([0-9.]+)s.*/\1/' <<<"$line")
	sum_b=$(awk -v a="$sum_b" -v b="$b" 'BEGIN { print a + b }')
	sum_t=$(awk -v a="$sum_t" -v b="$t" 'BEGIN { print a + b }')
done
echo "| gops v0.3.28, -trimpath, warm caches | ms/run | ratio |"
echo "|---|---:|---:|"
awk -v b="$sum_b" -v t="$sum_t" -v h="$t_hand" -v n="$runs" 'BEGIN {
	printf "| the go build inside gocompat rebuild | %.1f | 1.00 |\n", b / n * 1000
	printf "| gocompat rebuild, whole (read, check out, go build, compare) | %.1f | %.2f |\n", t / n * 1000, t / b
	printf "| by hand: git clone --shared + go build -trimpath | %.1f | %.2f |\n", h, h / (b / n * 1000)
}'
