package costing

import (
	"strconv"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/process"
)

// Actual-cost books (sequential tracking with a FIFO or weighted-average
// basis) are periodic: during a period they record what is known at the
// time — materials bought at the price paid, conversion incurred, revenue
// and period expenses — and count the physical flows. At each close they
// cost the period level by level, components before parents:
//
//	materials        issued to WIP, sold or found short at FIFO or periodic
//	                 weighted-average cost of the period's layers
//	conversion       the period's actual pool (variable, and fixed in an
//	                 absorption book) allocated to the items made, in
//	                 proportion to the work done (FIFO equivalent units of
//	                 conversion) at their standard conversion rates
//	made items       process costing (package process): equivalent units,
//	                 cost per equivalent unit, cost of goods completed and
//	                 ending WIP at the degree of completion of the period's
//	                 last wip_count (materials 100%, conversion 0% without one)
//	stock            completed units join the item's layers; units used by
//	                 parents, sold, scrapped or found short leave at FIFO or
//	                 weighted-average cost
//
// A shortfall (more used than the layers hold) is valued at standard and
// kept as a deficit layer; the next inflow fills it first and the
// difference between its cost and the standard used is charged to COGS.

// layer is a quantity of an item on hand with its total actual value.
type layer struct {
	qty bf.Qty
	val bf.Money
}

// wipState is an item's work in process carried from one close to the next.
type wipState struct {
	units           bf.Qty
	mat, conv       bf.Money
	matPct, convPct bf.Pct
}

// pcts is the degree of completion stated by a period's last wip_count.
type pcts struct {
	mat, conv bf.Pct
	set       bool
}

// actualState is what an actual-cost book carries between events.
type actualState struct {
	layers [][]layer
	wip    []wipState

	// The period's physical flows, per item, reset at each close.
	started  []bf.Qty   // units started (and issued at completion)
	good     []bf.Qty   // good units completed
	scrapped []bf.Qty   // units scrapped at completion
	sold     []bf.Qty   // units sold
	counted  []bf.Qty   // count differences (surplus positive)
	issued   [][]bf.Qty // per parent item, per direct use: component units issued
	endPct   []pcts

	// Notes explain what a close had to assume, for the reports.
	notes []string
	// reports keeps every close's process costing, for the reports.
	reports []ProcessReport
}

// ProcessReport is the process costing of one made item in one period of an
// actual-cost book.
type ProcessReport struct {
	Period int
	Item   string
	Method process.Method
	Input  process.Period
	Result *process.Result
}

const hundredPct = bf.Pct(100_000_000)

func newActualState(s *Standards) *actualState {
	n := s.NumItems()
	a := &actualState{
		layers: make([][]layer, n), wip: make([]wipState, n),
		started: make([]bf.Qty, n), good: make([]bf.Qty, n), scrapped: make([]bf.Qty, n),
		sold: make([]bf.Qty, n), counted: make([]bf.Qty, n), issued: make([][]bf.Qty, n), endPct: make([]pcts, n),
	}
	for i := range a.issued {
		a.issued[i] = make([]bf.Qty, len(s.direct[i]))
	}
	for i := range a.wip {
		a.wip[i].matPct = hundredPct
	}
	return a
}

// clone copies the carried state (layers and WIP) for a close to rewrite;
// the period's flows start again at zero.
func (a *actualState) clone(s *Standards) *actualState {
	c := newActualState(s)
	for i := range a.layers {
		c.layers[i] = append([]layer(nil), a.layers[i]...)
	}
	copy(c.wip, a.wip)
	c.notes = a.notes[:len(a.notes):len(a.notes)]
	c.reports = a.reports[:len(a.reports):len(a.reports)]
	return c
}

