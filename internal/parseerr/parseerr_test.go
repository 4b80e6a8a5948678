package parseerr

import (
	"errors"
	"fmt"
	"io"
	"testing"
)

func TestError(t *testing.T) {
	e := &Error{File: "Dockerfile", Line: 3, Err: io.ErrUnexpectedEOF}
	if got, want := e.Error(), "parse Dockerfile: unexpected EOF"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(e, io.ErrUnexpectedEOF) {
		t.Error("the cause is not unwrapped")
	}
	if got := Line(fmt.Errorf("audit: %w", e)); got != 3 {
		t.Errorf("Line(wrapped) = %d, want 3", got)
	}
	if got := Line(io.ErrUnexpectedEOF); got != 0 {
		t.Errorf("Line(other error) = %d, want 0", got)
	}
}
