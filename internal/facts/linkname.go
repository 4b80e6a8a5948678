package facts

import "go/version"

// Since Go 1.23 the linker refuses a //go:linkname reference ("pull") to
// a symbol of the standard library unless the symbol's definition is
// itself marked //go:linkname ("push"), or the symbol is on the linker's
// own block list. The refusal happens at link time, as
//
//	link: <package>: invalid reference to <symbol>
//
// so code that built with Go 1.22 stops building (and its tests stop
// linking) with Go 1.23 and later. -ldflags=-checklinkname=0 turns the
// check off. The symbols the runtime pushes change from release to
// release: the linker of the release is the judge, gocompat only reads
// its message.
var (
	// SrcLinkname123 is the release note.
	SrcLinkname123 = Source{Title: "Go 1.23 release notes, Linker: //go:linkname references to standard library internals not marked //go:linkname on their definition are disallowed (-checklinkname=0 turns the check off)", URL: "https://go.dev/doc/go1.23#linker"}
	// SrcLinknameLoader is the check in the linker.
	SrcLinknameLoader = Source{Title: "src/cmd/link/internal/loader/loader.go: checkLinkname and blockedLinknames (\"invalid reference to\")", URL: "https://go.dev/src/cmd/link/internal/loader/loader.go"}
)

// LinknameCheckedSince is the first release whose linker refuses
// //go:linkname pulls of standard library symbols that are not pushed.
const LinknameCheckedSince = "go1.23"

// LinknameChecked says whether release v's linker refuses such pulls.
func LinknameChecked(v string) bool {
	n := NormalizeGo(v)
	return n != "" && version.Compare(n, LinknameCheckedSince) >= 0
}

// LinknameRefusal is the format of the linker's message, as
// checkLinkname prints it through log.Fatalf (with the "link: " prefix
// the linker gives its log): package, then symbol.
const LinknameRefusal = "%s: invalid reference to %s"
