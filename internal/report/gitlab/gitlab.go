// Package gitlab renders a report as a GitLab Code Quality report: the
// JSON array of issues that a job publishes with
// `artifacts:reports:codequality`, which GitLab shows in merge requests
// and the pipeline's Code Quality tab.
//
// Mapping (GitLab's format is documented at
// https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format,
// a subset of the Code Climate engine specification):
//   - one issue per finding that counts; suppressed findings (ignores,
//     baselines) are left out, since the format has no suppression;
//   - description = message, then the fix; check_name = the check ID;
//   - severity: error → critical, warning → major, info → info (GitLab's
//     five values are info, minor, major, critical and blocker);
//   - fingerprint = finding.Fingerprint, which survives lines moving. GitLab
//     shows only the first issue of equal fingerprints, so the second and
//     later findings with the same one get a counter appended and every
//     issue keeps its own;
//   - location.path is relative to the audited directory (run gocompat at
//     the repository's root, as the CI template does), with
//     location.lines.begin. A finding without a file, or with one outside
//     the audited directory (a toolchain, a host, a binary), is placed on
//     line 1 of the report's anchor file (go.mod, go.work …), the object
//     it is about named in the description.
package gitlab

import (
	"encoding/json"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/report"
)

// Issue is one entry of a Code Quality report.
type Issue struct {
	Description string   `json:"description"`
	CheckName   string   `json:"check_name"`
	Fingerprint string   `json:"fingerprint"`
	Severity    string   `json:"severity"`
	Location    Location `json:"location"`
}

// Location is where an issue is shown.
type Location struct {
	Path  string `json:"path"`
	Lines Lines  `json:"lines"`
}

// Lines is the line range of a location.
type Lines struct {
	Begin int `json:"begin"`
}

// Severity maps a finding's severity to GitLab's scale.
func Severity(s finding.Severity) string {
	switch s {
	case finding.Error:
		return "critical"
	case finding.Warning:
		return "major"
	}
	return "info"
}

// Issues converts the counted findings of r.
func Issues(r *report.Report) []Issue {
	issues := []Issue{}
	seen := map[string]int{}
	anchor := r.Anchor
	if anchor == "" {
		anchor = "."
	}
	for _, f := range r.Findings {
		if f.Suppressed != "" {
			continue
		}
		desc := f.Message
		file, line := f.Location.File, f.Location.Line
		if file == "" || path.IsAbs(file) || strings.HasPrefix(path.Clean(file), "../") {
			about := f.Location.Object
			if file != "" {
				about = f.Location.String()
			}
			if about != "" {
				desc = about + ": " + desc
			}
			file, line = anchor, 1
		}
		if line < 1 {
			line = 1
		}
		if f.Fix != "" {
			desc += "\nFix: " + f.Fix
		}
		fp := finding.Fingerprint(f)
		if n := seen[fp]; n > 0 {
			seen[fp] = n + 1
			fp = fmt.Sprintf("%s-%d", fp, n+1)
		} else {
			seen[fp] = 1
		}
		issues = append(issues, Issue{
			Description: desc,
			CheckName:   f.Check,
			Fingerprint: fp,
			Severity:    Severity(f.Severity),
			Location:    Location{Path: path.Clean(file), Lines: Lines{Begin: line}},
		})
	}
	return issues
}

// Write renders r to w as a Code Quality report.
func Write(w io.Writer, r *report.Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(Issues(r))
}
