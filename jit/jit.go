// Package jit computes the non-financial measures of a just-in-time plant
// from a simulation run: supplier and customer on-time delivery, rejected
// parts, order lead time and manufacturing cycle time, manufacturing cycle
// efficiency, defects and first-pass yield, inventory per stage over time,
// inventory turns and days of supply, and stock-outs per kanban loop.
//
// Durations are whole working minutes; money is fixed-point (bf.Money) at
// standard cost. Ratios (percentages, yields, turns) are float64: they are
// shown, never summed into an amount. The formulas are in docs/jit.md.
package jit

import (
	"math"
	"math/bits"
	"sort"
	"strconv"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/sim"
)

// Valuer returns the standard cost of one unit of an item (an index into
// the plant's items), all levels rolled up: what the sequential book holds
// it at. Pass costing.Standards.Rolled.
type Valuer func(item int) bf.Cost

// Durations summarises a set of durations in working minutes.
type Durations struct {
	N    int   `json:"n"`    // how many
	Mean int64 `json:"mean"` // rounded half up
	P95  int64 `json:"p95"`  // nearest rank: the smallest value at or above 95% of the set
	Max  int64 `json:"max"`  // the longest
}

// Summarize computes the summary of a set of durations (it sorts d).
func Summarize(d []int64) Durations {
	if len(d) == 0 {
		return Durations{}
	}
	sort.Slice(d, func(a, b int) bool { return d[a] < d[b] })
	// Durations of a run (sim.Options: at most 100 years of days of at
	// most 1440 minutes) add up far within int64, however many.
	var sum int64
	for _, v := range d {
		sum += v
	}
	n := int64(len(d))
	rank := (95*n + 99) / 100 // ceil(0.95 n)
	return Durations{N: len(d), Mean: (2*sum + n) / (2 * n), P95: d[rank-1], Max: d[len(d)-1]}
}

// Ratio is a share with its counts: Num of Den. It is n/a, not 100% or 0,
// when nothing was counted (Den is zero).
type Ratio struct{ Num, Den int64 }

// Valid reports whether the ratio has a denominator.
func (r Ratio) Valid() bool { return r.Den > 0 }

// Value is Num ÷ Den, 0 when the ratio is n/a (check Valid).
func (r Ratio) Value() float64 {
	if r.Den <= 0 {
		return 0
	}
	return float64(r.Num) / float64(r.Den)
}

// Pct formats the ratio as a percentage with the given decimals, or "n/a".
func (r Ratio) Pct(decimals int) string {
	if !r.Valid() {
		return "n/a"
	}
	return strconv.FormatFloat(100*r.Value(), 'f', decimals, 64) + "%"
}

// Maybe is a derived figure that may be n/a: OK is false when its
// denominator is empty.
type Maybe struct {
	V  float64
	OK bool
}

// Format formats the figure with the given decimals, or "n/a".
func (f Maybe) Format(decimals int) string {
	if !f.OK {
		return "n/a"
	}
	return strconv.FormatFloat(f.V, 'f', decimals, 64)
}

// LatenessBuckets are the upper bounds, in working minutes late, of the
// lateness distribution's classes; a last class holds the later ones and
// the deliveries due and still missing at the end.
var LatenessBuckets = []int64{0, 60, 240, 480}

// LatenessLabels name the classes of Supplier.Lateness.
var LatenessLabels = []string{"on time", "1–60 min late", "61–240 min late", "241–480 min late", "over 480 min late or missing"}

// Supplier is one supplier's delivery record.
type Supplier struct {
	ID, Name string // as in the plant file
	// Deliveries are the trucks arrived, or due and still missing at the
	// end; Replacements of them replaced rejected parts.
	Deliveries, Replacements int
	// Kanbans are the supplier kanbans due by the end of the run; OTIF
	// those whose every part was accepted by the kanban's first due time
	// (sent plus lead time): a replacement of rejected parts is late for it.
	Kanbans, OTIF int
	// Lateness counts the deliveries per class of LatenessLabels, by their
	// own due time; LateMinutes summarises the late ones.
	Lateness    []int
	LateMinutes Durations
	Shipped     bf.Qty // parts shipped
	Rejected    bf.Qty // parts refused at receiving inspection
	// DeliveriesPerDay is the mean number of deliveries a working day (the
	// frequency of the milk run).
	DeliveriesPerDay float64
}

