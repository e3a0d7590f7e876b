package refmodel

import (
	"math"
	"math/big"
	"math/bits"
	"slices"

	bf "github.com/backflush/backflush"
)

// NanoPerCent is the number of Cost units (billionths) in a cent.
const NanoPerCent = 10_000_000

// CentsCost is a whole number of cents as a Cost.
func CentsCost(cents int64) bf.Cost { return bf.Cost(cents * NanoPerCent) }

// Cents is c in whole cents; c must be whole.
func Cents(c bf.Cost) int64 {
	if int64(c)%NanoPerCent != 0 {
		panic("test design: cost not in whole cents: " + c.String())
	}
	return int64(c) / NanoPerCent
}

// Use is a stocked component and the quantity of it that one unit of its
// parent issues (phantoms exploded, component scrap included).
type Use struct {
	Item int
	Per  bf.Qty
}

// Std holds a plant's standards per item, computed with exact rationals from
// the plant alone. Costs are in Cost units (billionths of the currency).
type Std struct {
	Plant *bf.Plant
	Kind  []bf.ItemKind
	Index map[string]int
	Buy   []int64 // purchase standard (materials)
	Mat   []int64 // material content per unit
	Conv  []int64 // conversion per unit, every level
	Fixed []int64 // the fixed part of Conv
	Own   []int64 // conversion at the item's own level (its phantoms' included)
	// OwnFixed is the fixed part of Own.
	OwnFixed []int64
	// Direct lists the stocked components issued per unit, by item.
	Direct [][]Use
	// Granule is a whole number of units whose multiples keep every
	// extension exact: it clears the denominators of every BOM path.
	Granule int64
}

// Rolled is the full standard cost per unit of item i.
func (s *Std) Rolled(i int) int64 { return s.Mat[i] + s.Conv[i] }

// RolledFor is the standard per unit of item i that a scope inventories:
// everything (absorption), all but fixed overhead (variable), or materials
// only (throughput).
func (s *Std) RolledFor(i int, sc bf.Scope) int64 {
	v := s.Mat[i]
	if sc != bf.ScopeThroughput {
		v += s.Conv[i]
	}
	if sc == bf.ScopeVariable {
		v -= s.Fixed[i]
	}
	return v
}

// OwnFor is the conversion at item i's own level that a scope inventories.
func (s *Std) OwnFor(i int, sc bf.Scope) int64 {
	switch sc {
	case bf.ScopeVariable:
		return s.Own[i] - s.OwnFixed[i]
	case bf.ScopeThroughput:
		return 0
	}
	return s.Own[i]
}

// Items lists the items of the given kinds, in plant order.
func (s *Std) Items(kinds ...bf.ItemKind) []int {
	var out []int
	for i, k := range s.Kind {
		if slices.Contains(kinds, k) {
			out = append(out, i)
		}
	}
	return out
}

