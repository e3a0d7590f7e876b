package costing_test

import (
	"math"
	"strings"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/internal/scenariotest"
	"github.com/backflush/backflush/report"
)

// The limits of what a ledger holds (costing/limits.go): each test posts up
// to a limit, exactly, then past it, and checks that the event past it is
// refused as invalid with a message that names the figure and the limit,
// and that nothing of it was applied.

const moneyLimit = "would exceed 1,441,151,880,758,558.71 USD, the largest amount a book holds"
const stockLimit = "would exceed 144,115,188,075.855871 units, the largest quantity the ledger holds"

// limitsLedger: material m (a cent), sub-assembly a of one m, finished f
// of one a (f is also made of m through phantom ph), finished g of one a;
// a sequential book, a backflush book and, when asked, a FIFO book.
func limitsLedger(t *testing.T, costM bf.Cost, actual bool) *costing.Ledger {
	t.Helper()
	p := &bf.Plant{Currency: bf.Currency{Code: "USD", Scale: 2}, Items: []bf.Item{
		{ID: "m", Kind: bf.Material, StandardCost: costM},
		{ID: "a", Kind: bf.Assembly, BOM: []bf.BOMLine{{Item: "m", Qty: bf.Units(1)}}},
		{ID: "ph", Kind: bf.Phantom, BOM: []bf.BOMLine{{Item: "m", Qty: bf.Units(1)}}},
		{ID: "f", Kind: bf.Finished, Price: bf.Dollars(1), BOM: []bf.BOMLine{{Item: "a", Qty: bf.Units(1)}}},
		{ID: "g", Kind: bf.Finished, Price: bf.Dollars(1), BOM: []bf.BOMLine{{Item: "a", Qty: bf.Units(1)}}},
		{ID: "h", Kind: bf.Finished, Price: bf.Dollars(1), BOM: []bf.BOMLine{{Item: "m", Qty: bf.Units(1)}, {Item: "ph", Qty: bf.Units(1)}}},
	}}
	std, err := costing.Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	books := []bf.BookConfig{{Name: "seq", Method: bf.MethodSequential},
		{Name: "pc", Method: bf.MethodBackflush, Triggers: bf.TriggerPurchase | bf.TriggerCompletion}}
	if actual {
		books = []bf.BookConfig{{Name: "fifo", Method: bf.MethodSequential, Basis: bf.BasisFIFO}}
	}
	l, err := costing.NewLedger(std, books, bf.CloseToCOGS)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// limitsState is what a refused event must leave as it was.
func limitsState(l *costing.Ledger) string {
	var b strings.Builder
	for _, bk := range l.Books {
		bl := bk.Balances()
		b.WriteString(bk.Config.Name)
		for _, v := range bl {
			b.WriteString(" " + v.Format(2))
		}
		s := report.Summarize(bk)
		b.WriteString(" cv " + s.ConversionVariance.Format(2))
		for i := range l.Std.NumItems() {
			q, v := bk.WIP(int32(i))
			b.WriteString(" " + q.String() + "/" + v.Format(2))
		}
		b.WriteString("\n")
	}
	for i := range l.Std.NumItems() {
		b.WriteString(l.OnHand(int32(i)).String() + "/" + l.InProcess(int32(i)).String() + " ")
	}
	return b.String()
}

// refuse posts e, which must be refused as invalid with a message holding
// every one of want, leaving the ledger as it was.
func refuse(t *testing.T, l *costing.Ledger, e *bf.Event, want ...string) {
	t.Helper()
	before, n := limitsState(l), l.Len()
	err := l.Post(e)
	if err == nil {
		t.Fatalf("%s was accepted; want it refused: %s", e.ID, strings.Join(want, "; "))
	}
	if bf.ErrorKind(err) != bf.KindInvalid {
		t.Fatalf("%s: kind %s, want invalid: %v", e.ID, bf.ErrorKind(err), err)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("%s: %q lacks %q", e.ID, err, w)
		}
	}
	if after := limitsState(l); after != before || l.Len() != n {
		t.Errorf("%s was refused but changed the ledger:\n%s\n%s", e.ID, before, after)
	}
}

