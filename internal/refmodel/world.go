package refmodel

import (
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
)

// World is a ledger over a random plant, the stream posted to it so far, and
// the journal checks run after every event.
type World struct {
	T     *testing.T
	Seed  uint64
	R     *rand.Rand
	Plant *bf.Plant
	S     *Std // the reference standards of Plant
	L     *costing.Ledger
	Opts  Opts

	Day   bf.Date      // the date of the next event
	Trace []string     // the events posted, for failure messages
	Ends  []Quantities // the quantities at every close

	// Optional hooks of Post: Before runs before a valid event is posted,
	// After once it is posted and the journals are checked, OnClose after a
	// close (and After).
	Before, After func(e *bf.Event)
	OnClose       func()

	nextID  int
	scanned []int                      // entries checked per book
	sums    [][bf.NumAccounts]bf.Money // per book, the sum of its lines per account
	inProc  []map[int32]bf.Money       // per sequential book at standard, the WIP value in process per item
	// Per such book, what each event added to inProc per item, and the
	// reversals already taken into account: a reversal takes it back.
	added  []map[int32]map[int32]bf.Money
	undone []map[int32]bool
}

// NewWorld builds a ledger over p with the given books and close policy.
func NewWorld(t *testing.T, seed uint64, r *rand.Rand, p *bf.Plant, books []bf.BookConfig, policy bf.ClosePolicy, o Opts) *World {
	t.Helper()
	std, err := costing.Compile(p)
	if err != nil {
		t.Fatalf("seed %d: test design: Compile: %v", seed, err)
	}
	l, err := costing.NewLedger(std, books, policy)
	if err != nil {
		t.Fatalf("seed %d: test design: NewLedger: %v", seed, err)
	}
	day, _ := bf.ParseDate("2026-01-05")
	w := &World{T: t, Seed: seed, R: r, Plant: p, S: Standards(p), L: l, Opts: o, Day: day,
		scanned: make([]int, len(books)), sums: make([][bf.NumAccounts]bf.Money, len(books)), inProc: make([]map[int32]bf.Money, len(books)),
		added: make([]map[int32]map[int32]bf.Money, len(books)), undone: make([]map[int32]bool, len(books))}
	for i, b := range books {
		if b.Method == bf.MethodSequential && !b.Basis.Actual() {
			w.inProc[i], w.added[i], w.undone[i] = map[int32]bf.Money{}, map[int32]map[int32]bf.Money{}, map[int32]bool{}
		}
	}
	w.checkStandards(std)
	return w
}

// checkStandards: package costing's standards agree with the reference's.
func (w *World) checkStandards(std *costing.Standards) {
	w.T.Helper()
	s := w.S
	for i := range w.Plant.Items {
		x, id := int32(i), w.ItemID(i)
		for _, c := range []struct {
			what      string
			got, want int64
		}{
			{"Rolled", int64(std.Rolled(x)), s.Rolled(i)},
			{"MaterialContent", int64(std.MaterialContent(x)), s.Mat[i]},
			{"ConversionContent", int64(std.ConversionContent(x)), s.Conv[i]},
			{"FixedContent", int64(std.FixedContent(x)), s.Fixed[i]},
			{"OwnConversion", int64(std.OwnConversion(x)), s.Own[i]},
			{"RolledFor(variable)", int64(std.RolledFor(x, bf.ScopeVariable)), s.RolledFor(i, bf.ScopeVariable)},
			{"RolledFor(throughput)", int64(std.RolledFor(x, bf.ScopeThroughput)), s.RolledFor(i, bf.ScopeThroughput)},
			{"OwnFor(variable)", int64(std.OwnFor(x, bf.ScopeVariable)), s.OwnFor(i, bf.ScopeVariable)},
		} {
			if c.got != c.want {
				w.Fatalf("item %s: %s = %s, want %s", id, c.what, bf.Cost(c.got), bf.Cost(c.want))
			}
		}
		if s.Kind[i] == bf.Material || s.Kind[i] == bf.Phantom {
			continue
		}
		got := map[int]bf.Qty{}
		for _, u := range std.Direct(x) {
			got[int(u.Item)] += u.Per
		}
		want := map[int]bf.Qty{}
		for _, u := range s.Direct[i] {
			want[u.Item] = u.Per
		}
		if !maps.Equal(got, want) {
			w.Fatalf("item %s: Direct = %v, want %v (item index → quantity per unit)", id, got, want)
		}
	}
}

