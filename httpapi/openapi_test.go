package httpapi

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/backflush/backflush/inmem"
	"github.com/backflush/backflush/service"
)

// TestOpenAPICoversRoutes fetches /openapi.json over HTTP and holds it to
// the mux both ways: every registered route is documented completely, and
// every documented operation is served by the mux under that very pattern.
// A route added without its documentation fails here.
func TestOpenAPICoversRoutes(t *testing.T) {
	s, body := fetchOpenAPI(t)
	var doc struct {
		OpenAPI    string                               `json:"openapi"`
		Paths      map[string]map[string]map[string]any `json:"paths"`
		Components struct {
			Schemas         map[string]any `json:"schemas"`
			SecuritySchemes map[string]any `json:"securitySchemes"`
		} `json:"components"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatalf("/openapi.json is not JSON: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.0.") || len(doc.Components.SecuritySchemes) != 2 {
		t.Fatalf("openapi %q, security schemes %v", doc.OpenAPI, doc.Components.SecuritySchemes)
	}
	// Every $ref points at a schema that exists.
	for _, m := range regexp.MustCompile(`"#/components/schemas/([A-Za-z]+)"`).FindAllStringSubmatch(string(body), -1) {
		if doc.Components.Schemas[m[1]] == nil {
			t.Errorf("$ref to a missing schema %s", m[1])
		}
	}
	routes := s.Routes()
	if len(routes) < 30 {
		t.Fatalf("only %d routes registered", len(routes))
	}
	ops := 0
	for _, p := range doc.Paths {
		ops += len(p)
	}
	if ops != len(routes) {
		t.Errorf("the document has %d operations for %d routes", ops, len(routes))
	}
	for _, rt := range routes {
		op := doc.Paths[docPath(rt.Path)][strings.ToLower(rt.Method)]
		if op == nil {
			t.Errorf("%s is not in /openapi.json", rt.Pattern())
			continue
		}
		if s, _ := op["summary"].(string); s == "" {
			t.Errorf("%s has no summary", rt.Pattern())
		}
		if _, ok := op["security"]; !ok {
			t.Errorf("%s does not state its security", rt.Pattern())
		}
		resp, _ := op["responses"].(map[string]any)
		ok2xx := false
		for code := range resp {
			ok2xx = ok2xx || strings.HasPrefix(code, "2") || code == "303"
		}
		if !ok2xx || resp["500"] == nil {
			t.Errorf("%s documents responses %v", rt.Pattern(), resp)
		}
		if rt.Role != 0 && !rt.Page && (resp["401"] == nil || resp["403"] == nil || op["x-role"] != rt.Role.String()) {
			t.Errorf("%s needs %s but does not document 401, 403 and x-role", rt.Pattern(), rt.Role)
		}
		if (rt.Method == "POST" && rt.Path != "/logout") != (op["requestBody"] != nil) {
			t.Errorf("%s: request body documented: %v", rt.Pattern(), op["requestBody"] != nil)
		}
		params, _ := op["parameters"].([]any)
		declared := map[string]string{}
		for _, p := range params {
			pm := p.(map[string]any)
			declared[pm["name"].(string)] = pm["in"].(string)
		}
		for _, m := range regexp.MustCompile(`\{([a-z]+)\}`).FindAllStringSubmatch(rt.Path, -1) {
			if declared[m[1]] != "path" {
				t.Errorf("%s: path parameter %s not documented", rt.Pattern(), m[1])
			}
		}
		for _, q := range rt.doc.query {
			if declared[q.name] != "query" {
				t.Errorf("%s: query parameter %s not documented", rt.Pattern(), q.name)
			}
		}
	}
	// And the other way: each documented operation is what the mux serves.
	fill := regexp.MustCompile(`\{[a-z]+\}`)
	for path, methods := range doc.Paths {
		for m := range methods {
			concrete := fill.ReplaceAllString(path, "x")
			req := httptest.NewRequest(strings.ToUpper(m), concrete, nil)
			if _, pattern := s.mux.Handler(req); docPath(strings.TrimPrefix(pattern, strings.ToUpper(m)+" ")) != path {
				t.Errorf("documented %s %s, but the mux serves %s %s with %q", strings.ToUpper(m), path, strings.ToUpper(m), concrete, pattern)
			}
		}
	}
}

// fetchOpenAPI serves a plant of one item (the document reads no books)
// and fetches /openapi.json over HTTP.
func fetchOpenAPI(t *testing.T) (*Server, []byte) {
	t.Helper()
	st := inmem.New()
	if err := service.Init(context.Background(), st, []byte(`
name: t
items: [{id: dm, kind: material, standard_cost: 1}]
books: [{name: seq, method: sequential}]
`), "t.yaml"); err != nil {
		t.Fatal(err)
	}
	svc, err := service.Open(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	s := New(svc, nil, Options{})
	ts := httptest.NewServer(s)
	defer ts.Close()
	res, err := http.Get(ts.URL + "/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("GET /openapi.json: %d %v", res.StatusCode, err)
	}
	return s, body
}
