package refmodel

import (
	"math/big"
	"slices"

	bf "github.com/backflush/backflush"
)

// Opts shapes a random stream.
type Opts struct {
	Periods    int  // Run: how many periods
	KeepStock  bool // never issue, sell or count below zero
	Counts     bool // physical counts
	Scrap      bool // completions with scrap
	WIPCounts  bool // wip_counts of the units in process
	StdPrice   bool // purchases at standard
	Fractional bool // quantities with three decimals half of the time: extensions round
	Quiet      bool // Run: some periods only buy materials and incur costs
	Expenses   bool // marketing and administration expenses
	Behaviors  bool // conversion cost marked variable or fixed
	Closes     bool // closes amid the random events
}

// Qty is k granules of units, with three decimals more half of the time in
// a fractional stream.
func (w *World) Qty(k int) bf.Qty { return bf.Units(int64(k)*w.S.Granule) + w.fraction() }

func (w *World) fraction() bf.Qty {
	if w.Opts.Fractional && w.R.IntN(2) == 0 {
		return bf.Qty(1+w.R.IntN(999)) * 1000
	}
	return 0
}

// Price is a purchase price of material m: the standard, near it (±2.00),
// or 0.5–1.5 × the standard with four decimals (so that the amount paid
// rounds); always the standard with Opts.StdPrice.
func (w *World) Price(m int) bf.Cost {
	std := w.Plant.Items[m].StandardCost
	if w.Opts.StdPrice {
		return std
	}
	switch w.R.IntN(4) {
	case 0:
		return std
	case 1:
		return max(std+CentsCost(int64(w.R.IntN(401)-200)), 0)
	}
	return bf.Cost(int64(std)/2 + int64(w.R.IntN(int(int64(std)/100_000)+1))*100_000)
}

// Pct is a degree of completion: whole percents, or any of 0–100 now and then.
func (w *World) Pct() bf.Pct {
	if w.R.IntN(4) == 0 {
		return bf.Pct(w.R.Int64N(100_000_001))
	}
	return bf.Pct(int64(w.R.IntN(101)) * 1_000_000)
}

// need is q × per rounded up at six decimals.
func need(q, per bf.Qty) bf.Qty {
	x := new(big.Rat).Mul(QtyRat(q), QtyRat(per))
	x.Mul(x, big.NewRat(1_000_000, 1))
	n := new(big.Int).Quo(x.Num(), x.Denom())
	if !x.IsInt() && x.Sign() > 0 {
		n.Add(n, big.NewInt(1))
	}
	return bf.Qty(n.Int64())
}

// short returns a stocked component that q more units of x lack and how
// many, or -1.
func (w *World) short(x int, q bf.Qty) (int, bf.Qty) {
	for _, u := range w.S.Direct[x] {
		n := need(q, u.Per)
		if have := w.L.OnHand(int32(u.Item)); have < n {
			return u.Item, n - have
		}
	}
	return -1, 0
}

// supply returns an event that brings lack more units of c into stores, or
// (for a made item short of components) one that goes towards it.
func (w *World) supply(c int, lack bf.Qty) bf.Event {
	if w.S.Kind[c] == bf.Material {
		q := (lack + bf.Units(1) - 1) / bf.Units(1) * bf.Units(1)
		q += bf.Units(int64(w.R.IntN(8)))
		return bf.Event{Type: bf.Purchase, Item: w.ItemID(c), Qty: q, UnitCost: w.Price(c)}
	}
	return w.produce(c, lack)
}

// produce is a completion of q good units of x, or an event supplying what
// the units not yet started lack.
func (w *World) produce(x int, q bf.Qty) bf.Event {
	if extra := q - max(w.L.InProcess(int32(x)), 0); extra > 0 {
		if c, lack := w.short(x, extra); c >= 0 {
			return w.supply(c, lack)
		}
	}
	return bf.Event{Type: bf.Complete, Item: w.ItemID(x), Qty: q}
}

// WIPCount counts the units of x in process, at random degrees of completion.
func (w *World) WIPCount(x int) bf.Event {
	return bf.Event{Type: bf.WIPCount, Item: w.ItemID(x), Qty: w.L.InProcess(int32(x)), MaterialsPct: w.Pct(), ConversionPct: w.Pct()}
}

// Conversion is conversion cost of up to 20,000.00, of a random behaviour
// with Opts.Behaviors.
func (w *World) Conversion() bf.Event {
	e := bf.Event{Type: bf.ConversionCost, Amount: bf.Money(1 + w.R.IntN(2_000_000))}
	if w.Opts.Behaviors {
		e.Behavior = []bf.Behavior{bf.BehaviorUnset, bf.Variable, bf.Fixed}[w.R.IntN(3)]
	}
	return e
}

