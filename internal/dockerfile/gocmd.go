package dockerfile

import (
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// goValueFlags are the go build flags that take a value
// (cmd/go/internal/work/build.go, AddBuildFlags).
var goValueFlags = map[string]bool{
	"-o": true, "-p": true, "-asmflags": true, "-buildmode": true,
	"-compiler": true, "-gccgoflags": true, "-gcflags": true,
	"-installsuffix": true, "-ldflags": true, "-mod": true, "-modfile": true,
	"-overlay": true, "-pgo": true, "-pkgdir": true, "-tags": true,
	"-toolexec": true, "-C": true, "-covermode": true, "-coverpkg": true,
	"-exec": true,
}

// SplitCommands splits a shell script into simple commands on unquoted
// newlines, ;, &, && , || and |, and at subshell and group brackets.
// Quotes and backslash escapes are respected, and comments dropped;
// everything else about the shell is not. Build scripts outside
// Dockerfiles (package gosrc) are read with it too.
func SplitCommands(script string) []string {
	var cmds []string
	var cur strings.Builder
	var quote rune
	flush := func() {
		if s := strings.TrimSpace(cur.String()); s != "" {
			cmds = append(cmds, s)
		}
		cur.Reset()
	}
	rs := []rune(script)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case quote != 0:
			cur.WriteRune(r)
			if r == '\\' && quote == '"' && i+1 < len(rs) {
				i++
				cur.WriteRune(rs[i])
			} else if r == quote {
				quote = 0
			}
		case r == '\\' && i+1 < len(rs):
			if rs[i+1] == '\n' {
				i++
				cur.WriteRune(' ')
				continue
			}
			cur.WriteRune(r)
			i++
			cur.WriteRune(rs[i])
		case r == '\'' || r == '"':
			quote = r
			cur.WriteRune(r)
		case r == '$' && i+1 < len(rs) && (rs[i+1] == '{' || rs[i+1] == '('):
			// ${VAR}, $(command) and $((arithmetic)) are one word, not
			// a group or a subshell: copy them to the matching bracket.
			open, close := rs[i+1], map[rune]rune{'{': '}', '(': ')'}[rs[i+1]]
			depth := 0
			for ; i < len(rs); i++ {
				cur.WriteRune(rs[i])
				if rs[i] == open {
					depth++
				} else if rs[i] == close {
					if depth--; depth == 0 {
						break
					}
				}
			}
		case r == '#' && blank(&cur):
			// A comment runs to the end of the line.
			for i < len(rs) && rs[i] != '\n' {
				i++
			}
			flush()
		case r == '\n' || r == ';' || r == '&' || r == '|' || r == '(' || r == ')' || r == '{' || r == '}':
			flush()
		default:
			cur.WriteRune(r)
		}
	}
	flush()
	return cmds
}

// blank reports whether b holds only blanks (it is short when it does not,
// since only a comment's start is tested).
func blank(b *strings.Builder) bool {
	for _, r := range b.String() {
		if r != ' ' && r != '\t' {
			return false
		}
	}
	return true
}

// findGoCommands finds go build / go install in a shell-form RUN script.
// env is what the RUN's shell starts with; `export` and plain assignments
// earlier in the script are added for later commands.
func findGoCommands(lex *shell.Lex, script string, env map[string]string, wd string) []*GoCommand {
	vars := map[string]string{}
	for k, v := range env {
		vars[k] = v
	}
	exported := map[string]string{}
	var out []*GoCommand
	for _, c := range SplitCommands(script) {
		var words []string
		var err error
		if lexable(c) {
			words, err = lex.ProcessWords(c, shell.EnvsFromSlice(envSlice(vars)))
		}
		if err != nil || len(words) == 0 {
			words = strings.Fields(c)
		}
		if len(words) == 0 {
			continue
		}
		if words[0] == "cd" && len(words) > 1 {
			wd = joinPath(wd, words[1])
			continue
		}
		if words[0] == "export" {
			for _, w := range words[1:] {
				if k, v, ok := strings.Cut(w, "="); ok && validName(k) {
					vars[k] = v
					exported[k] = v
				}
			}
			continue
		}
		inline := map[string]string{}
		for k, v := range exported {
			inline[k] = v
		}
		i := 0
		for i < len(words) {
			k, v, ok := strings.Cut(words[i], "=")
			if !ok || !validName(k) {
				break
			}
			inline[k] = v
			i++
		}
		if i == len(words) {
			// Only assignments: shell variables for later commands.
			for k, v := range inline {
				vars[k] = v
			}
			continue
		}
		rest := words[i:]
		for len(rest) > 0 && rest[0] == "env" {
			// env [-flags] [NAME=value]... command; `env A=1 env B=2 go`
			// chains.
			rest = rest[1:]
			for len(rest) > 0 {
				if strings.HasPrefix(rest[0], "-") {
					rest = rest[1:]
					continue
				}
				k, v, ok := strings.Cut(rest[0], "=")
				if !ok || !validName(k) {
					break
				}
				inline[k] = v
				rest = rest[1:]
			}
		}
		out = append(out, goCommandFromWords(rest, inline, wd)...)
	}
	return out
}

// ParseGoCommand reads a command's words, variables already expanded or
// left out by the caller, as `go build`, `go install`, `go run` or
// `make`; nil for any other command.
func ParseGoCommand(words []string) *GoCommand {
	if gs := goCommandFromWords(words, nil, ""); len(gs) > 0 {
		return gs[0]
	}
	return nil
}

