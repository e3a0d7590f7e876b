package service

import (
	"io"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/report"
)

// The service's queries: typed answers read under the service's read lock
// (or from the books before the last re-costing), so that neither the CLI
// nor the HTTP API reads the ledger's internals or holds its lock.

// Currency returns the plant's currency. It is fixed by the first
// configuration version (a new version cannot change it), so it is read
// without a lock.
func (s *Service) Currency() bf.Currency { return s.currency }

// read runs f on the current ledger under the read lock (View), or with
// previous on the ledger as it stood before the last re-costing (Previous).
func (s *Service) read(previous bool, f func(l *costing.Ledger) error) error {
	if previous {
		return s.Previous(f)
	}
	return s.View(f)
}

// Page is one page of a listing: its number, from 1, and the most items
// it holds. A limit of zero or less makes one page of every item.
type Page struct{ Number, Limit int }

// Bounds returns where the page lies among total items: items lo to hi-1.
// A page past the end is empty (lo and hi are total).
func (p Page) Bounds(total int) (lo, hi int) {
	if p.Limit <= 0 {
		return 0, total
	}
	n := max(p.Number, 1) - 1
	lo = total
	if n <= total/p.Limit { // guards the multiplication against huge page numbers
		lo = min(n*p.Limit, total)
	}
	return lo, min(lo+p.Limit, total)
}

// Pages returns the number of pages total items fill.
func (p Page) Pages(total int) int {
	if p.Limit <= 0 {
		return min(total, 1)
	}
	return (total + p.Limit - 1) / p.Limit
}

// Len returns the number of events in the log.
func (s *Service) Len() int {
	s.rlock()
	defer s.mu.RUnlock()
	return s.ledger.Len()
}

// ClosedThrough returns the last day of the last closed period, zero when
// no period is closed.
func (s *Service) ClosedThrough() bf.Date {
	s.rlock()
	defer s.mu.RUnlock()
	return s.ledger.ClosedThrough()
}

// Shortfall is one entry of the failed-backflush queue: units of a
// component a completion could not flush, waiting for stock.
type Shortfall struct {
	Component string // the component short
	For       string // the item being made
	Event     string // the id of the event that issued it
	Date      bf.Date
	Qty       bf.Qty // units still to issue
}

// Queue returns the failed-backflush queue, oldest first.
func (s *Service) Queue() []Shortfall {
	s.rlock()
	defer s.mu.RUnlock()
	q := s.ledger.Queue()
	out := make([]Shortfall, len(q))
	for i, e := range q {
		ev := s.ledger.Event(e.Event)
		out[i] = Shortfall{Component: s.ledger.Std.Item(e.Comp).ID, For: s.ledger.Std.Item(e.Parent).ID,
			Event: ev.ID, Date: ev.Date, Qty: e.Qty}
	}
	return out
}

// EventFilter chooses events of the log; a field left zero matches every
// event.
type EventFilter struct {
	From, To bf.Date // events dated on or after From, on or before To
	Type     bf.EventType
	Item     string // events of this item; an item the plant lacks is NotFound
}

func (f *EventFilter) match(e *bf.Event) bool {
	return (f.Type == 0 || e.Type == f.Type) && (f.Item == "" || e.Item == f.Item) &&
		(f.From == 0 || e.Date >= f.From) && (f.To == 0 || e.Date <= f.To)
}

// Events returns the page of the log's events that f matches, in log
// order, and the number matched over all pages.
func (s *Service) Events(f EventFilter, p Page) ([]bf.Event, int, error) {
	var out []bf.Event
	var total int
	err := s.View(func(l *costing.Ledger) error {
		if f.Item != "" {
			if _, ok := l.Std.Lookup(f.Item); !ok {
				return bf.E("events", bf.KindNotFound, bf.Field("item"), bf.ItemID(f.Item), "unknown item "+f.Item)
			}
		}
		var match []int32
		for i, e := range l.Events() {
			if f.match(e) {
				match = append(match, int32(i))
			}
		}
		lo, hi := p.Bounds(len(match))
		total, out = len(match), make([]bf.Event, 0, hi-lo)
		for _, i := range match[lo:hi] {
			out = append(out, *l.Event(i))
		}
		return nil
	})
	return out, total, err
}

