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
