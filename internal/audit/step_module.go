package audit

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/modfile"

	"github.com/gocompat/gocompat/internal/discover"
	"github.com/gocompat/gocompat/internal/finding"
)

// GoModInvalid is reported when the audited directory's go.mod does not
// parse. The checks that need the module (loopvar, upgrade) then stand
// aside instead of failing with the go command's error.
var GoModInvalid = finding.Check{
	ID:       "module/go-mod-invalid",
	Title:    "go.mod does not parse, so no go command works in this module",
	Severity: finding.Error,
	Sources:  []finding.Source{{Title: "Go Modules Reference: go.mod files", URL: "https://go.dev/ref/mod#go-mod-file"}},
}

// goModErrors parses dir/go.mod and returns its syntax errors as
// findings; nil when there is no go.mod or it parses.
func goModErrors(dir string) []finding.Finding {
	data, err := discover.ReadFile(filepath.Join(dir, "go.mod"), discover.MaxConfigFile)
	if err != nil {
		return nil
	}
	_, err = modfile.Parse("go.mod", data, nil)
	if err == nil {
		return nil
	}
	fix := "Fix the line (the go command reports the same error for every command run in this module); `go mod edit -fmt` shows whether the file parses."
	var list modfile.ErrorList
	if !errors.As(err, &list) || len(list) == 0 {
		return []finding.Finding{finding.New(GoModInvalid, finding.Location{File: "go.mod", Line: 1},
			fmt.Sprintf("go.mod does not parse: %v.", err), fix)}
	}
	var out []finding.Finding
	for _, e := range list {
		msg := e.Err.Error()
		if e.Verb != "" {
			msg = e.Verb + ": " + msg
		}
		msg = strings.ReplaceAll(msg, "go.mod:", "line ")
		out = append(out, finding.New(GoModInvalid, finding.Location{File: "go.mod", Line: e.Pos.Line, Column: e.Pos.LineRune},
			"go.mod does not parse: "+msg+".", fix))
	}
	return out
}

func init() { Register(moduleStep()) }

// moduleStep reports a go.mod that does not parse.
func moduleStep() Step {
	return Step{
		Family:  "module",
		Order:   20,
		Needs:   []string{NeedModule},
		Checks:  []finding.Check{GoModInvalid},
		Applies: func(t *Target) bool { return fileExists(filepath.Join(t.Dir, "go.mod")) },
		Run: func(ctx context.Context, t *Target) (Result, error) {
			return Result{Findings: t.goModErrors()}, nil
		},
	}
}

// goModErrors is goModErrors(t.Dir), read once per audit: the module step
// reports it, and the loopvar and upgrade steps ask it whether to run.
func (t *Target) goModErrors() []finding.Finding {
	t.goModOnce.Do(func() { t.goModErrs = goModErrors(t.Dir) })
	return t.goModErrs
}

// goModParses is false when the audited directory has a go.mod that does
// not parse.
func (t *Target) goModParses() bool { return t.goModErrors() == nil }

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}
