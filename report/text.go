package report

import (
	"fmt"
	"io"
	"strings"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/internal/textfmt"
)

// Options choose what a report shows.
type Options struct {
	Title string    // shown at the top (the scenario's name)
	Chart *bf.Chart // the plant's account codes; nil for the default ids
	Book  string    // only this book's journal and trial balance; empty for all
	// NoJournal leaves the journals out of the text report (trial balances and
	// the comparison remain).
	NoJournal bool
}

func (o *Options) books(l *costing.Ledger) []*costing.Book {
	if o.Book == "" {
		return l.Books
	}
	if b := l.Book(o.Book); b != nil {
		return []*costing.Book{b}
	}
	return nil
}

// CheckBook returns a not-found error when opts names a book the ledger
// lacks (costing.Ledger.CheckBook).
func CheckBook(l *costing.Ledger, name string) error { return l.CheckBook(name) }

// WriteText writes each book's journal and trial balance, then the
// comparison across books.
func WriteText(w io.Writer, l *costing.Ledger, o Options) error {
	if err := l.History("report"); err != nil { // a streaming ledger has no journal to read
		return err
	}
	scale := l.Std.Scale
	cur := l.Std.Plant.Currency.Code
	ew := &textfmt.ErrWriter{W: w}
	if o.Title != "" {
		fmt.Fprintf(ew, "%s (%s)\n\n", o.Title, cur)
	}
	for _, b := range o.books(l) {
		fmt.Fprintf(ew, "== Book %s: %s", b.Config.Name, b.Config.Method)
		if b.Config.Triggers != 0 {
			fmt.Fprintf(ew, ", triggers %s", strings.Join(b.Config.Triggers.Names(), ", "))
		}
		fmt.Fprintf(ew, " ==\n\n")
		tb := textfmt.Table{Left: map[int]bool{4: true}}
		if !o.NoJournal {
			fmt.Fprintf(ew, "Journal (%s)\n", textfmt.Plural(b.Journal.Len(), "entry", "entries"))
		}
		for e, lines := range b.Journal.All() {
			if o.NoJournal {
				break
			}
			ev := l.Event(e.Event)
			tb.Raw(fmt.Sprintf("  %s  %s  %s", ev.Date, ev.ID, Memo(l, e)))
			for _, ln := range lines {
				origin := ""
				if ln.Path >= 0 {
					origin = l.Std.Paths[ln.Path]
				} else if ln.Item >= 0 {
					origin = l.Std.Item(ln.Item).ID
				}
				if origin != "" && ln.Qty != 0 {
					origin += " × " + absQty(ln.Qty).String()
				}
				if ln.Amount > 0 {
					tb.Add("      Dr "+o.Chart.CodeOf(ln.Account), ln.Amount.Format(scale), "", "", origin)
				} else {
					tb.Add("          Cr "+o.Chart.CodeOf(ln.Account), "", (-ln.Amount).Format(scale), "", origin)
				}
			}
		}
		tb.Flush(ew)
		if !o.NoJournal {
			fmt.Fprintln(ew)
		}
		fmt.Fprintf(ew, "Trial balance\n")
		writeTrialBalance(ew, b, o.Chart, scale)
		fmt.Fprintln(ew)
	}
	writeComparison(ew, l, o.Chart, scale)
	writeDifferences(ew, l, scale)
	return ew.Err
}

func absQty(q bf.Qty) bf.Qty {
	if q < 0 {
		return -q
	}
	return q
}

func writeTrialBalance(w io.Writer, b *costing.Book, chart *bf.Chart, scale int) {
	trial := TrialBalanceOf(b, chart)
	var tb textfmt.Table
	tb.Add("  account", "debit", "credit")
	for _, r := range trial.Rows {
		switch {
		case r.Balance > 0:
			tb.Add("  "+r.Code, r.Debit().Format(scale), "")
		case r.Balance < 0:
			tb.Add("  "+r.Code, "", r.Credit().Format(scale))
		default:
			tb.Add("  "+r.Code, "-", "-")
		}
	}
	tb.Add("  total", trial.Debit.Format(scale), trial.Credit.Format(scale))
	tb.Flush(w)
}

func writeComparison(w io.Writer, l *costing.Ledger, chart *bf.Chart, scale int) {
	sums := make([]Summary, len(l.Books))
	for i, b := range l.Books {
		sums[i] = Summarize(b)
	}
	fmt.Fprintf(w, "== Comparison across books ==\n\n")
	var tb textfmt.Table
	row := func(label string, f func(s *Summary) string) {
		cells := []string{label}
		for i := range sums {
			cells = append(cells, f(&sums[i]))
		}
		tb.Add(cells...)
	}
	money := func(f func(s *Summary) bf.Money) func(s *Summary) string {
		return func(s *Summary) string { return f(s).Format(scale) }
	}
	row("book", func(s *Summary) string { return s.Name })
	row("method", func(s *Summary) string {
		if len(s.Triggers) == 0 {
			return s.Method
		}
		return s.Method + " " + strings.Join(s.Triggers, "+")
	})
	row("journal entries", func(s *Summary) string { return fmt.Sprint(s.Entries) })
	row("journal lines", func(s *Summary) string { return fmt.Sprint(s.Lines) })
	for _, a := range InventoryAccounts {
		a := a
		row("inventory: "+chart.CodeOf(a), money(func(s *Summary) bf.Money { return s.Inventory[a] }))
	}
	row("total inventory", money(func(s *Summary) bf.Money { return s.TotalInventory }))
	row("revenue", money(func(s *Summary) bf.Money { return s.Revenue }))
	row("cost of goods sold", money(func(s *Summary) bf.Money { return s.COGS }))
	row("all expenses", money(func(s *Summary) bf.Money { return s.Expenses }))
	row("operating income", money(func(s *Summary) bf.Money { return s.OperatingIncome }))
	row("conversion under(+)/over(-) allocated", money(func(s *Summary) bf.Money { return s.ConversionVariance }))
	row("  of which not yet closed", money(func(s *Summary) bf.Money { return s.OpenConversion }))
	tb.Flush(w)
}
