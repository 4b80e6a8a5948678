// Package vetcache lets one go test command also vet, with every
// analyzer and vet's JSON output, without the diagnostics stopping the
// tests: gocompat matrix runs
//
//	go test -json -vet=all -toolexec=<gocompat> ./...
//
// and gocompat, run by the go command in front of each tool (Main), does
// this:
//
//   - every tool but vet (compile, asm, link, cgo, the C compiler's -###)
//     is the tool itself, exec'd with its arguments, as are vet's
//     "-V=full" and "-flags" and its facts-only runs for dependencies
//     (VetxOnly), so the go command's cache keys and results are those of
//     the release's own tools;
//   - vet of a package under test runs as vet -json, whose diagnostics
//     do not fail it (go test would skip the package's tests on a vet
//     finding; a type error still fails, as in go vet). Its JSON is kept
//     in the cache directory under its SHA-256, and the go command is
//     given one line instead, Ref plus that hash: on vet's stdout, or in
//     the Stdout file of the vet config where the release's go command
//     keeps vet's output in its own build cache
//     (cmd/go/internal/work/exec.go, (*Builder).vet, stdoutKey). The
//     caller reads the lines from go test's output (Refs) and the JSON
//     from the cache (Load).
//   - where the go command does not keep vet's output (older releases
//     run vet on every package under test every time), the run is also
//     kept under a key: the hash of the release's vet -V=full line, the
//     GO* and CGO_* environment and the vet config, with every file it
//     names (sources, export data, facts) replaced by the SHA-256 of its
//     content (for the build cache's files, their name:
//     facts.GoCacheOutputHash). A run with the same key replays vet's
//     facts file and the line without running vet.
//
// The protocol is the environment: EnvDir names the cache directory (and
// turns the mode on), EnvID the release's vet -V=full line. Entries are
// content-addressed and never stale, only unused; Trim removes those
// unused for MaxAge.
package vetcache

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/fsread"
	"github.com/gocompat/gocompat/internal/vetcfg"
)

// The environment gocompat gives go test for this mode.
const (
	EnvDir = "GOCOMPAT_VETCACHE_DIR"
	EnvID  = "GOCOMPAT_VETCACHE_ID"
)

// Ref starts the line that stands for one package's vet output.
const Ref = "gocompat-vet-json "

// MaxAge is how long an entry is kept after its last use.
const MaxAge = 5 * 24 * time.Hour

// maxEntry bounds a file read back from the cache: vet's JSON output or
// facts for one package.
const maxEntry = 64 << 20

// Active reports whether this process was started by the go command as
// the -toolexec program in this mode: EnvDir is set and args are a tool
// the go command runs (a tool of a Go toolchain, by absolute path, or the
// C compiler asked for its version with -###). A program a test runs
// with that environment inherited is not taken for one.
func Active(args []string) bool {
	if os.Getenv(EnvDir) == "" || len(args) < 2 {
		return false
	}
	if args[1] == "-###" {
		return true
	}
	tool := args[0]
	return filepath.IsAbs(tool) && filepath.Base(filepath.Dir(filepath.Dir(tool))) == "tool" &&
		filepath.Base(filepath.Dir(filepath.Dir(filepath.Dir(tool)))) == "pkg"
}

// Main runs the tool with os.Args and exits.
func Main() {
	os.Exit(Run(os.Args[1:], os.Environ(), os.Stdout, os.Stderr))
}

// Env is what to add to go test's environment for this mode, with vet's
// -V=full line id and the cache directory dir.
func Env(id, dir string) []string {
	return []string{EnvID + "=" + id, EnvDir + "=" + dir}
}

