package deps

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/modhealth"
	"golang.org/x/mod/semver"
)

// HealthInput is what the module health checks judge.
type HealthInput struct {
	// GoMod is the go.mod file, relative to the audited directory; ModDir
	// is its directory on disk (absolute).
	GoMod, ModDir string
	// GoVersion is the module's go line ("1.22") and GoLine its line.
	GoVersion string
	GoLine    int
	// Requires maps each required module to its line in go.mod.
	Requires map[string]int
	// Replaces are go.mod's replacements by a local directory.
	Replaces []LocalReplace
	// Info is what the go command said.
	Info *modhealth.Info
	// Builds are the places that build the module (Dockerfile builder
	// stages), for the checks that need the build's Go or its files.
	Builds []Build
	// Outdated asks for the available updates (deps/update-available).
	Outdated bool
	// Offline says the run was asked to stay off the network, so the
	// proxy's silence is no finding.
	Offline bool
}

// LocalReplace is a replace directive whose target is a directory.
type LocalReplace struct {
	Module string // the replaced module path
	Dir    string // as written in go.mod
	Line   int
}

// Build is one place that builds the module.
type Build struct {
	Where finding.Location // the stage's FROM line
	What  string           // how to name it in a message: "the builder stage of Dockerfile"
	// Go is the Go release it builds with ("1.24", "1.24.3"; "" unknown)
	// and Local says it cannot switch toolchains (GOTOOLCHAIN=local).
	Go    string
	Local bool
	// ContextDir is the build context's directory (absolute) and Copied
	// the context paths (slash-separated, relative to it) copied into
	// the stage that builds, "." for all. Checked only if HasContext.
	ContextDir string
	Copied     []string
	HasContext bool
}

// Health judges the module's requirements.
func Health(in HealthInput) []finding.Finding {
	var out []finding.Finding
	at := func(line int) finding.Location { return finding.Location{File: in.GoMod, Line: line} }
	info := in.Info
	if info != nil && info.Offline != "" && !in.Offline {
		out = append(out, finding.Finding{
			Check: ProxyUnreachable.ID, Severity: ProxyUnreachable.Severity, Location: at(0),
			Message: fmt.Sprintf("The module proxy cannot be asked (%s), so retracted versions, deprecated modules and updates are unknown; the other checks ran on the module cache.", info.Offline),
			Fix:     "Run again with network access to GOPROXY (or a proxy that mirrors it).",
		})
	}
	if info != nil {
		var main string
		for _, m := range info.Modules {
			if m.Main {
				main = m.Path
			}
		}
		for _, m := range info.Modules {
			if m.Main {
				continue
			}
			line, direct := in.Requires[m.Path]
			if len(m.Retracted) > 0 && direct {
				out = append(out, finding.Finding{
					Check: Retracted.ID, Severity: Retracted.Severity, Location: at(line),
					Message: fmt.Sprintf("%s %s is retracted by its authors: %s", m.Path, m.Version, strings.Join(m.Retracted, "; ")),
					Fix:     upgradeFix(m, "a version that is not retracted"),
					Details: map[string]string{"module": m.Path, "version": m.Version, "rationale": strings.Join(m.Retracted, "; ")},
				})
			}
			if m.Deprecated != "" && direct {
				d := map[string]string{"module": m.Path, "deprecation": m.Deprecated}
				msg := fmt.Sprintf("%s is deprecated by its authors: %q", m.Path, m.Deprecated)
				fix := "Move to the module the deprecation names, or another maintained one; then `go mod tidy`."
				if s := successor(m.Deprecated, m.Path); s != "" {
					d["successor"] = s
					msg += fmt.Sprintf(" The successor it names is %s.", s)
					fix = fmt.Sprintf("Move to %s (`go get %s`, change the imports, then `go mod tidy`).", s, s)
				}
				out = append(out, finding.Finding{
					Check: Deprecated.ID, Severity: Deprecated.Severity, Location: at(line),
					Message: msg, Fix: fix, Details: d,
				})
			}
			if in.Outdated && m.Update != nil && direct {
				out = append(out, finding.Finding{
					Check: UpdateAvailable.ID, Severity: UpdateAvailable.Severity, Location: at(line),
					Message: fmt.Sprintf("%s %s can be updated to %s.", m.Path, m.Version, m.Update.Version),
					Fix:     fmt.Sprintf("`go get %s@%s`, then run the tests.", m.Path, m.Update.Version),
					Details: map[string]string{"module": m.Path, "version": m.Version, "update": m.Update.Version},
				})
			}
			out = append(out, goNewer(in, m, main, at)...)
		}
		paths := make([]string, 0, len(info.MissingSums))
		for p := range info.MissingSums {
			paths = append(paths, p)
		}
		sort.Strings(paths)
		for _, p := range paths {
			out = append(out, finding.Finding{
				Check: GoSumMissing.ID, Severity: GoSumMissing.Severity, Location: at(0),
				Message: fmt.Sprintf("Package %s cannot be built: %s.", p, strings.TrimSuffix(firstLineOf(info.MissingSums[p]), ";")),
				Fix:     "Run `go mod tidy` (or `go mod download`) and commit go.sum.",
				Details: map[string]string{"package": p},
			})
		}
	}
	out = append(out, replaces(in, at)...)
	return out
}

