package report

import (
	"fmt"
	"io"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/internal/textfmt"
)

// Difference is how one book differs from the reference (sequential) book,
// split by where the value sits, with the reasons that apply to its method.
type Difference struct {
	Book, Reference string
	// Each figure is this book minus the reference.
	MaterialsAndWIP bf.Money // materials, materials-in-process and WIP
	FinishedGoods   bf.Money
	Payable         bf.Money // accounts payable, as a credit (positive: more owed)
	COGS            bf.Money
	OtherExpenses   bf.Money // variances, scrap, conversion not closed
	OperatingIncome bf.Money
	Reasons         []string
}

// Differences compares every book with the reference book for comparison
// (costing.ReferenceBook, costing.ForComparison: the first sequential book).
// It returns nil when the ledger has none.
func Differences(l *costing.Ledger) []Difference {
	ref, _ := costing.ReferenceBook(l, "", costing.ForComparison)
	if ref == nil {
		return nil
	}
	rs := Summarize(ref)
	rb := Balances(&ref.Journal)
	var out []Difference
	for _, b := range l.Books {
		if b == ref {
			continue
		}
		s := Summarize(b)
		bb := Balances(&b.Journal)
		// Differences of a few balances of two books, each within
		// bf.MaxBalance: the largest, operating income, within 24× of it.
		mw := func(bal [bf.NumAccounts]bf.Money) bf.Money {
			return bal[bf.Materials] + bal[bf.MaterialsInProcess] + bal[bf.WIP]
		}
		d := Difference{Book: b.Config.Name, Reference: ref.Config.Name,
			MaterialsAndWIP: mw(bb) - mw(rb),
			FinishedGoods:   bb[bf.FinishedGoods] - rb[bf.FinishedGoods],
			Payable:         -(bb[bf.AccountsPayable] - rb[bf.AccountsPayable]),
			COGS:            s.COGS - rs.COGS,
			OtherExpenses:   (s.Expenses - s.COGS) - (rs.Expenses - rs.COGS),
			OperatingIncome: s.OperatingIncome - rs.OperatingIncome,
		}
		d.Reasons = reasons(b.Config)
		out = append(out, d)
	}
	return out
}

// reasons states, for a method, what it leaves unrecorded compared with
// sequential tracking. These are the causes the comparison's figures come from.
func reasons(c bf.BookConfig) []string {
	if c.Method != bf.MethodBackflush {
		return nil
	}
	r := []string{"work in process and stocked sub-assemblies are not tracked: their conversion is not inventoried (it reaches COGS through the conversion variance) and their materials " + heldIn(c)}
	if !costing.HeldAtFullCost(c, bf.Finished) {
		r = append(r, "finished goods are not recorded: conversion of units made but not sold is expensed, and their materials "+heldIn(c))
	}
	if !c.Triggers.Has(bf.TriggerPurchase) {
		r = append(r, "materials are not recorded when bought: the liability is credited at standard only when a trigger flushes them, so materials on hand, their payable and purchase price variances are off the books")
	}
	return r
}

func heldIn(c bf.BookConfig) string {
	if c.Triggers.Has(bf.TriggerPurchase) {
		return "stay in materials-in-process"
	}
	return "are off the books until a trigger flushes them"
}

// writeDifferences writes the differences section of the text report.
func writeDifferences(w io.Writer, l *costing.Ledger, scale int) {
	ds := Differences(l)
	if len(ds) == 0 {
		return
	}
	fmt.Fprintf(w, "\n== Why the books differ from %s ==\n\n", ds[0].Reference)
	tb := textfmt.Table{}
	tb.Add("book (minus "+ds[0].Reference+")", "materials+WIP", "finished goods", "payable", "COGS", "other expenses", "operating income")
	for _, d := range ds {
		tb.Add(d.Book, d.MaterialsAndWIP.Format(scale), d.FinishedGoods.Format(scale), d.Payable.Format(scale),
			d.COGS.Format(scale), d.OtherExpenses.Format(scale), d.OperatingIncome.Format(scale))
	}
	tb.Flush(w)
	for _, d := range ds {
		if len(d.Reasons) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s:\n", d.Book)
		for _, r := range d.Reasons {
			fmt.Fprintf(w, "  - %s\n", r)
		}
	}
	fmt.Fprintf(w, "\nWith no inventory at the start and the end of a period every book reports the same COGS;\nbackflush stays right only while inventories are small and stable.\n")
}
