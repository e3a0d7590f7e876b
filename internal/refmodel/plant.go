package refmodel

import (
	"fmt"
	"math/rand/v2"
	"slices"

	bf "github.com/backflush/backflush"
)

// PlantOpts shapes a random plant.
type PlantOpts struct {
	MinMaterials, MaxMaterials int // how many materials (whole-cent standards of 0.01–50.00)
	MaxAssemblies              int // stocked sub-assemblies: 1 to this many, or none
	Phantoms                   bool
	MaxBOMQty                  int  // BOM quantities of 1 to this many whole units
	Scrap                      bool // component scrap of 0, 10, 25 or 50% on half the BOM lines
	Fixed                      bool // conversion has a fixed part, from none to all of it
	// NRV gives some finished items a selling cost (now and then above the
	// price: a negative NRV), some finished items and assemblies an explicit
	// NRV of 30% to 150% of cost, and the made items a class.
	NRV bool
}

// NewPlant draws a plant: the materials, the assemblies and phantoms asked
// for and 1–3 finished items, BOM depth at most 3, 1–3 components per made
// item (finished items are never components), conversion of 0–20.00 per
// unit, and finished items priced from half to twice their rolled-up cost.
// Items come after their components.
func NewPlant(r *rand.Rand, o PlantOpts) *bf.Plant {
	p := &bf.Plant{Name: "random", Currency: bf.Currency{Code: "USD", Scale: 2}}
	level := map[string]int{}
	for i := range o.MinMaterials + r.IntN(o.MaxMaterials-o.MinMaterials+1) {
		id := fmt.Sprintf("m%02d", i+1)
		p.Items = append(p.Items, bf.Item{ID: id, Kind: bf.Material, StandardCost: CentsCost(int64(1 + r.IntN(5000)))})
		level[id] = 0
	}
	type made struct {
		id    string
		kind  bf.ItemKind
		level int
	}
	var ms []made
	if o.MaxAssemblies > 0 {
		for i := range 1 + r.IntN(o.MaxAssemblies) {
			ms = append(ms, made{fmt.Sprintf("a%d", i+1), bf.Assembly, 1 + r.IntN(2)})
		}
	}
	if o.Phantoms {
		for i := range r.IntN(3) {
			ms = append(ms, made{fmt.Sprintf("ph%d", i+1), bf.Phantom, 1 + r.IntN(2)})
		}
	}
	for i := range 1 + r.IntN(3) {
		ms = append(ms, made{fmt.Sprintf("f%d", i+1), bf.Finished, 1 + r.IntN(3)})
	}
	slices.SortStableFunc(ms, func(a, b made) int { return a.level - b.level })
	scraps := []bf.Pct{0, 10_000_000, 25_000_000, 50_000_000}
	for _, m := range ms {
		// The item's level is one more than its highest component's, at
		// most the level drawn: BOM depth stays at most 3.
		var cands []string
		for _, it := range p.Items {
			if level[it.ID] < m.level && it.Kind != bf.Finished {
				cands = append(cands, it.ID)
			}
		}
		r.Shuffle(len(cands), func(i, j int) { cands[i], cands[j] = cands[j], cands[i] })
		conv := int64(r.IntN(2001))
		var fix int64
		if o.Fixed {
			switch r.IntN(4) {
			case 0:
			case 1:
				fix = conv
			default:
				fix = r.Int64N(conv + 1)
			}
		}
		it := bf.Item{ID: m.id, Kind: m.kind, ConversionCost: CentsCost(conv), FixedConversion: CentsCost(fix)}
		lv := 0
		for _, c := range cands[:min(1+r.IntN(3), len(cands))] {
			l := bf.BOMLine{Item: c, Qty: bf.Units(int64(1 + r.IntN(o.MaxBOMQty)))}
			if o.Scrap && r.IntN(2) == 0 {
				l.ScrapPct = scraps[r.IntN(len(scraps))]
			}
			it.BOM = append(it.BOM, l)
			lv = max(lv, level[c]+1)
		}
		level[m.id] = lv
		p.Items = append(p.Items, it)
	}
	s := Standards(p)
	classes := []string{"", "A", "B"}
	for i := range p.Items {
		it := &p.Items[i]
		rolled := s.Rolled(i) / NanoPerCent // cents, rounded down
		pct := func(lo, hi int) bf.Cost { return CentsCost(max(1, rolled*int64(lo+r.IntN(hi-lo+1))/100)) }
		switch {
		case it.Kind == bf.Finished:
			it.Price = pct(50, 200)
			if !o.NRV {
				break
			}
			price := Cents(it.Price)
			switch r.IntN(10) {
			case 0, 1, 2:
				it.SellingCost = CentsCost(r.Int64N(price/3 + 1))
			case 3:
				it.SellingCost = CentsCost(price + r.Int64N(100)) // a negative NRV
			}
			if r.IntN(3) == 0 {
				it.NRV = pct(30, 150)
			}
		case it.Kind == bf.Assembly && o.NRV:
			if r.IntN(4) == 0 {
				it.NRV = pct(30, 150)
			}
		}
		if o.NRV && it.Kind != bf.Material {
			it.Class = classes[r.IntN(len(classes))]
		}
	}
	return p
}
