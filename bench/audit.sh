#!/usr/bin/env bash
# bench/audit.sh [WARM] [MODULE@VERSION ...]
#
# Compares `gocompat audit` with `go vet ./...` on real modules from the
# module proxy (default: a small, a medium and a big one), in one run:
# for each module, a cold run of each tool (a fresh GOCACHE, so the
# standard library and every dependency are compiled too), then WARM
# warm runs of each (default 3) on the cache its cold run left,
# alternating the tools, so a change in the machine's load hits both
# alike. It prints wall and CPU time (user + system of all processes,
# GNU time) per tool, the ratio gocompat / go vet, and gocompat's
# per-step wall times (the JSON report's steps[]; steps run in
# parallel, so they overlap).
#
# Each module is copied out of the module cache into a temporary
# directory (the cache is read-only) and its dependencies downloaded
# first. The module itself is downloaded with GOSUMDB=off where the
# checksum database has no entry for it (node_exporter v1.5.0); its
# dependencies are checked against its go.sum as usual. Needs the
# module proxy, GNU time and python3 (for the step times); builds
# gocompat from this tree. go-systemd's sdjournal needs the systemd
# headers (Debian: libsystemd-dev), else both tools fail on it alike.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
warm=${1:-3}
shift || true
mods=("$@")
[ ${#mods[@]} -gt 0 ] || mods=(
	github.com/coreos/go-systemd/v22@v22.5.0
	github.com/prometheus/node_exporter@v1.5.0
	github.com/caddyserver/caddy/v2@v2.6.4
)
. "$root/bench/lib.sh"
bench_init

# measure CACHE OUT CMD...: runs CMD in the module with GOCACHE=CACHE,
# its stdout to OUT; prints "wall-seconds cpu-seconds".
measure() {
	local cache=$1 out=$2
	shift 2
	local tf="$work/time.txt"
	(cd "$mod" && GOCACHE="$cache" /usr/bin/time -f '%e %U %S' -o "$tf" "$@" >"$out" 2>/dev/null) || true
	# GNU time puts "Command exited with non-zero status N" first when
	# the command fails (go vet on a module that does not build).
	tail -n 1 "$tf" | awk '{ printf "%s %.2f\n", $1, $2 + $3 }'
}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

printf '\n%-44s %-9s %5s %9s %9s %9s %9s\n' module tool lines "cold s" "cold cpu" "warm s" "warm cpu"
for mv in "${mods[@]}"; do
	copy_module "$mv" || exit 1
	lines=$(find "$mod" -name '*.go' | xargs cat | wc -l)
	declare -A wt=() wc=() ct=() cc=()
	for tool in gocompat go-vet; do
		cache="$work/cache-$tool"
		rm -rf "$cache"
		case $tool in
		gocompat) cmd=("$bin" audit --format json --fail-on never --step-timeout 0) ;;
		go-vet) cmd=(go vet ./...) ;;
		esac
		read -r ct[$tool] cc[$tool] < <(measure "$cache" "$work/$tool-cold.json" "${cmd[@]}")
	done
	for ((i = 0; i < warm; i++)); do
		for tool in gocompat go-vet; do
			case $tool in
			gocompat) cmd=("$bin" audit --format json --fail-on never --step-timeout 0) ;;
			go-vet) cmd=(go vet ./...) ;;
			esac
			read -r w c < <(measure "$work/cache-$tool" "$work/$tool-warm.json" "${cmd[@]}")
			wt[$tool]+="$w " wc[$tool]+="$c "
		done
	done
	for tool in gocompat go-vet; do
		printf '%-44s %-9s %5s %9.2f %9.2f %9.2f %9.2f\n' "$mv" "$tool" "$((lines / 1000))k" "${ct[$tool]}" "${cc[$tool]}" \
			"$(printf '%s\n' ${wt[$tool]} | median)" "$(printf '%s\n' ${wc[$tool]} | median)"
	done
	gw=$(printf '%s\n' ${wt[gocompat]} | median) vw=$(printf '%s\n' ${wt[go-vet]} | median)
	printf '%-44s ratio     cold %.2fx (cpu %.2fx), warm %.2fx\n' "$mv" \
		"$(echo "${ct[gocompat]} / ${ct[go-vet]}" | bc -l)" "$(echo "${cc[gocompat]} / ${cc[go-vet]}" | bc -l)" \
		"$(echo "$gw / $vw" | bc -l)"
	echo "  gocompat steps, cold: $(steps "$work/gocompat-cold.json")"
	echo "  gocompat steps, warm: $(steps "$work/gocompat-warm.json")"
	rm -rf "$work/cache-gocompat" "$work/cache-go-vet" "$mod"
done
