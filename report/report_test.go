package report_test

import (
	"bytes"
	"strings"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/internal/scenariotest"
	"github.com/backflush/backflush/report"
)

// build decodes and costs a scenario document.
func build(t *testing.T, yaml string) (*bf.Config, *costing.Ledger) {
	t.Helper()
	return scenariotest.Decode(t, "test.yaml", yaml)
}

const acton = `
name: Acton
items:
  - {id: dm, kind: material, standard_cost: 1.00}
  - {id: cable, kind: finished, conversion_cost: 20, price: 60, bom: [{item: dm, qty: 25}]}
books:
  - {name: seq, method: sequential}
  - {name: pc, method: backflush, triggers: [purchase, completion]}
  - {name: ps, method: backflush, triggers: [purchase, sale]}
CLOSE
accounts:
  cogs: "5000"
  finished_goods: {code: "1300", name: Finished goods}
events:
  - {id: p1, date: 2026-08-01, type: purchase, item: dm, qty: 550000, unit_cost: 1.00}
  - {id: s1, date: 2026-08-01, type: start, item: cable, qty: 21000}
  - {id: c1, date: 2026-08-31, type: conversion_cost, amount: 440000}
  - {id: f1, date: 2026-08-31, type: complete, item: cable, qty: 21000}
  - {id: x1, date: 2026-08-31, type: sale, item: cable, qty: 20000, unit_price: 60}
  - {id: z1, date: 2026-08-31, type: close}
`

// TestProrate checks the proration of Acton's 20,000 under-allocated
// conversion, worked by hand: over finished goods 45,000 and COGS 900,000
// (sequential and purchase+completion) the shares are 20,000 × 45/945 =
// 952.380… and 20,000 × 900/945 = 19,047.619…; the cent left by rounding down
// goes to the larger remainder, COGS. Without finished goods (purchase+sale)
// all 40,000 goes to COGS.
func TestProrate(t *testing.T) {
	_, l := build(t, strings.Replace(acton, "CLOSE", "close: {conversion_variance: prorate}", 1))
	for _, c := range []struct {
		book      string
		fg, cogs  string
		conv, ctl string
	}{
		{"seq", "45952.38", "919047.62", "0.00", "0.00"},
		{"pc", "45952.38", "919047.62", "0.00", "0.00"},
		{"ps", "0.00", "940000.00", "0.00", "0.00"},
	} {
		b := l.Book(c.book)
		if got := b.Balance(bf.FinishedGoods).Format(2); got != c.fg {
			t.Errorf("%s: finished goods %s, want %s", c.book, got, c.fg)
		}
		if got := b.Balance(bf.COGS).Format(2); got != c.cogs {
			t.Errorf("%s: COGS %s, want %s", c.book, got, c.cogs)
		}
		if got := b.Balance(bf.ConversionAllocated).Format(2); got != c.conv {
			t.Errorf("%s: conversion allocated %s, want %s", c.book, got, c.conv)
		}
		if got := b.Balance(bf.ConversionControl).Format(2); got != c.ctl {
			t.Errorf("%s: conversion control %s, want %s", c.book, got, c.ctl)
		}
	}
}

// TestChartCodes checks that a plant's own account codes replace the default
// ids in every report.
func TestChartCodes(t *testing.T) {
	sc, l := build(t, strings.Replace(acton, "CLOSE", "", 1))
	o := report.Options{Title: sc.Name, Chart: &sc.Chart}
	var txt, js bytes.Buffer
	if err := report.WriteText(&txt, l, o); err != nil {
		t.Fatal(err)
	}
	if err := report.WriteJSON(&js, l, o); err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{txt.String(), js.String()} {
		if !strings.Contains(out, "5000") || !strings.Contains(out, "1300") {
			t.Errorf("codes 5000 and 1300 missing from:\n%.400s", out)
		}
		if strings.Contains(out, "Dr cogs") || strings.Contains(out, `"account": "cogs"`) {
			t.Errorf("default id cogs still shown")
		}
	}
	doc := report.BuildJSON(l, o)
	if got := doc.Books[0].Balances["5000"]; got != "920000.00" {
		t.Errorf("balance of 5000 (COGS) = %s, want 920000.00", got)
	}
}

