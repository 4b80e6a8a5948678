package format

import (
	"io"

	"github.com/gocompat/gocompat/internal/report"
	"github.com/gocompat/gocompat/internal/report/gitlab"
)

func init() {
	Register(Renderer{Name: "gitlab", Summary: "GitLab Code Quality report (artifacts:reports:codequality)",
		Write: func(w io.Writer, r *report.Report, _ Options) error { return gitlab.Write(w, r) }})
}
