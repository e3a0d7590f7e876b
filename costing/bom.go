package costing

import (
	bf "github.com/backflush/backflush"
)

// The costed bill of materials and the effect of proposed standards: the
// controller's view of the roll-up. Neither re-derives it: the costed BOM
// lays out the very terms Compile sums (leafCost, convCost over the
// flattened uses), so its totals are the rolled-up standard by
// construction, and the revaluation values what is on hand by the rule of
// StandardValuationOf.

// BOMRow is one row of an item's costed BOM: the item itself (level 0) or
// a component at its level below, depth first in BOM order.
type BOMRow struct {
	Level int
	Item  int32
	Path  string // the BOM path, like "bike>frame>steel"
	// Qty and Scrap are the BOM line's quantity per unit of the parent and
	// its component scrap; WithScrap is what one unit of the parent uses.
	// The item itself has 1, 0 and 1.
	Qty       bf.Qty
	Scrap     bf.Pct
	WithScrap bf.Qty
	// Per is the row's units in one unit of the item through every level:
	// the flattened quantity the roll-up uses (each level rounded).
	Per bf.Qty
	// UnitCost is the row item's rolled-up standard per unit (a material's
	// standard cost; a phantom's though it is never stocked).
	UnitCost bf.Cost
	// Material is a material row's term of the roll-up, Per × its standard
	// cost; Conversion a made row's (assembly, finished, phantom), Per × its
	// own conversion rate, and Fixed the fixed-overhead part of it.
	Material, Conversion, Fixed bf.Cost
	// Extended is the row's material and conversion with everything below it.
	Extended bf.Cost
}

// ConversionLevel is the conversion added where a stocked item is made
// (or the item itself, at the top): its own and that of the phantoms
// exploded into it.
type ConversionLevel struct {
	Row        int      // the row of the stocked item
	Phantoms   []string // the paths of the phantoms converted at this level
	Conversion bf.Cost
	Fixed      bf.Cost
}

// CostedBOM is an item's costed BOM: every level with quantities (scrap
// included) and unit and extended costs, the conversion by level, and the
// totals, which are the item's rolled-up standard.
type CostedBOM struct {
	Item       int32
	Rows       []BOMRow
	Levels     []ConversionLevel
	Material   bf.Cost // = MaterialContent(Item)
	Conversion bf.Cost // = ConversionContent(Item)
	Fixed      bf.Cost // = FixedContent(Item)
}

// Total is the costed BOM's total: the rolled-up standard cost per unit.
func (b *CostedBOM) Total() bf.Cost { return b.Material + b.Conversion }

// CostedBOM lays out item i's standard cost level by level. It walks the
// BOM depth first and takes each row's quantity and cost from the flattened
// uses Compile rolled up (leaves for materials, conversion levels for made
// items and phantoms), which come in that same order.
func (s *Standards) CostedBOM(i int32) (*CostedBOM, error) {
	b := &CostedBOM{Item: i}
	leaves, convs := s.leaves[i], s.convs[i]
	mismatch := func(path string) error {
		return bf.E("costed BOM", bf.KindInternal, bf.ItemID(s.Item(i).ID), "the BOM walk and the flattened standards disagree at "+path)
	}
	var walk func(item int32, level int, line *bf.BOMLine, owner int) error
	walk = func(item int32, level int, line *bf.BOMLine, owner int) error {
		it := s.Item(item)
		row := BOMRow{Level: level, Item: item, Qty: bf.Units(1), WithScrap: bf.Units(1), UnitCost: s.Rolled(item)}
		if line != nil {
			row.Qty, row.Scrap = line.Qty, line.ScrapPct
			row.WithScrap, _ = bf.WithScrap(line.Qty, line.ScrapPct) // Compile has checked it fits
		}
		k := len(b.Rows)
		if it.Kind == bf.Material {
			if len(leaves) == 0 || leaves[0].Item != item {
				return mismatch(it.ID)
			}
			u := leaves[0]
			leaves = leaves[1:]
			row.Per, row.Path = u.Per, s.Paths[u.Path]
			row.Material, _ = s.leafCost(u)
			row.Extended = row.Material
			b.Rows = append(b.Rows, row)
			b.Material += row.Material
			return nil
		}
		if len(convs) == 0 || convs[0].Item != item {
			return mismatch(it.ID)
		}
		u := convs[0]
		convs = convs[1:]
		row.Per, row.Path = u.Per, s.Paths[u.Path]
		row.Conversion, row.Fixed, _ = s.convCost(u)
		b.Rows = append(b.Rows, row)
		b.Conversion += row.Conversion
		b.Fixed += row.Fixed
		if it.Kind != bf.Phantom || owner < 0 {
			owner = len(b.Levels)
			b.Levels = append(b.Levels, ConversionLevel{Row: k})
		} else {
			b.Levels[owner].Phantoms = append(b.Levels[owner].Phantoms, row.Path)
		}
		b.Levels[owner].Conversion += row.Conversion
		b.Levels[owner].Fixed += row.Fixed
		for n := range it.BOM {
			c := s.index[it.BOM[n].Item]
			if err := walk(c, level+1, &it.BOM[n], owner); err != nil {
				return err
			}
		}
		var ext bf.Cost
		for _, r := range b.Rows[k:] {
			ext += r.Material + r.Conversion
		}
		b.Rows[k].Extended = ext
		return nil
	}
	if err := walk(i, 0, nil, -1); err != nil {
		return nil, err
	}
	if len(leaves) != 0 || len(convs) != 0 || b.Material != s.mat[i] || b.Conversion != s.conv[i] || b.Fixed != s.fix[i] {
		return nil, mismatch(s.Item(i).ID)
	}
	return b, nil
}

