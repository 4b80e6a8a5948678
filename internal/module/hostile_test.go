package module

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gocompat/gocompat/internal/fsread"
)

// A nested go.mod or a go.work that is a named pipe hung Discover; one
// that links to /dev/zero read until memory ran out. Both are refused at
// once with an error naming the file.
func TestDiscoverRefusesHostileFiles(t *testing.T) {
	for _, c := range []struct {
		name, file, want string
		make             func(p string) error
	}{
		{"nested-go.mod-fifo", "sub/go.mod", "is a named pipe", func(p string) error { return syscall.Mkfifo(p, 0o644) }},
		{"go.work-fifo", "go.work", "is a named pipe", func(p string) error { return syscall.Mkfifo(p, 0o644) }},
		{"nested-go.mod-dev-zero", "sub/go.mod", "is a character device", func(p string) error { return os.Symlink("/dev/zero", p) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/m\n\ngo 1.22\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(dir, filepath.FromSlash(c.file))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := c.make(p); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { _, err := Discover(dir); done <- err }()
			select {
			case err := <-done:
				if !errors.Is(err, fsread.ErrRefused) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), p) {
					t.Errorf("Discover error = %v; want a refusal naming %s and saying %q", err, p, c.want)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("Discover did not return within 10s")
			}
		})
	}
}
