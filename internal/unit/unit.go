// Package unit reads systemd unit files into plain Go values: every
// option with the file and line it came from, drop-ins merged, and the
// service's environment resolved from Environment= and EnvironmentFile=.
// It does not judge any of it.
//
// The syntax is parsed by github.com/coreos/go-systemd/v22/unit, which
// handles sections, comments and line continuations but reports no line
// numbers; Parse finds each option's line by scanning the file for the
// option's key in its section, matching the n-th parsed occurrence to the
// n-th line that assigns that key.
//
// Drop-ins are the *.conf files of the directory <unit>.d next to the
// unit, applied in file-name order after the unit, as systemd does for a
// single directory. An empty assignment (`Environment=`) resets the list
// options accumulated so far, as in systemd.
//
// Specifiers (%h, %n, …) are kept as written.
package unit

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os/exec"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	sdunit "github.com/coreos/go-systemd/v22/unit"

	"github.com/gocompat/gocompat/internal/childproc"
	"github.com/gocompat/gocompat/internal/fsread"
	"github.com/gocompat/gocompat/internal/parseerr"
)

// Option is one Key=Value assignment.
type Option struct {
	Section string
	Name    string
	Value   string
	// File is the file (unit or drop-in) that holds it; Line its line.
	File string
	Line int
}

// Parse parses one unit file or drop-in. name is used in errors and
// recorded in each option. Parse never panics; its errors are
// *parseerr.Error (without a line: the parser reports none).
func Parse(name string, data []byte) (opts []Option, err error) {
	defer func() {
		if r := recover(); r != nil {
			opts, err = nil, &parseerr.Error{File: name, Err: fmt.Errorf("the unit file parser failed: %v", r)}
		}
	}()
	parsed, err := sdunit.DeserializeOptions(bytes.NewReader(data))
	if err != nil {
		return nil, &parseerr.Error{File: name, Err: err}
	}
	lines := keyLines(data)
	seen := map[string]int{}
	for _, o := range parsed {
		k := o.Section + "\x00" + o.Name
		n := seen[k]
		seen[k] = n + 1
		line := 0
		if ls := lines[k]; n < len(ls) {
			line = ls[n]
		}
		opts = append(opts, Option{Section: o.Section, Name: o.Name, Value: o.Value, File: name, Line: line})
	}
	return opts, nil
}

