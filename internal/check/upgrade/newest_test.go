package upgrade

import (
	"context"
	"go/version"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/testbin"
	"github.com/gocompat/gocompat/internal/toolchains"
)

// treeState maps every file under dir to its bytes' hash, mode and
// modification time: a run must leave all three as they were.
func treeState(t *testing.T, dir string) map[string]string {
	t.Helper()
	h := treeHash(t, dir)
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if !info.IsDir() {
			h[rel] += " " + info.ModTime().Format(time.RFC3339Nano)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// TestUpgradeToNewerRelease: with the installed toolchain older than the
// target, upgrade takes the target release through the module proxy,
// reports the GODEBUG changes that release's own table lists, and runs
// the tests at the target with that release.
func TestUpgradeToNewerRelease(t *testing.T) {
	testbin.Toolchain(t, testbin.NewestRelease) // skips offline; cached outside the repository
	inst := toolchain(t)
	if !versionLess(inst.Version, testbin.NewestRelease) {
		t.Skipf("the installed %s is not older than %s", inst.Version, testbin.NewestRelease)
	}
	ctx := context.Background()
	src := &toolchains.Source{Environ: os.Environ()}
	target := strings.TrimPrefix(version.Lang(testbin.NewestRelease), "go") // "1.27"
	if r, err := src.Resolve(ctx, target); err != nil || r.Release != testbin.NewestRelease {
		// The proxy lists a newer patch release than the shared one: name
		// the shared one, so the test downloads nothing else.
		t.Logf("Resolve(%s) = %+v, %v; using %s", target, r, err, testbin.NewestRelease)
		target = strings.TrimPrefix(testbin.NewestRelease, "go")
	}
	dir := copyTree(t, "testdata/newest124")
	versions := filepath.Join(t.TempDir(), "versions")
	before := treeState(t, dir)
	res, err := Run(ctx, Options{
		Dir: dir, Target: target, Test: true, Toolchain: inst, Toolchains: src,
		Environ: append(os.Environ(), "UPGRADE_TEST_VERSIONS="+versions),
	})
	if err != nil {
		t.Fatal(err)
	}
	if after := treeState(t, dir); !reflect.DeepEqual(before, after) {
		t.Fatalf("the run changed the module:\nbefore %v\nafter  %v", before, after)
	}

	// The GODEBUG changes are those of the downloaded toolchain's own table.
	tc, err := src.Get(ctx, testbin.NewestRelease)
	if err != nil {
		t.Fatal(err)
	}
	table, err := facts.ReadGodebugs(tc.GOROOT)
	if err != nil {
		t.Fatal(err)
	}
	var want, got []string
	newInTarget := 0
	for _, s := range table.ChangedBetween("1.24", target) {
		want = append(want, s.Name)
		if s.Changed == facts.Minor(target) {
			newInTarget++
		}
	}
	for _, f := range byCheck(res.Findings, GodebugDefaultChanges.ID) {
		got = append(got, f.Details["setting"])
	}
	sort.Strings(want)
	sort.Strings(got)
	if len(want) == 0 || !reflect.DeepEqual(got, want) {
		t.Errorf("godebug-default-changes settings = %v, want %s's table: %v", got, tc.Version, want)
	}
	if newInTarget == 0 {
		t.Logf("%s's table lists no setting changed in %s itself", tc.Version, target)
	}
	if s := res.Subjects[0].Attributes["godebugTable"]; !strings.HasPrefix(s, tc.Version+" (read from GOROOT)") {
		t.Errorf("godebugTable attribute = %q", s)
	}

	// The tests ran with the installed release at go 1.24 and with the
	// target release at the target.
	b, err := os.ReadFile(versions)
	if err != nil {
		t.Fatal(err)
	}
	ran := strings.Fields(string(b))
	if !reflect.DeepEqual(ran, []string{releaseOnly(inst.Version), tc.Version}) {
		t.Errorf("tests ran with %v, want %s then %s", ran, inst.Version, tc.Version)
	}
	if len(res.Unavailable) != 0 {
		t.Errorf("Unavailable = %v", res.Unavailable)
	}
}

// version cuts "go1.26.8 X:…" to the release.
func releaseOnly(v string) string { f, _, _ := strings.Cut(v, " "); return f }

// TestUpgradeOffline: with no proxy and an empty module cache the target
// release cannot be had; the run says so, reports from the embedded
// table, and finishes.
func TestUpgradeOffline(t *testing.T) {
	inst := toolchain(t)
	ctx := context.Background()
	env := append(os.Environ(), "GOPROXY=off", "GOMODCACHE="+t.TempDir())
	dir := copyTree(t, "testdata/newest124")
	before := treeState(t, dir)
	res, err := Run(ctx, Options{Dir: dir, Target: "1.99", Test: true, Toolchain: inst, Environ: env})
	if err != nil {
		t.Fatal(err)
	}
	if after := treeState(t, dir); !reflect.DeepEqual(before, after) {
		t.Fatal("the run changed the module")
	}
	if len(res.Unavailable) != 1 || !strings.Contains(res.Unavailable[0], "could not fetch a Go 1.99 toolchain") || !strings.Contains(res.Unavailable[0], "GOPROXY=off") {
		t.Fatalf("Unavailable = %q", res.Unavailable)
	}
	attr := res.Subjects[0].Attributes
	if !strings.Contains(attr["godebugTable"], "embedded copy") || attr["targetToolchain"] != "unavailable" ||
		!strings.Contains(attr["notes"], "tests not run at the target") {
		t.Errorf("attributes = %v", attr)
	}
	if len(byCheck(res.Findings, GodebugDefaultChanges.ID)) == 0 {
		t.Errorf("no GODEBUG changes reported from the embedded table:\n%s", dump(res.Findings))
	}
}
