package report

import (
	"encoding/json"
	"fmt"
	"io"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/internal/textfmt"
	"github.com/backflush/backflush/lcnrv"
	"github.com/backflush/backflush/throughput"
)

// writeJSON writes v indented.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// IncomeJSON writes the income statements of the chosen books as JSON.
func IncomeJSON(w io.Writer, l *costing.Ledger, o Options) error {
	if err := l.History("report income"); err != nil { // a streaming ledger has no journal to read
		return err
	}
	scale := l.Std.Scale
	type line struct {
		Label  string `json:"label"`
		Amount string `json:"amount"`
		Total  bool   `json:"total,omitempty"`
	}
	type stmt struct {
		Book            string `json:"book"`
		Format          string `json:"format"`
		Period          int    `json:"period"`
		From            string `json:"from"`
		To              string `json:"to"`
		Closed          bool   `json:"closed"`
		Lines           []line `json:"lines"`
		OperatingIncome string `json:"operating_income"`
		Inventory       string `json:"inventory"`
	}
	out := []stmt{}
	for _, b := range o.books(l) {
		for _, st := range IncomeStatements(l, b) {
			s := stmt{Book: st.Book, Format: st.Format, Period: st.Period.Number, From: st.Period.From.String(), To: st.Period.To.String(),
				Closed: st.Period.Closed, OperatingIncome: st.OperatingIncome.Format(scale), Inventory: st.Inventory.Format(scale)}
			for _, ln := range st.Lines {
				s.Lines = append(s.Lines, line{ln.Label, ln.Amount.Format(scale), ln.Total})
			}
			out = append(out, s)
		}
	}
	return writeJSON(w, map[string]any{"statements": out})
}

// ReconcileJSON writes the method and GAAP reconciliations as JSON.
func ReconcileJSON(w io.Writer, l *costing.Ledger, threshold bf.Pct, gaapBook string) error {
	if err := l.History("report reconcile"); err != nil { // a streaming ledger has no journal to read
		return err
	}
	scale := l.Std.Scale
	type mrow struct {
		Period     int    `json:"period"`
		IncomeDiff string `json:"income_difference"`
		Closing    string `json:"in_closing_inventory"`
		Opening    string `json:"in_opening_inventory"`
		Holds      bool   `json:"holds"`
	}
	// Every name snake_case, as in every other answer of the API.
	type mrec struct {
		A    string `json:"book_a"` // the book inventorying more
		B    string `json:"book_b"`
		What string `json:"what"`
		Rows []mrow `json:"rows"`
	}
	type cause struct {
		Name   string `json:"name"`
		Amount string `json:"amount"`
		Why    string `json:"why"`
	}
	type adj struct {
		Memo  string              `json:"memo"`
		Lines []map[string]string `json:"lines"`
	}
	type grec struct {
		Book           string  `json:"book"`
		Reference      string  `json:"reference"`
		BookInventory  string  `json:"book_inventory"`
		GAAPInventory  string  `json:"gaap_inventory"`
		BookIncome     string  `json:"book_income"`
		GAAPIncome     string  `json:"gaap_income"`
		Causes         []cause `json:"causes"`
		Residual       string  `json:"residual"`
		InventoryRatio string  `json:"inventory_ratio_pct"`
		IncomeRatio    string  `json:"income_ratio_pct"`
		Threshold      string  `json:"threshold_pct"`
		Material       bool    `json:"material"`
		Adjustments    []adj   `json:"adjustments"`
	}
	var ms []mrec
	for _, r := range MethodReconciliations(l) {
		m := mrec{A: r.A, B: r.B, What: r.What}
		for _, row := range r.Rows {
			m.Rows = append(m.Rows, mrow{row.Period.Number, row.IncomeDiff.Format(scale), row.Closing.Format(scale), row.Opening.Format(scale), row.Holds})
		}
		ms = append(ms, m)
	}
	recs, err := GAAPReconciliations(l, gaapBook, threshold)
	if err != nil {
		return err
	}
	var gs []grec
	for _, g := range recs {
		x := grec{Book: g.Book, Reference: g.Reference, BookInventory: g.BookInventory.Format(scale), GAAPInventory: g.GAAPInventory.Format(scale),
			BookIncome: g.BookIncome.Format(scale), GAAPIncome: g.GAAPIncome.Format(scale), Residual: g.Residual.Format(scale),
			InventoryRatio: pct2(g.InventoryRatio), IncomeRatio: pct2(g.IncomeRatio), Threshold: g.Threshold.String(), Material: g.Material}
		for _, c := range g.Causes {
			x.Causes = append(x.Causes, cause{c.Name, c.Amount.Format(scale), c.Why})
		}
		for _, e := range g.Adjustments {
			a := adj{Memo: e.Memo}
			for _, ln := range e.Lines {
				a.Lines = append(a.Lines, map[string]string{"account": ln.Account.String(), "debit": max(ln.Amount, 0).Format(scale), "credit": max(-ln.Amount, 0).Format(scale)})
			}
			x.Adjustments = append(x.Adjustments, a)
		}
		gs = append(gs, x)
	}
	return writeJSON(w, map[string]any{"methods": ms, "gaap": gs})
}

