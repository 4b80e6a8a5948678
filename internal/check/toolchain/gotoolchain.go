package toolchain

import (
	"fmt"
	"go/version"
	"path/filepath"

	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/finding"
)

// GotoolchainPinned: GOTOOLCHAIN names a release, so every go command
// runs that release (downloaded into the module cache), not the
// installation that `which go` and this report's toolchain point at.
var GotoolchainPinned = finding.Check{
	ID: "toolchain/gotoolchain-pinned", Title: "GOTOOLCHAIN names a Go release, so every go command runs it instead of the installed Go",
	Severity: finding.Warning, Sources: []finding.Source{facts.SrcToolchains},
}

// gotoolchainOrigin says where the effective GOTOOLCHAIN comes from: the
// environment, the go env file, or $GOROOT/go.env.
func (d *doctor) gotoolchainOrigin(ge goEnv) string {
	if v, ok := d.getenv("GOTOOLCHAIN"); ok && v != "" {
		return "the environment"
	}
	if ge.GOENV != "" && ge.GOENV != "off" && readEnvFile(ge.GOENV, "GOTOOLCHAIN") != "" {
		return "the go env file " + ge.GOENV + " (go env -w)"
	}
	if readEnvFile(filepath.Join(ge.GOROOT, "go.env"), "GOTOOLCHAIN") != "" {
		return filepath.Join(ge.GOROOT, "go.env")
	}
	return "the default"
}

// checkGotoolchainPin reports a GOTOOLCHAIN that names a release other
// than the installed one: "go version" then prints that release, builds
// and tests use it, and the first go command downloads it through
// GOPROXY. With +auto a newer go or toolchain line still wins.
func (d *doctor) checkGotoolchainPin(ge goEnv) {
	gt := d.effectiveGotoolchain(ge)
	base, mode, err := parseGotoolchain(gt)
	if err != nil || base == "local" || !version.IsValid(ge.GOVERSION) || base == ge.GOVERSION {
		return
	}
	origin := d.gotoolchainOrigin(ge)
	rel := "newer"
	if version.Compare(base, ge.GOVERSION) < 0 {
		rel = "older"
	}
	msg := fmt.Sprintf("GOTOOLCHAIN=%s (from %s) makes every go command here run %s, which is %s than the installed %s at %s: `go version` prints %s, builds and tests use it, and the first go command downloads it through GOPROXY into the module cache.",
		gt, origin, base, rel, ge.GOVERSION, ge.GOROOT, base)
	if mode != "" {
		msg += fmt.Sprintf(" With +%s, a go.mod or go.work that needs a newer Go still switches to that one.", mode)
	}
	f := d.add(GotoolchainPinned, finding.Location{Object: "GOTOOLCHAIN=" + gt}, msg,
		"Unset GOTOOLCHAIN (go env -u GOTOOLCHAIN, or remove it from the shell profile) to use the installed Go, or install the release you mean to use.",
		"GOTOOLCHAIN", gt, "installed", ge.GOVERSION, "runs", base, "origin", origin)
	if rel == "older" {
		// Older than what is installed: builds lose fixes the installation
		// has, and the go lines it can build are fewer.
		f.Message += " Modules whose go line is newer than " + base + " fail to build (or switch, with +auto)."
	}
}
