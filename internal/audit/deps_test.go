package audit

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gocompat/gocompat/internal/check/deps"
	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/testbin"
)

const govulncheckPeer = "golang.org/x/vuln/cmd/govulncheck@v1.9.0"

// copyModule copies a fixture module into a temporary directory, so the
// go command may write nothing into the repository.
func copyModule(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	ents, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// govulncheckLevels runs govulncheck -show verbose in dir and reads the
// OSV IDs of its three text sections: Symbol Results (called), Package
// Results (imported) and Module Results (required).
func govulncheckLevels(t *testing.T, dir, db string, env []string) map[string][]string {
	t.Helper()
	bin := testbin.Tool(t, govulncheckPeer)
	cmd := exec.Command(bin, "-db", db, "-show", "verbose", "./...")
	cmd.Dir, cmd.Env = dir, env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); err != nil && !(ok && ee.ExitCode() == 3) { // 3: vulnerabilities found
		t.Fatalf("govulncheck: %v\n%s", err, stderr.String())
	}
	sections := map[string]string{"=== Symbol Results ===": "called", "=== Package Results ===": "imported", "=== Module Results ===": "required"}
	vuln := regexp.MustCompile(`^Vulnerability #\d+: (\S+)`)
	out := map[string][]string{"called": {}, "imported": {}, "required": {}}
	level := ""
	sc := bufio.NewScanner(&stdout)
	for sc.Scan() {
		line := sc.Text()
		if l, ok := sections[strings.TrimSpace(line)]; ok {
			level = l
			continue
		}
		if m := vuln.FindStringSubmatch(line); m != nil {
			if level == "" {
				t.Fatalf("govulncheck output: %q before any section", line)
			}
			out[level] = append(out[level], m[1])
		}
	}
	for _, ids := range out {
		sort.Strings(ids)
	}
	return out
}

func gocompatLevels(fs []finding.Finding) map[string][]string {
	out := map[string][]string{"called": {}, "imported": {}, "required": {}}
	for _, f := range fs {
		var l string
		switch f.Check {
		case deps.VulnCalled.ID:
			l = "called"
		case deps.VulnImported.ID:
			l = "imported"
		case deps.VulnRequired.ID:
			l = "required"
		default:
			continue
		}
		out[l] = append(out[l], f.Details["osv"])
	}
	for _, ids := range out {
		sort.Strings(ids)
	}
	return out
}

// depsTarget is the run gocompat deps makes: online, with db.
func depsTarget(dir string, env []string, db string) *Target {
	t := &Target{Dir: dir, Environ: env, HostRoot: "/"}
	t.SetOptions("deps", DepsOptions{DB: db, Online: true})
	return t
}

