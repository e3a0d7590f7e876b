package costing

import (
	bf "github.com/backflush/backflush"
)

// Checkpoint is a ledger's state at a point, so that a batch of events can be
// posted all or nothing: post them one by one, and Restore the checkpoint if
// any is refused (or if the batch cannot be made durable); Release it once
// it will not be restored.
//
// A checkpoint copies nothing per item: from the first checkpoint until the
// last is released, the ledger logs the value each event replaces in the
// per-item state (stock, units in process, WIP), and Restore puts them back
// in reverse. So taking one costs O(books) and restoring O(changes since),
// whatever the size of the plant; the durable service takes one per batch.
// Books that keep actual costs are the exception: their state is copied.
// When the open window was re-costed since (an event arrived dated before
// others, dateorder.go), the log no longer leads back: Restore re-costs the
// window from the last close as it stood at the checkpoint, with the events
// that had arrived by then.
//
// The ledger keeps one checkpoint of its own that does copy the per-item
// state: its base, taken at every close, where a re-costing starts.
type Checkpoint struct {
	events, closes, phys, arena, revLog int
	posted                              int
	closedOn, last                      bf.Date
	arrived                             int32
	queue                               []QueueEntry
	undo                                int // the undo log's position (see Ledger.undoBase)
	gen                                 int // the window's costing the undo log leads back from (see Ledger.gen)
	items                               int // the per-item arrays' length (SwitchStandards grows them)
	versions                            int // the number of versions of the standards
	books                               []bookCheckpoint
	std                                 *Standards
	base                                *Checkpoint // the ledger's base then

	// A base only (Ledger.snapshot): the per-item state; nil is all zeros.
	onHand, started        []bf.Qty
	leftStock, leftProcess []bf.Qty
}

type bookCheckpoint struct {
	entries, lines, wipLog int
	bal                    [bf.NumAccounts]bf.Money
	convVar, wipTotal      bf.Money
	act                    *actualState
	lcnrvItems             []lcnrvState
	cogsMark               bf.Money

	// A base only: the WIP sub-ledger of a sequential book and the
	// prorated shares the goods carry; nil is zeros.
	wipQty     []bf.Qty
	wipVal     []bf.Money
	shareUnits []bf.Qty
	shareAmt   []bf.Money
}

// undoWhat says which per-item value an undo record restores.
type undoWhat uint8

const (
	undoOnHand  undoWhat = iota // l.onHand[item], l.leftStock[item] = a, b
	undoStarted                 // l.started[item], l.leftProcess[item] = a, b
	undoWIP                     // book's wipQty[item], wipVal[item] = a, b
	undoShare                   // book's shareUnits[item], shareAmt[item] = a, b (item is a holding)
)

// undoRec is a per-item value as it was before an event changed it.
type undoRec struct {
	what undoWhat
	book uint16
	item int32
	a, b int64
}

// addOnHand changes an item's stock, counting a decrease as units that
// left stores, and logs the old values while a checkpoint is open.
func (l *Ledger) addOnHand(i int32, d bf.Qty) {
	if l.logging {
		l.undo = append(l.undo, undoRec{what: undoOnHand, item: i, a: int64(l.onHand[i]), b: int64(l.leftStock[i])})
	}
	l.onHand[i] += d
	if d < 0 {
		l.leftStock[i] -= d
	}
}

// addStarted changes an item's units in process, counting a decrease as
// units that left process, and logs the old values while a checkpoint is
// open.
func (l *Ledger) addStarted(i int32, d bf.Qty) {
	if l.logging {
		l.undo = append(l.undo, undoRec{what: undoStarted, item: i, a: int64(l.started[i]), b: int64(l.leftProcess[i])})
	}
	l.started[i] += d
	if d < 0 {
		l.leftProcess[i] -= d
	}
}

// setLogging says whether posting logs for the open checkpoints: while any
// is open, except while the window is re-costed (a re-costing leaves the
// log behind: see gen).
func (l *Ledger) setLogging() { l.logging = len(l.open) > 0 && !l.recosting }

// Checkpoint records the ledger's state. It costs O(books) (and copies the
// state of books keeping actual costs); until it is released, posting logs
// what Restore needs.
func (l *Ledger) Checkpoint() *Checkpoint {
	c := l.record(&Checkpoint{})
	c.undo, c.gen = l.undoBase+len(l.undo), l.gen
	l.open = append(l.open, c)
	l.setLogging()
	return c
}

