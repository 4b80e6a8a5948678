package pat

import "testing"

func TestSerial(t *testing.T) {
	for _, tc := range []int{1, 2} {
		t.Run("x", func(t *testing.T) { _ = tc })
	}
}

func TestParallel(t *testing.T) {
	for _, tc := range []int{1, 2} {
		t.Run("x", func(t *testing.T) {
			t.Parallel()
			_ = tc
		})
	}
}
