package costing

import (
	"iter"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/internal/chunked"
)

// Ledger runs several books over one event stream. It owns the physical
// quantities, which are facts shared by every book: what was bought, issued,
// made, sold and counted does not depend on how a book costs it.
type Ledger struct {
	Std   *Standards
	Books []*Book
	Close bf.ClosePolicy

	events chunked.Slice[bf.Event]
	byID   map[string]int32
	idRoom int // the number of ids byID was made for (see Grow)

	onHand  []bf.Qty // units in stores per item
	started []bf.Qty // units started and not yet completed per item

	// The units that ever left stores and left process per item (counts
	// that wrap around, read as differences): what an LCNRV close needs to
	// know which goods of its last close are gone (lcnrv.go).
	leftStock, leftProcess []bf.Qty

	closes []int32 // indexes of the close events, in order

	comps  []bf.Qty // room for posting.comps: as many as the longest Std.Direct
	memo   flushMemo
	spread spreadRoom // room for a prorating close (shares.go)

	// The undo log of the open checkpoints (checkpoint.go): what events
	// changed in the per-item state since the oldest, so that a checkpoint
	// costs nothing per item.
	undo     []undoRec
	undoBase int           // the position of undo[0] in the log since the ledger began logging
	open     []*Checkpoint // the checkpoints that may still be restored, oldest first
	logging  bool          // a checkpoint is open and no re-costing runs: posting logs

	// Date order (dateorder.go): the events are costed in date order,
	// arrival order within a day, and a late event re-costs the open window
	// from base. gen names the window's costing: a re-costing gives it a
	// new one (gens counts them), so that a checkpoint knows whether the
	// undo log still leads back to it.
	// Each event's arrival number is in its physical record (physRec.arr).
	arrived   int32       // the events accepted so far: the next arrival number
	last      bf.Date     // the date of the last event in costing order
	base      *Checkpoint // the ledger right after the last close (at first, empty)
	gen, gens int
	versions  []version // the standards by the date they take effect, in the order given
	recosting bool      // the open window is being re-costed

	// The failed-backflush queue (queue.go) and its scratch space.
	queue    []QueueEntry
	need     []bf.Qty // per item, zero between events
	shortBuf []bf.Qty
	takeBuf  []take

	// What each event did physically, for reversals (reverse.go).
	phys      chunked.Slice[physRec]
	physArena chunked.Slice[physUse]
	reversed  map[int32]int32 // reversed event → its reversal
	revLog    []int32         // reversed events in order, for Restore

	// Streaming mode (NewStreamingLedger): none of the history above is
	// kept, so memory stays proportional to the items, not the events.
	// posted counts the events accepted (their indexes), closedOn is the
	// date of the last close (ClosedThrough reads it from the log otherwise).
	stream   bool
	posted   int
	closedOn bf.Date
}

// NewLedger returns a ledger keeping the given books over the standards.
func NewLedger(std *Standards, books []bf.BookConfig, close bf.ClosePolicy) (*Ledger, error) {
	if len(books) == 0 {
		return nil, bf.E("configure books", bf.KindInvalid, bf.Field("books"), "at least one book is needed")
	}
	l := &Ledger{Std: std, Close: close, byID: make(map[string]int32),
		onHand: make([]bf.Qty, std.NumItems()), started: make([]bf.Qty, std.NumItems()),
		leftStock: make([]bf.Qty, std.NumItems()), leftProcess: make([]bf.Qty, std.NumItems())}
	n := 0
	for i := range std.direct {
		n = max(n, len(std.direct[i]))
	}
	l.comps = make([]bf.Qty, n)
	l.shortBuf = make([]bf.Qty, n)
	l.sizeMemo(std)
	l.need = make([]bf.Qty, std.NumItems())
	l.reversed = map[int32]int32{}
	l.versions = []version{{std: std}}
	seen := map[string]bool{}
	for _, c := range books {
		if err := c.Validate(); err != nil {
			return nil, err
		}
		if seen[c.Name] {
			return nil, bf.E("configure books", bf.KindInvalid, bf.Field("name"), "two books are named "+c.Name)
		}
		seen[c.Name] = true
		if c.LCNRV != nil {
			if err := lcnrvReady(std, c); err != nil {
				return nil, err
			}
		}
		b := newBook(c, std)
		if close == bf.CloseProrate && b.act == nil {
			b.shareAmt, b.shareUnits = make([]bf.Money, 2*std.NumItems()), make([]bf.Qty, 2*std.NumItems())
		}
		l.Books = append(l.Books, b)
	}
	l.base = l.snapshot(nil)
	return l, nil
}