// Script writes, into dir, a /bin/sh program for -toolexec that runs every
// tool as itself and only vet's runs on a package outside the standard
// library through exe (the gocompat executable), and returns its path;
// "" when there is no /bin/sh or the script cannot be written (then give
// exe to -toolexec itself). A warm go test asks each tool for its version
// through the -toolexec program and runs few tools else: starting a shell
// for those costs about a millisecond, starting gocompat five.
//
// A vet run on a package of the standard library is only ever a
// facts-only run (VetxOnly) for a package under test that imports it, so
// the script runs vet itself for those, telling them by the directory
// the go command runs vet in (the package's, cmd/go/internal/work,
// (*Builder).vet): below src of the GOROOT the vet tool is in. A cold go
// test vets a hundred and more of them per release; gocompat would only
// hand each on. Use Script only for a module outside GOROOT/src.
func Script(dir, exe string) string {
	if st, err := os.Stat("/bin/sh"); err != nil || st.IsDir() || strings.ContainsAny(exe, "\x00\n") {
		return ""
	}
	src := "#!/bin/sh\n" +
		"# gocompat matrix: go test -toolexec program (package vetcache).\n" +
		"case \"$1\" in\n" +
		"*/vet)\n" +
		"\tcase \"$2\" in -V=full|-flags) exec \"$@\" ;; esac\n" +
		"\tcase \"$PWD/\" in \"${1%/pkg/tool/*}/src/\"*) exec \"$@\" ;; esac\n" +
		"\texec '" + strings.ReplaceAll(exe, "'", `'\''`) + "' \"$@\" ;;\n" +
		"esac\n" +
		"exec \"$@\"\n"
	sum := sha256.Sum256([]byte(src))
	file := filepath.Join(dir, "toolexec-"+hex.EncodeToString(sum[:8])+".sh")
	if strings.ContainsAny(file, " \t'\"\\") {
		return "" // -toolexec splits its value on spaces and quotes
	}
	if b, err := fsread.ReadFile(file, int64(len(src))+1); err == nil && string(b) == src {
		return file
	}
	if err := write(file, []byte(src)); err != nil || os.Chmod(file, 0o755) != nil {
		return ""
	}
	return file
}

// ToolID runs vet -V=full, the line go vet fingerprints a vet tool by.
func ToolID(vet string) (string, error) {
	out, err := exec.Command(vet, "-V=full").Output()
	if err != nil {
		return "", fmt.Errorf("%s -V=full: %w", vet, err)
	}
	return strings.TrimSpace(string(out)), nil
}

type config struct {
	ID         string
	VetxOnly   bool
	VetxOutput string
	Stdout     string
	FixArchive string
}

// entry is one kept vet run: the hash of its JSON output and its facts.
type entry struct {
	JSON    string
	Vetx    []byte
	HasVetx bool
}

// Run is the -toolexec program: args are the tool and its arguments, as
// the go command passes them.
func Run(args, environ []string, stdout, stderr io.Writer) int {
	env := lookup(environ)
	dir, id := env[EnvDir], env[EnvID]
	if len(args) == 0 {
		fmt.Fprintln(stderr, "gocompat: -toolexec: no tool")
		return 2
	}
	tool, targs := args[0], args[1:]
	if filepath.Base(tool) != "vet" || dir == "" || !vetcfg.IsInvocation(targs) || !strings.HasSuffix(targs[len(targs)-1], ".cfg") {
		return passthrough(tool, targs, environ, stdout, stderr)
	}
	cfgFile := targs[len(targs)-1]
	data, err := fsread.ReadFile(cfgFile, vetcfg.MaxConfig)
	if err != nil {
		return passthrough(tool, targs, environ, stdout, stderr)
	}
	var cfg config
	if json.Unmarshal(data, &cfg) != nil || cfg.VetxOnly || cfg.FixArchive != "" {
		return passthrough(tool, targs, environ, stdout, stderr)
	}
	flags := []string{"-json"}
	key := ""
	if cfg.Stdout == "" && id != "" {
		// The go command keeps nothing of this run: keep it here.
		if k, err := Key(id, flags, environ, data); err == nil {
			key = k
			if e, ok := loadEntry(dir, key); ok && (!e.HasVetx || cfg.VetxOutput != "") && hasBlob(dir, e.JSON) {
				if !e.HasVetx || os.WriteFile(cfg.VetxOutput, e.Vetx, 0o666) == nil {
					fmt.Fprintf(stdout, "%s%s %s\n", Ref, e.JSON, cfg.ID)
					return 0
				}
			}
		}
	}
	var o, e bytes.Buffer
	code := run(tool, append(flags, cfgFile), environ, &o, &e)
	if code != 0 {
		// A type error: vet says so and fails, as under go vet.
		stdout.Write(o.Bytes())
		stderr.Write(e.Bytes())
		return code
	}
	stderr.Write(e.Bytes())
	out := o.Bytes()
	if cfg.Stdout != "" {
		b, err := fsread.ReadFile(cfg.Stdout, maxEntry)
		if err != nil {
			fmt.Fprintf(stderr, "gocompat: vet's output: %v\n", err)
			return 2
		}
		out = append(out, b...)
	}
	sum, err := putBlob(dir, out)
	if err != nil {
		fmt.Fprintf(stderr, "gocompat: keeping vet's output: %v\n", err)
		return 2
	}
	line := fmt.Sprintf("%s%s %s\n", Ref, sum, cfg.ID)
	if cfg.Stdout != "" {
		if err := os.WriteFile(cfg.Stdout, []byte(line), 0o666); err != nil {
			fmt.Fprintf(stderr, "gocompat: %v\n", err)
			return 2
		}
	} else {
		io.WriteString(stdout, line)
	}
	if key != "" && e.Len() == 0 {
		ent := entry{JSON: sum}
		if cfg.VetxOutput != "" {
			if b, err := fsread.ReadFile(cfg.VetxOutput, maxEntry); err == nil {
				ent.Vetx, ent.HasVetx = b, true
			}
		}
		putEntry(dir, key, ent) // a cache that cannot be written is no cache
	}
	return 0
}

