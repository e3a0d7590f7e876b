package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/backflush/backflush/internal/testenv"
)

// tiny returns a configuration of every section on tiny sizes, writing
// its files in a temporary directory. It has no PostgreSQL DSN.
func tiny(t *testing.T) Config {
	dir := t.TempDir()
	return Config{Seed: 3, Runs: 1, MemEvents: 5_000, DurableEvents: 5_000, HTTPEvents: 5_000, Batch: 100, HTTPBatch: 500,
		Clients: 3, DurableBooks: 2, YearEvents: 5_000, StoreEvents: 5_000, ScaleEvents: 5_000, ScaleMax: 10_000, ScaleItemsMax: 1_000,
		PeerEvents: 2_000, PeerRuns: 1, DurableAxis: []int{2_000}, Dir: dir,
		SVG: filepath.Join(dir, "chart.svg"), JSON: filepath.Join(dir, "figures.json")}
}

// sections returns the sections of a report's figures.
func sections(rep *Report) map[string]bool {
	out := map[string]bool{}
	for _, f := range rep.Figures {
		out[f.Section] = true
	}
	return out
}

// TestRunTiny runs every section that needs nothing installed on tiny
// sizes: the program works end to end (stores, HTTP, the chart and the
// JSON). It checks what is reported, never how fast: speed is for the
// benchmark. The peers and PostgreSQL have tests of their own below.
func TestRunTiny(t *testing.T) {
	c := tiny(t)
	for _, s := range Sections {
		if s != "peers" && s != "postgres" {
			c.Only = append(c.Only, s)
		}
	}
	var out bytes.Buffer
	c.Out = &out
	rep, err := Run(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Figures {
		if f.Value != f.Value || f.Unit == "" { // NaN
			t.Errorf("figure %q: value %v %q", f.Name, f.Value, f.Unit)
		}
	}
	have := sections(rep)
	for _, s := range []string{"memory", "sqlite", "http", "replay", "sqlite-items"} {
		if !have[s] {
			t.Errorf("no figure of section %s", s)
		}
	}
	if len(rep.Scaling) < 10 {
		t.Errorf("%d scaling points", len(rep.Scaling))
	}
	for _, want := range []string{"events/s in 1 book", "durable ingestion", "HTTP ingestion", "Scaling"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the report lacks %q:\n%s", want, out.String())
		}
	}
	svg, err := os.ReadFile(c.SVG)
	if err != nil || !bytes.HasPrefix(svg, []byte("<svg")) || !bytes.Contains(svg, []byte("<polyline")) {
		t.Errorf("chart: %v, %.80s", err, svg)
	}
	data, err := os.ReadFile(c.JSON)
	var back Report
	if err != nil || json.Unmarshal(data, &back) != nil || len(back.Figures) != len(rep.Figures) {
		t.Errorf("JSON: %v", err)
	}
}

// TestRunTinyPeers runs the peers section: ledger and hledger read the
// journal of a tiny stream.
func TestRunTinyPeers(t *testing.T) {
	testenv.RequireTool(t, "ledger", "ledger")
	testenv.RequireTool(t, "hledger", "hledger")
	c := tiny(t)
	c.Only = []string{"peers"}
	rep, err := Run(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, f := range rep.Figures {
		names[f.Name] = true
	}
	for _, want := range []string{"ledger time / Backflush time", "hledger time / Backflush time"} {
		if !names[want] {
			t.Errorf("no figure %q among %v", want, rep.Figures)
		}
	}
}

// TestRunTinyPostgres runs the postgres section on the test server.
func TestRunTinyPostgres(t *testing.T) {
	c := tiny(t)
	c.PGDSN = testenv.RequirePostgres(t)
	c.Only = []string{"postgres"}
	rep, err := Run(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	if !sections(rep)["postgres"] {
		t.Errorf("no figure of section postgres: %+v", rep.Figures)
	}
}

// TestOnlyRefusesUnknown: a misspelt section is an error, not a silent no-op.
func TestOnlyRefusesUnknown(t *testing.T) {
	if _, err := Run(context.Background(), Config{Only: []string{"sqlit"}}); err == nil {
		t.Fatal("an unknown section was accepted")
	}
}

func TestMedianQuantile(t *testing.T) {
	if median([]float64{3, 1, 2}) != 2 || median([]float64{4, 1, 3, 2}) != 2.5 || median(nil) != 0 {
		t.Error("median")
	}
	if num(1234567) != "1,234,567" || num(-1500) != "-1,500" || intText(20) != "20" {
		t.Errorf("num: %s %s %s", num(1234567), num(-1500), intText(20))
	}
}
