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
	"math/bits"
	"sort"

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

// Supplier is one supplier's delivery record.
type Supplier struct {
	ID, Name   string // as in the plant file
	Deliveries int    // arrived, or due and still missing at the end
	OnTime     int    // arrived by their due time
	Shipped    bf.Qty // parts shipped
	Rejected   bf.Qty // parts refused at receiving inspection
}

// OnTimePct is the share of deliveries on time, in percent.
func (s *Supplier) OnTimePct() float64 { return pct(s.OnTime, s.Deliveries) }

// RejectedPPM is the parts rejected per million shipped.
func (s *Supplier) RejectedPPM() int64 { return ppm(int64(s.Rejected), int64(s.Shipped)) }

// Process is one process's quality and load.
type Process struct {
	ID, Name             string // as in the plant file
	Started, Good, Scrap int64  // units
	// Utilisation is the share of the run's working minutes the line entry
	// was occupied.
	Utilisation float64
}

// FirstPassYield is the share of units finished good the first time.
func (p *Process) FirstPassYield() float64 {
	if p.Good+p.Scrap == 0 {
		return 1
	}
	return float64(p.Good) / float64(p.Good+p.Scrap)
}

// Loop is one kanban loop's service and stock.
type Loop struct {
	Item            string // the item the loop replenishes
	Cards           int    // containers in the loop
	Container       bf.Qty // units a container holds
	Stockouts       int    // times a process could not start for lack of its parts
	StockoutMinutes int64  // minutes processes waited for them
	AvgOnHand       bf.Qty // mean of the day-end stocks
	MaxOnHand       bf.Qty // highest day-end stock
}

// Stage is a place inventory sits, for the inventory-over-time series.
type Stage struct {
	Name string // shown in charts
	Kind string // "materials", "supermarket", "wip" or "finished"
}

