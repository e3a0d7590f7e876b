package costing

import (
	bf "github.com/backflush/backflush"
)

// The sequential (traditional) method tracks costs through every stage:
//
//	purchase         Dr materials (standard)      Cr accounts payable (actual), price variance
//	start            Dr WIP                       Cr materials / WIP (stocked sub-assemblies)
//	conversion_cost  Dr conversion control        Cr conversion payable
//	complete         Dr WIP                       Cr conversion allocated (good units, own level)
//	                 Dr finished goods            Cr WIP (good units at rolled-up standard)
//	                 Dr scrap loss                Cr WIP (scrapped units' inputs)
//	sale             Dr accounts receivable       Cr sales revenue
//	                 Dr COGS                      Cr finished goods (rolled-up standard)
//	count            Dr/Cr material usage var.    Cr/Dr the item's stock account
//	close            see close.go
//
// Completed sub-assemblies stay in WIP, their stock account, at standard. A
// completion that finds too few units started issues their components then.
// When an item's units in process reach zero, whatever value rounding left in
// WIP for it is closed to the material usage variance, so WIP never keeps
// cents for work that is no longer there.
func (l *Ledger) sequential(b *Book, p *posting) {
	e, s, sc, scope := p.ev, l.Std, p.scale, b.Config.Scope
	switch e.Type {
	case bf.Purchase:
		l.receipt(b, p, bf.Materials)
	case bf.Start:
		l.issueToWIP(b, p, e.Qty, bf.EntryIssue)
	case bf.ConversionCost:
		conversionIncurred(b, p)
	case bf.Expense:
		periodExpense(b, p)
	case bf.Complete:
		x := p.item
		issued := l.issueToWIP(b, p, p.extra, bf.EntryIssue)
		// Conversion at standard for the good units, at this item's own
		// level: the variable and fixed parts the book's scope inventories.
		b.begin(p.idx, bf.EntryAllocate)
		dr := b.reserve()
		var conv bf.Money
		for _, u := range s.convs[x] {
			if !u.Own {
				continue
			}
			q := b.mulQty(e.Qty, u.Per)
			rv, rf := rates(s.Item(u.Item), scope)
			v := b.extend(q, rv, sc)
			f := b.extend(q, rf, sc)
			b.line(bf.ConversionAllocated, -v, q, u.Item, u.Path)
			b.line(bf.FixedOverheadAllocated, -f, q, u.Item, u.Path)
			conv += v + f // the lines' sum: exact once Book.fits accepts them
		}
		b.fill(dr, bf.WIP, conv, e.Qty, x, -1)
		b.end()
		// Good units leave WIP at the rolled-up standard.
		out := b.extend(e.Qty, s.RolledFor(x, scope), sc)
		b.begin(p.idx, bf.EntryTransfer)
		b.line(stockAccount(s, x), out, e.Qty, x, -1)
		b.line(bf.WIP, -out, e.Qty, x, -1)
		b.end()
		// Scrapped units take their inputs (everything but own-level conversion) with them.
		scrap := b.extend(e.ScrapQty, s.RolledFor(x, scope)-s.OwnFor(x, scope), sc)
		b.begin(p.idx, bf.EntryScrap)
		b.line(bf.ScrapLoss, scrap, e.ScrapQty, x, -1)
		b.line(bf.WIP, -scrap, e.ScrapQty, x, -1)
		b.end()
		n := e.Qty + e.ScrapQty
		b.wip(x, p.extra-n, issued+conv-out-scrap)
		if b.wipQty[x]+b.pendQty == 0 {
			if left := b.wipVal[x] + b.pendVal; left != 0 {
				b.begin(p.idx, bf.EntryResidue)
				b.line(bf.MaterialUsageVariance, left, 0, x, -1)
				b.line(bf.WIP, -left, 0, x, -1)
				b.end()
				b.wip(x, 0, -left)
			}
		}
	case bf.Sale:
		revenue(b, p)
		v := b.extend(e.Qty, s.RolledFor(p.item, scope), sc)
		b.begin(p.idx, bf.EntryCostOfSale)
		b.line(bf.COGS, v, e.Qty, p.item, -1)
		b.line(stockAccount(s, p.item), -v, -e.Qty, p.item, -1)
		b.end()
	case bf.Count:
		v := b.extend(p.diff, s.RolledFor(p.item, scope), sc)
		b.begin(p.idx, bf.EntryCount)
		b.line(stockAccount(s, p.item), v, p.diff, p.item, -1)
		b.line(bf.MaterialUsageVariance, -v, -p.diff, p.item, -1)
		b.end()
	case bf.Close:
		l.closePeriod(b, p, bf.WIP, bf.FinishedGoods)
		l.lcnrvClose(b, p)
	}
	l.reprocessLines(b, p)
	l.followShares(b, p)
}

