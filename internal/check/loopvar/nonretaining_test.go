package loopvar

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// escapeCalls says how to call each method of nonRetainingFuncs on a
// loop variable v of its receiver's base type.
var escapeCalls = map[string]struct{ pkg, typ, call string }{
	"(*net.Interface).Addrs":          {"net", "net.Interface", "v.Addrs()"},
	"(*net.Interface).MulticastAddrs": {"net", "net.Interface", "v.MulticastAddrs()"},
	"(*net.IPNet).Contains":           {"net", "net.IPNet", "v.Contains(nil)"},
	"(*net.IPNet).String":             {"net", "net.IPNet", "v.String()"},
	"(*net.IPNet).Network":            {"net", "net.IPNet", "v.Network()"},
	"(*net.TCPAddr).String":           {"net", "net.TCPAddr", "v.String()"},
	"(*net.TCPAddr).Network":          {"net", "net.TCPAddr", "v.Network()"},
	"(*net.TCPAddr).AddrPort":         {"net", "net.TCPAddr", "v.AddrPort()"},
	"(*net.UDPAddr).String":           {"net", "net.UDPAddr", "v.String()"},
	"(*net.UDPAddr).Network":          {"net", "net.UDPAddr", "v.Network()"},
	"(*net.UDPAddr).AddrPort":         {"net", "net.UDPAddr", "v.AddrPort()"},
	"(*net/url.URL).String":           {"net/url", "url.URL", "v.String()"},
	"(*net/url.URL).Redacted":         {"net/url", "url.URL", "v.Redacted()"},
	"(*net/url.URL).EscapedPath":      {"net/url", "url.URL", "v.EscapedPath()"},
	"(*net/url.URL).EscapedFragment":  {"net/url", "url.URL", "v.EscapedFragment()"},
	"(*net/url.URL).IsAbs":            {"net/url", "url.URL", "v.IsAbs()"},
	"(*net/url.URL).Query":            {"net/url", "url.URL", "v.Query()"},
	"(*net/url.URL).RequestURI":       {"net/url", "url.URL", "v.RequestURI()"},
	"(*net/url.URL).Hostname":         {"net/url", "url.URL", "v.Hostname()"},
	"(*net/url.URL).Port":             {"net/url", "url.URL", "v.Port()"},
}

var loopvarLog = regexp.MustCompile(`(?m)^\./ev\.go:(\d+):\d+: loop variable v now per-iteration, (heap|stack)-allocated$`)

// TestNonRetainingByEscapeAnalysis takes the compiler's escape analysis
// as evidence for nonRetainingFuncs: in a go1.22 module, a loop calls
// each method on a loop variable v and passes the results to
// fmt.Sprint. v is stack-allocated only if no pointer to it outlives the
// function, so the method keeps neither its receiver nor a pointer into
// it in what it returns. A control that does keep &v must be
// heap-allocated, so the test can fail.
func TestNonRetainingByEscapeAnalysis(t *testing.T) {
	t.Parallel()
	var names []string
	for n := range nonRetainingFuncs {
		if _, ok := escapeCalls[n]; !ok {
			t.Errorf("%s is in nonRetainingFuncs but has no call in escapeCalls", n)
		}
		names = append(names, n)
	}
	sort.Strings(names)
	imports := map[string]bool{"fmt": true, "net": true}
	var body strings.Builder
	for i, n := range names {
		c := escapeCalls[n]
		imports[c.pkg] = true
		fmt.Fprintf(&body, "func F%d(xs []%s) (s string) {\n\tfor _, v := range xs {\n\t\ts += fmt.Sprint(%s)\n\t}\n\treturn s\n}\n\n", i, c.typ, c.call)
	}
	body.WriteString("var kept *net.Interface\n\nfunc keep(p *net.Interface) { kept = p }\n\nfunc Control(xs []net.Interface) {\n\tfor _, v := range xs {\n\t\tkeep(&v)\n\t}\n}\n")
	var imps []string
	for p := range imports {
		imps = append(imps, strconv.Quote(p))
	}
	sort.Strings(imps)
	src := "package ev\n\nimport (\n\t" + strings.Join(imps, "\n\t") + "\n)\n\n" + body.String()
	// The log names the line of each range statement: the line after
	// its func line.
	lines := map[int]string{}
	for i, l := range strings.Split(src, "\n") {
		var k int
		if _, err := fmt.Sscanf(l, "func F%d(", &k); err == nil {
			lines[i+2] = names[k]
		} else if strings.HasPrefix(l, "func Control(") {
			lines[i+2] = "control"
		}
	}

	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/ev\n\ngo 1.22\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "ev.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "build", "-gcflags=example.com/ev=-d=loopvar=3", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=", "GOTOOLCHAIN=local")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s\n%s", err, out, src)
	}
	got := map[string]string{}
	for _, m := range loopvarLog.FindAllStringSubmatch(string(out), -1) {
		l, _ := strconv.Atoi(m[1])
		if n, ok := lines[l]; ok {
			got[n] = m[2]
		}
	}
	if got["control"] != "heap" {
		t.Fatalf("the control (&v kept in a package variable) is %q, want heap; the log:\n%s", got["control"], out)
	}
	for _, n := range names {
		if got[n] != "stack" {
			t.Errorf("%s: the loop variable is %q-allocated, want stack: the compiler says the method may keep its receiver (%s)", n, got[n], nonRetainingFuncs[n])
		}
	}
}
