package pat

import (
	"sync"
	"testing"
)

// TestCompactionSize is prometheus v2.45.0 tsdb/compact_test.go:1479: a
// serial subtest (t.Run waits for it) starts goroutines that read c and
// waits for them with wg.Wait() before it returns.
func TestCompactionSize(t *testing.T) {
	cases := []struct{ numBuckets int }{{10}, {20}}
	for _, c := range cases { // want `loop variable c is captured by a func literal, passed to \(\*testing.T\).Run, which waits for the subtest.*no change`
		t.Run("x", func(t *testing.T) {
			var wg sync.WaitGroup
			var got int
			wg.Add(1)
			go func() {
				defer wg.Done()
				got = c.numBuckets
			}()
			wg.Wait()
			if got != c.numBuckets {
				t.Fatal(got)
			}
		})
	}
}
