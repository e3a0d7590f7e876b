package costing

import (
	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/lcnrv"
)

// LCNRV at close: a book with an LCNRV policy tests the goods it carries at
// full cost — finished items, and any item given an explicit nrv, on hand
// and, in a sequential book, in process — against their net realizable
// value (nrv, or price less selling cost; for units in process, less the
// costs to complete them) and keeps an allowance (inventory_allowance, a
// contra-asset) against them. Each close, per item:
//
//  1. The goods of the last close that have left since — sold, issued to
//     production, found short, or (in process) completed or scrapped, as
//     the ledger counts units leaving stores and process — take their part
//     of the allowance with them: first in, first out, or in a
//     weighted-average book in proportion to the units available. The
//     part of goods that left stores is released to cost of goods sold, so
//     that they cost what they were carried at (ASC 330-10-35-14; IAS
//     2.34): Dr inventory_allowance / Cr cost_of_goods_sold. The part of
//     units that left process goes back through the write-down (Dr
//     inventory_allowance / Cr inventory_writedown): they were not sold,
//     and the goods they became are tested at their own cost in step 2, so
//     that with an unchanged NRV the write-down moves to them.
//  2. The goods on hand are tested (lcnrv.Value) by the policy's basis. US
//     GAAP keeps the write-down the goods on hand carry (their new cost
//     basis) and adds what the test now requires beyond it; with a fiscal
//     year start, a write-down made at an earlier close of the same fiscal
//     year may recover (ASC 270-10-45-6). IAS 2 re-measures: the allowance
//     becomes what the test requires, a reversal never exceeding the
//     write-down the goods on hand carry (IAS 2.33). Goods bought or made
//     since the last close start at their own cost.
//
//	write-down   Dr inventory_writedown   Cr inventory_allowance
//	reversal     Dr inventory_allowance   Cr inventory_writedown
//
// The cost tested is what the book carries: actual layers and process
// costing in an actual-cost book, else each stock account's balance spread
// over what it holds (so that prorated variances count). Units in process
// are valued against the finished item's NRV less the costs to complete
// them at standard: the materials not yet added and the item's own
// conversion not yet done, by the book's scope (a standard-cost book carries
// units in process at their components' standard cost and adds conversion
// at completion; an actual-cost book at the degree of completion of the
// period's last wip_count).

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

// lcnrvState is what an LCNRV book remembers of an item from its last
// close: its goods on hand (stock) and in process (wip).
type lcnrvState struct{ stock, wip lcnrvHeld }

// lcnrvHeld is the allowance a close left against goods: the units tested,
// the allowance held against them and the part of it (interim) written down
// in the close's fiscal year, which a later close of that year may reverse
// under US GAAP with a fiscal year start; the ledger's count of units that
// had left stores (or process) by then; and the close's fiscal year.
type lcnrvHeld struct {
	units              bf.Qty
	allowance, interim bf.Money
	left               bf.Qty
	year               int
}

// lcnrvGood is what a book carries of one item, on hand or in process: the
// units, their cost and their NRV per unit.
type lcnrvGood struct {
	ok   bool // the book tests these goods and holds some
	qty  bf.Qty
	cost bf.Money
	nrv  bf.Cost
}

// lcnrvGoods returns what book b carries of each item it tests, on hand
// and in process. act is the actual-cost state to read (a close's pending
// one), bal the balance of an account (with a close's own lines, at a
// close).
func (l *Ledger) lcnrvGoods(b *Book, act *actualState, bal func(bf.Account) bf.Money) (stock, wip []lcnrvGood) {
	s := l.Std
	n := s.NumItems()
	stock, wip = make([]lcnrvGood, n), make([]lcnrvGood, n)
	if act == nil {
		l.standardGoods(b, bal, stock, wip)
	}
	for i := range n {
		i := int32(i)
		if !tested(s, b.Config, i) {
			stock[i], wip[i] = lcnrvGood{}, lcnrvGood{}
			continue
		}
		nrv, _ := s.Item(i).UnitNRV()
		mat, conv := hundredPct, bf.Pct(0) // a standard book's units in process: components only
		if act != nil {
			for _, x := range act.layers[i] {
				stock[i].qty += x.qty
				stock[i].cost += x.val
			}
			w := act.wip[i]
			wip[i] = lcnrvGood{qty: w.units, cost: w.mat + w.conv}
			mat, conv = w.matPct, w.convPct
		}
		stock[i].nrv = nrv
		stock[i].ok = stock[i].qty > 0
		wip[i].nrv = nrv - l.toComplete(b, i, mat, conv)
		wip[i].ok = wip[i].qty > 0 && (act != nil || b.wipQty != nil)
	}
	return stock, wip
}

// toComplete returns the costs to complete a unit of item i in process in
// book b, at standard: the materials not yet added and the item's own
// conversion not yet done, as the book's scope inventories them, by the
// degree of completion of each.
func (l *Ledger) toComplete(b *Book, i int32, mat, conv bf.Pct) bf.Cost {
	s, sc := l.Std, b.Config.Scope
	own := s.OwnFor(i, sc)
	return pctOf(s.RolledFor(i, sc)-own, hundredPct-mat) + pctOf(own, hundredPct-conv)
}

