package htmlreport_test

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/backflush/backflush/htmlreport"
	"github.com/backflush/backflush/jit"
	"github.com/backflush/backflush/sim"
	"github.com/backflush/backflush/whatif"
)

// charts is the number of charts the report draws with a what-if: the
// inventory chart; three bar charts of the books; a cost-flow diagram per
// book (five); the lead-time histogram, the supplier lateness bars and the
// stock-out bars; four in the what-if (inventory and drift for each run);
// and the drift of the disturbed and the proposed run.
const charts = 1 + 3 + 5 + 3 + 4 + 2

func render(t *testing.T, seed uint64) []byte {
	t.Helper()
	m := sim.Default()
	s, d, err := whatif.Compare(m, whatif.Options{Days: 30, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	p, err := whatif.Simulate(m, "proposed", d.Disturb, whatif.Options{Days: 30, Seed: seed, Level: true})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	in := htmlreport.Input{Title: "Backflush demo <test>", Model: m, Seed: seed, Primary: d, Steady: s, Disturbed: d, Command: "backflush demo",
		Proposed: p, Proposal: "a levelled sequence", Sizing: jit.SizingOptions{SafetyPct: 10}}
	if err := htmlreport.Write(&buf, in); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestSelfContained(t *testing.T) {
	page := string(render(t, 1))
	if !strings.HasPrefix(page, "<!DOCTYPE html>") || !strings.HasSuffix(page, "</html>") {
		t.Fatal("not a whole HTML document")
	}
	if n := strings.Count(page, `<svg class="chart"`); n != charts {
		t.Errorf("%d charts, want %d", n, charts)
	}
	// Nothing to fetch: no links, no sources, no imports, no URLs other
	// than the SVG namespace (a name, never fetched).
	for _, bad := range []string{"<link", " src=", " href=", "@import", "url(", "<iframe", "<img"} {
		if strings.Contains(page, bad) {
			t.Errorf("the report contains %q", bad)
		}
	}
	if rest := strings.ReplaceAll(page, "http://www.w3.org/2000/svg", ""); strings.Contains(rest, "http://") || strings.Contains(rest, "https://") {
		t.Error("the report names a URL")
	}
	if strings.Contains(page, "<test>") || !strings.Contains(page, "Backflush demo &lt;test&gt;") {
		t.Error("the title is not escaped")
	}
	for _, s := range []string{"Inventory per stage over time", "The books side by side", "Cost flows", "JIT measures",
		"What-if", "explained", "The cause test", "Why the books differ at the end of the disturbed run", "purchase+completion", "castings", "engine4",
		"supplier on-time in full", "Supplier deliveries by lateness", "open orders", "line basis",
		"Takt, line balance and supermarket sizing", "bottleneck assembly", "over-sized", "the disturbed run as proposed", "a levelled sequence"} {
		if !strings.Contains(page, s) {
			t.Errorf("the report lacks %q", s)
		}
	}
	if strings.Contains(page, "not explained") || strings.Contains(page, "NaN") || strings.Contains(page, "Inf") {
		t.Error("the report shows a broken figure")
	}
	// Every number drawn is a plain coordinate.
	if m := regexp.MustCompile(` (?:x|y|x1|x2|y1|y2|width|height)="-?[0-9.]*[^0-9."][^"]*"`).FindString(page); m != "" {
		t.Errorf("odd coordinate %s", m)
	}
}

func TestSameRunSameReport(t *testing.T) {
	if !bytes.Equal(render(t, 3), render(t, 3)) {
		t.Error("two reports of the same run differ")
	}
}
