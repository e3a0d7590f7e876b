package costing

import (
	"cmp"
	"slices"
	"strconv"

	bf "github.com/backflush/backflush"
)

// A period is its dates. An event belongs to the period of its date, not
// to the one open when it arrived: a plant posts September's events while
// August is still open (August closes on September's third working day),
// and late August documents arrive in September.
//
// So the ledger costs its events in date order, in the order they arrived
// within a day, and its event log (Events, the indexes entries name) is in
// that order. An event dated on or after the last one costed is costed at
// once (the hot path). One dated before events already costed in the open
// period is late: the open window — everything after the last close — is
// re-costed from the ledger's base, the state it recorded at that close,
// with the late event at its place. A close is an event like any other: a
// close dated D that arrives after events dated later than D is costed
// before them, so it covers exactly the events dated on or before D, and
// the later ones are re-costed after it, in the next period. An event dated
// on or before the last close is refused (KindClosedPeriod).
//
// A late event is refused if, costed at its place, it or an event after it
// fails (an event after it is named in the error); the ledger is then as
// it was. A streaming ledger keeps no history to re-cost and refuses late
// events.
//
// Re-costing costs as much as posting the open window again (Post of a late
// event in a window of n events is about n posts; BenchmarkPostLate). The
// base costs one copy of the per-item state per close.

// version is a version of the standards and the date it takes effect.
type version struct {
	from bf.Date
	std  *Standards
}

// arrival is an event and its arrival number, for re-costing.
type arrival struct {
	ev  bf.Event
	arr int32
}

// closedPeriod is the error of an event dated on or before ct, the last
// close. It says what to do instead: a closed period never changes, so
// the event, or the correction it stands for, is dated in the open one.
func closedPeriod(e *bf.Event, ct bf.Date) error {
	return bf.E("post", bf.KindClosedPeriod, bf.LineNo(e.Line), bf.EventID(e.ID), bf.Field("date"),
		"the period is closed through "+ct.String()+": date the event after "+ct.String()+
			", in the open period; a closed period is corrected by a reversal dated there (backflush reverse, or POST /api/v1/events/{id}/reverse)")
}

// checkLate checks what a late event must satisfy before the window is
// re-costed for it: its period is open (ct is the last close before it
// arrived), and a reversal is not dated before what it reverses (posted,
// or in seen, the batch so far), whose place it would otherwise take.
func (l *Ledger) checkLate(e *bf.Event, ct bf.Date, seen map[string]*bf.Event) error {
	if ct != 0 && e.Date <= ct {
		return closedPeriod(e, ct)
	}
	if e.Type != bf.Reverse {
		return nil
	}
	if te, ok := l.find(e.Reverses, seen); ok {
		return reversesEarlier(e, te)
	}
	return nil
}

// find returns the event with the given id: in seen (a batch so far), else
// posted.
func (l *Ledger) find(id string, seen map[string]*bf.Event) (*bf.Event, bool) {
	if e, ok := seen[id]; ok {
		return e, true
	}
	if k, ok := l.byID[id]; ok && !l.stream {
		return l.events.At(int(k)), true
	}
	return nil, false
}

// late costs events, accepted so far by Post or Merge (valid, new ids,
// checkLate), that are dated before the last event costed.
func (l *Ledger) late(fresh []*bf.Event) error {
	e := fresh[0]
	if l.stream {
		return bf.E("post", bf.KindInvalid, bf.LineNo(e.Line), bf.EventID(e.ID), bf.Field("date"),
			"dated before events already costed (through "+l.last.String()+"): a streaming ledger costs events in date order and keeps no history to re-cost; post the events into a ledger from NewLedger")
	}
	return l.recost(fresh, len(l.versions))
}

// recost re-costs the open window with the events fresh (in arrival order)
// at their places in date order. All or nothing: if any event fails, the
// window is costed again as it was, with the first versions of the
// standards (those it was costed with), and the error names the fresh
// event.
func (l *Ledger) recost(fresh []*bf.Event, versions int) error {
	b := l.base
	n := l.events.Len()
	old := make([]arrival, 0, n-b.events)
	for i := b.events; i < n; i++ {
		old = append(old, arrival{*l.events.At(i), l.phys.At(i).arr})
	}
	add := make([]arrival, len(fresh))
	for k, e := range fresh {
		add[k] = arrival{*e, l.arrived + int32(k)}
	}
	byDate := func(x, y arrival) int { return cmp.Compare(x.ev.Date, y.ev.Date) }
	slices.SortStableFunc(add, byDate)
	// Within a day the window's events arrived first.
	merged := make([]arrival, 0, len(old)+len(add))
	i, j := 0, 0
	for i < len(old) || j < len(add) {
		if j == len(add) || (i < len(old) && old[i].ev.Date <= add[j].ev.Date) {
			merged = append(merged, old[i])
			i++
		} else {
			merged = append(merged, add[j])
			j++
		}
	}
	gen := l.gen
	if at, err := l.repost(b, merged); err != nil {
		l.versions = l.versions[:versions]
		if _, again := l.repost(b, old); again != nil {
			panic("costing: the open window no longer costs as it did: " + again.Error())
		}
		l.gen = gen // the same costing as before: the undo log leads back again
		return l.blame(err, merged, at)
	}
	l.arrived += int32(len(fresh))
	return nil
}

