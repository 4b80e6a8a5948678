package facts

import (
	"math"
	"testing"
)

func FuzzParseGOMEMLIMIT(f *testing.F) {
	for _, s := range []string{"200MiB", "1GiB", "off", "123", "1.5GiB", "-1", "B", "9999999999999999999TiB"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := ParseGOMEMLIMIT(s)
		if ok && (n < 0 || math.IsNaN(n)) {
			t.Errorf("%q: %v", s, n)
		}
	})
}

func TestParseGOMEMLIMIT(t *testing.T) {
	for s, want := range map[string]float64{"200MiB": 200 << 20, "1GiB": 1 << 30, "123": 123, "5B": 5, "off": math.Inf(1)} {
		if n, ok := ParseGOMEMLIMIT(s); !ok || n != want {
			t.Errorf("%q: %v %v", s, n, ok)
		}
	}
	for _, s := range []string{"1.5GiB", "-1", "B", "1 GiB", "1GB"} {
		if _, ok := ParseGOMEMLIMIT(s); ok {
			t.Errorf("%q accepted", s)
		}
	}
}
