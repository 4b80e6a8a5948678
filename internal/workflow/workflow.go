// Package workflow reads CI workflow files — GitHub Actions
// (.github/workflows/*.yml) and GitLab CI (.gitlab-ci.yml) — and extracts
// what concerns Go: the Go versions a job uses (actions/setup-go's
// go-version and go-version-file, matrix entries feeding them, container
// images golang:*) and the Go environment variables it sets (GOTOOLCHAIN,
// GOFLAGS, …). It does not judge any of it.
//
// Files are parsed as YAML nodes (go.yaml.in/yaml/v3) so every value keeps
// its line and column, and so a version written as an unquoted number
// (go-version: 1.20, which YAML reads as the float 1.2) can be told from a
// quoted string.
//
// Expressions are not evaluated, with two exceptions: `${{ matrix.KEY }}`
// inside a go-version or an image is replaced by each value the job's
// strategy.matrix gives KEY (lists and include entries), each reference
// then anchored at the matrix entry's line; and `${{ env.NAME }}` is
// replaced by the value the step's, job's or workflow's env: gives NAME,
// anchored at that value.
package workflow

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/gocompat/gocompat/internal/parseerr"
)

// Kinds of workflow files.
const (
	GitHub = "github"
	GitLab = "gitlab"
)

// File is a parsed workflow file.
type File struct {
	Path string
	Kind string
	// GoVersions are the places that choose a Go version.
	GoVersions []GoVersion
	// Env are the Go-related variables the file sets (names starting with
	// GO or CGO_), at any level.
	Env []EnvVar
	// MergeLimit, when set, is the merge key (<<) at which expansion
	// stopped: the file's merges reached MaxMergedPairs entries. What
	// only further merges bring in is missing from GoVersions and Env.
	MergeLimit *Pos

	merged int                            // entries merges have produced so far
	memo   map[*yaml.Node][][2]*yaml.Node // pairs of each mapping, expanded once
}

// MaxMergedPairs bounds the key-value pairs YAML merge keys (<<) may
// bring into a file's mappings, counted over the whole file. Nested
// merges expand exponentially: 325 bytes can name a million pairs. Real
// workflows merge a few dozen.
const MaxMergedPairs = 10000

// Pos is a position in the file.
type Pos struct {
	Line, Column int
}

// GoVersion is one place that selects a Go toolchain.
type GoVersion struct {
	Pos
	// Job is the job's key ("" for file-level GitLab images).
	Job string
	// Source is "setup-go" (go-version), "setup-go-file"
	// (go-version-file), "image" (GitLab image:, GitHub container:).
	Source string
	// Value is the text after matrix substitution: "1.22.x", "stable",
	// "go.mod", "golang:1.22-alpine".
	Value string
	// Raw is the value as written (before matrix substitution).
	Raw string
	// FromMatrix names the matrix key substituted, if any.
	FromMatrix string
	// FromEnv names the variable substituted for `${{ env.NAME }}`, if
	// any (the step's env, else the job's, else the workflow's).
	FromEnv string
	// Float is true when the value is an unquoted YAML number: the
	// workflow engine then reads 1.20 as 1.2.
	Float bool
	// Step is the step's index within the job, -1 for images.
	Step int
}

// EnvVar is one variable set by an env: (GitHub) or variables: (GitLab)
// block.
type EnvVar struct {
	Pos
	Name  string
	Value string
	// Scope is "workflow", "job", "step" (GitHub) or "global", "job"
	// (GitLab).
	Scope string
	Job   string
}

var yamlLine = regexp.MustCompile(`line (\d+):`)

// Parse parses a workflow file; kind is GitHub or GitLab. Parse never
// panics; errors for bad input are *parseerr.Error, naming the file.
func Parse(name, kind string, data []byte) (f *File, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, &parseerr.Error{File: name, Err: fmt.Errorf("YAML parser failed: %v", r)}
		}
	}()
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		e := &parseerr.Error{File: name, Err: err}
		if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
			e.Line, _ = strconv.Atoi(m[1])
		}
		return nil, e
	}
	f = &File{Path: name, Kind: kind}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return f, nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, &parseerr.Error{File: name, Line: root.Line, Err: fmt.Errorf("line %d: the top level is not a mapping", root.Line)}
	}
	switch kind {
	case GitHub:
		f.github(root)
	case GitLab:
		f.gitlab(root)
	default:
		return nil, fmt.Errorf("parse %s: unknown workflow kind %q", name, kind)
	}
	return f, nil
}

// get returns the value of key in mapping m.
func (f *File) get(m *yaml.Node, key string) *yaml.Node {
	var found *yaml.Node
	for _, kv := range f.pairs(m) {
		if kv[0].Value == key {
			found = kv[1]
		}
	}
	return found
}

