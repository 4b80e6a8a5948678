package deploy_test

import (
	"context"
	"os"
	"testing"

	"github.com/gocompat/gocompat/internal/audit"
	"github.com/gocompat/gocompat/internal/check/deploy"
	"github.com/gocompat/gocompat/internal/discover"
	"github.com/gocompat/gocompat/internal/finding"
)

// judged is what the deployment families said about a tree.
type judged struct {
	Findings []finding.Finding
	Units    []deploy.UnitContext
}

// judgeTree runs the deployment checks on dir from extracted values, with
// no orchestrator: internal/discover finds and reads the files (one walk,
// the module of each file loaded once), this package's Dockerfile, Unit
// and Workflow judge them, and audit.Judge* add the syntax errors. The
// ExecStart binaries are read under hostRoot; analyze is the path of
// systemd-analyze, or "" to not run it (its messages depend on the
// installed systemd).
func judgeTree(t *testing.T, dir, hostRoot, analyze string) judged {
	t.Helper()
	ctx := context.Background()
	tree := discover.Walk(dir)
	mods := discover.NewModules(dir, os.Environ(), now)
	var out judged
	for _, rel := range tree.Files(discover.Dockerfile) {
		f, perr, err := discover.ReadDockerfile(dir, rel)
		if err != nil {
			t.Fatal(err)
		}
		if perr != nil {
			out.Findings = append(out.Findings, audit.JudgeDockerfile(nil, rel, nil, perr, deploy.DockerContext{})...)
			continue
		}
		in := mods.Input(ctx, rel)
		dc, _ := discover.DockerContext(dir, rel, in.ModFile, f) // the testdata holds no unreadable .dockerignore
		out.Findings = append(out.Findings, deploy.Dockerfile(in, f, rel, dc)...)
	}
	for _, rel := range tree.Files(discover.Unit) {
		u, err := discover.LoadUnit(dir, rel)
		if err != nil {
			out.Findings = append(out.Findings, audit.JudgeUnit(nil, nil, deploy.UnitContext{File: rel}, err)...)
			continue
		}
		uc := discover.UnitContext(ctx, dir, rel, hostRoot, analyze, 0, u)
		out.Units = append(out.Units, uc)
		out.Findings = append(out.Findings, deploy.Unit(mods.Input(ctx, rel), u, uc)...)
	}
	for _, w := range tree.Workflows() {
		f, perr, err := discover.ReadWorkflow(dir, w)
		if err != nil {
			t.Fatal(err)
		}
		if perr != nil {
			out.Findings = append(out.Findings, audit.JudgeWorkflow(nil, w.Rel, nil, perr)...)
			continue
		}
		out.Findings = append(out.Findings, deploy.Workflow(mods.Input(ctx, "go.mod"), f, w.Rel)...)
	}
	finding.Sort(out.Findings)
	return out
}
