package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStoreCommands runs the store commands end to end on an embedded
// store: init, ingest (JSONL and CSV, again as a no-op), reports from the
// store, reverse, queue, close (refused in a closed period), recost and the
// previous journal.
func TestStoreCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "b.db")
	jsonl := filepath.Join(dir, "sep.jsonl")
	csv := filepath.Join(dir, "sep.csv")
	os.WriteFile(jsonl, []byte(`{"id":"s-p1","date":"2026-09-01","type":"purchase","item":"dm","qty":"2500","unit_cost":"1.00"}
{"id":"s-f1","date":"2026-09-02","type":"complete","item":"cable","qty":"100"}
`), 0o644)
	os.WriteFile(csv, []byte("id,date,type,item,qty\ns-x1,2026-09-03,sale,cable,50\n"), 0o644)
	newer := filepath.Join(dir, "acton-22.yaml")
	doc, _ := os.ReadFile("../../testdata/acton/scenario.yaml")
	os.WriteFile(newer, []byte(strings.Replace(strings.Split(string(doc), "events:")[0], "conversion_cost: 20", "conversion_cost: 22", 1)), 0o644)
	steps := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"init", "--db", db, "../../testdata/acton/scenario.yaml"}, 0, "6 events in the log"},
		{[]string{"init", "--db", db, "../../testdata/acton/scenario.yaml"}, 5, "already holds a configuration"},
		{[]string{"ingest", "--db", db, jsonl, csv}, 0, "accepted 3 events, 0 already in the log"},
		{[]string{"ingest", "--db", db, jsonl}, 0, "accepted 0 events, 2 already in the log"},
		{[]string{"report", "income", "--db", db, "--book", "purchase+completion"}, 0, "period 2"},
		{[]string{"show", "--db", db, "--book", "purchase+completion"}, 0, "finished_goods"},
		{[]string{"reverse", "--db", db, "--event", "s-x1", "--date", "2026-09-04"}, 0, "posted reverse reverse-s-x1"},
		{[]string{"reverse", "--db", db, "--event", "s-x1", "--date", "2026-09-04", "--id", "again"}, 5, "already reversed"},
		{[]string{"queue", "--db", db}, 0, "queue is empty"},
		{[]string{"recost", "--db", db, newer, "--effective", "2026-09-02", "--note", "conversion-22"}, 0, "version 2 effective 2026-09-02"},
		{[]string{"show", "--db", db, "--book", "purchase+completion", "--format", "json"}, 0, `"conversion_allocated": "-2200.00"`},
		{[]string{"show", "--db", db, "--book", "purchase+completion", "--format", "json", "--previous"}, 0, `"conversion_allocated": "-2000.00"`},
		// The controller's reports from the store: version 2, in force, against version 1.
		{[]string{"report", "bom", "--db", db, "--item", "cable"}, 0, "rolled-up standard 47.00"},
		{[]string{"report", "bom", "--db", db, "--proposed-version", "1"}, 0, "Proposed standards (configuration version 1) against"},
		{[]string{"report", "bom", "--db", db, "--proposed-version", "1", "--format", "json"}, 0, `"difference": "-2.00"`},
		{[]string{"report", "bom", "--db", db, "--proposed-version", "3"}, 4, "no configuration version 3"},
		{[]string{"report", "throughput", "--db", db}, 3, "configuration version 2: field throughput"},
		{[]string{"close", "--db", db, "--date", "2026-09-30"}, 0, "posted close"},
		{[]string{"ingest", "--db", db, "-format", "csv", csv}, 0, "1 already in the log"},
		{[]string{"close", "--db", db, "--date", "2026-09-15", "--id", "late"}, 6, "closed through 2026-09-30"},
		{[]string{"recost", "--db", db, newer, "--effective", "2026-09-20"}, 6, "closed through 2026-09-30"},
	}
	for _, s := range steps {
		code, out, stderr := runMain(t, s.args...)
		if code != s.code || !strings.Contains(out+stderr, s.want) {
			t.Fatalf("%v: exit %d (want %d), output %.300q %q lacks %q", s.args, code, s.code, out, stderr, s.want)
		}
	}
}