// NewStreamingLedger returns a ledger that keeps only what posting needs:
// every book's balances and per-item state (stock, units in process, WIP
// values, the failed-backflush queue). It keeps no event log, no id index,
// no physical record per event and no journal: each event's lines are built
// in a scratch buffer, added to the balances and dropped. Its memory grows
// with the items, not the events, which is what lets a year of ten million
// events be re-costed in one pass (package gen, backflush bench).
//
// The price is history. The caller must give a clean stream: ids are not
// checked for duplicates, so a repeated event is posted twice. Reverse
// events are refused (there is nothing left to reverse), books that keep
// actual costs are refused (their closes keep a process report per item
// and period, history the reports read), EventByID finds
// nothing, Events and every book's Journal are empty, and History returns
// an error for the reports and exports that read journals. Balances,
// OnHand, InProcess, ClosedThrough, Queue, Checkpoint and Restore work as
// in a ledger from NewLedger.
func NewStreamingLedger(std *Standards, books []bf.BookConfig, close bf.ClosePolicy) (*Ledger, error) {
	for _, c := range books {
		if c.Basis.Actual() {
			return nil, bf.E("configure books", bf.KindInvalid, bf.Field("basis"),
				"book "+c.Name+" keeps actual costs, whose closes keep process reports: a streaming ledger keeps no history; use NewLedger")
		}
	}
	l, err := NewLedger(std, books, close)
	if err != nil {
		return nil, err
	}
	l.stream, l.byID, l.reversed, l.base = true, nil, nil, nil
	for _, b := range l.Books {
		b.stream = true
	}
	return l, nil
}

// Streaming reports whether the ledger keeps no history (NewStreamingLedger).
func (l *Ledger) Streaming() bool { return l.stream }

// History returns nil when the ledger keeps its event log and journals, and
// for a streaming ledger an invalid error saying that what (a report, an
// export) needs them. Readers of journals call it first, so that a
// streaming ledger's empty journals are refused rather than shown as books
// with no entries.
func (l *Ledger) History(what string) error {
	if !l.stream {
		return nil
	}
	return bf.E(what, bf.KindInvalid,
		"the ledger is streaming: it keeps balances only, no events or journal lines; post the events into a ledger from NewLedger")
}

// Len returns the number of events the ledger accepted.
func (l *Ledger) Len() int { return l.posted }

// EventByID returns the accepted event with the given id.
func (l *Ledger) EventByID(id string) (*bf.Event, bool) {
	i, ok := l.byID[id]
	if !ok {
		return nil, false
	}
	return l.events.At(int(i)), true
}

// EventIndex returns the index of the accepted event with the given id, as
// entries name it.
func (l *Ledger) EventIndex(id string) (int32, bool) {
	i, ok := l.byID[id]
	return i, ok
}

// Event returns accepted event i (0 ≤ i < Len), as entries name it.
func (l *Ledger) Event(i int32) *bf.Event { return l.events.At(int(i)) }

// Events yields every accepted event's index and the event, in the order
// they are costed: by date, and in the order they arrived within a day.
// An event's index is its place in that order, so an event that arrives
// dated before others in the open period moves those after it along.
func (l *Ledger) Events() iter.Seq2[int, *bf.Event] { return l.events.All() }

// Book returns the book with the given name, or nil.
func (l *Ledger) Book(name string) *Book {
	for _, b := range l.Books {
		if b.Config.Name == name {
			return b
		}
	}
	return nil
}

// OnHand returns the units of an item in stores.
func (l *Ledger) OnHand(item int32) bf.Qty { return l.onHand[item] }

