// Package sim simulates a just-in-time pull plant and emits the shop-floor
// events the books consume (purchase, start, conversion_cost, complete,
// sale, count, close).
//
// The plant follows Toyota's four steps: a customer order issues a production
// instruction to the start of the final line at once; the line holds, in
// small line-side stores, every part any vehicle needs; the line replaces
// what it used by withdrawing the same number from the preceding process
// (kanban); and the preceding process keeps small stocks and produces only
// what was withdrawn. Suppliers are replenished the same way.
//
// Time is counted in working minutes: a day is Model.DayMinutes minutes.
// Every random draw comes from math/rand/v2 PCG streams seeded from the run's
// seed, one stream per source (orders, surge, line defects, supplier
// rejects, late deliveries), so a seed gives the same events and switching
// a disturbance on leaves the other sources' draws unchanged. The simulator knows nothing of accounting: it
// counts units and minutes and writes events.
//
// The plant file format is documented in docs/jit.md.
package sim

import (
	"strconv"
	"strings"

	bf "github.com/backflush/backflush"
)

// Model is a pull plant: the master data the books cost (Plant) and how the
// plant runs: suppliers, processes, kanban loops, demand and run-out.
type Model struct {
	Name       string     // shown in reports
	File       string     // the plant file it was read from, named in errors
	Plant      bf.Plant   // items, BOMs and standards: what the books cost
	Start      bf.Date    // the first simulated day
	DayMinutes int64      // working minutes a day
	Suppliers  []Supplier // who delivers the materials
	Processes  []Process  // who makes the assemblies and finished items
	Loops      []Loop     // one kanban loop per stocked component
	Demand     Demand     // the customer orders
	RunOut     *RunOut    // nil: plain kanban to the end of the run

	c *compiled // derived by compile; nil until then
}

// Supplier delivers materials against supplier kanban.
type Supplier struct {
	ID, Name    string   // unique id (among suppliers and processes) and display name
	Items       []string // the materials it delivers
	LeadMinutes int64    // from the kanban reaching the supplier to delivery
	// OnTimePct is the share of deliveries on time when late suppliers are
	// switched on; a late delivery arrives LateMin..LateMax minutes late.
	OnTimePct        bf.Pct
	LateMin, LateMax int64 // minutes
	// RejectPPM is the parts per million refused at receiving inspection
	// when defects are switched on; refused parts are replaced by the
	// supplier after another lead time.
	RejectPPM int64
	// Prices are the prices paid per item; an item without one is bought
	// at its standard cost.
	Prices map[string]bf.Cost
	Line   int // in the plant file, for errors
}

// Process is a paced line making assemblies (against production kanban) or
// finished items (against customer orders).
type Process struct {
	ID, Name string   // unique id (among suppliers and processes) and display name
	Makes    []string // the items it makes, each made by no other process
	// Stations and CycleMinutes pace the line: a unit enters every
	// CycleMinutes and spends Stations × CycleMinutes on the line (its
	// value-added time).
	Stations     int64 // units on the line at once
	CycleMinutes int64 // minutes between units entering the line
	// TransportMinutes moves finished units to the store of the next stage.
	TransportMinutes int64
	// DefectPct is the share of units scrapped at the end of the line when
	// defects are switched on; a scrapped unit is made again.
	DefectPct bf.Pct
	// LabourPerDay is the actual labour and overhead of a working day, in
	// minor units of the currency: the line is staffed whether busy or not.
	LabourPerDay bf.Money
	// AndonMinutes stops the line (jidoka) for so many minutes when a
	// defect is found at its end, with defects switched on: no unit enters
	// until the cause is dealt with. 0: the line does not stop.
	AndonMinutes int64
	Line         int // in the plant file, for errors
}

// Loop is the kanban loop of one stocked item: Cards containers of
// Container units circulate between the store where the item is used and
// the process or supplier that makes it.
type Loop struct {
	Item      string // the material or assembly replenished
	Cards     int    // containers in the loop
	Container bf.Qty // units a container holds
	Line      int    // in the plant file, for errors
}

// Demand is the customer order stream.
type Demand struct {
	// OrdersPerDay is the mean number of orders a day; each working minute
	// brings an order with probability OrdersPerDay / DayMinutes.
	OrdersPerDay bf.Qty
	Mix          []MixEntry // vehicle types and their weights
	DueMinutes   int64      // promised lead time from order to shipment
	// DispatchMinutes is the interval between trucks, in working minutes:
	// completed vehicles wait in the yard for the next one, overnight if
	// need be. A last truck leaves at the end of the run.
	DispatchMinutes int64
	Surge           *Surge // used when demand surges are switched on
	Line            int    // in the plant file, for errors
}

