// Package throughput gives the decision support of throughput accounting:
// throughput (sales less truly variable, material, costs) per unit and per
// bottleneck minute, the throughput accounting ratio, product ranking, and
// the product mix that maximises throughput through one bottleneck.
//
// Ratios are computed exactly (math/big) and rounded once, half to even, to
// nine decimals; reports print four.
package throughput

import (
	"math/big"
	"slices"
	"sort"
	"strconv"

	bf "github.com/backflush/backflush"
)

// Product is one product's economics at the bottleneck.
type Product struct {
	ID       string
	Price    bf.Cost // selling price per unit
	Material bf.Cost // truly variable cost per unit (materials, bought-in parts)
	// Minutes is the time one unit takes on each constrained resource, in
	// minutes (6 decimals); Minutes[0] is the bottleneck.
	Minutes []bf.Qty
	// Demand is the most that can be sold in the period; zero means no limit.
	Demand bf.Qty
}

// Factory is the period's capacity and operating expenses.
type Factory struct {
	// Capacity is the minutes available on each constrained resource in the
	// period, in the order of Product.Minutes; Capacity[0] is the bottleneck.
	Capacity []bf.Qty
	// OperatingExpenses are all other factory costs of the period (labour,
	// overhead): the "total factory cost" of the TA ratio.
	OperatingExpenses bf.Money
	Scale             int // currency decimals
	// Measure names what products are ranked by in the mix's note:
	// "throughput" when empty; "contribution" when Product.Material holds
	// every variable cost (marginal costing's contribution margin).
	Measure string
}

// Ratio is a dimensionless or per-unit figure in billionths.
type Ratio int64

// String formats a ratio with four decimals, as throughput reports print it.
func (r Ratio) String() string { return r.Format(4) }

// Format rounds to d decimals (0–9), halves away from zero as printed
// ratios usually are.
func (r Ratio) Format(d int) string {
	return big.NewRat(int64(r), 1_000_000_000).FloatString(d)
}

// Analysis is one product's figures.
type Analysis struct {
	ID                   string
	ThroughputPerUnit    bf.Cost
	PerBottleneckMinute  Ratio // currency per minute
	ReturnPerFactoryHour Ratio // throughput per bottleneck hour
	CostPerFactoryHour   Ratio // operating expenses per bottleneck hour available
	TARatio              Ratio // return per factory hour / cost per factory hour
	Rank                 int   // 1 = best use of the bottleneck
}

// MixLine is the units of a product in the best mix.
type MixLine struct {
	ID         string
	Units      bf.Qty
	Minutes    bf.Qty // bottleneck minutes used
	Throughput bf.Money
}

// Mix is the product mix and its profit.
type Mix struct {
	Lines      []MixLine
	Throughput bf.Money
	NetProfit  bf.Money // throughput less operating expenses
	Unused     bf.Qty   // bottleneck minutes left
	// Note says how the mix was found and, with several constraints, what
	// that means for optimality.
	Note string
}

func rat(v int64, den int64) *big.Rat { return big.NewRat(v, den) }