func firstLineOf(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	if i := strings.Index(s, "; to add"); i >= 0 {
		s = s[:i]
	}
	return s
}

func upgradeFix(m modhealth.Module, what string) string {
	if m.Update != nil {
		return fmt.Sprintf("`go get %s@%s` (%s), then `go mod tidy`.", m.Path, m.Update.Version, what)
	}
	return fmt.Sprintf("`go get %s@latest` (%s), then `go mod tidy`.", m.Path, what)
}

// modulePathRE finds a module path in a deprecation message: a quoted
// path or a bare one whose first element has a dot.
var modulePathRE = regexp.MustCompile(`[a-z0-9][-a-z0-9]*(\.[-a-z0-9]+)+(/[-A-Za-z0-9_.~]+)*`)

// successor is the first module path other than self that the
// deprecation text names, or "".
func successor(text, self string) string {
	for _, m := range modulePathRE.FindAllString(text, -1) {
		m = strings.TrimRight(m, ".")
		if m != self && strings.Contains(m, "/") {
			return m
		}
	}
	return ""
}

func lang(v string) string {
	v = strings.TrimPrefix(v, "go")
	if v == "" {
		return ""
	}
	return "v" + v
}

// goNewer reports a dependency whose go line is newer than the
// module's go line, or than the Go a build uses.
func goNewer(in HealthInput, m modhealth.Module, main string, at func(int) finding.Location) []finding.Finding {
	if m.GoVersion == "" || m.Replace != nil && m.Replace.Version == "" {
		return nil
	}
	dep := lang(m.GoVersion)
	if !semver.IsValid(dep) {
		return nil
	}
	var out []finding.Finding
	line := in.Requires[m.Path]
	if own := lang(in.GoVersion); semver.IsValid(own) && semver.Compare(dep, own) > 0 {
		out = append(out, finding.Finding{
			Check: DepGoNewer.ID, Severity: DepGoNewer.Severity, Location: at(line),
			Message: fmt.Sprintf("%s %s has `go %s`, newer than this module's `go %s`: the go command refuses to build until go.mod's go line is raised (\"go: updates to go.mod needed\").", m.Path, m.Version, m.GoVersion, in.GoVersion),
			Fix:     fmt.Sprintf("`go get go@%s` (or `go mod tidy`) raises the go line; or require an older version of %s.", m.GoVersion, m.Path),
			Details: map[string]string{"module": m.Path, "version": m.Version, "go": m.GoVersion, "main_go": in.GoVersion},
		})
	}
	for _, b := range in.Builds {
		bv := lang(b.Go)
		if !semver.IsValid(bv) {
			continue
		}
		d := dep
		if strings.Count(b.Go, ".") < 2 {
			// "1.22" (an image tag, a setup-go version) is the newest 1.22.x:
			// only a newer minor is certainly more than it has.
			d = semver.MajorMinor(dep)
		}
		if semver.Compare(d, bv) <= 0 {
			continue
		}
		sev := finding.Warning
		what := "the build downloads a newer toolchain through the module proxy first"
		if b.Local {
			sev = finding.Error
			what = "with GOTOOLCHAIN=local the build fails"
		}
		out = append(out, finding.Finding{
			Check: DepGoNewer.ID, Severity: sev, Location: b.Where,
			Message: fmt.Sprintf("%s builds with Go %s, but %s %s has `go %s`: %s.", b.What, b.Go, m.Path, m.Version, m.GoVersion, what),
			Fix:     fmt.Sprintf("Build with Go %s or newer, or require an older version of %s.", m.GoVersion, m.Path),
			Details: map[string]string{"module": m.Path, "version": m.Version, "go": m.GoVersion, "build_go": b.Go},
		})
	}
	return out
}

