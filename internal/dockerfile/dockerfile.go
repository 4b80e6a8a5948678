// Package dockerfile turns a Dockerfile (or Containerfile) into plain Go
// values: its stages, the variables each instruction sees, the go build and
// go install commands its RUN instructions run, what it copies between
// stages, and what the image starts. It does not judge any of it.
//
// Parsing is BuildKit's own (frontend/dockerfile/parser and instructions),
// so a file this package accepts is one `docker build` accepts. Variables
// are expanded the way BuildKit's dockerfile2llb does:
//   - ARGs before the first FROM are the global (meta) args; each default is
//     expanded with the meta args before it, and FROM lines are expanded
//     with them;
//   - inside a stage, `ARG NAME` without a default takes the global value;
//     ARG and ENV values, COPY, WORKDIR and USER are expanded with the ARGs
//     and ENVs in scope at that line (ENV wins over ARG of the same name);
//   - a stage built FROM another stage inherits its ENV, not its ARGs;
//   - RUN, CMD, ENTRYPOINT and HEALTHCHECK are not expanded by BuildKit:
//     the shell expands RUN at build time. To find go commands inside a RUN,
//     this package splits the script into simple commands and expands each
//     with BuildKit's shell lexer and the variables RUN's shell would see;
//     anything more dynamic (command substitution, functions) is not
//     evaluated.
//
// Every value keeps the line of the instruction it came from.
package dockerfile

import (
	"bytes"
	"errors"
	"fmt"
	"path"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerfile/shell"

	"github.com/gocompat/gocompat/internal/parseerr"
)

// File is a parsed Dockerfile.
type File struct {
	// Path is the file's name as given to Parse (for messages).
	Path string
	// MetaArgs are the ARGs before the first FROM, with their defaults
	// expanded.
	MetaArgs []Var
	Stages   []*Stage
}

// Var is one variable set by ARG or ENV.
type Var struct {
	Name  string
	Value string
	// HasValue is false for an ARG without a default (and no global value).
	HasValue bool
	// Line is the line of the instruction that set it.
	Line int
	// Kind is "ARG" or "ENV".
	Kind string
	// Stage is the index of the stage whose instruction set it, -1 for
	// meta args. An inherited ENV keeps the stage that set it.
	Stage int
}

// Stage is one FROM and the instructions up to the next.
type Stage struct {
	Index int
	// Name is the lower-case `AS` name, or "".
	Name string
	// Base is the expanded FROM reference: an image or a stage name.
	Base string
	// BaseRaw is the FROM reference as written.
	BaseRaw string
	// BaseStage is the index of the earlier stage Base names, or -1 when
	// Base is an image.
	BaseStage int
	Platform  string
	Line      int
	// Env is the stage's ENV at its end, inherited entries first, in the
	// order they were set; a name appears once, with its last value.
	Env []Var
	// Args are the ARGs declared in the stage, with effective values.
	Args   []Var
	Runs   []*Run
	Copies []*Copy
	// Entrypoint, Cmd and Healthcheck are the last of each in the stage.
	Entrypoint  *Exec
	Cmd         *Exec
	Healthcheck *Exec
	// Workdir is the WORKDIR at the end of the stage ("" = not set).
	Workdir string
	User    string
}

// Run is one RUN instruction.
type Run struct {
	Line    int
	EndLine int
	// Script is the shell form's script (heredoc bodies appended), or the
	// exec form's words joined by spaces.
	Script string
	// ExecForm is true for RUN ["a", "b"].
	ExecForm bool
	// Env is what the command's environment holds from the Dockerfile: the
	// stage's ARGs and ENVs at this line (ENV wins).
	Env     map[string]string
	Workdir string
	// Go lists the go build / go install / go run / make commands found
	// in the script.
	Go []*GoCommand
	// GoTarball is the Go version of a release archive the script
	// downloads or unpacks (go1.20.5.linux-amd64.tar.gz gives "1.20.5"),
	// or "".
	GoTarball string
}

