package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/gocompat/gocompat/internal/audit"
	"github.com/gocompat/gocompat/internal/config"
	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/report"
	"github.com/gocompat/gocompat/internal/report/format"
	"github.com/gocompat/gocompat/internal/report/text"
)

// Invocation is everything a run takes from its process; tests build one
// by hand and run commands in-process.
type Invocation struct {
	Args   []string
	Env    []string
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Now is the clock used for ignore expiry; zero means time.Now.
	Now func() time.Time
	// VetTool is an executable that acts as gocompat's go vet tool (the
	// gocompat binary itself): the loopvar checks run through go vet with
	// it, so the build cache keeps their per-package results. Empty (as
	// in tests, whose binary is no vet tool): they run in process.
	VetTool string
}

// Exit codes.
const (
	ExitOK       = 0
	ExitFindings = 1
	ExitError    = 2
)

// exitError carries an exit code with an error; Main prints its message.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// ExitCode is the process exit code for the error.
func (e *exitError) ExitCode() int { return e.code }

func usageErrorf(format string, args ...any) error {
	return &exitError{code: ExitError, err: fmt.Errorf(format, args...)}
}

// errFindings is returned when findings trip --fail-on; nothing is printed
// for it beyond the report itself.
var errFindings = &exitError{code: ExitFindings, err: errors.New("findings at or above the --fail-on threshold")}

// errHelp is returned after help was printed on request.
var errHelp = &exitError{code: ExitOK, err: flag.ErrHelp}

// Main runs one gocompat command and returns the process exit code. It
// never panics on the user's input: a panic from a check is turned into an
// operational error (exit 2) with one line on stderr.
func Main(ctx context.Context, inv Invocation) (code int) {
	if inv.Stdout == nil {
		inv.Stdout = io.Discard
	}
	if inv.Stderr == nil {
		inv.Stderr = io.Discard
	}
	if inv.Now == nil {
		inv.Now = time.Now
	}
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(inv.Stderr, "gocompat: internal error: %v (please report this with the command you ran)\n", r)
			code = ExitError
		}
	}()
	err := run(ctx, &inv)
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee != errFindings && ee != errHelp {
			fmt.Fprintf(inv.Stderr, "gocompat: %s\n", oneLine(ee.err.Error()))
		}
		return ee.code
	}
	fmt.Fprintf(inv.Stderr, "gocompat: %s\n", oneLine(err.Error()))
	return ExitError
}

func oneLine(s string) string {
	s = strings.TrimSpace(s)
	return text.Escape(strings.ReplaceAll(s, "\n", "; "))
}

// command is one subcommand. A command that reports is a named set of
// pipeline steps (see internal/audit): steps names them, target builds the
// run from the arguments, and the common flags, the configuration, the
// rendering and the exit code are the same for all. A new command is one
// cmd_<name>.go file that calls registerCommand from its init func.
type command struct {
	name    string
	args    string // argument synopsis for usage
	summary string
	// reports is true for commands that produce a report: they get the
	// common --format, --fail-on, --color and -v flags and the config.
	reports bool
	// flags declares the command's own flags.
	flags func(fs *flag.FlagSet)
	// steps are the step families the command runs; all means every
	// registered step that applies (gocompat audit).
	steps []string
	all   bool
	// target builds the run from the arguments (default: dirTarget, at
	// most one directory, default .).
	target func(e *env, args []string) (*audit.Target, error)
	// finish, if set, sees the steps' report or error: the command's own
	// output (a diff) and error wording.
	finish func(ctx context.Context, e *env, rep *report.Report, err error) (*report.Report, error)
	// timeout, if set, bounds the steps' run (0: no limit).
	timeout func() time.Duration
	// run does the work of a command without steps (explain, version,
	// report). For reporting commands it returns the report, which is
	// rendered as saved: the configuration is not applied again.
	run func(ctx context.Context, e *env, args []string) (*report.Report, error)
	// rawArgs hands run the arguments unparsed (baseline write passes
	// audit's flags on).
	rawArgs bool
}

// commandTable holds the constructors of every command; each builds a
// fresh command, since its flags bind to variables of one run.
var commandTable []*func() *command

// registerCommand adds a command; its cmd_<name>.go calls it from init.
// The returned func removes it again (for tests that add one).
func registerCommand(f func() *command) (unregister func()) {
	p := &f
	commandTable = append(commandTable, p)
	return func() {
		commandTable = slices.DeleteFunc(commandTable, func(q *func() *command) bool { return q == p })
	}
}

