package costing

import (
	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/lcnrv"
)

// LCNRV at close: a book with an LCNRV policy tests the goods it carries at
// full cost — finished items, and any item given an explicit nrv — against
// their net realizable value (nrv, or price less selling cost) and keeps an
// allowance (inventory_allowance, a contra-asset) equal to the write-down
// the policy requires:
//
//	write-down   Dr inventory_writedown   Cr inventory_allowance
//	reversal     Dr inventory_allowance   Cr inventory_writedown
//
// The allowance of goods sold since the last close is released with them
// (in proportion to the cost still on hand). What remains is kept under US
// GAAP even when NRV recovers; IAS 2 reverses it down to what the test now
// requires.

// lcnrvReady checks that every item a book will test has an NRV.
func lcnrvReady(s *Standards, c bf.BookConfig) error {
	for i := range s.Plant.Items {
		it := &s.Plant.Items[i]
		if it.Kind != bf.Finished {
			continue
		}
		if _, ok := it.UnitNRV(); !ok {
			return bf.E("configure book", bf.KindInvalid, bf.ItemID(it.ID), bf.Field("nrv"),
				"book "+c.Name+" applies LCNRV: the item needs an nrv or a price")
		}
	}
	return nil
}

// tested reports whether a book tests item i: it carries the item at full
// cost (HeldAtFullCost) and the item is finished or has an explicit NRV.
func tested(s *Standards, c bf.BookConfig, i int32) bool {
	it := s.Item(i)
	return (it.Kind == bf.Finished || it.NRV != 0) && HeldAtFullCost(c, it.Kind)
}

// lcnrvState is what an LCNRV book remembers of an item from its last close:
// the units tested and the allowance held against them.
type lcnrvState struct {
	units     bf.Qty
	allowance bf.Money
}

// lcnrvClose posts the LCNRV adjustment of a close. The test runs per group
// (an item, a class or the whole inventory, by the policy's basis) on what
// the book carries: actual layers, or each stock account's balance spread
// over its items by their standard value (so that prorated variances count).
// The allowance held against an item is released with the units sold since
// the last close; what remains is kept under US GAAP even when NRV recovers
// and reversed to what the test requires under IAS 2.
func (l *Ledger) lcnrvClose(b *Book, p *posting) {
	pol := b.Config.LCNRV
	if pol == nil || b.bad {
		return
	}
	s := l.Std
	n := s.NumItems()
	qty := make([]bf.Qty, n)
	cost := make([]bf.Money, n)
	if b.pendAct != nil {
		for i := range n {
			for _, x := range b.pendAct.layers[i] {
				qty[i] += x.qty
				cost[i] += x.val
			}
		}
	} else {
		l.carryingAtStandard(b, qty, cost)
	}
	// The goods tested, each an lcnrv.Line, grouped by the policy's basis
	// (lcnrv.Partition); the allowance each group carries from the last
	// close is that of its items still on hand.
	prev := b.lcnrvItems
	var lines []lcnrv.Line
	var items []int32
	for i := range n {
		i := int32(i)
		if !tested(s, b.Config, i) || qty[i] <= 0 {
			continue
		}
		it := s.Item(i)
		nrv, _ := it.UnitNRV()
		lines = append(lines, lcnrv.Line{Item: it.ID, Class: it.Class, Qty: qty[i], Cost: max(cost[i], 0), UnitCost: 0, UnitNRV: nrv})
		items = append(items, i)
	}
	next := make([]lcnrvState, n)
	var total bf.Money
	for _, part := range lcnrv.Partition(lines, pol.Basis) {
		var gLines []lcnrv.Line
		var gItems []int32
		var carried bf.Money
		for _, k := range part.Lines {
			i := items[k]
			gLines, gItems = append(gLines, lines[k]), append(gItems, i)
			if prev != nil && prev[i].units > 0 && prev[i].allowance > 0 {
				kept := min(qty[i], prev[i].units)
				carried += bf.Money(mulDivRound(int64(prev[i].allowance), int64(kept), int64(prev[i].units)))
			}
		}
		r, err := lcnrv.Value(gLines, bf.LCNRVTotal, pol.Standard, carried, p.scale)
		if err != nil {
			b.bad = true
			return
		}
		total += r.Allowance
		// Spread the group's allowance over its items: by their shortfall
		// below NRV when that covers it, else by cost.
		w := make([]bf.Money, len(gItems))
		var short bf.Money
		for k, ln := range gLines {
			nrvTotal, _ := bf.Extend(ln.Qty, ln.UnitNRV, p.scale)
			w[k] = max(ln.Cost-max(nrvTotal, 0), 0)
			short += w[k]
		}
		if short < r.Allowance {
			for k, ln := range gLines {
				w[k] = ln.Cost
			}
		}
		shares := make([]bf.Money, len(w))
		if !bf.Apportion(r.Allowance, w, shares) {
			b.bad = true
			return
		}
		for k, i := range gItems {
			next[i] = lcnrvState{units: gLines[k].Qty, allowance: shares[k]}
		}
	}
	prior := -b.balNow(bf.InventoryAllowance)
	adj := total - prior
	b.pendLCNRV, b.pendLCNRVItems = true, next
	if adj == 0 {
		return
	}
	b.begin(p.idx, bf.EntryWritedown)
	b.line(bf.InventoryWritedown, adj, 0, -1, -1)
	b.line(bf.InventoryAllowance, -adj, 0, -1, -1)
	b.end()
}

