package deps

import (
	"fmt"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/vulndb"
	"github.com/gocompat/gocompat/internal/vulnscan"
)

// VulnInput is where the findings of a scan go.
type VulnInput struct {
	// GoMod is the go.mod file (relative to the audited directory,
	// slash-separated) of the scanned module; ModDir is its directory
	// ("." for the audited directory itself), which govulncheck's
	// positions are relative to. Both are empty for a binary.
	GoMod, ModDir string
	// Requires maps a module path to the go.mod line that requires it;
	// GoLine is the line of the go directive and ToolchainLine that of
	// the toolchain directive (0 if absent).
	Requires              map[string]int
	GoLine, ToolchainLine int
	// Binary is the scanned binary's path (relative to the audited
	// directory where it lies in it), for binary mode; findings are
	// anchored to the file, as the binary checks' are.
	Binary string
	// PID, if set, is the running process whose executable (Binary, as
	// the process's root names it) was scanned; findings are anchored to
	// the process, as the proc checks' are.
	PID int
}

// Where is a binary-mode finding's place: the process, or the file.
func (in VulnInput) Where() finding.Location {
	if in.PID != 0 {
		return finding.Location{Object: fmt.Sprintf("pid %d (%s)", in.PID, in.Binary)}
	}
	return finding.Location{File: in.Binary}
}

// Vulns turns a scan into findings: one per vulnerability, its check
// given by how close the code comes to it.
func Vulns(res *vulnscan.Result, in VulnInput) []finding.Finding {
	var out []finding.Finding
	for _, v := range res.Vulns {
		out = append(out, vulnFinding(res, v, in))
	}
	return out
}

func vulnFinding(res *vulnscan.Result, v *vulnscan.Vuln, in VulnInput) finding.Finding {
	std := v.Module == "stdlib" || v.Module == "toolchain"
	what := v.Module
	if std {
		what = "the standard library"
		if v.Module == "toolchain" {
			what = "the go command"
		}
	}
	found := display(v.Module, v.Found)
	d := map[string]string{
		"osv": v.ID, "module": v.Module, "found": v.Found, "level": v.Level.String(),
		"main_module": res.MainModule,
	}
	if a := v.Aliases(); len(a) > 0 {
		d["aliases"] = strings.Join(a, ",")
	}
	if v.Fixed != "" {
		d["fixed"] = v.Fixed
	}
	if len(v.Packages) > 0 {
		d["packages"] = strings.Join(v.Packages, ",")
	}
	if res.DB != "" {
		d["db"] = res.DB
	}
	if in.Binary != "" {
		d["binary"] = in.Binary
	}
	if in.PID != 0 {
		d["pid"] = strconv.Itoa(in.PID)
	}
	f := finding.Finding{Details: d, Sources: vulnSources(v)}
	id := v.ID
	if a := v.Aliases(); len(a) > 0 {
		id += " (" + strings.Join(a, ", ") + ")"
	}
	summary := ""
	if v.Entry != nil {
		summary = v.Entry.Summary
		if summary == "" {
			summary = firstSentence(v.Entry.Details)
		}
	}
	if summary != "" {
		d["summary"] = summary
		summary = ": " + strings.TrimSuffix(summary, ".") + "."
	}
	switch v.Level {
	case vulnscan.Called:
		f.Check, f.Severity = VulnCalled.ID, VulnCalled.Severity
		syms := v.Symbols()
		d["symbols"] = strings.Join(syms, ",")
		site := firstCallSite(v, res.MainModule)
		how := "reaches " + strings.Join(syms, ", ")
		if site.pos != nil {
			how = site.caller + " calls " + site.callee
			if site.callee != site.symbol {
				how += ", which reaches " + site.symbol
			}
			if len(syms) > 1 {
				how += fmt.Sprintf(" (vulnerable symbols reached: %s)", strings.Join(syms, ", "))
			}
		}
		if in.Binary != "" {
			how = "the binary contains " + strings.Join(syms, ", ")
		}
		f.Message = fmt.Sprintf("%s in %s %s%s The code %s.", id, what, found, summary, how)
		if in.PID != 0 {
			f.Message = fmt.Sprintf("%s in %s %s%s Process %d runs %s, which contains %s.", id, what, found, summary, in.PID, in.Binary, strings.Join(syms, ", "))
		}
		f.Location = callLocation(site.pos, in, v, std)
	case vulnscan.Imported:
		f.Check, f.Severity = VulnImported.ID, VulnImported.Severity
		f.Message = fmt.Sprintf("%s in %s %s%s The code imports %s but no vulnerable symbol is reachable from it, so it is not affected as built today.", id, what, found, summary, strings.Join(v.Packages, ", "))
		f.Location = reqLocation(in, v.Module, std)
	default:
		f.Check, f.Severity = VulnRequired.ID, VulnRequired.Severity
		f.Message = fmt.Sprintf("%s in %s %s%s No package with the vulnerability is imported, so it is not affected as built today.", id, what, found, summary)
		f.Location = reqLocation(in, v.Module, std)
	}
	f.Fix = vulnFix(v, std)
	return f
}

func display(mod, version string) string {
	if mod == "stdlib" || mod == "toolchain" {
		return "go" + strings.TrimPrefix(version, "v")
	}
	return version
}

