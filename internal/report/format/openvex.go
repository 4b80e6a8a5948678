package format

import (
	"io"
	"time"

	"github.com/gocompat/gocompat/internal/report"
	"github.com/gocompat/gocompat/internal/report/openvex"
)

func init() {
	Register(Renderer{Name: "openvex", Summary: "the vulnerability findings (deps) as an OpenVEX document, as govulncheck -format openvex writes it",
		Write: func(w io.Writer, r *report.Report, _ Options) error { return openvex.Write(w, r, time.Now()) }})
}