// keyLines maps section+"\x00"+key to the lines that assign the key, in
// order. Continuation lines are skipped.
func keyLines(data []byte) map[string][]int {
	out := map[string][]int{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	section := ""
	n := 0
	cont := false
	for sc.Scan() {
		n++
		raw := sc.Text()
		t := strings.TrimSpace(raw)
		if cont {
			cont = strings.HasSuffix(t, "\\")
			continue
		}
		switch {
		case t == "" || t[0] == '#' || t[0] == ';':
			continue
		case t[0] == '[':
			if i := strings.IndexByte(t, ']'); i > 0 {
				section = t[1:i]
			}
			continue
		}
		if k, _, ok := strings.Cut(t, "="); ok {
			k = strings.TrimSpace(k)
			out[section+"\x00"+k] = append(out[section+"\x00"+k], n)
		}
		cont = strings.HasSuffix(t, "\\")
	}
	return out
}

// Unit is a unit file with its drop-ins applied.
type Unit struct {
	// Path is the unit file's path (in the FS it was loaded from).
	Path string
	// Name is its base name ("app.service").
	Name string
	// DropIns are the drop-in files applied, in order.
	DropIns []string
	// Options holds every assignment of the unit then its drop-ins.
	Options []Option
	// Env is the resolved environment of the service: Environment= and
	// EnvironmentFile= in systemd's order (files after Environment=, later
	// assignments win). One entry per name, its last assignment.
	Env []EnvVar
	// EnvFiles are the EnvironmentFile= references.
	EnvFiles []EnvFile
	// Refused are the drop-in directories, drop-ins and environment files
	// the FS refused to read (errors matching fsread.ErrRefused: a named
	// pipe, a device, a file over the size limit, a link out of the
	// tree). The unit is judged without them.
	Refused []error
}

// EnvVar is one variable of the service's environment.
type EnvVar struct {
	Name  string
	Value string
	// File and Line are where it is set: the unit or drop-in for
	// Environment=, the environment file for EnvironmentFile=.
	File string
	Line int
	// Via is the EnvironmentFile= option that brought it in, if any.
	Via *Option
}

// EnvFile is one EnvironmentFile= reference.
type EnvFile struct {
	Option Option
	// Path is the referenced path, without a leading "-".
	Path     string
	Optional bool
	// Found is the file's path in the FS it was resolved in (EnvRoot or,
	// for a sibling, the unit's FS), if found.
	Found string
	// Err is the parse error of the file, if it was found but unreadable.
	Err error
}

// LoadOptions say where referenced files are looked up.
type LoadOptions struct {
	// EnvRoot resolves absolute EnvironmentFile= paths (the root of the
	// filesystem the service runs on, or a tree laid out like one). nil:
	// not resolved there.
	EnvRoot fs.FS
	// Sibling also looks an environment file up by its base name in the
	// unit's own directory (repositories often keep app.env next to
	// app.service).
	Sibling bool
}

// Load reads the unit at name in fsys, its drop-ins and its environment
// files. Give it an fsread.DirFS so the reads are bounded and stay in the
// tree: what that FS refuses is listed in Unit.Refused (or, for the unit
// itself, returned).
func Load(fsys fs.FS, name string, opt LoadOptions) (*Unit, error) {
	opts, err := load(fsys, name)
	if err != nil {
		return nil, err
	}
	u := &Unit{Path: name, Name: path.Base(name), Options: opts}
	dropDir := name + ".d"
	ents, err := fs.ReadDir(fsys, dropDir)
	if errors.Is(err, fsread.ErrRefused) {
		u.Refused = append(u.Refused, err)
	}
	if err == nil {
		var names []string
		for _, e := range ents {
			if !e.IsDir() && strings.HasSuffix(e.Name(), ".conf") {
				names = append(names, e.Name())
			}
		}
		sort.Strings(names)
		for _, n := range names {
			p := path.Join(dropDir, n)
			o, err := load(fsys, p)
			if errors.Is(err, fsread.ErrRefused) {
				u.Refused = append(u.Refused, err)
				continue
			}
			if err != nil {
				return nil, err
			}
			u.DropIns = append(u.DropIns, p)
			u.Options = append(u.Options, o...)
		}
	}
	u.resolveEnv(fsys, opt)
	return u, nil
}

// load reads and parses one unit file or drop-in.
func load(fsys fs.FS, name string) ([]Option, error) {
	data, err := fs.ReadFile(fsys, name)
	if errors.Is(err, fsread.ErrRefused) {
		return nil, err // it names the file
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return Parse(name, data)
}

// Values returns the effective values of a list option: every assignment
// in order, with an empty assignment clearing those before it.
func (u *Unit) Values(section, name string) []Option {
	var out []Option
	for _, o := range u.Options {
		if o.Section != section || o.Name != name {
			continue
		}
		if strings.TrimSpace(o.Value) == "" {
			out = out[:0]
			continue
		}
		out = append(out, o)
	}
	return out
}

// Value returns the last assignment of a single-valued option.
func (u *Unit) Value(section, name string) (Option, bool) {
	var last Option
	ok := false
	for _, o := range u.Options {
		if o.Section == section && o.Name == name {
			last, ok = o, true
		}
	}
	if ok && strings.TrimSpace(last.Value) == "" {
		return last, false
	}
	return last, ok
}

// Getenv returns the service's value of a variable.
func (u *Unit) Getenv(name string) (EnvVar, bool) {
	for _, e := range u.Env {
		if e.Name == name {
			return e, true
		}
	}
	return EnvVar{}, false
}

func (u *Unit) resolveEnv(fsys fs.FS, opt LoadOptions) {
	env := map[string]EnvVar{}
	var order []string
	set := func(v EnvVar) {
		if _, ok := env[v.Name]; !ok {
			order = append(order, v.Name)
		}
		env[v.Name] = v
	}
	for _, o := range u.Values("Service", "Environment") {
		for _, w := range SplitQuoted(o.Value) {
			k, v, ok := strings.Cut(w, "=")
			if !ok || k == "" {
				continue
			}
			set(EnvVar{Name: k, Value: v, File: o.File, Line: o.Line})
		}
	}
	for _, o := range u.Values("Service", "EnvironmentFile") {
		for _, w := range SplitQuoted(o.Value) {
			ef := EnvFile{Option: o, Path: w}
			if strings.HasPrefix(w, "-") {
				ef.Optional, ef.Path = true, w[1:]
			}
			var data []byte
			if opt.EnvRoot != nil && path.IsAbs(ef.Path) {
				p := strings.TrimPrefix(path.Clean(ef.Path), "/")
				if d, err := fs.ReadFile(opt.EnvRoot, p); err == nil {
					data, ef.Found = d, p
				} else if errors.Is(err, fsread.ErrRefused) {
					u.Refused = append(u.Refused, err)
				}
			}
			if ef.Found == "" && opt.Sibling {
				p := path.Join(path.Dir(u.Path), path.Base(ef.Path))
				if d, err := fs.ReadFile(fsys, p); err == nil {
					data, ef.Found = d, p
				} else if errors.Is(err, fsread.ErrRefused) {
					u.Refused = append(u.Refused, err)
				}
			}
			if ef.Found != "" {
				vars, err := ParseEnvFile(ef.Found, data)
				ef.Err = err
				for _, v := range vars {
					v.Via = &o
					set(v)
				}
			}
			u.EnvFiles = append(u.EnvFiles, ef)
		}
	}
	for _, k := range order {
		u.Env = append(u.Env, env[k])
	}
}

// SplitQuoted splits a systemd value into words: blanks separate words,
// double or single quotes group, and a backslash escapes the next
// character (systemd's extract_first_word with EXTRACT_UNQUOTE|
// EXTRACT_CUNESCAPE, without C escapes beyond the plain backslash).
func SplitQuoted(s string) []string {
	var out []string
	var cur strings.Builder
	inWord := false
	var quote rune
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == '\\' && i+1 < len(rs):
			i++
			cur.WriteRune(rs[i])
			inWord = true
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case r == '"' || r == '\'':
			quote = r
			inWord = true
		case r == ' ' || r == '\t' || r == '\n':
			if inWord {
				out = append(out, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		out = append(out, cur.String())
	}
	return out
}

// ParseEnvFile parses an EnvironmentFile: KEY=VALUE lines, # and ;
// comments, optional quotes around the value, an optional leading
// "export ". Lines without "=" are an error, as systemd ignores them with a
// warning; the valid lines are still returned.
func ParseEnvFile(name string, data []byte) ([]EnvVar, error) {
	var out []EnvVar
	var bad []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		t := strings.TrimSpace(sc.Text())
		if t == "" || t[0] == '#' || t[0] == ';' {
			continue
		}
		t = strings.TrimPrefix(t, "export ")
		k, v, ok := strings.Cut(t, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" || strings.ContainsAny(k, " \t") {
			bad = append(bad, fmt.Sprintf("line %d: %q", n, t))
			continue
		}
		v = strings.TrimSpace(v)
		if len(v) >= 2 && (v[0] == '"' && v[len(v)-1] == '"' || v[0] == '\'' && v[len(v)-1] == '\'') {
			v = v[1 : len(v)-1]
		}
		out = append(out, EnvVar{Name: k, Value: v, File: name, Line: n})
	}
	if err := sc.Err(); err != nil {
		return out, fmt.Errorf("parse %s: %w", name, err)
	}
	if len(bad) > 0 {
		return out, fmt.Errorf("parse %s: not an assignment: %s", name, strings.Join(bad, "; "))
	}
	return out, nil
}

// VerifyMessage is one line of `systemd-analyze verify` output.
type VerifyMessage struct {
	// File and Line are set when the message names a line of a file.
	File string
	Line int
	Text string
}

// ParseVerify splits `systemd-analyze verify` output into messages.
// Lines of the form "path:N: text" name a line; "unit: text" names the
// unit only.
func ParseVerify(out []byte) []VerifyMessage {
	var msgs []VerifyMessage
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		if l == "" {
			continue
		}
		m := VerifyMessage{Text: l}
		if a, rest, ok := strings.Cut(l, ": "); ok {
			if f, n, ok := strings.Cut(a, ":"); ok {
				if line, err := strconv.Atoi(n); err == nil && line > 0 {
					m.File, m.Line, m.Text = f, line, rest
				}
			} else if !strings.Contains(a, " ") {
				m.File, m.Text = a, rest
			}
		}
		msgs = append(msgs, m)
	}
	return msgs
}

// VerifyTimeout is how long Verify lets systemd-analyze run: a unit
// with a hundred thousand continuation lines keeps it busy for minutes.
const VerifyTimeout = 20 * time.Second

// ErrVerifyTimeout is matched (errors.Is) by Verify's error when
// systemd-analyze did not finish in time.
var ErrVerifyTimeout = errors.New("systemd-analyze verify did not finish in time")

// Verify runs `systemd-analyze verify` (analyze is its path) on the unit
// file at path and returns its messages. A non-zero exit with messages is
// not an error: the messages are the result. It stops the program (and
// what it started) after timeout, returning an error matching
// ErrVerifyTimeout.
func Verify(ctx context.Context, analyze, path string, timeout time.Duration) ([]VerifyMessage, error) {
	tctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(tctx, analyze, "verify", "--man=no", "--recursive-errors=no", path)
	childproc.OwnGroup(cmd)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if ctx.Err() == nil && tctx.Err() == context.DeadlineExceeded {
		return nil, fmt.Errorf("systemd-analyze verify %s: %w (stopped after %s)", path, ErrVerifyTimeout, timeout)
	}
	msgs := ParseVerify(out.Bytes())
	if err != nil && len(msgs) == 0 {
		return nil, fmt.Errorf("systemd-analyze verify %s: %w", path, err)
	}
	return msgs, nil
}
