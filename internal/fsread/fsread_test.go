package fsread_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gocompat/gocompat/internal/fsread"
)

// within fails the test if f does not return within a few seconds: a
// read of a named pipe or /dev/zero that is not refused never returns.
func within(t *testing.T, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the read did not return within 10s")
	}
}

// tree makes a directory with every kind of file a hostile tree holds.
func tree(t *testing.T) (root, outside string) {
	t.Helper()
	base := t.TempDir()
	root, outside = filepath.Join(base, "tree"), filepath.Join(base, "outside")
	for _, d := range []string{root, outside, filepath.Join(root, "dir")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(p, s string) {
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(root, "small"), "hello\n")
	write(filepath.Join(root, "big"), strings.Repeat("x", 2049))
	write(filepath.Join(outside, "secret"), "outside\n")
	if err := syscall.Mkfifo(filepath.Join(root, "fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
	for link, target := range map[string]string{
		"zero":    "/dev/zero",
		"in":      "small",
		"indir":   "dir",
		"out":     filepath.Join(outside, "secret"),
		"outdir":  outside,
		"relout":  "../outside/secret",
		"dangles": "nothing-here",
	} {
		if err := os.Symlink(target, filepath.Join(root, link)); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(root, "dir", "f"), "in dir\n")
	return root, outside
}

func TestReadFileIn(t *testing.T) {
	root, _ := tree(t)
	const limit = 2048
	for _, c := range []struct {
		rel, want, refused string // want: content; refused: reason substring
	}{
		{rel: "small", want: "hello\n"},
		{rel: "in", want: "hello\n"},
		{rel: "indir/f", want: "in dir\n"},
		{rel: "big", refused: "is larger than 2 KiB"},
		{rel: "fifo", refused: "is a named pipe (FIFO)"},
		{rel: "zero", refused: "leads out of the audited directory (to /dev/zero)"},
		{rel: "dir", refused: "is a directory"},
		{rel: "out", refused: "leads out of the audited directory"},
		{rel: "outdir/secret", refused: "leads out of the audited directory"},
		{rel: "relout", refused: "leads out of the audited directory"},
	} {
		var data []byte
		var err error
		within(t, func() { data, err = fsread.ReadFileIn(root, c.rel, limit) })
		if c.refused == "" {
			if err != nil || string(data) != c.want {
				t.Errorf("ReadFileIn(%s) = %q, %v; want %q", c.rel, data, err, c.want)
			}
			continue
		}
		if !errors.Is(err, fsread.ErrRefused) || !strings.Contains(err.Error(), c.refused) || !strings.HasPrefix(err.Error(), "read "+c.rel+": ") {
			t.Errorf("ReadFileIn(%s) error = %v; want a refusal naming the file and %q", c.rel, err, c.refused)
		}
	}
	if _, err := fsread.ReadFileIn(root, "dangles", limit); !errors.Is(err, fs.ErrNotExist) || errors.Is(err, fsread.ErrRefused) {
		t.Errorf("dangling link: err = %v, want not-exist", err)
	}
}

// ReadFile follows links anywhere but still refuses what is not a regular
// file, and states the limit.
func TestReadFile(t *testing.T) {
	root, _ := tree(t)
	for _, c := range []struct{ name, refused string }{
		{"zero", "is a character device"},
		{"fifo", "is a named pipe"},
		{"big", "is larger than 2 KiB"},
		{"dir", "is a directory"},
		{"out", ""},
	} {
		p := filepath.Join(root, c.name)
		var err error
		within(t, func() { _, err = fsread.ReadFile(p, 2048) })
		if c.refused == "" {
			if err != nil {
				t.Errorf("ReadFile(%s): %v", c.name, err)
			}
			continue
		}
		if !errors.Is(err, fsread.ErrRefused) || !strings.Contains(err.Error(), c.refused) || !strings.Contains(err.Error(), p) {
			t.Errorf("ReadFile(%s) error = %v; want a refusal naming %s and %q", c.name, err, p, c.refused)
		}
	}
}

// DirFS keeps fs.ReadFile and fs.ReadDir inside the tree and off pipes.
func TestDirFS(t *testing.T) {
	root, _ := tree(t)
	fsys := fsread.DirFS{Root: root, Limit: 2048}
	var err error
	within(t, func() { _, err = fs.ReadFile(fsys, "fifo") })
	if !errors.Is(err, fsread.ErrRefused) {
		t.Errorf("fs.ReadFile(fifo) = %v, want a refusal", err)
	}
	if _, err := fs.ReadDir(fsys, "outdir"); !errors.Is(err, fsread.ErrRefused) {
		t.Errorf("fs.ReadDir(outdir) = %v, want a refusal", err)
	}
	ents, err := fs.ReadDir(fsys, "indir")
	if err != nil || len(ents) != 1 {
		t.Errorf("fs.ReadDir(indir) = %v, %v", ents, err)
	}
	if _, err := fs.ReadFile(fsys, "../outside/secret"); err == nil {
		t.Error("fs.ReadFile(../outside/secret) succeeded")
	}
	within(t, func() {
		f, err := fsys.Open("fifo")
		if err == nil {
			f.Close()
		}
	})
}

func TestSize(t *testing.T) {
	for n, want := range map[int64]string{1 << 20: "1 MiB", 16 << 20: "16 MiB", 2048: "2 KiB", 1000: "1000 bytes"} {
		if got := fsread.Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
}
