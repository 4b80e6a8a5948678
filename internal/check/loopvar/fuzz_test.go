package loopvar

import (
	"encoding/binary"
	"strings"
	"testing"
)

// FuzzDiffLines: the change list always rebuilds the new text from the
// old one, and UnifiedDiff never panics.
func FuzzDiffLines(f *testing.F) {
	f.Add("a\nb\nc\n", "a\nc\n")
	f.Add("", "x\n")
	f.Add("x", "x\n")
	f.Add("for {\n\tv := v\n}\n", "for {\n}\n")
	f.Fuzz(func(t *testing.T, old, new string) {
		a, b := strings.SplitAfter(old, "\n"), strings.SplitAfter(new, "\n")
		cs := diffLines(a, b)
		if got := strings.Join(applyChanges(a, b, cs), ""); got != new {
			t.Fatalf("rebuilt %q, want %q", got, new)
		}
		d := UnifiedDiff("f.go", []byte(old), []byte(new))
		if (old == new) != (d == "") {
			t.Fatalf("equal=%v but diff %q", old == new, d)
		}
	})
}

// FuzzGoBuildIDNote: any note section gives a build ID or "", never a
// panic, and what it gives is one printable field.
func FuzzGoBuildIDNote(f *testing.F) {
	note := func(namesz, descsz, typ uint32, name, desc string) []byte {
		b := binary.LittleEndian.AppendUint32(nil, namesz)
		b = binary.LittleEndian.AppendUint32(b, descsz)
		b = binary.LittleEndian.AppendUint32(b, typ)
		return append(append(b, name...), desc...)
	}
	f.Add(note(4, 7, 4, "Go\x00\x00", "abc/def"))
	f.Add(note(4, 70, 4, "Go\x00\x00", "short"))
	f.Add(note(4, 3, 3, "Go\x00\x00", "abc"))
	f.Add(note(4, 3, 4, "GNU\x00", "abc"))
	f.Add(note(4, 3, 4, "Go\x00\x00", "a b"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		id := goBuildIDNote(data, binary.LittleEndian)
		if strings.ContainsAny(id, " \t\n") {
			t.Fatalf("build ID %q has white space", id)
		}
	})
}
