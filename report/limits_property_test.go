package report_test

// The property of issue 13: money cannot overflow. Random events with
// amounts, quantities and unit costs near the limits of Money, Qty and Cost
// (and near bf.MaxBalance and bf.MaxStock, often exactly at the boundary of
// a book's balance) are posted into books of every kind. Every posting is
// either refused as invalid and changes nothing, or accepted, and then every
// balance, every entry, the trial balances, the comparison rows, the income
// statements of every period (in each scope's format), the differences
// between books, the method reconciliations and the exports' trial balances
// equal the same sums computed with math/big.
//
// Failures name the seed; rerun one with
//
//	go test ./report -run 'TestPropertyLimits/seed=17$' -v

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"reflect"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/export"
	"github.com/backflush/backflush/internal/refmodel"
	"github.com/backflush/backflush/report"
)

const limSeeds = 120

// limBooks: two sequential books that differ only in scope (a method
// reconciliation), backflush books, and, on odd seeds, an actual-cost book.
func limBooks(actual bool) []bf.BookConfig {
	b := []bf.BookConfig{
		{Name: "sequential", Method: bf.MethodSequential},
		{Name: "variable", Method: bf.MethodSequential, Scope: bf.ScopeVariable},
		{Name: "purchase+completion", Method: bf.MethodBackflush, Triggers: bf.TriggerPurchase | bf.TriggerCompletion},
		{Name: "sale", Method: bf.MethodBackflush, Triggers: bf.TriggerSale, Scope: bf.ScopeThroughput},
	}
	if actual {
		b = append(b, bf.BookConfig{Name: "fifo", Method: bf.MethodSequential, Basis: bf.BasisFIFO})
	}
	return b
}

type limWorld struct {
	t      *testing.T
	r      *rand.Rand
	l      *costing.Ledger
	actual bool
	n      int
	day    bf.Date
	ids    []string // accepted events that a reverse may name
	undone map[string]bool
	// what the seeds did, over all of them
	stats *limStats
}

var limDebug func(error)

type limStats struct{ accepted, refused, nearAccepted int }

func TestPropertyLimits(t *testing.T) {
	var st limStats
	refmodel.Seeds(t, limSeeds, func(t *testing.T, seed uint64) {
		r := refmodel.Rand(seed, 0x11_3113)
		day, _ := bf.ParseDate("2026-01-05")
		w := &limWorld{t: t, r: r, actual: seed%2 == 1, day: day, undone: map[string]bool{}, stats: &st}
		var err error
		if w.l, err = costing.NewLedger(limStandards(t, r), limBooks(w.actual), bf.ClosePolicy(seed/2%2)); err != nil {
			t.Fatal(err)
		}
		for range 70 {
			w.post(w.event())
		}
		w.post(bf.Event{ID: "last-close", Date: w.day, Type: bf.Close, Reason: "end"})
	})
	t.Logf("%d postings accepted (%d with a balance past MaxBalance/2), %d refused", st.accepted, st.nearAccepted, st.refused)
	// The generator must reach both sides of the limits, and close to them.
	if st.refused < 500 || st.accepted < 500 || st.nearAccepted < 100 {
		t.Errorf("the events did not test the limits: %+v", st)
	}
}

// limStandards draws a plant whose standard costs range from cents to
// near the limit of Cost, as far as its rolled-up costs still compile.
func limStandards(t *testing.T, r *rand.Rand) *costing.Standards {
	for try := 0; ; try++ {
		cost := func() bf.Cost {
			if try > 20 {
				return bf.Dollars(1 + r.Int64N(50))
			}
			return limCost(r)
		}
		conv := cost()
		p := &bf.Plant{Name: "limits", Currency: bf.Currency{Code: "USD", Scale: 2}, Items: []bf.Item{
			{ID: "m1", Kind: bf.Material, StandardCost: cost()},
			{ID: "m2", Kind: bf.Material, StandardCost: cost()},
			{ID: "a1", Kind: bf.Assembly, ConversionCost: conv, FixedConversion: conv / 3,
				BOM: []bf.BOMLine{{Item: "m1", Qty: bf.Units(2)}, {Item: "m2", Qty: bf.Units(1)}}},
			{ID: "f1", Kind: bf.Finished, ConversionCost: cost(), Price: cost(),
				BOM: []bf.BOMLine{{Item: "a1", Qty: bf.Units(1)}, {Item: "m1", Qty: bf.Units(1)}}},
			{ID: "f2", Kind: bf.Finished, Price: cost(), BOM: []bf.BOMLine{{Item: "m2", Qty: bf.Units(3)}}},
		}}
		if r.IntN(3) == 0 { // a budget near the limit, for the fixed-overhead split
			p.Items[3].FixedBudget, p.Items[3].Denominator = bf.MaxBalance/bf.Money(1+r.IntN(4)), bf.Units(1000)
			p.Items[3].FixedConversion = p.Items[3].ConversionCost / 2
		}
		std, err := costing.Compile(p)
		if err == nil {
			return std
		}
		if bf.ErrorKind(err) != bf.KindInvalid {
			t.Fatalf("compile: %v", err)
		}
	}
}