// Expense is a variable or fixed marketing and administration expense.
func (w *World) Expense() bf.Event {
	return bf.Event{Type: bf.Expense, Amount: bf.Money(1 + w.R.IntN(500_000)), Behavior: []bf.Behavior{bf.Variable, bf.Fixed}[w.R.IntN(2)]}
}

// Event draws an event the stream's options allow (without id or date):
// purchases 18%, starts 12%, completions 20%, sales 14%, counts 6%,
// conversion 18%, expenses 7% and wip_counts or closes 5% (conversion in
// their stead when the options leave them out). With KeepStock, an event
// that would take stock below zero gives way to one that supplies it. In a
// quiet period only materials are bought and conversion and expenses
// incurred: no finished goods or sub-assemblies move.
func (w *World) Event(quiet bool) bf.Event {
	r, o := w.R, w.Opts
	n := r.IntN(100)
	if quiet {
		n = []int{0, 80, 92}[r.IntN(3)]
	}
	switch {
	case n < 18:
		m := w.Pick(bf.Material)
		return bf.Event{Type: bf.Purchase, Item: w.ItemID(m), Qty: bf.Units(int64(1+r.IntN(20*int(w.S.Granule)))) + w.fraction(), UnitCost: w.Price(m)}
	case n < 30:
		x := w.Pick(bf.Assembly, bf.Finished)
		q := w.Qty(1 + r.IntN(4))
		if o.KeepStock {
			if c, lack := w.short(x, q); c >= 0 {
				return w.supply(c, lack)
			}
		}
		return bf.Event{Type: bf.Start, Item: w.ItemID(x), Qty: q}
	case n < 50:
		x := w.Pick(bf.Assembly, bf.Finished)
		good := w.Qty(r.IntN(4))
		var scrap bf.Qty
		if o.Scrap && (r.IntN(4) == 0 || good == 0) {
			scrap = w.Qty(1 + r.IntN(2))
		}
		if good+scrap == 0 {
			good = w.Qty(1)
		}
		if o.KeepStock {
			if extra := good + scrap - max(w.L.InProcess(int32(x)), 0); extra > 0 {
				if c, lack := w.short(x, extra); c >= 0 {
					return w.supply(c, lack)
				}
			}
		}
		return bf.Event{Type: bf.Complete, Item: w.ItemID(x), Qty: good, ScrapQty: scrap}
	case n < 64:
		x := w.Pick(bf.Finished)
		if r.IntN(8) == 0 {
			x = w.Pick(bf.Material, bf.Assembly)
		}
		e := bf.Event{Type: bf.Sale, Item: w.ItemID(x), Qty: w.Qty(1 + r.IntN(3))}
		if r.IntN(3) == 0 {
			e.UnitPrice = CentsCost(r.Int64N(500_000))
		}
		if o.KeepStock {
			have := w.L.OnHand(int32(x))
			if have <= 0 {
				if w.S.Kind[x] == bf.Material {
					return w.supply(x, e.Qty)
				}
				return w.produce(x, e.Qty)
			}
			e.Qty = min(e.Qty, have)
		}
		return e
	case n < 70 && o.Counts:
		x := w.Pick(bf.Material, bf.Assembly, bf.Finished)
		return bf.Event{Type: bf.Count, Item: w.ItemID(x), Qty: max(w.L.OnHand(int32(x))+w.Qty(r.IntN(5)-2), 0)}
	case n < 88:
		return w.Conversion()
	case n < 95 && o.Expenses:
		return w.Expense()
	case n < 95:
		return w.Conversion()
	case o.Closes && (!o.WIPCounts || r.IntN(2) == 0):
		return bf.Event{Type: bf.Close}
	case o.WIPCounts:
		return w.WIPCount(w.Pick(bf.Assembly, bf.Finished))
	}
	return w.Conversion()
}

// Advance moves the date on by a day half of the time.
func (w *World) Advance() { w.Day += bf.Date(w.R.IntN(2)) }

// Next advances the date and draws an event with its id and date.
func (w *World) Next() bf.Event {
	w.Advance()
	e := w.Event(false)
	e.ID, e.Date = w.ID(), w.Day
	return e
}

// Run posts Opts.Periods periods of 5–18 random events, each ended by
// wip_counts of (most of) the work in process and a close; sometimes an
// open period follows.
func (w *World) Run() {
	r := w.R
	for p := 0; p < w.Opts.Periods; p++ {
		quiet := w.Opts.Quiet && p > 0 && r.IntN(3) == 0
		for n := 5 + r.IntN(14); n > 0; n-- {
			w.Advance()
			w.Post(w.Event(quiet))
		}
		if w.Opts.WIPCounts {
			for _, x := range w.Items(bf.Assembly, bf.Finished) {
				if w.L.InProcess(int32(x)) > 0 && r.IntN(3) > 0 {
					w.Post(w.WIPCount(x))
				}
			}
		}
		w.Post(bf.Event{Type: bf.Close})
	}
	if r.IntN(3) == 0 {
		for n := 1 + r.IntN(5); n > 0; n-- {
			w.Post(w.Event(false))
		}
	}
}