// env is what a running command can use.
type env struct {
	inv      *Invocation
	dir      string // absolute working directory after -C
	environ  []string
	registry *finding.Registry
	verbose  bool
	quiet    bool   // -q: no progress on stderr
	format   string // --format of a reporting command
}

// Getenv looks a variable up in the invocation's environment.
func (e *env) Getenv(key string) string {
	for i := len(e.environ) - 1; i >= 0; i-- {
		if k, v, ok := strings.Cut(e.environ[i], "="); ok && k == key {
			return v
		}
	}
	return ""
}

// progress returns stderr when it is a terminal (progress lines would
// only clutter logs and CI output), else nil.
func (e *env) progress() io.Writer {
	if !e.quiet && isTerminal(e.inv.Stderr) {
		return e.inv.Stderr
	}
	return nil
}

// abs resolves p against the working directory.
func (e *env) abs(p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(e.dir, p)
}

// commands returns every command, by name.
func commands() []*command {
	out := make([]*command, 0, len(commandTable))
	for _, f := range commandTable {
		out = append(out, (*f)())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

func lookupCommand(name string) *command {
	for _, c := range commands() {
		if c.name == name {
			return c
		}
	}
	return nil
}

func run(ctx context.Context, inv *Invocation) error {
	top := flag.NewFlagSet("gocompat", flag.ContinueOnError)
	top.SetOutput(io.Discard)
	var chdir string
	var showVersion bool
	top.StringVar(&chdir, "C", "", "")
	top.BoolVar(&showVersion, "version", false, "")
	if err := top.Parse(inv.Args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			writeUsage(inv.Stdout)
			return errHelp
		}
		return usageErrorf("%v (see gocompat help)", err)
	}
	if showVersion {
		fmt.Fprintf(inv.Stdout, "gocompat %s\n", Version())
		return nil
	}
	args := top.Args()
	if len(args) == 0 {
		return usageErrorf("no command given (gocompat help lists the commands; gocompat audit runs them all)")
	}
	name, args := args[0], args[1:]
	if name == "help" {
		if len(args) == 0 {
			writeUsage(inv.Stdout)
			return nil
		}
		c := lookupCommand(args[0])
		if c == nil {
			return usageErrorf("unknown command %q (see gocompat help)", args[0])
		}
		writeCommandUsage(inv.Stdout, c)
		return nil
	}
	c := lookupCommand(name)
	if c == nil {
		return usageErrorf("unknown command %q (see gocompat help)", name)
	}

	fs := flag.NewFlagSet("gocompat "+c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&chdir, "C", chdir, "")
	var formatName, failOn, color, baselineFile, newFromRev, linkBase string
	var verbose, quiet bool
	if c.reports {
		fs.StringVar(&formatName, "format", "text", "")
		fs.StringVar(&failOn, "fail-on", "", "")
		fs.StringVar(&color, "color", "auto", "")
		fs.BoolVar(&verbose, "v", false, "")
		fs.BoolVar(&quiet, "q", false, "")
		fs.StringVar(&baselineFile, "baseline", "", "")
		fs.StringVar(&newFromRev, "new-from-rev", "", "")
		fs.StringVar(&linkBase, "link-base", "", "")
	}
	if c.flags != nil {
		c.flags(fs)
	}
	var pos []string
	var err error
	if c.rawArgs {
		pos = args
		if len(args) > 0 && slices.Contains([]string{"-h", "-help", "--help"}, args[0]) {
			err = flag.ErrHelp
		}
	} else {
		pos, err = parseInterspersed(fs, args)
	}
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			writeCommandUsage(inv.Stdout, c)
			return errHelp
		}
		return usageErrorf("%v (see gocompat help %s)", err, c.name)
	}

	cwd, err := os.Getwd()
	if err != nil {
		return &exitError{code: ExitError, err: fmt.Errorf("working directory: %w", err)}
	}
	dir := cwd
	if chdir != "" {
		dir = chdir
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(cwd, dir)
		}
		if !isDir(dir) {
			return usageErrorf("-C %s: not a directory", chdir)
		}
	}
	e := &env{inv: inv, dir: filepath.Clean(dir), environ: inv.Env, registry: audit.Registry(), verbose: verbose}

	e.quiet = quiet
	if !c.reports {
		_, err := c.run(ctx, e, pos)
		return err
	}

	rd, ok := format.Lookup(formatName)
	if !ok {
		return usageErrorf("unknown --format %q (want %s)", formatName, format.Names())
	}
	e.format = formatName
	useColor, err := colorEnabled(color, inv.Stdout, e.Getenv)
	if err != nil {
		return err
	}
	if failOn != "" {
		if _, err := finding.ParseThreshold(failOn); err != nil {
			return usageErrorf("%v", err)
		}
	}

	var rep *report.Report
	var interrupted bool
	threshold := finding.Threshold{Min: finding.Error}
	if c.run != nil {
		// A command without steps (report --from) renders what it
		// returns as it is.
		if rep, err = c.run(ctx, e, pos); err != nil {
			return asExitError(err)
		}
	} else {
		build := c.target
		if build == nil {
			build = dirTarget(c.name)
		}
		t, err := build(e, pos)
		if err != nil {
			return asExitError(err)
		}
		// The configuration belongs to the audited directory (or a
		// parent up to the repository root), not to the working one.
		cfg, err := config.Find(t.Dir)
		if err != nil {
			return &exitError{code: ExitError, err: err}
		}
		if cfg != nil && cfg.FailOn != "" {
			if threshold, err = finding.ParseThreshold(cfg.FailOn); err != nil {
				return &exitError{code: ExitError, err: fmt.Errorf("%s: %v", cfg.Path, err)}
			}
		}
		steps := audit.Steps()
		if !c.all {
			steps = audit.StepsOf(c.steps...)
		}
		if c.timeout != nil && c.timeout() > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, c.timeout())
			defer cancel()
		}
		rep, err = audit.Run(ctx, t, steps)
		// An interrupted run still writes what it has (with an
		// audit/interrupted finding), then exits 2.
		if errors.Is(err, audit.ErrInterrupted) {
			interrupted, err = true, nil
		}
		if c.finish != nil {
			rep, err = c.finish(ctx, e, rep, err)
		}
		if err != nil {
			return asExitError(err)
		}
		if len(rep.Checks) == 0 {
			// Say what was looked at even when nothing applied.
			rep.Checks = append([]string(nil), c.steps...)
		}
		rep.Tool = report.Tool{Name: "gocompat", Version: Version(), URI: "https://github.com/gocompat/gocompat"}
		rep.Command = c.name
		if rep.Root == "" {
			rep.Root = t.Dir
		}
		config.Apply(rep, cfg, e.registry, inv.Now())
		rep.Finish(e.registry)
	}
	if failOn != "" {
		threshold, _ = finding.ParseThreshold(failOn)
	}
	if err := onlyNew(ctx, e, rep, baselineFile, newFromRev); err != nil {
		return err
	}

	if err := rd.Write(inv.Stdout, rep, format.Options{Color: useColor, Verbose: verbose, LinkBase: linkBase}); err != nil {
		return &exitError{code: ExitError, err: fmt.Errorf("write report: %w", err)}
	}
	if interrupted {
		return &exitError{code: ExitError, err: errors.New("interrupted: the report holds only the checks that finished")}
	}
	if threshold.Fails(rep.Findings) {
		return errFindings
	}
	return nil
}