// limCost draws a unit cost: cents, dollars, thousands, or near the limit
// of Cost.
func limCost(r *rand.Rand) bf.Cost {
	switch r.IntN(5) {
	case 0:
		return bf.Cost(1 + r.Int64N(1_000_000_000)) // up to a dollar, to the nano
	case 1:
		return bf.Dollars(1 + r.Int64N(1000))
	case 2:
		return bf.Cost(r.Int64N(math.MaxInt64/1000) + 1)
	case 3:
		return bf.Cost(math.MaxInt64 - r.Int64N(3))
	}
	return bf.Cost(r.Int64N(math.MaxInt64) + 1)
}

// near returns v moved by a few units, either way.
func (w *limWorld) near(v int64) int64 {
	d := w.r.Int64N(5) - 2
	if (d > 0 && v > math.MaxInt64-d) || (d < 0 && v < math.MinInt64-d) {
		return v
	}
	return v + d
}

// amount draws an amount: small, near a fraction or a multiple of
// bf.MaxBalance, near the int64 limit, or the exact room left in book
// 0's balance of acct (which the event will grow).
func (w *limWorld) amount(acct bf.Account) bf.Money {
	m := int64(bf.MaxBalance)
	var v int64
	switch w.r.IntN(7) {
	case 0:
		v = 1 + w.r.Int64N(1_000_000)
	case 1:
		v = w.near(m)
	case 2:
		v = w.near(m / int64(2+w.r.IntN(6)))
	case 3:
		v = w.near(2 * m)
	case 4:
		v = w.near(math.MaxInt64)
	default:
		v = w.near(m - int64(w.l.Books[0].Balance(acct)))
	}
	return bf.Money(max(v, 1))
}

// qty draws a quantity of an item valued at c per unit: small, near the
// stock limit or the room left in the item's stock, near the int64 limit,
// or what makes an amount of the kind amount draws.
func (w *limWorld) qty(item string, c bf.Cost, acct bf.Account) bf.Qty {
	i, _ := w.l.Std.Lookup(item)
	var v int64
	switch w.r.IntN(6) {
	case 0:
		v = int64(bf.Units(1 + w.r.Int64N(100)))
	case 1:
		v = w.near(int64(bf.MaxStock))
	case 2:
		v = w.near(int64(bf.MaxStock - w.l.OnHand(i)))
	case 3:
		v = w.near(math.MaxInt64)
	default:
		if c <= 0 {
			c = bf.Dollars(1)
		}
		// amount × 10^(6+9−2) / c: the units whose value is the amount.
		q := new(big.Int).Mul(big.NewInt(int64(w.amount(acct))), big.NewInt(10_000_000_000_000))
		q.Quo(q, big.NewInt(int64(c)))
		if !q.IsInt64() {
			return math.MaxInt64
		}
		v = w.near(q.Int64())
	}
	return bf.Qty(max(v, 1))
}

