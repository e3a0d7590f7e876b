package report

import (
	"fmt"
	"io"
	"strconv"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/internal/textfmt"
)

// Period is one accounting period of a ledger: the events after one close
// up to and including the next (the last period may still be open). The
// ledger keeps its events in date order (costing/dateorder.go), so a period
// is its dates: a closed period holds exactly the events dated after the
// close before it and on or before its own close, To.
type Period struct {
	Number     int
	From, To   bf.Date // dates of the first and last event
	FirstEvent int32   // index of its first event
	LastEvent  int32   // index of its last event (its close, when closed)
	Closed     bool
}

// Periods splits a ledger's events into periods at its close events.
func Periods(l *costing.Ledger) []Period {
	var out []Period
	start := int32(0)
	var from, to bf.Date
	for i, ev := range l.Events() {
		if int32(i) == start {
			from, to = ev.Date, ev.Date
		}
		from, to = min(from, ev.Date), max(to, ev.Date)
		if ev.Type == bf.Close {
			out = append(out, Period{Number: len(out) + 1, FirstEvent: start, LastEvent: int32(i), Closed: true, From: from, To: to})
			start = int32(i) + 1
		}
	}
	if n := l.Len(); int(start) < n {
		out = append(out, Period{Number: len(out) + 1, FirstEvent: start, LastEvent: int32(n - 1), From: from, To: to})
	}
	return out
}

// Movements sums a book's lines per account over the events of a period:
// the balance at its end less that at its start, within 2×bf.MaxBalance.
func Movements(b *costing.Book, p Period) [bf.NumAccounts]bf.Money {
	var m [bf.NumAccounts]bf.Money
	for e, lines := range b.Journal.All() {
		if e.Event < p.FirstEvent || e.Event > p.LastEvent {
			continue
		}
		for _, ln := range lines {
			m[ln.Account] += ln.Amount
		}
	}
	return m
}

// BalancesAt sums a book's lines per account up to the end of a period:
// the balances then, each within bf.MaxBalance.
func BalancesAt(b *costing.Book, p Period) [bf.NumAccounts]bf.Money {
	var m [bf.NumAccounts]bf.Money
	for e, lines := range b.Journal.All() {
		if e.Event > p.LastEvent {
			continue
		}
		for _, ln := range lines {
			m[ln.Account] += ln.Amount
		}
	}
	return m
}

// StatementLine is one line of an income statement; Total marks subtotals.
type StatementLine struct {
	Label  string
	Amount bf.Money // revenue and margins positive, costs positive (subtracted)
	Total  bool
}

// Statement is a book's income statement for one period, in the format of
// the book's costing philosophy.
type Statement struct {
	Book            string
	Format          string // absorption (gross margin), variable (contribution margin), throughput
	Period          Period
	Lines           []StatementLine
	OperatingIncome bf.Money
	// Inventory is the book's total inventory at the end of the period.
	Inventory bf.Money
}

// IncomeStatements returns a book's statement for every period.
func IncomeStatements(l *costing.Ledger, b *costing.Book) []Statement {
	var out []Statement
	for _, p := range Periods(l) {
		out = append(out, incomeStatement(l, b, p))
	}
	return out
}

