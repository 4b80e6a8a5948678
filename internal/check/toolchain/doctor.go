package toolchain

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/version"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"golang.org/x/mod/modfile"

	"github.com/gocompat/gocompat/internal/childproc"
	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/fsread"
)

// Env is what Doctor looks at.
type Env struct {
	// Environ is the user's environment; PATH, GOROOT, GOFLAGS … are read
	// from it, never from the process.
	Environ []string
	// Dir is where to look for go.mod / go.work (upward).
	Dir string
	// Online allows probing GOPROXY.
	Online bool
	// Now is the clock for support dates; zero means time.Now.
	Now func() time.Time

	// run executes a command; nil means exec. A seam for unit tests.
	run func(ctx context.Context, env []string, name string, args ...string) (stdout, stderr []byte, err error)
	// get probes a URL; nil means net/http.
	get func(ctx context.Context, url string) error
}

// doctor holds one run's state.
type doctor struct {
	env      Env
	findings []finding.Finding
	scratch  string // directory to run go in: no go.mod, nothing of the user's
	// listStd is the result of go list std, started early (see check).
	listStd func() (stdout, stderr []byte, err error)
}

func (d *doctor) add(c finding.Check, loc finding.Location, msg, fix string, details ...string) *finding.Finding {
	f := finding.New(c, loc, msg, fix)
	if len(details) > 0 {
		f.Details = map[string]string{}
		for i := 0; i+1 < len(details); i += 2 {
			f.Details[details[i]] = details[i+1]
		}
	}
	d.findings = append(d.findings, f)
	return &d.findings[len(d.findings)-1]
}

func (d *doctor) getenv(key string) (string, bool) {
	for i := len(d.env.Environ) - 1; i >= 0; i-- {
		if k, v, ok := strings.Cut(d.env.Environ[i], "="); ok && k == key {
			return v, true
		}
	}
	return "", false
}

// withEnv returns the user's environment with the given keys replaced;
// an empty value removes the key.
func (d *doctor) withEnv(set map[string]string) []string {
	out := make([]string, 0, len(d.env.Environ)+len(set))
	for _, kv := range d.env.Environ {
		k, _, _ := strings.Cut(kv, "=")
		if _, ok := set[k]; ok {
			continue
		}
		out = append(out, kv)
	}
	for k, v := range set {
		if v != "" {
			out = append(out, k+"="+v)
		}
	}
	return out
}

