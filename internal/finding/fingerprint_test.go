package finding

import "testing"

func TestFingerprintSurvivesLineMoves(t *testing.T) {
	base := Finding{
		Check:    "loopvar/goroutine-capture",
		Location: Location{File: "a/b.go", Line: 10, Column: 2},
		Message:  "v is captured by the goroutine started at a/b.go:12:3 and read after line 14.",
	}
	moved := base
	moved.Location.Line, moved.Location.Column = 11, 4
	moved.Message = "v is captured by the goroutine started at a/b.go:13:3 and read after line 15."
	if Fingerprint(base) != Fingerprint(moved) {
		t.Errorf("fingerprint changed when only line numbers moved")
	}
	for name, other := range map[string]Finding{
		"check":   {Check: "loopvar/other", Location: base.Location, Message: base.Message},
		"file":    {Check: base.Check, Location: Location{File: "a/c.go", Line: 10}, Message: base.Message},
		"object":  {Check: base.Check, Location: Location{File: "a/b.go", Object: "x"}, Message: base.Message},
		"message": {Check: base.Check, Location: base.Location, Message: "w is captured by the goroutine started at a/b.go:12:3."},
		"version": {Check: base.Check, Location: base.Location, Message: "go 1.22 is needed, found 1.21"},
	} {
		if Fingerprint(other) == Fingerprint(base) {
			t.Errorf("a finding with another %s has the same fingerprint", name)
		}
	}
	v1 := Finding{Check: "x/y", Message: "needs go 1.22.1"}
	v2 := Finding{Check: "x/y", Message: "needs go 1.23.1"}
	if Fingerprint(v1) == Fingerprint(v2) {
		t.Errorf("versions in a message are not line references, but were dropped")
	}
}