// asExitError keeps an error that carries its exit code and makes any
// other an operational error (exit 2).
func asExitError(err error) error {
	var ee *exitError
	if errors.As(err, &ee) {
		return err
	}
	return &exitError{code: ExitError, err: err}
}

// newTarget is a run of the pipeline on dir with this invocation's
// environment and seams.
func (e *env) newTarget(dir string) *audit.Target {
	return &audit.Target{
		Dir: dir, Environ: e.environ, HostRoot: "/", Progress: e.progress(), Stderr: e.inv.Stderr,
		VetTool: e.inv.VetTool, Now: e.inv.Now, LookPath: exec.LookPath,
	}
}

// dirTarget builds the run of a command that takes at most one directory
// (default: the working directory).
func dirTarget(name string) func(e *env, args []string) (*audit.Target, error) {
	return func(e *env, args []string) (*audit.Target, error) {
		if len(args) > 1 {
			return nil, usageErrorf("%s takes at most one directory, got %d arguments", name, len(args))
		}
		dir := e.dir
		if len(args) == 1 {
			dir = e.abs(args[0])
			if !isDir(dir) {
				return nil, usageErrorf("%s %s: not a directory", name, args[0])
			}
		}
		return e.newTarget(dir), nil
	}
}

// parseInterspersed parses flags that may come after positional
// arguments, as in `gocompat audit ./dir --format json`. A lone "--" ends
// flag parsing.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func colorEnabled(mode string, w io.Writer, getenv func(string) string) (bool, error) {
	switch mode {
	case "always":
		return true, nil
	case "never":
		return false, nil
	case "auto":
	default:
		return false, usageErrorf("unknown --color %q (want auto, always or never)", mode)
	}
	if getenv("NO_COLOR") != "" || getenv("TERM") == "dumb" {
		return false, nil
	}
	return isTerminal(w), nil
}