// amountEv is an expense of the period, or variable conversion.
func amountEv(id string, day int, typ bf.EventType, amt bf.Money) *bf.Event {
	e := &bf.Event{ID: id, Date: bf.Date(20600 + day), Type: typ, Amount: amt, Behavior: bf.Fixed}
	if typ == bf.ConversionCost {
		e.Behavior = bf.Variable
	}
	return e
}

// TestBalanceLimit: a balance may reach bf.MaxBalance exactly, either sign,
// and not one cent more; the refusal names the event, its field, the
// account and the book.
func TestBalanceLimit(t *testing.T) {
	l := limitsLedger(t, 1, false)
	mustPost(t, l, amountEv("x1", 1, bf.Expense, bf.MaxBalance-1))
	mustPost(t, l, amountEv("x2", 1, bf.Expense, 1))
	if got := l.Book("seq").Balance(bf.AccruedExpenses); got != -bf.MaxBalance {
		t.Fatalf("accrued expenses %d, want -MaxBalance", got)
	}
	refuse(t, l, amountEv("x3", 1, bf.Expense, 1), `event "x3"`, "field amount",
		"the balance of selling_admin_fixed in book seq "+moneyLimit)
	// The amount is past the limit on its own.
	refuse(t, l, amountEv("c1", 1, bf.ConversionCost, 50_000_000_000_000_000_00), `event "c1"`, "field amount",
		"the balance of conversion_control in book seq "+moneyLimit)
	refuse(t, l, amountEv("c2", 1, bf.ConversionCost, math.MaxInt64), "the balance of conversion_control in book seq "+moneyLimit)
	mustPost(t, l, amountEv("c3", 1, bf.ConversionCost, bf.MaxBalance))
}

// TestConversionVarianceLimit: conversion over-allocated adds up over
// periods (report.Summary.ConversionVariance) while each close clears the
// balances and the goods are sold: the running total is held within the
// limit too, and a checkpoint restores it.
func TestConversionVarianceLimit(t *testing.T) {
	// f is converted at $864,691 a unit: 10^9 units allocate about 0.6 of
	// the limit, and nothing of it is incurred.
	_, l := scenariotest.Decode(t, "conversion.yaml", `
items:
  - {id: m, kind: material, standard_cost: 0.000000001}
  - {id: f, kind: finished, conversion_cost: 864691, price: 0.01, bom: [{item: m, qty: 1}]}
books:
  - {name: seq, method: sequential}
`)
	q := bf.Units(1_000_000_000)
	alloc := bf.Money(1_000_000_000 * 864_691 * 100)
	period := func(n string, day int) {
		mustPost(t, l, &bf.Event{ID: "p" + n, Date: bf.Date(20600 + day), Type: bf.Purchase, Item: "m", Qty: q, UnitCost: 1})
		mustPost(t, l, &bf.Event{ID: "f" + n, Date: bf.Date(20600 + day), Type: bf.Complete, Item: "f", Qty: q})
		mustPost(t, l, &bf.Event{ID: "s" + n, Date: bf.Date(20600 + day), Type: bf.Sale, Item: "f", Qty: q})
		mustPost(t, l, &bf.Event{ID: "z" + n, Date: bf.Date(20600 + day), Type: bf.Close})
	}
	cp := l.Checkpoint()
	mustPost(t, l, &bf.Event{ID: "f0", Date: bf.Date(20601), Type: bf.Complete, Item: "f", Qty: q})
	l.Restore(cp)
	l.Release(cp)
	period("1", 1)
	if v := report.Summarize(l.Book("seq")).ConversionVariance; v != -alloc {
		t.Fatalf("conversion variance %d, want %d", v, -alloc)
	}
	mustPost(t, l, &bf.Event{ID: "p2", Date: bf.Date(20602), Type: bf.Purchase, Item: "m", Qty: q, UnitCost: 1})
	refuse(t, l, &bf.Event{ID: "f2", Date: bf.Date(20602), Type: bf.Complete, Item: "f", Qty: q}, `event "f2"`, "field qty",
		"the conversion under- or over-allocated in book seq since the first event "+moneyLimit)
	mustPost(t, l, &bf.Event{ID: "f3", Date: bf.Date(20602), Type: bf.Complete, Item: "f", Qty: q / 2})
}

