// Package parseerr is the error the extraction packages (dockerfile,
// unit, workflow) return for input they cannot parse: it names the file
// and, when the underlying parser tells, the line, so a caller can anchor
// a finding there without knowing which parser failed.
package parseerr

import (
	"errors"
	"fmt"
)

// Error is a parse error in File; Line is the line the parser blames, or
// 0 when it does not say.
type Error struct {
	File string
	Line int
	Err  error
}

func (e *Error) Error() string { return fmt.Sprintf("parse %s: %v", e.File, e.Err) }
func (e *Error) Unwrap() error { return e.Err }

// Line returns the line err blames when it is (or wraps) an *Error, else 0.
func Line(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.Line
	}
	return 0
}