func vulnSources(v *vulnscan.Vuln) []finding.Source {
	u := "https://pkg.go.dev/vuln/" + v.ID
	if v.Entry != nil && v.Entry.DatabaseSpecific != nil && strings.HasPrefix(v.Entry.DatabaseSpecific.URL, "https://") {
		u = v.Entry.DatabaseSpecific.URL
	}
	return []finding.Source{{Title: v.ID, URL: u}}
}

func vulnFix(v *vulnscan.Vuln, std bool) string {
	switch {
	case v.Fixed == "" && std:
		return "No Go release fixes it yet; watch the advisory, and avoid the vulnerable functions where you can."
	case v.Fixed == "":
		return fmt.Sprintf("No version of %s fixes it yet; avoid the vulnerable functions or replace the module.", v.Module)
	case std:
		rel := "go" + strings.TrimPrefix(v.Fixed, "v")
		return fmt.Sprintf("Build with %s or later: `go get toolchain@%s` sets go.mod's toolchain line, and the builder image or CI setup must provide it (or allow the download).", rel, rel)
	}
	return fmt.Sprintf("`go get %s@%s` (then `go mod tidy`).", v.Module, v.Fixed)
}

// callSite is where the module's own code calls toward a vulnerable
// symbol: caller calls callee, from which symbol is reached (callee is
// symbol when the call is direct).
type callSite struct {
	caller, callee, symbol string
	pos                    *vulnscan.Position
}

// firstCallSite is the first place in the main module's code, over all
// traces, from which a vulnerable symbol is reached: in each trace the
// frame nearest the vulnerable symbol that belongs to the main module
// (a frame's position is where its function makes the call toward the
// symbol), and of those the first by file, line and column.
func firstCallSite(v *vulnscan.Vuln, mainModule string) callSite {
	var sites []callSite
	for _, tr := range v.Traces {
		for i := 1; i < len(tr); i++ {
			fr := tr[i]
			if fr.Module != mainModule || fr.Position == nil || fr.Position.Line <= 0 {
				continue
			}
			sites = append(sites, callSite{caller: fr.Symbol(), callee: tr[i-1].Symbol(), symbol: tr[0].Symbol(), pos: fr.Position})
			break
		}
	}
	if len(sites) == 0 {
		return callSite{}
	}
	sort.SliceStable(sites, func(i, j int) bool {
		a, b := sites[i].pos, sites[j].pos
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
	return sites[0]
}

func callLocation(pos *vulnscan.Position, in VulnInput, v *vulnscan.Vuln, std bool) finding.Location {
	if in.Binary != "" {
		return in.Where()
	}
	if pos == nil {
		return reqLocation(in, v.Module, std)
	}
	return finding.Location{File: joinRel(in.ModDir, pos.Filename), Line: pos.Line, Column: pos.Column}
}

func reqLocation(in VulnInput, mod string, std bool) finding.Location {
	if in.Binary != "" {
		return in.Where()
	}
	loc := finding.Location{File: in.GoMod}
	switch {
	case std && in.ToolchainLine > 0:
		loc.Line = in.ToolchainLine
	case std:
		loc.Line = in.GoLine
	default:
		loc.Line = in.Requires[mod]
	}
	return loc
}

func joinRel(dir, file string) string {
	if dir == "" || dir == "." {
		return file
	}
	return path.Join(dir, file)
}

func firstSentence(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if i := strings.Index(s, ". "); i >= 0 {
		return s[:i+1]
	}
	return s
}

// DB judges the database itself: its age against now. anchor is where
// the finding goes (go.mod, or the binary).
func DB(meta vulndb.Meta, now time.Time, anchor finding.Location) []finding.Finding {
	if !meta.Stale(now) {
		return nil
	}
	age := "its modification date is unknown"
	if !meta.Modified.IsZero() {
		age = fmt.Sprintf("it was last modified %s, %d days ago", meta.Modified.UTC().Format("2006-01-02"), int(now.Sub(meta.Modified).Hours()/24))
	}
	return []finding.Finding{{
		Check: VulnDBStale.ID, Severity: VulnDBStale.Severity, Location: anchor,
		Message: fmt.Sprintf("The vulnerability database %s may miss recent advisories: %s.", meta.URL, age),
		Fix:     "Use the live database (the default, https://vuln.go.dev), or refresh the offline copy: export the OSV entries again and run `gocompat vulndb import`.",
		Details: map[string]string{"db": meta.URL, "modified": meta.Modified.UTC().Format(time.RFC3339)},
	}}
}

// DBUnavailable is the finding for a database that cannot be read.
func DBUnavailable(err error, anchor finding.Location) finding.Finding {
	return finding.Finding{
		Check: VulnDBUnavailable.ID, Severity: VulnDBUnavailable.Severity, Location: anchor,
		Message: "Vulnerabilities were not checked: " + err.Error() + ".",
		Fix:     "Pass --db with a reachable https:// URL or a file:// folder made by `gocompat vulndb import` (or set GOVULNDB).",
	}
}

// ScanFailed is the finding for a scan that did not complete.
func ScanFailed(err error, anchor finding.Location) finding.Finding {
	return finding.Finding{
		Check: VulnScanFailed.ID, Severity: VulnScanFailed.Severity, Location: anchor,
		Message: "Vulnerabilities were not checked: " + strings.TrimSpace(err.Error()),
		Fix:     "Make the packages load (`go build ./...` shows the same errors), then run again.",
	}
}
