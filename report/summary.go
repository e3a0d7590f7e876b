// Package report turns books into what people read: journals, trial
// balances, the comparison across books, income statements and the
// reconciliation, LCNRV and process-costing reports, as text or JSON. It
// decides no accounting rule: the GAAP adjusting entries, the
// fixed-overhead variance split, the LCNRV test, what a book holds at full
// cost and which book is the reference are computed in package costing
// (the LCNRV grouping in package lcnrv), and report renders the typed
// results; GAAPReconciliations, GAAPRecon, LCNRVTest and InventoryAccounts
// are the costing and root ones under the names its callers know. The
// figures it does work out (balances, movements, inventory over time,
// statements, the method reconciliations, the differences between books)
// are sums of journal lines; docs/accounting.md lists where each rule
// lives. Write is the one dispatch of the reports, whichever path (a
// scenario file, the store through package service) asks for one.
package report

import (
	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
)

// Summary is the comparison row of one book.
type Summary struct {
	Name     string
	Method   string
	Triggers []string
	Entries  int
	Lines    int
	// Inventory by inventory account, and in total.
	Inventory      map[bf.Account]bf.Money
	TotalInventory bf.Money
	Revenue        bf.Money
	COGS           bf.Money
	// Expenses is every income-statement charge: COGS, variances, scrap and
	// conversion not yet inventoried or closed.
	Expenses        bf.Money
	OperatingIncome bf.Money
	// ConversionVariance is actual conversion minus conversion allocated
	// before any close: positive when under-allocated.
	ConversionVariance bf.Money
	// OpenConversion is the part of it not yet closed.
	OpenConversion bf.Money
}

// InventoryAccounts is the root's one list of inventory accounts,
// bf.InventoryAccounts (accounts of class bf.ClassInventory, in
// balance-sheet order), under the name the report's callers know.
var InventoryAccounts = bf.InventoryAccounts

// Summarize derives the comparison row of a book from its journal.
func Summarize(b *costing.Book) Summary {
	s := Summary{
		Name:      b.Config.Name,
		Method:    b.Config.Method.String(),
		Triggers:  b.Config.Triggers.Names(),
		Entries:   b.Journal.Len(),
		Lines:     b.Journal.NumLines(),
		Inventory: map[bf.Account]bf.Money{},
	}
	// Every figure but the conversion variance adds up at most 12 balances,
	// each within bf.MaxBalance (docs/accounting.md, "The limits").
	bal := Balances(&b.Journal)
	for _, a := range InventoryAccounts {
		if bal[a] != 0 {
			s.Inventory[a] = bal[a]
		}
		s.TotalInventory += bal[a]
	}
	for a := bf.Account(0); a < bf.NumAccounts; a++ {
		if !a.InIncome() {
			continue
		}
		if a == bf.SalesRevenue {
			s.Revenue = -bal[a]
		} else {
			s.Expenses += bal[a]
		}
	}
	s.COGS = bal[bf.COGS]
	s.OperatingIncome = s.Revenue - s.Expenses
	s.OpenConversion = bal[bf.ConversionControl] + bal[bf.ConversionAllocated]
	// A sum over the whole journal, which a balance does not bound: costing
	// keeps it as a running total within bf.MaxBalance (Book.fits), so it
	// fits here too.
	for e, lines := range b.Journal.All() {
		if e.Kind == bf.EntryClose {
			continue
		}
		for _, l := range lines {
			if l.Account == bf.ConversionControl || l.Account == bf.ConversionAllocated {
				s.ConversionVariance += l.Amount
			}
		}
	}
	return s
}

// Balances sums a journal's lines per account: debit minus credit. A
// book's journal keeps every account within bf.MaxBalance line after line
// (costing checks each posting), so no partial sum wraps either.
func Balances(j *bf.Journal) [bf.NumAccounts]bf.Money {
	var bal [bf.NumAccounts]bf.Money
	for ln := range j.Lines() {
		bal[ln.Account] += ln.Amount
	}
	return bal
}

// Used reports which accounts a journal has any line on.
func Used(j *bf.Journal) [bf.NumAccounts]bool {
	var used [bf.NumAccounts]bool
	for ln := range j.Lines() {
		used[ln.Account] = true
	}
	return used
}

// Memo describes an entry in words: the rule that made it, the event's item
// and quantity, and the event's own memo.
func Memo(l *costing.Ledger, e *bf.Entry) string {
	ev := l.Event(e.Event)
	m := e.Kind.String()
	if ev.Item != "" {
		m += ": " + ev.Item
	}
	if ev.Memo != "" {
		m += " (" + ev.Memo + ")"
	}
	return m
}