func (d *doctor) run(ctx context.Context, env []string, name string, args ...string) ([]byte, []byte, error) {
	if d.env.run != nil {
		return d.env.run(ctx, env, name, args...)
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	childproc.OwnGroup(cmd)
	cmd.Env = env
	cmd.Dir = d.scratch
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	return stdout.Bytes(), stderr.Bytes(), err
}

// start runs a command beside the caller's; the returned func waits for
// its result.
func (d *doctor) start(ctx context.Context, env []string, name string, args ...string) func() ([]byte, []byte, error) {
	type result struct {
		stdout, stderr []byte
		err            error
	}
	ch := make(chan result, 1)
	go func() {
		var r result
		r.stdout, r.stderr, r.err = d.run(ctx, env, name, args...)
		ch <- r
	}()
	var r *result
	return func() ([]byte, []byte, error) {
		if r == nil {
			x := <-ch
			r = &x
		}
		return r.stdout, r.stderr, r.err
	}
}

// goEnv is the subset of `go env -json` doctor uses.
type goEnv struct {
	GOROOT, GOVERSION, GOPATH, GOMODCACHE, GOCACHE, GOBIN, GOENV string
	GOTOOLCHAIN, GOFLAGS, GOPROXY, GOEXPERIMENT, CGO_ENABLED, CC string
	GOOS, GOARCH, GOTOOLDIR, GOMOD, GOWORK                       string
}

// Doctor checks the Go installation found on e's PATH.
func Doctor(ctx context.Context, e Env) ([]finding.Finding, []finding.Subject) {
	if e.Now == nil {
		e.Now = time.Now
	}
	d := &doctor{env: e}
	scratch, err := os.MkdirTemp("", "gocompat-doctor-")
	if err == nil {
		defer os.RemoveAll(scratch)
		d.scratch = scratch
	}
	subj := d.check(ctx)
	if d.listStd != nil {
		d.listStd() // not used on every path; wait before the scratch directory goes
	}
	var subjects []finding.Subject
	if subj != nil {
		subjects = append(subjects, *subj)
	}
	return d.findings, subjects
}

func (d *doctor) check(ctx context.Context) *finding.Subject {
	pathList, _ := d.getenv("PATH")
	gos := lookAll("go", pathList)
	if len(gos) == 0 {
		msg := "There is no go command in any directory on PATH, so nothing can be built."
		fix := "Install Go from https://go.dev/dl/ into /usr/local/go and add /usr/local/go/bin to PATH."
		for _, cand := range []string{"/usr/local/go/bin/go", "/usr/lib/go/bin/go"} {
			if isExecutable(cand) {
				fix = fmt.Sprintf("Go is installed at %s but its directory is not on PATH: add %s to PATH (for example in ~/.profile).", cand, filepath.Dir(cand))
				break
			}
		}
		d.add(GoNotOnPath, finding.Location{Object: "PATH"}, msg, fix, "PATH", pathList)
		return nil
	}
	goBin := gos[0]

	// Probe environment: never download a toolchain, never switch.
	// GOEXPERIMENT and GOFLAGS are checked on their own below, so a bad
	// value must not hide everything else.
	probe := map[string]string{"GOTOOLCHAIN": "local"}
	userExp, hasExp := d.getenv("GOEXPERIMENT")
	userRoot, hasRoot := d.getenv("GOROOT")

	var ge goEnv
	var envErr string
	for attempt := 0; attempt < 4; attempt++ {
		out, stderr, err := d.run(ctx, d.withEnv(probe), goBin, "env", "-json")
		if err == nil {
			if jerr := json.Unmarshal(out, &ge); jerr != nil {
				envErr = "go env -json printed something that is not JSON: " + jerr.Error()
			} else {
				envErr = ""
			}
			break
		}
		msg := firstLine(stderr, err)
		envErr = msg
		switch {
		case strings.Contains(msg, "unknown GOEXPERIMENT") && hasExp:
			probe["GOEXPERIMENT"] = "" // reported by checkExperiment
			continue
		case strings.Contains(msg, "GOCACHE=off"):
			d.add(GocacheUnusable, finding.Location{Object: "GOCACHE=off"},
				"GOCACHE=off: the build cache has been required since Go 1.12, so go build, go test and even go env fail with \""+msg+"\".",
				"Unset GOCACHE (go env -u GOCACHE) or point it at a writable directory.", "GOCACHE", "off")
			probe["GOCACHE"] = ""
			continue
		case strings.Contains(msg, "cannot find GOROOT directory") && hasRoot:
			d.add(GorootNotFound, finding.Location{Object: "GOROOT=" + userRoot},
				fmt.Sprintf("GOROOT is set to %s, which does not exist, so every go command fails with %q.", userRoot, msg),
				"Unset GOROOT (the go command finds its own installation), or point it at a complete Go installation.",
				"GOROOT", userRoot)
			probe["GOROOT"] = ""
			continue
		}
		break
	}
	if envErr != "" {
		d.add(GoEnvFailed, finding.Location{Object: goBin},
			fmt.Sprintf("%s env -json fails: %s", goBin, envErr),
			"Run `go env` yourself to see the full error; reinstall Go if the installation is damaged.")
		return &finding.Subject{Kind: "toolchain", Name: "unknown", Path: goBin}
	}

	// go list std reads every standard package: by far the slowest
	// probe. It runs beside the others; checkGoroot reads its result.
	d.listStd = d.start(ctx, d.withEnv(probe), goBin, "list", "std")
	subj := &finding.Subject{Kind: "toolchain", Name: ge.GOVERSION + " " + ge.GOOS + "/" + ge.GOARCH, Path: ge.GOROOT,
		Attributes: map[string]string{
			"go": goBin, "GOROOT": ge.GOROOT, "GOVERSION": ge.GOVERSION, "GOPATH": ge.GOPATH,
			"GOMODCACHE": ge.GOMODCACHE, "GOCACHE": ge.GOCACHE, "GOBIN": ge.GOBIN, "CGO_ENABLED": ge.CGO_ENABLED,
			"CC": ge.CC, "GOFLAGS": ge.GOFLAGS, "GOPROXY": ge.GOPROXY, "GOTOOLCHAIN": d.effectiveGotoolchain(ge),
		}}
	if out, _, err := d.run(ctx, d.withEnv(probe), goBin, "version"); err == nil {
		subj.Attributes["go version"] = strings.TrimSpace(string(out))
		if f := strings.Fields(string(out)); len(f) >= 4 {
			subj.Name = f[2] + " " + f[3]
		}
	}

	d.checkShadowed(ctx, gos)
	d.checkGoroot(ctx, goBin, ge, probe, userRoot, hasRoot)
	if d.checkDirs(ge) {
		d.checkGobin(ge, pathList)
	}
	d.checkGoMod(ge)
	d.checkGotoolchainPin(ge)
	d.checkCgo(ge, pathList)
	d.checkExperiment(ge, userExp, hasExp)
	d.checkSupport(ge)
	if d.env.Online {
		d.checkProxy(ctx, ge)
	}
	return subj
}

// checkShadowed compares every go on PATH with the first one.
func (d *doctor) checkShadowed(ctx context.Context, gos []string) {
	if len(gos) < 2 {
		return
	}
	// Each binary's own version: GOROOT removed so it finds its own tree.
	env := d.withEnv(map[string]string{"GOTOOLCHAIN": "local", "GOROOT": "", "GOEXPERIMENT": "", "GOFLAGS": ""})
	type gov struct{ path, ver string }
	var vs []gov
	seen := map[string]bool{}
	for _, g := range gos {
		real, err := filepath.EvalSymlinks(g)
		if err != nil {
			real = g
		}
		if seen[real] {
			continue
		}
		seen[real] = true
		out, _, err := d.run(ctx, env, g, "env", "GOVERSION")
		v := strings.TrimSpace(string(out))
		if err != nil || v == "" {
			v = "unknown"
		}
		vs = append(vs, gov{g, v})
	}
	if len(vs) < 2 {
		return
	}
	first := vs[0]
	var others []string
	newest := first
	for _, v := range vs[1:] {
		others = append(others, fmt.Sprintf("%s (%s)", v.path, v.ver))
		if version.IsValid(v.ver) && (!version.IsValid(newest.ver) || version.Compare(v.ver, newest.ver) > 0) {
			newest = v
		}
	}
	if newest.path == first.path {
		// The first is the newest: shadowing does no harm.
		return
	}
	d.add(GoShadowed, finding.Location{Object: first.path},
		fmt.Sprintf("PATH finds %s (%s) first; it shadows %s. Commands run the older toolchain.", first.path, first.ver, strings.Join(others, ", ")),
		fmt.Sprintf("Put %s before %s in PATH, or remove the older Go (for a distro package: apt remove golang-go / dnf remove golang).", filepath.Dir(newest.path), filepath.Dir(first.path)),
		"first", first.path, "firstVersion", first.ver, "newest", newest.path, "newestVersion", newest.ver)
}

func (d *doctor) checkGoroot(ctx context.Context, goBin string, ge goEnv, probe map[string]string, userRoot string, hasRoot bool) {
	// The binary's own GOROOT, found without the user's GOROOT.
	if _, notFound := probe["GOROOT"]; hasRoot && userRoot != "" && !notFound {
		out, _, err := d.run(ctx, d.withEnv(map[string]string{"GOTOOLCHAIN": "local", "GOROOT": "", "GOEXPERIMENT": "", "GOFLAGS": ""}), goBin, "env", "GOROOT")
		own := strings.TrimSpace(string(out))
		if err == nil && own != "" && !sameDir(own, userRoot) && dirExists(userRoot) {
			d.add(GorootMismatch, finding.Location{Object: "GOROOT=" + userRoot},
				fmt.Sprintf("GOROOT is set to %s, but the go command on PATH (%s) belongs to %s. The go command then builds with the other installation's compiler and standard library, which fails or silently mixes versions.", userRoot, goBin, own),
				"Unset GOROOT: the go command finds its own installation. If you need the other installation, put its bin directory first on PATH instead.",
				"GOROOT", userRoot, "goBinaryRoot", own)
			return
		}
	}
	if ge.GOROOT == "" {
		return
	}
	var problems []string
	if data, err := os.ReadFile(filepath.Join(ge.GOROOT, "VERSION")); err == nil {
		fileVer := strings.TrimSpace(strings.SplitN(string(data), "\n", 2)[0])
		if fileVer != "" && ge.GOVERSION != "" && fileVer != ge.GOVERSION && !strings.HasPrefix(ge.GOVERSION, "devel") {
			problems = append(problems, fmt.Sprintf("%s/VERSION says %s but the go command is %s", ge.GOROOT, fileVer, ge.GOVERSION))
		}
	}
	env := d.withEnv(probe)
	if out, stderr, err := d.run(ctx, env, goBin, "tool", "compile", "-V"); err != nil {
		problems = append(problems, "go tool compile -V fails: "+firstLine(stderr, err))
	} else if f := strings.Fields(string(out)); len(f) >= 3 && ge.GOVERSION != "" && f[2] != ge.GOVERSION && !strings.HasPrefix(f[2], "devel") {
		problems = append(problems, fmt.Sprintf("the compiler in %s is %s but the go command is %s", ge.GOTOOLDIR, f[2], ge.GOVERSION))
	}
	_, stderr, err := d.listStd()
	if err != nil {
		msg := firstLine(stderr, err)
		if strings.Contains(msg, "GOFLAGS") {
			gf, _ := d.getenv("GOFLAGS")
			d.add(GoflagsInvalid, finding.Location{Object: "GOFLAGS=" + gf},
				fmt.Sprintf("Every go command fails: %s", msg),
				"Remove the offending flag from GOFLAGS (and from `go env -w` settings: go env -u GOFLAGS). GOFLAGS may only hold flags that every go command accepts.",
				"GOFLAGS", gf)
		} else {
			problems = append(problems, "go list std fails: "+msg)
		}
	}
	if len(problems) > 0 {
		d.add(GorootIncomplete, finding.Location{Object: ge.GOROOT},
			fmt.Sprintf("The Go installation at %s is damaged: %s.", ge.GOROOT, strings.Join(problems, "; ")),
			fmt.Sprintf("Remove %s completely and extract a fresh release there (extracting a new release over an old one leaves the old release's files behind).", ge.GOROOT),
			"GOROOT", ge.GOROOT)
	}
	if gf, ok := d.getenv("GOFLAGS"); ok && err == nil {
		d.checkGoflagsVendor(gf)
	}
}

// checkGoflagsVendor catches -mod=vendor in GOFLAGS for a module that has
// no vendor directory: every build then fails with "inconsistent vendoring".
func (d *doctor) checkGoflagsVendor(gf string) {
	if !strings.Contains(gf, "-mod=vendor") {
		return
	}
	modPath, _ := findUp(d.env.Dir, "go.mod")
	if modPath == "" {
		return
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(modPath), "vendor", "modules.txt")); err == nil {
		return
	}
	d.add(GoflagsInvalid, finding.Location{Object: "GOFLAGS=" + gf},
		"GOFLAGS has -mod=vendor but this module has no vendor/modules.txt, so builds here fail with \"inconsistent vendoring\".",
		"Run `go mod vendor`, or drop -mod=vendor from GOFLAGS.", "GOFLAGS", gf)
}

