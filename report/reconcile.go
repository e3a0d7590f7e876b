package report

import (
	"fmt"
	"io"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/internal/textfmt"
)

// MethodRecon reconciles two books that differ only in what they inventory:
// each period, the difference in operating income must equal the difference
// in inventory at the end of the period less that at its start (for
// absorption against variable costing: the fixed overhead in closing stock
// less that in opening stock).
type MethodRecon struct {
	A, B string // the books, A inventorying more than B
	What string // what A inventories and B does not
	Rows []MethodReconRow
}

// MethodReconRow is one period of a method reconciliation.
type MethodReconRow struct {
	Period     Period
	IncomeDiff bf.Money // operating income A − B
	Opening    bf.Money // inventory A − B at the start of the period
	Closing    bf.Money // inventory A − B at the end of the period
	Holds      bool     // IncomeDiff == Closing − Opening
}

// MethodReconciliations pairs the ledger's books that share tracking,
// triggers, basis and reporting rules but differ in scope.
func MethodReconciliations(l *costing.Ledger) []MethodRecon {
	var out []MethodRecon
	periods := Periods(l)
	for _, a := range l.Books {
		for _, b := range l.Books {
			ca, cb := a.Config, b.Config
			if a == b || ca.Method != cb.Method || ca.Triggers != cb.Triggers || ca.Basis != cb.Basis ||
				(ca.LCNRV == nil) != (cb.LCNRV == nil) || ca.Scope >= cb.Scope {
				continue
			}
			r := MethodRecon{A: ca.Name, B: cb.Name, What: scopeGap(ca.Scope, cb.Scope)}
			sa, sb := IncomeStatements(l, a), IncomeStatements(l, b)
			// Differences of two statements' figures: the incomes within
			// 48×bf.MaxBalance, the inventories within 10× (five accounts
			// each), their change within 20× (docs/accounting.md).
			var open bf.Money
			for k, p := range periods {
				row := MethodReconRow{Period: p, IncomeDiff: sa[k].OperatingIncome - sb[k].OperatingIncome,
					Opening: open, Closing: sa[k].Inventory - sb[k].Inventory}
				row.Holds = row.IncomeDiff == row.Closing-row.Opening
				open = row.Closing
				r.Rows = append(r.Rows, row)
			}
			out = append(out, r)
		}
	}
	return out
}

func scopeGap(a, b bf.Scope) string {
	switch {
	case a == bf.ScopeAbsorption && b == bf.ScopeVariable:
		return "fixed manufacturing overhead in inventory"
	case a == bf.ScopeVariable && b == bf.ScopeThroughput:
		return "variable conversion in inventory"
	default:
		return "conversion (variable and fixed) in inventory"
	}
}

// WriteReconcile writes the method reconciliations and, for every backflush
// book, the reconciliation to the GAAP book.
func WriteReconcile(w io.Writer, l *costing.Ledger, o Options, threshold bf.Pct, gaapBook string) error {
	if err := l.History("report reconcile"); err != nil { // a streaming ledger has no journal to read
		return err
	}
	scale := l.Std.Scale
	ew := &textfmt.ErrWriter{W: w}
	if o.Title != "" {
		fmt.Fprintf(ew, "%s (%s)\n", o.Title, l.Std.Plant.Currency.Code)
	}
	for _, r := range MethodReconciliations(l) {
		fmt.Fprintf(ew, "\n== %s − %s: %s ==\n", r.A, r.B, r.What)
		var tb textfmt.Table
		tb.Add("period", "income "+r.A+" − "+r.B, "in closing inventory", "in opening inventory", "change", "holds")
		for _, row := range r.Rows {
			h := "yes"
			if !row.Holds {
				h = "NO"
			}
			tb.Add(periodLabel(row.Period), row.IncomeDiff.Format(scale), row.Closing.Format(scale), row.Opening.Format(scale),
				(row.Closing - row.Opening).Format(scale), h)
		}
		tb.Flush(ew)
	}
	recs, err := GAAPReconciliations(l, gaapBook, threshold)
	if err != nil {
		return err
	}
	for _, g := range recs {
		writeGAAP(ew, &g, o.Chart, scale)
	}
	return ew.Err
}