func lookup(environ []string) map[string]string {
	m := map[string]string{}
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	return m
}

// passthrough replaces this process by the tool where it can (nothing to
// keep), else runs it.
func passthrough(tool string, args, environ []string, stdout, stderr io.Writer) int {
	if stdout == os.Stdout && stderr == os.Stderr {
		path, err := exec.LookPath(tool)
		if err == nil {
			err = syscall.Exec(path, append([]string{tool}, args...), environ)
		}
		fmt.Fprintf(stderr, "gocompat: -toolexec: %s: %v\n", tool, err)
		return 2
	}
	return run(tool, args, environ, stdout, stderr)
}

func run(tool string, args, environ []string, stdout, stderr io.Writer) int {
	cmd := exec.Command(tool, args...)
	cmd.Env = environ
	cmd.Stdin = os.Stdin
	cmd.Stdout, cmd.Stderr = stdout, stderr
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		return exit.ExitCode()
	}
	fmt.Fprintf(stderr, "gocompat: -toolexec: %s: %v\n", tool, err)
	return 2
}

// Key is the hash of one vet run's inputs: the real vet's -V=full line,
// its flags, the GO* and CGO_* environment (but this package's own
// variables) and the vet config data with the files it names replaced by
// their contents' hashes and the output files it names left out.
func Key(id string, flags, environ []string, data []byte) (string, error) {
	var cfg map[string]json.RawMessage
	if err := json.Unmarshal(data, &cfg); err != nil {
		return "", err
	}
	gocache := facts.GoCacheDir(environ)
	h := sha256.New()
	fmt.Fprintf(h, "gocompat vetcache 1\nid %q\n", id)
	for _, f := range flags {
		fmt.Fprintf(h, "flag %q\n", f)
	}
	var env []string
	for _, kv := range environ {
		// GOTMPDIR: where the go command keeps its work, a new directory
		// each run (childproc.GoTmpDir), which vet's output never names.
		if (strings.HasPrefix(kv, "GO") || strings.HasPrefix(kv, "CGO_")) && !strings.HasPrefix(kv, "GOCOMPAT_") && !strings.HasPrefix(kv, "GOTMPDIR=") {
			env = append(env, kv)
		}
	}
	sort.Strings(env)
	for _, kv := range env {
		fmt.Fprintf(h, "env %q\n", kv)
	}
	names := make([]string, 0, len(cfg))
	for k := range cfg {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		raw := cfg[k]
		switch k {
		case "VetxOutput", "Stdout", "FixArchive":
			continue // where vet writes, not what it reads
		case "GoFiles", "NonGoFiles", "IgnoredFiles":
			var files []string
			if err := json.Unmarshal(raw, &files); err != nil {
				return "", fmt.Errorf("%s: %w", k, err)
			}
			for _, f := range files {
				sum, err := fileHash(f)
				if err != nil {
					return "", err
				}
				fmt.Fprintf(h, "%s %q %s\n", k, f, sum)
			}
		case "PackageFile", "PackageVetx":
			var files map[string]string
			if err := json.Unmarshal(raw, &files); err != nil {
				return "", fmt.Errorf("%s: %w", k, err)
			}
			pkgs := make([]string, 0, len(files))
			for p := range files {
				pkgs = append(pkgs, p)
			}
			sort.Strings(pkgs)
			for _, p := range pkgs {
				// Export data and facts from the build cache are named by
				// their content's hash: no need to read them.
				sum, ok := facts.GoCacheOutputHash(gocache, files[p])
				var err error
				if !ok {
					sum, err = fileHash(files[p])
				}
				if err != nil {
					return "", err
				}
				fmt.Fprintf(h, "%s %q %s\n", k, p, sum)
			}
		default:
			fmt.Fprintf(h, "%s %s\n", k, raw)
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func fileHash(name string) (string, error) {
	f, err := fsread.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

var hashRE = regexp.MustCompile(`^[0-9a-f]{64}$`)

func blobFile(dir, sum string) string  { return filepath.Join(dir, "o", sum[:2], sum) }
func entryFile(dir, key string) string { return filepath.Join(dir, "k", key[:2], key) }

func hasBlob(dir, sum string) bool {
	if !hashRE.MatchString(sum) {
		return false
	}
	_, err := os.Stat(blobFile(dir, sum))
	return err == nil
}

func putBlob(dir string, b []byte) (string, error) {
	s := sha256.Sum256(b)
	sum := hex.EncodeToString(s[:])
	if hasBlob(dir, sum) {
		touch(blobFile(dir, sum))
		return sum, nil
	}
	return sum, write(blobFile(dir, sum), b)
}

// Load returns the vet output a Ref line names, from the cache in dir.
func Load(dir, sum string) ([]byte, error) {
	if !hashRE.MatchString(sum) {
		return nil, fmt.Errorf("vet output %q: not a SHA-256", sum)
	}
	file := blobFile(dir, sum)
	b, err := fsread.ReadFile(file, maxEntry)
	if err != nil {
		return nil, err
	}
	if s := sha256.Sum256(b); hex.EncodeToString(s[:]) != sum {
		return nil, fmt.Errorf("%s: content does not match its name", file)
	}
	touch(file)
	return b, nil
}

// Refs finds the Ref lines in a go command's output: the vet output
// hashes they name, each once, in order of appearance, and the output
// without them.
func Refs(out []byte) ([]string, []byte) {
	var sums []string
	seen := map[string]bool{}
	var rest bytes.Buffer
	for _, l := range bytes.SplitAfter(out, []byte("\n")) {
		i := bytes.Index(l, []byte(Ref))
		if i < 0 {
			rest.Write(l)
			continue
		}
		f := strings.Fields(string(l[i+len(Ref):]))
		if len(f) > 0 && hashRE.MatchString(f[0]) && !seen[f[0]] {
			seen[f[0]] = true
			sums = append(sums, f[0])
		}
	}
	return sums, rest.Bytes()
}

func loadEntry(dir, key string) (entry, bool) {
	file := entryFile(dir, key)
	b, err := fsread.ReadFile(file, maxEntry)
	if err != nil {
		return entry{}, false
	}
	var e entry
	if json.Unmarshal(b, &e) != nil {
		return entry{}, false
	}
	touch(file)
	touch(blobFile(dir, e.JSON))
	return e, true
}

func putEntry(dir, key string, e entry) error {
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	return write(entryFile(dir, key), b)
}

// write writes a file of the cache whole or not at all.
func write(file string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(file), 0o777); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), ".tmp-")
	if err != nil {
		return err
	}
	_, err = tmp.Write(b)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), file)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

// touch marks a file used, at most once an hour (as the go command's
// cache does, to spare the writes).
func touch(file string) {
	if st, err := os.Stat(file); err == nil && time.Since(st.ModTime()) > time.Hour {
		now := time.Now()
		os.Chtimes(file, now, now)
	}
}

// Trim removes the files of dir unused for MaxAge, at most once a day
// (a stamp file in dir says when it last ran).
func Trim(dir string) error {
	stamp := filepath.Join(dir, "trim.txt")
	if st, err := os.Stat(stamp); err == nil && time.Since(st.ModTime()) < 24*time.Hour {
		return nil
	}
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return err
	}
	if err := os.WriteFile(stamp, []byte(time.Now().UTC().Format(time.RFC3339)+"\n"), 0o666); err != nil {
		return err
	}
	old := time.Now().Add(-MaxAge)
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || p == stamp {
			return nil
		}
		if info, err := d.Info(); err == nil && info.ModTime().Before(old) {
			os.Remove(p)
		}
		return nil
	})
}