// pctOf returns c × p/100, rounded half to even.
func pctOf(c bf.Cost, p bf.Pct) bf.Cost {
	if p == hundredPct {
		return c
	}
	return bf.Cost(mulDivRound(int64(c), int64(p), int64(hundredPct)))
}

// standardGoods works out what a standard-cost book carries of each item,
// on hand and in process: each stock account's balance spread over what it
// holds in proportion to its value at standard — the items on hand at
// their rolled-up standard and, in WIP, the work in process at its value in
// the WIP sub-ledger — so that variances prorated into inventory are tested
// too.
func (l *Ledger) standardGoods(b *Book, bal func(bf.Account) bf.Money, stock, wip []lcnrvGood) {
	s := l.Std
	acct := func(i int32) bf.Account {
		if b.Config.Method == bf.MethodBackflush {
			return bf.FinishedGoods
		}
		return stockAccount(s, i)
	}
	for _, a := range []bf.Account{bf.Materials, bf.WIP, bf.FinishedGoods} {
		var w []bf.Money
		var to []*lcnrvGood
		for k := range s.Plant.Items {
			k := int32(k)
			if acct(k) == a && l.onHand[k] > 0 && HeldAtFullCost(b.Config, s.Item(k).Kind) {
				v, _ := bf.Extend(l.onHand[k], s.RolledFor(k, b.Config.Scope), s.Scale)
				w, to = append(w, v), append(to, &stock[k])
				stock[k].qty = l.onHand[k]
			}
			if a == bf.WIP && b.wipQty != nil && b.wipQty[k] > 0 {
				w, to = append(w, max(b.wipVal[k], 0)), append(to, &wip[k])
				wip[k].qty = b.wipQty[k]
			}
		}
		shares := make([]bf.Money, len(w))
		if v := bal(a); v > 0 && len(w) > 0 && bf.Apportion(v, w, shares) {
			for k, g := range to {
				g.cost = shares[k]
			}
		}
	}
}

// lcnrvRef names the goods a test line is: an item on hand or in process.
type lcnrvRef struct {
	item int32
	wip  bool
}

// lcnrvLines returns the lines of book b's lower-of test under pol, the
// fiscal year being year: the goods it carries (stock, wip), and the goods
// it held an allowance against at its last close, with the part of that
// allowance still on hand and the part that may recover (see lcnrv.Line).
func (l *Ledger) lcnrvLines(b *Book, pol bf.LCNRVPolicy, stock, wip []lcnrvGood, year int) ([]lcnrv.Line, []lcnrvRef) {
	s := l.Std
	var lines []lcnrv.Line
	var refs []lcnrvRef
	for i := range s.NumItems() {
		i := int32(i)
		var st lcnrvState
		if int(i) < len(b.lcnrvItems) {
			st = b.lcnrvItems[i]
		}
		for _, x := range [2]struct {
			g    lcnrvGood
			h    lcnrvHeld
			left bf.Qty
			wip  bool
		}{{stock[i], st.stock, l.leftStock[i], false}, {wip[i], st.wip, l.leftProcess[i], true}} {
			if !x.g.ok && x.h.allowance == 0 {
				continue
			}
			it := s.Item(i)
			ln := lcnrv.Line{Item: it.ID, Class: it.Class, InProcess: x.wip, UnitNRV: x.g.nrv, Held: x.h.allowance}
			if x.g.ok {
				ln.Qty, ln.Cost = x.g.qty, x.g.cost
				var interim bf.Money
				ln.Written, interim = x.h.kept(x.g.qty, x.left, b.Config.Basis == bf.BasisWeightedAverage)
				// Under IAS 2 all of it may reverse (lcnrv.Value).
				if pol.FiscalYearStart != (bf.MonthDay{}) && x.h.year == year {
					ln.Recoverable = min(interim, ln.Written)
				}
			}
			lines = append(lines, ln)
			refs = append(refs, lcnrvRef{i, x.wip})
		}
	}
	return lines, refs
}

// kept returns the part of the allowance h that belongs to the goods still
// here, qty units now, the ledger's count of units leaving being left: of
// the units h was set on, those that left since went first (first in,
// first out), or, weighted, in proportion to the units available (qty and
// those that left). It returns the part of the interim write-down too.
func (h lcnrvHeld) kept(qty, left bf.Qty, weighted bool) (allowance, interim bf.Money) {
	out := max(left-h.left, 0) // counts wrap around: their difference does not
	if h.units <= 0 || h.allowance == 0 || qty <= 0 {
		return 0, 0
	}
	num, den := min(h.units-out, qty), h.units
	if weighted {
		num, den = qty, qty+out
	}
	if num <= 0 || den <= 0 {
		return 0, 0
	}
	num = min(num, den)
	return part(h.allowance, num, den), part(h.interim, num, den)
}

