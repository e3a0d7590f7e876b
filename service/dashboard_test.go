package service_test

import (
	"bytes"
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/export"
	"github.com/backflush/backflush/service"
)

// TestTrialBalanceOf: the balances as of the last day are the whole
// journal's; as of the day before anything, nothing; the periods'
// movements add up to the whole journal's balances, account by account.
func TestTrialBalanceOf(t *testing.T) {
	s, _ := open(t)
	ctx := context.Background()
	if _, err := s.Ingest(ctx, []bf.Event{ev("p1", 0, bf.Purchase, "dm", 1000), ev("f1", 1, bf.Complete, "cable", 10), ev("x1", 3, bf.Sale, "cable", 4)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Close(ctx, day(5), "", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Ingest(ctx, []bf.Event{ev("p2", 8, bf.Purchase, "dm", 50), ev("x2", 9, bf.Sale, "cable", 2)}); err != nil {
		t.Fatal(err)
	}
	for _, b := range s.Books() {
		name := b.Config.Name
		whole, err := s.TrialBalance(name, false)
		if err != nil {
			t.Fatal(err)
		}
		asOf, err := s.TrialBalanceOf(service.TrialBalanceQuery{Book: name, AsOf: day(9)})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(whole.Rows, asOf.Rows) || asOf.Entries != whole.Entries {
			t.Errorf("%s: as of the last day %v, the whole journal %v", name, asOf.Rows, whole.Rows)
		}
		none, _ := s.TrialBalanceOf(service.TrialBalanceQuery{Book: name, AsOf: day(-1)})
		if len(none.Rows) != 0 || none.Entries != 0 {
			t.Errorf("%s: as of the day before the first event: %v", name, none.Rows)
		}
		early, _ := s.TrialBalanceOf(service.TrialBalanceQuery{Book: name, AsOf: day(0)})
		if early.Debit == whole.Debit || early.Debit == 0 || early.Debit != early.Credit {
			t.Errorf("%s: as of the first day: debits %d, credits %d (whole %d)", name, early.Debit, early.Credit, whole.Debit)
		}
		sum := map[bf.Account]bf.Money{}
		for p := 1; p <= 2; p++ {
			tb, err := s.TrialBalanceOf(service.TrialBalanceQuery{Book: name, Period: p})
			if err != nil {
				t.Fatal(err)
			}
			if tb.Debit != tb.Credit {
				t.Errorf("%s period %d does not balance: %d, %d", name, p, tb.Debit, tb.Credit)
			}
			for _, r := range tb.Rows {
				sum[r.Account] += r.Balance
			}
		}
		for _, r := range whole.Rows {
			if sum[r.Account] != r.Balance {
				t.Errorf("%s: %s moved %d over the periods, balance %d", name, r.Account, sum[r.Account], r.Balance)
			}
		}
	}
	for _, q := range []service.TrialBalanceQuery{{Book: "seq", Period: 3}, {Book: "nope"}} {
		if _, err := s.TrialBalanceOf(q); bf.ErrorKind(err) != bf.KindNotFound {
			t.Errorf("%+v: %v, want not found", q, err)
		}
	}
	if _, err := s.TrialBalanceOf(service.TrialBalanceQuery{Book: "seq", Period: 1, AsOf: day(2)}); bf.ErrorKind(err) != bf.KindInvalid {
		t.Errorf("a date and a period: %v, want invalid", err)
	}
}

// TestAccountLines: filters choose lines, the running balance counts
// every line, and At finds the page holding a date.
func TestAccountLines(t *testing.T) {
	s, _ := open(t)
	ctx := context.Background()
	var evs []bf.Event
	for i := range 30 {
		evs = append(evs, ev("p"+strconv.Itoa(i), i, bf.Purchase, "dm", 10))
	}
	if _, err := s.Ingest(ctx, evs); err != nil {
		t.Fatal(err)
	}
	q := service.AccountQuery{Book: "seq", Account: bf.Materials}
	all, page, err := s.AccountLines(q, service.Page{Number: 1, Limit: 7})
	if err != nil || all.Total != 30 || page != 1 || len(all.Movements) != 7 {
		t.Fatalf("every line: %+v page %d, %v", all, page, err)
	}
	q.At = day(15) // line 16, on page 3 of 7 a page
	am, page, _ := s.AccountLines(q, service.Page{Number: 1, Limit: 7})
	if page != 3 || am.Movements[1].Event != "p15" {
		t.Errorf("at day 15: page %d, second line %s", page, am.Movements[1].Event)
	}
	q.At, q.From, q.To = 0, day(10), day(12)
	am, _, _ = s.AccountLines(q, service.Page{})
	if am.Total != 3 || am.Movements[0].Balance != 11000 {
		t.Errorf("days 10 to 12: %d lines, first balance %s (want 3 and 110.00: the balance counts the earlier lines)", am.Total, am.Movements[0].Balance.Format(2))
	}
	q.From, q.To, q.Type = 0, 0, bf.Sale
	if am, _, _ = s.AccountLines(q, service.Page{}); am.Total != 0 {
		t.Errorf("sales: %d lines", am.Total)
	}
	q.Type, q.Item = 0, "nope"
	if _, _, err := s.AccountLines(q, service.Page{}); bf.ErrorKind(err) != bf.KindNotFound {
		t.Errorf("an unknown item: %v", err)
	}
}

// TestCommandsBy: the dashboard's commands record who gave them, and the
// same person's retry is the same event.
func TestCommandsBy(t *testing.T) {
	s, _ := open(t)
	ctx := context.Background()
	if _, err := s.Ingest(ctx, []bf.Event{ev("p1", 0, bf.Purchase, "dm", 10)}); err != nil {
		t.Fatal(err)
	}
	p, err := s.CloseBy(ctx, day(1), "done", "by ann", "")
	if err != nil || p.ID != "close-2026-08-02" || p.Accepted != 1 {
		t.Fatalf("%+v %v", p, err)
	}
	if p, err = s.CloseBy(ctx, day(1), "done", "by ann", ""); err != nil || p.Duplicates != 1 {
		t.Errorf("the retry: %+v %v", p, err)
	}
	if _, err = s.CloseBy(ctx, day(1), "done", "by bob", ""); bf.ErrorKind(err) != bf.KindConflict {
		t.Errorf("another person's close of the same day: %v, want conflict", err)
	}
	d, _ := s.Event("close-2026-08-02")
	if d.Event.Memo != "by ann" || d.Event.Reason != "done" {
		t.Errorf("recorded %+v", d.Event)
	}
	if _, err = s.ReprocessBy(ctx, day(2), "", "by ann", ""); err != nil {
		t.Fatal(err)
	}
	if d, _ = s.Event("reprocess-2026-08-03"); d.Event.Memo != "by ann" {
		t.Errorf("reprocess recorded %+v", d.Event)
	}
}

// TestExport: a book's export through the service is the file of package
// export; an unknown book or period is not found.
func TestExport(t *testing.T) {
	s, _ := open(t)
	if _, err := s.Ingest(context.Background(), []bf.Event{ev("p1", 0, bf.Purchase, "dm", 10)}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := s.Export(&buf, service.ExportRequest{Book: "seq", Format: export.HLedger}); err != nil || !strings.Contains(buf.String(), "p1") {
		t.Errorf("%v\n%s", err, buf.String())
	}
	for _, r := range []service.ExportRequest{{Book: "nope", Format: export.CSV}, {Book: "seq", Format: export.CSV, Period: 2}} {
		if err := s.Export(&buf, r); bf.ErrorKind(err) != bf.KindNotFound {
			t.Errorf("%+v: %v, want not found", r, err)
		}
	}
}
