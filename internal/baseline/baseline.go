// Package baseline lets a team adopt gocompat on a legacy repository
// without drowning in old findings: only what is new counts.
//
// Two filters, both applied after the configuration's ignores and before
// the report is rendered:
//
//   - Against a saved JSON report (--baseline FILE, written by `gocompat
//     baseline write FILE`): a finding whose fingerprint the baseline holds
//     is old. Fingerprints (finding.Fingerprint) leave line numbers out, so
//     a line inserted above a finding does not make it new. A baseline that
//     holds a fingerprint k times covers the first k such findings of the
//     run: a second copy of an old fault is new.
//   - Against a git revision (--new-from-rev REV, as golangci-lint's option
//     of that name): only findings on lines changed since REV count — lines
//     that `git diff REV` adds or changes in the working tree, and every
//     line of files git does not track yet. A finding on a file but on no
//     line counts when its file changed; a finding with no file (a
//     toolchain, a host, a binary) is not on a changed line and is left
//     out.
//
// Findings that a filter leaves out are not dropped: they are marked
// suppressed, with the reason, as an ignore in .gocompat.yaml marks them.
// So they do not count for the exit code and the text report hides them
// (-v shows them), while JSON and SARIF keep them for the audit trail.
package baseline

import (
	"fmt"

	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/report"
)

// Apply marks every finding of rep that base already holds as suppressed
// and returns how many it marked. name is how the baseline is called in
// the reason (its path as the user gave it).
func Apply(rep, base *report.Report, name string) int {
	left := map[string]int{}
	for _, f := range base.Findings {
		left[finding.Fingerprint(f)]++
	}
	n := 0
	for i := range rep.Findings {
		f := &rep.Findings[i]
		if f.Suppressed != "" {
			continue
		}
		fp := finding.Fingerprint(*f)
		if left[fp] == 0 {
			continue
		}
		left[fp]--
		f.Suppressed = fmt.Sprintf("in the baseline %s", name)
		n++
	}
	return n
}