// actual posts an event in an actual-cost book.
func (l *Ledger) actual(b *Book, p *posting) {
	e := p.ev
	switch e.Type {
	case bf.Purchase:
		paid := b.extend(e.Qty, e.UnitCost, p.scale)
		b.begin(p.idx, bf.EntryReceipt)
		b.line(bf.Materials, paid, e.Qty, p.item, -1)
		b.line(bf.AccountsPayable, -paid, 0, p.item, -1)
		b.end()
		// A deficit left by an earlier shortfall is filled first: the units
		// used then at standard cost what this purchase paid.
		layers := b.act.layers[p.item]
		if len(layers) > 0 && layers[0].qty < 0 {
			if up := fillTrueUp(layers[0], layer{e.Qty, paid}); up != 0 {
				b.begin(p.idx, bf.EntryActual)
				b.line(bf.COGS, up, 0, p.item, -1)
				b.line(bf.Materials, -up, 0, p.item, -1)
				b.end()
			}
		}
	case bf.ConversionCost:
		conversionIncurred(b, p)
	case bf.Expense:
		periodExpense(b, p)
	case bf.Sale:
		revenue(b, p)
	case bf.Close:
		l.closeActual(b, p)
		// What of the pools no work absorbed is a cost of the period: it
		// goes to COGS, never onto layers that do not carry it.
		l.closePeriod(b, p, bf.COGS, bf.COGS)
		l.lcnrvClose(b, p)
	}
}

// fillTrueUp returns what an inflow's cost for the units filling a deficit
// exceeds the standard value the deficit was booked at.
func fillTrueUp(deficit, in layer) bf.Money {
	f := min(in.qty, -deficit.qty)
	if f <= 0 || in.qty <= 0 {
		return 0
	}
	cost := part(in.val, f, in.qty)
	booked := part(-deficit.val, f, -deficit.qty)
	return cost - booked
}

// part returns val × q / of, rounded half to even; of must be non-zero.
func part(val bf.Money, q, of bf.Qty) bf.Money {
	if q == of {
		return val
	}
	return bf.Money(mulDivRound(int64(val), int64(q), int64(of)))
}

// mulDivRound returns a×b/d rounded half to even; results beyond int64 are
// not expected for quantities and values that were accepted one by one.
func mulDivRound(a, b, d int64) int64 {
	v, _ := bf.MulDiv(a, b, d)
	return v
}

// addLayer adds an inflow to an item's layers, filling a deficit first.
func addLayer(ls []layer, in layer) []layer {
	if in.qty <= 0 {
		return ls
	}
	if len(ls) > 0 && ls[0].qty < 0 {
		var d layer
		d, in = fillDeficit(ls[0], in)
		if d.qty == 0 {
			ls = ls[1:]
		} else {
			ls[0] = d
		}
		if in.qty == 0 {
			return ls
		}
	}
	return append(ls, in)
}

// fillDeficit fills deficit d (negative units) from inflow in (positive):
// the deficit and the inflow left. The units filled cost what the inflow
// paid for them and leave the deficit at the value it was booked at.
func fillDeficit(d, in layer) (layer, layer) {
	f := min(in.qty, -d.qty)
	cost := part(in.val, f, in.qty)
	booked := part(-d.val, f, -d.qty)
	d.qty += f
	d.val += booked
	in.qty -= f
	in.val -= cost
	return d, in
}

// actualFits reports whether an actual-cost book's state stays within the
// limits with the event (limits.go): every flow of the period an item
// counts within bf.MaxStock, and the layers an item carries within
// bf.MaxStock and bf.MaxBalance, their units and values counted without
// sign (so that any part of them, a deficit or the layers on hand, is
// within too); after a close, its work in process too. When it does not,
// b.over says what.
func (l *Ledger) actualFits(b *Book, p *posting) bool {
	a := b.act
	if a == nil {
		return true
	}
	if n := b.pendAct; n != nil { // a close: its new state
		for i := range n.layers {
			q, v := layerSums(n.layers[i])
			w := n.wip[i]
			if q > bf.MaxStock || v > bf.MaxBalance || !within(w.units, w.mat, w.conv) {
				b.over = overrun{what: overLayers, item: int32(i)}
				return false
			}
		}
		return true
	}
	e := p.ev
	ok := true
	flow := func(have []bf.Qty, i int32, q bf.Qty) {
		if _, fits := bf.AddStock(have[i], q); !fits && ok {
			ok, b.over = false, overrun{what: overFlow, item: i}
		}
	}
	issued := func() {
		for k, c := range p.comps {
			if _, fits := bf.AddStock(a.issued[p.item][k], c); !fits && ok {
				ok, b.over = false, overrun{what: overFlow, item: l.Std.direct[p.item][k].Item}
			}
		}
	}
	switch e.Type {
	case bf.Purchase:
		paid, _ := bf.Extend(e.Qty, e.UnitCost, p.scale) // fits: the book's receipt checked it
		ls, in := a.layers[p.item], layer{e.Qty, paid}
		q, v := layerSums(ls)
		if len(ls) > 0 && ls[0].qty < 0 {
			var d layer
			d, in = fillDeficit(ls[0], in)
			q, v = q-abs(ls[0].qty)+abs(d.qty), v-abs(ls[0].val)+abs(d.val)
		}
		if in.qty > 0 {
			q, v = q+in.qty, v+abs(in.val)
		}
		if q > bf.MaxStock || v > bf.MaxBalance {
			ok, b.over = false, overrun{what: overLayers, item: p.item}
		}
	case bf.Start:
		flow(a.started, p.item, e.Qty)
		issued()
	case bf.Complete:
		flow(a.started, p.item, p.extra)
		issued()
		flow(a.good, p.item, e.Qty)
		flow(a.scrapped, p.item, e.ScrapQty)
	case bf.Sale:
		flow(a.sold, p.item, e.Qty)
	case bf.Count:
		flow(a.counted, p.item, p.diff)
	}
	return ok
}

