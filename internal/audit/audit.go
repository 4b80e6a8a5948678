// Package audit is gocompat's pipeline: discover → extract → judge →
// report. A Step is one family of checks; it declares the subjects it
// needs and the checks it owns, and registers itself (Register, from an
// init func in its own step_<family>.go file). A command of the CLI is a
// named set of steps; `gocompat audit` is every step that applies.
//
// Subjects are found once per run through the Target (Tree walks the
// audited directory once, Host probes the machine once); the I/O that
// reads each kind of subject lives in internal/discover; the checks that
// judge them live in internal/check/... and internal/platform, and take
// extracted values.
package audit

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/gocompat/gocompat/internal/discover"
	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/host"
	"github.com/gocompat/gocompat/internal/platform"
	"github.com/gocompat/gocompat/internal/proc"
	"github.com/gocompat/gocompat/internal/report"
)

// Target is one run: what it looks at, its seams, and what it found so
// far (each subject is discovered once and shared by the steps).
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
	// Stderr receives what a step must say even off a terminal: what it
	// could not fetch (offline) and made the report without; nil: nowhere.
	Stderr io.Writer
	// VetTool is the executable the loopvar checks run go vet with (see
	// cli.Invocation.VetTool); empty: they run in process.
	VetTool string
	// Now is the clock for end-of-support decisions; nil means time.Now.
	Now func() time.Time
	// LookPath finds helper programs (systemd-analyze); nil runs none.
	LookPath func(string) (string, error)
	// Focused is set when a command runs one family on its own (gocompat
	// upgrade, binary, host, loopvar) rather than as part of an audit: a
	// step's error then ends the run instead of becoming an
	// audit/step-failed finding, and previews keep their severity.
	Focused bool
	// Options holds per-family options set by a command, keyed by the
	// step's Family; read them with OptionsOf.
	Options map[string]any
	// StepTimeout bounds each step's run (0: no limit); a step that
	// exceeds it is cancelled and reported by one audit/step-timeout
	// finding.
	StepTimeout time.Duration
	// Jobs is how many steps run at once; 0 means as many as the
	// process has CPUs (GOMAXPROCS).
	Jobs int

	treeOnce sync.Once
	tree     *discover.Tree

	modOnce sync.Once
	modules *discover.Modules

	goModOnce sync.Once
	goModErrs []finding.Finding

	// host is this host as Host read it, kept for the steps after.
	hostMu sync.Mutex
	host   *probedHost

	procOnce sync.Once
	procs    *proc.Result
	procErr  error

	shared sharedWork
}

// OptionsOf returns the options a command set for family, or the zero T.
func OptionsOf[T any](t *Target, family string) T {
	v, _ := t.Options[family].(T)
	return v
}

// SetOptions sets the options of family.
func (t *Target) SetOptions(family string, v any) {
	if t.Options == nil {
		t.Options = map[string]any{}
	}
	t.Options[family] = v
}

// Tree is the audited directory as one walk found it.
func (t *Target) Tree() *discover.Tree {
	t.treeOnce.Do(func() { t.tree = discover.Walk(t.Dir) })
	return t.tree
}

// Modules is the run's cache of Go modules that deployment files belong to.
func (t *Target) Modules() *discover.Modules {
	t.modOnce.Do(func() {
		t.modules = discover.NewModules(t.Dir, t.Environ, t.now())
		// The programs' dependencies come from the run's listing of
		// their module where the platform matches (Target.Deps).
		t.modules.Loader.Shared = t.programDeps
	})
	return t.modules
}

func (t *Target) now() time.Time {
	if t.Now == nil {
		return time.Now()
	}
	return t.Now()
}

type probedHost struct {
	root string
	p    platform.Platform
	err  error
}

// Host is this host, read under HostRoot, as a platform (its Host field
// holds everything probed). The "host" entry of Targets is used when it
// was read under HostRoot; otherwise the host is probed on the first call
// and kept, so the steps of one run read the machine once.
func (t *Target) Host() (platform.Platform, error) {
	root := filepath.Clean(t.HostRoot)
	t.hostMu.Lock()
	defer t.hostMu.Unlock()
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
	// Tables are grids of evidence for the report (matrix).
	Tables []report.Table
}

// Subject kinds a step can need, besides the file kinds of
// internal/discover (discover.Dockerfile, discover.Unit …).
const (
	NeedToolchain = "toolchain" // the go command on PATH
	NeedHost      = "host"      // the machine under HostRoot
	NeedModule    = "module"    // a Go module at or below Dir
	NeedBinaries  = "binaries"  // Go binaries below Dir or named by the command
)

// A Step is one family of checks.
type Step struct {
	// Family is the step's name and the first part of its checks' IDs.
	Family string
	// Order places the step in a run (lower first); gaps leave room.
	Order int
	// Needs names the subjects the step looks at: kinds of files of
	// internal/discover (discover.Dockerfile …) and the Need* subjects.
	Needs []string
	// Checks are the checks the step owns (registered for explain, SARIF
	// rules and the doc-page test).
	Checks []finding.Check
	// Applies reports whether the step has anything to look at in t. If
	// nil, a step that needs kinds of files applies when the walk found
	// a file of one of them, any other step always.
	Applies func(t *Target) bool
	Run     func(ctx context.Context, t *Target) (Result, error)
}

