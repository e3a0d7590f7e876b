package sim

import (
	"container/heap"
	"fmt"
	"math/bits"
	"math/rand/v2"
	"strconv"

	bf "github.com/backflush/backflush"
)

// Options choose one run of a model.
type Options struct {
	Days    int          // working days to simulate; at least 1
	Seed    uint64       // the same seed gives the same events
	Disturb Disturbances // which disturbances are switched on
	// Progress, when set, is called at the end of every simulated day.
	Progress func(day, days int)

	// WarmUpDays are the first days of the run left out of the JIT
	// measures (package jit): the plant starts with empty stores, and its
	// first hours are stock-outs of the first fill, not of the plant's
	// design. The books cost every day.
	WarmUpDays int

	// Level sequences the final line's orders in a levelled mixed-model
	// sequence (heijunka) instead of arrival order: each start takes, among
	// the orders waiting, the item furthest behind its share of the mix.
	Level bool

	// cardOnLast restores the rule before issue 17 (the card rides on the
	// delivery that completes its container), so that a test can show the
	// stall detector catching the jam it caused.
	cardOnLast bool
}

// Result is what a run produced: the events for the books and the records
// the JIT measures are computed from. Times are working minutes from the
// start of the run.
type Result struct {
	Model   *Model     // the plant run
	Options Options    // as run
	Events  []bf.Event // for the books, in time order
	// EventMinutes is the working minute of each event, indexed like Events.
	EventMinutes []int64
	Orders       []Order // every customer order, accepted or booked for later
	// Deliveries are supplier deliveries, replacements of rejected parts
	// included, in the order they were shipped.
	Deliveries []Delivery
	// Signals are the kanban signals: every card sent to a supplier or a
	// parts process, in the order sent.
	Signals []Signal
	// Waits are the stock-outs: a process that could not start for lack of
	// a loop's parts, from the minute the loop could not serve it to the
	// minute it could (To is -1 for a wait still open at the end).
	Waits []Wait
	// Stops are the andon pulls: a line stopped when a defect was found.
	Stops     []Stop
	Processes []ProcessStats // indexed like Model.Processes
	Loops     []LoopStats    // indexed like Model.Loops
	Daily     []Snapshot     // the plant at the end of each day
	// MinOnHand is the lowest stock any item had after any movement.
	MinOnHand bf.Qty
	// PlanFrom is when the run-out began (-1 without one).
	PlanFrom int64
	// Stall is set when the run ended early because the plant stood still
	// (Run then returns an error saying why as well).
	Stall *Stall
}

// Signal is one kanban card sent to its supplier or parts process.
type Signal struct {
	Loop   int    // index into Model.Loops
	Sent   int64  // the minute the card went out
	Qty    bf.Qty // what it asks for: a container (less in the run-out)
	Due    int64  // suppliers: Sent plus the lead time; -1 for a parts process
	Filled int64  // when the last good part of it reached the store, -1 until then
}

// Wait is one stock-out: process Process could not start its next batch
// because loop Loop held less than the batch needs.
type Wait struct {
	Process, Loop int
	From, To      int64 // working minutes; To is -1 while it lasts
}

// Stop is one andon pull: process Process stopped its line entry from
// From to To (working minutes; To may pass the end of the run) because a
// defect was found in Item.
type Stop struct {
	Process  int
	Item     int
	From, To int64
}

// Stall is the andon of a plant that stands still: a process waits for
// parts that nothing in the plant will bring.
type Stall struct {
	Minute  int64  // since when nothing has moved
	Process int    // the waiting process, an index into Model.Processes
	Item    int    // the item it waits to start
	Loop    int    // the loop it waits for, an index into Model.Loops
	Holds   bf.Qty // what the loop's store holds
	Needs   bf.Qty // what the waiting batch withdraws
	Cards   string // where the loop's cards are, in words
}

// Order is one customer order for one finished unit.
type Order struct {
	ID       string // O-000001, in order of arrival
	Item     int    // the finished item ordered
	Arrival  int64  // when the order reached the plant (the production instruction)
	Due      int64  // when it was promised to ship
	Accepted bool   // false: it came after the cutoff and is booked for the next period
	// Started, Completed and Shipped are -1 until they happen. Completed is
	// when the good unit reached the yard; a scrapped unit is made again.
	Started, Completed, Shipped int64
	Remade                      int   // units scrapped for this order
	ValueAdded                  int64 // minutes on the line for the good unit
}

// Delivery is one supplier delivery.
type Delivery struct {
	Supplier    int    // index into Model.Suppliers
	Item        int    // index into Plant.Items
	Qty         bf.Qty // shipped
	Rejected    bf.Qty // refused at receiving inspection
	Due         int64  // when the kanban went out plus the lead time
	Signal      int    // the kanban it fills, an index into Result.Signals
	Arrived     int64  // -1 while on the way
	Replacement bool   // replaces parts rejected earlier
	// Special is a replacement shipped under a special kanban: the loop's
	// card had already gone back to the store with the accepted parts.
	Special bool
}

// ProcessStats counts a process's units.
type ProcessStats struct {
	Started, Good, Scrap int64 // units started, finished good (on the way to the next store included) and scrapped
	BusyMinutes          int64 // minutes the line entry was occupied
	// Pulls are the andon pulls (a defect stopped the line), StopMinutes
	// the minutes it stood for them within the run.
	Pulls       int
	StopMinutes int64
}

