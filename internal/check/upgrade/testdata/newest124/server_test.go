package server

import (
	"os"
	"runtime"
	"testing"
)

// TestRecordVersion appends the Go release the test runs with to the file
// named by $UPGRADE_TEST_VERSIONS, so a caller can tell which toolchains
// ran it.
func TestRecordVersion(t *testing.T) {
	path := os.Getenv("UPGRADE_TEST_VERSIONS")
	if path == "" {
		t.Skip("UPGRADE_TEST_VERSIONS not set")
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(runtime.Version() + "\n"); err != nil {
		t.Fatal(err)
	}
}

func TestHandler(t *testing.T) {
	if Handler(t.TempDir()) == nil {
		t.Fatal("no handler")
	}
}
