package loopvar_test

import (
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gocompat/gocompat/internal/check/loopvar"
	"github.com/gocompat/gocompat/internal/finding"
)

// corpusJudgements are the findings of gocompat loopvar on node_exporter
// v1.5.0 (go 1.18), collector package, each judged by reading the code:
// the check it must carry and why that is right. The compiler lists the
// same eleven variables (TestCorpusNodeExporter compares them too).
var corpusJudgements = map[string]judgement{
	"collector/perf_linux_test.go:90:9": {loopvar.MayChangeBehaviour.ID,
		"perfCPUsFlag = &test.flag, then NewPerfCollector reads *perfCPUsFlag within the same subtest; but perfCPUsFlag is a package variable that other code of the package (other tests, the collector) reads at times the analyzer cannot order with the loop: may, not changes (issue 11, class 1)"},
	"collector/netdev_common.go:171:9": {loopvar.NoChange.ID,
		"ifs.Addrs() takes &ifs for the call only: (*net.Interface).Addrs reads its receiver (net/interface.go), and the compiler keeps ifs on the stack"},
	"collector/bcache_linux.go:227:9": {loopvar.NoChange.ID,
		"&bdev.Total goes to bcachePeriodStatsToMetric, a function of the same package that only reads it"},
	"collector/btrfs_linux_test.go:112:10": {loopvar.NoChange.ID,
		"&m goes to checkMetric, a test helper of the same package that only reads it"},
	"collector/diskstats_linux.go:346:14": {loopvar.NoChange.ID,
		"desc.mustNewConstMetric() has a pointer receiver that the method only reads"},
	"collector/filesystem_linux_test.go:35:9": {loopvar.NoChange.ID,
		"captured by a serial t.Run subtest (no t.Parallel), which runs before t.Run returns"},
	"collector/ipvs_linux_test.go:105:9": {loopvar.NoChange.ID,
		"captured by a serial t.Run subtest"},
	"collector/ipvs_linux_test.go:173:9": {loopvar.NoChange.ID,
		"captured by a serial t.Run subtest"},
	"collector/perf_linux_test.go:154:9": {loopvar.NoChange.ID,
		"captured by a serial t.Run subtest"},
	"collector/perf_linux_test.go:226:9": {loopvar.NoChange.ID,
		"captured by a serial t.Run subtest"},
	"collector/sockstat_linux.go:125:9": {loopvar.NoChange.ID,
		"&p.InUse is put in pairs, a slice made in the iteration that is read in the iteration and then dropped"},
}

// nodeExporter is not in the checksum database's answer through the
// proxy (its lookup gives 404), so the download skips the database and
// the test checks the module's hash itself.
const (
	nodeExporter     = "github.com/prometheus/node_exporter@v1.5.0"
	nodeExporterHash = "h1:Mzrd6WUCyLK5bVWseigL40yZpiSjDOOgVtS0SSMkBRc="
)

// TestCorpusNodeExporter runs the analyzer on node_exporter v1.5.0's
// collector package, from the module proxy (cached in the module cache):
// every finding is judged as corpusJudgements says, and the compiler's
// list of the module is found whole (recall 100%).
func TestCorpusNodeExporter(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("compiles a real module; skipped with -short")
	}
	dir := fetchPinned(t, nodeExporter, nodeExporterHash)
	fs, err := loopvar.Run(context.Background(), "", dir, []string{"./collector/"})
	if err != nil {
		t.Fatal(err)
	}
	checkJudgements(t, fs, corpusJudgements)
	compareWithOracle(t, dir)
}

// judgement is the check a finding must carry and why that is right.
type judgement = struct{ check, why string }

// checkJudgements requires every upgrade finding of fs to be in the
// table with the check it gives, and every entry of the table to be
// reported.
func checkJudgements(t *testing.T, fs []finding.Finding, table map[string]judgement) {
	t.Helper()
	seen := map[string]bool{}
	for _, f := range fs {
		if !loopvar.IsUpgradeChange(f.Check) {
			continue
		}
		p := positionOf(f)
		seen[p] = true
		j, ok := table[p]
		switch {
		case !ok:
			t.Errorf("%s: %s (%s) is not judged in the table", p, f.Check, f.Details["leak"])
		case f.Check != j.check:
			t.Errorf("%s: got %s (%s), judged %s: %s", p, f.Check, f.Details["leak"], j.check, j.why)
		}
	}
	for p, j := range table {
		if !seen[p] {
			t.Errorf("%s: not reported, judged %s: %s", p, j.check, j.why)
		}
	}
}

// corpusProject is a real module at a pinned version, the packages of it
// that are analysed, and the judgement of every finding in them.
type corpusProject struct {
	module, hash string
	patterns     []string
	judgements   map[string]judgement
}

// checkCorpus fetches p's module and the dependencies of its packages,
// runs the analyzer on those packages, checks every finding against the
// table, and requires every variable the compiler makes per-iteration
// in those packages to be reported (recall 100%).
func checkCorpus(t *testing.T, p corpusProject) {
	t.Helper()
	if testing.Short() {
		t.Skip("compiles a real module; skipped with -short")
	}
	dir := fetchPinned(t, p.module, p.hash, p.patterns...)
	fs, err := loopvar.Run(context.Background(), "", dir, p.patterns)
	if err != nil {
		t.Fatal(err)
	}
	checkJudgements(t, fs, p.judgements)
	compareFindingsWithOracle(t, dir, p.patterns, fs)
}

// fetchPinned is fetchModule with the module's h1 hash pinned: it
// downloads mv without the checksum database (which does not answer for
// node_exporter) and requires the hash to be hash. With patterns, only the modules that the
// packages matching them and their tests need are downloaded (go list
// -deps -test), not every module of go.mod.
func fetchPinned(t *testing.T, mv, hash string, patterns ...string) string {
	t.Helper()
	path, _, _ := strings.Cut(mv, "@")
	cmd := exec.Command("go", "mod", "download", "-json", mv)
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod", "GONOSUMDB="+path)
	out, err := cmd.Output()
	var info struct{ Dir, Sum, Error string }
	_ = json.Unmarshal(out, &info)
	if err != nil || info.Dir == "" {
		t.Skipf("module proxy unreachable or %s unavailable (go mod download: %v %s)", mv, err, info.Error)
	}
	if info.Sum != hash {
		t.Fatalf("%s has hash %s, want %s", mv, info.Sum, hash)
	}
	dst := filepath.Join(t.TempDir(), filepath.Base(path))
	if err := os.CopyFS(dst, os.DirFS(info.Dir)); err != nil {
		t.Fatal(err)
	}
	_ = filepath.WalkDir(dst, func(p string, d fs.DirEntry, err error) error {
		if err == nil {
			mode := os.FileMode(0o644)
			if d.IsDir() {
				mode = 0o755
			}
			_ = os.Chmod(p, mode)
		}
		return nil
	})
	dl := exec.Command("go", "mod", "download")
	if len(patterns) > 0 {
		dl = exec.Command("go", append([]string{"list", "-deps", "-test"}, patterns...)...)
	}
	dl.Dir = dst
	dl.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	if out, err := dl.CombinedOutput(); err != nil {
		t.Skipf("module proxy unreachable: dependencies of %s: %v\n%s", mv, err, out)
	}
	return dst
}
