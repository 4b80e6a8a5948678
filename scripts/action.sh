#!/usr/bin/env bash
# The steps of the gocompat GitHub Action (action.yml): install, audit,
# finish. Each reads the variables GitHub sets for a job step
# (GITHUB_WORKSPACE, GITHUB_STEP_SUMMARY, GITHUB_OUTPUT, RUNNER_TEMP, …)
# and the action's inputs as INPUT_* variables.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
tmp=${RUNNER_TEMP:-${TMPDIR:-/tmp}}
bin="$tmp/gocompat-action/gocompat"

case "${1:-}" in
install)
	# Build from the action's own source: the action is pinned to a
	# release, and so is the gocompat it runs. The job's Go builds it
	# (the go command takes a newer toolchain through the module proxy
	# when go.mod needs one).
	mkdir -p "$(dirname "$bin")"
	(cd "$here" && GOFLAGS=-mod=mod go build -trimpath -o "$bin" ./cmd/gocompat)
	"$bin" version
	;;
audit)
	ws=${GITHUB_WORKSPACE:-$PWD}
	dir=${INPUT_DIRECTORY:-.}
	out="$tmp/gocompat-action"
	mkdir -p "$out"
	args=(audit --format json --fail-on "${INPUT_FAIL_ON:-error}")
	for t in ${INPUT_TARGETS//,/ }; do
		args+=(--target "$t")
	done
	if [ -n "${INPUT_ARGS:-}" ]; then
		# Extra arguments are split like a shell's words, without
		# expansion of anything else.
		read -r -a extra <<<"$INPUT_ARGS"
		args+=("${extra[@]}")
	fi
	args+=("$dir")
	code=0
	(cd "$ws" && "$bin" "${args[@]}") >"$out/report.json" || code=$?
	if [ "$code" -ge 2 ] || [ ! -s "$out/report.json" ]; then
		echo "::error title=gocompat::gocompat audit failed with exit code $code (see the log above)"
		echo "exit-code=$code" >>"${GITHUB_OUTPUT:-/dev/null}"
		exit 0
	fi
	"$bin" report --from "$out/report.json" --fail-on never --format sarif >"$out/gocompat.sarif"
	format=${INPUT_FORMAT:-text}
	"$bin" report --from "$out/report.json" --fail-on never --format "$format" --color never
	if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
		link=""
		if [ -n "${GITHUB_SERVER_URL:-}" ] && [ -n "${GITHUB_REPOSITORY:-}" ] && [ -n "${GITHUB_SHA:-}" ]; then
			link="$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/blob/$GITHUB_SHA/"
			# Findings are relative to the audited directory.
			if [ "$dir" != "." ]; then
				link="$link${dir#./}/"
			fi
		fi
		"$bin" report --from "$out/report.json" --fail-on never --format markdown --link-base "$link" >>"$GITHUB_STEP_SUMMARY"
	fi
	{
		echo "exit-code=$code"
		echo "sarif=$out/gocompat.sarif"
	} >>"${GITHUB_OUTPUT:-/dev/null}"
	;;
finish)
	code=${GOCOMPAT_EXIT_CODE:-2}
	case "$code" in
	0) ;;
	1) echo "::error title=gocompat::findings at or above the action's fail-on; see the report above and the job summary" ;;
	*) echo "::error title=gocompat::gocompat could not finish (exit code $code)" ;;
	esac
	exit "$code"
	;;
*)
	echo "usage: action.sh install|audit|finish" >&2
	exit 2
	;;
esac
