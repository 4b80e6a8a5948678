#!/usr/bin/env bash
# bench/corpus.sh [MODULE@VERSION ...]
#
# Runs `gocompat audit`, as a new user would (built-in defaults, so the
# default --step-timeout too), on the public projects of the precision
# corpus at the versions the corpus names, each with an empty build
# cache (the slowest case: the standard library and every dependency are
# compiled), and prints for each: wall and CPU time, peak memory (the
# largest resident set of gocompat or any go command it ran, GNU time),
# the findings by level, and every step's status and wall time. A step
# that exceeds --step-timeout shows as "(timeout)"; the run then holds
# the other steps' findings and one audit/step-timeout finding.
#
# Projects not served whole by the module proxy are left out (their
# dependencies are refused there), and so are the projects under the
# AGPL (loki, minio): the corpus judges those through reproductions in
# testdata that cite the original files.
#
# Each module is copied out of the module cache (read-only) into a
# temporary directory and its dependencies downloaded before the timed
# run, so the time is the audit's, not the download's. Needs the module
# proxy, GNU time and python3; builds gocompat from this tree.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mods=("$@")
[ ${#mods[@]} -gt 0 ] || mods=(
	github.com/prometheus/node_exporter@v1.5.0
	github.com/coredns/coredns@v1.10.1
	github.com/caddyserver/caddy/v2@v2.6.4
	github.com/prometheus/prometheus@v0.45.0
	go.etcd.io/etcd/server/v3@v3.5.9
	github.com/syncthing/syncthing@v1.23.5
	github.com/cli/cli/v2@v2.30.0
	github.com/influxdata/telegraf@v1.27.0
	tailscale.com@v1.84.0
)
. "$root/bench/lib.sh"
bench_init

summary() {
	python3 -c 'import json,sys,collections
r = json.load(open(sys.argv[1]))
lv = collections.Counter(f.get("severity", "?") for f in r.get("findings", []))
print("findings:", ", ".join("%s %d" % kv for kv in sorted(lv.items())) or "none")' "$1"
	echo "steps: $(steps "$1")"
}

printf '%-44s %6s %8s %8s %8s\n' module lines "wall s" "cpu s" "max MiB"
for mv in "${mods[@]}"; do
	copy_module "$mv" || { echo "$mv: left out"; continue; }
	lines=$(find "$mod" -name '*.go' | xargs cat | wc -l)
	cache="$work/cache"
	rm -rf "$cache"
	(cd "$mod" && GOCACHE="$cache" /usr/bin/time -f '%e %U %S %M' -o "$work/time.txt" \
		"$bin" audit --format json --fail-on never >"$work/report.json" 2>"$work/stderr.txt") || true
	read -r wall usr sys rss < <(tail -n 1 "$work/time.txt")
	printf '%-44s %5sk %8.1f %8.1f %8d\n' "$mv" "$((lines / 1000))" "$wall" "$(echo "$usr + $sys" | bc -l)" "$((rss / 1024))"
	if [ -s "$work/report.json" ]; then
		summary "$work/report.json" | sed 's/^/  /'
	else
		echo "  no report: $(tail -n 3 "$work/stderr.txt")"
	fi
	rm -rf "$cache" "$mod"
done
