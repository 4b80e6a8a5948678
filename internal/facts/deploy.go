package facts

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/version"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Sources for deployment facts.
var (
	SrcGoEnvBuild      = Source{Title: "go help environment: variables the go command reads when it builds (GOFLAGS, GOTOOLCHAIN, CGO_ENABLED, GOOS/GOARCH, architecture levels)", URL: "https://pkg.go.dev/cmd/go#hdr-Environment_variables"}
	SrcRuntimeEnv      = Source{Title: "runtime package documentation: GOGC, GOMEMLIMIT, GOMAXPROCS, GODEBUG, GOTRACEBACK are read when the program starts", URL: "https://pkg.go.dev/runtime#hdr-Environment_Variables"}
	SrcGodebugDoc      = Source{Title: "Go, Backwards Compatibility, and GODEBUG (doc/godebug.md) and internal/godebugs/table.go", URL: "https://go.dev/doc/godebug"}
	SrcGo125Procs      = Source{Title: "Go 1.25 release notes: container-aware GOMAXPROCS (off when the main module's go line is before 1.25: containermaxprocs/updatemaxprocs)", URL: "https://go.dev/doc/go1.25#container-aware-gomaxprocs"}
	SrcSystemdResource = Source{Title: "systemd.resource-control(5): MemoryMax=, MemoryHigh=, CPUQuota=", URL: "https://www.freedesktop.org/software/systemd/man/latest/systemd.resource-control.html"}
	SrcSystemdService  = Source{Title: "systemd.service(5): Type=notify and WatchdogSec= wait for sd_notify messages on $NOTIFY_SOCKET", URL: "https://www.freedesktop.org/software/systemd/man/latest/systemd.service.html"}
	SrcSdNotify        = Source{Title: "sd_notify(3): READY=1 and WATCHDOG=1 are sent to the socket in $NOTIFY_SOCKET", URL: "https://www.freedesktop.org/software/systemd/man/latest/sd_notify.html"}
	SrcSystemdExec     = Source{Title: "systemd.exec(5): Environment=, EnvironmentFile=, SystemCallFilter= (@default is always allowed; blocked calls kill the process with SIGSYS unless SystemCallErrorNumber= is set)", URL: "https://www.freedesktop.org/software/systemd/man/latest/systemd.exec.html"}
	SrcSystemdSeccomp  = Source{Title: "systemd src/shared/seccomp-util.c: system call groups (systemd-analyze syscall-filter)", URL: "https://github.com/systemd/systemd/blob/main/src/shared/seccomp-util.c"}
	SrcGoPidfd         = Source{Title: "Go 1.23 os package uses pidfd_open/pidfd_send_signal/waitid for child processes (src/os/pidfd_linux.go); SIGSYS under seccomp filters, golang/go#69065", URL: "https://go.dev/issue/69065"}
	SrcGoRuntimeLinux  = Source{Title: "Go runtime system calls on Linux (src/runtime/sys_linux_amd64.s, netpoll_epoll.go)", URL: "https://go.dev/src/runtime/sys_linux_amd64.s"}
	// Every golang image variant sets ENV GOTOOLCHAIN=local, not only the
	// Alpine ones ("don't auto-upgrade the gotoolchain").
	SrcDockerGolang472 = Source{Title: "docker-library/golang sets ENV GOTOOLCHAIN=local in its Go 1.21+ images (issue 472); alpine variants install no gcc and no git", URL: "https://github.com/docker-library/golang/issues/472"}
	SrcX509Roots       = Source{Title: "crypto/x509/root_linux.go: certificate bundle paths; SSL_CERT_FILE, SSL_CERT_DIR", URL: "https://go.dev/src/crypto/x509/root_linux.go"}
	SrcTzdata          = Source{Title: "time package: LoadLocation reads $ZONEINFO, /usr/share/zoneinfo, or the embedded time/tzdata (Go 1.15)", URL: "https://pkg.go.dev/time#LoadLocation"}
	SrcOsUser          = Source{Title: "os/user: the pure-Go implementation reads /etc/passwd and /etc/group (os/user/lookup_unix.go)", URL: "https://pkg.go.dev/os/user"}
	SrcBuildVCS        = Source{Title: "go help build: -buildvcs stamps VCS information and fails when the VCS tool is missing", URL: "https://pkg.go.dev/cmd/go#hdr-Compile_packages_and_dependencies"}
	SrcTrimpath        = Source{Title: "go help build: -trimpath removes file system paths from the binary (reproducible builds)", URL: "https://pkg.go.dev/cmd/go#hdr-Compile_packages_and_dependencies"}
	SrcSetupGo         = Source{Title: "actions/setup-go README: go-version, go-version-file; quote versions (YAML reads 1.20 as 1.2)", URL: "https://github.com/actions/setup-go#readme"}
	// SrcGoListDeps: go list -deps lists a package's dependencies as the
	// build of that package would load them (for GOOS, GOARCH,
	// CGO_ENABLED and -tags); -e reports the packages that cannot be
	// loaded in their Error field instead of failing.
	SrcGoListDeps = Source{Title: "go help list: -deps, -e (packages that cannot be loaded carry an Error)", URL: "https://pkg.go.dev/cmd/go#hdr-List_packages_or_modules"}
	// SrcModReadonly: with -mod=readonly (the default for go list) a
	// module missing from go.sum is an error, not an edit of go.sum.
	SrcModReadonly = Source{Title: "Go Modules Reference: -mod=readonly, go.sum must hold every module the build loads", URL: "https://go.dev/ref/mod#build-commands"}
)

