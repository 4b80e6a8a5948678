package facts

import "testing"

func TestLookupGoBuilderImage(t *testing.T) {
	for _, tc := range []struct {
		ref, goV string
		ok, cc   bool
		cited    bool
	}{
		{"golang:1.22-alpine", "1.22", true, false, true},
		{"quay.io/prometheus/golang-builder:1.20-base", "1.20", true, true, true},
		{"prometheus/golang-builder:1.21.3-main", "1.21.3", true, true, true},
		{"cimg/go:1.19.5", "1.19.5", true, true, true},
		{"circleci/golang:1.16", "1.16", true, true, true},
		{"registry.example.com:5000/team/golang-builder:1.22", "1.22", true, true, false},
		{"cimg/go:latest", "", false, false, false},
		{"cimg/node:20", "", false, false, false},
		{"debian:bookworm", "", false, false, false},
	} {
		img, ok := LookupGoBuilderImage(tc.ref)
		if ok != tc.ok || img.GoVersion != tc.goV || (ok && img.CCompiler != tc.cc) || (len(img.Sources) > 0) != tc.cited {
			t.Errorf("LookupGoBuilderImage(%q) = %+v, %v", tc.ref, img, ok)
		}
	}
	if img, ok := GoFromTarball("1.20.5"); !ok || img.GoVersion != "1.20.5" || len(img.Sources) == 0 {
		t.Errorf("GoFromTarball: %+v %v", img, ok)
	}
	if _, ok := GoFromTarball("x"); ok {
		t.Error("GoFromTarball accepts a non-version")
	}
}