// goCommandFromWords recognises `go build …`, `go install …`, `go run …`
// and `make …` (which builds through the go command or not: the stage's
// image tells).
func goCommandFromWords(words []string, env map[string]string, wd string) []*GoCommand {
	if len(words) >= 1 && (path.Base(words[0]) == "make" || path.Base(words[0]) == "gmake") {
		if env == nil {
			env = map[string]string{}
		}
		return []*GoCommand{{Verb: "make", Words: append([]string(nil), words...), Env: env, Flags: map[string]string{}, Workdir: wd}}
	}
	if len(words) < 2 || path.Base(words[0]) != "go" {
		return nil
	}
	verb := words[1]
	if verb != "build" && verb != "install" && verb != "run" {
		return nil
	}
	g := &GoCommand{Verb: verb, Words: append([]string(nil), words...), Env: env, Flags: map[string]string{}, Workdir: wd}
	if g.Env == nil {
		g.Env = map[string]string{}
	}
	args := words[2:]
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			g.Packages = append(g.Packages, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			if verb == "run" {
				// go run PKG [arguments to the program]; with .go files,
				// the files come first.
				g.Packages = append(g.Packages, a)
				for _, b := range args[i+1:] {
					if !strings.HasSuffix(a, ".go") || !strings.HasSuffix(b, ".go") {
						break
					}
					g.Packages = append(g.Packages, b)
				}
				break
			}
			g.Packages = append(g.Packages, a)
			continue
		}
		name := "-" + strings.TrimLeft(a, "-")
		if k, v, ok := strings.Cut(name, "="); ok {
			g.Flags[k] = v
			continue
		}
		if goValueFlags[name] {
			if i+1 < len(args) {
				g.Flags[name] = args[i+1]
				i++
			}
			continue
		}
		g.Flags[name] = "true"
	}
	return []*GoCommand{g}
}

func validName(k string) bool {
	if k == "" {
		return false
	}
	for i, r := range k {
		if !(r == '_' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

func envSlice(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k, v := range m {
		out = append(out, k+"="+v)
	}
	return out
}

// Output returns where the command writes its binary, as an absolute path
// in the build stage, and whether it could tell. For `go build -o x` it is
// x (a directory when it ends in "/"); without -o, go build writes the
// package directory's base name into the working directory, and go
// install writes to $GOBIN or $GOPATH/bin. modulePath names the binary
// of the package in the working directory (assumed the module root).
func (g *GoCommand) Output(stageEnv map[string]string, modulePath string) (string, bool) {
	if g.Verb == "run" || g.Verb == "make" {
		// go run builds into a temporary directory and runs it; what make
		// does is in the Makefile.
		return "", false
	}
	get := func(k string) string {
		if v, ok := g.Env[k]; ok {
			return v
		}
		return stageEnv[k]
	}
	if o, ok := g.Flags["-o"]; ok {
		out := joinPath(g.Workdir, o)
		if strings.HasSuffix(o, "/") {
			out += "/"
		}
		return out, true
	}
	name := ""
	switch {
	case len(g.Packages) == 0 || len(g.Packages) == 1 && (g.Packages[0] == "." || g.Packages[0] == "./"):
		// The package in the working directory: named after its import
		// path, which at a module's root is the module path.
		if modulePath == "" {
			return "", false
		}
		name = exeName(modulePath)
	case len(g.Packages) == 1 && !strings.Contains(g.Packages[0], "..."):
		p := g.Packages[0]
		if i := strings.Index(p, "@"); i >= 0 {
			p = p[:i]
		}
		if strings.HasSuffix(p, ".go") {
			name = strings.TrimSuffix(path.Base(p), ".go")
		} else {
			name = exeName(strings.TrimSuffix(p, "/"))
		}
	default:
		if g.Verb == "build" && len(g.Packages) > 0 && strings.HasSuffix(g.Packages[0], ".go") {
			name = strings.TrimSuffix(path.Base(g.Packages[0]), ".go")
			break
		}
		return "", false
	}
	if name == "" || name == "." || name == "/" {
		return "", false
	}
	if g.Verb == "install" {
		bin := get("GOBIN")
		if bin == "" {
			gp := get("GOPATH")
			if gp == "" {
				gp = "/go"
			}
			bin = gp + "/bin"
		}
		return joinPath("/", bin) + "/" + name, true
	}
	return joinPath(g.Workdir, name), true
}

// reGoTarball matches the name of a Go release archive as go.dev/dl
// serves them (go1.20.5.linux-amd64.tar.gz), the version possibly a
// variable.
var reGoTarball = regexp.MustCompile(`go(\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|[0-9]+\.[0-9]+(?:\.[0-9]+)?(?:rc[0-9]+)?)\.linux-[a-z0-9${}_]+\.tar\.gz`)

// goTarball returns the Go version of a release archive named in the
// script, expanding a variable from env; "" if none or unknown.
func goTarball(script string, env map[string]string) string {
	m := reGoTarball.FindStringSubmatch(script)
	if m == nil {
		return ""
	}
	v := m[1]
	if strings.HasPrefix(v, "$") {
		v = env[strings.Trim(v, "${}")]
		v = strings.TrimPrefix(v, "go")
	}
	if v == "" || v[0] < '0' || v[0] > '9' {
		return ""
	}
	return v
}

// exeName is the name the go command gives the program of the package
// with import path (or relative path) p: its last element, or the one
// before a major-version suffix (example.com/etcd/v3 builds "etcd"), as
// cmd/go's DefaultExecName does.
func exeName(p string) string {
	elems := strings.Split(p, "/")
	last := elems[len(elems)-1]
	if len(elems) > 1 && len(last) > 1 && last[0] == 'v' {
		if n, err := strconv.Atoi(last[1:]); err == nil && n >= 2 {
			return elems[len(elems)-2]
		}
	}
	return last
}
