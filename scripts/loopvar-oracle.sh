#!/usr/bin/env bash
# loopvar-oracle.sh [MODULE-DIR [PATTERN...]]
#
# Asks the Go compiler which loop variables it makes per-iteration in the
# module at MODULE-DIR (default .), in the packages matching the PATTERNs
# (default ./...), tests included, and prints one line per variable,
# tab-separated:
#
#   VIEW  FILE:LINE:COL  NAME  heap|stack  [inline-only]
#
# VIEW is one of
#   real  today's semantics (-d=loopvar=3 only logs; nothing changes)
#   bump  the semantics after raising the go line to at least go1.22:
#         -lang=go1.22 (or the module's own version if newer); files with
#         their own //go:build go1.N line keep their version
#   all   every loop forced to per-iteration (-d=loopvar=2), build lines
#         ignored
#
# "inline-only" marks a variable the compiler logged only where its loop
# was inlined into another function.
#
# It runs `go list -export -test`, which compiles the packages, their test
# variants and external tests without linking or running anything. The
# -gcflags given apply only to packages of the module (with PATTERNs, only
# to the packages they match), and replace any -gcflags the module needs. Only the current GOOS/GOARCH and build tags
# are covered; a nested module needs its own run.
set -euo pipefail
cd "${1:-.}"
shift || true
all=0
if [ $# -eq 0 ]; then
	all=1
	set -- ./...
fi
mod=$(go list -m)
gv=$(go list -m -f '{{.GoVersion}}')
gv=${gv:-1.16}
lang=go$(printf '%s\n' "$gv" 1.22 | sort -V | tail -n 1 | awk -F. '{print $1"."$2}')
log=$(mktemp)
trap 'rm -f "$log"' EXIT

for view in "real|-d=loopvar=3" "bump|-lang=$lang -d=loopvar=3" "all|-d=loopvar=2"; do
	name=${view%%|*}
	flags=${view#*|}
	# The flags go to the packages asked for only (with no PATTERN, to
	# every package of the module): their dependencies come from the
	# build cache as they are.
	gcflags=()
	if [ "$all" = 1 ]; then
		gcflags=("-gcflags=$mod/...=$flags")
	else
		for p in "$@"; do gcflags+=("-gcflags=$p=$flags"); done
	fi
	if ! go list -export -test "${gcflags[@]}" "$@" >/dev/null 2>"$log"; then
		cat "$log" >&2
		exit 1
	fi
	# FILE:L:C: loop variable NAME now per-iteration, ALLOC-allocated[ (loop inlined into F:L)]
	sed -n -E 's/^(.+:[0-9]+:[0-9]+): loop variable (.+) now per-iteration, (heap|stack)-allocated( \(loop inlined into .*\))?$/\1\t\2\t\3\t\4/p' "$log" |
		awk -F'\t' -v view="$name" '
			{ k = $1 "\t" $2
			  if (!(k in alloc) || $3 == "heap") alloc[k] = $3
			  if ($4 == "") home[k] = 1 }
			END { for (k in alloc) print view "\t" k "\t" alloc[k] "\t" ((k in home) ? "" : "inline-only") }' |
		sort -t"$(printf '\t')" -k2,2V
done
