package audit

import (
	"context"
	"os"
	"reflect"
	"testing"

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