// checkDirs reports unusable GOPATH, GOMODCACHE and GOCACHE; it returns
// whether GOPATH is usable.
func (d *doctor) checkDirs(ge goEnv) bool {
	gopath := strings.Split(ge.GOPATH, string(os.PathListSeparator))[0]
	check := func(c finding.Check, name, dir, why string) {
		if dir == "" {
			return
		}
		if name == "GOCACHE" && dir == "off" {
			d.add(c, finding.Location{Object: "GOCACHE=off"},
				"GOCACHE=off: the build cache has been required since Go 1.12, so go build and go test fail.",
				"Unset GOCACHE (go env -u GOCACHE) or point it at a writable directory.", "GOCACHE", dir)
			return
		}
		if problem := unusableDir(dir); problem != "" {
			d.add(c, finding.Location{Object: name + "=" + dir},
				fmt.Sprintf("%s (%s) %s, so %s fail.", name, dir, problem, why),
				fmt.Sprintf("Point %s at a directory you can write (go env -w %s=…), or fix the ownership (chown -R $USER %s).", name, name, dir),
				name, dir)
		}
	}
	check(GopathUnusable, "GOPATH", gopath, "go install and tools that use GOPATH")
	// GOMODCACHE defaults to GOPATH/pkg/mod; report it only on its own.
	if !(ge.GOMODCACHE == filepath.Join(gopath, "pkg", "mod") && unusableDir(gopath) != "") {
		check(GomodcacheUnusable, "GOMODCACHE", ge.GOMODCACHE, "module downloads (and so most builds)")
	}
	check(GocacheUnusable, "GOCACHE", ge.GOCACHE, "go build and go test")
	return ge.GOBIN != "" || unusableDir(gopath) == ""
}

