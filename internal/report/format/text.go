package format

import (
	"io"

	"github.com/gocompat/gocompat/internal/report"
	"github.com/gocompat/gocompat/internal/report/text"
)

func init() {
	Register(Renderer{Name: "text", Summary: "findings for people, one per line with the fix (default)",
		Write: func(w io.Writer, r *report.Report, opt Options) error {
			return text.Write(w, r, text.Options{Color: opt.Color, Verbose: opt.Verbose})
		}})
}
