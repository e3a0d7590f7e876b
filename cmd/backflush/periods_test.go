package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCloseByDate is issue 13's example: a sale dated 2026-09-15 is posted
// while August is open, then August is closed (close --date 2026-08-31).
// The close covers exactly the events dated on or before it: period 1 ends
// on 2026-08-31 and has no September revenue (Acton's 20,000 cables at
// 60), the sale stays in period 2. A late August document is then refused,
// a late September one accepted into period 2. The same events from a file
// (run, export --period 1) give the same periods.
func TestCloseByDate(t *testing.T) {
	dir := t.TempDir()
	doc, err := os.ReadFile("../../testdata/acton/scenario.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var kept []string // Acton without its close: August stays open
	for _, ln := range strings.SplitAfter(string(doc), "\n") {
		if !strings.Contains(ln, "type: close") {
			kept = append(kept, ln)
		}
	}
	plant := filepath.Join(dir, "plant.yaml")
	write := func(name, s string) string {
		t.Helper()
		f := filepath.Join(dir, name)
		if err := os.WriteFile(f, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return f
	}
	write("plant.yaml", strings.Join(kept, ""))
	sale := `{"id":"x2","date":"2026-09-15","type":"sale","item":"cable","qty":"500","unit_price":"60"}` + "\n"
	sep := write("sep.jsonl", sale)
	aug := write("aug.jsonl", `{"id":"p9","date":"2026-08-20","type":"purchase","item":"dm","qty":"5","unit_cost":"1"}`+"\n")
	sep2 := write("sep2.jsonl", `{"id":"p10","date":"2026-09-02","type":"purchase","item":"dm","qty":"5","unit_cost":"1"}`+"\n")
	both := write("both.jsonl", sale+`{"id":"z","date":"2026-08-31","type":"close"}`+"\n")
	db := filepath.Join(dir, "b.db")
	august := "period 1 (2026-08-01 to 2026-08-31, closed) ==\n  revenue                           1,200,000.00\n"
	for _, s := range []struct {
		args      []string
		code      int
		want, not []string
	}{
		{[]string{"init", "--db", db, plant}, 0, []string{"5 events in the log"}, nil},
		{[]string{"ingest", "--db", db, sep}, 0, []string{"accepted 1 event,"}, nil},
		{[]string{"close", "--db", db, "--date", "2026-08-31"}, 0, []string{"posted close close-2026-08-31"}, nil},
		{[]string{"report", "income", "--db", db, "--book", "sequential"}, 0, []string{august,
			"period 2 (2026-09-15 to 2026-09-15, open) ==\n  revenue                           30,000.00\n"}, nil},
		{[]string{"ingest", "--db", db, aug}, 6, []string{"closed through 2026-08-31"}, nil},
		{[]string{"ingest", "--db", db, sep2}, 0, []string{"accepted 1 event,"}, nil},
		{[]string{"report", "income", "--db", db, "--book", "sequential"}, 0, []string{august, "period 2 (2026-09-02 to 2026-09-15, open)"}, nil},
		{[]string{"run", plant, "--events", both, "--book", "sequential"}, 0, nil, nil},
		{[]string{"report", "income", plant, "--events", both, "--book", "sequential"}, 0, []string{august, "period 2 (2026-09-15 to 2026-09-15, open)"}, nil},
		{[]string{"export", plant, "--events", both, "--book", "sequential", "--to", "ledger", "--period", "1"}, 0,
			[]string{"period 1 (2026-08-01 to 2026-08-31, closed)"}, []string{"2026-09-15"}},
		{[]string{"export", plant, "--events", both, "--book", "sequential", "--to", "ledger", "--period", "2"}, 0,
			[]string{"period 2 (2026-09-15 to 2026-09-15, open)", "2026-09-15 * (x2) sale"}, nil},
	} {
		code, out, stderr := runMain(t, s.args...)
		if code != s.code {
			t.Fatalf("%v: exit %d, want %d: %s%s", s.args, code, s.code, out, stderr)
		}
		for _, w := range s.want {
			if !strings.Contains(out+stderr, w) {
				t.Fatalf("%v: output lacks %q:\n%s%s", s.args, w, out, stderr)
			}
		}
		for _, n := range s.not {
			if strings.Contains(out, n) {
				t.Errorf("%v: output holds %q:\n%s", s.args, n, out)
			}
		}
	}
}
