package audit

import (
	"context"
	"fmt"

	"github.com/gocompat/gocompat/internal/check/loopvar"
	"github.com/gocompat/gocompat/internal/check/upgrade"
	"github.com/gocompat/gocompat/internal/discover"
	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/toolchains"
)

func init() { Register(upgradeStep()) }

// UpgradeOptions are the upgrade step's options (gocompat upgrade).
type UpgradeOptions struct {
	// To is the target go line, 1.N; empty: the installed toolchain's.
	To string
	// Test runs the modules' tests at both go lines.
	Test bool
}

// Validate checks the options before a run: To must be a go line 1.N.
func (o UpgradeOptions) Validate() error {
	if o.To == "" {
		return nil
	}
	_, err := upgrade.TargetVersion(o.To, "go1.999")
	return err
}

// ErrNoModule is the upgrade step's error when there is no module to
// upgrade.
var ErrNoModule = upgrade.ErrNoModule

// previewOnly are the upgrade checks that describe what would change if
// the go line were raised. An audit asks "is this sound now?", and nothing
// changes until someone raises the line, so there they are information;
// `gocompat upgrade` (a focused run), asked before a bump, keeps their own
// severity.
var previewOnly = map[string]bool{
	upgrade.GodebugDefaultChanges.ID:  true,
	upgrade.GodebugAffectedCall.ID:    true,
	upgrade.LoopvarSemanticsChange.ID: true,
	upgrade.KernelFloorRises.ID:       true,
}

// upgradeStep reports what changes when the modules raise their go line.
// In an audit it never runs tests and uses the module proxy only with
// --online; the loops it lists come from the loopvar analyzer, whose go
// vet cache makes the loopvar step's second look nearly free, summarised
// so that each loop is reported once.
func upgradeStep() Step {
	return Step{
		Family:  "upgrade",
		Order:   80,
		Needs:   []string{NeedModule, NeedToolchain},
		Checks:  upgrade.Checks,
		Applies: func(t *Target) bool { return t.Focused || t.goModParses() && hasModuleBelow(t) },
		Run: func(ctx context.Context, t *Target) (Result, error) {
			opt := OptionsOf[UpgradeOptions](t, "upgrade")
			res, err := upgrade.Run(ctx, upgrade.Options{
				Dir: t.Dir, Target: opt.To, Environ: t.Environ, Test: opt.Test,
				Progress: t.Progress, Offline: !t.Focused && !t.Online,
				Loopvar: upgradeLoops(t), SummarizeLoops: !t.Focused, ListDeps: t.Deps,
				Toolchains: &toolchains.Source{Environ: t.Environ, Progress: t.Progress},
			})
			if err != nil {
				return Result{}, err
			}
			if t.Stderr != nil {
				for _, u := range res.Unavailable {
					fmt.Fprintf(t.Stderr, "gocompat: upgrade: %s; reporting without it\n", u)
				}
			}
			if !t.Focused {
				for i := range res.Findings {
					if previewOnly[res.Findings[i].Check] {
						res.Findings[i].Severity = finding.Info
					}
				}
			}
			return Result{Findings: append(res.Findings, upgradeSkipped(res.Skipped, t.Focused)...), Subjects: res.Subjects, Anchor: res.Anchor}, nil
		},
	}
}

// upgradeLoops lists, loop by loop, what the loopvar analyzer says changes
// when a module's go line crosses 1.22: the findings that mean "becomes
// per-iteration on the upgrade", not the clean-ups for files already there.
// The analysis is the run's one per module (Target.Loopvar), which the
// loopvar step reports too.
func upgradeLoops(t *Target) func(ctx context.Context, dir string) ([]finding.Finding, error) {
	return func(ctx context.Context, dir string) ([]finding.Finding, error) {
		res, err := t.Loopvar(ctx, dir)
		if err != nil {
			return nil, err
		}
		var kept []finding.Finding
		for _, f := range res.Findings {
			if loopvar.IsUpgradeChange(f.Check) {
				kept = append(kept, f)
			}
		}
		if res.NotBuilt != "" {
			return kept, &loopvar.NotBuiltError{Msg: res.NotBuilt}
		}
		return kept, nil
	}
}

// hasModuleBelow reports whether the audited directory holds a go.mod or
// go.work at any depth (nested modules and workspaces without a root
// go.mod) or lies inside a module. A go.mod that does not parse counts, so
// that the step runs and reports the error instead of being skipped in
// silence.
func hasModuleBelow(t *Target) bool {
	tr := t.Tree()
	return len(tr.Files(discover.GoMod))+len(tr.Files(discover.GoWork)) > 0 || discover.InsideModule(t.Dir)
}
