package loopvar

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// applyFixture makes two files in two directories and their changes.
func applyFixture(t *testing.T) (dir string, files []string, changes []FileChange) {
	dir = t.TempDir()
	for i, sub := range []string{"a", "b"} {
		f := filepath.Join(dir, sub, sub+".go")
		if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
			t.Fatal(err)
		}
		old := []byte("package " + sub + "\n")
		if err := os.WriteFile(f, old, 0o640); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
		changes = append(changes, FileChange{File: f, Old: old, New: []byte("package " + sub + "\n\n// fixed " + string(rune('0'+i)) + "\n")})
	}
	return dir, files, changes
}

// leftovers lists what a run may leave: temporary files and journals.
func leftovers(t *testing.T, dir string) []string {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.Contains(d.Name(), ".gocompat-") {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func contents(t *testing.T, files []string) []string {
	var out []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(b))
	}
	return out
}

// A run stopped at each point a kill could hit (the step seam returns
// without any cleanup, as a kill would) leaves either every file as it
// was or, once committed, a journal from which Recover completes the
// run; after Recover no temporary file or journal is left, and the files
// are all old or all new, never a mix, and keep their permissions.
func TestApplyStoppedAndRecovered(t *testing.T) {
	points := []string{"prepared", "temp a.go", "temp b.go", "committed", "renamed a.go", "renamed b.go"}
	for i, at := range points {
		t.Run(at, func(t *testing.T) {
			dir, files, changes := applyFixture(t)
			var olds, news []string
			for _, c := range changes {
				olds, news = append(olds, string(c.Old)), append(news, string(c.New))
			}
			step := func(s string) error {
				if s == at {
					return errStop
				}
				return nil
			}
			if err := apply(dir, changes, step); !errors.Is(err, errStop) {
				t.Fatalf("apply = %v, want it stopped at %s", err, at)
			}
			committed := i >= slices.Index(points, "committed")
			if !committed && !slices.Equal(contents(t, files), olds) {
				t.Errorf("stopped before the commit, files changed: %q", contents(t, files))
			}
			if len(leftovers(t, dir)) == 0 && at != "renamed b.go" {
				t.Errorf("stopped at %s but nothing left to recover", at)
			}
			msg, err := Recover(dir)
			if err != nil {
				t.Fatal(err)
			}
			if msg == "" && at != "renamed b.go" {
				t.Error("Recover did nothing")
			}
			want := olds
			if committed {
				want = news
			}
			if got := contents(t, files); !slices.Equal(got, want) {
				t.Errorf("after Recover: %q, want %q", got, want)
			}
			if l := leftovers(t, dir); len(l) > 0 {
				t.Errorf("left behind: %v", l)
			}
			for _, f := range files {
				if st, _ := os.Stat(f); st.Mode().Perm() != 0o640 {
					t.Errorf("%s: mode %v, want 0640", f, st.Mode().Perm())
				}
			}
			// Recover is idempotent, and a new run applies cleanly.
			if msg, err := Recover(dir); err != nil || msg != "" {
				t.Errorf("second Recover = %q, %v", msg, err)
			}
			if err := Apply(dir, changes); err != nil && !committed {
				t.Fatal(err)
			}
			if l := leftovers(t, dir); len(l) > 0 {
				t.Errorf("left behind after Apply: %v", l)
			}
		})
	}
}

// A file that changed after the fixes were computed stops the run before
// anything is written to it, and the temporary files go.
func TestApplyRefusesChangedFile(t *testing.T) {
	dir, files, changes := applyFixture(t)
	if err := os.WriteFile(files[1], []byte("package b // edited\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	err := Apply(dir, changes)
	if err == nil || !strings.Contains(err.Error(), "changed while") {
		t.Fatalf("Apply = %v, want a refusal", err)
	}
	if got := contents(t, files); got[0] != string(changes[0].Old) {
		t.Errorf("a.go changed: %q", got[0])
	}
	if l := leftovers(t, dir); len(l) > 0 {
		t.Errorf("left behind: %v", l)
	}
}

// A journal that is not one is refused with a next step, not followed.
func TestRecoverRefusesBadJournal(t *testing.T) {
	dir := t.TempDir()
	for _, text := range []string{"{", `{"state":"committed","files":[{"file":"/etc/passwd","temp":"/tmp/x"}]}`} {
		if err := os.WriteFile(filepath.Join(dir, JournalName), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Recover(dir); err == nil || !strings.Contains(err.Error(), "move it away") {
			t.Errorf("Recover(%s) = %v", text, err)
		}
	}
}

// Temporary files that gocompat before the journal left beside a file
// (".a.go.gocompat-123456789", os.CreateTemp's name) go when a run
// changes that file; others that only look alike stay.
func TestApplyRemovesOldTemps(t *testing.T) {
	dir, files, changes := applyFixture(t)
	old := filepath.Join(filepath.Dir(files[0]), ".a.go.gocompat-123456789")
	keep := filepath.Join(filepath.Dir(files[0]), ".a.go.gocompat-notes")
	for _, f := range []string{old, keep} {
		if err := os.WriteFile(f, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := Apply(dir, changes); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(old); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s left: %v", old, err)
	}
	if _, err := os.Stat(keep); err != nil {
		t.Errorf("%s removed: %v", keep, err)
	}
}