var (
	regMu sync.Mutex
	steps = map[string]Step{}
)

// Register adds a step to the registry; a step file calls it from init.
// A duplicate family is a programming error and panics. The returned
// func removes the step again (for tests that add one).
func Register(s Step) (unregister func()) {
	regMu.Lock()
	defer regMu.Unlock()
	if _, dup := steps[s.Family]; dup {
		panic("audit: duplicate step " + s.Family)
	}
	steps[s.Family] = s
	return func() {
		regMu.Lock()
		defer regMu.Unlock()
		delete(steps, s.Family)
	}
}

// Steps returns every registered step, in the order they run.
func Steps() []Step {
	regMu.Lock()
	defer regMu.Unlock()
	out := make([]Step, 0, len(steps))
	for _, s := range steps {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Order != out[j].Order {
			return out[i].Order < out[j].Order
		}
		return out[i].Family < out[j].Family
	})
	return out
}

// Lookup returns the registered step of family.
func Lookup(family string) (Step, bool) {
	regMu.Lock()
	defer regMu.Unlock()
	s, ok := steps[family]
	return s, ok
}

// StepsOf returns the named steps in run order; an unknown name panics
// (commands name steps in code).
func StepsOf(families ...string) []Step {
	var out []Step
	for _, s := range Steps() {
		if slices.Contains(families, s.Family) {
			out = append(out, s)
		}
	}
	if len(out) != len(families) {
		panic(fmt.Sprintf("audit: unknown step among %v", families))
	}
	return out
}

// applies reports whether s has anything to look at in t (see Applies).
func (s Step) applies(t *Target) bool {
	if s.Applies != nil {
		return s.Applies(t)
	}
	kinds := false
	for _, n := range s.Needs {
		if discover.IsKind(n) {
			kinds = true
			if len(t.Tree().Files(n)) > 0 {
				return true
			}
		}
	}
	return !kinds
}

// Run runs every applicable step and merges the results into a report.
// Steps run in parallel (Target.Jobs at a time), each bounded by
// Target.StepTimeout; the report lists them and their results in step
// order whatever order they finish in. A step that fails does not stop
// the others: its error becomes a finding of audit/step-failed, so one
// unreadable file never hides the rest — unless t.Focused, where the
// first error is returned. Steps that time out are named in one
// audit/step-timeout finding. When ctx is cancelled (an interrupt), Run
// returns the report of the steps that finished, with one
// audit/interrupted finding, and ErrInterrupted.
func Run(ctx context.Context, t *Target, steps []Step) (*report.Report, error) {
	rep := &report.Report{Root: t.Dir}
	var run []Step
	for _, s := range steps {
		if s.applies(t) {
			run = append(run, s)
		}
	}
	// Work that steps share (one package load per module) runs under
	// the run's context, not under the step that asked first, and stops
	// when the run ends.
	base, cancel := context.WithCancel(ctx)
	defer cancel()
	t.setShared(base, run)
	defer t.setShared(nil, nil)
	outs := runSteps(base, t, run)
	var late, stopped []string
	var lateOuts, stoppedOuts []outcome
	for i, s := range run {
		o := outs[i]
		rep.Checks = append(rep.Checks, s.Family)
		rep.Steps = append(rep.Steps, stepRun(s.Family, o))
		switch o.status {
		case report.StepTimedOut:
			late, lateOuts = append(late, s.Family), append(lateOuts, o)
			continue
		case report.StepInterrupted:
			stopped, stoppedOuts = append(stopped, s.Family), append(stoppedOuts, o)
			continue
		case report.StepFailed:
			if t.Focused {
				return nil, o.err
			}
			f := finding.New(StepFailed, finding.Location{},
				fmt.Sprintf("The %s checks could not run: %v", s.Family, o.err),
				"Fix the cause above and run again; the other checks' results stand.")
			f.Details = map[string]string{"family": s.Family}
			rep.Findings = append(rep.Findings, f)
		}
		rep.Findings = append(rep.Findings, o.res.Findings...)
		rep.Subjects = append(rep.Subjects, o.res.Subjects...)
		rep.Tables = append(rep.Tables, o.res.Tables...)
		if rep.Anchor == "" && o.res.Anchor != "" {
			rep.Anchor = o.res.Anchor
		}
	}
	if rep.Anchor == "" {
		rep.Anchor = DefaultAnchor(t.Dir)
	}
	if len(late) > 0 {
		rep.Findings = append(rep.Findings, unfinishedFinding(StepTimeout, late, lateOuts, t.StepTimeout))
	}
	if len(stopped) > 0 || ctx.Err() != nil {
		if t.Focused && errors.Is(ctx.Err(), context.DeadlineExceeded) {
			// The command's own time limit (gocompat upgrade --timeout).
			return nil, ctx.Err()
		}
		rep.Findings = append(rep.Findings, unfinishedFinding(Interrupted, stopped, stoppedOuts, 0))
		return rep, ErrInterrupted
	}
	return rep, nil
}

// StepFailed is reported when a check family could not run at all.
var StepFailed = finding.Check{
	ID:       "audit/step-failed",
	Title:    "A family of checks could not run",
	Severity: finding.Error,
}
