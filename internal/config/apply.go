package config

import (
	"bytes"
	"fmt"
	"go/scanner"
	"go/token"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/report"
)

// Checks are the findings the policy itself produces.
var (
	IgnoreExpired = finding.Check{
		ID:       "config/ignore-expired",
		Title:    "An ignore in .gocompat.yaml is past its expiry date and no longer applies",
		Severity: finding.Warning,
	}
	IgnoreUnused = finding.Check{
		ID:       "config/ignore-unused",
		Title:    "An ignore matches no finding of a check that ran",
		Severity: finding.Info,
	}
	IgnoreInvalid = finding.Check{
		ID:       "config/ignore-invalid",
		Title:    "An inline //gocompat:ignore comment is malformed and was not applied",
		Severity: finding.Warning,
	}
	UnknownCheck = finding.Check{
		ID:       "config/unknown-check",
		Title:    "The configuration names a check this gocompat does not have",
		Severity: finding.Warning,
	}
	Checks = []finding.Check{IgnoreExpired, IgnoreUnused, IgnoreInvalid, UnknownCheck}
)

// InlineDirective is the comment prefix of an inline ignore in Go files.
const InlineDirective = "//gocompat:ignore"

// inline is one //gocompat:ignore comment.
type inline struct {
	file   string // relative to the report root, slash-separated
	line   int
	col    int
	check  string
	reason string
	used   bool
}

// Apply applies cfg (which may be nil) and the inline ignores to rep:
// findings of disabled checks are dropped, ignored ones are marked
// suppressed, and problems with the policy itself are added as config/*
// findings.
//
// Inline ignores are read lazily: only the Go files that findings point
// into are read (an ignore can only apply on a finding's line or the line
// above, in its file), so a run costs nothing for the Go files it found
// nothing in. A malformed or unused //gocompat:ignore is therefore
// reported only in a file that has findings.
func Apply(rep *report.Report, cfg *Config, reg *finding.Registry, now time.Time) {
	apply(rep, cfg, reg, now, readGoFile)
}

// maxGoFile bounds a Go source file read for inline ignores.
const maxGoFile = 16 << 20

// readGoFile reads a regular file of at most maxGoFile bytes.
func readGoFile(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() || st.Size() > maxGoFile {
		return nil, fmt.Errorf("%s: not a regular file of at most %d bytes", p, maxGoFile)
	}
	return io.ReadAll(io.LimitReader(f, maxGoFile))
}

// apply is Apply with the file reader as a seam (tests count the reads).
func apply(rep *report.Report, cfg *Config, reg *finding.Registry, now time.Time, read func(string) ([]byte, error)) {
	ran := map[string]bool{}
	for _, fam := range rep.Checks {
		ran[fam] = true
	}
	famRan := func(pattern string) bool {
		fam, _, _ := strings.Cut(pattern, "/")
		return ran[fam]
	}
	known := func(pattern string) bool {
		if fam, ok := strings.CutSuffix(pattern, "/*"); ok {
			for _, c := range reg.All() {
				if c.Family() == fam {
					return true
				}
			}
			return false
		}
		_, ok := reg.Lookup(pattern)
		return ok
	}

	var extra []finding.Finding
	cfgLoc := func(line int) finding.Location {
		if cfg == nil {
			return finding.Location{}
		}
		return finding.Location{File: relTo(rep.Root, cfg.Path), Line: line}
	}

	// Disabled checks.
	if cfg != nil && len(cfg.Disable) > 0 {
		kept := rep.Findings[:0]
		for _, f := range rep.Findings {
			off := false
			for _, r := range cfg.Disable {
				if matches(r.Check, f.Check) {
					off = true
					break
				}
			}
			if !off {
				kept = append(kept, f)
			}
		}
		rep.Findings = kept
		for _, r := range cfg.Disable {
			if !known(r.Check) {
				extra = append(extra, finding.New(UnknownCheck, cfgLoc(r.Line),
					fmt.Sprintf("disable names %s, which this gocompat does not know; it has no effect.", r.Check),
					"Correct the ID (gocompat explain lists nothing for it) or remove the entry."))
			}
		}
	}

	// Inline ignores.
	inlines, bad := scanInline(rep.Root, rep.Findings, read)
	for _, b := range bad {
		extra = append(extra, b)
	}
	for i := range rep.Findings {
		f := &rep.Findings[i]
		if f.Location.File == "" || f.Location.Line == 0 {
			continue
		}
		for j := range inlines {
			in := &inlines[j]
			if in.file == f.Location.File && (in.line == f.Location.Line || in.line == f.Location.Line-1) && matches(in.check, f.Check) {
				f.Suppressed = fmt.Sprintf("%s (%s:%d)", in.reason, in.file, in.line)
				in.used = true
			}
		}
	}
	for _, in := range inlines {
		if !in.used && famRan(in.check) {
			extra = append(extra, finding.New(IgnoreUnused, finding.Location{File: in.file, Line: in.line, Column: in.col},
				fmt.Sprintf("%s %s matches no finding here or on the next line.", InlineDirective, in.check),
				"Remove the comment, or move it onto the line of the finding (or the line above)."))
		}
	}

	// Config ignores.
	if cfg != nil {
		for _, ig := range cfg.Ignores {
			if !known(ig.Check) {
				extra = append(extra, finding.New(UnknownCheck, cfgLoc(ig.Line),
					fmt.Sprintf("ignore names %s, which this gocompat does not know; it has no effect.", ig.Check),
					"Correct the ID or remove the entry."))
				continue
			}
			if !ig.Expires.IsZero() && !now.Before(ig.Expires.AddDate(0, 0, 1)) {
				extra = append(extra, finding.New(IgnoreExpired, cfgLoc(ig.Line),
					fmt.Sprintf("The ignore of %s (%q) expired on %s; its findings are reported again.", ig.Check, ig.Reason, ig.Expires.Format("2006-01-02")),
					"Fix the findings and remove the ignore, or set a new expires date if the reason still holds."))
				continue
			}
			used := false
			for i := range rep.Findings {
				f := &rep.Findings[i]
				if f.Suppressed != "" || !matches(ig.Check, f.Check) {
					continue
				}
				if ig.Path != "" && !pathMatches(ig.Path, f.Location) {
					continue
				}
				f.Suppressed = fmt.Sprintf("%s (%s:%d)", ig.Reason, relTo(rep.Root, cfg.Path), ig.Line)
				used = true
			}
			if !used && famRan(ig.Check) {
				extra = append(extra, finding.New(IgnoreUnused, cfgLoc(ig.Line),
					fmt.Sprintf("The ignore of %s matches no finding.", ig.Check),
					"Remove it: what it covered is gone (or its path no longer matches)."))
			}
		}
	}
	rep.Findings = append(rep.Findings, extra...)
	if len(extra) > 0 && !ran["config"] {
		rep.Checks = append(rep.Checks, "config")
	}
}

