package report

import (
	"io"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/internal/textfmt"
	"github.com/backflush/backflush/process"
)

// FIFOSteps is a FIFO process-costing period laid out in the textbook's
// five steps (Horngren, Datar & Rajan, Cost Accounting, ch. 17): physical
// units, equivalent units, costs to account for, cost per equivalent unit
// and the assignment of costs, per element and in total. The figures are
// package process's; the layout only adds them up.
type FIFOSteps struct {
	// Step 1: physical units. Beginning WIP and started are to account
	// for; completed from beginning WIP, started and completed, and ending
	// WIP are accounted for.
	BeginUnits, Started, CompletedFromBegin, StartedCompleted, EndUnits bf.Qty
	Elements                                                            []FIFOElement
	Total                                                               FIFOCosts
}

// FIFOElement is one cost element's steps 2 to 5.
type FIFOElement struct {
	Name string
	// Step 2: the equivalent units of the period's work.
	EUCompletingBegin, EUStartedCompleted, EUEndingWIP, EquivalentUnits bf.Qty
	// Step 4: the cost added this period per equivalent unit.
	CostPerEU bf.Cost
	FIFOCosts
}

// FIFOCosts are steps 3 and 5 of an element or of the total.
type FIFOCosts struct {
	// Step 3: costs to account for.
	BeginWIP, Added, ToAccountFor bf.Money
	// Step 5: completed and transferred out — beginning WIP's own cost,
	// the cost to complete it, and units started and completed — then
	// ending WIP; AccountedFor adds those four.
	CompletingBegin, StartedCompleted, EndingWIP, AccountedFor bf.Money
}

// FromBegin is the cost of the units completed from beginning WIP: its
// own cost and the cost to complete it.
func (c FIFOCosts) FromBegin() bf.Money { return c.BeginWIP + c.CompletingBegin }

// TransferredOut is the cost of the units completed and transferred out.
func (c FIFOCosts) TransferredOut() bf.Money { return c.FromBegin() + c.StartedCompleted }

func (c *FIFOCosts) add(o FIFOCosts) {
	c.BeginWIP += o.BeginWIP
	c.Added += o.Added
	c.ToAccountFor += o.ToAccountFor
	c.CompletingBegin += o.CompletingBegin
	c.StartedCompleted += o.StartedCompleted
	c.EndingWIP += o.EndingWIP
	c.AccountedFor += o.AccountedFor
}

// FIFOStepsOf lays out a process report in the five steps; ok is false
// unless the report is FIFO's.
func FIFOStepsOf(r costing.ProcessReport) (s FIFOSteps, ok bool) {
	if r.Method != process.FIFO {
		return s, false
	}
	in := r.Input
	s = FIFOSteps{BeginUnits: in.BeginUnits, Started: in.Started, CompletedFromBegin: in.BeginUnits,
		StartedCompleted: in.Completed - in.BeginUnits, EndUnits: in.EndUnits}
	for k, e := range r.Result.Elements {
		el := FIFOElement{Name: e.Name, EUCompletingBegin: e.EUCompletingBegin, EUStartedCompleted: e.EUStartedCompleted,
			EUEndingWIP: e.EUEndingWIP, EquivalentUnits: e.EquivalentUnits, CostPerEU: e.CostPerEU}
		el.FIFOCosts = FIFOCosts{BeginWIP: e.BeginCost, Added: in.Elements[k].Added, ToAccountFor: e.TotalToAccount,
			CompletingBegin: e.CompletingBegin, StartedCompleted: e.StartedCompleted, EndingWIP: e.EndingWIP}
		el.AccountedFor = el.BeginWIP + el.CompletingBegin + el.StartedCompleted + el.EndingWIP
		s.Elements = append(s.Elements, el)
		s.Total.add(el.FIFOCosts)
	}
	return s, true
}

