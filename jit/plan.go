package jit

import (
	"math/big"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/sim"
)

// The practitioner's planning figures are computed from the plant file
// alone, before any run: takt time against each process's cycle time, the
// line balance, and the number of kanban cards each loop needs. They use
// exact rationals (math/big), so a card count is never off by a rounding.

// perVehicle returns, per item, the units one vehicle of the mix takes on
// average: each finished item weighted by its share of the mix, through
// stocked assemblies (BOM quantities, phantoms exploded, lines merged).
func perVehicle(m *sim.Model) []*big.Rat {
	units := make([]*big.Rat, len(m.Plant.Items))
	for i := range units {
		units[i] = new(big.Rat)
	}
	var total int64
	for _, me := range m.Demand.Mix {
		total += me.Weight
	}
	if total == 0 {
		return units
	}
	var walk func(i int, q *big.Rat)
	walk = func(i int, q *big.Rat) {
		units[i].Add(units[i], q)
		if m.MakerOf(i) < 0 {
			return
		}
		for _, u := range m.Direct(i) {
			walk(u.Item, new(big.Rat).Mul(q, qtyRat(u.Per)))
		}
	}
	for _, me := range m.Demand.Mix {
		f, _ := m.Index(me.Item)
		walk(f, big.NewRat(me.Weight, total))
	}
	return units
}

func qtyRat(q bf.Qty) *big.Rat { return big.NewRat(int64(q), int64(bf.Units(1))) }

// ratFloat reads a rational for display.
func ratFloat(r *big.Rat) float64 {
	f, _ := r.Float64()
	return f
}

// ProcessTakt is one process against the takt.
type ProcessTakt struct {
	ID           string  `json:"id"`
	CycleMinutes int64   `json:"cycle_minutes"`     // a unit enters the line every so many minutes
	PerVehicle   float64 `json:"units_per_vehicle"` // units of its make one vehicle takes (mix average)
	// TaktMinutes is the takt of its units: the vehicles' takt over the
	// units a vehicle takes; Load is cycle over takt (above 1: it cannot
	// keep up with demand).
	TaktMinutes float64 `json:"takt_minutes"`
	Load        float64 `json:"load"`
	WorkMinutes float64 `json:"work_minutes"` // cycle × units per vehicle: its work content per vehicle
}

// Takt is the line's takt time and balance.
type Takt struct {
	// Minutes is the takt time: available minutes a day over vehicles
	// ordered a day; OK is false without demand.
	Minutes float64 `json:"minutes"`
	OK      bool    `json:"defined"`
	// Processes are against the takt; Bottleneck is the process with the
	// most work per vehicle; Balance is Σ work ÷ (processes × the most
	// work): 100% when every process carries the same work per vehicle.
	Processes  []ProcessTakt `json:"processes"`
	Bottleneck string        `json:"bottleneck"`
	Balance    float64       `json:"balance"`
}

// TaktOf computes takt time, each process's load against it and the line
// balance, from the plant file (steady demand, surge not counted).
func TaktOf(m *sim.Model) Takt {
	units := perVehicle(m)
	var t Takt
	if m.Demand.OrdersPerDay > 0 {
		takt := new(big.Rat).Quo(big.NewRat(m.DayMinutes, 1), qtyRat(m.Demand.OrdersPerDay))
		t.Minutes, t.OK = ratFloat(takt), true
	}
	var sum, most float64
	for pi := range m.Processes {
		p := &m.Processes[pi]
		u := new(big.Rat)
		for _, id := range p.Makes {
			i, _ := m.Index(id)
			u.Add(u, units[i])
		}
		pt := ProcessTakt{ID: p.ID, CycleMinutes: p.CycleMinutes, PerVehicle: ratFloat(u)}
		pt.WorkMinutes = float64(p.CycleMinutes) * pt.PerVehicle
		if t.OK && pt.PerVehicle > 0 {
			pt.TaktMinutes = t.Minutes / pt.PerVehicle
			pt.Load = float64(p.CycleMinutes) / pt.TaktMinutes
		}
		sum += pt.WorkMinutes
		if pt.WorkMinutes > most {
			most, t.Bottleneck = pt.WorkMinutes, p.ID
		}
		t.Processes = append(t.Processes, pt)
	}
	if most > 0 {
		t.Balance = sum / (float64(len(m.Processes)) * most)
	}
	return t
}

// SizingOptions are the safety terms of the kanban formula.
type SizingOptions struct {
	SafetyPct     int64 // α, in percent: the safety factor
	SafetyMinutes int64 // S: safety time added to the lead time
}

