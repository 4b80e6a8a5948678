// Package rebuild builds a Go binary again from what it records about its
// own build and compares the two files byte for byte.
//
// The recipe comes from the binary's build information alone: the Go
// release (taken through package toolchains, the way the go command takes
// one: GOTOOLCHAIN=go1.X.Y downloads the release through GOPROXY into the
// module cache on first use, and the build runs that release's own go
// command with GOTOOLCHAIN=local), the revision (vcs.revision, checked out into a temporary
// directory by a repository that borrows the user's object store, so nothing of
// the user's checkout is touched; see vcs.Repo.Checkout for why not a
// linked worktree), the main package, and the settings GOOS, GOARCH, the
// architecture levels (GOAMD64, GOARM64, …), GOEXPERIMENT, CGO_ENABLED,
// CGO_* flags, -trimpath, -tags, -ldflags, -gcflags, -asmflags,
// -buildmode, -race, -msan, -asan and whether VCS stamping was on. The
// user's GOFLAGS and go.work are left out (GOFLAGS=, GOWORK=off); the
// binary records what they did.
//
// Identical bytes are reported as rebuild/reproduced. Otherwise each cause
// that the two files show is a finding of its own: only the build ID
// differs, an embedded build directory (no -trimpath; the original
// directory is read from the binary's file table), -ldflags that -trimpath
// kept out of the build information, C code whose toolchain is not
// recorded, a dependency replaced by a local directory, uncommitted
// changes (vcs.modified), a symbol table stripped after the build, other
// settings or module versions in the rebuild; rebuild/unexplained when
// none applies. Reasons a rebuild cannot be tried (no VCS information,
// another VCS, a revision the repository lacks, no main module, no
// toolchain) are findings too. Bad input (not a Go binary, a damaged
// file, a source directory outside git) is an error.
package rebuild

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"golang.org/x/mod/modfile"

	"github.com/gocompat/gocompat/internal/binary"
	"github.com/gocompat/gocompat/internal/childproc"
	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/fsread"
	"github.com/gocompat/gocompat/internal/toolchains"
	"github.com/gocompat/gocompat/internal/vcs"
)

// Options adjust Run.
type Options struct {
	// Src is a directory in the git repository holding the source; the
	// directory the binary is in when empty.
	Src string
	// Ldflags, when LdflagsSet, are the linker flags to use instead of the
	// recorded ones: a -trimpath binary does not record its -ldflags.
	Ldflags    string
	LdflagsSet bool
	// Environ is the environment of the go command (the process's when
	// nil); the build's own variables are set on top of it.
	Environ []string
	// Log receives one line per step that takes time or uses the network
	// (the toolchain download); nil discards them.
	Log io.Writer
	// Toolchains takes the Go release that built the binary; nil means a
	// Source over Environ that reports its downloads to Log.
	Toolchains *toolchains.Source
}

// Result is the outcome of one rebuild.
type Result struct {
	Binary string
	// Command is the go build command that was run, with the environment
	// variables it set, for the report.
	Command string
	// Identical is true when the rebuild has the same bytes.
	Identical bool
	// Findings are the outcome: rebuild/reproduced, the causes of a
	// difference, or why no rebuild was tried.
	Findings []finding.Finding
	// Build is the time the go build took; Total the whole run (worktree,
	// build, comparison).
	Build, Total time.Duration
}

// maxCompare bounds the bytes read of each binary for the comparison.
const maxCompare = 1 << 30