// Fatalf fails the test, naming the seed and the last events posted.
func (w *World) Fatalf(format string, args ...any) {
	w.T.Helper()
	tail := w.Trace[max(0, len(w.Trace)-15):]
	w.T.Fatalf("seed %d: %s\nlast events:\n  %s", w.Seed, fmt.Sprintf(format, args...), strings.Join(tail, "\n  "))
}

// ID returns a new event id.
func (w *World) ID() string {
	w.nextID++
	return "e" + strconv.Itoa(w.nextID)
}

// ItemID is the id of item i.
func (w *World) ItemID(i int) string { return w.Plant.Items[i].ID }

// Items lists the items of the given kinds.
func (w *World) Items(kinds ...bf.ItemKind) []int { return w.S.Items(kinds...) }

// Pick draws an item of the given kinds.
func (w *World) Pick(kinds ...bf.ItemKind) int {
	c := w.S.Items(kinds...)
	return c[w.R.IntN(len(c))]
}

// Post posts a valid event (its id and date filled in when missing), fails
// the test if the ledger refuses it, and checks every book's journal. After
// a close, the next event falls in the next period.
func (w *World) Post(e bf.Event) {
	w.T.Helper()
	if e.ID == "" {
		e.ID = w.ID()
	}
	if e.Date == 0 {
		e.Date = w.Day
	}
	w.Trace = append(w.Trace, EventString(&e))
	if w.Before != nil {
		w.Before(&e)
	}
	if err := w.L.Post(&e); err != nil {
		w.Fatalf("Post(%s) refused: %v", EventString(&e), err)
	}
	w.CheckJournals()
	if w.After != nil {
		w.After(&e)
	}
	if e.Type == bf.Close {
		w.Ends = append(w.Ends, w.Quantities())
		if w.OnClose != nil {
			w.OnClose()
		}
		w.Day++
	}
}

// CheckJournals checks what every journal must satisfy after every event:
// the entries posted since the last call cover the new lines contiguously,
// point at the last event and balance; no line is zero; every running
// balance is the sum of its account's lines; and a sequential book at
// standard keeps no value in process for an item with no units in process
// (rounding residue is closed when the last unit leaves).
func (w *World) CheckJournals() {
	w.T.Helper()
	last := int32(w.L.Len() - 1)
	for bi, b := range w.L.Books {
		j := &b.Journal
		name := b.Config.Name
		for k := w.scanned[bi]; k < j.Len(); k++ {
			e := j.Entry(k)
			var prevEnd int32
			if k > 0 {
				prevEnd = j.Entry(k - 1).End
			}
			if e.First != prevEnd || e.End <= e.First || int(e.End) > j.NumLines() {
				w.Fatalf("book %s: entry %d spans lines [%d,%d) after an entry ending at %d, of %d lines", name, k, e.First, e.End, prevEnd, j.NumLines())
			}
			if e.Event != last {
				w.Fatalf("book %s: entry %d (%s) points at event %d, but the event posted is %d", name, k, e.Kind, e.Event, last)
			}
			var sum bf.Money
			for _, ln := range j.LinesOf(e) {
				if ln.Amount == 0 || ln.Account >= bf.NumAccounts {
					w.Fatalf("book %s: entry %d (%s) has a line of %s on account %d", name, k, e.Kind, ln.Amount.Format(2), ln.Account)
				}
				sum += ln.Amount
				w.sums[bi][ln.Account] += ln.Amount
				if w.inProc[bi] != nil && ln.Account == bf.WIP {
					w.trackInProcess(bi, e, ln)
				}
			}
			if sum != 0 {
				w.Fatalf("book %s: entry %d (%s) does not balance: debits − credits = %s", name, k, e.Kind, sum.Format(2))
			}
		}
		w.scanned[bi] = j.Len()
		if n := j.Len(); (n == 0 && j.NumLines() != 0) || (n > 0 && int(j.Entry(n-1).End) != j.NumLines()) {
			w.Fatalf("book %s: %d lines are not covered by its %d entries", name, j.NumLines(), n)
		}
		for a := bf.Account(0); a < bf.NumAccounts; a++ {
			if b.Balance(a) != w.sums[bi][a] {
				w.Fatalf("book %s: Balance(%s) = %s, but its lines sum to %s", name, a, b.Balance(a).Format(2), w.sums[bi][a].Format(2))
			}
		}
		if b.Balances() != w.sums[bi] {
			w.Fatalf("book %s: Balances() %s, lines %s", name, FormatBalances(b.Balances()), FormatBalances(w.sums[bi]))
		}
		for x, v := range w.inProc[bi] {
			if v != 0 && w.L.InProcess(x) == 0 {
				w.Fatalf("book %s: %s has no units in process but WIP holds %s for it", name, w.ItemID(int(x)), v.Format(2))
			}
		}
	}
}