// GoCommand is one `go build`, `go install` or `go run` inside a RUN, or
// a `make` that may run them.
type GoCommand struct {
	// Verb is "build", "install", "run" or "make".
	Verb string
	// Words are the command's words after variable expansion, starting
	// with the go command itself.
	Words []string
	// Env are variables set for this command only (`CGO_ENABLED=0 go
	// build`, `env X=1 go build`) or exported earlier in the same script.
	Env map[string]string
	// Flags holds the flags as given: "-o" -> "/out/app", "-trimpath" ->
	// "true", "-buildvcs" -> "false", "-tags" -> "netgo". Flags given
	// twice keep the last value.
	Flags map[string]string
	// Packages are the non-flag arguments (packages or files).
	Packages []string
	// Workdir is the WORKDIR the command runs in.
	Workdir string
}

// Copy is one COPY or ADD.
type Copy struct {
	Line int
	Add  bool
	// From is the --from value: a stage name, a stage index or an image;
	// "" for the build context.
	From string
	// FromStage is the index of the stage From names, or -1.
	FromStage int
	Sources   []string
	// Dest is the destination, made absolute against WORKDIR; it ends in
	// "/" when the instruction's destination did.
	Dest string
}

// Exec is an ENTRYPOINT, CMD or HEALTHCHECK command.
type Exec struct {
	Line int
	// Args are the exec form's words, or for the shell form the words of
	// the script split on blanks (first word = program).
	Args []string
	// Shell is true for the shell form (run by /bin/sh -c).
	Shell bool
	// None is true for HEALTHCHECK NONE.
	None    bool
	Workdir string
}

// Options adjust parsing.
type Options struct {
	// BuildArgs are --build-arg values; they override ARG defaults.
	BuildArgs map[string]string
}

// parseError wraps a BuildKit error as a *parseerr.Error with the line
// BuildKit blames, or 0.
func parseError(name string, err error) error {
	e := &parseerr.Error{File: name, Err: err}
	var le *parser.LocationError
	if errors.As(err, &le) && len(le.Locations) > 0 && len(le.Locations[0]) > 0 {
		e.Line = le.Locations[0][0].Start.Line
	}
	return e
}

// Parse parses a Dockerfile. name is used in errors. Parse never panics:
// a failure inside the BuildKit parser is returned as an error naming the
// file. Errors are *parseerr.Error.
func Parse(name string, data []byte, opt *Options) (f *File, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, &parseerr.Error{File: name, Err: fmt.Errorf("the Dockerfile parser failed: %v", r)}
		}
	}()
	if opt == nil {
		opt = &Options{}
	}
	res, err := parser.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, parseError(name, err)
	}
	stages, metaArgs, err := instructions.Parse(res.AST, nil)
	if err != nil {
		return nil, parseError(name, err)
	}
	if len(stages) == 0 {
		return nil, &parseerr.Error{File: name, Err: errors.New("no FROM instruction")}
	}
	lex := shell.NewLex(res.EscapeToken)
	f = &File{Path: name}

	// Global args.
	meta := newScope()
	for _, a := range metaArgs {
		line := startLine(a.Location())
		for _, kv := range a.Args {
			v := Var{Name: kv.Key, Line: line, Kind: "ARG", Stage: -1}
			if bv, ok := opt.BuildArgs[kv.Key]; ok {
				v.Value, v.HasValue = bv, true
			} else if kv.Value != nil {
				v.Value, v.HasValue = expandWord(lex, *kv.Value, meta), true
			}
			meta.set(v)
			f.MetaArgs = append(f.MetaArgs, v)
		}
	}

	stageIndex := map[string]int{}
	for i := range stages {
		st := &stages[i]
		s := &Stage{
			Index:     i,
			Name:      st.Name,
			BaseRaw:   st.BaseName,
			Base:      expandWord(lex, st.BaseName, meta),
			Platform:  expandWord(lex, st.Platform, meta),
			Line:      startLine(st.Location),
			BaseStage: -1,
		}
		sc := newScope()
		if j, ok := stageIndex[strings.ToLower(s.Base)]; ok {
			s.BaseStage = j
			base := f.Stages[j]
			s.Workdir = base.Workdir
			s.User = base.User
			for _, e := range base.Env {
				sc.set(e)
			}
		}
		for _, c := range st.Commands {
			parseCommand(lex, f, s, sc, meta, c, opt, stageIndex)
		}
		s.Env = sc.envVars()
		f.Stages = append(f.Stages, s)
		if s.Name != "" {
			stageIndex[s.Name] = i
		}
		stageIndex[strconv.Itoa(i)] = i
	}
	return f, nil
}

