package audit

import (
	"context"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"time"

	"github.com/gocompat/gocompat/internal/check/deploy"
	"github.com/gocompat/gocompat/internal/discover"
	"github.com/gocompat/gocompat/internal/dockerfile"
	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/fsread"
	"github.com/gocompat/gocompat/internal/parseerr"
	"github.com/gocompat/gocompat/internal/report"
	"github.com/gocompat/gocompat/internal/unit"
	"github.com/gocompat/gocompat/internal/workflow"
)

func init() {
	Register(Step{
		Family: "dockerfile", Order: 30,
		Needs:  []string{discover.Dockerfile, NeedModule},
		Checks: checksOf(deploy.Checks, "dockerfile"),
		Run:    runDockerfiles,
	})
	Register(Step{
		Family: "systemd", Order: 40,
		Needs:  []string{discover.Unit, NeedModule},
		Checks: checksOf(deploy.Checks, "systemd"),
		Run:    runUnits,
	})
	Register(Step{
		Family: "workflow", Order: 50,
		Needs:  []string{discover.Workflow, discover.GitLab, NeedModule},
		Checks: append(checksOf(deploy.Checks, "workflow"), deploy.ToolchainChecks...),
		Run:    runWorkflows,
	})
}

func runDockerfiles(ctx context.Context, t *Target) (Result, error) {
	var res Result
	mods := t.Modules()
	for _, rel := range t.Tree().Files(discover.Dockerfile) {
		f, perr, err := discover.ReadDockerfile(t.Dir, rel)
		if errors.Is(err, fsread.ErrRefused) {
			res.Findings = append(res.Findings, refused(rel, err))
			continue
		}
		if err != nil {
			return res, err
		}
		if perr != nil {
			res.Findings = append(res.Findings, JudgeDockerfile(nil, rel, nil, perr, deploy.DockerContext{})...)
			continue
		}
		in := mods.Input(ctx, rel)
		dc, refusals := discover.DockerContext(t.Dir, rel, in.ModFile, f)
		res.Findings = append(res.Findings, refusedAll(refusals, rel)...)
		res.Findings = append(res.Findings, JudgeDockerfile(in, rel, f, nil, dc)...)
		res.Subjects = append(res.Subjects, subject("dockerfile", rel, map[string]string{
			"stages": fmt.Sprint(len(f.Stages)), "final": f.Final().Base,
		}))
	}
	res.Findings = append(res.Findings, moduleErrors(mods)...)
	return res, nil
}

// JudgeDockerfile is the dockerfile family on one extracted file: the
// syntax error if it did not parse, else the checks.
func JudgeDockerfile(in *deploy.Input, rel string, f *dockerfile.File, parseErr error, dc deploy.DockerContext) []finding.Finding {
	if parseErr != nil {
		return []finding.Finding{parseFinding(deploy.DockerfileParseError, rel, parseErr, "Fix the syntax; `docker build` rejects the file too.")}
	}
	return deploy.Dockerfile(in, f, rel, dc)
}

// SystemdOptions are the systemd step's options.
type SystemdOptions struct {
	// VerifyTimeout bounds each `systemd-analyze verify` run
	// (unit.VerifyTimeout if zero); a run stopped by it is reported as
	// systemd/analyze-timeout.
	VerifyTimeout time.Duration
}

