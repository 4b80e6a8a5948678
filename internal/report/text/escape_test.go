package text_test

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gocompat/gocompat/internal/report"
	"github.com/gocompat/gocompat/internal/report/text"
)

// TestHostileStringsAreEscaped: terminal escape sequences that a
// Dockerfile or unit supplies (ESC]0;…BEL sets the window title, ESC[2J
// clears the screen) reached the terminal raw. Every field a file
// supplies is escaped; only the renderer's own colour codes remain.
func TestHostileStringsAreEscaped(t *testing.T) {
	r, err := report.ReadFile("testdata/hostile.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, opt := range []text.Options{{}, {Verbose: true}, {Color: true, Verbose: true}} {
		var b bytes.Buffer
		if err := text.Write(&b, r, opt); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if opt.Color {
			// The renderer's own SGR codes are the only escapes allowed.
			for _, c := range []string{"\x1b[31m", "\x1b[33m", "\x1b[36m", "\x1b[1m", "\x1b[2m", "\x1b[0m"} {
				out = strings.ReplaceAll(out, c, "")
			}
		}
		for i, r := range out {
			if r == utf8.RuneError || (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || (r >= 0x80 && r <= 0x9f) || r == 0x202e {
				t.Errorf("options %+v: raw %U at byte %d in:\n%q", opt, r, i, out)
				break
			}
		}
		for _, want := range []string{`Dockerfile\x1b]0;owned\x07`, `x\x1b]0;pwned\x07y`, `Second line \x1b[2J\x0d\x00 end.`, `app\u202e.service`} {
			if !strings.Contains(out, want) {
				t.Errorf("options %+v: output lacks %s:\n%s", opt, want, out)
			}
		}
	}
}

func TestEscape(t *testing.T) {
	for in, want := range map[string]string{
		"plain text, tabs\tand ünïcode": "plain text, tabs\tand ünïcode",
		"\x1b[2J":                       `\x1b[2J`,
		"a\xffb":                        `a\xffb`,
		"\u009b31m":                     `\u009b31m`,
		"rtl\u202eexe.go":               `rtl\u202eexe.go`,
		"line\u2028sep":                 `line\u2028sep`,
	} {
		if got := text.Escape(in); got != want {
			t.Errorf("Escape(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzEscape: nothing Escape returns can drive a terminal, and text
// that needs no escaping is returned as it is.
func FuzzEscape(f *testing.F) {
	for _, s := range []string{"plain", "\x1b]0;owned\x07", "\x1b[2J", "a\xffb", "\u009b31m", "rtl\u202e", "tab\there"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := text.Escape(s)
		for _, r := range out {
			if r == utf8.RuneError || (r < 0x20 && r != '\t') || r == 0x7f || (r >= 0x80 && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
				t.Fatalf("Escape(%q) = %q holds %U", s, out, r)
			}
		}
		// Escaped text needs no more escaping.
		if text.Escape(out) != out {
			t.Fatalf("Escape is not stable on %q", out)
		}
	})
}
