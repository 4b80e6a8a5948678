package audit

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/gocompat/gocompat/internal/check/deps"
	"github.com/gocompat/gocompat/internal/testbin"
)

// audit --processes --db: the module in the audited directory and the
// executable of a running Go program are both checked, against one
// database (one subject for it). The program is built here from the
// x/text fixture with a main that calls language.Parse and waits.
func TestDepsModuleAndProcesses(t *testing.T) {
	db := testbin.VulnDB(t)
	dir := fixture("textcall")(t)
	bin := filepath.Join(t.TempDir(), "waiter")
	src := fixture("textcall")(t)
	testbin.WriteFiles(t, src, map[string]string{"main.go": `package main

import (
	"fmt"
	"io"
	"os"

	"golang.org/x/text/language"
)

func main() {
	_, err := language.Parse("en")
	fmt.Fprintln(os.Stderr, err)
	fmt.Println("ready")
	io.Copy(io.Discard, os.Stdin)
}
`})
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = src
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("go build (offline?): %v\n%s", err, out)
	}
	child := testbin.Start(t, nil, bin)

	tg := &Target{Dir: dir, HostRoot: "/", Environ: os.Environ()}
	tg.SetOptions("deps", DepsOptions{DB: db, Online: true, Processes: true})
	tg.SetOptions("proc", &ProcOptions{PIDs: []int{child.PID()}})
	tg.Now = func() time.Time { return testbin.VulnDBModified.Add(24 * time.Hour) }
	rep, err := Run(context.Background(), tg, StepsOf("module", "proc", "deps"))
	if err != nil {
		t.Fatal(err)
	}
	var module, process bool
	for _, f := range rep.Findings {
		if f.Check != deps.VulnCalled.ID || f.Details["osv"] != "GO-2021-0113" {
			continue
		}
		switch {
		case f.Details["pid"] == strconv.Itoa(child.PID()) && f.Details["binary"] == bin:
			process = true
		case f.Details["pid"] == "" && f.Location.File == "main.go":
			module = true
		}
	}
	if !module || !process {
		t.Errorf("GO-2021-0113 called: in the module %v, in pid %d %v; findings %+v", module, child.PID(), process, rep.Findings)
	}
	n := 0
	for _, s := range rep.Subjects {
		if s.Kind == "vulndb" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d vulndb subjects, want 1: %+v", n, rep.Subjects)
	}
}
