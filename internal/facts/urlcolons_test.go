package facts

import (
	"net/url"
	"testing"
)

// parseBoth parses raw with urlstrictcolons off and on, with this
// toolchain's net/url, and says whether the two differ.
func parseBoth(t testing.TB, raw string) (differ bool, old, strict string) {
	show := func() string {
		u, err := url.Parse(raw)
		if err != nil {
			return "error: " + err.Error()
		}
		return u.String() + " host=" + u.Host
	}
	t.Setenv("GODEBUG", "urlstrictcolons=0")
	old = show()
	t.Setenv("GODEBUG", "urlstrictcolons=1")
	strict = show()
	return old != strict, old, strict
}

// The setting is real in this toolchain (a URL it changes), and every URL
// that URLColonsUnaffected passes parses the same both ways.
func TestURLColonsUnaffected(t *testing.T) {
	for _, tc := range []struct {
		raw        string
		unaffected bool
	}{
		{"http://127.0.0.1:4000", true},
		{"https://example.com/a:b:c?x=1:2#f:g", true},
		{"http://[::1]:8080/", true},
		{"http://user:pa:ss@host:80/", true},
		{"mailto:a:b:c", true},
		{"/relative/a:b", true},
		{"http://localhost:1:2", false},
		{"http://::1/", false},
		{"HTTPS://a:b:c/", false},
		{"postgres://h1:5432,h2:5433/db", false}, // strict in Go 1.26 releases before golang/go#78077
	} {
		if got := URLColonsUnaffected(tc.raw); got != tc.unaffected {
			t.Errorf("URLColonsUnaffected(%q) = %v, want %v", tc.raw, got, tc.unaffected)
		}
		differ, old, strict := parseBoth(t, tc.raw)
		if tc.unaffected && differ {
			t.Errorf("%q parses differently: %s / %s", tc.raw, old, strict)
		}
	}
	if differ, _, _ := parseBoth(t, "http://localhost:1:2"); !differ {
		t.Fatal("urlstrictcolons changes nothing in this toolchain: the test proves nothing")
	}
}

func FuzzURLColonsUnaffected(f *testing.F) {
	for _, s := range []string{"http://a:1", "http://a:1:2", "https://u@[::1]:2/p", "x://h:1,h:2", "//a:b:c", "///a:b:c", "a:b", "http://a@b:c@d:1:2/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		if !URLColonsUnaffected(raw) {
			return
		}
		if differ, old, strict := parseBoth(t, raw); differ {
			t.Errorf("%q counted unaffected, but parses differently: %s / %s", raw, old, strict)
		}
	})
}