// LoopStats describes one kanban loop over the run. The plant starts with
// every container empty and every card at the kanban post (the first fill).
// A card rides on the first good parts delivered for it and goes back to
// the post when they are used; parts still to come for its container
// (rejected at receiving or scrapped on the line) follow under a special
// kanban that is retired when they arrive. So stock plus replenishment in
// flight never exceeds Cards × Container plus those replacements.
type LoopStats struct {
	Withdrawn bf.Qty // taken from the store by the processes using the item
	Ordered   bf.Qty // replenishment requested from the maker or supplier
	Received  bf.Qty // good units received into the store
	Returned  int    // cards come back to the post, the first fill included
	Sent      int    // cards sent to the maker or supplier
	// Special is what was replaced under a special kanban: parts rejected
	// at receiving, or units scrapped on the line, still to come when the
	// loop's card went back to the store with the first good parts of its
	// container. It is the only stock beyond Cards × Container.
	Special bf.Qty
	// Stockouts counts the times a process found too little of the item to
	// start; StockoutMinutes is how long it waited for it in all.
	Stockouts       int
	StockoutMinutes int64 // summed over the processes that waited
	// Where the cards are at the end: at the post, out for replenishment,
	// or on a full container in the store.
	Post, Out, Attached int
}

// Snapshot is the plant at the end of a day.
type Snapshot struct {
	Day       int      // 0-based
	Date      bf.Date  // the day's date
	OnHand    []bf.Qty // per item: in stores (finished items: in the yard)
	InProcess []bf.Qty // per item: units started and not completed, in transport included
	Backlog   int      // accepted orders not yet started
}

// Event priorities at one minute: the shop floor first, then the truck,
// then the day's end.
const (
	prioFloor = iota
	prioDispatch
	prioDayEnd
)

type evKind uint8

const (
	evOrder evKind = iota
	evWake
	evWaveDone
	evArrive
	evDelivery
	evDispatch
	evDayEnd
	evPlan
)

type simEvent struct {
	at   int64
	prio int
	seq  uint64
	kind evKind
	i    int // order, process or delivery index
	j    *job
	n    int64 // units in a wave or an arrival
}

type eventHeap []simEvent

