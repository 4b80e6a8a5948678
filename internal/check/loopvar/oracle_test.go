package loopvar_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/gocompat/gocompat/internal/check/loopvar"
	"github.com/gocompat/gocompat/internal/finding"
)

// The oracle is the compiler itself: scripts/loopvar-oracle.sh asks it
// which loop variables become per-iteration when the go line is raised to
// go1.22 ("bump") and which already are ("real"). What changes on the
// upgrade is bump minus real. The analyzer must report every one of
// those positions (recall 100%), at the same file:line:col; every
// position it reports beyond them must carry an explanation of why the
// compiler leaves it out of its log.

// explanations says why the compiler does not list a variable the
// analyzer reports, by the analyzer's "compiler" detail.
var explanations = map[string]string{
	"under-return": "every capture or &v is inside a return statement, which ends the loop; the compiler skips those (cmd/compile/internal/loopvar: returnInLoopDepth) and logs the loop only where it is inlined elsewhere",
	"inlined-call": "the only capture is a func literal called in place; the compiler inlines the call before it looks for captures, so no closure is left",
	"generic":      "the loop is in generic code, which the compiler compiles only per instantiation; an uninstantiated body is never compiled",
}

func oracleScript(t *testing.T) string {
	p, err := filepath.Abs(filepath.Join("..", "..", "..", "scripts", "loopvar-oracle.sh"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("oracle script: %v", err)
	}
	return p
}

// oracle runs the script in dir on the packages matching patterns
// (default ./...) and returns the positions that become per-iteration on
// the upgrade.
func oracle(t *testing.T, dir string, patterns ...string) map[string]bool {
	t.Helper()
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is needed to run the oracle script")
	}
	cmd := exec.Command("bash", append([]string{oracleScript(t), dir}, patterns...)...)
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("oracle on %s: %v\n%s", dir, err, stderr.String())
	}
	views := map[string]map[string]bool{"real": {}, "bump": {}, "all": {}}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) < 4 || views[f[0]] == nil {
			t.Fatalf("oracle: bad line %q", sc.Text())
		}
		views[f[0]][strings.TrimPrefix(f[1], "./")] = true
	}
	up := map[string]bool{}
	for p := range views["bump"] {
		if !views["real"][p] {
			up[p] = true
		}
	}
	return up
}

func positionOf(f finding.Finding) string {
	return f.Location.File + ":" + strconv.Itoa(f.Location.Line) + ":" + strconv.Itoa(f.Location.Column)
}

// compareWithOracle checks recall and explains extras in the whole
// module at dir; it logs the numbers.
func compareWithOracle(t *testing.T, dir string) {
	t.Helper()
	fs, err := loopvar.Run(context.Background(), "", dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	compareFindingsWithOracle(t, dir, nil, fs)
}

// compareFindingsWithOracle is compareWithOracle for fs, the findings of
// loopvar.Run on the packages matching patterns (nil: the whole module).
func compareFindingsWithOracle(t *testing.T, dir string, patterns []string, fs []finding.Finding) {
	t.Helper()
	want := oracle(t, dir, patterns...)
	got := map[string]finding.Finding{}
	for _, f := range fs {
		if loopvar.IsUpgradeChange(f.Check) {
			got[positionOf(f)] = f
		}
	}
	var missed []string
	for p := range want {
		if _, ok := got[p]; !ok {
			missed = append(missed, p)
		}
	}
	sort.Strings(missed)
	for _, p := range missed {
		t.Errorf("%s: the compiler makes this variable per-iteration on the upgrade, the analyzer does not report it", p)
	}
	var extra []string
	for p := range got {
		if !want[p] {
			extra = append(extra, p)
		}
	}
	sort.Strings(extra)
	for _, p := range extra {
		f := got[p]
		why := f.Details["compiler"]
		var text []string
		for _, r := range strings.Split(why, ",") {
			if e, ok := explanations[r]; ok {
				text = append(text, e)
			}
		}
		if why == "" || len(text) == 0 {
			t.Errorf("%s: reported (%s, %s) but the compiler does not list it, and there is no explanation", p, f.Check, f.Details["leak"])
			continue
		}
		if why != "generic" && f.Check != loopvar.NoChange.ID {
			t.Errorf("%s: an extra finding explained by %q should be loopvar/no-change, got %s", p, why, f.Check)
		}
		t.Logf("extra %s (%s): %s", p, f.Details["leak"], strings.Join(text, "; "))
	}
	t.Logf("%s: compiler %d, analyzer %d, found %d of %d (recall %.0f%%), extra %d (all explained)",
		filepath.Base(dir), len(want), len(got), len(want)-len(missed), len(want), recall(len(want)-len(missed), len(want)), len(extra))
}

func TestOracleTestdata(t *testing.T) {
	t.Parallel()
	for _, m := range []string{"old", "new"} {
		t.Run(m, func(t *testing.T) {
			compareWithOracle(t, filepath.Join("testdata", m))
		})
	}
}

// realModules are public modules below go 1.22. They come through the
// module proxy into the module cache once; later runs use the cache.
var realModules = []string{
	"github.com/spf13/cobra@v1.8.0",      // go 1.15
	"github.com/stretchr/testify@v1.8.4", // go 1.20
}

func TestOracleRealModules(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("compiles real modules; skipped with -short")
	}
	for _, mv := range realModules {
		t.Run(mv, func(t *testing.T) {
			dir := fetchModule(t, mv)
			compareWithOracle(t, dir)
		})
	}
}

// fetchModule downloads mv through the module proxy (go mod download,
// cached in GOMODCACHE) and copies its tree to a writable temporary
// directory with its dependencies downloaded. It skips the test when the
// proxy cannot be reached.
func fetchModule(t *testing.T, mv string) string {
	t.Helper()
	cmd := exec.Command("go", "mod", "download", "-json", mv)
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	out, err := cmd.Output()
	var info struct{ Dir, Error string }
	_ = json.Unmarshal(out, &info)
	if err != nil || info.Dir == "" {
		t.Skipf("module proxy unreachable or %s unavailable (go mod download: %v %s); the oracle comparison on real modules needs it once, then the module cache", mv, err, info.Error)
	}
	dst := filepath.Join(t.TempDir(), filepath.Base(strings.Split(mv, "@")[0]))
	if err := os.CopyFS(dst, os.DirFS(info.Dir)); err != nil {
		t.Fatal(err)
	}
	// The module cache is read-only; the copy must be writable for go.sum.
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
	dl.Dir = dst
	dl.Env = cmd.Env
	if out, err := dl.CombinedOutput(); err != nil {
		t.Skipf("module proxy unreachable: dependencies of %s: %v\n%s", mv, err, out)
	}
	return dst
}

func recall(found, total int) float64 {
	if total == 0 {
		return 100
	}
	return 100 * float64(found) / float64(total)
}