// TestDifferences checks the split of purchase+sale against sequential on
// Acton: 1,000 finished cables held at 45 in sequential and at their 25 of
// materials in materials-in-process: finished goods −45,000, materials +25,000
// − 25,000 of unused materials in both = +25,000, COGS +20,000.
func TestDifferences(t *testing.T) {
	_, l := build(t, strings.Replace(acton, "CLOSE", "", 1))
	ds := report.Differences(l)
	if len(ds) != 2 {
		t.Fatalf("%d differences, want 2", len(ds))
	}
	d := ds[1]
	if d.Book != "ps" || d.Reference != "seq" {
		t.Fatalf("difference %s vs %s", d.Book, d.Reference)
	}
	check := func(name string, got bf.Money, want string) {
		if got.Format(2) != want {
			t.Errorf("%s = %s, want %s", name, got.Format(2), want)
		}
	}
	check("materials+WIP", d.MaterialsAndWIP, "25000.00")
	check("finished goods", d.FinishedGoods, "-45000.00")
	check("payable", d.Payable, "0.00")
	check("COGS", d.COGS, "20000.00")
	check("operating income", d.OperatingIncome, "-20000.00")
	if len(d.Reasons) != 2 {
		t.Errorf("reasons %q, want WIP and finished goods", d.Reasons)
	}
	if len(ds[0].Reasons) != 1 {
		t.Errorf("purchase+completion reasons %q, want only WIP", ds[0].Reasons)
	}
}

// TestWhyRunningBalance checks the audit trail's running balance on Acton's
// finished goods in the purchase+completion book.
func TestWhyRunningBalance(t *testing.T) {
	_, l := build(t, strings.Replace(acton, "CLOSE", "", 1))
	ms := report.Why(l, l.Book("pc"), bf.FinishedGoods, "")
	if len(ms) != 2 {
		t.Fatalf("%d movements, want 2", len(ms))
	}
	if ms[0].Event != "f1" || ms[0].Amount.Format(2) != "945000.00" || ms[1].Event != "x1" || ms[1].Balance.Format(2) != "45000.00" {
		t.Errorf("movements %+v", ms)
	}
}

// TestTrialBalance checks the trial balance of Acton's sequential book: a
// row for every account with lines, named by the chart, and totals that
// agree.
func TestTrialBalance(t *testing.T) {
	sc, l := build(t, strings.Replace(acton, "CLOSE", "", 1))
	tb := report.TrialBalanceOf(l.Book("seq"), &sc.Chart)
	used := report.Used(&l.Book("seq").Journal)
	n := 0
	for _, u := range used {
		if u {
			n++
		}
	}
	if len(tb.Rows) != n {
		t.Fatalf("%d rows, want %d", len(tb.Rows), n)
	}
	var dr, cr bf.Money
	for i, r := range tb.Rows {
		if i > 0 && r.Account <= tb.Rows[i-1].Account {
			t.Errorf("row %d (%s) out of account order", i, r.Code)
		}
		if r.Debit()-r.Credit() != r.Balance || r.Debit() < 0 || r.Credit() < 0 {
			t.Errorf("%s: debit %s, credit %s, balance %s", r.Code, r.Debit().Format(2), r.Credit().Format(2), r.Balance.Format(2))
		}
		dr += r.Debit()
		cr += r.Credit()
		if r.Account == bf.FinishedGoods && (r.Code != "1300" || r.Name != "Finished goods" || r.Balance.Format(2) != "45000.00") {
			t.Errorf("finished goods row %+v", r)
		}
		if r.Account == bf.COGS && (r.Code != "5000" || r.Name != "") {
			t.Errorf("COGS row %+v", r)
		}
	}
	if tb.Debit != dr || tb.Credit != cr || tb.Debit != tb.Credit || tb.Debit == 0 {
		t.Errorf("totals %s / %s, rows add up to %s / %s", tb.Debit.Format(2), tb.Credit.Format(2), dr.Format(2), cr.Format(2))
	}
	if r := report.TrialBalanceOf(l.Book("seq"), nil).Rows[0]; r.Code != r.Account.String() || r.Name != "" {
		t.Errorf("without a chart: %+v", r)
	}
}
