package costing

import (
	"sort"

	bf "github.com/backflush/backflush"
)

// Corrections are reverse events. A reverse event undoes an earlier event
// exactly: in every book each of the original's entries is posted again with
// every line negated (same accounts, items, BOM paths and quantities), and
// the physical movements are undone — reversing a backflush returns exactly
// the component quantities and costs it relieved. The reversal is dated in
// the open period even when the original was in a closed one, as an ERP
// reverses a document: closed periods are never changed.
//
// Not reversible: closes, reversals, reprocess and wip_count events; an
// event whose queued shortfall was partly re-processed since; and, for now,
// any event in a ledger with an actual-cost book, whose periodic costing
// cannot be undone line by line (post a correcting event instead).

// physRec is what an event did to the physical quantities, kept so that a
// reversal can undo it whatever happened since (standards included).
type physRec struct {
	diff        bf.Qty // count: counted minus book
	fromStarted bf.Qty // complete: units taken from those in process
	off, n      int32  // start, complete: its component issues, in physArena
	arr         int32  // the event's arrival number (dateorder.go), kept here to make one record per event
}

// physUse is one component issue of an event: units taken from stores and
// units left short in the queue.
type physUse struct {
	item         int32
	avail, short bf.Qty
}

// wipRec is what an event did to a sequential book's WIP sub-ledger.
type wipRec struct {
	event int32
	item  int32
	qty   bf.Qty
	val   bf.Money
}

// Reversed returns the index of the event that reversed event i, if any.
func (l *Ledger) Reversed(i int32) (int32, bool) {
	r, ok := l.reversed[i]
	return r, ok
}

// checkReverse resolves a reverse event's target.
func (l *Ledger) checkReverse(p *posting) error {
	e := p.ev
	t, ok := l.byID[e.Reverses]
	if !ok {
		return bf.E("post", bf.KindNotFound, bf.LineNo(e.Line), bf.EventID(e.ID), bf.Field("reverses"), "no event with id "+e.Reverses)
	}
	te := l.events.At(int(t))
	if err := reversesEarlier(e, te); err != nil {
		return err
	}
	switch te.Type {
	case bf.Close, bf.Reverse, bf.Reprocess, bf.WIPCount:
		return bf.E("post", bf.KindInvalid, bf.LineNo(e.Line), bf.EventID(e.ID), bf.Field("reverses"), "a "+te.Type.String()+" event cannot be reversed")
	}
	if r, done := l.reversed[t]; done {
		return bf.E("post", bf.KindConflict, bf.LineNo(e.Line), bf.EventID(e.ID), bf.Field("reverses"), e.Reverses+" was already reversed by "+l.events.At(int(r)).ID)
	}
	for _, b := range l.Books {
		if b.act != nil {
			return bf.E("post", bf.KindInvalid, bf.LineNo(e.Line), bf.EventID(e.ID), bf.Field("reverses"), "book "+b.Config.Name+" keeps actual costs, which a reversal cannot undo line by line; post a correcting event instead")
		}
	}
	if te.Type == bf.Start || te.Type == bf.Complete {
		rec := l.phys.At(int(t))
		// The queue still holds exactly what t left short, or nothing of it.
		for _, q := range l.queue {
			if q.Event != t {
				continue
			}
			var short bf.Qty
			for k := rec.off; k < rec.off+rec.n; k++ {
				if u := l.physArena.At(int(k)); u.item == q.Comp {
					short += u.short
				}
			}
			if q.Qty != short {
				return bf.E("post", bf.KindInvalid, bf.LineNo(e.Line), bf.EventID(e.ID), bf.Field("reverses"), "part of "+e.Reverses+"'s queued shortfall was re-processed since; post a correcting event instead")
			}
		}
	}
	p.target = t
	return nil
}

// reversesEarlier refuses a reversal e dated before the event te it
// reverses: costed in date order, it would come before what it undoes.
func reversesEarlier(e, te *bf.Event) error {
	if te.Date > e.Date {
		return bf.E("post", bf.KindInvalid, bf.LineNo(e.Line), bf.EventID(e.ID), bf.Field("date"),
			"a reversal is dated on or after the event it reverses ("+e.Reverses+" is dated "+te.Date.String()+")")
	}
	return nil
}

// itemOf returns the item index of event i (which names one).
func (l *Ledger) itemOf(i int32) int32 {
	x, _ := l.Std.Lookup(l.events.At(int(i)).Item)
	return x
}

// reverse posts, in one book, the negation of every entry of the target.
func (l *Ledger) reverse(b *Book, p *posting) {
	t := p.target
	j := &b.Journal
	lo := sort.Search(j.Len(), func(i int) bool { return j.Entry(i).Event >= t })
	for k := lo; k < j.Len() && j.Entry(k).Event == t; k++ {
		if j.Entry(k).Kind == bf.EntryShare {
			continue // a share moved stays moved (shares.go)
		}
		b.begin(p.idx, bf.EntryReversal)
		for _, ln := range j.LinesOf(j.Entry(k)) {
			b.line(ln.Account, -ln.Amount, -ln.Qty, ln.Item, ln.Path)
		}
		b.end()
	}
	if b.wipQty != nil {
		wl := &b.wipLog
		k := sort.Search(wl.Len(), func(i int) bool { return wl.At(i).event >= t })
		if k < wl.Len() && wl.At(k).event == t {
			r := wl.At(k)
			b.wip(r.item, -r.qty, -r.val)
		}
	}
	l.reversalShares(b, p)
}

// unmove undoes the target's physical movements.
func (l *Ledger) unmove(p *posting) {
	t := p.target
	te := l.events.At(int(t))
	rec := l.phys.At(int(t))
	item := int32(-1)
	if te.Item != "" {
		item = l.itemOf(t)
	}
	switch te.Type {
	case bf.Purchase:
		l.addOnHand(item, -te.Qty)
	case bf.Start, bf.Complete:
		for k := rec.off; k < rec.off+rec.n; k++ {
			u := l.physArena.At(int(k))
			l.addOnHand(u.item, u.avail)
		}
		if te.Type == bf.Start {
			l.addStarted(item, -te.Qty)
		} else {
			l.addStarted(item, rec.fromStarted)
			l.addOnHand(item, -te.Qty)
		}
		w := 0
		for _, q := range l.queue {
			if q.Event != t {
				l.queue[w] = q
				w++
			}
		}
		l.queue = l.queue[:w]
	case bf.Sale:
		l.addOnHand(item, te.Qty)
	case bf.Count:
		l.addOnHand(item, -rec.diff)
	}
	l.reversed[t] = p.idx
	l.revLog = append(l.revLog, t)
}
