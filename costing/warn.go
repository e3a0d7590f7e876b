package costing

import (
	bf "github.com/backflush/backflush"
)

// DefaultMateriality is the materiality threshold, in percent, the
// warnings and the GAAP reconciliation use unless told otherwise.
const DefaultMateriality bf.Pct = 5_000_000

// CloseWarning says that a close of a book kept for external reporting
// wrote a material favourable conversion variance off to COGS: inventory
// stays at standard, above the cost actually incurred. IAS 2.13 wants the
// fixed overhead per unit lowered in periods of abnormally high production
// so that inventories are not measured above cost, and ASC 330-10-30-3 to
// 30-7 wants inventory at cost; prorating keeps the favourable variance
// with the goods (shares.go).
type CloseWarning struct {
	Book       string
	Event      int32    // the close
	Favourable bf.Money // the favourable variance closed to COGS, as a positive amount
	// InInventory is the part prorating would have left in inventory, by
	// the same weights a prorating close uses (WIP and finished goods at
	// their ending balances, the period's COGS).
	InInventory    bf.Money
	Inventory      bf.Money // the book's inventory after the close
	Income         bf.Money // the period's operating income
	InventoryRatio bf.Pct   // InInventory as a percent of Inventory
	IncomeRatio    bf.Pct   // InInventory as a percent of |Income|
	Threshold      bf.Pct
}

// Message says the warning in words.
func (w CloseWarning) Message(l *Ledger) string {
	sc := l.Std.Scale
	return "book " + w.Book + " is kept for external reporting, but close " + l.Event(w.Event).ID + " (" + l.Event(w.Event).Date.String() +
		") wrote a favourable conversion variance of " + w.Favourable.Format(sc) + " off to COGS; prorated, " + w.InInventory.Format(sc) +
		" of it would have stayed with the goods on hand (" + w.InventoryRatio.String() + "% of inventory, " + w.IncomeRatio.String() +
		"% of the period's operating income; material above " + w.Threshold.String() + "%): inventory is carried above cost (IAS 2.13, ASC 330-10-30-3 to 30-7); close with prorate (close: {conversion_variance: prorate})"
}

// ExternalCloseWarnings is the rule of the external-reporting close check:
// for every book marked External in a ledger that closes conversion
// variances to COGS, at every close (or only at the close with index
// event, when event ≥ 0) whose favourable variance written off to COGS
// would, prorated, have left a material amount in inventory: more than
// threshold percent of the book's inventory after the close or of the
// period's operating income — the two tests of the GAAP reconciliation's
// materiality (GAAPReconciliations). Books that keep actual costs close
// into COGS whatever the policy, and are left out.
func ExternalCloseWarnings(l *Ledger, event int32, threshold bf.Pct) []CloseWarning {
	if l.Close != bf.CloseToCOGS || l.Streaming() {
		return nil
	}
	var out []CloseWarning
	for _, b := range l.Books {
		if !b.Config.External || b.act != nil {
			continue
		}
		var bal, mark [bf.NumAccounts]bf.Money // running balances; at the last close
		var fav bf.Money
		var w [3]bf.Money
		cur := int32(-1)
		flush := func() {
			if cur < 0 || fav == 0 || (event >= 0 && cur != event) {
				return
			}
			var part [3]bf.Money
			if !bf.Apportion(fav, w[:], part[:]) {
				return
			}
			inv := part[0] + part[1]
			var mov [bf.NumAccounts]bf.Money
			for a := range bal {
				mov[a] = bal[a] - mark[a]
			}
			c := CloseWarning{Book: b.Config.Name, Event: cur, Favourable: fav, InInventory: inv, Inventory: bf.InventoryValue(bal),
				Income: bf.OperatingIncome(mov), Threshold: threshold}
			c.InventoryRatio, c.IncomeRatio = ratio(inv, c.Inventory), ratio(inv, c.Income)
			if inv > 0 && (c.InventoryRatio > threshold || c.IncomeRatio > threshold) {
				out = append(out, c)
			}
		}
		j := &b.Journal
		for k := range j.Len() {
			e := j.Entry(k)
			if e.Event != cur {
				flush()
				if cur >= 0 && l.Event(cur).Type == bf.Close {
					mark = bal
				}
				cur, fav = e.Event, 0
				if l.Event(cur).Type == bf.Close {
					w = [3]bf.Money{max(bal[bf.WIP], 0), max(bal[bf.FinishedGoods], 0), max(bal[bf.COGS]-mark[bf.COGS], 0)}
				}
			}
			for _, ln := range j.LinesOf(e) {
				bal[ln.Account] += ln.Amount
				if e.Kind == bf.EntryClose && ln.Account == bf.COGS && ln.Amount < 0 {
					fav -= ln.Amount
				}
			}
		}
		flush()
	}
	return out
}