// unusableDir says why dir cannot serve as a cache ("" if it can).
func unusableDir(dir string) string {
	st, err := os.Stat(dir)
	switch {
	case err == nil && !st.IsDir():
		return "is a file, not a directory"
	case err == nil:
		if e := syscall.Access(dir, 2 /* W_OK */); e != nil {
			return "is not writable (" + e.Error() + ")"
		}
		return ""
	case !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR):
		return "cannot be read (" + err.Error() + ")"
	}
	// Missing: the go command creates it if the nearest existing parent
	// is a writable directory.
	p := dir
	for {
		parent := filepath.Dir(p)
		if parent == p {
			return "does not exist and cannot be created"
		}
		p = parent
		st, err := os.Stat(p)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
				continue
			}
			return "does not exist and cannot be created (" + err.Error() + ")"
		}
		if !st.IsDir() {
			return fmt.Sprintf("does not exist and cannot be created: %s is a file", p)
		}
		if e := syscall.Access(p, 2); e != nil {
			return fmt.Sprintf("does not exist and cannot be created: %s is not writable (%v)", p, e)
		}
		return ""
	}
}

func (d *doctor) checkGobin(ge goEnv, pathList string) {
	bin := ge.GOBIN
	what := "GOBIN"
	if bin == "" {
		bin = filepath.Join(strings.Split(ge.GOPATH, string(os.PathListSeparator))[0], "bin")
		what = "GOPATH/bin"
	}
	if bin == "" || !filepath.IsAbs(bin) {
		return
	}
	for _, p := range filepath.SplitList(pathList) {
		if p != "" && sameDir(p, bin) {
			return
		}
	}
	d.add(GobinNotOnPath, finding.Location{Object: what + "=" + bin},
		fmt.Sprintf("go install puts programs in %s (%s), which is not on PATH, so installed tools (gopls, govulncheck, gocompat …) are not found by name.", bin, what),
		fmt.Sprintf("Add it to PATH, for example in ~/.profile: export PATH=\"$PATH:%s\"", bin),
		"dir", bin)
}

