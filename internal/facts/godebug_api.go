package facts

// GodebugAPI is a function or method whose behaviour a GODEBUG setting
// changes, so that a call of it is a place to review when the setting's
// default flips.
type GodebugAPI struct {
	Setting string
	// Pkg is the import path of the package declaring the API.
	Pkg string
	// Name is the function or method name.
	Name string
	// Method is true for a method: any x.Name(…) in a file that imports
	// Pkg is taken as a use (gocompat does not type-check the call).
	Method bool
	// NeedsString limits a method to calls whose first argument is a
	// string literal (ServeMux.Handle("pattern", …)).
	NeedsString bool
	// What says why the call is affected.
	What string
	// Unaffected, when set, reports whether the setting provably leaves a
	// call alone whose first argument is the string literal it is given
	// (url.Parse("http://127.0.0.1:4000") under urlstrictcolons): such a
	// call is not one to review.
	Unaffected func(arg string) bool
	Source     Source
}

// GodebugAPIs lists, for some of the settings in the GODEBUG table, the
// APIs whose behaviour changes with them, as the GODEBUG history and the
// API documentation it links to describe them. It is a documented subset:
// settings without entries here are reported by their import sites only.
var GodebugAPIs = []GodebugAPI{
	{Setting: "httpmuxgo121", Pkg: "net/http", Name: "Handle", What: "registers a ServeMux pattern, matched with Go 1.22 pattern syntax (methods, {wildcards}, {$}) and per-segment unescaping", Source: Source{Title: "net/http ServeMux: patterns, and httpmuxgo121", URL: "https://pkg.go.dev/net/http#ServeMux"}},
	{Setting: "httpmuxgo121", Pkg: "net/http", Name: "HandleFunc", What: "registers a ServeMux pattern, matched with Go 1.22 pattern syntax (methods, {wildcards}, {$}) and per-segment unescaping", Source: Source{Title: "net/http ServeMux: patterns, and httpmuxgo121", URL: "https://pkg.go.dev/net/http#ServeMux"}},
	{Setting: "httpmuxgo121", Pkg: "net/http", Name: "Handle", Method: true, NeedsString: true, What: "registers a ServeMux pattern, matched with Go 1.22 pattern syntax (methods, {wildcards}, {$}) and per-segment unescaping", Source: Source{Title: "net/http ServeMux: patterns, and httpmuxgo121", URL: "https://pkg.go.dev/net/http#ServeMux"}},
	{Setting: "httpmuxgo121", Pkg: "net/http", Name: "HandleFunc", Method: true, NeedsString: true, What: "registers a ServeMux pattern, matched with Go 1.22 pattern syntax (methods, {wildcards}, {$}) and per-segment unescaping", Source: Source{Title: "net/http ServeMux: patterns, and httpmuxgo121", URL: "https://pkg.go.dev/net/http#ServeMux"}},
	{Setting: "asynctimerchan", Pkg: "time", Name: "NewTimer", What: "creates a timer channel, which is unbuffered (len and cap 0) and drained by Stop and Reset since Go 1.23", Source: Source{Title: "time.NewTimer: asynctimerchan", URL: "https://pkg.go.dev/time#NewTimer"}},
	{Setting: "asynctimerchan", Pkg: "time", Name: "After", What: "creates a timer channel, which is unbuffered (len and cap 0) since Go 1.23, and collectable before it fires", Source: Source{Title: "time.NewTimer: asynctimerchan", URL: "https://pkg.go.dev/time#NewTimer"}},
	{Setting: "asynctimerchan", Pkg: "time", Name: "NewTicker", What: "creates a ticker channel, which is unbuffered (len and cap 0) and drained by Stop and Reset since Go 1.23", Source: Source{Title: "time.NewTicker: asynctimerchan", URL: "https://pkg.go.dev/time#NewTicker"}},
	{Setting: "asynctimerchan", Pkg: "time", Name: "Tick", What: "creates a ticker channel, which is unbuffered (len and cap 0) since Go 1.23", Source: Source{Title: "time.Tick: asynctimerchan", URL: "https://pkg.go.dev/time#Tick"}},
	{Setting: "httpservecontentkeepheaders", Pkg: "net/http", Name: "ServeContent", What: "drops Cache-Control, Content-Encoding, Etag and Last-Modified when serving an error since Go 1.23", Source: Source{Title: "net/http.ServeContent", URL: "https://pkg.go.dev/net/http#ServeContent"}},
	{Setting: "httpservecontentkeepheaders", Pkg: "net/http", Name: "ServeFile", What: "drops Cache-Control, Content-Encoding, Etag and Last-Modified when serving an error since Go 1.23", Source: Source{Title: "net/http.ServeFile", URL: "https://pkg.go.dev/net/http#ServeFile"}},
	{Setting: "httpservecontentkeepheaders", Pkg: "net/http", Name: "ServeFileFS", What: "drops Cache-Control, Content-Encoding, Etag and Last-Modified when serving an error since Go 1.23", Source: Source{Title: "net/http.ServeFileFS", URL: "https://pkg.go.dev/net/http#ServeFileFS"}},
	{Setting: "x509keypairleaf", Pkg: "crypto/tls", Name: "X509KeyPair", What: "fills Certificate.Leaf since Go 1.23", Source: Source{Title: "crypto/tls.X509KeyPair", URL: "https://pkg.go.dev/crypto/tls#X509KeyPair"}},
	{Setting: "x509keypairleaf", Pkg: "crypto/tls", Name: "LoadX509KeyPair", What: "fills Certificate.Leaf since Go 1.23", Source: Source{Title: "crypto/tls.LoadX509KeyPair", URL: "https://pkg.go.dev/crypto/tls#LoadX509KeyPair"}},
	{Setting: "x509negativeserial", Pkg: "crypto/x509", Name: "ParseCertificate", What: "rejects negative serial numbers since Go 1.23", Source: Source{Title: "crypto/x509.ParseCertificate", URL: "https://pkg.go.dev/crypto/x509#ParseCertificate"}},
	{Setting: "x509rsacrt", Pkg: "crypto/x509", Name: "ParsePKCS1PrivateKey", What: "uses and validates the CRT parameters of the key since Go 1.24", Source: Source{Title: "crypto/x509.ParsePKCS1PrivateKey", URL: "https://pkg.go.dev/crypto/x509#ParsePKCS1PrivateKey"}},
	{Setting: "x509usepolicies", Pkg: "crypto/x509", Name: "CreateCertificate", What: "marshals policies from Certificate.Policies instead of PolicyIdentifiers since Go 1.24", Source: Source{Title: "crypto/x509.CreateCertificate", URL: "https://pkg.go.dev/crypto/x509#CreateCertificate"}},
	{Setting: "x509sha256skid", Pkg: "crypto/x509", Name: "CreateCertificate", What: "fills a missing SubjectKeyId with SHA-256 instead of SHA-1 since Go 1.25", Source: Source{Title: "crypto/x509.CreateCertificate", URL: "https://pkg.go.dev/crypto/x509#CreateCertificate"}},
	{Setting: "randseednop", Pkg: "math/rand", Name: "Seed", What: "is a no-op since Go 1.24, so the global generator is no longer reproducible", Source: Source{Title: "math/rand.Seed", URL: "https://pkg.go.dev/math/rand#Seed"}},
	{Setting: "urlstrictcolons", Pkg: "net/url", Name: "Parse", What: "rejects hosts with colons outside a bracketed IPv6 address since Go 1.26", Unaffected: URLColonsUnaffected, Source: Source{Title: "net/url.Parse", URL: "https://pkg.go.dev/net/url#Parse"}},
	{Setting: "tlsunsafeekm", Pkg: "crypto/tls", Name: "ExportKeyingMaterial", Method: true, What: "fails without TLS 1.3 or Extended Master Secret since Go 1.22", Source: Source{Title: "crypto/tls.ConnectionState.ExportKeyingMaterial", URL: "https://pkg.go.dev/crypto/tls#ConnectionState.ExportKeyingMaterial"}},
}

// APIsFor returns the entries of GodebugAPIs for a setting.
func APIsFor(setting string) []GodebugAPI {
	var out []GodebugAPI
	for _, a := range GodebugAPIs {
		if a.Setting == setting {
			out = append(out, a)
		}
	}
	return out
}

// GodebugOnlyOn names the settings that only change behaviour on one
// operating system, as doc/godebug.md describes them: winsymlink and
// winreadlinkvolume concern Windows reparse points and volume names.
var GodebugOnlyOn = map[string]string{
	"winsymlink":        "windows",
	"winreadlinkvolume": "windows",
}
