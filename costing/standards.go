// Package costing holds every accounting rule of Backflush: the standards
// compiled from a plant (flattened BOMs, rolled-up costs; laid out as a
// costed BOM, and what proposed standards revalue, in bom.go), the physical
// quantities shared by all books, one file per method (sequential.go,
// backflush.go, actual.go), the period an event belongs to and the date
// order of costing (dateorder.go), the period close (close.go) and its LCNRV step
// (lcnrv.go, with the LCNRV test of what a book carries), what a book holds
// at full cost (held.go), which book is the reference the others are
// compared or reconciled to (reference.go), the fixed-overhead variance
// split (variance.go) and the adjustments that bring a backflush book to
// GAAP, with their standard valuation (gaap.go). A newcomer looking for "the
// rule for X" finds it here and nowhere else, but for three neighbours: the
// lower-of test itself and its grouping by item, class or total are package
// lcnrv's, which this package calls; the vocabulary (accounts and their
// classes, the inventory accounts, operating income, book configuration
// and the parsing of its names) is the root package's; and the packages
// that render (report, htmlreport, export) only show the results. The list
// of where each rule lives is in docs/accounting.md.
package costing

import (
	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/internal/textfmt"
)

// Use is one flattened BOM use: Per units of Item go into one unit of the
// parent along the BOM path Path. Per includes component scrap and, through
// several levels, is the product of the levels' quantities, each level
// rounded half to even at the quantity scale.
type Use struct {
	Item int32
	Per  bf.Qty
	Path int32
	Own  bool // a conversion use at the parent's own level (itself or one of its phantoms)
}

// Standards are a plant's standards compiled once per version: item index,
// flattened BOMs and rolled-up standard costs. Posting only reads them.
type Standards struct {
	Plant *bf.Plant
	Scale int // decimals of the currency's minor unit

	index map[string]int32
	// Paths names every BOM path a line can point to, like "car>engine>bolt".
	Paths     []string
	pathIndex map[string]int32

	// Per item, indexed like Plant.Items:
	direct [][]Use   // stocked components issued per unit made (phantoms exploded)
	leaves [][]Use   // purchased materials per unit, through every level; a material is its own leaf
	convs  [][]Use   // conversion levels per unit: made items and phantoms, with Per units of each
	mat    []bf.Cost // rolled-up standard material cost per unit
	conv   []bf.Cost // rolled-up standard conversion per unit (variable + fixed)
	own    []bf.Cost // conversion per unit at the item's own level (with its phantoms)
	fix    []bf.Cost // the fixed-overhead part of conv
	ownFix []bf.Cost // the fixed-overhead part of own
	// repeats: direct names a component more than once (directly and
	// through a phantom), so its uses are checked together.
	repeats []bool

	// order lists the items with every component before its parents, so a
	// period's actual costs can be rolled up level by level.
	order []int32
}

// Compile validates a plant and compiles its standards.
func Compile(p *bf.Plant) (*Standards, error) { return compile(p, nil) }

func compile(p *bf.Plant, paths []string) (*Standards, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	n := len(p.Items)
	s := &Standards{
		Paths:     append([]string(nil), paths...),
		pathIndex: make(map[string]int32, len(paths)),
		Plant:     p,
		Scale:     p.Currency.Scale,
		index:     make(map[string]int32, n),
		direct:    make([][]Use, n),
		leaves:    make([][]Use, n),
		convs:     make([][]Use, n),
		mat:       make([]bf.Cost, n),
		conv:      make([]bf.Cost, n),
		own:       make([]bf.Cost, n),
		fix:       make([]bf.Cost, n),
		ownFix:    make([]bf.Cost, n),
		repeats:   make([]bool, n),
	}
	for i, path := range paths {
		s.pathIndex[path] = int32(i)
	}
	if s.Scale < 0 || s.Scale > 4 {
		return nil, bf.E("compile standards", bf.KindInvalid, bf.Field("currency"), "a currency may have 0 to 4 decimals")
	}
	for i := range p.Items {
		s.index[p.Items[i].ID] = int32(i)
	}
	done := make([]bool, n)
	for i := range p.Items {
		if err := s.flatten(int32(i), done); err != nil {
			return nil, err
		}
	}
	// The fixed-overhead variance split adds up every item's budget
	// (SplitFixedOverhead): their total is held within a book's limit.
	var budget bf.Money
	for i := range p.Items {
		var ok bool
		if budget, ok = bf.AddBalance(budget, p.Items[i].FixedBudget); !ok {
			return nil, bf.E("compile standards", bf.KindInvalid, bf.ItemID(p.Items[i].ID), bf.Field("fixed_overhead.budget"),
				"the items' fixed overhead budgets add up to more than "+textfmt.Money(bf.MaxBalance, s.Scale, textfmt.Hyphen)+", the largest amount a book holds")
		}
	}
	return s, nil
}

