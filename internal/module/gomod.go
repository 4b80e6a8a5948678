// Package module finds the Go modules and workspaces under a directory and
// reads from them what checks need: the go, toolchain and godebug lines of
// go.mod and go.work (with their line numbers), the //go:debug directives
// of main packages and test files, and, per source file, its imports and
// the calls it makes through a package or a value.
//
// It only extracts. It never writes, never runs the go command and never
// judges: an unusual go line is reported as read. Bad input gives an error
// that names the file.
package module

import (
	"fmt"
	"path/filepath"
	"strings"

	"golang.org/x/mod/modfile"
)

// Directive is a key=value setting on a line: a godebug line of go.mod or
// go.work, or a //go:debug directive.
type Directive struct {
	Key   string `json:"key"`
	Value string `json:"value"`
	Line  int    `json:"line"`
}

// Span is the byte range of a line in its file, so that a copy can be
// edited without reformatting the rest.
type Span struct {
	Start, End int
}

// GoMod is what a go.mod file says about the Go version and GODEBUG.
type GoMod struct {
	// File is the name the file was parsed under.
	File       string
	Module     string
	ModuleLine int
	// Go is the go line's version ("1.21", "1.22.3"); "" without one.
	Go     string
	GoLine int
	GoSpan Span
	// Toolchain is the toolchain line's name ("go1.22.1"); "" without one.
	Toolchain     string
	ToolchainLine int
	ToolchainSpan Span
	Godebug       []Directive
	// Requires are the required module paths.
	Requires []string
	// LocalReplaces maps a module path to the directory a replace
	// directive puts in its place, when that is a file path ("../api"),
	// as written (slash-separated, relative to the go.mod's directory).
	LocalReplaces map[string]string
}

// ParseGoMod parses go.mod data. filename is used in errors.
func ParseGoMod(filename string, data []byte) (*GoMod, error) {
	f, err := modfile.Parse(filename, data, nil)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", filename, trimErr(err, filename))
	}
	return goModOf(filename, f), nil
}

// ParseGoModLax is ParseGoMod for a go.mod that a newer go command may
// have written: lines this version of golang.org/x/mod does not know are
// skipped instead of failing the parse (modfile.ParseLax), so the go,
// toolchain and godebug lines are still read. A go.mod that is not even
// that is an error, as with ParseGoMod.
func ParseGoModLax(filename string, data []byte) (*GoMod, error) {
	m, err := ParseGoMod(filename, data)
	if err == nil {
		return m, nil
	}
	f, errLax := modfile.ParseLax(filename, data, nil)
	if errLax != nil {
		return nil, err
	}
	return goModOf(filename, f), nil
}

// GodebugValue returns the value of a godebug line's key.
func (m *GoMod) GodebugValue(key string) (string, bool) {
	for _, d := range m.Godebug {
		if d.Key == key {
			return d.Value, true
		}
	}
	return "", false
}

func goModOf(filename string, f *modfile.File) *GoMod {
	m := &GoMod{File: filename}
	if f.Module != nil {
		m.Module = f.Module.Mod.Path
		m.ModuleLine = f.Module.Syntax.Start.Line
	}
	if f.Go != nil {
		m.Go = f.Go.Version
		m.GoLine = f.Go.Syntax.Start.Line
		m.GoSpan = Span{f.Go.Syntax.Start.Byte, f.Go.Syntax.End.Byte}
	}
	if f.Toolchain != nil {
		m.Toolchain = f.Toolchain.Name
		m.ToolchainLine = f.Toolchain.Syntax.Start.Line
		m.ToolchainSpan = Span{f.Toolchain.Syntax.Start.Byte, f.Toolchain.Syntax.End.Byte}
	}
	for _, g := range f.Godebug {
		m.Godebug = append(m.Godebug, Directive{Key: g.Key, Value: g.Value, Line: g.Syntax.Start.Line})
	}
	for _, r := range f.Require {
		m.Requires = append(m.Requires, r.Mod.Path)
	}
	for _, r := range f.Replace {
		if modfile.IsDirectoryPath(r.New.Path) {
			if m.LocalReplaces == nil {
				m.LocalReplaces = map[string]string{}
			}
			m.LocalReplaces[r.Old.Path] = filepath.ToSlash(r.New.Path)
		}
	}
	return m
}

// GoWork is what a go.work file says.
type GoWork struct {
	File          string
	Go            string
	GoLine        int
	Toolchain     string
	ToolchainLine int
	Godebug       []Directive
	// Use lists the module directories, as written (relative to the
	// go.work file's directory unless absolute).
	Use []Use
}

// Use is one use line of go.work.
type Use struct {
	Dir  string
	Line int
}

// ParseGoWork parses go.work data. filename is used in errors.
func ParseGoWork(filename string, data []byte) (*GoWork, error) {
	f, err := modfile.ParseWork(filename, data, nil)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", filename, trimErr(err, filename))
	}
	w := &GoWork{File: filename}
	if f.Go != nil {
		w.Go = f.Go.Version
		w.GoLine = f.Go.Syntax.Start.Line
	}
	if f.Toolchain != nil {
		w.Toolchain = f.Toolchain.Name
		w.ToolchainLine = f.Toolchain.Syntax.Start.Line
	}
	for _, g := range f.Godebug {
		w.Godebug = append(w.Godebug, Directive{Key: g.Key, Value: g.Value, Line: g.Syntax.Start.Line})
	}
	for _, u := range f.Use {
		w.Use = append(w.Use, Use{Dir: u.Path, Line: u.Syntax.Start.Line})
	}
	return w, nil
}

// trimErr keeps modfile's "file:line: msg" errors but drops a repeated
// file name prefix so that ours ("parse FILE: ") is not doubled.
func trimErr(err error, filename string) error {
	msg := err.Error()
	if !strings.Contains(msg, filename+":") {
		return err
	}
	return fmt.Errorf("%s", strings.ReplaceAll(msg, filename+":", "line "))
}