// MixEntry is one finished item in the order mix.
type MixEntry struct {
	Item   string // a finished item
	Weight int64  // its share of the orders, relative to the others'
	Line   int    // in the plant file, for errors
}

// Surge raises the order rate by Factor on days FromDay..ToDay (1-based).
type Surge struct {
	FromDay, ToDay int    // 1-based days of the run, inclusive
	Factor         bf.Qty // 1.5 is 1_500_000
	Line           int    // in the plant file, for errors
}

// RunOut ends a run with empty stores. PlanMinutes before the end, the
// order book up to the cutoff is known (the sequenced schedule) and every
// kanban card that comes back is reordered only for what that book still
// needs, netted level by level. Orders arriving in the last CutoffMinutes
// are booked for the next period.
type RunOut struct {
	PlanMinutes   int64 // before the end: from then on cards are reordered only as needed
	CutoffMinutes int64 // before the end: later orders are booked for the next period
	Line          int   // in the plant file, for errors
}

// Disturbances is a set of switchable disturbances.
type Disturbances uint8

// The disturbances.
const (
	LateSuppliers   Disturbances = 1 << iota // deliveries late per the suppliers' reliability
	Defects                                  // process defects and supplier rejects
	DemandSurge                              // the demand surge of the plant file
	AllDisturbances = LateSuppliers | Defects | DemandSurge
)

var disturbanceNames = []struct {
	d    Disturbances
	name string
}{{LateSuppliers, "late"}, {Defects, "defects"}, {DemandSurge, "surge"}}

// ParseDisturbances parses a comma-separated list of "late", "defects" and
// "surge", or "all" or "none".
func ParseDisturbances(s string) (Disturbances, bool) {
	switch strings.TrimSpace(s) {
	case "all":
		return AllDisturbances, true
	case "none", "":
		return 0, true
	}
	var d Disturbances
	for _, part := range strings.Split(s, ",") {
		found := false
		for _, n := range disturbanceNames {
			if strings.TrimSpace(part) == n.name {
				d |= n.d
				found = true
			}
		}
		if !found {
			return 0, false
		}
	}
	return d, true
}

// Names lists the disturbances in the set.
func (d Disturbances) Names() []string {
	var out []string
	for _, n := range disturbanceNames {
		if d&n.d != 0 {
			out = append(out, n.name)
		}
	}
	return out
}

// String names the set ("none", or "late+defects").
func (d Disturbances) String() string {
	if d == 0 {
		return "none"
	}
	return strings.Join(d.Names(), "+")
}

// Use is one stocked component per unit of a made item: Per units of item
// Item (an index into Plant.Items), phantoms exploded and component scrap
// included, exactly as the books issue them.
type Use struct {
	Item int    // the component, an index into Plant.Items
	Per  bf.Qty // units of it per unit of the parent
}

// compiled is the model resolved to indexes.
type compiled struct {
	index    map[string]int
	direct   [][]Use // per item: stocked components per unit made
	makerOf  []int   // per item: the process making it, -1
	supplier []int   // per item: the supplier delivering it, -1
	loopOf   []int   // per item: its kanban loop, -1
	users    [][]int // per item: the made items that use it directly
	topo     []int   // made and stocked items, every parent before its components
	mix      []int   // item index per mix entry
	mixTotal int64
}

// Index returns the position of an item in Plant.Items.
func (m *Model) Index(id string) (int, bool) {
	i, ok := m.c.index[id]
	return i, ok
}

// Direct returns the stocked components of one unit of item i.
func (m *Model) Direct(i int) []Use { return m.c.direct[i] }

// MakerOf returns the process making item i, or -1.
func (m *Model) MakerOf(i int) int { return m.c.makerOf[i] }

// SupplierOf returns the supplier delivering item i, or -1.
func (m *Model) SupplierOf(i int) int { return m.c.supplier[i] }

// LoopOf returns the kanban loop of item i, or -1.
func (m *Model) LoopOf(i int) int { return m.c.loopOf[i] }

// validatePlant is the operation of the errors of a plant's checks.
const validatePlant = "validate plant"

