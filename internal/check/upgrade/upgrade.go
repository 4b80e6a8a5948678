package upgrade

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/version"
	"io"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/gosrc"
	"github.com/gocompat/gocompat/internal/module"
	"github.com/gocompat/gocompat/internal/toolchains"
)

// Options configure a run.
type Options struct {
	// Dir is the directory to look for modules in (absolute).
	Dir string
	// Target is the go line to evaluate ("1.22", "go1.23"); empty means
	// the installed toolchain's language version.
	Target string
	// Environ is the environment for go commands (the user's shell).
	Environ []string
	// Test runs the modules' tests at the current and the target go line
	// and attributes the differences (runs the user's code).
	Test bool
	// Progress receives progress lines, or nil.
	Progress io.Writer
	// Loopvar, if set, analyses the loops of the module in dir whose
	// semantics change at Go 1.22; its findings are reported when the
	// range crosses 1.22. Without it, the compiler's own count is used.
	Loopvar func(ctx context.Context, dir string) ([]finding.Finding, error)
	// ListDeps, if set, lists the packages of the module in dir with
	// their dependencies and tests for this host (go list -deps -test
	// ./...), shared with other checks of the run; it stands in for the
	// step's own go list when the installed toolchain answers.
	ListDeps func(ctx context.Context, dir string) (*gosrc.Graph, error)
	// SummarizeLoops reports Loopvar's findings as one
	// upgrade/loopvar-semantics-change finding (count and positions)
	// instead of each: for an audit, whose loopvar step already reports
	// each loop, and where Loopvar then costs no second compilation.
	SummarizeLoops bool
	// Bisect is the command that runs golang.org/x/tools/cmd/bisect;
	// nil means: build it into the user cache (see bisectCommand).
	Bisect []string
	// Offline keeps the go command from the network (GOPROXY=off): only
	// modules already in the module cache are used, and what needs others
	// is reported as not known.
	Offline bool
	// CacheDir is where tools gocompat installs are kept; empty means
	// gocompat's directory in the user cache directory.
	CacheDir string
	// Toolchain, if set, is the installed toolchain, used instead of
	// asking the go command.
	Toolchain *goToolchain
	// Toolchains takes a target release newer than the installed
	// toolchain through the module proxy; nil means a Source over
	// Environ that reports downloads to Progress.
	Toolchains *toolchains.Source
	// TargetToolchain, if set, is the toolchain for the target: its
	// GODEBUG table, its compiler for the loop preview, its go command
	// for the run at the target go line. Default: the installed one for
	// targets it can build, else the target release from Toolchains.
	TargetToolchain *toolchains.Toolchain
	// BaseToolchain, if set, runs the tests at the current go line;
	// default the installed one (what builds the module today).
	BaseToolchain *toolchains.Toolchain
}

// Result is what a run found.
type Result struct {
	Findings []finding.Finding
	Subjects []finding.Subject
	// Anchor is the go.mod of the first module, relative to Dir.
	Anchor string
	// Skipped are the parts of modules that had nothing to analyse (a
	// tools-only module, generated code not checked in), with what is
	// missing: information, not a failure.
	Skipped []Skip
	// Unavailable says what could not be fetched (offline), one line
	// each; the rest of the report was made without it.
	Unavailable []string
}

// Skip is a part of a module's analysis that did not run, and why.
type Skip struct {
	// GoMod is the module's go.mod relative to Dir.
	GoMod string
	What  string
	// NotBuilt is true when What is packages that were left out because
	// they do not build (the loop preview covers the others).
	NotBuilt bool
}

// ErrNoModule is returned when Dir holds no Go module.
var ErrNoModule = errors.New("no go.mod found")

