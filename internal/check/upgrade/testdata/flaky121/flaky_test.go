// Package flaky has a test that fails on its second run only, counted in
// the file named by $FLAKY_COUNTER: a stand-in for a flaky test that
// happens to fail in the run at the target go line.
package flaky

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

func TestSecondRunFails(t *testing.T) {
	path := os.Getenv("FLAKY_COUNTER")
	if path == "" {
		t.Skip("FLAKY_COUNTER not set")
	}
	b, _ := os.ReadFile(path)
	n, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	n++
	if err := os.WriteFile(path, []byte(strconv.Itoa(n)), 0o644); err != nil {
		t.Fatal(err)
	}
	if n == 2 {
		t.Fatal("second run fails")
	}
}
