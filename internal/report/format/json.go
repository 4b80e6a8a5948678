package format

import (
	"io"

	"github.com/gocompat/gocompat/internal/report"
)

func init() {
	Register(Renderer{Name: "json", Summary: "the report as JSON (docs/json-schema.md); gocompat report --from replays it",
		Write: func(w io.Writer, r *report.Report, _ Options) error { return report.Encode(w, r) }})
}
