package deploy

import (
	"strconv"
	"strings"

	"github.com/gocompat/gocompat/internal/facts"
)

// setupGoRange resolves a semver range given to actions/setup-go
// (~1.18.4, ^1.20, >=1.20 <1.21, 1.20.x || 1.21.x) as setup-go does: the
// highest Go release that satisfies it (node-semver's maxSatisfying over
// the released versions). Releases are the ones internal/facts knows, each
// as its .0 and its latest patch. It returns the Go version ("go1.18.10")
// and whether any known release satisfies the range.
func setupGoRange(spec string) (string, bool) {
	spec = trimSpec(spec)
	if spec == "" {
		return "", false
	}
	var best semver
	found := false
	for _, r := range facts.GoReleases {
		for _, v := range []string{r.Version + ".0", r.LatestPatch} {
			sv, ok := parseSemver(strings.TrimPrefix(v, "go"))
			if !ok || !satisfiesRange(sv, spec) {
				continue
			}
			if !found || best.less(sv) {
				best, found = sv, true
			}
		}
	}
	if !found {
		return "", false
	}
	return "go" + best.String(), true
}

// trimSpec drops the blanks and quotes around a version spec.
func trimSpec(spec string) string {
	return strings.TrimSpace(strings.Trim(strings.TrimSpace(spec), `"'`))
}

type semver [3]int

func (a semver) less(b semver) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}

func (a semver) String() string {
	return strconv.Itoa(a[0]) + "." + strconv.Itoa(a[1]) + "." + strconv.Itoa(a[2])
}

func parseSemver(s string) (semver, bool) {
	var v semver
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return v, false
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil {
			return v, false
		}
		v[i] = n
	}
	return v, true
}

// partial parses "1", "1.20", "1.20.3", "1.20.x", "1.x", "*": the numbers
// given and how many.
func partial(s string) (v semver, n int, ok bool) {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "v"), "go")
	if s == "*" || s == "x" || s == "X" {
		return v, 0, true
	}
	for i, p := range strings.Split(s, ".") {
		if i > 2 {
			return v, 0, false
		}
		if p == "x" || p == "X" || p == "*" {
			return v, i, true
		}
		num, err := strconv.Atoi(p)
		if err != nil {
			return v, 0, false
		}
		v[i] = num
		n = i + 1
	}
	return v, n, n > 0
}

// bump returns the smallest version above every version matching the
// first n numbers of v (1.20 -> 1.21.0).
func bump(v semver, n int) semver {
	switch n {
	case 1:
		return semver{v[0] + 1, 0, 0}
	case 2:
		return semver{v[0], v[1] + 1, 0}
	}
	return semver{v[0], v[1], v[2] + 1}
}

// satisfiesRange evaluates a node-semver range: alternatives joined by
// ||, each a list of comparators that must all hold.
func satisfiesRange(v semver, spec string) bool {
	for _, alt := range strings.Split(spec, "||") {
		words := strings.Fields(alt)
		if len(words) == 0 {
			continue
		}
		ok := true
		for i := 0; i < len(words) && ok; i++ {
			w := words[i]
			// ">= 1.20" with a blank after the operator.
			if strings.Trim(w, "<>=~^") == "" && i+1 < len(words) {
				w += words[i+1]
				i++
			}
			ok = comparator(v, w)
		}
		if ok {
			return true
		}
	}
	return false
}

func comparator(v semver, c string) bool {
	op := ""
	for _, o := range []string{">=", "<=", ">", "<", "=", "~", "^"} {
		if strings.HasPrefix(c, o) {
			op, c = o, strings.TrimPrefix(c, o)
			break
		}
	}
	p, n, ok := partial(c)
	if !ok {
		return false
	}
	if n == 0 {
		return true // *, x
	}
	lo, hi := p, bump(p, n)
	in := !v.less(lo) && v.less(hi)
	switch op {
	case "", "=":
		return in
	case "~":
		if n == 1 {
			return in
		}
		return !v.less(lo) && v.less(bump(p, 2))
	case "^":
		return !v.less(lo) && v.less(semver{p[0] + 1, 0, 0})
	case ">=":
		return !v.less(lo)
	case ">":
		return !v.less(hi)
	case "<":
		return v.less(lo)
	case "<=":
		return v.less(hi)
	}
	return false
}
