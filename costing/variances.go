package costing

import (
	"cmp"
	"slices"
	"strconv"

	bf "github.com/backflush/backflush"
)

// VarianceCause is the rule behind a variance: why it arose.
type VarianceCause uint8

// The causes, in the order the report lists them.
const (
	// CauseMaterialPrice: materials bought at another price than standard,
	// recorded at purchase: quantity × price paid − quantity × standard.
	CauseMaterialPrice VarianceCause = iota + 1
	// CauseMaterialUsage: a count found more or less than the book quantity;
	// the difference at the item's standard as the book holds it (at actual
	// cost, valued at the close, in an actual-cost book).
	CauseMaterialUsage
	// CauseResidue: the rounding a sequential book's WIP kept for an item
	// whose last unit in process left, closed to the usage variance.
	CauseResidue
	// CauseScrap: reported scrap at the cost of its inputs.
	CauseScrap
	// CauseConversion: variable conversion incurred less conversion
	// allocated at standard, in total (when it is not split by hours).
	CauseConversion
	// CauseConversionRate: the actual cost of the hours worked less those
	// hours at the standard rate (SplitConversion).
	CauseConversionRate
	// CauseConversionEfficiency: the hours worked less the standard hours
	// allowed for the output, at the standard rate (SplitConversion).
	CauseConversionEfficiency
	// CauseFixedSpending: fixed overhead incurred less the budget.
	CauseFixedSpending
	// CauseFixedVolume: the production-volume variance, the budget less the
	// fixed overhead allocated at the budgeted rate.
	CauseFixedVolume
	// CauseFixedOverhead: fixed overhead incurred less allocated, unsplit
	// (no budget, or a book that does not cost at standard).
	CauseFixedOverhead
)

var causeNames = [...]struct{ id, words string }{
	{},
	{"material_price", "material price (at purchase)"},
	{"material_usage", "material usage (from counts)"},
	{"wip_residue", "WIP rounding residue"},
	{"scrap", "scrap"},
	{"conversion", "conversion, in total"},
	{"conversion_rate", "conversion rate (spending)"},
	{"conversion_efficiency", "conversion efficiency"},
	{"fixed_overhead_spending", "fixed overhead spending"},
	{"production_volume", "production volume"},
	{"fixed_overhead", "fixed overhead, in total"},
}

// String is the cause's id (material_price, …), as JSON spells it.
func (c VarianceCause) String() string {
	if int(c) < len(causeNames) {
		return causeNames[c].id
	}
	return "?"
}

// Words describes the cause for people.
func (c VarianceCause) Words() string {
	if int(c) < len(causeNames) {
		return causeNames[c].words
	}
	return "?"
}

// VarianceLine is the variance of one item, period and cause: the sum of
// the journal lines behind it.
type VarianceLine struct {
	Period int    // 1-based, as report.Periods numbers them
	Item   string // empty for the plant: conversion costs name no item
	Cause  VarianceCause
	// Account is the index in Variances.Accounts of the account (or pool)
	// the line sits in.
	Account int
	// Amount is positive when unfavourable (a debit: more cost than
	// standard), negative when favourable.
	Amount bf.Money
	// Events are the ids of the events whose journal lines make up the
	// amount, in the order of the log, each once.
	Events []string
}

// Favourable reports whether the variance lowers cost (a credit).
func (v *VarianceLine) Favourable() bool { return v.Amount < 0 }

// VarianceAccount is one variance account of a book, or one conversion
// pool (its control and allocated accounts), and its reconciliation: the
// report's lines on it sum to what the book says.
type VarianceAccount struct {
	Accounts []bf.Account // the account; a pool's control and allocated accounts
	Lines    bf.Money     // the sum of the report's lines on it
	// Book is what the book says: the account's balance; for a pool what
	// its closes disposed of (Closed) plus its balance not yet closed (Open).
	Book, Closed, Open bf.Money
	Pool               bool
}

// Variances is the variance report of a book: every variance by item,
// period and cause, and the reconciliation of the lines to the book's
// variance accounts.
type Variances struct {
	Book     *Book
	Lines    []VarianceLine
	Accounts []VarianceAccount
	// Conversion gives, for each period whose conversion variance is split
	// into rate and efficiency, the figures of the split.
	Conversion []PeriodConversion
	// Notes say what the book or the events cannot tell (rate and
	// efficiency, an unsplit fixed-overhead variance, unrecorded prices).
	Notes []string
}

