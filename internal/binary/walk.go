package binary

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// Result is the outcome of reading one file found by Scan.
type Result struct {
	Path string
	Info *Info
	// Err is set when the file could not be read as a Go binary; it wraps
	// ErrNotELF or ErrNotGo when one applies.
	Err error
}

// ScanOptions bound a directory walk.
type ScanOptions struct {
	// MaxFiles stops the walk after this many regular files were looked
	// at; zero means no limit.
	MaxFiles int
	// SkipDir, if set, is asked about every directory below the root;
	// returning true skips it (the audit skips .git and vendor trees).
	SkipDir func(path string, d fs.DirEntry) bool
}

// Scan reads the Go binaries among paths, finding what `go version`
// finds. A file named directly (or through a link) is always reported,
// including ErrNotELF and ErrNotGo. A directory is walked; in it,
// symbolic links to regular files are read wherever they lead, as go
// version reads them (an audited tree, where links must stay inside, is
// read through internal/discover instead), links to directories are not
// entered, every regular file is tried whatever its mode, files that are
// not Go binaries are skipped quietly, and damaged ELF files are
// reported. Unlike go version, a directory named through a link is
// walked too. Results are in walk order.
func Scan(paths []string, opt ScanOptions) []Result {
	var out []Result
	seen := 0
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			out = append(out, Result{Path: p, Err: err})
			continue
		}
		if !st.IsDir() {
			info, err := ReadFile(p)
			out = append(out, Result{Path: p, Info: info, Err: err})
			continue
		}
		// A directory named through a symlink is walked; links inside
		// it are not followed.
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		_ = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				if path == p {
					out = append(out, Result{Path: path, Err: err})
				}
				// An unreadable subdirectory is skipped like go version does.
				return nil
			}
			if d.IsDir() {
				if path != p && opt.SkipDir != nil && opt.SkipDir(path, d) {
					return filepath.SkipDir
				}
				return nil
			}
			// Regular files, and links to regular files, are read; WalkDir
			// never enters a linked directory.
			if d.Type()&fs.ModeSymlink != 0 {
				st, err := os.Stat(path)
				if err != nil || !st.Mode().IsRegular() {
					return nil // go version: "accept file symlinks only"
				}
			} else if !d.Type().IsRegular() {
				return nil
			}
			if opt.MaxFiles > 0 && seen >= opt.MaxFiles {
				return filepath.SkipAll
			}
			seen++
			info, err := ReadFile(path)
			if errors.Is(err, ErrNotELF) || errors.Is(err, ErrNotGo) {
				return nil
			}
			out = append(out, Result{Path: path, Info: info, Err: err})
			return nil
		})
	}
	return out
}

// SortByPath orders results by path.
func SortByPath(rs []Result) {
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].Path < rs[j].Path })
}
