package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gocompat/gocompat/internal/gosrc"
	"github.com/gocompat/gocompat/internal/testbin"
)

// realRepos are the repositories of issue 11 ("On coredns v1.10.1 and
// etcd v3.5.9 two runs of gocompat audit gave different findings", and
// the setup-go ranges and container jobs of prometheus v2.45.0 and caddy
// v2.6.4),
// assembled from their module zips as the repository lays them out:
// etcd's repository is several modules, each in its directory; the root
// go.mod replaces every one of them (raft, client/v2 and tests too) with
// its directory, so all must be there for the go command to load it.
var realRepos = []struct {
	name string
	mods []struct{ mod, version, sum, dir string }
	// programs are the main packages (directories) that the
	// repository's units and images run, by file name.
	programs map[string][]string
}{
	{"coredns", []struct{ mod, version, sum, dir string }{
		{"github.com/coredns/coredns", "v1.10.1", "h1:6OyL7tcvYxeNHONj5iQlVM2GXBzAOq57L3/LUKP1DbA=", "."},
	}, map[string][]string{"coredns": {"."}}},
	{"prometheus", []struct{ mod, version, sum, dir string }{
		// prometheus v2.45.0's module version.
		{"github.com/prometheus/prometheus", "v0.45.0", "h1:O/uG+Nw4kNxx/jDPxmjsSDd+9Ohql6E7ZSY1x5x/0KI=", "."},
	}, map[string][]string{"prometheus": {"cmd/prometheus"}, "promtool": {"cmd/promtool"}}},
	{"caddy", []struct{ mod, version, sum, dir string }{
		{"github.com/caddyserver/caddy/v2", "v2.6.4", "h1:2hwYqiRwk1tf3VruhMpLcYTg+11fCdr8S3jhNAdnPy8=", "."},
	}, map[string][]string{"caddy": {"cmd/caddy"}}},
	{"etcd", []struct{ mod, version, sum, dir string }{
		{"go.etcd.io/etcd/v3", "v3.5.9", "h1:marsnDsZCt8W+hrG50HzwJdWEgJasyv7czmOduXRkVg=", "."},
		{"go.etcd.io/etcd/server/v3", "v3.5.9", "h1:vomEmmxeztLtS5OEH7d0hBAg4cjVIu9wXuNzUZx2ZA0=", "server"},
		{"go.etcd.io/etcd/client/v3", "v3.5.9", "h1:r5xghnU7CwbUxD/fbUtRyJGaYNfDun8sp/gTr1hew6E=", "client/v3"},
		{"go.etcd.io/etcd/api/v3", "v3.5.9", "h1:4wSsluwyTbGGmyjJktOf3wFQoTBIURXHnq9n/G/JQHs=", "api"},
		{"go.etcd.io/etcd/client/pkg/v3", "v3.5.9", "h1:oidDC4+YEuSIQbsR94rY9gur91UPL6DnxDCIYd2IGsE=", "client/pkg"},
		{"go.etcd.io/etcd/pkg/v3", "v3.5.9", "h1:6R2jg/aWd/zB9+9JxmijDKStGJAPFsX3e6BeJkMi6eQ=", "pkg"},
		{"go.etcd.io/etcd/etcdctl/v3", "v3.5.9", "h1:ndt0K3z0Gkq+Fik9eVaDqnWakuJplgkza5xEQygjN1U=", "etcdctl"},
		{"go.etcd.io/etcd/etcdutl/v3", "v3.5.9", "h1:PD63eycMIKtVjDeUBvroA5dFHPsBnjixR8T9mAbB6ww=", "etcdutl"},
		{"go.etcd.io/etcd/raft/v3", "v3.5.9", "", "raft"},
		{"go.etcd.io/etcd/client/v2", "v2.305.9", "", "client/v2"},
		{"go.etcd.io/etcd/tests/v3", "v3.5.9", "", "tests"},
	}, map[string][]string{
		// build.sh: (cd ./server; go build ... -o=../bin/etcd .)
		"etcd":    {"server"},
		"etcdctl": {"etcdctl"},
		"etcdutl": {"etcdutl"},
	}},
}