// effectiveGotoolchain is GOTOOLCHAIN as the user's go commands see it:
// the environment, else the go env file, else $GOROOT/go.env, else auto.
func (d *doctor) effectiveGotoolchain(ge goEnv) string {
	if v, ok := d.getenv("GOTOOLCHAIN"); ok && v != "" {
		return v
	}
	for _, f := range []string{ge.GOENV, filepath.Join(ge.GOROOT, "go.env")} {
		if f == "" || f == "off" {
			continue
		}
		if v := readEnvFile(f, "GOTOOLCHAIN"); v != "" {
			return v
		}
	}
	return "auto"
}

func readEnvFile(path, key string) string {
	data, err := fsread.ReadFile(path, fsread.ConfigLimit)
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if k, v, ok := strings.Cut(line, "="); ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// parseGotoolchain splits GOTOOLCHAIN into its base (local, or a goX.Y.Z
// version) and its suffix mode (auto, path or none), as cmd/go does.
func parseGotoolchain(v string) (base, mode string, err error) {
	switch v {
	case "local":
		return "local", "", nil
	case "auto", "path":
		return "local", v, nil
	}
	base, mode, _ = strings.Cut(v, "+")
	if mode != "" && mode != "auto" && mode != "path" {
		return "", "", fmt.Errorf("invalid GOTOOLCHAIN %q: the part after + must be auto or path", v)
	}
	if base != "local" && !version.IsValid(base) {
		return "", "", fmt.Errorf("invalid GOTOOLCHAIN %q: want local, auto, path, goX.Y.Z, or one of these with +auto or +path", v)
	}
	return base, mode, nil
}

func (d *doctor) checkGoMod(ge goEnv) {
	gt := d.effectiveGotoolchain(ge)
	base, mode, err := parseGotoolchain(gt)
	if err != nil {
		d.add(GotoolchainInvalid, finding.Location{Object: "GOTOOLCHAIN=" + gt}, err.Error()+"; every go command fails.",
			"Set GOTOOLCHAIN to auto (the default), local, or a release such as go1.26.0 (go env -w GOTOOLCHAIN=auto).", "GOTOOLCHAIN", gt)
		return
	}
	installed := ge.GOVERSION
	if !version.IsValid(installed) {
		return
	}
	running := installed
	if base != "local" {
		running = base
	}

	modPath, kind := findUp(d.env.Dir, "go.work", "go.mod")
	if modPath == "" {
		return
	}
	data, err := fsread.ReadFile(modPath, fsread.SourceLimit)
	if err != nil {
		return
	}
	var goLine, tcLine string
	var goLineNo, tcLineNo int
	if kind == "go.work" {
		wf, err := modfile.ParseWork(modPath, data, nil)
		if err != nil {
			return
		}
		if wf.Go != nil {
			goLine, goLineNo = wf.Go.Version, wf.Go.Syntax.Start.Line
		}
		if wf.Toolchain != nil {
			tcLine, tcLineNo = wf.Toolchain.Name, wf.Toolchain.Syntax.Start.Line
		}
	} else {
		// Parse, not ParseLax: ParseLax drops the toolchain line, which
		// only the main module's go.mod may carry.
		mf, err := modfile.Parse(modPath, data, nil)
		if err != nil {
			if mf, err = modfile.ParseLax(modPath, data, nil); err != nil {
				return // the module checks report a malformed go.mod
			}
		}
		if mf.Go != nil {
			goLine, goLineNo = mf.Go.Version, mf.Go.Syntax.Start.Line
		}
		if mf.Toolchain != nil {
			tcLine, tcLineNo = mf.Toolchain.Name, mf.Toolchain.Syntax.Start.Line
		}
	}
	need, line, what := "", goLineNo, "go "+goLine
	if goLine != "" {
		need = "go" + goLine
	}
	if tcLine != "" && version.IsValid(tcLine) && (need == "" || version.Compare(tcLine, need) > 0) && mode != "path" {
		need, line, what = tcLine, tcLineNo, "toolchain "+tcLine
	}
	if need == "" || !version.IsValid(need) || version.Compare(need, running) <= 0 {
		return
	}
	rel := relPath(d.env.Dir, modPath)
	loc := finding.Location{File: rel, Line: line}
	_, released := facts.LookupGoRelease(need)
	latest := facts.GoReleases[len(facts.GoReleases)-1].Version
	existsNote := ""
	if !released && version.Compare(version.Lang(need), latest) > 0 {
		existsNote = fmt.Sprintf(" No Go release %s is known to gocompat (newest known: %s), so the download may fail too.", need, latest)
	}
	proxy, _ := d.getenv("GOPROXY")
	if proxy == "" {
		proxy = ge.GOPROXY
	}
	switch {
	case mode == "" && base == "local":
		f := d.add(GoModNeedsNewerGo, loc,
			fmt.Sprintf("%s says %s but the installed toolchain is %s and GOTOOLCHAIN=%s forbids switching, so every go command here fails with \"go: %s requires go >= %s (running go %s; GOTOOLCHAIN=%s)\".%s",
				kind, what, installed, gt, kind, strings.TrimPrefix(need, "go"), strings.TrimPrefix(installed, "go"), gt, existsNote),
			fmt.Sprintf("Install %s or newer, or allow the switch with GOTOOLCHAIN=auto (it then downloads %s from the module proxy).", need, need),
			"needs", need, "installed", installed, "GOTOOLCHAIN", gt)
		f.Severity = finding.Error
	case mode == "path":
		f := d.add(GoModNeedsNewerGo, loc,
			fmt.Sprintf("%s says %s but the installed toolchain is %s; with GOTOOLCHAIN=%s the go command looks for a %s binary on PATH and fails if there is none.%s", kind, what, installed, gt, need, existsNote),
			fmt.Sprintf("Install %s (for example with go install golang.org/dl/%s@latest && %s download), or use GOTOOLCHAIN=auto.", need, need, need),
			"needs", need, "installed", installed, "GOTOOLCHAIN", gt)
		if pathList, _ := d.getenv("PATH"); lookAll(need, pathList) == nil {
			f.Severity = finding.Error
		}
	default:
		offline := strings.HasPrefix(proxy, "off") || proxy == "direct"
		f := d.add(GoModNeedsNewerGo, loc,
			fmt.Sprintf("%s says %s but the installed toolchain is %s. With GOTOOLCHAIN=%s the go command downloads %s from the module proxy (golang.org/toolchain) on first use; that fails offline, with GOPROXY=off, and wherever GOTOOLCHAIN=local is set (the official golang images, many CI setups).%s",
				kind, what, installed, gt, need, existsNote),
			fmt.Sprintf("Install %s locally, or accept the download; to build with %s instead, lower the %s line only if the code does not need the newer language version.", need, installed, strings.Fields(what)[0]),
			"needs", need, "installed", installed, "GOTOOLCHAIN", gt, "GOPROXY", proxy)
		f.Sources = append(f.Sources, facts.SrcDockerGolang472)
		if offline || existsNote != "" {
			f.Severity = finding.Error
		}
	}
}

func (d *doctor) checkCgo(ge goEnv, pathList string) {
	cc := ge.CC
	if cc == "" {
		cc = "gcc"
	}
	ccName := strings.Fields(cc)
	if len(ccName) == 0 {
		return
	}
	found := false
	if filepath.IsAbs(ccName[0]) {
		found = isExecutable(ccName[0])
	} else {
		found = len(lookAll(ccName[0], pathList)) > 0
	}
	if found {
		return
	}
	if v, explicit := d.getenv("CGO_ENABLED"); explicit && v == "1" {
		d.add(CgoNoCompiler, finding.Location{Object: "CGO_ENABLED=1"},
			fmt.Sprintf("CGO_ENABLED=1 is set but the C compiler %q is not on PATH. Building any package that uses cgo (import \"C\", or net and os/user with the cgo resolver) fails with: cgo: C compiler %q not found.", cc, ccName[0]),
			"Install a C compiler (apt install gcc / apk add build-base / dnf install gcc), or unset CGO_ENABLED to build pure-Go binaries.",
			"CC", cc)
		return
	}
	if ge.CGO_ENABLED == "0" {
		d.add(CgoOffNoCompiler, finding.Location{Object: "CGO_ENABLED=0"},
			fmt.Sprintf("No C compiler (%s) is on PATH, so the go command defaults to CGO_ENABLED=0 (since Go 1.20): binaries are static and use the pure-Go DNS resolver and os/user; packages that import \"C\" and -race do not build.", cc),
			"Nothing to do if you want static binaries; install gcc if you need cgo.", "CC", cc)
	}
}

func (d *doctor) checkExperiment(ge goEnv, userExp string, hasExp bool) {
	if !hasExp || userExp == "" {
		return
	}
	known, fromGoroot := facts.Experiments(ge.GOROOT)
	source := "the toolchain's internal/goexperiment/flags.go"
	if !fromGoroot {
		source = "gocompat's " + facts.EmbeddedExperimentsVersion + " list (GOROOT sources not found)"
	}
	if unknown := facts.CheckGOEXPERIMENT(userExp, known); len(unknown) > 0 {
		hint := ""
		for _, u := range unknown {
			if strings.Contains(u, "=") {
				name := strings.Split(u, "=")[0]
				hint = fmt.Sprintf(" GOEXPERIMENT takes names, not name=value: %s turns the experiment on and no%s turns it off.", name, name)
				if name == "loopvar" {
					hint += " No GOEXPERIMENT turns the Go 1.22 loop semantics off: they follow each file's Go version (the go line, or a //go:build go1.N constraint)."
				}
				break
			}
		}
		d.add(GoexperimentUnknown, finding.Location{Object: "GOEXPERIMENT=" + userExp},
			fmt.Sprintf("Every build fails with \"go: unknown GOEXPERIMENT %s\".%s Valid names for %s (from %s): %s, each optionally prefixed with no.",
				unknown[0], hint, ge.GOVERSION, source, strings.Join(known, ", ")),
			"Unset GOEXPERIMENT, or set it to valid names separated by commas.",
			"GOEXPERIMENT", userExp)
		return
	}
	d.add(GoexperimentInEnv, finding.Location{Object: "GOEXPERIMENT=" + userExp},
		fmt.Sprintf("GOEXPERIMENT=%s is set in this environment. Experiments are build-time constants: every go build and go test from this shell compiles with them (binaries record it as a -X: suffix of their Go version), while setting GOEXPERIMENT for a program that is already built (a systemd unit, a container's ENV) does nothing.", userExp),
		"Set GOEXPERIMENT only for the builds that need it (GOEXPERIMENT=… go build), not in a shell profile or a service's environment.",
		"GOEXPERIMENT", userExp)
}

func (d *doctor) checkSupport(ge goEnv) {
	supported, known, r := facts.SupportStatus(ge.GOVERSION, d.env.Now())
	if !known || supported {
		return
	}
	f := d.add(GoUnsupported, finding.Location{Object: ge.GOVERSION},
		fmt.Sprintf("%s has had no security fixes since %s, when Go's release policy ended its support.", ge.GOVERSION, r.Unsupported.Format("2006-01-02")),
		fmt.Sprintf("Upgrade to a supported release (the newest known to gocompat is %s).", facts.GoReleases[len(facts.GoReleases)-1].LatestPatch),
		"unsupportedSince", r.Unsupported.Format("2006-01-02"))
	f.Sources = append(f.Sources, r.Sources...)
}

func (d *doctor) checkProxy(ctx context.Context, ge goEnv) {
	for _, p := range strings.FieldsFunc(ge.GOPROXY, func(r rune) bool { return r == ',' || r == '|' }) {
		if p == "direct" || p == "off" {
			continue
		}
		get := d.env.get
		if get == nil {
			get = httpGet
		}
		url := strings.TrimSuffix(p, "/") + "/golang.org/toolchain/@v/list"
		if err := get(ctx, url); err != nil {
			d.add(GoproxyUnreachable, finding.Location{Object: "GOPROXY=" + ge.GOPROXY},
				fmt.Sprintf("The module proxy %s does not answer (%v): module downloads and toolchain switches fail.", p, err),
				"Check the network, a proxy (HTTPS_PROXY), or set GOPROXY to a proxy you can reach; GOFLAGS=-mod=mod with a filled module cache works offline.",
				"proxy", p)
		}
		return // only the first proxy is tried first by the go command
	}
}

func httpGet(ctx context.Context, url string) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode >= 500 {
		return fmt.Errorf("HTTP %s", resp.Status)
	}
	return nil
}

