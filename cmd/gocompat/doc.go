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
//	  baseline   save what gocompat audit finds now as the baseline FILE, so that
//	             --baseline FILE counts only new findings
//	  binary     say what Go binaries need (go version -m and ELF facts) and whether
//	             they run on each --target
//	  completion print a shell completion script: source <(gocompat completion
//	             bash), or for zsh put it on $fpath as _gocompat
//	  deploy     check the Dockerfiles, systemd units and CI workflows under dir
//	             (default .) against the program each stage builds or unit runs
//	  deps       vulnerabilities the module in dir (default .) reaches
//	             (govulncheck's analysis), retracted and deprecated requirements,
//	             local replacements, go lines and go.sum
//	  doctor     check that the Go installation on PATH is sound, and say why not
//	  explain    print what a check means and how to fix its findings; with no ID,
//	             list all checks
//	  exporter   serve Prometheus metrics of the host, process (and --binaries)
//	             checks, re-run every --interval; --textfile writes them once
//	  host       describe this machine (or a root filesystem) as a platform for Go
//	             programs: kernel, libc, CPU level, cgroup limits, seccomp, memory
//	             settings
//	  loopvar    find loops whose behaviour changes with Go 1.22 per-iteration loop
//	             variables (default ./...)
//	  man        print the manual page gocompat(1) in roff (gocompat man | man -l -)
//	  matrix     build, vet and with --test test the modules in dir (default .)
//	             under several Go releases, and say why each failure happens
//	  ps         check the running Go programs (all, or the PIDs given), read-only:
//	             GOMAXPROCS and GOMEMLIMIT against their cgroup, GOGC, GODEBUG,
//	             GOEXPERIMENT, replaced binaries, Go support; with --db, the known
//	             vulnerabilities of each one's executable
//	  rebuild    build a Go binary again from its build information (same Go
//	             release, revision and flags) and say whether the bytes are the
//	             same, and why not
//	  report     render a saved JSON report (--format json output; - for stdin) in
//	             any --format, without running a check
//	  sbom       write a software bill of materials (CycloneDX 1.6 or SPDX 2.3 JSON)
//	             of a module, from the packages compiled for the platform, or of a
//	             binary, from its build information
//	  upgrade    show what changes when the modules in dir (default .) raise their
//	             go line, and with --test prove it with their tests
//	  version    print gocompat's version
//	  vulndb     lay a folder of OSV entries (<id>.json) out as a Go vulnerability
//	             database that --db file://OUTDIR and govulncheck -db read
//	  help       print this text, or with a command name its flags and steps
//
//	Flags of every reporting command (before or after the arguments):
//	  --format F                 output format (default text), one of:
//	      gitlab     GitLab Code Quality report (artifacts:reports:codequality)
//	      json       the report as JSON (docs/json-schema.md); gocompat report
//	                 --from replays it
//	      markdown   Markdown for job summaries and pull-request comments
//	                 (--link-base links findings to their lines)
//	      openvex    the vulnerability findings (deps) as an OpenVEX document, as
//	                 govulncheck -format openvex writes it
//	      prometheus Prometheus text exposition format, for node_exporter's textfile
//	                 collector (series: see gocompat exporter)
//	      sarif      SARIF 2.1.0 for GitHub code scanning (every result located)
//	      text       findings for people, one per line with the fix (default)
//	  --fail-on error|warning|info|never
//	                             exit 1 when a finding is at or above this
//	                             severity (default error, or fail-on in .gocompat.yaml)
//	  --color auto|always|never  colour in text output (auto: a terminal without NO_COLOR)
//	  -v                         show evidence and info-level sources
//	  -q                         no progress on stderr (shown only on a terminal)
//	  --baseline FILE            count only findings that the saved JSON report FILE
//	                             does not hold (gocompat baseline write FILE makes one)
//	  --new-from-rev REV         count only findings on lines changed since the git
//	                             revision REV, and in files git does not track yet
//	  --link-base URL            markdown: link each finding to URL + its path and line
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
// that runs longer than --step-timeout (default 9m30s, so a run ends within ten minutes; 0 for no limit) and
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
// contacted with --online (audit, doctor), by upgrade, which resolves the
// modules' requirements, and by the go commands that load code as go
// build would: the loopvar analysis (go vet) and the deployment checks
// (audit, deploy), which list the packages the program a Dockerfile
// builds or a unit runs imports from other modules (go list -deps, with
// the user's GOPROXY, fetching what the module cache lacks; never writing
// go.mod or go.sum). When they cannot be had, the deployment checks judge
// the repository's code alone and say so (dependencies-not-read). deps uses the network by default, as govulncheck
// does (the vulnerability database over https, the module proxy for
// retractions and deprecations); inside audit it does so only with
// --online, and binary checks vulnerabilities only when given --db or
// GOVULNDB. deps's vulnerability analysis is govulncheck's (call graph
// reachability): code reached only through reflection, plugins or
// assembly is not seen, so no finding is no proof. upgrade --test runs the
// modules' tests, that is their code. The walk of the audited directory skips .git, .hg, .svn,
// node_modules, vendor, testdata and hidden directories other than .github,
// never follows symbolic links, and stops after 50,000 entries or 12
// levels. SARIF locations are relative to the audited directory, which
// code scanning takes as the repository root.
//
// sbom runs go env and go list -deps in the module (with the user's
// GOPROXY: a dependency not yet in the module cache is downloaded) and git
// for the revision; it writes only the document, to standard output or -o
// (atomically). rebuild runs the binary's own build again: it takes the
// recorded Go release through GOTOOLCHAIN (the go command downloads it
// through GOPROXY into the module cache on first use, and says so on
// stderr), checks the recorded revision out into a temporary directory
// whose object store borrows the repository's, and builds there; the
// user's working tree, index, HEAD and .git are not written. A -trimpath
// binary does not record its -ldflags; give them with --ldflags. binary,
// audit and deploy compare the binaries they read with the git repository
// and go.mod beside them (deployed ≠ source); they run git read-only, with
// GIT_OPTIONAL_LOCKS=0. See docs/sbom.md.
//
// upgrade --to and matrix --go take Go releases that are not installed
// the way the go command does: the installed go command runs with
// GOTOOLCHAIN=go1.X.Y, which downloads the golang.org/toolchain module
// through GOPROXY into the module cache, checksum-verified against
// GOSUMDB. 1.N means the installed release when it is a 1.N release, else
// the newest 1.N.P the proxy lists (offline: the newest in the module
// cache). What cannot be fetched is said on stderr, and the rest of the
// report is made without it (upgrade then names the embedded GODEBUG
// table it used). Both run the module's go commands with -modfile
// pointing at a temporary copy of go.mod and go.sum: the module's files
// are never written. matrix --test runs the modules' tests under every
// release, and vets in the same go test: gocompat, as its -toolexec
// program, keeps vet's output in the user cache directory
// ($XDG_CACHE_HOME/gocompat/vet, by default ~/.cache/gocompat/vet;
// entries unused for five days are removed), as the go command keeps its
// build cache; where that directory cannot be written, go vet runs on its
// own instead.
//
// ps (and audit --processes, exporter) reads /proc only: no ptrace, no
// signals, no writes. Processes of other users need root or
// CAP_SYS_PTRACE and are otherwise listed as skipped. A process in another
// cgroup namespace (a container) has its limits read through its own root
// and mounts, which assumes its cgroup is the root of its namespace, as
// container runtimes arrange; a process in the machine's cgroup namespace
// seen from a container's cannot be placed, and its limits are reported
// unknown. A program that sets GOMAXPROCS or a memory limit in its code is
// not seen from outside.
package main
