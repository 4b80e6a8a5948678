package token

import "testing"

func TestNew(t *testing.T) {
	if a, b := New(), New(); a == b || len(a) != 26 {
		t.Fatalf("New() = %q, %q", a, b)
	}
}
