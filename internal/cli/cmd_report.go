package cli

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/gocompat/gocompat/internal/discover"
	"github.com/gocompat/gocompat/internal/report"
)

// maxSavedReport bounds a saved JSON report read by gocompat report.
const maxSavedReport = 256 << 20

func init() {
	registerCommand(func() *command {
		var from string
		return &command{
			name:    "report",
			args:    "--from FILE",
			summary: "render a saved JSON report (--format json output; - for stdin) in any --format, without running a check",
			reports: true,
			flags: func(fs *flag.FlagSet) {
				fs.StringVar(&from, "from", "", "the saved JSON report to render (- reads stdin)")
			},
			run: func(ctx context.Context, e *env, args []string) (*report.Report, error) {
				if len(args) > 0 {
					return nil, usageErrorf("report takes no arguments (name the saved report with --from FILE)")
				}
				if from == "" {
					return nil, usageErrorf("report needs --from FILE, a report saved with --format json")
				}
				var data []byte
				var err error
				name := from
				if from == "-" {
					name = "stdin"
					if e.inv.Stdin == nil {
						return nil, usageErrorf("report --from -: no standard input")
					}
					data, err = io.ReadAll(io.LimitReader(e.inv.Stdin, maxSavedReport+1))
					if err == nil && len(data) > maxSavedReport {
						err = fmt.Errorf("larger than %d bytes", maxSavedReport)
					}
				} else {
					data, err = discover.ReadFile(e.abs(from), maxSavedReport)
				}
				if err != nil {
					return nil, fmt.Errorf("report --from %s: %w", name, err)
				}
				rep, err := report.Decode(bytes.NewReader(data))
				if err != nil {
					return nil, fmt.Errorf("report --from %s: %w (want the output of a gocompat command run with --format json)", name, err)
				}
				return rep, nil
			},
		}
	})
}
