package exporter

import (
	"bytes"
	"context"
	"os/exec"
	"strings"
	"testing"

	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/report"
)

func sampleReport() *report.Report {
	f := func(check string, sev finding.Severity, obj, subject string) finding.Finding {
		fd := finding.Finding{Check: check, Severity: sev, Location: finding.Location{Object: obj}, Message: "m"}
		if subject != "" {
			fd.Details = map[string]string{"subject": subject, "pid": "1"}
		}
		return fd
	}
	sup := f("proc/gomemlimit-unset", finding.Warning, "pid 9 (/srv/x)", "/srv/x")
	sup.Suppressed = "ignored in config"
	return &report.Report{
		Findings: []finding.Finding{
			f("proc/gomaxprocs-above-quota", finding.Warning, "pid 10 (/usr/bin/app)", "/usr/bin/app"),
			// A second process of the same program: the same series.
			f("proc/gomaxprocs-above-quota", finding.Warning, "pid 11 (/usr/bin/app)", "/usr/bin/app"),
			f("proc/gogc-off-without-gomemlimit", finding.Error, "pid 12 (/usr/bin/b\"q)", "/usr/bin/b\"q"),
			f("host/thp-always", finding.Info, "/sys/kernel/mm/transparent_hugepage/enabled", ""),
			{Check: "audit/step-failed", Severity: finding.Error, Message: "The binary checks could not run"},
			sup,
		},
		Subjects: []report.Subject{
			{Kind: "host", Name: "host"},
			{Kind: "process", Name: "app[10]", Path: "/usr/bin/app", Attributes: map[string]string{"go": "go1.24.1", "module": "example.com/app", "moduleVersion": "v1.2.3", "pid": "10"}},
			{Kind: "process", Name: "app[11]", Path: "/usr/bin/app", Attributes: map[string]string{"go": "go1.24.1", "module": "example.com/app", "moduleVersion": "v1.2.3", "pid": "11"}},
		},
	}
}

func TestWriteText(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteText(&buf, NewSnapshot(sampleReport(), 0)); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		`gocompat_finding{check="proc/gomaxprocs-above-quota",family="proc",severity="warning",subject="/usr/bin/app"} 1`,
		`gocompat_finding{check="proc/gogc-off-without-gomemlimit",family="proc",severity="error",subject="/usr/bin/b\"q"} 1`,
		`gocompat_finding{check="host/thp-always",family="host",severity="info",subject="/sys/kernel/mm/transparent_hugepage/enabled"} 1`,
		`gocompat_findings{severity="warning"} 2`,
		`gocompat_findings{severity="error"} 2`,
		`gocompat_go_process_info{exe="/usr/bin/app",go_version="go1.24.1",module="example.com/app",module_version="v1.2.3"} 2`,
		`gocompat_go_processes 2`,
		`gocompat_run_errors 1`,
	} {
		if !strings.Contains(out, want+"\n") {
			t.Errorf("missing %s in\n%s", want, out)
		}
	}
	if strings.Contains(out, "gomemlimit-unset") {
		t.Errorf("a suppressed finding was exported:\n%s", out)
	}
	if strings.Contains(out, "gocompat_run_timestamp_seconds") {
		t.Errorf("a report without a run time has no timestamp:\n%s", out)
	}
	// Same report, same bytes.
	var again bytes.Buffer
	WriteText(&again, NewSnapshot(sampleReport(), 0))
	if again.String() != out {
		t.Error("two renderings of one report differ")
	}
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		t.Skip("promtool not installed (Debian package prometheus, .ci/setup.d/40-prometheus.sh)")
	}
	cmd := exec.CommandContext(context.Background(), promtool, "check", "metrics")
	cmd.Stdin = strings.NewReader(out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("promtool check metrics: %v\n%s", err, b)
	}
	// promtool must catch a broken file, or the check above proves nothing.
	cmd = exec.Command(promtool, "check", "metrics")
	cmd.Stdin = strings.NewReader(out + "gocompat_finding{check=\"x\" 1\n")
	if err := cmd.Run(); err == nil {
		t.Error("promtool accepted a malformed line")
	}
}

func TestSeriesCap(t *testing.T) {
	rep := &report.Report{}
	for _, s := range []string{"/a", "/b", "/c", "/d", "/e"} {
		rep.Findings = append(rep.Findings, finding.Finding{Check: "proc/binary-deleted", Severity: finding.Warning, Details: map[string]string{"subject": s}})
	}
	rep.Findings = append(rep.Findings, finding.Finding{Check: "proc/gogc-off-without-gomemlimit", Severity: finding.Error, Details: map[string]string{"subject": "/z"}})
	s := NewSnapshot(rep, 2)
	if len(s.findings) != 2 || s.dropped != 4 || s.bySev["warning"] != 5 {
		t.Fatalf("series %d dropped %d warnings %d", len(s.findings), s.dropped, s.bySev["warning"])
	}
	if !s.findings[findingKey{"proc/gogc-off-without-gomemlimit", "proc", "error", "/z"}] {
		t.Error("the cap dropped the error before the warnings")
	}
	long := strings.Repeat("x", 1000)
	if got := Subject(finding.Finding{Location: finding.Location{File: long}}); len(got) != maxLabel {
		t.Errorf("label of %d bytes", len(got))
	}
}
