// Package finding defines what every gocompat check produces and every
// renderer consumes: a Finding with a stable check ID, a severity, a
// location, a message, a fix and the sources behind it.
//
// Checks are declared once, in a Registry, with the metadata that
// `gocompat explain`, the text report and SARIF rule descriptors share. The
// long help of each check lives in docs/checks/<family>/<name>.md and is
// embedded by package docs; a test keeps registry and pages in step.
package finding

import (
	"fmt"
	"sort"
	"strings"
)

// Severity orders findings. The zero value is Info so that a forgotten
// severity never fails a build on its own.
type Severity int

const (
	Info Severity = iota
	Warning
	Error
)

func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// ParseSeverity accepts "info", "warning" (or "warn") and "error".
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "info", "note":
		return Info, nil
	case "warning", "warn":
		return Warning, nil
	case "error":
		return Error, nil
	}
	return Info, fmt.Errorf("unknown severity %q (want error, warning or info)", s)
}

func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Location says where a finding applies. File is slash-separated and, when
// the file lies inside the audited directory, relative to it. Object names
// what is not a file region: a binary, a host path, a unit, an environment
// variable. A finding may have both (a unit file and the line in it).
type Location struct {
	File      string `json:"file,omitempty"`
	Line      int    `json:"line,omitempty"`
	Column    int    `json:"column,omitempty"`
	EndLine   int    `json:"endLine,omitempty"`
	EndColumn int    `json:"endColumn,omitempty"`
	Object    string `json:"object,omitempty"`
}

// String renders file:line:col, falling back to the object.
func (l Location) String() string {
	var b strings.Builder
	if l.File != "" {
		b.WriteString(l.File)
		if l.Line > 0 {
			fmt.Fprintf(&b, ":%d", l.Line)
			if l.Column > 0 {
				fmt.Fprintf(&b, ":%d", l.Column)
			}
		}
	}
	if l.Object != "" {
		if b.Len() > 0 {
			b.WriteString(" ")
			fmt.Fprintf(&b, "(%s)", l.Object)
		} else {
			b.WriteString(l.Object)
		}
	}
	return b.String()
}

// Source is the citation behind a fact a finding relies on.
type Source struct {
	Title string `json:"title"`
	URL   string `json:"url,omitempty"`
}

// Finding is one result of one check.
type Finding struct {
	Check    string   `json:"check"`
	Severity Severity `json:"severity"`
	Location Location `json:"location"`
	Message  string   `json:"message"`
	Fix      string   `json:"fix,omitempty"`
	Sources  []Source `json:"sources,omitempty"`
	// Details holds structured evidence (versions, paths, values) that
	// machine readers can use without parsing the message.
	Details map[string]string `json:"details,omitempty"`
	// Suppressed is set when an ignore matched; such findings are kept in
	// JSON for audit trails but do not count towards the exit code.
	Suppressed string `json:"suppressed,omitempty"`
}

// Sort orders findings by severity (highest first), then file, line,
// column, check and message, so that every output is deterministic.
func Sort(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Severity != b.Severity {
			return a.Severity > b.Severity
		}
		if a.Location.File != b.Location.File {
			return a.Location.File < b.Location.File
		}
		if a.Location.Line != b.Location.Line {
			return a.Location.Line < b.Location.Line
		}
		if a.Location.Column != b.Location.Column {
			return a.Location.Column < b.Location.Column
		}
		if a.Check != b.Check {
			return a.Check < b.Check
		}
		if a.Location.Object != b.Location.Object {
			return a.Location.Object < b.Location.Object
		}
		return a.Message < b.Message
	})
}

// Check is the declaration of one kind of finding.
type Check struct {
	// ID is "family/name", lower case with dashes, stable across releases.
	ID string `json:"id"`
	// Title is one short sentence shown as the SARIF rule's short text.
	Title string `json:"title"`
	// Severity is the default severity; a finding may raise or lower it.
	Severity Severity `json:"severity"`
	// Sources are the primary references for the fact the check rests on.
	Sources []Source `json:"sources,omitempty"`
	// Help is the check's documentation (Markdown), filled from its doc
	// page under docs/checks when the registry is assembled.
	Help string `json:"help,omitempty"`
}

