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
func lcnrvReady(s *Standards, c BookConfig) error {
	for i := range s.Plant.Items {
		it := &s.Plant.Items[i]
		if it.Kind != bf.Finished {
			continue
		}
		if _, ok := it.UnitNRV(); !ok {
			return &bf.Error{Kind: bf.KindInvalid, Op: "configure book", Item: it.ID, Field: "nrv",
				Reason: "book " + c.Name + " applies LCNRV: the item needs an nrv or a price"}
		}
	}
	return nil
}

// tested reports whether a book carries item i at full cost and so tests it.
func tested(s *Standards, c BookConfig, i int32) bool {
	it := s.Item(i)
	if it.Kind != bf.Finished && it.NRV == 0 {
		return false
	}
	switch {
	case c.Method == Backflush:
		return it.Kind == bf.Finished && c.Triggers.Has(TriggerCompletion)
	default:
		return it.Kind != bf.Phantom
	}
}

// lcnrvClose posts the LCNRV adjustment of a close.
func (l *Ledger) lcnrvClose(b *Book, p *posting) {
	pol := b.Config.LCNRV
	if pol == nil || b.bad {
		return
	}
	s := l.Std
	var lines []lcnrv.Line
	for i := range s.Plant.Items {
		i := int32(i)
		if !tested(s, b.Config, i) {
			continue
		}
		it := s.Item(i)
		nrv, _ := it.UnitNRV()
		ln := lcnrv.Line{Item: it.ID, Class: it.Class, UnitNRV: nrv}
		if b.pendAct != nil {
			for _, x := range b.pendAct.layers[i] {
				ln.Qty += x.qty
				ln.Cost += x.val
			}
		} else {
			ln.Qty, ln.UnitCost = l.onHand[i], s.RolledFor(i, b.Config.Scope)
		}
		if ln.Qty <= 0 {
			continue
		}
		if ln.Cost == 0 && b.pendAct != nil {
			continue
		}
		lines = append(lines, ln)
	}
	prior := -b.balNow(bf.InventoryAllowance)
	var r *lcnrv.Result
	var err error
	carried := prior
	if len(lines) > 0 {
		// Release the allowance of goods gone since the last close.
		r, err = lcnrv.Value(lines, pol.Basis, pol.Standard, 0, p.scale)
		if err != nil {
			b.bad = true
			return
		}
		if b.lcnrvCost > 0 && r.Cost < b.lcnrvCost {
			carried = bf.Money(mulDivRound(int64(prior), int64(r.Cost), int64(b.lcnrvCost)))
		}
		r, err = lcnrv.Value(lines, pol.Basis, pol.Standard, carried, p.scale)
		if err != nil {
			b.bad = true
			return
		}
	}
	allowance := bf.Money(0)
	var cost bf.Money
	if r != nil {
		allowance, cost = r.Allowance, r.Cost
	}
	adj := allowance - prior
	b.pendLCNRV, b.pendLCNRVCost = true, cost
	if adj == 0 {
		return
	}
	b.begin(p.idx, bf.EntryWritedown)
	b.line(bf.InventoryWritedown, adj, 0, -1, -1)
	b.line(bf.InventoryAllowance, -adj, 0, -1, -1)
	b.end()
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
