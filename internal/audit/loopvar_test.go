package audit

import (
	"context"
	"path/filepath"
	"testing"
)

func TestLoopvarStep(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("..", "check", "loopvar", "testdata", "old"))
	if err != nil {
		t.Fatal(err)
	}
	s := loopvarStep()
	if !s.Applies(&Target{Dir: dir}) {
		t.Fatal("the step does not apply to a directory with a go.mod")
	}
	if s.Applies(&Target{Dir: t.TempDir()}) {
		t.Error("the step applies to a directory without a go.mod")
	}
	rep, _ := Run(context.Background(), &Target{Dir: dir}, []Step{s})
	if len(rep.Checks) != 1 || rep.Checks[0] != "loopvar" {
		t.Errorf("checks = %v", rep.Checks)
	}
	n := 0
	for _, f := range rep.Findings {
		if f.Check == "audit/step-failed" {
			t.Fatalf("step failed: %s", f.Message)
		}
		if f.Check == "loopvar/changes-behaviour" {
			n++
		}
	}
	if n == 0 {
		t.Error("no loopvar/changes-behaviour finding in the go 1.21 testdata module")
	}
}
