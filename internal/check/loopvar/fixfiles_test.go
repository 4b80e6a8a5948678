package loopvar_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gocompat/gocompat/internal/check/loopvar"
)

// fixFileCases are files whose positions, as go/types sees them, name
// another file or other offsets than the bytes on disk: a //line
// directive (with and without a column) and a cgo file, which the go
// command hands to the analyzer as cgo's rewrite of it. The fix must
// land in the file that holds the loop, at the right place.
var fixFileCases = []struct {
	name, src, want string
	cgo             bool
}{
	{
		name: "line-directive-with-column",
		src: `package m

//line other.go:100:1
func F(xs []int) []func() int {
	var fs []func() int
	for _, x := range xs {
		fs = append(fs, func() int { return x })
	}
	return fs
}
`,
		want: `package m

//line other.go:100:1
func F(xs []int) []func() int {
	var fs []func() int
	for _, x := range xs {
		x := x
		fs = append(fs, func() int { return x })
	}
	return fs
}
`,
	},
	{
		name: "line-directive-without-column",
		src: `package m

//line other.go:100
func F(xs []int) []func() int {
	var fs []func() int
	for _, x := range xs {
		fs = append(fs, func() int { return x })
	}
	return fs
}
`,
		want: `package m

//line other.go:100
func F(xs []int) []func() int {
	var fs []func() int
	for _, x := range xs {
		x := x
		fs = append(fs, func() int { return x })
	}
	return fs
}
`,
	},
	{
		name: "cgo",
		cgo:  true,
		src: `package m

// #include <stdlib.h>
import "C"

func F(xs []int) []func() int {
	var fs []func() int
	for _, x := range xs {
		fs = append(fs, func() int { return x + int(C.abs(C.int(x))) })
	}
	return fs
}
`,
		want: `package m

// #include <stdlib.h>
import "C"

func F(xs []int) []func() int {
	var fs []func() int
	for _, x := range xs {
		x := x
		fs = append(fs, func() int { return x + int(C.abs(C.int(x))) })
	}
	return fs
}
`,
	},
}

// TestFixTargetsTheFileOnDisk: with either driver the edits name a.go,
// which holds the bytes, and applying them gives the wanted text; no
// other file is written, and other.go (named by the //line directive)
// stays as it was.
func TestFixTargetsTheFileOnDisk(t *testing.T) {
	t.Parallel()
	bin := buildGocompat(t)
	ctx := context.Background()
	for _, c := range fixFileCases {
		for _, driver := range []string{"in-process", "vet"} {
			t.Run(c.name+"/"+driver, func(t *testing.T) {
				if c.cgo {
					if _, err := exec.LookPath("gcc"); err != nil {
						t.Skip("cgo needs a C compiler (gcc) on PATH")
					}
				}
				dir := t.TempDir()
				write(t, filepath.Join(dir, "go.mod"), "module example.com/m\n\ngo 1.21\n")
				a := filepath.Join(dir, "a.go")
				write(t, a, c.src)
				// other.go is a Go file of the package, long enough to
				// hold a.go's offsets.
				other := filepath.Join(dir, "other.go")
				otherSrc := "package m\n\n// Other is here.\nvar Other = \"" + strings.Repeat("o", 300) + "\"\n"
				write(t, other, otherSrc)
				var res *loopvar.Result
				var err error
				if driver == "vet" {
					res, err = loopvar.AnalyzeVet(ctx, bin, dir, []string{"./..."})
				} else {
					res, err = loopvar.AnalyzeInProcess(ctx, dir, []string{"./..."})
				}
				if err != nil {
					t.Fatal(err)
				}
				if len(res.Edits) == 0 {
					t.Fatalf("no edits; findings: %v", res.Findings)
				}
				for _, e := range res.Edits {
					if e.File != a {
						t.Errorf("edit in %s, want %s", e.File, a)
					}
				}
				changes, err := loopvar.Changes(res.Edits)
				if err != nil {
					t.Fatal(err)
				}
				if len(changes) != 1 || changes[0].Skipped != 0 {
					t.Fatalf("changes = %+v, want one file, nothing skipped", changes)
				}
				if got := string(changes[0].New); got != c.want {
					t.Errorf("new a.go:\n%s\nwant:\n%s", got, c.want)
				}
				if b, err := os.ReadFile(other); err != nil || string(b) != otherSrc {
					t.Errorf("other.go changed: %v", err)
				}
			})
		}
	}
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// An edit that leaves the bytes as they are yields no change, so --fix
// does not rewrite the file.
func TestChangesSkipsIdenticalBytes(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.go")
	write(t, a, "package m\n")
	changes, err := loopvar.Changes([]loopvar.Edit{{File: a, Start: 0, End: 7, New: "package"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 0 {
		t.Errorf("changes = %+v, want none", changes)
	}
}