func toRatio(r *big.Rat) Ratio {
	x := new(big.Rat).Mul(r, big.NewRat(1_000_000_000, 1))
	num, den := x.Num(), x.Denom()
	q, m := new(big.Int).QuoRem(num, den, new(big.Int))
	m2 := new(big.Int).Abs(new(big.Int).Mul(m, big.NewInt(2)))
	if c := m2.Cmp(den); c > 0 || (c == 0 && q.Bit(0) == 1) {
		if num.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	return Ratio(q.Int64())
}

func (f *Factory) validate(ps []Product) error {
	if len(f.Capacity) == 0 || f.Capacity[0] <= 0 {
		return bf.E("throughput", bf.KindInvalid, bf.Field("capacity"), "the bottleneck needs a positive capacity in minutes (a denominator of zero)")
	}
	for i, c := range f.Capacity {
		if c <= 0 {
			return bf.E("throughput", bf.KindInvalid, bf.Field("capacity["+strconv.Itoa(i)+"]"), "must be positive")
		}
	}
	if f.OperatingExpenses < 0 {
		return bf.E("throughput", bf.KindInvalid, bf.Field("operating_expenses"), "must not be negative")
	}
	seen := map[string]bool{}
	for _, p := range ps {
		if p.ID == "" || seen[p.ID] {
			return bf.E("throughput", bf.KindInvalid, bf.Field("products"), "each product needs a unique id")
		}
		seen[p.ID] = true
		if len(p.Minutes) != len(f.Capacity) {
			return bf.E("throughput", bf.KindInvalid, bf.Field("products."+p.ID+".minutes"), "needs one time per constrained resource ("+strconv.Itoa(len(f.Capacity))+")")
		}
		if p.Minutes[0] <= 0 {
			return bf.E("throughput", bf.KindInvalid, bf.Field("products."+p.ID+".minutes"), "time on the bottleneck must be positive")
		}
		for _, m := range p.Minutes {
			if m < 0 {
				return bf.E("throughput", bf.KindInvalid, bf.Field("products."+p.ID+".minutes"), "must not be negative")
			}
		}
		if p.Price < 0 || p.Material < 0 || p.Demand < 0 {
			return bf.E("throughput", bf.KindInvalid, bf.Field("products."+p.ID), "price, material and demand must not be negative")
		}
	}
	return nil
}

// Analyze computes each product's throughput figures and ranks the products
// by throughput per bottleneck minute (ties by id).
func Analyze(ps []Product, f Factory) ([]Analysis, error) {
	if err := f.validate(ps); err != nil {
		return nil, err
	}
	// Cost per factory hour: operating expenses over the bottleneck hours
	// available (Capacity is in millionths of a minute).
	hours := rat(int64(f.Capacity[0]), 60*1_000_000)
	opex := rat(int64(f.OperatingExpenses), pow10(f.Scale))
	costPerHour := new(big.Rat).Quo(opex, hours)
	out := make([]Analysis, len(ps))
	for i, p := range ps {
		tpu := p.Price - p.Material
		perMin := new(big.Rat).Quo(rat(int64(tpu), 1_000_000_000), rat(int64(p.Minutes[0]), 1_000_000))
		perHour := new(big.Rat).Mul(perMin, big.NewRat(60, 1))
		a := Analysis{ID: p.ID, ThroughputPerUnit: tpu, PerBottleneckMinute: toRatio(perMin),
			ReturnPerFactoryHour: toRatio(perHour), CostPerFactoryHour: toRatio(costPerHour)}
		if costPerHour.Sign() > 0 {
			a.TARatio = toRatio(new(big.Rat).Quo(perHour, costPerHour))
		}
		out[i] = a
	}
	order := make([]int, len(out))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		x, y := out[order[a]], out[order[b]]
		if x.PerBottleneckMinute != y.PerBottleneckMinute {
			return x.PerBottleneckMinute > y.PerBottleneckMinute
		}
		return x.ID < y.ID
	})
	for r, i := range order {
		out[i].Rank = r + 1
	}
	return out, nil
}

func pow10(n int) int64 {
	v := int64(1)
	for range n {
		v *= 10
	}
	return v
}

