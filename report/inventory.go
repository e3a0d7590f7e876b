package report

import (
	"slices"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
)

// InventorySeries is a book's inventory over time: the balance of each
// inventory account its journal uses at the end of each day that has
// events (after the day's last event in posting order), and their total.
type InventorySeries struct {
	Book     string
	Accounts []bf.Account // the inventory accounts used, in balance-sheet order
	Dates    []bf.Date    // the days with events, in date order
	// Values holds a row per date: each account's balance, then the total.
	Values [][]bf.Money
}

// InventorySeriesOf computes a book's inventory over time from its journal.
func InventorySeriesOf(l *costing.Ledger, b *costing.Book) InventorySeries {
	s := InventorySeries{Book: b.Config.Name}
	used := Used(&b.Journal)
	for _, a := range InventoryAccounts {
		if used[a] {
			s.Accounts = append(s.Accounts, a)
		}
	}
	jn, n := &b.Journal, l.Len()
	var bal [bf.NumAccounts]bf.Money
	byDate := map[bf.Date][]bf.Money{}
	k := 0
	for i, ev := range l.Events() {
		for k < jn.Len() && jn.Entry(k).Event <= int32(i) {
			for _, ln := range jn.LinesOf(jn.Entry(k)) {
				bal[ln.Account] += ln.Amount
			}
			k++
		}
		if i == n-1 || l.Event(int32(i+1)).Date != ev.Date {
			snap := make([]bf.Money, len(s.Accounts)+1)
			for j, a := range s.Accounts {
				snap[j] = bal[a]
				snap[len(s.Accounts)] += bal[a]
			}
			byDate[ev.Date] = snap
		}
	}
	for d := range byDate {
		s.Dates = append(s.Dates, d)
	}
	slices.Sort(s.Dates)
	for _, d := range s.Dates {
		s.Values = append(s.Values, byDate[d])
	}
	return s
}
