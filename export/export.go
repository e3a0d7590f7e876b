// Package export writes one book's journal in the formats accountants'
// tools read: a ledger-cli or hledger journal, a beancount file, CSV, and an
// Excel workbook with the journal, the trial balance and the income
// statements. Account names come from the plant's chart of accounts
// (bf.Chart) and are made valid for each tool; amounts are written exactly,
// at the currency's scale, never through floating point.
//
// A journal is exported whole or one period at a time (periods end at close
// events, see report.Periods). A period after the first opens with an entry
// carrying the balance sheet at the end of the period before, and the income
// of the earlier periods to retained earnings, so a tool's balance report of
// the file is the book's balance sheet at the period's end and its income
// accounts for the period alone.
package export

import (
	"bufio"
	"io"
	"strconv"
	"strings"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/report"
)

// Format names an export format.
type Format uint8

// The formats.
const (
	Ledger    Format = iota + 1 // a ledger-cli journal
	HLedger                     // an hledger journal
	Beancount                   // a beancount file
	CSV                         // one row per journal line
	XLSX                        // an Excel workbook: journal, trial balance, income statements
)

var formatNames = [...]string{"", "ledger", "hledger", "beancount", "csv", "xlsx"}

// String names the format as the command line spells it.
func (f Format) String() string {
	if int(f) < len(formatNames) && f > 0 {
		return formatNames[f]
	}
	return "?"
}

// ParseFormat parses a format name; ok is false for an unknown name.
func ParseFormat(s string) (Format, bool) {
	for i, n := range formatNames {
		if i > 0 && n == s {
			return Format(i), true
		}
	}
	return 0, false
}

// Options choose what is exported.
type Options struct {
	// Period is the 1-based period to export (report.Periods); zero exports
	// the whole journal.
	Period int
	// Chart maps the default accounts to the plant's codes and names; nil
	// keeps the default ids and names.
	Chart *bf.Chart
	// Title names the plant or scenario in the file's header.
	Title string
}

// Write exports book b of ledger l in format f.
func Write(w io.Writer, f Format, l *costing.Ledger, b *costing.Book, o Options) error {
	m, err := build(l, b, o)
	if err != nil {
		return err
	}
	switch f {
	case Ledger, HLedger, Beancount:
		names, err := accountNames(f, o.Chart, m.used[:])
		if err != nil {
			return err
		}
		bw := bufio.NewWriter(w)
		if f == Beancount {
			writeBeancount(bw, m, &names)
		} else {
			writeLedger(bw, m, f, &names)
		}
		return bw.Flush()
	case CSV:
		return writeCSV(w, m, o.Chart)
	case XLSX:
		return writeXLSX(w, m, l, b, o.Chart)
	}
	return bf.E("export", bf.KindInvalid, bf.Field("format"), "must be ledger, hledger, beancount, csv or xlsx")
}

// line is one posting as exported: the account, the amount (debit
// positive) and where it came from.
type line struct {
	acct   bf.Account // a default account, or retained
	amount bf.Money
	item   string // the item the amount values, if any
	path   string // its BOM path, if any
	qty    string // the quantity behind the amount, if any
}

// entry is one journal entry as exported.
type entry struct {
	id    string // the entry's number in the book's journal; "opening" for the opening entry
	date  bf.Date
	event string // the event's id; empty for the opening entry
	memo  string
	lines []line
}

// model is what every writer needs: the entries selected, the accounts they
// use and the balances a tool must report for the file.
type model struct {
	title    string
	book     string
	method   string
	currency string
	scale    int
	period   *report.Period // nil: the whole journal
	entries  []entry
	used     [numAccounts]bool
	balance  [numAccounts]bf.Money
	first    bf.Date // the earliest date of any entry: tools want accounts opened by then
}

