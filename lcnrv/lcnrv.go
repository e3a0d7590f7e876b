// Package lcnrv values inventory at the lower of cost and net realizable
// value (LCNRV), as external reporting requires: by item, by class or in
// total (Partition, the one grouping rule), with the write-down entry, and
// a policy for recoveries — US GAAP never reverses a write-down; IAS 2
// reverses it up to the original amount when net realizable value recovers.
// It is the home of the lower-of test (Value) and its grouping; which goods
// a book tests and at what cost is package costing's, whose close and
// costing.LCNRVTest call them.
package lcnrv

import (
	"sort"

	bf "github.com/backflush/backflush"
)

// Line is one item on hand at period end.
type Line struct {
	Item     string
	Class    string  // for ByClass; empty is a class of its own
	Qty      bf.Qty  // units on hand
	UnitCost bf.Cost // cost per unit before any write-down
	// UnitNRV is the net realizable value per unit: estimated selling price
	// less the costs to complete and to sell.
	UnitNRV bf.Cost
	// Cost, when not zero, is the carrying cost of the line in total (actual
	// cost layers), used instead of Qty × UnitCost.
	Cost bf.Money
}

// Group is the outcome for one group (an item, a class or the total).
type Group struct {
	Name     string
	Cost     bf.Money
	NRV      bf.Money
	Carrying bf.Money // the lower of the two
}

// Result is the period's valuation.
type Result struct {
	Basis    bf.LCNRVBasis
	Groups   []Group
	Cost     bf.Money // inventory at cost
	Carrying bf.Money // inventory at LCNRV
	// Required is the allowance this period's test requires: Cost − Carrying.
	Required bf.Money
	// Allowance is what the allowance becomes under the standard, and
	// Adjustment the entry that gets it there: positive a write-down
	// (Dr COGS / Cr inventory), negative a reversal (Dr inventory / Cr COGS).
	Allowance  bf.Money
	Adjustment bf.Money
}

// Value applies the lower-of test to the lines. prior is the allowance
// carried from the previous period (zero at first); the standard decides
// whether a smaller requirement reverses part of it. Under US GAAP a
// written-down value becomes the new cost basis, so the allowance of goods
// still on hand is kept even when NRV recovers. Under IAS 2 it is reversed
// down to what the test now requires.
func Value(lines []Line, basis bf.LCNRVBasis, std bf.LCNRVStandard, prior bf.Money, scale int) (*Result, error) {
	if basis < bf.LCNRVByItem || basis > bf.LCNRVTotal {
		return nil, bf.E("lcnrv", bf.KindInvalid, bf.Field("basis"), "must be item, class or total")
	}
	if std != bf.USGAAP && std != bf.IAS2 {
		return nil, bf.E("lcnrv", bf.KindInvalid, bf.Field("standard"), "must be us_gaap or ias2")
	}
	if prior < 0 {
		return nil, bf.E("lcnrv", bf.KindInvalid, bf.Field("prior_allowance"), "must not be negative")
	}
	r := &Result{Basis: basis}
	parts := Partition(lines, basis)
	of := make([]int, len(lines)) // the group of each line
	for g, p := range parts {
		r.Groups = append(r.Groups, Group{Name: p.Name})
		for _, k := range p.Lines {
			of[k] = g
		}
	}
	for k, l := range lines {
		if l.Qty < 0 || l.UnitCost < 0 {
			return nil, bf.E("lcnrv", bf.KindInvalid, bf.ItemID(l.Item), bf.Field("qty"), "quantities and costs must not be negative")
		}
		cost, ok1 := bf.Extend(l.Qty, l.UnitCost, scale)
		if l.Cost != 0 {
			cost = l.Cost
		}
		nrv, ok2 := bf.Extend(l.Qty, l.UnitNRV, scale)
		if !ok1 || !ok2 {
			return nil, bf.E("lcnrv", bf.KindInvalid, bf.ItemID(l.Item), "amounts overflow")
		}
		// A negative NRV (costs to sell above the price) values the goods at
		// zero: inventory is never carried below nothing here; a loss beyond
		// that is a provision, not an inventory figure.
		nrv = max(nrv, 0)
		r.Groups[of[k]].Cost += cost
		r.Groups[of[k]].NRV += nrv
		r.Cost += cost
	}
	if basis == bf.LCNRVByClass {
		sort.SliceStable(r.Groups, func(a, b int) bool { return r.Groups[a].Name < r.Groups[b].Name })
	}
	for i := range r.Groups {
		g := &r.Groups[i]
		g.Carrying = min(g.Cost, g.NRV)
		r.Carrying += g.Carrying
	}
	r.Required = r.Cost - r.Carrying
	switch std {
	case bf.USGAAP:
		// Never reversed while the goods are held; the caller passes a prior
		// allowance only for goods still on hand.
		r.Allowance = max(prior, r.Required)
	case bf.IAS2:
		r.Allowance = r.Required
	}
	// The allowance can never exceed the cost of what is on hand: LCNRV
	// never values inventory above cost nor below zero.
	r.Allowance = min(r.Allowance, r.Cost)
	r.Adjustment = r.Allowance - prior
	return r, nil
}

// Part is one group of lines the lower-of test is applied to together: its
// name and the indices of its lines, in their order.
type Part struct {
	Name  string
	Lines []int
}

// Partition is the grouping rule of the lower-of test, the only place it is
// decided: ASC 330-10-35 (and ARB 43, ch. 4, statement 7) lets US GAAP
// apply it item by item, by class of similar items or to the whole
// inventory; IAS 2.29 item by item or by groups of similar items. By item,
// each item is a group named after it. By class, the items of one class
// form a group named after the class, and an item with no class is a group
// of its own, named after the item (never merged with a class of the same
// name). In total, every line is in one group named "total". Groups come in
// the order of their first line. Value applies the test to the groups; the
// close of a book with an LCNRV policy (package costing) does too, group by
// group, to spread each group's allowance over its items.
func Partition(lines []Line, basis bf.LCNRVBasis) []Part {
	type key struct {
		name  string
		class bool
	}
	idx := map[key]int{}
	var parts []Part
	for k, l := range lines {
		g := key{name: l.Item}
		switch basis {
		case bf.LCNRVByClass:
			if l.Class != "" {
				g = key{name: l.Class, class: true}
			}
		case bf.LCNRVTotal:
			g = key{name: "total"}
		}
		i, ok := idx[g]
		if !ok {
			i = len(parts)
			idx[g] = i
			parts = append(parts, Part{Name: g.name})
		}
		parts[i].Lines = append(parts[i].Lines, k)
	}
	return parts
}
