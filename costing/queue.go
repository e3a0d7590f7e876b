package costing

import (
	"strconv"

	bf "github.com/backflush/backflush"
)

// The failed-backflush queue. When issuing a component would take its stock
// below zero, the component's shortage policy decides:
//
//	allow   issue it all; stock goes negative (the JIT default: a count finds it)
//	reject  refuse the event (KindInsufficient)
//	queue   issue what is on hand and hold the shortfall in the queue
//
// A queued shortfall is re-processed automatically, oldest first, as soon
// as stock of the component arrives (a purchase, a completion, a count
// finding more) or on a reprocess event. In the sequential books the
// shortfall's value is credited to backflush_clearing when it is issued and
// moved to the component's stock account when it is re-processed:
//
//	issue       Dr WIP   Cr materials (what was there), Cr backflush_clearing (the shortfall)
//	re-process  Dr backflush_clearing   Cr materials
//
// Backflush books flush standard costs from the BOM whatever the stock, as
// the method does; the queue is where their plant sees the shortfall. A
// period cannot close while the queue holds entries, unless the close gives
// a reason, which stays in the log.

// QueueEntry is a component shortfall waiting for stock.
type QueueEntry struct {
	Event  int32  // index of the event that issued it
	Parent int32  // the item being made
	Comp   int32  // the component short
	Qty    bf.Qty // units still to issue
}

// take is one re-processing of a queue entry planned by an event.
type take struct {
	entry int
	qty   bf.Qty
}

// Queue returns the entries of the failed-backflush queue, oldest first.
func (l *Ledger) Queue() []QueueEntry { return l.queue }

// shortages applies the components' shortage policies to an issue (p.comps),
// filling p.short with the units of each use that must wait in the queue. It
// returns an error for a shortfall of a component whose policy is reject.
func (l *Ledger) shortages(p *posting) error {
	uses := l.Std.direct[p.item]
	p.short = l.shortBuf[:len(uses)]
	clear(p.short)
	strict := false
	for _, u := range uses {
		strict = strict || l.Std.Item(u.Item).Shortage != bf.ShortageAllow
	}
	if !strict {
		return nil
	}
	defer func() {
		for _, u := range uses {
			l.need[u.Item] = 0
		}
	}()
	// A component may appear in several uses (directly and through a
	// phantom): a rejection looks at their sum.
	for i, u := range uses {
		// Each use is within bf.MaxStock (components); a component used
		// many times could pass the range, so the sum is checked.
		var ok bool
		if l.need[u.Item], ok = addQty(l.need[u.Item], p.comps[i]); !ok {
			return stockErr(p.ev, "qty", "the components of "+p.ev.Item)
		}
	}
	for _, u := range uses {
		it := l.Std.Item(u.Item)
		if it.Shortage == bf.ShortageReject && l.need[u.Item] > max(l.onHand[u.Item], 0) {
			return bf.E("post", bf.KindInsufficient, bf.LineNo(p.ev.Line), bf.EventID(p.ev.ID), bf.Field("qty"), bf.ItemID(it.ID),
				"issuing "+l.need[u.Item].String()+" "+it.ID+" would leave "+(l.onHand[u.Item]-l.need[u.Item]).String()+
					" on hand (its shortage policy is reject)")
		}
	}
	for _, u := range uses {
		l.need[u.Item] = 0
	}
	// Queue: the stock on hand goes to the uses in order; the rest waits.
	for i, u := range uses {
		if l.Std.Item(u.Item).Shortage != bf.ShortageQueue {
			continue
		}
		// need is at most the stock on hand here: no sum wraps.
		have := max(l.onHand[u.Item]-l.need[u.Item], 0)
		avail := min(have, p.comps[i])
		p.short[i] = p.comps[i] - avail
		l.need[u.Item] += avail
	}
	return nil
}

// plan works out which queue entries an event re-processes: those of item,
// oldest first, out of the stock it will have after the event's inflow. With
// item −1 (a reprocess event for every item) each queued component is
// retried with the stock it has.
func (l *Ledger) plan(p *posting, item int32, inflow bf.Qty) {
	p.takes = l.takeBuf[:0]
	if len(l.queue) == 0 {
		return
	}
	left := map[int32]bf.Qty{}
	for k, q := range l.queue {
		if item >= 0 && q.Comp != item {
			continue
		}
		have, seen := left[q.Comp]
		if !seen {
			have = l.onHand[q.Comp]
			if q.Comp == item {
				have += inflow // both within bf.MaxStock: no wrap
			}
		}
		t := min(q.Qty, max(have, 0))
		if t > 0 {
			p.takes = append(p.takes, take{k, t})
		}
		left[q.Comp] = have - t
	}
	l.takeBuf = p.takes[:0]
}

// reprocessLines posts, in a sequential book, the re-processing an event
// triggers: the clearing account gives way to the component's stock account.
func (l *Ledger) reprocessLines(b *Book, p *posting) {
	if len(p.takes) == 0 {
		return
	}
	s := l.Std
	b.begin(p.idx, bf.EntryQueued)
	for _, t := range p.takes {
		c := l.queue[t.entry].Comp
		v := b.extend(t.qty, s.RolledFor(c, b.Config.Scope), p.scale)
		b.line(bf.BackflushClearing, v, t.qty, c, -1)
		b.line(stockAccount(s, c), -v, -t.qty, c, -1)
	}
	b.end()
}

// applyTakes re-processes the planned queue entries in stock and queue.
func (l *Ledger) applyTakes(p *posting) {
	if len(p.takes) == 0 {
		return
	}
	for _, t := range p.takes {
		q := &l.queue[t.entry]
		l.addOnHand(q.Comp, -t.qty)
		q.Qty -= t.qty
	}
	w := 0
	for _, q := range l.queue {
		if q.Qty != 0 {
			l.queue[w] = q
			w++
		}
	}
	l.queue = l.queue[:w]
}

// queueNote describes the queue for a refused close.
func (l *Ledger) queueNote() string {
	items := map[int32]bool{}
	var names []string
	for _, q := range l.queue {
		if !items[q.Comp] {
			items[q.Comp] = true
			names = append(names, l.Std.Item(q.Comp).ID)
		}
	}
	s := strconv.Itoa(len(l.queue)) + " entries ("
	for i, n := range names {
		if i > 0 {
			s += ", "
		}
		s += n
	}
	return s + ")"
}