// compile validates the model and resolves it to indexes. It is what makes
// the four steps possible: every made item has one maker, every material one
// supplier, and every stocked component a kanban loop big enough for the
// largest withdrawal its users make.
func (m *Model) compile() error {
	if err := m.Plant.Validate(); err != nil {
		return err
	}
	if m.DayMinutes < 60 || m.DayMinutes > 1440 {
		return bf.E(validatePlant, bf.KindInvalid, bf.Field("day_minutes"), "must be 60 to 1440 working minutes")
	}
	if m.Start == 0 {
		return bf.E(validatePlant, bf.KindInvalid, bf.Field("start"), "is missing")
	}
	items := m.Plant.Items
	n := len(items)
	c := &compiled{index: m.Plant.Index(), direct: make([][]Use, n), makerOf: make([]int, n),
		supplier: make([]int, n), loopOf: make([]int, n), users: make([][]int, n)}
	for i := range c.makerOf {
		c.makerOf[i], c.supplier[i], c.loopOf[i] = -1, -1, -1
	}
	done := make([]bool, n)
	for i := range items {
		if err := m.explode(c, i, done); err != nil {
			return err
		}
	}
	// A phantom is exploded into its parents, so only stocked made items
	// withdraw components.
	for i := range items {
		if items[i].Kind == bf.Phantom {
			continue
		}
		for _, u := range c.direct[i] {
			c.users[u.Item] = append(c.users[u.Item], i)
		}
	}

	ids := map[string]bool{}
	for pi := range m.Processes {
		p := &m.Processes[pi]
		if p.ID == "" {
			return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(p.Line), bf.Field("processes.id"), "is missing")
		}
		if ids[p.ID] {
			return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(p.Line), bf.Field("processes.id"), "two processes or suppliers are named "+p.ID)
		}
		ids[p.ID] = true
		if p.Stations < 1 || p.Stations > 1000 {
			return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(p.Line), bf.Field("processes.stations"), "must be 1 to 1000")
		}
		if p.CycleMinutes < 1 || p.CycleMinutes > m.DayMinutes {
			return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(p.Line), bf.Field("processes.cycle_minutes"), "must be 1 to day_minutes")
		}
		if p.TransportMinutes < 0 {
			return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(p.Line), bf.Field("processes.transport_minutes"), "must not be negative")
		}
		if p.DefectPct < 0 || p.DefectPct > 50_000_000 {
			return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(p.Line), bf.Field("processes.defect_pct"), "must be 0 to 50: scrapped units are made again")
		}
		if p.AndonMinutes < 0 || p.AndonMinutes > m.DayMinutes {
			return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(p.Line), bf.Field("processes.andon_minutes"), "must be 0 to day_minutes")
		}
		if p.LabourPerDay < 0 {
			return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(p.Line), bf.Field("processes.labour_per_day"), "must not be negative")
		}
		if len(p.Makes) == 0 {
			return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(p.Line), bf.Field("processes.makes"), "a process must make at least one item")
		}
		for _, id := range p.Makes {
			i, ok := c.index[id]
			if !ok {
				return bf.E(validatePlant, bf.KindNotFound, bf.LineNo(p.Line), bf.ItemID(id), bf.Field("processes.makes"), "unknown item "+strconv.Quote(id))
			}
			if k := items[i].Kind; k != bf.Assembly && k != bf.Finished {
				return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(p.Line), bf.ItemID(id), bf.Field("processes.makes"), "a process makes assemblies and finished items; "+id+" is "+k.String())
			}
			if c.makerOf[i] >= 0 {
				return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(p.Line), bf.ItemID(id), bf.Field("processes.makes"), "is made by process "+m.Processes[c.makerOf[i]].ID+" too")
			}
			c.makerOf[i] = pi
		}
	}
	for si := range m.Suppliers {
		s := &m.Suppliers[si]
		if s.ID == "" {
			return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(s.Line), bf.Field("suppliers.id"), "is missing")
		}
		if ids[s.ID] {
			return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(s.Line), bf.Field("suppliers.id"), "two processes or suppliers are named "+s.ID)
		}
		ids[s.ID] = true
		if s.LeadMinutes < 0 {
			return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(s.Line), bf.Field("suppliers.lead_minutes"), "must not be negative")
		}
		if s.OnTimePct < 0 || s.OnTimePct > 100_000_000 {
			return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(s.Line), bf.Field("suppliers.on_time_pct"), "must be 0 to 100")
		}
		if s.LateMin < 0 || s.LateMax < s.LateMin {
			return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(s.Line), bf.Field("suppliers.late_minutes"), "must be [min, max] with 0 <= min <= max")
		}
		if s.RejectPPM < 0 || s.RejectPPM > 500_000 {
			return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(s.Line), bf.Field("suppliers.reject_ppm"), "must be 0 to 500000: rejected parts are replaced")
		}
		for _, id := range s.Items {
			i, ok := c.index[id]
			if !ok {
				return bf.E(validatePlant, bf.KindNotFound, bf.LineNo(s.Line), bf.ItemID(id), bf.Field("suppliers.items"), "unknown item "+strconv.Quote(id))
			}
			if items[i].Kind != bf.Material {
				return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(s.Line), bf.ItemID(id), bf.Field("suppliers.items"), "suppliers deliver materials; "+id+" is "+items[i].Kind.String())
			}
			if c.supplier[i] >= 0 {
				return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(s.Line), bf.ItemID(id), bf.Field("suppliers.items"), "is delivered by supplier "+m.Suppliers[c.supplier[i]].ID+" too")
			}
			c.supplier[i] = si
		}
		for id, price := range s.Prices {
			if i, ok := c.index[id]; !ok || c.supplier[i] != si {
				return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(s.Line), bf.ItemID(id), bf.Field("suppliers.prices"), "names an item this supplier does not deliver")
			}
			if price < 0 {
				return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(s.Line), bf.ItemID(id), bf.Field("suppliers.prices"), "must not be negative")
			}
		}
	}
	for li := range m.Loops {
		l := &m.Loops[li]
		i, ok := c.index[l.Item]
		if !ok {
			return bf.E(validatePlant, bf.KindNotFound, bf.LineNo(l.Line), bf.ItemID(l.Item), bf.Field("kanban.item"), "unknown item "+strconv.Quote(l.Item))
		}
		if k := items[i].Kind; k != bf.Material && k != bf.Assembly {
			return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(l.Line), bf.ItemID(l.Item), bf.Field("kanban.item"), "kanban loops replenish materials and assemblies; finished items are made to order")
		}
		if c.loopOf[i] >= 0 {
			return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(l.Line), bf.ItemID(l.Item), bf.Field("kanban.item"), "has two kanban loops")
		}
		if l.Cards < 1 || l.Cards > 10_000 {
			return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(l.Line), bf.ItemID(l.Item), bf.Field("kanban.cards"), "must be 1 to 10000")
		}
		if l.Container <= 0 {
			return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(l.Line), bf.ItemID(l.Item), bf.Field("kanban.container"), "must be positive")
		}
		if items[i].Kind == bf.Assembly && l.Container%bf.Units(1) != 0 {
			return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(l.Line), bf.ItemID(l.Item), bf.Field("kanban.container"), "made items come in whole units")
		}
		if len(c.users[i]) == 0 {
			return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(l.Line), bf.ItemID(l.Item), bf.Field("kanban.item"), "no made item uses it: nothing would withdraw it")
		}
		c.loopOf[i] = li
	}
	// Every item must be reachable by the pull: made or bought, and every
	// stocked component replenished by a loop.
	for i := range items {
		it := &items[i]
		switch it.Kind {
		case bf.Material:
			if len(c.users[i]) > 0 && c.supplier[i] < 0 {
				return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(it.Line), bf.ItemID(it.ID), bf.Field("suppliers"), "no supplier delivers this material")
			}
		case bf.Assembly, bf.Finished:
			if c.makerOf[i] < 0 {
				return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(it.Line), bf.ItemID(it.ID), bf.Field("processes"), "no process makes this item")
			}
			if it.Kind == bf.Assembly && len(c.users[i]) == 0 {
				return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(it.Line), bf.ItemID(it.ID), bf.Field("kind"), "no made item uses this assembly: nothing would pull it")
			}
		}
		if (it.Kind == bf.Material || it.Kind == bf.Assembly) && len(c.users[i]) > 0 && c.loopOf[i] < 0 {
			return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(it.Line), bf.ItemID(it.ID), bf.Field("kanban"), "a stocked component needs a kanban loop")
		}
	}
	if err := m.checkProcessOrder(c); err != nil {
		return err
	}
	// A card goes back when its container is emptied. With one container
	// partly used, the others must hold what the largest user withdraws at
	// once, or that user could wait for a card that never comes back.
	for li := range m.Loops {
		l := &m.Loops[li]
		i := c.index[l.Item]
		if _, ok := bf.MulQty(bf.Units(int64(l.Cards)), l.Container); !ok {
			return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(l.Line), bf.ItemID(l.Item), bf.Field("kanban"), "cards × container overflows")
		}
		hold, _ := bf.MulQty(bf.Units(int64(l.Cards-1)), l.Container)
		for _, p := range c.users[i] {
			need, ok := m.waveNeed(c, p, i)
			if !ok {
				return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(l.Line), bf.ItemID(l.Item), bf.Field("kanban"), "quantities overflow")
			}
			if need > hold {
				return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(l.Line), bf.ItemID(l.Item), bf.Field("kanban"), "with one of its "+strconv.Itoa(l.Cards)+" containers of "+l.Container.String()+
					" in use, the others cannot hold the "+need.String()+" that one batch of "+items[p].ID+" withdraws")
			}
		}
	}
	if err := m.checkDemand(c); err != nil {
		return err
	}
	if r := m.RunOut; r != nil {
		if r.CutoffMinutes < 0 || r.PlanMinutes < r.CutoffMinutes {
			return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(r.Line), bf.Field("run_out"), "needs 0 <= cutoff_minutes <= plan_minutes")
		}
	}
	c.topo = topoOrder(m, c)
	m.c = c
	return nil
}