// OnTimeInFull is the share of kanbans filled in full by their first due time.
func (s *Supplier) OnTimeInFull() Ratio { return Ratio{int64(s.OTIF), int64(s.Kanbans)} }

// RejectedPPM is the parts rejected per million shipped.
func (s *Supplier) RejectedPPM() int64 { return ppm(int64(s.Rejected), int64(s.Shipped)) }

// Process is one process's quality and load.
type Process struct {
	ID, Name             string // as in the plant file
	Started, Good, Scrap int64  // units
	// Busy is the minutes the line entry was occupied within the run, of
	// Available working minutes: busy time is booked as it is spent, so a
	// batch still entering the line at the end counts only to the end.
	Busy, Available int64
	// Pulls are the andon pulls (a defect stopped the line) and
	// StopMinutes the minutes it stood for them within the run.
	Pulls       int
	StopMinutes int64
}

// FirstPassYield is the share of units finished good the first time, n/a
// when nothing came off the line.
func (p *Process) FirstPassYield() Ratio { return Ratio{p.Good, p.Good + p.Scrap} }

// Utilisation is the share of the run's working minutes the line entry was
// occupied; never above 100%.
func (p *Process) Utilisation() Ratio { return Ratio{p.Busy, p.Available} }

// Loop is one kanban loop's service and stock.
type Loop struct {
	Item      string // the item the loop replenishes
	Cards     int    // containers in the loop
	Container bf.Qty // units a container holds
	// Stockouts are the times a process could not start for lack of the
	// loop's parts; StockoutMinutes runs from the minute the loop could not
	// serve the batch to the minute it could, a wait still open at the end
	// counted to the end.
	Stockouts       int
	StockoutMinutes int64
	OpenWaits       int    // stock-outs still open at the end
	AvgOnHand       bf.Qty // mean of the day-end stocks
	MaxOnHand       bf.Qty // highest day-end stock
	Special         bf.Qty // replaced under special kanban (rejects and scrap)
}

// Stage is a place inventory sits, for the inventory-over-time series.
type Stage struct {
	Name string // shown in charts
	Kind string // "materials", "supermarket", "wip" or "finished"
}

// Measures are the JIT measures of one run.
type Measures struct {
	Days       int // working days measured: the run's less the warm-up
	WarmUpDays int // the first days of the run, left out of the measures

	Suppliers    []Supplier // per supplier
	Deliveries   int        // all suppliers' (see Supplier.Deliveries)
	Replacements int        // of them, replacements of rejected parts
	Kanbans      int        // supplier kanbans due by the end
	OTIF         int        // of them, filled in full by their first due time
	Lateness     []int      // all deliveries per class of LatenessLabels
	LateMinutes  Durations  // the late deliveries' minutes late
	Shipped      bf.Qty     // parts shipped by suppliers
	Rejected     bf.Qty     // parts rejected on receipt

	// Customer orders: accepted, shipped (and of those on time), open at
	// the end (and of those already late), and booked for the next period.
	Orders, ShippedOrders, ShippedOnTime, OpenOrders, OpenLate, Deferred int
	LeadTime                                                             Durations // order to shipment, over shipped orders
	CycleTime                                                            Durations // production instruction to completion, over completed orders
	OpenAge                                                              Durations // order to the end of the run, over open orders
	// ValueAdded is the line time of the completed orders' good units;
	// CycleMinutes their order-to-completion time and LineMinutes their
	// line-start-to-completion time.
	ValueAdded, CycleMinutes, LineMinutes int64

	Processes []Process // per process
	Scrap     int64     // units scrapped in every process
	// RolledYield is the rolled first-pass yield of a vehicle of the mix:
	// per finished item, the product of the first-pass yield of every
	// process raised to the units of it one vehicle takes (BOM quantities),
	// averaged with the mix weights; n/a when a process it needs made nothing.
	RolledYield Maybe

	Loops []Loop // per kanban loop

	Stages []Stage // the columns of Inventory
	// Inventory is the value at standard of each stage at each day's end:
	// Inventory[day][stage]. Stock on hand is valued at the item's rolled-up
	// standard; units in process at the standard of the parts issued to them,
	// as the sequential book holds them.
	Inventory [][]bf.Money
	Total     []bf.Money // per day, all stages
	Backlog   []int      // per day, accepted orders not yet started
	// AverageInventory is the mean of the day-end totals; CostOfSales the
	// standard cost of the units shipped.
	AverageInventory bf.Money
	CostOfSales      bf.Money // standard cost of the units shipped
}

