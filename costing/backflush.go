package costing

import (
	bf "github.com/backflush/backflush"
)

// The backflush method records nothing while production runs. Costs are
// flushed from the standards at the book's trigger points:
//
//	purchase (trigger)    Dr materials-in-process (standard)  Cr accounts payable (actual), price variance
//	purchase (no trigger) nothing: the materials liability is credited at standard when
//	                      a later trigger records the materials, as the textbooks do
//	start                 nothing
//	conversion_cost       Dr conversion control               Cr conversion payable
//	complete (trigger)    Dr finished goods                   Cr materials-in-process or payable (each leaf
//	                                                          material), Cr conversion allocated (each level)
//	sale                  Dr accounts receivable              Cr sales revenue
//	                      Dr COGS                             Cr finished goods, or, without the completion
//	                                                          trigger, the flush as at completion
//	count                 Dr/Cr material usage variance       the item flushed as it is held in this book
//	close                 see close.go
//
// There is no WIP account. Only finished items trigger at completion:
// sub-assemblies are in process until the finished item that uses them is
// completed, and the multi-level BOM is exploded down to purchased materials.
// Reported scrap is flushed to scrap loss at once in every book, since
// scrapped units never reach a later trigger; its conversion is that of the
// levels below the scrapped item, as in the sequential book.
func (l *Ledger) backflush(b *Book, p *posting) {
	e, s, t := p.ev, l.Std, b.Config.Triggers
	switch e.Type {
	case bf.Purchase:
		if t.Has(bf.TriggerPurchase) {
			l.receipt(b, p, bf.MaterialsInProcess)
		}
	case bf.ConversionCost:
		conversionIncurred(b, p)
	case bf.Expense:
		periodExpense(b, p)
	case bf.Complete:
		x := p.item
		if HeldAtFullCost(b.Config, s.Item(x).Kind) {
			b.begin(p.idx, bf.EntryBackflush)
			dr := b.reserve()
			v := l.flush(b, p, x, e.Qty, true)
			b.fill(dr, bf.FinishedGoods, v, e.Qty, x, -1)
			b.end()
		}
		b.begin(p.idx, bf.EntryScrap)
		dr := b.reserve()
		v := l.flush(b, p, x, e.ScrapQty, false)
		b.fill(dr, bf.ScrapLoss, v, e.ScrapQty, x, -1)
		b.end()
	case bf.Sale:
		revenue(b, p)
		b.begin(p.idx, bf.EntryCostOfSale)
		dr := b.reserve()
		var v bf.Money
		if HeldAtFullCost(b.Config, s.Item(p.item).Kind) {
			v = b.extend(e.Qty, s.RolledFor(p.item, b.Config.Scope), p.scale)
			b.line(bf.FinishedGoods, -v, -e.Qty, p.item, -1)
		} else {
			v = l.flush(b, p, p.item, e.Qty, true)
		}
		b.fill(dr, bf.COGS, v, e.Qty, p.item, -1)
		b.end()
	case bf.Count:
		b.begin(p.idx, bf.EntryCount)
		if HeldAtFullCost(b.Config, s.Item(p.item).Kind) {
			v := b.extend(p.diff, s.RolledFor(p.item, b.Config.Scope), p.scale)
			b.line(bf.FinishedGoods, v, p.diff, p.item, -1)
			b.line(bf.MaterialUsageVariance, -v, -p.diff, p.item, -1)
		} else {
			// A shortage was consumed off the BOM: flush it to the usage
			// variance. A surplus is the reverse: the BOM flushed too much.
			dr := b.reserve()
			v := l.flush(b, p, p.item, -p.diff, true)
			b.fill(dr, bf.MaterialUsageVariance, v, -p.diff, p.item, -1)
		}
		b.end()
	case bf.Close:
		fg := bf.FinishedGoods
		if !t.Has(bf.TriggerCompletion) {
			fg = bf.COGS // no finished goods account: all to COGS
		}
		l.closePeriod(b, p, fg, fg)
		l.lcnrvClose(b, p)
	}
	l.followShares(b, p)
}