// Run looks at every module under o.Dir.
func Run(ctx context.Context, o Options) (*Result, error) {
	if o.Offline {
		o.Environ = append(append([]string(nil), o.Environ...), "GOPROXY=off")
	}
	src := o.Toolchains
	if src == nil {
		src = &toolchains.Source{Environ: o.Environ, Progress: o.Progress}
	}
	installed := o.Toolchain
	if installed == nil {
		t, err := Toolchain(ctx, o.Environ)
		if err != nil {
			return nil, err
		}
		installed = &t
	}
	res := &Result{}
	target, tc, tableNote, err := pickToolchain(ctx, o, src, installed, res)
	if err != nil {
		return nil, err
	}
	base := installed
	if o.BaseToolchain != nil {
		base = fromToolchain(*o.BaseToolchain)
	}
	table, fromRoot := facts.Godebugs(tc.GOROOT)
	if tableNote == "" && table.DocFrom != "" {
		tableNote = table.DocFrom
	}
	tree, err := module.Discover(o.Dir)
	if err != nil {
		return nil, err
	}
	if len(tree.Modules) == 0 {
		return nil, fmt.Errorf("%s: %w", o.Dir, ErrNoModule)
	}
	res.Anchor = tree.Modules[0].GoModRel
	for _, m := range tree.Modules {
		a := &analysis{o: &o, tc: tc, base: base, table: table, tableFromRoot: fromRoot, tableNote: tableNote, m: m, target: target}
		if tc.unavailable != "" {
			a.notes = append(a.notes, tc.unavailable)
		}
		for _, w := range tree.Workspaces {
			if w.Rel == m.Workspace {
				a.notes = append(a.notes, fmt.Sprintf("%s uses this module; in builds of that workspace its go line (%s) and godebug lines set the GODEBUG defaults instead of this go.mod's; this report looks at the module on its own", w.Rel, w.Work.Go))
			}
		}
		if err := a.run(ctx); err != nil {
			return nil, fmt.Errorf("%s: %w", m.GoModRel, err)
		}
		res.Findings = append(res.Findings, a.findings...)
		res.Subjects = append(res.Subjects, a.subject())
		for _, w := range a.skipped {
			res.Skipped = append(res.Skipped, Skip{GoMod: m.GoModRel, What: w})
		}
		for _, w := range a.notBuilt {
			res.Skipped = append(res.Skipped, Skip{GoMod: m.GoModRel, What: w, NotBuilt: true})
		}
	}
	return res, nil
}

// pickToolchain chooses the toolchain whose files and go command answer
// for the target: the installed one when the target is not newer than
// it, else the target release taken through the module proxy
// (o.TargetToolchain when the caller has it). When that release cannot
// be had, the installed toolchain stands in, marked unavailable, and the
// note says which data the report then rests on.
func pickToolchain(ctx context.Context, o Options, src *toolchains.Source, installed *goToolchain, res *Result) (string, *goToolchain, string, error) {
	if o.TargetToolchain != nil {
		tc := fromToolchain(*o.TargetToolchain)
		target := o.Target
		if target == "" {
			target = o.TargetToolchain.Lang()
		}
		t, err := TargetVersion(target, tc.Version)
		return t, tc, "", err
	}
	target, err := TargetVersion(o.Target, installed.Version)
	if err == nil {
		return target, installed, "", nil
	}
	if !errors.Is(err, errNewerThanToolchain) {
		return "", nil, "", err
	}
	target = strings.TrimPrefix(facts.NormalizeGo(o.Target), "go")
	r, rerr := src.Resolve(ctx, o.Target)
	var tc toolchains.Toolchain
	if rerr == nil {
		tc, rerr = src.Get(ctx, r.Release)
	}
	if rerr == nil {
		return target, fromToolchain(tc), "", nil
	}
	if ctx.Err() != nil {
		return "", nil, "", ctx.Err()
	}
	if errors.Is(rerr, toolchains.ErrNoSuchRelease) {
		return "", nil, "", fmt.Errorf("--to %s: %v", o.Target, rerr)
	}
	msg := fmt.Sprintf("could not fetch a Go %s toolchain (%v)", target, rerr)
	res.Unavailable = append(res.Unavailable, msg)
	stand := *installed
	emb := facts.EmbeddedGodebugs()
	stand.unavailable = fmt.Sprintf("%s: the GODEBUG changes come from the GODEBUG table embedded in gocompat (%s), which lists no change made after it; the loop preview and tests are not run", msg, emb.GoVersion)
	stand.GOROOT = "" // the embedded table, not the installed toolchain's
	return target, &stand, "embedded copy, " + emb.GoVersion + ", because " + msg, nil
}

var errNewerThanToolchain = errors.New("newer than the toolchain")