// EventDetail is an event with its place in the log and its entries in
// every book.
type EventDetail struct {
	Event      bf.Event
	Position   int // 1-based, in the log
	Len        int // the number of events in the log
	Period     int
	ReversedBy string // the id of the event that reversed it; empty when none
	Books      []BookEntries
	// BOM lists, for a start, a completion or a WIP count, the stocked
	// components one unit of the event's item issues (phantoms exploded),
	// which its entries' lines point to.
	BOM []Component
}

// BookEntries are the entries one book made for an event.
type BookEntries struct {
	Book    string
	Entries []report.Entry
}

// Component is a stocked component of an item's BOM.
type Component struct {
	Item string
	Per  bf.Qty // units per unit of the parent
	Path string // its BOM path, as journal lines name it
}

// Event returns the event with the given id and every book's entries for
// it; NotFound when the log holds no such id.
func (s *Service) Event(id string) (*EventDetail, error) {
	var d *EventDetail
	err := s.View(func(l *costing.Ledger) error {
		i, ok := l.EventIndex(id)
		if !ok {
			return bf.E("event", bf.KindNotFound, bf.EventID(id), bf.Field("id"), "no event with this id")
		}
		e := l.Event(i)
		d = &EventDetail{Event: *e, Position: int(i) + 1, Len: l.Len(), Period: l.Period(i)}
		if rv, ok := l.Reversed(i); ok {
			d.ReversedBy = l.Event(rv).ID
		}
		for _, b := range l.Books {
			lo, hi := entriesOf(b, i)
			be := BookEntries{Book: b.Config.Name, Entries: make([]report.Entry, 0, hi-lo)}
			for k := lo; k < hi; k++ {
				be.Entries = append(be.Entries, report.EntryOf(l, b, k))
			}
			d.Books = append(d.Books, be)
		}
		if e.Item != "" && (e.Type == bf.Start || e.Type == bf.Complete || e.Type == bf.WIPCount) {
			if it, ok := l.Std.Lookup(e.Item); ok {
				for _, u := range l.Std.Direct(it) {
					d.BOM = append(d.BOM, Component{Item: l.Std.Item(u.Item).ID, Per: u.Per, Path: l.Std.Paths[u.Path]})
				}
			}
		}
		return nil
	})
	return d, err
}

// entriesOf returns the indexes of a book's entries made by event ev.
// Entries are appended in posting order, so their event indexes never
// decrease and a binary search finds the run.
func entriesOf(b *costing.Book, ev int32) (lo, hi int) {
	j := &b.Journal
	lo = searchEntries(j, func(e *bf.Entry) bool { return e.Event >= ev })
	hi = searchEntries(j, func(e *bf.Entry) bool { return e.Event > ev })
	return lo, hi
}

