package costing

import (
	bf "github.com/backflush/backflush"
)

// Prorated variances follow the goods. Under CloseProrate a close spreads
// each pool's variance over WIP, finished goods and the period's COGS
// (close.go); the part put into an inventory account is spread over the
// goods it holds, item by item, by their standard value: each holding —
// an item's units in stock, or (sequential books) its units in process —
// keeps a share and the units that carry it, every unit on hand at the
// close. From then on the share moves with those units, by units:
//
//	sale                     Dr COGS                      Cr the item's stock account
//	count short              Dr material usage variance   Cr the item's stock account
//	start                    the components' shares join the units started (Dr WIP Cr finished goods for a kit)
//	complete                 Dr the item's stock account  Cr WIP (good units); Dr scrap loss Cr WIP (scrap);
//	                         Dr COGS Cr WIP (good units filling a deficit of stock: sold before they were made)
//	queued shortfall taken   Dr COGS                      Cr the component's stock account
//
// First in, first out: the units that carry a share are the oldest of the
// holding (they were there at the close, or were made from units that
// were), so units leaving take from them first, each at the holding's
// share per unit; the last of them takes what is left, so a holding's
// share is zero exactly when its carrying units are. Units completed from
// units in process that carried a share, and units started from
// sub-assemblies that did, join the share-carrying units of their holding.
// At the next close a holding's share, what is left of it and its part of
// the new variance, is carried by all the units then on hand. A holding
// whose goods are gone carries nothing: at the close an account's part
// that no goods would carry goes to COGS.
//
// A reversal does not bring a share back: the units it returns carry none,
// and the units it removes take theirs to COGS (a count's to the usage
// variance); the original's share entries stay (costing/reverse.go).
//
// Only standard-cost books keep shares: actual-cost books close their pools
// into COGS, the period's actual costs being in their layers already.

// The places of a holding.
const (
	inStock   = 0
	inProcess = 1
)

// spreadRoom is the scratch room prorateInto reuses, so that a close does
// not allocate.
type spreadRoom struct {
	hs    []int32
	w     []bf.Money
	units []bf.Qty
	out   []bf.Money
}

// holding is the index of an item's holding in a book's share arrays.
func holding(item int32, place int32) int32 { return item*2 + place }

// shareDelta is a change an event makes to a holding's share.
type shareDelta struct {
	h     int32
	units bf.Qty
	amt   bf.Money
}

// HeldShare is the prorated variance a holding carries and the units that
// carry it.
type HeldShare struct {
	Units  bf.Qty
	Amount bf.Money
}

// Prorated returns the prorated variance the goods of an item carry in book
// b: its units in stock and its units in process. Both are zero in books
// that keep none (CloseToCOGS, actual cost).
func (b *Book) Prorated(item int32) (stock, process HeldShare) {
	if b.shareAmt == nil {
		return
	}
	hs, hp := holding(item, inStock), holding(item, inProcess)
	return HeldShare{b.shareUnits[hs], b.shareAmt[hs]}, HeldShare{b.shareUnits[hp], b.shareAmt[hp]}
}

// held returns a holding's share with the changes of the event being posted.
func (b *Book) held(h int32) (bf.Qty, bf.Money) {
	u, a := b.shareUnits[h], b.shareAmt[h]
	for _, d := range b.pendShares {
		if d.h == h {
			u += d.units
			a += d.amt
		}
	}
	return u, a
}

// takeShare takes the share of q units leaving holding h, first in first
// out, and returns it.
func (b *Book) takeShare(h int32, q bf.Qty) bf.Money {
	if q <= 0 {
		return 0
	}
	u, a := b.held(h)
	if u <= 0 {
		return 0
	}
	t := min(q, u)
	amt := a
	if t < u {
		amt = part(a, t, u)
	}
	b.pendShares = append(b.pendShares, shareDelta{h, -t, -amt})
	return amt
}

// giveShare adds a share carried by q more units to holding h.
func (b *Book) giveShare(h int32, q bf.Qty, amt bf.Money) {
	b.pendShares = append(b.pendShares, shareDelta{h, q, amt})
}

// shareAcct is the account holding h is kept in.
func (l *Ledger) shareAcct(b *Book, h int32) bf.Account {
	if h%2 == inProcess {
		return bf.WIP
	}
	if b.Config.Method == bf.MethodSequential {
		return stockAccount(l.Std, h/2)
	}
	return bf.FinishedGoods
}

// moveShare takes the share of q units leaving holding h to account to,
// with a line of the current entry when the account changes, and returns it.
func (l *Ledger) moveShare(b *Book, h int32, q bf.Qty, to bf.Account) bf.Money {
	amt := b.takeShare(h, q)
	if from := l.shareAcct(b, h); amt != 0 && from != to {
		b.line(to, amt, 0, h/2, -1)
		b.line(from, -amt, 0, h/2, -1)
	}
	return amt
}

