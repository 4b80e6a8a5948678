// Package report holds the result of one gocompat run and its JSON form,
// which is the pivot between checks and renderers: every renderer
// (text, SARIF) takes a Report, and a Report saved as JSON replays into any
// of them (see Decode).
//
// The JSON schema is versioned by SchemaVersion and documented in
// docs/json-schema.md. Additive changes keep the version; renaming or
// removing a field, or changing its meaning, bumps it.
package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/fsread"
)

// SchemaVersion is the version of the JSON document written by Encode.
const SchemaVersion = "1"

// Tool identifies the program that produced a report.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	URI     string `json:"informationUri,omitempty"`
}

// Subject is something a run looked at (see finding.Subject, where the
// checks that describe subjects find it without importing the report).
type Subject = finding.Subject

// Report is the outcome of one command.
type Report struct {
	SchemaVersion string `json:"schemaVersion"`
	Tool          Tool   `json:"tool"`
	// Command is the subcommand that produced the report (audit, doctor …).
	Command string `json:"command"`
	// Root is the audited directory as given by the user; file locations
	// are relative to it.
	Root string `json:"root,omitempty"`
	// Anchor is the file (relative to Root) to which findings without a
	// file of their own are attached where a format needs a file (SARIF).
	Anchor   string            `json:"anchor,omitempty"`
	Subjects []Subject         `json:"subjects"`
	Findings []finding.Finding `json:"findings"`
	// Rules describes every check that appears in Findings.
	Rules   []finding.Check `json:"rules"`
	Summary finding.Counts  `json:"summary"`
	// Checks lists the check families that ran, so a reader can tell
	// "nothing found" from "not looked at".
	Checks []string `json:"checks,omitempty"`
	// Tables are results that read best as a grid (releases × build,
	// vet, test); evidence like Subjects, not findings.
	Tables []Table `json:"tables,omitempty"`
	// Steps says how each step of the run went and how long it took, in
	// run order. Only the times differ between two runs on the same
	// input; ZeroTimes clears them to compare reports.
	Steps []StepRun `json:"steps,omitempty"`
}

// Table is a titled grid of cells; every row has one cell per column.
type Table struct {
	Title   string     `json:"title"`
	Columns []string   `json:"columns"`
	Rows    [][]string `json:"rows"`
}

// Step statuses.
const (
	StepDone        = "done"        // the step finished (its findings are in)
	StepFailed      = "failed"      // it returned an error (audit/step-failed)
	StepTimedOut    = "timed-out"   // cancelled after --step-timeout (audit/step-timeout)
	StepInterrupted = "interrupted" // the run was interrupted first (audit/interrupted)
)

// StepRun is one step of a run: its family, how it ended, and when it
// started and how long it ran (wall time in seconds, to the millisecond,
// from the start of the run's first step). Steps run in parallel, so
// their times can overlap.
type StepRun struct {
	Family  string  `json:"family"`
	Status  string  `json:"status"`
	Start   float64 `json:"start"`
	Seconds float64 `json:"seconds"`
}

// ZeroTimes clears the times of r's steps: what two runs on the same
// input may differ in.
func (r *Report) ZeroTimes() {
	for i := range r.Steps {
		r.Steps[i].Start, r.Steps[i].Seconds = 0, 0
	}
}

// Finish sorts findings, fills Rules from reg and recomputes Summary. Call
// it once all findings are in.
func (r *Report) Finish(reg *finding.Registry) {
	r.SchemaVersion = SchemaVersion
	if r.Subjects == nil {
		r.Subjects = []Subject{}
	}
	if r.Findings == nil {
		r.Findings = []finding.Finding{}
	}
	finding.Sort(r.Findings)
	seen := map[string]bool{}
	r.Rules = r.Rules[:0]
	for _, f := range r.Findings {
		if seen[f.Check] {
			continue
		}
		seen[f.Check] = true
		c, ok := reg.Lookup(f.Check)
		if !ok {
			c = finding.Check{ID: f.Check, Title: f.Check, Severity: f.Severity}
		}
		r.Rules = append(r.Rules, c)
	}
	if r.Rules == nil {
		r.Rules = []finding.Check{}
	}
	r.Summary = finding.Count(r.Findings)
}

// Encode writes r as indented JSON.
func Encode(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// Decode reads a report written by Encode. It refuses documents of another
// schema version rather than misreading them.
func Decode(rd io.Reader) (*Report, error) {
	var r Report
	dec := json.NewDecoder(rd)
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("decode report: %w", err)
	}
	if r.SchemaVersion != SchemaVersion {
		return nil, fmt.Errorf("decode report: schema version %q, this gocompat reads %q", r.SchemaVersion, SchemaVersion)
	}
	return &r, nil
}

// MaxReportFile bounds a saved report ReadFile reads.
const MaxReportFile = 256 << 20

// ReadFile decodes the report saved at path, a regular file of at most
// MaxReportFile bytes.
func ReadFile(path string) (*Report, error) {
	data, err := fsread.ReadFile(path, MaxReportFile)
	if err != nil {
		return nil, err
	}
	r, err := Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}