// TargetVersion turns a --to value into a go line version ("1.22"): the
// language version of target, or of the toolchain when target is empty.
// A target newer than the toolchain is an error wrapping
// errNewerThanToolchain: that toolchain could neither build at it nor
// know its GODEBUG changes (Run then takes the target release through
// the module proxy).
func TargetVersion(target, toolchain string) (string, error) {
	tcLang := version.Lang(facts.NormalizeGo(toolchain))
	if target == "" {
		if tcLang == "" {
			return "", fmt.Errorf("cannot tell the language version of toolchain %q", toolchain)
		}
		return strings.TrimPrefix(tcLang, "go"), nil
	}
	v := facts.NormalizeGo(target)
	if v == "" || !strings.HasPrefix(v, "go1.") {
		return "", fmt.Errorf("--to %q is not a Go version (want 1.N or 1.N.P)", target)
	}
	if tcLang != "" && version.Compare(v, facts.NormalizeGo(toolchain)) > 0 {
		return "", fmt.Errorf("--to %s is newer than the toolchain %s: %w", target, toolchain, errNewerThanToolchain)
	}
	return strings.TrimPrefix(v, "go"), nil
}

func versionLess(a, b string) bool {
	a, b = facts.NormalizeGo(a), facts.NormalizeGo(b)
	if a == "" || b == "" {
		return false
	}
	return version.Compare(a, b) < 0
}

// analysis is the work on one module.
type analysis struct {
	o             *Options
	tc            *goToolchain // the target's
	base          *goToolchain // runs the tests at the current go line
	table         *facts.GodebugTable
	tableFromRoot bool
	tableNote     string
	m             *module.Module
	target        string
	current       string // go line, "1.16" when absent
	files         []*module.File
	changed       []facts.GodebugSetting
	notes         []string
	skipped       []string
	notBuilt      []string
	findings      []finding.Finding
}

func (a *analysis) progress(format string, args ...any) {
	if a.o.Progress != nil {
		fmt.Fprintf(a.o.Progress, "gocompat upgrade: %s: %s\n", a.m.GoModRel, fmt.Sprintf(format, args...))
	}
}

// rel makes a module-relative file name relative to the run's root.
func (a *analysis) rel(name string) string {
	if a.m.Rel == "." {
		return name
	}
	return path.Join(a.m.Rel, name)
}

func (a *analysis) goLineLoc() finding.Location {
	loc := finding.Location{File: a.m.GoModRel}
	if a.m.Mod.GoLine > 0 {
		loc.Line = a.m.Mod.GoLine
	} else if a.m.Mod.ModuleLine > 0 {
		loc.Line = a.m.Mod.ModuleLine
	}
	return loc
}

func (a *analysis) add(f finding.Finding, details map[string]string) {
	if f.Details == nil {
		f.Details = map[string]string{}
	}
	f.Details["module"] = a.m.Mod.Module
	f.Details["from"] = a.current
	f.Details["to"] = a.target
	for k, v := range details {
		f.Details[k] = v
	}
	a.findings = append(a.findings, f)
}

func (a *analysis) run(ctx context.Context) error {
	a.current = a.m.Mod.Go
	if a.current == "" {
		a.current = "1.16"
		a.notes = append(a.notes, "go.mod has no go line, which the go command reads as go 1.16")
	}
	files, errs := a.m.Scan()
	a.files = files
	for _, err := range errs {
		a.notes = append(a.notes, "skipped: "+err.Error())
	}
	a.checkRemoved()
	if !versionLess(a.current, a.target) {
		a.notes = append(a.notes, fmt.Sprintf("the go line (%s) is already at or above the target (%s)", a.current, a.target))
		return nil
	}
	if err := a.godebug(ctx); err != nil {
		return err
	}
	a.kernel()
	if crossesLoopvar(a.current, a.target) {
		if err := a.loopvar(ctx); err != nil {
			return err
		}
	}
	if a.o.Test && a.tc.unavailable != "" {
		a.notes = append(a.notes, "tests not run at the target: no Go "+a.target+" toolchain")
	} else if a.o.Test {
		if err := a.test(ctx); err != nil {
			return err
		}
	}
	return nil
}

func crossesLoopvar(from, to string) bool {
	return versionLess(from, "1.22") && !versionLess(to, "1.22")
}