// InProcess returns the units of an item started and not yet completed.
func (l *Ledger) InProcess(item int32) bf.Qty { return l.started[item] }

// ClosedThrough returns the date of the last close, zero when none.
func (l *Ledger) ClosedThrough() bf.Date {
	if l.stream {
		return l.closedOn
	}
	if len(l.closes) == 0 {
		return 0
	}
	return l.events.At(int(l.closes[len(l.closes)-1])).Date
}

// Period returns the 1-based period an event index falls in: events are
// in date order, so the period of its date.
func (l *Ledger) Period(event int32) int {
	p := 1
	for _, c := range l.closes {
		if event > c {
			p++
		}
	}
	return p
}

// Grow allocates ahead the room that n more events of about linesPerEvent
// lines need, so that a known stream posts without allocating. The history
// grows in chunks and is never copied (package chunked), so Grow is not
// needed for speed, only to keep allocation off the hot path. A streaming
// ledger keeps no history: it only makes every book's scratch room for one
// event of linesPerEvent lines (at least 64), and room for 64 closes; the
// scratch grows, once, to fit the largest event it meets.
func (l *Ledger) Grow(events, linesPerEvent int) {
	if l.stream {
		// A close is remembered (Period); room for five years of monthly
		// closes keeps closing from allocating.
		if cap(l.closes) < 64 {
			l.closes = append(make([]int32, 0, 64), l.closes...)
		}
		for _, b := range l.Books {
			b.reserveScratch(linesPerEvent)
		}
		return
	}
	l.events.Reserve(events)
	// The id index grows too: a map that grows while posting allocates and
	// rehashes on the hot path. A map cannot be grown in place, so it is
	// rebuilt with the room, once.
	if n := len(l.byID) + events; n > l.idRoom {
		m := make(map[string]int32, n)
		for id, i := range l.byID {
			m[id] = i
		}
		l.byID, l.idRoom = m, n
	}
	// Every event leaves a physical record (for reversals); starts and
	// completions one issue per component use.
	l.phys.Reserve(events)
	l.physArena.Reserve(events * len(l.comps))
	// A close appends to the list of closes; any event may be one.
	if cap(l.closes)-len(l.closes) < events {
		c := make([]int32, len(l.closes), len(l.closes)+events)
		copy(c, l.closes)
		l.closes = c
	}
	// An entry that is kept has at least two lines, so an event makes at
	// most linesPerEvent/2 entries (a sequential completion makes up to
	// five); two per event stays the floor.
	entries := events * max(2, linesPerEvent/2)
	for _, b := range l.Books {
		if b.wipQty != nil {
			b.wipLog.Reserve(events)
		}
		b.Journal.Reserve(entries, events*linesPerEvent)
		b.reserveScratch(linesPerEvent)
	}
}

// posting is what the rules need to know about the event being posted.
type posting struct {
	ev    *bf.Event
	idx   int32 // the index the event will have in the log
	arr   int32 // its arrival number
	item  int32 // -1 when the event names no item
	scale int

	fromStarted bf.Qty // complete: units taken from those started
	extra       bf.Qty // complete: units issued at completion (nothing started for them)
	diff        bf.Qty // count: counted minus book quantity
	price       bf.Cost
	sellingCost bf.Cost // sale: the item's variable selling cost per unit

	// start, complete: the quantities of the stocked components of the units
	// issued (qty; extra), per Std.Direct(item). See components.
	comps []bf.Qty
	// short: the part of each of comps left in the queue (queue.go).
	short []bf.Qty
	// takes: the queue entries the event re-processes.
	takes []take
	// target: the event a reverse event undoes.
	target int32
}

// Post applies one event to every book. It is all or nothing: an event that
// fails in any book changes no book, no quantity and no log. Posting an id
// again with the same content does nothing; with other content it is a
// conflict.
//
// Events are costed in date order (dateorder.go): an event dated before
// events already posted in the open period is costed at its place, and the
// open window re-costed from the last close; one dated in a closed period
// is refused.
func (l *Ledger) Post(e *bf.Event) error { return l.post(e, -1) }