// EnvFact says what an environment variable does, and when.
type EnvFact struct {
	Name string
	// BuildOnly is true for variables only the go command reads: a
	// compiled program never looks at them.
	BuildOnly bool
	// Truth is what setting it actually does, in one sentence.
	Truth   string
	Sources []Source
}

// GoEnvFacts are the Go variables whose timing people confuse.
var GoEnvFacts = map[string]EnvFact{
	"GOEXPERIMENT": {Name: "GOEXPERIMENT", BuildOnly: true, Truth: "experiments are compiled in as constants and build tags by the go command; a running program never reads GOEXPERIMENT", Sources: []Source{SrcGOEXPERIMENT}},
	"GOAMD64":      {Name: "GOAMD64", BuildOnly: true, Truth: "the x86-64 level is chosen when the compiler generates code; the running program does not read GOAMD64 (its level is fixed, see `go version -m`)", Sources: []Source{SrcGOAMD64}},
	"GOARM64":      {Name: "GOARM64", BuildOnly: true, Truth: "the arm64 level is chosen at compile time; the running program does not read GOARM64", Sources: []Source{SrcGoEnvBuild}},
	"GOARM":        {Name: "GOARM", BuildOnly: true, Truth: "the ARM floating-point mode is chosen at compile time; the running program does not read GOARM", Sources: []Source{SrcGoEnvBuild}},
	"GO386":        {Name: "GO386", BuildOnly: true, Truth: "the 386 floating-point mode is chosen at compile time", Sources: []Source{SrcGoEnvBuild}},
	"GORISCV64":    {Name: "GORISCV64", BuildOnly: true, Truth: "the RISC-V profile is chosen at compile time", Sources: []Source{SrcGoEnvBuild}},
	"CGO_ENABLED":  {Name: "CGO_ENABLED", BuildOnly: true, Truth: "cgo is decided when the binary is linked; a compiled program is already static or dynamic and ignores CGO_ENABLED", Sources: []Source{SrcGoEnvBuild, SrcCgo}},
	"GOFLAGS":      {Name: "GOFLAGS", BuildOnly: true, Truth: "GOFLAGS holds default flags for go commands; a compiled program never reads it", Sources: []Source{SrcGoEnvBuild}},
	"GOTOOLCHAIN":  {Name: "GOTOOLCHAIN", BuildOnly: true, Truth: "GOTOOLCHAIN selects the toolchain the go command runs; a compiled program never reads it", Sources: []Source{SrcToolchains}},
	"GOOS":         {Name: "GOOS", BuildOnly: true, Truth: "GOOS selects the target system at build time", Sources: []Source{SrcGoEnvBuild}},
	"GOARCH":       {Name: "GOARCH", BuildOnly: true, Truth: "GOARCH selects the target architecture at build time", Sources: []Source{SrcGoEnvBuild}},
	"GOGC":         {Name: "GOGC", Truth: "read by the runtime at start-up", Sources: []Source{SrcRuntimeEnv}},
	"GOMEMLIMIT":   {Name: "GOMEMLIMIT", Truth: "read by the runtime at start-up (Go 1.19+)", Sources: []Source{SrcRuntimeEnv, SrcGOMEMLIMIT}},
	"GOMAXPROCS":   {Name: "GOMAXPROCS", Truth: "read by the runtime at start-up", Sources: []Source{SrcRuntimeEnv}},
	"GODEBUG":      {Name: "GODEBUG", Truth: "read by the runtime and standard library at start-up", Sources: []Source{SrcRuntimeEnv, SrcGodebugDoc}},
	"GOTRACEBACK":  {Name: "GOTRACEBACK", Truth: "read by the runtime", Sources: []Source{SrcRuntimeEnv}},
}

