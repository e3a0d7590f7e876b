package httpapi_test

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/report"
)

// TestControllerReports reads the costed BOM against a stored version and
// throughput beside contribution through the API: each answer is the
// report's JSON as report.Write writes it from the service's books.
func TestControllerReports(t *testing.T) {
	e := newEnv(t)
	v, ctl := e.secret[bf.Viewer], e.secret[bf.Controller]
	if st, b := e.do("POST", "/api/v1/versions", ctl, recostDoc(t)); st != 201 {
		t.Fatalf("recost: %d %s", st, b)
	}
	st, body := e.do("GET", "/api/v1/reports/bom?item=cable&version=2", v, "")
	if st != 200 {
		t.Fatalf("bom: %d %s", st, body)
	}
	var doc struct {
		BOMs []struct {
			Item, Total string
			Rows        []struct{ Item, Kind, Extended string }
		}
		Proposed struct {
			From, Revaluation string
			Items             []struct{ Item, Current, Proposed, Difference, Revaluation string }
		}
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	// Cable: 25 dm (25.00) + a board (2 chips, 10.00 + 2.00) + 20.00 of
	// conversion = 57.00; version 2 raises the conversion to 22. The books
	// still use version 1 (its events come before 2026-01-20), and 5 cables
	// are on hand: 10.00 more at the proposed standard.
	if len(doc.BOMs) != 1 || doc.BOMs[0].Total != "57.00" || len(doc.BOMs[0].Rows) != 4 || doc.BOMs[0].Rows[2].Kind != "assembly" {
		t.Errorf("costed BOM %+v", doc.BOMs)
	}
	if !strings.HasPrefix(doc.Proposed.From, "configuration version 2") || doc.Proposed.Revaluation != "10.00" || len(doc.Proposed.Items) != 1 ||
		doc.Proposed.Items[0].Current != "57.00" || doc.Proposed.Items[0].Proposed != "59.00" || doc.Proposed.Items[0].Difference != "2.00" {
		t.Errorf("proposed %+v", doc.Proposed)
	}
	var want bytes.Buffer
	if err := e.svc.Report(&want, report.Request{Kind: report.KindBOM, Item: "cable", JSON: true,
		Controller: report.Controller{ProposedVersion: 2}}, false); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(body, want.Bytes()) {
		t.Errorf("the API's bom differs from the service's report:\n%s\n%s", body, want.Bytes())
	}

	plant, err := os.ReadFile("../testdata/limiting-factor/scenario.yaml")
	if err != nil {
		t.Fatal(err)
	}
	lf := newEnvOf(t, string(plant), "")
	st, body = lf.do("GET", "/api/v1/reports/throughput?contribution=true", lf.secret[bf.Viewer], "")
	if st != 200 {
		t.Fatalf("throughput: %d %s", st, body)
	}
	golden, err := os.ReadFile("../testdata/limiting-factor/expected-throughput.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(body, golden) {
		t.Errorf("the API's throughput report differs from testdata/limiting-factor/expected-throughput.json:\n%s", body)
	}
	st, body = lf.do("GET", "/api/v1/reports/throughput", lf.secret[bf.Viewer], "")
	if st != 200 || strings.Contains(string(body), "limiting_factor") || !strings.Contains(string(body), `"ta_ratio": "3.6000"`) {
		t.Errorf("throughput without contribution: %d %s", st, body)
	}
}
