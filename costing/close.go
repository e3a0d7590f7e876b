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
// their ending balances, residue by largest remainder. wip and fg may name
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
// Under CloseProrate the shares put into WIP and finished goods at the last
// close go to COGS first: by now those goods have mostly been sold at
// standard, and left in inventory the shares would outlive the goods.
func (l *Ledger) closePool(b *Book, p *posting, ctl, alloc, wip, fg bf.Account) {
	pool := 0
	if ctl == bf.FixedOverheadControl {
		pool = 1
	}
	control, allocated := b.balNow(ctl), b.balNow(alloc)
	under := control + allocated
	b.begin(p.idx, bf.EntryClose)
	b.line(alloc, -allocated, 0, -1, -1)
	if l.Close == bf.CloseProrate {
		for _, x := range b.prorated[pool] {
			b.line(x.acct, -x.amt, 0, -1, -1)
			b.line(bf.COGS, x.amt, 0, -1, -1)
		}
		accts := [3]bf.Account{wip, fg, bf.COGS}
		var w, out [3]bf.Money
		for i, a := range accts {
			dup := false
			for _, prev := range accts[:i] {
				dup = dup || prev == a
			}
			if !dup { // an account listed twice weighs once
				w[i] = b.balNow(a)
				if a == bf.COGS {
					w[i] += b.lcnrvReleased() // weighed at cost, whatever LCNRV did
				}
				w[i] = max(w[i], 0)
			}
		}
		if !bf.Apportion(under, w[:], out[:]) {
			b.bad = true // the weights overflow: refuse the close rather than misstate it
			return
		}
		b.pendProrated[pool] = b.pendProrated[pool][:0]
		for i, a := range accts {
			b.line(a, out[i], 0, -1, -1)
			if a != bf.COGS && out[i] != 0 {
				b.pendProrated[pool] = append(b.pendProrated[pool], prorateShare{a, out[i]})
			}
		}
		b.pendProrate = true
	} else {
		b.line(bf.COGS, under, 0, -1, -1)
	}
	b.line(ctl, -control, 0, -1, -1)
	b.end()
}

// prorateShare is a part of a pool's variance a close put into inventory.
type prorateShare struct {
	acct bf.Account
	amt  bf.Money
}
