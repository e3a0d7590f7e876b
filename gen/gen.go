// Package gen generates synthetic plants and shop-floor event streams for
// benchmarks and tests: a plant of 10^3 to 10^6 items with multi-level BOMs
// (depth 1 to 5, 5 to 200 components per BOM) and a stream of 10^4 to 10^7
// events — purchases, production starts and completions, sales, conversion
// costs and periodic closes — spread over a year.
//
// Everything is drawn from one seeded generator (PCG), so a seed always
// gives the same plant and the same stream, on every machine. The stream
// is valid to post in order into a costing.Ledger with the plant's
// standards: every item it names exists and has the right kind for the
// event, dates never go back, no event falls in a period already closed,
// ids are unique, and amounts stay far from the fixed-point limits even
// over ten million events. Stock may go negative (components are issued
// whatever is on hand, the JIT default shortage policy "allow"), as it does
// in a plant whose counts are not yet in.
//
// The stream is generated as it is consumed (Each, Events): the generator
// holds O(1) state besides the plant, so a stream of 10^7 events costs no
// memory of its own, and producing it is cheap next to posting it.
//
// The plant:
//
//   - Depth levels of made items. Level 1 is made from materials only;
//     each item of level k > 1 uses one item of level k−1 (so every BOM is
//     Depth levels deep) and Components−1 materials. Items of the top level
//     are finished goods, the others stocked assemblies.
//   - Made items (a tenth of Items by default; fewer when BOMs are wide and
//     deep, so that the flattened BOMs stay near four million uses: see
//     Config.Made) are spread evenly over the levels; the rest are
//     materials, each BOM drawing distinct ones at random.
//   - Standard costs 0.05–20.00 per material; BOM quantities 0.25–2.00
//     units of a material and 1 unit of the sub-assembly; one BOM line in
//     ten has 2.5% component scrap; conversion 0.50–50.00 per unit at each
//     level, a fifth of it fixed overhead; finished goods priced 30% above
//     their rolled-up standard cost.
//
// The stream, per event outside the closes: 35% purchases of a material
// used in some BOM (10–1,000 units, at the standard ±5%), 15% starts of a
// made item (1–50 units), 15% completions (the oldest start not yet
// completed, less 0–2 units of scrap, or when none waits a made item
// completed without a start), 25% sales of a finished item (1–20 units,
// half at list price), 10% conversion-cost bills (100.00–10,000.00, a fifth
// of them fixed overhead). Events are spread evenly over Days from Start;
// a close ends each of Periods equal periods, the last one being the
// stream's last event.
package gen

import (
	"errors"
	"fmt"
	"io"
	"iter"
	"math/rand/v2"
	"strconv"
	"strings"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/scenario"
)

// Config describes a synthetic plant and its event stream. Zero fields take
// the defaults given; New refuses values outside the documented ranges.
type Config struct {
	// Seed chooses the plant and the stream; the same seed gives the same
	// plant and events.
	Seed uint64
	// Items is the number of items, materials and made items together:
	// 1,000 to 1,000,000 (default 1,000).
	Items int
	// Made is how many of the items are made (assemblies and finished
	// goods), at least Depth. The default is a tenth of Items, at most
	// what keeps the flattened BOMs (each made item's direct, material and
	// conversion uses through every level, about Components × level each)
	// near four million uses, which is what compiling the standards costs
	// in time and memory.
	Made int
	// Depth is the number of BOM levels of made items: 1 to 5 (default 2).
	Depth int
	// Components is the number of lines of every BOM: 5 to 200 (default 20).
	Components int
	// Events is the length of the stream, closes included: 10,000 to
	// 10,000,000 (default 10,000). Each and Events accept any positive
	// count; the range is what the generator is documented and tested for.
	Events int
	// Start is the date of the first event (default 2026-01-01).
	Start bf.Date
	// Days is how many days the stream spans (default 365).
	Days int
	// Periods is how many periods the days are closed in (default 12).
	Periods int
}

// The documented ranges.
const (
	MinItems, MaxItems           = 1_000, 1_000_000
	MinDepth, MaxDepth           = 1, 5
	MinComponents, MaxComponents = 5, 200
	MinEvents, MaxEvents         = 10_000, 10_000_000
)

