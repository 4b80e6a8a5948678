package audit

import (
	"context"

	"github.com/gocompat/gocompat/internal/check/hostcheck"
	"github.com/gocompat/gocompat/internal/host"
	"github.com/gocompat/gocompat/internal/report"
)

func hostStep() Step {
	return Step{
		Family: "host",
		Run: func(ctx context.Context, t *Target) (Result, error) {
			fs := host.NewFS(t.HostRoot)
			in, err := fs.Probe()
			if err != nil {
				return Result{}, err
			}
			return Result{Findings: hostcheck.Judge("host", in), Subjects: []report.Subject{hostcheck.Subject("host", in)}}, nil
		},
	}
}
