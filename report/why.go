package report

import (
	"fmt"
	"io"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/internal/textfmt"
)

// Movement is one line that moved an account, with its origin: the event, the
// rule that posted it, and the item and BOM path it relieves.
type Movement struct {
	Date    bf.Date
	Event   string
	Memo    string
	Item    string
	Path    string
	Qty     bf.Qty
	Amount  bf.Money
	Balance bf.Money // the account's balance after this line
}

// Why lists every movement of an account in a book, in posting order,
// optionally only those caused by one event.
func Why(l *costing.Ledger, b *costing.Book, a bf.Account, event string) []Movement {
	var out []Movement
	var bal bf.Money
	for e, lines := range b.Journal.All() {
		ev := l.Event(e.Event)
		for _, ln := range lines {
			if ln.Account != a {
				continue
			}
			bal += ln.Amount // the balance after the line: within bf.MaxBalance
			if event != "" && ev.ID != event {
				continue
			}
			m := Movement{Date: ev.Date, Event: ev.ID, Memo: e.Kind.String(), Qty: ln.Qty, Amount: ln.Amount, Balance: bal}
			if ln.Item >= 0 {
				m.Item = l.Std.Item(ln.Item).ID
			}
			if ln.Path >= 0 {
				m.Path = l.Std.Paths[ln.Path]
			}
			out = append(out, m)
		}
	}
	return out
}

// WriteWhy writes the movements of an account as a table.
func WriteWhy(w io.Writer, l *costing.Ledger, b *costing.Book, a bf.Account, event string, chart *bf.Chart) error {
	if err := l.History("why"); err != nil { // a streaming ledger has no journal to read
		return err
	}
	scale := l.Std.Scale
	ew := &textfmt.ErrWriter{W: w}
	fmt.Fprintf(ew, "Why %s moved in book %s\n\n", chart.CodeOf(a), b.Config.Name)
	// The rule and the BOM path are free text: last, where a narrow
	// terminal wraps them under themselves (textfmt.Table).
	tb := textfmt.Table{Left: map[int]bool{1: true, 6: true}}
	tb.Add("date", "event", "qty", "debit", "credit", "balance", "rule: component (BOM path)")
	for _, m := range Why(l, b, a, event) {
		origin := m.Path
		if origin == "" {
			origin = m.Item
		}
		dr, cr := "", ""
		if m.Amount > 0 {
			dr = m.Amount.Format(scale)
		} else {
			cr = (-m.Amount).Format(scale)
		}
		q := ""
		if m.Qty != 0 {
			q = m.Qty.String()
		}
		rule := m.Memo
		if origin != "" {
			rule += ": " + origin
		}
		tb.Add(m.Date.String(), m.Event, q, dr, cr, m.Balance.Format(scale), rule)
	}
	tb.Flush(ew)
	return ew.Err
}