// repost rewinds the ledger to the base b and costs evs after it, in order,
// as a new costing of the window (gen). It returns the index of the event
// that failed and its error.
func (l *Ledger) repost(b *Checkpoint, evs []arrival) (int, error) {
	l.recosting = true
	l.setLogging()
	defer func() {
		l.recosting = false
		l.setLogging()
	}()
	l.rewind(b)
	l.gens++
	l.gen = l.gens
	for i := range evs {
		if err := l.post(&evs[i].ev, evs[i].arr); err != nil {
			return i, err
		}
	}
	return -1, nil
}

// blame returns the error of a re-costing that failed at merged[at]: its
// own error when it is a new event; when it is one posted before, an error
// of the new event costed before it, which made it fail.
func (l *Ledger) blame(err error, merged []arrival, at int) error {
	x := &merged[at]
	if x.arr >= l.arrived {
		return err
	}
	for k := at - 1; k >= 0; k-- {
		if f := &merged[k]; f.arr >= l.arrived {
			return bf.E("post", bf.LineNo(f.ev.Line), bf.EventID(f.ev.ID), bf.Field("date"),
				"costed in date order, it comes before event "+strconv.Quote(x.ev.ID)+" of "+x.ev.Date.String()+
					", posted earlier, and makes that event fail", err)
		}
	}
	return err
}

// recostAsOf costs the open window as it stood at checkpoint c, from c's
// base: the events in it that had arrived by then, in the same order.
func (l *Ledger) recostAsOf(c *Checkpoint) {
	b := c.base
	var keep []arrival
	for i := b.events; i < l.events.Len(); i++ {
		if a := l.phys.At(i).arr; a < c.arrived {
			keep = append(keep, arrival{*l.events.At(i), a})
		}
	}
	if _, err := l.repost(b, keep); err != nil {
		panic("costing: the window as it stood at a checkpoint no longer costs: " + err.Error())
	}
}

// rewind returns the ledger to a base (snapshot).
func (l *Ledger) rewind(b *Checkpoint) {
	l.truncate(b)
	fill(l.onHand, b.onHand)
	fill(l.started, b.started)
	fill(l.leftStock, b.leftStock)
	fill(l.leftProcess, b.leftProcess)
	for i, bk := range l.Books {
		if bk.wipQty != nil {
			fill(bk.wipQty, b.books[i].wipQty)
			fill(bk.wipVal, b.books[i].wipVal)
		}
		if bk.shareAmt != nil {
			fill(bk.shareUnits, b.books[i].shareUnits)
			fill(bk.shareAmt, b.books[i].shareAmt)
		}
	}
}

// fill sets dst to src, or to zeros when src is nil.
func fill[T any](dst, src []T) {
	if src == nil {
		clear(dst)
		return
	}
	copy(dst, src)
}

// snapshot records the ledger, per-item state included, as a base: at
// construction and after every close. It reuses c's room unless c is still
// needed (an open checkpoint's base, or the base a re-costing runs from).
func (l *Ledger) snapshot(c *Checkpoint) *Checkpoint {
	if c == nil || l.recosting || l.pinned(c) {
		c = &Checkpoint{}
	}
	l.record(c)
	c.base = c
	if l.events.Len() == 0 {
		c.onHand, c.started, c.leftStock, c.leftProcess = nil, nil, nil, nil // all zeros: nothing to copy
		return c
	}
	c.onHand = append(c.onHand[:0], l.onHand...)
	c.started = append(c.started[:0], l.started...)
	c.leftStock = append(c.leftStock[:0], l.leftStock...)
	c.leftProcess = append(c.leftProcess[:0], l.leftProcess...)
	for i, b := range l.Books {
		bc := &c.books[i]
		if b.wipQty != nil {
			bc.wipQty = append(bc.wipQty[:0], b.wipQty...)
			bc.wipVal = append(bc.wipVal[:0], b.wipVal...)
		}
		if b.shareAmt != nil {
			bc.shareUnits = append(bc.shareUnits[:0], b.shareUnits...)
			bc.shareAmt = append(bc.shareAmt[:0], b.shareAmt...)
		}
	}
	return c
}

// pinned reports whether an open checkpoint starts from the base c.
func (l *Ledger) pinned(c *Checkpoint) bool {
	for _, o := range l.open {
		if o.base == c {
			return true
		}
	}
	return false
}

// Last returns the date of the last event costed. An event dated before it
// is late: posting it re-costs the open window.
func (l *Ledger) Last() bf.Date { return l.last }

// ArrivedSince reports whether event i was accepted after checkpoint c was
// taken (c open). Indexes follow date order, so a late event accepted
// since can have a lower index than events accepted before.
func (l *Ledger) ArrivedSince(c *Checkpoint, i int32) bool {
	return l.phys.At(int(i)).arr >= c.arrived
}