// Family is the part of the ID before the slash.
func (c Check) Family() string {
	f, _, _ := strings.Cut(c.ID, "/")
	return f
}

// Registry maps check IDs to their declarations.
type Registry struct {
	checks map[string]Check
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{checks: map[string]Check{}} }

// Add declares checks. A malformed or duplicate ID is a programming error
// and panics at start-up, where a test catches it.
func (r *Registry) Add(cs ...Check) {
	for _, c := range cs {
		if err := ValidID(c.ID); err != nil {
			panic(err)
		}
		if _, dup := r.checks[c.ID]; dup {
			panic("finding: duplicate check " + c.ID)
		}
		r.checks[c.ID] = c
	}
}

// Lookup returns the declaration of id.
func (r *Registry) Lookup(id string) (Check, bool) {
	if r == nil {
		return Check{}, false
	}
	c, ok := r.checks[id]
	return c, ok
}

// All returns every check, sorted by ID.
func (r *Registry) All() []Check {
	out := make([]Check, 0, len(r.checks))
	for _, c := range r.checks {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// ValidID reports whether id has the form family/name with lower-case
// letters, digits and dashes in each part.
func ValidID(id string) error {
	fam, name, ok := strings.Cut(id, "/")
	if !ok || fam == "" || name == "" || strings.Contains(name, "/") {
		return fmt.Errorf("check ID %q: want family/name", id)
	}
	for _, r := range fam + name {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return fmt.Errorf("check ID %q: only a-z, 0-9 and - are allowed", id)
		}
	}
	return nil
}

// New builds a finding of check c with its default severity and sources.
func New(c Check, loc Location, msg, fix string) Finding {
	return Finding{
		Check:    c.ID,
		Severity: c.Severity,
		Location: loc,
		Message:  msg,
		Fix:      fix,
		Sources:  append([]Source(nil), c.Sources...),
	}
}

// Counts tallies unsuppressed findings per severity.
type Counts struct {
	Error      int `json:"error"`
	Warning    int `json:"warning"`
	Info       int `json:"info"`
	Suppressed int `json:"suppressed"`
}

// Count tallies fs.
func Count(fs []Finding) Counts {
	var c Counts
	for _, f := range fs {
		switch {
		case f.Suppressed != "":
			c.Suppressed++
		case f.Severity == Error:
			c.Error++
		case f.Severity == Warning:
			c.Warning++
		default:
			c.Info++
		}
	}
	return c
}

// AtLeast reports whether any unsuppressed finding has severity >= min.
func AtLeast(fs []Finding, min Severity) bool {
	for _, f := range fs {
		if f.Suppressed == "" && f.Severity >= min {
			return true
		}
	}
	return false
}

// Threshold is a --fail-on value: a severity, or Never.
type Threshold struct {
	Never bool
	Min   Severity
}

// ParseThreshold accepts error, warning, info and never.
func ParseThreshold(s string) (Threshold, error) {
	if strings.EqualFold(strings.TrimSpace(s), "never") {
		return Threshold{Never: true}, nil
	}
	sev, err := ParseSeverity(s)
	if err != nil {
		return Threshold{}, fmt.Errorf("unknown --fail-on value %q (want error, warning, info or never)", s)
	}
	return Threshold{Min: sev}, nil
}

// Fails reports whether fs trip the threshold.
func (t Threshold) Fails(fs []Finding) bool {
	return !t.Never && AtLeast(fs, t.Min)
}

// SetHelp attaches documentation to a declared check.
func (r *Registry) SetHelp(id, help string) {
	if c, ok := r.checks[id]; ok {
		c.Help = help
		r.checks[id] = c
	}
}

// Subject is something a run looked at: a toolchain, a module, a binary, a
// host. Attributes are the facts read from it, for people and for
// machines; they are evidence, not judgement. Checks return subjects next
// to their findings; the report (report.Subject) carries them.
type Subject struct {
	Kind       string            `json:"kind"`
	Name       string            `json:"name"`
	Path       string            `json:"path,omitempty"`
	Attributes map[string]string `json:"attributes,omitempty"`
}
