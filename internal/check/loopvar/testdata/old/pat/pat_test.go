package pat

import "testing"

func TestSerial(t *testing.T) {
	for _, tc := range []int{1, 2} { // want `loop variable tc is captured by a func literal, passed to \(\*testing.T\).Run, which waits for the subtest.*no change`
		t.Run("x", func(t *testing.T) { _ = tc })
	}
}

func TestParallel(t *testing.T) {
	for _, tc := range []int{1, 2} { // want `loop variable tc is captured by a func literal, passed to \(\*testing.T\).Run as a parallel subtest.*latent bug`
		t.Run("x", func(t *testing.T) {
			t.Parallel()
			_ = tc
		})
	}
}

// TestCopiedBeforeParallel is prometheus v2.45.0
// model/textparse/interface_test.go:37: tt := tt runs while t.Run still
// waits (before t.Parallel), so the subtest keeps its own copy.
func TestCopiedBeforeParallel(t *testing.T) {
	for name, tt := range map[string]*struct{ contentType string }{ // want `loop variable tt is captured by a func literal, passed to \(\*testing.T\).Run as a parallel subtest, but read only before t.Parallel\(\), while t.Run waits.*no change`
		"empty-string": {},
		"openmetrics":  {contentType: "application/openmetrics-text"},
	} {
		t.Run(name, func(t *testing.T) {
			tt := tt // Copy to local variable before going parallel.
			t.Parallel()
			_ = tt.contentType
		})
	}
}

// TestReadAfterParallel reads the loop variable after t.Parallel(): the
// subtest runs after the loop moved on.
func TestReadAfterParallel(t *testing.T) {
	for _, tc := range []string{"a", "b"} { // want `loop variable tc is captured by a func literal, passed to \(\*testing.T\).Run as a parallel subtest.*latent bug`
		t.Run(tc, func(t *testing.T) {
			c := tc
			t.Parallel()
			_ = c + tc
		})
	}
}
