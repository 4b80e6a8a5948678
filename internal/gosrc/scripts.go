package gosrc

import (
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

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
		for _, cmd := range splitCommands(trimmed) {
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

// splitCommands splits a shell line at ;, &&, || and | (outside quotes).
func splitCommands(s string) []string {
	var out []string
	var cur strings.Builder
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
			cur.WriteByte(c)
		case c == '"' || c == '\'':
			quote = c
			cur.WriteByte(c)
		case c == ';' || c == '|' || c == '&':
			if i+1 < len(s) && (s[i+1] == '|' || s[i+1] == '&') {
				i++
			}
			out = append(out, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(c)
		}
	}
	return append(out, cur.String())
}

// parseGoBuild reads `go build [flags] [packages]` from a command's
// words (after any prefix such as env, run or VAR=value): the -o
// value's last element and exactly one package. A word that is only a
// variable's expansion is taken for flags; with no literal package
// beside it the package is unknown and the command skipped.
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
	var out, pkg string
	npkg, expansions := 0, 0
	for i := k + 2; i < len(words); i++ {
		w := strings.Trim(words[i], `"'`)
		switch {
		case w == "-o" || w == "--o":
			if i+1 < len(words) {
				out = strings.Trim(words[i+1], `"'`)
				i++
			}
		case strings.HasPrefix(w, "-o=") || strings.HasPrefix(w, "--o="):
			_, out, _ = strings.Cut(w, "=")
		case strings.HasPrefix(w, "-"):
			if flagTakesValue(w) && i+1 < len(words) {
				i++
			}
		case strings.HasPrefix(w, "$"):
			expansions++
		case w == ")" || w == "":
		default:
			pkg = strings.TrimRight(w, ")")
			npkg++
		}
	}
	if npkg == 0 && expansions == 0 {
		pkg, npkg = ".", 1
	}
	name := path.Base(strings.TrimSuffix(out, "/"))
	if out == "" || npkg != 1 || strings.HasSuffix(out, "/") || strings.ContainsAny(name, "$`*?{}()") ||
		name == "." || name == "/" || strings.ContainsAny(pkg, "$`*") || strings.Contains(pkg, "...") {
		return scriptBuild{}, false
	}
	return scriptBuild{name: name, pkg: pkg}, true
}

// flagTakesValue is whether a go build flag written without = takes
// the next word as its value.
func flagTakesValue(w string) bool {
	if strings.Contains(w, "=") {
		return false
	}
	switch strings.TrimLeft(w, "-") {
	case "ldflags", "gcflags", "asmflags", "gccgoflags", "tags", "mod", "modfile", "pkgdir", "p", "installsuffix", "buildmode", "compiler", "overlay", "pgo", "toolexec", "C":
		return true
	}
	return false
}
