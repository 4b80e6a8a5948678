package sbom

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/mod/semver"

	"github.com/gocompat/gocompat/internal/testbin"
)

const cdxGomod = "github.com/CycloneDX/cyclonedx-gomod/cmd/cyclonedx-gomod@v1.10.0"

// proxyModule copies module mod@version from the module proxy (through the
// module cache) into a fresh git repository tagged with the version, as a
// user's checkout of it would be; cyclonedx-gomod reads the main module's
// version from git.
func proxyModule(t *testing.T, modVersion string) string {
	t.Helper()
	out, err := exec.Command("go", "mod", "download", "-json", modVersion).Output()
	if err != nil {
		t.Skipf("go mod download %s (offline?): %v", modVersion, err)
	}
	var dl struct{ Dir string }
	if err := json.Unmarshal(out, &dl); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "src")
	if err := os.CopyFS(dir, os.DirFS(dl.Dir)); err != nil {
		t.Fatal(err)
	}
	_, version, _ := strings.Cut(modVersion, "@")
	for _, args := range [][]string{{"init", "-q"}, {"add", "-A"}, {"commit", "-qm", "import"}, {"tag", version}} {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t",
			"GIT_COMMITTER_EMAIL=t@example.com", "GIT_AUTHOR_DATE=2024-01-02T03:04:05Z", "GIT_COMMITTER_DATE=2024-01-02T03:04:05Z")
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, b)
		}
	}
	return dir
}

// TestAgainstCycloneDXGomod: for two real modules of the module proxy, the
// components gocompat lists for a main package equal those
// cyclonedx-gomod v1.10.0 lists in app mode (with -std) for the same
// package and platform. The one naming difference is mapped: gocompat
// calls the standard library "stdlib" at v1.N.M (the Go vulnerability
// database's name, so scanners match it), cyclonedx-gomod "std" at go1.N.M
// (docs/sbom.md lists every difference).
func TestAgainstCycloneDXGomod(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the comparison with cyclonedx-gomod")
	}
	peer := testbin.Tool(t, cdxGomod)
	for _, tc := range []struct{ mod, main string }{
		{"github.com/google/gops@v0.3.28", "."},
		{"github.com/CycloneDX/cyclonedx-gomod@v1.10.0", "cmd/cyclonedx-gomod"},
	} {
		t.Run(tc.mod, func(t *testing.T) {
			dir := proxyModule(t, tc.mod)
			env := append(os.Environ(), "GOFLAGS=", "GOWORK=off", "GOTOOLCHAIN=local", "GOOS=linux", "GOARCH=amd64")
			out := filepath.Join(t.TempDir(), "bom.json")
			cmd := exec.Command(peer, "app", "-json", "-std", "-noserial", "-notimestamp", "-main", tc.main, "-output", out, ".")
			cmd.Dir, cmd.Env = dir, env
			if b, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("cyclonedx-gomod: %v\n%s", err, b)
			}
			data, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			var bom struct {
				Metadata struct {
					Component struct{ Name, Version string }
				}
				Components []struct{ Name, Version string }
			}
			if err := json.Unmarshal(data, &bom); err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, c := range bom.Components {
				if c.Name == "std" {
					c.Name, c.Version = StdPath, semver.Canonical("v"+strings.TrimPrefix(c.Version, "go"))
				}
				want = append(want, c.Name+"@"+c.Version)
			}
			slices.Sort(want)

			inv, err := FromModule(context.Background(), ModuleOptions{Dir: dir, Patterns: []string{"./" + tc.main}, GOOS: "linux", GOARCH: "amd64"})
			if err != nil {
				t.Fatal(err)
			}
			got := refs(inv)
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("components differ from cyclonedx-gomod's:\n gocompat:        %v\n cyclonedx-gomod: %v", got, want)
			}
			if len(got) < 3 {
				t.Errorf("only %d components; the module was chosen for having dependencies", len(got))
			}
			if m := bom.Metadata.Component; inv.Main.Path != m.Name || inv.Main.Version != m.Version {
				t.Errorf("main %s@%s, cyclonedx-gomod %s@%s", inv.Main.Path, inv.Main.Version, m.Name, m.Version)
			}
			checkDocuments(t, inv)
		})
	}
}
