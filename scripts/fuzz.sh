#!/usr/bin/env bash
# Fuzz every Fuzz target of the module for longer than CI does.
#
# CI (go test ./...) runs only each target's seed corpus: the seeds in the
# test and testdata/fuzz/<Target>/, bounded and deterministic. This script
# runs the fuzzer on each target in turn, for a while each, so that inputs
# nobody seeded get a chance. A failure leaves its input under
# testdata/fuzz/<Target>/ of that package: review it, fix the bug, and keep
# the file, so the failing input becomes a seed CI runs from then on.
#
# Usage: scripts/fuzz.sh [-t DURATION] [PACKAGE-PATTERN...]
#   -t DURATION       fuzz time per target (go test -fuzztime), default 60s
#   PACKAGE-PATTERN   packages to fuzz, default ./...
#
# Example: scripts/fuzz.sh -t 5m ./internal/workflow
set -euo pipefail
cd "$(dirname "$0")/.."

fuzztime=60s
while getopts t: opt; do
	case $opt in
	t) fuzztime=$OPTARG ;;
	*) echo "usage: $0 [-t DURATION] [PACKAGE-PATTERN...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
if [ $# -eq 0 ]; then set -- ./...; fi

failed=0
for pkg in $(go list "$@"); do
	dir=$(go list -f '{{.Dir}}' "$pkg")
	# Fuzz targets are top-level functions of _test.go files.
	targets=$(grep -ho '^func Fuzz[A-Za-z0-9_]*(f \*testing\.F)' "$dir"/*_test.go 2>/dev/null |
		sed 's/^func \(Fuzz[A-Za-z0-9_]*\).*/\1/' | sort -u || true)
	for t in $targets; do
		echo "== $pkg $t ($fuzztime)"
		if ! go test "$pkg" -run '^$' -fuzz "^$t\$" -fuzztime "$fuzztime"; then
			failed=1
		fi
	done
done
exit $failed
