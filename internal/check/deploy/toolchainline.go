package deploy

import (
	"fmt"
	"go/version"
	"sort"
	"strings"

	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/workflow"
)

// WorkflowToolchainLineSwitch: the module's toolchain line is newer than
// the Go a job selects, so with the go command's default GOTOOLCHAIN=auto
// the job runs the toolchain line's Go, not the one it names — a matrix
// of 1.22 and 1.23 then tests one Go twice.
var WorkflowToolchainLineSwitch = finding.Check{
	ID: "workflow/toolchain-line-switches", Title: "go.mod's toolchain line is newer than the Go a job selects, so the job may run the toolchain line's Go instead",
	Severity: finding.Warning, Sources: []src{facts.SrcToolchains, facts.SrcSetupGo,
		{Title: "actions/setup-go#460: setup-go sets GOTOOLCHAIN=local", URL: "https://github.com/actions/setup-go/pull/460"}},
}

// ToolchainChecks are the workflow checks about toolchain selection that
// live in this file.
var ToolchainChecks = []finding.Check{WorkflowToolchainLineSwitch}

// workflowToolchainLine reports the selections of w that satisfy the go
// line but are older than the toolchain line, grouped by position (a
// matrix expands to several values at one position).
func workflowToolchainLine(in *Input, w *workflow.File, file string) []finding.Finding {
	tc := in.toolchainLine()
	goLine := in.goLine()
	if tc == "" || goLine == "" || version.Compare(tc, goLine) <= 0 {
		return nil
	}
	gotoolchain := map[string]workflow.EnvVar{}
	for _, e := range w.Env {
		if e.Name != "GOTOOLCHAIN" {
			continue
		}
		switch e.Scope {
		case "workflow", "global":
			gotoolchain[""] = e
		case "job":
			gotoolchain[e.Job] = e
		}
	}
	type group struct {
		g      workflow.GoVersion
		values []string
		set    *workflow.EnvVar
	}
	groups := map[string]*group{}
	var keys []string
	for _, g := range w.GoVersions {
		var v string
		switch g.Source {
		case "setup-go":
			v = setupGoVersion(g.Value)
		case "image":
			img, ok := facts.ParseGolangImage(g.Value)
			if !ok || img.GoVersion == "" || img.GOTOOLCHAIN == "local" {
				continue // the official images set GOTOOLCHAIN=local: no switch
			}
			v = facts.NormalizeGo(img.GoVersion)
		}
		if v == "" || !satisfies(v, goLine) || !satisfies(v, facts.ToolchainSwitchSince) {
			continue // too old for the go line: workflow/go-older-than-go-mod says it
		}
		// The newest patch of a language version may be the toolchain
		// line's release or newer: only a lower language version, or a
		// lower exact release, is surely older.
		if version.Lang(v) == v && version.Compare(v, version.Lang(tc)) >= 0 || version.Compare(v, tc) >= 0 {
			continue
		}
		e, ok := gotoolchain[g.Job]
		if !ok {
			e, ok = gotoolchain[""]
		}
		if ok && e.Value != "auto" && e.Value != "local+auto" {
			continue // local: no switch; a pinned release: workflow/gotoolchain-override
		}
		key := fmt.Sprintf("%s\x00%04d", g.Job, g.Step)
		if g.Step < 0 {
			key = fmt.Sprintf("%s\x00%06d:%04d", g.Job, g.Line, g.Column)
		}
		gr := groups[key]
		if gr == nil {
			gr = &group{g: g}
			if ok {
				gr.set = &e
			}
			groups[key] = gr
			keys = append(keys, key)
		}
		gr.values = append(gr.values, display(v))
	}
	sort.Strings(keys)
	var out []finding.Finding
	for _, k := range keys {
		gr := groups[k]
		at := loc(file, gr.g.Line)
		at.Column = gr.g.Column
		what := fmt.Sprintf("Job %s selects %s", jobName(gr.g), strings.Join(uniqueStrings(gr.values), " and "))
		if len(gr.values) > 1 {
			what = fmt.Sprintf("Job %s's matrix selects %s", jobName(gr.g), strings.Join(uniqueStrings(gr.values), ", "))
		}
		how := "with the go command's default GOTOOLCHAIN=auto each such job switches to " + tc + " and runs that instead, unless GOTOOLCHAIN=local is set first (setup-go releases with actions/setup-go#460 set it)"
		verb := "may test"
		if gr.set != nil {
			how = fmt.Sprintf("with GOTOOLCHAIN=%s (line %d) each such job switches to %s and runs that instead", gr.set.Value, gr.set.Line, tc)
			verb = "tests"
		}
		fd := finding.New(WorkflowToolchainLineSwitch, at,
			fmt.Sprintf("%s, but %s has toolchain %s: %s, so the workflow %s only %s, not the releases it names.", what, in.goModRef(), tc, how, verb, tc),
			fmt.Sprintf("Set GOTOOLCHAIN=local in the workflow's env so each job runs the Go it selects, or drop the toolchain line (or lower it to the go line) if %s is not needed.", tc))
		out = append(out, withDetails(fd, "toolchain", tc, "selected", strings.Join(uniqueStrings(gr.values), ","), "job", gr.g.Job))
	}
	return out
}

func uniqueStrings(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
