// Package fsread reads the files a user hands gocompat: only regular
// files, only up to a stated size, and, within an audited tree, only
// through symbolic links that stay inside the tree.
//
// Every file gocompat reads from a repository or a host root may be
// hostile: a named pipe blocks a reader forever, a link to /dev/zero never
// ends, a link to /etc leaves the tree the user asked about. A refusal is
// a *RefusedError; errors.Is(err, ErrRefused) lets a caller turn it into a
// finding instead of failing.
//
// Files are opened without blocking (O_NONBLOCK), so opening a named pipe
// returns at once; the open file's own mode is then checked, so a file
// replaced between a directory walk and the read is judged by what is
// read. The tree check resolves links before the open: a link swapped in
// between the two can still lead out of the tree. gocompat audits trees
// it was pointed at, not trees an attacker rewrites while it runs.
package fsread

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// Limits, in bytes, of what gocompat reads of one file.
const (
	// ConfigLimit bounds configuration and deployment files:
	// .gocompat.yaml, Dockerfiles, .dockerignore, systemd units, drop-ins
	// and environment files, CI workflows.
	ConfigLimit = 1 << 20
	// SourceLimit bounds go.mod, go.work, go.sum and Go source files.
	SourceLimit = 16 << 20
)

// ErrRefused is matched (errors.Is) by every refusal.
var ErrRefused = errors.New("refused to read")

// RefusedError says which file was not read and why.
type RefusedError struct {
	Path   string
	Reason string // "is a named pipe", "is larger than 1 MiB", …
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("read %s: %s; gocompat reads only regular files inside the audited directory, each up to a size limit", e.Path, e.Reason)
}

// Is makes errors.Is(err, ErrRefused) hold.
func (e *RefusedError) Is(target error) bool { return target == ErrRefused }

// ReadFile reads the regular file at path, refusing anything else
// (directories, named pipes, devices, sockets) and any file larger than
// limit bytes. Symbolic links are followed; ReadFileIn also bounds where
// they lead.
func ReadFile(path string, limit int64) ([]byte, error) {
	return readFile(path, path, limit)
}

// Open opens the regular file at path for reading without blocking on a
// named pipe, refusing (a *RefusedError) anything but a regular file.
// The caller bounds what it reads.
func Open(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, &RefusedError{Path: path, Reason: "is " + kind(st.Mode()) + ", not a regular file"}
	}
	return f, nil
}

// readFile reads real, naming the file name in errors.
func readFile(name, real string, limit int64) ([]byte, error) {
	f, err := os.OpenFile(real, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, rename(err, name)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, rename(err, name)
	}
	if !st.Mode().IsRegular() {
		return nil, &RefusedError{Path: name, Reason: "is " + kind(st.Mode()) + ", not a regular file"}
	}
	if st.Size() > limit {
		return nil, tooLarge(name, limit)
	}
	// The size may change while reading (a growing log): read one byte
	// past the limit to tell.
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, rename(err, name)
	}
	if int64(len(data)) > limit {
		return nil, tooLarge(name, limit)
	}
	return data, nil
}

func tooLarge(name string, limit int64) error {
	return &RefusedError{Path: name, Reason: "is larger than " + Size(limit) + ", the most gocompat reads of such a file"}
}

// rename makes a *PathError name the file as the caller knows it.
func rename(err error, name string) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return &fs.PathError{Op: pe.Op, Path: name, Err: pe.Err}
	}
	return err
}

// Size writes n bytes as the largest whole unit: "1 MiB", "512 KiB".
func Size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// kind names a non-regular file mode.
func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "a special file"
}

// Resolve returns the real path of root/rel with every symbolic link
// followed, refusing (a *RefusedError) a path that leads out of root.
// rel is slash-separated and relative to root. A path that does not exist
// returns the fs.ErrNotExist error of the lookup.
func Resolve(root, rel string) (string, error) {
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return "", err
	}
	p := filepath.Join(root, filepath.FromSlash(rel))
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		return "", rename(err, rel)
	}
	if !Within(realRoot, real) {
		return "", &RefusedError{Path: rel, Reason: fmt.Sprintf("is a symbolic link that leads out of the audited directory (to %s)", real)}
	}
	return real, nil
}

// Within reports whether path p is root or lies below it (both clean
// and absolute, or both relative to the same directory).
func Within(root, p string) bool {
	if p == root {
		return true
	}
	r, err := filepath.Rel(root, p)
	return err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator)) && !filepath.IsAbs(r)
}

// ReadFileIn reads root/rel as ReadFile does, refusing symbolic links
// that lead out of root. Errors name rel.
func ReadFileIn(root, rel string, limit int64) ([]byte, error) {
	real, err := Resolve(root, rel)
	if err != nil {
		return nil, err
	}
	return readFile(rel, real, limit)
}

// DirFS is an fs.FS of the tree at root that follows symbolic links only
// while they stay inside root, refusing the others, and whose ReadFile
// (which fs.ReadFile uses) reads regular files of at most Limit bytes.
type DirFS struct {
	Root  string
	Limit int64
}

var (
	_ fs.ReadFileFS = DirFS{}
	_ fs.ReadDirFS  = DirFS{}
	_ fs.StatFS     = DirFS{}
)

func (d DirFS) resolve(op, name string) (string, error) {
	if !fs.ValidPath(name) {
		return "", &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	return Resolve(d.Root, name)
}

// Open opens name without blocking on a named pipe.
func (d DirFS) Open(name string) (fs.File, error) {
	real, err := d.resolve("open", name)
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(real, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, rename(err, name)
	}
	return f, nil
}

// ReadFile reads the regular file name, of at most d.Limit bytes.
func (d DirFS) ReadFile(name string) ([]byte, error) {
	real, err := d.resolve("read", name)
	if err != nil {
		return nil, err
	}
	return readFile(name, real, d.Limit)
}

// ReadDir reads the directory name.
func (d DirFS) ReadDir(name string) ([]fs.DirEntry, error) {
	real, err := d.resolve("readdir", name)
	if err != nil {
		return nil, err
	}
	ents, err := os.ReadDir(real)
	return ents, rename(err, name)
}

// Stat describes name, following links that stay inside the tree.
func (d DirFS) Stat(name string) (fs.FileInfo, error) {
	real, err := d.resolve("stat", name)
	if err != nil {
		return nil, err
	}
	st, err := os.Stat(real)
	return st, rename(err, name)
}
