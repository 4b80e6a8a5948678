package facts

import (
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// The loop-variable facts are constants of the toolchain: this test
// reads them from the installed GOROOT's sources and fails when a new
// release changes them.
func TestLoopvarFactsMatchGOROOT(t *testing.T) {
	goroot := runtime.GOROOT()
	read := func(rel string) string {
		b, err := os.ReadFile(filepath.Join(goroot, "src", rel))
		if err != nil {
			t.Skipf("GOROOT sources not available: %v", err)
		}
		return string(b)
	}
	for _, c := range []struct {
		file, re, want, name string
	}{
		{"cmd/compile/internal/noder/writer.go", `is122 := fileVersion == "" \|\| version.Compare\(fileVersion, "(go1\.\d+)"\) >= 0`, LoopvarVersion, "LoopvarVersion"},
		{"go/types/check.go", `v = string\(versionMax\(fileVersion, go(1_\d+)\)\)`, strings.ReplaceAll(MinTaggedFileVersion[len("go"):], ".", "_"), "MinTaggedFileVersion"},
		{"cmd/go/internal/gover/version.go", `DefaultGoModVersion = "(1\.\d+)"`, DefaultGoLine[len("go"):], "DefaultGoLine"},
	} {
		m := regexp.MustCompile(c.re).FindStringSubmatch(read(c.file))
		if m == nil {
			t.Errorf("%s: %s no longer matches %q; re-check the fact", c.name, c.file, c.re)
			continue
		}
		if m[1] != c.want {
			t.Errorf("%s: GOROOT/src/%s says %s, the facts package %s", c.name, c.file, m[1], c.want)
		}
	}
	for v, want := range map[string]bool{"": true, "go1.21": false, "go1.21.5": false, "go1.22": true, "go1.22.1": true, "go1.26": true, "go1.16": false} {
		if got := PerIterationLoopVars(v); got != want {
			t.Errorf("PerIterationLoopVars(%q) = %v, want %v", v, got, want)
		}
	}
}
