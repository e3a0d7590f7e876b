package whatif

import (
	"fmt"
	"io"

	"github.com/backflush/backflush/jit"
	"github.com/backflush/backflush/report"
)

// WriteText prints a steady and a disturbed run side by side: each book's
// cost of goods sold against sequential tracking's, its largest drift, and
// for each run whether the books agree, stated from their figures, with
// every difference tested against its causes.
func WriteText(w io.Writer, s, d *Run, scale int) {
	fmt.Fprintf(w, "\n== What-if: steady vs disturbed (%s), seed %d ==\n\n", d.Disturb, s.Sim.Options.Seed)
	last := len(s.Days) - 1
	fmt.Fprintf(w, "  inventory at the end (sequential): steady %s, disturbed %s\n",
		s.Days[last].Books[s.Ref].Inventory.Format(scale), d.Days[len(d.Days)-1].Books[d.Ref].Inventory.Format(scale))
	fmt.Fprintf(w, "  %-22s %18s %16s %18s %16s %18s\n", "book", "COGS steady", "minus seq.", "COGS disturbed", "minus seq.", "largest drift")
	sref, dref := report.Summarize(s.Ledger.Books[s.Ref]), report.Summarize(d.Ledger.Books[d.Ref])
	for b := range s.Ledger.Books {
		ss, ds := report.Summarize(s.Ledger.Books[b]), report.Summarize(d.Ledger.Books[b])
		peak := d.LargestDrift(b)
		fmt.Fprintf(w, "  %-22s %18s %16s %18s %16s %18s\n", ss.Name, ss.COGS.Format(scale), (ss.COGS - sref.COGS).Format(scale),
			ds.COGS.Format(scale), (ds.COGS - dref.COGS).Format(scale), peak.Format(scale))
	}
	for _, r := range []*Run{s, d} {
		fmt.Fprintln(w)
		WriteAgreement(w, r, scale)
	}
}

// WriteAgreement states, from the figures, whether every book agrees with
// the reference at the end of the run, and tests each difference against
// its causes (see Cause).
func WriteAgreement(w io.Writer, r *Run, scale int) {
	causes := r.Causes()
	agree := true
	for _, c := range causes {
		agree = agree && c.Drift == 0
	}
	inv := r.Days[len(r.Days)-1].Books[max(r.Ref, 0)].Inventory
	if agree {
		fmt.Fprintf(w, "  %s run: every book reports the same operating income as sequential tracking, to the cent (inventory at the end %s).\n",
			title(r.Name), inv.Format(scale))
		return
	}
	fmt.Fprintf(w, "  %s run: the books do not agree at the end (inventory %s). Each difference, tested against its causes:\n", title(r.Name), inv.Format(scale))
	for _, c := range causes {
		if !c.Tested {
			fmt.Fprintf(w, "  %-22s income %s: not tested (not a backflush book of the reference's scope)\n", c.Book, c.Drift.Format(scale))
			continue
		}
		verdict := "explained"
		if !c.Explained() {
			verdict = "NOT EXPLAINED: " + c.Residue.Format(scale) + " left over"
		}
		fmt.Fprintf(w, "  %-22s income %s = - conversion not held %s + price variance never recorded %s (%s)\n", c.Book,
			c.Drift.Format(scale), c.Conversion.Format(scale), c.PriceVariance.Format(scale), verdict)
	}
	for _, c := range causes {
		if c.Tested && c.PriceVariance != 0 {
			fmt.Fprintf(w, "  Books without the purchase trigger never record the %s paid over standard (a purchase price variance\n"+
				"  sequential tracking expenses), so they differ even with empty stores.\n", c.PriceVariance.Format(scale))
			break
		}
	}
}

func title(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// WriteProposal prints the disturbed run beside the same run with a
// proposal (suggested kanban cards, a levelled sequence): the measures a
// practitioner weighs it by, and each book's drift, so a controller sees
// whether backflush stays safe for the plant as proposed.
func WriteProposal(w io.Writer, d, p *Run, what string, scale int) {
	fmt.Fprintf(w, "\n== What-if: the disturbed run as proposed (%s) ==\n\n", what)
	dm, pm := d.Measures, p.Measures
	row := func(name, a, b string) { fmt.Fprintf(w, "  %-34s %22s %22s\n", name, a, b) }
	row("", "disturbed", "proposed")
	row("orders shipped", fmt.Sprint(dm.ShippedOrders), fmt.Sprint(pm.ShippedOrders))
	row("customer on-time delivery", dm.CustomerOnTime().Pct(1), pm.CustomerOnTime().Pct(1))
	row("open orders at the end", fmt.Sprint(dm.OpenOrders), fmt.Sprint(pm.OpenOrders))
	row("supplier on-time in full", dm.SupplierOTIF().Pct(1), pm.SupplierOTIF().Pct(1))
	row("stock-outs (minutes short)", stockouts(dm), stockouts(pm))
	row("average inventory", dm.AverageInventory.Format(scale), pm.AverageInventory.Format(scale))
	row("inventory at the end", d.Days[len(d.Days)-1].Books[d.Ref].Inventory.Format(scale), p.Days[len(p.Days)-1].Books[p.Ref].Inventory.Format(scale))
	for b, bk := range d.Ledger.Books {
		if b == d.Ref {
			continue
		}
		row("largest drift, "+bk.Config.Name, d.LargestDrift(b).Format(scale), p.LargestDrift(b).Format(scale))
	}
	fmt.Fprintln(w)
	WriteAgreement(w, p, scale)
}

func stockouts(m *jit.Measures) string {
	n, minutes := 0, int64(0)
	for _, l := range m.Loops {
		n += l.Stockouts
		minutes += l.StockoutMinutes
	}
	return fmt.Sprintf("%d (%d)", n, minutes)
}
