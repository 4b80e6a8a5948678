package sbomtest

import "testing"

// The validator must reject what the schemas forbid, or every test that
// relies on it could not fail.
func TestRejects(t *testing.T) {
	for _, tc := range []struct {
		cdx  bool
		name string
		doc  string
	}{
		{true, "version not a number", `{"bomFormat":"CycloneDX","specVersion":"1.6","version":"one"}`},
		{true, "unknown field", `{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"bogus":1}`},
		{true, "bad serial", `{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"serialNumber":"x"}`},
		{true, "bad timestamp format", `{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"metadata":{"timestamp":"yesterday"}}`},
		{false, "no creationInfo fields", `{"spdxVersion":"SPDX-2.3","creationInfo":{}}`},
		{false, "bad relationship type", `{"relationships":[{"spdxElementId":"a","relatedSpdxElement":"b","relationshipType":"LIKES"}]}`},
	} {
		if Error(tc.cdx, []byte(tc.doc)) == nil {
			t.Errorf("%s: accepted", tc.name)
		}
	}
	if err := Error(true, []byte(`{"bomFormat":"CycloneDX","specVersion":"1.6","version":1}`)); err != nil {
		t.Errorf("minimal CycloneDX rejected: %v", err)
	}
}