// SupplierOTIF is the share of supplier kanbans filled in full by their
// first due time.
func (m *Measures) SupplierOTIF() Ratio { return Ratio{int64(m.OTIF), int64(m.Kanbans)} }

// RejectedPPM is the parts rejected per million shipped by suppliers.
func (m *Measures) RejectedPPM() int64 { return ppm(int64(m.Rejected), int64(m.Shipped)) }

// CustomerOnTime is the share of orders shipped by their due time among
// those shipped or already late.
func (m *Measures) CustomerOnTime() Ratio {
	return Ratio{int64(m.ShippedOnTime), int64(m.ShippedOrders + m.OpenLate)}
}

// MCE is manufacturing cycle efficiency on the order basis: value-added
// time over the time from the order (the production instruction) to the
// vehicle in the yard, over completed orders.
func (m *Measures) MCE() Ratio { return Ratio{m.ValueAdded, m.CycleMinutes} }

// LineMCE is manufacturing cycle efficiency on the line basis: value-added
// time over the time from the vehicle's line start to the yard.
func (m *Measures) LineMCE() Ratio { return Ratio{m.ValueAdded, m.LineMinutes} }

// Turns is the inventory turnover at the run's pace for a year of 365
// days: annualised standard cost of sales over average inventory; n/a
// without inventory.
func (m *Measures) Turns() Maybe {
	if m.AverageInventory <= 0 || m.Days == 0 {
		return Maybe{}
	}
	return Maybe{float64(m.CostOfSales) / float64(m.Days) * 365 / float64(m.AverageInventory), true}
}

// DaysOfSupply is average inventory over the average day's standard cost
// of sales; n/a without sales.
func (m *Measures) DaysOfSupply() Maybe {
	if m.CostOfSales <= 0 {
		return Maybe{}
	}
	return Maybe{float64(m.AverageInventory) * float64(m.Days) / float64(m.CostOfSales), true}
}

// ppm returns n per million of d, rounded down, formed in 128 bits.
func ppm(n, d int64) int64 {
	if d <= 0 || n <= 0 {
		return 0
	}
	hi, lo := bits.Mul64(uint64(n), 1_000_000)
	if hi >= uint64(d) {
		return 0
	}
	q, _ := bits.Div64(hi, lo, uint64(d))
	return int64(q)
}

// latenessClass is the class of LatenessLabels of a delivery late by
// late minutes.
func latenessClass(late int64) int {
	for k, b := range LatenessBuckets {
		if late <= b {
			return k
		}
	}
	return len(LatenessBuckets)
}