// BuildOnlyEnv reports whether name is read only by the go command.
func BuildOnlyEnv(name string) (EnvFact, bool) {
	f, ok := GoEnvFacts[name]
	return f, ok && f.BuildOnly
}

// GOMEMLIMITSince is the release that added GOMEMLIMIT.
const GOMEMLIMITSince = "go1.19"

// ParseGOMEMLIMIT parses a GOMEMLIMIT value as the runtime does
// (runtime/string.go parseByteCount, called by readGOMEMLIMIT in
// runtime/mgcpacer.go): decimal digits with an optional B, KiB, MiB, GiB
// or TiB suffix, nothing else (no sign, fraction or space); "off" is no
// limit (+Inf). ok is false for a value the runtime rejects.
func ParseGOMEMLIMIT(v string) (bytes float64, ok bool) {
	if v == "off" {
		return math.Inf(1), true
	}
	mult := 1.0
	for _, s := range []struct {
		suf string
		m   float64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40}, {"B", 1}} {
		if strings.HasSuffix(v, s.suf) {
			v, mult = strings.TrimSuffix(v, s.suf), s.m
			break
		}
	}
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		return 0, false
	}
	return float64(n) * mult, true
}

// SystemdMemoryLimit is a systemd option that caps a service's memory,
// and what happens to the service above the cap.
type SystemdMemoryLimit struct {
	Option string
	// OverLimit completes "the service is …".
	OverLimit string
}

// SystemdMemoryLimits are the memory caps of systemd.resource-control(5)
// (SrcSystemdResource): above MemoryMax= (and the cgroup v1 MemoryLimit=
// it replaces) the kernel's OOM killer ends the service; above
// MemoryHigh= the service is throttled and its memory reclaimed
// aggressively, but not killed.
var SystemdMemoryLimits = []SystemdMemoryLimit{
	{Option: "MemoryMax", OverLimit: "OOM-killed"},
	{Option: "MemoryHigh", OverLimit: "throttled by memory reclaim"},
	{Option: "MemoryLimit", OverLimit: "OOM-killed"},
}

// ContainerMaxProcsSince is the release whose runtime derives GOMAXPROCS
// from the cgroup CPU limit, when the main module's go line is at least
// this version too.
const ContainerMaxProcsSince = "go1.25"

