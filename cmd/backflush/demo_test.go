package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/eventio"
	"github.com/backflush/backflush/sim"
)

// The demo finishes a month of the built-in plant (two runs, five books
// each, the report) well within a few seconds, prints the comparison, the
// measures and the what-if, and says where the report is.
func TestDemoMonth(t *testing.T) {
	dir := t.TempDir()
	t0 := time.Now()
	code, out, stderr := runMain(t, "demo", "--out", dir)
	elapsed := time.Since(t0)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if elapsed > 10*time.Second {
		t.Errorf("a month of the built-in plant took %v", elapsed)
	}
	path := filepath.Join(dir, "backflush-report.html")
	for _, s := range []string{"30 working days from 2026-06-01, seed 1", "Comparison across books", "Why the books differ",
		"JIT measures, steady run", "supplier on-time in full", "open orders", "manufacturing cycle efficiency", "kanban loop",
		"What-if: steady vs disturbed", "(explained)", "Report written to " + path} {
		if !strings.Contains(out, s) {
			t.Errorf("demo output lacks %q", s)
		}
	}
	if strings.Contains(out, "NOT EXPLAINED") || strings.Contains(out, "Journal (") {
		t.Error("the demo printed a broken reconciliation or journals nobody asked for")
	}
	page, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(page, []byte("<!DOCTYPE html>")) || bytes.Count(page, []byte(`<svg class="chart"`)) < 10 {
		t.Error("the report is not an HTML page with its charts")
	}
	if stderr != "" {
		t.Errorf("stderr %q: no progress bar or noise when it is not a terminal", stderr)
	}
}