// LCNRVTest returns costing.LCNRVTest, the rule's one home, for the
// report's callers.
func LCNRVTest(l *costing.Ledger, b *costing.Book, basis bf.LCNRVBasis, std bf.LCNRVStandard) (*lcnrv.Result, []lcnrv.Line, error) {
	return costing.LCNRVTest(l, b, bf.LCNRVPolicy{Basis: basis, Standard: std})
}

// WriteLCNRV writes an LCNRV test as text or JSON: per group the cost,
// the NRV, the lower of the two, the allowance the book holds and what it
// carries (cost less that allowance); then what a close would post — the
// allowance released with the goods sold or used since the last close,
// the write-down or the reversal — or, when nothing, what the book carries
// and why.
func WriteLCNRV(w io.Writer, l *costing.Ledger, b *costing.Book, r *lcnrv.Result, lines []lcnrv.Line, std bf.LCNRVStandard, asJSON bool) error {
	scale := l.Std.Scale
	f := func(m bf.Money) string { return m.Format(scale) }
	note := ""
	if n := l.Len(); b.Config.Basis.Actual() && !l.Streaming() && n > 0 && l.Event(int32(n-1)).Type != bf.Close {
		note = "book " + b.Config.Name + " keeps " + b.Config.Basis.String() + " costs, worked out at its closes: " +
			"the goods moved since its last close are not yet in the cost tested"
	}
	if asJSON {
		groups := []map[string]string{}
		for _, g := range r.Groups {
			groups = append(groups, map[string]string{"group": g.Name, "cost": f(g.Cost), "nrv": f(g.NRV), "lcnrv": f(g.Carrying),
				"allowance_held": f(g.Held), "carrying_amount": f(g.Cost - g.Held), "allowance": f(g.Allowance)})
		}
		return writeJSON(w, map[string]any{"book": b.Config.Name, "basis": r.Basis.String(), "standard": std.String(), "groups": groups,
			"cost": f(r.Cost), "nrv": f(r.NRV), "lcnrv": f(r.Carrying), "required": f(r.Required),
			"allowance_held": f(r.Held), "carrying_amount": f(r.Cost - r.Held), "released": f(r.Released), "released_in_process": f(r.ReleasedInProcess),
			"allowance": f(r.Allowance), "adjustment": f(r.Adjustment), "carrying_after": f(r.Cost - r.Allowance), "note": note})
	}
	ew := &textfmt.ErrWriter{W: w}
	fmt.Fprintf(ew, "LCNRV of book %s, by %s, %s\n\n", b.Config.Name, r.Basis, std)
	var tb textfmt.Table
	tb.Add("group", "cost", "NRV", "lower of", "allowance", "carrying")
	for _, g := range r.Groups {
		tb.Add(g.Name, f(g.Cost), f(g.NRV), f(g.Carrying), f(g.Held), f(g.Cost-g.Held))
	}
	if r.Basis != bf.LCNRVTotal || len(r.Groups) == 0 {
		// In total the one group is the total already.
		tb.Add("total", f(r.Cost), f(r.NRV), f(r.Carrying), f(r.Held), f(r.Cost-r.Held))
	}
	tb.Flush(ew)
	fmt.Fprintln(ew)
	if sold := r.Released - r.ReleasedInProcess; sold != 0 {
		why := "ASC 330-10-35-14"
		if std == bf.IAS2 {
			why = "IAS 2.34"
		}
		fmt.Fprintf(ew, "Release %s with the goods sold or used since the last close (%s): Dr inventory_allowance / Cr cost_of_goods_sold\n", f(sold), why)
	}
	if r.ReleasedInProcess != 0 {
		fmt.Fprintf(ew, "Release %s with the units that left process since the last close, tested now as what they became: Dr inventory_allowance / Cr inventory_writedown\n", f(r.ReleasedInProcess))
	}
	switch {
	case r.Adjustment > 0:
		fmt.Fprintf(ew, "Write-down %s: Dr inventory_writedown (cost of goods sold) / Cr inventory_allowance\n", f(r.Adjustment))
	case r.Adjustment < 0:
		fmt.Fprintf(ew, "Reversal %s: Dr inventory_allowance / Cr inventory_writedown\n", f(-r.Adjustment))
	}
	after := r.Cost - r.Allowance
	switch {
	case r.Released != 0 || r.Adjustment != 0:
		fmt.Fprintf(ew, "Carried after it: %s (allowance %s).\n", f(after), f(r.Allowance))
	case after == r.Carrying:
		fmt.Fprintf(ew, "No adjustment: the book carries %s, the lower of cost and NRV.\n", f(after))
	default:
		fmt.Fprintf(ew, "No adjustment: the book carries %s, below the lower of cost and NRV (%s): under US GAAP a write-down is the goods' new cost basis (ASC 330-10-35-14).\n",
			f(after), f(r.Carrying))
	}
	if note != "" {
		fmt.Fprintf(ew, "Note: %s.\n", note)
	}
	return ew.Err
}