func incomeStatement(l *costing.Ledger, b *costing.Book, p Period) Statement {
	m := Movements(b, p)
	end := BalancesAt(b, p)
	st := Statement{Book: b.Config.Name, Format: b.Config.Scope.String(), Period: p}
	st.Inventory = bf.InventoryValue(end)
	add := func(label string, v bf.Money, total bool) {
		st.Lines = append(st.Lines, StatementLine{Label: label, Amount: v, Total: total})
	}
	// Each line adds up some of the 12 income accounts' movements, the
	// operating income all of them: within 24×bf.MaxBalance, which fits
	// (docs/accounting.md, "The limits").
	revenue := -m[bf.SalesRevenue]
	variances := m[bf.PurchasePriceVariance] + m[bf.MaterialUsageVariance] + m[bf.ScrapLoss]
	varConv := m[bf.ConversionControl] + m[bf.ConversionAllocated]
	fixConv := m[bf.FixedOverheadControl] + m[bf.FixedOverheadAllocated]
	writedown := m[bf.InventoryWritedown]
	cogs := m[bf.COGS]
	sellVar, sellFix := m[bf.SellingAdminVariable], m[bf.SellingAdminFixed]
	add("revenue", revenue, false)
	switch b.Config.Scope {
	case bf.ScopeVariable:
		vc := cogs + variances + writedown + varConv
		add("variable cost of goods sold", cogs, false)
		addIf(add, "variances (price, usage, scrap)", variances)
		addIf(add, "inventory write-down to LCNRV", writedown)
		addIf(add, "variable conversion not allocated", varConv)
		add("variable marketing and administration", sellVar, false)
		add("contribution margin", revenue-vc-sellVar, true)
		add("fixed manufacturing overhead", fixConv, false)
		add("fixed marketing and administration", sellFix, false)
		st.OperatingIncome = revenue - vc - sellVar - fixConv - sellFix
	case bf.ScopeThroughput:
		tvc := cogs + variances + writedown
		add("totally variable costs (materials)", cogs, false)
		addIf(add, "material variances (price, usage, scrap)", variances)
		addIf(add, "inventory write-down to LCNRV", writedown)
		add("throughput contribution", revenue-tvc, true)
		add("operating expenses: conversion", varConv+fixConv, false)
		add("operating expenses: marketing and administration", sellVar+sellFix, false)
		st.OperatingIncome = revenue - tvc - varConv - fixConv - sellVar - sellFix
	default:
		cos := cogs + variances + writedown + varConv + fixConv
		add("cost of goods sold", cogs, false)
		if v, ok := costing.SplitFixedOverhead(l, b, p.FirstEvent, p.LastEvent); ok {
			// Shown so the controller sees why: closed into COGS above, or
			// with prorate spread over WIP, finished goods and COGS, so
			// only partly in the line above.
			of := "  of which "
			if l.Close == bf.CloseProrate {
				of = "  prorated (WIP, finished goods, COGS): "
			}
			add(of+"fixed overhead spending variance", v.Spending, false)
			add(of+"production-volume variance", v.Volume, false)
		}
		addIf(add, "variances (price, usage, scrap)", variances)
		addIf(add, "inventory write-down to LCNRV", writedown)
		addIf(add, "conversion not yet allocated or closed", varConv+fixConv)
		add("gross margin", revenue-cos, true)
		add("marketing and administration", sellVar+sellFix, false)
		st.OperatingIncome = revenue - cos - sellVar - sellFix
	}
	label := "operating income"
	if b.Config.Scope == bf.ScopeThroughput {
		label = "net profit"
	}
	add(label, st.OperatingIncome, true)
	return st
}

func addIf(add func(string, bf.Money, bool), label string, v bf.Money) {
	if v != 0 {
		add(label, v, false)
	}
}

// CheckIncome verifies a statement against the journal: operating income
// must equal minus the period's movement of every income-statement account.
func CheckIncome(b *costing.Book, st Statement) error {
	if got := bf.OperatingIncome(Movements(b, st.Period)); got != st.OperatingIncome {
		return fmt.Errorf("book %s period %d: statement says %d, accounts say %d", b.Config.Name, st.Period.Number, st.OperatingIncome, got)
	}
	return nil
}

// WriteIncome writes the statements of the chosen books, period by period.
func WriteIncome(w io.Writer, l *costing.Ledger, o Options) error {
	if err := l.History("report income"); err != nil { // a streaming ledger has no journal to read
		return err
	}
	scale := l.Std.Scale
	ew := &textfmt.ErrWriter{W: w}
	if o.Title != "" {
		fmt.Fprintf(ew, "%s (%s)\n", o.Title, l.Std.Plant.Currency.Code)
	}
	for _, b := range o.books(l) {
		for _, st := range IncomeStatements(l, b) {
			state := "closed"
			if !st.Period.Closed {
				state = "open"
			}
			fmt.Fprintf(ew, "\n== %s: %s income statement, period %d (%s to %s, %s) ==\n", b.Config.Name, st.Format,
				st.Period.Number, st.Period.From, st.Period.To, state)
			var tb textfmt.Table
			for _, ln := range st.Lines {
				label := "  " + ln.Label
				if ln.Total {
					label = ln.Label
				}
				tb.Add(label, ln.Amount.Format(scale))
			}
			tb.Add("inventory at the end of the period", st.Inventory.Format(scale))
			tb.Flush(ew)
		}
	}
	return ew.Err
}

// periodLabel names a period in tables.
func periodLabel(p Period) string { return "P" + strconv.Itoa(p.Number) + " " + p.To.String() }
