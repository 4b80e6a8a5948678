package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"github.com/gocompat/gocompat/internal/audit"
	"github.com/gocompat/gocompat/internal/config"
	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/report"
	"github.com/gocompat/gocompat/internal/report/sarif"
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
	return strings.ReplaceAll(s, "\n", "; ")
}

// command is one subcommand.
type command struct {
	name    string
	args    string // argument synopsis for usage
	summary string
	// reports is true for commands that produce a report: they get the
	// common --format, --fail-on, --color and -v flags and the config.
	reports bool
	// flags declares the command's own flags.
	flags func(fs *flag.FlagSet)
	// run does the work. For reporting commands it returns the report; the
	// caller applies configuration, renders it and computes the exit code.
	run func(ctx context.Context, e *env, args []string) (*report.Report, error)
}

// env is what a running command can use.
type env struct {
	inv      *Invocation
	dir      string // absolute working directory after -C
	environ  []string
	registry *finding.Registry
	verbose  bool
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
	if isTerminal(e.inv.Stderr) {
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

func commands() []*command {
	return []*command{
		auditCommand(),
		binaryCommand(),
		doctorCommand(),
		deployCommand(),
		hostCommand(),
		explainCommand(),
		upgradeCommand(),
		loopvarCommand(),
		matrixCommand(),
		versionCommand(),
	}
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
	var format, failOn, color string
	var verbose bool
	if c.reports {
		fs.StringVar(&format, "format", "text", "")
		fs.StringVar(&failOn, "fail-on", "", "")
		fs.StringVar(&color, "color", "auto", "")
		fs.BoolVar(&verbose, "v", false, "")
	}
	if c.flags != nil {
		c.flags(fs)
	}
	pos, err := parseInterspersed(fs, args)
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

	if !c.reports {
		_, err := c.run(ctx, e, pos)
		return err
	}

	switch format {
	case "text", "json", "sarif":
	default:
		return usageErrorf("unknown --format %q (want text, json or sarif)", format)
	}
	e.format = format
	useColor, err := colorEnabled(color, inv.Stdout, e.Getenv)
	if err != nil {
		return err
	}

	cfg, err := config.Find(e.dir)
	if err != nil {
		return &exitError{code: ExitError, err: err}
	}
	threshold := finding.Threshold{Min: finding.Error}
	if cfg != nil && cfg.FailOn != "" {
		if threshold, err = finding.ParseThreshold(cfg.FailOn); err != nil {
			return &exitError{code: ExitError, err: fmt.Errorf("%s: %v", cfg.Path, err)}
		}
	}
	if failOn != "" {
		if threshold, err = finding.ParseThreshold(failOn); err != nil {
			return usageErrorf("%v", err)
		}
	}

	rep, err := c.run(ctx, e, pos)
	if err != nil {
		var ee *exitError
		if errors.As(err, &ee) {
			return err
		}
		return &exitError{code: ExitError, err: err}
	}
	rep.Tool = report.Tool{Name: "gocompat", Version: Version(), URI: "https://github.com/gocompat/gocompat"}
	rep.Command = c.name
	if rep.Root == "" {
		rep.Root = e.dir
	}
	config.Apply(rep, cfg, e.registry, inv.Now())
	rep.Finish(e.registry)

	switch format {
	case "json":
		err = report.Encode(inv.Stdout, rep)
	case "sarif":
		err = sarif.Write(inv.Stdout, rep)
	default:
		err = text.Write(inv.Stdout, rep, text.Options{Color: useColor, Verbose: verbose})
	}
	if err != nil {
		return &exitError{code: ExitError, err: fmt.Errorf("write report: %w", err)}
	}
	if threshold.Fails(rep.Findings) {
		return errFindings
	}
	return nil
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

func writeUsage(w io.Writer) {
	fmt.Fprint(w, `gocompat audits Go projects and their Linux deployments.

Usage:
  gocompat [-C dir] <command> [flags] [arguments]

Commands:
`)
	cs := commands()
	sort.Slice(cs, func(i, j int) bool { return cs[i].name < cs[j].name })
	for _, c := range cs {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Flags of every reporting command:
  --format text|json|sarif   output format (default text)
  --fail-on error|warning|info|never
                             exit 1 when a finding is at or above this
                             severity (default error, or fail-on in .gocompat.yaml)
  --color auto|always|never  colour in text output (auto: a terminal without NO_COLOR)
  -v                         show evidence and info-level sources
  -C dir                     run as if started in dir

Exit codes: 0 nothing at or above --fail-on; 1 findings; 2 usage or operational error.

Run "gocompat help <command>" for a command's flags, "gocompat explain <check-id>"
for what a finding means and how to fix it.
`)
}

func writeCommandUsage(w io.Writer, c *command) {
	fmt.Fprintf(w, "Usage: gocompat %s [flags] %s\n\n%s\n", c.name, c.args, c.summary)
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
		fmt.Fprint(w, "\nAlso --format, --fail-on, --color, -v and -C (see gocompat help).\n")
	}
}