// replaces reports local replacements that are missing here or that a
// build's context does not copy into the stage that builds.
func replaces(in HealthInput, at func(int) finding.Location) []finding.Finding {
	var out []finding.Finding
	for _, r := range in.Replaces {
		abs := r.Dir
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(in.ModDir, filepath.FromSlash(r.Dir))
		}
		if !isDir(abs) {
			out = append(out, finding.Finding{
				Check: ReplaceNotInContext.ID, Severity: ReplaceNotInContext.Severity, Location: at(r.Line),
				Message: fmt.Sprintf("go.mod replaces %s with %s, which does not exist here, so no build of this checkout works.", r.Module, r.Dir),
				Fix:     "Check the directory out (a submodule, a sibling repository), or remove the replace directive.",
				Details: map[string]string{"module": r.Module, "dir": r.Dir},
			})
			continue
		}
		for _, b := range in.Builds {
			if !b.HasContext {
				continue
			}
			rel, err := filepath.Rel(b.ContextDir, abs)
			if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				out = append(out, finding.Finding{
					Check: ReplaceNotInContext.ID, Severity: ReplaceNotInContext.Severity, Location: b.Where,
					Message: fmt.Sprintf("go.mod replaces %s with %s, which lies outside the build context of %s, so the build fails (\"replacement directory %s does not exist\").", r.Module, r.Dir, b.What, r.Dir),
					Fix:     "Build from a context that holds the directory (e.g. the parent directory with -f), vendor the module, or remove the replace directive.",
					Details: map[string]string{"module": r.Module, "dir": r.Dir},
				})
				continue
			}
			if !copied(filepath.ToSlash(rel), b.Copied) {
				out = append(out, finding.Finding{
					Check: ReplaceNotInContext.ID, Severity: ReplaceNotInContext.Severity, Location: b.Where,
					Message: fmt.Sprintf("go.mod replaces %s with %s, but %s does not copy that directory into the stage that builds, so the build fails (\"replacement directory %s does not exist\").", r.Module, r.Dir, b.What, r.Dir),
					Fix:     fmt.Sprintf("COPY %s into the builder stage before go build, at the same place relative to go.mod.", filepath.ToSlash(rel)),
					Details: map[string]string{"module": r.Module, "dir": r.Dir},
				})
			}
		}
	}
	return out
}

// copied says whether the context path rel is covered by a COPY source.
func copied(rel string, sources []string) bool {
	for _, s := range sources {
		s = strings.TrimSuffix(strings.TrimPrefix(s, "./"), "/")
		if s == "." || s == "" || s == rel || strings.HasPrefix(rel, s+"/") {
			return true
		}
		if ok, _ := filepath.Match(s, rel); ok {
			return true
		}
	}
	return false
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}
