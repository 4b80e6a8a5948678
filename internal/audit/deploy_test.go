package audit

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gocompat/gocompat/internal/gosrc"
	"github.com/gocompat/gocompat/internal/testbin"

	"golang.org/x/tools/txtar"
)

// TestDeployStepsShareTheModule: the three deployment steps of one run
// load a module once, so a module that cannot be read is reported once,
// not once per step that needed it.
func TestDeployStepsShareTheModule(t *testing.T) {
	fsys, err := txtar.FS(txtar.Parse([]byte(`-- go.mod --
module example.com/m

go 1.22
require (
-- Dockerfile --
FROM golang:1.22
RUN go build -o /app .
-- deploy/app.service --
[Service]
ExecStart=/app
-- .github/workflows/ci.yml --
on: push
jobs:
  t:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/setup-go@v5
        with:
          go-version: '1.22'
`)))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.CopyFS(dir, fsys); err != nil {
		t.Fatal(err)
	}
	rep, _ := Run(context.Background(), &Target{Dir: dir, Environ: os.Environ(), HostRoot: t.TempDir()}, StepsOf("dockerfile", "systemd", "workflow"))
	if got, want := rep.Checks, []string{"dockerfile", "systemd", "workflow"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("checks ran: %v, want %v", got, want)
	}
	n := 0
	for _, f := range rep.Findings {
		if f.Check == StepFailed.ID && f.Location.File == "go.mod" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the unreadable module is reported %d times, want once: %+v", n, rep.Findings)
	}
}

// sharedListCase is a module whose go line (1.22) is below the installed
// toolchain's, so the upgrade step lists its packages for the GODEBUG
// changes, and whose programs get crypto/tls and sd_notify from another
// module (go-systemd v22.5.0, from the module proxy).
const sharedListCase = testbin.GoSystemdProgram + `-- deploy/svc.service --
[Service]
Type=notify
ExecStart=/usr/local/bin/svc
-- Dockerfile --
FROM golang:1.26 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -o /out/svc .

FROM scratch
COPY --from=build /out/svc /svc
ENTRYPOINT ["/svc"]
`

// TestDeployStepsShareTheModuleListing: the upgrade step's go list of the
// module (go list -deps -test ./..., for this host) is the one the
// deployment steps resolve their programs' dependencies from when they
// build for the same GOOS/GOARCH: one go list -deps per module and run;
// a stage for another GOARCH gets its own, and without the upgrade step
// the program is listed alone (once for the two steps). The go command on PATH is the
// real one behind a script that logs its arguments.
func TestDeployStepsShareTheModuleListing(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: fetches go-systemd through the module proxy")
	}
	host, err := gosrc.HostTarget(context.Background(), os.Environ())
	if err != nil {
		t.Skip(err)
	}
	if host.GOOS != "linux" || host.GOARCH != "amd64" {
		t.Skipf("the case builds for linux/amd64, the host is %s/%s", host.GOOS, host.GOARCH)
	}
	dir := t.TempDir()
	fsys, err := txtar.FS(txtar.Parse([]byte(sharedListCase)))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.CopyFS(dir, fsys); err != nil {
		t.Fatal(err)
	}
	dl := exec.Command("go", "mod", "download")
	dl.Dir = dir
	dl.Env = append(os.Environ(), "GOFLAGS=", "GOWORK=off", "GOTOOLCHAIN=local")
	if out, err := dl.CombinedOutput(); err != nil {
		t.Skipf("the module proxy cannot be reached (go mod download: %v): %s", err, out)
	}
	realGo, err := exec.LookPath("go")
	if err != nil {
		t.Skip(err)
	}
	bin, log := t.TempDir(), filepath.Join(t.TempDir(), "go.log")
	script := "#!/bin/sh\necho \"$*\" >>" + log + "\nexec " + realGo + " \"$@\"\n"
	if err := os.WriteFile(filepath.Join(bin, "go"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))

	lists := func() []string {
		data, _ := os.ReadFile(log)
		var out []string
		for _, l := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(l, "list ") && strings.Contains(l, " -deps") {
				out = append(out, l)
			}
		}
		os.Remove(log)
		return out
	}
	run := func(families ...string) map[string]bool {
		if len(families) == 0 {
			families = []string{"dockerfile", "systemd", "upgrade"}
		}
		rep, err := Run(context.Background(), &Target{Dir: dir, Environ: os.Environ(), HostRoot: t.TempDir()}, StepsOf(families...))
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, f := range rep.Findings {
			got[f.Check] = true
			if f.Check == StepFailed.ID {
				t.Errorf("step failed: %s", f.Message)
			}
		}
		return got
	}
	got := run()
	if l := lists(); len(l) != 1 || !strings.Contains(l[0], "-test") {
		t.Errorf("go list -deps runs: %q, want one (the upgrade step's, with -test)", l)
	}
	if !got["dockerfile/missing-ca-certificates"] || got["systemd/notify-without-sd-notify"] || got["systemd/dependencies-not-read"] {
		t.Errorf("the programs were not judged with go-systemd's code: %v", got)
	}

	// Without the upgrade step nothing lists the module with its tests:
	// the program is listed on its own, once for both steps.
	run("dockerfile", "systemd")
	if l := lists(); len(l) != 1 || strings.Contains(l[0], "-test") || !strings.HasSuffix(l[0], " example.com/svc") {
		t.Errorf("go list -deps runs without the upgrade step: %q, want one of the program alone", l)
	}

	// A stage for arm64: its program gets a listing of its own.
	df := filepath.Join(dir, "Dockerfile")
	data, _ := os.ReadFile(df)
	if err := os.WriteFile(df, []byte(strings.Replace(string(data), "CGO_ENABLED=0", "CGO_ENABLED=0 GOARCH=arm64", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	got = run()
	l := lists()
	if len(l) != 2 {
		t.Fatalf("go list -deps runs: %q, want two (the module's, and the arm64 program's)", l)
	}
	if !got["dockerfile/missing-ca-certificates"] {
		t.Errorf("the arm64 program was not judged with go-systemd's code: %v", got)
	}
}
