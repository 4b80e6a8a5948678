package facts

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gocompat/gocompat/internal/testbin"
)

// TestLinknameCheckAgainstToolchains reads the linker sources of real
// toolchains: Go 1.22's linker has no -checklinkname flag and never
// prints the refusal; the installed release's and the newest release's
// have the flag, on by default, and print LinknameRefusal from
// checkLinkname with the "link: " log prefix — as LinknameChecked says of
// each release.
func TestLinknameCheckAgainstToolchains(t *testing.T) {
	installed, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go is not on PATH")
	}
	for _, tc := range []struct{ name, goBin string }{
		{testbin.Go122, testbin.Toolchain(t, testbin.Go122)},
		{testbin.NewestRelease, testbin.Toolchain(t, testbin.NewestRelease)},
		{"installed", installed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := exec.Command(tc.goBin, "env", "GOROOT", "GOVERSION").Output()
			if err != nil {
				t.Fatal(err)
			}
			f := strings.Fields(string(out))
			root, ver := f[0], f[1]
			read := func(rel string) string {
				b, err := os.ReadFile(filepath.Join(root, rel))
				if err != nil {
					t.Fatal(err)
				}
				return string(b)
			}
			loader := read(filepath.Join("src", "cmd", "link", "internal", "loader", "loader.go"))
			main := read(filepath.Join("src", "cmd", "link", "internal", "ld", "main.go"))
			has := strings.Contains(loader, "func (l *Loader) checkLinkname(") &&
				strings.Contains(loader, `log.Fatalf("`+LinknameRefusal+`", pkg, name)`) &&
				strings.Contains(main, `flag.Bool("checklinkname", true,`) &&
				strings.Contains(main, `log.SetPrefix("link: ")`)
			if want := LinknameChecked(ver); has != want {
				t.Errorf("%s: the linker checks linkname pulls: %v; LinknameChecked(%q) = %v", root, has, ver, want)
			}
		})
	}
	for v, want := range map[string]bool{"go1.22.12": false, "1.22": false, "go1.23.0": true, "1.23": true, "go1.26.8": true, "": false, "banana": false} {
		if got := LinknameChecked(v); got != want {
			t.Errorf("LinknameChecked(%q) = %v", v, got)
		}
	}
}