// ToolchainSwitchSince is the first release whose go command switches
// toolchains (GOTOOLCHAIN, go.mod's go and toolchain lines; SrcToolchains):
// an older go command builds with itself whatever go.mod asks. The golang
// images set GOTOOLCHAIN=local from this release on (SrcDockerGolang472).
const ToolchainSwitchSince = "go1.21"

// BuildVCSSince is the first release whose go build stamps VCS
// information into the binary (SrcBuildVCS).
const BuildVCSSince = "go1.18"

// BuildVCSAutoSince is the first release whose default is -buildvcs=auto,
// which leaves the VCS stamp out when the VCS tool is missing instead of
// failing (SrcBuildVCSAuto). Go 1.18.0 defaulted to -buildvcs=true: with
// a .git directory and no git it failed with "error obtaining VCS status:
// exec: "git": executable file not found in $PATH". From this release on
// only an explicit -buildvcs=true fails that way; a git that runs and
// fails (exit status 128) still fails the build under auto.
// TestBuildVCSOnRealToolchains checks the later releases' behaviour on real
// toolchains.
const BuildVCSAutoSince = "go1.18.1"

// SrcBuildVCSAuto cites the change to -buildvcs=auto and its backport to
// the Go 1.18 patch releases.
var SrcBuildVCSAuto = Source{Title: "cmd/go: add (and default to) -buildvcs=auto, golang/go#51748 (CL 398855), backported to Go 1.18.1 as golang/go#51798", URL: "https://go.dev/issue/51748"}

// BuildVCSFailsWithoutGit reports whether go build fails in a directory
// with a .git repository when git is not installed, for the go command
// of Go version goV (an image tag's "1.18" means the newest 1.18.x; ""
// is unknown, taken as current) and the -buildvcs value flag ("" when not
// given).
func BuildVCSFailsWithoutGit(goV, flag string) bool {
	switch flag {
	case "false", "auto":
		return false
	case "true":
		return goV == "" || versionAtLeast(goV, BuildVCSSince)
	}
	n := NormalizeGo(goV)
	if n == "" || version.Lang(n) == n {
		// Unknown, or a language version ("1.18"): the newest patch.
		return false
	}
	return version.Compare(n, BuildVCSSince) >= 0 && version.Compare(n, BuildVCSAutoSince) < 0
}

// versionAtLeast compares Go versions in any form; a language version
// ("1.18") counts as its newest patch.
func versionAtLeast(v, min string) bool {
	n := NormalizeGo(v)
	if n == "" {
		return true
	}
	if version.Lang(n) == n && version.Lang(n) == version.Lang(min) {
		return true
	}
	return version.Compare(n, min) >= 0
}

// GolangImage describes an official golang:* image reference.
type GolangImage struct {
	Ref string
	// GoVersion is the Go version in the tag ("1.22", "1.22.3"), "" for
	// an untagged or version-less tag (latest).
	GoVersion string
	// Variant is the tag's OS part ("alpine3.20", "bookworm"), "" if none.
	Variant string
	Libc    Libc
	// CCompiler: gcc is installed (not in alpine variants).
	CCompiler bool
	// Git: git is installed (not in alpine variants).
	Git bool
	// GOTOOLCHAIN is the value the image sets ("local" for Go 1.21+ and
	// for version-less tags).
	GOTOOLCHAIN string
	Sources     []Source
}