func (w *limWorld) event() bf.Event {
	w.n++
	if w.r.IntN(4) == 0 {
		w.day++
	}
	e := bf.Event{ID: fmt.Sprintf("e%d", w.n), Date: w.day}
	s := w.l.Std
	pick := func(ids ...string) string { return ids[w.r.IntN(len(ids))] }
	rolled := func(id string) bf.Cost { i, _ := s.Lookup(id); return s.Rolled(i) }
	switch k := w.r.IntN(22); {
	case k < 4:
		e.Type, e.Item = bf.Purchase, pick("m1", "m2")
		e.UnitCost = limCost(w.r)
		if w.r.IntN(3) == 0 {
			e.UnitCost = rolled(e.Item)
		}
		e.Qty = w.qty(e.Item, rolled(e.Item), bf.Materials)
	case k < 6:
		e.Type, e.Item = bf.Start, pick("a1", "f1", "f2")
		e.Qty = w.qty(e.Item, rolled(e.Item), bf.WIP)
	case k < 9:
		e.Type, e.Item = bf.Complete, pick("a1", "f1", "f2")
		e.Qty = w.qty(e.Item, rolled(e.Item), bf.FinishedGoods)
		if w.r.IntN(3) == 0 {
			e.ScrapQty = w.qty(e.Item, rolled(e.Item), bf.ScrapLoss)
		}
	case k < 12:
		e.Type, e.Item = bf.Sale, pick("f1", "f2")
		if w.r.IntN(2) == 0 {
			e.UnitPrice = limCost(w.r)
		}
		e.Qty = w.qty(e.Item, rolled(e.Item), bf.COGS)
	case k < 13:
		e.Type, e.Item = bf.Count, pick("m1", "m2", "a1", "f1")
		e.Qty = w.qty(e.Item, rolled(e.Item), bf.MaterialUsageVariance)
		if w.r.IntN(3) == 0 {
			e.Qty = 0
		}
	case k < 16:
		e.Type, e.Behavior = bf.ConversionCost, bf.Behavior(1+w.r.IntN(2))
		acct := bf.ConversionControl
		if e.Behavior == bf.Fixed {
			acct = bf.FixedOverheadControl
		}
		e.Amount = w.amount(acct)
	case k < 17:
		e.Type, e.Behavior = bf.Expense, bf.Behavior(1+w.r.IntN(2))
		e.Amount = w.amount(bf.SellingAdminFixed)
	case k < 19 || w.actual || len(w.ids) == 0:
		e.Type = bf.Close
	default:
		e.Type, e.Reverses = bf.Reverse, w.ids[w.r.IntN(len(w.ids))]
		if w.undone[e.Reverses] {
			e.Type, e.Reverses = bf.Close, ""
		}
	}
	return e
}

// limState is what a refused event must leave as it was.
type limState struct {
	Len     int
	Closed  bf.Date
	OnHand  []bf.Qty
	InProc  []bf.Qty
	Queue   int
	Entries []int
	Lines   []int
	Bal     [][bf.NumAccounts]bf.Money
	WIP     [][2]int64
	Summary []report.Summary
}

func (w *limWorld) state() limState {
	l := w.l
	s := limState{Len: l.Len(), Closed: l.ClosedThrough(), Queue: len(l.Queue())}
	for i := range l.Std.NumItems() {
		s.OnHand = append(s.OnHand, l.OnHand(int32(i)))
		s.InProc = append(s.InProc, l.InProcess(int32(i)))
	}
	for _, b := range l.Books {
		s.Entries = append(s.Entries, b.Journal.Len())
		s.Lines = append(s.Lines, b.Journal.NumLines())
		s.Bal = append(s.Bal, b.Balances())
		for i := range l.Std.NumItems() {
			q, v := b.WIP(int32(i))
			s.WIP = append(s.WIP, [2]int64{int64(q), int64(v)})
		}
		s.Summary = append(s.Summary, report.Summarize(b))
	}
	return s
}

func (w *limWorld) post(e bf.Event) {
	t := w.t
	t.Helper()
	before := w.state()
	err := w.l.Post(&e)
	if err != nil {
		if k := bf.ErrorKind(err); k != bf.KindInvalid {
			t.Fatalf("%s %s: refused as %s, want invalid: %v", e.ID, e.Type, k, err)
		}
		if after := w.state(); !reflect.DeepEqual(before, after) {
			t.Fatalf("%s %s: refused (%v) but the ledger changed", e.ID, e.Type, err)
		}
		w.stats.refused++
		if limDebug != nil {
			limDebug(err)
		}
		return
	}
	w.stats.accepted++
	switch e.Type {
	case bf.Close:
		w.day++ // the period is closed through today
	case bf.Reverse:
		w.undone[e.Reverses] = true
	default:
		w.ids = append(w.ids, e.ID)
	}
	near := false
	for _, b := range w.l.Books {
		for a := range bf.NumAccounts {
			v := b.Balance(a)
			near = near || v > bf.MaxBalance/2 || v < -bf.MaxBalance/2
		}
	}
	if near {
		w.stats.nearAccepted++
	}
	w.check(e.ID)
}

// ---------------------------------------------------------------------------
// The sums, in math/big.

type bigAcc [bf.NumAccounts]*big.Int

func newBigAcc() *bigAcc {
	var b bigAcc
	for i := range b {
		b[i] = new(big.Int)
	}
	return &b
}

