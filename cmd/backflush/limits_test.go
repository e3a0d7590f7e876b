package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMoneyCannotOverflow is issue 13 at the command line: run refuses the
// scenario at the event that would pass the largest amount a book holds
// (exit code 3, invalid), naming it, its field, the account and the limit,
// and prints no books; ingest refuses a batch holding such an event, all
// of it, and so does it a batch whose amounts each fit but together pass
// the limit.
func TestMoneyCannotOverflow(t *testing.T) {
	const limit = "would exceed 1,441,151,880,758,558.71 USD, the largest amount a book holds"
	for _, format := range []string{"json", "text"} {
		code, out, stderr := runMain(t, "run", "testdata/overflow.yaml", "--format", format)
		if code != 3 {
			t.Errorf("run --format %s: exit %d, want 3 (stderr %q)", format, code, stderr)
		}
		for _, s := range []string{"testdata/overflow.yaml:11", `event "c1"`, "field amount", "the balance of conversion_control in book sequential " + limit} {
			if !strings.Contains(stderr, s) {
				t.Errorf("run --format %s: stderr %q lacks %q", format, stderr, s)
			}
		}
		if out != "" {
			t.Errorf("run --format %s printed %q", format, out)
		}
	}

	dir := t.TempDir()
	db := filepath.Join(dir, "b.db")
	if code, _, stderr := runMain(t, "init", "--db", db, "../../testdata/acton/scenario.yaml"); code != 0 {
		t.Fatalf("init: exit %d: %s", code, stderr)
	}
	_, shown, _ := runMain(t, "show", "--db", db, "--book", "sequential", "--format", "json")
	if !strings.Contains(shown, `"materials"`) {
		t.Fatalf("show printed %q", shown)
	}
	batches := []struct{ name, events, event, what string }{
		{"the issue's events", `{"id":"ov-p","date":"2026-09-01","type":"purchase","item":"dm","qty":"10","unit_cost":"1.00"}
{"id":"ov-c","date":"2026-09-01","type":"conversion_cost","amount":"50000000000000000"}
{"id":"ov-x","date":"2026-09-02","type":"expense","amount":"50000000000000000","behavior":"fixed"}
`, "ov-c", "the balance of conversion_control in book sequential " + limit},
		{"amounts that pass the limit together", `{"id":"ov-1","date":"2026-09-01","type":"expense","amount":"1000000000000000","behavior":"fixed"}
{"id":"ov-2","date":"2026-09-02","type":"expense","amount":"1000000000000000","behavior":"fixed"}
`, "ov-2", "the balance of selling_admin_fixed in book sequential " + limit},
	}
	for _, b := range batches {
		f := filepath.Join(dir, "batch.jsonl")
		os.WriteFile(f, []byte(b.events), 0o644)
		code, _, stderr := runMain(t, "ingest", "--db", db, f)
		if code != 3 || !strings.Contains(stderr, `event "`+b.event+`"`) || !strings.Contains(stderr, "field amount") || !strings.Contains(stderr, b.what) {
			t.Errorf("ingest %s: exit %d (want 3), stderr %q, want event %s and %q", b.name, code, stderr, b.event, b.what)
		}
		if _, now, _ := runMain(t, "show", "--db", db, "--book", "sequential", "--format", "json"); now != shown {
			t.Errorf("ingest %s: a refused batch changed the book", b.name)
		}
	}
}
