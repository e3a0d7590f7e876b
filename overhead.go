package backflush

// OverheadBasis is the volume a plant-wide fixed overhead budget is spread
// by: the cost-allocation base of the budgeted rate.
type OverheadBasis uint8

// The bases of a plant-wide fixed overhead budget.
const (
	OverheadByUnits          OverheadBasis = iota + 1 // units made
	OverheadByMachineMinutes                          // standard machine minutes per unit (Item.MachineMinutes)
	OverheadByLabourMinutes                           // standard labour minutes per unit (Item.LabourMinutes)
)

var overheadBasisNames = [...]string{"", "units", "machine_minutes", "labour_minutes"}

// String names the basis as scenario files spell it.
func (b OverheadBasis) String() string { return nameAt(overheadBasisNames[:], int(b)) }

// ParseOverheadBasis parses a basis name.
func ParseOverheadBasis(s string) (OverheadBasis, bool) {
	i, ok := indexOfName(overheadBasisNames[:], s)
	return OverheadBasis(i), ok
}

// PlantOverhead is a plant-wide fixed manufacturing overhead budget, stated
// once: the period's budget, the basis it is spread by, and the denominator
// level in that basis (units, or machine or labour minutes). The items that
// absorb it say how many units they make at the denominator level
// (Item.PlantShare with Item.Denominator).
type PlantOverhead struct {
	Budget      Money
	Basis       OverheadBasis
	Denominator Qty
	Line        int // the line of the source file, for errors
}

// volume is an item's volume per unit in the plant budget's basis.
func (o *PlantOverhead) volume(it *Item) Qty {
	switch o.Basis {
	case OverheadByMachineMinutes:
		return it.MachineMinutes
	case OverheadByLabourMinutes:
		return it.LabourMinutes
	}
	return qtyOne
}

// SpreadFixedOverhead derives each item's share of the plant-wide fixed
// overhead budget and its fixed rate. An item that absorbs the budget
// (PlantShare) makes Denominator units at the denominator level; its
// volume is those units times its volume per unit in the basis (one for
// units, else its machine or labour minutes), and the items' volumes must
// add up to the plant's denominator. The budget is apportioned over the
// volumes in minor units, the residue a minor unit at a time to the
// largest remainders, ties to the item listed first (Apportion), so the
// shares add up to the budget exactly; each share becomes the item's
// FixedBudget and its rate (FixedConversion) is the share over its units,
// rounded half to even at nine decimals. Every rate must give back its
// share to the minor unit at the denominator units, so that the rates
// times the denominator volumes are the budget. A plant budget beside an
// item's own budget is refused: it would be counted twice. The rates must
// be set before the items' conversion is split into variable and fixed.
func (p *Plant) SpreadFixedOverhead() error {
	const op = "spread fixed overhead"
	o := p.FixedOverhead
	if o == nil {
		for i := range p.Items {
			if it := &p.Items[i]; it.PlantShare {
				return E(op, KindInvalid, LineNo(it.Line), ItemID(it.ID), Field("fixed_overhead.budget"),
					"is missing: give the item's budget, or state the plant's budget once at the top level (fixed_overhead: {budget, basis, denominator})")
			}
		}
		return nil
	}
	at := func(args ...any) error { return E(op, append([]any{KindInvalid, LineNo(o.Line)}, args...)...) }
	switch {
	case o.Basis < OverheadByUnits || o.Basis > OverheadByLabourMinutes:
		return at(Field("fixed_overhead.basis"), "must be units, machine_minutes or labour_minutes")
	case o.Budget < 0:
		return at(Field("fixed_overhead.budget"), "must not be negative")
	case o.Denominator <= 0:
		return at(Field("fixed_overhead.denominator"), "a denominator level must be positive (a denominator of zero has no rate)")
	}
	var idx []int
	var weights []Money
	var total Qty
	for i := range p.Items {
		it := &p.Items[i]
		if it.FixedBudget != 0 && !it.PlantShare {
			return E(op, KindInvalid, LineNo(it.Line), ItemID(it.ID), Field("fixed_overhead.budget"),
				"the plant states its fixed overhead budget once (fixed_overhead at the top level): an item's own budget beside it would count the overhead twice; give the item only its denominator units")
		}
		if !it.PlantShare {
			continue
		}
		if !it.Kind.Made() || it.Kind == Phantom {
			return E(op, KindInvalid, LineNo(it.Line), ItemID(it.ID), Field("fixed_overhead"), "only assemblies and finished items absorb fixed overhead")
		}
		if it.Denominator <= 0 {
			return E(op, KindInvalid, LineNo(it.Line), ItemID(it.ID), Field("fixed_overhead.denominator"), "the item's units at the denominator level must be positive")
		}
		per := o.volume(it)
		if per <= 0 {
			return E(op, KindInvalid, LineNo(it.Line), ItemID(it.ID), Field(o.Basis.String()),
				"is needed: the plant's fixed overhead is spread by "+o.Basis.String()+" per unit")
		}
		v, ok := MulQty(it.Denominator, per)
		if !ok || total+v < total {
			return E(op, KindInvalid, LineNo(it.Line), ItemID(it.ID), Field("fixed_overhead.denominator"), "the volume overflows the fixed-point range")
		}
		total += v
		idx, weights = append(idx, i), append(weights, Money(v)) // a volume as an integer weight
	}
	if len(idx) == 0 {
		return at(Field("fixed_overhead"), "no item absorbs the plant's budget: give each item that does its units at the denominator level (fixed_overhead: {denominator: N})")
	}
	if total != o.Denominator {
		return at(Field("fixed_overhead.denominator"), "is "+o.Denominator.String()+" but the items' volumes at their denominator units add up to "+total.String()+" "+o.Basis.String())
	}
	shares := make([]Money, len(idx))
	if !Apportion(o.Budget, weights, shares) {
		return at(Field("fixed_overhead.budget"), "overflows the fixed-point range")
	}
	scale := p.Currency.Scale
	for k, i := range idx {
		it := &p.Items[i]
		rate, ok := RateOf(shares[k], scale, it.Denominator)
		back, ok2 := Extend(it.Denominator, rate, scale)
		if !ok || !ok2 || back != shares[k] {
			return E(op, KindInvalid, LineNo(it.Line), ItemID(it.ID), Field("fixed_overhead.denominator"),
				"at "+it.Denominator.String()+" units a rate of nine decimals cannot carry the item's share "+shares[k].Format(scale)+" to the minor unit")
		}
		it.FixedBudget, it.FixedConversion = shares[k], rate
	}
	return nil
}
