package costing

import (
	"github.com/backflush/backflush/internal/chunked"

	bf "github.com/backflush/backflush"
)

// Book is one double-entry journal kept by one method over the ledger's
// events, with the running balance of every account (a cache of the sum of
// its lines, checked by tests).
type Book struct {
	Config  bf.BookConfig
	Journal bf.Journal

	bal  [bf.NumAccounts]bf.Money
	next [bf.NumAccounts]bf.Money // bal with the event being posted (fits)

	// Sequential only: the units and value in process per item, and what
	// each event did to them (for reversals).
	wipQty []bf.Qty
	wipVal []bf.Money
	wipLog chunked.Slice[wipRec]

	event int32 // the index of the event being posted

	// stream: the ledger is streaming (NewStreamingLedger), so the WIP
	// sub-ledger keeps no record per event (wipLog) for reversals.
	stream bool

	// Actual-cost books only: layers, WIP and the period's flows; pendAct is
	// the state a close computed, taken on when the close commits.
	act     *actualState
	pendAct *actualState

	// LCNRV: the cost of the inventory tested at the last close, to release
	// the allowance of goods sold since.
	// CloseProrate, standard-cost books: the prorated variance each
	// holding (an item's units in stock or in process: holding) carries
	// and the units that carry it (shares.go); the event's changes to
	// them; the COGS balance after the last close, so that a close weighs
	// the period's COGS; whether the event is a prorating close.
	shareAmt    []bf.Money
	shareUnits  []bf.Qty
	pendShares  []shareDelta
	cogsMark    bf.Money
	pendProrate bool

	lcnrvItems     []lcnrvState
	pendLCNRVItems []lcnrvState
	pendLCNRV      bool

	// The event being posted: its entries and lines, numbered from zero,
	// added to Journal when the event commits. Rules write here, a small
	// array that stays in the cache, rather than at the end of the history.
	ents  []bf.Entry
	lines []bf.Line

	// The entry being built, and the state of an event not yet committed.
	cur       bf.Entry
	bad       bool // an amount overflowed in the event being posted
	pendItem  int32
	pendQty   bf.Qty
	pendVal   bf.Money
	pendTouch bool

	// The running totals the reports read besides the balances, held
	// within bf.MaxBalance like them (limits.go): conversion under- or
	// over-allocated since the first event, close entries left out
	// (report.Summary.ConversionVariance), and the value in process over
	// every item (the sum of wipVal). next* are their values with the
	// event being posted, worked out by fits.
	convVar, nextConv bf.Money
	wipTotal          bf.Money
	closing           bool    // the event being posted has a close entry
	over              overrun // what fits found would pass a limit
}

func newBook(c bf.BookConfig, std *Standards) *Book {
	b := &Book{Config: c}
	if c.Method == bf.MethodSequential {
		b.wipQty = make([]bf.Qty, std.NumItems())
		b.wipVal = make([]bf.Money, std.NumItems())
	}
	if c.Basis.Actual() {
		b.act = newActualState(std)
	}
	return b
}

// Notes returns what the book's closes had to assume (actual-cost books).
func (b *Book) Notes() []string {
	if b.act == nil {
		return nil
	}
	return b.act.notes
}

// ProcessReports returns the process costing of every close (actual-cost books).
func (b *Book) ProcessReports() []ProcessReport {
	if b.act == nil {
		return nil
	}
	return b.act.reports
}

// balNow returns an account's balance including the lines the event being
// posted has added so far. Book.fits checks that very running balance: an
// event that uses a value past the limit here is refused, so an accepted
// one used the exact balance.
func (b *Book) balNow(a bf.Account) bf.Money {
	v := b.bal[a]
	for i := range b.lines {
		if b.lines[i].Account == a {
			v += b.lines[i].Amount
		}
	}
	return v
}

// WIP returns the units and value in process of an item: the sequential
// book's WIP sub-ledger. Other books keep no WIP and return zeros.
func (b *Book) WIP(item int32) (bf.Qty, bf.Money) {
	if b.wipQty == nil {
		return 0, 0
	}
	return b.wipQty[item], b.wipVal[item]
}

// Balance returns debit minus credit of an account.
func (b *Book) Balance(a bf.Account) bf.Money { return b.bal[a] }

// Balances returns every account's balance, indexed by account.
func (b *Book) Balances() [bf.NumAccounts]bf.Money { return b.bal }

