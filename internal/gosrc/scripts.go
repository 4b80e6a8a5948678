package gosrc

import (
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/gocompat/gocompat/internal/dockerfile"
	"github.com/gocompat/gocompat/internal/fsread"
)

// A repository's build scripts often name a program otherwise than go
// build would: etcd v3.5.9's build.sh builds server/ (whose binary go
// build calls "server") with -o ../bin/etcd, and its systemd unit runs
// /usr/bin/etcd. isBuildScript says which files are read for such
// renames: shell scripts and makefiles.
func isBuildScript(name string) bool {
	switch name {
	case "Makefile", "makefile", "GNUmakefile":
		return true
	}
	return strings.HasSuffix(name, ".sh") || strings.HasSuffix(name, ".mk")
}

// ScriptBuild is one `go build -o NAME PKG` of a build script.
type ScriptBuild struct {
	// Name is the program's file name, the last element of -o.
	Name string
	// Dir is the main package's directory relative to the repository
	// root, slash-separated.
	Dir string
	// Script and Line are where the go build is, relative to the root.
	Script string
	Line   int
}

// ScriptBuilds reads the repository's build scripts (once) and returns
// the go build commands in them that give a main package of the
// repository a file name of their own with -o. Only what reads without
// guessing counts: an -o whose last element is literal, a package given
// as a relative directory or an import path of one of the repository's
// modules, and `cd DIR` lines (literal DIR) before it within the same
// subshell or function; a command the reading cannot place is skipped,
// never matched to a package it might not build.
func (r *Repo) ScriptBuilds() []ScriptBuild {
	r.scriptOnce.Do(func() {
		for _, s := range r.scripts {
			data, err := fsread.ReadFile(filepath.Join(r.Root, filepath.FromSlash(s)), fsread.ConfigLimit)
			if err != nil {
				continue
			}
			for _, b := range parseScriptBuilds(string(data), !strings.HasSuffix(s, ".sh")) {
				for _, dir := range r.scriptPackage(path.Dir(s), b.cd, b.pkg) {
					r.scriptBuilds = append(r.scriptBuilds, ScriptBuild{Name: b.name, Dir: dir, Script: s, Line: b.line})
				}
			}
		}
		sort.Slice(r.scriptBuilds, func(i, j int) bool {
			a, b := r.scriptBuilds[i], r.scriptBuilds[j]
			if a.Script != b.Script {
				return a.Script < b.Script
			}
			return a.Line < b.Line
		})
	})
	return r.scriptBuilds
}

// scriptPackage is the directory of the main package that pkg, a go
// build argument read in a script in directory scriptDir after `cd cd`,
// names: the script's directory and the repository root are both tried
// as where the script runs, and only a main package counts.
func (r *Repo) scriptPackage(scriptDir, cd, pkg string) []string {
	var cands []string
	if isRelativePattern(pkg) {
		for _, base := range []string{scriptDir, "."} {
			cands = append(cands, path.Clean(path.Join(base, cd, pkg)))
		}
	} else {
		for _, m := range r.Modules {
			if m.Mod == nil || m.Mod.Module == "" {
				continue
			}
			if pkg == m.Mod.Module {
				cands = append(cands, m.Dir)
			} else if rest, ok := strings.CutPrefix(pkg, m.Mod.Module+"/"); ok {
				cands = append(cands, path.Join(m.Dir, rest))
			}
		}
	}
	var out []string
	for _, d := range cands {
		if strings.HasPrefix(d, "../") || d == ".." || !r.HasDir(d) || slices.Contains(out, d) {
			continue
		}
		if pi := r.importDir(d, "", false, DefaultTarget); pi.err == nil && pi.name == "main" {
			out = append(out, d)
		}
	}
	return out
}

func isRelativePattern(p string) bool {
	return p == "." || p == ".." || strings.HasPrefix(p, "./") || strings.HasPrefix(p, "../")
}

// scriptBuild is a go build read from a script, before its package is
// placed in the repository.
type scriptBuild struct {
	name, cd, pkg string
	line          int
}

// unknownDir is the cd state after a cd whose directory is not literal.
const unknownDir = "\x00"

// onlyExpansion matches a word that is one variable's expansion and
// nothing else ($X, ${X...}, $(X)).
var onlyExpansion = regexp.MustCompile(`^\$(\w+|\{[^}]*\}|\([^)]*\))$`)