// PeriodConversion is the rate and efficiency split of one period.
type PeriodConversion struct {
	Period int // 1-based
	ConversionVariances
}

// VarianceBook chooses the book a variance report reads: the book named,
// whatever it is; else the GAAP book (ReferenceBook, ForGAAP); else the
// first book at standard cost; else the first book. Why names the rule
// that chose it, for the report to say.
func VarianceBook(l *Ledger, name string) (b *Book, why string, err error) {
	if name != "" {
		if err := l.CheckBook(name); err != nil {
			return nil, "", err
		}
		return l.Book(name), "named", nil
	}
	if b, _ := ReferenceBook(l, "", ForGAAP); b != nil {
		return b, "the GAAP book", nil
	}
	for _, b := range l.Books {
		if !b.Config.Basis.Actual() {
			return b, "the first standard-cost book (no GAAP book)", nil
		}
	}
	return l.Books[0], "the first book (no standard-cost book)", nil
}

// BookVariances is the rule of the variance report. Every journal line of
// book b on a variance account is a variance, of the event and item it
// keeps as its origin:
//
//   - purchase_price_variance: material price, at purchase (Horngren,
//     Datar & Rajan, ch. 7: (actual price − standard price) × quantity
//     purchased);
//   - material_usage_variance: material usage found by counts, the
//     difference at standard (ch. 20: how a backflush plant finds BOM
//     errors and unreported scrap); in a sequential book also the WIP
//     rounding residue closed when an item's last unit in process leaves;
//   - scrap_loss: reported scrap;
//   - the conversion pools the book's scope inventories (control less
//     allocated, closing entries left out): variable conversion in total,
//     and fixed overhead split by SplitFixedOverhead into spending and
//     production volume when the plant budgets it and the book is standard
//     absorption, else in total. Rate and efficiency variances need actual
//     hours, which no event records: they are not given.
//
// Lines are summed by period, item and cause. The report reconciles to the
// book: for each variance account the lines sum to its balance, for each
// pool to what its closes disposed of plus what is still open; an error
// says where they do not.
func BookVariances(l *Ledger, b *Book) (*Variances, error) {
	if err := l.History("report variances"); err != nil {
		return nil, err
	}
	v := &Variances{Book: b}
	acct := [bf.NumAccounts]int{}
	for a := range acct {
		acct[a] = -1
	}
	add := func(pool bool, as ...bf.Account) {
		for _, a := range as {
			acct[a] = len(v.Accounts)
		}
		v.Accounts = append(v.Accounts, VarianceAccount{Accounts: as, Pool: pool})
	}
	add(false, bf.PurchasePriceVariance)
	add(false, bf.MaterialUsageVariance)
	add(false, bf.ScrapLoss)
	scope := b.Config.Scope
	if scope.InventoriesVariable() {
		add(true, bf.ConversionControl, bf.ConversionAllocated)
	}
	if scope.InventoriesFixed() {
		add(true, bf.FixedOverheadControl, bf.FixedOverheadAllocated)
	}

	type key struct {
		period, account int
		cause           VarianceCause
		item            int32
	}
	type bucket struct {
		amount bf.Money
		events []int32
	}
	buckets := map[key]*bucket{}
	spans := l.periodSpans()
	p := 0
	for e, lines := range b.Journal.All() {
		for p < len(spans)-1 && e.Event > spans[p][1] {
			p++
		}
		for _, ln := range lines {
			k := acct[ln.Account]
			if k < 0 {
				continue
			}
			if e.Kind == bf.EntryClose { // a pool disposed of
				v.Accounts[k].Closed -= ln.Amount
				continue
			}
			c, item := l.varianceCause(e, ln), ln.Item
			if c >= CauseConversion {
				item = -1
			}
			x := buckets[key{p + 1, k, c, item}]
			if x == nil {
				x = &bucket{}
				buckets[key{p + 1, k, c, item}] = x
			}
			x.amount += ln.Amount
			if n := len(x.events); n == 0 || x.events[n-1] != e.Event {
				x.events = append(x.events, e.Event)
			}
		}
	}

	// Fixed overhead: split by SplitFixedOverhead where it applies, every
	// period (a budget unspent is a variance too), else in total.
	if fix := acct[bf.FixedOverheadControl]; fix >= 0 {
		split, active := false, false
		for n, s := range spans {
			spend, vol := buckets[key{n + 1, fix, CauseFixedSpending, -1}], buckets[key{n + 1, fix, CauseFixedVolume, -1}]
			active = active || spend != nil || vol != nil
			fo, ok := SplitFixedOverhead(l, b, s[0], s[1])
			if !ok {
				if spend != nil || vol != nil {
					all := &bucket{}
					for _, x := range []*bucket{spend, vol} {
						if x != nil {
							all.amount += x.amount
							all.events = append(all.events, x.events...)
						}
					}
					slices.Sort(all.events)
					all.events = slices.Compact(all.events)
					buckets[key{n + 1, fix, CauseFixedOverhead, -1}] = all
				}
				delete(buckets, key{n + 1, fix, CauseFixedSpending, -1})
				delete(buckets, key{n + 1, fix, CauseFixedVolume, -1})
				continue
			}
			split = true
			var lines bf.Money
			for _, x := range []**bucket{&spend, &vol} {
				if *x == nil {
					*x = &bucket{}
				}
				lines += (*x).amount
			}
			if fo.Spending+fo.Volume != lines {
				return nil, bf.E("report variances", bf.KindInternal, "book "+b.Config.Name+", period "+strconv.Itoa(n+1)+
					": the fixed-overhead spending and production-volume variances sum to "+(fo.Spending+fo.Volume).Format(l.Std.Scale)+
					", the fixed-overhead pool moved by "+lines.Format(l.Std.Scale))
			}
			spend.amount, vol.amount = fo.Spending, fo.Volume
			buckets[key{n + 1, fix, CauseFixedSpending, -1}], buckets[key{n + 1, fix, CauseFixedVolume, -1}] = spend, vol
		}
		if active && !split {
			v.Notes = append(v.Notes, "fixed overhead is given in total, not split into spending and production volume: "+
				"that needs a standard absorption book and fixed-overhead budgets (items' fixed_overhead.budget)")
		}
	}

	// Variable conversion: split into rate and efficiency by
	// SplitConversion where the hours are recorded, else in total.
	hoursNote := ""
	if conv := acct[bf.ConversionControl]; conv >= 0 {
		for n, s := range spans {
			k := key{n + 1, conv, CauseConversion, -1}
			all := buckets[k]
			if all == nil {
				continue
			}
			cv, why, ok := SplitConversion(l, b, s[0], s[1])
			if !ok {
				if hoursNote == "" {
					hoursNote = why
				}
				continue
			}
			if cv.Rate+cv.Efficiency != all.amount {
				return nil, bf.E("report variances", bf.KindInternal, "book "+b.Config.Name+", period "+strconv.Itoa(n+1)+
					": the conversion rate and efficiency variances sum to "+(cv.Rate+cv.Efficiency).Format(l.Std.Scale)+
					", the conversion pool moved by "+all.amount.Format(l.Std.Scale))
			}
			delete(buckets, k)
			// The rate is the conversion costs' (and their reversals');
			// the efficiency also the output's, which allocated.
			incurred := slices.DeleteFunc(slices.Clone(all.events), func(i int32) bool { return !l.incursConversion(i) })
			buckets[key{n + 1, conv, CauseConversionRate, -1}] = &bucket{cv.Rate, incurred}
			buckets[key{n + 1, conv, CauseConversionEfficiency, -1}] = &bucket{cv.Efficiency, all.events}
			v.Conversion = append(v.Conversion, PeriodConversion{n + 1, cv})
		}
	}

	for k, x := range buckets {
		ln := VarianceLine{Period: k.period, Cause: k.cause, Account: k.account, Amount: x.amount, Events: make([]string, len(x.events))}
		if k.item >= 0 {
			ln.Item = l.Std.Item(k.item).ID
		}
		for i, e := range x.events {
			ln.Events[i] = l.Event(e).ID
		}
		v.Lines = append(v.Lines, ln)
		v.Accounts[k.account].Lines += x.amount
	}
	slices.SortFunc(v.Lines, func(a, b VarianceLine) int {
		return cmp.Or(cmp.Compare(a.Period, b.Period), cmp.Compare(a.Account, b.Account), cmp.Compare(a.Cause, b.Cause),
			cmp.Compare(itemIndex(l, a.Item), itemIndex(l, b.Item)))
	})

	for k := range v.Accounts {
		a := &v.Accounts[k]
		if a.Pool {
			a.Open = b.Balance(a.Accounts[0]) + b.Balance(a.Accounts[1])
			a.Book = a.Closed + a.Open
		} else {
			a.Book = b.Balance(a.Accounts[0])
		}
		if a.Lines != a.Book {
			return nil, bf.E("report variances", bf.KindInternal, "book "+b.Config.Name+": the variance lines on "+a.Accounts[0].String()+
				" sum to "+a.Lines.Format(l.Std.Scale)+", the book says "+a.Book.Format(l.Std.Scale)+": the report does not reconcile")
		}
	}
	v.Notes = append(v.Notes, varianceNotes(l, b, hoursNote)...)
	return v, nil
}