// flush credits the standard cost of q units of item x: each purchased
// material to materials-in-process (or, without the purchase trigger, to
// accounts payable) and each conversion level to conversion allocated (the
// fixed part to fixed overhead allocated), as far as the book's scope
// inventories conversion. With
// own false, conversion at x's own level is left out (scrapped units were
// never converted at that level). It returns the total credited, for the
// caller's balancing debit. A negative q reverses the flush.
// flushMemo holds the components of the last flush worked out: their
// quantities and standard values. Books with the same trigger flush the
// same units of the same item in the same event, and the values are a
// function of the standards, the item and the units alone: each book
// reuses them rather than multiplying them out again.
type flushMemo struct {
	std   *Standards
	x     int32
	units bf.Qty
	q     []bf.Qty   // per leaf of x: units × quantity per unit
	v     []bf.Money // per leaf: q at standard cost
	total bf.Money
	bad   bool // a product overflowed
}

// leafValues returns the quantities and standard values of the leaves of
// units of x, from the memo when it holds them. The standards fix the
// currency's scale too.
func (l *Ledger) leafValues(x int32, units bf.Qty) *flushMemo {
	m := &l.memo
	if m.std == l.Std && m.x == x && m.units == units {
		return m
	}
	s := l.Std
	scale := s.Scale
	m.std, m.x, m.units, m.total, m.bad = s, x, units, 0, false
	for i, u := range s.leaves[x] {
		cq, ok1 := bf.MulQty(units, u.Per)
		v, ok2 := bf.Extend(cq, s.Item(u.Item).StandardCost, scale)
		m.q[i], m.v[i] = cq, v
		m.bad = m.bad || !ok1 || !ok2
		m.total += v // a balancing line's part: exact once Book.fits accepts the entry
	}
	return m
}

// sizeMemo makes the memo room for the most leaves of any item of std and
// forgets what it holds.
func (l *Ledger) sizeMemo(std *Standards) {
	n := 0
	for i := range std.leaves {
		n = max(n, len(std.leaves[i]))
	}
	if len(l.memo.q) < n {
		l.memo.q, l.memo.v = make([]bf.Qty, n), make([]bf.Money, n)
	}
	l.memo.std = nil
}

// flush credits the standard cost of q units of item x: each purchased
// material to materials-in-process (or, without the purchase trigger, to
// accounts payable) and each conversion level to conversion allocated (the
// fixed part to fixed overhead allocated), as far as the book's scope
// inventories conversion. With own false, conversion at x's own level is
// left out (scrapped units were never converted at that level). It returns
// the total credited, for the caller's balancing debit. A negative q
// reverses the flush.
func (l *Ledger) flush(b *Book, p *posting, x int32, q bf.Qty, own bool) bf.Money {
	if q == 0 {
		return 0
	}
	s := l.Std
	held := bf.AccountsPayable
	if b.Config.Triggers.Has(bf.TriggerPurchase) {
		held = bf.MaterialsInProcess
	}
	leaves := s.leaves[x]
	m := l.leafValues(x, q)
	if m.bad {
		b.bad = true
	}
	for i, u := range leaves {
		b.line(held, -m.v[i], -m.q[i], u.Item, u.Path)
	}
	total := m.total
	if b.Config.Scope == bf.ScopeThroughput {
		return total // a throughput book inventories no conversion
	}
	for _, u := range s.convs[x] {
		if u.Own && !own {
			continue
		}
		cq := b.mulQty(q, u.Per)
		rv, rf := rates(s.Item(u.Item), b.Config.Scope)
		v := b.extend(cq, rv, p.scale)
		f := b.extend(cq, rf, p.scale)
		b.line(bf.ConversionAllocated, -v, -cq, u.Item, u.Path)
		b.line(bf.FixedOverheadAllocated, -f, -cq, u.Item, u.Path)
		total += v + f // likewise
	}
	return total
}
