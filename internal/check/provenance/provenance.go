// Package provenance judges whether a deployed Go binary is what its
// source repository says: the revision it records (vcs.revision) against
// the repository it sits in or the one named with --src, and the module
// versions it records against go.mod.
//
// Extract reads the plain facts (git's answers, go.mod's requirements);
// Check turns them into findings and reads nothing. A binary whose main
// module is not the module of the source directory is not judged against
// its go.mod (it is another program that happens to lie there), and one
// whose revision the repository does not have is reported as such, not
// measured against HEAD.
package provenance

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/semver"

	"github.com/gocompat/gocompat/internal/binary"
	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/fsread"
	"github.com/gocompat/gocompat/internal/vcs"
)

type src = finding.Source

var srcBuildInfo = src{Title: "runtime/debug.BuildInfo: vcs, vcs.revision, vcs.time and vcs.modified build settings", URL: "https://pkg.go.dev/runtime/debug#BuildSetting"}

// The deployed ≠ source checks.
var (
	BehindHead = finding.Check{ID: "provenance/behind-head", Title: "The binary was built from an older commit than the repository's HEAD",
		Severity: finding.Warning, Sources: []src{srcBuildInfo}}
	NotAncestor = finding.Check{ID: "provenance/not-ancestor", Title: "The binary was built from a commit that HEAD does not contain (a branch never merged)",
		Severity: finding.Error, Sources: []src{srcBuildInfo}}
	BuiltModified = finding.Check{ID: "provenance/built-modified", Title: "The binary was built from uncommitted changes: what runs is in no commit",
		Severity: finding.Error, Sources: []src{srcBuildInfo}}
	NoVCSInfo = finding.Check{ID: "provenance/no-vcs-info", Title: "The binary records no VCS revision, so nothing ties it to a commit",
		Severity: finding.Warning, Sources: []src{srcBuildInfo, facts.SrcBuildVCS}}
	RevisionUnknown = finding.Check{ID: "provenance/revision-unknown", Title: "The repository does not have the commit the binary was built from",
		Severity: finding.Warning, Sources: []src{srcBuildInfo}}
	OtherVCS = finding.Check{ID: "provenance/other-vcs", Title: "The binary was built from another version control system than the repository's git",
		Severity: finding.Info, Sources: []src{srcBuildInfo}}
	DependencyNotDeployed = finding.Check{ID: "provenance/dependency-not-deployed", Title: "go.mod requires another version of a module than the binary has: a dependency change is not deployed",
		Severity: finding.Warning, Sources: []src{srcBuildInfo, {Title: "go.mod reference: require", URL: "https://go.dev/ref/mod#go-mod-file-require"}}}
)

// Checks are the family's checks, for the registry.
var Checks = []finding.Check{BehindHead, NotAncestor, BuiltModified, NoVCSInfo, RevisionUnknown, OtherVCS, DependencyNotDeployed}

// Source is what the source side says.
type Source struct {
	// Repo is the git work tree, nil when the directory is in none.
	Repo *vcs.Repo
	// Head is HEAD's commit.
	Head string
	// HasRevision is true when the repository has the binary's revision;
	// Relation is then where it stands against HEAD.
	HasRevision bool
	Relation    vcs.Relation
	// GoMod is the path of the go.mod of the source directory's module
	// (relative to Repo.Top when there is a repository), Module its module
	// path, Requires its requirements (path → version), all empty when there
	// is none.
	GoMod    string
	Module   string
	Requires map[string]string
}

// maxGoMod bounds the go.mod read.
const maxGoMod = 16 << 20

// Extract asks git and go.mod about the source directory dir for binary
// info. A directory in no git repository yields a Source without Repo; a
// damaged go.mod is an error that names it.
func Extract(ctx context.Context, info *binary.Info, dir string) (*Source, error) {
	s := &Source{}
	if !vcs.Present(dir) {
		// No repository: only go.mod is compared, below.
	} else if repo, err := vcs.Open(ctx, dir); err == nil {
		s.Repo = repo
		s.Head, _ = repo.Head(ctx)
		if rev, ok := info.Setting("vcs.revision"); ok && s.Head != "" {
			if sys, _ := info.Setting("vcs"); sys == "git" && repo.HasCommit(ctx, rev) {
				s.HasRevision = true
				if s.Relation, err = repo.Compare(ctx, rev, s.Head); err != nil {
					return nil, err
				}
			}
		}
	}
	// The module's go.mod: dir's, or the nearest above it inside the
	// repository.
	for d := dir; ; d = filepath.Dir(d) {
		p := filepath.Join(d, "go.mod")
		data, err := fsread.ReadFile(p, maxGoMod)
		if err == nil {
			f, err := modfile.ParseLax(p, data, nil)
			if err != nil {
				return nil, err
			}
			s.GoMod = p
			if s.Repo != nil {
				if rel, err := filepath.Rel(s.Repo.Top, p); err == nil {
					s.GoMod = filepath.ToSlash(rel)
				}
			}
			if f.Module != nil {
				s.Module = f.Module.Mod.Path
			}
			s.Requires = map[string]string{}
			for _, r := range f.Require {
				s.Requires[r.Mod.Path] = r.Mod.Version
			}
			break
		}
		if !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
		if s.Repo == nil || d == s.Repo.Top || d == filepath.Dir(d) {
			break
		}
	}
	return s, nil
}

