package backflush

import "strings"

// Method is how a book tracks costs through production.
type Method uint8

// The tracking methods.
const (
	MethodSequential Method = iota + 1 // an entry at every stage: materials, WIP, finished goods, COGS
	MethodBackflush                    // entries only at trigger points, flushed from the BOM
)

// String names the method as scenario files spell it.
func (m Method) String() string {
	switch m {
	case MethodSequential:
		return "sequential"
	case MethodBackflush:
		return "backflush"
	}
	return "?"
}

// ParseMethod parses a method name.
func ParseMethod(s string) (Method, bool) {
	switch s {
	case "sequential":
		return MethodSequential, true
	case "backflush":
		return MethodBackflush, true
	}
	return 0, false
}

// Triggers is the set of trigger points of a backflush book.
type Triggers uint8

// The trigger points. A sale always records cost of goods sold, so listing
// TriggerSale beside TriggerCompletion changes nothing.
const (
	TriggerPurchase   Triggers = 1 << iota // materials recorded when bought
	TriggerCompletion                      // finished goods recorded when completed
	TriggerSale                            // costs recorded when sold
)

// ParseTrigger parses one trigger name ("purchase", "completion", "sale").
func ParseTrigger(s string) (Triggers, bool) {
	switch s {
	case "purchase":
		return TriggerPurchase, true
	case "completion":
		return TriggerCompletion, true
	case "sale":
		return TriggerSale, true
	}
	return 0, false
}

// Has reports whether t includes all of u.
func (t Triggers) Has(u Triggers) bool { return t&u == u }

// Names lists the triggers in their natural order.
func (t Triggers) Names() []string {
	var out []string
	for _, n := range []struct {
		t Triggers
		s string
	}{{TriggerPurchase, "purchase"}, {TriggerCompletion, "completion"}, {TriggerSale, "sale"}} {
		if t.Has(n.t) {
			out = append(out, n.s)
		}
	}
	return out
}

// String joins the trigger names with "+".
func (t Triggers) String() string { return strings.Join(t.Names(), "+") }

// ClosePolicy says where under- or over-allocated conversion goes at close.
type ClosePolicy uint8

// The close policies.
const (
	CloseToCOGS  ClosePolicy = iota // the whole variance to cost of goods sold
	CloseProrate                    // spread over WIP, finished goods and COGS by ending balances
)

// BookConfig describes one book: a tracking method (with triggers) ×
// an inventoriable scope × a costing basis × reporting rules.
type BookConfig struct {
	Name     string
	Method   Method
	Triggers Triggers // backflush only
	Scope    Scope    // what is inventoried; zero means absorption
	Basis    Basis    // standard costs or actual cost layers; zero means standard
	LCNRV    *LCNRVPolicy
	// External marks a book kept for external reporting (IAS 2, ASC 330):
	// a close that writes a material favourable variance off to COGS is
	// warned about (costing.ExternalCloseWarnings).
	External bool
}

// Validate checks the configuration.
func (c *BookConfig) Validate() error {
	if c.Name == "" {
		return E("configure book", KindInvalid, Field("name"), "a book needs a name")
	}
	switch c.Method {
	case MethodSequential:
		if c.Triggers != 0 {
			return E("configure book", KindInvalid, Field("triggers"), "book "+c.Name+": a sequential book records every stage and takes no triggers")
		}
	case MethodBackflush:
		if c.Triggers == 0 {
			return E("configure book", KindInvalid, Field("triggers"), "book "+c.Name+": a backflush book needs at least one trigger: purchase, completion or sale")
		}
	default:
		return E("configure book", KindInvalid, Field("method"), "book "+c.Name+": must be sequential or backflush")
	}
	if c.Scope > ScopeThroughput {
		return E("configure book", KindInvalid, Field("scope"), "book "+c.Name+": must be absorption, variable or throughput")
	}
	if c.Basis > BasisWeightedAverage {
		return E("configure book", KindInvalid, Field("basis"), "book "+c.Name+": must be standard, fifo or weighted_average")
	}
	if c.Method == MethodBackflush && c.Basis.Actual() {
		return E("configure book", KindInvalid, Field("basis"), "book "+c.Name+": backflush flushes standard costs; actual cost layers (fifo, weighted_average) need sequential tracking")
	}
	if c.LCNRV != nil {
		if field, why := c.LCNRV.check(); why != "" {
			return E("configure book", KindInvalid, Field("lcnrv."+field), "book "+c.Name+": "+why)
		}
	}
	return nil
}

