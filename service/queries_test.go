package service_test

import (
	"bytes"
	"context"
	"os"
	"slices"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/report"
	"github.com/backflush/backflush/service"
)

// queried opens the test plant with a small log: two purchases (the second
// reversed), a start, a completion and a sale, over six days.
func queried(t *testing.T) *service.Service {
	t.Helper()
	s, _ := open(t)
	evs := []bf.Event{
		ev("p1", 0, bf.Purchase, "dm", 1000),
		ev("s1", 1, bf.Start, "cable", 10),
		ev("f1", 1, bf.Complete, "cable", 10),
		ev("p2", 2, bf.Purchase, "dm", 50),
		{ID: "r1", Date: bf.Date(20666 + 3), Type: bf.Reverse, Reverses: "p2"},
		ev("x1", 5, bf.Sale, "cable", 3),
	}
	if _, err := s.Ingest(context.Background(), evs); err != nil {
		t.Fatal(err)
	}
	return s
}

func ids(evs []bf.Event) []string {
	var out []string
	for _, e := range evs {
		out = append(out, e.ID)
	}
	return out
}

func wantNotFound(t *testing.T, what string, err error) {
	t.Helper()
	if bf.ErrorKind(err) != bf.KindNotFound {
		t.Errorf("%s: %v, want not found", what, err)
	}
}

func TestPageBounds(t *testing.T) {
	for _, c := range []struct {
		p             service.Page
		total, lo, hi int
		pages         int
	}{
		{service.Page{Number: 1, Limit: 2}, 5, 0, 2, 3},
		{service.Page{Number: 3, Limit: 2}, 5, 4, 5, 3},
		{service.Page{Number: 4, Limit: 2}, 5, 5, 5, 3},          // past the end: empty
		{service.Page{Number: 1 << 62, Limit: 1000}, 5, 5, 5, 1}, // no overflow
		{service.Page{Number: 1, Limit: 10}, 0, 0, 0, 0},         // nothing at all
		{service.Page{Number: 2, Limit: 5}, 10, 5, 10, 2},        // the last page, full
		{service.Page{Number: 0, Limit: 5}, 10, 0, 5, 2},         // a page below 1 is the first
		{service.Page{}, 7, 0, 7, 1},                             // no limit: one page of all
	} {
		lo, hi := c.p.Bounds(c.total)
		if lo != c.lo || hi != c.hi || c.p.Pages(c.total) != c.pages {
			t.Errorf("%+v of %d: [%d, %d) in %d pages, want [%d, %d) in %d", c.p, c.total, lo, hi, c.p.Pages(c.total), c.lo, c.hi, c.pages)
		}
	}
}

func TestEventsQuery(t *testing.T) {
	s := queried(t)
	all := []string{"p1", "s1", "f1", "p2", "r1", "x1"}
	if s.Len() != len(all) || s.ClosedThrough() != 0 {
		t.Fatalf("len %d, closed through %s", s.Len(), s.ClosedThrough())
	}
	page := service.Page{Number: 1, Limit: 100}
	for _, c := range []struct {
		name  string
		f     service.EventFilter
		p     service.Page
		want  []string
		total int
	}{
		{"all", service.EventFilter{}, page, all, 6},
		{"type", service.EventFilter{Type: bf.Purchase}, page, []string{"p1", "p2"}, 2},
		{"item", service.EventFilter{Item: "cable"}, page, []string{"s1", "f1", "x1"}, 3},
		{"dates", service.EventFilter{From: 20668, To: 20669}, page, []string{"p2", "r1"}, 2},
		{"from", service.EventFilter{From: 20670}, page, []string{"x1"}, 1},
		{"type and item", service.EventFilter{Type: bf.Complete, Item: "dm"}, page, nil, 0},
		{"second page", service.EventFilter{}, service.Page{Number: 2, Limit: 4}, []string{"r1", "x1"}, 6},
		{"past the end", service.EventFilter{}, service.Page{Number: 4, Limit: 4}, nil, 6},
	} {
		evs, total, err := s.Events(c.f, c.p)
		if err != nil || !slices.Equal(ids(evs), c.want) || total != c.total {
			t.Errorf("%s: %v of %d (%v), want %v of %d", c.name, ids(evs), total, err, c.want, c.total)
		}
	}
	_, _, err := s.Events(service.EventFilter{Item: "wire"}, page)
	wantNotFound(t, "events of an unknown item", err)
}

