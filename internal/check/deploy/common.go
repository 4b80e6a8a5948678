package deploy

import (
	"context"
	"fmt"
	"go/version"
	"strings"
	"time"

	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/gosrc"
)

// Input is what the checks know besides the file they judge.
type Input struct {
	// Module is the Go module the file belongs to (the nearest go.mod at
	// or above it), or nil if none is known. For a Dockerfile stage or a
	// unit, the module that holds the program it builds or runs takes its
	// place where it is known.
	Module *gosrc.RepoModule
	// ModFile is that module's go.mod relative to the audit root.
	ModFile string
	// Repo is the repository's Go source, from which the program a stage
	// builds or a unit runs is loaded; nil if there is none.
	Repo *gosrc.Repo
	// Now is the date for end-of-support decisions.
	Now time.Time
	// Godebugs are the GODEBUG names the installed toolchain knows, and
	// GodebugsRemoved those it lists as removed (name -> release).
	Godebugs        []string
	GodebugsRemoved map[string]string
	// Exists reports whether a path relative to the audit root exists;
	// nil means nothing is known to exist.
	Exists func(rel string) bool
	// Context bounds the go command that loading a program runs to find
	// the packages of other modules (Repo.Loader); nil means
	// context.Background().
	Context context.Context
}

func (in *Input) exists(rel string) bool { return in.Exists != nil && in.Exists(rel) }

// withModule returns a copy of in for the module m (nil keeps in's).
func (in *Input) withModule(m *gosrc.RepoModule) *Input {
	if m == nil || m.Mod == nil || m == in.Module {
		return in
	}
	c := *in
	c.Module, c.ModFile = m, m.GoMod()
	return &c
}

// program loads the program built from the main package in dir for t;
// nil when there is no repository or it cannot be loaded.
func (in *Input) program(dir string, t gosrc.Target) *gosrc.Program {
	if in.Repo == nil {
		return nil
	}
	ctx := in.Context
	if ctx == nil {
		ctx = context.Background()
	}
	p, err := in.Repo.Program(ctx, dir, t, facts.SdNotifyMarker)
	if err != nil {
		return nil
	}
	return p
}

// dependenciesNotRead is the one finding, at l, that the program's
// packages from other modules could not be had (offline, GOPROXY=off, a
// go.sum entry missing): the checks then judge the repository's code
// alone, and what is missed says what.
func dependenciesNotRead(c finding.Check, p *gosrc.Program, l finding.Location, missed string) []finding.Finding {
	if p == nil || p.Unread == "" || len(p.External) == 0 {
		return nil
	}
	fd := finding.New(c, l,
		fmt.Sprintf("The program built from %s imports %d package(s) from other modules (e.g. %s) that the go command could not provide: %s. They were not read, %s.",
			p.Path, len(p.External), p.External[0], finding.Clip(p.Unread), missed),
		"Let the go command have the modules (network access to GOPROXY, or `go mod download` in the module; a missing go.sum entry: `go mod tidy`), then run again.")
	return []finding.Finding{withDetails(fd, "program", p.Path, "unread", strings.Join(p.External, " "), "error", p.Unread)}
}

// goLine returns the module's go line as a go/version string ("go1.24").
func (in *Input) goLine() string {
	if in.Module == nil || in.Module.Mod == nil || in.Module.Mod.Go == "" {
		return ""
	}
	return facts.NormalizeGo(in.Module.Mod.Go)
}

func (in *Input) toolchainLine() string {
	if in.Module == nil || in.Module.Mod == nil || in.Module.Mod.Toolchain == "" {
		return ""
	}
	if !version.IsValid(in.Module.Mod.Toolchain) {
		return ""
	}
	return in.Module.Mod.Toolchain
}

func (in *Input) goModRef() string {
	if in.ModFile == "" {
		return "go.mod"
	}
	return in.ModFile
}