// sums adds up a book's lines per account over the events first to last,
// leaving out close entries when told.
func sums(b *costing.Book, first, last int32, noClose bool) *bigAcc {
	m := newBigAcc()
	for e, lines := range b.Journal.All() {
		if e.Event < first || e.Event > last || (noClose && e.Kind == bf.EntryClose) {
			continue
		}
		for _, ln := range lines {
			m[ln.Account].Add(m[ln.Account], big.NewInt(int64(ln.Amount)))
		}
	}
	return m
}

// sumOf adds up the accounts with their signs: +a or -a.
func (m *bigAcc) sumOf(accts ...any) *big.Int {
	s := new(big.Int)
	for _, x := range accts {
		switch a := x.(type) {
		case bf.Account:
			s.Add(s, m[a])
		case int: // a negated account
			s.Sub(s, m[bf.Account(-a-1)])
		}
	}
	return s
}

// neg names account a negated in sumOf.
func neg(a bf.Account) int { return -int(a) - 1 }

func bsum(xs ...*big.Int) *big.Int {
	s := new(big.Int)
	for _, x := range xs {
		s.Add(s, x)
	}
	return s
}

func bneg(x *big.Int) *big.Int { return new(big.Int).Neg(x) }

func posPart(x *big.Int) *big.Int {
	if x.Sign() > 0 {
		return x
	}
	return new(big.Int)
}

func (w *limWorld) eq(what string, got bf.Money, want *big.Int) {
	w.t.Helper()
	if !want.IsInt64() || int64(got) != want.Int64() {
		w.t.Fatalf("%s = %d, exact sum %s", what, got, want)
	}
}

// inventory: the inventory accounts' sum.
func (m *bigAcc) inventory() *big.Int {
	s := new(big.Int)
	for _, a := range bf.InventoryAccounts {
		s.Add(s, m[a])
	}
	return s
}

// income: operating income, minus every income account.
func (m *bigAcc) income() *big.Int {
	s := new(big.Int)
	for a := range bf.NumAccounts {
		if a.InIncome() {
			s.Sub(s, m[a])
		}
	}
	return s
}