// realJudgements is every deployment finding on the two repositories and
// how it was judged against the files themselves; wantNot rows are
// findings that must not appear, with why. The test fails on a finding
// the table does not list, so a new one must be judged here first.
var realJudgements = []struct {
	repo, check, at, severity string
	wantNot                   bool
	judged, why               string
}{
	{"coredns", "dockerfile/missing-passwd", "Dockerfile:13", "info", false, "right",
		"the final stage is scratch and ADDs the coredns binary from the build context (its build is not seen: 'may', one severity lower); the program built from the root package links os/user only through other modules (k8s.io/klog/v2, github.com/golang/glog, aws-sdk-go's shareddefaults, the Google API transport), which are read now: on one of two runs before, with or without the module cache"},
	{"coredns", "dockerfile/missing-ca-certificates", "Dockerfile:13", "", true, "right",
		"the final stage copies /etc/ssl/certs/ca-certificates.crt from the debian stage"},
	{"coredns", "workflow/go-unsupported", ".github/workflows/go.coverage.yml:14", "warning", false, "right", "setup-go go-version 1.19, past support since 2023-08-08"},
	{"coredns", "workflow/go-unsupported", ".github/workflows/go.test.yml:14", "warning", false, "right", "setup-go go-version 1.19 (job test)"},
	{"coredns", "workflow/go-unsupported", ".github/workflows/go.test.yml:36", "warning", false, "right", "setup-go go-version 1.19 (job test-plugins)"},
	{"coredns", "workflow/go-unsupported", ".github/workflows/go.test.yml:55", "warning", false, "right", "setup-go go-version 1.19 (job test-e2e)"},
	{"coredns", "workflow/go-unsupported", ".github/workflows/golangci-lint.yml:11", "warning", false, "right", "setup-go go-version 1.19 (job golangci)"},
	{"coredns", "workflow/go-unsupported", ".github/workflows/make.doc.yml:21", "warning", false, "right", "setup-go go-version 1.19 (job fix)"},
	{"prometheus", "workflow/go-unsupported", ".github/workflows/ci.yml:14", "warning", false, "right",
		"job test_go runs in the container quay.io/prometheus/golang-builder:1.20-base, which carries Go 1.20, past support since 2024-02-06 (issue 11: a job whose container image carries the Go)"},
	{"prometheus", "workflow/go-unsupported", ".github/workflows/ci.yml:35", "warning", false, "right", "job test_ui, the same golang-builder:1.20-base container"},
	{"prometheus", "workflow/go-unsupported", ".github/workflows/ci.yml:58", "warning", false, "right",
		"job test_windows: setup-go go-version '>=1.20 <1.21', a range that resolves to the newest Go 1.20 (issue 11: versions written as semver ranges)"},
	{"prometheus", "workflow/go-unsupported", ".github/workflows/ci.yml:69", "warning", false, "right", "job test_golang_oldest: container golang-builder:1.19-base, Go 1.19, past support since 2023-08-08"},
	{"prometheus", "workflow/go-unsupported", ".github/workflows/ci.yml:82", "warning", false, "right", "job test_mixins: container golang-builder:1.19-base"},
	{"prometheus", "workflow/go-unsupported", ".github/workflows/ci.yml:145", "warning", false, "right", "job golangci: setup-go go-version 1.20.x"},
	{"prometheus", "workflow/go-unsupported", ".github/workflows/codeql-analysis.yml:26", "warning", false, "right", "job analyze: setup-go go-version '>=1.20 <1.21'"},
	{"prometheus", "dockerfile/missing-ca-certificates", "Dockerfile:1", "", true, "right",
		"the final image is quay.io/prometheus/busybox-${OS}-${ARCH}:latest with prebuilt binaries copied in; no fact describes what that image holds, so nothing is claimed about its CA bundle (no false error)"},
	{"caddy", "workflow/go-unsupported", ".github/workflows/ci.yml:28", "warning", false, "right",
		"job test's matrix go '1.18' with include GO_SEMVER '~1.18.4', given to setup-go as ${{ matrix.GO_SEMVER }}: the newest Go 1.18, past support since 2023-02-01 (issue 11: a range from a matrix variable)"},
	{"caddy", "workflow/go-unsupported", ".github/workflows/ci.yml:31", "warning", false, "right", "the same matrix's '~1.20.0': Go 1.20, past support since 2024-02-06"},
	{"caddy", "workflow/go-unsupported", ".github/workflows/cross-build.yml:25", "warning", false, "right", "job cross-build-test: matrix GO_SEMVER '~1.20.0'"},
	{"caddy", "workflow/go-unsupported", ".github/workflows/lint.yml:31", "warning", false, "right", "job golangci: setup-go go-version '~1.18.4'"},
	{"caddy", "workflow/go-unsupported", ".github/workflows/release.yml:20", "warning", false, "right", "job release: matrix GO_SEMVER '~1.20.0'"},
	{"etcd", "dockerfile/builder-go-too-old", "tests/functional/Dockerfile:1", "error", false, "right",
		"fedora:28 with the go1.14.3 release archive builds in the tests module, whose go.mod says go 1.19; Go 1.14 cannot switch toolchains"},
	{"etcd", "dockerfile/no-trimpath", "tests/functional/Dockerfile:27", "info", false, "right",
		"go build -o /bin/benchmark without -trimpath, and the binary stays in the image"},
	{"etcd", "systemd/notify-without-sd-notify", "contrib/systemd/etcd.service:9", "", true, "right",
		"Type=notify with ExecStart=/usr/bin/etcd: build.sh builds server/ (a module of its own) with -o ../bin/etcd, so the unit's program is server/'s main package, whose etcdmain calls go-systemd's daemon.SdNotify (read in the other module and through the go command's listing); before, a warm cache made one run report it"},
	{"etcd", "dockerfile/missing-ca-certificates", "Dockerfile-release.amd64:1", "", true, "right",
		"gcr.io/distroless/static-debian11 has a CA bundle and /etc/passwd"},
}