var goCommand = regexp.MustCompile(`^(go|\$[({]GO[A-Z_]*[)}])$`)

// parseScriptBuilds reads the go build commands of a shell script or
// makefile: logical lines (backslash continuations joined), split into
// commands at ;, &&, || and |, with the literal `cd DIR` in force. A cd
// lasts in a script until the subshell or function ends (a line starting
// with ")" or "}"), and in a makefile, whose recipe lines each run in a
// shell of their own, to the end of its line.
func parseScriptBuilds(src string, makefile bool) []scriptBuild {
	var out []scriptBuild
	cd := ""
	lines := strings.Split(src, "\n")
	for i := 0; i < len(lines); i++ {
		start := i
		line := lines[i]
		for strings.HasSuffix(line, "\\") && i+1 < len(lines) {
			i++
			line = strings.TrimSuffix(line, "\\") + " " + lines[i]
		}
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "#") {
			continue
		}
		// The end of a subshell or function ends the cd made in it.
		if strings.HasPrefix(trimmed, ")") || strings.HasPrefix(trimmed, "}") {
			cd = ""
		}
		lineCD := cd
		for _, cmd := range dockerfile.SplitCommands(trimmed) {
			words := strings.Fields(cmd)
			for len(words) > 0 && (words[0] == "(" || words[0] == "@" || words[0] == "-") {
				words = words[1:]
			}
			if len(words) == 0 {
				continue
			}
			if w0 := strings.TrimLeft(words[0], "(@-"); w0 == "cd" {
				if len(words) < 2 {
					lineCD = ""
					continue
				}
				d := strings.Trim(words[1], `"')`)
				switch {
				case strings.ContainsAny(d, "$`~") || strings.HasPrefix(d, "/") || d == "-":
					lineCD = unknownDir
				case lineCD != unknownDir:
					lineCD = path.Clean(path.Join(lineCD, d))
				}
				continue
			}
			if b, ok := parseGoBuild(words); ok && lineCD != unknownDir {
				b.cd, b.line = lineCD, start+1
				out = append(out, b)
			}
		}
		// A one-line subshell, (cd x && go build ...), keeps its cd.
		oneLine := strings.HasPrefix(trimmed, "(") && strings.Contains(trimmed, ")")
		if !makefile && !oneLine {
			cd = lineCD
		}
	}
	return out
}

// parseGoBuild reads `go build [flags] [packages]` from a command's
// words (after any prefix such as env, run or VAR=value) with the
// Dockerfile checks' reader of go commands (dockerfile.ParseGoCommand):
// the -o value's last element and exactly one package. Variables are not
// expanded, since a script's values are unknown here: a word that is
// only a variable's expansion is taken for flags, and with no literal
// package beside it the package is unknown and the command skipped.
func parseGoBuild(words []string) (scriptBuild, bool) {
	k := -1
	for i := 0; i+1 < len(words); i++ {
		if goCommand.MatchString(strings.TrimLeft(words[i], "(@-")) && words[i+1] == "build" {
			k = i
			break
		}
	}
	if k < 0 {
		return scriptBuild{}, false
	}
	ws := []string{"go"}
	expansions := 0
	for _, w := range words[k+1:] {
		w = strings.TrimRight(strings.Trim(w, `"'`), ")")
		switch {
		case onlyExpansion.MatchString(w):
			expansions++
		case w != "":
			ws = append(ws, w)
		}
	}
	g := dockerfile.ParseGoCommand(ws)
	if g == nil || g.Verb != "build" {
		return scriptBuild{}, false
	}
	out, pkgs := strings.Trim(g.Flags["-o"], `"'`), g.Packages
	if len(pkgs) == 0 && expansions == 0 {
		pkgs = []string{"."}
	}
	if len(pkgs) != 1 {
		return scriptBuild{}, false
	}
	pkg := pkgs[0]
	name := path.Base(strings.TrimSuffix(out, "/"))
	if out == "" || strings.HasSuffix(out, "/") || strings.ContainsAny(name, "$`*?{}()") ||
		name == "." || name == "/" || strings.ContainsAny(pkg, "$`*") || strings.Contains(pkg, "...") {
		return scriptBuild{}, false
	}
	return scriptBuild{name: name, pkg: pkg}, true
}