// varianceCause is the cause of journal line ln of entry e on a variance
// account.
func (l *Ledger) varianceCause(e *bf.Entry, ln bf.Line) VarianceCause {
	switch ln.Account {
	case bf.PurchasePriceVariance:
		return CauseMaterialPrice
	case bf.ScrapLoss:
		return CauseScrap
	case bf.ConversionControl, bf.ConversionAllocated:
		return CauseConversion
	case bf.FixedOverheadControl:
		return CauseFixedSpending
	case bf.FixedOverheadAllocated:
		return CauseFixedVolume
	}
	// The usage variance: counts, and in a sequential book the residue of
	// a completion (a reversal undoes one or the other).
	kind := e.Kind
	if kind == bf.EntryReversal {
		if t, ok := l.EventByID(l.Event(e.Event).Reverses); ok && t.Type != bf.Count {
			kind = bf.EntryResidue
		}
	}
	if kind == bf.EntryResidue {
		return CauseResidue
	}
	return CauseMaterialUsage
}

// incursConversion reports whether event i is a conversion cost, or the
// reversal of one.
func (l *Ledger) incursConversion(i int32) bool {
	e := l.Event(i)
	if e.Type == bf.Reverse {
		if t, ok := l.EventByID(e.Reverses); ok {
			e = t
		}
	}
	return e.Type == bf.ConversionCost
}

