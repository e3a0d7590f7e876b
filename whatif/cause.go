package whatif

import (
	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
)

// Cause is the test of why one book's operating income differs from the
// reference book's at the end of a run, computed from the plant's physical
// state and the purchases rather than from the books' own balances:
//
//	Drift = −Conversion + PriceVariance + Residue
//
// Conversion is the conversion at standard held by sequential tracking
// that the book does not inventory: the conversion in stocked
// sub-assemblies and in the parts issued to work in process, and, for a
// book without the completion trigger, in the vehicles in the yard.
// PriceVariance is the purchase price variance the reference records and
// a book without the purchase trigger never does. Residue is what the two
// causes leave unexplained: zero when they are the whole story.
type Cause struct {
	Book          string   // the book tested
	Drift         bf.Money // its operating income minus the reference book's
	Conversion    bf.Money // conversion at standard it does not hold (a cost it expensed)
	PriceVariance bf.Money // purchase price variance it never records (a cost it did not expense)
	Residue       bf.Money // Drift + Conversion − PriceVariance
	// Tested is false for a book the causes do not cover (not a backflush
	// book of the reference's scope, or no reference book).
	Tested bool
}

// Explained reports whether the causes account for the drift to the cent.
func (c *Cause) Explained() bool { return c.Tested && c.Residue == 0 }

// Causes tests every book's drift at the end of the run against its causes.
func (r *Run) Causes() []Cause {
	l := r.Ledger
	out := make([]Cause, 0, len(l.Books))
	if r.Ref < 0 || len(r.Days) == 0 || len(r.Sim.Daily) == 0 {
		return out
	}
	last := len(r.Days) - 1
	ref := l.Books[r.Ref].Config
	conv, yard, ok := unheldConversion(r, l.Std)
	ppv, ok2 := priceVariance(r, l.Std)
	for b, bk := range l.Books {
		if b == r.Ref {
			continue
		}
		c := Cause{Book: bk.Config.Name, Drift: r.Drift(last, b)}
		cfg := bk.Config
		c.Tested = ok && ok2 && cfg.Method == bf.MethodBackflush && cfg.Scope == ref.Scope && ref.Method == bf.MethodSequential &&
			cfg.Scope == bf.ScopeAbsorption && !cfg.External
		if c.Tested {
			c.Conversion = conv
			if !cfg.Triggers.Has(bf.TriggerCompletion) {
				c.Conversion += yard
			}
			if !cfg.Triggers.Has(bf.TriggerPurchase) {
				c.PriceVariance = ppv
			}
			c.Residue = c.Drift + c.Conversion - c.PriceVariance
		}
		out = append(out, c)
	}
	return out
}

// unheldConversion is the conversion at standard in the plant at the end
// of the run that only sequential tracking inventories: in stocked
// sub-assemblies and in the sub-assemblies issued to work in process
// (conv), and in finished vehicles in the yard (yard).
func unheldConversion(r *Run, std *costing.Standards) (conv, yard bf.Money, ok bool) {
	m := r.Sim.Model
	scale := m.Plant.Currency.Scale
	end := r.Sim.Daily[len(r.Sim.Daily)-1]
	var c, y bf.Sum
	ok = true
	add := func(s *bf.Sum, q bf.Qty, cost bf.Cost) {
		v, fits := bf.Extend(q, cost, scale)
		ok = ok && fits
		s.Add(v)
	}
	for i, it := range m.Plant.Items {
		switch it.Kind {
		case bf.Assembly:
			add(&c, end.OnHand[i], std.ConversionContent(int32(i)))
		case bf.Finished:
			add(&y, end.OnHand[i], std.ConversionContent(int32(i)))
		}
		if q := end.InProcess[i]; q != 0 {
			for _, u := range m.Direct(i) {
				per, fits := bf.MulQty(q, u.Per)
				ok = ok && fits
				add(&c, per, std.ConversionContent(int32(u.Item)))
			}
		}
	}
	cv, fits1 := c.Money()
	yv, fits2 := y.Money()
	return cv, yv, ok && fits1 && fits2
}

// priceVariance is the purchase price variance of the run's purchases, each
// extended as the books extend it: paid minus standard, per event.
func priceVariance(r *Run, std *costing.Standards) (bf.Money, bool) {
	scale := r.Sim.Model.Plant.Currency.Scale
	var s bf.Sum
	ok := true
	for k := range r.Sim.Events {
		e := &r.Sim.Events[k]
		if e.Type != bf.Purchase {
			continue
		}
		i, _ := std.Lookup(e.Item)
		paid, f1 := bf.Extend(e.Qty, e.UnitCost, scale)
		at, f2 := bf.Extend(e.Qty, std.Item(i).StandardCost, scale)
		ok = ok && f1 && f2
		s.Add(paid - at)
	}
	v, fits := s.Money()
	return v, ok && fits
}
