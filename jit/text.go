package jit

import (
	"fmt"
	"io"
	"strings"

	"github.com/backflush/backflush/internal/textfmt"
)

// WriteText writes the measures as aligned text tables; scale is the
// currency's decimals. A ratio whose denominator is empty shows n/a.
func WriteText(w io.Writer, m *Measures, scale int) error {
	ew := &textfmt.ErrWriter{W: w}
	t := textfmt.Table{Indent: "  ", Left: map[int]bool{2: true}} // a last column of free text
	t.Add("supplier on-time in full", m.SupplierOTIF().Pct(1), fmt.Sprintf("%d of %d kanbans filled in full by their first due time; %d deliveries, %d of them replacements of rejected parts",
		m.OTIF, m.Kanbans, m.Deliveries, m.Replacements))
	t.Add("supplier lateness", lateness(m.LateMinutes), classes(m.Lateness))
	t.Add("rejected parts", fmt.Sprintf("%d ppm", m.RejectedPPM()), fmt.Sprintf("%s of %s parts refused on receipt", m.Rejected, m.Shipped))
	t.Add("customer on-time delivery", m.CustomerOnTime().Pct(1),
		fmt.Sprintf("%d of %d shipped on time; %d open at the end (%d late); %d booked for the next period",
			m.ShippedOnTime, m.ShippedOrders, m.OpenOrders, m.OpenLate, m.Deferred))
	t.Add("order lead time", durations(m.LeadTime), "order to shipment, shipped orders only")
	t.Add("manufacturing cycle time", durations(m.CycleTime), "production instruction to vehicle completed, completed orders only")
	t.Add("open orders", fmt.Sprintf("%d (%d past due)", m.OpenOrders, m.OpenLate), "age at the end: "+durations(m.OpenAge))
	t.Add("manufacturing cycle efficiency", m.MCE().Pct(1), fmt.Sprintf("order basis: value-added %d of %d minutes from order to completion", m.ValueAdded, m.CycleMinutes))
	t.Add("", m.LineMCE().Pct(1), fmt.Sprintf("line basis: value-added %d of %d minutes from line start to completion", m.ValueAdded, m.LineMinutes))
	t.Add("rolled first-pass yield", pctMaybe(m.RolledYield), fmt.Sprintf("%d units scrapped; per vehicle of the mix, BOM quantities counted", m.Scrap))
	t.Add("average inventory", m.AverageInventory.Format(scale), "at standard cost, day ends")
	t.Add("inventory turns", suffix(m.Turns().Format(1), " a year"), fmt.Sprintf("standard cost of sales %s", m.CostOfSales.Format(scale)))
	t.Add("days of supply", m.DaysOfSupply().Format(2), "average inventory over a day's cost of sales")
	t.Flush(ew)

	fmt.Fprintln(ew)
	t = textfmt.Table{Indent: "  "}
	t.Add("supplier", "kanbans", "on time in full", "deliveries", "replacements", "a day", "rejected ppm", "late", "mean late min")
	for i := range m.Suppliers {
		s := &m.Suppliers[i]
		t.Add(s.ID, fmt.Sprint(s.Kanbans), s.OnTimeInFull().Pct(1), fmt.Sprint(s.Deliveries), fmt.Sprint(s.Replacements),
			fmt.Sprintf("%.1f", s.DeliveriesPerDay), fmt.Sprint(s.RejectedPPM()), fmt.Sprint(s.LateMinutes.N), meanOrDash(s.LateMinutes))
	}
	t.Flush(ew)

	fmt.Fprintln(ew)
	t = textfmt.Table{Indent: "  "}
	t.Add("process", "started", "good", "scrap", "first-pass yield", "utilisation", "andon pulls", "stop min")
	for i := range m.Processes {
		p := &m.Processes[i]
		t.Add(p.ID, fmt.Sprint(p.Started), fmt.Sprint(p.Good), fmt.Sprint(p.Scrap), p.FirstPassYield().Pct(1), p.Utilisation().Pct(0),
			fmt.Sprint(p.Pulls), fmt.Sprint(p.StopMinutes))
	}
	t.Flush(ew)

	fmt.Fprintln(ew)
	t = textfmt.Table{Indent: "  "}
	t.Add("kanban loop", "cards × container", "avg on hand", "max on hand", "stock-outs", "minutes short", "open at end", "special kanban")
	for _, l := range m.Loops {
		t.Add(l.Item, fmt.Sprintf("%d × %s", l.Cards, l.Container), fmt.Sprintf("%.1f", float64(l.AvgOnHand)/1e6), l.MaxOnHand.String(),
			fmt.Sprint(l.Stockouts), fmt.Sprint(l.StockoutMinutes), fmt.Sprint(l.OpenWaits), l.Special.String())
	}
	t.Flush(ew)
	return ew.Err
}