// checkProcessOrder refuses a process that, through the components of
// what it makes, would wait for its own work: a line works its queue in a
// fixed sequence, so a batch at its head waiting for a component that the
// same line (or a line fed by it) makes behind it would wait forever.
func (m *Model) checkProcessOrder(c *compiled) error {
	items := m.Plant.Items
	next := make([][]int, len(m.Processes)) // process → the processes making its components
	for i := range items {
		p := c.makerOf[i]
		if p < 0 {
			continue
		}
		for _, u := range c.direct[i] {
			if q := c.makerOf[u.Item]; q >= 0 {
				next[p] = append(next[p], q)
			}
		}
	}
	const (
		unseen = iota
		open
		done
	)
	state := make([]int, len(m.Processes))
	var visit func(p int) int // returns a process on a cycle, or -1
	visit = func(p int) int {
		state[p] = open
		for _, q := range next[p] {
			if state[q] == open {
				return q
			}
			if state[q] == unseen {
				if r := visit(q); r >= 0 {
					return r
				}
			}
		}
		state[p] = done
		return -1
	}
	for p := range m.Processes {
		if state[p] != unseen {
			continue
		}
		if q := visit(p); q >= 0 {
			pr := &m.Processes[q]
			return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(pr.Line), bf.Field("processes.makes"),
				"process "+pr.ID+" makes an item and, itself or through the processes it feeds, a component of it: its fixed sequence could wait for its own work; make them on separate processes")
		}
	}
	return nil
}

