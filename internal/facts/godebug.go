package facts

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/constant"
	"go/parser"
	"go/token"
	"go/version"
	"io/fs"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/gocompat/gocompat/internal/fsread"
)

//go:generate go run ./internal/gengodebug -o godebug_table.json

// GodebugSetting is one row of the toolchain's GODEBUG table
// ($GOROOT/src/internal/godebugs/table.go), with what doc/godebug.md
// says about it.
type GodebugSetting struct {
	// Name of the setting ("httpmuxgo121").
	Name string `json:"name"`
	// Package that reads the setting ("net/http").
	Package string `json:"package"`
	// Changed is the minor Go version whose default differs from the
	// one before (22 means Go 1.22); 0 if the default never changed.
	Changed int `json:"changed,omitempty"`
	// Old is the value that restores the behaviour before Changed.
	Old string `json:"old,omitempty"`
	// Opaque settings do not count non-default uses in runtime/metrics.
	Opaque bool `json:"opaque,omitempty"`
	// Immutable settings cannot be changed after the program starts.
	Immutable bool `json:"immutable,omitempty"`
	// Doc is the text of the doc/godebug.md history paragraphs naming the
	// setting, links reduced to their text, one paragraph per line.
	Doc string `json:"doc,omitempty"`
	// NewBehavior and OldBehavior are one line each: what the default
	// does since Changed, and what the old value keeps. Taken from Doc
	// (the first sentence of the paragraph in the "Go 1.<Changed>"
	// section, and its sentence that says how to revert), or stated from
	// the table when the document has no such sentence.
	NewBehavior string `json:"newBehavior,omitempty"`
	OldBehavior string `json:"oldBehavior,omitempty"`
}

// RemovedGodebug is a setting the toolchain no longer knows; a godebug
// line or //go:debug directive naming it is a build error.
type RemovedGodebug struct {
	Name    string `json:"name"`
	Removed int    `json:"removed"`
}

// GodebugTable is the GODEBUG table of one toolchain.
type GodebugTable struct {
	// GoVersion is the toolchain the table was read from ("go1.26.8").
	GoVersion string           `json:"goVersion"`
	Settings  []GodebugSetting `json:"settings"`
	Removed   []RemovedGodebug `json:"removed,omitempty"`
	// DocFrom is empty when the texts (Doc, NewBehavior, OldBehavior)
	// come from the toolchain's own doc/godebug.md. A toolchain taken
	// through the module proxy (golang.org/toolchain) ships no doc/
	// directory; its table is still its own, and DocFrom then names where
	// the texts were borrowed from.
	DocFrom string `json:"docFrom,omitempty"`
}

// SrcGodebug is the primary source of every GODEBUG fact.
var SrcGodebug = Source{Title: "Go, Backwards Compatibility, and GODEBUG (doc/godebug.md; table in internal/godebugs/table.go)", URL: "https://go.dev/doc/godebug"}

// SrcGodebugDefaults states how the go and godebug lines choose defaults,
// including the Go 1.20 floor.
var SrcGodebugDefaults = Source{Title: "doc/godebug.md, Default GODEBUG Values: go.mod versions before Go 1.20 get Go 1.20 defaults", URL: "https://go.dev/doc/godebug#default"}

// GodebugDefaultsFloor is the oldest minor version whose GODEBUG defaults a
// toolchain reproduces: "programs listing versions of Go earlier than Go
// 1.20 are configured to match Go 1.20" (doc/godebug.md).
const GodebugDefaultsFloor = 20

// GodebugLinesSince is the first Go version whose go.mod and go.work
// files can hold godebug lines: "starting in Go 1.23, the work module's
// go.mod or the workspace's go.work can list one or more godebug lines",
// and "toolchains older than Go 1.23 reject all godebug lines"
// (doc/godebug.md, SrcGodebugDefaults). Before it, only //go:debug
// directives in main packages set GODEBUG defaults.
const GodebugLinesSince = "1.23"

//go:embed godebug_table.json
var embeddedGodebugJSON []byte

// EmbeddedGodebugs returns the table generated from the toolchain this
// gocompat was developed with (go generate ./internal/facts).
func EmbeddedGodebugs() *GodebugTable {
	var t GodebugTable
	if err := json.Unmarshal(embeddedGodebugJSON, &t); err != nil {
		panic("facts: embedded GODEBUG table: " + err.Error())
	}
	return &t
}

// Godebugs returns the GODEBUG table of the toolchain at goroot, read from
// its sources, and true; or the embedded table and false when those
// sources are absent or unreadable.
func Godebugs(goroot string) (*GodebugTable, bool) {
	if goroot != "" {
		if t, err := ReadGodebugs(goroot); err == nil {
			return t, true
		}
	}
	return EmbeddedGodebugs(), false
}

