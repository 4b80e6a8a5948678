package provenance

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/gocompat/gocompat/internal/binary"
	"github.com/gocompat/gocompat/internal/testbin"
	"github.com/gocompat/gocompat/internal/vcs"
)

const mainGo = "package main\n\nimport \"example.com/dep\"\n\nfunc main() { println(dep.V) }\n"

// newRepo is a repository holding module example.com/app, which requires
// example.com/dep v1.0.0 from a directory beside the repository.
func newRepo(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go not on PATH")
	}
	repo := testbin.GitRepo(t, map[string]string{
		"go.mod":          "module example.com/app\n\ngo 1.24\n\nrequire example.com/dep v1.0.0\n\nreplace example.com/dep => ../dep\n",
		"cmd/app/main.go": mainGo,
	})
	testbin.WriteFiles(t, filepath.Join(filepath.Dir(repo), "dep"), map[string]string{
		"go.mod": "module example.com/dep\n\ngo 1.24\n",
		"dep.go": "package dep\n\nconst V = 1\n",
	})
	return repo
}

func build(t *testing.T, dir string, flags ...string) *binary.Info {
	t.Helper()
	bin := testbin.GoBuild(t, "go", dir, []string{"CGO_ENABLED=0"}, "./cmd/app", append([]string{"-trimpath"}, flags...)...)
	info, err := binary.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	return info
}

func judge(t *testing.T, info *binary.Info, dir string) ([]string, map[string]string) {
	t.Helper()
	s, err := Extract(context.Background(), info, dir)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	details := map[string]string{}
	for _, f := range Check(info, s, "app") {
		ids = append(ids, f.Check)
		for k, v := range f.Details {
			details[k] = v
		}
	}
	slices.Sort(ids)
	return ids, details
}

func commit(t *testing.T, repo, msg string) {
	t.Helper()
	testbin.Git(t, repo, "commit", "-q", "--allow-empty", "-m", msg)
}