// waveNeed is what one batch of made item p withdraws of component i: a
// kanban container of p, or one unit of a finished item.
func (m *Model) waveNeed(c *compiled, p, i int) (bf.Qty, bool) {
	batch := bf.Units(1)
	if lp := c.loopOf[p]; lp >= 0 {
		batch = m.Loops[lp].Container
	}
	var need bf.Qty
	for _, u := range c.direct[p] {
		if u.Item == i {
			q, ok := bf.MulQty(batch, u.Per)
			if !ok {
				return 0, false
			}
			need += q
		}
	}
	return need, true
}

func (m *Model) checkDemand(c *compiled) error {
	d := &m.Demand
	if d.OrdersPerDay < 0 {
		return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(d.Line), bf.Field("demand.orders_per_day"), "must not be negative (0: no orders, the loops only fill)")
	}
	if d.OrdersPerDay > bf.Units(m.DayMinutes) {
		return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(d.Line), bf.Field("demand.orders_per_day"), "at most one order a working minute")
	}
	if d.DueMinutes < 0 {
		return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(d.Line), bf.Field("demand.due_minutes"), "must not be negative")
	}
	if d.DispatchMinutes < 1 {
		return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(d.Line), bf.Field("demand.dispatch_minutes"), "must be positive")
	}
	if len(d.Mix) == 0 {
		return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(d.Line), bf.Field("demand.mix"), "needs at least one finished item")
	}
	for _, e := range d.Mix {
		i, ok := c.index[e.Item]
		if !ok {
			return bf.E(validatePlant, bf.KindNotFound, bf.LineNo(e.Line), bf.ItemID(e.Item), bf.Field("demand.mix"), "unknown item "+strconv.Quote(e.Item))
		}
		if m.Plant.Items[i].Kind != bf.Finished {
			return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(e.Line), bf.ItemID(e.Item), bf.Field("demand.mix"), "customers order finished items")
		}
		if e.Weight < 1 || e.Weight > 1_000_000 {
			return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(e.Line), bf.ItemID(e.Item), bf.Field("demand.mix"), "a weight must be 1 to 1000000")
		}
		for _, j := range c.mix {
			if j == i {
				return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(e.Line), bf.ItemID(e.Item), bf.Field("demand.mix"), "is listed twice")
			}
		}
		c.mix = append(c.mix, i)
		c.mixTotal += e.Weight
	}
	if s := d.Surge; s != nil {
		if s.FromDay < 1 || s.ToDay < s.FromDay {
			return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(s.Line), bf.Field("demand.surge"), "needs 1 <= from_day <= to_day")
		}
		if s.Factor < bf.Units(1) || s.Factor > bf.Units(10) {
			return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(s.Line), bf.Field("demand.surge.factor"), "must be 1 to 10")
		}
		if hi, ok := bf.MulQty(d.OrdersPerDay, s.Factor); !ok || hi > bf.Units(m.DayMinutes) {
			return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(s.Line), bf.Field("demand.surge.factor"), "the surge would bring more than one order a working minute")
		}
	}
	return nil
}

