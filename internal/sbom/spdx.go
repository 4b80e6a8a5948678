package sbom

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"strings"
	"time"

	spdxjson "github.com/spdx/tools-golang/json"
	"github.com/spdx/tools-golang/spdx/v2/common"
	spdx "github.com/spdx/tools-golang/spdx/v2/v2_3"
)

// SPDX writes inv as an SPDX 2.3 JSON document.
//
// SPDX 2.3 has no free-form properties, so go.sum's h1: hash and a
// module's replacement are written in the package's comment ("go.sum
// h1:…", "replaced by …") and the build settings in the main package's
// comment, one "build KEY=VALUE" line each, as go version -m prints them.
// h1: is not an SPDX checksum algorithm and is not passed off as one.
func SPDX(w io.Writer, inv *Inventory, tool Tool) error {
	doc := spdxDocument(inv, tool)
	// The namespace must be unique per document; a hash of the document
	// with a placeholder namespace keeps it stable for the same input.
	var buf bytes.Buffer
	if err := spdxjson.Write(doc, &buf, spdxjson.Indent("  ")); err != nil {
		return fmt.Errorf("encode SPDX: %v", err)
	}
	doc.DocumentNamespace = "https://spdx.org/spdxdocs/gocompat/" + spdxID(inv.Name) + "-" + uuidV5(buf.Bytes())
	buf.Reset()
	if err := spdxjson.Write(doc, &buf, spdxjson.Indent("  ")); err != nil {
		return fmt.Errorf("encode SPDX: %v", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

func spdxDocument(inv *Inventory, tool Tool) *spdx.Document {
	created, comment := inv.Created, ""
	if created.IsZero() {
		created = time.Unix(0, 0).UTC()
		comment = "No source states when this was built: creationInfo.created is the Unix epoch, not a real date (set SOURCE_DATE_EPOCH to give one)."
	}
	creator := tool.Name
	if tool.Version != "" {
		creator += "-" + tool.Version
	}
	doc := &spdx.Document{
		SPDXVersion:       spdx.Version,
		DataLicense:       spdx.DataLicense,
		SPDXIdentifier:    "DOCUMENT",
		DocumentName:      inv.Name,
		DocumentNamespace: "https://spdx.org/spdxdocs/gocompat/placeholder",
		CreationInfo: &spdx.CreationInfo{
			Creators:       []common.Creator{{CreatorType: "Tool", Creator: creator}},
			Created:        created.UTC().Format("2006-01-02T15:04:05Z"),
			CreatorComment: comment,
		},
	}
	ids := map[string]common.ElementID{}
	add := func(c Component, purpose string, extra []string) {
		id := common.ElementID("Package-" + spdxID(c.Path+"-"+c.Version) + "-" + shortHash(c.Ref()))
		ids[c.Ref()] = id
		p := &spdx.Package{
			PackageName:               c.Path,
			PackageSPDXIdentifier:     id,
			PackageVersion:            c.Version,
			PackageDownloadLocation:   "NOASSERTION",
			FilesAnalyzed:             false,
			IsFilesAnalyzedTagPresent: true,
			PrimaryPackagePurpose:     purpose,
			PackageExternalReferences: []*spdx.PackageExternalReference{{
				Category: common.CategoryPackageManager, RefType: common.TypePackageManagerPURL, Locator: c.PURL(),
			}},
		}
		var lines []string
		if c.Sum != "" {
			lines = append(lines, "go.sum "+c.Sum)
		}
		if c.Replace != nil {
			lines = append(lines, "replaced by "+strings.TrimSuffix(c.Replace.Path+"@"+c.Replace.Version, "@"))
		}
		lines = append(lines, extra...)
		p.PackageComment = strings.Join(lines, "\n")
		doc.Packages = append(doc.Packages, p)
	}
	var build []string
	for _, s := range inv.Settings {
		build = append(build, "build "+s.Key+"="+s.Value)
	}
	add(inv.Main, "APPLICATION", build)
	for _, c := range inv.Components {
		add(c, "LIBRARY", nil)
	}
	rel := func(a common.ElementID, typ string, b common.ElementID) {
		doc.Relationships = append(doc.Relationships, &spdx.Relationship{
			RefA: common.MakeDocElementID("", string(a)), RefB: common.MakeDocElementID("", string(b)), Relationship: typ,
		})
	}
	rel("DOCUMENT", common.TypeRelationshipDescribe, ids[inv.Main.Ref()])
	refs := append([]string{inv.Main.Ref()}, nil...)
	for _, c := range inv.Components {
		refs = append(refs, c.Ref())
	}
	for _, from := range refs {
		for _, to := range inv.Deps[from] {
			if b, ok := ids[to]; ok {
				rel(ids[from], common.TypeRelationshipDependsOn, b)
			}
		}
	}
	return doc
}

// spdxID keeps the letters, digits, '.' and '-' an SPDX identifier may
// hold and turns everything else into '-'.
func spdxID(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-') {
			b[i] = '-'
		}
	}
	return string(b)
}

// shortHash tells apart identifiers that spdxID maps to the same string.
func shortHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return fmt.Sprintf("%x", h[:4])
}
