// Package vcs asks git about the repository a binary's source lives in:
// where its top is, what HEAD is, whether it has a commit, how far a
// commit is behind HEAD and whether it is an ancestor of HEAD at all. It
// can also check a commit out into a directory of its own. It does not
// judge.
//
// Every git command runs with GIT_OPTIONAL_LOCKS=0, so reading never
// refreshes the user's index (plain `git status` may rewrite it). Nothing
// here writes into the user's repository: not its working tree, index,
// HEAD, refs or .git directory.
package vcs

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/gocompat/gocompat/internal/childproc"
)

// ErrNotRepo is returned when a directory is not inside a git work tree
// (or git is not installed).
var ErrNotRepo = errors.New("not in a git repository")

// Repo is a git work tree.
type Repo struct {
	// Top is the work tree's top directory.
	Top string
	// Prefix is the directory the repository was opened at, relative to
	// Top, slash-separated with a trailing slash ("" at the top).
	Prefix string
	// objects is the object store (of the main repository when Top is a
	// linked worktree).
	objects string
}

// Open finds the git work tree dir is in.
func Open(ctx context.Context, dir string) (*Repo, error) {
	out, err := git(ctx, dir, "rev-parse", "--show-toplevel", "--git-common-dir", "--show-prefix")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, ErrNotRepo)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) < 2 {
		return nil, fmt.Errorf("%s: %w", dir, ErrNotRepo)
	}
	r := &Repo{Top: lines[0], objects: lines[1]}
	if !filepath.IsAbs(r.objects) {
		r.objects = filepath.Join(dir, r.objects)
	}
	r.objects = filepath.Join(r.objects, "objects")
	if len(lines) > 2 {
		r.Prefix = lines[2]
	}
	return r, nil
}

func git(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", append([]string{"-C", dir}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_OPTIONAL_LOCKS=0", "GIT_TERMINAL_PROMPT=0")
	out, stderr, err := childproc.Output(ctx, cmd)
	if err != nil {
		return "", fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, bytes.TrimSpace(stderr))
	}
	return string(out), nil
}

// Head is the commit HEAD names ("" in a repository without commits).
func (r *Repo) Head(ctx context.Context) (string, error) {
	out, err := git(ctx, r.Top, "rev-parse", "--verify", "-q", "HEAD^{commit}")
	if err != nil {
		return "", nil
	}
	return strings.TrimSpace(out), nil
}

// HasCommit reports whether the repository has commit rev. A revision that
// is not hexadecimal is refused before git sees it.
func (r *Repo) HasCommit(ctx context.Context, rev string) bool {
	if !IsHash(rev) {
		return false
	}
	_, err := git(ctx, r.Top, "cat-file", "-e", rev+"^{commit}")
	return err == nil
}

// IsHash reports whether s looks like a git object name (4 to 64 lower-case
// hexadecimal digits), so it cannot be taken for an option or a ref.
func IsHash(s string) bool {
	if len(s) < 4 || len(s) > 64 {
		return false
	}
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// Relation is where a commit stands against HEAD.
type Relation struct {
	// Ancestor is true when the commit is HEAD or an ancestor of it.
	Ancestor bool
	// Behind is the number of commits on HEAD that the commit lacks;
	// Ahead the number of its own commits HEAD lacks (non-zero only when
	// it is not an ancestor: built from a branch never merged).
	Behind, Ahead int
}

// Compare says where commit rev stands against HEAD.
func (r *Repo) Compare(ctx context.Context, rev, head string) (Relation, error) {
	if !IsHash(rev) || !IsHash(head) {
		return Relation{}, fmt.Errorf("not commit hashes: %q, %q", rev, head)
	}
	out, err := git(ctx, r.Top, "rev-list", "--left-right", "--count", rev+"..."+head)
	if err != nil {
		return Relation{}, err
	}
	f := strings.Fields(out)
	if len(f) != 2 {
		return Relation{}, fmt.Errorf("git rev-list --count: unexpected %q", out)
	}
	ahead, err1 := strconv.Atoi(f[0])
	behind, err2 := strconv.Atoi(f[1])
	if err1 != nil || err2 != nil {
		return Relation{}, fmt.Errorf("git rev-list --count: unexpected %q", out)
	}
	return Relation{Ancestor: ahead == 0, Behind: behind, Ahead: ahead}, nil
}

// Checkout checks commit rev out, detached, into dir (which must not
// exist): a new repository whose object store borrows the repository's
// (objects/info/alternates, what git clone --shared sets up, without
// clone's pack negotiation), then git checkout. Nothing is written into
// the user's repository. Removing dir removes it.
//
// Not a linked worktree (git worktree add): a worktree's .git is a file,
// and the go command (cmd/go/internal/vcs, through Go 1.26 at least; see
// go.dev/issue/58218) takes only a .git directory for a repository's root,
// so a build in a worktree records no vcs.* settings (measured with
// go1.26.8), and with a repository above it would record that one's. The
// rebuilds of older releases need a .git directory in any case.
func (r *Repo) Checkout(ctx context.Context, dir, rev string) error {
	if !IsHash(rev) {
		return fmt.Errorf("not a commit hash: %q", rev)
	}
	// No template: nothing but the repository itself is needed (no hooks).
	if _, err := git(ctx, filepath.Dir(dir), "init", "--quiet", "--template=", dir); err != nil {
		return err
	}
	info := filepath.Join(dir, ".git", "objects", "info")
	if err := os.MkdirAll(info, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(info, "alternates"), []byte(r.objects+"\n"), 0o644); err != nil {
		return err
	}
	_, err := git(ctx, dir, "-c", "advice.detachedHead=false", "checkout", "--quiet", "--detach", rev)
	return err
}

// Present reports whether dir or a directory above it has a .git entry,
// without running git: callers that look at many directories (every
// binary of an audit) skip git where there is no repository.
func Present(dir string) bool {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return false
	}
	for d := abs; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return true
		}
		if filepath.Dir(d) == d {
			return false
		}
	}
}
