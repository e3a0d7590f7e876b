package backflush_test

import (
	"strings"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/internal/refmodel"
)

// plantWith returns a plant of one material and the given made items.
func plantWith(o *bf.PlantOverhead, items ...bf.Item) *bf.Plant {
	p := &bf.Plant{Currency: bf.Currency{Code: "USD", Scale: 2}, FixedOverhead: o,
		Items: []bf.Item{{ID: "m", Kind: bf.Material, StandardCost: bf.Dollars(1)}}}
	for _, it := range items {
		it.Kind = bf.Finished
		it.BOM = []bf.BOMLine{{Item: "m", Qty: bf.Units(1)}}
		p.Items = append(p.Items, it)
	}
	return p
}

// TestSpreadFixedOverheadByHand: $1,000.00 over 300 units of three items by
// units, 100 each, is $333.33⅓ each: the residue cent goes to the largest
// remainder, ties to the item listed first, and each rate gives its share
// back at its denominator units.
func TestSpreadFixedOverheadByHand(t *testing.T) {
	share := func(id string, n int64) bf.Item {
		return bf.Item{ID: id, PlantShare: true, Denominator: bf.Units(n)}
	}
	p := plantWith(&bf.PlantOverhead{Budget: 100000, Basis: bf.OverheadByUnits, Denominator: bf.Units(300)},
		share("a", 100), share("b", 100), share("c", 100))
	if err := p.SpreadFixedOverhead(); err != nil {
		t.Fatal(err)
	}
	for i, w := range []struct {
		budget bf.Money
		rate   string
	}{{33334, "3.3334"}, {33333, "3.3333"}, {33333, "3.3333"}} {
		it := &p.Items[i+1]
		if it.FixedBudget != w.budget || it.FixedConversion.String() != w.rate {
			t.Errorf("%s: budget %s, rate %s; want %s, %s", it.ID, it.FixedBudget.Format(2), it.FixedConversion, w.budget.Format(2), w.rate)
		}
	}
	// By machine minutes: 10 units × 3 minutes and 20 units × 1.5 minutes
	// share $90.00 equally; the rates are $4.50 and $2.25.
	p = plantWith(&bf.PlantOverhead{Budget: 9000, Basis: bf.OverheadByMachineMinutes, Denominator: bf.Units(60)},
		bf.Item{ID: "x", PlantShare: true, Denominator: bf.Units(10), MachineMinutes: bf.Units(3)},
		bf.Item{ID: "y", PlantShare: true, Denominator: bf.Units(20), MachineMinutes: 1_500_000})
	if err := p.SpreadFixedOverhead(); err != nil {
		t.Fatal(err)
	}
	if x, y := p.Items[1].FixedConversion.String(), p.Items[2].FixedConversion.String(); x != "4.50" || y != "2.25" {
		t.Errorf("rates %s and %s, want 4.50 and 2.25", x, y)
	}
}

// TestSpreadFixedOverheadRefusals: a budget stated for the plant and again
// for an item would count twice; the items' volumes must add up to the
// plant's denominator; a minutes basis needs the minutes.
func TestSpreadFixedOverheadRefusals(t *testing.T) {
	o := func() *bf.PlantOverhead {
		return &bf.PlantOverhead{Budget: 100000, Basis: bf.OverheadByUnits, Denominator: bf.Units(100)}
	}
	for _, c := range []struct {
		name string
		p    *bf.Plant
		want string
	}{
		{"twice", plantWith(o(), bf.Item{ID: "a", PlantShare: true, Denominator: bf.Units(100)},
			bf.Item{ID: "b", FixedBudget: 100000, Denominator: bf.Units(100)}), "count the overhead twice"},
		{"volumes", plantWith(o(), bf.Item{ID: "a", PlantShare: true, Denominator: bf.Units(90)}), "add up to 90"},
		{"minutes", plantWith(&bf.PlantOverhead{Budget: 100, Basis: bf.OverheadByLabourMinutes, Denominator: bf.Units(5)},
			bf.Item{ID: "a", PlantShare: true, Denominator: bf.Units(1)}), "labour_minutes"},
		{"no plant budget", plantWith(nil, bf.Item{ID: "a", PlantShare: true, Denominator: bf.Units(1)}), "is missing: give the item's budget"},
	} {
		err := c.p.SpreadFixedOverhead()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error saying %q", c.name, err, c.want)
		}
	}
}

// TestPropertyFixedOverheadRates: whatever the budget, basis and mix, the
// rates derived from a plant-wide budget times the items' denominator units
// give back the budget to the cent, and the shares add up to it.
func TestPropertyFixedOverheadRates(t *testing.T) {
	refmodel.Seeds(t, 500, func(t *testing.T, seed uint64) {
		r := refmodel.Rand(seed, 0xf1ed)
		basis := bf.OverheadBasis(1 + r.IntN(3))
		var items []bf.Item
		var total bf.Qty
		for k := range 1 + r.IntN(6) {
			it := bf.Item{ID: string(rune('a' + k)), PlantShare: true, Denominator: bf.Qty(1+r.Int64N(5_000_000_000)) * 1000}
			per := bf.Qty(1 + r.Int64N(120_000_000)) // up to 120 minutes, six decimals
			it.MachineMinutes, it.LabourMinutes = per, per
			v, _ := bf.MulQty(it.Denominator, per)
			if basis == bf.OverheadByUnits {
				v = it.Denominator
			}
			total += v
			items = append(items, it)
		}
		budget := bf.Money(r.Int64N(10_000_000_000))
		p := plantWith(&bf.PlantOverhead{Budget: budget, Basis: basis, Denominator: total}, items...)
		if err := p.SpreadFixedOverhead(); err != nil {
			t.Fatal(err)
		}
		var back, shares bf.Money
		for _, it := range p.Items[1:] {
			v, _ := bf.Extend(it.Denominator, it.FixedConversion, 2)
			back += v
			shares += it.FixedBudget
		}
		if back != budget || shares != budget {
			t.Fatalf("basis %s: the rates give back %s and the shares add up to %s of a budget of %s", basis, back.Format(2), shares.Format(2), budget.Format(2))
		}
	})
}