// ParseGolangImage recognises docker.io's golang image (golang,
// golang:1.22-alpine, docker.io/library/golang:1.22.3-bookworm@sha256:…).
func ParseGolangImage(ref string) (GolangImage, bool) {
	r := strings.ToLower(strings.TrimSpace(ref))
	if i := strings.Index(r, "@"); i >= 0 {
		r = r[:i]
	}
	for _, p := range []string{"docker.io/library/", "index.docker.io/library/", "library/", "docker.io/", "mirror.gcr.io/library/"} {
		r = strings.TrimPrefix(r, p)
	}
	name, tag, _ := strings.Cut(r, ":")
	if name != "golang" {
		return GolangImage{}, false
	}
	img := GolangImage{Ref: ref}
	ver, variant := tag, ""
	if i := strings.Index(tag, "-"); i >= 0 {
		ver, variant = tag[:i], tag[i+1:]
	}
	if ver != "" && (ver[0] < '0' || ver[0] > '9') {
		// golang:alpine, golang:bookworm, golang:latest
		ver, variant = "", ver
		if variant == "latest" {
			variant = ""
		}
	}
	if ver != "" && NormalizeGo(ver) == "" && !isMajor(ver) {
		return GolangImage{}, false
	}
	img.GoVersion, img.Variant = ver, variant
	if strings.HasPrefix(variant, "windows") || strings.HasPrefix(variant, "nanoserver") {
		return GolangImage{}, false
	}
	// The tools come from the golang image preset of the variant's
	// family, the C library from the release the variant names.
	tools := "golang"
	if strings.HasPrefix(variant, "alpine") {
		tools = "golang:alpine"
	}
	gp, _ := presetNamed(tools)
	img.CCompiler, img.Git = *gp.CCompiler, *gp.Git
	img.Libc = Libc{Flavor: gp.Libc.Flavor}
	img.Sources = append([]Source(nil), gp.Sources...)
	var release Preset
	var found bool
	switch {
	case strings.HasPrefix(variant, "alpine"):
		release, found = presetNamed("alpine:" + strings.TrimPrefix(variant, "alpine"))
	case variant != "":
		release, found = presetNamed("debian:" + variant)
	default:
		release, found = presetNamed(r)
		found = found && release.Libc.Version != "" && (ver == "" || ver == release.GoToolchain)
	}
	if found {
		img.Libc = release.Libc
		for _, s := range release.Sources {
			if !slices.Contains(img.Sources, s) {
				img.Sources = append(img.Sources, s)
			}
		}
	}
	if ver == "" || version.Compare(NormalizeGo(majorOf(ver)), ToolchainSwitchSince) >= 0 {
		img.GOTOOLCHAIN = "local"
	}
	return img, true
}

func isMajor(v string) bool {
	// "1" is a valid tag (latest 1.x).
	_, err := strconv.Atoi(v)
	return err == nil
}

func majorOf(v string) string {
	if isMajor(v) {
		return "1.999"
	}
	return v
}

// GODEBUG settings.

// embeddedRuntimeDbgvars is the runtime's own GODEBUG list (the dbgvars
// of runtime/runtime1.go) of Go 1.26: settings such as gctrace that are
// not in internal/godebugs. It is the fallback when $GOROOT/src is
// absent; TestRuntimeDbgvarsMatchGOROOT keeps it equal to the installed
// toolchain.
var embeddedRuntimeDbgvars = []string{
	"adaptivestackstart", "asyncpreemptoff", "asynctimerchan", "cgocheck",
	"checkfinalizers", "clobberfree", "containermaxprocs", "dataindependenttiming",
	"decoratemappings", "disablethp", "dontfreezetheworld", "efence", "gccheckmark",
	"gcpacertrace", "gcshrinkstackoff", "gcstoptheworld", "gctrace", "harddecommit",
	"inittrace", "invalidptr", "madvdontneed", "panicnil", "profstackdepth", "sbrk",
	"scavtrace", "scheddetail", "schedtrace", "traceadvanceperiod", "traceallocfree",
	"tracebackancestors", "tracebacklabels", "tracecheckstackownership", "tracefpunwindoff",
	"updatemaxprocs",
}

// EmbeddedRuntimeDbgvarsVersion is the toolchain the embedded list was taken from.
const EmbeddedRuntimeDbgvarsVersion = "go1.26"

