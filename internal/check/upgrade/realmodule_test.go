package upgrade

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gocompat/gocompat/internal/facts"
)

// downloadModule fetches a module through the module proxy (or finds it
// in the module cache, which keeps it for the next run) and returns its
// directory; it skips the test when neither works.
func downloadModule(t *testing.T, mod string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "mod", "download", "-json", mod)
	cmd.Env = append(os.Environ(), "GOFLAGS=", "GOTOOLCHAIN=local")
	cmd.Dir = t.TempDir()
	out, err := cmd.Output()
	var info struct{ Dir, Error string }
	_ = json.Unmarshal(out, &info)
	if err != nil || info.Dir == "" {
		t.Skipf("%s cannot be fetched through the module proxy (offline?): %v %s", mod, err, info.Error)
	}
	return info.Dir
}

// TestRealModulesBelow122 runs the static report on public modules whose
// go lines are below 1.22 and checks it against the toolchain's own table.
func TestRealModulesBelow122(t *testing.T) {
	if testing.Short() {
		t.Skip("fetches modules and compiles them")
	}
	for _, tc := range []struct{ mod, goLine string }{
		{"github.com/spf13/cobra@v1.8.0", "1.15"},
		{"github.com/stretchr/testify@v1.8.4", "1.20"},
	} {
		t.Run(tc.mod, func(t *testing.T) { testRealModule(t, tc.mod, tc.goLine) })
	}
}

func testRealModule(t *testing.T, mod, goLine string) {
	src := downloadModule(t, mod)
	dir := copyTree(t, src)
	tc := toolchain(t)
	res := runUnchanged(t, Options{Dir: dir, Environ: os.Environ(), Toolchain: tc})

	target, _ := TargetVersion("", tc.Version)
	table, fromRoot := facts.Godebugs(tc.GOROOT)
	if !fromRoot {
		t.Logf("GOROOT sources absent; compared with the embedded table")
	}
	var want, got []string
	for _, s := range table.ChangedBetween(goLine, target) {
		want = append(want, s.Name)
	}
	for _, f := range byCheck(res.Findings, GodebugDefaultChanges.ID) {
		got = append(got, f.Details["setting"])
		if f.Details["from"] != goLine || f.Details["to"] != target {
			t.Errorf("%s: range %s..%s, want %s..%s", f.Details["setting"], f.Details["from"], f.Details["to"], goLine, target)
		}
	}
	sort.Strings(want)
	sort.Strings(got)
	if !reflect.DeepEqual(got, want) || len(want) == 0 {
		t.Errorf("GODEBUG changes for %s (go %s -> %s):\n got %v\nwant %v", mod, goLine, target, got, want)
	}
	// Go lines before 1.20 get the Go 1.20 defaults, so panicnil (1.21)
	// flips and netedns0 (1.19) does not.
	if !strings.Contains(strings.Join(got, ","), "panicnil") || strings.Contains(strings.Join(got, ","), "netedns0") {
		t.Errorf("the Go 1.20 floor is not applied: %v", got)
	}
	lv := byCheck(res.Findings, LoopvarSemanticsChange.ID)
	if len(lv) != 1 || lv[0].Details["count"] == "0" || lv[0].Details["count"] == "" {
		t.Errorf("loopvar-semantics-change = %+v", lv)
	} else {
		t.Logf("%s: %s loop variables become per-iteration", mod, lv[0].Details["count"])
	}
	if versionLess("1.23", target) {
		if k := byCheck(res.Findings, KernelFloorRises.ID); len(k) != 1 {
			t.Errorf("kernel-floor-rises = %d findings, want 1", len(k))
		}
	}
}
