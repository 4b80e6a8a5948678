// Package format is the table of output formats: name → renderer. The
// table drives the --format flag's validation, its help text and the
// dispatch, so a new format is one file here (a Renderer registered from
// its init func) and nothing else. Renderers take a finished report and
// an io.Writer and never import a check.
package format

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"

	"github.com/gocompat/gocompat/internal/report"
)

// Options are what a renderer may take from the command line.
type Options struct {
	Color   bool // colour (text)
	Verbose bool // evidence, sources and suppressed findings (text)
	// LinkBase is the URL that a file's path is appended to for a link to
	// it (markdown), e.g. https://github.com/OWNER/REPO/blob/SHA/.
	LinkBase string
}

// A Renderer writes a report in one format.
type Renderer struct {
	// Name is the --format value.
	Name string
	// Summary is one line for gocompat help.
	Summary string
	Write   func(w io.Writer, r *report.Report, opt Options) error
}

var (
	mu    sync.Mutex
	table = map[string]Renderer{}
)

// Register adds a renderer; a format file calls it from init. A
// duplicate name is a programming error and panics. The returned func
// removes the renderer again (for tests that add one).
func Register(r Renderer) (unregister func()) {
	mu.Lock()
	defer mu.Unlock()
	if _, dup := table[r.Name]; dup {
		panic("format: duplicate format " + r.Name)
	}
	table[r.Name] = r
	return func() {
		mu.Lock()
		defer mu.Unlock()
		delete(table, r.Name)
	}
}

// Lookup returns the renderer of name.
func Lookup(name string) (Renderer, bool) {
	mu.Lock()
	defer mu.Unlock()
	r, ok := table[name]
	return r, ok
}

// All returns the renderers, by name.
func All() []Renderer {
	mu.Lock()
	defer mu.Unlock()
	out := make([]Renderer, 0, len(table))
	for _, r := range table {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Names lists the format names as "a, b or c".
func Names() string {
	var ns []string
	for _, r := range All() {
		ns = append(ns, r.Name)
	}
	switch len(ns) {
	case 0:
		return ""
	case 1:
		return ns[0]
	}
	return strings.Join(ns[:len(ns)-1], ", ") + " or " + ns[len(ns)-1]
}

// Bar lists the format names as "a|b|c", for usage lines.
func Bar() string {
	var ns []string
	for _, r := range All() {
		ns = append(ns, r.Name)
	}
	return strings.Join(ns, "|")
}

// Write renders r in the named format.
func Write(name string, w io.Writer, r *report.Report, opt Options) error {
	rd, ok := Lookup(name)
	if !ok {
		return fmt.Errorf("unknown format %q (want %s)", name, Names())
	}
	return rd.Write(w, r, opt)
}