func durations(d Durations) string {
	if d.N == 0 {
		return "n/a (n=0)"
	}
	return fmt.Sprintf("mean %d min, p95 %d, max %d (n=%d)", d.Mean, d.P95, d.Max, d.N)
}

func lateness(d Durations) string {
	if d.N == 0 {
		return "none late"
	}
	return fmt.Sprintf("mean %d min late, p95 %d, max %d (n=%d)", d.Mean, d.P95, d.Max, d.N)
}

func meanOrDash(d Durations) string {
	if d.N == 0 {
		return "-"
	}
	return fmt.Sprint(d.Mean)
}

// classes lists the lateness classes with their counts.
func classes(n []int) string {
	var parts []string
	for k, c := range n {
		parts = append(parts, fmt.Sprintf("%s %d", LatenessLabels[k], c))
	}
	return "deliveries by their own due time: " + strings.Join(parts, ", ")
}

func pctMaybe(f Maybe) string {
	if !f.OK {
		return "n/a"
	}
	return fmt.Sprintf("%.1f%%", 100*f.V)
}

func suffix(s, unit string) string {
	if s == "n/a" {
		return s
	}
	return s + unit
}

// WritePlan writes the takt time against each process and the line
// balance, and each kanban loop's cards against the kanban formula.
func WritePlan(w io.Writer, t Takt, sizes []LoopSize, o SizingOptions) error {
	ew := &textfmt.ErrWriter{W: w}
	if t.OK {
		fmt.Fprintf(ew, "  takt time %.1f min a vehicle (available minutes a day ÷ vehicles ordered a day); line balance %.1f%%, bottleneck %s\n\n",
			t.Minutes, 100*t.Balance, t.Bottleneck)
	} else {
		fmt.Fprintf(ew, "  takt time n/a (no demand); line balance %.1f%%, bottleneck %s\n\n", 100*t.Balance, t.Bottleneck)
	}
	tb := textfmt.Table{Indent: "  "}
	tb.Add("process", "cycle min", "units a vehicle", "its takt min", "load", "work min a vehicle", "")
	for _, p := range t.Processes {
		takt, load, note := "n/a", "n/a", ""
		if p.TaktMinutes > 0 {
			takt, load = fmt.Sprintf("%.1f", p.TaktMinutes), fmt.Sprintf("%.0f%%", 100*p.Load)
			if p.Load > 1 {
				note = "cannot keep up with demand"
			}
		}
		tb.Add(p.ID, fmt.Sprint(p.CycleMinutes), fmt.Sprintf("%.2f", p.PerVehicle), takt, load, fmt.Sprintf("%.1f", p.WorkMinutes), note)
	}
	tb.Flush(ew)
	fmt.Fprintf(ew, "\n  kanban cards N = ⌈D·(L + S)·(1 + α)/C⌉ with S = %d min, α = %d%% (at least the fewest cards validation accepts)\n\n", o.SafetyMinutes, o.SafetyPct)
	tb = textfmt.Table{Indent: "  "}
	tb.Add("kanban loop", "container", "D a day", "L min", "formula", "fewest valid", "suggested", "cards", "")
	for _, s := range sizes {
		tb.Add(s.Item, s.Container.String(), fmt.Sprintf("%.1f", s.DemandPerDay), fmt.Sprint(s.LeadMinutes), fmt.Sprint(s.Formula),
			fmt.Sprint(s.MinValid), fmt.Sprint(s.Suggested), fmt.Sprint(s.Cards), s.Flag)
	}
	tb.Flush(ew)
	return ew.Err
}
