// Package sbomtest validates SBOM documents in tests against the official
// CycloneDX 1.6 and SPDX 2.3 JSON schemas, vendored under schema/ with
// their licences (schema/README.md says where each comes from). The
// validator is github.com/santhosh-tekuri/jsonschema/v6 (draft-07, which
// both schemas declare), with format assertions on, so "date-time",
// "iri-reference" and the like are checked and not only annotated. Only
// tests import this package.
package sbomtest

import (
	"bytes"
	"embed"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

//go:embed schema/cyclonedx/*.json schema/spdx/*.json
var schemas embed.FS

var (
	once              sync.Once
	cdxSchema, spdxSc *jsonschema.Schema
	loadErr           error
)

func load() {
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	add := func(url, file string) {
		if loadErr != nil {
			return
		}
		data, err := schemas.ReadFile(file)
		if err != nil {
			loadErr = err
			return
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			loadErr = err
			return
		}
		loadErr = c.AddResource(url, doc)
	}
	add("http://cyclonedx.org/schema/bom-1.6.schema.json", "schema/cyclonedx/bom-1.6.schema.json")
	add("http://cyclonedx.org/schema/spdx.schema.json", "schema/cyclonedx/spdx.schema.json")
	add("http://cyclonedx.org/schema/jsf-0.82.schema.json", "schema/cyclonedx/jsf-0.82.schema.json")
	add("http://spdx.org/rdf/terms/2.3", "schema/spdx/spdx-schema-2.3.json")
	if loadErr != nil {
		return
	}
	if cdxSchema, loadErr = c.Compile("http://cyclonedx.org/schema/bom-1.6.schema.json"); loadErr != nil {
		return
	}
	spdxSc, loadErr = c.Compile("http://spdx.org/rdf/terms/2.3")
}

// ValidateCycloneDX fails t unless doc is valid CycloneDX 1.6 JSON.
func ValidateCycloneDX(t testing.TB, doc []byte) {
	t.Helper()
	validate(t, "CycloneDX 1.6", func() *jsonschema.Schema { return cdxSchema }, doc)
}

// ValidateSPDX fails t unless doc is valid SPDX 2.3 JSON.
func ValidateSPDX(t testing.TB, doc []byte) {
	t.Helper()
	validate(t, "SPDX 2.3", func() *jsonschema.Schema { return spdxSc }, doc)
}

// Error returns the schema error of doc, or nil; for tests that check the
// validator rejects what it must.
func Error(cyclonedx bool, doc []byte) error {
	once.Do(load)
	if loadErr != nil {
		return loadErr
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return err
	}
	if cyclonedx {
		return cdxSchema.Validate(inst)
	}
	return spdxSc.Validate(inst)
}

func validate(t testing.TB, what string, sch func() *jsonschema.Schema, doc []byte) {
	t.Helper()
	once.Do(load)
	if loadErr != nil {
		t.Fatalf("loading the %s schema: %v", what, loadErr)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatalf("%s document is not JSON: %v", what, err)
	}
	if err := sch().Validate(inst); err != nil {
		t.Fatalf("%s document does not validate against the official schema:\n%v", what, err)
	}
}