// ReadGodebugs reads the GODEBUG table of the toolchain at goroot from
// src/internal/godebugs/table.go, doc/godebug.md and VERSION.
func ReadGodebugs(goroot string) (*GodebugTable, error) {
	tablePath := filepath.Join(goroot, "src", "internal", "godebugs", "table.go")
	src, err := fsread.ReadFile(tablePath, fsread.SourceLimit)
	if err != nil {
		return nil, err
	}
	settings, removed, err := ParseGodebugTable(tablePath, src)
	if err != nil {
		return nil, err
	}
	v, err := fsread.ReadFile(filepath.Join(goroot, "VERSION"), fsread.ConfigLimit)
	if err != nil {
		return nil, err
	}
	first, _, _ := strings.Cut(string(v), "\n")
	t := &GodebugTable{GoVersion: strings.TrimSpace(first), Settings: settings, Removed: removed}
	docPath := filepath.Join(goroot, "doc", "godebug.md")
	doc, err := fsread.ReadFile(docPath, fsread.SourceLimit)
	switch {
	case err == nil:
		AttachGodebugDoc(settings, ParseGodebugDoc(doc))
	case errors.Is(err, fs.ErrNotExist):
		t.DocFrom = borrowGodebugDoc(settings)
	default:
		return nil, err
	}
	return t, nil
}

// borrowGodebugDoc fills the texts of settings from the embedded table
// where it has the same setting with the same change, and states them
// from the table otherwise; it returns what it used.
func borrowGodebugDoc(settings []GodebugSetting) string {
	AttachGodebugDoc(settings, nil)
	emb := EmbeddedGodebugs()
	for i := range settings {
		s := &settings[i]
		if e, ok := emb.Lookup(s.Name); ok && e.Changed == s.Changed && e.Package == s.Package {
			s.Doc, s.NewBehavior, s.OldBehavior = e.Doc, e.NewBehavior, e.OldBehavior
		}
	}
	return "no doc/godebug.md in this toolchain: texts of settings known to " + emb.GoVersion + " from its doc/godebug.md (embedded), others stated from the table"
}

// ParseGodebugTable reads the All and Removed variables of
// internal/godebugs/table.go. Fields it does not know are ignored; a
// composite literal it cannot read is an error naming the file and line.
func ParseGodebugTable(filename string, src []byte) ([]GodebugSetting, []RemovedGodebug, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filename, src, parser.SkipObjectResolution)
	if err != nil {
		return nil, nil, fmt.Errorf("parse %s: %w", filename, err)
	}
	var settings []GodebugSetting
	var removed []RemovedGodebug
	var foundAll bool
	vars := topLevelVars(f)
	for _, name := range []string{"All", "Removed"} {
		value, ok := vars[name]
		if !ok {
			continue
		}
		cl, ok := value.(*ast.CompositeLit)
		if !ok {
			return nil, nil, fmt.Errorf("%s: %s is not a composite literal", fset.Position(value.Pos()), name)
		}
		for _, elt := range cl.Elts {
			fields, err := literalFields(fset, elt)
			if err != nil {
				return nil, nil, fmt.Errorf("%s", err)
			}
			if name == "All" {
				foundAll = true
				s := GodebugSetting{
					Name: fields["Name"].s, Package: fields["Package"].s,
					Changed: fields["Changed"].i, Old: fields["Old"].s,
					Opaque: fields["Opaque"].b, Immutable: fields["Immutable"].b,
				}
				if s.Name == "" {
					return nil, nil, fmt.Errorf("%s: entry without a Name", fset.Position(elt.Pos()))
				}
				settings = append(settings, s)
			} else {
				removed = append(removed, RemovedGodebug{Name: fields["Name"].s, Removed: fields["Removed"].i})
			}
		}
	}
	if !foundAll {
		return nil, nil, fmt.Errorf("parse %s: no entries in var All", filename)
	}
	sort.Slice(settings, func(i, j int) bool { return settings[i].Name < settings[j].Name })
	return settings, removed, nil
}

// topLevel returns the specs of f's top-level declarations of kind tok
// (token.VAR, token.TYPE), in source order.
func topLevel(f *ast.File, tok token.Token) []ast.Spec {
	var specs []ast.Spec
	for _, d := range f.Decls {
		if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == tok {
			specs = append(specs, gd.Specs...)
		}
	}
	return specs
}