func runUnits(ctx context.Context, t *Target) (Result, error) {
	var res Result
	mods := t.Modules()
	opt := OptionsOf[SystemdOptions](t, "systemd")
	analyze := ""
	if t.LookPath != nil {
		analyze, _ = t.LookPath("systemd-analyze")
	}
	for _, rel := range t.Tree().Files(discover.Unit) {
		u, err := discover.LoadUnit(t.Dir, rel)
		if errors.Is(err, fsread.ErrRefused) {
			res.Findings = append(res.Findings, refused(rel, err))
			continue
		}
		if err != nil {
			res.Findings = append(res.Findings, JudgeUnit(nil, nil, deploy.UnitContext{File: rel}, err)...)
			continue
		}
		res.Findings = append(res.Findings, refusedAll(u.Refused, rel)...)
		in := mods.Input(ctx, rel)
		uc := discover.UnitContext(ctx, t.Dir, rel, t.HostRoot, analyze, opt.VerifyTimeout, u)
		res.Findings = append(res.Findings, JudgeUnit(in, u, uc, nil)...)
		if uc.Binary != nil {
			// The binary the unit runs on this host against the source
			// beside the unit (deployed ≠ source).
			res.Findings = append(res.Findings, binaryVersusSource(ctx, uc.Binary.Info, filepath.Join(t.Dir, filepath.Dir(rel)), rel, uc.Binary.File)...)
		}
		attrs := map[string]string{"dropIns": fmt.Sprint(len(u.DropIns))}
		if uc.Binary != nil {
			attrs["binary"] = uc.Binary.File
			attrs["binaryGo"] = uc.Binary.GoVersion
		}
		res.Subjects = append(res.Subjects, subject("systemd-unit", rel, attrs))
	}
	res.Findings = append(res.Findings, moduleErrors(mods)...)
	return res, nil
}

// JudgeUnit is the systemd family on one extracted unit: the load error
// if it did not parse, else the checks.
func JudgeUnit(in *deploy.Input, u *unit.Unit, uc deploy.UnitContext, loadErr error) []finding.Finding {
	if loadErr != nil {
		return []finding.Finding{parseFinding(deploy.SystemdParseError, uc.File, loadErr, "Fix the syntax; systemd ignores what it cannot parse.")}
	}
	return deploy.Unit(in, u, uc)
}

func runWorkflows(ctx context.Context, t *Target) (Result, error) {
	var res Result
	mods := t.Modules()
	for _, w := range t.Tree().Workflows() {
		f, perr, err := discover.ReadWorkflow(t.Dir, w)
		if errors.Is(err, fsread.ErrRefused) {
			res.Findings = append(res.Findings, refused(w.Rel, err))
			continue
		}
		if err != nil {
			return res, err
		}
		// Workflows live outside the module's tree; the module is the one
		// at the audited directory's root.
		var in *deploy.Input
		if perr == nil {
			in = mods.Input(ctx, "go.mod")
		}
		res.Findings = append(res.Findings, JudgeWorkflow(in, w.Rel, f, perr)...)
		if perr == nil {
			res.Subjects = append(res.Subjects, subject("workflow", w.Rel, map[string]string{
				"kind": w.Kind, "goVersions": fmt.Sprint(len(f.GoVersions)),
			}))
		}
	}
	res.Findings = append(res.Findings, moduleErrors(mods)...)
	return res, nil
}

// JudgeWorkflow is the workflow family on one extracted CI file.
func JudgeWorkflow(in *deploy.Input, rel string, f *workflow.File, parseErr error) []finding.Finding {
	if parseErr != nil {
		return []finding.Finding{parseFinding(deploy.WorkflowParseError, rel, parseErr, "Fix the YAML; the CI service rejects the file too.")}
	}
	return deploy.Workflow(in, f, rel)
}

// moduleErrors reports the modules that could not be read and are not
// reported yet: the deployment steps share the run's modules, and each
// error is said once.
func moduleErrors(m *discover.Modules) []finding.Finding {
	var out []finding.Finding
	for _, e := range m.NewErrors() {
		fd := finding.New(StepFailed, finding.Location{File: path.Join(e.Dir, "go.mod")},
			fmt.Sprintf("The module could not be read, so deployment checks ran without it: %v", e.Err),
			"Fix go.mod; the checks that need the module's go line and imports then run too.")
		fd.Severity = finding.Warning
		out = append(out, fd)
	}
	return out
}

// parseFinding reports a deployment file that does not parse, on the
// line the parser blames (see parseerr).
func parseFinding(c finding.Check, rel string, err error, fix string) finding.Finding {
	return finding.New(c, finding.Location{File: rel, Line: parseerr.Line(err)}, err.Error(), fix)
}

func subject(kind, rel string, attrs map[string]string) report.Subject {
	return report.Subject{Kind: kind, Name: rel, Path: rel, Attributes: attrs}
}