// ZeroPeriod posts a period that leaves nothing in stock or in process (if
// nothing was before): it completes every finished item minJobs to
// minJobs+2 times, each sub-assembly exactly as many good units as its
// parents use, buys exactly the materials consumed, sells every finished
// unit, incurs conversion (variable and fixed, with Opts.Behaviors) and
// expenses (with Opts.Expenses), and closes. Quantities are whole granules.
func (w *World) ZeroPeriod(minJobs int) {
	r, s := w.R, w.S
	n := len(w.Plant.Items)
	g := bf.Units(s.Granule)
	type job struct {
		item        int
		good, scrap bf.Qty
	}
	var jobs []job
	need := make([]bf.Qty, n) // good units of each made item to complete
	for _, f := range w.Items(bf.Finished) {
		for k := minJobs + r.IntN(3); k > 0; k-- {
			j := job{item: f, good: bf.Qty(1+r.IntN(3)) * g}
			if w.Opts.Scrap && r.IntN(3) == 0 {
				j.scrap = g
			}
			need[f] += j.good
			jobs = append(jobs, j)
		}
	}
	// Parents come after their components in the plant: walking down from
	// the last item, every sub-assembly's need is known when it is reached.
	consumption := make([]bf.Qty, n) // of stocked components, by the jobs so far
	for x := n - 1; x >= 0; x-- {
		if s.Kind[x] == bf.Assembly && need[x] > 0 {
			j := job{item: x, good: need[x]}
			if w.Opts.Scrap && r.IntN(4) == 0 {
				j.scrap = g
			}
			jobs = append(jobs, j)
		}
		for _, jb := range jobs {
			if jb.item != x {
				continue
			}
			for _, u := range s.Direct[x] {
				use := MulQty(jb.good+jb.scrap, u.Per)
				consumption[u.Item] += use
				if s.Kind[u.Item] == bf.Assembly {
					need[u.Item] += use
				}
			}
		}
	}
	// Buy exactly the materials consumed, in one or two lots.
	for _, m := range w.Items(bf.Material) {
		q := consumption[m]
		if q == 0 {
			continue
		}
		lots := []bf.Qty{q}
		if units := int64(q / bf.Units(1)); units >= 2 && r.IntN(2) == 0 {
			first := bf.Units(1 + r.Int64N(units-1))
			lots = []bf.Qty{first, q - first}
		}
		for _, lot := range lots {
			w.Advance()
			w.Post(bf.Event{Type: bf.Purchase, Item: w.ItemID(m), Qty: lot, UnitCost: w.Price(m)})
		}
	}
	// Produce bottom-up: jobs of items listed earlier first.
	slices.SortStableFunc(jobs, func(a, b job) int { return a.item - b.item })
	for _, jb := range jobs {
		id := w.ItemID(jb.item)
		if r.IntN(2) == 0 {
			w.Post(bf.Event{Type: bf.Start, Item: id, Qty: jb.good + jb.scrap}) // all of it started first
		}
		if r.IntN(3) == 0 {
			w.Post(w.Conversion())
		}
		w.Advance()
		w.Post(bf.Event{Type: bf.Complete, Item: id, Qty: jb.good, ScrapQty: jb.scrap})
	}
	// Sell every finished unit, sometimes in two sales.
	for _, f := range w.Items(bf.Finished) {
		for left := need[f] / g; left > 0; {
			k := left
			if k > 1 && r.IntN(2) == 0 {
				k = 1 + bf.Qty(r.Int64N(int64(k-1)))
			}
			e := bf.Event{Type: bf.Sale, Item: w.ItemID(f), Qty: k * g}
			if r.IntN(3) == 0 {
				e.UnitPrice = CentsCost(r.Int64N(500_000))
			}
			w.Post(e)
			left -= k
		}
	}
	if w.Opts.Behaviors {
		w.Post(bf.Event{Type: bf.ConversionCost, Amount: bf.Money(1 + r.IntN(1_000_000)), Behavior: bf.Variable})
		w.Post(bf.Event{Type: bf.ConversionCost, Amount: bf.Money(1 + r.IntN(1_000_000)), Behavior: bf.Fixed})
	} else {
		w.Post(bf.Event{Type: bf.ConversionCost, Amount: bf.Money(1 + r.IntN(2_000_000))})
	}
	if w.Opts.Expenses {
		w.Post(w.Expense())
	}
	if w.Opts.WIPCounts && r.IntN(4) == 0 {
		w.Post(w.WIPCount(w.Pick(bf.Assembly, bf.Finished))) // nothing in process: qty 0
	}
	w.Post(bf.Event{Type: bf.Close})
	w.Day += bf.Date(r.IntN(3))
}