// WriteThroughput writes the throughput analysis and best mix.
func WriteThroughput(w io.Writer, an []throughput.Analysis, m *throughput.Mix, scale int, asJSON bool) error {
	if asJSON {
		return writeJSON(w, throughputJSON(an, m, scale))
	}
	ew := &textfmt.ErrWriter{W: w}
	var tb textfmt.Table
	tb.Add("product", "throughput/unit", "per bottleneck min", "return/factory h", "cost/factory h", "TA ratio", "rank")
	for _, a := range an {
		tb.Add(a.ID, a.ThroughputPerUnit.String(), a.PerBottleneckMinute.String(), a.ReturnPerFactoryHour.String(),
			a.CostPerFactoryHour.String(), a.TARatio.String(), fmt.Sprint(a.Rank))
	}
	tb.Flush(ew)
	fmt.Fprintf(ew, "\nBest mix (%s):\n", m.Note)
	tb = textfmt.Table{}
	tb.Add("  product", "units", "bottleneck minutes", "throughput")
	for _, ln := range m.Lines {
		tb.Add("  "+ln.ID, ln.Units.String(), ln.Minutes.String(), ln.Throughput.Format(scale))
	}
	tb.Add("  total", "", "", m.Throughput.Format(scale))
	tb.Flush(ew)
	fmt.Fprintf(ew, "Net profit after operating expenses: %s; bottleneck minutes unused: %s\n", textfmt.Num(w, m.NetProfit.Format(scale)), textfmt.Num(w, m.Unused.String()))
	return ew.Err
}