// followShares moves the shares of the units an event moves (see the top
// of the file). Reverse events call reversalShares instead.
func (l *Ledger) followShares(b *Book, p *posting) {
	if b.shareAmt == nil {
		return
	}
	e := p.ev
	seq := b.Config.Method == bf.MethodSequential
	b.begin(p.idx, bf.EntryShare)
	switch e.Type {
	case bf.Sale:
		l.moveShare(b, holding(p.item, inStock), e.Qty, bf.COGS)
	case bf.Count:
		l.moveShare(b, holding(p.item, inStock), -p.diff, bf.MaterialUsageVariance)
	case bf.Start:
		to := bf.WIP
		if !seq {
			to = bf.COGS // no WIP: the components' shares are spent
		}
		if t := l.issueShares(b, p, to); seq && t != 0 {
			b.giveShare(holding(p.item, inProcess), e.Qty, t)
		}
	case bf.Complete:
		if !seq {
			l.issueShares(b, p, bf.COGS)
			break
		}
		x := p.item
		t := b.takeShare(holding(x, inProcess), p.fromStarted) + l.issueShares(b, p, bf.WIP)
		if t == 0 {
			break
		}
		scrap := t
		if n := e.Qty + e.ScrapQty; e.Qty > 0 {
			scrap = part(t, e.ScrapQty, n)
		}
		b.line(bf.ScrapLoss, scrap, 0, x, -1)
		b.line(bf.WIP, -scrap, 0, x, -1)
		good := t - scrap
		// Units that fill a deficit of stock were sold before they were
		// made: their part goes to COGS.
		if kept := min(e.Qty, max(l.onHand[x]+e.Qty, 0)); kept < e.Qty {
			sold := part(good, e.Qty-kept, e.Qty)
			b.line(bf.COGS, sold, 0, x, -1)
			b.line(bf.WIP, -sold, 0, x, -1)
			good -= sold
			e = &bf.Event{Qty: kept}
		}
		if good != 0 {
			h := holding(x, inStock)
			b.giveShare(h, e.Qty, good)
			if a := l.shareAcct(b, h); a != bf.WIP {
				b.line(a, good, 0, x, -1)
				b.line(bf.WIP, -good, 0, x, -1)
			}
		}
	}
	for _, t := range p.takes {
		l.moveShare(b, holding(l.queue[t.entry].Comp, inStock), t.qty, bf.COGS)
	}
	b.end()
}

// issueShares takes the shares of the stocked components an event issues
// (p.comps, less what was left short) to account to and returns them.
func (l *Ledger) issueShares(b *Book, p *posting, to bf.Account) bf.Money {
	var t bf.Money
	for i, u := range l.Std.direct[p.item] {
		q := p.comps[i]
		if p.short != nil {
			q -= p.short[i]
		}
		t += l.moveShare(b, holding(u.Item, inStock), q, to)
	}
	return t
}

// reversalShares moves the shares of the units a reverse event takes out
// of a holding: to COGS (a count's to the usage variance). Units it
// returns carry none.
func (l *Ledger) reversalShares(b *Book, p *posting) {
	if b.shareAmt == nil {
		return
	}
	t := l.events.At(int(p.target))
	rec := l.phys.At(int(p.target))
	x := l.itemOf(p.target)
	b.begin(p.idx, bf.EntryShare)
	switch t.Type {
	case bf.Count:
		l.moveShare(b, holding(x, inStock), rec.diff, bf.MaterialUsageVariance)
	case bf.Start:
		if b.Config.Method == bf.MethodSequential {
			l.moveShare(b, holding(x, inProcess), t.Qty, bf.COGS)
		}
	case bf.Complete:
		l.moveShare(b, holding(x, inStock), t.Qty, bf.COGS)
	}
	b.end()
}

// prorateInto spreads amt, an account's part of a close's variance, over
// the holdings kept in that account by their standard value, and gives
// each holding its part, carried by all its units now on hand. It returns
// what no goods carry (all of amt when the account holds none).
func (l *Ledger) prorateInto(b *Book, acct bf.Account, amt bf.Money) bf.Money {
	s := l.Std
	hs, w, units := l.spread.hs[:0], l.spread.w[:0], l.spread.units[:0]
	defer func() { l.spread.hs, l.spread.w, l.spread.units = hs, w, units }()
	for i := range s.Plant.Items {
		i := int32(i)
		if q := l.onHand[i]; q > 0 && HeldAtFullCost(b.Config, s.Item(i).Kind) && s.Item(i).Kind != bf.Material &&
			l.shareAcct(b, holding(i, inStock)) == acct {
			v, _ := bf.Extend(q, s.RolledFor(i, b.Config.Scope), s.Scale)
			hs, w, units = append(hs, holding(i, inStock)), append(w, max(v, 0)), append(units, q)
		}
		if q := l.started[i]; q > 0 && b.wipVal != nil && acct == bf.WIP {
			hs, w, units = append(hs, holding(i, inProcess)), append(w, max(b.wipVal[i], 0)), append(units, q)
		}
	}
	var sum bf.Money
	for _, v := range w {
		sum += v
	}
	if sum <= 0 {
		return amt
	}
	out := append(l.spread.out[:0], w...)
	l.spread.out = out
	if !bf.Apportion(amt, w, out) {
		b.bad = true
		return 0
	}
	for k, h := range hs {
		if out[k] == 0 {
			continue
		}
		u, _ := b.held(h)
		b.giveShare(h, units[k]-u, out[k])
		b.line(acct, out[k], 0, h/2, -1)
	}
	return 0
}