// carryingAtStandard works out what a standard-cost book carries of each
// tested item: each stock account's balance (this event's lines included)
// spread over the items it holds in proportion to their standard value, so
// that variances prorated into inventory are tested too.
func (l *Ledger) carryingAtStandard(b *Book, qty []bf.Qty, cost []bf.Money) {
	s := l.Std
	var done []bf.Account
	for i := range s.Plant.Items {
		i := int32(i)
		if !tested(s, b.Config, i) || l.onHand[i] <= 0 {
			continue
		}
		a := stockAccount(s, i)
		if b.Config.Method == bf.MethodBackflush {
			a = bf.FinishedGoods
		}
		seen := false
		for _, d := range done {
			seen = seen || d == a
		}
		if seen {
			continue
		}
		done = append(done, a)
		var w []bf.Money
		var ws []int32
		for k := range s.Plant.Items {
			k := int32(k)
			ka := stockAccount(s, k)
			if b.Config.Method == bf.MethodBackflush {
				ka = bf.FinishedGoods
			}
			if ka != a || l.onHand[k] <= 0 || !HeldAtFullCost(b.Config, s.Item(k).Kind) {
				continue
			}
			v, _ := bf.Extend(l.onHand[k], s.RolledFor(k, b.Config.Scope), s.Scale)
			w, ws = append(w, v), append(ws, k)
		}
		shares := make([]bf.Money, len(w))
		bal := b.balNow(a)
		if a == bf.WIP && b.wipVal != nil {
			// WIP also holds the work in process, tracked apart: only the
			// stocked sub-assemblies are goods to test.
			for _, v := range b.wipVal {
				bal -= v
			}
		}
		if bal > 0 && bf.Apportion(bal, w, shares) {
			for k, x := range ws {
				cost[x] = shares[k]
			}
		}
		for _, x := range ws {
			qty[x] = l.onHand[x]
		}
	}
}

// Tested reports whether book b tests item i for LCNRV: it carries the item
// at full cost and the item is finished or has an explicit NRV.
func (l *Ledger) Tested(b *Book, i int32) bool { return tested(l.Std, b.Config, i) }

// Carrying returns the units of item i book b carries and their cost before
// any LCNRV allowance: actual layers in an actual-cost book, else standard.
func (l *Ledger) Carrying(b *Book, i int32) (bf.Qty, bf.Money) {
	if b.act != nil {
		var q bf.Qty
		var v bf.Money
		for _, x := range b.act.layers[i] {
			q += x.qty
			v += x.val
		}
		return q, v
	}
	q := l.onHand[i]
	v, _ := bf.Extend(q, l.Std.RolledFor(i, b.Config.Scope), l.Std.Scale)
	return q, v
}

// LCNRVPolicyOf is the policy an LCNRV test of book b applies unless told
// otherwise: the book's own, else by item under US GAAP (the most
// conservative basis; ASC 330-10-35).
func LCNRVPolicyOf(b *Book) bf.LCNRVPolicy {
	if p := b.Config.LCNRV; p != nil {
		return *p
	}
	return bf.LCNRVPolicy{Basis: bf.LCNRVByItem, Standard: bf.USGAAP}
}

// LCNRVTest runs the lower-of-cost-and-net-realizable-value test (ASC
// 330-10-35, IAS 2.28–33; lcnrv.Value) under a policy on what book b
// carries at the end: every
// item it tests (Tested), at its carrying cost before any allowance
// (Carrying), against its NRV, with the book's allowance as the prior one.
// It returns the result and the lines tested.
func LCNRVTest(l *Ledger, b *Book, pol bf.LCNRVPolicy) (*lcnrv.Result, []lcnrv.Line, error) {
	var lines []lcnrv.Line
	for i := range l.Std.Plant.Items {
		i := int32(i)
		if !l.Tested(b, i) {
			continue
		}
		it := l.Std.Item(i)
		nrv, ok := it.UnitNRV()
		if !ok {
			return nil, nil, bf.E("lcnrv", bf.KindInvalid, bf.ItemID(it.ID), bf.Field("nrv"), "the item needs an nrv or a price")
		}
		q, cost := l.Carrying(b, i)
		if q <= 0 {
			continue
		}
		lines = append(lines, lcnrv.Line{Item: it.ID, Class: it.Class, Qty: q, Cost: cost, UnitNRV: nrv})
	}
	prior := -b.Balance(bf.InventoryAllowance)
	r, err := lcnrv.Value(lines, pol.Basis, pol.Standard, prior, l.Std.Scale)
	return r, lines, err
}
