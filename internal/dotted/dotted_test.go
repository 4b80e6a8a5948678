package dotted

import "testing"

func TestCompare(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"2.31", "2.34", -1}, {"2.34", "2.34", 0}, {"2.3.2", "2.3", 1}, {"6.1.0-18-amd64", "3.2", 1},
		{"2.6.32-754.el6", "3.2", -1}, {"3.10.0-1160.el7.x86_64", "3.2", 1}, {"", "3.2", -1}, {"x", "", 0},
	}
	for _, tt := range tests {
		if got := Compare(tt.a, tt.b); got != tt.want {
			t.Errorf("Compare(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestIsNumeric(t *testing.T) {
	for s, want := range map[string]bool{
		"2.34": true, "2.3.2": true, "2": true,
		"": false, "PRIVATE": false, "2.34a": false, "2..3": false, ".2": false, "2.": false,
	} {
		if got := IsNumeric(s); got != want {
			t.Errorf("IsNumeric(%q) = %v, want %v", s, got, want)
		}
	}
}

func FuzzCompare(f *testing.F) {
	f.Add("2.31", "6.1.0-18-amd64")
	f.Fuzz(func(t *testing.T, a, b string) {
		if Compare(a, b) != -Compare(b, a) {
			t.Errorf("not antisymmetric: %q %q", a, b)
		}
	})
}