// godebugBase is the version whose GODEBUG defaults the module gets
// today, and whether a `godebug default=` line fixes it regardless of
// the go line.
func (a *analysis) godebugBase() (string, string, bool) {
	for _, d := range a.m.Mod.Godebug {
		if d.Key == "default" {
			return strings.TrimPrefix(d.Value, "go"), fmt.Sprintf("%s:%d", a.m.GoModRel, d.Line), true
		}
	}
	return a.current, "", false
}

func (a *analysis) godebug(ctx context.Context) error {
	if base, where, ok := a.godebugBase(); ok {
		a.notes = append(a.notes, fmt.Sprintf("%s sets godebug default=go%s, so raising the go line does not change GODEBUG defaults", where, base))
		return nil
	}
	a.changed = a.table.ChangedBetween(a.current, a.target)
	if len(a.changed) == 0 {
		return nil
	}
	deps, depErr := a.listDeps(ctx)
	if depErr != nil {
		a.notes = append(a.notes, "dependencies not listed, only this module's imports are reported: "+depErr.Error())
	}
	pinned := map[string]module.Directive{}
	for _, d := range a.m.Mod.Godebug {
		pinned[d.Key] = d
	}
	directives := map[string][]string{}
	for _, f := range a.files {
		if f.Package != "main" && !f.Test {
			continue
		}
		for _, d := range f.Directives {
			directives[d.Key] = append(directives[d.Key], fmt.Sprintf("%s:%d", a.rel(f.Name), d.Line))
		}
	}
	for _, s := range a.changed {
		sites := a.importSites(s.Package)
		var importers []string
		inGraph := len(sites) > 0
		if deps != nil {
			importers = deps.importers(s.Package, a.m.Mod.Module)
			if deps.has(s.Package) {
				inGraph = true
			}
		}
		godebugLine := fmt.Sprintf("godebug %s=%s", s.Name, s.Old)
		details := map[string]string{
			"setting": s.Name, "package": s.Package, "changedIn": fmt.Sprintf("1.%d", s.Changed),
			"old": s.Old, "newBehavior": s.NewBehavior, "oldBehavior": s.OldBehavior,
			"godebugLine": godebugLine,
		}
		var msg strings.Builder
		fmt.Fprintf(&msg, "Raising the go line from %s to %s changes the default of GODEBUG %s (package %s, Go 1.%d).\n", a.current, a.target, s.Name, s.Package, s.Changed)
		fmt.Fprintf(&msg, "New: %s\nOld: %s", s.NewBehavior, s.OldBehavior)
		switch {
		case strings.HasPrefix(s.Package, "cmd/"):
			fmt.Fprintf(&msg, "\nIt changes how the go command (%s) behaves in this module.", s.Package)
			details["uses"] = "go command"
			inGraph = true
		case len(sites) > 0:
			fmt.Fprintf(&msg, "\nThis module imports %s at %s.", s.Package, listSome(sites, 3))
			details["importSites"] = strings.Join(sites, ", ")
			details["uses"] = "module"
		case len(importers) > 0:
			fmt.Fprintf(&msg, "\nThis module does not import %s itself; its dependencies do (%s).", s.Package, listSome(importers, 3))
			details["uses"] = "dependencies"
		case inGraph:
			fmt.Fprintf(&msg, "\n%s is in the module's build graph (through the standard library).", s.Package)
			details["uses"] = "standard library"
		case deps != nil:
			fmt.Fprintf(&msg, "\nNeither this module nor its dependencies import %s.", s.Package)
			details["uses"] = "none"
		default:
			fmt.Fprintf(&msg, "\nThis module does not import %s itself; its dependencies could not be listed.", s.Package)
			details["uses"] = "unknown"
		}
		if len(importers) > 0 {
			details["importedByDependencies"] = strings.Join(importers, ", ")
		}
		fix := keepOldFix("Check the code that relies on the old behaviour.", a.m.GoModRel, a.target, s)
		f := finding.New(GodebugDefaultChanges, a.goLineLoc(), msg.String(), fix)
		if !inGraph {
			f.Severity = finding.Info
		}
		if goos, ok := facts.GodebugOnlyOn[s.Name]; ok {
			f.Severity = finding.Info
			f.Message += fmt.Sprintf("\nThe setting only changes behaviour on %s.", goos)
			details["onlyOn"] = goos
		}
		if d, ok := pinned[s.Name]; ok {
			f.Severity = finding.Info
			f.Message += fmt.Sprintf("\n%s:%d already sets %s=%s, so the upgrade does not change it.", a.m.GoModRel, d.Line, d.Key, d.Value)
			f.Fix = "Nothing to do now; remove the godebug line once the code works with the new default."
			details["pinnedBy"] = fmt.Sprintf("%s:%d", a.m.GoModRel, d.Line)
		} else if dirs := directives[s.Name]; len(dirs) > 0 {
			f.Message += fmt.Sprintf("\n//go:debug %s at %s keeps the setting for those main packages or tests only.", s.Name, strings.Join(dirs, ", "))
			details["directives"] = strings.Join(dirs, ", ")
		}
		if s.Doc != "" {
			details["doc"] = s.Doc
		}
		a.add(f, details)
		if _, ok := pinned[s.Name]; !ok {
			a.calls(s, godebugLine)
		}
	}
	return nil
}

