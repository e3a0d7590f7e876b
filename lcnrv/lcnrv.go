// Package lcnrv values inventory at the lower of cost and net realizable
// value (LCNRV), as external reporting requires: by item, by class or in
// total (Partition, the one grouping rule), with the write-down entry, and
// the standards' rules for goods already written down — US GAAP keeps a
// write-down as the goods' new cost basis (ASC 330-10-35-14; within a
// fiscal year an interim write-down may recover, ASC 270-10-45-6); IAS 2
// re-measures at every close and reverses up to the original write-down
// when net realizable value recovers (IAS 2.33). It is the home of the
// lower-of test (Value), its grouping and the spreading of a group's
// allowance over its lines; which goods a book tests, at what cost, and
// what part of an allowance left with the goods sold is package costing's,
// whose close and costing.LCNRVTest call them.
package lcnrv

import (
	"sort"

	bf "github.com/backflush/backflush"
)

// Line is one item on hand (or in process) at period end.
type Line struct {
	Item  string
	Class string // for ByClass; empty is a class of its own
	// InProcess marks the units of Item in process (work in process): by
	// item they are a group of their own, "Item in process".
	InProcess bool
	Qty       bf.Qty  // units on hand
	UnitCost  bf.Cost // cost per unit before any write-down
	// UnitNRV is the net realizable value per unit: estimated selling price
	// less the costs to complete and to sell.
	UnitNRV bf.Cost
	// Cost, when not zero, is the carrying cost of the line in total (actual
	// cost layers), used instead of Qty × UnitCost.
	Cost bf.Money

	// Held is the allowance held against the line's goods before the test
	// (at the book's last close). Written is the part of Held that belongs
	// to the goods still here: the rest belonged to goods sold or used
	// since, and leaves with them. Recoverable is the part of Written a
	// recovery of net realizable value may reverse now under US GAAP (a
	// write-down of an earlier interim close of the same fiscal year, ASC
	// 270-10-45-6); the rest is the goods' new cost basis (ASC
	// 330-10-35-14). Under IAS 2 all of Written may reverse and Recoverable
	// is not read.
	Held, Written, Recoverable bf.Money
}

// Group is the outcome for one group (an item, a class or the total).
type Group struct {
	Name     string
	Cost     bf.Money
	NRV      bf.Money
	Carrying bf.Money // the lower of the two
	// Held is the allowance held against the group's goods before the
	// test, Written the part of it on the goods still here, and Allowance
	// what the test leaves: Cost − Allowance is what the group is carried
	// at after it, Cost − Held what it was carried at before.
	Held, Written, Allowance bf.Money
}

// Result is the period's valuation.
type Result struct {
	Basis    bf.LCNRVBasis
	Standard bf.LCNRVStandard
	Groups   []Group
	Cost     bf.Money // inventory at cost
	NRV      bf.Money // the groups' net realizable value, each at least zero
	Carrying bf.Money // inventory at the lower of cost and NRV, group by group
	// Required is Cost − Carrying, the write-down the lower-of test
	// requires of the goods on hand.
	Required bf.Money
	// Held is the allowance before the test; Released the part of it that
	// belonged to goods gone since (Held − Written). Goods sold or used
	// take theirs to cost of goods sold: Dr inventory allowance / Cr cost
	// of goods sold. ReleasedInProcess is the part of Released of units
	// that have left process (completed or scrapped): they are not sold,
	// so theirs goes back through the write-down (Dr inventory allowance /
	// Cr inventory write-down), and what they became is tested at its own
	// cost.
	Held, Released, ReleasedInProcess, Written bf.Money
	// Allowance is what the allowance becomes under the standard, and
	// Adjustment (Allowance − Written) the entry that gets it there from
	// what the goods on hand carry: positive a write-down (Dr write-down /
	// Cr allowance), negative a reversal (Dr allowance / Cr write-down).
	Allowance  bf.Money
	Adjustment bf.Money
	// Shares are each line's part of its group's Allowance, in the lines'
	// order, and Fixed the part of each share no later recovery reverses
	// under US GAAP (see Line.Recoverable); zero under IAS 2.
	Shares, Fixed []bf.Money
}