// RuntimeDbgvars returns the runtime's own GODEBUG names, read from
// $GOROOT/src/runtime/runtime1.go, and whether they came from there.
func RuntimeDbgvars(goroot string) ([]string, bool) {
	if goroot != "" {
		if src, err := os.ReadFile(filepath.Join(goroot, "src", "runtime", "runtime1.go")); err == nil {
			if names, err := ParseRuntimeDbgvars(src); err == nil {
				return names, true
			}
		}
	}
	return append([]string(nil), embeddedRuntimeDbgvars...), false
}

// GodebugNames returns every GODEBUG name the toolchain at goroot knows:
// the settings of its internal/godebugs table tbl (see Godebugs) and the
// runtime's dbgvars, sorted, and whether the dbgvars came from GOROOT.
func GodebugNames(tbl *GodebugTable, goroot string) ([]string, bool) {
	rt, fromRuntime := RuntimeDbgvars(goroot)
	set := map[string]bool{}
	for _, s := range tbl.Settings {
		set[s.Name] = true
	}
	for _, n := range rt {
		set[n] = true
	}
	out := make([]string, 0, len(set))
	for n := range set {
		out = append(out, n)
	}
	sort.Strings(out)
	return out, fromRuntime
}

// RemovedIn returns the settings the table lists as removed, as name ->
// the release that removed it ("go1.24").
func (t *GodebugTable) RemovedIn() map[string]string {
	out := map[string]string{}
	for _, r := range t.Removed {
		out[r.Name] = fmt.Sprintf("go1.%d", r.Removed)
	}
	return out
}

// ParseRuntimeDbgvars returns the name fields of runtime.dbgvars.
func ParseRuntimeDbgvars(src []byte) ([]string, error) {
	return compositeNames(src, "runtime1.go", "dbgvars", "name")
}

// compositeNames finds `var <varName> = []T{{<field>: "x"}, …}` and
// returns the string values of field.
func compositeNames(src []byte, file, varName, field string) ([]string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), file, src, parser.SkipObjectResolution)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", file, err)
	}
	var names []string
	cl, _ := topLevelVars(f)[varName].(*ast.CompositeLit)
	if cl == nil {
		return nil, fmt.Errorf("parse %s: no %s table", file, varName)
	}
	for _, e := range cl.Elts {
		el, ok := e.(*ast.CompositeLit)
		if !ok {
			continue
		}
		for _, kv := range el.Elts {
			kv, ok := kv.(*ast.KeyValueExpr)
			if !ok {
				continue
			}
			if k, ok := kv.Key.(*ast.Ident); ok && k.Name == field {
				if bl, ok := kv.Value.(*ast.BasicLit); ok && bl.Kind == token.STRING {
					if v, err := strconv.Unquote(bl.Value); err == nil {
						names = append(names, v)
					}
				}
			}
		}
	}
	if names == nil {
		return nil, fmt.Errorf("parse %s: no %s table", file, varName)
	}
	sort.Strings(names)
	return names, nil
}

// System calls and systemd's SystemCallFilter=.

// GoSyscall is a system call the Go runtime or standard library makes.
type GoSyscall struct {
	Name string
	// Since is the first Go release that makes it ("" = all supported).
	Since string
	// Why says what it is for.
	Why string
	// Optional is true when Go handles a failure (ENOSYS, EPERM) and
	// falls back; it is fatal only when the filter kills the process.
	Optional bool
	// NeedsImport is the package whose use triggers it ("" = every
	// program).
	NeedsImport string
	Sources     []Source
}

