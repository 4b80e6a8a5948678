package deploy_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// coldWarmCase needs dependencies that the module cache may or may not
// hold: github.com/coreos/go-systemd/v22 and golang.org/x/sys at the
// versions gocompat itself requires, so a machine that built gocompat
// holds them.
const coldWarmCase = `
-- go.mod --
module example.com/svc

go 1.26.0

require (
	github.com/coreos/go-systemd/v22 v22.7.0
	golang.org/x/sys v0.49.0
)
-- go.sum --
github.com/coreos/go-systemd/v22 v22.7.0 h1:LAEzFkke61DFROc7zNLX/WA2i5J8gYqe0rSj9KI28KA=
github.com/coreos/go-systemd/v22 v22.7.0/go.mod h1:xNUYtjHu2EDXbsxz1i41wouACIwT7Ybq9o0BQhMwD0w=
golang.org/x/sys v0.49.0 h1:XbzkgYJHdqh/8m2Uu0W/dQv8nktxx4BFHp1M0gROTXA=
golang.org/x/sys v0.49.0/go.mod h1:hNLxWAXmnKAxqDtdwIYC4bM9oQPEecfsnNMuSxOs3og=
-- main.go --
package main

import (
	"github.com/coreos/go-systemd/v22/activation"
	"github.com/coreos/go-systemd/v22/daemon"
)

func main() {
	_, _ = activation.Listeners()
	_, _ = daemon.SdNotify(false, daemon.SdNotifyReady)
}
-- deploy/svc.service --
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
// one of two runs). The cold run has an empty GOMODCACHE and cannot
// download (GOFLAGS=-mod=mod, GOPROXY=off); the warm one uses the cache
// that holds go-systemd. Before, the warm run alone reported
// missing-ca-certificates: go-systemd's activation package links
// crypto/tls, which go list saw only with the dependency in the cache.
// Now code from other modules is never read (a need only it brings is not
// reported), and what is known of it comes from facts: go-systemd's daemon
// package notifies, so no notify finding either way.
func TestColdAndWarmModuleCache(t *testing.T) {
	out, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Skipf("go env: %v", err)
	}
	warm := strings.TrimSpace(string(out))
	if _, err := os.Stat(filepath.Join(warm, "github.com", "coreos", "go-systemd", "v22@v22.7.0", "daemon")); err != nil {
		t.Skipf("the module cache does not hold go-systemd v22.7.0 (run go mod download in the gocompat module): %v", err)
	}
	dir := unpack(t, txtar.Parse([]byte(coldWarmCase)), "")
	runWith := func(env ...string) string {
		for _, kv := range env {
			k, v, _ := strings.Cut(kv, "=")
			t.Setenv(k, v)
		}
		return render(judgeTree(t, dir, t.TempDir(), "").Findings, dir)
	}
	cold := runWith("GOMODCACHE="+t.TempDir(), "GOFLAGS=-mod=mod", "GOPROXY=off")
	warmed := runWith("GOMODCACHE=" + warm)
	if cold != warmed {
		t.Errorf("cold and warm module caches give different findings:\ncold:\n%s\nwarm:\n%s", cold, warmed)
	}
	for _, check := range []string{"systemd/notify-without-sd-notify", "systemd/watchdog-without-sd-notify"} {
		if strings.Contains(warmed, check) {
			t.Errorf("%s for a program that uses go-systemd's daemon package:\n%s", check, warmed)
		}
	}
}