// Standards computes the standards of p. Items must come after their
// components (NewPlant's plants do). It panics when a standard is not exact
// at nine decimals or a quantity per unit at six: the plant is then outside
// what the tests can predict to the cent.
func Standards(p *bf.Plant) *Std {
	n := len(p.Items)
	s := &Std{Plant: p, Kind: make([]bf.ItemKind, n), Index: map[string]int{}, Buy: make([]int64, n),
		Mat: make([]int64, n), Conv: make([]int64, n), Fixed: make([]int64, n), Own: make([]int64, n), OwnFixed: make([]int64, n), Direct: make([][]Use, n)}
	mat, conv, fix, own := make([]*big.Rat, n), make([]*big.Rat, n), make([]*big.Rat, n), make([]*big.Rat, n)
	ownFix := make([]*big.Rat, n)
	direct := make([]map[int]*big.Rat, n)
	paths := make([][]*big.Rat, n) // every path product from the item down, to any depth
	cost := func(c bf.Cost) *big.Rat { return big.NewRat(int64(c), 1_000_000_000) }
	for i := range p.Items {
		it := &p.Items[i]
		s.Index[it.ID] = i
		s.Kind[i] = it.Kind
		if it.Kind == bf.Material {
			mat[i], conv[i], fix[i], own[i], ownFix[i] = cost(it.StandardCost), new(big.Rat), new(big.Rat), new(big.Rat), new(big.Rat)
			s.Buy[i] = int64(it.StandardCost)
			continue
		}
		mat[i], conv[i], fix[i], own[i] = new(big.Rat), cost(it.ConversionCost), cost(it.FixedConversion), cost(it.ConversionCost)
		ownFix[i] = cost(it.FixedConversion)
		direct[i] = map[int]*big.Rat{}
		for _, l := range it.BOM {
			c, ok := s.Index[l.Item]
			if !ok {
				panic("test design: item " + it.ID + " comes before its component " + l.Item)
			}
			per := new(big.Rat).Mul(big.NewRat(int64(l.Qty), 1_000_000),
				new(big.Rat).Add(big.NewRat(1, 1), big.NewRat(int64(l.ScrapPct), 100_000_000)))
			mat[i].Add(mat[i], new(big.Rat).Mul(per, mat[c]))
			conv[i].Add(conv[i], new(big.Rat).Mul(per, conv[c]))
			fix[i].Add(fix[i], new(big.Rat).Mul(per, fix[c]))
			paths[i] = append(paths[i], per)
			for _, q := range paths[c] {
				paths[i] = append(paths[i], new(big.Rat).Mul(per, q))
			}
			if s.Kind[c] == bf.Phantom {
				own[i].Add(own[i], new(big.Rat).Mul(per, own[c]))
				ownFix[i].Add(ownFix[i], new(big.Rat).Mul(per, ownFix[c]))
				for g, q := range direct[c] {
					addRat(direct[i], g, new(big.Rat).Mul(per, q))
				}
			} else {
				addRat(direct[i], c, per)
			}
		}
	}
	g := big.NewInt(1)
	for i := range p.Items {
		id := p.Items[i].ID
		for _, q := range paths[i] {
			d := q.Denom()
			g.Mul(g, new(big.Int).Quo(d, new(big.Int).GCD(nil, nil, g, d)))
		}
		s.Mat[i] = nanos(mat[i], "material content of "+id)
		s.Conv[i] = nanos(conv[i], "conversion of "+id)
		s.Fixed[i] = nanos(fix[i], "fixed conversion of "+id)
		s.Own[i] = nanos(own[i], "own conversion of "+id)
		s.OwnFixed[i] = nanos(ownFix[i], "own fixed conversion of "+id)
		for c, q := range direct[i] {
			s.Direct[i] = append(s.Direct[i], Use{c, qtyOf(q)})
		}
		slices.SortFunc(s.Direct[i], func(a, b Use) int { return a.Item - b.Item })
	}
	s.Granule = g.Int64()
	return s
}

func addRat(m map[int]*big.Rat, k int, v *big.Rat) {
	if m[k] == nil {
		m[k] = new(big.Rat)
	}
	m[k].Add(m[k], v)
}

// nanos is v in Cost units; v must be exact at nine decimals.
func nanos(v *big.Rat, what string) int64 {
	n := new(big.Rat).Mul(v, big.NewRat(1_000_000_000, 1))
	if !n.IsInt() || !n.Num().IsInt64() {
		panic("test design: " + what + " is not exact at nine decimals: " + v.RatString())
	}
	return n.Num().Int64()
}

// qtyOf is v as a Qty; v must be exact at six decimals.
func qtyOf(v *big.Rat) bf.Qty {
	n := new(big.Rat).Mul(v, big.NewRat(1_000_000, 1))
	if !n.IsInt() || !n.Num().IsInt64() {
		panic("test design: quantity not exact at six decimals: " + v.RatString())
	}
	return bf.Qty(n.Num().Int64())
}

// QtyRat is q as an exact rational number of units.
func QtyRat(q bf.Qty) *big.Rat { return big.NewRat(int64(q), 1_000_000) }

// RatQty is a rational number of units as a Qty; it must be exact at six decimals.
func RatQty(v *big.Rat) bf.Qty { return qtyOf(v) }

