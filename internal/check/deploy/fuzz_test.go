package deploy

import "testing"

// FuzzSetupGoRange: any go-version text resolves without panicking, and
// what it resolves to is a Go version that satisfies it.
func FuzzSetupGoRange(f *testing.F) {
	for _, s := range []string{"~1.18.4", ">=1.20 <1.21", "^1.22", "1.21.x || 1.22.x", ">= 1.20", "*", "1.x", "<=1.21", ">1.20.999", "", "~", "1..2", "^v1.2", "1.2.3.4", "|| ||"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		v, ok := setupGoRange(spec)
		if !ok {
			return
		}
		sv, good := parseSemver(v[len("go"):])
		if !good || !satisfiesRange(sv, trimSpec(spec)) {
			t.Fatalf("setupGoRange(%q) = %q, which does not satisfy it", spec, v)
		}
	})
}

func TestSetupGoRange(t *testing.T) {
	for spec, want := range map[string]string{
		"~1.18.4":          "go1.18.10",
		">=1.20 <1.21":     "go1.20.14",
		"1.21.x":           "go1.21.13",
		"<1.20":            "go1.19.13",
		"<=1.20":           "go1.20.14",
		">1.20.14 <1.22":   "go1.21.13",
		"1.19.x || 1.20.x": "go1.20.14",
		"~1.12":            "",
	} {
		got, _ := setupGoRange(spec)
		if got != want {
			t.Errorf("setupGoRange(%q) = %q, want %q", spec, got, want)
		}
	}
}