// Check judges binary info (located at obj) against the source. It reads
// nothing.
func Check(info *binary.Info, s *Source, obj string) []finding.Finding {
	var out []finding.Finding
	add := func(c finding.Check, msg, fix string, details map[string]string) {
		out = append(out, finding.Finding{Check: c.ID, Severity: c.Severity, Location: finding.Location{Object: obj},
			Message: msg, Fix: fix, Sources: c.Sources, Details: details})
	}
	// A binary of another module is not this repository's program.
	if s.Module != "" && info.Main.Path != "" && info.Main.Path != s.Module {
		return nil
	}
	if s.Repo == nil && s.Module == "" {
		return nil
	}
	sys, _ := info.Setting("vcs")
	rev, _ := info.Setting("vcs.revision")
	modified, _ := info.Setting("vcs.modified")
	switch {
	case s.Repo == nil:
		// No repository to compare with; only go.mod below.
	case sys == "" || rev == "":
		add(NoVCSInfo, "The binary records no VCS revision (built with -buildvcs=false, from a copy of the source without .git, or by go run), so nothing says which commit is deployed.",
			"Build in the repository with VCS stamping on (drop -buildvcs=false; in Docker, copy .git into the build stage or pass the revision with -ldflags -X).", nil)
	case sys != "git":
		add(OtherVCS, fmt.Sprintf("The binary was built from a %s checkout (revision %s); the repository here is git, so the two cannot be compared.", sys, rev),
			"Compare against the repository the binary was built from.", map[string]string{"vcs": sys, "revision": rev})
	case s.Head == "":
		// A repository without commits: nothing to compare.
	case !s.HasRevision:
		add(RevisionUnknown, fmt.Sprintf("The binary was built from commit %s, which the repository at %s does not have: it was built from another clone, a rewritten history, or commits never pushed.", short(rev), s.Repo.Top),
			"git fetch, then check again; if the commit is still unknown, find the build's source before trusting the binary.", map[string]string{"revision": rev, "head": s.Head})
	case !s.Relation.Ancestor:
		add(NotAncestor, fmt.Sprintf("The binary was built from commit %s, which HEAD (%s) does not contain: %d commit(s) of it are not on HEAD, and HEAD has %d it lacks. It was built from a branch that was never merged, or from history that was rewritten.",
			short(rev), short(s.Head), s.Relation.Ahead, s.Relation.Behind),
			"Deploy a build of a commit on the release branch; merge the branch first if its changes belong there.",
			map[string]string{"revision": rev, "head": s.Head, "ahead": fmt.Sprint(s.Relation.Ahead), "behind": fmt.Sprint(s.Relation.Behind)})
	case s.Relation.Behind > 0:
		add(BehindHead, fmt.Sprintf("The binary was built from commit %s, %d commit(s) behind HEAD (%s): what is deployed lacks the newer commits.", short(rev), s.Relation.Behind, short(s.Head)),
			"Rebuild and deploy from HEAD, or check out the deployed commit to look at what runs.",
			map[string]string{"revision": rev, "head": s.Head, "behind": fmt.Sprint(s.Relation.Behind)})
	}
	if modified == "true" {
		add(BuiltModified, fmt.Sprintf("The binary was built from a working tree with uncommitted changes (vcs.modified=true on top of %s): what runs is in no commit.", short(rev)),
			"Build releases from a clean checkout (CI), and do not deploy binaries with vcs.modified=true.", map[string]string{"revision": rev})
	}
	if s.Module != "" && info.Main.Path == s.Module {
		var paths []string
		for _, d := range info.Deps {
			paths = append(paths, d.Path)
		}
		sort.Strings(paths)
		have := map[string]string{}
		for _, d := range info.Deps {
			have[d.Path] = d.Version
		}
		for _, p := range paths {
			want, ok := s.Requires[p]
			got := have[p]
			if !ok || want == got {
				continue
			}
			how := "another version"
			if semver.IsValid(want) && semver.IsValid(got) {
				if semver.Compare(want, got) > 0 {
					how = "a newer version"
				} else {
					how = "an older version"
				}
			}
			add(DependencyNotDeployed, fmt.Sprintf("%s requires %s %s, but the binary has %s: go.mod asks for %s, so the change is not deployed (or the binary was built from other sources).", s.GoMod, p, want, got, how),
				"Rebuild from the current go.mod and deploy, or look at why the build used "+got+".",
				map[string]string{"module": p, "gomod": want, "binary": got})
		}
	}
	return out
}

func short(rev string) string {
	if len(rev) > 12 {
		return rev[:12]
	}
	return strings.TrimSpace(rev)
}
