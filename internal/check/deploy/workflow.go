package deploy

import (
	"fmt"
	"go/version"
	"path"
	"strings"

	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/workflow"
)

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
	toolchainFor := func(job string) (workflow.EnvVar, bool) {
		if e, ok := gotoolchain[job]; ok {
			return e, true
		}
		e, ok := gotoolchain[""]
		return e, ok
	}
	need := in.goLine()
	reported := map[string]bool{}
	for _, g := range w.GoVersions {
		at := loc(file, g.Line)
		at.Column = g.Column
		if g.Float && floatText(g.Value) != g.Value {
			fd := finding.New(WorkflowGoVersionFloat, at,
				fmt.Sprintf("%s is an unquoted YAML number, so it reaches the %s as %s, a different Go version.", g.Value, sourceName(g), floatText(g.Value)),
				fmt.Sprintf("Quote it: '%s'.", g.Value))
			out = append(out, withDetails(fd, "value", g.Value))
		}
		var v string
		var img facts.GolangImage // the golang image the job runs in, if any
		switch g.Source {
		case "setup-go":
			v = setupGoVersion(g.Value)
		case "image":
			var ok bool
			img, ok = facts.ParseGolangImage(g.Value)
			if !ok || img.GoVersion == "" {
				continue
			}
			v = facts.NormalizeGo(img.GoVersion)
		case "setup-go-file":
			if strings.Contains(g.Value, "${{") {
				continue
			}
			p := path.Clean(strings.TrimPrefix(g.Value, "./"))
			if !in.exists(p) {
				fd := finding.New(WorkflowGoVersionFileMissing, at,
					fmt.Sprintf("go-version-file: %s names a file that does not exist in the repository, so setup-go fails.", g.Value),
					"Point it at the module's go.mod (paths are relative to the repository root).")
				out = append(out, withDetails(fd, "file", g.Value))
			}
			continue
		}
		if v == "" {
			continue
		}
		key := fmt.Sprintf("%d:%d", g.Line, g.Column)
		if reported[key] {
			continue
		}
		reported[key] = true
		if need != "" && !satisfies(lang(v), need) {
			behaviour := "with GOTOOLCHAIN=auto (Go's default) the go command switches to " + need + " or the toolchain line's version, so this job does not test the Go it names; with GOTOOLCHAIN=local it fails"
			e, set := toolchainFor(g.Job)
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
				fmt.Sprintf("Job %s uses %s, but %s says go %s: %s.", jobName(g), display(v), in.goModRef(), in.Module.Mod.Go, behaviour),
				fmt.Sprintf("Drop %s from the job (the module no longer builds with it) or lower the go line if it should.", display(v)))
			fd = addSources(fd, img.Sources...)
			out = append(out, withDetails(fd, "go", v, "goLine", in.Module.Mod.Go, "job", g.Job))
		}
		if old, since := unsupported(v, in.Now); old {
			fd := finding.New(WorkflowGoUnsupported, at,
				fmt.Sprintf("Job %s uses %s, which has had no security fixes since %s.", jobName(g), display(version.Lang(v)), since),
				"Test with the supported releases (the two newest), e.g. 'stable' and 'oldstable' in setup-go.")
			out = append(out, withDetails(fd, "go", v, "job", g.Job))
		}
	}
	out = append(out, workflowToolchainLine(in, w, file)...)
	// A GOTOOLCHAIN that names a version overrides every selected Go.
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
			fmt.Sprintf("GOTOOLCHAIN=%s makes every go command run %s, whatever setup-go, the matrix or the image installed (%d selection(s) in scope), so the jobs do not test the versions they name.", e.Value, strings.TrimSuffix(e.Value, "+auto"), n),
			"Remove GOTOOLCHAIN, or set it to local so that the selected Go is the one that runs.")
		out = append(out, withDetails(fd, "GOTOOLCHAIN", e.Value))
	}
	return out
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
				fmt.Sprintf("GOFLAGS=%q holds %q, which is not a flag: every go command in scope fails with \"go: parsing $GOFLAGS: non-flag\".", e.Value, f),
				"GOFLAGS takes space-separated -flag or -flag=value entries; put package arguments on the command line.")
			fd.Severity = finding.Error
			out = append(out, withDetails(fd, "GOFLAGS", e.Value))
		case f == "-mod=vendor" && in.Module != nil && !in.Module.HasVendor:
			fd := finding.New(WorkflowGoflagsSurprise, at,
				fmt.Sprintf("GOFLAGS sets -mod=vendor, but the module has no vendor directory: go commands fail with \"inconsistent vendoring\" or missing packages."),
				"Remove -mod=vendor, or commit the vendor directory (go mod vendor).")
			fd.Severity = finding.Error
			out = append(out, withDetails(fd, "GOFLAGS", e.Value))
		case f == "-mod=mod":
			fd := finding.New(WorkflowGoflagsSurprise, at,
				"GOFLAGS sets -mod=mod, so go commands in CI may rewrite go.mod and go.sum instead of failing when they are out of date: CI passes on a module that does not build as committed.",
				"Remove -mod=mod (the default, -mod=readonly, catches an untidy go.mod).")
			out = append(out, withDetails(fd, "GOFLAGS", e.Value))
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
