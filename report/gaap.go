package report

import (
	"fmt"
	"io"
	"math/big"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/internal/textfmt"
)

// GAAPRecon is the reconciliation of a backflush book with the GAAP book,
// as costing.GAAPReconciliations computes it; report renders it.
type GAAPRecon = costing.GAAPRecon

// GAAPReconciliations returns costing.GAAPReconciliations, the rule's one
// home, for the report's callers.
func GAAPReconciliations(l *costing.Ledger, gaapBook string, threshold bf.Pct) ([]GAAPRecon, error) {
	return costing.GAAPReconciliations(l, gaapBook, threshold)
}

func writeGAAP(w io.Writer, g *GAAPRecon, chart *bf.Chart, scale int) {
	fmt.Fprintf(w, "\n== Backflush book %s against GAAP book %s ==\n", g.Book, g.Reference)
	var tb textfmt.Table
	tb.Add("", "backflush", "GAAP", "GAAP − backflush")
	tb.Add("inventory", g.BookInventory.Format(scale), g.GAAPInventory.Format(scale), (g.GAAPInventory - g.BookInventory).Format(scale))
	tb.Add("operating income to date", g.BookIncome.Format(scale), g.GAAPIncome.Format(scale), (g.GAAPIncome - g.BookIncome).Format(scale))
	tb.Flush(w)
	fmt.Fprintf(w, "\nThe inventory difference by cause:\n")
	tb = textfmt.Table{Left: map[int]bool{2: true}}
	for _, c := range g.Causes {
		tb.Add("  "+c.Name, c.Amount.Format(scale), c.Why)
	}
	tb.Add("  unexplained", g.Residual.Format(scale), "")
	tb.Flush(w)
	verdict := "not material"
	if g.Material {
		verdict = "MATERIAL: the backflush book is not fit for external reporting without the adjustments below"
	}
	fmt.Fprintf(w, "\nMateriality (threshold %s%%): inventory %s%%, income %s%% — %s\n",
		g.Threshold.String(), pct2(g.InventoryRatio), pct2(g.IncomeRatio), verdict)
	if len(g.Adjustments) == 0 {
		return
	}
	fmt.Fprintf(w, "\nAdjusting entries to bring %s to GAAP:\n", g.Book)
	for _, e := range g.Adjustments {
		fmt.Fprintf(w, "  %s\n", e.Memo)
		tb = textfmt.Table{}
		for _, ln := range e.Lines {
			if ln.Amount > 0 {
				tb.Add("      Dr "+chart.CodeOf(ln.Account), ln.Amount.Format(scale), "")
			} else {
				tb.Add("          Cr "+chart.CodeOf(ln.Account), "", (-ln.Amount).Format(scale))
			}
		}
		tb.Flush(w)
	}
}

// pct2 formats a percentage with two decimals.
func pct2(p bf.Pct) string {
	return new(big.Rat).SetFrac64(int64(p), 1_000_000).FloatString(2)
}
