// Package threads reports how many OS threads the runtime has made by
// pulling the runtime's unexported mcount with //go:linkname. Go 1.22
// links it; from Go 1.23 on the linker refuses the reference, because
// runtime.mcount is not marked //go:linkname on its side.
package threads

import _ "unsafe" // for go:linkname

//go:linkname mcount runtime.mcount
func mcount() int32

// Count is the number of OS threads the runtime has made.
func Count() int { return int(mcount()) }