// post posts an event that arrives (arr < 0), or costs again an event
// accepted before with its arrival number arr (a re-costing, dateorder.go),
// which must not be dated before the last event costed. One function, not
// two, for the hot path.
func (l *Ledger) post(e *bf.Event, arr int32) error {
	arrives := arr < 0
	if arrives {
		if err := e.Validate(); err != nil {
			return err
		}
		if l.stream {
			if e.Type == bf.Reverse {
				return bf.E("post", bf.KindInvalid, bf.LineNo(e.Line), bf.EventID(e.ID), bf.Field("type"),
					"a streaming ledger keeps no history to reverse; post the events into a ledger from NewLedger")
			}
		} else if i, dup := l.byID[e.ID]; dup {
			if l.events.At(int(i)).SameContent(e) {
				return nil
			}
			return bf.E("post", bf.KindConflict, bf.LineNo(e.Line), bf.EventID(e.ID), bf.Field("id"),
				"an event with this id and other content was posted before")
		}
		if e.Date < l.last {
			if err := l.checkLate(e, l.ClosedThrough(), nil); err != nil {
				return err
			}
			return l.late([]*bf.Event{e})
		}
		arr = l.arrived
	}
	if len(l.versions) > 1 {
		if std := l.stdFor(e.Date); std != l.Std {
			return l.postSwitching(e, arr, arrives, std)
		}
	}
	idx := int32(l.events.Len())
	if l.stream {
		idx = int32(l.posted)
	}
	p := posting{ev: e, idx: idx, arr: arr, item: -1, scale: l.Std.Scale}
	if e.Qty > bf.MaxStock || e.ScrapQty > bf.MaxStock {
		field, q := "qty", e.Qty
		if e.ScrapQty > bf.MaxStock {
			field, q = "scrap", e.ScrapQty
		}
		return stockErr(e, field, q.String()+" units")
	}
	if err := l.check(&p); err != nil {
		return err
	}
	// Mark every book before posting to any, so that a failure in one book
	// rolls every book back to this event's start, not to an older mark.
	for _, b := range l.Books {
		b.mark(p.idx)
	}
	for _, b := range l.Books {
		switch {
		case e.Type == bf.Reverse:
			l.reverse(b, &p)
		case b.act != nil:
			l.actual(b, &p)
		case b.Config.Method == bf.MethodSequential:
			l.sequential(b, &p)
		default:
			l.backflush(b, &p)
		}
		var err error
		switch {
		case b.bad:
			err = bf.E("post", bf.KindInvalid, bf.LineNo(e.Line), bf.EventID(e.ID), bf.Field(amountField(e, overrun{})),
				"amounts overflow the fixed-point range (quantity × cost too large)")
		case !b.fits() || !l.actualFits(b, &p):
			err = l.overflowErr(b, &p)
		}
		if err != nil {
			for _, b := range l.Books {
				b.rollback()
			}
			return err
		}
	}
	if err := l.movable(&p); err != nil {
		for _, b := range l.Books {
			b.rollback()
		}
		return err
	}
	for bi, b := range l.Books {
		if l.logging && b.pendTouch {
			l.undo = append(l.undo, undoRec{what: undoWIP, book: uint16(bi), item: b.pendItem,
				a: int64(b.wipQty[b.pendItem]), b: int64(b.wipVal[b.pendItem])})
		}
		if l.logging {
			for _, d := range b.pendShares {
				l.undo = append(l.undo, undoRec{what: undoShare, book: uint16(bi), item: d.h,
					a: int64(b.shareUnits[d.h]), b: int64(b.shareAmt[d.h])})
			}
		}
		b.commit()
		b.commitActual(&p)
	}
	l.move(&p)
	l.posted++
	l.last = e.Date
	if arrives {
		l.arrived++
	}
	if e.Type == bf.Close {
		l.closes = append(l.closes, p.idx)
		l.closedOn = e.Date
	}
	if l.stream {
		return nil
	}
	l.events.Append(*e)
	l.byID[e.ID] = p.idx
	if e.Type == bf.Close {
		l.base = l.snapshot(l.base)
	}
	return nil
}

