package httpapi

import (
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// TestOpenAPIValidates holds /openapi.json, fetched over HTTP, to a real
// OpenAPI 3 validator (kin-openapi): the structure, the path templates
// against their parameters, the schemas, the unique operation ids. The
// document is built from the mux's routes, so a route whose pattern is
// not an OpenAPI path (the mux's "/{$}") fails here.
func TestOpenAPIValidates(t *testing.T) {
	_, body := fetchOpenAPI(t)
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(body)
	if err != nil {
		t.Fatalf("/openapi.json does not load as OpenAPI 3: %v", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		t.Fatalf("/openapi.json is not a valid OpenAPI 3 document: %v", err)
	}
	for path := range doc.Paths.Map() {
		if path != "/" && path[len(path)-1] == '/' || containsDollar(path) {
			t.Errorf("path %q is a router pattern, not an OpenAPI path", path)
		}
	}
	if doc.Paths.Find("/") == nil || doc.Paths.Find("/").Get.OperationID != "get_root" {
		t.Errorf("the dashboard's home is not documented as GET / (get_root)")
	}
}

func containsDollar(s string) bool {
	for _, c := range s {
		if c == '$' {
			return true
		}
	}
	return false
}
