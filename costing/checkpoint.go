package costing

import (
	bf "github.com/backflush/backflush"
)

// Checkpoint is a ledger's state at a point, so that a batch of events can be
// posted all or nothing: post them one by one, and Restore the checkpoint if
// any is refused (or if the batch cannot be made durable).
type Checkpoint struct {
	events, closes, phys, arena, revLog int
	posted                              int
	closedOn                            bf.Date
	queue                               []QueueEntry
	onHand, started                     []bf.Qty
	books                               []bookCheckpoint
	std                                 *Standards
}

type bookCheckpoint struct {
	entries, lines, wipLog int
	bal                    [bf.NumAccounts]bf.Money
	wipQty                 []bf.Qty
	wipVal                 []bf.Money
	act                    *actualState
	lcnrvItems             []lcnrvState
	prorated               [2][]prorateShare
}

// Checkpoint records the ledger's state. It copies the per-item arrays, so
// it costs O(items × books), not O(events).
func (l *Ledger) Checkpoint() *Checkpoint {
	c := &Checkpoint{events: l.events.Len(), closes: len(l.closes), phys: l.phys.Len(), arena: l.physArena.Len(),
		revLog: len(l.revLog), posted: l.posted, closedOn: l.closedOn, queue: append([]QueueEntry(nil), l.queue...),
		onHand: append([]bf.Qty(nil), l.onHand...), started: append([]bf.Qty(nil), l.started...), std: l.Std}
	for _, b := range l.Books {
		bc := bookCheckpoint{entries: b.Journal.Len(), lines: b.Journal.NumLines(), wipLog: b.wipLog.Len(),
			bal: b.bal, lcnrvItems: b.lcnrvItems}
		for k := range b.prorated {
			bc.prorated[k] = append([]prorateShare(nil), b.prorated[k]...)
		}
		if b.wipQty != nil {
			bc.wipQty = append([]bf.Qty(nil), b.wipQty...)
			bc.wipVal = append([]bf.Money(nil), b.wipVal...)
		}
		if b.act != nil {
			bc.act = b.act.deepCopy()
		}
		c.books = append(c.books, bc)
	}
	return c
}

// Restore returns the ledger to a checkpoint taken on it, forgetting every
// event posted since.
func (l *Ledger) Restore(c *Checkpoint) {
	for i := c.events; i < l.events.Len(); i++ {
		delete(l.byID, l.events.At(i).ID)
	}
	l.events.Truncate(c.events)
	l.closes = l.closes[:c.closes]
	l.posted, l.closedOn = c.posted, c.closedOn
	l.phys.Truncate(c.phys)
	l.physArena.Truncate(c.arena)
	for _, t := range l.revLog[c.revLog:] {
		delete(l.reversed, t)
	}
	l.revLog = l.revLog[:c.revLog]
	l.queue = append(l.queue[:0], c.queue...)
	if c.std != l.Std {
		l.Std = c.std
	}
	l.onHand = append(l.onHand[:0], c.onHand...)
	l.started = append(l.started[:0], c.started...)
	for i, b := range l.Books {
		bc := &c.books[i]
		b.Journal.Truncate(bc.entries, bc.lines)
		b.wipLog.Truncate(bc.wipLog)
		b.bal = bc.bal
		b.lcnrvItems = bc.lcnrvItems
		for k := range b.prorated {
			b.prorated[k] = append(b.prorated[k][:0], bc.prorated[k]...)
		}
		if bc.wipQty != nil {
			b.wipQty = append(b.wipQty[:0], bc.wipQty...)
			b.wipVal = append(b.wipVal[:0], bc.wipVal...)
		}
		if bc.act != nil {
			b.act = bc.act.deepCopy()
		}
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

// SwitchStandards makes the ledger cost the events it is given from now on
// with a new version of the standards, compiled by CompileFrom from the
// current ones. Items the new version adds get empty stock. Books that keep
// actual costs must be switched at a period boundary: their period's flows
// are counted against the current BOMs.
func (l *Ledger) SwitchStandards(std *Standards) error {
	if std == l.Std {
		return nil
	}
	if len(std.Plant.Items) < len(l.Std.Plant.Items) {
		return &bf.Error{Kind: bf.KindInvalid, Op: "switch standards", Reason: "the new version drops items; compile it with CompileFrom"}
	}
	for _, b := range l.Books {
		if b.act != nil && b.act.hasFlows() {
			return &bf.Error{Kind: bf.KindInvalid, Op: "switch standards", Field: "effective",
				Reason: "book " + b.Config.Name + " keeps actual costs: a new version takes effect for it at a period boundary (right after a close)"}
		}
	}
	n := std.NumItems()
	grow := func(q []bf.Qty) []bf.Qty { return append(q, make([]bf.Qty, n-len(q))...) }
	l.onHand, l.started, l.need = grow(l.onHand), grow(l.started), grow(l.need)
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
		if b.act != nil {
			old := b.act
			b.act = newActualState(std)
			copy(b.act.wip, old.wip)
			for i := range old.layers {
				b.act.layers[i] = old.layers[i]
			}
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