// layerSums adds up the units and the values of an item's layers without
// their signs. The layers are within the limits (actualFits), and an
// inflow or a deficit's change adds at most a few times them: no sum here
// wraps.
func layerSums(ls []layer) (bf.Qty, bf.Money) {
	var q bf.Qty
	var v bf.Money
	for _, x := range ls {
		q += abs(x.qty)
		v += abs(x.val)
	}
	return q, v
}

// within reports whether units in process and their values are within the
// limits.
func within(units bf.Qty, vals ...bf.Money) bool {
	if units > bf.MaxStock || units < -bf.MaxStock {
		return false
	}
	for _, v := range vals {
		if v > bf.MaxBalance || v < -bf.MaxBalance {
			return false
		}
	}
	return true
}

func abs[T bf.Qty | bf.Money](v T) T {
	if v < 0 {
		return -v
	}
	return v
}

// absorbActual counts an event's physical flows once it is committed.
func (a *actualState) absorb(p *posting, scale int) {
	e := p.ev
	switch e.Type {
	case bf.Purchase:
		paid, _ := bf.Extend(e.Qty, e.UnitCost, scale)
		a.layers[p.item] = addLayer(a.layers[p.item], layer{e.Qty, paid})
	case bf.Start:
		a.started[p.item] += e.Qty
		for i, c := range p.comps {
			a.issued[p.item][i] += c
		}
	case bf.Complete:
		a.started[p.item] += p.extra
		for i, c := range p.comps {
			a.issued[p.item][i] += c
		}
		a.good[p.item] += e.Qty
		a.scrapped[p.item] += e.ScrapQty
	case bf.Sale:
		a.sold[p.item] += e.Qty
	case bf.Count:
		a.counted[p.item] += p.diff
	case bf.WIPCount:
		a.endPct[p.item] = pcts{e.MaterialsPct, e.ConversionPct, true}
	}
}

// consume takes q units out of layers by the basis and returns their value
// and the layers left. Units beyond what the layers hold are valued at std
// and left as a deficit layer. ok is false when a value does not fit.
//
// The layers an item carries add up within the limits (actualFits), and so
// do the parts taken from them: only the deficit's value, q at std, can
// overflow, and it is checked.
func consume(ls []layer, q bf.Qty, basis bf.Basis, std bf.Cost, scale int) (_ []layer, _ bf.Money, ok bool) {
	if q <= 0 {
		return ls, 0, true
	}
	var val bf.Money
	switch basis {
	case bf.BasisWeightedAverage:
		var hq bf.Qty
		var hv bf.Money
		for _, x := range ls {
			hq += x.qty
			hv += x.val
		}
		if hq > 0 {
			t := min(q, hq)
			v := part(hv, t, hq)
			val += v
			q -= t
			ls = ls[:0]
			if hq-t > 0 {
				ls = append(ls, layer{hq - t, hv - v})
			}
		}
	default: // FIFO
		for q > 0 && len(ls) > 0 && ls[0].qty > 0 {
			x := ls[0]
			t := min(q, x.qty)
			v := part(x.val, t, x.qty)
			val += v
			q -= t
			x.qty -= t
			x.val -= v
			if x.qty == 0 {
				ls = ls[1:]
			} else {
				ls[0] = x
			}
		}
	}
	if q > 0 {
		v, ok := bf.Extend(q, std, scale)
		if !ok || v > bf.MaxBalance {
			return ls, 0, false
		}
		val += v
		if len(ls) > 0 && ls[0].qty < 0 {
			ls[0].qty -= q
			ls[0].val -= v
		} else {
			ls = append([]layer{{-q, -v}}, ls...)
		}
	}
	return ls, val, true
}