// usesBudget bounds the default number of made items: their flattened BOMs
// hold about Components × level uses each.
const usesBudget = 4_000_000

// Generator is a synthetic plant and the recipe of its event stream.
type Generator struct {
	cfg   Config
	plant *bf.Plant

	materials []int32 // the materials used in some BOM, which purchases draw from
	made      []int32 // every made item
	finished  []int32 // the top level
}

// New builds the plant of a configuration.
func New(c Config) (*Generator, error) {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&c.Items, MinItems)
	def(&c.Depth, 2)
	def(&c.Components, 20)
	def(&c.Events, MinEvents)
	def(&c.Days, 365)
	def(&c.Periods, 12)
	if c.Start == 0 {
		c.Start, _ = bf.ParseDate("2026-01-01")
	}
	switch {
	case c.Items < MinItems || c.Items > MaxItems:
		return nil, bf.E("generate plant", bf.KindInvalid, bf.Field("items"), "must be between 1,000 and 1,000,000")
	case c.Depth < MinDepth || c.Depth > MaxDepth:
		return nil, bf.E("generate plant", bf.KindInvalid, bf.Field("depth"), "must be between 1 and 5")
	case c.Components < MinComponents || c.Components > MaxComponents:
		return nil, bf.E("generate plant", bf.KindInvalid, bf.Field("components"), "must be between 5 and 200")
	}
	if c.Made == 0 {
		c.Made = min(c.Items/10, max(c.Depth, usesBudget/(c.Components*(c.Depth+1))))
	}
	switch {
	case c.Made < c.Depth || c.Made > c.Items/2:
		return nil, bf.E("generate plant", bf.KindInvalid, bf.Field("made"), "must be at least the depth and at most half the items")
	case c.Items-c.Made < c.Components:
		return nil, bf.E("generate plant", bf.KindInvalid, bf.Field("items"), "too few materials for one BOM")
	case c.Events < 1:
		return nil, bf.E("generate plant", bf.KindInvalid, bf.Field("events"), "must be positive")
	case c.Days < 1 || c.Periods < 1 || c.Periods > c.Days:
		return nil, bf.E("generate plant", bf.KindInvalid, bf.Field("periods"), "need at least one day per period")
	}
	g := &Generator{cfg: c}
	g.build()
	return g, nil
}

// Config returns the configuration with its defaults filled in.
func (g *Generator) Config() Config { return g.cfg }

// Plant returns the generated plant. It is built once; callers must not
// change it.
func (g *Generator) Plant() *bf.Plant { return g.plant }

// rng returns the generator's random source for one purpose: the plant and
// the stream draw from separate streams of the seed, so the stream's length
// never changes the plant.
func (g *Generator) rng(purpose uint64) *rand.Rand {
	return rand.New(rand.NewPCG(g.cfg.Seed, 0x9e3779b97f4a7c15^purpose))
}

// cents returns a Cost of a whole number of cents.
func cents(n int64) bf.Cost { return bf.Cost(n * 10_000_000) }

