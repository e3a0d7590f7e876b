// Package process computes actual process costing for a department's period:
// equivalent units per cost element, cost per equivalent unit, the cost of
// goods transferred out and of ending work in process, under the weighted
// average and FIFO methods. Beginning WIP is carried from the prior period.
//
// Amounts stay exact: ending WIP per element is rounded half to even to the
// currency's minor unit and the cost transferred out takes the residue, so
// beginning WIP plus costs added always equals transferred out plus ending WIP.
package process

import (
	"math/big"
	"strconv"

	bf "github.com/backflush/backflush"
)

// Method is the cost-flow assumption for work in process.
type Method uint8

// The methods.
const (
	WeightedAverage Method = iota + 1 // beginning WIP costs are averaged with the period's
	FIFO                              // beginning WIP is finished first; the period's costs price the period's work
)

// String names the method as files and flags spell it.
func (m Method) String() string {
	switch m {
	case WeightedAverage:
		return "weighted_average"
	case FIFO:
		return "fifo"
	}
	return "?"
}

// ParseMethod parses "weighted_average" or "fifo".
func ParseMethod(s string) (Method, bool) {
	switch s {
	case "weighted_average", "weighted-average", "wa":
		return WeightedAverage, true
	case "fifo":
		return FIFO, true
	}
	return 0, false
}

// Element is one cost element (direct materials, conversion, transferred-in…).
type Element struct {
	Name      string
	BeginPct  bf.Pct   // degree of completion of beginning WIP for this element, 0–100
	BeginCost bf.Money // cost of beginning WIP for this element
	Added     bf.Money // cost added this period
	EndPct    bf.Pct   // degree of completion of ending WIP, 0–100
}

// Period is one department's period.
type Period struct {
	BeginUnits bf.Qty // physical units in beginning WIP
	Started    bf.Qty // units started (or transferred in) this period
	Completed  bf.Qty // units completed and transferred out
	EndUnits   bf.Qty // physical units in ending WIP
	Elements   []Element
	Scale      int // decimals of the currency's minor unit
}

// ElementResult is the outcome for one element.
type ElementResult struct {
	Name            string
	EquivalentUnits bf.Qty
	CostPerEU       bf.Cost // rounded half to even to 9 decimals; amounts use the exact ratio
	TransferredOut  bf.Money
	EndingWIP       bf.Money
	CompletingBegin bf.Money // FIFO: cost to complete beginning WIP (part of TransferredOut)
	TotalToAccount  bf.Money // beginning WIP plus added

	// FIFO's detail in the textbook's layout (Horngren, Datar & Rajan,
	// Cost Accounting, ch. 17, the five steps): the equivalent units of
	// the period's work split by where it went — completing beginning WIP,
	// units started and completed, ending WIP (their sum is
	// EquivalentUnits) — and the cost of units started and completed, the
	// rest of TransferredOut after beginning WIP's own cost (BeginCost) and
	// the cost to complete it (CompletingBegin).
	EUCompletingBegin, EUStartedCompleted, EUEndingWIP bf.Qty
	BeginCost, StartedCompleted                        bf.Money
}

// Result is the period's process-costing report.
type Result struct {
	Method         Method
	Elements       []ElementResult
	TransferredOut bf.Money
	EndingWIP      bf.Money
	TotalCost      bf.Money
}

// Validate checks the physical flow and the percentages.
func (p *Period) Validate() error {
	for _, q := range []struct {
		f string
		v bf.Qty
	}{{"begin_units", p.BeginUnits}, {"started", p.Started}, {"completed", p.Completed}, {"end_units", p.EndUnits}} {
		if q.v < 0 {
			return bf.E("process costing", bf.KindInvalid, bf.Field(q.f), "must not be negative")
		}
	}
	if p.BeginUnits+p.Started != p.Completed+p.EndUnits {
		return bf.E("process costing", bf.KindInvalid, bf.Field("units"), "beginning WIP "+p.BeginUnits.String()+" + started "+p.Started.String()+
			" must equal completed "+p.Completed.String()+" + ending WIP "+p.EndUnits.String())
	}
	if p.Scale < 0 || p.Scale > 4 {
		return bf.E("process costing", bf.KindInvalid, bf.Field("currency"), "a currency may have 0 to 4 decimals")
	}
	if len(p.Elements) == 0 {
		return bf.E("process costing", bf.KindInvalid, bf.Field("elements"), "at least one cost element is needed")
	}
	const hundred = bf.Pct(100_000_000)
	for i := range p.Elements {
		e := &p.Elements[i]
		f := "elements." + e.Name
		if e.Name == "" {
			f = "elements[" + strconv.Itoa(i) + "]"
			return bf.E("process costing", bf.KindInvalid, bf.Field(f+".name"), "is missing")
		}
		if e.BeginPct < 0 || e.BeginPct > hundred {
			return bf.E("process costing", bf.KindInvalid, bf.Field(f+".begin_pct"), "a percent complete must be between 0 and 100")
		}
		if e.EndPct < 0 || e.EndPct > hundred {
			return bf.E("process costing", bf.KindInvalid, bf.Field(f+".end_pct"), "a percent complete must be between 0 and 100")
		}
		if e.BeginCost < 0 || e.Added < 0 {
			return bf.E("process costing", bf.KindInvalid, bf.Field(f), "costs must not be negative")
		}
		if p.BeginUnits == 0 && e.BeginCost != 0 {
			return bf.E("process costing", bf.KindInvalid, bf.Field(f+".begin_cost"), "there is a cost but no beginning WIP units")
		}
	}
	return nil
}