// TestRealRepositories runs the deployment steps on coredns v1.10.1,
// etcd v3.5.9, prometheus v2.45.0 and caddy v2.6.4 from the module proxy
// three times: with the machine's
// module cache, with an empty one (the go command fetches what the
// programs import) and with the cache that run left, and wants the same
// findings every time, each judged in realJudgements. The machine's module cache is filled
// through the proxy once (about 1.6 GB for coredns, which links the AWS,
// Azure, Google and Kubernetes clients, and 0.2 GB for etcd); the cold
// runs then take an empty module cache of their own that the go command
// fills from the machine's as a file proxy, so a test run downloads
// nothing the cache already holds.
func TestRealRepositories(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: fetches coredns's and etcd's dependencies into an empty module cache")
	}
	for _, repo := range realRepos {
		t.Run(repo.name, func(t *testing.T) {
			dir := assemble(t, repo.mods)
			for name, want := range repo.programs {
				r, err := gosrc.OpenRepo(dir, "")
				if err != nil {
					t.Fatal(err)
				}
				if got := r.MainPackages(name, gosrc.DefaultTarget); !slices.Equal(got, want) {
					t.Errorf("the program %s is built from %q, want %q", name, got, want)
				}
			}
			// First with the machine's module cache: the go command
			// fetches what the programs import through the proxy once,
			// and later runs find it there. Then an empty module cache
			// fed from that one as a file proxy (a cold cache without
			// the network), and then that cache again, warm.
			base := append(os.Environ(), "GOFLAGS=", "GOTOOLCHAIN=local")
			machine := deployFindings(t, dir, base)
			gomodcache, err := exec.Command("go", "env", "GOMODCACHE").Output()
			if err != nil {
				t.Fatal(err)
			}
			proxy := "file://" + filepath.ToSlash(filepath.Join(strings.TrimSpace(string(gomodcache)), "cache", "download"))
			env := append(base, "GOMODCACHE="+testbin.EmptyModCache(t), "GOPROXY="+proxy, "GOSUMDB=off")
			start := time.Now()
			cold := deployFindings(t, dir, env)
			coldTime := time.Since(start)
			start = time.Now()
			warm := deployFindings(t, dir, env)
			t.Logf("%s: deployment steps %.1fs with an empty module cache, %.1fs warm", repo.name, coldTime.Seconds(), time.Since(start).Seconds())
			if !slices.Equal(cold, warm) {
				t.Errorf("cold and warm module caches give different findings:\ncold:\n%s\nwarm:\n%s", strings.Join(cold, "\n"), strings.Join(warm, "\n"))
			}
			if !slices.Equal(machine, warm) {
				t.Errorf("the machine's module cache and a fresh one give different findings:\nmachine's:\n%s\nfresh:\n%s", strings.Join(machine, "\n"), strings.Join(warm, "\n"))
			}
			var listed []string
			for _, j := range realJudgements {
				if j.repo != repo.name {
					continue
				}
				key := fmt.Sprintf("%s %s %s", j.at, j.severity, j.check)
				found := slices.ContainsFunc(warm, func(f string) bool { return strings.HasPrefix(f, key+" ") })
				switch {
				case j.wantNot && slices.ContainsFunc(warm, func(f string) bool { return strings.Contains(f, " "+j.check+" ") }):
					t.Errorf("%s reported, judged wrong (%s)", j.check, j.why)
				case !j.wantNot && !found:
					t.Errorf("%s at %s (%s) not reported; judged %s: %s", j.check, j.at, j.severity, j.judged, j.why)
				}
				if !j.wantNot {
					listed = append(listed, key)
				}
			}
			for _, f := range warm {
				if !slices.ContainsFunc(listed, func(k string) bool { return strings.HasPrefix(f, k+" ") }) {
					t.Errorf("finding not judged in realJudgements: %s", f)
				}
			}
		})
	}
}

