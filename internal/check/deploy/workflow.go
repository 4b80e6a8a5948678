package deploy

import (
	"fmt"
	"go/version"
	"path"
	"strings"

	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/gosrc"
	"github.com/gocompat/gocompat/internal/workflow"
)

// Workflow checks.
var (
	WorkflowParseError = finding.Check{
		ID: "workflow/parse-error", Title: "The CI workflow file cannot be parsed",
		Severity: finding.Error,
		Sources:  []src{{Title: "YAML 1.2 specification", URL: "https://yaml.org/spec/1.2.2/"}},
	}
	WorkflowGoOlderThanGoMod = finding.Check{
		ID: "workflow/go-older-than-go-mod", Title: "The workflow selects a Go older than go.mod's go line, so that job does not test the Go it names",
		Severity: finding.Error, Sources: []src{facts.SrcToolchains, facts.SrcSetupGo},
	}
	WorkflowGoUnsupported = finding.Check{
		ID: "workflow/go-unsupported", Title: "The workflow uses a Go release that no longer gets security fixes",
		Severity: finding.Warning, Sources: []src{facts.SrcReleasePolicy},
	}
	WorkflowGoVersionFloat = finding.Check{
		ID: "workflow/go-version-float", Title: "An unquoted Go version is read as a number (1.20 becomes 1.2)",
		Severity: finding.Error, Sources: []src{facts.SrcSetupGo},
	}
	WorkflowGoVersionFileMissing = finding.Check{
		ID: "workflow/go-version-file-missing", Title: "setup-go's go-version-file names a file that does not exist",
		Severity: finding.Error, Sources: []src{facts.SrcSetupGo},
	}
	WorkflowGotoolchainOverride = finding.Check{
		ID: "workflow/gotoolchain-override", Title: "GOTOOLCHAIN pins one Go for every job, overriding the versions the workflow selects",
		Severity: finding.Warning, Sources: []src{facts.SrcToolchains},
	}
	WorkflowGoflagsSurprise = finding.Check{
		ID: "workflow/goflags-surprise", Title: "GOFLAGS in the workflow changes or breaks every go command",
		Severity: finding.Warning, Sources: []src{facts.SrcGoEnvBuild},
	}
	WorkflowMergeLimit = finding.Check{
		ID: "workflow/merge-limit", Title: "YAML merge keys expand past gocompat's limit, so part of the file is not checked",
		Severity: finding.Warning,
		Sources:  []src{{Title: "YAML merge key type", URL: "https://yaml.org/type/merge.html"}},
	}
)

// WorkflowChecks are the checks of the family, in the order of their doc pages.
var WorkflowChecks = []finding.Check{
	WorkflowParseError, WorkflowGoOlderThanGoMod, WorkflowGoUnsupported, WorkflowGoVersionFloat, WorkflowGoVersionFileMissing, WorkflowGotoolchainOverride, WorkflowGoflagsSurprise, WorkflowMergeLimit,
}

// Workflow judges a CI workflow file; file is its path relative to the
// audit root, which is also what go-version-file paths are relative to.
func Workflow(in *Input, w *workflow.File, file string) []finding.Finding {
	var out []finding.Finding
	gotoolchain := map[string]workflow.EnvVar{} // job ("" = all) -> GOTOOLCHAIN
	for _, e := range w.Env {
		switch e.Name {
		case "GOTOOLCHAIN":
			if e.Scope == "workflow" || e.Scope == "global" {
				gotoolchain[""] = e
			} else if e.Scope == "job" {
				gotoolchain[e.Job] = e
			}
		case "GOFLAGS":
			out = append(out, goflagsFindings(in, e, file)...)
		}
	}
	reported := map[string]bool{}
	for _, g := range w.GoVersions {
		at := loc(file, g.Line)
		at.Column = g.Column
		out = append(out, checkGoVersionFloat(g, at)...)
		sel, ok := resolveSelection(in, g, at, &out)
		if !ok {
			continue
		}
		key := fmt.Sprintf("%d:%d", g.Line, g.Column)
		if reported[key] {
			continue
		}
		reported[key] = true
		out = append(out, checkGoOlderThanGoMod(in, g, sel, gotoolchain, at)...)
		out = append(out, checkWorkflowGoUnsupported(in, g, sel, at)...)
	}
	out = append(out, workflowToolchainLine(in, w, file)...)
	out = append(out, checkGotoolchainOverride(w, gotoolchain, file)...)
	out = append(out, checkMergeLimit(w, file)...)
	return out
}

