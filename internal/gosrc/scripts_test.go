package gosrc

import (
	"reflect"
	"testing"
)

// etcdBuildSh is the shape of etcd v3.5.9's build.sh (etcd_build): each
// program is built in a subshell that first changes into its module,
// with -o naming the file.
const etcdBuildSh = `#!/usr/bin/env bash
etcd_build() {
  out="bin"
  if [[ -n "${BINDIR:-}" ]]; then out="${BINDIR}"; fi

  run rm -f "${out}/etcd"
  (
    cd ./server
    # Static compilation is useful when etcd is run in a container.
    run env "${GO_BUILD_ENV[@]}" go build ${GO_BUILD_FLAGS:-} \
      -trimpath \
      -installsuffix=cgo \
      "-ldflags=${GO_LDFLAGS[*]}" \
      -o="../${out}/etcd" . || return 2
  ) || return 2

  (
    cd ./etcdctl
    run env GO_BUILD_FLAGS="${GO_BUILD_FLAGS:-}" go build ${GO_BUILD_FLAGS:-} \
      -o="../${out}/etcdctl" . || return 2
  ) || return 2
}

tools_build() {
  for tool in tools/benchmark tools/etcd-dump-db; do
    run rm -f "${out}/${tool}"
    run env GO_BUILD_FLAGS="${GO_BUILD_FLAGS}" go build ${GO_BUILD_FLAGS} \
      -o="${out}/${tool}" "./${tool}" || return 2
  done
}
`

func TestParseScriptBuilds(t *testing.T) {
	for _, tc := range []struct {
		name     string
		src      string
		makefile bool
		want     []scriptBuild
	}{
		{"etcd build.sh", etcdBuildSh, false, []scriptBuild{
			{name: "etcd", cd: "server", pkg: ".", line: 10},
			{name: "etcdctl", cd: "etcdctl", pkg: ".", line: 19},
			// tools_build: -o ends in a variable, skipped.
		}},
		{"cd ends with the subshell", "(\n cd a\n)\ngo build -o bin/x ./cmd/x\n", false, []scriptBuild{
			{name: "x", cd: "", pkg: "./cmd/x", line: 4},
		}},
		{"one-line subshell", "(cd a && go build -o ../bin/x .)\ngo build -o bin/y ./cmd/y\n", false, []scriptBuild{
			{name: "x", cd: "a", pkg: ".", line: 1},
			{name: "y", cd: "", pkg: "./cmd/y", line: 2},
		}},
		{"cd to a variable places nothing", "cd \"$ROOT\"\ngo build -o bin/x ./cmd/x\n", false, nil},
		{"package from a variable only", "go build -o bin/x $PKG\n", false, nil},
		{"two packages", "go build -o bin/x ./a ./b\n", false, nil},
		{"no -o is go build's own naming", "go build ./cmd/x\n", false, nil},
		{"-o a directory", "go build -o bin/ ./cmd/...\n", false, nil},
		{"makefile", "build:\n\t@$(GO) build -ldflags \"-s\" -o $(OUT)/srv ./cmd/server\n\tcd sub && go build -o ../bin/sub .\n\tgo build -o bin/z ./z\n", true, []scriptBuild{
			{name: "srv", cd: "", pkg: "./cmd/server", line: 2},
			{name: "sub", cd: "sub", pkg: ".", line: 3},
			// A makefile's cd ends with its recipe line.
			{name: "z", cd: "", pkg: "./z", line: 4},
		}},
		{"comment", "# go build -o bin/x ./x\n", false, nil},
		{"go run and go install are not builds", "go run ./x -o y\ngo install -o z ./x\n", false, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := parseScriptBuilds(tc.src, tc.makefile)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

// scriptTree is etcd's layout in small: the unit runs /usr/bin/etcd,
// which build.sh builds from server/, a module of its own whose binary go
// build would call "server".
const scriptTree = `
-- go.mod --
module example.com/etcd/v3

go 1.22
-- build.sh --
#!/bin/sh
(
  cd ./server
  go build -trimpath -o="../bin/etcd" . || return 2
) || return 2
go build -o bin/other ./notmain
go build -o bin/nope ./missing
-- scripts/build.sh --
go build -o ../bin/helper ../cmd/helper
-- cmd/helper/main.go --
package main

func main() {}
-- notmain/lib.go --
package notmain
-- server/go.mod --
module example.com/etcd/server/v3

go 1.22
-- server/main.go --
package main

func main() {}
`

func TestMainPackagesFromBuildScripts(t *testing.T) {
	root := unpack(t, scriptTree)
	r, err := OpenRepo(root, "")
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string][]string{
		"etcd":   {"server"},
		"server": {"server"}, // go build's own name stays
		"helper": {"cmd/helper"},
		"other":  nil, // not a main package
		"nope":   nil, // no such directory
	} {
		if got := r.MainPackages(name, DefaultTarget); !reflect.DeepEqual(got, want) {
			t.Errorf("MainPackages(%q) = %q, want %q", name, got, want)
		}
	}
	builds := r.ScriptBuilds()
	if len(builds) != 2 || builds[0] != (ScriptBuild{Name: "etcd", Dir: "server", Script: "build.sh", Line: 4}) {
		t.Errorf("ScriptBuilds = %+v", builds)
	}
}

func FuzzParseScriptBuilds(f *testing.F) {
	f.Add(etcdBuildSh, false)
	f.Add("build:\n\tcd x && $(GO) build -o ../y .\n", true)
	f.Add("(cd \"a b\" && go build -o=\"c d\" \"./e\")\\\n", false)
	f.Fuzz(func(t *testing.T, src string, makefile bool) {
		for _, b := range parseScriptBuilds(src, makefile) {
			if b.name == "" || b.pkg == "" || b.line < 1 {
				t.Fatalf("incomplete build %+v", b)
			}
		}
	})
}
