package pat

import "testing"

// TestHelperInSubtest is prometheus v2.45.0
// tsdb/compact_test.go:1307: a serial subtest declares a helper that
// reads the loop variable and calls it in place; the helper never
// leaves the subtest, which t.Run waits for.
func TestHelperInSubtest(t *testing.T) {
	for _, floatTest := range []bool{true, false} { // want `loop variable floatTest is captured by a func literal, passed to \(\*testing.T\).Run, which waits for the subtest.*no change`
		t.Run("x", func(t *testing.T) {
			appendHistogram := func(n int) int {
				if floatTest {
					return n
				}
				return -n
			}
			for i := 0; i < 3; i++ {
				_ = appendHistogram(i)
			}
		})
	}
}

// TestHelperKeptBySubtest hands the helper to t.Cleanup, which runs it
// after the loop: a capture the analyzer does not prove harmless.
func TestHelperKeptBySubtest(t *testing.T) {
	for _, tc := range []int{1, 2} { // want `loop variable tc is captured by a func literal, assigned to check, which is captured by another func literal`
		t.Run("x", func(t *testing.T) {
			check := func() { _ = tc }
			t.Cleanup(func() { check() })
		})
	}
}
