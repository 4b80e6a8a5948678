package facts

import "strings"

// URLColonsUnaffected reports whether GODEBUG urlstrictcolons provably
// leaves net/url.Parse(raw) alone: raw has no authority ("//host"), or
// its host is a bracketed IPv6 literal or holds at most one colon (the
// port's). Only a host with two colons or more outside brackets is read
// differently: since Go 1.26 (urlstrictcolons=1) Parse takes the port
// after the first colon instead of the last, which fails for
// "http://localhost:1:2" or "http://::1/". (In later releases, 1.26.8
// among them, only http and https URLs are; see golang/go#78077. Other
// schemes are not counted as unaffected here, for the 1.26 releases
// before that.)
//
// It follows Parse's own reading of a URL (net/url, parse and
// parseAuthority): the fragment cut at '#', the scheme up to the first
// ':' when only scheme characters come before it, the query cut at '?',
// the authority after "//" up to the next '/', the host after its last
// '@'. Where raw does not read as that shape, it answers false: the call
// stays one to review.
//
// Source: Go 1.26 release notes, net/url; src/net/url/url.go of the
// release (parseHost), and the test beside it that parses URLs both ways.
func URLColonsUnaffected(raw string) bool {
	raw, _, _ = strings.Cut(raw, "#")
	rest := raw
	scheme := ""
scan:
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
			continue
		case '0' <= c && c <= '9' || c == '+' || c == '-' || c == '.':
			if i > 0 {
				continue
			}
		case c == ':':
			if i == 0 {
				return true // "missing protocol scheme": an error either way
			}
			scheme, rest = raw[:i], raw[i+1:]
		}
		break scan
	}
	rest, _, _ = strings.Cut(rest, "?")
	if !strings.HasPrefix(rest, "//") || scheme == "" && strings.HasPrefix(rest, "///") {
		return true // no authority: no host
	}
	authority, _, _ := strings.Cut(rest[2:], "/")
	host := authority
	if i := strings.LastIndex(authority, "@"); i >= 0 {
		host = authority[i+1:]
	}
	return strings.HasPrefix(host, "[") || strings.Count(host, ":") <= 1
}
