# bench/lib.sh: what the benchmark scripts on real modules share. Source
# it after setting root (this tree) and mods (MODULE@VERSION ...).

# bench_init makes the work directory $work (removed on exit), builds
# gocompat from this tree into $bin, sets the go command's environment
# for the runs, and prints the Go release, the CPUs and the load.
bench_init() {
	work=$(mktemp -d)
	trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
	export GOWORK=off GOFLAGS=-mod=mod GOTOOLCHAIN=local
	bin="$work/gocompat"
	(cd "$root" && go build -o "$bin" ./cmd/gocompat)
	echo "$(go version | cut -d' ' -f3-), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
}

# copy_module MODULE@VERSION: copies the module out of the module cache
# (read-only; downloaded through the proxy first, with GOSUMDB=off where
# the checksum database has no entry for it) into $work/mod-NAME, sets
# $mod to it and downloads its dependencies (checked against its go.sum).
# Fails with a line on stderr when the proxy does not serve the module or
# one of its dependencies.
copy_module() {
	local mv=$1 src
	src=$(cd "$work" && { go mod download -json "$mv" 2>/dev/null || GOSUMDB=off go mod download -json "$mv"; } | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
	[ -n "$src" ] || { echo "bench: go mod download $mv failed" >&2; return 1; }
	mod="$work/mod-$(basename "${mv%@*}")"
	rm -rf "$mod"
	cp -r "$src" "$mod"
	chmod -R u+w "$mod"
	if ! (cd "$mod" && go mod download) >"$work/dl.txt" 2>&1; then
		echo "$mv: dependencies not served by the module proxy: $(tail -n 1 "$work/dl.txt")" >&2
		rm -rf "$mod"
		return 1
	fi
}

# steps JSON: "family=seconds" per step of a gocompat JSON report, with
# the status of a step that did not finish.
steps() {
	python3 -c 'import json,sys
print(" ".join("%s=%.1f%s" % (s["family"], s["seconds"], "" if s["status"] == "done" else "(" + s["status"] + ")") for s in json.load(open(sys.argv[1])).get("steps", [])))' "$1"
}