func pathMatches(glob string, loc finding.Location) bool {
	for _, p := range []string{loc.File, loc.Object} {
		if p == "" {
			continue
		}
		if ok, _ := filepath.Match(glob, p); ok {
			return true
		}
		// A glob ending in /** or a bare directory covers everything below.
		if dir, ok := strings.CutSuffix(glob, "/**"); ok && (p == dir || strings.HasPrefix(p, dir+"/")) {
			return true
		}
	}
	return false
}

func relTo(root, p string) string {
	if root == "" {
		return filepath.ToSlash(p)
	}
	if r, err := filepath.Rel(root, p); err == nil {
		return filepath.ToSlash(r)
	}
	return filepath.ToSlash(p)
}

// scanInline finds the //gocompat:ignore comments of the Go files that
// findings point into (relative paths inside root, read once each).
func scanInline(root string, fs []finding.Finding, read func(string) ([]byte, error)) ([]inline, []finding.Finding) {
	if root == "" {
		return nil, nil
	}
	var files []string
	seen := map[string]bool{}
	for _, f := range fs {
		rel := f.Location.File
		if seen[rel] || !strings.HasSuffix(rel, ".go") || path.IsAbs(rel) || filepath.IsAbs(rel) || rel != path.Clean(rel) || rel == ".." || strings.HasPrefix(rel, "../") {
			continue
		}
		seen[rel] = true
		files = append(files, rel)
	}
	sort.Strings(files)
	var out []inline
	var bad []finding.Finding
	for _, rel := range files {
		data, err := read(filepath.Join(root, filepath.FromSlash(rel)))
		if err != nil || !bytes.Contains(data, []byte(InlineDirective)) {
			continue
		}
		for _, c := range goComments(data) {
			text := c.text
			if !strings.HasPrefix(text, InlineDirective) {
				continue
			}
			rest := text[len(InlineDirective):]
			if rest != "" && rest[0] != ' ' && rest[0] != '\t' {
				continue // e.g. //gocompat:ignoreX is not ours
			}
			fields := strings.Fields(rest)
			loc := finding.Location{File: rel, Line: c.line, Column: c.col}
			switch {
			case len(fields) == 0:
				bad = append(bad, finding.New(IgnoreInvalid, loc, InlineDirective+" needs a check ID and a reason.",
					"Write //gocompat:ignore <check-id> <why this is safe>."))
			case validPattern(fields[0]) != nil:
				bad = append(bad, finding.New(IgnoreInvalid, loc, fmt.Sprintf("%q is not a check ID.", fields[0]),
					"Write //gocompat:ignore <family/name> <why this is safe>; gocompat explain lists IDs."))
			case len(fields) == 1:
				bad = append(bad, finding.New(IgnoreInvalid, loc, fmt.Sprintf("The ignore of %s gives no reason, so it is not applied.", fields[0]),
					"Add why it is safe: //gocompat:ignore "+fields[0]+" <reason>."))
			default:
				out = append(out, inline{file: rel, line: c.line, col: c.col, check: fields[0], reason: strings.Join(fields[1:], " ")})
			}
		}
	}
	return out, bad
}

type comment struct {
	line, col int
	text      string
}

// goComments returns the // comments of a Go source file, found with the
// Go scanner so that the directive inside a string literal or in the
// middle of another comment does not count. Scan errors are ignored: a
// file that does not compile still has comments worth honouring.
func goComments(src []byte) []comment {
	var s scanner.Scanner
	fset := token.NewFileSet()
	file := fset.AddFile("", fset.Base(), len(src))
	s.Init(file, src, func(token.Position, string) {}, scanner.ScanComments)
	var out []comment
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			return out
		}
		if tok == token.COMMENT && strings.HasPrefix(lit, "//") {
			p := fset.Position(pos)
			out = append(out, comment{line: p.Line, col: p.Column, text: lit})
		}
	}
}