// Value is q units at c (Cost units) per unit, in cents; it must be a whole
// number of cents (the plants and quantities of an exact test keep it so).
func Value(q bf.Qty, c int64) bf.Money {
	neg := (q < 0) != (c < 0)
	hi, lo := bits.Mul64(abs(int64(q)), abs(c))
	const d = 1_000_000 * NanoPerCent // 1e13: Qty scale × Cost units per cent
	if hi >= d {
		panic("test design: " + q.String() + " × " + bf.Cost(c).String() + " overflows")
	}
	quo, rem := bits.Div64(hi, lo, d)
	if rem != 0 || quo > math.MaxInt64 {
		panic("test design: " + q.String() + " × " + bf.Cost(c).String() + " is not a whole number of cents")
	}
	if neg {
		return -bf.Money(quo)
	}
	return bf.Money(quo)
}

// MulQty is q × per, which must be exact at six decimals (multiples of the
// granule keep it so).
func MulQty(q, per bf.Qty) bf.Qty {
	hi, lo := bits.Mul64(abs(int64(q)), abs(int64(per)))
	quo, rem := bits.Div64(hi, lo, 1_000_000)
	if rem != 0 || quo > math.MaxInt64 {
		panic("test design: " + q.String() + " × " + per.String() + " is not exact")
	}
	if (q < 0) != (per < 0) {
		return -bf.Qty(quo)
	}
	return bf.Qty(quo)
}

func abs(v int64) uint64 {
	if v < 0 {
		return uint64(-v)
	}
	return uint64(v)
}

// Round is q × c in cents rounded half to even, worked out with math/big.
func Round(q bf.Qty, c bf.Cost) bf.Money {
	x := new(big.Rat).Mul(QtyRat(q), big.NewRat(int64(c), NanoPerCent))
	return bf.Money(roundHalfEven(x).Int64())
}

func roundHalfEven(x *big.Rat) *big.Int {
	neg := x.Sign() < 0
	a := new(big.Rat).Abs(x)
	n := new(big.Int).Quo(a.Num(), a.Denom())
	switch new(big.Rat).Sub(a, new(big.Rat).SetInt(n)).Cmp(big.NewRat(1, 2)) {
	case 1:
		n.Add(n, big.NewInt(1))
	case 0:
		if n.Bit(0) == 1 {
			n.Add(n, big.NewInt(1))
		}
	}
	if neg {
		n.Neg(n)
	}
	return n
}

// Apportion splits total over non-negative weights in proportion: every
// share rounded down (in magnitude), then the cents left one at a time to
// the largest remainders, ties to the first; with all weights zero the last
// share takes everything. This is the rule the ledger documents for
// prorating, worked out here with rationals.
func Apportion(total bf.Money, weights []bf.Money) []bf.Money {
	out := make([]bf.Money, len(weights))
	sum := new(big.Int)
	for _, w := range weights {
		if w < 0 {
			panic("test design: negative weight")
		}
		sum.Add(sum, big.NewInt(int64(w)))
	}
	if len(out) == 0 {
		return out
	}
	if sum.Sign() == 0 {
		out[len(out)-1] = total
		return out
	}
	t := new(big.Int).Abs(big.NewInt(int64(total)))
	rems := make([]*big.Rat, len(weights))
	left := new(big.Int).Set(t)
	for i, w := range weights {
		share := new(big.Rat).SetFrac(new(big.Int).Mul(t, big.NewInt(int64(w))), sum)
		n := new(big.Int).Quo(share.Num(), share.Denom())
		out[i] = bf.Money(n.Int64())
		rems[i] = share.Sub(share, new(big.Rat).SetInt(n))
		left.Sub(left, n)
	}
	for ; left.Sign() > 0; left.Sub(left, big.NewInt(1)) {
		best := 0
		for i := range rems {
			if rems[i].Cmp(rems[best]) > 0 {
				best = i
			}
		}
		out[best]++
		rems[best] = new(big.Rat).SetInt64(-1)
	}
	if total < 0 {
		for i := range out {
			out[i] = -out[i]
		}
	}
	return out
}
