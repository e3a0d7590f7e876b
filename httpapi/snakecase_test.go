package httpapi_test

import (
	"strings"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/internal/jsoncheck"
)

// TestJSONIsSnakeCase walks the JSON of every GET endpoint of the API (each
// report in each of its layouts, path parameters filled from the test
// plant) and of the commands' answers, and refuses any key that is not
// snake_case: a Go struct marshalled without tags (BookInventory) fails.
func TestJSONIsSnakeCase(t *testing.T) {
	e := newEnv(t)
	fill := strings.NewReplacer("{book}", "pc", "{account}", "materials", "{id}", "p1", "{hash}", e.spare.Hash)
	variants := map[string][]string{
		"/api/v1/reports/income":     {"", "?layout=columns"},
		"/api/v1/reports/throughput": {"", "?contribution=true"},
		"/api/v1/reports/reconcile":  {"", "?materiality=1"},
	}
	checked := 0
	for _, rt := range e.srv.Routes() {
		if rt.Method != "GET" || rt.Page || !strings.HasPrefix(rt.Path, "/api/") && rt.Path != "/healthz" {
			continue
		}
		qs := variants[rt.Path]
		if qs == nil {
			qs = []string{""}
		}
		for _, q := range qs {
			path := fill.Replace(rt.Path) + q
			st, body := e.do("GET", path, e.secret[bf.Admin], "")
			bad, err := jsoncheck.NonSnakeKeys(body)
			if err != nil {
				t.Errorf("GET %s (%d): not JSON: %v", path, st, err)
				continue
			}
			for _, k := range bad {
				t.Errorf("GET %s (%d): key %s is not snake_case", path, st, k)
			}
			checked++
		}
	}
	// The commands' answers, and an error.
	for _, c := range []struct{ method, path, body string }{
		{"POST", "/api/v1/events", `[{"id":"n1","date":"2026-01-10","type":"purchase","item":"dm","qty":"1","unit_cost":"1"}]`},
		{"POST", "/api/v1/events/n1/reverse", `{"date":"2026-01-11"}`},
		{"POST", "/api/v1/queue/reprocess", `{"date":"2026-01-11"}`},
		{"POST", "/api/v1/periods/close", `{"date":"2026-01-31"}`},
		{"POST", "/api/v1/events", `[{"id":"n2","date":"2026-01-10","type":"purchase","item":"nope","qty":"1","unit_cost":"1"}]`},
	} {
		st, body := e.do(c.method, c.path, e.secret[bf.Admin], c.body)
		bad, err := jsoncheck.NonSnakeKeys(body)
		if err != nil {
			t.Errorf("%s %s (%d): not JSON: %v", c.method, c.path, st, err)
			continue
		}
		for _, k := range bad {
			t.Errorf("%s %s (%d): key %s is not snake_case", c.method, c.path, st, k)
		}
		checked++
	}
	if checked < 20 {
		t.Fatalf("only %d answers checked", checked)
	}
}