func parseCommand(lex *shell.Lex, f *File, s *Stage, sc, meta *scope, c instructions.Command, opt *Options, stageIndex map[string]int) {
	line := startLine(c.Location())
	expand := func(w string) (string, error) { return expandWord(lex, w, sc), nil }
	switch c := c.(type) {
	case *instructions.ArgCommand:
		for _, kv := range c.Args {
			v := Var{Name: kv.Key, Line: line, Kind: "ARG", Stage: s.Index}
			switch {
			case opt.BuildArgs[kv.Key] != "":
				v.Value, v.HasValue = opt.BuildArgs[kv.Key], true
			case kv.Value != nil:
				v.Value, v.HasValue = expandWord(lex, *kv.Value, sc), true
			default:
				if m, ok := meta.vars[kv.Key]; ok && m.HasValue {
					v.Value, v.HasValue = m.Value, true
				}
			}
			s.Args = append(s.Args, v)
			sc.set(v)
		}
	case *instructions.EnvCommand:
		// All pairs of one ENV are expanded with the scope before it.
		var vs []Var
		for _, kv := range c.Env {
			vs = append(vs, Var{Name: kv.Key, Value: expandWord(lex, kv.Value, sc), HasValue: true, Line: line, Kind: "ENV", Stage: s.Index})
		}
		for _, v := range vs {
			sc.set(v)
		}
	case *instructions.WorkdirCommand:
		_ = c.Expand(expand)
		s.Workdir = joinPath(s.Workdir, c.Path)
	case *instructions.UserCommand:
		_ = c.Expand(expand)
		s.User = c.User
	case *instructions.CopyCommand:
		_ = c.Expand(expand)
		s.Copies = append(s.Copies, newCopy(line, false, c.From, c.SourcePaths, c.DestPath, s.Workdir, stageIndex))
	case *instructions.AddCommand:
		_ = c.Expand(expand)
		s.Copies = append(s.Copies, newCopy(line, true, "", c.SourcePaths, c.DestPath, s.Workdir, stageIndex))
	case *instructions.RunCommand:
		r := &Run{Line: line, EndLine: endLine(c.Location()), ExecForm: !c.PrependShell, Env: sc.env(), Workdir: s.Workdir}
		script := strings.Join(c.CmdLine, " ")
		for _, hf := range c.Files {
			script += "\n" + hf.Data
		}
		r.Script = script
		r.GoTarball = goTarball(script, r.Env)
		if c.PrependShell {
			r.Go = findGoCommands(lex, script, r.Env, s.Workdir)
		} else {
			r.Go = goCommandFromWords(append([]string(nil), c.CmdLine...), nil, s.Workdir)
		}
		s.Runs = append(s.Runs, r)
	case *instructions.EntrypointCommand:
		s.Entrypoint = newExec(line, c.CmdLine, c.PrependShell, s.Workdir)
		// ENTRYPOINT resets an inherited CMD, as Docker does.
		s.Cmd = nil
	case *instructions.CmdCommand:
		s.Cmd = newExec(line, c.CmdLine, c.PrependShell, s.Workdir)
	case *instructions.HealthCheckCommand:
		e := &Exec{Line: line, Workdir: s.Workdir}
		if c.Health != nil && len(c.Health.Test) > 0 {
			switch strings.ToUpper(c.Health.Test[0]) {
			case "NONE":
				e.None = true
			case "CMD-SHELL":
				e.Shell = true
				e.Args = strings.Fields(strings.Join(c.Health.Test[1:], " "))
			default:
				e.Args = append([]string(nil), c.Health.Test[1:]...)
			}
		}
		s.Healthcheck = e
	}
}

