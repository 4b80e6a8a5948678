package audit

import (
	"context"

	"github.com/gocompat/gocompat/internal/check/hostcheck"
	"github.com/gocompat/gocompat/internal/report"
)

func init() { Register(hostStep()) }

// hostStep describes and judges the machine under HostRoot ("host", or
// "root:DIR" for another root filesystem).
func hostStep() Step {
	return Step{
		Family: "host",
		Order:  60,
		Needs:  []string{NeedHost},
		Checks: hostcheck.Checks,
		Run: func(ctx context.Context, t *Target) (Result, error) {
			p, err := t.Host()
			if err != nil {
				return Result{}, err
			}
			name := "host"
			if t.HostRoot != "" && t.HostRoot != "/" {
				name = "root:" + t.HostRoot
			}
			return Result{Findings: hostcheck.Judge(name, p.Host), Subjects: []report.Subject{hostcheck.Subject(name, p.Host)}}, nil
		},
	}
}