// Run rebuilds the binary at path and compares. An error means the input
// is unusable (not a Go binary, damaged, too large, a source directory
// outside a git work tree) or the machinery failed; everything about the
// binary's provenance is in Result.Findings.
func Run(ctx context.Context, path string, opt Options) (*Result, error) {
	start := time.Now()
	info, err := binary.ReadFile(path)
	if err != nil {
		return nil, err
	}
	res := &Result{Binary: path}
	obj := path
	add := func(c finding.Check, msg, fix string, details map[string]string) {
		res.Findings = append(res.Findings, finding.Finding{Check: c.ID, Severity: c.Severity,
			Location: finding.Location{Object: obj}, Message: msg, Fix: fix, Sources: c.Sources, Details: details})
	}

	p, blocked := plan(info, opt)
	for _, b := range blocked {
		add(b.check, b.msg, b.fix, nil)
	}
	if len(blocked) > 0 {
		res.Total = time.Since(start)
		return res, nil
	}

	srcDir := opt.Src
	if srcDir == "" {
		srcDir = filepath.Dir(path)
	}
	repo, err := vcs.Open(ctx, srcDir)
	if err != nil {
		return nil, fmt.Errorf("rebuild %s: the source directory %s is not in a git repository (give the repository with --src)", path, srcDir)
	}
	if !repo.HasCommit(ctx, p.revision) {
		add(RevisionMissing, fmt.Sprintf("The binary was built from revision %s, which the repository at %s does not have.", p.revision, repo.Top),
			"Fetch the revision (git fetch origin "+p.revision+") or point --src at the repository the binary was built from.", map[string]string{"revision": p.revision})
		res.Total = time.Since(start)
		return res, nil
	}

	tmp, err := os.MkdirTemp("", "gocompat-rebuild-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	wt := filepath.Join(tmp, "src")
	if err := repo.Checkout(ctx, wt, p.revision); err != nil {
		return nil, fmt.Errorf("rebuild %s: check out %s: %v", path, p.revision, err)
	}

	modDir, err := findModule(wt, repo.Prefix, info.Main.Path)
	if err != nil {
		add(BuildFailed, fmt.Sprintf("Revision %s has no go.mod for module %s: %v.", short(p.revision), info.Main.Path, err),
			"Point --src at the repository the binary was built from.", nil)
		res.Total = time.Since(start)
		return res, nil
	}
	// The release, from the module cache or downloaded now (and said so
	// on the log); offline, a finding naming what could not be fetched.
	src := opt.Toolchains
	if src == nil {
		src = &toolchains.Source{Environ: environ(opt.Environ), Progress: opt.Log}
	}
	tc, err := src.Get(ctx, p.goVersion)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		add(ToolchainUnavailable, fmt.Sprintf("%s, the release that built the binary, cannot be had: %v", p.goVersion, err),
			"Make the module proxy reachable (GOPROXY) or put "+p.goVersion+" into the module cache beforehand (GOTOOLCHAIN="+p.goVersion+" go version).",
			map[string]string{"go": p.goVersion})
		res.Total = time.Since(start)
		return res, nil
	}
	env := tc.Env(environ(opt.Environ), p.runEnv()...)
	if opt.Log != nil {
		fmt.Fprintf(opt.Log, "rebuild: building revision %s with %s (%s)\n", short(p.revision), p.goVersion, tc.GOROOT)
	}
	// One attempt without the flags whose values are the defaults, and if
	// only the build ID then differs, one with them (see recipe.defaults).
	attempts := [][]string{p.flags}
	if len(p.defaults) > 0 {
		attempts = append(attempts, append(append([]string(nil), p.flags...), p.defaults...))
	}
	n := len(res.Findings)
	for i, flags := range attempts {
		res.Findings = res.Findings[:n]
		out := filepath.Join(tmp, fmt.Sprintf("out%d", i), filepath.Base(path))
		args := append([]string{"build", "-o", out}, flags...)
		args = append(args, p.pkg)
		// The command as shown names the output by a placeholder: the
		// temporary path would make every report different.
		shown := append([]string{"build", "-o", "REBUILT"}, args[3:]...)
		res.Command = strings.Join(p.env, " ") + " go " + strings.Join(quoteArgs(shown), " ")
		cmd := exec.CommandContext(ctx, tc.Go, args...)
		childproc.OwnGroup(cmd)
		cmd.Dir = modDir
		cmd.Env = env
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		cmd.Stdout = &stderr
		bstart := time.Now()
		err = cmd.Run()
		res.Build += time.Since(bstart)
		if err != nil {
			add(BuildFailed, fmt.Sprintf("%s failed: %s", res.Command, tail(stderr.String())),
				"Build the revision by hand with that command to see why; a build that needs files outside the repository cannot be rebuilt from it.", nil)
			break
		}
		if err := compare(res, info, path, out, wt, p, opt, add); err != nil {
			return nil, err
		}
		if len(res.Findings) != n+1 || res.Findings[n].Check != BuildIDOnly.ID {
			break
		}
	}
	res.Total = time.Since(start)
	if opt.Log != nil {
		fmt.Fprintf(opt.Log, "rebuild: go build took %.2fs, the whole rebuild %.2fs\n", res.Build.Seconds(), res.Total.Seconds())
	}
	res.Total = time.Since(start)
	return res, nil
}

func environ(env []string) []string {
	if env == nil {
		return os.Environ()
	}
	return env
}

func short(rev string) string {
	if len(rev) > 12 {
		return rev[:12]
	}
	return rev
}

func tail(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 1500 {
		s = "…" + s[len(s)-1500:]
	}
	return s
}

func quoteArgs(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if strings.ContainsAny(a, " \t\"'$") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		out[i] = a
	}
	return out
}

// findModule is the directory of module modPath in the worktree: the one
// at prefix (where --src sits in the repository) when its go.mod declares
// the module, else the first such go.mod found walking the tree.
func findModule(wt, prefix, modPath string) (string, error) {
	declares := func(dir string) bool {
		data, err := fsread.ReadFile(filepath.Join(dir, "go.mod"), 4<<20)
		return err == nil && modfile.ModulePath(data) == modPath
	}
	for p := filepath.Join(wt, filepath.FromSlash(prefix)); ; p = filepath.Dir(p) {
		if declares(p) {
			return p, nil
		}
		if p == wt || len(p) < len(wt) {
			break
		}
	}
	var found string
	seen := 0
	_ = filepath.WalkDir(wt, func(p string, d os.DirEntry, err error) error {
		if err != nil || found != "" {
			return filepath.SkipDir
		}
		if !d.IsDir() {
			return nil
		}
		if seen++; seen > 20000 {
			return filepath.SkipAll
		}
		switch d.Name() {
		case ".git", "vendor", "testdata", "node_modules":
			if p != wt {
				return filepath.SkipDir
			}
		}
		if declares(p) {
			found = p
			return filepath.SkipAll
		}
		return nil
	})
	if found == "" {
		return "", errors.New("no go.mod declares it")
	}
	return found, nil
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
