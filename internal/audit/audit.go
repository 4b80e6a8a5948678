// Package audit discovers what a directory and this host hold and runs
// every check family that applies to them, with built-in defaults. It is
// what `gocompat audit` runs; each family is one Step.
package audit

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"sync"

	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/host"
	"github.com/gocompat/gocompat/internal/platform"
	"github.com/gocompat/gocompat/internal/report"
)

// Target is what an audit looks at.
type Target struct {
	// Dir is the absolute directory to audit.
	Dir string
	// Environ is the environment of the user's shell (for toolchain
	// checks); the process environment is not consulted.
	Environ []string
	// HostRoot is the root of the host's filesystem ("/" for this host).
	HostRoot string
	// Online allows checks that use the network.
	Online bool
	// Targets are the platforms binaries are matched against, as
	// ResolveTargets makes them from --target values (a preset name,
	// "host" or "root:DIR"); none means this host.
	Targets []platform.Platform
	// Progress receives progress lines (stderr on a terminal), or nil.
	Progress io.Writer
	// VetTool is the executable the loopvar checks run go vet with (see
	// cli.Invocation.VetTool); empty: they run in process.
	VetTool string

	// Deps are the settings of the deps step.
	Deps DepsOptions

	goModOnce sync.Once
	goModErrs []finding.Finding

	// host is this host as Host read it, kept for the steps after.
	host *probedHost
}

type probedHost struct {
	root string
	p    platform.Platform
	err  error
}

// Host is this host, read under HostRoot, as a platform (its Host field
// holds everything probed). The "host" entry of Targets is used when it
// was read under HostRoot; otherwise the host is probed on the first call
// and kept, so the steps of one audit read the machine once.
func (t *Target) Host() (platform.Platform, error) {
	root := filepath.Clean(t.HostRoot)
	for _, p := range t.Targets {
		if p.Kind == platform.KindHost && p.Host != nil && p.Host.Root == root {
			return p, nil
		}
	}
	if t.host == nil || t.host.root != root {
		fs := host.NewFS(root)
		in, err := fs.Probe()
		t.host = &probedHost{root: root, err: err}
		if err == nil {
			t.host.p = platform.FromHost("host", fs, in)
		}
	}
	return t.host.p, t.host.err
}

// Result is what one step found.
type Result struct {
	Findings []finding.Finding
	Subjects []report.Subject
	// Anchor is a file (relative to Target.Dir) to attach file-less
	// findings to, if the step knows a better one than go.mod.
	Anchor string
}

// A Step is one family of checks.
type Step struct {
	Family string
	// Applies reports whether the step has anything to look at in t.
	Applies func(t *Target) bool
	Run     func(ctx context.Context, t *Target) (Result, error)
}

// Steps returns the steps of a full audit, in the order they run.
func Steps() []Step {
	return slices.Concat(
		[]Step{toolchainStep(), moduleStep()},
		DeploySteps(),
		[]Step{hostStep(), binaryStep(), upgradeStep(), loopvarStep(), depsStep()},
	)
}

// Run runs every applicable step and merges the results into a report.
// A step that fails does not stop the others: its error becomes a finding
// of audit/step-failed, so one unreadable file never hides the rest.
func Run(ctx context.Context, t *Target, steps []Step) *report.Report {
	rep := &report.Report{Root: t.Dir}
	for _, s := range steps {
		if s.Applies != nil && !s.Applies(t) {
			continue
		}
		if t.Progress != nil {
			fmt.Fprintf(t.Progress, "gocompat: %s…\n", s.Family)
		}
		rep.Checks = append(rep.Checks, s.Family)
		res, err := s.Run(ctx, t)
		if err != nil {
			rep.Findings = append(rep.Findings, finding.New(StepFailed, finding.Location{},
				fmt.Sprintf("The %s checks could not run: %v", s.Family, err),
				"Fix the cause above and run again; the other checks' results stand."))
			rep.Findings[len(rep.Findings)-1].Details = map[string]string{"family": s.Family}
		}
		rep.Findings = append(rep.Findings, res.Findings...)
		rep.Subjects = append(rep.Subjects, res.Subjects...)
		if rep.Anchor == "" && res.Anchor != "" {
			rep.Anchor = res.Anchor
		}
	}
	if rep.Anchor == "" {
		rep.Anchor = DefaultAnchor(t.Dir)
	}
	return rep
}

// StepFailed is reported when a check family could not run at all.
var StepFailed = finding.Check{
	ID:       "audit/step-failed",
	Title:    "A family of checks could not run",
	Severity: finding.Error,
}
