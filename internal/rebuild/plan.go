package rebuild

import (
	"fmt"
	"strings"

	"github.com/gocompat/gocompat/internal/binary"
	"github.com/gocompat/gocompat/internal/finding"
)

// recipe is how to build the binary again.
type recipe struct {
	goVersion string   // "go1.22.12"
	revision  string   // vcs.revision
	pkg       string   // "./cmd/app", relative to the module directory
	flags     []string // go build flags
	// defaults are recorded flags whose value is the go command's default
	// (-buildmode=exe, -compiler=gc). The build information cannot tell
	// whether they were given; given or not changes the build ID, so the
	// rebuild tries without them first and then with them.
	defaults []string
	env      []string // variables set for the build
}

type blocker struct {
	check    finding.Check
	msg, fix string
}

// flagSettings are the build settings that are go build flags of the same
// name; boolean ones are passed as -flag=value.
var flagSettings = []string{"-asan", "-asmflags", "-buildmode", "-compiler", "-gcflags", "-ldflags", "-msan", "-race", "-tags", "-trimpath"}

// plan reads the recipe from the build information, or says why there is
// none.
func plan(info *binary.Info, opt Options) (recipe, []blocker) {
	var r recipe
	var bl []blocker
	gv, _, _ := strings.Cut(info.GoVersion, " ")
	if !strings.HasPrefix(gv, "go1.") || strings.Contains(gv, "devel") {
		bl = append(bl, blocker{ToolchainUnavailable, fmt.Sprintf("The binary was built by %q, which is not a Go release that GOTOOLCHAIN can select.", info.GoVersion),
			"Rebuild by hand with the same development toolchain."})
	}
	r.goVersion = gv
	if info.Main.Path == "" || info.Path == "" || info.Path == "command-line-arguments" {
		bl = append(bl, blocker{NotModule, fmt.Sprintf("The binary records main package %q of module %q; only a package of a module can be rebuilt from its build information.", info.Path, info.Main.Path),
			"Build the program from a package of a module (go build ./cmd/app), not from a list of files."})
	} else if rel, ok := strings.CutPrefix(info.Path, info.Main.Path); ok && (rel == "" || rel[0] == '/') {
		r.pkg = "." + rel
	} else {
		bl = append(bl, blocker{NotModule, fmt.Sprintf("The main package %s is not in the main module %s.", info.Path, info.Main.Path),
			"Rebuild by hand: the program was built from another module's package (go install pkg@version)."})
	}
	sys, _ := info.Setting("vcs")
	rev, _ := info.Setting("vcs.revision")
	switch {
	case sys == "" || rev == "":
		bl = append(bl, blocker{NoVCS, "The binary records no VCS revision (built with -buildvcs=false, outside a repository, or by go run/go test), so nothing says which source it was built from.",
			"Build in the repository with VCS stamping on (the default; drop -buildvcs=false), so the binary names its commit."})
	case sys != "git":
		bl = append(bl, blocker{VCSNotGit, fmt.Sprintf("The binary was built from a %s checkout (revision %s); gocompat rebuilds from git only.", sys, rev),
			"Rebuild by hand from that revision with the recorded flags (go version -m shows them)."})
	}
	r.revision = rev

	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	for _, k := range flagSettings {
		v, ok := settings[k]
		if !ok {
			continue
		}
		if k == "-compiler" && v != "gc" {
			bl = append(bl, blocker{BuildFailed, fmt.Sprintf("The binary was built with -compiler=%s; gocompat rebuilds gc builds only.", v), "Rebuild by hand with the same compiler."})
			continue
		}
		if k == "-ldflags" && opt.LdflagsSet {
			continue
		}
		if k == "-buildmode" && v == "exe" || k == "-compiler" && v == "gc" {
			r.defaults = append(r.defaults, k+"="+v)
			continue
		}
		r.flags = append(r.flags, k+"="+v)
	}
	if opt.LdflagsSet {
		r.flags = append(r.flags, "-ldflags="+opt.Ldflags)
	}
	buildvcs := "-buildvcs=true"
	if sys == "" {
		buildvcs = "-buildvcs=false"
	}
	r.flags = append(r.flags, buildvcs)
	// Environment settings: every GO*/CGO_* variable the binary records
	// (GOOS, GOARCH, GOAMD64, GOEXPERIMENT, CGO_ENABLED, CGO_CFLAGS …).
	// Variables it does not record are pinned to their defaults so the
	// user's environment cannot leak in. GOFLAGS is set, not emptied: an
	// empty variable lets the go env file's GOFLAGS (go env -w) through.
	r.env = []string{"GOTOOLCHAIN=" + gv, "GOFLAGS=" + buildvcs, "GOWORK=off", "GOEXPERIMENT="}
	for _, s := range info.Settings {
		if s.Key == "DefaultGODEBUG" {
			continue // derived from go.mod, not an input
		}
		if strings.HasPrefix(s.Key, "GO") || strings.HasPrefix(s.Key, "CGO_") {
			r.env = append(r.env, s.Key+"="+s.Value)
		}
	}
	return r, bl
}

// runEnv is the recipe's environment without GOTOOLCHAIN: the build runs
// the release's own go command, which must not switch again (the
// toolchain's Env sets GOTOOLCHAIN=local). The command shown in the
// report keeps GOTOOLCHAIN=go1.X.Y, which is how a person reruns it.
func (r recipe) runEnv() []string {
	var out []string
	for _, kv := range r.env {
		if !strings.HasPrefix(kv, "GOTOOLCHAIN=") {
			out = append(out, kv)
		}
	}
	return out
}