// itemIndex orders items as the plant lists them, the plant (no item) first.
func itemIndex(l *Ledger, id string) int32 {
	if id == "" {
		return -1
	}
	i, _ := l.Std.Lookup(id)
	return i
}

// varianceNotes says what a book's variances cannot show; hours says why
// a period's conversion variance was not split when the plant states a
// standard rate.
func varianceNotes(l *Ledger, b *Book, hours string) []string {
	var out []string
	c := &b.Config
	switch {
	case !c.Scope.InventoriesVariable():
	case l.Std.Plant.ConversionRate == 0:
		out = append(out, "conversion rate and efficiency variances need the hours worked and a standard rate per hour "+
			"(the plant's conversion_rate and the conversion_cost events' hours): conversion is given in total, per period, for the plant")
	case hours != "":
		out = append(out, hours)
	}
	switch {
	case c.Basis.Actual():
		out = append(out, "an actual-cost book records purchases at the price paid (no price variance) and values counts and scrap at actual cost at the close")
	case c.Method == bf.MethodBackflush && !c.Triggers.Has(bf.TriggerPurchase):
		out = append(out, "a backflush book without the purchase trigger records no purchases: price variances go unrecorded")
	}
	return out
}

// periodSpans returns the first and last event of every period: the events
// after one close up to and including the next, the last perhaps open.
func (l *Ledger) periodSpans() [][2]int32 {
	var out [][2]int32
	first := int32(0)
	for _, c := range l.closes {
		out = append(out, [2]int32{first, c})
		first = c + 1
	}
	if n := int32(l.Len()); first < n {
		out = append(out, [2]int32{first, n - 1})
	}
	return out
}