// TestWIPValueLimit: starting f issues sub-assembly a from stock that is
// not there (stock may go negative): the WIP account does not move, but
// the value in process of f grows. It is held within the limit, per item
// and over every item.
func TestWIPValueLimit(t *testing.T) {
	l := limitsLedger(t, bf.Dollars(20_000), false)
	// a is worth $20,000 a unit: 5×10^10 units are 10^17 cents, about
	// 0.69 of the limit, and about 0.35 of the limit of units.
	q := bf.Units(50_000_000_000)
	mustPost(t, l, &bf.Event{ID: "s1", Date: bf.Date(20601), Type: bf.Start, Item: "f", Qty: q})
	refuse(t, l, &bf.Event{ID: "s2", Date: bf.Date(20601), Type: bf.Start, Item: "f", Qty: q},
		`event "s2"`, "field qty", "the value in process of f in book seq "+moneyLimit)
	refuse(t, l, &bf.Event{ID: "s3", Date: bf.Date(20601), Type: bf.Start, Item: "g", Qty: q},
		`event "s3"`, "field qty", "the value in process in book seq "+moneyLimit)
	mustPost(t, l, &bf.Event{ID: "s4", Date: bf.Date(20601), Type: bf.Start, Item: "g", Qty: q / 3})
	if _, v := l.Book("seq").WIP(3); v != 50_000_000_000*20_000*100 {
		t.Errorf("value in process of f %d", v)
	}
}

// TestStockLimit: an item's stock may reach bf.MaxStock and not pass it;
// an event's quantity past it is refused at once; a component used twice
// (directly and through a phantom) is checked for both uses together.
func TestStockLimit(t *testing.T) {
	l := limitsLedger(t, 1, false)
	buy := func(id string, q bf.Qty) *bf.Event {
		return &bf.Event{ID: id, Date: bf.Date(20601), Type: bf.Purchase, Item: "m", Qty: q, UnitCost: 1}
	}
	mustPost(t, l, buy("p1", bf.MaxStock-1))
	mustPost(t, l, buy("p2", 1))
	refuse(t, l, buy("p3", 1), `event "p3"`, "field qty", "the stock of m "+stockLimit)
	refuse(t, l, buy("p4", bf.MaxStock+1), `event "p4"`, "field qty", "144115188075.855872 units "+stockLimit)
	refuse(t, l, &bf.Event{ID: "c1", Date: bf.Date(20601), Type: bf.Complete, Item: "f", Qty: 1, ScrapQty: math.MaxInt64},
		`event "c1"`, "field scrap", stockLimit)
	// h takes one m directly and one through ph: 0.6 of the limit each,
	// from a stock at the limit, leaves it 0.2 of the limit short: fine.
	// Then 0.45 of the limit each leaves it within the limit for each use,
	// past it for both uses together.
	q := bf.MaxStock / 10 * 6
	mustPost(t, l, &bf.Event{ID: "s1", Date: bf.Date(20601), Type: bf.Start, Item: "h", Qty: q})
	mustPost(t, l, &bf.Event{ID: "f1", Date: bf.Date(20601), Type: bf.Complete, Item: "h", Qty: q})
	if got := l.OnHand(0); got != bf.MaxStock-2*q {
		t.Fatalf("m on hand %s", got)
	}
	refuse(t, l, &bf.Event{ID: "s2", Date: bf.Date(20601), Type: bf.Start, Item: "h", Qty: bf.MaxStock / 100 * 45},
		`event "s2"`, "field qty", "the stock of m "+stockLimit)
	if got := l.OnHand(0); got != bf.MaxStock-2*q {
		t.Fatalf("m on hand %s after the refusal", got)
	}
}

