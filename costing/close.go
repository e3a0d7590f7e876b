package costing

import (
	bf "github.com/backflush/backflush"
)

// closePeriod disposes of under- or over-allocated conversion, for each
// pool the book's scope inventories: variable conversion (conversion
// control against conversion allocated) unless the book is a throughput
// book, and fixed overhead (fixed overhead control against allocated, which
// nets the spending and production-volume variances) in an absorption book.
// The difference goes to COGS, or with CloseProrate is spread over the
// accounts that hold allocated conversion (wip, fg, COGS) in proportion to
// the ending balances of wip and fg and the period's COGS, residue by
// largest remainder, the inventory parts over the goods (shares.go). wip and fg may name
// the same account, or COGS, in books without them. Pools a scope does not
// inventory stay where they are: period costs of the period they were
// incurred in. Other variances stay in their own accounts.
func (l *Ledger) closePeriod(b *Book, p *posting, wip, fg bf.Account) {
	scope := b.Config.Scope
	if scope.InventoriesVariable() {
		l.closePool(b, p, bf.ConversionControl, bf.ConversionAllocated, wip, fg)
	}
	if scope.InventoriesFixed() {
		l.closePool(b, p, bf.FixedOverheadControl, bf.FixedOverheadAllocated, wip, fg)
	}
}

// closePool closes one pool's allocated account against its control account.
// Under CloseProrate the variance is spread over wip, fg and the period's
// COGS (its movement since the last close) in proportion to their ending
// balances; the parts put into wip and fg go to the goods they hold, item
// by item, and follow them from then on (shares.go). A part no goods would
// carry goes to COGS.
func (l *Ledger) closePool(b *Book, p *posting, ctl, alloc, wip, fg bf.Account) {
	control, allocated := b.balNow(ctl), b.balNow(alloc)
	under := control + allocated
	b.begin(p.idx, bf.EntryClose)
	b.line(alloc, -allocated, 0, -1, -1)
	if l.Close == bf.CloseProrate {
		accts := [3]bf.Account{wip, fg, bf.COGS}
		var w, out [3]bf.Money
		for i, a := range accts[:2] {
			if a != bf.COGS && (i == 0 || a != accts[0]) { // an account listed twice weighs once
				w[i] = max(b.balNow(a), 0)
			}
		}
		w[2] = max(b.balNow(bf.COGS)-b.cogsMark, 0)
		if !bf.Apportion(under, w[:], out[:]) {
			b.bad = true // the weights overflow: refuse the close rather than misstate it
			return
		}
		for i, a := range accts[:2] {
			switch {
			case out[i] == 0:
			case b.shareAmt == nil:
				out[2] += out[i]
			default:
				out[2] += l.prorateInto(b, a, out[i])
			}
		}
		b.line(bf.COGS, out[2], 0, -1, -1)
		b.pendProrate = true
	} else {
		b.line(bf.COGS, under, 0, -1, -1)
	}
	b.line(ctl, -control, 0, -1, -1)
	b.end()
}