// throughputJSON is the throughput report's JSON document.
func throughputJSON(an []throughput.Analysis, m *throughput.Mix, scale int) map[string]any {
	var ps []map[string]any
	for _, a := range an {
		ps = append(ps, map[string]any{"item": a.ID, "throughput_per_unit": a.ThroughputPerUnit.String(),
			"per_bottleneck_minute": a.PerBottleneckMinute.String(), "return_per_factory_hour": a.ReturnPerFactoryHour.String(),
			"cost_per_factory_hour": a.CostPerFactoryHour.String(), "ta_ratio": a.TARatio.String(), "rank": a.Rank})
	}
	var mix []map[string]string
	for _, ln := range m.Lines {
		mix = append(mix, map[string]string{"item": ln.ID, "units": ln.Units.String(), "minutes": ln.Minutes.String(), "throughput": ln.Throughput.Format(scale)})
	}
	return map[string]any{"products": ps, "mix": mix, "throughput": m.Throughput.Format(scale),
		"net_profit": m.NetProfit.Format(scale), "unused_minutes": m.Unused.String(), "note": m.Note}
}

// WriteProcess writes the process-costing reports of an actual-cost book.
func WriteProcess(w io.Writer, l *costing.Ledger, b *costing.Book, item string, asJSON bool) error {
	scale := l.Std.Scale
	var reps []costing.ProcessReport
	for _, r := range b.ProcessReports() {
		if item == "" || r.Item == item {
			reps = append(reps, r)
		}
	}
	if asJSON {
		out := []map[string]any{}
		for _, r := range reps {
			els := []map[string]string{}
			for k, e := range r.Result.Elements {
				in := r.Input.Elements[k]
				els = append(els, map[string]string{"element": e.Name, "begin_pct": in.BeginPct.String(), "end_pct": in.EndPct.String(),
					"equivalent_units": e.EquivalentUnits.String(), "cost_per_eu": e.CostPerEU.String(),
					"transferred_out": e.TransferredOut.Format(scale), "ending_wip": e.EndingWIP.Format(scale)})
			}
			rep := map[string]any{"period": r.Period, "item": r.Item, "method": r.Method.String(),
				"begin_units": r.Input.BeginUnits.String(), "started": r.Input.Started.String(), "completed": r.Input.Completed.String(),
				"end_units": r.Input.EndUnits.String(), "elements": els, "transferred_out": r.Result.TransferredOut.Format(scale),
				"ending_wip": r.Result.EndingWIP.Format(scale)}
			if steps, ok := FIFOStepsOf(r); ok {
				rep["fifo_steps"] = fifoStepsJSON(steps, scale)
			}
			out = append(out, rep)
		}
		return writeJSON(w, map[string]any{"book": b.Config.Name, "reports": out, "notes": b.Notes()})
	}
	ew := &textfmt.ErrWriter{W: w}
	for _, r := range reps {
		fmt.Fprintf(ew, "\n== %s: %s, period %d, %s ==\n", b.Config.Name, r.Item, r.Period, r.Method)
		fmt.Fprintf(ew, "units: beginning WIP %s + started %s = completed %s + ending WIP %s\n",
			r.Input.BeginUnits, r.Input.Started, r.Input.Completed, r.Input.EndUnits)
		var tb textfmt.Table
		tb.Add("  element", "begin %", "end %", "equivalent units", "cost per EU", "transferred out", "ending WIP")
		for k, e := range r.Result.Elements {
			in := r.Input.Elements[k]
			tb.Add("  "+e.Name, in.BeginPct.String(), in.EndPct.String(), e.EquivalentUnits.String(), e.CostPerEU.String(),
				e.TransferredOut.Format(scale), e.EndingWIP.Format(scale))
		}
		tb.Add("  total", "", "", "", "", r.Result.TransferredOut.Format(scale), r.Result.EndingWIP.Format(scale))
		tb.Flush(ew)
		if steps, ok := FIFOStepsOf(r); ok {
			fmt.Fprintln(ew)
			writeFIFOSteps(ew, steps, scale)
		}
	}
	for _, n := range b.Notes() {
		fmt.Fprintf(ew, "note: %s\n", n)
	}
	return ew.Err
}
