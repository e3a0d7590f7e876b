package costing_test

import (
	"fmt"
	"strings"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
)

// TestLCNRVRecovery works by hand the recovery rules over five quarters.
// Item g (standard 10) is bought, 100 at 10, and its NRV moves: 8, 9.50,
// 7, 9.50, 11, then 8 (each a new plant version, taken on after a close).
// The books differ in their rule:
//
//	us      US GAAP: a write-down is the new cost basis and never recovers
//	        (ASC 330-10-35-14)
//	fy      US GAAP with a fiscal year from 01-01: an interim write-down
//	        recovers within the year, never across (ASC 270-10-45-6)
//	fy-apr  the same with a fiscal year from 04-01: the 2026-03-31 close
//	        ends fiscal 2025
//	std-fy  fy in a standard-cost book
//	ias2    IAS 2: re-measured at every close, a reversal never beyond the
//	        write-down held (IAS 2.33)
//
// The allowance after each close (cost 1,000, so the test requires 200,
// 50, 300, 50, 0):
//
//	close       NRV    us   fy  fy-apr  std-fy  ias2
//	2026-03-31  800   200  200     200     200   200
//	2026-06-30  950   200   50     200      50    50   fy-apr: a new fiscal year began 04-01
//	2026-09-30  700   300  300     300     300   300
//	2026-12-31  950   300   50     200      50    50   fy-apr recovers only its fiscal 2026 write-down (100)
//	2027-03-31 1100   300   50     200      50     0   fy: fiscal 2027, the 50 is now the cost basis
//
// Then 60 are sold and 60 bought at 10, NRV 8: the 40 left from the last
// close keep 40% of their write-down; the rest (us: 180) goes to cost of
// goods sold with the 60 sold, whose cost of goods sold is their carrying
// amount (us: 600 − 180 = 420). The test of the 100 on hand (cost 1,000,
// NRV 800) requires 200.
func TestLCNRVRecovery(t *testing.T) {
	plant := func(nrv int64) *bf.Plant {
		return &bf.Plant{Currency: bf.Currency{Code: "USD", Scale: 2}, Items: []bf.Item{
			{ID: "g", Kind: bf.Material, StandardCost: bf.Dollars(10), NRV: bf.Cost(nrv * 10_000_000)}}}
	}
	std, err := costing.Compile(plant(800))
	if err != nil {
		t.Fatal(err)
	}
	pol := func(s bf.LCNRVStandard, fy string) *bf.LCNRVPolicy {
		m, _ := bf.ParseMonthDay(fy)
		return &bf.LCNRVPolicy{Basis: bf.LCNRVByItem, Standard: s, FiscalYearStart: m}
	}
	books := []bf.BookConfig{
		{Name: "us", Method: bf.MethodSequential, Basis: bf.BasisFIFO, LCNRV: pol(bf.USGAAP, "")},
		{Name: "fy", Method: bf.MethodSequential, Basis: bf.BasisFIFO, LCNRV: pol(bf.USGAAP, "01-01")},
		{Name: "fy-apr", Method: bf.MethodSequential, Basis: bf.BasisFIFO, LCNRV: pol(bf.USGAAP, "04-01")},
		{Name: "std-fy", Method: bf.MethodSequential, LCNRV: pol(bf.USGAAP, "01-01")},
		{Name: "ias2", Method: bf.MethodSequential, Basis: bf.BasisFIFO, LCNRV: pol(bf.IAS2, "")},
	}
	l, err := costing.NewLedger(std, books, bf.CloseToCOGS)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	post := func(date string, e bf.Event) {
		t.Helper()
		n++
		e.ID, e.Date = fmt.Sprint("e", n), mustDate(t, date)
		if err := l.Post(&e); err != nil {
			t.Fatal(err)
		}
	}
	nrv := func(cents int64) {
		t.Helper()
		s, err := costing.CompileFrom(plant(cents), l.Std)
		if err == nil {
			err = l.SwitchStandards(s, l.ClosedThrough()+1)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	check := func(when string, want ...string) {
		t.Helper()
		var got []string
		for _, b := range l.Books {
			got = append(got, (-b.Balance(bf.InventoryAllowance)).Format(2))
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s: allowances (us, fy, fy-apr, std-fy, ias2) %v, want %v", when, got, want)
		}
	}
	post("2026-01-05", bf.Event{Type: bf.Purchase, Item: "g", Qty: bf.Units(100), UnitCost: bf.Dollars(10)})
	for k, q := range []struct {
		close string
		nrv   int64 // the NRV of the 100, in cents, from this quarter on
		want  []string
	}{
		{"2026-03-31", 800, []string{"200.00", "200.00", "200.00", "200.00", "200.00"}},
		{"2026-06-30", 950, []string{"200.00", "50.00", "200.00", "50.00", "50.00"}},
		{"2026-09-30", 700, []string{"300.00", "300.00", "300.00", "300.00", "300.00"}},
		{"2026-12-31", 950, []string{"300.00", "50.00", "200.00", "50.00", "50.00"}},
		{"2027-03-31", 1100, []string{"300.00", "50.00", "200.00", "50.00", "0.00"}},
	} {
		if k > 0 {
			nrv(q.nrv)
		}
		post(q.close, bf.Event{Type: bf.Close})
		check(q.close, q.want...)
	}
	for _, b := range l.Books {
		if wd, a := b.Balance(bf.InventoryWritedown), -b.Balance(bf.InventoryAllowance); wd != a {
			t.Errorf("book %s: write-downs less reversals %s, allowance %s: with no goods gone nothing is released", b.Config.Name, wd.Format(2), a.Format(2))
		}
	}
	// IAS 2 reverses at most what it wrote down: inventory at cost, never above.
	if r, _, err := costing.LCNRVTest(l, l.Book("ias2"), *books[4].LCNRV); err != nil || r.Cost-r.Allowance != r.Cost || r.Allowance != 0 {
		t.Errorf("ias2 at NRV 1,100: %+v, %v", r, err)
	}
	nrv(800)
	cogs := make([]bf.Money, len(l.Books))
	for k, b := range l.Books {
		cogs[k] = b.Balance(bf.COGS)
	}
	post("2027-04-10", bf.Event{Type: bf.Sale, Item: "g", Qty: bf.Units(60), UnitPrice: bf.Dollars(8)})
	post("2027-04-11", bf.Event{Type: bf.Purchase, Item: "g", Qty: bf.Units(60), UnitCost: bf.Dollars(10)})
	// Before the close, the test says what the close will post (in a
	// standard book: an actual-cost book relieves its layers at the close).
	r, _, err := costing.LCNRVTest(l, l.Book("std-fy"), *books[3].LCNRV)
	if err != nil || r.Held != 5000 || r.Written != 2000 || r.Released != 3000 || r.Adjustment != 18000 || r.Allowance != 20000 {
		t.Errorf("std-fy before the close: held %s, on the goods left %s, released %s, adjustment %s, allowance %s; want 50, 20, 30, 180, 200 (%v)",
			r.Held.Format(2), r.Written.Format(2), r.Released.Format(2), r.Adjustment.Format(2), r.Allowance.Format(2), err)
	}
	post("2027-06-30", bf.Event{Type: bf.Close})
	check("2027-06-30", "200.00", "200.00", "200.00", "200.00", "200.00")
	// The 60 sold left at their carrying amount: 600 less their part of the
	// allowance (60% of it), which went to cost of goods sold.
	for k, want := range []string{"420.00", "570.00", "480.00", "570.00", "600.00"} {
		b := l.Books[k]
		if got := (b.Balance(bf.COGS) - cogs[k]).Format(2); got != want {
			t.Errorf("book %s: cost of goods sold of the 60 sold %s, want %s", b.Config.Name, got, want)
		}
	}
}

func mustDate(t *testing.T, s string) bf.Date {
	t.Helper()
	d, why := bf.ParseDate(s)
	if why != "" {
		t.Fatal(s, why)
	}
	return d
}
