// Package cli is gocompat's command line: flags, subcommands, exit codes.
// cmd/gocompat only hands it the process's arguments, environment and
// streams.
//
// # Usage
//
//	gocompat [-C dir] <command> [flags] [arguments]
//
// Commands:
//
//	audit [dir]          every check that applies to dir (default .) and this host;
//	                     --processes adds the running Go programs (as ps)
//	doctor               is the Go installation on PATH sound, and why not
//	loopvar [packages]   loops that change with Go 1.22 per-iteration variables
//	                     (--fix, --diff); also a go vet -vettool
//	upgrade [dir]        what changes when the go line is raised (--to 1.N);
//	                     --test proves it with the module's tests and bisect
//	binary FILE|DIR...   what Go binaries need and whether they run on each
//	                     --target (a preset, an image, host, root:DIR)
//	host                 this machine or --root DIR as a platform for Go
//	deploy [dir]         Dockerfiles, systemd units and CI workflows under dir
//	ps [PID...]          the running Go programs (all, or the PIDs): GOMAXPROCS
//	                     and GOMEMLIMIT against their cgroup, GOGC, GODEBUG,
//	                     GOEXPERIMENT, replaced binaries, Go support; read-only
//	exporter             Prometheus metrics of the host, process and binary
//	                     checks, re-run every --interval, on --listen ADDR;
//	                     --textfile FILE writes them once instead
//	explain [ID]         what a check means and how to fix it; all checks without ID
//	version              gocompat's version, from its own build info
//	help [command]       this text, or a command's flags
//
// Flags of every reporting command (they may come before or after the
// arguments; both -flag and --flag work):
//
//	--format text|json|sarif|prometheus
//	                           output format (default text; prometheus is the
//	                           text exposition format, see package exporter)
//	--fail-on error|warning|info|never
//	                           exit 1 when an unsuppressed finding is at or
//	                           above this severity (default error, or
//	                           fail-on in .gocompat.yaml; the flag wins)
//	--color auto|always|never  colour in text output; auto means a terminal
//	                           and NO_COLOR unset
//	-v                         show evidence, info-level sources and
//	                           suppressed findings
//	-C dir                     run as if started in dir
//
// # Exit codes
//
//	0  nothing at or above --fail-on
//	1  findings at or above --fail-on, in every format
//	2  usage or operational error: one line on stderr, never a stack trace
//
// # Configuration
//
// .gocompat.yaml is looked for from the working directory up to the
// repository root; see package config for its keys. A malformed file is
// exit 2 with its path and line.
//
// # Limitations
//
// doctor runs the go command (go env, go version, go list std, go tool
// compile -V) with GOTOOLCHAIN=local in a scratch directory: it never
// downloads a toolchain and never writes to the user's files, but it does
// use the build cache as any go command does. The module proxy is only
// contacted with --online.
//
// ps reads /proc only: no ptrace, no signals. Processes of other users
// need root or CAP_SYS_PTRACE and are otherwise listed as skipped. A
// process in another cgroup namespace (a container) has its limits read
// through its own root and mounts, which assumes its cgroup is the root of
// its namespace, as container runtimes arrange; a process in the
// machine's cgroup namespace seen from a container's cannot be placed,
// and its limits are reported unknown.
package cli