// assemble lays the module zips out as the repository does, in a
// writable directory. The modules come through the machine's module
// cache (go mod download checks them against the checksum database, and
// against the sums given); it skips the test when the proxy cannot be
// reached.
func assemble(t *testing.T, mods []struct{ mod, version, sum, dir string }) string {
	t.Helper()
	root := t.TempDir()
	for _, m := range mods {
		cmd := exec.Command("go", "mod", "download", "-json", m.mod+"@"+m.version)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "GOFLAGS=", "GOWORK=off", "GOTOOLCHAIN=local")
		out, err := cmd.Output()
		var info struct{ Dir, Sum, Error string }
		_ = json.Unmarshal(out, &info)
		if err != nil || info.Dir == "" {
			t.Skipf("%s@%s cannot be fetched through the module proxy (offline?): %v %s", m.mod, m.version, err, info.Error)
		}
		if m.sum != "" && info.Sum != m.sum {
			t.Fatalf("%s@%s: sum %s, want %s", m.mod, m.version, info.Sum, m.sum)
		}
		dst := filepath.Join(root, filepath.FromSlash(m.dir))
		if err := os.CopyFS(dst, os.DirFS(info.Dir)); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// deployFindings runs the deployment steps (not the loopvar or upgrade
// steps: they compile) on dir with env and returns the findings as
// "file:line severity check message", in report order.
func deployFindings(t *testing.T, dir string, env []string) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	rep, err := Run(ctx, &Target{Dir: dir, Environ: env, HostRoot: t.TempDir()}, StepsOf("dockerfile", "systemd", "workflow"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range rep.Findings {
		out = append(out, fmt.Sprintf("%s:%d %s %s %s", f.Location.File, f.Location.Line, f.Severity, f.Check, f.Message))
	}
	return out
}