func (w *limWorld) check(after string) {
	t, l := w.t, w.l
	t.Helper()
	end := int32(l.Len() - 1)
	where := func(f string, args ...any) string { return "after " + after + ": " + fmt.Sprintf(f, args...) }
	all := make([]*bigAcc, len(l.Books))
	for bi, b := range l.Books {
		bal := sums(b, 0, end, false)
		all[bi] = bal
		// Every entry balances exactly, every balance is the exact sum of
		// its lines, within the limit.
		for e, lines := range b.Journal.All() {
			s := new(big.Int)
			for _, ln := range lines {
				s.Add(s, big.NewInt(int64(ln.Amount)))
			}
			if s.Sign() != 0 {
				t.Fatalf("%s", where("book %s: an entry of event %d (%s) sums to %s", b.Config.Name, e.Event, e.Kind, s))
			}
		}
		for a := range bf.NumAccounts {
			w.eq(where("book %s: balance of %s", b.Config.Name, a), b.Balance(a), bal[a])
			if v := b.Balance(a); v > bf.MaxBalance || v < -bf.MaxBalance {
				t.Fatalf("%s", where("book %s: balance of %s = %d, past the limit", b.Config.Name, a, v))
			}
		}
		// The trial balance.
		tb := report.TrialBalanceOf(b, nil)
		dr, cr := new(big.Int), new(big.Int)
		for a := range bf.NumAccounts {
			dr.Add(dr, posPart(bal[a]))
			cr.Add(cr, posPart(bneg(bal[a])))
		}
		w.eq(where("book %s: trial balance debits", b.Config.Name), tb.Debit, dr)
		w.eq(where("book %s: trial balance credits", b.Config.Name), tb.Credit, cr)
		// The comparison row.
		s := report.Summarize(b)
		nc := sums(b, 0, end, true)
		expenses := new(big.Int)
		for a := range bf.NumAccounts {
			if a.InIncome() && a != bf.SalesRevenue {
				expenses.Add(expenses, bal[a])
			}
		}
		w.eq(where("book %s: total inventory", b.Config.Name), s.TotalInventory, bal.inventory())
		w.eq(where("book %s: expenses", b.Config.Name), s.Expenses, expenses)
		w.eq(where("book %s: operating income", b.Config.Name), s.OperatingIncome, bal.income())
		w.eq(where("book %s: open conversion", b.Config.Name), s.OpenConversion, bal.sumOf(bf.ConversionControl, bf.ConversionAllocated))
		w.eq(where("book %s: conversion variance", b.Config.Name), s.ConversionVariance, nc.sumOf(bf.ConversionControl, bf.ConversionAllocated))
		// The statements of every period, and the exports' trial balances.
		for k, p := range report.Periods(l) {
			w.statement(b, p, where("book %s period %d", b.Config.Name, p.Number))
			if w.r.IntN(4) == 0 {
				w.exportTB(b, k+1, where("book %s export of period %d", b.Config.Name, p.Number))
			}
		}
	}
	// The differences from the reference book.
	ref := all[0]
	for _, d := range report.Differences(l) {
		bi := 0
		for i, b := range l.Books {
			if b.Config.Name == d.Book {
				bi = i
			}
		}
		bb := all[bi]
		mw := func(m *bigAcc) *big.Int { return m.sumOf(bf.Materials, bf.MaterialsInProcess, bf.WIP) }
		exp := func(m *bigAcc) *big.Int { // every income account but revenue and COGS
			return new(big.Int).Sub(new(big.Int).Sub(bneg(m.income()), m[bf.SalesRevenue]), m[bf.COGS])
		}
		pre := where("difference of %s", d.Book)
		w.eq(pre+": materials and WIP", d.MaterialsAndWIP, new(big.Int).Sub(mw(bb), mw(ref)))
		w.eq(pre+": finished goods", d.FinishedGoods, new(big.Int).Sub(bb[bf.FinishedGoods], ref[bf.FinishedGoods]))
		w.eq(pre+": payable", d.Payable, new(big.Int).Sub(ref[bf.AccountsPayable], bb[bf.AccountsPayable]))
		w.eq(pre+": COGS", d.COGS, new(big.Int).Sub(bb[bf.COGS], ref[bf.COGS]))
		w.eq(pre+": other expenses", d.OtherExpenses, new(big.Int).Sub(exp(bb), exp(ref)))
		w.eq(pre+": operating income", d.OperatingIncome, new(big.Int).Sub(bb.income(), ref.income()))
	}
	// The method reconciliation of the two sequential books.
	for _, mr := range report.MethodReconciliations(l) {
		var a, b *costing.Book
		for _, x := range l.Books {
			switch x.Config.Name {
			case mr.A:
				a = x
			case mr.B:
				b = x
			}
		}
		open := new(big.Int)
		for _, row := range mr.Rows {
			p := row.Period
			pre := where("%s − %s, period %d", mr.A, mr.B, p.Number)
			ma, mb := sums(a, p.FirstEvent, p.LastEvent, false), sums(b, p.FirstEvent, p.LastEvent, false)
			ea, eb := sums(a, 0, p.LastEvent, false), sums(b, 0, p.LastEvent, false)
			closing := new(big.Int).Sub(ea.inventory(), eb.inventory())
			w.eq(pre+": income difference", row.IncomeDiff, new(big.Int).Sub(ma.income(), mb.income()))
			w.eq(pre+": closing", row.Closing, closing)
			w.eq(pre+": opening", row.Opening, open)
			w.eq(pre+": change", row.Closing-row.Opening, new(big.Int).Sub(closing, open))
			open = closing
		}
	}
}