// selection is the Go a job's version selection resolves to.
type selection struct {
	v   string            // go/version form: "go1.22" (newest patch) or "go1.22.3"
	img facts.GolangImage // the Go image the job runs in, if any
	// how says how v was found when it is not written plainly ("the
	// range ~1.18.4", "go.mod's go line").
	how string
}

// resolveSelection turns a version selection into the Go it selects:
// setup-go's go-version (a version, a semver range resolved as setup-go
// does, matrix and env values substituted by the extraction), its
// go-version-file (the go.mod's go and toolchain lines), or a container
// image that carries Go. go-version-file naming a missing file is
// reported here.
func resolveSelection(in *Input, g workflow.GoVersion, at finding.Location, out *[]finding.Finding) (selection, bool) {
	var sel selection
	switch g.Source {
	case "setup-go":
		if strings.Contains(g.Value, "${{") {
			return sel, false
		}
		sel.v = setupGoVersion(g.Value)
		if sel.v == "" && isRange(g.Value) {
			if v, ok := setupGoRange(g.Value); ok {
				sel.v = version.Lang(v)
				sel.how = fmt.Sprintf("the range %s, which setup-go resolves to the newest %s", finding.Clip(strings.TrimSpace(g.Value)), display(sel.v))
			}
		}
	case "image":
		img, ok := facts.LookupGoBuilderImage(g.Value)
		if !ok || img.GoVersion == "" {
			return sel, false
		}
		sel.img, sel.v = img, facts.NormalizeGo(img.GoVersion)
	case "setup-go-file":
		if strings.Contains(g.Value, "${{") {
			return sel, false
		}
		p := path.Clean(strings.TrimPrefix(g.Value, "./"))
		if !in.exists(p) {
			fd := finding.New(WorkflowGoVersionFileMissing, at,
				fmt.Sprintf("go-version-file: %s names a file that does not exist in the repository, so setup-go fails.", finding.Clip(g.Value)),
				"Point it at the module's go.mod (paths are relative to the repository root).")
			*out = append(*out, withDetails(fd, "file", finding.Clip(g.Value)))
			return sel, false
		}
		m := goModAt(in, p)
		if m == nil || m.Mod == nil || m.Mod.Go == "" {
			return sel, false
		}
		sel.v = facts.NormalizeGo(m.Mod.Go)
		sel.how = fmt.Sprintf("%s's go line", p)
		if tc := m.Mod.Toolchain; version.IsValid(tc) && sel.v != "" && version.Compare(tc, sel.v) > 0 {
			// GOTOOLCHAIN=auto (the default) switches to the toolchain line.
			sel.v = tc
			sel.how = fmt.Sprintf("%s's toolchain line", p)
		}
	}
	return sel, sel.v != ""
}

// goModAt returns the repository module whose go.mod is p.
func goModAt(in *Input, p string) *gosrc.RepoModule {
	if in.Repo == nil || path.Base(p) != "go.mod" {
		return nil
	}
	for _, m := range in.Repo.Modules {
		if m.GoMod() == p {
			return m
		}
	}
	return nil
}

// isRange reports whether a setup-go version is a semver range rather
// than a version or an alias.
func isRange(v string) bool {
	return strings.ContainsAny(v, "^~<>=|*") || strings.Contains(strings.TrimSpace(v), " ")
}