// LoopSize is one loop's card count against the kanban formula.
type LoopSize struct {
	Item      string `json:"item"`
	Container bf.Qty `json:"-"`
	// ContainerText is Container as a decimal, for JSON.
	ContainerText string `json:"container"`
	Cards         int    `json:"cards"` // as in the plant file
	// DemandPerDay is D × day_minutes, units a day; LeadMinutes is L: the
	// supplier's lead time, or for a made item the time to make a container
	// (stations × cycle + (container − 1) × cycle + transport).
	DemandPerDay float64 `json:"demand_per_day"`
	LeadMinutes  int64   `json:"lead_minutes"`
	// Formula is ⌈D·(L+S)·(1+α)/C⌉; MinValid the fewest cards validation
	// accepts (the others must hold the largest withdrawal); Suggested the
	// larger of the two.
	Formula   int `json:"formula"`
	MinValid  int `json:"min_valid"`
	Suggested int `json:"suggested"`
	// Flag is "under-sized" (fewer cards than suggested), "over-sized"
	// (more) or "" (as suggested).
	Flag string `json:"flag"`
}

// Sizing applies the kanban formula N = D·(L + S)·(1 + α)/C, rounded up, to
// every loop, where D is the loop's demand per working minute at steady
// demand, L its replenishment lead time, S the safety time, α the safety
// factor and C the container.
func Sizing(m *sim.Model, o SizingOptions) []LoopSize {
	units := perVehicle(m)
	perMinute := new(big.Rat).Quo(qtyRat(m.Demand.OrdersPerDay), big.NewRat(m.DayMinutes, 1)) // vehicles a minute
	var out []LoopSize
	for li := range m.Loops {
		l := &m.Loops[li]
		i, _ := m.Index(l.Item)
		d := new(big.Rat).Mul(perMinute, units[i])
		var lead int64
		if s := m.SupplierOf(i); s >= 0 {
			lead = m.Suppliers[s].LeadMinutes
		} else {
			p := &m.Processes[m.MakerOf(i)]
			lead = p.Stations*p.CycleMinutes + (int64(l.Container/bf.Units(1))-1)*p.CycleMinutes + p.TransportMinutes
		}
		n := new(big.Rat).Mul(d, big.NewRat(lead+o.SafetyMinutes, 1))
		n.Mul(n, big.NewRat(100+o.SafetyPct, 100))
		n.Quo(n, qtyRat(l.Container))
		formula := ceilRat(n)
		// The fewest cards validation accepts: cards − 1 containers hold the
		// largest withdrawal a user makes at once.
		minValid := 2
		for _, p := range usersOf(m, i) {
			need := withdrawal(m, p, i)
			k := ceilRat(new(big.Rat).Quo(qtyRat(need), qtyRat(l.Container))) + 1
			minValid = max(minValid, k)
		}
		ls := LoopSize{Item: l.Item, Container: l.Container, ContainerText: l.Container.String(), Cards: l.Cards, DemandPerDay: ratFloat(new(big.Rat).Mul(d, big.NewRat(m.DayMinutes, 1))),
			LeadMinutes: lead, Formula: formula, MinValid: minValid, Suggested: max(formula, minValid)}
		switch {
		case l.Cards < ls.Suggested:
			ls.Flag = "under-sized"
		case l.Cards > ls.Suggested:
			ls.Flag = "over-sized"
		}
		out = append(out, ls)
	}
	return out
}

func ceilRat(r *big.Rat) int {
	q, rem := new(big.Int).QuoRem(r.Num(), r.Denom(), new(big.Int))
	if rem.Sign() > 0 {
		q.Add(q, big.NewInt(1))
	}
	return int(q.Int64())
}

// usersOf lists the made items that withdraw item i.
func usersOf(m *sim.Model, i int) []int {
	var out []int
	for p := range m.Plant.Items {
		if m.MakerOf(p) < 0 {
			continue
		}
		for _, u := range m.Direct(p) {
			if u.Item == i {
				out = append(out, p)
			}
		}
	}
	return out
}

// withdrawal is what one batch of made item p withdraws of item i: a
// container of p (a stocked assembly) or one unit (a finished item).
func withdrawal(m *sim.Model, p, i int) bf.Qty {
	batch := bf.Units(1)
	if lp := m.LoopOf(p); lp >= 0 {
		batch = m.Loops[lp].Container
	}
	for _, u := range m.Direct(p) {
		if u.Item == i {
			q, _ := bf.MulQty(batch, u.Per)
			return q
		}
	}
	return 0
}
