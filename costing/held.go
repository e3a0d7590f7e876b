package costing

import (
	bf "github.com/backflush/backflush"
)

// HeldAtFullCost is the rule of what a book holds on hand at full cost: it
// reports whether a book of configuration c carries an item of kind k at
// the item's rolled-up standard cost for the book's scope (its materials
// and the conversion the scope inventories), in the item's stock account.
//
//   - Sequential tracking records every stage, so it holds every stocked
//     item at full cost: materials, sub-assemblies and finished goods.
//     Phantoms are never stocked.
//   - Backflush records only at its trigger points (Horngren, Datar &
//     Rajan, Cost Accounting, ch. 20, "Backflush costing"): finished items,
//     in finished goods, and only with the completion trigger. Everything
//     else it holds, if at all, at its material content in
//     materials-in-process (with the purchase trigger) or not at all.
//
// It is the only place the rule is decided: the backflush postings of
// completions, sales and counts, the LCNRV test (which tests only goods
// carried at full cost) and its carrying values, the GAAP reconciliation
// of a backflush book and the reasons books differ all read it.
func HeldAtFullCost(c bf.BookConfig, k bf.ItemKind) bool {
	if c.Method == bf.MethodBackflush {
		return k == bf.Finished && c.Triggers.Has(bf.TriggerCompletion)
	}
	return k != bf.Phantom
}