// Value applies the lower-of test to the lines, group by group (Partition),
// and says what each group's allowance becomes:
//
//   - IAS 2 (2.9, 2.28–2.33): the goods are carried at the lower of cost
//     and NRV, re-measured at every close; the allowance is what the test
//     requires, so a recovery reverses a write-down, never beyond the
//     write-down the goods on hand carry (IAS 2.33). Total is refused
//     (IAS 2.29).
//   - US GAAP (ASC 330-10-35-1B, 35-14): a write-down is the goods' new
//     cost basis: the allowance is the larger of what the goods on hand
//     already carry (less what may recover, Line.Recoverable) and what the
//     test requires.
//
// Either way the allowance is never more than the cost of what is on hand:
// inventory is never carried above cost nor below zero. The allowance of
// each group is spread over its lines (Result.Shares): each line keeps the
// part of its write-down that may not recover, and the rest goes by each
// line's shortfall of its carrying amount below NRV when that covers it,
// else by carrying amount.
func Value(lines []Line, basis bf.LCNRVBasis, std bf.LCNRVStandard, scale int) (*Result, error) {
	pol := bf.LCNRVPolicy{Basis: basis, Standard: std}
	if err := pol.Validate(); err != nil {
		return nil, err
	}
	r := &Result{Basis: basis, Standard: std, Shares: make([]bf.Money, len(lines)), Fixed: make([]bf.Money, len(lines))}
	cost := make([]bf.Money, len(lines))
	nrv := make([]bf.Money, len(lines))
	for k, l := range lines {
		if l.Qty < 0 || l.UnitCost < 0 {
			return nil, bf.E("lcnrv", bf.KindInvalid, bf.ItemID(l.Item), bf.Field("qty"), "quantities and costs must not be negative")
		}
		if l.Held < 0 || l.Written < 0 || l.Recoverable < 0 || l.Written > l.Held || l.Recoverable > l.Written {
			return nil, bf.E("lcnrv", bf.KindInvalid, bf.ItemID(l.Item), bf.Field("allowance"),
				"the allowance held, the part on the goods still here and the part that may recover must be 0 ≤ recoverable ≤ written ≤ held")
		}
		c, ok1 := bf.Extend(l.Qty, l.UnitCost, scale)
		if l.Cost != 0 {
			c = l.Cost
		}
		v, ok2 := bf.Extend(l.Qty, l.UnitNRV, scale)
		if !ok1 || !ok2 {
			return nil, bf.E("lcnrv", bf.KindInvalid, bf.ItemID(l.Item), "amounts overflow")
		}
		// A negative NRV (costs to sell above the price) values the goods at
		// zero: inventory is never carried below nothing here; a loss beyond
		// that is a provision, not an inventory figure.
		cost[k], nrv[k] = max(c, 0), max(v, 0)
	}
	for _, p := range Partition(lines, basis) {
		g := Group{Name: p.Name}
		var fixed bf.Money
		for _, k := range p.Lines {
			l := &lines[k]
			g.Cost += cost[k]
			g.NRV += nrv[k]
			g.Held += l.Held
			g.Written += l.Written
			if l.InProcess {
				r.ReleasedInProcess += l.Held - l.Written
			}
			// What the goods keep whatever NRV does: under US GAAP the
			// write-down that may not recover, never more than their cost.
			if std == bf.USGAAP {
				r.Fixed[k] = min(l.Written-l.Recoverable, cost[k])
			}
			fixed += r.Fixed[k]
		}
		g.Carrying = min(g.Cost, g.NRV)
		g.Allowance = min(max(fixed, g.Cost-g.Carrying), g.Cost)
		if !spread(g.Allowance-fixed, p.Lines, cost, nrv, r.Fixed, r.Shares) {
			return nil, bf.E("lcnrv", bf.KindInvalid, "amounts overflow")
		}
		r.Groups = append(r.Groups, g)
	}
	if basis == bf.LCNRVByClass {
		sort.SliceStable(r.Groups, func(a, b int) bool { return r.Groups[a].Name < r.Groups[b].Name })
	}
	for _, g := range r.Groups {
		r.Cost += g.Cost
		r.NRV += g.NRV
		r.Carrying += g.Carrying
		r.Held += g.Held
		r.Written += g.Written
		r.Allowance += g.Allowance
	}
	r.Required = r.Cost - r.Carrying
	r.Released = r.Held - r.Written
	r.Adjustment = r.Allowance - r.Written
	return r, nil
}

// spread gives the lines ks of a group their shares of the group's
// allowance: each its fixed part, and extra (the rest) by each line's
// shortfall of its carrying amount (cost less the fixed part) below its NRV
// when the shortfalls cover it, else by carrying amount. No line's share
// exceeds its cost. It reports false when the weights overflow.
func spread(extra bf.Money, ks []int, cost, nrv, fixed, shares []bf.Money) bool {
	w := make([]bf.Money, len(ks))
	var short bf.Money
	for j, k := range ks {
		w[j] = max(cost[k]-fixed[k]-nrv[k], 0)
		short += w[j]
	}
	if short < extra {
		for j, k := range ks {
			w[j] = cost[k] - fixed[k]
		}
	}
	out := make([]bf.Money, len(ks))
	if !bf.Apportion(extra, w, out) {
		return false
	}
	for j, k := range ks {
		shares[k] = fixed[k] + out[j]
	}
	return true
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
// inventory; IAS 2.29 item by item or by groups of similar items (Value
// refuses the total under IAS 2). By item, each item is a group named after
// it, and its units in process another, named "item in process". By class,
// the items of one class form a group named after the class, with their
// units in process, and an item with no class is a group of its own, named
// after the item (never merged with a class of the same name). In total,
// every line is in one group named "total". Groups come in the order of
// their first line. Value applies the test to the groups and spreads each
// group's allowance over its lines.
func Partition(lines []Line, basis bf.LCNRVBasis) []Part {
	type key struct {
		name       string
		class, wip bool
	}
	idx := map[key]int{}
	var parts []Part
	for k, l := range lines {
		g := key{name: l.Item, wip: l.InProcess}
		if l.InProcess {
			g.name += " in process"
		}
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
