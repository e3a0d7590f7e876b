package costing

import (
	bf "github.com/backflush/backflush"
)

// FixedOverheadVariances is the split of a period's fixed manufacturing
// overhead variance (positive: unfavourable).
type FixedOverheadVariances struct {
	Spending bf.Money // actual fixed overhead − budgeted
	Volume   bf.Money // production-volume variance: budgeted − allocated at the budgeted rate
}

// SplitFixedOverhead is the rule of the fixed-overhead variance split
// (Horngren, Datar & Rajan, Cost Accounting, ch. 8, "Fixed overhead cost
// variances"): the spending variance is actual fixed overhead less the
// budget, the production-volume variance the budget less the overhead
// allocated at the budgeted rate. It splits a standard absorption book's
// variance over the events first to last (a period), closing entries left
// out. It needs the items' fixed_overhead budgets: ok is false without
// them, and for a book that is not standard absorption.
func SplitFixedOverhead(l *Ledger, b *Book, first, last int32) (v FixedOverheadVariances, ok bool) {
	if b.Config.Scope != bf.ScopeAbsorption || b.Config.Basis != bf.BasisStandard {
		return v, false
	}
	var budget bf.Money
	for _, it := range l.Std.Plant.Items {
		budget += it.FixedBudget // Compile held their total within bf.MaxBalance
	}
	if budget == 0 {
		return v, false
	}
	// Over a period the control and allocated accounts move by their
	// balance at its end less that at its start, plus what its close
	// entries took out: a few times bf.MaxBalance (docs/accounting.md).
	var actual, allocated bf.Money
	for e, lines := range b.Journal.All() {
		if e.Event < first || e.Event > last || e.Kind == bf.EntryClose {
			continue
		}
		for _, ln := range lines {
			switch ln.Account {
			case bf.FixedOverheadControl:
				actual += ln.Amount
			case bf.FixedOverheadAllocated:
				allocated -= ln.Amount
			}
		}
	}
	return FixedOverheadVariances{Spending: actual - budget, Volume: budget - allocated}, true
}