// Version is gocompat's own version, read from the binary's build info:
// the module version for `go install …@vX`, else the VCS revision.
func Version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := bi.Main.Version
	if v != "" && v != "(devel)" {
		return v
	}
	var rev, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if modified == "true" {
			rev += "+dirty"
		}
		return "devel-" + rev
	}
	return "devel"
}

// writeUsage prints gocompat help: generated from the command table and
// the format table, so that it lists every command and format there is.
// cmd/gocompat/doc.go and the README embed it (a test keeps them equal).
func writeUsage(w io.Writer) {
	fmt.Fprint(w, `gocompat audits Go projects and their Linux deployments.

Usage:
  gocompat [-C dir] <command> [flags] [arguments]

Commands:
`)
	for _, c := range commands() {
		writeWrapped(w, fmt.Sprintf("  %-10s ", c.name), c.summary)
	}
	writeWrapped(w, fmt.Sprintf("  %-10s ", "help"), "print this text, or with a command name its flags and steps")
	fmt.Fprint(w, `
Flags of every reporting command (before or after the arguments):
  --format F                 output format (default text), one of:
`)
	width := 6
	for _, r := range format.All() {
		width = max(width, len(r.Name))
	}
	for _, r := range format.All() {
		writeWrapped(w, fmt.Sprintf("      %-*s ", width, r.Name), r.Summary)
	}
	fmt.Fprint(w, `  --fail-on error|warning|info|never
                             exit 1 when a finding is at or above this
                             severity (default error, or fail-on in .gocompat.yaml)
  --color auto|always|never  colour in text output (auto: a terminal without NO_COLOR)
  -v                         show evidence and info-level sources
  -q                         no progress on stderr (shown only on a terminal)
  --baseline FILE            count only findings that the saved JSON report FILE
                             does not hold (gocompat baseline write FILE makes one)
  --new-from-rev REV         count only findings on lines changed since the git
                             revision REV, and in files git does not track yet
  --link-base URL            markdown: link each finding to URL + its path and line
  -C dir                     run as if started in dir

Exit codes: 0 nothing at or above --fail-on; 1 findings; 2 usage or operational error.

Run "gocompat help <command>" for a command's flags, "gocompat explain <check-id>"
for what a finding means and how to fix it.
`)
}

// writeWrapped prints prefix and text, wrapping text at 80 columns with
// continuation lines indented to the prefix's width.
func writeWrapped(w io.Writer, prefix, text string) {
	const width = 80
	indent := strings.Repeat(" ", len(prefix))
	line := prefix
	n := 0
	for _, word := range strings.Fields(text) {
		if n > 0 && len(line)+1+len(word) > width {
			fmt.Fprintln(w, line)
			line, n = indent, 0
		}
		if n > 0 {
			line += " "
		}
		line += word
		n++
	}
	fmt.Fprintln(w, line)
}

func writeCommandUsage(w io.Writer, c *command) {
	fmt.Fprintf(w, "Usage: gocompat %s [flags] %s\n\n%s\n", c.name, c.args, c.summary)
	switch {
	case c.all:
		var names []string
		for _, s := range audit.Steps() {
			names = append(names, s.Family)
		}
		fmt.Fprintf(w, "\nSteps: every one that applies (%s).\n", strings.Join(names, ", "))
	case len(c.steps) > 0:
		fmt.Fprintf(w, "\nSteps: %s.\n", strings.Join(c.steps, ", "))
	}
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	if c.flags != nil {
		c.flags(fs)
	}
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n > 0 {
		fmt.Fprint(w, "\nFlags:\n")
		fs.SetOutput(w)
		fs.PrintDefaults()
	}
	if c.reports {
		fmt.Fprintf(w, "\nAlso --format %s, --fail-on, --color, -v, -q, --baseline, --new-from-rev,\n--link-base and -C (see gocompat help).\n", format.Bar())
	}
}
