package deploy_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/gocompat/gocompat/internal/testbin"
	"golang.org/x/tools/txtar"
)

// coldWarmCase is a program that gets crypto/tls and sd_notify from
// another module only (testbin.GoSystemdProgram), with a unit and a
// Dockerfile that run it.
const coldWarmCase = testbin.GoSystemdProgram + `-- deploy/svc.service --
[Service]
Type=notify
WatchdogSec=30
ExecStart=/usr/local/bin/svc
MemoryMax=512M
-- Dockerfile --
FROM golang:1.26 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/svc .

FROM scratch
COPY --from=build /out/svc /svc
ENTRYPOINT ["/svc"]
`

// TestColdAndWarmModuleCache: the deployment checks give the same
// findings whether or not the module cache holds the dependencies (issue
// 11: coredns and etcd gave missing-passwd and notify-without-sd-notify on
// one of two runs). The cold run has an empty GOMODCACHE, so the go
// command fetches go-systemd and golang.org/x/sys through the module
// proxy; the warm one uses the cache that holds them. Both read
// go-systemd's code: its activation package links crypto/tls, so the
// scratch image lacks CA certificates, and its daemon package mentions
// NOTIFY_SOCKET, so the unit's Type=notify and WatchdogSec= are sound.
// Without the proxy (GOPROXY=off, cold) the dependencies cannot be had:
// the repository's code alone is judged, and one info finding per
// program says so, nothing at error level.
func TestColdAndWarmModuleCache(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: fetches modules through the proxy into an empty module cache")
	}
	out, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Skipf("go env: %v", err)
	}
	warm := strings.TrimSpace(string(out))
	dir := unpack(t, txtar.Parse([]byte(coldWarmCase)), "")
	// Warm the cache (the machine's) with what the module needs, or skip.
	dl := exec.Command("go", "mod", "download")
	dl.Dir = dir
	dl.Env = append(os.Environ(), "GOFLAGS=", "GOWORK=off", "GOTOOLCHAIN=local")
	if out, err := dl.CombinedOutput(); err != nil {
		t.Skipf("the module proxy cannot be reached (go mod download: %v): %s", err, out)
	}
	runWith := func(env ...string) string {
		for _, kv := range env {
			k, v, _ := strings.Cut(kv, "=")
			t.Setenv(k, v)
		}
		return render(judgeTree(t, dir, t.TempDir(), "").Findings, dir)
	}
	warmed := runWith("GOMODCACHE=" + warm)
	cold := runWith("GOMODCACHE=" + testbin.EmptyModCache(t))
	if cold != warmed {
		t.Errorf("cold and warm module caches give different findings:\ncold:\n%s\nwarm:\n%s", cold, warmed)
	}
	if !strings.Contains(warmed, "Dockerfile:6 error [dockerfile/missing-ca-certificates]") {
		t.Errorf("no missing-ca-certificates for a scratch image of a program whose dependency (go-systemd's activation) links crypto/tls:\n%s", warmed)
	}
	for _, check := range []string{"systemd/notify-without-sd-notify", "systemd/watchdog-without-sd-notify", "dependencies-not-read"} {
		if strings.Contains(warmed, check) {
			t.Errorf("%s for a program that uses go-systemd's daemon package, with the module proxy:\n%s", check, warmed)
		}
	}

	offline := runWith("GOMODCACHE="+testbin.EmptyModCache(t), "GOPROXY=off")
	for _, want := range []string{
		"Dockerfile:4 info [dockerfile/dependencies-not-read]",
		"deploy/svc.service:4 info [systemd/dependencies-not-read]",
		"module lookup disabled by GOPROXY=off",
	} {
		if !strings.Contains(offline, want) {
			t.Errorf("offline run: no %q:\n%s", want, offline)
		}
	}
	if strings.Contains(offline, " error [") || strings.Count(offline, "dependencies-not-read") != 2 {
		t.Errorf("offline run: want one info finding per program and no error:\n%s", offline)
	}
}