// ItemChange is what proposed standards do to one item: its rolled-up
// standard before and after, and the standard valuation of what is on hand
// of it (stock, and the components issued to units in process) before and
// after.
type ItemChange struct {
	Item  int32 // in the proposed standards
	Added bool  // the proposal adds the item: nothing before, nothing on hand
	// Old and New are the rolled-up standards per unit.
	Old, New          bf.Cost
	OnHand, InProcess bf.Qty
	// OldValue and NewValue value the stock on hand and the units in process
	// as StandardValuationOf does, at the old and the new standards.
	OldValue, NewValue bf.Money
}

// Difference is the change of the rolled-up standard per unit.
func (c ItemChange) Difference() bf.Cost { return c.New - c.Old }

// Revaluation is the change of the standard valuation of what is on hand.
func (c ItemChange) Revaluation() bf.Money { return c.NewValue - c.OldValue }

// Revaluation is the effect of proposed standards on every item whose
// rolled-up standard or valuation on hand they change.
type Revaluation struct {
	Proposed *Standards
	Items    []ItemChange // in the proposal's item order
	// OldValue and NewValue are the standard valuation of everything on
	// hand (StandardValuationOf) at the ledger's and the proposed standards.
	OldValue, NewValue bf.Money
}

// Revalue compiles proposed standards as a new version of the ledger's
// (CompileFrom: every current item kept, in the same order) and works out
// what they change: per item the rolled-up standard before and after, and
// the revaluation of the inventory on hand that they imply, valued by the
// rule of StandardValuationOf (a sequential absorption book: stock at
// rolled-up standard, units in process at the components issued to them).
func Revalue(l *Ledger, proposed *bf.Plant) (*Revaluation, error) {
	std, err := CompileFrom(proposed, l.Std)
	if err != nil {
		return nil, err
	}
	r := &Revaluation{Proposed: std}
	var oldSum, newSum bf.Sum // exact: the whole valuation is checked below
	cur := int32(l.Std.NumItems())
	for i := range int32(std.NumItems()) {
		c := ItemChange{Item: i, New: std.Rolled(i), Added: i >= cur}
		if !c.Added {
			before, ok1 := valueItems(l, l.Std, i, i+1)
			after, ok2 := valueItems(l, std, i, i+1)
			if !ok1 || !ok2 {
				return nil, l.valuationErr()
			}
			c.Old, c.OnHand, c.InProcess = l.Std.Rolled(i), l.OnHand(i), l.InProcess(i)
			c.OldValue, c.NewValue = before.Total(), after.Total()
		}
		oldSum.Add(c.OldValue)
		newSum.Add(c.NewValue)
		if c.Added || c.Old != c.New || c.OldValue != c.NewValue {
			r.Items = append(r.Items, c)
		}
	}
	var ok1, ok2 bool
	r.OldValue, ok1 = oldSum.Within(bf.MaxBalance)
	r.NewValue, ok2 = newSum.Within(bf.MaxBalance)
	if !ok1 || !ok2 {
		return nil, l.valuationErr()
	}
	return r, nil
}
