// Package markdown renders a report as GitHub-flavoured Markdown for job
// summaries ($GITHUB_STEP_SUMMARY) and pull-request comments: a summary
// line, what was looked at, the matrices (binaries × targets, and any
// other subject kind that forms a table) as tables, and the findings
// grouped by file, each with a link to its line when a link base is given.
//
// Everything a file supplies (messages quote Dockerfile lines, unit keys,
// workflow values) is escaped so that it cannot open a table cell, a link,
// an HTML tag or a code span of its own.
package markdown

import (
	"fmt"
	"io"
	"path"
	"sort"
	"strings"

	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/report"
)

// Options control rendering.
type Options struct {
	// LinkBase, if set, is the URL that a repository-relative path is
	// appended to for a link to the file, e.g.
	// https://github.com/OWNER/REPO/blob/SHA/ (the GitHub Action sets it
	// from GITHUB_SERVER_URL, GITHUB_REPOSITORY and GITHUB_SHA). Lines are
	// linked as #L12.
	LinkBase string
	// Verbose also lists suppressed findings.
	Verbose bool
}

// tableKinds are the subject kinds whose subjects form a matrix: the
// first subject of the kind is the header row (its Name holds the column
// labels), the others are rows whose Attributes hold the cells under
// "<prefix><column>" keys.
var tableKinds = map[string]string{
	"runs-on": "binaries × targets",
	"matrix":  "Go releases",
}

