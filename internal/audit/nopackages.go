package audit

import (
	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/module"
)

// ModuleNoPackages is reported when the audited module holds no Go
// source file, so the checks that analyse packages have nothing to do.
var ModuleNoPackages = finding.Check{
	ID:       "module/no-packages",
	Title:    "The module has no Go packages, so the package checks had nothing to analyse",
	Severity: finding.Info,
	Sources:  []finding.Source{{Title: "Go Modules Reference: modules, packages, and versions", URL: "https://go.dev/ref/mod#modules-overview"}},
}

// noPackages returns a finding of ModuleNoPackages when the module at
// dir has no Go file (module.GoFiles: outside testdata, vendor, nested
// modules and directories starting with . or _), nil otherwise. family
// names the checks that were skipped.
func noPackages(dir, family string) []finding.Finding {
	files, err := module.GoFiles(dir)
	if err != nil || len(files) > 0 {
		return nil
	}
	return []finding.Finding{finding.New(ModuleNoPackages, finding.Location{File: "go.mod"},
		"The module has no .go files outside testdata, vendor and directories starting with . or _, so the "+family+" checks had no package to analyse.",
		"Nothing to do if the module only holds go.mod (a placeholder or a tools module); otherwise add its packages, or audit the directory that holds them.")}
}