func TestDemoEventsOut(t *testing.T) {
	dir := t.TempDir()
	jl, cs := filepath.Join(dir, "e.jsonl"), filepath.Join(dir, "e.csv")
	for _, f := range []string{jl, cs} {
		if code, _, stderr := runMain(t, "demo", "--no-report", "--days", "5", "--seed", "4", "--events-out", f); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
	}
	fj, err := os.Open(jl)
	if err != nil {
		t.Fatal(err)
	}
	defer fj.Close()
	events, err := eventio.ReadJSONL(jl, fj, 2)
	if err != nil {
		t.Fatal(err)
	}
	r, err := sim.Default().Run(sim.Options{Days: 5, Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != len(r.Events) {
		t.Fatalf("%d events in the file, the run has %d", len(events), len(r.Events))
	}
	for i := range events {
		if !events[i].SameContent(&r.Events[i]) {
			t.Fatalf("event %d: %+v in the file, %+v in the run", i, events[i], r.Events[i])
		}
	}
	fc, err := os.Open(cs)
	if err != nil {
		t.Fatal(err)
	}
	defer fc.Close()
	rows, err := csv.NewReader(fc).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// The simulator records no hours: the hours column is left out.
	if len(rows) != len(events)+1 || strings.Join(rows[0], ",") != strings.Replace(strings.Join(bf.EventFields, ","), ",hours", "", 1) {
		t.Errorf("%d CSV rows, header %v", len(rows), rows[0])
	}
}

// The same seed gives the same events; another seed, others.
func TestDemoDeterministic(t *testing.T) {
	dir := t.TempDir()
	read := func(name string, seed string) []byte {
		f := filepath.Join(dir, name)
		if code, _, stderr := runMain(t, "demo", "--no-report", "--days", "8", "--seed", seed, "--disturb", "all", "--events-out", f); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	a, b, c := read("a.jsonl", "42"), read("b.jsonl", "42"), read("c.jsonl", "43")
	if !bytes.Equal(a, b) {
		t.Error("seed 42 twice gave different events")
	}
	if bytes.Equal(a, c) {
		t.Error("seeds 42 and 43 gave the same events")
	}
}

func TestDemoJSON(t *testing.T) {
	code, out, stderr := runMain(t, "demo", "--no-report", "--format", "json", "--disturb", "late,defects")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var doc struct {
		Plant   string `json:"plant"`
		Days    int    `json:"days"`
		Primary string `json:"primary"`
		Runs    []struct {
			Name         string   `json:"name"`
			Disturbances []string `json:"disturbances"`
			Comparison   []struct {
				Book string `json:"book"`
				COGS string `json:"cogs"`
			} `json:"comparison"`
			Differences []struct {
				Book    string   `json:"book"`
				Reasons []string `json:"reasons"`
			} `json:"differences"`
			Measures struct {
				SupplierOTIFPct *float64 `json:"supplier_otif_pct"`
				LeadTime        struct {
					Mean, P95 int64
				} `json:"lead_time_minutes"`
				Inventory [][]string `json:"inventory_per_stage"`
			} `json:"measures"`
			Drift []struct {
				Date   string            `json:"date"`
				ByBook map[string]string `json:"by_book"`
			} `json:"drift"`
			Causes []struct {
				Book      string `json:"book"`
				Drift     string `json:"drift"`
				Explained bool   `json:"explained"`
			} `json:"causes"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%.400s", err, out)
	}
	if doc.Days != 30 || doc.Primary != "disturbed" || len(doc.Runs) != 2 {
		t.Fatalf("days %d, primary %q, %d runs", doc.Days, doc.Primary, len(doc.Runs))
	}
	s, d := doc.Runs[0], doc.Runs[1]
	if s.Name != "steady" || len(s.Disturbances) != 0 || strings.Join(d.Disturbances, ",") != "late,defects" {
		t.Errorf("runs %s %v, %s %v", s.Name, s.Disturbances, d.Name, d.Disturbances)
	}
	if len(s.Comparison) != 5 || len(s.Differences) != 4 || len(s.Drift) != 30 || len(s.Measures.Inventory) != 30 {
		t.Errorf("%d books, %d differences, %d days of drift, %d of inventory", len(s.Comparison), len(s.Differences), len(s.Drift), len(s.Measures.Inventory))
	}
	for _, c := range s.Comparison {
		if c.COGS != s.Comparison[0].COGS {
			t.Errorf("steady run: %s COGS %s, sequential %s", c.Book, c.COGS, s.Comparison[0].COGS)
		}
	}
	for _, r := range doc.Runs {
		if len(r.Causes) != 4 {
			t.Errorf("%s: %d causes", r.Name, len(r.Causes))
		}
		for _, c := range r.Causes {
			if !c.Explained || r.Name == "steady" && c.Drift != "0.00" {
				t.Errorf("%s: %+v", r.Name, c)
			}
		}
	}
	if d.Measures.SupplierOTIFPct == nil || *d.Measures.SupplierOTIFPct >= 100 || d.Measures.LeadTime.Mean == 0 || d.Measures.LeadTime.P95 < d.Measures.LeadTime.Mean {
		t.Errorf("disturbed measures %+v", d.Measures)
	}
}

func TestDemoErrors(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		code     int
		inStderr []string
	}{
		{"bad disturbance", []string{"demo", "--disturb", "strike"}, 2, []string{"--disturb"}},
		{"bad format", []string{"demo", "--format", "xml"}, 2, []string{"--format"}},
		{"no days", []string{"demo", "--days", "0"}, 2, []string{"--days"}},
		{"bad events file", []string{"demo", "--events-out", "events.txt"}, 2, []string{".jsonl or .csv"}},
		{"html and out", []string{"demo", "--html", "a.html", "--out", "b"}, 2, []string{"--html or --out"}},
		{"missing plant", []string{"demo", "--plant", "testdata/nope.yaml"}, 4, []string{"testdata/nope.yaml"}},
		{"bad trail file", []string{"demo", "--trail-out", "trail.csv"}, 2, []string{"--trail-out", ".jsonl"}},
		{"bad proposal", []string{"demo", "--propose", "more"}, 2, []string{"--propose"}},
		{"proposal without what-if", []string{"demo", "--propose", "level", "--compare-disturbed=false"}, 2, []string{"--propose needs the what-if"}},
		{"bad safety", []string{"demo", "--safety-pct", "-1"}, 2, []string{"--safety-pct"}},
		{"bad plant", []string{"demo", "--plant", "testdata/bad-plant.yaml"}, 3,
			[]string{"testdata/bad-plant.yaml:16", `item "block"`, "field kanban", "cannot hold the 2 that one batch of engine withdraws"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, stderr := runMain(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit code %d, want %d (stderr %q)", code, tt.code, stderr)
			}
			for _, s := range tt.inStderr {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr %q lacks %q", stderr, s)
				}
			}
			if out != "" {
				t.Errorf("a failed demo printed %q", out)
			}
		})
	}
	if _, err := os.Stat("backflush-report.html"); err == nil {
		t.Error("a failed demo wrote a report")
	}
}

// A plant file of one's own: the built-in one, printed and read back.
func TestDemoPlantFile(t *testing.T) {
	code, out, _ := runMain(t, "demo", "--print-plant")
	if code != 0 {
		t.Fatal(code)
	}
	path := filepath.Join(t.TempDir(), "my-plant.yaml")
	if err := os.WriteFile(path, []byte(strings.Replace(out, "name: Sample JIT vehicle plant", "name: My plant", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runMain(t, "demo", "--plant", path, "--days", "3", "--compare-disturbed=false", "--no-report")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(out, "My plant ("+path+"):\n3 working days") || strings.Contains(out, "What-if") {
		t.Errorf("output:\n%.300s", out)
	}
}

// The scenario of the first demo still runs as an example.
func TestExampleScenario(t *testing.T) {
	if code, out, stderr := runMain(t, "run", "../../examples/vehicle-line-two-weeks.yaml"); code != 0 || !strings.Contains(out, "Comparison across books") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
}

func TestProgressOnlyOnATerminal(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if isTerminal(f) {
		t.Error("a regular file is taken for a terminal")
	}
	var buf bytes.Buffer
	p := newProgress(&buf)
	p.start = time.Now().Add(-time.Hour) // long past the quiet half second
	p.update(5, 10)
	p.done()
	if buf.Len() != 0 {
		t.Errorf("progress drawn on a buffer: %q", buf.String())
	}
	// On a terminal it draws, then clears its line.
	p = &progress{w: &buf, on: true, start: time.Now().Add(-time.Hour)}
	p.update(5, 10)
	p.done()
	if s := buf.String(); !strings.Contains(s, "50%") || !strings.HasSuffix(s, "\r\033[K") {
		t.Errorf("progress %q", s)
	}
}

// The practitioner's tools: the plan (takt, balance, sizing) is printed,
// --suggest-kanban prints a valid plant with the suggested cards, and
// --propose runs the disturbed plant as proposed beside it.
func TestDemoPractitioner(t *testing.T) {
	code, out, stderr := runMain(t, "demo", "--no-report", "--wide", "--days", "10", "--propose", "kanban,level", "--safety-pct", "50", "--safety-minutes", "240")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, s := range []string{"takt time 48.0 min a vehicle", "line balance 90.4%, bottleneck assembly", "kanban cards N = ⌈D·(L + S)·(1 + α)/C⌉ with S = 240 min, α = 50%",
		"What-if: the disturbed run as proposed (cards by the kanban formula (α 50%, S 240 min) and a levelled mixed-model sequence on the final line)",
		"largest drift, completion", "Proposed run:"} {
		if !strings.Contains(out, s) {
			t.Errorf("demo output lacks %q", s)
		}
	}
	code, out, stderr = runMain(t, "demo", "--suggest-kanban", "--safety-pct", "10")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	m, err := sim.Decode("suggested.yaml", []byte(out))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range m.Loops {
		if l.Item == "block6" && l.Cards != 3 || l.Item == "piston" && l.Cards != 2 {
			t.Errorf("suggested %s: %d cards", l.Item, l.Cards)
		}
	}
	if !strings.Contains(out, "# One loop per stocked part") {
		t.Error("the suggested plant lost the plant file's comments")
	}
}

// A plant with a part on two BOM lines and through a phantom runs through
// the books under every disturbance (it failed with a negative count).
func TestDemoSharedPart(t *testing.T) {
	code, out, stderr := runMain(t, "demo", "--no-report", "--plant", "../../sim/testdata/shared-part.yaml", "--days", "5", "--disturb", "all")
	if code != 0 || !strings.Contains(out, "shared part") {
		t.Fatalf("exit %d: %s%s", code, stderr, out)
	}
}