// trackInProcess attributes a sequential WIP line of book bi to the value
// in process of an item (as opposed to stocked sub-assemblies, also held in
// WIP): the debit of an issue and of an allocation, the credit of a
// transfer and of scrap, and residue lines. A reversal takes back what the
// event it reverses added.
func (w *World) trackInProcess(bi int, e *bf.Entry, ln bf.Line) {
	m := w.inProc[bi]
	if e.Kind == bf.EntryReversal {
		if w.undone[bi][e.Event] {
			return
		}
		w.undone[bi][e.Event] = true
		t, _ := w.L.EventIndex(w.L.Event(e.Event).Reverses)
		for x, v := range w.added[bi][t] {
			m[x] -= v
		}
		return
	}
	var v bf.Money
	switch e.Kind {
	case bf.EntryIssue, bf.EntryAllocate:
		v = max(ln.Amount, 0)
	case bf.EntryTransfer, bf.EntryScrap:
		v = min(ln.Amount, 0)
	case bf.EntryResidue:
		v = ln.Amount
	}
	if v == 0 {
		return
	}
	m[ln.Item] += v
	if w.added[bi][e.Event] == nil {
		w.added[bi][e.Event] = map[int32]bf.Money{}
	}
	w.added[bi][e.Event][ln.Item] += v
}

// Quantities are the units on hand and in process per item.
type Quantities struct{ OnHand, InProcess []bf.Qty }

// Quantities returns the ledger's quantities now.
func (w *World) Quantities() Quantities {
	n := len(w.Plant.Items)
	q := Quantities{make([]bf.Qty, n), make([]bf.Qty, n)}
	for i := range n {
		q.OnHand[i], q.InProcess[i] = w.L.OnHand(int32(i)), w.L.InProcess(int32(i))
	}
	return q
}

// State is everything a refused event must leave as it was.
type State struct {
	Quantities
	Events int
	Closed bf.Date
	books  []bookState
}

type bookState struct {
	entries []bf.Entry
	lines   []bf.Line
	bal     [bf.NumAccounts]bf.Money
}

// FlatJournal returns a journal's entries and lines as slices.
func FlatJournal(j *bf.Journal) ([]bf.Entry, []bf.Line) {
	es := make([]bf.Entry, 0, j.Len())
	ls := make([]bf.Line, 0, j.NumLines())
	for e, lines := range j.All() {
		es = append(es, *e)
		ls = append(ls, lines...)
	}
	return es, ls
}

// Snapshot records the ledger's state.
func (w *World) Snapshot() State {
	s := State{Quantities: w.Quantities(), Events: w.L.Len(), Closed: w.L.ClosedThrough()}
	for _, b := range w.L.Books {
		es, ls := FlatJournal(&b.Journal)
		s.books = append(s.books, bookState{es, ls, b.Balances()})
	}
	return s
}

