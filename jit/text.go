package jit

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// WriteText writes the measures as aligned text tables; scale is the
// currency's decimals.
func WriteText(w io.Writer, m *Measures, scale int) error {
	ew := &errWriter{w: w}
	var t table
	t.add("supplier on-time delivery", fmt.Sprintf("%.1f%%", m.SupplierOnTimePct()), fmt.Sprintf("%d of %d deliveries", m.OnTime, m.Deliveries))
	t.add("rejected parts", fmt.Sprintf("%d ppm", m.RejectedPPM()), fmt.Sprintf("%s of %s parts refused on receipt", m.Rejected, m.Shipped))
	t.add("customer on-time delivery", fmt.Sprintf("%.1f%%", m.CustomerOnTimePct()),
		fmt.Sprintf("%d of %d shipped on time; %d open at the end (%d late); %d booked for the next period",
			m.ShippedOnTime, m.ShippedOrders, m.OpenOrders, m.OpenLate, m.Deferred))
	t.add("order lead time", durations(m.LeadTime), "order to shipment")
	t.add("manufacturing cycle time", durations(m.CycleTime), "production instruction to vehicle completed")
	t.add("manufacturing cycle efficiency", fmt.Sprintf("%.1f%%", 100*m.MCE()),
		fmt.Sprintf("value-added %d of %d minutes", m.ValueAdded, m.CycleMinutes))
	t.add("first-pass yield", fmt.Sprintf("%.1f%%", 100*m.FirstPassYield()), fmt.Sprintf("%d units scrapped", m.Scrap))
	t.add("average inventory", m.AverageInventory.Format(scale), "at standard cost, day ends")
	t.add("inventory turns", fmt.Sprintf("%.1f a year", m.Turns()), fmt.Sprintf("standard cost of sales %s", m.CostOfSales.Format(scale)))
	t.add("days of supply", fmt.Sprintf("%.2f", m.DaysOfSupply()), "average inventory over a day's cost of sales")
	t.flush(ew)

	fmt.Fprintln(ew)
	t = table{}
	t.add("supplier", "deliveries", "on time", "rejected ppm")
	for i := range m.Suppliers {
		s := &m.Suppliers[i]
		t.add(s.ID, fmt.Sprint(s.Deliveries), fmt.Sprintf("%.1f%%", s.OnTimePct()), fmt.Sprint(s.RejectedPPM()))
	}
	t.flush(ew)

	fmt.Fprintln(ew)
	t = table{}
	t.add("process", "started", "good", "scrap", "first-pass yield", "utilisation")
	for i := range m.Processes {
		p := &m.Processes[i]
		t.add(p.ID, fmt.Sprint(p.Started), fmt.Sprint(p.Good), fmt.Sprint(p.Scrap),
			fmt.Sprintf("%.1f%%", 100*p.FirstPassYield()), fmt.Sprintf("%.0f%%", 100*p.Utilisation))
	}
	t.flush(ew)

	fmt.Fprintln(ew)
	t = table{}
	t.add("kanban loop", "cards × container", "avg on hand", "max on hand", "stock-outs", "minutes waited")
	for _, l := range m.Loops {
		t.add(l.Item, fmt.Sprintf("%d × %s", l.Cards, l.Container), fmt.Sprintf("%.1f", float64(l.AvgOnHand)/1e6), l.MaxOnHand.String(),
			fmt.Sprint(l.Stockouts), fmt.Sprint(l.StockoutMinutes))
	}
	t.flush(ew)
	return ew.err
}

func durations(d Durations) string {
	return fmt.Sprintf("mean %d min, p95 %d, max %d (n=%d)", d.Mean, d.P95, d.Max, d.N)
}

// table aligns columns: the first left, the others right, except a last
// column of free text.
type table struct{ rows [][]string }

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

func (t *table) flush(w io.Writer) {
	var width []int
	for _, r := range t.rows {
		for i, c := range r {
			if i >= len(width) {
				width = append(width, 0)
			}
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	for _, r := range t.rows {
		var b strings.Builder
		b.WriteString("  ")
		for i, c := range r {
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
			if i > 0 {
				b.WriteString("  ")
			}
			if i == 0 || (len(r) == 3 && i == 2) {
				b.WriteString(c + pad)
			} else {
				b.WriteString(pad + c)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

// errWriter keeps the first write error so that callers check once.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return len(p), nil
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}