// check resolves the event against the plant and the periods.
func (l *Ledger) check(p *posting) error {
	e := p.ev
	if ct := l.ClosedThrough(); ct != 0 && e.Date <= ct {
		return closedPeriod(e, ct)
	}
	if e.Item != "" {
		i, ok := l.Std.Lookup(e.Item)
		if !ok {
			return bf.E("post", bf.KindNotFound, bf.LineNo(e.Line), bf.EventID(e.ID), bf.Field("item"), "unknown item "+e.Item)
		}
		p.item = i
		kind := l.Std.Item(i).Kind
		switch e.Type {
		case bf.Purchase:
			if kind != bf.Material {
				return bf.E("post", bf.KindInvalid, bf.LineNo(e.Line), bf.EventID(e.ID), bf.Field("item"), "only materials are purchased; "+e.Item+" is "+kind.String())
			}
		case bf.Start, bf.Complete, bf.WIPCount:
			if kind != bf.Assembly && kind != bf.Finished {
				return bf.E("post", bf.KindInvalid, bf.LineNo(e.Line), bf.EventID(e.ID), bf.Field("item"), "only assemblies and finished items are made; "+e.Item+" is "+kind.String())
			}
		default:
			if kind == bf.Phantom {
				return bf.E("post", bf.KindInvalid, bf.LineNo(e.Line), bf.EventID(e.ID), bf.Field("item"), e.Item+" is a phantom: it is never stocked")
			}
		}
	}
	switch e.Type {
	case bf.Start:
		if !l.components(p, e.Qty) {
			return stockErr(e, "qty", "the components of "+e.Item)
		}
		if err := l.shortages(p); err != nil {
			return err
		}
	case bf.Complete:
		n := e.Qty + e.ScrapQty
		st := max(l.started[p.item], 0)
		p.fromStarted = min(st, n)
		p.extra = n - p.fromStarted
		if !l.components(p, p.extra) {
			return stockErr(e, "qty", "the components of "+e.Item)
		}
		if err := l.shortages(p); err != nil {
			return err
		}
		l.plan(p, p.item, e.Qty)
	case bf.Purchase:
		l.plan(p, p.item, e.Qty)
	case bf.Reprocess:
		l.plan(p, p.item, 0)
	case bf.Reverse:
		return l.checkReverse(p)
	case bf.Close:
		if len(l.queue) > 0 && e.Reason == "" {
			return bf.E("post", bf.KindConflict, bf.LineNo(e.Line), bf.EventID(e.ID), bf.Field("reason"), "the failed-backflush queue holds "+l.queueNote()+
				"; re-process it, or close with a reason that stays on record")
		}
	case bf.Count:
		p.diff = e.Qty - l.onHand[p.item]
		if p.diff > 0 {
			l.plan(p, p.item, p.diff)
		}
	case bf.WIPCount:
		// The count states how far the units in process have got; units
		// lost in process are reported as scrap at completion, so a count
		// that disagrees with the units in process is refused, not guessed at.
		if in := l.started[p.item]; e.Qty != in {
			return bf.E("post", bf.KindInvalid, bf.LineNo(e.Line), bf.EventID(e.ID), bf.Field("qty"), "counts "+e.Qty.String()+" units in process of "+e.Item+
				" but "+in.String()+" were started and not completed; report lost units as scrap at completion")
		}
	case bf.Sale:
		p.price = e.UnitPrice
		if p.price == 0 {
			p.price = l.Std.Item(p.item).Price
		}
		p.sellingCost = l.Std.Item(p.item).SellingCost
	}
	return nil
}

