package whatif

import (
	"fmt"
	"io"

	"github.com/backflush/backflush/report"
)

// WriteText prints a steady and a disturbed run side by side: each book's
// cost of goods sold against sequential tracking's, its largest drift, and
// why the books differ at the end of the disturbed run.
func WriteText(w io.Writer, s, d *Run, scale int) {
	fmt.Fprintf(w, "\n== What-if: steady vs disturbed (%s), seed %d ==\n\n", d.Disturb, s.Sim.Options.Seed)
	last := len(s.Days) - 1
	fmt.Fprintf(w, "  inventory at the end (sequential): steady %s, disturbed %s\n",
		s.Days[last].Books[s.Ref].Inventory.Format(scale), d.Days[last].Books[d.Ref].Inventory.Format(scale))
	fmt.Fprintf(w, "  %-22s %18s %16s %18s %16s %18s\n", "book", "COGS steady", "minus seq.", "COGS disturbed", "minus seq.", "largest drift")
	sref, dref := report.Summarize(s.Ledger.Books[s.Ref]), report.Summarize(d.Ledger.Books[d.Ref])
	for b := range s.Ledger.Books {
		ss, ds := report.Summarize(s.Ledger.Books[b]), report.Summarize(d.Ledger.Books[b])
		peak := d.LargestDrift(b)
		fmt.Fprintf(w, "  %-22s %18s %16s %18s %16s %18s\n", ss.Name, ss.COGS.Format(scale), (ss.COGS - sref.COGS).Format(scale),
			ds.COGS.Format(scale), (ds.COGS - dref.COGS).Format(scale), peak.Format(scale))
	}
	fmt.Fprintf(w, "\n  Steady: the run-out empties the stores and every book agrees. Disturbed: work left on the\n")
	fmt.Fprintf(w, "  line and in the stores at the close makes the backflush books drift. At the end:\n")
	for _, x := range d.End {
		check := "reconciles"
		if x.OperatingIncome != x.MaterialsAndWIP+x.FinishedGoods-x.Payable {
			check = "DOES NOT RECONCILE"
		}
		fmt.Fprintf(w, "  %-22s income %s = inventory not held %s - payable not recorded %s (%s)\n", x.Book,
			x.OperatingIncome.Format(scale), (x.MaterialsAndWIP + x.FinishedGoods).Format(scale), x.Payable.Format(scale), check)
	}
}
