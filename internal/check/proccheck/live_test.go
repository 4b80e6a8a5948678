package proccheck_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gocompat/gocompat/internal/check/proccheck"
	"github.com/gocompat/gocompat/internal/cli"
	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/proc"
	"github.com/gocompat/gocompat/internal/report"
	"github.com/gocompat/gocompat/internal/testbin"
)

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

func judgeOpts() proccheck.Options {
	tbl, _ := facts.Godebugs(runtime.GOROOT())
	names, _ := facts.GodebugNames(tbl, runtime.GOROOT())
	return proccheck.Options{Godebugs: tbl, GodebugNames: names, Now: time.Now()}
}

// TestLiveChildren starts real Go programs, built here, in a cgroup this
// test creates (one CPU, 256 MiB), each with one planted fault, and a
// clean one; a scan of their PIDs must report exactly the planted faults.
func TestLiveChildren(t *testing.T) {
	if runtime.NumCPU() < 2 {
		t.Skip("needs at least 2 CPUs, so that a one-CPU quota is below the CPU count")
	}
	const mem = 256 << 20
	cg := testbin.NewCgroup(t, 100000, 100000, mem)
	// go line 1.24: DefaultGODEBUG has containermaxprocs=0.
	old := testbin.Build(t, testbin.Program{Name: "waiter124", Main: testbin.Waiter})
	cur := testbin.Build(t, testbin.Program{Name: "waiter126", Main: testbin.Waiter, GoLine: "1.26"})

	type want struct {
		name   string
		child  *testbin.Child
		checks []string
	}
	var cases []want
	start := func(name, bin string, checks []string, env ...string) {
		cases = append(cases, want{name, testbin.Start(t, cg, bin, env...), checks})
	}
	start("clean", old, nil, "GOMAXPROCS=1", "GOMEMLIMIT=200MiB")
	start("clean-go126", cur, nil, "GOMEMLIMIT=230686720")
	start("gomaxprocs-env", cur, []string{"proc/gomaxprocs-above-quota"}, "GOMAXPROCS=4", "GOMEMLIMIT=200MiB")
	start("gomaxprocs-go-line", old, []string{"proc/gomaxprocs-above-quota"}, "GOMEMLIMIT=200MiB")
	start("gomaxprocs-godebug", cur, []string{"proc/gomaxprocs-above-quota"}, "GODEBUG=containermaxprocs=0", "GOMEMLIMIT=200MiB")
	start("gomemlimit-unset", cur, []string{"proc/gomemlimit-unset"})
	start("gomemlimit-too-high", cur, []string{"proc/gomemlimit-not-below-limit"}, "GOMEMLIMIT=1GiB")
	start("gogc-off", cur, []string{"proc/gogc-off-without-gomemlimit"}, "GOGC=off")
	start("godebug-unknown", cur, []string{"proc/godebug-unknown"}, "GODEBUG=nosuchsetting=1,http2client=0", "GOMEMLIMIT=200MiB")
	start("goexperiment", cur, []string{"proc/goexperiment-in-environment"}, "GOEXPERIMENT=arenas", "GOMEMLIMIT=200MiB")

	// A binary replaced on disk (a new build renamed over it) and one
	// deleted, after their processes started.
	dir := t.TempDir()
	replaced := filepath.Join(dir, "replaced")
	copyFile(t, cur, replaced)
	start("replaced", replaced, []string{"proc/binary-replaced"}, "GOMEMLIMIT=200MiB")
	copyFile(t, old, replaced+".new")
	if err := os.Rename(replaced+".new", replaced); err != nil {
		t.Fatal(err)
	}
	deleted := filepath.Join(dir, "deleted")
	copyFile(t, cur, deleted)
	start("deleted", deleted, []string{"proc/binary-deleted"}, "GOMEMLIMIT=200MiB")
	if err := os.Remove(deleted); err != nil {
		t.Fatal(err)
	}
	if !testing.Short() {
		// A release past support, from the module proxy (cached).
		goOld := testbin.Toolchain(t, testbin.Go122)
		unsup := testbin.Build(t, testbin.Program{Name: "waiter122", Main: testbin.Waiter, Go: goOld, GoLine: "1.22"})
		start("go-unsupported", unsup, []string{"proc/go-unsupported"}, "GOMAXPROCS=1", "GOMEMLIMIT=200MiB")
	}

	var pids []int
	for _, c := range cases {
		pids = append(pids, c.child.PID())
	}
	res, err := proc.NewDefaultFS().Scan(proc.Options{PIDs: pids, Platform: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Skipped) > 0 {
		t.Fatalf("skipped: %+v", res.Skipped)
	}
	if len(res.Processes) != len(cases) {
		t.Fatalf("read %d processes, want %d: %+v", len(res.Processes), len(cases), res)
	}
	for _, p := range res.Processes {
		if p.Cgroup.CPUQuota != 100000 || p.Cgroup.CPUPeriod != 100000 || p.Cgroup.Memory != mem {
			t.Errorf("pid %d: cgroup %+v, want quota 100000/100000 and memory %d", p.PID, p.Cgroup, mem)
		}
		if p.Platform == nil || p.Platform.Libc.Flavor == "" {
			t.Errorf("pid %d: no platform read through its root", p.PID)
		}
	}
	fs := proccheck.Judge(res, judgeOpts())
	for _, f := range fs {
		t.Logf("%s %s: %s", f.Check, f.Location.Object, f.Message)
	}
	got := map[int][]string{}
	for _, f := range fs {
		pid := f.Details["pid"]
		for _, c := range cases {
			if pidString(c.child.PID()) == pid {
				got[c.child.PID()] = append(got[c.child.PID()], f.Check)
			}
		}
		if f.Severity == finding.Info {
			t.Errorf("unexpected info finding: %s %s", f.Check, f.Message)
		}
	}
	for _, c := range cases {
		g := got[c.child.PID()]
		sort.Strings(g)
		if strings.Join(g, " ") != strings.Join(c.checks, " ") {
			t.Errorf("%s (pid %d): findings %v, want %v", c.name, c.child.PID(), g, c.checks)
			for _, f := range fs {
				if f.Details["pid"] == pidString(c.child.PID()) {
					t.Logf("  %s: %s", f.Check, f.Message)
				}
			}
		}
	}
	for _, f := range fs {
		if f.Check == "proc/binary-replaced" && f.Details["diskGo"] == "" {
			t.Errorf("binary-replaced: the build on disk was not read: %s", f.Message)
		}
	}

	// The command says the same: gocompat ps PID... --format json.
	args := []string{"ps", "--format", "json", "--fail-on", "never"}
	for _, p := range pids {
		args = append(args, strconv.Itoa(p))
	}
	var out, errb bytes.Buffer
	if code := cli.Main(context.Background(), cli.Invocation{Args: args, Env: os.Environ(), Stdout: &out, Stderr: &errb}); code != 0 {
		t.Fatalf("gocompat ps: exit %d: %s", code, errb.String())
	}
	rep, err := report.Decode(&out)
	if err != nil {
		t.Fatal(err)
	}
	byPID := map[string][]string{}
	for _, f := range rep.Findings {
		byPID[f.Details["pid"]] = append(byPID[f.Details["pid"]], f.Check)
	}
	for _, c := range cases {
		g := byPID[pidString(c.child.PID())]
		sort.Strings(g)
		if strings.Join(g, " ") != strings.Join(c.checks, " ") {
			t.Errorf("gocompat ps: %s (pid %d): findings %v, want %v", c.name, c.child.PID(), g, c.checks)
		}
	}
}

func pidString(n int) string { return strconv.Itoa(n) }