// move applies the event's physical movements: stock in stores and units in
// process. Components leave stores when production starts, or at completion
// for units completed without a start.
func (l *Ledger) move(p *posting) {
	e := p.ev
	rec := physRec{arr: p.arr}
	switch e.Type {
	case bf.Purchase:
		l.addOnHand(p.item, e.Qty)
	case bf.Start:
		rec.off, rec.n = l.issue(p)
		l.addStarted(p.item, e.Qty)
	case bf.Complete:
		rec.off, rec.n = l.issue(p)
		rec.fromStarted = p.fromStarted
		l.addStarted(p.item, -p.fromStarted)
		l.addOnHand(p.item, e.Qty)
	case bf.Sale:
		l.addOnHand(p.item, -e.Qty)
	case bf.Count:
		rec.diff = p.diff
		l.addOnHand(p.item, e.Qty-l.onHand[p.item])
	case bf.Reverse:
		l.unmove(p)
	}
	l.applyTakes(p)
	if !l.stream {
		l.phys.Append(rec)
	}
}

// movable returns an error when the event's physical movements would take
// an item's stock or units in process past bf.MaxStock. Units completed
// leave those in process and re-processed shortfalls leave stock: neither
// can take a quantity away from zero.
func (l *Ledger) movable(p *posting) error {
	e := p.ev
	onHand := func(i int32, q bf.Qty) error {
		if _, ok := bf.AddStock(l.onHand[i], q); !ok {
			return stockErr(e, "qty", "the stock of "+l.Std.Item(i).ID)
		}
		return nil
	}
	switch e.Type {
	case bf.Purchase:
		return onHand(p.item, e.Qty)
	case bf.Start:
		if _, ok := bf.AddStock(l.started[p.item], e.Qty); !ok {
			return stockErr(e, "qty", "the units in process of "+e.Item)
		}
		return l.issuableFrom(p)
	case bf.Complete:
		if err := onHand(p.item, e.Qty); err != nil {
			return err
		}
		return l.issuableFrom(p)
	case bf.Sale:
		return onHand(p.item, -e.Qty)
	}
	return nil
}

// issuableFrom returns an error when issuing the event's components would
// take a component's stock past bf.MaxStock. A component used more than
// once (directly and through a phantom) is checked for all its uses
// together, in l.need.
func (l *Ledger) issuableFrom(p *posting) error {
	uses := l.Std.direct[p.item]
	if l.Std.repeats[p.item] {
		defer func() {
			for _, u := range uses {
				l.need[u.Item] = 0
			}
		}()
	}
	for i, u := range uses {
		c := p.comps[i]
		if l.Std.repeats[p.item] {
			// Each use is within the limit (components) and the uses
			// before it left the stock within it, so this cannot wrap.
			c += l.need[u.Item]
			l.need[u.Item] = c
		}
		if _, ok := bf.AddStock(l.onHand[u.Item], -c); !ok {
			return stockErr(p.ev, "qty", "the stock of "+l.Std.Item(u.Item).ID)
		}
	}
	return nil
}

// components computes the stocked components of q units of p.item, the units
// the event issues, into p.comps, and reports whether none overflows. The
// stock check, every sequential book and the stock movement all need them:
// they are worked out once per event, not once per use.
func (l *Ledger) components(p *posting, q bf.Qty) bool {
	uses := l.Std.direct[p.item]
	p.comps = l.comps[:len(uses)]
	if q == 0 { // a completion of units all started: nothing is issued
		clear(p.comps)
		return true
	}
	for i, u := range uses {
		c, ok := bf.MulQty(q, u.Per)
		if !ok || c > bf.MaxStock || c < -bf.MaxStock {
			return false
		}
		p.comps[i] = c
	}
	return true
}

// issue takes the event's stocked components from stores, queues what was
// short, and records both for a reversal. It returns where the record is.
func (l *Ledger) issue(p *posting) (off, n int32) {
	off = int32(l.physArena.Len())
	for i, u := range l.Std.direct[p.item] {
		c := p.comps[i]
		if c == 0 {
			continue
		}
		short := bf.Qty(0)
		if p.short != nil {
			short = p.short[i]
		}
		l.addOnHand(u.Item, -(c - short))
		if short > 0 {
			l.queue = append(l.queue, QueueEntry{Event: p.idx, Parent: p.item, Comp: u.Item, Qty: short})
		}
		if !l.stream {
			l.physArena.Append(physUse{u.Item, c - short, short})
		}
	}
	return off, int32(l.physArena.Len()) - off
}