// stockAccount is where the sequential method holds an item on hand.
func stockAccount(s *Standards, i int32) bf.Account {
	switch s.Item(i).Kind {
	case bf.Material:
		return bf.Materials
	case bf.Finished:
		return bf.FinishedGoods
	default:
		return bf.WIP
	}
}

// issueToWIP issues the stocked components of q units of p.item to WIP at
// their rolled-up standard and returns the value issued. q is the quantity
// whose components check worked out in p.comps.
func (l *Ledger) issueToWIP(b *Book, p *posting, q bf.Qty, kind bf.EntryKind) bf.Money {
	if q == 0 {
		return 0
	}
	s := l.Std
	var total bf.Money
	b.begin(p.idx, kind)
	dr := b.reserve()
	for i, u := range s.direct[p.item] {
		cq := p.comps[i]
		v := b.extend(cq, s.RolledFor(u.Item, b.Config.Scope), p.scale)
		if short := p.short[i]; short != 0 {
			// The queued shortfall waits in the clearing account.
			sv := b.extend(short, s.RolledFor(u.Item, b.Config.Scope), p.scale)
			b.line(bf.BackflushClearing, -sv, -short, u.Item, u.Path)
			b.line(stockAccount(s, u.Item), sv-v, short-cq, u.Item, u.Path)
		} else {
			b.line(stockAccount(s, u.Item), -v, -cq, u.Item, u.Path)
		}
		total += v // the balancing line: exact once Book.fits accepts the entry
	}
	b.fill(dr, bf.WIP, total, q, p.item, -1)
	b.end()
	if p.ev.Type == bf.Start {
		b.wip(p.item, q, total)
	}
	return total
}

// receipt records materials bought at standard in acct, the liability at the
// price paid, and the difference as a purchase price variance.
func (l *Ledger) receipt(b *Book, p *posting, acct bf.Account) {
	e := p.ev
	std := b.extend(e.Qty, l.Std.Item(p.item).StandardCost, p.scale)
	paid := b.extend(e.Qty, e.UnitCost, p.scale)
	b.begin(p.idx, bf.EntryReceipt)
	b.line(acct, std, e.Qty, p.item, -1)
	b.line(bf.PurchasePriceVariance, paid-std, 0, p.item, -1)
	b.line(bf.AccountsPayable, -paid, 0, p.item, -1)
	b.end()
}

// conversionIncurred records actual labour and overhead, the same in every
// book: fixed overhead in its own control account, so that a variable or
// throughput book can treat it as a period cost.
func conversionIncurred(b *Book, p *posting) {
	ctl := bf.ConversionControl
	if p.ev.Behavior == bf.Fixed {
		ctl = bf.FixedOverheadControl
	}
	b.begin(p.idx, bf.EntryConversion)
	b.line(ctl, p.ev.Amount, 0, -1, -1)
	b.line(bf.ConversionPayable, -p.ev.Amount, 0, -1, -1)
	b.end()
}

// periodExpense records marketing or administration, a period cost in every
// book whatever its scope.
func periodExpense(b *Book, p *posting) {
	acct := bf.SellingAdminFixed
	if p.ev.Behavior == bf.Variable {
		acct = bf.SellingAdminVariable
	}
	b.begin(p.idx, bf.EntryExpense)
	b.line(acct, p.ev.Amount, 0, -1, -1)
	b.line(bf.AccruedExpenses, -p.ev.Amount, 0, -1, -1)
	b.end()
}

// revenue records a sale at its selling price and the item's variable
// selling cost, the same in every book.
func revenue(b *Book, p *posting) {
	v := b.extend(p.ev.Qty, p.price, p.scale)
	b.begin(p.idx, bf.EntryRevenue)
	b.line(bf.AccountsReceivable, v, 0, p.item, -1)
	b.line(bf.SalesRevenue, -v, -p.ev.Qty, p.item, -1)
	b.end()
	if sc := p.sellingCost; sc != 0 {
		c := b.extend(p.ev.Qty, sc, p.scale)
		b.begin(p.idx, bf.EntryExpense)
		b.line(bf.SellingAdminVariable, c, p.ev.Qty, p.item, -1)
		b.line(bf.AccruedExpenses, -c, 0, p.item, -1)
		b.end()
	}
}
