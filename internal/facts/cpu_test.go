package facts

import (
	"os"
	"strings"
	"testing"
)

func TestAMD64LevelOf(t *testing.T) {
	var all []string
	for _, l := range AMD64Levels {
		all = append(all, l.Flags...)
		got, missing := AMD64LevelOf(all)
		if got != l.Level {
			t.Errorf("flags up to %s: level %q (missing %v)", l.Level, got, missing)
		}
	}
	if got, missing := AMD64LevelOf(all[:len(all)-1]); got != "v3" || len(missing) != 1 {
		t.Errorf("v4 minus one flag: %q, missing %v", got, missing)
	}
	if got, _ := AMD64LevelOf([]string{"fp", "asimd"}); got != "" {
		t.Errorf("arm64 flags: %q", got)
	}
	if CompareAMD64Level("v3", "v2") <= 0 || CompareAMD64Level("v1", "v1") != 0 || CompareAMD64Level("", "v1") >= 0 {
		t.Error("CompareAMD64Level order")
	}
}

// TestAMD64LevelsMatchRuntime keeps the table in step with the comments
// that name the feature bits in the installed runtime's asm_amd64.s.
func TestAMD64LevelsMatchRuntime(t *testing.T) {
	goroot := os.Getenv("GOROOT")
	if goroot == "" {
		goroot = "/usr/local/go"
	}
	b, err := os.ReadFile(goroot + "/src/runtime/asm_amd64.s")
	if err != nil {
		t.Skip("no runtime source: ", err)
	}
	s := string(b)
	for _, feature := range []string{"SSE3", "SSSE3", "SSE4.1", "SSE4.2", "POPCNT", "LAHF/SAHF", "FMA", "MOVBE", "OSXSAVE", "AVX", "F16C", "ABM", "BMI1", "AVX2", "BMI2", "AVX512F", "AVX512DQ", "AVX512CD", "AVX512BW", "AVX512VL"} {
		if !strings.Contains(s, feature) {
			t.Errorf("runtime/asm_amd64.s no longer names %s; review AMD64Levels", feature)
		}
	}
}