func (g *Generator) build() {
	c, r := g.cfg, g.rng(1)
	nMat := c.Items - c.Made
	p := &bf.Plant{Name: fmt.Sprintf("synthetic plant (seed %d, %d items, depth %d, %d components)", c.Seed, c.Items, c.Depth, c.Components),
		Currency: bf.Currency{Code: "USD", Scale: 2}}
	p.Items = make([]bf.Item, 0, c.Items)
	// rolled is each item's rolled-up standard cost, to price finished goods.
	rolled := make([]bf.Cost, 0, c.Items)
	for i := 0; i < nMat; i++ {
		std := cents(5 + r.Int64N(1996)) // 0.05–20.00
		p.Items = append(p.Items, bf.Item{ID: "m" + strconv.Itoa(i+1), Kind: bf.Material, UOM: "ea", StandardCost: std})
		rolled = append(rolled, std)
	}
	// used marks, per material, the last made item whose BOM took it (so a
	// BOM draws distinct materials in O(Components)), and whether any did.
	used := make([]int32, nMat)
	for i := range used {
		used[i] = -1
	}
	var prev []int32 // the items of the level below
	for lv := 1; lv <= c.Depth; lv++ {
		n := c.Made / c.Depth
		if lv <= c.Made%c.Depth {
			n++
		}
		kind, prefix := bf.Assembly, "a"+strconv.Itoa(lv)+"-"
		if lv == c.Depth {
			kind, prefix = bf.Finished, "f"
		}
		var level []int32
		for k := 0; k < n; k++ {
			x := int32(len(p.Items))
			conv := cents(50 + r.Int64N(4951)) // 0.50–50.00
			it := bf.Item{ID: prefix + strconv.Itoa(k+1), Kind: kind, UOM: "ea", ConversionCost: conv, FixedConversion: conv / 5}
			it.BOM = make([]bf.BOMLine, 0, c.Components)
			cost := conv
			if lv > 1 {
				sub := prev[r.IntN(len(prev))]
				it.BOM = append(it.BOM, bf.BOMLine{Item: p.Items[sub].ID, Qty: bf.Units(1)})
				cost += rolled[sub]
			}
			for len(it.BOM) < c.Components {
				m := int32(r.IntN(nMat))
				if used[m] == x {
					continue // already in this BOM
				}
				if used[m] < 0 {
					g.materials = append(g.materials, m)
				}
				used[m] = x
				line := bf.BOMLine{Item: p.Items[m].ID, Qty: bf.Qty(250_000 * (1 + r.Int64N(8)))} // 0.25–2.00
				if r.IntN(10) == 0 {
					line.ScrapPct = 2_500_000
				}
				per, _ := bf.WithScrap(line.Qty, line.ScrapPct)
				v, _ := bf.MulCost(per, rolled[m])
				cost += v
				it.BOM = append(it.BOM, line)
			}
			if kind == bf.Finished {
				it.Price = cost + cost*3/10
			}
			p.Items = append(p.Items, it)
			rolled = append(rolled, cost)
			level = append(level, x)
			g.made = append(g.made, x)
		}
		prev = level
	}
	g.finished = prev
	g.plant = p
}

// Books returns the books the benchmarks keep: the sequential book and
// the three textbook backflush books, as in costing's benchmarks. n (1 to
// 4) chooses how many, sequential first.
func Books(n int) []bf.BookConfig {
	all := []bf.BookConfig{
		{Name: "sequential", Method: bf.MethodSequential},
		{Name: "purchase+completion", Method: bf.MethodBackflush, Triggers: bf.TriggerPurchase | bf.TriggerCompletion},
		{Name: "purchase+sale", Method: bf.MethodBackflush, Triggers: bf.TriggerPurchase | bf.TriggerSale},
		{Name: "completion", Method: bf.MethodBackflush, Triggers: bf.TriggerCompletion},
	}
	return all[:max(1, min(n, len(all)))]
}