// GoSyscalls are the system calls every Go program (or, with
// NeedsImport, every program using that package) makes on Linux, checked
// against Go 1.26's source.
var GoSyscalls = []GoSyscall{
	{Name: "clone", Why: "creating OS threads", Sources: []Source{SrcGoRuntimeLinux}},
	{Name: "madvise", Why: "returning memory to the OS", Sources: []Source{SrcGoRuntimeLinux}},
	{Name: "rt_sigaction", Why: "installing signal handlers at start-up", Sources: []Source{SrcGoRuntimeLinux}},
	{Name: "rt_sigprocmask", Why: "thread signal masks", Sources: []Source{SrcGoRuntimeLinux}},
	{Name: "sigaltstack", Why: "signal stacks for every thread", Sources: []Source{SrcGoRuntimeLinux}},
	{Name: "tgkill", Why: "goroutine preemption signals", Sources: []Source{SrcGoRuntimeLinux}},
	{Name: "openat", Why: "reading /proc and /sys at start-up and every file open", Sources: []Source{SrcGoRuntimeLinux}},
	{Name: "read", Why: "all I/O", Sources: []Source{SrcGoRuntimeLinux}},
	{Name: "write", Why: "all I/O", Sources: []Source{SrcGoRuntimeLinux}},
	{Name: "close", Why: "all I/O", Sources: []Source{SrcGoRuntimeLinux}},
	{Name: "fcntl", Why: "non-blocking file descriptors", Sources: []Source{SrcGoRuntimeLinux}},
	{Name: "epoll_create1", Why: "the network poller", Sources: []Source{SrcGoRuntimeLinux}},
	{Name: "epoll_ctl", Why: "the network poller", Sources: []Source{SrcGoRuntimeLinux}},
	{Name: "epoll_pwait", Why: "the network poller", Sources: []Source{SrcGoRuntimeLinux}},
	{Name: "pidfd_open", Since: "go1.23", Why: "os/exec and os.StartProcess track children with pidfds", Optional: true, NeedsImport: "os/exec", Sources: []Source{SrcGoPidfd}},
	{Name: "pidfd_send_signal", Since: "go1.23", Why: "signalling children through pidfds", Optional: true, NeedsImport: "os/exec", Sources: []Source{SrcGoPidfd}},
	{Name: "waitid", Since: "go1.23", Why: "waiting for children through pidfds", Optional: true, NeedsImport: "os/exec", Sources: []Source{SrcGoPidfd}},
}

// SyscallGroups maps each system call of GoSyscalls to the systemd
// SystemCallFilter= groups that contain it (directly or through a nested
// group), from systemd 252's seccomp-util.c. @default is always allowed.
// TestSyscallGroupsMatchSystemd checks it against systemd-analyze.
var SyscallGroups = map[string][]string{
	"clone":             {"@process", "@system-service"},
	"close":             {"@basic-io", "@file-system", "@system-service"},
	"epoll_create1":     {"@io-event", "@system-service"},
	"epoll_ctl":         {"@io-event", "@system-service"},
	"epoll_pwait":       {"@io-event", "@system-service"},
	"fcntl":             {"@file-system", "@system-service"},
	"madvise":           {"@system-service"},
	"openat":            {"@file-system", "@system-service"},
	"pidfd_open":        {"@process", "@system-service"},
	"pidfd_send_signal": {"@process", "@system-service"},
	"read":              {"@basic-io", "@system-service"},
	"rt_sigaction":      {"@signal", "@system-service"},
	"rt_sigprocmask":    {"@signal", "@system-service"},
	"sigaltstack":       {"@signal", "@system-service"},
	"tgkill":            {"@process", "@system-service"},
	"waitid":            {"@process", "@system-service"},
	"write":             {"@basic-io", "@system-service"},
}

// SyscallGroupsSystemdVersion is the systemd release SyscallGroups was
// taken from.
const SyscallGroupsSystemdVersion = "252"

// SdNotifyMarker is the variable every sd_notify implementation reads; a
// program that never mentions it cannot notify systemd.
const SdNotifyMarker = "NOTIFY_SOCKET"

// SdNotifyPackages are Go packages that implement sd_notify.
var SdNotifyPackages = []string{
	"github.com/coreos/go-systemd/v22/daemon",
	"github.com/coreos/go-systemd/daemon",
	"github.com/okzk/sdnotify",
	"github.com/iguanesolutions/go-systemd/v5/notify",
	"github.com/mdlayher/sdnotify",
}