func (s *Standards) path(parts ...string) int32 {
	n := 0
	for _, p := range parts {
		n += len(p) + 1
	}
	b := make([]byte, 0, n)
	for i, p := range parts {
		if i > 0 {
			b = append(b, '>')
		}
		b = append(b, p...)
	}
	if s.pathIndex != nil {
		if i, ok := s.pathIndex[string(b)]; ok {
			return i
		}
	}
	s.Paths = append(s.Paths, string(b))
	i := int32(len(s.Paths) - 1)
	if s.pathIndex != nil {
		s.pathIndex[string(b)] = i
	}
	return i
}

// CompileFrom compiles a new version of a plant's standards to take over
// from prev in the same ledger: prev's items keep their positions (the new
// version may add items after them) and BOM paths keep their numbers, so
// the journal lines posted under prev still name the right paths.
func CompileFrom(p *bf.Plant, prev *Standards) (*Standards, error) {
	for i := range prev.Plant.Items {
		if i >= len(p.Items) || p.Items[i].ID != prev.Plant.Items[i].ID {
			return nil, bf.E("compile standards", bf.KindInvalid, bf.Field("items"),
				"a new version must keep every item of the previous one in the same order (add new items at the end)")
		}
	}
	if p.Currency != prev.Plant.Currency {
		return nil, bf.E("compile standards", bf.KindInvalid, bf.Field("currency"), "a new version cannot change the currency")
	}
	return compile(p, prev.Paths)
}

func overflow(item string) error {
	return bf.E("compile standards", bf.KindInvalid, bf.ItemID(item), "quantities or costs overflow the fixed-point range")
}

// addCost adds v (not negative: costs and quantities are not) to *c and
// reports false, leaving *c, when the sum does not fit.
func addCost(c *bf.Cost, v bf.Cost) bool {
	s := *c + v
	if s < *c {
		return false
	}
	*c = s
	return true
}

// flatten compiles item i after its components; Validate has excluded cycles.
func (s *Standards) flatten(i int32, done []bool) error {
	if done[i] {
		return nil
	}
	it := &s.Plant.Items[i]
	if it.Kind == bf.Material {
		s.leaves[i] = []Use{{Item: i, Per: bf.Units(1), Path: s.path(it.ID)}}
		s.mat[i] = it.StandardCost
		done[i] = true
		s.order = append(s.order, i)
		return nil
	}
	for _, l := range it.BOM {
		if err := s.flatten(s.index[l.Item], done); err != nil {
			return err
		}
	}
	// Conversion at this item's own level first.
	s.convs[i] = append(s.convs[i], Use{Item: i, Per: bf.Units(1), Path: s.path(it.ID), Own: true})
	s.own[i] = it.ConversionCost
	s.ownFix[i] = it.FixedConversion
	for _, l := range it.BOM {
		c := s.index[l.Item]
		comp := &s.Plant.Items[c]
		per, ok := bf.WithScrap(l.Qty, l.ScrapPct)
		if !ok {
			return overflow(it.ID)
		}
		if comp.Kind == bf.Phantom {
			// A phantom is never stocked: its stocked components are issued
			// straight to the parent and its conversion happens at the parent's level.
			for _, u := range s.direct[c] {
				q, ok := bf.MulQty(per, u.Per)
				if !ok {
					return overflow(it.ID)
				}
				s.direct[i] = append(s.direct[i], Use{Item: u.Item, Per: q, Path: s.path(it.ID, s.Paths[u.Path])})
			}
			for _, u := range s.convs[c] {
				q, ok := bf.MulQty(per, u.Per)
				if !ok {
					return overflow(it.ID)
				}
				own := u.Own
				if own {
					ph := &s.Plant.Items[u.Item]
					oc, ok1 := bf.MulCost(q, ph.ConversionCost)
					of, ok2 := bf.MulCost(q, ph.FixedConversion)
					if !ok1 || !ok2 {
						return overflow(it.ID)
					}
					if !addCost(&s.own[i], oc) || !addCost(&s.ownFix[i], of) {
						return overflow(it.ID)
					}
				}
				s.convs[i] = append(s.convs[i], Use{Item: u.Item, Per: q, Path: s.path(it.ID, s.Paths[u.Path]), Own: own})
			}
		} else {
			s.direct[i] = append(s.direct[i], Use{Item: c, Per: per, Path: s.path(it.ID, comp.ID)})
			for _, u := range s.convs[c] {
				q, ok := bf.MulQty(per, u.Per)
				if !ok {
					return overflow(it.ID)
				}
				s.convs[i] = append(s.convs[i], Use{Item: u.Item, Per: q, Path: s.path(it.ID, s.Paths[u.Path])})
			}
		}
		for _, u := range s.leaves[c] {
			q, ok := bf.MulQty(per, u.Per)
			if !ok {
				return overflow(it.ID)
			}
			s.leaves[i] = append(s.leaves[i], Use{Item: u.Item, Per: q, Path: s.path(it.ID, s.Paths[u.Path])})
		}
	}
	for _, u := range s.leaves[i] {
		v, ok := s.leafCost(u)
		if !ok {
			return overflow(it.ID)
		}
		if !addCost(&s.mat[i], v) {
			return overflow(it.ID)
		}
	}
	for _, u := range s.convs[i] {
		v, f, ok := s.convCost(u)
		if !ok {
			return overflow(it.ID)
		}
		if !addCost(&s.conv[i], v) || !addCost(&s.fix[i], f) {
			return overflow(it.ID)
		}
	}
	// The rolled-up cost, materials and conversion, must fit too.
	if rolled := s.mat[i]; !addCost(&rolled, s.conv[i]) {
		return overflow(it.ID)
	}
	for k, u := range s.direct[i] {
		for _, v := range s.direct[i][:k] {
			s.repeats[i] = s.repeats[i] || v.Item == u.Item
		}
	}
	done[i] = true
	s.order = append(s.order, i)
	return nil
}

