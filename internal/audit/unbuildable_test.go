package audit

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/gocompat/gocompat/internal/testbin"
)

// TestNothingToAnalyseDoesNotAbort: a repository whose root module
// imports generated code that is not checked in, with a tools-only module
// and a server module beside it (etcd's layout, issue 11: etcd's server/
// got no loop analysis). The loopvar and upgrade steps report the first
// two as info (audit/nothing-to-analyse, saying what is missing) or, for
// the tools-only module analysed in process, as nothing at all (go vet
// says "no packages to vet", which loopvar.Unbuildable's test covers), not
// as step failures; and the upgrade step still analyses server/.
func TestNothingToAnalyseDoesNotAbort(t *testing.T) {
	dir := t.TempDir()
	testbin.WriteFiles(t, dir, map[string]string{
		"go.mod":         "module example.com/root\n\ngo 1.21\n",
		"main.go":        "package main\n\nimport \"example.com/root/gen/pb\"\n\nfunc main() { pb.F() }\n",
		"tools/go.mod":   "module example.com/tools\n\ngo 1.21\n",
		"tools/tools.go": "//go:build tools\n\npackage tools\n\nimport _ \"golang.org/x/tools/cmd/stringer\"\n",
		"server/go.mod":  "module example.com/server\n\ngo 1.21\n",
		"server/loop.go": "package server\n\nfunc L(xs []int) {\n\tfor _, x := range xs {\n\t\tgo func() { _ = x }()\n\t}\n}\n",
	})
	t.Setenv("GOPROXY", "off")
	t.Setenv("GOFLAGS", "")
	rep, err := Run(context.Background(), &Target{Dir: dir, Environ: os.Environ()}, []Step{upgradeStep(), loopvarStep()})
	if err != nil {
		t.Fatal(err)
	}
	nothing := map[string]string{}
	serverLoops := false
	for _, f := range rep.Findings {
		switch f.Check {
		case StepFailed.ID:
			t.Errorf("step failed: %s", f.Message)
		case NothingToAnalyse.ID:
			nothing[f.Details["family"]+" "+f.Location.File] = f.Message
		case "upgrade/loopvar-semantics-change":
			serverLoops = serverLoops || strings.Contains(f.Location.File, "server/")
		}
	}
	for k, want := range map[string]string{
		"loopvar go.mod": "example.com/root/gen/pb",
		"upgrade go.mod": "example.com/root/gen/pb",
	} {
		if !strings.Contains(nothing[k], want) {
			t.Errorf("%s: got %q, want a message naming %q (all: %v)", k, nothing[k], want, nothing)
		}
	}
	if !serverLoops {
		t.Errorf("the upgrade step did not analyse server/'s loop: %+v", rep.Findings)
	}
}

// TestNotBuiltKeepsTheRest: a module with a package that does not
// compile with this Go (as caddy v2.6.4's quic-go dependency refuses Go
// 1.21 and later) gets the loop findings of its other packages and one
// audit/not-built warning naming the failure, in the loopvar step; the
// upgrade step previews the loops that were analysed and says which part
// it left out. Before, both steps failed and no loop was judged.
func TestNotBuiltKeepsTheRest(t *testing.T) {
	dir := t.TempDir()
	testbin.WriteFiles(t, dir, map[string]string{
		"go.mod":                 "module example.com/part\n\ngo 1.21\n",
		"refuse/refuse_go121.go": "//go:build go1.21\n\npackage refuse\n\nvar _ int = \"This version can't be built on Go 1.21 yet.\"\n",
		"uses/uses.go":           "package uses\n\nimport \"example.com/part/refuse\"\n\nvar _ = refuse.X\n",
		"refuse/refuse.go":       "package refuse\n\nconst X = 1\n",
		"good/good.go":           "package good\n\nfunc L(xs []int) {\n\tfor _, x := range xs {\n\t\tgo func() { _ = x }()\n\t}\n}\n",
	})
	t.Setenv("GOPROXY", "off")
	t.Setenv("GOFLAGS", "")
	rep, err := Run(context.Background(), &Target{Dir: dir, Environ: os.Environ()}, []Step{upgradeStep(), loopvarStep()})
	if err != nil {
		t.Fatal(err)
	}
	var notBuilt []string
	loop, preview := false, false
	for _, f := range rep.Findings {
		switch f.Check {
		case StepFailed.ID:
			t.Errorf("step failed: %s", f.Message)
		case NothingToAnalyse.ID:
			t.Errorf("nothing-to-analyse for a module that was analysed in part: %s", f.Message)
		case NotBuilt.ID:
			notBuilt = append(notBuilt, f.Details["family"])
			if !strings.Contains(f.Message, "refuse_go121.go") || f.Severity != NotBuilt.Severity {
				t.Errorf("not-built finding: %s %s", f.Severity, f.Message)
			}
		case "loopvar/changes-behaviour":
			loop = loop || strings.HasSuffix(f.Location.File, "good.go")
		case "upgrade/loopvar-semantics-change":
			preview = preview || strings.Contains(f.Message, "good.go") || strings.HasSuffix(f.Location.File, "good.go")
		}
	}
	if len(notBuilt) != 1 || notBuilt[0] != "loopvar" {
		t.Errorf("audit/not-built from %q, want once from loopvar", notBuilt)
	}
	if !loop {
		t.Errorf("good.go's loop is not reported by the loopvar step: %+v", rep.Findings)
	}
	if !preview {
		t.Errorf("good.go's loop is not in the upgrade step's preview: %+v", rep.Findings)
	}
}