// build selects the book's entries for the options and converts them.
func build(l *costing.Ledger, b *costing.Book, o Options) (*model, error) {
	if err := l.History("export"); err != nil { // a streaming ledger has no journal to export
		return nil, err
	}
	m := &model{title: o.Title, book: b.Config.Name, method: Describe(b.Config),
		currency: l.Std.Plant.Currency.Code, scale: l.Std.Scale}
	first, last := int32(0), int32(l.Len()-1)
	if o.Period != 0 {
		ps := report.Periods(l)
		if o.Period < 1 || o.Period > len(ps) {
			return nil, bf.E("export", bf.KindNotFound, bf.Field("period"),
				"no period "+strconv.Itoa(o.Period)+" (the events make "+strconv.Itoa(len(ps))+" period(s), numbered from 1)")
		}
		p := ps[o.Period-1]
		m.period = &p
		first, last = p.FirstEvent, p.LastEvent
		if o.Period > 1 {
			m.opening(b, ps[o.Period-2])
		}
	}
	for i, e := range b.Journal.Entries() {
		if e.Event < first || e.Event > last {
			continue
		}
		ev := l.Event(e.Event)
		x := entry{id: strconv.Itoa(i + 1), date: ev.Date, event: ev.ID, memo: report.Memo(l, e)}
		for _, ln := range b.Journal.LinesOf(e) {
			xl := line{acct: ln.Account, amount: ln.Amount}
			if ln.Item >= 0 {
				xl.item = l.Std.Item(ln.Item).ID
			}
			if ln.Path >= 0 {
				xl.path = l.Std.Paths[ln.Path]
			}
			if ln.Qty != 0 {
				q := ln.Qty
				if q < 0 {
					q = -q
				}
				xl.qty = q.String()
			}
			x.lines = append(x.lines, xl)
		}
		m.add(x)
	}
	return m, nil
}

// opening adds the entry that starts a period after the first: every
// balance-sheet account at its balance at the end of the period before, and
// the income of all earlier periods as retained earnings. The lines add up
// to zero because every entry before them does.
func (m *model) opening(b *costing.Book, prev report.Period) {
	bal := report.BalancesAt(b, prev)
	x := entry{id: "opening", date: prev.To,
		memo: "opening balances: the balance sheet at the close of period " + strconv.Itoa(prev.Number) + " (" + prev.To.String() + ")"}
	// The income of earlier periods adds up 12 balances, each within
	// bf.MaxBalance; with the period's movements after it, an export's
	// balances and trial balance stay far within int64 (docs/accounting.md).
	var income bf.Money
	for a := bf.Account(0); a < bf.NumAccounts; a++ {
		if a.InIncome() {
			income += bal[a]
		} else if bal[a] != 0 {
			x.lines = append(x.lines, line{acct: a, amount: bal[a]})
		}
	}
	if income != 0 {
		x.lines = append(x.lines, line{acct: retained, amount: income})
	}
	if len(x.lines) > 0 {
		m.add(x)
	}
}

func (m *model) add(x entry) {
	if len(m.entries) == 0 || x.date < m.first {
		m.first = x.date
	}
	for _, ln := range x.lines {
		m.used[ln.acct] = true
		m.balance[ln.acct] += ln.amount
	}
	m.entries = append(m.entries, x)
}

// Describe says how a book is kept, in words: "backflush, triggers
// purchase+completion, absorption, standard".
func Describe(c bf.BookConfig) string {
	s := c.Method.String()
	if c.Triggers != 0 {
		s += ", triggers " + c.Triggers.String()
	}
	s += ", " + c.Scope.String() + ", " + c.Basis.String()
	if c.LCNRV != nil {
		s += ", LCNRV"
	}
	return s
}

// periodText describes the exported span for file headers.
func (m *model) periodText() string {
	if m.period == nil {
		return "all periods"
	}
	p := m.period
	state := "closed"
	if !p.Closed {
		state = "open"
	}
	return "period " + strconv.Itoa(p.Number) + " (" + p.From.String() + " to " + p.To.String() + ", " + state + ")"
}

// TrialBalance returns the trial balance a tool reports for an export with
// the given options: for the whole journal the book's trial balance; for a
// period the balance sheet at its end, the income accounts' movements in it
// and the retained earnings of earlier periods (account retained, named
// "retained_earnings"). Accounts the export does not touch are left out;
// the others are named as the export names them (AccountCode,
// AccountTitle).
func TrialBalance(l *costing.Ledger, b *costing.Book, o Options) (report.TrialBalance, error) {
	m, err := build(l, b, o)
	if err != nil {
		return report.TrialBalance{}, err
	}
	return m.trialBalance(o.Chart), nil
}

func (m *model) trialBalance(c *bf.Chart) report.TrialBalance {
	return report.NewTrialBalance(m.balance[:], m.used[:], func(a bf.Account) (string, string) {
		return AccountCode(a, c), AccountTitle(a, c)
	})
}

// oneLine makes free text fit on one line of a plain-text journal.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n\t") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}
