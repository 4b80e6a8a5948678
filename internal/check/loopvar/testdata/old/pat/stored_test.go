package pat

import "testing"

// TestCollectorStride is node_exporter v1.5.0
// collector/perf_linux_test.go:90: each subtest stores &test.flag in the
// package variable the constructor reads, then calls the constructor.
// Within this function every read follows the store, but other code of
// the package reads the variable too (newCollector, and other tests may
// run after this one), so the change is at most possible.
func TestCollectorStride(t *testing.T) {
	tests := []struct {
		name string
		flag string
	}{{"single", "1"}, {"range", "1-5"}}
	for _, test := range tests { // want `loop variable test has its address taken \(&test.flag\), stored in the package variable cpusFlag, which this function reads only after the store within the iteration, but other code of the package reads it too.*if it is kept`
		t.Run(test.name, func(t *testing.T) {
			cpusFlag = &test.flag
			if got := newCollector(); got != test.flag {
				t.Fatal(got)
			}
		})
	}
}
