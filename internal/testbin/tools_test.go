package testbin

import (
	"os/exec"
	"strings"
	"testing"
)

// TestToolchain takes an older release than the installed one and checks
// that the go command it returns is that release.
func TestToolchain(t *testing.T) {
	if testing.Short() {
		t.Skip("downloads a toolchain on first use")
	}
	const want = Go122
	bin := Toolchain(t, want)
	out, err := exec.Command(bin, "env", "GOVERSION").Output()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(string(out)); got != want {
		t.Fatalf("%s env GOVERSION = %q, want %q", bin, got, want)
	}
}