// Unchanged fails the test unless the ledger is as Snapshot recorded it.
func (w *World) Unchanged(what string, s State) {
	w.T.Helper()
	now := w.Snapshot()
	if now.Events != s.Events || now.Closed != s.Closed {
		w.Fatalf("%s: the log changed: %d events, closed through %s; was %d, %s", what, now.Events, now.Closed, s.Events, s.Closed)
	}
	for i, b := range now.books {
		o := s.books[i]
		if !slices.Equal(b.entries, o.entries) || !slices.Equal(b.lines, o.lines) || b.bal != o.bal {
			w.Fatalf("%s: book %s changed: %d entries, %d lines (%s); was %d, %d (%s)", what, w.L.Books[i].Config.Name,
				len(b.entries), len(b.lines), FormatBalances(b.bal), len(o.entries), len(o.lines), FormatBalances(o.bal))
		}
	}
	if !slices.Equal(now.OnHand, s.OnHand) || !slices.Equal(now.InProcess, s.InProcess) {
		w.Fatalf("%s: quantities changed: on hand %v, was %v; in process %v, was %v", what, now.OnHand, s.OnHand, now.InProcess, s.InProcess)
	}
}

// Refuse posts e as it is, which the ledger must refuse with a *bf.Error
// naming the event (when it has an id) and leaving everything as it was;
// it returns the error for the caller's further checks.
func (w *World) Refuse(what string, e bf.Event) *bf.Error {
	w.T.Helper()
	s := w.Snapshot()
	err := w.L.Post(&e)
	if err == nil {
		w.Fatalf("%s: Post(%s) accepted", what, EventString(&e))
	}
	var be *bf.Error
	if !errors.As(err, &be) {
		w.Fatalf("%s: Post(%s): error %T %v is not a *bf.Error", what, EventString(&e), err, err)
	}
	if e.ID != "" && be.Event != e.ID {
		w.Fatalf("%s: Post(%s): the error names event %q, want %q (%v)", what, EventString(&e), be.Event, e.ID, err)
	}
	w.Unchanged(what+" ("+err.Error()+")", s)
	return be
}

// EventString prints an event for failure messages.
func EventString(e *bf.Event) string {
	s := e.ID + " " + e.Date.String() + " " + e.Type.String()
	if e.Item != "" {
		s += " " + e.Item
	}
	if e.Qty != 0 || e.Type == bf.WIPCount || e.Type == bf.Count {
		s += " qty=" + e.Qty.String()
	}
	if e.ScrapQty != 0 {
		s += " scrap=" + e.ScrapQty.String()
	}
	if e.UnitCost != 0 {
		s += " unit_cost=" + e.UnitCost.String()
	}
	if e.UnitPrice != 0 {
		s += " unit_price=" + e.UnitPrice.String()
	}
	if e.Amount != 0 {
		s += " amount=" + e.Amount.Format(2)
	}
	if e.Hours != 0 {
		s += " hours=" + e.Hours.String()
	}
	if e.Behavior != bf.BehaviorUnset {
		s += " " + e.Behavior.String()
	}
	if e.Type == bf.WIPCount {
		s += " materials_pct=" + e.MaterialsPct.String() + " conversion_pct=" + e.ConversionPct.String()
	}
	if e.Reverses != "" {
		s += " reverses=" + e.Reverses
	}
	return s
}

// FormatBalances prints the non-zero balances of a book.
func FormatBalances(b [bf.NumAccounts]bf.Money) string {
	var s []string
	for a, v := range b {
		if v != 0 {
			s = append(s, bf.Account(a).String()+"="+v.Format(2))
		}
	}
	return strings.Join(s, " ")
}

// Inventory is the sum of the inventory accounts' balances.
func Inventory(b [bf.NumAccounts]bf.Money) bf.Money {
	var v bf.Money
	for a := bf.Account(0); a < bf.NumAccounts; a++ {
		if a.Class() == bf.ClassInventory {
			v += b[a]
		}
	}
	return v
}