// lookAll returns every executable called name in the PATH list, in order.
func lookAll(name, pathList string) []string {
	var out []string
	for _, dir := range filepath.SplitList(pathList) {
		if dir == "" {
			dir = "."
		}
		p := filepath.Join(dir, name)
		if isExecutable(p) {
			out = append(out, p)
		}
	}
	return out
}

func isExecutable(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0
}

func dirExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

func sameDir(a, b string) bool {
	if filepath.Clean(a) == filepath.Clean(b) {
		return true
	}
	ra, err1 := filepath.EvalSymlinks(a)
	rb, err2 := filepath.EvalSymlinks(b)
	return err1 == nil && err2 == nil && ra == rb
}

// findUp looks for the first of names in dir and its parents; it returns
// the path and which name matched.
func findUp(dir string, names ...string) (string, string) {
	if dir == "" {
		return "", ""
	}
	for {
		for _, n := range names {
			p := filepath.Join(dir, n)
			if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
				return p, n
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", ""
		}
		dir = parent
	}
}

func relPath(base, p string) string {
	if r, err := filepath.Rel(base, p); err == nil {
		return filepath.ToSlash(r)
	}
	return filepath.ToSlash(p)
}

func firstLine(stderr []byte, err error) string {
	s := strings.TrimSpace(string(stderr))
	if s == "" && err != nil {
		return err.Error()
	}
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}