// topLevelVars maps the name of each initialised top-level variable of f
// to its value.
func topLevelVars(f *ast.File) map[string]ast.Expr {
	vars := map[string]ast.Expr{}
	for _, s := range topLevel(f, token.VAR) {
		vs := s.(*ast.ValueSpec)
		for i, n := range vs.Names {
			if i < len(vs.Values) {
				vars[n.Name] = vs.Values[i]
			}
		}
	}
	return vars
}

type litValue struct {
	s string
	i int
	b bool
}

// requiredField are the fields whose value must be a literal.
var requiredField = map[string]bool{"Name": true, "Package": true, "Changed": true, "Removed": true, "Opaque": true, "Immutable": true}

// literalFields reads {Key: basic-literal, …} of one table entry.
func literalFields(fset *token.FileSet, e ast.Expr) (map[string]litValue, error) {
	cl, ok := e.(*ast.CompositeLit)
	if !ok {
		return nil, fmt.Errorf("%s: entry is not a composite literal", fset.Position(e.Pos()))
	}
	out := map[string]litValue{}
	for _, elt := range cl.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			return nil, fmt.Errorf("%s: entry field without a key", fset.Position(elt.Pos()))
		}
		key, ok := kv.Key.(*ast.Ident)
		if !ok {
			return nil, fmt.Errorf("%s: entry key is not a name", fset.Position(kv.Pos()))
		}
		var v litValue
		switch x := kv.Value.(type) {
		case *ast.BasicLit:
			cv := constant.MakeFromLiteral(x.Value, x.Kind, 0)
			switch cv.Kind() {
			case constant.String:
				v.s = constant.StringVal(cv)
			case constant.Int:
				n, ok := constant.Int64Val(cv)
				if !ok || n < 0 || n > 1<<20 {
					return nil, fmt.Errorf("%s: %s: integer out of range", fset.Position(x.Pos()), key.Name)
				}
				v.i = int(n)
			default:
				return nil, fmt.Errorf("%s: %s: unsupported literal %s", fset.Position(x.Pos()), key.Name, x.Value)
			}
		case *ast.Ident:
			switch x.Name {
			case "true":
				v.b = true
			case "false":
			default:
				if requiredField[key.Name] {
					return nil, fmt.Errorf("%s: %s: unsupported value %s", fset.Position(x.Pos()), key.Name, x.Name)
				}
				continue // a named predicate (Old: one)
			}
		default:
			if requiredField[key.Name] {
				return nil, fmt.Errorf("%s: %s: unsupported value", fset.Position(kv.Value.Pos()), key.Name)
			}
			// A field gocompat does not read in this form (Go 1.27's
			// Removed entries have Old: func(string) bool).
			continue
		}
		out[key.Name] = v
	}
	return out, nil
}

// GodebugDocParagraph is one paragraph of the GODEBUG history, from the
// section of one Go release.
type GodebugDocParagraph struct {
	// Minor is the release of the section (22 for "### Go 1.22").
	Minor int
	// Text is the paragraph with links reduced to their text and
	// whitespace collapsed.
	Text string
}

var (
	docSectionRE = regexp.MustCompile(`^###\s+Go 1\.(\d+)\s*$`)
	docLinkRE    = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
)

// ParseGodebugDoc returns the paragraphs of the "GODEBUG History" part of
// doc/godebug.md, newest section first, as written.
func ParseGodebugDoc(src []byte) []GodebugDocParagraph {
	var out []GodebugDocParagraph
	minor := -1
	var cur []string
	flush := func() {
		if minor >= 0 && len(cur) > 0 {
			text := strings.Join(strings.Fields(strings.Join(cur, " ")), " ")
			text = docLinkRE.ReplaceAllString(text, "$1")
			out = append(out, GodebugDocParagraph{Minor: minor, Text: text})
		}
		cur = nil
	}
	for _, line := range strings.Split(string(bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))), "\n") {
		if strings.HasPrefix(line, "#") {
			flush()
			if m := docSectionRE.FindStringSubmatch(line); m != nil {
				minor, _ = strconv.Atoi(m[1])
			} else {
				minor = -1
			}
			continue
		}
		if strings.TrimSpace(line) == "" {
			flush()
			continue
		}
		cur = append(cur, line)
	}
	flush()
	return out
}

// mentions reports whether a paragraph names the setting the way
// doc/godebug.md does: `name`, `name=…` or "name=…".
func mentions(text, name string) bool {
	return strings.Contains(text, "`"+name+"`") || strings.Contains(text, "`"+name+"=") ||
		strings.Contains(text, " "+name+"=") || strings.Contains(text, " "+name+" setting")
}

