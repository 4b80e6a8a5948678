package sbom

import (
	"bytes"
	"crypto/sha1"
	"fmt"
	"io"

	cdx "github.com/CycloneDX/cyclonedx-go"
)

// Tool names the program that writes a document, for its metadata.
type Tool struct{ Name, Version string }

// Property names this package writes, in the gocompat namespace (CycloneDX
// property names are free-form; a prefix keeps them apart from others').
const (
	PropBuild   = "gocompat:build:"   // + setting key
	PropH1      = "gocompat:gosum:h1" // go.sum's h1: hash of the module
	PropReplace = "gocompat:replace"  // the module's replacement, "path@version" or a local path
)

// CycloneDX writes inv as a CycloneDX 1.6 JSON document.
func CycloneDX(w io.Writer, inv *Inventory, tool Tool) error {
	bom := cycloneDXBOM(inv, tool)
	// The serial number is a UUID of the document without one, so the
	// same inventory always gets the same serial.
	var buf bytes.Buffer
	if err := encodeCDX(&buf, bom); err != nil {
		return err
	}
	bom.SerialNumber = "urn:uuid:" + uuidV5(buf.Bytes())
	buf.Reset()
	if err := encodeCDX(&buf, bom); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

func encodeCDX(w io.Writer, bom *cdx.BOM) error {
	enc := cdx.NewBOMEncoder(w, cdx.BOMFileFormatJSON)
	enc.SetPretty(true)
	if err := enc.EncodeVersion(bom, cdx.SpecVersion1_6); err != nil {
		return fmt.Errorf("encode CycloneDX: %v", err)
	}
	return nil
}

func cycloneDXBOM(inv *Inventory, tool Tool) *cdx.BOM {
	bom := cdx.NewBOM()
	main := cdxComponent(inv.Main, cdx.ComponentTypeApplication)
	var props []cdx.Property
	for _, s := range inv.Settings {
		props = append(props, cdx.Property{Name: PropBuild + s.Key, Value: s.Value})
	}
	if len(props) > 0 {
		main.Properties = &props
	}
	main.Scope = ""
	bom.Metadata = &cdx.Metadata{
		Component: &main,
		Tools: &cdx.ToolsChoice{Components: &[]cdx.Component{{
			Type: cdx.ComponentTypeApplication, Name: tool.Name, Version: tool.Version,
		}}},
	}
	comps := make([]cdx.Component, 0, len(inv.Components))
	for _, c := range inv.Components {
		comps = append(comps, cdxComponent(c, cdx.ComponentTypeLibrary))
	}
	bom.Components = &comps

	deps := []cdx.Dependency{depOf(inv, inv.Main.Ref())}
	for _, c := range inv.Components {
		deps = append(deps, depOf(inv, c.Ref()))
	}
	bom.Dependencies = &deps

	if len(inv.Vulns) > 0 {
		vulns := make([]cdx.Vulnerability, 0, len(inv.Vulns))
		for _, v := range inv.Vulns {
			cv := cdx.Vulnerability{
				BOMRef:      v.ID + "@" + v.Ref,
				ID:          v.ID,
				Source:      &cdx.Source{Name: "Go vulnerability database", URL: "https://pkg.go.dev/vuln/" + v.ID},
				Description: v.Summary,
				Affects:     &[]cdx.Affects{{Ref: v.Ref}},
			}
			if v.Reachable {
				cv.Analysis = &cdx.VulnerabilityAnalysis{State: cdx.IASExploitable,
					Detail: "The program's call graph reaches a vulnerable symbol."}
			} else {
				cv.Analysis = &cdx.VulnerabilityAnalysis{State: cdx.IASNotAffected, Justification: cdx.IAJCodeNotReachable,
					Detail: "The module is in the program, but its call graph reaches no vulnerable symbol."}
			}
			for _, a := range v.Aliases {
				refs := []cdx.VulnerabilityReference{}
				if cv.References != nil {
					refs = *cv.References
				}
				refs = append(refs, cdx.VulnerabilityReference{ID: a, Source: &cdx.Source{Name: "alias"}})
				cv.References = &refs
			}
			if v.Detail != "" {
				cv.Analysis.Detail = v.Detail
			}
			vulns = append(vulns, cv)
		}
		bom.Vulnerabilities = &vulns
	}
	return bom
}

func cdxComponent(c Component, typ cdx.ComponentType) cdx.Component {
	out := cdx.Component{
		BOMRef: c.Ref(), Type: typ, Name: c.Path, Version: c.Version,
		PackageURL: c.PURL(), Scope: cdx.ScopeRequired,
	}
	var props []cdx.Property
	if c.Sum != "" {
		props = append(props, cdx.Property{Name: PropH1, Value: c.Sum})
	}
	if c.Replace != nil {
		r := c.Replace.Path
		if c.Replace.Version != "" {
			r += "@" + c.Replace.Version
		}
		props = append(props, cdx.Property{Name: PropReplace, Value: r})
	}
	if len(props) > 0 {
		out.Properties = &props
	}
	return out
}

func depOf(inv *Inventory, ref string) cdx.Dependency {
	d := cdx.Dependency{Ref: ref}
	if to := inv.Deps[ref]; len(to) > 0 {
		s := append([]string(nil), to...)
		d.Dependencies = &s
	}
	return d
}

// uuidV5 is the RFC 9562 name-based (SHA-1) UUID of data in a namespace
// of gocompat's own.
func uuidV5(data []byte) string {
	// Namespace: the UUID of the URL namespace's "gocompat.sbom" name,
	// fixed once; any fixed value works, it only has to stay the same.
	ns := [16]byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}
	h := sha1.New()
	h.Write(ns[:])
	h.Write(data)
	s := h.Sum(nil)
	s[6] = s[6]&0x0f | 0x50
	s[8] = s[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", s[0:4], s[4:6], s[6:8], s[8:10], s[10:16])
}