// leafCost is the roll-up's term for a flattened material use: its
// quantity per unit at the material's standard cost. The material content
// of an item is the sum of its leaves' terms.
func (s *Standards) leafCost(u Use) (bf.Cost, bool) {
	return bf.MulCost(u.Per, s.Plant.Items[u.Item].StandardCost)
}

// convCost is the roll-up's term for a conversion level: its units per
// unit at the level's conversion rate, and the fixed part of it. The
// conversion content of an item is the sum of its levels' terms.
func (s *Standards) convCost(u Use) (conv, fixed bf.Cost, ok bool) {
	it := &s.Plant.Items[u.Item]
	v, ok1 := bf.MulCost(u.Per, it.ConversionCost)
	f, ok2 := bf.MulCost(u.Per, it.FixedConversion)
	return v, f, ok1 && ok2
}

// Lookup returns the index of an item id.
func (s *Standards) Lookup(id string) (int32, bool) {
	i, ok := s.index[id]
	return i, ok
}

// Item returns the item at index i.
func (s *Standards) Item(i int32) *bf.Item { return &s.Plant.Items[i] }

// NumItems returns the number of items.
func (s *Standards) NumItems() int { return len(s.Plant.Items) }

// Rolled returns the rolled-up standard cost per unit of item i: materials
// through every level plus conversion at every level.
func (s *Standards) Rolled(i int32) bf.Cost { return s.mat[i] + s.conv[i] }

// MaterialContent returns the standard material cost per unit of item i.
func (s *Standards) MaterialContent(i int32) bf.Cost { return s.mat[i] }

// ConversionContent returns the standard conversion per unit of item i, all levels.
func (s *Standards) ConversionContent(i int32) bf.Cost { return s.conv[i] }

// OwnConversion returns the conversion per unit added at item i's own level.
func (s *Standards) OwnConversion(i int32) bf.Cost { return s.own[i] }

// Direct returns the stocked components issued per unit of item i.
func (s *Standards) Direct(i int32) []Use { return s.direct[i] }

// Leaves returns the purchased materials per unit of item i through every level.
func (s *Standards) Leaves(i int32) []Use { return s.leaves[i] }

// Convs returns the conversion levels per unit of item i.
func (s *Standards) Convs(i int32) []Use { return s.convs[i] }

// RolledFor returns the standard cost per unit of item i that a scope
// inventories: everything (absorption), all but fixed overhead (variable),
// or materials only (throughput).
func (s *Standards) RolledFor(i int32, sc bf.Scope) bf.Cost {
	switch sc {
	case bf.ScopeVariable:
		return s.mat[i] + s.conv[i] - s.fix[i]
	case bf.ScopeThroughput:
		return s.mat[i]
	}
	return s.mat[i] + s.conv[i]
}

// OwnFor returns the conversion per unit that a scope inventories at item
// i's own level.
func (s *Standards) OwnFor(i int32, sc bf.Scope) bf.Cost {
	switch sc {
	case bf.ScopeVariable:
		return s.own[i] - s.ownFix[i]
	case bf.ScopeThroughput:
		return 0
	}
	return s.own[i]
}

// FixedContent returns the fixed overhead per unit of item i, all levels.
func (s *Standards) FixedContent(i int32) bf.Cost { return s.fix[i] }

// Order returns the items with every component before its parents.
func (s *Standards) Order() []int32 { return s.order }

// rates returns the variable and fixed conversion per unit of a level that a
// scope allocates to products.
func rates(it *bf.Item, sc bf.Scope) (variable, fixed bf.Cost) {
	switch sc {
	case bf.ScopeAbsorption:
		return it.VariableConversion(), it.FixedConversion
	case bf.ScopeVariable:
		return it.VariableConversion(), 0
	}
	return 0, 0
}
