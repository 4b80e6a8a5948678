// Command gocompat audits Go projects and their Linux deployments: the
// toolchain, upgrade safety, what binaries need against what hosts and
// images provide, and deployment configs. Every finding has a stable check
// ID, a fix and the sources behind it.
//
// Run by go vet (go vet -vettool=$(command -v gocompat) ./...), it acts as
// a vet tool running the loopvar analyzer.
//
// # Usage
//
// This is the text of gocompat help, generated from the command and format
// tables (a test keeps it equal):
//
//	gocompat audits Go projects and their Linux deployments.
//
//	Usage:
//	  gocompat [-C dir] <command> [flags] [arguments]
//
//	Commands:
//	  audit      run every check that applies to dir (default .) and this host
//	  binary     say what Go binaries need (go version -m and ELF facts) and whether
//	             they run on each --target
//	  deploy     check the Dockerfiles, systemd units and CI workflows under dir
//	             (default .) against the Go module they deploy
//	  doctor     check that the Go installation on PATH is sound, and say why not
//	  explain    print what a check means and how to fix its findings; with no ID,
//	             list all checks
//	  host       describe this machine (or a root filesystem) as a platform for Go
//	             programs: kernel, libc, CPU level, cgroup limits, seccomp, memory
//	             settings
//	  loopvar    find loops whose behaviour changes with Go 1.22 per-iteration loop
//	             variables (default ./...)
//	  report     render a saved JSON report (--format json output; - for stdin) in
//	             any --format, without running a check
//	  upgrade    show what changes when the modules in dir (default .) raise their
//	             go line, and with --test prove it with their tests
//	  version    print gocompat's version
//	  help       print this text, or with a command name its flags and steps
//
//	Flags of every reporting command (before or after the arguments):
//	  --format F                 output format (default text), one of:
//	      json   the report as JSON (docs/json-schema.md); gocompat report --from
//	             replays it
//	      sarif  SARIF 2.1.0 for GitHub code scanning (every result located)
//	      text   findings for people, one per line with the fix (default)
//	  --fail-on error|warning|info|never
//	                             exit 1 when a finding is at or above this
//	                             severity (default error, or fail-on in .gocompat.yaml)
//	  --color auto|always|never  colour in text output (auto: a terminal without NO_COLOR)
//	  -v                         show evidence and info-level sources
//	  -C dir                     run as if started in dir
//
//	Exit codes: 0 nothing at or above --fail-on; 1 findings; 2 usage or operational error.
//
//	Run "gocompat help <command>" for a command's flags, "gocompat explain <check-id>"
//	for what a finding means and how to fix it.
//
// Flags may come before or after the arguments; both -flag and --flag work.
// gocompat help <command> prints a command's own flags and the steps it
// runs.
//
// # Commands and steps
//
// Every reporting command is a named set of steps (internal/audit): each
// step is one family of checks and declares the subjects it needs (the Go
// toolchain on PATH, a module, the Dockerfiles, systemd units and CI
// workflows below the directory, Go binaries, the host). audit runs every
// step that applies; doctor runs toolchain; deploy runs dockerfile, systemd
// and workflow; binary, host, upgrade and loopvar run their own step on its
// own, where a step that cannot run is an error (exit 2) instead of an
// audit/step-failed finding. report runs no step: it renders a report saved
// with --format json in any format, as it was saved.
//
// Steps run in parallel, as many at a time as the process has CPUs; the
// report lists them and their findings in the same order every run. The
// loopvar and upgrade steps share one loopvar analysis (one go vet) per
// module. On a terminal, stderr says which steps run. audit stops a step
// that runs longer than --step-timeout (default 10m, 0 for no limit) and
// reports what finished plus one audit/step-timeout warning naming it. -v
// prints each step's wall time; --format json always has them (steps[]).
//
// # Exit codes
//
//	0  nothing at or above --fail-on
//	1  findings at or above --fail-on, in every format (report --from too)
//	2  usage or operational error: one line on stderr, never a stack trace;
//	   also an interrupted run (SIGINT, SIGTERM), which still writes the
//	   report of the steps that finished, with an audit/interrupted finding
//	   (a second signal ends gocompat at once)
//
// # Configuration
//
// .gocompat.yaml is looked for from the audited directory (audit DIR,
// deploy DIR, upgrade DIR; else the working directory after -C) up to the
// repository root; see package internal/config for its keys. A malformed
// file is exit 2 with its path and line. In Go files,
// //gocompat:ignore <check-id> <reason> ignores a finding on its own line
// or the next; only the files findings point into are read for them, so a
// malformed or unused inline ignore is reported only in such a file.
//
// # SARIF and code scanning
//
// Every result has a location. A finding without a file of its own (a
// toolchain, a host, a binary named by an absolute path) is anchored at
// line 1 of the audited directory's go.mod, else go.work, else
// .gocompat.yaml, else the directory's first file; the result's properties
// say "anchored": true and keep the object or file. GitHub code scanning
// shows such an alert on that file's first line. In an empty directory there
// is nothing to anchor to; run gocompat from the repository root.
//
// # Limitations
//
// doctor runs the go command (go env, go version, go list std, go tool
// compile -V) with GOTOOLCHAIN=local in a scratch directory: it never
// downloads a toolchain and never writes to the user's files, but it does
// use the build cache as any go command does. The module proxy is only
// contacted with --online (audit, doctor) or by upgrade, which resolves the
// modules' requirements. upgrade --test runs the modules' tests, that is
// their code. The walk of the audited directory skips .git, .hg, .svn,
// node_modules, vendor, testdata and hidden directories other than .github,
// never follows symbolic links, and stops after 50,000 entries or 12
// levels. SARIF locations are relative to the audited directory, which
// code scanning takes as the repository root.
package main
