package loopvar

import (
	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/finding"
)

// The checks of the loopvar family. Their IDs are stable.
var (
	ChangesBehaviour = finding.Check{
		ID:       "loopvar/changes-behaviour",
		Title:    "A loop behaves differently once its file is at Go 1.22 or later (per-iteration loop variables)",
		Severity: finding.Error,
		Sources:  []finding.Source{facts.SrcLoopvarSpec, facts.SrcLoopvarRelNotes},
	}
	MayChangeBehaviour = finding.Check{
		ID:       "loopvar/may-change-behaviour",
		Title:    "A loop variable is handed to code that may keep it, so the loop may behave differently at Go 1.22",
		Severity: finding.Warning,
		Sources:  []finding.Source{facts.SrcLoopvarSpec, facts.SrcLoopvarRelNotes},
	}
	NoChange = finding.Check{
		ID:       "loopvar/no-change",
		Title:    "A loop variable becomes per-iteration at Go 1.22 without a change in behaviour",
		Severity: finding.Info,
		Sources:  []finding.Source{facts.SrcLoopvarSpec, facts.SrcLoopvarWiki},
	}
	RedundantCopy = finding.Check{
		ID:       "loopvar/redundant-copy",
		Title:    "A v := v copy of a loop variable is redundant at Go 1.22 or later",
		Severity: finding.Warning,
		Sources:  []finding.Source{facts.SrcLoopvarRelNotes},
	}
	PinnedOldSemantics = finding.Check{
		ID:       "loopvar/pinned-old-semantics",
		Title:    "A //go:build go1.21 (or lower) line keeps a file on shared loop variables",
		Severity: finding.Info,
		Sources:  []finding.Source{facts.SrcGoBuildVersion, facts.SrcLoopvarRelNotes},
	}
)

// Checks lists the loopvar checks for the registry.
var Checks = []finding.Check{ChangesBehaviour, MayChangeBehaviour, NoChange, RedundantCopy, PinnedOldSemantics}

// lookupCheck returns the loopvar check with the given ID.
func lookupCheck(id string) (finding.Check, bool) {
	for _, c := range Checks {
		if c.ID == id {
			return c, true
		}
	}
	return finding.Check{}, false
}

func checkByID(id string) finding.Check {
	c, ok := lookupCheck(id)
	if !ok {
		panic("loopvar: unknown check " + id)
	}
	return c
}

// IsUpgradeChange reports whether findings of check id name a loop
// variable that becomes per-iteration when the module's go line is raised
// to go1.22 or later (whether or not that changes behaviour): the set the
// compiler previews with -lang=go1.22 -d=loopvar=3.
func IsUpgradeChange(id string) bool {
	switch id {
	case ChangesBehaviour.ID, MayChangeBehaviour.ID, NoChange.ID:
		return true
	}
	return false
}
