package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/gocompat/gocompat/docs"
	"github.com/gocompat/gocompat/internal/report"
)

func init() {
	registerCommand(func() *command {
		return &command{
			name:    "explain",
			args:    "[check-id]",
			summary: "print what a check means and how to fix its findings; with no ID, list all checks",
			run: func(ctx context.Context, e *env, args []string) (*report.Report, error) {
				w := e.inv.Stdout
				if len(args) == 0 {
					for _, c := range e.registry.All() {
						fmt.Fprintf(w, "%-40s %-7s %s\n", c.ID, c.Severity, c.Title)
					}
					return nil, nil
				}
				for _, id := range args {
					c, ok := e.registry.Lookup(id)
					if !ok {
						return nil, usageErrorf("unknown check %q (gocompat explain lists them)", id)
					}
					page, ok := docs.Check(id)
					if !ok {
						page = "# " + c.ID + "\n\n" + c.Title + "\n"
					}
					fmt.Fprint(w, page)
					if !strings.HasSuffix(page, "\n") {
						fmt.Fprintln(w)
					}
				}
				return nil, nil
			},
		}
	})
}
