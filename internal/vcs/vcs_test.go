package vcs

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gocompat/gocompat/internal/testbin"
)

func TestRepo(t *testing.T) {
	ctx := context.Background()
	dir := testbin.GitRepo(t, map[string]string{"a/file.txt": "one\n"})
	first := strings.TrimSpace(testbin.Git(t, dir, "rev-parse", "HEAD"))
	testbin.WriteFiles(t, dir, map[string]string{"a/file.txt": "two\n"})
	testbin.Git(t, dir, "commit", "-qam", "second")

	r, err := Open(ctx, filepath.Join(dir, "a"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Prefix != "a/" {
		t.Errorf("prefix %q, want a/", r.Prefix)
	}
	head, _ := r.Head(ctx)
	if rel, err := r.Compare(ctx, first, head); err != nil || !rel.Ancestor || rel.Behind != 1 || rel.Ahead != 0 {
		t.Errorf("first against HEAD: %+v %v", rel, err)
	}
	if !r.HasCommit(ctx, first) || r.HasCommit(ctx, strings.Repeat("0", 40)) || r.HasCommit(ctx, "--all") {
		t.Error("HasCommit")
	}

	// Checkout writes nothing into the repository.
	before := testbin.Git(t, dir, "count-objects", "-v") + testbin.Git(t, dir, "for-each-ref") + testbin.Git(t, dir, "status", "--porcelain")
	out := filepath.Join(t.TempDir(), "co")
	if err := r.Checkout(ctx, out, first); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(out, "a", "file.txt")); err != nil || string(b) != "one\n" {
		t.Errorf("checked out %q %v, want the first commit's file", b, err)
	}
	if st, err := os.Stat(filepath.Join(out, ".git")); err != nil || !st.IsDir() {
		t.Errorf(".git of the checkout is not a directory (the go command stamps VCS information only under one): %v", err)
	}
	after := testbin.Git(t, dir, "count-objects", "-v") + testbin.Git(t, dir, "for-each-ref") + testbin.Git(t, dir, "status", "--porcelain")
	if before != after {
		t.Errorf("the repository changed:\n%s\n%s", before, after)
	}

	if _, err := Open(ctx, t.TempDir()); err == nil {
		t.Error("a directory outside git opened as a repository")
	}
	if !Present(filepath.Join(dir, "a")) || Present(t.TempDir()) {
		t.Error("Present")
	}
	for _, s := range []string{"abcd", strings.Repeat("f", 64)} {
		if !IsHash(s) {
			t.Errorf("IsHash(%q) = false", s)
		}
	}
	for _, s := range []string{"", "abc", "-abc", "ABCD", "HEAD", strings.Repeat("f", 65)} {
		if IsHash(s) {
			t.Errorf("IsHash(%q) = true", s)
		}
	}
}
