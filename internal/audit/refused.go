package audit

import (
	"errors"

	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/fsread"
)

// FileRefused is reported for a file gocompat would not read: not a
// regular file, larger than its size limit, or a symbolic link that leads
// out of the audited directory (see internal/fsread).
var FileRefused = finding.Check{
	ID:       "audit/file-refused",
	Title:    "A file was not read: it is not a regular file, is too large, or links out of the audited directory",
	Severity: finding.Warning,
}

// refused turns an fsread refusal of the file rel into a finding.
func refused(rel string, err error) finding.Finding {
	return finding.New(FileRefused, finding.Location{File: rel}, err.Error(),
		"Make it a regular file inside the audited directory, within the size limit; or audit the directory it links to.")
}

// refusedPath is the file an fsread refusal names, or def.
func refusedPath(err error, def string) string {
	var re *fsread.RefusedError
	if errors.As(err, &re) && re.Path != "" {
		return re.Path
	}
	return def
}

// refusedAll turns fsread refusals of files a subject draws in (a unit's
// drop-ins, a Dockerfile's .dockerignore) into findings, each on the file
// it names (def if none).
func refusedAll(errs []error, def string) []finding.Finding {
	var out []finding.Finding
	for _, err := range errs {
		out = append(out, refused(refusedPath(err, def), err))
	}
	return out
}