func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// pairs lists a mapping's key-value pairs with its merge keys (<<)
// expanded as YAML's merge key type says: a key written in the mapping
// wins over a merged one, and of the mappings a merge lists, the earlier
// wins. Each key appears once. Expansion stops for the rest of the file
// once merges have produced MaxMergedPairs pairs (see File.MergeLimit).
func (f *File) pairs(m *yaml.Node) [][2]*yaml.Node {
	m = deref(m)
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	if out, ok := f.memo[m]; ok {
		return out
	}
	out := f.expandMerges(m)
	if f.memo == nil {
		f.memo = map[*yaml.Node][][2]*yaml.Node{}
	}
	f.memo[m] = out
	return out
}

func (f *File) expandMerges(m *yaml.Node) [][2]*yaml.Node {
	own := map[string]bool{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := m.Content[i]; k.Value != "<<" {
			own[k.Value] = true
		}
	}
	seen := map[string]bool{}
	var out [][2]*yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], deref(m.Content[i+1])
		if k.Value != "<<" {
			out = append(out, [2]*yaml.Node{k, v})
			continue
		}
		if v == nil {
			continue
		}
		srcs := []*yaml.Node{v}
		if v.Kind == yaml.SequenceNode {
			srcs = v.Content
		}
		for _, src := range srcs {
			if f.MergeLimit != nil {
				return out
			}
			for _, kv := range f.pairs(src) {
				if f.merged++; f.merged > MaxMergedPairs {
					if f.MergeLimit == nil {
						p := pos(k)
						f.MergeLimit = &p
					}
					return out
				}
				if own[kv[0].Value] || seen[kv[0].Value] {
					continue
				}
				seen[kv[0].Value] = true
				out = append(out, kv)
			}
		}
	}
	return out
}

func isScalar(n *yaml.Node) bool { return n != nil && n.Kind == yaml.ScalarNode }

func pos(n *yaml.Node) Pos { return Pos{Line: n.Line, Column: n.Column} }

func isFloat(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) == 0 && n.ShortTag() == "!!float"
}

func (f *File) env(m *yaml.Node, scope, job string) {
	for _, kv := range f.pairs(m) {
		k, v := kv[0], kv[1]
		if !isScalar(v) || !(strings.HasPrefix(k.Value, "GO") || strings.HasPrefix(k.Value, "CGO_")) {
			continue
		}
		f.Env = append(f.Env, EnvVar{Pos: pos(v), Name: k.Value, Value: v.Value, Scope: scope, Job: job})
	}
}

var matrixRef = regexp.MustCompile(`\$\{\{\s*matrix\.([A-Za-z0-9_-]+)\s*\}\}`)

// matrixValues maps each matrix key to its values (with their nodes).
func (f *File) matrixValues(strategy *yaml.Node) map[string][]*yaml.Node {
	out := map[string][]*yaml.Node{}
	m := f.get(strategy, "matrix")
	for _, kv := range f.pairs(m) {
		k, v := kv[0].Value, kv[1]
		switch k {
		case "include":
			if v != nil && v.Kind == yaml.SequenceNode {
				for _, e := range v.Content {
					for _, ikv := range f.pairs(e) {
						if isScalar(ikv[1]) {
							out[ikv[0].Value] = append(out[ikv[0].Value], ikv[1])
						}
					}
				}
			}
		case "exclude":
		default:
			if v != nil && v.Kind == yaml.SequenceNode {
				for _, e := range v.Content {
					if e = deref(e); isScalar(e) {
						out[k] = append(out[k], e)
					}
				}
			}
		}
	}
	return out
}

// expand substitutes matrix references in the scalar n, returning one
// GoVersion per resulting value.
func expand(n *yaml.Node, matrix map[string][]*yaml.Node, tmpl GoVersion) []GoVersion {
	tmpl.Raw = n.Value
	m := matrixRef.FindStringSubmatch(n.Value)
	if m == nil || len(matrix[m[1]]) == 0 {
		tmpl.Pos, tmpl.Value, tmpl.Float = pos(n), n.Value, isFloat(n)
		return []GoVersion{tmpl}
	}
	var out []GoVersion
	for _, v := range matrix[m[1]] {
		g := tmpl
		g.Pos = pos(v)
		g.Value = strings.Replace(n.Value, m[0], v.Value, 1)
		g.FromMatrix = m[1]
		g.Float = isFloat(v)
		out = append(out, g)
	}
	return out
}

var envRef = regexp.MustCompile(`\$\{\{\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}`)

// scalars maps the keys of an env: mapping to their scalar value nodes.
func (f *File) scalars(m *yaml.Node) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	for _, kv := range f.pairs(m) {
		if isScalar(kv[1]) {
			out[kv[0].Value] = kv[1]
		}
	}
	return out
}

// substituteEnv replaces `${{ env.NAME }}` in the versions from index
// from on, looking NAME up in envs (innermost first).
func (f *File) substituteEnv(from int, envs ...map[string]*yaml.Node) {
	for i := from; i < len(f.GoVersions); i++ {
		g := &f.GoVersions[i]
		m := envRef.FindStringSubmatch(g.Value)
		if m == nil {
			continue
		}
		for _, e := range envs {
			if n, ok := e[m[1]]; ok {
				g.Value = strings.Replace(g.Value, m[0], n.Value, 1)
				g.FromEnv = m[1]
				g.Pos = pos(n)
				g.Float = isFloat(n)
				break
			}
		}
	}
}