// outflow is one use of an item's stock at close.
type outflow struct {
	acct   bf.Account // debited: WIP (a parent), COGS, scrap loss, usage variance
	item   int32      // the parent for WIP, else the item itself
	path   int32
	qty    bf.Qty
	parent int32 // the parent whose materials grow, or -1
}

// closeActual costs the period of an actual-cost book and posts the result
// as entries of the close event. The new carried state is committed with
// the event (see Book.commit).
func (l *Ledger) closeActual(b *Book, p *posting) {
	s, a, scope, sc := l.Std, b.act, b.Config.Scope, p.scale
	next := a.clone(s)
	n := s.NumItems()
	matAdded := make([]bf.Money, n)
	convAdded := make([]bf.Money, n)

	// consumers lists, per item, the parents' uses of it.
	type use struct {
		parent int32
		k      int
	}
	consumers := make([][]use, n)
	for i := range s.direct {
		for k, u := range s.direct[i] {
			consumers[u.Item] = append(consumers[u.Item], use{int32(i), k})
		}
	}

	// The physical period of every made item, and its degree of completion.
	type period struct {
		begin, started, completed, end bf.Qty
		endPct                         pcts
		eu                             bf.Qty // FIFO equivalent units of conversion work this period
	}
	per := make([]period, n)
	for _, i := range s.order {
		it := s.Item(i)
		if it.Kind != bf.Assembly && it.Kind != bf.Finished {
			continue
		}
		w := a.wip[i]
		pd := period{begin: w.units, started: a.started[i], completed: a.good[i] + a.scrapped[i]}
		pd.end = pd.begin + pd.started - pd.completed
		pd.endPct = a.endPct[i]
		if !pd.endPct.set {
			pd.endPct = pcts{mat: hundredPct, conv: 0, set: pd.end == 0}
			if pd.end != 0 {
				next.notes = append(next.notes, "period "+strconv.Itoa(l.Period(p.idx))+": "+it.ID+
					": no wip_count; "+pd.end.String()+" units in process taken as materials 100%, conversion 0%")
			}
		}
		finishBegin := min(pd.begin, pd.completed)
		eu := pctQty(finishBegin, hundredPct-w.convPct) + (pd.completed - finishBegin) + pctQty(pd.end, pd.endPct.conv)
		pd.eu = max(eu, 0)
		per[i] = pd
	}

	// The period's actual conversion, allocated over the work done at
	// standard rates: variable pool by variable rates, fixed by fixed.
	var vPool, fPool bf.Money
	if scope.InventoriesVariable() {
		vPool = b.bal[bf.ConversionControl]
	}
	if scope.InventoriesFixed() {
		fPool = b.bal[bf.FixedOverheadControl]
	}
	wv, wf, wu := make([]bf.Money, n), make([]bf.Money, n), make([]bf.Money, n)
	for i := range per {
		if per[i].eu == 0 {
			continue
		}
		var ok1, ok2 bool
		wv[i], ok1 = bf.Extend(per[i].eu, s.own[i]-s.ownFix[i], 6)
		wf[i], ok2 = bf.Extend(per[i].eu, s.ownFix[i], 6)
		if !ok1 || !ok2 {
			b.bad = true // a weight beyond the range would misallocate the pools
			return
		}
		wu[i] = bf.Money(per[i].eu)
	}
	allocate := func(pool bf.Money, w []bf.Money, ctl bf.Account) {
		if pool == 0 {
			return
		}
		if isZero(w) {
			w = wu // no standard rates: spread by units of work
		}
		if isZero(w) {
			return // nothing made: the pool stays, closed to COGS as under-allocated
		}
		out := make([]bf.Money, n)
		if !bf.Apportion(pool, w, out) {
			b.bad = true
			return
		}
		b.begin(p.idx, bf.EntryActualConversion)
		// The shares add up to the pool, a balance: total is exact, and an
		// item's conversion added is at most one share of each pool.
		var total bf.Money
		for i, v := range out {
			if v != 0 {
				b.line(bf.WIP, v, per[i].eu, int32(i), -1)
				convAdded[i] += v
				total += v
			}
		}
		b.line(ctl, -total, 0, -1, -1)
		b.end()
	}

	allocated := false
	for _, i := range s.order {
		it := s.Item(i)
		switch it.Kind {
		case bf.Phantom:
			continue
		case bf.Assembly, bf.Finished:
			if !allocated {
				// Materials have been costed (components come first in
				// order); conversion goes in before the first made item.
				allocate(vPool, wv, bf.ConversionControl)
				allocate(fPool, wf, bf.FixedOverheadControl)
				allocated = true
			}
			l.costMade(b, p, next, i, per[i].begin, per[i].started, per[i].completed, per[i].end, per[i].endPct, matAdded[i], convAdded[i])
		}
		// Uses of the item's stock: parents' issues, sales, shortages.
		var outs []outflow
		for _, c := range consumers[i] {
			if q := a.issued[c.parent][c.k]; q != 0 {
				outs = append(outs, outflow{acct: bf.WIP, item: c.parent, path: s.direct[c.parent][c.k].Path, qty: q, parent: c.parent})
			}
		}
		if q := a.sold[i]; q != 0 {
			outs = append(outs, outflow{acct: bf.COGS, item: i, path: -1, qty: q, parent: -1})
		}
		if d := a.counted[i]; d < 0 {
			outs = append(outs, outflow{acct: bf.MaterialUsageVariance, item: i, path: -1, qty: -d, parent: -1})
		}
		stock := stockAccount(s, i)
		if d := a.counted[i]; d > 0 {
			// A surplus joins the layers at their average cost (standard
			// when there is none): it was there all along, unrecorded.
			v, ok := averageValue(next.layers[i], d, s.RolledFor(i, scope), sc)
			if !ok {
				b.bad = true
				return
			}
			next.layers[i] = addLayer(next.layers[i], layer{d, v})
			b.begin(p.idx, bf.EntryCount)
			b.line(stock, v, d, i, -1)
			b.line(bf.MaterialUsageVariance, -v, -d, i, -1)
			b.end()
		}
		if len(outs) == 0 {
			continue
		}
		// The outflows are each a flow of the period, within bf.MaxStock
		// (actualFits); their sum over any number of parents is checked.
		var q bf.Qty
		for _, o := range outs {
			var ok bool
			if q, ok = addQty(q, o.qty); !ok {
				b.bad = true
				return
			}
		}
		var val bf.Money
		var ok bool
		next.layers[i], val, ok = consume(next.layers[i], q, b.Config.Basis, s.RolledFor(i, scope), sc)
		if !ok {
			b.bad = true
			return
		}
		w := make([]bf.Money, len(outs))
		for k, o := range outs {
			w[k] = bf.Money(o.qty)
		}
		shares := make([]bf.Money, len(outs))
		if !bf.Apportion(val, w, shares) {
			b.bad = true
			return
		}
		b.begin(p.idx, bf.EntryActualIssue)
		for k, o := range outs {
			b.line(o.acct, shares[k], o.qty, o.item, o.path)
			if o.parent >= 0 {
				// Components from any number of items: checked.
				if matAdded[o.parent], ok = bf.AddBalance(matAdded[o.parent], shares[k]); !ok {
					b.bad = true
					return
				}
			}
		}
		b.line(stock, -val, -q, i, -1)
		b.end()
	}
	b.pendAct = next
}