// satisfies reports whether Go version have (an image tag or setup-go
// version: "1.22" means the newest 1.22.x) is at least need ("go1.22.5").
func satisfies(have, need string) bool {
	h := facts.NormalizeGo(have)
	if h == "" || need == "" {
		return true
	}
	if version.Lang(h) == h && version.Lang(h) == version.Lang(need) {
		// A language-only version ("1.22") pulls the newest patch.
		return true
	}
	return version.Compare(h, need) >= 0
}

// setupGoVersion reduces an actions/setup-go version spec to a Go version
// when it names one: "1.22", "1.22.x", "1.22.3", "go1.22". Ranges
// ("^1.22", ">=1.21"), aliases ("stable") and expressions give "".
func setupGoVersion(v string) string {
	v = strings.TrimSpace(strings.Trim(v, `"'`))
	v = strings.TrimSuffix(v, ".x")
	v = strings.TrimSuffix(v, ".*")
	if v == "" || strings.ContainsAny(v, "^~<>=|*$ {}") {
		return ""
	}
	return facts.NormalizeGo(v)
}

// display turns "go1.22" into "Go 1.22".
func display(v string) string {
	return "Go " + lang(v)
}

// lang turns "go1.22" into "1.22", as a go line writes it.
func lang(v string) string {
	return strings.TrimPrefix(v, "go")
}

func loc(file string, line int) finding.Location {
	return finding.Location{File: file, Line: line}
}

func withDetails(f finding.Finding, kv ...string) finding.Finding {
	if f.Details == nil {
		f.Details = map[string]string{}
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			f.Details[kv[i]] = kv[i+1]
		}
	}
	return f
}

func addSources(f finding.Finding, ss ...finding.Source) finding.Finding {
	for _, s := range ss {
		dup := false
		for _, have := range f.Sources {
			if have == s {
				dup = true
			}
		}
		if !dup {
			f.Sources = append(f.Sources, s)
		}
	}
	return f
}

// unsupported says whether Go version v (any form) is past end of
// support at now, and when support ended.
func unsupported(v string, now time.Time) (bool, string) {
	n := facts.NormalizeGo(v)
	if n == "" {
		return false, ""
	}
	ok, known, r := facts.SupportStatus(n, now)
	if !known || ok {
		return false, ""
	}
	return true, r.Unsupported.Format("2006-01-02")
}

// godebugKeys splits a GODEBUG value into its keys.
func godebugKeys(v string) []string {
	var keys []string
	for _, kv := range strings.Split(v, ",") {
		k, _, _ := strings.Cut(strings.TrimSpace(kv), "=")
		if k != "" {
			keys = append(keys, k)
		}
	}
	return keys
}

// godebugCheck reports the keys of a GODEBUG value that the toolchain's
// table does not have, or lists as removed by Go version goV ("" =
// unknown, taken as current).
func godebugCheck(in *Input, c finding.Check, value, goV string, l finding.Location) []finding.Finding {
	known := map[string]bool{}
	for _, k := range in.Godebugs {
		known[k] = true
	}
	if len(known) == 0 {
		return nil
	}
	var out []finding.Finding
	for _, k := range godebugKeys(value) {
		if rel, ok := in.GodebugsRemoved[k]; ok && (goV == "" || version.Compare(goV, rel) >= 0) {
			fd := finding.New(c, l,
				fmt.Sprintf("GODEBUG sets %s, which Go removed in %s: from that release on the setting is ignored and the old behaviour it asked for is gone.", k, display(rel)),
				fmt.Sprintf("Remove %s from GODEBUG and fix what depended on the old behaviour.", k))
			out = append(out, withDetails(fd, "key", k, "removedIn", rel))
			continue
		}
		if !known[k] {
			fd := finding.New(c, l,
				fmt.Sprintf("GODEBUG sets %s, which is not a setting of the Go toolchain's table (internal/godebugs and the runtime's own settings); the runtime ignores unknown keys, so it does nothing.", k),
				"Check the spelling against https://go.dev/doc/godebug, or remove it.")
			out = append(out, withDetails(fd, "key", k))
		}
	}
	return out
}
