package cli

import (
	"bytes"
	"flag"
	"os"
	"strings"
	"testing"
)

var updateManual = flag.Bool("update-manual", false, "rewrite the help text embedded in cmd/gocompat/doc.go and README.md")

// TestManualMatchesHelp: the manual (cmd/gocompat/doc.go) and the README
// embed gocompat help, which is generated from the command and format
// tables; no other list of commands or formats is kept by hand. Run
// go test ./internal/cli -run TestManual -update-manual after adding a
// command or a format, and review the diff.
func TestManualMatchesHelp(t *testing.T) {
	var help bytes.Buffer
	writeUsage(&help)
	for _, c := range commands() {
		if !strings.Contains(help.String(), "  "+c.name+" ") {
			t.Errorf("gocompat help does not list %s", c.name)
		}
	}

	// doc.go: the help text as a code block of the # Usage section.
	var block strings.Builder
	for _, l := range strings.Split(strings.TrimSuffix(help.String(), "\n"), "\n") {
		if l == "" {
			block.WriteString("//\n")
		} else {
			block.WriteString("//\t" + l + "\n")
		}
	}
	checkEmbedded(t, "../../cmd/gocompat/doc.go", "(a test keeps it equal):\n//\n", "//\n// Flags may come", block.String())

	// README: the help text in a fenced block between markers.
	checkEmbedded(t, "../../README.md", "<!-- gocompat help (generated; see internal/cli/manual_test.go) -->\n```text\n", "```\n<!-- end gocompat help -->", help.String())
}

// checkEmbedded compares the text between start and end in file with
// want, or rewrites it with -update-manual.
func checkEmbedded(t *testing.T, file, start, end, want string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	i := strings.Index(s, start)
	j := strings.Index(s, end)
	if i < 0 || j < i+len(start) {
		t.Fatalf("%s: no embedded help between %q and %q", file, start, end)
	}
	got := s[i+len(start) : j]
	if got == want {
		return
	}
	if *updateManual {
		if err := os.WriteFile(file, []byte(s[:i+len(start)]+want+s[j:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s: the embedded gocompat help is stale (go test ./internal/cli -run TestManual -update-manual, then review):\ngot:\n%s\nwant:\n%s", file, got, want)
}