// record fills c with the ledger's state but the per-item arrays, reusing
// c's room, and returns it.
func (l *Ledger) record(c *Checkpoint) *Checkpoint {
	c.events, c.closes, c.phys, c.arena = l.events.Len(), len(l.closes), l.phys.Len(), l.physArena.Len()
	c.revLog, c.posted, c.closedOn, c.last, c.arrived = len(l.revLog), l.posted, l.closedOn, l.last, l.arrived
	c.queue = append(c.queue[:0], l.queue...)
	c.items, c.versions, c.std, c.base = len(l.onHand), len(l.versions), l.Std, l.base
	if cap(c.books) < len(l.Books) {
		c.books = make([]bookCheckpoint, len(l.Books))
	}
	c.books = c.books[:len(l.Books)]
	for i, b := range l.Books {
		bc := &c.books[i]
		bc.entries, bc.lines, bc.wipLog = b.Journal.Len(), b.Journal.NumLines(), b.wipLog.Len()
		bc.bal, bc.lcnrvItems, bc.act = b.bal, b.lcnrvItems, nil
		bc.convVar, bc.wipTotal, bc.cogsMark = b.convVar, b.wipTotal, b.cogsMark
		if b.act != nil {
			bc.act = b.act.deepCopy()
		}
	}
	return c
}

// openIndex returns the position of c among the open checkpoints, -1 when
// it was released or restored past.
func (l *Ledger) openIndex(c *Checkpoint) int {
	for i := len(l.open) - 1; i >= 0; i-- {
		if l.open[i] == c {
			return i
		}
	}
	return -1
}

// Restore returns the ledger to a checkpoint taken on it, forgetting every
// event posted since. The checkpoint stays open (it may be restored again);
// the checkpoints taken after it are released, their state gone. Restoring
// a released checkpoint is a programming error and panics.
func (l *Ledger) Restore(c *Checkpoint) {
	k := l.openIndex(c)
	if k < 0 {
		panic("costing: Restore of a checkpoint that was released or restored past")
	}
	clear(l.open[k+1:])
	l.open = l.open[:k+1]
	l.versions = l.versions[:c.versions]
	if c.gen == l.gen {
		for i := len(l.undo) - 1; i >= c.undo-l.undoBase; i-- {
			u := &l.undo[i]
			switch u.what {
			case undoOnHand:
				l.onHand[u.item], l.leftStock[u.item] = bf.Qty(u.a), bf.Qty(u.b)
			case undoStarted:
				l.started[u.item], l.leftProcess[u.item] = bf.Qty(u.a), bf.Qty(u.b)
			case undoWIP:
				b := l.Books[u.book]
				b.wipQty[u.item], b.wipVal[u.item] = bf.Qty(u.a), bf.Money(u.b)
			case undoShare:
				b := l.Books[u.book]
				b.shareUnits[u.item], b.shareAmt[u.item] = bf.Qty(u.a), bf.Money(u.b)
			}
		}
		l.truncate(c)
	} else {
		// Re-costed since: the window as it stood, from its base.
		l.recostAsOf(c)
		l.gen = c.gen
	}
	l.undo = l.undo[:c.undo-l.undoBase]
	l.arrived = c.arrived
	l.setLogging()
}

// truncate returns the logs, the journals and the books' state to c; the
// per-item state is the caller's.
func (l *Ledger) truncate(c *Checkpoint) {
	for i := c.events; i < l.events.Len(); i++ {
		delete(l.byID, l.events.At(i).ID)
	}
	l.events.Truncate(c.events)
	l.closes = l.closes[:c.closes]
	l.posted, l.closedOn, l.last, l.base = c.posted, c.closedOn, c.last, c.base
	l.phys.Truncate(c.phys)
	l.physArena.Truncate(c.arena)
	for _, t := range l.revLog[c.revLog:] {
		delete(l.reversed, t)
	}
	l.revLog = l.revLog[:c.revLog]
	l.queue = append(l.queue[:0], c.queue...)
	if c.std != l.Std {
		// Items a later version added had no state at the checkpoint.
		l.Std = c.std
		l.onHand, l.started, l.need = l.onHand[:c.items], l.started[:c.items], l.need[:c.items]
		l.leftStock, l.leftProcess = l.leftStock[:c.items], l.leftProcess[:c.items]
	}
	for i, b := range l.Books {
		bc := &c.books[i]
		b.Journal.Truncate(bc.entries, bc.lines)
		b.wipLog.Truncate(bc.wipLog)
		b.bal, b.convVar, b.wipTotal = bc.bal, bc.convVar, bc.wipTotal
		b.lcnrvItems, b.cogsMark = bc.lcnrvItems, bc.cogsMark
		if b.wipQty != nil && len(b.wipQty) > c.items {
			b.wipQty, b.wipVal = b.wipQty[:c.items], b.wipVal[:c.items]
		}
		if b.shareAmt != nil && len(b.shareAmt) > 2*c.items {
			b.shareAmt, b.shareUnits = b.shareAmt[:2*c.items], b.shareUnits[:2*c.items]
		}
		if bc.act != nil {
			b.act = bc.act.deepCopy()
		}
	}
}

