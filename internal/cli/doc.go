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
//	audit [dir]          every check that applies to dir (default .) and this host
//	doctor               is the Go installation on PATH sound, and why not
//	loopvar [packages]   loops that change with Go 1.22 per-iteration variables
//	                     (--fix, --diff); also a go vet -vettool
//	upgrade [dir]        what changes when the go line is raised (--to 1.N);
//	                     --test proves it with the module's tests and bisect
//	matrix [dir]         build, vet and (--test) test under each Go release of
//	                     --go LIST, at the go line and raised to each release,
//	                     and the cause of every failure
//	binary FILE|DIR...   what Go binaries need and whether they run on each
//	                     --target (a preset, an image, host, root:DIR)
//	host                 this machine or --root DIR as a platform for Go
//	deploy [dir]         Dockerfiles, systemd units and CI workflows under dir
//	explain [ID]         what a check means and how to fix it; all checks without ID
//	version              gocompat's version, from its own build info
//	help [command]       this text, or a command's flags
//
// Flags of every reporting command (they may come before or after the
// arguments; both -flag and --flag work):
//
//	--format text|json|sarif   output format (default text)
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
// upgrade --to and matrix --go take Go releases that are not installed
// the way the go command does: the installed go command runs with
// GOTOOLCHAIN=go1.X.Y, which downloads the golang.org/toolchain module
// through GOPROXY into the module cache, checksum-verified against
// GOSUMDB. 1.N means the installed release when it is a 1.N release, else
// the newest 1.N.P the proxy lists (offline: the newest in the module
// cache). What cannot be fetched is said on stderr, and the rest of the
// report is made without it; an upgrade report then names the GODEBUG
// table it used (the embedded copy). Both run the module's go commands
// with -modfile pointing at a temporary copy of go.mod and go.sum, so the
// module's files are never written.
package cli
