package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/internal/textfmt"
	"github.com/backflush/backflush/throughput"
)

// The controller's reports: the costed BOM with the effect of proposed
// standards, and throughput beside contribution at the limiting factor.
// Write dispatches them here; the rules are costing's (Standards.CostedBOM,
// Revalue, AnalyzeThroughputOf, CompareLimitingFactor).

// The controller's report kinds.
const (
	KindBOM        Kind = "bom"        // the costed BOM and the effect of proposed standards
	KindThroughput Kind = "throughput" // throughput per bottleneck minute, and contribution per minute beside it
)

// Controller is what the controller's reports take besides the ledger.
type Controller struct {
	// Proposed are standards proposed to replace the ledger's (bom): the
	// plant of a second configuration file or of a stored version, which
	// ProposedFrom names. ProposedVersion asks a store for its
	// configuration version of that number: the service fills Proposed.
	Proposed        *bf.Plant
	ProposedFrom    string
	ProposedVersion int
	// Throughput is the configuration's throughput section (throughput),
	// from Source, which errors name; the service fills both from the
	// version whose standards the ledger uses.
	Throughput *bf.ThroughputData
	Source     string
	// Contribution sets contribution per minute of the limiting factor,
	// its ranking, mix and profit beside throughput's (throughput).
	Contribution bool
}

// writeController writes the controller's reports; done is false for
// another kind.
func writeController(w io.Writer, l *costing.Ledger, r Request) (done bool, err error) {
	switch r.Kind {
	case KindBOM:
		return true, writeBOM(w, l, r)
	case KindThroughput:
		return true, writeThroughputRequest(w, l, r)
	}
	return false, nil
}

func writeThroughputRequest(w io.Writer, l *costing.Ledger, r Request) error {
	scale := l.Std.Scale
	an, mix, err := costing.AnalyzeThroughputOf(l.Std, r.Throughput, r.Source)
	if err != nil || !r.Contribution {
		if err != nil {
			return err
		}
		return WriteThroughput(w, an, mix, scale, r.JSON)
	}
	lf, err := costing.CompareLimitingFactor(l.Std, r.Throughput, r.Source)
	if err != nil {
		return err
	}
	if r.JSON {
		out := throughputJSON(an, mix, scale)
		out["limiting_factor"] = limitingFactorJSON(lf, scale)
		return writeJSON(w, out)
	}
	ew := &textfmt.ErrWriter{W: w}
	if err := WriteThroughput(ew, an, mix, scale, false); err != nil {
		return err
	}
	writeLimitingFactor(ew, lf, scale)
	return ew.Err
}

// writeLimitingFactor writes the comparison after the throughput report.
func writeLimitingFactor(w io.Writer, lf *costing.LimitingFactor, scale int) {
	fmt.Fprintf(w, "\nThroughput (price − materials) beside contribution (price − materials − variable conversion), per minute of %s, the limiting factor:\n", lf.Resource)
	tb := textfmt.Table{Indent: "  "}
	tb.Add("product", "price", "materials", "variable conversion", "minutes", "throughput/unit", "per minute", "rank", "contribution/unit", "per minute", "rank")
	for _, p := range lf.Products {
		tb.Add(p.ID, p.Price.String(), p.Material.String(), p.VariableConversion.String(), p.Minutes.String(),
			p.Throughput.ThroughputPerUnit.String(), p.Throughput.PerBottleneckMinute.String(), strconv.Itoa(p.Throughput.Rank),
			p.Contribution.ThroughputPerUnit.String(), p.Contribution.PerBottleneckMinute.String(), strconv.Itoa(p.Contribution.Rank))
	}
	tb.Flush(w)
	m := lf.Contribution.Mix
	fmt.Fprintf(w, "\nBest mix by contribution (%s):\n", m.Note)
	tb.Add("product", "units", "bottleneck minutes", "contribution")
	for _, ln := range m.Lines {
		tb.Add(ln.ID, ln.Units.String(), ln.Minutes.String(), ln.Throughput.Format(scale))
	}
	tb.Add("total", "", "", m.Throughput.Format(scale))
	tb.Flush(w)
	fmt.Fprintf(w, "Bottleneck minutes unused: %s\n", m.Unused)
	fmt.Fprintf(w, "\nEach mix with the same fixed costs (the operating expenses, %s):\n", textfmt.Num(w, lf.FixedCosts.Format(scale)))
	tb.Add("", "throughput mix", "contribution mix")
	tb.Add("units", mixUnits(lf.Throughput.Mix), mixUnits(lf.Contribution.Mix))
	tb.Add("throughput", lf.Throughput.Throughput.Format(scale), lf.Contribution.Throughput.Format(scale))
	tb.Add("contribution", lf.Throughput.Contribution.Format(scale), lf.Contribution.Contribution.Format(scale))
	tb.Add("profit, conversion fixed (throughput − fixed costs)", lf.Throughput.ProfitTA.Format(scale), lf.Contribution.ProfitTA.Format(scale))
	tb.Add("profit, conversion variable (contribution − fixed costs)", lf.Throughput.ProfitMarginal.Format(scale), lf.Contribution.ProfitMarginal.Format(scale))
	tb.Flush(w)
}

