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
# against a plain `go build` with the same flags in a checkout, both with
# a warm build cache.
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
echo "| module | cyclonedx-gomod app (ms) | gocompat sbom (ms) | ratio | components |"
echo "|---|---:|---:|---:|---:|"
for spec in "github.com/google/gops@v0.3.28 ." "github.com/CycloneDX/cyclonedx-gomod@v1.10.0 cmd/cyclonedx-gomod"; do
	read -r mod main <<<"$spec"
	dir="$work/$(basename "${mod%@*}")"
	checkout "$mod" "$dir"
	cd "$dir"
	t_peer=$(mean_ms "$peer" app -json -std -noserial -notimestamp -main "$main" -output "$work/peer.json" .)
	t_gc=$(mean_ms "$work/gocompat" sbom --pkg "./$main" -o "$work/gc.json" .)
	n=$(grep -c '"bom-ref"' "$work/gc.json" || true)
	cd - >/dev/null
	awk -v m="${mod}" -v a="$t_peer" -v b="$t_gc" -v n="$n" 'BEGIN { printf "| %s | %s | %s | %.2f | %d |\n", m, a, b, b / a, n - 1 }'
done

echo
dir="$work/gops"
go build -C "$dir" -trimpath -buildvcs=true -o "$work/gops.bin" .
t_build=$(mean_ms go build -C "$dir" -trimpath -buildvcs=true -o "$work/gops.again" .)
t_rebuild=$(mean_ms "$work/gocompat" rebuild --src "$dir" "$work/gops.bin")
echo "| gops v0.3.28, -trimpath | ms/run | ratio |"
echo "|---|---:|---:|"
echo "| go build -trimpath (warm cache) | $t_build | 1.00 |"
awk -v a="$t_build" -v b="$t_rebuild" 'BEGIN { printf "| gocompat rebuild (check out, build, compare) | %s | %.2f |\n", b, b / a }'
"$work/gocompat" rebuild --src "$dir" "$work/gops.bin" | head -3