func checkGoVersionFloat(g workflow.GoVersion, at finding.Location) []finding.Finding {
	if !g.Float || floatText(g.Value) == g.Value {
		return nil
	}
	fd := finding.New(WorkflowGoVersionFloat, at,
		fmt.Sprintf("%s is an unquoted YAML number, so it reaches the %s as %s, a different Go version.", finding.Clip(g.Value), sourceName(g), finding.Clip(floatText(g.Value))),
		fmt.Sprintf("Quote it: '%s'.", finding.Clip(g.Value)))
	return []finding.Finding{withDetails(fd, "value", finding.Clip(g.Value))}
}

func selected(g workflow.GoVersion, sel selection) string {
	s := display(sel.v)
	if sel.how != "" {
		s += " (" + sel.how + ")"
	}
	if g.FromEnv != "" {
		s += " from env." + g.FromEnv
	}
	return s
}

func checkGoOlderThanGoMod(in *Input, g workflow.GoVersion, sel selection, gotoolchain map[string]workflow.EnvVar, at finding.Location) []finding.Finding {
	need := in.goLine()
	v, img := sel.v, sel.img
	if need == "" || g.Source == "setup-go-file" || satisfies(lang(v), need) {
		return nil
	}
	behaviour := "with GOTOOLCHAIN=auto (Go's default) the go command switches to " + need + " or the toolchain line's version, so this job does not test the Go it names; with GOTOOLCHAIN=local it fails"
	e, set := gotoolchain[g.Job]
	if !set {
		e, set = gotoolchain[""]
	}
	switch {
	case set && e.Value == "local":
		behaviour = fmt.Sprintf("with GOTOOLCHAIN=local (line %d) every go command fails with \"go.mod requires go >= %s\"", e.Line, in.Module.Mod.Go)
	case set:
	case img.GOTOOLCHAIN == "local":
		behaviour = fmt.Sprintf("the image sets GOTOOLCHAIN=local, so every go command fails with \"go.mod requires go >= %s\"", in.Module.Mod.Go)
	case !satisfies(v, facts.ToolchainSwitchSince):
		behaviour = fmt.Sprintf("Go before %s cannot switch toolchains, so the job builds with %s anyway and fails on newer language features and standard library APIs", lang(facts.ToolchainSwitchSince), display(version.Lang(v)))
	}
	fd := finding.New(WorkflowGoOlderThanGoMod, at,
		fmt.Sprintf("Job %s uses %s, but %s says go %s: %s.", jobName(g), selected(g, sel), in.goModRef(), in.Module.Mod.Go, behaviour),
		fmt.Sprintf("Drop %s from the job (the module no longer builds with it) or lower the go line if it should.", display(v)))
	fd = addSources(fd, img.Sources...)
	return []finding.Finding{withDetails(fd, "go", v, "goLine", in.Module.Mod.Go, "job", g.Job)}
}

func checkWorkflowGoUnsupported(in *Input, g workflow.GoVersion, sel selection, at finding.Location) []finding.Finding {
	old, since := unsupported(sel.v, in.Now)
	if !old {
		return nil
	}
	sel.v = version.Lang(sel.v)
	fd := finding.New(WorkflowGoUnsupported, at,
		fmt.Sprintf("Job %s uses %s, which has had no security fixes since %s.", jobName(g), selected(g, sel), since),
		"Test with the supported releases (the two newest), e.g. 'stable' and 'oldstable' in setup-go.")
	fd = addSources(fd, sel.img.Sources...)
	return []finding.Finding{withDetails(fd, "go", sel.v, "job", g.Job)}
}

// checkGotoolchainOverride: a GOTOOLCHAIN that names a version overrides
// every selected Go.
func checkGotoolchainOverride(w *workflow.File, gotoolchain map[string]workflow.EnvVar, file string) []finding.Finding {
	var out []finding.Finding
	for _, e := range gotoolchainPins(gotoolchain) {
		n := 0
		for _, g := range w.GoVersions {
			if e.Job == "" || g.Job == e.Job {
				n++
			}
		}
		if n == 0 {
			continue
		}
		at := loc(file, e.Line)
		at.Column = e.Column
		fd := finding.New(WorkflowGotoolchainOverride, at,
			fmt.Sprintf("GOTOOLCHAIN=%s makes every go command run %s, whatever setup-go, the matrix or the image installed (%d selection(s) in scope), so the jobs do not test the versions they name.", finding.Clip(e.Value), finding.Clip(strings.TrimSuffix(e.Value, "+auto")), n),
			"Remove GOTOOLCHAIN, or set it to local so that the selected Go is the one that runs.")
		out = append(out, withDetails(fd, "GOTOOLCHAIN", finding.Clip(e.Value)))
	}
	return out
}