// Compute derives the measures of a run; value prices inventory. Counts
// and minutes are bounded by the run's length; the quantities and the
// values it adds up are not, and are checked: a run whose figures do not
// fit the fixed-point range is an error, not a figure that wrapped around.
func Compute(r *sim.Result, value Valuer) (*Measures, error) {
	m := r.Model
	scale := m.Plant.Currency.Scale
	end := int64(r.Options.Days) * m.DayMinutes
	// The measures cover the minutes [from, end): the warm-up is left out.
	// Orders count by arrival, deliveries and kanbans by due time, stops
	// and waits by the minutes within, events by their minute, inventory by
	// the days after it.
	warm := r.Options.WarmUpDays
	from := int64(warm) * m.DayMinutes
	days := r.Options.Days - warm
	out := &Measures{Days: days, WarmUpDays: warm}
	ok := true
	// fit reads a checked sum, noting when it does not fit.
	fit := func(s bf.Sum) bf.Money {
		v, fits := s.Money()
		ok = ok && fits
		return v
	}
	// ext values q at c, noting an overflow.
	ext := func(q bf.Qty, c bf.Cost) bf.Money {
		v, fits := bf.Extend(q, c, scale)
		ok = ok && fits
		return v
	}

	out.Suppliers = make([]Supplier, len(m.Suppliers))
	out.Lateness = make([]int, len(LatenessLabels))
	for i, s := range m.Suppliers {
		out.Suppliers[i] = Supplier{ID: s.ID, Name: s.Name, Lateness: make([]int, len(LatenessLabels))}
	}
	shipped := make([]bf.Sum, len(m.Suppliers)*2) // shipped, rejected per supplier
	var all [2]bf.Sum
	late := make([][]int64, len(m.Suppliers))
	var allLate []int64
	for _, d := range r.Deliveries {
		s := &out.Suppliers[d.Supplier]
		switch {
		case d.Due < from:
			continue // due in the warm-up
		case d.Arrived >= 0:
			s.Deliveries++
			shipped[2*d.Supplier].Add(bf.Money(d.Qty))
			shipped[2*d.Supplier+1].Add(bf.Money(d.Rejected))
			all[0].Add(bf.Money(d.Qty))
			all[1].Add(bf.Money(d.Rejected))
			k := latenessClass(d.Arrived - d.Due)
			s.Lateness[k]++
			if d.Arrived > d.Due {
				late[d.Supplier] = append(late[d.Supplier], d.Arrived-d.Due)
				allLate = append(allLate, d.Arrived-d.Due)
			}
		case d.Due < end:
			s.Deliveries++ // due and still missing: late
			s.Lateness[len(LatenessBuckets)]++
		default:
			continue
		}
		if d.Replacement {
			s.Replacements++
		}
	}
	for _, sg := range r.Signals {
		if sg.Due < from || sg.Due >= end && (sg.Filled < 0 || sg.Filled > sg.Due) {
			continue // a parts process's kanban, a supplier's due in the warm-up or not yet due
		}
		item, _ := m.Index(m.Loops[sg.Loop].Item)
		s := &out.Suppliers[m.SupplierOf(item)]
		s.Kanbans++
		if sg.Filled >= 0 && sg.Filled <= sg.Due {
			s.OTIF++
		}
	}
	for i := range out.Suppliers {
		s := &out.Suppliers[i]
		s.Shipped, s.Rejected = bf.Qty(fit(shipped[2*i])), bf.Qty(fit(shipped[2*i+1]))
		s.LateMinutes = Summarize(late[i])
		s.DeliveriesPerDay = float64(s.Deliveries) / float64(max(days, 1))
		out.Deliveries += s.Deliveries
		out.Replacements += s.Replacements
		out.Kanbans += s.Kanbans
		out.OTIF += s.OTIF
		for k, n := range s.Lateness {
			out.Lateness[k] += n
		}
	}
	out.LateMinutes = Summarize(allLate)
	out.Shipped, out.Rejected = bf.Qty(fit(all[0])), bf.Qty(fit(all[1]))

	var lead, cycle, age []int64
	var cos bf.Sum
	for _, o := range r.Orders {
		if o.Arrival < from {
			continue // ordered in the warm-up
		}
		if !o.Accepted {
			out.Deferred++
			continue
		}
		out.Orders++
		if o.Completed >= 0 {
			cycle = append(cycle, o.Completed-o.Arrival)
			out.ValueAdded += o.ValueAdded
			out.CycleMinutes += o.Completed - o.Arrival
			out.LineMinutes += o.Completed - o.Started
		}
		if o.Shipped >= 0 {
			out.ShippedOrders++
			lead = append(lead, o.Shipped-o.Arrival)
			if o.Shipped <= o.Due {
				out.ShippedOnTime++
			}
			cos.Add(ext(bf.Units(1), value(o.Item)))
		} else {
			out.OpenOrders++
			age = append(age, end-o.Arrival)
			if o.Due < end {
				out.OpenLate++
			}
		}
	}
	out.CostOfSales = fit(cos)
	out.LeadTime, out.CycleTime, out.OpenAge = Summarize(lead), Summarize(cycle), Summarize(age)

	// Processes, from the events by their minute: units started, good
	// units delivered to the next store or the yard, units scrapped, and
	// the minutes each batch kept the line entry (qty × cycle), within the
	// window; andon stops likewise.
	for _, p := range m.Processes {
		out.Processes = append(out.Processes, Process{ID: p.ID, Name: p.Name, Available: end - from})
	}
	for k := range r.Events {
		e := &r.Events[k]
		if e.Type != bf.Start && e.Type != bf.Complete {
			continue
		}
		i, _ := m.Index(e.Item)
		pi := m.MakerOf(i)
		at := r.EventMinutes[k]
		p := &out.Processes[pi]
		units := int64(e.Qty / bf.Units(1))
		switch {
		case e.Type == bf.Start:
			// The batch keeps the entry [at, at + units × cycle).
			busy := overlap(at, at+units*m.Processes[pi].CycleMinutes, from, end)
			p.Busy += busy
			if at >= from {
				p.Started += units
			}
		case at >= from:
			p.Good += units
			p.Scrap += int64(e.ScrapQty / bf.Units(1))
		}
	}
	for _, s := range r.Stops {
		p := &out.Processes[s.Process]
		if s.From >= from && s.From < end {
			p.Pulls++
		}
		p.StopMinutes += overlap(s.From, s.To, from, end)
	}
	for i := range out.Processes {
		out.Scrap += out.Processes[i].Scrap
	}
	out.RolledYield = rolledYield(m, out.Processes)

	for li, l := range m.Loops {
		ls := r.Loops[li]
		i, _ := m.Index(l.Item)
		lm := Loop{Item: l.Item, Cards: l.Cards, Container: l.Container, Special: ls.Special}
		// A wait counts within the window: from its start (or the end of
		// the warm-up) to its end (or the end of the run when still open).
		for _, w := range r.Waits {
			if w.Loop != li {
				continue
			}
			to := w.To
			if to < 0 {
				to = end
				lm.OpenWaits++
			}
			if to > from || w.To < 0 {
				lm.Stockouts++
				lm.StockoutMinutes += overlap(w.From, to, from, end)
			}
		}
		var sum bf.Sum // exact however many days: the mean always fits
		for _, s := range r.Daily[warm:] {
			sum.Add(bf.Money(s.OnHand[i]))
			lm.MaxOnHand = max(lm.MaxOnHand, s.OnHand[i])
		}
		if n := len(r.Daily) - warm; n > 0 {
			avg, _ := sum.Div(int64(n))
			lm.AvgOnHand = bf.Qty(avg)
		}
		out.Loops = append(out.Loops, lm)
	}

	stageOf := stages(m, out)
	wipValue := make([]bf.Cost, len(m.Plant.Items)) // parts issued per unit in process
	for i := range m.Plant.Items {
		var per bf.Sum
		for _, u := range m.Direct(i) {
			c, fits := bf.MulCost(u.Per, value(u.Item))
			ok = ok && fits
			per.Add(bf.Money(c))
		}
		wipValue[i] = bf.Cost(fit(per))
	}
	var sum bf.Sum // exact however many days: the mean always fits
	for d, s := range r.Daily {
		row := make([]bf.Sum, len(out.Stages))
		var total bf.Sum
		for i, it := range m.Plant.Items {
			if it.Kind == bf.Phantom {
				continue
			}
			st := stageOf[i]
			if q := s.OnHand[i]; q != 0 {
				v := ext(q, value(i))
				row[st.store].Add(v)
				total.Add(v)
			}
			if q := s.InProcess[i]; q != 0 {
				v := ext(q, wipValue[i])
				row[st.wip].Add(v)
				total.Add(v)
			}
		}
		vals := make([]bf.Money, len(row))
		for k := range row {
			vals[k] = fit(row[k])
		}
		t := fit(total)
		out.Inventory = append(out.Inventory, vals)
		out.Total = append(out.Total, t)
		out.Backlog = append(out.Backlog, s.Backlog)
		if d >= warm {
			sum.Add(t)
		}
	}
	if n := len(r.Daily) - warm; n > 0 {
		out.AverageInventory, _ = sum.Div(int64(n))
	}
	if !ok {
		return nil, bf.E("jit measures", bf.KindInvalid,
			"the run's quantities or values at standard pass the fixed-point range: a smaller plant, fewer days or lower costs")
	}
	return out, nil
}