// explode computes the stocked components of item i per unit, phantoms
// exploded: the same rule as the books' standards (each BOM level grossed
// up by its component scrap and rounded half to even at the quantity scale).
func (m *Model) explode(c *compiled, i int, done []bool) error {
	if done[i] {
		return nil
	}
	done[i] = true
	it := &m.Plant.Items[i]
	for _, l := range it.BOM {
		ci := c.index[l.Item]
		if err := m.explode(c, ci, done); err != nil {
			return err
		}
		per, ok := bf.WithScrap(l.Qty, l.ScrapPct)
		if !ok {
			return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(it.Line), bf.ItemID(it.ID), bf.Field("bom"), "quantities overflow")
		}
		if m.Plant.Items[ci].Kind == bf.Phantom {
			for _, u := range c.direct[ci] {
				q, ok := bf.MulQty(per, u.Per)
				if !ok {
					return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(it.Line), bf.ItemID(it.ID), bf.Field("bom"), "quantities overflow")
				}
				if c.direct[i], ok = addUse(c.direct[i], Use{Item: u.Item, Per: q}); !ok {
					return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(it.Line), bf.ItemID(it.ID), bf.Field("bom"), "quantities overflow")
				}
			}
		} else if c.direct[i], ok = addUse(c.direct[i], Use{Item: ci, Per: per}); !ok {
			return bf.E(validatePlant, bf.KindInvalid, bf.LineNo(it.Line), bf.ItemID(it.ID), bf.Field("bom"), "quantities overflow")
		}
	}
	return nil
}

// addUse adds a use to a list, merged with an earlier use of the same
// component (a part on two BOM lines, or directly and through a phantom):
// a start needs them all at once, so they are checked and issued together.
// The per-line quantities are rounded before they are added, as the books
// issue them line by line, so the merged quantity is the books' total.
func addUse(us []Use, u Use) ([]Use, bool) {
	for k := range us {
		if us[k].Item == u.Item {
			sum := us[k].Per + u.Per
			if sum < us[k].Per {
				return us, false
			}
			us[k].Per = sum
			return us, true
		}
	}
	return append(us, u), true
}

// topoOrder lists finished, assembly and stocked material items so that
// every item comes before its components: the order in which the run-out
// nets requirements level by level.
func topoOrder(m *Model, c *compiled) []int {
	n := len(m.Plant.Items)
	// Count, for each item, the made items using it not yet placed.
	pending := make([]int, n)
	for i := range c.users {
		pending[i] = len(c.users[i])
	}
	var out []int
	var queue []int
	for i := 0; i < n; i++ {
		if k := m.Plant.Items[i].Kind; k != bf.Phantom && pending[i] == 0 {
			queue = append(queue, i)
		}
	}
	for len(queue) > 0 {
		i := queue[0]
		queue = queue[1:]
		out = append(out, i)
		for _, u := range c.direct[i] {
			pending[u.Item]--
			if pending[u.Item] == 0 {
				queue = append(queue, u.Item)
			}
		}
	}
	return out
}