func searchEntries(j *bf.Journal, f func(*bf.Entry) bool) int {
	lo, hi := 0, j.Len()
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if !f(j.Entry(m)) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// BookSummary is one book: its configuration, its row of the comparison
// and the accounts its journal has lines on.
type BookSummary struct {
	Config  bf.BookConfig
	Summary report.Summary
	Used    [bf.NumAccounts]bool
}

// Books returns a summary of every book, in the plant's order.
func (s *Service) Books() []BookSummary {
	var out []BookSummary
	s.View(func(l *costing.Ledger) error {
		out = make([]BookSummary, len(l.Books))
		for i, b := range l.Books {
			out[i] = BookSummary{Config: b.Config, Summary: report.Summarize(b), Used: report.Used(&b.Journal)}
		}
		return nil
	})
	return out
}

// bookOf returns the named book; NotFound, listing the books, when the
// ledger keeps none of that name.
func bookOf(l *costing.Ledger, name string) (*costing.Book, error) {
	if b := l.Book(name); b != nil {
		return b, nil
	}
	if err := l.CheckBook(name); err != nil {
		return nil, err
	}
	return nil, bf.E("report", bf.KindNotFound, bf.Field("book"), "a book must be named")
}

// checkEvent returns NotFound, for operation op, when the log holds no
// event with the given id.
func checkEvent(l *costing.Ledger, op, id string) error {
	if _, ok := l.EventIndex(id); !ok {
		return bf.E(op, bf.KindNotFound, bf.EventID(id), bf.Field("event"), "no event with this id")
	}
	return nil
}

// bookAndEvent returns the named book (bookOf), and checks that the log
// holds the event when one is named (checkEvent, for operation op).
func bookAndEvent(l *costing.Ledger, op, book, event string) (*costing.Book, error) {
	b, err := bookOf(l, book)
	if err != nil || event == "" {
		return b, err
	}
	return b, checkEvent(l, op, event)
}

// JournalQuery chooses entries of a book's journal; a filter left zero
// matches every entry.
type JournalQuery struct {
	Book     string      // the book; an unknown one is NotFound
	Account  *bf.Account // entries with a line on this account
	Event    string      // entries of this event; an unknown id is NotFound
	From, To bf.Date     // entries of events dated on or after From, on or before To
	// Previous reads the books as they stood before the last re-costing
	// (NotFound when there was none).
	Previous bool
}

// Journal returns the page of a book's entries that q matches, in posting
// order, and the number matched over all pages.
func (s *Service) Journal(q JournalQuery, p Page) ([]report.Entry, int, error) {
	var out []report.Entry
	var total int
	err := s.read(q.Previous, func(l *costing.Ledger) error {
		b, err := bookAndEvent(l, "journal", q.Book, q.Event)
		if err != nil {
			return err
		}
		var match []int
		for i, e := range b.Journal.Entries() {
			ev := l.Event(e.Event)
			if (q.Event != "" && ev.ID != q.Event) || (q.From != 0 && ev.Date < q.From) || (q.To != 0 && ev.Date > q.To) {
				continue
			}
			if q.Account != nil && !hasLine(b.Journal.LinesOf(e), *q.Account) {
				continue
			}
			match = append(match, i)
		}
		lo, hi := p.Bounds(len(match))
		total, out = len(match), make([]report.Entry, 0, hi-lo)
		for _, i := range match[lo:hi] {
			out = append(out, report.EntryOf(l, b, i))
		}
		return nil
	})
	return out, total, err
}

// hasLine reports whether any of the lines is on account a.
func hasLine(lines []bf.Line, a bf.Account) bool {
	for _, ln := range lines {
		if ln.Account == a {
			return true
		}
	}
	return false
}

// TrialBalance is a book's trial balance with the book's configuration and
// its number of entries.
type TrialBalance struct {
	Config  bf.BookConfig
	Entries int
	report.TrialBalance
}

// TrialBalance returns a book's trial balance, its accounts named by the
// plant's chart, from the current books or with previous from those before
// the last re-costing; an unknown book is NotFound.
func (s *Service) TrialBalance(book string, previous bool) (*TrialBalance, error) {
	chart := s.Chart()
	var tb *TrialBalance
	err := s.read(previous, func(l *costing.Ledger) error {
		b, err := bookOf(l, book)
		if err != nil {
			return err
		}
		tb = &TrialBalance{Config: b.Config, Entries: b.Journal.Len(), TrialBalance: report.TrialBalanceOf(b, chart)}
		return nil
	})
	return tb, err
}

// AccountMovements is an account of a book: its balance and a page of the
// lines that moved it.
type AccountMovements struct {
	Balance   bf.Money
	Movements []report.Movement // the page's, in posting order
	Total     int               // the movements over all pages
}

// Account returns the balance of account a in a book and the page of the
// movements of a, all or those of one event (report.Why); an unknown book
// or event is NotFound.
func (s *Service) Account(book string, a bf.Account, event string, p Page) (*AccountMovements, error) {
	am, _, err := s.AccountLines(AccountQuery{Book: book, Account: a, Event: event}, p)
	return am, err
}

// Inventory returns the inventory over time of one book, or of every book
// when book is empty; an unknown book is NotFound.
func (s *Service) Inventory(book string) ([]report.InventorySeries, error) {
	var out []report.InventorySeries
	err := s.View(func(l *costing.Ledger) error {
		if err := l.CheckBook(book); err != nil {
			return err
		}
		for _, b := range l.Books {
			if book == "" || b.Config.Name == book {
				out = append(out, report.InventorySeriesOf(l, b))
			}
		}
		return nil
	})
	return out, err
}

// Report writes a report (report.Write) from the current books, or with
// previous from those before the last re-costing. It writes to w under
// the read lock: a slow writer holds ingestion back, so the API writes
// into a buffer.
func (s *Service) Report(w io.Writer, r report.Request, previous bool) error {
	return s.read(previous, func(l *costing.Ledger) error {
		if err := s.controllerInputs(l, &r); err != nil {
			return err
		}
		return report.Write(w, l, r)
	})
}
