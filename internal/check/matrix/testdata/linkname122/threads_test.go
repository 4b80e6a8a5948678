package threads

import "testing"

func TestCount(t *testing.T) {
	if n := Count(); n < 1 {
		t.Fatalf("Count() = %d, want at least 1", n)
	}
}