// WriteScenario writes the plant as a scenario document (docs/scenario.md)
// keeping the given books, without events: what `backflush init` and
// service.Init take as a store's configuration.
func (g *Generator) WriteScenario(w io.Writer, books []bf.BookConfig) error {
	if err := scenario.Write(w, &bf.Config{Plant: *g.plant}, []string{"generated by package gen: " + g.plant.Name}); err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString("books:\n")
	for _, bk := range books {
		if bk.Basis != bf.BasisStandard || bk.Scope != bf.ScopeAbsorption || bk.LCNRV != nil {
			return errors.New("gen: WriteScenario writes standard absorption books only")
		}
		b.WriteString("  - {name: " + strconv.Quote(bk.Name) + ", method: " + bk.Method.String())
		if bk.Triggers != 0 {
			b.WriteString(", triggers: [" + strings.Join(bk.Triggers.Names(), ", ") + "]")
		}
		b.WriteString("}\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// stream is the state of one pass over the event stream.
type stream struct {
	g      *Generator
	r      *rand.Rand
	e      bf.Event
	period int     // the period of the last event
	ends   []int   // the day (from Start) each period ends on
	starts []start // starts not yet completed, oldest first (a ring)
	head   int
	queued int
}

// start is a production start waiting for its completion.
type start struct {
	item int32
	qty  bf.Qty
}

// pending bounds the starts waiting for completion: enough for realistic
// work in process, O(1) however long the stream.
const pending = 256

// Each generates the stream and calls fn with each event in order. The
// event is reused for the next one: fn must copy it (or its fields) to keep
// it; its strings are never reused. An error from fn stops the stream and
// is returned.
func (g *Generator) Each(fn func(*bf.Event) error) error {
	for e := range g.Events() {
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

// Events returns the stream as an iterator; each pass generates the same
// events again. The event yielded is reused, as with Each.
func (g *Generator) Events() iter.Seq[*bf.Event] {
	return func(yield func(*bf.Event) bool) {
		c := g.cfg
		s := &stream{g: g, r: g.rng(2), starts: make([]start, pending)}
		for p := 0; p < c.Periods; p++ {
			s.ends = append(s.ends, (p+1)*c.Days/c.Periods-1)
		}
		var idBuf []byte
		for i := 0; i < c.Events; i++ {
			// The day of the i-th event, spread evenly; int64 keeps
			// 10^7 × 365 from overflowing where int is 32 bits.
			day := int(int64(i) * int64(c.Days) / int64(c.Events))
			s.e = bf.Event{}
			switch {
			case i == c.Events-1:
				s.close(s.ends[s.period]) // the year ends closed
				s.period = min(s.period+1, c.Periods-1)
			case day > s.ends[s.period]:
				// The first event of a later period: the period before
				// closes first, on its last day.
				s.close(s.ends[s.period])
				for s.period < c.Periods-1 && day > s.ends[s.period] {
					s.period++
				}
			default:
				s.next(c.Start + bf.Date(day))
			}
			idBuf = strconv.AppendInt(append(idBuf[:0], 'e'), int64(i+1), 10)
			s.e.ID = string(idBuf)
			if !yield(&s.e) {
				return
			}
		}
	}
}

// close makes the event a close on the given day of the stream.
func (s *stream) close(day int) {
	s.e.Type, s.e.Date = bf.Close, s.g.cfg.Start+bf.Date(day)
}

// next makes the event a shop-floor event dated d, by the documented mix.
func (s *stream) next(d bf.Date) {
	g, r, e := s.g, s.r, &s.e
	e.Date = d
	items := g.plant.Items
	switch n := r.IntN(100); {
	case n < 35:
		m := g.materials[r.IntN(len(g.materials))]
		std := int64(items[m].StandardCost)
		e.Type, e.Item = bf.Purchase, items[m].ID
		e.Qty = bf.Units(10 + r.Int64N(991))
		// The standard ±5%, to the hundredth of a cent.
		e.UnitCost = bf.Cost((std + std*(r.Int64N(101)-50)/1000) / 100_000 * 100_000)
	case n < 50:
		x := g.made[r.IntN(len(g.made))]
		e.Type, e.Item, e.Qty = bf.Start, items[x].ID, bf.Units(1+r.Int64N(50))
		if s.queued == pending { // the oldest start waits too long: it is dropped from the ring
			s.head = (s.head + 1) % pending
			s.queued--
		}
		s.starts[(s.head+s.queued)%pending] = start{x, e.Qty}
		s.queued++
	case n < 65:
		e.Type = bf.Complete
		if s.queued > 0 {
			st := s.starts[s.head]
			s.head = (s.head + 1) % pending
			s.queued--
			scrap := bf.Units(r.Int64N(3))
			if scrap >= st.qty {
				scrap = 0
			}
			e.Item, e.Qty, e.ScrapQty = items[st.item].ID, st.qty-scrap, scrap
		} else {
			x := g.made[r.IntN(len(g.made))]
			e.Item, e.Qty = items[x].ID, bf.Units(1+r.Int64N(20))
		}
	case n < 90:
		x := g.finished[r.IntN(len(g.finished))]
		e.Type, e.Item, e.Qty = bf.Sale, items[x].ID, bf.Units(1+r.Int64N(20))
		if r.IntN(2) == 0 {
			// Off list price by up to ±10%, in whole cents.
			list := int64(items[x].Price)
			e.UnitPrice = bf.Cost((list + list*(r.Int64N(201)-100)/1000) / 10_000_000 * 10_000_000)
		}
	default:
		e.Type, e.Amount = bf.ConversionCost, bf.Money(10_000+r.Int64N(990_001))
		if r.IntN(5) == 0 {
			e.Behavior = bf.Fixed
		}
	}
}
