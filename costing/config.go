package costing

import (
	"errors"

	"github.com/backflush/backflush/lcnrv"
)

// Scope is what a book inventories: the costing philosophy.
type Scope uint8

// The scopes. The zero value is absorption, the GAAP default.
const (
	Absorption Scope = iota // materials + variable + fixed conversion (GAAP)
	Variable                // materials + variable conversion; fixed overhead is a period cost
	Throughput              // materials only; all conversion is operating expense
)

// String names the scope as scenario files spell it.
func (s Scope) String() string {
	switch s {
	case Absorption:
		return "absorption"
	case Variable:
		return "variable"
	case Throughput:
		return "throughput"
	}
	return "?"
}

// ParseScope parses a scope name.
func ParseScope(s string) (Scope, bool) {
	switch s {
	case "absorption":
		return Absorption, true
	case "variable":
		return Variable, true
	case "throughput":
		return Throughput, true
	}
	return 0, false
}

// InventoriesVariable reports whether the scope inventories variable conversion.
func (s Scope) InventoriesVariable() bool { return s != Throughput }

// InventoriesFixed reports whether the scope inventories fixed overhead.
func (s Scope) InventoriesFixed() bool { return s == Absorption }

// Basis is how a book values the units it inventories.
type Basis uint8

// The bases. The zero value is standard costing.
const (
	Standard        Basis = iota // standard costs; differences are variances
	FIFO                         // actual costs, first in first out
	WeightedAverage              // actual costs, periodic weighted average
)

// String names the basis as scenario files spell it.
func (b Basis) String() string {
	switch b {
	case Standard:
		return "standard"
	case FIFO:
		return "fifo"
	case WeightedAverage:
		return "weighted_average"
	}
	return "?"
}

// ParseBasis parses a basis name.
func ParseBasis(s string) (Basis, bool) {
	switch s {
	case "standard":
		return Standard, true
	case "fifo":
		return FIFO, true
	case "weighted_average":
		return WeightedAverage, true
	}
	return 0, false
}

// Actual reports whether the basis uses actual cost layers.
func (b Basis) Actual() bool { return b == FIFO || b == WeightedAverage }

// LCNRVPolicy is a book's lower-of-cost-and-net-realizable-value rule,
// applied to finished goods (and any item with an NRV) at every close.
type LCNRVPolicy struct {
	Basis    lcnrv.Basis
	Standard lcnrv.Standard
}

func (p *LCNRVPolicy) validate() error {
	if p.Basis < lcnrv.ByItem || p.Basis > lcnrv.Total {
		return errors.New("lcnrv basis must be item, class or total")
	}
	if p.Standard != lcnrv.USGAAP && p.Standard != lcnrv.IAS2 {
		return errors.New("lcnrv standard must be us_gaap or ias2")
	}
	return nil
}