// AttachGodebugDoc fills Doc, NewBehavior and OldBehavior of each setting
// from the history paragraphs.
func AttachGodebugDoc(settings []GodebugSetting, paras []GodebugDocParagraph) {
	for i := range settings {
		s := &settings[i]
		var docs []string
		var changedPara, anyPara string
		for _, p := range paras {
			if !mentions(p.Text, s.Name) {
				continue
			}
			docs = append(docs, p.Text)
			if s.Changed != 0 && p.Minor == s.Changed && changedPara == "" {
				changedPara = p.Text
			}
			if anyPara == "" {
				anyPara = p.Text
			}
		}
		if changedPara == "" {
			// Some changes are documented in the section of the release
			// that announced them (gotypesalias) or of a backport.
			changedPara = anyPara
		}
		s.Doc = strings.Join(docs, "\n")
		if s.Changed == 0 {
			continue
		}
		prev := fmt.Sprintf("Go 1.%d", s.Changed-1)
		s.NewBehavior = fmt.Sprintf("Since Go 1.%d the default changed; see doc/godebug.md.", s.Changed)
		s.OldBehavior = fmt.Sprintf("%s=%s keeps the behaviour of %s.", s.Name, s.Old, prev)
		if changedPara == "" {
			continue
		}
		sents := sentences(changedPara)
		if len(sents) > 0 {
			s.NewBehavior = sents[0]
		}
		for _, st := range sents[1:] {
			if !strings.Contains(st, s.Name) {
				continue
			}
			l := strings.ToLower(st)
			if strings.Contains(l, "revert") || strings.Contains(l, "restore") || strings.Contains(l, "disables") ||
				strings.Contains(l, "previous") || strings.Contains(l, "pre-go") || strings.Contains(l, "re-enable") || strings.Contains(l, "reenable") {
				s.OldBehavior = st
				break
			}
		}
	}
}

// sentences splits a paragraph at ". " followed by a capital letter, a
// backquote or a bracket.
func sentences(p string) []string {
	var out []string
	start := 0
	for i := 0; i+2 < len(p); i++ {
		if p[i] != '.' || p[i+1] != ' ' || i > 0 && p[i-1] == '.' {
			continue
		}
		c := p[i+2]
		if c >= 'A' && c <= 'Z' || c == '`' || c == '[' {
			out = append(out, strings.TrimSpace(p[start:i+1]))
			start = i + 2
		}
	}
	if rest := strings.TrimSpace(p[start:]); rest != "" {
		out = append(out, rest)
	}
	return out
}

// Lookup returns the setting called name.
func (t *GodebugTable) Lookup(name string) (GodebugSetting, bool) {
	for _, s := range t.Settings {
		if s.Name == name {
			return s, true
		}
	}
	return GodebugSetting{}, false
}

// LookupRemoved returns the removal record of name.
func (t *GodebugTable) LookupRemoved(name string) (RemovedGodebug, bool) {
	for _, r := range t.Removed {
		if r.Name == name {
			return r, true
		}
	}
	return RemovedGodebug{}, false
}

// Minor returns the minor number of a Go version ("go1.22.3", "1.22" →
// 22), or -1 for a version that is not Go 1.x.
func Minor(v string) int {
	lang := version.Lang(normalizeGo(v))
	rest, ok := strings.CutPrefix(lang, "go1.")
	if !ok {
		if lang == "go1" {
			return 0
		}
		return -1
	}
	n, err := strconv.Atoi(rest)
	if err != nil {
		return -1
	}
	return n
}

// DefaultsMinor is the minor version whose GODEBUG defaults a module
// declaring Go version v gets: v's minor, but never below
// GodebugDefaultsFloor. An empty go line counts as Go 1.16.
func DefaultsMinor(v string) int {
	m := 16
	if v != "" {
		m = Minor(v)
	}
	if m < GodebugDefaultsFloor {
		m = GodebugDefaultsFloor
	}
	return m
}

// ChangedBetween lists the settings whose default differs between a main
// module at Go version from and one at Go version to, in order of Changed
// then name. It uses the GODEBUG defaults rule (DefaultsMinor); versions
// newer than the table's toolchain can only show the changes the table
// knows of.
func (t *GodebugTable) ChangedBetween(from, to string) []GodebugSetting {
	lo, hi := DefaultsMinor(from), DefaultsMinor(to)
	var out []GodebugSetting
	for _, s := range t.Settings {
		if s.Changed > lo && s.Changed <= hi {
			out = append(out, s)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Changed != out[j].Changed {
			return out[i].Changed < out[j].Changed
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// EncodeGodebugTable writes t as the indented JSON the embedded copy uses.
func EncodeGodebugTable(t *GodebugTable) ([]byte, error) {
	b, err := json.MarshalIndent(t, "", "\t")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
