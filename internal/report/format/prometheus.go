package format

import (
	"io"

	"github.com/gocompat/gocompat/internal/exporter"
	"github.com/gocompat/gocompat/internal/report"
)

func init() {
	Register(Renderer{
		Name:    "prometheus",
		Summary: "Prometheus text exposition format, for node_exporter's textfile collector (series: see gocompat exporter)",
		Write: func(w io.Writer, r *report.Report, _ Options) error {
			return exporter.WriteText(w, exporter.NewSnapshot(r, 0))
		},
	})
}