// Merge posts events given in the order they arrived, all or nothing, each
// at its place in date order, with one re-costing of the open window
// however many are late: what posting them one by one gives when each is
// accepted, at the cost of one re-costing rather than one per late event.
// Each is checked as Post checks it when it arrives (an id posted before or
// earlier in evs with the same content is skipped, with other content it
// is a conflict; one dated on or before a close posted before it, in the
// ledger or earlier in evs, is refused); then the batch is accepted if
// every event, new and old, costs in date order.
func (l *Ledger) Merge(evs []bf.Event) error {
	if len(evs) == 0 {
		return nil
	}
	var fresh []*bf.Event
	seen := map[string]*bf.Event{}
	ct, last, inOrder := l.ClosedThrough(), l.last, true
	for i := range evs {
		e := &evs[i]
		if err := e.Validate(); err != nil {
			return err
		}
		if prev, ok := l.find(e.ID, seen); ok {
			if prev.SameContent(e) {
				continue
			}
			return bf.E("post", bf.KindConflict, bf.LineNo(e.Line), bf.EventID(e.ID), bf.Field("id"),
				"an event with this id and other content was posted before")
		}
		if err := l.checkLate(e, ct, seen); err != nil {
			return err
		}
		if e.Type == bf.Close {
			ct = max(ct, e.Date)
		}
		inOrder = inOrder && e.Date >= last
		last = max(last, e.Date)
		seen[e.ID] = e
		fresh = append(fresh, e)
	}
	if len(fresh) == 0 {
		return nil
	}
	if !inOrder {
		return l.late(fresh)
	}
	cp := l.Checkpoint()
	defer l.Release(cp)
	for _, e := range fresh {
		if err := l.post(e, l.arrived); err != nil {
			l.Restore(cp)
			return err
		}
		l.arrived++
	}
	return nil
}

// Replay posts a log of accepted events in the order they arrived, as the
// service's store keeps it: the events costed in date order as they were
// when accepted, with one re-costing per period that had late events
// rather than one per late event. Events in date order are posted at
// once; from the first late one, they are held until the next close (or
// Flush) and merged then (Ledger.Merge).
type Replay struct {
	L    *Ledger
	held []bf.Event
}

// Post posts or holds the next event of the log.
func (r *Replay) Post(e *bf.Event) error {
	if len(r.held) == 0 && e.Date >= r.L.last {
		return r.L.Post(e)
	}
	r.held = append(r.held, *e)
	if e.Type == bf.Close {
		return r.Flush()
	}
	return nil
}

// Flush posts the events held.
func (r *Replay) Flush() error {
	if len(r.held) == 0 {
		return nil
	}
	err := r.L.Merge(r.held)
	r.held = r.held[:0]
	return err
}

// stdFor returns the standards that cost an event dated d: those of the
// newest version taking effect on or before d.
func (l *Ledger) stdFor(d bf.Date) *Standards {
	s := l.versions[0].std
	for _, v := range l.versions[1:] {
		if v.from <= d {
			s = v.std
		}
	}
	return s
}

// postSwitching posts an event (with its arrival number; arrives: it is
// new) that takes the ledger to a new version of the standards, all or
// nothing: refused, it leaves the version as it was.
func (l *Ledger) postSwitching(e *bf.Event, arr int32, arrives bool, std *Standards) error {
	cp := l.Checkpoint()
	defer l.Release(cp)
	err := l.switchTo(std)
	if err == nil {
		err = l.post(e, arr) // std is in force now
		if arrives && err == nil {
			l.arrived++
		}
	}
	if err != nil {
		l.Restore(cp)
	}
	return err
}

// SwitchStandards makes the ledger cost the events dated on or after
// effective with a new version of the standards, compiled by CompileFrom
// from the newest version it has; items the version adds get empty stock.
// effective must be after the last close. Events already costed from that
// date on are re-costed (the open window, as for a late event); the ledger
// takes the version as it costs the first event dated from effective. A
// book that keeps actual costs counts its period's flows against the BOMs
// in force, so it takes a new version only at a period boundary: the first
// event of the version must be the first after a close, or it is refused.
func (l *Ledger) SwitchStandards(std *Standards, effective bf.Date) error {
	newest := l.versions[len(l.versions)-1].std
	if std == newest {
		return nil
	}
	if len(std.Plant.Items) < len(newest.Plant.Items) {
		return bf.E("switch standards", bf.KindInvalid, "the new version drops items; compile it with CompileFrom")
	}
	if ct := l.ClosedThrough(); ct != 0 && effective <= ct {
		return bf.E("switch standards", bf.KindClosedPeriod, bf.Field("effective"),
			"the period is closed through "+ct.String()+": a new version takes effect after it")
	}
	l.versions = append(l.versions, version{effective, std})
	if effective > l.last || l.posted == 0 {
		return nil
	}
	if l.stream {
		l.versions = l.versions[:len(l.versions)-1]
		return bf.E("switch standards", bf.KindInvalid, bf.Field("effective"),
			"events dated from "+effective.String()+" are costed already: a streaming ledger keeps no history to re-cost")
	}
	if err := l.recost(nil, len(l.versions)-1); err != nil {
		return bf.E("switch standards", bf.Field("effective"), err)
	}
	return nil
}
