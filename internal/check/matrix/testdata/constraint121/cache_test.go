package cache

import "testing"

func TestReset(t *testing.T) {
	var c Cache
	c.Hit("a")
	c.Reset()
	if n := c.Hit("a"); n != 1 {
		t.Fatalf("after Reset, Hit = %d, want 1", n)
	}
}