// Measures are the JIT measures of one run.
type Measures struct {
	Days int // working days of the run

	Suppliers  []Supplier // per supplier
	Deliveries int        // all suppliers' (see Supplier.Deliveries)
	OnTime     int        // all suppliers' deliveries on time
	Shipped    bf.Qty     // parts shipped by suppliers
	Rejected   bf.Qty     // parts rejected on receipt

	// Customer orders: accepted, shipped (and of those on time), open at
	// the end (and of those already late), and booked for the next period.
	Orders, ShippedOrders, ShippedOnTime, OpenOrders, OpenLate, Deferred int
	LeadTime                                                             Durations // order to shipment
	CycleTime                                                            Durations // production instruction to completion
	ValueAdded, CycleMinutes                                             int64     // summed over completed orders

	Processes []Process // per process
	Scrap     int64     // units scrapped in every process

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

// SupplierOnTimePct is the share of supplier deliveries on time, in percent.
func (m *Measures) SupplierOnTimePct() float64 { return pct(m.OnTime, m.Deliveries) }

// RejectedPPM is the parts rejected per million shipped by suppliers.
func (m *Measures) RejectedPPM() int64 { return ppm(int64(m.Rejected), int64(m.Shipped)) }

// CustomerOnTimePct is the share of orders shipped by their due time among
// those shipped or already late, in percent.
func (m *Measures) CustomerOnTimePct() float64 {
	return pct(m.ShippedOnTime, m.ShippedOrders+m.OpenLate)
}

// MCE is manufacturing cycle efficiency: value-added time over cycle time.
func (m *Measures) MCE() float64 {
	if m.CycleMinutes == 0 {
		return 0
	}
	return float64(m.ValueAdded) / float64(m.CycleMinutes)
}

// FirstPassYield is the rolled first-pass yield: the product of the
// processes' yields, the chance a vehicle's parts and the vehicle itself
// all come out right the first time.
func (m *Measures) FirstPassYield() float64 {
	y := 1.0
	for i := range m.Processes {
		y *= m.Processes[i].FirstPassYield()
	}
	return y
}

// Turns is the inventory turnover at the run's pace for a year of 365
// days: annualised standard cost of sales over average inventory. Zero when
// there was no inventory.
func (m *Measures) Turns() float64 {
	if m.AverageInventory <= 0 || m.Days == 0 {
		return 0
	}
	return float64(m.CostOfSales) / float64(m.Days) * 365 / float64(m.AverageInventory)
}

// DaysOfSupply is average inventory over the average day's standard cost
// of sales.
func (m *Measures) DaysOfSupply() float64 {
	if m.CostOfSales <= 0 {
		return 0
	}
	return float64(m.AverageInventory) * float64(m.Days) / float64(m.CostOfSales)
}

func pct(n, d int) float64 {
	if d == 0 {
		return 100
	}
	return 100 * float64(n) / float64(d)
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

// Compute derives the measures of a run; value prices inventory. Counts
// and minutes are bounded by the run's length; the quantities and the
// values it adds up are not, and are checked: a run whose figures do not
// fit the fixed-point range is an error, not a figure that wrapped around.
func Compute(r *sim.Result, value Valuer) (*Measures, error) {
	m := r.Model
	scale := m.Plant.Currency.Scale
	end := int64(r.Options.Days) * m.DayMinutes
	out := &Measures{Days: r.Options.Days}
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
	for i, s := range m.Suppliers {
		out.Suppliers[i] = Supplier{ID: s.ID, Name: s.Name}
	}
	shipped := make([]bf.Sum, len(m.Suppliers)*2) // shipped, rejected per supplier
	var all [2]bf.Sum
	for _, d := range r.Deliveries {
		s := &out.Suppliers[d.Supplier]
		switch {
		case d.Arrived >= 0:
			s.Deliveries++
			shipped[2*d.Supplier].Add(bf.Money(d.Qty))
			shipped[2*d.Supplier+1].Add(bf.Money(d.Rejected))
			all[0].Add(bf.Money(d.Qty))
			all[1].Add(bf.Money(d.Rejected))
			if d.Arrived <= d.Due {
				s.OnTime++
			}
		case d.Due < end:
			s.Deliveries++ // due and still missing: late
		}
	}
	for i := range out.Suppliers {
		s := &out.Suppliers[i]
		s.Shipped, s.Rejected = bf.Qty(fit(shipped[2*i])), bf.Qty(fit(shipped[2*i+1]))
		out.Deliveries += s.Deliveries
		out.OnTime += s.OnTime
	}
	out.Shipped, out.Rejected = bf.Qty(fit(all[0])), bf.Qty(fit(all[1]))

	var lead, cycle []int64
	var cos bf.Sum
	for _, o := range r.Orders {
		if !o.Accepted {
			out.Deferred++
			continue
		}
		out.Orders++
		if o.Completed >= 0 {
			cycle = append(cycle, o.Completed-o.Arrival)
			out.ValueAdded += o.ValueAdded
			out.CycleMinutes += o.Completed - o.Arrival
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
			if o.Due < end {
				out.OpenLate++
			}
		}
	}
	out.CostOfSales = fit(cos)
	out.LeadTime, out.CycleTime = Summarize(lead), Summarize(cycle)

	for pi, p := range m.Processes {
		st := r.Processes[pi]
		out.Processes = append(out.Processes, Process{ID: p.ID, Name: p.Name, Started: st.Started, Good: st.Good, Scrap: st.Scrap,
			Utilisation: float64(st.BusyMinutes) / float64(max(end, 1))})
		out.Scrap += st.Scrap
	}

	for li, l := range m.Loops {
		ls := r.Loops[li]
		i, _ := m.Index(l.Item)
		lm := Loop{Item: l.Item, Cards: l.Cards, Container: l.Container, Stockouts: ls.Stockouts, StockoutMinutes: ls.StockoutMinutes}
		var sum bf.Sum // exact however many days: the mean always fits
		for _, s := range r.Daily {
			sum.Add(bf.Money(s.OnHand[i]))
			lm.MaxOnHand = max(lm.MaxOnHand, s.OnHand[i])
		}
		if len(r.Daily) > 0 {
			avg, _ := sum.Div(int64(len(r.Daily)))
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
	for _, s := range r.Daily {
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
		sum.Add(t)
	}
	if len(r.Daily) > 0 {
		out.AverageInventory, _ = sum.Div(int64(len(r.Daily)))
	}
	if !ok {
		return nil, bf.E("jit measures", bf.KindInvalid,
			"the run's quantities or values at standard pass the fixed-point range: a smaller plant, fewer days or lower costs")
	}
	return out, nil
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
