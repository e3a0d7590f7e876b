package report

import (
	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
)

// TrialBalance is a book's trial balance: one row for every account its
// journal has a line on, in account order, and the totals of the debit and
// of the credit balances, which agree when the journal balances.
//
// It is computed here rather than in costing: costing posts the books,
// while a trial balance is one way of reading a journal, like the
// summaries and statements beside it in this package, and it is read the
// same way by the text report, the JSON report, the exports (CSV and
// workbook, package export) and the API (package httpapi). Each of them
// only lays out these rows.
type TrialBalance struct {
	Rows          []TrialRow
	Debit, Credit bf.Money // the totals of the debit and of the credit balances
}

// TrialRow is one account of a trial balance.
type TrialRow struct {
	Account bf.Account
	Code    string   // the plant's code for the account (its default id when none)
	Name    string   // the plant's name for it; empty when the chart gives none
	Balance bf.Money // debit minus credit
}

// Debit is the row's debit balance: the balance when positive, else zero.
func (r TrialRow) Debit() bf.Money { return max(r.Balance, 0) }

// Credit is the row's credit balance: minus the balance when negative,
// else zero.
func (r TrialRow) Credit() bf.Money { return max(-r.Balance, 0) }

// TrialBalanceOf returns the trial balance of a book's whole journal, its
// accounts named by the plant's chart (nil: their default ids, no names).
func TrialBalanceOf(b *costing.Book, chart *bf.Chart) TrialBalance {
	bal, used := Balances(&b.Journal), Used(&b.Journal)
	return NewTrialBalance(bal[:], used[:], ChartNames(chart))
}

// NewTrialBalance lays out a trial balance from balances that are not a
// whole journal's (an export of one period, whose opening entry carries an
// account besides the default ones): bal[a] is account a's balance, used[a]
// whether it has any line, and names gives each used account's code and
// name.
func NewTrialBalance(bal []bf.Money, used []bool, names func(bf.Account) (code, name string)) TrialBalance {
	var tb TrialBalance
	for i, u := range used {
		if !u {
			continue
		}
		a := bf.Account(i)
		r := TrialRow{Account: a, Balance: bal[i]}
		r.Code, r.Name = names(a)
		tb.Rows = append(tb.Rows, r)
		// A book's balances are each within bf.MaxBalance (costing
		// checks every posting), so the totals of its 22 accounts fit;
		// an export's period adds the income of earlier periods, still
		// far within (docs/accounting.md, "The limits").
		tb.Debit += r.Debit()
		tb.Credit += r.Credit()
	}
	return tb
}

// ChartNames names the default accounts by a plant's chart: the chart's
// code (CodeOf: the default id when it maps none) and its name, empty when
// it gives none or the chart is nil.
func ChartNames(c *bf.Chart) func(bf.Account) (code, name string) {
	return func(a bf.Account) (string, string) {
		name := ""
		if c != nil && a < bf.NumAccounts {
			name = c.Name[a]
		}
		return c.CodeOf(a), name
	}
}