// overlap is the length of [a, b) within [lo, hi).
func overlap(a, b, lo, hi int64) int64 {
	return max(0, min(b, hi)-max(a, lo))
}

// stageIndex says where an item's stock and work in process are shown.
type stageIndex struct{ store, wip int }

// stages lays out the stages: purchased parts, each parts process's
// supermarket, each process's work in process, finished goods.
func stages(m *sim.Model, out *Measures) []stageIndex {
	idx := make([]stageIndex, len(m.Plant.Items))
	add := func(name, kind string) int {
		out.Stages = append(out.Stages, Stage{Name: name, Kind: kind})
		return len(out.Stages) - 1
	}
	materials := add("Purchased parts", "materials")
	market := make([]int, len(m.Processes))
	for pi, p := range m.Processes {
		market[pi] = -1
		for _, id := range p.Makes {
			if i, _ := m.Index(id); m.Plant.Items[i].Kind == bf.Assembly {
				market[pi] = add(name(p)+" supermarket", "supermarket")
				break
			}
		}
	}
	wip := make([]int, len(m.Processes))
	for pi, p := range m.Processes {
		wip[pi] = add(name(p)+" WIP", "wip")
	}
	finished := add("Finished goods", "finished")
	for i, it := range m.Plant.Items {
		switch it.Kind {
		case bf.Material:
			idx[i].store = materials
		case bf.Assembly:
			idx[i].store = market[m.MakerOf(i)]
		case bf.Finished:
			idx[i].store = finished
		}
		if p := m.MakerOf(i); p >= 0 {
			idx[i].wip = wip[p]
		}
	}
	return idx
}