// Scope is what a book inventories: the costing philosophy.
type Scope uint8

// The scopes. The zero value is absorption, the GAAP default.
const (
	ScopeAbsorption Scope = iota // materials + variable + fixed conversion (GAAP)
	ScopeVariable                // materials + variable conversion; fixed overhead is a period cost
	ScopeThroughput              // materials only; all conversion is operating expense
)

// String names the scope as scenario files spell it.
func (s Scope) String() string {
	switch s {
	case ScopeAbsorption:
		return "absorption"
	case ScopeVariable:
		return "variable"
	case ScopeThroughput:
		return "throughput"
	}
	return "?"
}

// ParseScope parses a scope name.
func ParseScope(s string) (Scope, bool) {
	switch s {
	case "absorption":
		return ScopeAbsorption, true
	case "variable":
		return ScopeVariable, true
	case "throughput":
		return ScopeThroughput, true
	}
	return 0, false
}

// InventoriesVariable reports whether the scope inventories variable conversion.
func (s Scope) InventoriesVariable() bool { return s != ScopeThroughput }

// InventoriesFixed reports whether the scope inventories fixed overhead.
func (s Scope) InventoriesFixed() bool { return s == ScopeAbsorption }

// Basis is how a book values the units it inventories.
type Basis uint8

// The bases. The zero value is standard costing.
const (
	BasisStandard        Basis = iota // standard costs; differences are variances
	BasisFIFO                         // actual costs, first in first out
	BasisWeightedAverage              // actual costs, periodic weighted average
)

// String names the basis as scenario files spell it.
func (b Basis) String() string {
	switch b {
	case BasisStandard:
		return "standard"
	case BasisFIFO:
		return "fifo"
	case BasisWeightedAverage:
		return "weighted_average"
	}
	return "?"
}

// ParseBasis parses a basis name.
func ParseBasis(s string) (Basis, bool) {
	switch s {
	case "standard":
		return BasisStandard, true
	case "fifo":
		return BasisFIFO, true
	case "weighted_average":
		return BasisWeightedAverage, true
	}
	return 0, false
}

// Actual reports whether the basis uses actual cost layers.
func (b Basis) Actual() bool { return b == BasisFIFO || b == BasisWeightedAverage }

// LCNRVPolicy is a book's lower-of-cost-and-net-realizable-value rule,
// applied at every close to the goods the book carries at full cost:
// finished goods, work in process and any item with an NRV (package
// costing, lcnrv.go).
type LCNRVPolicy struct {
	Basis    LCNRVBasis
	Standard LCNRVStandard
	// FiscalYearStart is the first day of the book's fiscal year, zero when
	// none is set. Under US GAAP it lets a write-down made at an interim
	// close recover at a later close of the same fiscal year, up to the
	// amount written down earlier in that year (ASC 270-10-45-6); a
	// write-down of an earlier fiscal year never recovers (ASC
	// 330-10-35-14). Without it, US GAAP write-downs never recover. IAS 2
	// re-measures at every close (IAS 2.33) and ignores it.
	FiscalYearStart MonthDay
}

// Override returns the policy with a basis and a standard given as files,
// flags and query parameters spell them (ParseLCNRVBasis,
// ParseLCNRVStandard) in place of its own; an empty string keeps the
// policy's. The result is checked (Validate): IAS 2 on a total basis is
// refused.
func (p LCNRVPolicy) Override(basis, standard string) (LCNRVPolicy, error) {
	if basis != "" {
		v, ok := ParseLCNRVBasis(basis)
		if !ok {
			return p, E("lcnrv", KindInvalid, Field("basis"), "must be item, class or total")
		}
		p.Basis = v
	}
	if standard != "" {
		v, ok := ParseLCNRVStandard(standard)
		if !ok {
			return p, E("lcnrv", KindInvalid, Field("standard"), "must be us_gaap or ias2")
		}
		p.Standard = v
	}
	if err := p.Validate(); err != nil {
		return p, err
	}
	return p, nil
}

// Validate checks the policy: a known basis and standard, a real fiscal
// year start, and no total basis under IAS 2, which writes inventories
// down item by item or by groups of similar items only (IAS 2.29). The
// error names the policy's field: basis, standard or fiscal_year_start.
func (p *LCNRVPolicy) Validate() error {
	if field, why := p.check(); why != "" {
		return E("lcnrv", KindInvalid, Field(field), why)
	}
	return nil
}

