// Package deps judges the code a module did not write: its dependencies
// and the Go release that builds it. Vulnerabilities come from
// govulncheck's analysis (package vulnscan) against a Go vulnerability
// database (package vulndb): a vulnerable symbol the code calls is an
// error at the first call site in the module's own code, a vulnerable
// package only imported is a warning, a vulnerable module only required
// is info. Module health comes from the go command (package modhealth):
// retracted and deprecated requirements, local replacements the build
// context lacks, dependencies that need a newer Go than the build has,
// missing go.sum entries, and, when asked, available updates.
//
// The package judges plain values; it runs nothing and parses nothing.
package deps

import (
	"github.com/gocompat/gocompat/internal/finding"
)

type src = finding.Source

var (
	srcGovulncheck = src{Title: "govulncheck: vulnerability scanning", URL: "https://go.dev/doc/security/vuln/"}
	srcVulnDB      = src{Title: "Go vulnerability database", URL: "https://go.dev/doc/security/vuln/database"}
	srcGoList      = src{Title: "go list -m: module information (Retracted, Deprecated, Update)", URL: "https://go.dev/ref/mod#go-list-m"}
	srcRetract     = src{Title: "go.mod retract directive", URL: "https://go.dev/ref/mod#go-mod-file-retract"}
	srcDeprecation = src{Title: "Module deprecation", URL: "https://go.dev/ref/mod#go-mod-file-module-deprecation"}
	srcReplace     = src{Title: "go.mod replace directive", URL: "https://go.dev/ref/mod#go-mod-file-replace"}
	srcToolchains  = src{Title: "Go toolchains", URL: "https://go.dev/doc/toolchain"}
	srcGoSum       = src{Title: "go.sum files", URL: "https://go.dev/ref/mod#go-sum-files"}
	srcProxy       = src{Title: "Module proxies", URL: "https://go.dev/ref/mod#module-proxy"}
)

// The deps checks.
var (
	VulnCalled = finding.Check{
		ID: "deps/vuln-called", Title: "The code calls a symbol with a known vulnerability",
		Severity: finding.Error, Sources: []src{srcGovulncheck, srcVulnDB},
	}
	VulnImported = finding.Check{
		ID: "deps/vuln-imported", Title: "The code imports a package with a known vulnerability but does not call the vulnerable symbols",
		Severity: finding.Warning, Sources: []src{srcGovulncheck, srcVulnDB},
	}
	VulnRequired = finding.Check{
		ID: "deps/vuln-required", Title: "A required module version has a known vulnerability in packages the code does not import",
		Severity: finding.Info, Sources: []src{srcGovulncheck, srcVulnDB},
	}
	VulnDBStale = finding.Check{
		ID: "deps/vulndb-stale", Title: "The vulnerability database is more than 7 days old",
		Severity: finding.Warning, Sources: []src{srcVulnDB},
	}
	VulnDBUnavailable = finding.Check{
		ID: "deps/vulndb-unavailable", Title: "The vulnerability database cannot be read, so vulnerabilities were not checked",
		Severity: finding.Error, Sources: []src{srcVulnDB},
	}
	VulnScanFailed = finding.Check{
		ID: "deps/vuln-scan-failed", Title: "govulncheck's analysis could not load the code, so vulnerabilities were not checked",
		Severity: finding.Error, Sources: []src{srcGovulncheck},
	}
	Retracted = finding.Check{
		ID: "deps/retracted", Title: "A required module version was retracted by its authors",
		Severity: finding.Error, Sources: []src{srcRetract, srcGoList},
	}
	Deprecated = finding.Check{
		ID: "deps/deprecated", Title: "A required module is deprecated by its authors",
		Severity: finding.Warning, Sources: []src{srcDeprecation, srcGoList},
	}
	ReplaceNotInContext = finding.Check{
		ID: "deps/replace-not-in-context", Title: "go.mod replaces a module with a local directory that the build does not have",
		Severity: finding.Error, Sources: []src{srcReplace},
	}
	DepGoNewer = finding.Check{
		ID: "deps/dependency-go-newer", Title: "A dependency's go line is newer than the module's go line or the Go that builds it",
		Severity: finding.Warning, Sources: []src{srcToolchains},
	}
	GoSumMissing = finding.Check{
		ID: "deps/go-sum-missing", Title: "go.sum lacks an entry the build needs",
		Severity: finding.Error, Sources: []src{srcGoSum},
	}
	UpdateAvailable = finding.Check{
		ID: "deps/update-available", Title: "A newer version of a required module is available",
		Severity: finding.Info, Sources: []src{srcGoList},
	}
	ProxyUnreachable = finding.Check{
		ID: "deps/proxy-unreachable", Title: "The module proxy cannot be reached, so retractions, deprecations and updates were not checked",
		Severity: finding.Warning, Sources: []src{srcProxy},
	}
)

// Checks are the deps family's checks.
var Checks = []finding.Check{
	VulnCalled, VulnImported, VulnRequired, VulnDBStale, VulnDBUnavailable, VulnScanFailed,
	Retracted, Deprecated, ReplaceNotInContext, DepGoNewer, GoSumMissing, UpdateAvailable, ProxyUnreachable,
}
