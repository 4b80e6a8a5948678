package audit

import (
	"context"

	"github.com/gocompat/gocompat/internal/check/hostcheck"
	"github.com/gocompat/gocompat/internal/report"
)

func hostStep() Step {
	return Step{
		Family: "host",
		Run: func(ctx context.Context, t *Target) (Result, error) {
			p, err := t.Host()
			if err != nil {
				return Result{}, err
			}
			return Result{Findings: hostcheck.Judge("host", p.Host), Subjects: []report.Subject{hostcheck.Subject("host", p.Host)}}, nil
		},
	}
}

// HostStep is the "host" step on its own (the exporter runs it on an interval).
func HostStep() Step { return hostStep() }
