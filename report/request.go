package report

import (
	"io"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
)

// Kind names a report that Write writes.
type Kind string

// The reports Write writes.
const (
	KindBooks     Kind = "books"     // each book's journal and trial balance, then the comparison
	KindIncome    Kind = "income"    // income statements per book and period
	KindReconcile Kind = "reconcile" // the method reconciliations and those to the GAAP book
	KindProcess   Kind = "process"   // the process-costing reports of an actual-cost book
	KindLCNRV     Kind = "lcnrv"     // the LCNRV test of a book
)

// The controller's reports (issue 13, part 6 a and e). KindVariances reads
// the book Options.Book names, by default the one costing.VarianceBook
// chooses; the income statements' columns layout is Request.Columns.
const (
	KindVariances Kind = "variances" // a book's variances by period, item and cause, reconciled to the book
)

// DefaultMateriality is the reconciliation's materiality threshold when
// the caller names none: 5 % of GAAP inventory and of GAAP income.
const DefaultMateriality = bf.Pct(5_000_000)

// Request says which report Write writes and how.
type Request struct {
	Kind Kind
	JSON bool // JSON rather than text
	// Options give the title and the chart, and Book the book: the only
	// one shown (books, income), the GAAP book (reconcile), the
	// actual-cost book (process) or the book tested (lcnrv); empty for
	// all, or for the book costing.ReferenceBook picks. NoJournal leaves
	// the journals out of the books report's text.
	Options
	Item        string // process, bom: only this item
	Materiality bf.Pct // reconcile: the materiality threshold
	// Basis and Standard override the LCNRV policy of the book (lcnrv).
	Basis, Standard string

	// Columns lays the income statements out with the periods as columns
	// and a year-to-date column after each fiscal year's (income);
	// YearStart is the fiscal year's first day, MM-DD (01-01 when empty).
	Columns    bool
	YearStart  string
	Controller // bom, throughput: what they take besides the ledger (controller.go)
}

// Write writes the report a request names from a ledger. It is the one
// dispatch of every path to a report — the CLI on a scenario file, the CLI
// and the API on a store — and checks the names the request gives: an
// unknown book or item is NotFound, a book unfit for the report Invalid.
func Write(w io.Writer, l *costing.Ledger, r Request) error {
	if done, err := writeController(w, l, r); done {
		return err
	}
	switch r.Kind {
	case KindBooks, KindIncome:
		if err := CheckBook(l, r.Book); err != nil {
			return err
		}
		text, asJSON := WriteText, WriteJSON
		if r.Kind == KindIncome {
			text, asJSON = WriteIncome, IncomeJSON
		}
		if r.Kind == KindIncome && r.Columns {
			return WriteIncomeColumns(w, l, r.Options, r.YearStart, r.JSON)
		}
		if r.YearStart != "" {
			return bf.E("report "+string(r.Kind), bf.KindInvalid, bf.Field("fiscal_year_start"), "applies to the columns layout of the income statements only")
		}
		if r.JSON {
			return asJSON(w, l, r.Options)
		}
		return text(w, l, r.Options)
	case KindReconcile:
		// The GAAP book is checked, or picked, by costing.ReferenceBook.
		if r.JSON {
			return ReconcileJSON(w, l, r.Materiality, r.Book)
		}
		return WriteReconcile(w, l, r.Options, r.Materiality, r.Book)
	case KindProcess:
		b, err := costing.ReferenceBook(l, r.Book, costing.ForProcess)
		if err != nil {
			return err
		}
		if r.Item != "" {
			if _, ok := l.Std.Lookup(r.Item); !ok {
				return bf.E("process", bf.KindNotFound, bf.Field("item"), bf.ItemID(r.Item), "unknown item "+r.Item)
			}
		}
		return WriteProcess(w, l, b, r.Item, r.JSON)
	case KindLCNRV:
		b, err := costing.ReferenceBook(l, r.Book, costing.ForLCNRV)
		if err != nil {
			return err
		}
		pol, err := costing.LCNRVPolicyOf(b).Override(r.Basis, r.Standard)
		if err != nil {
			return err
		}
		res, lines, err := costing.LCNRVTest(l, b, pol)
		if err != nil {
			return err
		}
		return WriteLCNRV(w, l, b, res, lines, pol.Standard, r.JSON)
	case KindVariances:
		return WriteVariances(w, l, r.Options, r.JSON)
	}
	return bf.E("report", bf.KindInvalid, bf.Field("kind"), "unknown report "+string(r.Kind)+" (reports: books, income, reconcile, process, lcnrv, variances, bom, throughput)")
}
