package format

import (
	"io"

	"github.com/gocompat/gocompat/internal/report"
	"github.com/gocompat/gocompat/internal/report/markdown"
)

func init() {
	Register(Renderer{Name: "markdown", Summary: "Markdown for job summaries and pull-request comments (--link-base links findings to their lines)",
		Write: func(w io.Writer, r *report.Report, o Options) error {
			return markdown.Write(w, r, markdown.Options{LinkBase: o.LinkBase, Verbose: o.Verbose})
		}})
}
