package testbin

import (
	"os/exec"
	"path/filepath"
	"testing"
)

// Gocompat builds the gocompat command into the test's temporary
// directory, for tests of what it does when another program runs it (go
// vet -vettool, go test -toolexec). The build cache makes every build
// after the first a link.
func Gocompat(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "gocompat")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/gocompat/gocompat/cmd/gocompat").CombinedOutput()
	if err != nil {
		t.Fatalf("build gocompat: %v\n%s", err, out)
	}
	return bin
}
