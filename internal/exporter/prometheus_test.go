package exporter_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gocompat/gocompat/internal/cli"
	"github.com/gocompat/gocompat/internal/testbin"
)

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// TestPrometheusScrapesExporter runs `gocompat exporter` (in process, on
// a loopback port), a Go program with GOEXPERIMENT in its environment,
// and a real Prometheus server (Debian's package) that scrapes the
// exporter; a PromQL query through Prometheus's HTTP API must return the
// planted finding.
func TestPrometheusScrapesExporter(t *testing.T) {
	promBin, err := exec.LookPath("prometheus")
	if err != nil {
		t.Skip("prometheus not installed (Debian package prometheus, .ci/setup.d/40-prometheus.sh)")
	}
	bin := testbin.Build(t, testbin.Program{Name: "planted", Main: testbin.Waiter})
	testbin.Start(t, nil, bin, "GOEXPERIMENT=arenas")

	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- cli.Main(ctx, cli.Invocation{
			Args:   []string{"exporter", "--listen", "127.0.0.1:0", "--interval", "1s"},
			Env:    os.Environ(),
			Stdout: io.Discard, Stderr: pw,
		})
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("exporter exited %d", code)
			}
		case <-time.After(10 * time.Second):
			t.Error("exporter did not stop")
		}
	})
	sc := bufio.NewScanner(pr)
	if !sc.Scan() {
		t.Fatal("exporter printed nothing")
	}
	m := regexp.MustCompile(`http://(127\.0\.0\.1:\d+)/metrics`).FindStringSubmatch(sc.Text())
	if m == nil {
		t.Fatalf("exporter said %q", sc.Text())
	}
	go io.Copy(io.Discard, pr)
	target := m[1]

	dir := t.TempDir()
	cfg := fmt.Sprintf("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: gocompat\n    static_configs:\n      - targets: [%q]\n", target)
	if err := os.WriteFile(filepath.Join(dir, "prometheus.yml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	web := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	cmd := exec.Command(promBin, "--config.file="+filepath.Join(dir, "prometheus.yml"),
		"--storage.tsdb.path="+filepath.Join(dir, "data"), "--web.listen-address="+web, "--log.level=warn")
	logf, _ := os.Create(filepath.Join(dir, "prometheus.log"))
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		ch := make(chan struct{})
		go func() { cmd.Wait(); close(ch) }()
		select {
		case <-ch:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-ch
		}
	})

	q := fmt.Sprintf(`gocompat_finding{job="gocompat",check="proc/goexperiment-in-environment",subject=%q}`, bin)
	deadline := time.Now().Add(90 * time.Second)
	var last string
	for time.Now().Before(deadline) {
		time.Sleep(time.Second)
		resp, err := http.Get("http://" + web + "/api/v1/query?query=" + url.QueryEscape(q))
		if err != nil {
			last = err.Error()
			continue
		}
		var body struct {
			Status string `json:"status"`
			Data   struct {
				Result []struct {
					Metric map[string]string `json:"metric"`
					Value  []any             `json:"value"`
				} `json:"result"`
			} `json:"data"`
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		last = string(b)
		if json.Unmarshal(b, &body) != nil || body.Status != "success" || len(body.Data.Result) == 0 {
			continue
		}
		r := body.Data.Result[0]
		if len(body.Data.Result) != 1 || r.Metric["severity"] != "warning" || r.Value[1] != "1" {
			t.Fatalf("query %s: %s", q, b)
		}
		return
	}
	log, _ := os.ReadFile(filepath.Join(dir, "prometheus.log"))
	t.Fatalf("Prometheus never returned the planted finding for %s; last answer: %s\nprometheus log:\n%s", q, last, strings.TrimSpace(string(log)))
}
