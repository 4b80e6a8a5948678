package testbin

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gocompat/gocompat/internal/vulndb"
)

// SharedData returns the path of rel inside the data folder that CI
// checks out beside the repository (<repo>/../shared/data/rel), found
// from the test's working directory up to the directory holding go.mod.
// It skips the test, saying where it looked, when the folder is absent,
// as it is in a lone clone.
func SharedData(t testing.TB, rel string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Skipf("no working directory: %v", err)
	}
	for {
		if st, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil && st.Mode().IsRegular() {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("no go.mod above the test's directory, so no repository root to find ../shared/data from")
		}
		dir = parent
	}
	p := filepath.Join(filepath.Dir(dir), "shared", "data", filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		t.Skipf("shared test data %s is absent (it is checked out beside the repository in CI): %v", p, err)
	}
	return p
}

// VulnDBModified is the date of the shared Go vulnerability database
// snapshot (its README), given to the import because the snapshot's
// entries carry zero modification times.
var VulnDBModified = time.Date(2026, 8, 21, 0, 0, 0, 0, time.UTC)

// VulnDB returns a file:// URL of the shared Go vulnerability database
// entries (../shared/data/go-vulndb/osv) laid out as a database by
// vulndb.Import, kept in DebianRootCache so that it is imported once per
// machine. It skips the test when the entries are absent.
func VulnDB(t testing.TB) string {
	t.Helper()
	osv := SharedData(t, "go-vulndb/osv")
	ents, err := os.ReadDir(osv)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	for _, e := range ents {
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(h, "%s %d\n", e.Name(), info.Size())
	}
	dir := filepath.Join(DebianRootCache, fmt.Sprintf("vulndb-%x", h.Sum(nil)[:8]))
	toolMu.Lock()
	defer toolMu.Unlock()
	if _, err := os.Stat(filepath.Join(dir, "index", "db.json")); err != nil {
		if err := os.MkdirAll(DebianRootCache, 0o755); err != nil {
			t.Skipf("cannot create %s: %v", DebianRootCache, err)
		}
		if _, err := vulndb.Import(osv, dir, vulndb.ImportOptions{Modified: VulnDBModified}); err != nil {
			t.Fatalf("import %s: %v", osv, err)
		}
	}
	return "file://" + filepath.ToSlash(dir)
}