// TestActualFlowLimit: an actual-cost book counts the period's flows per
// item; they are held within bf.MaxStock, though the units in process
// never pass it.
func TestActualFlowLimit(t *testing.T) {
	l := limitsLedger(t, 1, true)
	mustPost(t, l, &bf.Event{ID: "p1", Date: bf.Date(20601), Type: bf.Purchase, Item: "m", Qty: bf.MaxStock, UnitCost: 1})
	q := bf.MaxStock / 10 * 6
	mustPost(t, l, &bf.Event{ID: "s1", Date: bf.Date(20601), Type: bf.Start, Item: "a", Qty: q})
	mustPost(t, l, &bf.Event{ID: "f1", Date: bf.Date(20601), Type: bf.Complete, Item: "a", Qty: q})
	refuse(t, l, &bf.Event{ID: "s2", Date: bf.Date(20601), Type: bf.Start, Item: "a", Qty: q},
		`event "s2"`, "field qty", "the units of a moved this period in book fifo "+stockLimit)
	// After a close the period's flows start again.
	mustPost(t, l, &bf.Event{ID: "z1", Date: bf.Date(20601), Type: bf.Close})
	mustPost(t, l, &bf.Event{ID: "s2", Date: bf.Date(20602), Type: bf.Start, Item: "a", Qty: q})
}

// TestCompileLimits: rolled-up costs that would pass the range of a Cost,
// and fixed-overhead budgets whose total passes a book's limit, are
// refused when the standards are compiled.
func TestCompileLimits(t *testing.T) {
	big := bf.Cost(math.MaxInt64/2 + 1)
	p := &bf.Plant{Currency: bf.Currency{Code: "USD", Scale: 2}, Items: []bf.Item{
		{ID: "m", Kind: bf.Material, StandardCost: big},
		{ID: "n", Kind: bf.Material, StandardCost: big},
		{ID: "f", Kind: bf.Finished, BOM: []bf.BOMLine{{Item: "m", Qty: bf.Units(1)}, {Item: "n", Qty: bf.Units(1)}}},
	}}
	if _, err := costing.Compile(p); err == nil || bf.ErrorKind(err) != bf.KindInvalid || !strings.Contains(err.Error(), `item "f"`) {
		t.Errorf("a rolled-up cost past the range: %v", err)
	}
	p.Items[1].StandardCost = 1
	p.Items[2].ConversionCost = big
	if _, err := costing.Compile(p); err == nil || !strings.Contains(err.Error(), `item "f"`) {
		t.Errorf("materials and conversion past the range together: %v", err)
	}
	p.Items[2].ConversionCost = 0
	p.Items = append(p.Items, bf.Item{ID: "g", Kind: bf.Finished, BOM: []bf.BOMLine{{Item: "n", Qty: bf.Units(1)}}})
	for i := 2; i < 4; i++ {
		p.Items[i].FixedBudget, p.Items[i].Denominator = bf.MaxBalance/2+1, bf.Units(1)
	}
	if _, err := costing.Compile(p); err == nil || !strings.Contains(err.Error(), "budgets add up to more than 1,441,151,880,758,558.71") {
		t.Errorf("fixed overhead budgets past the limit: %v", err)
	}
	p.Items[3].FixedBudget--
	if _, err := costing.Compile(p); err != nil {
		t.Errorf("fixed overhead budgets at the limit: %v", err)
	}
}

// TestStandardValuationLimit: the GAAP reconciliation values what is on
// hand at standard, which no balance bounds when the GAAP book keeps
// actual costs: a valuation past the limit is an error, not a sum that
// wrapped around.
func TestStandardValuationLimit(t *testing.T) {
	_, l := scenariotest.Decode(t, "valuation.yaml", `
items:
  - {id: m, kind: material, standard_cost: 20000}
  - {id: f, kind: finished, price: 1, bom: [{item: m, qty: 1}]}
books:
  - {name: fifo, method: sequential, basis: fifo}
  - {name: c, method: backflush, triggers: [completion]}
`)
	// 5×10^10 units at a standard of $20,000 are about 0.69 of the limit; bought for a nano each.
	buy := func(id string) {
		mustPost(t, l, &bf.Event{ID: id, Date: bf.Date(20601), Type: bf.Purchase, Item: "m", Qty: bf.Units(50_000_000_000), UnitCost: 1})
	}
	buy("p1")
	if _, err := costing.GAAPReconciliations(l, "", 0); err != nil {
		t.Fatalf("within the limit: %v", err)
	}
	buy("p2")
	_, err := costing.GAAPReconciliations(l, "", 0)
	if err == nil || bf.ErrorKind(err) != bf.KindInvalid || !strings.Contains(err.Error(), "at standard cost "+moneyLimit) {
		t.Fatalf("past the limit: %v", err)
	}
}
