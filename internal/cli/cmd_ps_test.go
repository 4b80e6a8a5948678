package cli

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xeipuuv/gojsonschema"

	"github.com/gocompat/gocompat/internal/report"
	"github.com/gocompat/gocompat/internal/testbin"
)

// TestPs runs gocompat ps on real Go programs started here: one with
// GOGC=off and nothing else (an error finding, exit 1), one clean.
func TestPs(t *testing.T) {
	bin := testbin.Build(t, testbin.Program{Name: "waiter", Main: testbin.Waiter, GoLine: "1.26"})
	bad := testbin.Start(t, nil, bin, "GOGC=off")
	clean := testbin.Start(t, nil, bin, "GOGC=50")

	code, out, errOut := runCLI(t, "ps", strconv.Itoa(bad.PID()), strconv.Itoa(clean.PID()), "--format", "json")
	if code != 1 || errOut != "" {
		t.Fatalf("exit %d (want 1: an error finding), stderr %q\n%s", code, errOut, out)
	}
	schema, err := os.ReadFile("../../docs/report.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	res, err := gojsonschema.Validate(gojsonschema.NewBytesLoader(schema), gojsonschema.NewStringLoader(out))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range res.Errors() {
		t.Errorf("schema: %s", e)
	}
	var rep report.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 1 || rep.Findings[0].Check != "proc/gogc-off-without-gomemlimit" || rep.Findings[0].Details["pid"] != strconv.Itoa(bad.PID()) {
		t.Errorf("findings %+v, want one gogc-off-without-gomemlimit for pid %d", rep.Findings, bad.PID())
	}
	if len(rep.Subjects) != 3 || rep.Subjects[0].Attributes["goPrograms"] != "2" || rep.Subjects[1].Kind != "process" || rep.Subjects[1].Attributes["env:GOGC"] == "" {
		t.Errorf("subjects %+v", rep.Subjects)
	}

	// The same as metrics, accepted by promtool when it is installed.
	code, out, _ = runCLI(t, "ps", strconv.Itoa(bad.PID()), "--format", "prometheus", "--fail-on", "never")
	want := `gocompat_finding{check="proc/gogc-off-without-gomemlimit",family="proc",severity="error",subject="` + bin + `"} 1`
	if code != 0 || !strings.Contains(out, want+"\n") {
		t.Errorf("exit %d, want 0 and %s in\n%s", code, want, out)
	}
	if promtool, err := exec.LookPath("promtool"); err == nil {
		cmd := exec.Command(promtool, "check", "metrics")
		cmd.Stdin = strings.NewReader(out)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("promtool check metrics: %v\n%s", err, b)
		}
	}

	// Named PIDs that are not Go programs, or gone, are said so.
	code, out, _ = runCLI(t, "ps", "1999999999", "--fail-on", "never")
	if code != 0 || !strings.Contains(out, "pid 1999999999") || !strings.Contains(out, "no such process") {
		t.Errorf("exit %d\n%s", code, out)
	}
	code, _, errOut = runCLI(t, "ps", "abc")
	if code != 2 || !strings.Contains(errOut, `ps takes process IDs, got "abc"`) {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

// TestExporterTextfile writes the metrics file the systemd timer writes.
func TestExporterTextfile(t *testing.T) {
	bin := testbin.Build(t, testbin.Program{Name: "waiter", Main: testbin.Waiter, GoLine: "1.26"})
	testbin.Start(t, nil, bin, "GOEXPERIMENT=arenas")
	path := filepath.Join(t.TempDir(), "gocompat.prom")
	code, _, errOut := runCLI(t, "exporter", "--textfile", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`gocompat_finding{check="proc/goexperiment-in-environment",family="proc",severity="warning",subject="` + bin + `"} 1`,
		"gocompat_run_timestamp_seconds ",
		"gocompat_run_errors 0",
	} {
		if !strings.Contains(string(b), want) {
			t.Errorf("missing %s in\n%s", want, b)
		}
	}
	if ents, _ := os.ReadDir(filepath.Dir(path)); len(ents) != 1 {
		t.Errorf("temporary files left: %v", ents)
	}
}

func TestAuditProcesses(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := runCLI(t, "audit", dir, "--processes", "--format", "json", "--fail-on", "never")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep report.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range rep.Checks {
		found = found || c == "proc"
	}
	if !found {
		t.Errorf("checks %v: no proc", rep.Checks)
	}
}
