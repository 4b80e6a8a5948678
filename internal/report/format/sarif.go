package format

import (
	"io"

	"github.com/gocompat/gocompat/internal/report"
	"github.com/gocompat/gocompat/internal/report/sarif"
)

func init() {
	Register(Renderer{Name: "sarif", Summary: "SARIF 2.1.0 for GitHub code scanning (every result located)",
		Write: func(w io.Writer, r *report.Report, _ Options) error { return sarif.Write(w, r) }})
}
