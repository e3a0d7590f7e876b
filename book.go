package backflush

import (
	"errors"
	"strings"
)

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
		if err := c.LCNRV.validate(); err != nil {
			return E("configure book", KindInvalid, Field("lcnrv"), "book "+c.Name+": "+err.Error())
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
// applied to finished goods (and any item with an NRV) at every close.
type LCNRVPolicy struct {
	Basis    LCNRVBasis
	Standard LCNRVStandard
}

// Override returns the policy with a basis and a standard given as files,
// flags and query parameters spell them (ParseLCNRVBasis,
// ParseLCNRVStandard) in place of its own; an empty string keeps the
// policy's.
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
	return p, nil
}

func (p *LCNRVPolicy) validate() error {
	if p.Basis < LCNRVByItem || p.Basis > LCNRVTotal {
		return errors.New("lcnrv basis must be item, class or total")
	}
	if p.Standard != USGAAP && p.Standard != IAS2 {
		return errors.New("lcnrv standard must be us_gaap or ias2")
	}
	return nil
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
	USGAAP LCNRVStandard = iota + 1 // ASC 330: a written-down value is the new cost; no reversal
	IAS2                            // IAS 2.33: reverse up to the original write-down when NRV recovers
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