func TestEventQuery(t *testing.T) {
	s := queried(t)
	d, err := s.Event("f1")
	if err != nil {
		t.Fatal(err)
	}
	if d.Event.ID != "f1" || d.Position != 3 || d.Len != 6 || d.Period != 1 || d.ReversedBy != "" {
		t.Errorf("f1: %+v", d)
	}
	if len(d.Books) != 2 || d.Books[0].Book != "seq" || d.Books[1].Book != "pc" {
		t.Fatalf("books %+v", d.Books)
	}
	for _, b := range d.Books {
		if len(b.Entries) == 0 {
			t.Errorf("book %s made no entry for f1", b.Book)
		}
		for _, e := range b.Entries {
			if e.Event != "f1" || len(e.Lines) == 0 {
				t.Errorf("book %s: entry %+v", b.Book, e)
			}
		}
	}
	if len(d.BOM) != 1 || d.BOM[0].Item != "dm" || d.BOM[0].Per != bf.Units(25) || d.BOM[0].Path == "" {
		t.Errorf("BOM of f1: %+v", d.BOM)
	}
	p2, err := s.Event("p2")
	if err != nil || p2.ReversedBy != "r1" || p2.BOM != nil {
		t.Errorf("p2: %+v %v", p2, err)
	}
	_, err = s.Event("nope")
	wantNotFound(t, "an unknown event", err)
}

func TestBookQueries(t *testing.T) {
	s := queried(t)
	books := s.Books()
	if len(books) != 2 || books[0].Config.Name != "seq" || books[1].Config.Name != "pc" {
		t.Fatalf("books %+v", books)
	}
	if !books[0].Used[bf.Materials] || books[0].Used[bf.MaterialsInProcess] || !books[1].Used[bf.MaterialsInProcess] {
		t.Errorf("accounts used: seq %v, pc %v", books[0].Used, books[1].Used)
	}
	for _, b := range books {
		tb, err := s.TrialBalance(b.Config.Name, false)
		if err != nil {
			t.Fatal(err)
		}
		if tb.Entries != b.Summary.Entries || tb.Debit != tb.Credit || tb.Config.Name != b.Config.Name {
			t.Errorf("trial balance of %s: %d entries, %d/%d", b.Config.Name, tb.Entries, tb.Debit, tb.Credit)
		}
		inv, err := s.Inventory(b.Config.Name)
		if err != nil || len(inv) != 1 || inv[0].Book != b.Config.Name {
			t.Fatalf("inventory of %s: %+v %v", b.Config.Name, inv, err)
		}
		sr := inv[0]
		last := sr.Values[len(sr.Values)-1]
		if !slices.IsSorted(sr.Dates) || len(sr.Dates) != 5 || last[len(sr.Accounts)] != b.Summary.TotalInventory {
			t.Errorf("inventory of %s: %v, last %v, total %d", b.Config.Name, sr.Dates, last, b.Summary.TotalInventory)
		}
	}
	if inv, err := s.Inventory(""); err != nil || len(inv) != 2 {
		t.Errorf("inventory of every book: %d %v", len(inv), err)
	}
	_, err := s.Inventory("nope")
	wantNotFound(t, "inventory of an unknown book", err)
	_, err = s.TrialBalance("nope", false)
	wantNotFound(t, "trial balance of an unknown book", err)
	_, err = s.TrialBalance("seq", true)
	wantNotFound(t, "previous trial balance without a re-costing", err)
}

func TestJournalQuery(t *testing.T) {
	s := queried(t)
	n := s.Books()[0].Summary.Entries
	revenue := bf.SalesRevenue
	page := service.Page{Number: 1, Limit: 100}
	for _, c := range []struct {
		name   string
		q      service.JournalQuery
		p      service.Page
		events []string // the events of the entries, in order, deduplicated
		total  int      // -1: every entry of the book
	}{
		{"all", service.JournalQuery{Book: "seq"}, page, []string{"p1", "s1", "f1", "p2", "r1", "x1"}, -1},
		{"event", service.JournalQuery{Book: "seq", Event: "p2"}, page, []string{"p2"}, 1},
		{"account", service.JournalQuery{Book: "seq", Account: &revenue}, page, []string{"x1"}, 1},
		{"dates", service.JournalQuery{Book: "seq", From: 20668, To: 20669}, page, []string{"p2", "r1"}, 2},
		{"first page", service.JournalQuery{Book: "seq"}, service.Page{Number: 1, Limit: 1}, []string{"p1"}, -1},
		{"past the end", service.JournalQuery{Book: "seq"}, service.Page{Number: n + 1, Limit: 1}, nil, -1},
	} {
		es, total, err := s.Journal(c.q, c.p)
		var evs []string
		for _, e := range es {
			if len(evs) == 0 || evs[len(evs)-1] != e.Event {
				evs = append(evs, e.Event)
			}
		}
		want := c.total
		if want < 0 {
			want = n
		}
		if err != nil || !slices.Equal(evs, c.events) || total != want {
			t.Errorf("%s: entries of %v, %d in all (%v); want %v, %d", c.name, evs, total, err, c.events, want)
		}
	}
	for _, q := range []service.JournalQuery{{Book: "nope"}, {Book: ""}, {Book: "seq", Event: "nope"}, {Book: "seq", Previous: true}} {
		_, _, err := s.Journal(q, page)
		wantNotFound(t, "journal "+q.Book+" "+q.Event, err)
	}
}