// Release tells the ledger that c will not be restored. Once no checkpoint
// is open, posting stops logging; releasing the oldest drops the part of
// the log only it needed. Releasing a checkpoint twice, or one restored
// past, does nothing.
func (l *Ledger) Release(c *Checkpoint) {
	k := l.openIndex(c)
	if k < 0 {
		return
	}
	copy(l.open[k:], l.open[k+1:])
	l.open[len(l.open)-1] = nil
	l.open = l.open[:len(l.open)-1]
	l.setLogging()
	if len(l.open) == 0 {
		l.undo, l.undoBase = l.undo[:0], 0
		return
	}
	if k == 0 {
		drop := l.open[0].undo - l.undoBase
		n := copy(l.undo, l.undo[drop:])
		l.undo = l.undo[:n]
		l.undoBase += drop
	}
}

// deepCopy copies an actual-cost state entirely, flows included.
func (a *actualState) deepCopy() *actualState {
	c := &actualState{
		layers: make([][]layer, len(a.layers)), wip: append([]wipState(nil), a.wip...),
		started: append([]bf.Qty(nil), a.started...), good: append([]bf.Qty(nil), a.good...),
		scrapped: append([]bf.Qty(nil), a.scrapped...), sold: append([]bf.Qty(nil), a.sold...),
		counted: append([]bf.Qty(nil), a.counted...), issued: make([][]bf.Qty, len(a.issued)),
		endPct: append([]pcts(nil), a.endPct...), notes: append([]string(nil), a.notes...),
		reports: append([]ProcessReport(nil), a.reports...),
	}
	for i := range a.layers {
		c.layers[i] = append([]layer(nil), a.layers[i]...)
	}
	for i := range a.issued {
		c.issued[i] = append([]bf.Qty(nil), a.issued[i]...)
	}
	return c
}

// switchTo makes the ledger cost the events it posts from now on with a
// new version of the standards, compiled by CompileFrom from the current
// ones. Items the new version adds get empty stock. Books that keep actual
// costs must be switched at a period boundary: their period's flows are
// counted against the current BOMs.
func (l *Ledger) switchTo(std *Standards) error {
	if std == l.Std {
		return nil
	}
	if len(std.Plant.Items) < len(l.Std.Plant.Items) {
		return bf.E("switch standards", bf.KindInvalid, "the new version drops items; compile it with CompileFrom")
	}
	for _, b := range l.Books {
		if b.act != nil && b.act.hasFlows() {
			return bf.E("switch standards", bf.KindInvalid, bf.Field("effective"),
				"book "+b.Config.Name+" keeps actual costs: a new version takes effect for it at a period boundary (right after a close)")
		}
	}
	n := std.NumItems()
	grow := func(q []bf.Qty) []bf.Qty { return append(q, make([]bf.Qty, n-len(q))...) }
	l.onHand, l.started, l.need = grow(l.onHand), grow(l.started), grow(l.need)
	l.leftStock, l.leftProcess = grow(l.leftStock), grow(l.leftProcess)
	m := 0
	for i := range std.direct {
		m = max(m, len(std.direct[i]))
	}
	if m > len(l.comps) {
		l.comps = make([]bf.Qty, m)
		l.shortBuf = make([]bf.Qty, m)
	}
	l.sizeMemo(std)
	for _, b := range l.Books {
		if b.wipQty != nil {
			b.wipQty = grow(b.wipQty)
			b.wipVal = append(b.wipVal, make([]bf.Money, n-len(b.wipVal))...)
		}
		if b.shareAmt != nil {
			b.shareUnits = append(b.shareUnits, make([]bf.Qty, 2*n-len(b.shareUnits))...)
			b.shareAmt = append(b.shareAmt, make([]bf.Money, 2*n-len(b.shareAmt))...)
		}
		if b.act != nil {
			old := b.act
			b.act = newActualState(std)
			copy(b.act.wip, old.wip)
			copy(b.act.layers, old.layers)
			b.act.notes, b.act.reports = old.notes, old.reports
		}
	}
	l.Std = std
	return nil
}

// hasFlows reports whether the state holds physical flows of an open period.
func (a *actualState) hasFlows() bool {
	for i := range a.started {
		if a.started[i] != 0 || a.good[i] != 0 || a.scrapped[i] != 0 || a.sold[i] != 0 || a.counted[i] != 0 {
			return true
		}
		for _, q := range a.issued[i] {
			if q != 0 {
				return true
			}
		}
	}
	return false
}
