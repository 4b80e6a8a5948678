package deploy_test

import (
	"os/exec"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gocompat/gocompat/internal/check/deploy"
	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/unit"
	"golang.org/x/tools/txtar"
)

// TestVerifyNoise: systemd-analyze verify's messages about the machine
// running the audit are not findings about the unit (issue 11): a program
// that is not installed here is left out; a key of a newer systemd is
// info; an unknown key stays a warning. The messages are the two wordings
// systemd has printed (given here as extracted values: the installed
// systemd prints only its own).
func TestVerifyNoise(t *testing.T) {
	fsys := fstest.MapFS{"app.service": {Data: []byte("[Service]\nExecStart=/usr/local/bin/app\nPrivatePIDs=yes\nNoSuchKey=1\nMemoryKSM=yes\n")}}
	u, err := unit.Load(fsys, "app.service", unit.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	uc := deploy.UnitContext{File: "app.service", NotGo: true, Verify: []unit.VerifyMessage{
		{File: "app.service", Text: "Command /usr/local/bin/app is not executable: No such file or directory"},
		{File: "app.service", Line: 3, Text: "Unknown key 'PrivatePIDs' in section [Service], ignoring."},
		{File: "app.service", Line: 4, Text: "Unknown key name 'NoSuchKey' in section 'Service', ignoring."},
		{File: "app.service", Line: 5, Text: "Unknown key name 'MemoryKSM' in section 'Service', ignoring."},
		{File: "app.service", Text: "Command /usr/local/bin/app is not executable: Permission denied"},
	}}
	got := map[string]finding.Severity{}
	for _, f := range deploy.Unit(&deploy.Input{}, u, uc) {
		got[f.Location.String()] = f.Severity
	}
	want := map[string]finding.Severity{
		"app.service:3":             finding.Info,    // PrivatePIDs: systemd 257
		"app.service:4":             finding.Warning, // no systemd knows it
		"app.service:5":             finding.Info,    // MemoryKSM: systemd 254
		"app.service (app.service)": finding.Info,
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: severity %v, want %v (all: %v)", k, got[k], v, got)
		}
	}
	if len(got) != len(want) {
		t.Errorf("findings %v, want %v (the not-installed program is no finding)", got, want)
	}
}

// TestAnalyzeVerifyRealNoise runs the installed systemd-analyze on a unit
// whose program is not installed here: no finding says so.
func TestAnalyzeVerifyRealNoise(t *testing.T) {
	if _, err := exec.LookPath("systemd-analyze"); err != nil {
		t.Skip("systemd-analyze is not installed")
	}
	dir := unpack(t, txtar.Parse([]byte("-- app.service --\n[Unit]\nDescription=x\n\n[Service]\nExecStart=/usr/local/bin/not-installed-here\nNoSuchKey=1\n")), "")
	analyze, _ := exec.LookPath("systemd-analyze")
	rep := judgeTree(t, dir, "/", analyze)
	sawKey := false
	for _, f := range rep.Findings {
		if strings.Contains(f.Message, "not-installed-here") {
			t.Errorf("finding about a program not installed on this machine: %s", f.Message)
		}
		sawKey = sawKey || strings.Contains(f.Message, "NoSuchKey")
	}
	if !sawKey {
		t.Errorf("the unknown key is not reported: %+v", rep.Findings)
	}
}