// mark starts an event's postings so that they can be rolled back.
func (b *Book) mark(event int32) {
	b.event = event
	b.ents, b.lines = b.ents[:0], b.lines[:0]
	b.bad, b.pendTouch, b.closing = false, false, false
	b.pendQty, b.pendVal = 0, 0
	b.pendAct, b.pendLCNRV, b.pendProrate = nil, false, false
	b.pendShares = b.pendShares[:0]
}

// rollback drops the postings of the event since mark.
func (b *Book) rollback() {
	b.ents, b.lines = b.ents[:0], b.lines[:0]
}

// fits reports whether the event's lines keep every balance, line after
// line, and the book's running totals within the limits (limits.go), and
// leaves the balances with them in next for commit: one pass over the
// lines, not two. When they do not, b.over says what would pass its limit.
//
// Checking every line's balance, not only the event's result, is what
// makes the rules' own sums safe: a rule adds its lines' amounts to make
// a balancing line without checking, and the sum may wrap; but once each
// account's balance stays within ±bf.MaxBalance line after line, an
// entry's lines move each of the bf.NumAccounts accounts by at most
// 2×MaxBalance, so their true sum is below 2^64 in magnitude, and end()
// found it zero modulo 2^64: it is zero. Every accepted entry balances
// exactly, and every amount derived from line amounts is exact.
func (b *Book) fits() bool {
	b.next = b.bal
	bal := &b.next
	for i := range b.lines {
		l := &b.lines[i]
		v, ok := bf.AddBalance(bal[l.Account], l.Amount)
		if !ok {
			b.over = overrun{what: overBalance, acct: l.Account}
			return false
		}
		bal[l.Account] = v
	}
	// Conversion under- or over-allocated: what the event adds to control
	// and allocated, but for its close entries. Each term is a balance or
	// a close entry's share of one, so the sum cannot wrap (limits.go).
	d := bal[bf.ConversionControl] + bal[bf.ConversionAllocated] - b.bal[bf.ConversionControl] - b.bal[bf.ConversionAllocated]
	if b.closing {
		d -= b.closeConversion()
	}
	if v, ok := bf.AddBalance(b.convVar, d); ok {
		b.nextConv = v
	} else {
		b.over = overrun{what: overConversion}
		return false
	}
	if b.pendTouch {
		return b.wipFits()
	}
	return true
}

// closeConversion sums the lines of the event's close entries on
// conversion control and allocated: what the close takes out of them.
func (b *Book) closeConversion() bf.Money {
	var v bf.Money
	for _, en := range b.ents {
		if en.Kind != bf.EntryClose {
			continue
		}
		for _, l := range b.lines[en.First:en.End] {
			if l.Account == bf.ConversionControl || l.Account == bf.ConversionAllocated {
				v += l.Amount
			}
		}
	}
	return v
}

// wipFits reports whether the event keeps the item's units and value in
// process, and the value in process over every item, within the limits.
// pendVal is a sum of the event's WIP lines, all within the limits by now,
// so it is exact.
func (b *Book) wipFits() bool {
	x := b.pendItem
	if _, ok := bf.AddStock(b.wipQty[x], b.pendQty); !ok {
		b.over = overrun{what: overWIPQty, item: x}
		return false
	}
	if _, ok := bf.AddBalance(b.wipVal[x], b.pendVal); !ok {
		b.over = overrun{what: overWIPValue, item: x}
		return false
	}
	if _, ok := bf.AddBalance(b.wipTotal, b.pendVal); !ok {
		b.over = overrun{what: overWIPTotal}
		return false
	}
	return true
}

// commit applies the event's postings to the balances (worked out by
// fits) and the WIP sub-ledger.
func (b *Book) commit() {
	b.bal, b.convVar = b.next, b.nextConv
	if !b.stream {
		b.Journal.Append(b.ents, b.lines)
	}
	if b.pendTouch {
		b.wipQty[b.pendItem] += b.pendQty
		b.wipVal[b.pendItem] += b.pendVal
		b.wipTotal += b.pendVal
		if !b.stream {
			b.wipLog.Append(wipRec{b.event, b.pendItem, b.pendQty, b.pendVal})
		}
	}
	if b.pendLCNRV {
		b.lcnrvItems = b.pendLCNRVItems
	}
	for _, d := range b.pendShares {
		b.shareUnits[d.h] += d.units
		b.shareAmt[d.h] += d.amt
	}
	if b.pendProrate {
		b.cogsMark = b.bal[bf.COGS]
	}
}

