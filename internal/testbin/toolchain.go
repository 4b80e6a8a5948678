package testbin

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Toolchain returns the go command of Go release v ("go1.21.13"). The
// installed go fetches it on first use through the module proxy into the
// module cache (the golang.org/toolchain module, which GOTOOLCHAIN=v
// selects), outside the repository; later uses are offline. The test is
// skipped, saying why, when go is missing or the toolchain cannot be had
// (offline with a cold cache). The module proxy serves toolchains from
// go1.21.0 on only.
func Toolchain(t testing.TB, v string) string {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go is not on PATH")
	}
	cmd := exec.Command("go", "env", "GOROOT")
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN="+v, "GOFLAGS=", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Skipf("toolchain %s cannot be had here (the module proxy is unreachable and the module cache does not hold it): %v\n%s", v, err, out)
	}
	goBin := filepath.Join(strings.TrimSpace(string(out)), "bin", "go")
	if _, err := os.Stat(goBin); err != nil {
		t.Skipf("toolchain %s: %v", v, err)
	}
	return goBin
}
