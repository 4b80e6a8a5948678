package loopvar

import (
	"encoding/binary"
	"strings"
	"testing"
)

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