// BestMix fills the bottleneck with whole units in rank order, each up to its
// demand. With one binding constraint this is optimal. With several, it then
// checks every other resource and, where one is over capacity, takes units
// off the lowest-ranked products until all fit; the result is feasible but
// not guaranteed optimal (that needs linear programming), and Note says so.
func BestMix(ps []Product, f Factory) (*Mix, error) {
	an, err := Analyze(ps, f)
	if err != nil {
		return nil, err
	}
	order := make([]int, len(ps))
	for i := range ps {
		order[an[i].Rank-1] = i
	}
	measure := f.Measure
	if measure == "" {
		measure = "throughput"
	}
	m := &Mix{Note: "ranked by " + measure + " per bottleneck minute and filled in that order: optimal for one constraint"}
	units := make([]int64, len(ps))
	left := int64(f.Capacity[0])
	for _, i := range order {
		p := ps[i]
		if p.Price <= p.Material {
			continue // no throughput: making it only uses the bottleneck
		}
		n := left / int64(p.Minutes[0])
		if p.Demand > 0 {
			n = min(n, int64(p.Demand)/1_000_000)
		}
		units[i] = n
		left -= n * int64(p.Minutes[0])
	}
	if len(f.Capacity) > 1 {
		over := false
		for r := 1; r < len(f.Capacity); r++ {
			for {
				// The minutes a resource's load adds up are checked: a
				// load beyond int64 is beyond any capacity.
				var used bf.Sum
				fits := true
				for i, p := range ps {
					u, ok := bf.MulDiv(units[i], int64(p.Minutes[r]), 1)
					fits = fits && ok
					used.Add(bf.Money(u))
				}
				if v, ok := used.Money(); fits && ok && v <= bf.Money(f.Capacity[r]) {
					break
				}
				over = true
				cut := false
				for k := len(order) - 1; k >= 0; k-- {
					if i := order[k]; units[i] > 0 && ps[i].Minutes[r] > 0 {
						units[i]--
						cut = true
						break
					}
				}
				if !cut {
					break
				}
			}
		}
		m.Note = "ranked by " + measure + " per bottleneck minute; other constraints checked"
		if over {
			m.Note += " and units taken off the lowest-ranked products until every resource fits: feasible, not guaranteed optimal with several binding constraints (use linear programming)"
		} else {
			m.Note += ": none binds, so the mix is optimal"
		}
		left = int64(f.Capacity[0])
		for i, p := range ps {
			left -= units[i] * int64(p.Minutes[0])
		}
	}
	for _, i := range order {
		if units[i] == 0 {
			continue
		}
		p := ps[i]
		tp, ok := bf.Extend(bf.Units(units[i]), p.Price-p.Material, f.Scale)
		if !ok {
			return nil, bf.E("throughput", bf.KindInvalid, bf.Field("products."+p.ID), "throughput overflows")
		}
		m.Lines = append(m.Lines, MixLine{ID: p.ID, Units: bf.Units(units[i]), Minutes: bf.Qty(units[i] * int64(p.Minutes[0])), Throughput: tp})
		if m.Throughput, ok = bf.AddMoney(m.Throughput, tp); !ok {
			return nil, bf.E("throughput", bf.KindInvalid, bf.Field("products"), "the mix's throughput overflows")
		}
	}
	net, ok := bf.AddMoney(m.Throughput, -f.OperatingExpenses)
	if !ok {
		return nil, bf.E("throughput", bf.KindInvalid, bf.Field("operating_expenses"), "the mix's net profit overflows")
	}
	m.NetProfit = net
	m.Unused = bf.Qty(left)
	return m, nil
}

// Margin is what a mix earns at the products' prices less their variable
// costs: its throughput, or with every variable cost in Product.Material
// its contribution. It values a mix found under one measure by another,
// line by line as BestMix values its own. Every product of the mix must be
// among ps.
func Margin(ps []Product, m *Mix, scale int) (bf.Money, error) {
	var total bf.Money
	for _, ln := range m.Lines {
		k := slices.IndexFunc(ps, func(p Product) bool { return p.ID == ln.ID })
		if k < 0 {
			return 0, bf.E("throughput", bf.KindInvalid, bf.Field("products"), "no product "+ln.ID)
		}
		v, ok := bf.Extend(ln.Units, ps[k].Price-ps[k].Material, scale)
		if !ok {
			return 0, bf.E("throughput", bf.KindInvalid, bf.Field("products."+ln.ID), "margin overflows")
		}
		total += v
	}
	return total, nil
}