// check returns the field at fault and why, or two empty strings.
func (p *LCNRVPolicy) check() (field, why string) {
	switch {
	case p.Basis < LCNRVByItem || p.Basis > LCNRVTotal:
		return "basis", "must be item, class or total"
	case p.Standard != USGAAP && p.Standard != IAS2:
		return "standard", "must be us_gaap or ias2"
	case p.Standard == IAS2 && p.Basis == LCNRVTotal:
		return "basis", "total is not allowed under ias2: IAS 2.29 writes inventories down item by item " +
			"or by groups of similar items (basis item or class), never the inventory as a whole"
	case p.FiscalYearStart != (MonthDay{}) && !p.FiscalYearStart.valid():
		return "fiscal_year_start", "must be a day of the year as MM-DD, 01-01 to 12-31 (02-29 is not in every year)"
	}
	return "", ""
}

// MonthDay is a day of the year, such as the first day of a fiscal year;
// the zero value is none.
type MonthDay struct{ Month, Day uint8 }

// daysIn is the days of each month in a year that is not a leap year.
var daysIn = [13]uint8{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

func (m MonthDay) valid() bool {
	return m.Month >= 1 && m.Month <= 12 && m.Day >= 1 && m.Day <= daysIn[m.Month]
}

// ParseMonthDay parses "MM-DD" (07-01 is July 1); February 29 is refused,
// as it is not in every year.
func ParseMonthDay(s string) (MonthDay, bool) {
	if len(s) != 5 || s[2] != '-' {
		return MonthDay{}, false
	}
	num := func(a, b byte) (uint8, bool) {
		if a < '0' || a > '9' || b < '0' || b > '9' {
			return 0, false
		}
		return (a-'0')*10 + b - '0', true
	}
	mo, ok1 := num(s[0], s[1])
	d, ok2 := num(s[3], s[4])
	m := MonthDay{mo, d}
	return m, ok1 && ok2 && m.valid()
}

// String formats the day as MM-DD, empty for none.
func (m MonthDay) String() string {
	if m == (MonthDay{}) {
		return ""
	}
	return string([]byte{'0' + m.Month/10, '0' + m.Month%10, '-', '0' + m.Day/10, '0' + m.Day%10})
}

// FiscalYear returns the fiscal year that date d falls in, for a fiscal
// year starting on m, named by the calendar year it starts in: with m
// 07-01, 2026-06-30 is in fiscal year 2025 and 2026-07-01 in 2026. For
// none (the zero MonthDay) it returns 0 for every date.
func (m MonthDay) FiscalYear(d Date) int {
	if m == (MonthDay{}) {
		return 0
	}
	y, mo, day := d.Time().Date()
	if uint8(mo) < m.Month || uint8(mo) == m.Month && uint8(day) < m.Day {
		y--
	}
	return y
}

// LCNRVBasis is the grouping the lower-of test is applied to.
type LCNRVBasis uint8

// The bases.
const (
	LCNRVByItem  LCNRVBasis = iota + 1 // each item on its own (the most conservative)
	LCNRVByClass                       // each class of similar items in total
	LCNRVTotal                         // the whole inventory in total
)

// String names the basis as files and flags spell it.
func (b LCNRVBasis) String() string {
	switch b {
	case LCNRVByItem:
		return "item"
	case LCNRVByClass:
		return "class"
	case LCNRVTotal:
		return "total"
	}
	return "?"
}

// ParseLCNRVBasis parses "item", "class" or "total".
func ParseLCNRVBasis(s string) (LCNRVBasis, bool) {
	switch s {
	case "item":
		return LCNRVByItem, true
	case "class":
		return LCNRVByClass, true
	case "total":
		return LCNRVTotal, true
	}
	return 0, false
}

// LCNRVStandard decides whether a write-down may be reversed.
type LCNRVStandard uint8

// The standards.
const (
	USGAAP LCNRVStandard = iota + 1 // ASC 330-10-35-14: a written-down value is the new cost; no reversal (but see LCNRVPolicy.FiscalYearStart)
	IAS2                            // IAS 2.33: re-measured at every close; reversed up to the original write-down when NRV recovers
)

// String names the standard as files and flags spell it.
func (s LCNRVStandard) String() string {
	switch s {
	case USGAAP:
		return "us_gaap"
	case IAS2:
		return "ias2"
	}
	return "?"
}

// ParseLCNRVStandard parses "us_gaap" or "ias2".
func ParseLCNRVStandard(s string) (LCNRVStandard, bool) {
	switch s {
	case "us_gaap", "usgaap", "gaap":
		return USGAAP, true
	case "ias2", "ias_2", "ifrs":
		return IAS2, true
	}
	return 0, false
}
