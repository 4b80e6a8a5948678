package sbom

import (
	"github.com/gocompat/gocompat/internal/vulnscan"
)

// AddVulns fills inv.Vulns from a vulnerability scan of the same module
// or binary: each vulnerability whose module is a component of the
// inventory, reachable when the scan found a vulnerable symbol called
// (source mode) or linked in (binary mode), not reachable when the code
// only imports a vulnerable package or only requires the module. A
// vulnerability of a module the inventory lacks (the go command itself,
// "toolchain") is left out, as the document has no component to point
// at.
func AddVulns(inv *Inventory, res *vulnscan.Result) {
	refs := map[string]string{inv.Main.Path: inv.Main.Ref()}
	for _, c := range inv.Components {
		refs[c.Path] = c.Ref()
	}
	out := []Vuln{}
	for _, v := range res.Vulns {
		ref, ok := refs[v.Module]
		if !ok {
			continue
		}
		sv := Vuln{ID: v.ID, Aliases: v.Aliases(), Ref: ref, Reachable: v.Level == vulnscan.Called}
		if v.Entry != nil {
			sv.Summary = v.Entry.Summary
		}
		switch v.Level {
		case vulnscan.Called:
			if res.Mode == "binary" {
				sv.Detail = "The binary contains a vulnerable symbol: " + joinSyms(v.Symbols()) + "."
			} else {
				sv.Detail = "The program's call graph reaches a vulnerable symbol: " + joinSyms(v.Symbols()) + "."
			}
		case vulnscan.Imported:
			sv.Detail = "The program imports a vulnerable package, but its call graph reaches no vulnerable symbol."
		default:
			sv.Detail = "The module is required, but the program imports no vulnerable package of it."
		}
		out = append(out, sv)
	}
	inv.Vulns = out
}

func joinSyms(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += ", "
		}
		out += x
	}
	return out
}