func newExec(line int, cmd []string, shellForm bool, wd string) *Exec {
	e := &Exec{Line: line, Shell: shellForm, Workdir: wd}
	if shellForm {
		e.Args = strings.Fields(strings.Join(cmd, " "))
	} else {
		e.Args = append([]string(nil), cmd...)
	}
	return e
}

func newCopy(line int, add bool, from string, srcs []string, dest, wd string, stageIndex map[string]int) *Copy {
	cp := &Copy{Line: line, Add: add, From: from, FromStage: -1, Sources: append([]string(nil), srcs...)}
	if from != "" {
		if j, ok := stageIndex[strings.ToLower(from)]; ok {
			cp.FromStage = j
		}
	}
	d := joinPath(wd, dest)
	if strings.HasSuffix(dest, "/") || dest == "." || dest == "./" {
		d = strings.TrimSuffix(d, "/") + "/"
	}
	cp.Dest = d
	return cp
}

// joinPath resolves p against the working directory dir as Docker does.
func joinPath(dir, p string) string {
	if p == "" {
		return dir
	}
	if !path.IsAbs(p) {
		if dir == "" {
			dir = "/"
		}
		p = path.Join(dir, p)
	}
	return path.Clean(p)
}

func startLine(loc []parser.Range) int {
	if len(loc) == 0 {
		return 0
	}
	return loc[0].Start.Line
}

func endLine(loc []parser.Range) int {
	if len(loc) == 0 {
		return 0
	}
	return loc[len(loc)-1].End.Line
}

// scope holds the variables in effect, remembering the order of ENVs.
type scope struct {
	vars  map[string]Var
	order []string
}

func newScope() *scope { return &scope{vars: map[string]Var{}} }

func (s *scope) set(v Var) {
	old, ok := s.vars[v.Name]
	if ok && old.Kind == "ENV" && v.Kind == "ARG" {
		// An ENV of the same name wins over a later ARG.
		return
	}
	if !ok || old.Kind != v.Kind {
		s.order = append(s.order, v.Name)
	}
	s.vars[v.Name] = v
}

func (s *scope) Get(k string) (string, bool) {
	v, ok := s.vars[k]
	if !ok || !v.HasValue {
		return "", false
	}
	return v.Value, true
}

func (s *scope) Keys() []string {
	keys := make([]string, 0, len(s.vars))
	for k := range s.vars {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func (s *scope) env() map[string]string {
	m := map[string]string{}
	for k, v := range s.vars {
		if v.HasValue {
			m[k] = v.Value
		}
	}
	return m
}

func (s *scope) envVars() []Var {
	var out []Var
	seen := map[string]bool{}
	for _, k := range s.order {
		v := s.vars[k]
		if v.Kind != "ENV" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, v)
	}
	return out
}

// expandWord expands $VAR and ${VAR…} as BuildKit does; on a syntax
// error the word is kept as written.
func expandWord(lex *shell.Lex, w string, env shell.EnvGetter) string {
	if w == "" || !strings.ContainsRune(w, '$') || !lexable(w) {
		return w
	}
	out, _, err := lex.ProcessWord(w, env)
	if err != nil {
		return w
	}
	return out
}

// lexable reports whether BuildKit's shell lexer can take s: it is built
// on text/scanner, which prints to standard error on NUL bytes and invalid
// UTF-8, so such words are kept as written.
func lexable(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0) && !strings.ContainsRune(s, '\uFEFF')
}

// Lookup returns the stage named name (or with that index).
func (f *File) Lookup(name string) (*Stage, bool) {
	for _, s := range f.Stages {
		if s.Name == strings.ToLower(name) || strconv.Itoa(s.Index) == name {
			return s, true
		}
	}
	return nil, false
}

// Final is the last stage: what `docker build` without --target produces.
func (f *File) Final() *Stage { return f.Stages[len(f.Stages)-1] }

// EnvValue returns the value of ENV name at the end of s.
func (s *Stage) EnvValue(name string) (Var, bool) {
	for _, v := range s.Env {
		if v.Name == name {
			return v, true
		}
	}
	return Var{}, false
}
