package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// completionScript writes gocompat completion SHELL to a file.
func completionScript(t *testing.T, shell string) string {
	t.Helper()
	code, out, stderr := runCLI(t, "completion", shell)
	if code != 0 {
		t.Fatalf("completion %s: exit %d: %s", shell, code, stderr)
	}
	p := filepath.Join(t.TempDir(), "gocompat."+shell)
	if err := os.WriteFile(p, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func shellOut(t *testing.T, shell string, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath(shell); err != nil {
		t.Skipf("%s is not installed (.ci/setup.d/50-shells.sh installs it)", shell)
	}
	out, err := exec.Command(shell, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %q: %v\n%s", shell, args, err, out)
	}
	return string(out)
}

func TestCompletionBash(t *testing.T) {
	script := completionScript(t, "bash")
	complete := func(words ...string) []string {
		t.Helper()
		quoted := make([]string, len(words))
		for i, w := range words {
			quoted[i] = "'" + w + "'"
		}
		out := shellOut(t, "bash", "-c", `source "$1" && COMP_WORDS=(`+strings.Join(quoted, " ")+`) && COMP_CWORD=$((${#COMP_WORDS[@]}-1)) && _gocompat && printf '%s\n' "${COMPREPLY[@]}"`, "_", script)
		return strings.Fields(out)
	}
	if got := shellOut(t, "bash", "-c", `source "$1" && complete -p gocompat`, "_", script); !strings.Contains(got, "-F _gocompat gocompat") {
		t.Errorf("complete -p gocompat = %q", got)
	}
	for _, tc := range []struct {
		words []string
		want  string
	}{
		{[]string{"gocompat", "aud"}, "audit"},
		{[]string{"gocompat", "-C", "x", "expl"}, "explain"},
		{[]string{"gocompat", "explain", "loopvar/red"}, "loopvar/redundant-copy"},
		{[]string{"gocompat", "audit", "--target", "alpine-3.2"}, "alpine-3.22"},
		{[]string{"gocompat", "binary", "--format", "git"}, "gitlab"},
		{[]string{"gocompat", "audit", "--base"}, "--baseline"},
		{[]string{"gocompat", "completion", "z"}, "zsh"},
	} {
		if got := complete(tc.words...); !slices.Contains(got, tc.want) {
			t.Errorf("completing %q gives %q, want %q among them", tc.words, got, tc.want)
		}
	}
}

func TestCompletionZsh(t *testing.T) {
	script := completionScript(t, "zsh")
	got := shellOut(t, "zsh", "-fc", `autoload -U compinit && compinit -u -D && source "$1" && print -r -- ${_comps[gocompat]}`, "_", script)
	if strings.TrimSpace(got) != "_gocompat" {
		t.Errorf("zsh: gocompat's completion function is %q, want _gocompat", got)
	}
}

func TestCompletionFish(t *testing.T) {
	script := completionScript(t, "fish")
	got := shellOut(t, "fish", "--no-config", "-c", `source $argv[1]; complete -C "gocompat explain toolchain/go-not"`, script)
	if !strings.Contains(got, "toolchain/go-not-on-path") {
		t.Errorf("fish completes explain toolchain/go-not with %q", got)
	}
}

func TestCompletionUnknownShell(t *testing.T) {
	if code, _, stderr := runCLI(t, "completion", "tcsh"); code != ExitError || !strings.Contains(stderr, "bash, zsh or fish") {
		t.Errorf("completion tcsh: exit %d, stderr %q", code, stderr)
	}
}
