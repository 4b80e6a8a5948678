package testbin

import (
	"os"
	"path/filepath"
	"testing"
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
