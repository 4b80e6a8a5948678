package config

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

// A .gocompat.yaml that is a named pipe, a link to /dev/zero, a directory
// or too large gives one clear error naming the file, at once: a plain
// read hangs on the pipe and exhausts memory on /dev/zero.
func TestFindRefusesHostileConfig(t *testing.T) {
	for _, c := range []struct {
		name, want string
		make       func(p string) error
	}{
		{"fifo", "is a named pipe", func(p string) error { return syscall.Mkfifo(p, 0o644) }},
		{"dev-zero", "is a character device", func(p string) error { return os.Symlink("/dev/zero", p) }},
		{"directory", "is a directory", func(p string) error { return os.Mkdir(p, 0o755) }},
		{"large", "is larger than 1 MiB", func(p string) error {
			return os.WriteFile(p, []byte("version: 1\n#"+strings.Repeat("x", fsread.ConfigLimit)), 0o644)
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			must(t, os.Mkdir(filepath.Join(dir, ".git"), 0o755))
			p := filepath.Join(dir, ".gocompat.yaml")
			must(t, c.make(p))
			done := make(chan error, 1)
			go func() { _, err := Find(dir); done <- err }()
			var err error
			select {
			case err = <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("Find did not return within 10s")
			}
			if !errors.Is(err, fsread.ErrRefused) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Find error = %v; want a refusal saying %q", err, c.want)
			}
			// One clear message: the file once, no "read X: read X:".
			if n := strings.Count(err.Error(), p); n != 1 {
				t.Errorf("error names %s %d times: %v", p, n, err)
			}
		})
	}
}