// statement checks a book's income statement for period p, line by line,
// against the same formulas in math/big.
func (w *limWorld) statement(b *costing.Book, p report.Period, pre string) {
	t := w.t
	t.Helper()
	var st report.Statement
	for _, s := range report.IncomeStatements(w.l, b) {
		if s.Period.Number == p.Number {
			st = s
		}
	}
	m := sums(b, p.FirstEvent, p.LastEvent, false)
	type want struct {
		label string
		v     *big.Int
		cond  bool // shown only when not zero
	}
	revenue := bneg(m[bf.SalesRevenue])
	variances := m.sumOf(bf.PurchasePriceVariance, bf.MaterialUsageVariance, bf.ScrapLoss)
	varConv := m.sumOf(bf.ConversionControl, bf.ConversionAllocated)
	fixConv := m.sumOf(bf.FixedOverheadControl, bf.FixedOverheadAllocated)
	wd, cogs := m[bf.InventoryWritedown], m[bf.COGS]
	sellVar, sellFix := m[bf.SellingAdminVariable], m[bf.SellingAdminFixed]
	sub := func(a *big.Int, xs ...*big.Int) *big.Int { return new(big.Int).Sub(a, bsum(xs...)) }
	var ws []want
	var oi *big.Int
	switch b.Config.Scope {
	case bf.ScopeVariable:
		vc := bsum(cogs, variances, wd, varConv)
		oi = sub(revenue, vc, sellVar, fixConv, sellFix)
		ws = []want{{"revenue", revenue, false}, {"variable cost of goods sold", cogs, false},
			{"variances (price, usage, scrap)", variances, true}, {"inventory write-down to LCNRV", wd, true},
			{"variable conversion not allocated", varConv, true}, {"variable marketing and administration", sellVar, false},
			{"contribution margin", sub(revenue, vc, sellVar), false}, {"fixed manufacturing overhead", fixConv, false},
			{"fixed marketing and administration", sellFix, false}, {"operating income", oi, false}}
	case bf.ScopeThroughput:
		tvc := bsum(cogs, variances, wd)
		oi = sub(revenue, tvc, varConv, fixConv, sellVar, sellFix)
		ws = []want{{"revenue", revenue, false}, {"totally variable costs (materials)", cogs, false},
			{"material variances (price, usage, scrap)", variances, true}, {"inventory write-down to LCNRV", wd, true},
			{"throughput contribution", sub(revenue, tvc), false}, {"operating expenses: conversion", bsum(varConv, fixConv), false},
			{"operating expenses: marketing and administration", bsum(sellVar, sellFix), false}, {"net profit", oi, false}}
	default:
		cos := bsum(cogs, variances, wd, varConv, fixConv)
		oi = sub(revenue, cos, sellVar, sellFix)
		ws = []want{{"revenue", revenue, false}, {"cost of goods sold", cogs, false}}
		var budget int64
		for _, it := range w.l.Std.Plant.Items {
			budget += int64(it.FixedBudget)
		}
		if b.Config.Basis == bf.BasisStandard && budget != 0 {
			nc := sums(b, p.FirstEvent, p.LastEvent, true)
			bud := big.NewInt(budget)
			of := "  of which "
			if w.l.Close == bf.CloseProrate {
				of = "  prorated (WIP, finished goods, COGS): "
			}
			ws = append(ws, want{of + "fixed overhead spending variance", new(big.Int).Sub(nc[bf.FixedOverheadControl], bud), false},
				want{of + "production-volume variance", new(big.Int).Add(bud, nc[bf.FixedOverheadAllocated]), false})
		}
		ws = append(ws, want{"variances (price, usage, scrap)", variances, true}, want{"inventory write-down to LCNRV", wd, true},
			want{"conversion not yet allocated or closed", bsum(varConv, fixConv), true},
			want{"gross margin", sub(revenue, cos), false}, want{"marketing and administration", bsum(sellVar, sellFix), false},
			want{"operating income", oi, false})
	}
	k := 0
	for _, x := range ws {
		if x.cond && x.v.Sign() == 0 {
			continue
		}
		if k >= len(st.Lines) || st.Lines[k].Label != x.label {
			t.Fatalf("%s: line %d is %+v, want %q", pre, k, st.Lines, x.label)
		}
		w.eq(pre+": "+x.label, st.Lines[k].Amount, x.v)
		k++
	}
	if k != len(st.Lines) {
		t.Fatalf("%s: %d lines, want %d", pre, len(st.Lines), k)
	}
	w.eq(pre+": operating income", st.OperatingIncome, oi)
	w.eq(pre+": inventory", st.Inventory, sums(b, 0, p.LastEvent, false).inventory())
}

// exportTB checks an export's trial balance for a period: the balance
// sheet at its end, the income accounts' movements in it and the income of
// the periods before as retained earnings.
func (w *limWorld) exportTB(b *costing.Book, period int, pre string) {
	tb, err := export.TrialBalance(w.l, b, export.Options{Period: period})
	if err != nil {
		w.t.Fatalf("%s: %v", pre, err)
	}
	p := report.Periods(w.l)[period-1]
	move := sums(b, p.FirstEvent, p.LastEvent, false)
	endBal := sums(b, 0, p.LastEvent, false)
	dr, cr := new(big.Int), new(big.Int)
	add := func(v *big.Int) {
		dr.Add(dr, posPart(v))
		cr.Add(cr, posPart(bneg(v)))
	}
	for a := range bf.NumAccounts {
		if a.InIncome() {
			add(move[a])
		} else {
			add(endBal[a])
		}
	}
	if period > 1 {
		add(bneg(sums(b, 0, p.FirstEvent-1, false).income()))
	}
	w.eq(pre+": debits", tb.Debit, dr)
	w.eq(pre+": credits", tb.Credit, cr)
}