func name(p sim.Process) string {
	if p.Name != "" {
		return p.Name
	}
	return p.ID
}

// rolledYield is the mix-weighted rolled first-pass yield: for each
// finished item, the product over processes of their first-pass yield
// raised to the units of their make one unit takes (its BOM quantities
// through stocked assemblies).
func rolledYield(m *sim.Model, procs []Process) Maybe {
	var sum, weights float64
	for _, me := range m.Demand.Mix {
		f, _ := m.Index(me.Item)
		units := make([]float64, len(m.Processes)) // per process: units per unit of f
		var walk func(i int, q float64)
		walk = func(i int, q float64) {
			if p := m.MakerOf(i); p >= 0 {
				units[p] += q
				for _, u := range m.Direct(i) {
					walk(u.Item, q*float64(u.Per)/float64(bf.Units(1)))
				}
			}
		}
		walk(f, 1)
		y := 1.0
		for p, q := range units {
			if q == 0 {
				continue
			}
			fpy := procs[p].FirstPassYield()
			if !fpy.Valid() {
				return Maybe{}
			}
			y *= math.Pow(fpy.Value(), q)
		}
		sum += float64(me.Weight) * y
		weights += float64(me.Weight)
	}
	if weights == 0 {
		return Maybe{}
	}
	return Maybe{sum / weights, true}
}