// commitActual takes on a close's computed state, or counts an event's
// physical flows, in an actual-cost book.
func (b *Book) commitActual(p *posting) {
	if b.act == nil {
		return
	}
	if b.pendAct != nil {
		b.act, b.pendAct = b.pendAct, nil
		return
	}
	b.act.absorb(p, p.scale)
}

func (b *Book) begin(event int32, kind bf.EntryKind) {
	b.cur = bf.Entry{Event: event, Kind: kind, First: int32(len(b.lines))}
	if kind == bf.EntryClose {
		b.closing = true
	}
}

// line adds a posting to the current entry; zero amounts are left out.
func (b *Book) line(a bf.Account, amt bf.Money, q bf.Qty, item, path int32) {
	if amt == 0 {
		return
	}
	b.set(b.add(), a, amt, q, item, path)
}

// add appends a blank line to the journal and returns it, for set to fill in.
//
// Lines are written in place, field by field, on the hot path. Appending a
// bf.Line{...} with its fields instead makes the compiler assemble the line
// on the stack with narrow stores and copy it with 16-byte loads, which the
// CPU cannot forward from those stores: a stall per line posted, which CPU
// profiles showed as the hottest instruction of Post. Appending a zero line
// stores zeros straight into the slot, and set then overwrites them.
func (b *Book) add() *bf.Line {
	b.lines = append(b.lines, bf.Line{})
	return &b.lines[len(b.lines)-1]
}

// set writes every field of l, in place (see add).
func (b *Book) set(l *bf.Line, a bf.Account, amt bf.Money, q bf.Qty, item, path int32) {
	l.Account, l.Amount, l.Qty, l.Item, l.Path = a, amt, q, item, path
}

// reserve adds a blank line to the current entry and returns its index, so a
// rule can put the balancing debit first and fill it in once the credits are known.
func (b *Book) reserve() int {
	b.add()
	return len(b.lines) - 1
}

// fill sets a reserved line.
func (b *Book) fill(i int, a bf.Account, amt bf.Money, q bf.Qty, item, path int32) {
	b.set(&b.lines[i], a, amt, q, item, path)
}

// end closes the current entry, leaving out zero lines; an entry without lines
// is dropped. Every rule builds its balancing line from the others, so an
// imbalance here is a bug.
func (b *Book) end() {
	lines := b.lines
	first := int(b.cur.First)
	w := first
	var sum bf.Money // modulo 2^64: Book.fits makes zero here mean zero
	for r := w; r < len(lines); r++ {
		if amt := lines[r].Amount; amt != 0 {
			sum += amt
			// Only a reserved line can be zero: until one is met, every
			// line is already in place, and copying it onto itself would
			// cost a store-forwarding stall (see add).
			if w != r {
				lines[w] = lines[r]
			}
			w++
		}
	}
	b.lines = b.lines[:w]
	if w == first {
		return
	}
	if sum != 0 {
		panic("costing: unbalanced entry from rule " + b.cur.Kind.String())
	}
	// In place, field by field, like the lines (see add). The bounds come
	// from the locals: storing End into b.cur and reading First and End back
	// lets the compiler load both with one 8-byte load, which the CPU cannot
	// forward from the fresh 4-byte store: a stall per entry.
	b.ents = append(b.ents, bf.Entry{})
	en := &b.ents[len(b.ents)-1]
	en.Event, en.Kind, en.First, en.End = b.cur.Event, b.cur.Kind, int32(first), int32(w)
}

// reserveScratch makes room for an event of n lines (at least 64).
func (b *Book) reserveScratch(n int) {
	n = max(64, n)
	if cap(b.lines) < n {
		b.lines = make([]bf.Line, 0, n)
	}
	if cap(b.ents) < n/2 {
		b.ents = make([]bf.Entry, 0, n/2)
	}
}

// extend values q at c in the book's currency, noting an overflow.
func (b *Book) extend(q bf.Qty, c bf.Cost, scale int) bf.Money {
	v, ok := bf.Extend(q, c, scale)
	if !ok {
		b.bad = true
	}
	return v
}

// mulQty returns q × per, noting an overflow.
func (b *Book) mulQty(q, per bf.Qty) bf.Qty {
	v, ok := bf.MulQty(q, per)
	if !ok {
		b.bad = true
	}
	return v
}

// wip notes a change of the in-process units and value of an item.
func (b *Book) wip(item int32, q bf.Qty, v bf.Money) {
	b.pendTouch, b.pendItem = true, item
	b.pendQty += q
	b.pendVal += v
}