func TestDeployedVersusSource(t *testing.T) {
	repo := newRepo(t)
	atHead := build(t, repo)
	if ids, _ := judge(t, atHead, repo); len(ids) != 0 {
		t.Errorf("a build of HEAD: findings %v, want none", ids)
	}

	t.Run("behind", func(t *testing.T) {
		repo := newRepo(t)
		info := build(t, repo)
		commit(t, repo, "second")
		commit(t, repo, "third")
		ids, d := judge(t, info, filepath.Join(repo, "cmd"))
		if !slices.Equal(ids, []string{"provenance/behind-head"}) || d["behind"] != "2" {
			t.Errorf("findings %v %v, want behind-head by 2", ids, d)
		}
	})

	t.Run("diverged", func(t *testing.T) {
		repo := newRepo(t)
		testbin.Git(t, repo, "checkout", "-q", "-b", "feature")
		commit(t, repo, "feature work")
		info := build(t, repo)
		testbin.Git(t, repo, "checkout", "-q", "main")
		commit(t, repo, "main moves on")
		ids, d := judge(t, info, repo)
		if !slices.Equal(ids, []string{"provenance/not-ancestor"}) || d["ahead"] != "1" || d["behind"] != "1" {
			t.Errorf("findings %v %v, want not-ancestor, 1 ahead and 1 behind", ids, d)
		}
	})

	t.Run("dirty", func(t *testing.T) {
		repo := newRepo(t)
		testbin.WriteFiles(t, repo, map[string]string{"cmd/app/extra.go": "package main\n\nvar extra = 1\n"})
		info := build(t, repo)
		if ids, _ := judge(t, info, repo); !slices.Equal(ids, []string{"provenance/built-modified"}) {
			t.Errorf("findings %v, want built-modified", ids)
		}
	})

	t.Run("no vcs", func(t *testing.T) {
		repo := newRepo(t)
		info := build(t, repo, "-buildvcs=false")
		if ids, _ := judge(t, info, repo); !slices.Equal(ids, []string{"provenance/no-vcs-info"}) {
			t.Errorf("findings %v, want no-vcs-info", ids)
		}
	})

	t.Run("unknown revision", func(t *testing.T) {
		repo := newRepo(t)
		clone := filepath.Join(t.TempDir(), "clone")
		testbin.Git(t, repo, "clone", "-q", repo, clone)
		os.Symlink(filepath.Join(filepath.Dir(repo), "dep"), filepath.Join(filepath.Dir(clone), "dep"))
		commit(t, clone, "never pushed")
		info := build(t, clone)
		if ids, _ := judge(t, info, repo); !slices.Equal(ids, []string{"provenance/revision-unknown"}) {
			t.Errorf("findings %v, want revision-unknown", ids)
		}
	})

	t.Run("dependency bump not deployed", func(t *testing.T) {
		repo := newRepo(t)
		info := build(t, repo)
		testbin.WriteFiles(t, repo, map[string]string{
			"go.mod": "module example.com/app\n\ngo 1.24\n\nrequire example.com/dep v1.1.0\n\nreplace example.com/dep => ../dep\n",
		})
		testbin.Git(t, repo, "commit", "-qam", "bump dep")
		ids, d := judge(t, info, repo)
		if !slices.Equal(ids, []string{"provenance/behind-head", "provenance/dependency-not-deployed"}) || d["gomod"] != "v1.1.0" || d["binary"] != "v1.0.0" {
			t.Errorf("findings %v %v, want behind-head and dependency-not-deployed v1.1.0 vs v1.0.0", ids, d)
		}
	})

	t.Run("another module's binary", func(t *testing.T) {
		other := testbin.GitRepo(t, map[string]string{"go.mod": "module example.com/other\n\ngo 1.24\n"})
		if ids, _ := judge(t, atHead, other); len(ids) != 0 {
			t.Errorf("findings %v for a binary of another module, want none", ids)
		}
	})

	t.Run("not a repository", func(t *testing.T) {
		if ids, _ := judge(t, atHead, t.TempDir()); len(ids) != 0 {
			t.Errorf("findings %v outside any repository and module, want none", ids)
		}
	})
}

// Check is judged from plain values for what no real build here makes: a
// Mercurial build.
func TestOtherVCS(t *testing.T) {
	repo := testbin.GitRepo(t, map[string]string{"go.mod": "module example.com/app\n\ngo 1.24\n"})
	info := &binary.Info{Path: "example.com/app", Main: binary.Module{Path: "example.com/app"},
		Settings: []binary.Setting{{Key: "vcs", Value: "hg"}, {Key: "vcs.revision", Value: "abcdef"}}}
	if ids, _ := judge(t, info, repo); !slices.Equal(ids, []string{"provenance/other-vcs"}) {
		t.Errorf("findings %v, want other-vcs", ids)
	}
}

func TestDamagedGoMod(t *testing.T) {
	dir := t.TempDir()
	testbin.WriteFiles(t, dir, map[string]string{"go.mod": "module example.com/app\nrequire (\n"})
	if _, err := Extract(context.Background(), &binary.Info{}, dir); err == nil {
		t.Error("a damaged go.mod was accepted")
	}
}

// FuzzCheck judges whatever the binary reader makes of arbitrary bytes
// against a source with a repository and a go.mod: never a panic.
func FuzzCheck(f *testing.F) {
	if self, err := os.ReadFile("/proc/self/exe"); err == nil {
		f.Add(self[:min(len(self), 1<<16)])
	}
	f.Add([]byte("\x7fELF"))
	s := &Source{Repo: &vcs.Repo{Top: "/src"}, Head: "0123456789abcdef", Module: "example.com/app", Requires: map[string]string{"example.com/dep": "v1.0.0"}}
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := binary.Read("fuzz", bytes.NewReader(data))
		if err != nil {
			return
		}
		Check(info, s, "fuzz")
	})
}
