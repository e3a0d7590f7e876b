package costing_test

import (
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/internal/scenariotest"
)

// TestProrateIgnoresLCNRV: prorating a conversion variance weighs cost of
// goods sold by its movement since the last close, which leaves out the
// LCNRV releases (a close posts them after its proration and its mark), so
// a book with LCNRV and the same book without split every close's variance
// alike. Weighed by its running balance instead, the third close would
// count the second close's release in the LCNRV book.
func TestProrateIgnoresLCNRV(t *testing.T) {
	const plant = `
name: prorate and lcnrv
currency: USD
items:
  - {id: m, kind: material, standard_cost: 10}
  - {id: g, kind: finished, conversion_cost: 10, nrv: 15, bom: [{item: m, qty: 1}]}
books:
  - {name: plain, method: sequential}
  - {name: lcnrv, method: sequential, lcnrv: {basis: item, standard: us_gaap}}
close: {conversion_variance: prorate}
events:
  - {id: p1, date: 2026-01-05, type: purchase, item: m, qty: 100, unit_cost: 10}
  - {id: s1, date: 2026-01-06, type: start, item: g, qty: 100}
  - {id: f1, date: 2026-01-07, type: complete, item: g, qty: 100}
  - {id: v1, date: 2026-01-20, type: conversion_cost, amount: 1100}
  - {id: x1, date: 2026-01-25, type: sale, item: g, qty: 40, unit_price: 30}
  - {id: z1, date: 2026-01-31, type: close}
  - {id: x2, date: 2026-02-10, type: sale, item: g, qty: 50, unit_price: 30}
  - {id: v2, date: 2026-02-20, type: conversion_cost, amount: 100}
  - {id: z2, date: 2026-02-28, type: close}
  - {id: x3, date: 2026-03-10, type: sale, item: g, qty: 5, unit_price: 30}
  - {id: v3, date: 2026-03-20, type: conversion_cost, amount: 50}
  - {id: z3, date: 2026-03-31, type: close}
`
	_, l := scenariotest.Decode(t, "prorate-lcnrv", plant)
	closes := func(name string) [][bf.NumAccounts]bf.Money {
		b := l.Book(name)
		var out [][bf.NumAccounts]bf.Money
		for _, e := range b.Journal.Entries() {
			if e.Kind != bf.EntryClose {
				continue
			}
			var m [bf.NumAccounts]bf.Money
			for _, ln := range b.Journal.LinesOf(e) {
				m[ln.Account] += ln.Amount
			}
			out = append(out, m)
		}
		return out
	}
	plain, written := closes("plain"), closes("lcnrv")
	if len(plain) != 3 || len(written) != 3 {
		t.Fatalf("closes: %d and %d entries", len(plain), len(written))
	}
	if l.Book("lcnrv").Balance(bf.InventoryWritedown) == 0 {
		t.Fatal("the case writes nothing down: it tests nothing")
	}
	for k := range plain {
		for _, a := range []bf.Account{bf.WIP, bf.FinishedGoods, bf.COGS} {
			if plain[k][a] != written[k][a] {
				t.Errorf("close %d, %s: %s without LCNRV, %s with", k+1, a, plain[k][a].Format(2), written[k][a].Format(2))
			}
		}
	}
}