// mixUnits lists a mix's units by product, in rank order.
func mixUnits(m *throughput.Mix) string {
	var parts []string
	for _, ln := range m.Lines {
		parts = append(parts, ln.ID+" "+ln.Units.String())
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

func limitingFactorJSON(lf *costing.LimitingFactor, scale int) map[string]any {
	ps := []map[string]any{}
	for _, p := range lf.Products {
		ps = append(ps, map[string]any{"item": p.ID, "price": p.Price.String(), "materials": p.Material.String(),
			"variable_conversion": p.VariableConversion.String(), "minutes": p.Minutes.String(),
			"throughput_per_unit": p.Throughput.ThroughputPerUnit.String(), "throughput_per_minute": p.Throughput.PerBottleneckMinute.String(),
			"throughput_rank": p.Throughput.Rank, "contribution_per_unit": p.Contribution.ThroughputPerUnit.String(),
			"contribution_per_minute": p.Contribution.PerBottleneckMinute.String(), "contribution_rank": p.Contribution.Rank})
	}
	mix := func(fm costing.FactorMix) map[string]any {
		lines := []map[string]string{}
		for _, ln := range fm.Mix.Lines {
			lines = append(lines, map[string]string{"item": ln.ID, "units": ln.Units.String(), "minutes": ln.Minutes.String()})
		}
		return map[string]any{"lines": lines, "note": fm.Mix.Note, "unused_minutes": fm.Mix.Unused.String(),
			"throughput": fm.Throughput.Format(scale), "contribution": fm.Contribution.Format(scale),
			"profit_conversion_fixed": fm.ProfitTA.Format(scale), "profit_conversion_variable": fm.ProfitMarginal.Format(scale)}
	}
	return map[string]any{"resource": lf.Resource, "products": ps, "fixed_costs": lf.FixedCosts.Format(scale),
		"throughput_mix": mix(lf.Throughput), "contribution_mix": mix(lf.Contribution)}
}

// writeBOM writes the costed BOM of the item asked for (of every finished
// item without one) and, with proposed standards, their effect.
func writeBOM(w io.Writer, l *costing.Ledger, r Request) error {
	std := l.Std
	if r.ProposedVersion != 0 && r.Proposed == nil {
		return bf.E("bom", bf.KindInvalid, bf.Field("proposed-version"), "configuration versions are a store's: name no scenario file, or give --proposed FILE")
	}
	var items []int32
	if r.Item != "" {
		i, ok := std.Lookup(r.Item)
		if !ok {
			return bf.E("bom", bf.KindNotFound, bf.Field("item"), bf.ItemID(r.Item), "unknown item "+r.Item)
		}
		items = append(items, i)
	} else {
		for i := range int32(std.NumItems()) {
			if std.Item(i).Kind == bf.Finished {
				items = append(items, i)
			}
		}
	}
	var boms []*costing.CostedBOM
	for _, i := range items {
		b, err := std.CostedBOM(i)
		if err != nil {
			return err
		}
		boms = append(boms, b)
	}
	var rev *costing.Revaluation
	if r.Proposed != nil {
		var err error
		if rev, err = costing.Revalue(l, r.Proposed); err != nil {
			if e, ok := bf.AsError(err); ok && e.File == "" {
				e.File = r.ProposedFrom
			}
			return err
		}
	}
	if r.JSON {
		return writeBOMJSON(w, std, boms, rev, r.ProposedFrom)
	}
	ew := &textfmt.ErrWriter{W: w}
	for k, b := range boms {
		if k > 0 {
			fmt.Fprintln(ew)
		}
		writeCostedBOM(ew, std, b)
	}
	if rev != nil {
		writeRevaluation(ew, std, rev, r.ProposedFrom)
	}
	return ew.Err
}

// indented is a row's item indented by its level.
func indented(std *costing.Standards, row costing.BOMRow) string {
	return strings.Repeat(". ", row.Level) + std.Item(row.Item).ID
}

// costOrBlank shows a cost, or nothing for zero.
func costOrBlank(c bf.Cost) string {
	if c == 0 {
		return ""
	}
	return c.String()
}

func writeCostedBOM(w io.Writer, std *costing.Standards, b *costing.CostedBOM) {
	it := std.Item(b.Item)
	fmt.Fprintf(w, "Costed BOM of %s (%s): rolled-up standard %s per unit\n", it.ID, it.Kind, b.Total())
	tb := textfmt.Table{Indent: "  ", Left: map[int]bool{1: true, 2: true}}
	tb.Add("level", "item", "kind", "qty", "scrap %", "with scrap", "per "+it.ID, "unit cost", "material", "conversion", "extended")
	for _, row := range b.Rows {
		c := std.Item(row.Item)
		tb.Add(strconv.Itoa(row.Level), indented(std, row), c.Kind.String(), row.Qty.String(), row.Scrap.String(), row.WithScrap.String(),
			row.Per.String(), row.UnitCost.String(), costOrBlank(row.Material), costOrBlank(row.Conversion), row.Extended.String())
	}
	tb.Add("total", "", "", "", "", "", "", "", b.Material.String(), b.Conversion.String(), b.Total().String())
	tb.Flush(w)
	fmt.Fprintln(w, "Conversion by level (where a stocked item is made, with the phantoms made there):")
	tb = textfmt.Table{Indent: "  "}
	for _, lv := range b.Levels {
		name := b.Rows[lv.Row].Path
		if len(lv.Phantoms) > 0 {
			name += " (with phantom " + strings.Join(lv.Phantoms, ", ") + ")"
		}
		tb.Add(name, lv.Conversion.String())
	}
	tb.Add("total", b.Conversion.String())
	tb.Flush(w)
	fmt.Fprintf(w, "Materials %s + conversion %s = %s, the rolled-up standard", b.Material, b.Conversion, b.Total())
	if b.Fixed != 0 {
		fmt.Fprintf(w, " (fixed overhead %s of the conversion)", b.Fixed)
	}
	fmt.Fprintln(w)
}

func writeRevaluation(w io.Writer, cur *costing.Standards, rev *costing.Revaluation, from string) {
	scale := cur.Scale
	fmt.Fprintf(w, "\nProposed standards (%s) against the current ones, item by item where they change:\n", from)
	if len(rev.Items) == 0 {
		fmt.Fprintln(w, "  no item's rolled-up standard or value on hand changes")
	} else {
		tb := textfmt.Table{Indent: "  ", Left: map[int]bool{1: true}}
		tb.Add("item", "kind", "current", "proposed", "difference", "on hand", "in process", "value now", "value proposed", "revaluation")
		for _, c := range rev.Items {
			it := rev.Proposed.Item(c.Item)
			old, kind := c.Old.String(), it.Kind.String()
			if c.Added {
				old, kind = "new", kind+" (new)"
			}
			tb.Add(it.ID, kind, old, c.New.String(), c.Difference().String(), c.OnHand.String(), c.InProcess.String(),
				c.OldValue.Format(scale), c.NewValue.Format(scale), c.Revaluation().Format(scale))
		}
		tb.Add("total", "", "", "", "", "", "", "", "", (rev.NewValue - rev.OldValue).Format(scale))
		tb.Flush(w)
	}
	fmt.Fprintf(w, "Inventory on hand at standard (stock, and components issued to units in process): %s now, %s proposed, a revaluation of %s.\n",
		rev.OldValue.Format(scale), rev.NewValue.Format(scale), (rev.NewValue - rev.OldValue).Format(scale))
}

func writeBOMJSON(w io.Writer, std *costing.Standards, boms []*costing.CostedBOM, rev *costing.Revaluation, from string) error {
	scale := std.Scale
	out := []map[string]any{}
	for _, b := range boms {
		rows := []map[string]any{}
		for _, row := range b.Rows {
			rows = append(rows, map[string]any{"level": row.Level, "item": std.Item(row.Item).ID, "kind": std.Item(row.Item).Kind.String(),
				"path": row.Path, "qty": row.Qty.String(), "scrap_pct": row.Scrap.String(), "qty_with_scrap": row.WithScrap.String(),
				"qty_per_unit": row.Per.String(), "unit_cost": row.UnitCost.String(), "material": row.Material.String(),
				"conversion": row.Conversion.String(), "extended": row.Extended.String()})
		}
		levels := []map[string]any{}
		for _, lv := range b.Levels {
			levels = append(levels, map[string]any{"path": b.Rows[lv.Row].Path, "phantoms": append([]string{}, lv.Phantoms...),
				"conversion": lv.Conversion.String(), "fixed": lv.Fixed.String()})
		}
		it := std.Item(b.Item)
		out = append(out, map[string]any{"item": it.ID, "kind": it.Kind.String(), "rows": rows, "conversion_by_level": levels,
			"material": b.Material.String(), "conversion": b.Conversion.String(), "fixed": b.Fixed.String(), "total": b.Total().String()})
	}
	doc := map[string]any{"boms": out}
	if rev != nil {
		items := []map[string]any{}
		for _, c := range rev.Items {
			it := rev.Proposed.Item(c.Item)
			items = append(items, map[string]any{"item": it.ID, "kind": it.Kind.String(), "new_item": c.Added,
				"current": c.Old.String(), "proposed": c.New.String(), "difference": c.Difference().String(),
				"on_hand": c.OnHand.String(), "in_process": c.InProcess.String(), "value_now": c.OldValue.Format(scale),
				"value_proposed": c.NewValue.Format(scale), "revaluation": c.Revaluation().Format(scale)})
		}
		doc["proposed"] = map[string]any{"from": from, "items": items, "value_now": rev.OldValue.Format(scale),
			"value_proposed": rev.NewValue.Format(scale), "revaluation": (rev.NewValue - rev.OldValue).Format(scale)}
	}
	return writeJSON(w, doc)
}
