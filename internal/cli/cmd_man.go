package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/gocompat/gocompat/internal/report"
	"github.com/gocompat/gocompat/internal/report/format"
)

// gocompat man writes the manual page gocompat(1) in roff, generated from
// the command and format tables as gocompat help is:
//
//	gocompat man > /usr/local/share/man/man1/gocompat.1
func init() {
	registerCommand(func() *command {
		return &command{
			name:    "man",
			summary: "print the manual page gocompat(1) in roff (gocompat man | man -l -)",
			run: func(ctx context.Context, e *env, args []string) (*report.Report, error) {
				if len(args) > 0 {
					return nil, usageErrorf("man takes no arguments")
				}
				writeMan(e.inv.Stdout)
				return nil, nil
			},
		}
	})
}

// roff escapes text for a roff line: backslashes, and a leading dot or
// quote that would make the line a request.
func roff(s string) string {
	s = strings.ReplaceAll(s, `\`, `\e`)
	s = strings.ReplaceAll(s, "-", `\-`)
	if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "'") {
		s = `\&` + s
	}
	return s
}

func writeMan(w io.Writer) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	p(".TH GOCOMPAT 1 \"\" \"gocompat %s\" \"User Commands\"\n", roff(Version()))
	p(".SH NAME\ngocompat \\- audit Go projects and their Linux deployments\n")
	p(".SH SYNOPSIS\n.B gocompat\n[\\fB\\-C\\fR \\fIdir\\fR] \\fIcommand\\fR [\\fIflags\\fR] [\\fIarguments\\fR]\n")
	p(".SH DESCRIPTION\n%s\n", roff("gocompat answers whether a Go project builds, behaves and runs the same here, on another host or image, and after a Go upgrade; and if not, where, why and what to do. Every finding has a stable check ID, a fix and the sources behind it; gocompat explain ID prints a check's page."))
	p(".SH COMMANDS\n")
	for _, c := range commands() {
		p(".TP\n\\fB%s\\fR %s\n%s\n", roff(c.name), roff(c.args), roff(c.summary))
		fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
		if c.flags != nil {
			c.flags(fs)
		}
		fs.VisitAll(func(f *flag.Flag) {
			dash := "\\-\\-"
			if len(f.Name) == 1 {
				dash = "\\-"
			}
			name, usage := flag.UnquoteUsage(f)
			arg := ""
			if name != "" {
				arg = " \\fI" + roff(name) + "\\fR"
			}
			p(".RS\n.TP\n\\fB%s%s\\fR%s\n%s\n.RE\n", dash, roff(f.Name), arg, roff(usage))
		})
	}
	p(".SH COMMON FLAGS\nEvery command that writes a report takes these, before or after its arguments.\n")
	p(".TP\n\\fB\\-\\-format\\fR \\fIF\\fR\nOutput format (default text):\n")
	for _, r := range format.All() {
		p(".RS\n.TP\n\\fB%s\\fR\n%s\n.RE\n", roff(r.Name), roff(r.Summary))
	}
	for _, f := range []struct{ flag, arg, text string }{
		{"--fail-on", "error|warning|info|never", "Exit 1 when a finding is at or above this severity (default error, or fail-on in .gocompat.yaml)."},
		{"--color", "auto|always|never", "Colour in text output; auto means a terminal without NO_COLOR."},
		{"-v", "", "Show evidence, info-level sources and suppressed findings."},
		{"-q", "", "No progress on stderr (progress is shown only when stderr is a terminal)."},
		{"--baseline", "FILE", "Count only findings that the saved JSON report FILE does not hold (gocompat baseline write FILE makes one); findings are matched by a fingerprint that survives lines moving."},
		{"--new-from-rev", "REV", "Count only findings on lines changed since the git revision REV, and in files git does not track yet."},
		{"--link-base", "URL", "markdown: link each finding to URL followed by its path and line."},
		{"-C", "dir", "Run as if started in dir."},
	} {
		arg := ""
		if f.arg != "" {
			arg = " \\fI" + roff(f.arg) + "\\fR"
		}
		p(".TP\n\\fB%s\\fR%s\n%s\n", roff(f.flag), arg, roff(f.text))
	}
	p(".SH EXIT STATUS\n.TP\n0\nNothing at or above \\-\\-fail\\-on.\n.TP\n1\nFindings at or above \\-\\-fail\\-on (in every format).\n.TP\n2\nUsage or operational error; one line on stderr.\n")
	p(".SH FILES\n.TP\n%s\n%s\n", roff(".gocompat.yaml"), roff("Configuration, found from the audited directory up to the repository root: version, fail-on, disable, and ignores with a reason and an optional expiry. In Go files, //gocompat:ignore ID reason ignores a finding on its line or the next."))
	p(".SH ENVIRONMENT\n.TP\nNO_COLOR\nNo colour in text output.\n.TP\nGOVULNDB\nThe vulnerability database, where a command reads one.\n")
	p(".SH SEE ALSO\n\\fBgo\\fR(1), \\fBgo vet\\fR, \\fBgovulncheck\\fR(1); gocompat help \\fIcommand\\fR; gocompat explain \\fIcheck\\-id\\fR\n")
}