// writeFIFOSteps writes the five steps as one table: units in the total
// column, equivalent units and costs per element.
func writeFIFOSteps(w io.Writer, s FIFOSteps, scale int) {
	tb := textfmt.Table{Indent: "  "}
	head := []string{"FIFO in five steps", "total"}
	for _, e := range s.Elements {
		head = append(head, e.Name)
	}
	tb.Add(head...)
	units := func(label string, q bf.Qty) { tb.Add("  "+label, q.String()) }
	tb.Add("1. physical units")
	units("beginning WIP", s.BeginUnits)
	units("started", s.Started)
	units("to account for", s.BeginUnits+s.Started)
	units("completed from beginning WIP", s.CompletedFromBegin)
	units("started and completed", s.StartedCompleted)
	units("ending WIP", s.EndUnits)
	units("accounted for", s.CompletedFromBegin+s.StartedCompleted+s.EndUnits)
	eus := func(label string, f func(FIFOElement) bf.Qty) {
		row := []string{"  " + label, ""}
		for _, e := range s.Elements {
			row = append(row, f(e).String())
		}
		tb.Add(row...)
	}
	tb.Add("2. equivalent units of the period's work")
	eus("completing beginning WIP", func(e FIFOElement) bf.Qty { return e.EUCompletingBegin })
	eus("started and completed", func(e FIFOElement) bf.Qty { return e.EUStartedCompleted })
	eus("ending WIP", func(e FIFOElement) bf.Qty { return e.EUEndingWIP })
	eus("total", func(e FIFOElement) bf.Qty { return e.EquivalentUnits })
	costs := func(label string, f func(FIFOCosts) bf.Money) {
		row := []string{"  " + label, f(s.Total).Format(scale)}
		for _, e := range s.Elements {
			row = append(row, f(e.FIFOCosts).Format(scale))
		}
		tb.Add(row...)
	}
	tb.Add("3. costs to account for")
	costs("beginning WIP", func(c FIFOCosts) bf.Money { return c.BeginWIP })
	costs("added this period", func(c FIFOCosts) bf.Money { return c.Added })
	costs("total", func(c FIFOCosts) bf.Money { return c.ToAccountFor })
	row := []string{"4. cost per equivalent unit (added ÷ EU)", ""}
	for _, e := range s.Elements {
		row = append(row, e.CostPerEU.String())
	}
	tb.Add(row...)
	tb.Add("5. assignment of costs")
	costs("beginning WIP", func(c FIFOCosts) bf.Money { return c.BeginWIP })
	costs("cost to complete beginning WIP", func(c FIFOCosts) bf.Money { return c.CompletingBegin })
	costs("from beginning WIP", FIFOCosts.FromBegin)
	costs("started and completed", func(c FIFOCosts) bf.Money { return c.StartedCompleted })
	costs("transferred out", FIFOCosts.TransferredOut)
	costs("ending WIP", func(c FIFOCosts) bf.Money { return c.EndingWIP })
	costs("accounted for", func(c FIFOCosts) bf.Money { return c.AccountedFor })
	tb.Flush(w)
}

// fifoStepsJSON is the five steps in the process report's JSON.
func fifoStepsJSON(s FIFOSteps, scale int) map[string]any {
	costs := func(c FIFOCosts) map[string]string {
		return map[string]string{"beginning_wip": c.BeginWIP.Format(scale), "added": c.Added.Format(scale),
			"to_account_for": c.ToAccountFor.Format(scale), "completing_beginning_wip": c.CompletingBegin.Format(scale),
			"from_beginning_wip": c.FromBegin().Format(scale), "started_and_completed": c.StartedCompleted.Format(scale),
			"transferred_out": c.TransferredOut().Format(scale), "ending_wip": c.EndingWIP.Format(scale),
			"accounted_for": c.AccountedFor.Format(scale)}
	}
	els := []map[string]any{}
	for _, e := range s.Elements {
		els = append(els, map[string]any{"element": e.Name, "eu_completing_beginning_wip": e.EUCompletingBegin.String(),
			"eu_started_and_completed": e.EUStartedCompleted.String(), "eu_ending_wip": e.EUEndingWIP.String(),
			"equivalent_units": e.EquivalentUnits.String(), "cost_per_eu": e.CostPerEU.String(), "costs": costs(e.FIFOCosts)})
	}
	return map[string]any{
		"physical_units": map[string]string{"beginning_wip": s.BeginUnits.String(), "started": s.Started.String(),
			"to_account_for": (s.BeginUnits + s.Started).String(), "completed_from_beginning_wip": s.CompletedFromBegin.String(),
			"started_and_completed": s.StartedCompleted.String(), "ending_wip": s.EndUnits.String(),
			"accounted_for": (s.CompletedFromBegin + s.StartedCompleted + s.EndUnits).String()},
		"elements": els, "total": costs(s.Total)}
}
