package costing

import (
	"iter"

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
	for _, ln := range periodLines(b, first, last) {
		switch ln.Account {
		case bf.FixedOverheadControl:
			actual += ln.Amount
		case bf.FixedOverheadAllocated:
			allocated -= ln.Amount
		}
	}
	return FixedOverheadVariances{Spending: actual - budget, Volume: budget - allocated}, true
}

// ConversionVariances is the split of a period's variable conversion
// variance by the hours worked (positive: unfavourable).
type ConversionVariances struct {
	Actual  bf.Money // variable conversion incurred
	Applied bf.Money // variable conversion allocated at standard
	// ActualHours are the hours the period's conversion costs record;
	// StandardHours the hours allowed for the output, Applied at the
	// standard rate (rounded to the quantity's scale, for display).
	ActualHours, StandardHours bf.Qty
	Rate                       bf.Money // Actual − ActualHours × the standard rate
	Efficiency                 bf.Money // ActualHours × the standard rate − Applied
}

// SplitConversion is the rule of the variable conversion variance split
// (Horngren, Datar & Rajan, Cost Accounting, ch. 8, "Variable overhead
// cost variances"; labour's rate and efficiency variances in ch. 7): the
// rate (spending) variance is the actual cost less the actual hours at
// the standard rate, the efficiency variance the actual hours at the
// standard rate less the conversion allocated for the output, which is
// the standard hours allowed at the standard rate. The two sum to the
// variance in total, to the cent, since the rate variance is rounded once
// and the efficiency variance is the rest.
//
// It splits a standard-cost book's variable conversion over the events
// first to last (a period), closing entries left out, when the plant
// states a standard rate (Plant.ConversionRate) and every variable
// conversion cost of the period records its hours. Otherwise ok is false
// and why says what is missing ("" when the plant states no rate, or the
// period incurred nothing).
func SplitConversion(l *Ledger, b *Book, first, last int32) (v ConversionVariances, why string, ok bool) {
	rate := l.Std.Plant.ConversionRate
	if rate == 0 || !b.Config.Scope.InventoriesVariable() {
		return v, "", false
	}
	if b.Config.Basis.Actual() {
		return v, "book " + b.Config.Name + " allocates conversion at actual cost, not at a standard rate: its conversion variance is not split", false
	}
	incurred := false
	seen := int32(-1)
	for e, ln := range periodLines(b, first, last) {
		switch ln.Account {
		case bf.ConversionAllocated:
			v.Applied -= ln.Amount
			continue
		case bf.ConversionControl:
		default:
			continue
		}
		v.Actual += ln.Amount
		incurred = true
		if seen == e.Event {
			continue
		}
		seen = e.Event
		ev, sign := l.Event(e.Event), bf.Qty(1)
		if ev.Type == bf.Reverse { // a conversion cost undone takes its hours back
			if t, found := l.EventByID(ev.Reverses); found {
				ev, sign = t, -1
			}
		}
		if ev.Hours == 0 && why == "" {
			why = "conversion cost " + ev.ID + " records no hours: the conversion variance of its period is given in total"
		}
		v.ActualHours += sign * ev.Hours
	}
	if !incurred || why != "" {
		return ConversionVariances{}, why, false
	}
	atRate, ok1 := bf.Extend(v.ActualHours, rate, l.Std.Scale)
	applied, ok2 := bf.MoneyToCost(v.Applied, l.Std.Scale)
	sh, ok3 := bf.MulDiv(int64(applied), int64(bf.Units(1)), int64(rate))
	if !ok1 || !ok2 || !ok3 {
		return ConversionVariances{}, "the hours at the standard rate exceed the limits of money: the conversion variance is given in total", false
	}
	v.StandardHours = bf.Qty(sh)
	v.Rate = v.Actual - atRate
	v.Efficiency = atRate - v.Applied
	return v, "", true
}

// periodLines yields the journal lines of book b posted by the events first
// to last (a period), closing entries left out, with their entries.
func periodLines(b *Book, first, last int32) iter.Seq2[*bf.Entry, bf.Line] {
	return func(yield func(*bf.Entry, bf.Line) bool) {
		for e, lines := range b.Journal.All() {
			if e.Event < first || e.Event > last || e.Kind == bf.EntryClose {
				continue
			}
			for _, ln := range lines {
				if !yield(e, ln) {
					return
				}
			}
		}
	}
}
