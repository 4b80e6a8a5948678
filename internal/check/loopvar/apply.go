package loopvar

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/gocompat/gocompat/internal/fsread"
)

// Applying the fixes of one run is atomic for the run, not only per file:
//
//  1. A journal, JournalName in the directory the command runs in, lists
//     every file to change and its temporary file (".NAME.gocompat-fix"
//     beside it), in state "prepared".
//  2. Every temporary file is written in full, given the file's
//     permissions and synced; each file is read again and must still
//     hold the bytes the fixes were computed on.
//  3. The journal is replaced (by a rename) by one in state "committed":
//     from here on the run counts as done.
//  4. Every temporary file is renamed over its file; then the journal
//     is removed.
//
// If the run stops before step 3 (an error, a kill), no file has
// changed; if it stops after, some files may be fixed and others not
// yet. The next Recover (gocompat loopvar --fix runs it first, before it
// analyses anything) finishes the job from the journal: it removes the
// temporary files of a prepared run, and renames those of a committed
// run over their files. An error before step 3 removes the temporary
// files and the journal at once. What is not guaranteed: durability
// against a power loss between a rename and the directory reaching the
// disk, and that a file someone edits during a run is not overwritten
// after step 2 checked it.

// JournalName is the name of the journal of a --fix run, in the
// directory the command runs in.
const JournalName = ".gocompat-fix.journal"

// maxJournalSize bounds the read of a journal.
const maxJournalSize = 16 << 20

type journal struct {
	State string         `json:"state"` // "prepared" or "committed"
	Files []journalEntry `json:"files"`
}

type journalEntry struct {
	File string `json:"file"`
	Temp string `json:"temp"`
}

func tempName(file string) string {
	return filepath.Join(filepath.Dir(file), "."+filepath.Base(file)+".gocompat-fix")
}

// Apply writes the changes atomically for the run, as described above,
// with its journal in dir. It runs Recover first. A change whose new
// bytes equal the old ones is not written.
func Apply(dir string, changes []FileChange) error {
	return apply(dir, changes, func(string) error { return nil })
}

// errStop is what a test's step function returns to stop apply where a
// kill would: without any cleanup.
var errStop = errors.New("stopped")

// apply is Apply with a seam: step is called at each point where the
// process could be killed; when it returns an error, apply returns it at
// once and leaves everything as a kill would.
func apply(dir string, changes []FileChange, step func(at string) error) error {
	if _, err := Recover(dir); err != nil {
		return err
	}
	var todo []FileChange
	for _, c := range changes {
		if !bytes.Equal(c.Old, c.New) {
			todo = append(todo, c)
		}
	}
	if len(todo) == 0 {
		return nil
	}
	for _, c := range todo {
		removeOldTemps(c.File)
	}
	jpath := filepath.Join(dir, JournalName)
	j := journal{State: "prepared"}
	for _, c := range todo {
		j.Files = append(j.Files, journalEntry{File: c.File, Temp: tempName(c.File)})
	}
	if err := writeJournal(jpath, j); err != nil {
		return err
	}
	if err := step("prepared"); err != nil {
		return err
	}
	abort := func(err error) error {
		for _, e := range j.Files {
			os.Remove(e.Temp)
		}
		os.Remove(jpath)
		return err
	}
	for i, c := range todo {
		if err := writeTemp(j.Files[i].Temp, c); err != nil {
			return abort(err)
		}
		if err := step("temp " + filepath.Base(c.File)); err != nil {
			return err
		}
	}
	for _, c := range todo {
		now, err := fsread.ReadFile(c.File, maxSourceSize)
		if err != nil {
			return abort(fmt.Errorf("read %s again: %w", c.File, err))
		}
		if !bytes.Equal(now, c.Old) {
			return abort(fmt.Errorf("%s changed while the fixes were computed; run gocompat loopvar --fix again", c.File))
		}
	}
	j.State = "committed"
	if err := writeJournal(jpath, j); err != nil {
		return abort(err)
	}
	if err := step("committed"); err != nil {
		return err
	}
	return finish(jpath, j, step)
}