// pctOf returns q × pct/100 exactly as a rational.
func pctOf(q bf.Qty, pct bf.Pct) *big.Rat {
	return new(big.Rat).SetFrac(new(big.Int).Mul(big.NewInt(int64(q)), big.NewInt(int64(pct))), big.NewInt(100_000_000))
}

func ratQty(q bf.Qty) *big.Rat { return big.NewRat(int64(q), 1) }

// roundRat rounds r half to even to an integer.
func roundRat(r *big.Rat) int64 {
	num, den := new(big.Int).Set(r.Num()), r.Denom()
	q, m := new(big.Int).QuoRem(num, den, new(big.Int))
	// r = q + m/den with m carrying num's sign.
	twice := new(big.Int).Mul(m, big.NewInt(2))
	twice.Abs(twice)
	switch twice.Cmp(den) {
	case 1:
		if num.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	case 0:
		if q.Bit(0) == 1 {
			if num.Sign() < 0 {
				q.Sub(q, big.NewInt(1))
			} else {
				q.Add(q, big.NewInt(1))
			}
		}
	}
	return q.Int64()
}

// Cost computes the period under a method.
func Cost(p *Period, m Method) (*Result, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if m != WeightedAverage && m != FIFO {
		return nil, bf.E("process costing", bf.KindInvalid, bf.Field("method"), "must be weighted_average or fifo")
	}
	if m == FIFO && p.Completed < p.BeginUnits {
		// FIFO assumes beginning WIP is finished first; fewer completions
		// than beginning units would leave beginning units in ending WIP,
		// which weighted average handles and FIFO does not.
		return nil, bf.E("process costing", bf.KindInvalid, bf.Field("completed"), "fewer units completed than were in beginning WIP (FIFO finishes beginning WIP first; use weighted average)")
	}
	r := &Result{Method: m}
	// The costs and units come from an actual-cost book, each within the
	// limits a ledger holds (bf.MaxBalance, bf.MaxStock): an element's
	// total and the two elements' sums add up a few of them and fit.
	startedCompleted := p.Completed - p.BeginUnits
	for _, e := range p.Elements {
		er := ElementResult{Name: e.Name, TotalToAccount: e.BeginCost + e.Added}
		endEU := pctOf(p.EndUnits, e.EndPct)
		var eu *big.Rat
		var pool bf.Money // the cost spread over the equivalent units
		switch m {
		case WeightedAverage:
			eu = new(big.Rat).Add(ratQty(p.Completed), endEU)
			pool = e.BeginCost + e.Added
		case FIFO:
			hundred := bf.Pct(100_000_000)
			toComplete := pctOf(p.BeginUnits, hundred-e.BeginPct)
			eu = new(big.Rat).Add(toComplete, ratQty(startedCompleted))
			eu.Add(eu, endEU)
			pool = e.Added
		}
		er.EquivalentUnits = bf.Qty(roundRat(eu))
		if eu.Sign() == 0 {
			if pool != 0 && p.EndUnits == 0 {
				return nil, bf.E("process costing", bf.KindInvalid, bf.Field("elements."+e.Name), "has costs but no units to carry them")
			}
			// Nothing of this element was done on the units that left: its
			// cost of the period stays with the units still in process.
			er.TransferredOut = e.BeginCost + e.Added - pool
			er.EndingWIP = pool
			if m == FIFO {
				er.fifoDetail(p, &e)
			}
			r.Elements = append(r.Elements, er)
			r.TransferredOut += er.TransferredOut
			r.EndingWIP += er.EndingWIP
			r.TotalCost += er.TotalToAccount
			continue
		}
		// perEU is in minor units per millionth of a unit; a Cost is in
		// billionths of the currency unit per unit: × 10^(6+9−scale).
		perEU := new(big.Rat).Quo(big.NewRat(int64(pool), 1), eu)
		scaleUp := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(15-p.Scale)), nil)
		er.CostPerEU = bf.Cost(roundRat(new(big.Rat).Mul(perEU, new(big.Rat).SetInt(scaleUp))))
		er.EndingWIP = bf.Money(roundRat(new(big.Rat).Mul(perEU, endEU)))
		er.TransferredOut = e.BeginCost + e.Added - er.EndingWIP
		if m == FIFO {
			hundred := bf.Pct(100_000_000)
			er.CompletingBegin = bf.Money(roundRat(new(big.Rat).Mul(perEU, pctOf(p.BeginUnits, hundred-e.BeginPct))))
			er.fifoDetail(p, &e)
		}
		r.Elements = append(r.Elements, er)
		r.TransferredOut += er.TransferredOut
		r.EndingWIP += er.EndingWIP
		r.TotalCost += er.TotalToAccount
	}
	return r, nil
}

// fifoDetail fills FIFO's detail: the equivalent units by where the work
// went, each rounded to the quantity scale but ending WIP's, which takes
// the residue so that the three add up to EquivalentUnits, and the cost of
// units started and completed, which is what TransferredOut holds besides
// beginning WIP's own cost and the cost to complete it.
func (er *ElementResult) fifoDetail(p *Period, e *Element) {
	hundred := bf.Pct(100_000_000)
	er.EUCompletingBegin = bf.Qty(roundRat(pctOf(p.BeginUnits, hundred-e.BeginPct)))
	er.EUStartedCompleted = p.Completed - p.BeginUnits
	er.EUEndingWIP = er.EquivalentUnits - er.EUCompletingBegin - er.EUStartedCompleted
	er.BeginCost = e.BeginCost
	er.StartedCompleted = er.TransferredOut - e.BeginCost - er.CompletingBegin
}
