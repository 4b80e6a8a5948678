package exporter_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gocompat/gocompat/internal/check/proccheck"
	"github.com/gocompat/gocompat/internal/exporter"
	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/proc"
	"github.com/gocompat/gocompat/internal/report"
	"github.com/gocompat/gocompat/internal/testbin"
)

// syntheticProc writes a /proc tree of n Go processes running 10
// distinct real Go binaries, in one cgroup v2 with limits, with
// environments that plant a few findings.
func syntheticProc(b *testing.B, n int) string {
	root := b.TempDir()
	var bins []string
	src := testbin.Build(b, testbin.Program{Name: "app", Main: testbin.Waiter})
	for i := 0; i < 10; i++ {
		p := filepath.Join(root, "bin", "app"+strconv.Itoa(i))
		os.MkdirAll(filepath.Dir(p), 0o755)
		in, _ := os.ReadFile(src)
		if err := os.WriteFile(p, in, 0o755); err != nil {
			b.Fatal(err)
		}
		bins = append(bins, p)
	}
	w := func(p, s string) {
		full := filepath.Join(root, p)
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.WriteFile(full, []byte(s), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	w("proc/self/mountinfo", "30 25 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n")
	w("sys/fs/cgroup/svc/cpu.max", "100000 100000\n")
	w("sys/fs/cgroup/svc/memory.max", "268435456\n")
	fields := make([]string, 50)
	for i := range fields {
		fields[i] = "0"
	}
	for pid := 100; pid < 100+n; pid++ {
		d := "proc/" + strconv.Itoa(pid)
		fields[0], fields[1], fields[2], fields[21] = strconv.Itoa(pid), "(app)", "S", strconv.Itoa(pid)
		w(d+"/stat", strings.Join(fields, " ")+"\n")
		w(d+"/environ", "PATH=/bin\x00GOMAXPROCS=4\x00GODEBUG=nosuch=1\x00")
		w(d+"/status", "Cpus_allowed_list:\t0-3\n")
		w(d+"/cgroup", "0::/svc\n")
		if err := os.Symlink(bins[pid%len(bins)], filepath.Join(root, d, "exe")); err != nil {
			b.Fatal(err)
		}
		if err := os.Symlink("/", filepath.Join(root, d, "root")); err != nil {
			b.Fatal(err)
		}
	}
	return root
}

// BenchmarkScrape500 is one exporter run over 500 processes of a
// synthetic /proc, as the exporter does it every interval: scan (with the
// scanner's cache of executables warm, as after the first run), judge,
// summarise, and render the metrics a scrape returns.
func BenchmarkScrape500(b *testing.B) {
	root := syntheticProc(b, 500)
	tbl, _ := facts.Godebugs(runtime.GOROOT())
	names, _ := facts.GodebugNames(tbl, runtime.GOROOT())
	opt := proccheck.Options{Godebugs: tbl, GodebugNames: names, Now: time.Now()}
	sc := proc.NewScanner(proc.NewFS(root))
	run := func() int {
		res, err := sc.Scan(proc.Options{})
		if err != nil {
			b.Fatal(err)
		}
		rep := &report.Report{Findings: proccheck.Judge(res, opt), Subjects: proccheck.Subjects(res)}
		if err := exporter.WriteText(io.Discard, exporter.NewSnapshot(rep, 0)); err != nil {
			b.Fatal(err)
		}
		return len(res.Processes)
	}
	if n := run(); n != 500 {
		b.Fatalf("%d processes read, want 500", n)
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		run()
	}
	// CPU time (user and system) per run: what the run costs the
	// machine, less sensitive than wall time to other work on it.
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N)/1e6, "cpu-ms/op")
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkServe500 is what a Prometheus scrape costs the exporter: the
// HTTP response for the last run's snapshot of 500 processes (the checks
// run on their own interval, not per scrape).
func BenchmarkServe500(b *testing.B) {
	root := syntheticProc(b, 500)
	tbl, _ := facts.Godebugs(runtime.GOROOT())
	names, _ := facts.GodebugNames(tbl, runtime.GOROOT())
	opt := proccheck.Options{Godebugs: tbl, GodebugNames: names, Now: time.Now()}
	sc := proc.NewScanner(proc.NewFS(root))
	x := exporter.New(func(ctx context.Context) (*report.Report, error) {
		res, err := sc.Scan(proc.Options{})
		if err != nil {
			return nil, err
		}
		return &report.Report{Findings: proccheck.Judge(res, opt), Subjects: proccheck.Subjects(res)}, nil
	}, time.Hour, 0)
	x.Once(context.Background())
	srv := httptest.NewServer(x.Handler())
	defer srv.Close()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		resp, err := http.Get(srv.URL)
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || n == 0 {
			b.Fatalf("status %d, %d bytes", resp.StatusCode, n)
		}
	}
}
