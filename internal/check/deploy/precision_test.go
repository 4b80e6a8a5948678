package deploy_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// precisionCases are the examples of issue 11 ("Precision on real
// repositories") for the deployment checks, each a minimal reproduction
// in testdata/precision (run by TestCases with its want/wantnot lines and
// golden file). The table says where each comes from and how its findings
// were judged, so that a reviewer can check the judgement against the
// original file.
var precisionCases = []struct {
	name, origin, judgement, reason string
}{
	{"loki-bundle-manifests-only", "grafana/loki v2.8.0 operator/bundle/community/bundle.Dockerfile",
		"no findings (was: missing-ca-certificates, missing-passwd)",
		"FROM scratch with COPYs of manifests only: the image holds no Go program, so what a Go program needs from its image does not apply"},
	{"loki-debug-dlv-install", "grafana/loki v2.8.0 cmd/loki/Dockerfile.debug:7",
		"no cgo-no-c-compiler; builder-go-unsupported and no-trimpath (info) stand",
		"go install github.com/go-delve/delve/cmd/dlv@latest builds delve, not the repository, whose cgo files therefore say nothing about it; Go 1.20 is past support; dlv reaches the final image built without -trimpath"},
	{"cgo-other-goos", "class named in issue 11 (cgo files only for another GOOS)",
		"no cgo-no-c-compiler",
		"the only cgo file is for windows; the image builds for linux, so build constraints leave it out with or without a C compiler"},
	{"cgo-linux-fallback", "counterpart of cgo-other-goos",
		"cgo-no-c-compiler as a warning",
		"the cgo file is for linux and golang:*-alpine has no gcc: Go >= 1.20 turns cgo off and builds the !cgo file, so the build works but may behave differently"},
	{"etcd-notify-server-module", "etcd-io/etcd v3.5.9 contrib/systemd/etcd.service:9",
		"no notify-without-sd-notify (was: an error on one of two runs); dependencies-not-read (info)",
		"ExecStart=/usr/bin/etcd is the root module's main package, which runs server/etcdmain (module server/, replace => ./server) and that imports github.com/coreos/go-systemd/v22/daemon, a known sd_notify package; the minimal tree has no go.sum, so the go command cannot provide go-systemd and one info finding says so (the real repository, with its go.sum, is judged in internal/audit's TestRealRepositories)"},
	{"notify-unread-dependency", "class named in issue 11 (partial evidence)",
		"notify-without-sd-notify as a warning that says 'if'",
		"the repository's code never mentions NOTIFY_SOCKET, but a package from another module is linked and not read: the program may still notify"},
	{"workflow-semver-ranges", "issue 11 misses: setup-go `~1.18.4`, `>=1.20 <1.21`",
		"go-unsupported and go-older-than-go-mod on both ranges; none on ^1.22",
		"setup-go installs the highest release satisfying the range: the newest 1.18.x and 1.20.x, past support and older than go 1.22; ^1.22 reaches the newest release"},
	{"workflow-matrix-env", "issue 11 misses: `${{ matrix.go }}`, `${{ env.GO_VERSION }}`",
		"go-unsupported at the matrix value 1.18 and at env GO_VERSION 1.19; go-older-than-go-mod for 1.18",
		"the values are substituted from the matrix and the workflow's env and anchored where they are written; stable is not judged"},
	{"workflow-go-version-file", "issue 11 misses: go-version-file: go.mod past support",
		"go-unsupported (go 1.20); none once a supported toolchain line is added",
		"setup-go installs the go line's version; with GOTOOLCHAIN=auto a newer toolchain line is what runs"},
	{"workflow-container-builder", "issue 11 misses: container: golang / builder image",
		"go-unsupported for golang:1.19-bullseye and cimg/go:1.19.5",
		"the job's Go is the container image's (facts.LookupGoBuilderImage)"},
	{"dockerfile-go-run-stage", "syncthing Dockerfile form (`go run build.go -no-upgrade build syncthing`), GOVERSION pinned to 1.19",
		"builder-go-unsupported",
		"a stage that builds with go run is a Go builder stage"},
	{"dockerfile-make-stage", "grafana/loki v2.8.0 cmd/loki/Dockerfile form (`make ... loki`, COPY /src/loki/cmd/loki/loki), final stage made scratch",
		"builder-go-too-old and missing-ca-certificates, both 'may' (warnings)",
		"the Makefile is not read: the stage is taken to build the module with the image's go; the copied file's directory is the main package cmd/loki, which links net/http"},
	{"dockerfile-go-install-tarball", "issue 11 misses: go install stage, Go from a release archive, Dockerfile-release.amd64",
		"builder-go-too-old and builder-go-unsupported",
		"the archive go1.19.5.linux-amd64.tar.gz (version from ARG) is the builder's Go; go install ./cmd/app builds the module; the file name is discovered"},
	{"dockerfile-golang-builder-image", "issue 11 misses: golang-builder images, cimg/go",
		"builder-go-too-old and builder-go-unsupported for golang-builder:1.20-base; builder-go-unsupported for cimg/go:1.19",
		"the tag names the Go (facts.LookupGoBuilderImage); Go 1.20 cannot switch to go 1.21.0"},
	{"dockerfile-prebuilt-binary", "GoReleaser pattern (COPY app /app into scratch)",
		"missing-ca-certificates as 'may' (warning)",
		"the copied file's name matches the only main package of that name, which links net/http; its build is not seen"},
}

func TestPrecisionCasesListed(t *testing.T) {
	files, err := filepath.Glob("testdata/precision/*.txtar")
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, c := range precisionCases {
		listed[c.name] = true
		ar, err := txtar.ParseFile(filepath.Join("testdata", "precision", c.name+".txtar"))
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if c.origin == "" || c.judgement == "" || c.reason == "" {
			t.Errorf("%s: origin, judgement and reason must be written", c.name)
		}
		if _, err := os.Stat(filepath.Join("testdata", "precision", c.name+".golden")); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
		if len(strings.TrimSpace(string(ar.Comment))) == 0 {
			t.Errorf("%s: the archive's comment must say where the case comes from", c.name)
		}
	}
	for _, f := range files {
		if n := strings.TrimSuffix(filepath.Base(f), ".txtar"); !listed[n] {
			t.Errorf("testdata/precision/%s.txtar is not in precisionCases", n)
		}
	}
}
