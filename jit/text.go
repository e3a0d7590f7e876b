package jit

import (
	"fmt"
	"io"

	"github.com/backflush/backflush/internal/textfmt"
)

// WriteText writes the measures as aligned text tables; scale is the
// currency's decimals.
func WriteText(w io.Writer, m *Measures, scale int) error {
	ew := &textfmt.ErrWriter{W: w}
	t := textfmt.Table{Indent: "  ", Left: map[int]bool{2: true}} // a last column of free text
	t.Add("supplier on-time delivery", fmt.Sprintf("%.1f%%", m.SupplierOnTimePct()), fmt.Sprintf("%d of %d deliveries", m.OnTime, m.Deliveries))
	t.Add("rejected parts", fmt.Sprintf("%d ppm", m.RejectedPPM()), fmt.Sprintf("%s of %s parts refused on receipt", m.Rejected, m.Shipped))
	t.Add("customer on-time delivery", fmt.Sprintf("%.1f%%", m.CustomerOnTimePct()),
		fmt.Sprintf("%d of %d shipped on time; %d open at the end (%d late); %d booked for the next period",
			m.ShippedOnTime, m.ShippedOrders, m.OpenOrders, m.OpenLate, m.Deferred))
	t.Add("order lead time", durations(m.LeadTime), "order to shipment")
	t.Add("manufacturing cycle time", durations(m.CycleTime), "production instruction to vehicle completed")
	t.Add("manufacturing cycle efficiency", fmt.Sprintf("%.1f%%", 100*m.MCE()),
		fmt.Sprintf("value-added %d of %d minutes", m.ValueAdded, m.CycleMinutes))
	t.Add("first-pass yield", fmt.Sprintf("%.1f%%", 100*m.FirstPassYield()), fmt.Sprintf("%d units scrapped", m.Scrap))
	t.Add("average inventory", m.AverageInventory.Format(scale), "at standard cost, day ends")
	t.Add("inventory turns", fmt.Sprintf("%.1f a year", m.Turns()), fmt.Sprintf("standard cost of sales %s", m.CostOfSales.Format(scale)))
	t.Add("days of supply", fmt.Sprintf("%.2f", m.DaysOfSupply()), "average inventory over a day's cost of sales")
	t.Flush(ew)

	fmt.Fprintln(ew)
	t = textfmt.Table{Indent: "  "}
	t.Add("supplier", "deliveries", "on time", "rejected ppm")
	for i := range m.Suppliers {
		s := &m.Suppliers[i]
		t.Add(s.ID, fmt.Sprint(s.Deliveries), fmt.Sprintf("%.1f%%", s.OnTimePct()), fmt.Sprint(s.RejectedPPM()))
	}
	t.Flush(ew)

	fmt.Fprintln(ew)
	t = textfmt.Table{Indent: "  "}
	t.Add("process", "started", "good", "scrap", "first-pass yield", "utilisation")
	for i := range m.Processes {
		p := &m.Processes[i]
		t.Add(p.ID, fmt.Sprint(p.Started), fmt.Sprint(p.Good), fmt.Sprint(p.Scrap),
			fmt.Sprintf("%.1f%%", 100*p.FirstPassYield()), fmt.Sprintf("%.0f%%", 100*p.Utilisation))
	}
	t.Flush(ew)

	fmt.Fprintln(ew)
	t = textfmt.Table{Indent: "  "}
	t.Add("kanban loop", "cards × container", "avg on hand", "max on hand", "stock-outs", "minutes waited")
	for _, l := range m.Loops {
		t.Add(l.Item, fmt.Sprintf("%d × %s", l.Cards, l.Container), fmt.Sprintf("%.1f", float64(l.AvgOnHand)/1e6), l.MaxOnHand.String(),
			fmt.Sprint(l.Stockouts), fmt.Sprint(l.StockoutMinutes))
	}
	t.Flush(ew)
	return ew.Err
}

func durations(d Durations) string {
	return fmt.Sprintf("mean %d min, p95 %d, max %d (n=%d)", d.Mean, d.P95, d.Max, d.N)
}
