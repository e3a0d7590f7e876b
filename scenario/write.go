package scenario

import (
	"bufio"
	"io"
	"strconv"
	"strings"

	bf "github.com/backflush/backflush"
)

// Write writes a configuration as a scenario file (docs/scenario.md): its
// master data, chart and events. It names no books, so the scenario keeps
// the default ones; the comment
// lines (each starting with "# ") say where the data came from. Text is
// always quoted, so an ERP id such as 0100 or "yes" stays text; numbers are
// written as the plant holds them.
func Write(w io.Writer, cfg *bf.Config, comment []string) error {
	p, chart, events := &cfg.Plant, &cfg.Chart, cfg.Events
	bw := bufio.NewWriter(w)
	for _, c := range comment {
		bw.WriteString("# " + strings.Join(strings.Fields(c), " ") + "\n")
	}
	if p.Name != "" {
		bw.WriteString("name: " + q(p.Name) + "\n")
	}
	bw.WriteString("currency: " + p.Currency.Code + "\n")
	if o := p.FixedOverhead; o != nil {
		bw.WriteString("fixed_overhead: {budget: " + o.Budget.Format(p.Currency.Scale) + ", basis: " + o.Basis.String() + ", denominator: " + o.Denominator.String() + "}\n")
	}
	if p.ConversionRate != 0 {
		bw.WriteString("conversion_rate: " + p.ConversionRate.String() + "\n")
	}
	bw.WriteString("items:\n")
	for i := range p.Items {
		writeItem(bw, p, &p.Items[i])
	}
	if *chart != (bf.Chart{}) {
		bw.WriteString("accounts:\n")
		for a := bf.Account(0); a < bf.NumAccounts; a++ {
			if chart.Code[a] == "" && chart.Name[a] == "" {
				continue
			}
			bw.WriteString("  " + a.String() + ": {")
			sep := ""
			if chart.Code[a] != "" {
				bw.WriteString("code: " + q(chart.Code[a]))
				sep = ", "
			}
			if chart.Name[a] != "" {
				bw.WriteString(sep + "name: " + q(chart.Name[a]))
			}
			bw.WriteString("}\n")
		}
	}
	if len(events) > 0 {
		bw.WriteString("events:\n")
	}
	quoted := map[string]bool{"id": true, "item": true, "memo": true, "reverses": true, "reason": true}
	for i := range events {
		bw.WriteString("  - {")
		sep := ""
		for _, f := range bf.EventFields {
			v, _ := events[i].Get(f, p.Currency.Scale)
			if v == "" {
				continue
			}
			if quoted[f] {
				v = q(v)
			}
			bw.WriteString(sep + f + ": " + v)
			sep = ", "
		}
		bw.WriteString("}\n")
	}
	return bw.Flush()
}

// writeItem writes one item as a block mapping with its BOM.
func writeItem(w *bufio.Writer, p *bf.Plant, it *bf.Item) {
	w.WriteString("  - id: " + q(it.ID) + "\n")
	field := func(k, v string) { w.WriteString("    " + k + ": " + v + "\n") }
	if it.Name != "" {
		field("name", q(it.Name))
	}
	field("kind", it.Kind.String())
	if it.UOM != "" {
		field("uom", q(it.UOM))
	}
	cost := func(k string, c bf.Cost) {
		if c != 0 {
			field(k, c.String())
		}
	}
	cost("standard_cost", it.StandardCost)
	cost("conversion_cost", it.ConversionCost)
	switch {
	case it.PlantShare:
		field("fixed_overhead", "{denominator: "+it.Denominator.String()+"}")
	case it.Denominator != 0:
		field("fixed_overhead", "{budget: "+it.FixedBudget.Format(p.Currency.Scale)+", denominator: "+it.Denominator.String()+"}")
	default:
		cost("fixed_conversion", it.FixedConversion)
	}
	for _, m := range []struct {
		k string
		v bf.Qty
	}{{"machine_minutes", it.MachineMinutes}, {"labour_minutes", it.LabourMinutes}} {
		if m.v != 0 {
			field(m.k, m.v.String())
		}
	}
	cost("price", it.Price)
	cost("selling_cost", it.SellingCost)
	cost("nrv", it.NRV)
	if it.Class != "" {
		field("class", q(it.Class))
	}
	if it.Shortage != bf.ShortageAllow {
		field("shortage", it.Shortage.String())
	}
	if len(it.BOM) > 0 {
		w.WriteString("    bom:\n")
		for _, l := range it.BOM {
			w.WriteString("      - {item: " + q(l.Item) + ", qty: " + l.Qty.String())
			if l.ScrapPct != 0 {
				w.WriteString(", scrap_pct: " + l.ScrapPct.String())
			}
			w.WriteString("}\n")
		}
	}
}

// q quotes text as a YAML double-quoted scalar. Go's escapes (\", \\, \n,
// \t, \xNN, \uNNNN) are YAML's too for valid UTF-8, which every imported
// cell is.
func q(s string) string { return strconv.Quote(s) }
