package cli

import (
	"context"
	"fmt"

	"github.com/gocompat/gocompat/internal/report"
)

func init() {
	registerCommand(func() *command {
		return &command{
			name:    "version",
			summary: "print gocompat's version",
			run: func(ctx context.Context, e *env, args []string) (*report.Report, error) {
				fmt.Fprintf(e.inv.Stdout, "gocompat %s\n", Version())
				return nil, nil
			},
		}
	})
}