// costMade runs process costing for one made item's period and moves the
// cost of its completed units out of WIP: good units to their stock layers
// (finished goods, or sub-assembly stock kept in WIP), scrapped units to
// scrap loss.
func (l *Ledger) costMade(b *Book, p *posting, next *actualState, i int32, begin, started, completed, end bf.Qty, endPct pcts, matAdded, convAdded bf.Money) {
	s, a := l.Std, b.act
	w := a.wip[i]
	if begin == 0 && started == 0 && completed == 0 && w.mat == 0 && w.conv == 0 && matAdded == 0 && convAdded == 0 {
		return
	}
	method := process.FIFO
	if b.Config.Basis == bf.BasisWeightedAverage {
		method = process.WeightedAverage
	}
	if method == process.FIFO && completed < begin {
		// FIFO assumes beginning WIP is finished first; when it was not,
		// the period is averaged instead, and the report says so.
		method = process.WeightedAverage
		next.notes = append(next.notes, "period "+strconv.Itoa(l.Period(p.idx))+": "+s.Item(i).ID+
			": fewer units completed than were in process at the start; costed by weighted average")
	}
	pd := &process.Period{BeginUnits: begin, Started: started, Completed: completed, EndUnits: end, Scale: p.scale,
		Elements: []process.Element{
			{Name: "materials", BeginPct: w.matPct, BeginCost: w.mat, Added: matAdded, EndPct: endPct.mat},
			{Name: "conversion", BeginPct: w.convPct, BeginCost: w.conv, Added: convAdded, EndPct: endPct.conv},
		}}
	if begin == 0 {
		pd.Elements[0].BeginPct, pd.Elements[1].BeginPct = 0, 0
	}
	r, err := process.Cost(pd, method)
	if err != nil {
		// Costs with no units to carry them (say, materials issued for units
		// all lost): they leave WIP as scrap rather than stay stranded.
		left := w.mat + w.conv + matAdded + convAdded
		b.begin(p.idx, bf.EntryScrap)
		b.line(bf.ScrapLoss, left, 0, i, -1)
		b.line(bf.WIP, -left, 0, i, -1)
		b.end()
		next.wip[i] = wipState{units: end, matPct: hundredPct}
		next.notes = append(next.notes, "period "+strconv.Itoa(l.Period(p.idx))+": "+s.Item(i).ID+": "+err.Error())
		return
	}
	next.wip[i] = wipState{units: end, mat: r.Elements[0].EndingWIP, conv: r.Elements[1].EndingWIP,
		matPct: endPct.mat, convPct: endPct.conv}
	next.reports = append(next.reports, ProcessReport{Period: l.Period(p.idx), Item: s.Item(i).ID, Method: method, Input: *pd, Result: r})
	good, scrap := a.good[i], a.scrapped[i]
	var shares [2]bf.Money
	if !bf.Apportion(r.TransferredOut, []bf.Money{bf.Money(good), bf.Money(scrap)}, shares[:]) {
		b.bad = true
		return
	}
	if scrap > 0 {
		b.begin(p.idx, bf.EntryScrap)
		b.line(bf.ScrapLoss, shares[1], scrap, i, -1)
		b.line(bf.WIP, -shares[1], -scrap, i, -1)
		b.end()
	}
	if good > 0 {
		b.begin(p.idx, bf.EntryManufactured)
		b.line(stockAccount(s, i), shares[0], good, i, -1)
		b.line(bf.WIP, -shares[0], -good, i, -1)
		b.end()
		next.layers[i] = addLayer(next.layers[i], layer{good, shares[0]})
	}
}