func TestAccountQuery(t *testing.T) {
	s := queried(t)
	full, err := s.Account("seq", bf.Materials, "", service.Page{Number: 1, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if full.Total != len(full.Movements) || full.Total < 3 || full.Balance != balance(s, "seq", bf.Materials) ||
		full.Movements[full.Total-1].Balance != full.Balance {
		t.Fatalf("materials: %+v", full)
	}
	for _, c := range []struct {
		name  string
		event string
		p     service.Page
		want  []report.Movement
		total int
	}{
		{"second page", "", service.Page{Number: 2, Limit: 2}, full.Movements[2:min(4, full.Total)], full.Total},
		{"past the end", "", service.Page{Number: full.Total + 1, Limit: 1}, nil, full.Total},
		{"one event", "p1", service.Page{Number: 1, Limit: 10}, full.Movements[:1], 1},
	} {
		am, err := s.Account("seq", bf.Materials, c.event, c.p)
		if err != nil || !slices.Equal(am.Movements, c.want) || am.Total != c.total || am.Balance != full.Balance {
			t.Errorf("%s: %+v %v", c.name, am, err)
		}
	}
	_, err = s.Account("nope", bf.Materials, "", service.Page{Number: 1, Limit: 1})
	wantNotFound(t, "an account of an unknown book", err)
	_, err = s.Account("seq", bf.Materials, "nope", service.Page{Number: 1, Limit: 1})
	wantNotFound(t, "the movements of an unknown event", err)
}

// TestReportQuery checks that Report writes what report.Write writes from
// the books, and the previous books only after a re-costing.
func TestReportQuery(t *testing.T) {
	s := queried(t)
	for _, req := range []report.Request{
		{Kind: report.KindBooks, Options: report.Options{Title: "Acton"}},
		{Kind: report.KindBooks, JSON: true, Options: report.Options{Book: "pc"}},
		{Kind: report.KindIncome, Options: report.Options{Title: "Acton"}},
		{Kind: report.KindReconcile, JSON: true, Materiality: report.DefaultMateriality},
		{Kind: report.KindVariances, Options: report.Options{Title: "Acton"}},
		{Kind: report.KindIncome, JSON: true, Columns: true, YearStart: "07-01"},
	} {
		var got, want bytes.Buffer
		if err := s.Report(&got, req, false); err != nil {
			t.Fatal(err)
		}
		s.View(func(l *costing.Ledger) error { return report.Write(&want, l, req) })
		if got.Len() == 0 || got.String() != want.String() {
			t.Errorf("%s report: %q, want %q", req.Kind, got.String(), want.String())
		}
	}
	var buf bytes.Buffer
	wantNotFound(t, "a report of an unknown book", s.Report(&buf, report.Request{Kind: report.KindIncome, Options: report.Options{Book: "nope"}}, false))
	wantNotFound(t, "a previous report without a re-costing", s.Report(&buf, report.Request{Kind: report.KindBooks}, true))
	if bf.ErrorKind(s.Report(&buf, report.Request{Kind: "nope"}, false)) != bf.KindInvalid {
		t.Error("an unknown report was not refused")
	}

	// After a re-costing the previous books answer.
	doc, err := os.ReadFile("testdata/acton-22.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Recost(context.Background(), doc, bf.Date(20666), "conversion at 22"); err != nil {
		t.Fatal(err)
	}
	now, _ := s.TrialBalance("pc", false)
	prev, err := s.TrialBalance("pc", true)
	if err != nil || prev.Entries != now.Entries || slices.Equal(prev.Rows, now.Rows) {
		t.Errorf("previous trial balance: %+v %v, now %+v", prev, err, now)
	}
	if _, total, err := s.Journal(service.JournalQuery{Book: "pc", Previous: true}, service.Page{Number: 1, Limit: 1}); err != nil || total != now.Entries {
		t.Errorf("previous journal: %d entries, %v", total, err)
	}
	if err := s.Report(&buf, report.Request{Kind: report.KindBooks}, true); err != nil {
		t.Errorf("previous books report: %v", err)
	}
}