func (h eventHeap) Len() int { return len(h) }
func (h eventHeap) Less(a, b int) bool {
	if h[a].at != h[b].at {
		return h[a].at < h[b].at
	}
	if h[a].prio != h[b].prio {
		return h[a].prio < h[b].prio
	}
	return h[a].seq < h[b].seq
}
func (h eventHeap) Swap(a, b int) { h[a], h[b] = h[b], h[a] }
func (h *eventHeap) Push(x any)   { *h = append(*h, x.(simEvent)) }
func (h *eventHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// job is a production instruction: a customer order (one unit) or a
// production kanban (a container).
type job struct {
	proc, item int
	loop       int // -1 for an order
	order      int // -1 for a kanban
	want       int64
	delivered  int64
	transit    int64
	inproc     int64
	queued     bool
	firstStart int64
	card       bool // a kanban job whose card has not yet gone to the store
	signal     int  // the kanban signal of a kanban job, -1 for an order
}

func (j *job) unstarted() int64 { return j.want - j.delivered - j.transit - j.inproc }

// purchase is a supplier kanban in flight: the loop's card, or once the
// card has gone to the store with the first accepted parts, the special
// kanban replacing the rejected rest.
type purchase struct {
	loop     int
	signal   int    // index into Result.Signals
	card     bool   // the loop's card is still with it
	want     bf.Qty // ordered (cardOnLast only)
	accepted bf.Qty // received so far (cardOnLast only)
}

// piece is a delivery in a store: what is left of it, and the card when it
// completed its container.
type piece struct {
	left bf.Qty
	card bool
}

type procState struct {
	queue   []*job
	free    int64 // when the line entry is free again
	wake    int64 // a pending wake-up when the entry frees, -1 for none
	kicked  bool  // a wake-up this minute is pending
	blocked []int // per loop: the open wait in Result.Waits, -1 for none
}

type loopState struct {
	LoopStats
	pieces   []piece
	head     int    // first piece not yet emptied: stores are used first in, first out
	pipeline bf.Qty // ordered and not yet received
	// lastChange is when the store last received or issued parts.
	lastChange int64
	unstart    int64 // made items: ordered units not yet started
}

type engine struct {
	m     *Model
	c     *compiled
	opt   Options
	end   int64
	now   int64
	seq   uint64
	q     eventHeap
	res   *Result
	procs []procState
	loops []loopState

	onHand []bf.Qty
	inProc []bf.Qty

	rngOrders, rngSurge, rngDefects, rngLate, rngRejects *rand.Rand

	purchases []purchase
	yard      []int
	// Run-out bookkeeping per finished item: accepted orders not started,
	// and orders of the plan that have not arrived yet.
	notStarted []int64
	future     []int64
	exact      bool
	// patternSlots counts, per finished item, its slots in the current
	// cycle of the levelled pattern; weight is its mix weight.
	patternSlots, weight []int64
	// sweepDue asks for a run-out sweep once the current event is done:
	// sweeping from inside a withdrawal would re-enter the stores.
	sweepDue bool

	ids [8]int // per event type

	// motion counts the things under way that will change the stores (a
	// batch on a line, units in transport, a delivery on the road); when
	// none is and a process waits for parts, nothing will ever bring them.
	motion     int
	lastMotion int64 // when the last of them ended
}

// The random streams: one per source, so that switching one source on
// leaves the draws of the others unchanged.
const (
	streamOrders  = 0x6f72646572730001
	streamSurge   = 0x7375726765000002
	streamDefects = 0x6465666563740003
	streamLate    = 0x737570706c790004
	streamRejects = 0x72656a6563740005
)

// Run simulates the model for opt.Days working days.
func (m *Model) Run(opt Options) (*Result, error) {
	if m.c == nil {
		if err := m.compile(); err != nil {
			if e, ok := bf.AsError(err); ok && e.File == "" {
				e.File = m.File
			}
			return nil, err
		}
	}
	if opt.Days < 1 || opt.Days > 100*366 {
		return nil, bf.E("simulate", bf.KindInvalid, bf.File(m.File), bf.Field("days"), "must be 1 to 36600")
	}
	if opt.WarmUpDays < 0 || opt.WarmUpDays >= opt.Days {
		return nil, bf.E("simulate", bf.KindInvalid, bf.File(m.File), bf.Field("warm_up"), "must be 0 to one less than the days of the run")
	}
	n := len(m.Plant.Items)
	e := &engine{m: m, c: m.c, opt: opt, end: int64(opt.Days) * m.DayMinutes,
		procs: make([]procState, len(m.Processes)), loops: make([]loopState, len(m.Loops)),
		onHand: make([]bf.Qty, n), inProc: make([]bf.Qty, n),
		notStarted: make([]int64, n), future: make([]int64, n), patternSlots: make([]int64, n), weight: make([]int64, n),
		rngOrders:  rand.New(rand.NewPCG(opt.Seed, streamOrders)),
		rngSurge:   rand.New(rand.NewPCG(opt.Seed, streamSurge)),
		rngDefects: rand.New(rand.NewPCG(opt.Seed, streamDefects)),
		rngLate:    rand.New(rand.NewPCG(opt.Seed, streamLate)),
		rngRejects: rand.New(rand.NewPCG(opt.Seed, streamRejects)),
	}
	e.res = &Result{Model: m, Options: opt, Processes: make([]ProcessStats, len(m.Processes)),
		Loops: make([]LoopStats, len(m.Loops)), PlanFrom: -1}
	for i := range e.procs {
		e.procs[i].wake = -1
		e.procs[i].blocked = make([]int, len(m.Loops))
		for l := range e.procs[i].blocked {
			e.procs[i].blocked[l] = -1
		}
	}
	for k, me := range m.Demand.Mix {
		e.weight[e.c.mix[k]] = me.Weight
	}
	e.generateOrders()
	// Trucks leave on the clock, every DispatchMinutes of working time:
	// vehicles finished after the day's last truck wait in the yard
	// overnight. A last truck clears the yard at the end of the run.
	for t := m.Demand.DispatchMinutes; t < e.end; t += m.Demand.DispatchMinutes {
		e.schedule(simEvent{at: t, prio: prioDispatch, kind: evDispatch})
	}
	e.schedule(simEvent{at: e.end - 1, prio: prioDispatch, kind: evDispatch})
	for d := 0; d < opt.Days; d++ {
		e.schedule(simEvent{at: int64(d+1)*m.DayMinutes - 1, prio: prioDayEnd, kind: evDayEnd, i: d})
	}
	if r := m.RunOut; r != nil {
		e.schedule(simEvent{at: max(0, e.end-r.PlanMinutes), kind: evPlan})
	}
	// The plant starts empty: every card waits at the kanban post.
	for li := range m.Loops {
		l := &e.loops[li]
		l.Post = m.Loops[li].Cards
		l.Returned = l.Post
		if !e.planned(0) {
			for l.Post > 0 {
				e.order(li, m.Loops[li].Container)
			}
		}
	}
	for len(e.q) > 0 && e.res.Stall == nil {
		ev := heap.Pop(&e.q).(simEvent)
		if ev.at >= e.end {
			break
		}
		e.now = ev.at
		e.handle(&ev)
	}
	// The run ends at its last minute, or at the end of the day it stalled:
	// waits still open are counted to then, and a batch still entering the
	// line is busy only until then.
	stop := e.end
	if e.res.Stall != nil {
		stop = e.now + 1 // the end of the day it was found
	}
	for pi := range e.procs {
		for li, w := range e.procs[pi].blocked {
			if w >= 0 {
				e.loops[li].StockoutMinutes += stop - e.res.Waits[w].From
			}
		}
		// A stop still on at the end counts only to the end, and is not
		// busy time.
		free := e.procs[pi].free
		for k := len(e.res.Stops) - 1; k >= 0; k-- {
			s := e.res.Stops[k]
			if s.Process != pi || s.To <= stop {
				continue
			}
			e.res.Processes[pi].StopMinutes -= s.To - max(s.From, stop)
			free = min(free, max(s.From, stop))
		}
		if over := free - stop; over > 0 {
			e.res.Processes[pi].BusyMinutes -= over
		}
	}
	for li := range e.loops {
		l := &e.loops[li]
		for _, p := range l.pieces[l.head:] {
			if p.card {
				l.Attached++
			}
		}
		e.res.Loops[li] = l.LoopStats
	}
	if s := e.res.Stall; s != nil {
		return e.res, bf.E("simulate", bf.KindInvalid, bf.File(m.File), bf.ItemID(m.Loops[s.Loop].Item), e.res.StallText())
	}
	return e.res, nil
}

// StallText is the andon message of a stalled run, "" when it did not stall.
func (r *Result) StallText() string {
	s := r.Stall
	if s == nil {
		return ""
	}
	m := r.Model
	return fmt.Sprintf("plant stalled since minute %d (day %d): loop %s holds %s, needs %s to start %s at %s, %s, nothing on order for it: the run ends here",
		s.Minute, s.Minute/m.DayMinutes+1, m.Loops[s.Loop].Item, s.Holds, s.Needs, m.Plant.Items[s.Item].ID, m.Processes[s.Process].ID, s.Cards)
}

// checkStall looks, at a day's end, for a process waiting for parts that
// nothing will bring: either nothing at all is under way in the plant, or
// its loop has nothing on order, no card to send, and has not moved since
// the process began to wait a whole working day ago (a loop whose cards
// all ride on containers that are never emptied: the jam of issue 17). It
// names the first such process and the loop that holds it up.
func (e *engine) checkStall() {
	for pi := range e.procs {
		p := &e.procs[pi]
		for _, j := range p.queue {
			n := j.unstarted()
			if n <= 0 {
				continue
			}
			for _, u := range e.c.direct[j.item] {
				need := mulUnits(n, u.Per)
				if e.onHand[u.Item] >= need {
					continue
				}
				li := e.c.loopOf[u.Item]
				l := &e.loops[li]
				since := int64(-1)
				if w := p.blocked[li]; w >= 0 {
					since = e.res.Waits[w].From
				}
				dead := e.motion == 0 ||
					!e.exact && l.pipeline == 0 && l.Post == 0 && since >= 0 && l.lastChange <= since && e.now-since >= e.m.DayMinutes-1
				if !dead {
					continue
				}
				attached := 0
				for _, pc := range l.pieces[l.head:] {
					if pc.card {
						attached++
					}
				}
				var cards string
				switch {
				case l.Post > 0:
					cards = fmt.Sprintf("%d of its %d cards on the post, not sent", l.Post, e.m.Loops[li].Cards)
				case attached == e.m.Loops[li].Cards:
					cards = fmt.Sprintf("no free card (all %d ride on containers in the store)", attached)
				default:
					cards = fmt.Sprintf("no free card (%d on containers in the store, %d at a process that is waiting too)", attached, l.Out)
				}
				e.res.Stall = &Stall{Minute: max(e.lastMotion, since), Process: pi, Item: j.item, Loop: li,
					Holds: e.onHand[u.Item], Needs: need, Cards: cards}
				return
			}
			break // the line's sequence is fixed: only its head can start
		}
	}
}

// planned reports whether the run-out plan governs replenishment at time t.
func (e *engine) planned(t int64) bool {
	r := e.m.RunOut
	return r != nil && t >= e.end-r.PlanMinutes
}

func (e *engine) schedule(ev simEvent) {
	if ev.kind.moves() {
		e.motion++
	}
	e.seq++
	ev.seq = e.seq
	heap.Push(&e.q, ev)
}

// generateOrders draws the customer orders of the whole run up front, one
// draw per working minute so that the stream does not depend on anything
// else the plant does. The surge has its own stream.
func (e *engine) generateOrders() {
	m, d := e.m, &e.m.Demand
	denom := uint64(m.DayMinutes) * 1_000_000
	var surgeRate uint64
	if s := d.Surge; s != nil && e.opt.Disturb&DemandSurge != 0 {
		hi, _ := bf.MulQty(d.OrdersPerDay, s.Factor)
		surgeRate = uint64(hi - d.OrdersPerDay)
	}
	cutoff := e.end
	if r := m.RunOut; r != nil {
		// A run shorter than twice the cutoff still takes orders in its
		// first half.
		cutoff = e.end - min(r.CutoffMinutes, e.end/2)
	}
	add := func(t int64, r *rand.Rand) {
		pick := int64(r.Uint64N(uint64(e.c.mixTotal)))
		item := e.c.mix[len(e.c.mix)-1]
		for k, me := range d.Mix {
			if pick < me.Weight {
				item = e.c.mix[k]
				break
			}
			pick -= me.Weight
		}
		o := Order{ID: fmt.Sprintf("O-%06d", len(e.res.Orders)+1), Item: item, Arrival: t, Due: t + d.DueMinutes,
			Accepted: t < cutoff, Started: -1, Completed: -1, Shipped: -1}
		if o.Accepted {
			e.future[item]++
			e.schedule(simEvent{at: t, kind: evOrder, i: len(e.res.Orders)})
		}
		e.res.Orders = append(e.res.Orders, o)
	}
	for t := int64(0); t < e.end; t++ {
		if e.rngOrders.Uint64N(denom) < uint64(d.OrdersPerDay) {
			add(t, e.rngOrders)
		}
		if surgeRate > 0 {
			day := int(t/m.DayMinutes) + 1
			if day >= d.Surge.FromDay && day <= d.Surge.ToDay && e.rngSurge.Uint64N(denom) < surgeRate {
				add(t, e.rngSurge)
			}
		}
	}
}

// moves reports whether an event ends something under way that will change
// the stores.
func (k evKind) moves() bool { return k == evWaveDone || k == evArrive || k == evDelivery }

func (e *engine) handle(ev *simEvent) {
	if ev.kind.moves() {
		e.motion--
		e.lastMotion = e.now
	}
	switch ev.kind {
	case evOrder:
		e.orderArrives(ev.i)
	case evWake:
		p := &e.procs[ev.i]
		if ev.n == 1 {
			p.kicked = false
		} else if p.wake == ev.at {
			p.wake = -1
		}
		e.tryStart(ev.i)
	case evWaveDone:
		e.waveDone(ev.j, ev.n)
	case evArrive:
		e.arrive(ev.j, ev.n)
	case evDelivery:
		e.delivery(ev.i, int(ev.n))
	case evDispatch:
		e.dispatch()
	case evDayEnd:
		e.dayEnd(ev.i)
	case evPlan:
		e.exact = true
		e.res.PlanFrom = e.now
		e.sweepDue = true
	}
	for e.sweepDue {
		e.sweepDue = false
		e.sweep()
	}
}

// --- events for the books ---

var idPrefix = [...]string{bf.Purchase: "P", bf.Start: "S", bf.ConversionCost: "C", bf.Complete: "F",
	bf.Sale: "X", bf.Count: "K", bf.Close: "Z"}

func (e *engine) date() bf.Date { return e.m.Start + bf.Date(e.now/e.m.DayMinutes) }

// emit appends an event for the books, dated the day of the current minute.
func (e *engine) emit(ev bf.Event) {
	e.ids[ev.Type]++
	ev.ID = idPrefix[ev.Type] + "-" + pad6(e.ids[ev.Type])
	ev.Date = e.date()
	e.res.Events = append(e.res.Events, ev)
	e.res.EventMinutes = append(e.res.EventMinutes, e.now)
}

func pad6(n int) string {
	s := strconv.Itoa(n)
	for len(s) < 6 {
		s = "0" + s
	}
	return s
}

func (e *engine) itemID(i int) string { return e.m.Plant.Items[i].ID }

// --- step 1: an order issues a production instruction to the line at once ---

func (e *engine) orderArrives(oi int) {
	o := &e.res.Orders[oi]
	e.future[o.Item]--
	e.notStarted[o.Item]++
	p := e.c.makerOf[o.Item]
	j := &job{proc: p, item: o.Item, loop: -1, order: oi, want: 1, firstStart: -1, signal: -1}
	e.enqueue(j, false)
}

// enqueue adds a job to a process's queue and wakes the process this
// minute. The wake-up is an event rather than a call so that starting a
// batch (which withdraws parts, which sends cards upstream) never re-enters
// a process in the middle of its own start.
func (e *engine) enqueue(j *job, front bool) {
	p := &e.procs[j.proc]
	j.queued = true
	if front {
		p.queue = append([]*job{j}, p.queue...)
	} else {
		p.queue = append(p.queue, j)
	}
	e.kick(j.proc)
}

func (e *engine) kick(pi int) {
	p := &e.procs[pi]
	if !p.kicked {
		p.kicked = true
		e.schedule(simEvent{at: e.now, kind: evWake, i: pi, n: 1})
	}
}

// --- step 2: a process starts only with every part in its stores ---

// tryStart starts the head of a process's queue as often as the line entry
// and the stores allow. The queue is worked in order: the line's sequence
// is fixed, so a missing part stops it (a stock-out of that loop).
func (e *engine) tryStart(pi int) {
	p := &e.procs[pi]
	proc := &e.m.Processes[pi]
	for len(p.queue) > 0 {
		if p.free > e.now {
			if p.wake != p.free {
				p.wake = p.free
				e.schedule(simEvent{at: p.free, kind: evWake, i: pi})
			}
			return
		}
		if e.opt.Level {
			e.level(p)
		}
		j := p.queue[0]
		n := j.unstarted()
		if n <= 0 {
			j.queued = false
			p.queue = p.queue[1:]
			continue
		}
		uses := e.c.direct[j.item]
		short := false
		// A stock-out of a loop lasts from the minute it could not serve
		// the batch to the minute it could, whatever else the batch waits
		// for.
		for _, u := range uses {
			li := e.c.loopOf[u.Item]
			if e.onHand[u.Item] < mulUnits(n, u.Per) {
				short = true
				if p.blocked[li] < 0 {
					p.blocked[li] = len(e.res.Waits)
					e.res.Waits = append(e.res.Waits, Wait{Process: pi, Loop: li, From: e.now, To: -1})
					e.loops[li].Stockouts++
				}
			} else {
				e.endWait(pi, li, e.now)
			}
		}
		if short {
			return
		}
		for li := range p.blocked {
			e.endWait(pi, li, e.now) // a loop the new head does not use
		}
		j.queued = false
		p.queue = p.queue[1:]
		j.inproc += n
		e.inProc[j.item] += bf.Units(n)
		if j.firstStart < 0 {
			j.firstStart = e.now
		}
		if j.order >= 0 {
			o := &e.res.Orders[j.order]
			if o.Started < 0 {
				o.Started = e.now
				if e.opt.Level {
					e.patternStarted(j.item)
				}
			}
			e.notStarted[j.item]--
		} else {
			e.loops[j.loop].unstart -= n
		}
		st := &e.res.Processes[pi]
		st.Started += n
		st.BusyMinutes += n * proc.CycleMinutes
		e.emit(bf.Event{Type: bf.Start, Item: e.itemID(j.item), Qty: bf.Units(n), Memo: e.jobMemo(j)})
		p.free = e.now + n*proc.CycleMinutes
		e.schedule(simEvent{at: e.now + (proc.Stations+n-1)*proc.CycleMinutes, kind: evWaveDone, j: j, n: n})
		// Issue the parts of the whole batch (the books see one start).
		for _, u := range uses {
			e.withdraw(u.Item, mulUnits(n, u.Per))
		}
	}
}

// endWait ends process pi's wait for loop li, if any, at minute t.
func (e *engine) endWait(pi, li int, t int64) {
	p := &e.procs[pi]
	if w := p.blocked[li]; w >= 0 {
		e.res.Waits[w].To = t
		e.loops[li].StockoutMinutes += t - e.res.Waits[w].From
		p.blocked[li] = -1
	}
}

// level puts at the head of a process's queue the waiting order the
// levelled pattern asks for next. The pattern is the mix's mixed-model
// sequence (for sedan 3 : suv 2, S V S V S …), drawn by goal chasing over
// the pattern itself: its next slot is the item whose count in the pattern
// lags its share most (weight × (slots + 1) − its slots × total weight,
// largest first, the earlier item of the mix on a tie). When an order of
// that item waits, the earliest one starts and the pattern moves on; when
// none does, the earliest waiting order starts and the slot waits for its
// item, so a shortage never turns into a catch-up run of one model. A unit
// being rebuilt, or a kanban job, keeps the head.
func (e *engine) level(p *procState) {
	head := p.queue[0]
	if head.order < 0 || head.firstStart >= 0 {
		return
	}
	want := e.patternNext()
	for k, j := range p.queue {
		if j.order >= 0 && j.firstStart < 0 && j.unstarted() > 0 && j.item == want {
			copy(p.queue[1:k+1], p.queue[:k])
			p.queue[0] = j
			return
		}
	}
}

// patternNext is the item of the levelled pattern's next slot.
func (e *engine) patternNext() int {
	want, wantGap := -1, int64(0)
	var slots int64
	for _, n := range e.patternSlots {
		slots += n
	}
	for _, i := range e.c.mix {
		// Compared over the common denominator, exactly, in int64: weights
		// are at most 10⁶ and a cycle of the pattern is the total weight.
		gap := e.weight[i]*(slots+1) - e.patternSlots[i]*e.c.mixTotal
		if want < 0 || gap > wantGap {
			want, wantGap = i, gap
		}
	}
	return want
}

// patternStarted moves the levelled pattern on when an order of its next
// slot's item starts.
func (e *engine) patternStarted(item int) {
	if item != e.patternNext() {
		return
	}
	e.patternSlots[item]++
	var slots int64
	for _, n := range e.patternSlots {
		slots += n
	}
	if slots == e.c.mixTotal { // a whole cycle: start the next
		clear(e.patternSlots)
	}
}

func (e *engine) jobMemo(j *job) string {
	if j.order >= 0 {
		return e.m.Processes[j.proc].ID + ": order " + e.res.Orders[j.order].ID
	}
	return e.m.Processes[j.proc].ID + ": kanban " + e.itemID(j.item)
}

func mulUnits(n int64, per bf.Qty) bf.Qty {
	q, _ := bf.MulQty(bf.Units(n), per) // compile bounded the loops' quantities
	return q
}

// --- step 3: using parts sends their kanban back to the preceding process ---

// withdraw takes q of item i from its store, oldest delivery first.
// Emptying a container sends its card back to the kanban post: the signal
// to replace exactly what was used.
func (e *engine) withdraw(i int, q bf.Qty) {
	e.onHand[i] -= q
	e.res.MinOnHand = min(e.res.MinOnHand, e.onHand[i])
	li := e.c.loopOf[i]
	l := &e.loops[li]
	l.lastChange = e.now
	l.Withdrawn += q
	for q > 0 && l.head < len(l.pieces) {
		pc := &l.pieces[l.head]
		t := min(q, pc.left)
		pc.left -= t
		q -= t
		if pc.left > 0 {
			break
		}
		l.head++
		if pc.card {
			l.Returned++
			e.cardBack(li)
		}
	}
	if l.head > 64 && l.head*2 > len(l.pieces) {
		l.pieces = append(l.pieces[:0], l.pieces[l.head:]...)
		l.head = 0
	}
}

// cardBack puts a card on the post; in plain kanban it goes straight on to
// the maker or supplier for one container.
func (e *engine) cardBack(li int) {
	l := &e.loops[li]
	l.Post++
	if e.exact {
		e.sweepDue = true
		return
	}
	e.order(li, e.m.Loops[li].Container)
}

// order sends a card from the post for q units.
func (e *engine) order(li int, q bf.Qty) {
	l := &e.loops[li]
	l.Post--
	l.Out++
	l.Sent++
	l.Ordered += q
	l.pipeline += q
	item := e.c.index[e.m.Loops[li].Item]
	sig := len(e.res.Signals)
	e.res.Signals = append(e.res.Signals, Signal{Loop: li, Sent: e.now, Qty: q, Due: -1, Filled: -1})
	if s := e.c.supplier[item]; s >= 0 {
		e.res.Signals[sig].Due = e.now + e.m.Suppliers[s].LeadMinutes
		e.purchases = append(e.purchases, purchase{loop: li, signal: sig, card: true, want: q})
		e.ship(len(e.purchases)-1, q, false)
		return
	}
	// --- step 4: the preceding process makes only what was withdrawn ---
	n := int64(q / bf.Units(1))
	l.unstart += n
	e.enqueue(&job{proc: e.c.makerOf[item], item: item, loop: li, order: -1, want: n, firstStart: -1, card: true, signal: sig}, false)
}

// ship schedules a supplier delivery of q for a purchase.
func (e *engine) ship(pi int, q bf.Qty, replacement bool) {
	li := e.purchases[pi].loop
	item := e.c.index[e.m.Loops[li].Item]
	s := &e.m.Suppliers[e.c.supplier[item]]
	due := e.now + s.LeadMinutes
	at := due
	if e.opt.Disturb&LateSuppliers != 0 && e.rngLate.Uint64N(100_000_000) >= uint64(s.OnTimePct) {
		at += s.LateMin + int64(e.rngLate.Uint64N(uint64(s.LateMax-s.LateMin+1)))
	}
	e.res.Deliveries = append(e.res.Deliveries, Delivery{Supplier: e.c.supplier[item], Item: item, Qty: q,
		Due: due, Arrived: -1, Replacement: replacement, Special: !e.purchases[pi].card, Signal: e.purchases[pi].signal})
	e.schedule(simEvent{at: at, kind: evDelivery, i: len(e.res.Deliveries) - 1, n: int64(pi)})
}

// delivery receives supplier delivery di of purchase pi: receiving
// inspection refuses rejected parts, the rest is bought. The loop's card
// goes to the store with the first accepted parts, so it comes back when
// they are used; the rejected parts are replaced after another lead time,
// under a special kanban once the card has gone. (Were the card to wait
// for the replacement, it would ride on a tail of a few parts the line
// cannot use, and the loop would jam: issue 17.)
func (e *engine) delivery(di, pi int) {
	d := &e.res.Deliveries[di]
	d.Arrived = e.now
	pu := &e.purchases[pi]
	li := pu.loop
	s := &e.m.Suppliers[d.Supplier]
	var rejected bf.Qty
	if e.opt.Disturb&Defects != 0 && s.RejectPPM > 0 {
		rejected = bf.Units(bernoulli(e.rngRejects, int64(d.Qty/bf.Units(1)), uint64(s.RejectPPM), 1_000_000))
	}
	d.Rejected = rejected
	ok := d.Qty - rejected
	if ok > 0 {
		price, has := s.Prices[e.itemID(d.Item)]
		if !has {
			price = e.m.Plant.Items[d.Item].StandardCost
		}
		memo := s.ID + ": kanban " + e.itemID(d.Item)
		if d.Arrived > d.Due {
			memo += ", " + strconv.FormatInt(d.Arrived-d.Due, 10) + " min late"
		}
		e.emit(bf.Event{Type: bf.Purchase, Item: e.itemID(d.Item), Qty: ok, UnitCost: price, Memo: memo})
		pu.accepted += ok
		card := pu.card
		if e.opt.cardOnLast {
			card = pu.accepted == pu.want
		} else if card {
			e.loops[li].Special += rejected
		}
		if card {
			pu.card = false
		}
		e.receive(li, ok, card)
		if pu.accepted == pu.want {
			e.res.Signals[pu.signal].Filled = e.now
		}
	}
	if rejected > 0 {
		e.ship(pi, rejected, true)
	}
	e.wakeAll()
}

// bernoulli draws how many of n units fail, each with probability p/denom.
// Beyond maxDraws units it takes the expectation instead (rounded down), so
// that a plant of huge containers cannot stall the run.
func bernoulli(r *rand.Rand, n int64, p, denom uint64) int64 {
	const maxDraws = 1000
	if n > maxDraws {
		hi, lo := bits.Mul64(uint64(n), p)
		q, _ := bits.Div64(hi%denom, lo, denom)
		return int64(q)
	}
	var k int64
	for range n {
		if r.Uint64N(denom) < p {
			k++
		}
	}
	return k
}

// receive puts q into a loop's store. The delivery that completes a
// replenishment carries its card, which rides on it until it is emptied.
func (e *engine) receive(li int, q bf.Qty, card bool) {
	l := &e.loops[li]
	item := e.c.index[e.m.Loops[li].Item]
	e.onHand[item] += q
	l.lastChange = e.now
	l.Received += q
	l.pipeline -= q
	l.pieces = append(l.pieces, piece{left: q, card: card})
	if card {
		l.Out--
	}
}

// waveDone ends a batch on the line: defective units are scrapped (and
// reported at once), good ones travel to the next store.
func (e *engine) waveDone(j *job, n int64) {
	proc := &e.m.Processes[j.proc]
	var k int64
	if e.opt.Disturb&Defects != 0 && proc.DefectPct > 0 {
		k = bernoulli(e.rngDefects, n, uint64(proc.DefectPct), 100_000_000)
	}
	st := &e.res.Processes[j.proc]
	st.Scrap += k
	st.Good += n - k
	j.inproc -= n
	j.transit += n - k
	if k > 0 && proc.AndonMinutes > 0 {
		// Jidoka: the line stops; no unit enters until the stop ends.
		p := &e.procs[j.proc]
		from := max(e.now, p.free)
		p.free = from + proc.AndonMinutes
		e.res.Stops = append(e.res.Stops, Stop{Process: j.proc, Item: j.item, From: from, To: p.free})
		st.Pulls++
		st.StopMinutes += proc.AndonMinutes
	}
	if k > 0 {
		e.inProc[j.item] -= bf.Units(k)
		e.emit(bf.Event{Type: bf.Complete, Item: e.itemID(j.item), ScrapQty: bf.Units(k), Memo: e.jobMemo(j) + ", defects scrapped"})
		if j.order >= 0 {
			e.res.Orders[j.order].Remade += int(k)
			e.notStarted[j.item] += k
		} else {
			e.loops[j.loop].unstart += k
		}
		// The scrapped units are made again before anything else.
		if !j.queued {
			e.enqueue(j, true)
		}
		if e.exact {
			e.sweepDue = true
		}
	}
	if n-k > 0 {
		e.schedule(simEvent{at: e.now + proc.TransportMinutes, kind: evArrive, j: j, n: n - k})
	}
}

// arrive delivers good units to the next store (or the yard).
func (e *engine) arrive(j *job, n int64) {
	j.transit -= n
	j.delivered += n
	e.inProc[j.item] -= bf.Units(n)
	e.emit(bf.Event{Type: bf.Complete, Item: e.itemID(j.item), Qty: bf.Units(n), Memo: e.jobMemo(j)})
	if j.order >= 0 {
		o := &e.res.Orders[j.order]
		o.Completed = e.now
		proc := &e.m.Processes[j.proc]
		o.ValueAdded = proc.Stations * proc.CycleMinutes
		e.onHand[j.item] += bf.Units(n)
		e.yard = append(e.yard, j.order)
		return
	}
	card := j.card
	if e.opt.cardOnLast {
		card = j.delivered == j.want
	} else if card && j.delivered < j.want {
		// Units scrapped on the line follow under a special kanban.
		e.loops[j.loop].Special += bf.Units(j.want - j.delivered)
	}
	j.card = j.card && !card
	e.receive(j.loop, bf.Units(n), card)
	if j.delivered == j.want {
		e.res.Signals[j.signal].Filled = e.now
	}
	e.wakeAll()
}

// wakeAll wakes every process after a store received parts: any of them may
// have been waiting for these.
func (e *engine) wakeAll() {
	for pi := range e.procs {
		if len(e.procs[pi].queue) > 0 {
			e.kick(pi)
		}
	}
}

// dispatch ships every vehicle in the yard.
func (e *engine) dispatch() {
	for _, oi := range e.yard {
		o := &e.res.Orders[oi]
		o.Shipped = e.now
		e.onHand[o.Item] -= bf.Units(1)
		e.emit(bf.Event{Type: bf.Sale, Item: e.itemID(o.Item), Qty: bf.Units(1), Memo: "order " + o.ID})
	}
	e.yard = e.yard[:0]
}

// dayEnd books the day's labour, takes the snapshot, and at a month's end
// (and the run's) counts every stocked item and closes the period.
func (e *engine) dayEnd(d int) {
	for pi := range e.m.Processes {
		p := &e.m.Processes[pi]
		if p.LabourPerDay > 0 {
			e.emit(bf.Event{Type: bf.ConversionCost, Amount: p.LabourPerDay, Memo: p.ID + ": labour and overhead"})
		}
	}
	snap := Snapshot{Day: d, Date: e.date(), OnHand: append([]bf.Qty(nil), e.onHand...),
		InProcess: append([]bf.Qty(nil), e.inProc...)}
	for _, ns := range e.notStarted {
		snap.Backlog += int(ns)
	}
	e.res.Daily = append(e.res.Daily, snap)
	date := e.date()
	e.checkStall()
	if (date+1).Time().Day() == 1 || d == e.opt.Days-1 || e.res.Stall != nil {
		for i := range e.m.Plant.Items {
			if e.m.Plant.Items[i].Kind == bf.Phantom {
				continue
			}
			e.emit(bf.Event{Type: bf.Count, Item: e.itemID(i), Qty: e.onHand[i], Memo: "period-end count"})
		}
		e.emit(bf.Event{Type: bf.Close, Memo: "period end " + date.String()})
	}
	if e.opt.Progress != nil {
		e.opt.Progress(d+1, e.opt.Days)
	}
}

// sweep is the run-out rule: with the order book known up to the cutoff,
// requirements are netted level by level (finished items first) against
// stock and replenishment in flight, and each card on the post is sent only
// for what is still short, at most a container; a card not needed stays on
// the post. Cards still come back only when containers are opened, so a
// process still makes only what was withdrawn.
func (e *engine) sweep() {
	items := e.m.Plant.Items
	n := len(items)
	gross := make([]bf.Qty, n)
	start := make([]bf.Qty, n) // units of each made item still to be started
	for _, i := range e.c.topo {
		switch items[i].Kind {
		case bf.Finished:
			start[i] = bf.Units(e.notStarted[i] + e.future[i])
		case bf.Assembly:
			li := e.c.loopOf[i]
			if li < 0 {
				continue
			}
			l := &e.loops[li]
			extra := gross[i] - e.onHand[i] - l.pipeline
			start[i] = bf.Units(l.unstart) + max(extra, 0)
		}
		for _, u := range e.c.direct[i] {
			if start[i] > 0 {
				q, _ := bf.MulQty(start[i], u.Per)
				gross[u.Item] += q
			}
		}
	}
	for _, i := range e.c.topo {
		li := e.c.loopOf[i]
		if li < 0 {
			continue
		}
		l := &e.loops[li]
		c := e.m.Loops[li].Container
		for l.Post > 0 {
			short := gross[i] - e.onHand[i] - l.pipeline
			if short <= 0 {
				break
			}
			q := min(short, c)
			if items[i].Kind != bf.Material {
				q = (q + bf.Units(1) - 1) / bf.Units(1) * bf.Units(1) // made items come whole
			}
			e.order(li, q)
		}
	}
}