func (f *File) github(root *yaml.Node) {
	f.env(f.get(root, "env"), "workflow", "")
	wfEnv := f.scalars(f.get(root, "env"))
	for _, jkv := range f.pairs(f.get(root, "jobs")) {
		job, j := jkv[0].Value, jkv[1]
		f.env(f.get(j, "env"), "job", job)
		jobEnv := f.scalars(f.get(j, "env"))
		matrix := f.matrixValues(f.get(j, "strategy"))
		if c := f.get(j, "container"); c != nil {
			img := c
			if c.Kind == yaml.MappingNode {
				img = f.get(c, "image")
			}
			if isScalar(img) {
				n := len(f.GoVersions)
				f.GoVersions = append(f.GoVersions, expand(img, matrix, GoVersion{Job: job, Source: "image", Step: -1})...)
				f.substituteEnv(n, jobEnv, wfEnv)
			}
		}
		steps := f.get(j, "steps")
		if steps == nil || steps.Kind != yaml.SequenceNode {
			continue
		}
		for i, s := range steps.Content {
			f.env(f.get(s, "env"), "step", job)
			uses := f.get(s, "uses")
			if !isScalar(uses) || !strings.HasPrefix(uses.Value, "actions/setup-go") {
				continue
			}
			with := f.get(s, "with")
			n := len(f.GoVersions)
			if v := f.get(with, "go-version"); isScalar(v) {
				f.GoVersions = append(f.GoVersions, expand(v, matrix, GoVersion{Job: job, Source: "setup-go", Step: i})...)
			} else if v := f.get(with, "go-version-file"); isScalar(v) {
				f.GoVersions = append(f.GoVersions, expand(v, matrix, GoVersion{Job: job, Source: "setup-go-file", Step: i})...)
			} else {
				// setup-go without a version uses the Go on the runner.
				f.GoVersions = append(f.GoVersions, GoVersion{Pos: pos(uses), Job: job, Source: "setup-go", Step: i})
			}
			f.substituteEnv(n, f.scalars(f.get(s, "env")), jobEnv, wfEnv)
		}
	}
}

// gitlabReserved are top-level keys of .gitlab-ci.yml that are not jobs.
var gitlabReserved = map[string]bool{
	"default": true, "include": true, "stages": true, "variables": true,
	"workflow": true, "image": true, "services": true, "cache": true,
	"before_script": true, "after_script": true, "spec": true, "pages": false,
}

func (f *File) gitlabImage(n *yaml.Node, job string, matrix map[string][]*yaml.Node) {
	if n == nil {
		return
	}
	if n.Kind == yaml.MappingNode {
		n = f.get(n, "name")
	}
	if !isScalar(n) {
		return
	}
	c := *n
	for k := range matrix {
		c.Value = strings.ReplaceAll(c.Value, "${"+k+"}", "${{ matrix."+k+" }}")
		c.Value = strings.ReplaceAll(c.Value, "$"+k, "${{ matrix."+k+" }}")
	}
	for _, g := range expand(&c, matrix, GoVersion{Job: job, Source: "image", Step: -1}) {
		g.Raw = n.Value
		f.GoVersions = append(f.GoVersions, g)
	}
}

func (f *File) gitlab(root *yaml.Node) {
	f.env(f.get(root, "variables"), "global", "")
	f.gitlabImage(f.get(root, "image"), "", nil)
	f.gitlabImage(f.get(f.get(root, "default"), "image"), "", nil)
	for _, jkv := range f.pairs(root) {
		job, j := jkv[0].Value, jkv[1]
		if gitlabReserved[job] || strings.HasPrefix(job, ".") || j == nil || j.Kind != yaml.MappingNode {
			continue
		}
		f.env(f.get(j, "variables"), "job", job)
		f.gitlabImage(f.get(j, "image"), job, f.gitlabMatrix(j))
	}
}

// gitlabMatrix reads parallel: matrix: entries, which GitLab expands as
// $KEY in the job; they are offered to `${{ matrix.KEY }}`-style
// substitution through the same map, keyed by KEY (gitlabImage rewrites
// $KEY and ${KEY} to that form before expanding).
func (f *File) gitlabMatrix(j *yaml.Node) map[string][]*yaml.Node {
	out := map[string][]*yaml.Node{}
	m := f.get(f.get(j, "parallel"), "matrix")
	if m == nil || m.Kind != yaml.SequenceNode {
		return out
	}
	for _, e := range m.Content {
		for _, kv := range f.pairs(e) {
			v := kv[1]
			if isScalar(v) {
				out[kv[0].Value] = append(out[kv[0].Value], v)
			} else if v != nil && v.Kind == yaml.SequenceNode {
				for _, s := range v.Content {
					if isScalar(s) {
						out[kv[0].Value] = append(out[kv[0].Value], s)
					}
				}
			}
		}
	}
	return out
}