func runDepsAudit(t *testing.T, dir, db string, env []string) []finding.Finding {
	t.Helper()
	tg := depsTarget(dir, env, db)
	tg.Now = func() time.Time { return testbin.VulnDBModified.Add(24 * time.Hour) }
	rep, err := Run(context.Background(), tg, StepsOf("module", "deps"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Findings {
		if f.Check == StepFailed.ID || f.Check == deps.VulnScanFailed.ID || f.Check == deps.VulnDBUnavailable.ID {
			t.Fatalf("%s: %s", f.Check, f.Message)
		}
	}
	return rep.Findings
}

// TestDepsMatchesGovulncheck is the acceptance test of the vulnerability
// checks: on each module, gocompat deps reports exactly the OSV IDs that
// govulncheck v1.9.0 reports in each of its three categories, with the
// same database and environment.
func TestDepsMatchesGovulncheck(t *testing.T) {
	db := testbin.VulnDB(t)
	testbin.Tool(t, govulncheckPeer)
	cases := []struct {
		name string
		dir  func(t *testing.T) string
		env  []string
		// want are IDs each category must hold, so that an empty
		// agreement cannot pass.
		want map[string]string
	}{
		{name: "x/text calls", dir: fixture("textcall"), want: map[string]string{"called": "GO-2021-0113", "imported": "GO-2022-1059"}},
		{name: "x/net imports", dir: fixture("netimport"), want: map[string]string{"imported": "GO-2023-1988"}},
		// The standard library is judged at the Go the go command
		// selects: with GOTOOLCHAIN=go1.22.12 the release's own
		// vulnerabilities appear (fmt and os reach several).
		{name: "go1.22.12 standard library", dir: fixture("textcall"), env: []string{"GOTOOLCHAIN=" + testbin.Go122}, want: map[string]string{"called": "GO-2021-0113"}},
		{name: "gin v1.7.0 from the proxy", dir: proxyModule("github.com/gin-gonic/gin@v1.7.0"), want: map[string]string{"imported": "GO-2022-0493"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if testing.Short() && strings.Contains(tc.name, "proxy") {
				t.Skip("-short: skipping the module from the proxy")
			}
			if strings.Contains(tc.name, "go1.22") {
				testbin.Toolchain(t, testbin.Go122)
			}
			dir := tc.dir(t)
			env := append(os.Environ(), tc.env...)
			want := govulncheckLevels(t, dir, db, env)
			fs := runDepsAudit(t, dir, db, env)
			got := gocompatLevels(fs)
			for l, id := range tc.want {
				if !slices.Contains(want[l], id) {
					t.Errorf("govulncheck's %s results lack %s: the fixture no longer tests what it should (%v)", l, id, want[l])
				}
			}
			for _, l := range []string{"called", "imported", "required"} {
				if !slices.Equal(got[l], want[l]) {
					t.Errorf("%s: gocompat %v, govulncheck %v", l, got[l], want[l])
				}
			}
			if strings.Contains(tc.name, "go1.22") && !hasStdlib(t, fs) {
				t.Error("no standard library vulnerability at go1.22.12")
			}
		})
	}
}

func hasStdlib(t *testing.T, fs []finding.Finding) bool {
	for _, f := range fs {
		if f.Details["module"] == "stdlib" && f.Check == deps.VulnCalled.ID {
			if !strings.Contains(f.Fix, "toolchain@go1.") {
				t.Errorf("stdlib fix %q names no Go release", f.Fix)
			}
			return true
		}
	}
	return false
}

func fixture(name string) func(t *testing.T) string {
	return func(t *testing.T) string { return copyModule(t, filepath.Join("testdata", "deps", name)) }
}

// proxyModule copies a module version downloaded through the module
// proxy into a temporary directory.
func proxyModule(modVersion string) func(t *testing.T) string {
	return func(t *testing.T) string {
		cmd := exec.Command("go", "mod", "download", "-json", modVersion)
		cmd.Dir = t.TempDir()
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
		out, err := cmd.Output()
		if err != nil {
			t.Skipf("go mod download %s (offline?): %v", modVersion, err)
		}
		var m struct{ Dir string }
		if err := json.Unmarshal(out, &m); err != nil {
			t.Fatal(err)
		}
		dst := t.TempDir()
		if err := os.CopyFS(dst, os.DirFS(m.Dir)); err != nil {
			t.Fatal(err)
		}
		return dst
	}
}

func byCheck(fs []finding.Finding, id string) []finding.Finding {
	var out []finding.Finding
	for _, f := range fs {
		if f.Check == id {
			out = append(out, f)
		}
	}
	return out
}

// TestDepsHealth: a retracted requirement (grpc v1.74.0), a deprecated
// one (github.com/golang/protobuf), a dependency whose go line is newer
// than the Go of the Dockerfile's builder (golang:1.22 sets
// GOTOOLCHAIN=local), and a replacement directory the Dockerfile does
// not copy. Retractions and deprecations come from the module proxy.
func TestDepsHealth(t *testing.T) {
	dir := copyModule(t, filepath.Join("testdata", "deps", "health"))
	mustWrite(t, filepath.Join(dir, "local", "go.mod"), "module example.com/local\n\ngo 1.22\n")
	mustWrite(t, filepath.Join(dir, "go.mod"), readFile(t, filepath.Join(dir, "go.mod"))+"\nreplace example.com/local => ./local\n")
	mustWrite(t, filepath.Join(dir, "Dockerfile"), "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY go.mod go.sum main.go ./\nRUN go build -o /app .\n\nFROM scratch\nCOPY --from=build /app /app\n")
	// No vulnerability database (the port refuses connections): the
	// health checks do not need one, and the test skips loading grpc.
	rep, err := Run(context.Background(), depsTarget(dir, os.Environ(), "http://127.0.0.1:1"), StepsOf("module", "deps"))
	if err != nil {
		t.Fatal(err)
	}
	fs := rep.Findings
	if len(byCheck(fs, deps.VulnDBUnavailable.ID)) != 1 {
		t.Errorf("no %s finding: %+v", deps.VulnDBUnavailable.ID, fs)
	}
	if len(byCheck(fs, deps.ProxyUnreachable.ID)) > 0 {
		t.Skip("the module proxy cannot be reached: retractions and deprecations are unknown")
	}
	r := byCheck(fs, deps.Retracted.ID)
	if len(r) != 1 || r[0].Details["module"] != "google.golang.org/grpc" || !strings.Contains(r[0].Message, "published prematurely") || r[0].Location.Line != 7 {
		t.Errorf("retracted: %+v", r)
	}
	d := byCheck(fs, deps.Deprecated.ID)
	if len(d) != 1 || d[0].Details["module"] != "github.com/golang/protobuf" || d[0].Details["successor"] != "google.golang.org/protobuf" {
		t.Errorf("deprecated: %+v", d)
	}
	var inDocker bool
	for _, f := range byCheck(fs, deps.ReplaceNotInContext.ID) {
		inDocker = inDocker || f.Location.File == "Dockerfile" && f.Location.Line == 1 && f.Details["module"] == "example.com/local"
	}
	if !inDocker {
		t.Errorf("no %s at Dockerfile:1 for ./local: %+v", deps.ReplaceNotInContext.ID, byCheck(fs, deps.ReplaceNotInContext.ID))
	}
	var newer bool
	for _, f := range byCheck(fs, deps.DepGoNewer.ID) {
		newer = newer || f.Location.File == "Dockerfile" && f.Severity == finding.Error
	}
	if !newer {
		t.Errorf("no %s error at the Dockerfile (golang:1.22, GOTOOLCHAIN=local): %+v", deps.DepGoNewer.ID, byCheck(fs, deps.DepGoNewer.ID))
	}
	if len(byCheck(fs, deps.UpdateAvailable.ID)) != 0 {
		t.Error("updates reported without --outdated")
	}
}

// TestDepsOffline: with no proxy, one finding says so and the
// vulnerability checks still run against the local database.
func TestDepsOffline(t *testing.T) {
	db := testbin.VulnDB(t)
	dir := copyModule(t, filepath.Join("testdata", "deps", "textcall"))
	fs := runDepsAudit(t, dir, db, append(os.Environ(), "GOPROXY=off"))
	if n := len(byCheck(fs, deps.ProxyUnreachable.ID)); n != 1 {
		t.Errorf("%d %s findings, want 1", n, deps.ProxyUnreachable.ID)
	}
	if len(byCheck(fs, deps.VulnCalled.ID)) == 0 {
		t.Error("no vulnerability findings offline")
	}
}

// TestDepsBadInput: a database folder with no index, an unreachable
// database and a go.mod that does not parse each give one clear finding;
// the other checks still run.
func TestDepsBadInput(t *testing.T) {
	dir := copyModule(t, filepath.Join("testdata", "deps", "textcall"))
	env := append(os.Environ(), "GOPROXY=off")
	for name, db := range map[string]string{
		"no index":    "file://" + filepath.ToSlash(t.TempDir()),
		"unreachable": "http://127.0.0.1:1",
	} {
		rep, err := Run(context.Background(), depsTarget(dir, env, db), StepsOf("module", "deps"))
		if err != nil {
			t.Fatal(err)
		}
		u := byCheck(rep.Findings, deps.VulnDBUnavailable.ID)
		if len(u) != 1 || !strings.Contains(u[0].Message, "vulnerability database") {
			t.Errorf("%s: %s findings %+v", name, deps.VulnDBUnavailable.ID, u)
		}
		if len(byCheck(rep.Findings, deps.ProxyUnreachable.ID)) != 1 || len(byCheck(rep.Findings, StepFailed.ID)) != 0 {
			t.Errorf("%s: the module health checks did not run: %+v", name, rep.Findings)
		}
	}
	mustWrite(t, filepath.Join(dir, "go.mod"), "module example.com/textcall\n\ngo 1.22\nrequire (\n")
	rep, err := Run(context.Background(), depsTarget(dir, env, "http://127.0.0.1:1"), StepsOf("module", "deps"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 1 || rep.Findings[0].Check != GoModInvalid.ID {
		t.Errorf("unparsable go.mod: %+v", rep.Findings)
	}
}

func mustWrite(t *testing.T, p, s string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