// lcnrvClose posts the LCNRV step of a close in book b (see the top of
// this file): the allowance of the goods sold or used goes to cost of
// goods sold with them, that of units that left process back through the
// write-down, and the allowance of the goods on hand becomes what the test
// and the standard require.
func (l *Ledger) lcnrvClose(b *Book, p *posting) {
	pol := b.Config.LCNRV
	if pol == nil || b.bad {
		return
	}
	year := pol.FiscalYearStart.FiscalYear(p.ev.Date)
	stock, wip := l.lcnrvGoods(b, b.pendAct, b.balNow)
	lines, refs := l.lcnrvLines(b, *pol, stock, wip, year)
	r, err := lcnrv.Value(lines, pol.Basis, pol.Standard, p.scale)
	if err != nil {
		b.bad = true
		return
	}
	next := make([]lcnrvState, l.Std.NumItems())
	for k, ref := range refs {
		h := lcnrvHeld{units: lines[k].Qty, allowance: r.Shares[k], interim: r.Shares[k] - r.Fixed[k], year: year}
		if ref.wip {
			h.left = l.leftProcess[ref.item]
			next[ref.item].wip = h
		} else {
			h.left = l.leftStock[ref.item]
			next[ref.item].stock = h
		}
	}
	b.pendLCNRV, b.pendLCNRVItems = true, next
	// The allowance account ends at the test's allowance: what it held
	// beyond what the goods on hand carry leaves with the goods gone.
	held := -b.balNow(bf.InventoryAllowance)
	lines3 := [3]struct {
		a   bf.Account
		amt bf.Money
	}{{bf.InventoryWritedown, r.Adjustment - r.ReleasedInProcess}, {bf.COGS, r.Written + r.ReleasedInProcess - held},
		{bf.InventoryAllowance, held - r.Allowance}}
	b.begin(p.idx, bf.EntryWritedown)
	for _, debit := range [2]bool{true, false} { // debits first
		for _, x := range lines3 {
			if (x.amt > 0) == debit {
				b.line(x.a, x.amt, 0, -1, -1)
			}
		}
	}
	b.end()
}

// lcnrvReleased returns what LCNRV closes have released to cost of goods
// sold with the goods that left, so that prorating weighs cost of goods
// sold at cost, as in a book without LCNRV. Every LCNRV entry moves the
// allowance against the write-down or against cost of goods sold, and
// nothing else touches those two accounts, so the releases are the
// balances of the write-down and the allowance together.
func (b *Book) lcnrvReleased() bf.Money {
	return b.balNow(bf.InventoryWritedown) + b.balNow(bf.InventoryAllowance)
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

// CarryingInProcess returns the units of item i book b carries in process, their
// cost before any LCNRV allowance and their degree of completion as the
// book carries them: an actual-cost book's process costing at its last
// close (materials and conversion as the period's last wip_count stated),
// a sequential standard book's WIP sub-ledger (components issued at
// standard: materials 100%, conversion 0%); zeros in a backflush book.
func (l *Ledger) CarryingInProcess(b *Book, i int32) (q bf.Qty, cost bf.Money, mat, conv bf.Pct) {
	switch {
	case b.act != nil:
		w := b.act.wip[i]
		return w.units, w.mat + w.conv, w.matPct, w.convPct
	case b.wipQty != nil:
		return b.wipQty[i], b.wipVal[i], hundredPct, 0
	}
	return 0, 0, 0, 0
}

// LCNRVAllowance returns the allowance book b's last close left against
// item i's goods on hand and in process; they add up, over the items, to
// the inventory_allowance account (a credit).
func (b *Book) LCNRVAllowance(i int32) (stock, inProcess bf.Money) {
	if int(i) >= len(b.lcnrvItems) {
		return 0, 0
	}
	return b.lcnrvItems[i].stock.allowance, b.lcnrvItems[i].wip.allowance
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
// 330-10-35, IAS 2.9 and 2.28–33; lcnrv.Value) under a policy on what
// book b carries at the end, as a close now would: every item it tests
// (Tested), on hand and in process, at what the book carries before any
// allowance, against its NRV, with the allowance the book holds (and the
// part of it that left with the goods sold since its last close). It
// returns the result and the lines tested.
func LCNRVTest(l *Ledger, b *Book, pol bf.LCNRVPolicy) (*lcnrv.Result, []lcnrv.Line, error) {
	if err := pol.Validate(); err != nil {
		return nil, nil, err
	}
	for i := range l.Std.Plant.Items {
		it := l.Std.Item(int32(i))
		if _, ok := it.UnitNRV(); !ok && l.Tested(b, int32(i)) {
			return nil, nil, bf.E("lcnrv", bf.KindInvalid, bf.ItemID(it.ID), bf.Field("nrv"), "the item needs an nrv or a price")
		}
	}
	stock, wip := l.lcnrvGoods(b, b.act, b.Balance)
	now := l.ClosedThrough()
	if !l.stream && l.Len() > 0 {
		now = l.Event(int32(l.Len() - 1)).Date
	}
	lines, _ := l.lcnrvLines(b, pol, stock, wip, pol.FiscalYearStart.FiscalYear(now))
	r, err := lcnrv.Value(lines, pol.Basis, pol.Standard, l.Std.Scale)
	return r, lines, err
}