// checkMergeLimit: the parser stopped expanding YAML merge keys
// (workflow.MaxMergedPairs), so part of the file was not read.
func checkMergeLimit(w *workflow.File, file string) []finding.Finding {
	if w.MergeLimit == nil {
		return nil
	}
	at := loc(file, w.MergeLimit.Line)
	at.Column = w.MergeLimit.Column
	return []finding.Finding{finding.New(WorkflowMergeLimit, at,
		fmt.Sprintf("The file's YAML merge keys (<<) bring in more than %d entries; gocompat stopped expanding them here, so Go versions and variables reached only through later merges are not checked.", workflow.MaxMergedPairs),
		"Merge smaller anchors, or write the keys a job needs out in full.")}
}

func gotoolchainPins(m map[string]workflow.EnvVar) []workflow.EnvVar {
	var out []workflow.EnvVar
	for _, e := range m {
		v, _, _ := strings.Cut(e.Value, "+")
		if version.IsValid(v) {
			out = append(out, e)
		}
	}
	// Deterministic order.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].Line < out[j-1].Line; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func goflagsFindings(in *Input, e workflow.EnvVar, file string) []finding.Finding {
	var out []finding.Finding
	at := loc(file, e.Line)
	at.Column = e.Column
	for _, f := range strings.Fields(e.Value) {
		switch {
		case !strings.HasPrefix(f, "-"):
			fd := finding.New(WorkflowGoflagsSurprise, at,
				fmt.Sprintf("GOFLAGS=%q holds %q, which is not a flag: every go command in scope fails with \"go: parsing $GOFLAGS: non-flag\".", finding.Clip(e.Value), finding.Clip(f)),
				"GOFLAGS takes space-separated -flag or -flag=value entries; put package arguments on the command line.")
			fd.Severity = finding.Error
			out = append(out, withDetails(fd, "GOFLAGS", finding.Clip(e.Value)))
		case f == "-mod=vendor" && in.Module != nil && !in.Module.Vendor:
			fd := finding.New(WorkflowGoflagsSurprise, at,
				fmt.Sprintf("GOFLAGS sets -mod=vendor, but the module has no vendor directory: go commands fail with \"inconsistent vendoring\" or missing packages."),
				"Remove -mod=vendor, or commit the vendor directory (go mod vendor).")
			fd.Severity = finding.Error
			out = append(out, withDetails(fd, "GOFLAGS", finding.Clip(e.Value)))
		case f == "-mod=mod":
			fd := finding.New(WorkflowGoflagsSurprise, at,
				"GOFLAGS sets -mod=mod, so go commands in CI may rewrite go.mod and go.sum instead of failing when they are out of date: CI passes on a module that does not build as committed.",
				"Remove -mod=mod (the default, -mod=readonly, catches an untidy go.mod).")
			out = append(out, withDetails(fd, "GOFLAGS", finding.Clip(e.Value)))
		}
	}
	return out
}

func sourceName(g workflow.GoVersion) string {
	if g.Source == "image" {
		return "image reference"
	}
	return "setup-go action"
}

// floatText renders what YAML makes of an unquoted version.
func floatText(v string) string {
	if i := strings.IndexByte(v, '.'); i >= 0 {
		t := strings.TrimRight(v, "0")
		if strings.HasSuffix(t, ".") {
			t += "0"
		}
		return t
	}
	return v
}

func jobName(g workflow.GoVersion) string {
	if g.Job == "" {
		return "(default image)"
	}
	return g.Job
}