// Write renders r to w.
func Write(w io.Writer, r *report.Report, opt Options) error {
	var b strings.Builder
	title := "gocompat " + r.Command
	fmt.Fprintf(&b, "## %s\n\n", esc(title))
	fmt.Fprintf(&b, "%s\n\n", summary(r))

	var plain []report.Subject
	tables := map[string][]report.Subject{}
	var tableOrder []string
	for _, s := range r.Subjects {
		if _, ok := tableKinds[s.Kind]; ok {
			if _, seen := tables[s.Kind]; !seen {
				tableOrder = append(tableOrder, s.Kind)
			}
			tables[s.Kind] = append(tables[s.Kind], s)
			continue
		}
		plain = append(plain, s)
	}
	if len(plain) > 0 {
		b.WriteString("<details><summary>What was looked at</summary>\n\n")
		for _, s := range plain {
			fmt.Fprintf(&b, "- **%s** %s", esc(s.Kind), esc(s.Name))
			if s.Path != "" {
				fmt.Fprintf(&b, " (%s)", code(s.Path))
			}
			b.WriteString("\n")
		}
		b.WriteString("\n</details>\n\n")
	}
	for _, kind := range tableOrder {
		writeTable(&b, tableKinds[kind], tables[kind])
	}

	// Findings grouped by file; those without a file last, under what
	// they are about.
	type group struct {
		key   string
		items []finding.Finding
	}
	var groups []*group
	byKey := map[string]*group{}
	for _, f := range r.Findings {
		if f.Suppressed != "" && !opt.Verbose {
			continue
		}
		key := f.Location.File
		g := byKey[key]
		if g == nil {
			g = &group{key: key}
			byKey[key] = g
			groups = append(groups, g)
		}
		g.items = append(g.items, f)
	}
	sort.SliceStable(groups, func(i, j int) bool {
		if (groups[i].key == "") != (groups[j].key == "") {
			return groups[j].key == ""
		}
		return groups[i].key < groups[j].key
	})
	for _, g := range groups {
		if g.key == "" {
			b.WriteString("### Not in a file\n\n")
		} else {
			fmt.Fprintf(&b, "### %s\n\n", link(opt.LinkBase, g.key, 0, code(g.key)))
		}
		for _, f := range g.items {
			where := ""
			switch {
			case f.Location.File != "" && f.Location.Line > 0:
				where = link(opt.LinkBase, f.Location.File, f.Location.Line, fmt.Sprintf("line %d", f.Location.Line)) + " "
			case f.Location.Object != "":
				where = code(f.Location.Object) + " "
			}
			fmt.Fprintf(&b, "- %s%s %s", where, badge(f.Severity), code(f.Check))
			if f.Suppressed != "" {
				fmt.Fprintf(&b, " (suppressed: %s)", esc(f.Suppressed))
			}
			b.WriteString("  \n")
			fmt.Fprintf(&b, "  %s", paragraph(f.Message))
			if f.Fix != "" {
				fmt.Fprintf(&b, "  \n  **Fix:** %s", paragraph(f.Fix))
			}
			b.WriteString("\n")
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func summary(r *report.Report) string {
	c := r.Summary
	s := fmt.Sprintf("**%d error%s, %d warning%s, %d info**", c.Error, plural(c.Error), c.Warning, plural(c.Warning), c.Info)
	if c.Suppressed > 0 {
		s += fmt.Sprintf(" (%d suppressed)", c.Suppressed)
	}
	if len(r.Checks) > 0 {
		s += " — checked: " + esc(strings.Join(r.Checks, ", "))
	}
	return s
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func badge(s finding.Severity) string {
	switch s {
	case finding.Error:
		return "🔴 **error**"
	case finding.Warning:
		return "🟡 **warning**"
	}
	return "🔵 info"
}

// writeTable renders a matrix: the header subject's attributes (or the
// union of the rows' attribute keys) are the columns.
func writeTable(b *strings.Builder, title string, subjects []report.Subject) {
	var rows []report.Subject
	for _, s := range subjects {
		if len(s.Attributes) > 0 {
			rows = append(rows, s)
		}
	}
	if len(rows) == 0 {
		return
	}
	// The first column is the attribute every row has and that is not a
	// cell ("binary" for runs-on, "release" for matrix); the cells are
	// the others, in the order of their keys.
	first := ""
	keySet := map[string]bool{}
	for _, r := range rows {
		for k := range r.Attributes {
			keySet[k] = true
		}
	}
	for _, k := range []string{"binary", "release", "go"} {
		if keySet[k] {
			first = k
			break
		}
	}
	var cols []string
	for k := range keySet {
		if k != first {
			cols = append(cols, k)
		}
	}
	sort.Strings(cols)
	fmt.Fprintf(b, "#### %s\n\n|", esc(title))
	if first != "" {
		fmt.Fprintf(b, " %s |", esc(first))
	}
	for _, c := range cols {
		label := c
		if _, after, ok := strings.Cut(c, ":"); ok {
			label = after
		}
		fmt.Fprintf(b, " %s |", esc(label))
	}
	b.WriteString("\n|")
	for range len(cols) + min(len(first), 1) {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for _, r := range rows {
		b.WriteString("|")
		if first != "" {
			fmt.Fprintf(b, " %s |", esc(r.Attributes[first]))
		}
		for _, c := range cols {
			fmt.Fprintf(b, " %s |", esc(r.Attributes[c]))
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
}

func link(base, file string, line int, text string) string {
	if base == "" || path.IsAbs(file) || strings.HasPrefix(file, "../") {
		return text
	}
	u := strings.TrimSuffix(base, "/") + "/" + escapeURLPath(file)
	if line > 0 {
		u += fmt.Sprintf("#L%d", line)
	}
	return "[" + text + "](" + u + ")"
}

func escapeURLPath(p string) string {
	var b strings.Builder
	for _, r := range p {
		switch {
		case r == '/' || r == '.' || r == '-' || r == '_' || r == '~' ||
			(r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9'):
			b.WriteRune(r)
		default:
			for _, c := range []byte(string(r)) {
				fmt.Fprintf(&b, "%%%02X", c)
			}
		}
	}
	return b.String()
}

// code renders s as an inline code span that s cannot close: the fence is
// one backtick longer than the longest run of backticks in s.
func code(s string) string {
	s = controls(s)
	s = strings.ReplaceAll(s, "\n", " ")
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	pad := ""
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		pad = " "
	}
	return fence + pad + s + pad + fence
}

// paragraph escapes a multi-line text for a list item's continuation.
func paragraph(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = esc(l)
	}
	return strings.Join(lines, "  \n  ")
}

// esc escapes Markdown and HTML syntax and control characters in s.
func esc(s string) string {
	s = controls(s)
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '(', ')', '#', '|', '<', '>', '!', '~', '{', '}':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '&':
			b.WriteString("&amp;")
		case '\n':
			b.WriteString(" ")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// controls shows control characters (terminal escapes and the like) as
// \x1b-style escapes; tabs become spaces.
func controls(s string) string {
	if !strings.ContainsFunc(s, isControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\t':
			b.WriteByte(' ')
		case r == '\n':
			b.WriteRune(r)
		case isControl(r):
			fmt.Fprintf(&b, "\\x%02x", r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isControl(r rune) bool {
	return (r < 0x20 && r != '\n') || r == 0x7f || (r >= 0x80 && r < 0xa0)
}