// keepOldFix says how to keep a setting's old value: a godebug line in
// go.mod, which toolchains before facts.GodebugLinesSince cannot parse,
// so for earlier targets a //go:debug directive in each main package
// instead.
func keepOldFix(first, gomod, target string, s facts.GodebugSetting) string {
	if v := facts.GodebugLinesSince; versionLess(target, v) {
		return fmt.Sprintf("%s To keep the old behaviour for now, put this directive above the package clause of each main package (go.mod godebug lines need Go %s):\n//go:debug %s=%s\nOnce the go line is %s or later, this line in %s does it for the whole module:\ngodebug %s=%s", first, v, s.Name, s.Old, v, gomod, s.Name, s.Old)
	}
	return fmt.Sprintf("%s To keep the old behaviour for now, add this line to %s:\ngodebug %s=%s", first, gomod, s.Name, s.Old)
}

func listSome(xs []string, n int) string {
	if len(xs) <= n {
		return strings.Join(xs, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(xs[:n], ", "), len(xs)-n)
}

// importSites lists file:line of the module's imports of pkg.
func (a *analysis) importSites(pkg string) []string {
	var out []string
	for _, f := range a.files {
		for _, imp := range f.Imports {
			if imp.Path == pkg {
				out = append(out, fmt.Sprintf("%s:%d", a.rel(f.Name), imp.Line))
			}
		}
	}
	return out
}

// calls reports the calls of the APIs documented for setting s.
func (a *analysis) calls(s facts.GodebugSetting, godebugLine string) {
	apis := facts.APIsFor(s.Name)
	if len(apis) == 0 {
		return
	}
	for _, f := range a.files {
		imports := map[string]bool{}
		for _, imp := range f.Imports {
			imports[imp.Path] = true
		}
		for _, c := range f.Calls {
			for _, api := range apis {
				if c.Name != api.Name || !imports[api.Pkg] {
					continue
				}
				if api.Method != (c.Pkg == "") || !api.Method && c.Pkg != api.Pkg || api.NeedsString && !c.HasStringArg {
					continue
				}
				if api.Unaffected != nil && c.HasStringArg && api.Unaffected(c.StringArg) {
					break // a literal argument the setting provably does not touch
				}
				callee := path.Base(api.Pkg) + "." + c.Name
				if api.Method {
					callee = c.Recv + "." + c.Name
				}
				msg := fmt.Sprintf("%s %s; GODEBUG %s changes its behaviour at Go 1.%d, which the upgrade from %s to %s turns on.", callee, api.What, s.Name, s.Changed, a.current, a.target)
				details := map[string]string{"setting": s.Name, "call": callee, "godebugLine": godebugLine}
				if s.Name == "httpmuxgo121" && c.HasStringArg {
					details["pattern"] = c.StringArg
					msg += "\n" + muxPatternNote(c.StringArg)
				}
				fix := keepOldFix("Check this call under the new behaviour (gocompat upgrade --test runs the tests with the raised go line).", a.m.GoModRel, a.target, s)
				f2 := finding.New(GodebugAffectedCall, finding.Location{File: a.rel(f.Name), Line: c.Line, Column: c.Col}, msg, fix)
				f2.Sources = append(f2.Sources, api.Source)
				a.add(f2, details)
				break
			}
		}
	}
}

// muxPatternNote says how a ServeMux pattern reads under the two matchers.
func muxPatternNote(p string) string {
	var why []string
	if i := strings.IndexAny(p, " \t"); i > 0 && strings.ToUpper(p[:i]) == p[:i] {
		why = append(why, fmt.Sprintf("a method (%s)", p[:i]))
	}
	if strings.Contains(p, "{$}") {
		why = append(why, "{$}")
	} else if strings.Contains(p, "{") {
		why = append(why, "a {wildcard}")
	}
	if len(why) > 0 {
		return fmt.Sprintf("Pattern %q uses Go 1.22 syntax (%s): with httpmuxgo121=1 it is a literal path that requests never match.", p, strings.Join(why, ", "))
	}
	return fmt.Sprintf("Pattern %q has no Go 1.22 syntax; it matches the same paths, except that escaped characters (such as %%2F) are now unescaped segment by segment.", p)
}

func (a *analysis) checkRemoved() {
	check := func(key, where string, loc finding.Location) {
		r, ok := a.table.LookupRemoved(key)
		if !ok || r.Removed > facts.Minor(a.target) {
			return
		}
		msg := fmt.Sprintf("%s names GODEBUG %s, which Go 1.%d removed; a Go %s build fails with an unknown godebug error.", where, key, r.Removed, a.target)
		a.add(finding.New(GodebugSettingRemoved, loc, msg, "Delete the line, and make the code work with the behaviour that is now fixed."), map[string]string{"setting": key, "removedIn": fmt.Sprintf("1.%d", r.Removed)})
	}
	for _, d := range a.m.Mod.Godebug {
		check(d.Key, "This godebug line", finding.Location{File: a.m.GoModRel, Line: d.Line})
	}
	for _, f := range a.files {
		if f.Package != "main" && !f.Test {
			continue
		}
		for _, d := range f.Directives {
			check(d.Key, "This //go:debug directive", finding.Location{File: a.rel(f.Name), Line: d.Line})
		}
	}
}

func (a *analysis) kernel() {
	from := a.current
	if versionLess(from, facts.GoReleases[0].Version) {
		from = facts.GoReleases[0].Version
	}
	oldK, _, err1 := facts.MinKernelFor(from)
	newK, srcs, err2 := facts.MinKernelFor(a.target)
	if err1 != nil || err2 != nil || compareDotted(newK, oldK) <= 0 {
		return
	}
	msg := fmt.Sprintf("With go %s in go.mod, the module needs Go %s or later to build, and programs built by Go %s need Linux %s or later; a Go %s toolchain, enough today, builds programs that run on Linux %s.",
		a.target, a.target, a.target, newK, a.current, oldK)
	f := finding.New(KernelFloorRises, a.goLineLoc(), msg,
		fmt.Sprintf("Make sure every host that runs this module's programs has Linux %s or later (gocompat audit checks hosts and images), or keep the go line below the release that raised the floor.", newK))
	f.Sources = append(f.Sources, srcs...)
	a.add(f, map[string]string{"minKernelBefore": oldK, "minKernelAfter": newK})
}

// compareDotted compares dotted kernel versions numerically.
func compareDotted(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) || i < len(bs); i++ {
		var x, y int
		if i < len(as) {
			x, _ = strconv.Atoi(as[i])
		}
		if i < len(bs) {
			y, _ = strconv.Atoi(bs[i])
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}

func (a *analysis) subject() finding.Subject {
	attr := map[string]string{
		"go":              a.m.Mod.Go,
		"target":          a.target,
		"godebugTable":    a.table.GoVersion + map[bool]string{true: " (read from GOROOT)", false: " (embedded copy)"}[a.tableFromRoot],
		"targetToolchain": a.tc.Version,
	}
	if a.tc.GOROOT != "" {
		attr["targetToolchain"] += " (" + a.tc.GOROOT + ")"
	}
	if a.tc.unavailable != "" {
		attr["targetToolchain"] = "unavailable"
	}
	if a.tableNote != "" {
		attr["godebugTable"] += "; " + a.tableNote
	}
	if a.o.Test && a.tc.unavailable == "" {
		attr["testToolchains"] = fmt.Sprintf("%s at go %s, %s at go %s", a.base.Version, a.current, a.tc.Version, a.target)
	}
	if a.m.Mod.GoLine > 0 {
		attr["goLine"] = fmt.Sprintf("%s:%d", a.m.GoModRel, a.m.Mod.GoLine)
	}
	if a.m.Mod.Toolchain != "" {
		attr["toolchain"] = fmt.Sprintf("%s (%s:%d)", a.m.Mod.Toolchain, a.m.GoModRel, a.m.Mod.ToolchainLine)
	}
	var gd []string
	for _, d := range a.m.Mod.Godebug {
		gd = append(gd, fmt.Sprintf("%s=%s (%s:%d)", d.Key, d.Value, a.m.GoModRel, d.Line))
	}
	if len(gd) > 0 {
		attr["godebug"] = strings.Join(gd, ", ")
	}
	var dirs []string
	for _, f := range a.files {
		if f.Package != "main" && !f.Test {
			continue
		}
		for _, d := range f.Directives {
			dirs = append(dirs, fmt.Sprintf("%s=%s (%s:%d)", d.Key, d.Value, a.rel(f.Name), d.Line))
		}
	}
	if len(dirs) > 0 {
		attr["goDebugDirectives"] = strings.Join(dirs, ", ")
	}
	if a.m.Workspace != "" {
		attr["workspace"] = a.m.Workspace
	}
	var names []string
	for _, s := range a.changed {
		names = append(names, s.Name)
	}
	attr["godebugChanges"] = strings.Join(names, ",")
	if len(a.notes) > 0 {
		attr["notes"] = strings.Join(a.notes, "; ")
	}
	name := a.m.Mod.Module
	if name == "" {
		name = a.m.GoModRel
	}
	return finding.Subject{Kind: "module", Name: name, Path: a.m.Rel, Attributes: attr}
}

// deps is the package graph of a module as go list -deps reports it.
type deps struct {
	pkgs map[string]listedPackage
}

type listedPackage struct {
	ImportPath string
	Standard   bool
	Imports    []string
	Module     *struct{ Path string }
}

func (d *deps) has(pkg string) bool { _, ok := d.pkgs[pkg]; return ok }

// importers lists the packages outside the main module and the standard
// library that import pkg.
func (d *deps) importers(pkg, mainModule string) []string {
	var out []string
	for _, p := range d.pkgs {
		if p.Standard || p.Module == nil || p.Module.Path == mainModule {
			continue
		}
		for _, imp := range p.Imports {
			if imp == pkg {
				out = append(out, p.ImportPath)
				break
			}
		}
	}
	sort.Strings(out)
	return out
}

// listDeps runs go list -deps -test on the module's packages, or takes
// the run's listing (Options.ListDeps) when the installed toolchain is
// the one that answers.
func (a *analysis) listDeps(ctx context.Context) (*deps, error) {
	if a.o.ListDeps != nil && a.tc.Go == "" && a.tc.unavailable == "" {
		a.progress("listing packages and dependencies")
		g, err := a.o.ListDeps(ctx, a.m.Dir)
		if err != nil {
			return nil, err
		}
		d := &deps{pkgs: map[string]listedPackage{}}
		for _, p := range g.Packages {
			lp := listedPackage{ImportPath: p.ImportPath, Standard: p.Standard, Imports: p.Imports}
			if p.Module != nil {
				lp.Module = &struct{ Path string }{p.Module.Path}
			}
			d.add(lp)
		}
		return d, nil
	}
	c, err := newModCopy(a.m, "list", "")
	if err != nil {
		return nil, err
	}
	defer c.Close()
	a.progress("listing packages and dependencies")
	out, stderr, err := a.tc.run(ctx, a.m.Dir, a.o.Environ, nil, "list", "-modfile="+c.Mod, "-e", "-deps", "-test",
		"-json=ImportPath,Standard,Imports,Module", "./...")
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("go list: %v: %s", err, firstLines(stderr, 3))
	}
	d := &deps{pkgs: map[string]listedPackage{}}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p listedPackage
		if err := dec.Decode(&p); err != nil {
			return nil, fmt.Errorf("go list output: %w", err)
		}
		d.add(p)
	}
	return d, nil
}

// add records a listed package; test variants ("p [p.test]") count as p.
func (d *deps) add(p listedPackage) {
	name, _, _ := strings.Cut(p.ImportPath, " ")
	p.ImportPath = name
	if old, ok := d.pkgs[name]; ok {
		p.Imports = append(p.Imports, old.Imports...)
	}
	d.pkgs[name] = p
}