// averageValue values q units at the average cost of the layers on hand, or
// at std when they hold nothing; ok is false when a value does not fit.
// The layers on hand are those of an item, besides a deficit: their sums
// are within the limits with the deficit's, and so without it.
func averageValue(ls []layer, q bf.Qty, std bf.Cost, scale int) (bf.Money, bool) {
	var hq bf.Qty
	var hv bf.Money
	for _, x := range ls {
		if x.qty > 0 {
			hq += x.qty
			hv += x.val
		}
	}
	if hq > 0 {
		v, ok := bf.MulDiv(int64(hv), int64(q), int64(hq))
		return bf.Money(v), ok && bf.Money(v) <= bf.MaxBalance && bf.Money(v) >= -bf.MaxBalance
	}
	v, ok := bf.Extend(q, std, scale)
	return v, ok && v <= bf.MaxBalance
}

// addQty returns a+b, and false when the sum does not fit.
func addQty(a, b bf.Qty) (bf.Qty, bool) {
	v, ok := bf.AddMoney(bf.Money(a), bf.Money(b))
	return bf.Qty(v), ok
}

// pctQty returns q × pct/100, rounded half to even.
func pctQty(q bf.Qty, pct bf.Pct) bf.Qty {
	return bf.Qty(mulDivRound(int64(q), int64(pct), int64(hundredPct)))
}

func isZero(w []bf.Money) bool {
	for _, v := range w {
		if v != 0 {
			return false
		}
	}
	return true
}
