// Package text renders a report for people: what was looked at, findings
// grouped by check family with their fix and sources, and a one-line
// summary. Colour is the caller's decision (see cli: only on a terminal,
// never with NO_COLOR).
package text

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/report"
)

// Options control rendering.
type Options struct {
	Color bool
	// Verbose also prints info findings' sources and suppressed findings.
	Verbose bool
}

const (
	red    = "\x1b[31m"
	yellow = "\x1b[33m"
	cyan   = "\x1b[36m"
	bold   = "\x1b[1m"
	dim    = "\x1b[2m"
	reset  = "\x1b[0m"
)

type printer struct {
	w   io.Writer
	opt Options
	err error
}

func (p *printer) printf(format string, args ...any) {
	if p.err != nil {
		return
	}
	_, p.err = fmt.Fprintf(p.w, format, args...)
}

func (p *printer) paint(code, s string) string {
	if !p.opt.Color {
		return s
	}
	return code + s + reset
}

func (p *printer) sev(s finding.Severity) string {
	switch s {
	case finding.Error:
		return p.paint(bold+red, "error")
	case finding.Warning:
		return p.paint(yellow, "warning")
	}
	return p.paint(cyan, "info")
}

// Write renders r to w.
func Write(w io.Writer, r *report.Report, opt Options) error {
	p := &printer{w: w, opt: opt}
	for _, s := range r.Subjects {
		p.printf("%s %s", p.paint(bold, Escape(s.Kind)+":"), Escape(s.Name))
		if s.Path != "" {
			p.printf(" (%s)", Escape(s.Path))
		}
		p.printf("\n")
		if opt.Verbose {
			keys := make([]string, 0, len(s.Attributes))
			for k := range s.Attributes {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				p.printf("    %s: %s\n", Escape(k), Escape(s.Attributes[k]))
			}
		}
	}
	if len(r.Subjects) > 0 {
		p.printf("\n")
	}
	for _, t := range r.Tables {
		p.table(t)
	}

	// Group by family, families in order of their worst finding (findings
	// are already sorted by severity), so the most urgent group is first.
	var families []string
	groups := map[string][]finding.Finding{}
	for _, f := range r.Findings {
		if f.Suppressed != "" && !opt.Verbose {
			continue
		}
		fam, _, _ := strings.Cut(f.Check, "/")
		if _, ok := groups[fam]; !ok {
			families = append(families, fam)
		}
		groups[fam] = append(groups[fam], f)
	}
	for _, fam := range families {
		fs := groups[fam]
		p.printf("%s\n", p.paint(bold, fmt.Sprintf("%s (%d)", Escape(fam), len(fs))))
		for _, f := range fs {
			loc := Escape(f.Location.String())
			if loc != "" {
				loc += ": "
			}
			p.printf("  %s%s %s\n", loc, p.sev(f.Severity), p.paint(dim, "["+Escape(f.Check)+"]"))
			if f.Suppressed != "" {
				p.printf("      suppressed: %s\n", Escape(f.Suppressed))
			}
			for _, line := range strings.Split(f.Message, "\n") {
				p.printf("      %s\n", Escape(line))
			}
			if f.Fix != "" {
				fix := strings.Split(f.Fix, "\n")
				p.printf("      fix: %s\n", Escape(fix[0]))
				for _, line := range fix[1:] {
					p.printf("           %s\n", Escape(line))
				}
			}
			if f.Severity > finding.Info || opt.Verbose {
				for _, s := range f.Sources {
					if s.URL != "" {
						p.printf("      see: %s <%s>\n", Escape(s.Title), Escape(s.URL))
					} else {
						p.printf("      see: %s\n", Escape(s.Title))
					}
				}
			}
		}
		p.printf("\n")
	}
	if opt.Verbose && len(r.Steps) > 0 {
		p.steps(r.Steps)
	}
	p.printf("%s\n", Summary(r))
	return p.err
}

// table prints t with its columns aligned, a title line above.
func (p *printer) table(t report.Table) {
	width := make([]int, len(t.Columns))
	for i, c := range t.Columns {
		width[i] = len([]rune(c))
	}
	for _, row := range t.Rows {
		for i := 0; i < len(row) && i < len(width); i++ {
			if n := len([]rune(row[i])); n > width[i] {
				width[i] = n
			}
		}
	}
	line := func(cells []string) {
		var b strings.Builder
		for i := range width {
			cell := ""
			if i < len(cells) {
				cell = cells[i]
			}
			b.WriteString(cell)
			if i < len(width)-1 {
				b.WriteString(strings.Repeat(" ", width[i]-len([]rune(cell))+2))
			}
		}
		p.printf("  %s\n", strings.TrimRight(b.String(), " "))
	}
	p.printf("%s\n", p.paint(bold, t.Title))
	line(t.Columns)
	for _, row := range t.Rows {
		line(row)
	}
	p.printf("\n")
}

// steps prints each step's wall time (-v): steps run in parallel, so
// the whole run takes less than their sum.
func (p *printer) steps(steps []report.StepRun) {
	w, end := 0, 0.0
	for _, s := range steps {
		w = max(w, len(s.Family))
		end = max(end, s.Start+s.Seconds)
	}
	p.printf("%s\n", p.paint(bold, fmt.Sprintf("time: %.2fs in all, steps in parallel", end)))
	for _, s := range steps {
		p.printf("  %-*s %8.2fs", w, s.Family, s.Seconds)
		if s.Status != report.StepDone {
			p.printf("  %s", s.Status)
		}
		p.printf("\n")
	}
	p.printf("\n")
}

// Summary is the one-line summary: counts per severity and what ran.
func Summary(r *report.Report) string {
	c := r.Summary
	parts := []string{
		plural(c.Error, "error"),
		plural(c.Warning, "warning"),
		fmt.Sprintf("%d info", c.Info),
	}
	s := strings.Join(parts, ", ")
	if c.Suppressed > 0 {
		s += fmt.Sprintf(" (%d suppressed)", c.Suppressed)
	}
	if len(r.Checks) > 0 {
		s += " — checked: " + Escape(strings.Join(r.Checks, ", "))
	}
	return s
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