// finish renames the temporary files of a committed journal over their
// files and removes the journal.
func finish(jpath string, j journal, step func(string) error) error {
	var errs []error
	for _, e := range j.Files {
		if err := os.Rename(e.Temp, e.File); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
			continue
		}
		if err := step("renamed " + filepath.Base(e.File)); err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("apply fixes (the journal %s is kept; the next gocompat loopvar --fix completes the run): %w", jpath, errors.Join(errs...))
	}
	return os.Remove(jpath)
}

func writeTemp(temp string, c FileChange) error {
	st, err := os.Stat(c.File)
	if err != nil {
		return err
	}
	os.Remove(temp) // our own name: a leftover of a run that left no journal
	f, err := os.OpenFile(temp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, st.Mode().Perm())
	if err != nil {
		return err
	}
	if _, err := f.Write(c.New); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", temp, err)
	}
	if err := f.Chmod(st.Mode().Perm()); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// writeJournal replaces the journal atomically.
func writeJournal(path string, j journal) error {
	b, err := json.MarshalIndent(j, "", "\t")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write the --fix journal: %w", err)
	}
	if f, err := os.Open(tmp); err == nil {
		f.Sync()
		f.Close()
	}
	return os.Rename(tmp, path)
}

// Recover finishes a --fix run that stopped, from its journal in dir:
// it removes the temporary files of a run that had not committed, and
// completes the renames of one that had. It says what it did, or "" when
// there was nothing to do.
func Recover(dir string) (string, error) {
	jpath := filepath.Join(dir, JournalName)
	os.Remove(jpath + ".tmp") // a journal being replaced: the old one stands
	b, err := fsread.ReadFile(jpath, maxJournalSize)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read the journal of an interrupted --fix: %w", err)
	}
	var j journal
	if err := json.Unmarshal(b, &j); err != nil || (j.State != "prepared" && j.State != "committed") {
		return "", fmt.Errorf("%s is not a gocompat --fix journal (%v); move it away and run again", jpath, err)
	}
	for _, e := range j.Files {
		// The journal names files by absolute path: a temporary file is
		// always ".NAME.gocompat-fix" beside its file.
		if !filepath.IsAbs(e.File) || e.Temp != tempName(e.File) {
			return "", fmt.Errorf("%s names %q and %q, which is not a file and its temporary file; move it away and run again", jpath, e.File, e.Temp)
		}
	}
	if j.State == "prepared" {
		for _, e := range j.Files {
			if err := os.Remove(e.Temp); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return "", err
			}
		}
		if err := os.Remove(jpath); err != nil {
			return "", err
		}
		return fmt.Sprintf("removed the temporary files of an interrupted --fix run, which had changed no file (%d planned)", len(j.Files)), nil
	}
	if err := finish(jpath, j, func(string) error { return nil }); err != nil {
		return "", err
	}
	return fmt.Sprintf("completed an interrupted --fix run: %d files", len(j.Files)), nil
}

// removeOldTemps removes the temporary files that gocompat before the
// journal left beside file when it was stopped: ".NAME.gocompat-"
// followed by digits (os.CreateTemp's random part). A run that changes
// file again has its fix still to do, so they hold nothing to keep.
func removeOldTemps(file string) {
	prefix := "." + filepath.Base(file) + ".gocompat-"
	matches, _ := filepath.Glob(filepath.Join(filepath.Dir(file), globEscape(prefix)+"*"))
	for _, m := range matches {
		rest := strings.TrimPrefix(filepath.Base(m), prefix)
		if rest != "" && strings.Trim(rest, "0123456789") == "" {
			if st, err := os.Lstat(m); err == nil && st.Mode().IsRegular() {
				os.Remove(m)
			}
		}
	}
}

// globEscape quotes the glob metacharacters of s.
func globEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`*?[\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
