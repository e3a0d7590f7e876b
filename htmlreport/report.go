// Package htmlreport writes the report of `backflush demo` as one
// self-contained HTML file: inline CSS, charts drawn as inline SVG (package
// internal/svgchart), no external asset, no network. It shows the inventory of each stage over
// time, the books side by side, their cost flows, the JIT measures, and the
// what-if comparison of a steady and a disturbed run.
package htmlreport

import (
	"fmt"
	"io"
	"math"
	"strings"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/internal/svgchart"
	"github.com/backflush/backflush/internal/textfmt"
	"github.com/backflush/backflush/jit"
	"github.com/backflush/backflush/report"
	"github.com/backflush/backflush/sim"
	"github.com/backflush/backflush/whatif"
)

// Input is what the report shows.
type Input struct {
	Title   string      // the page's title and heading
	Model   *sim.Model  // the plant simulated
	Seed    uint64      // the runs' seed
	Primary *whatif.Run // the run shown in full
	// Steady and Disturbed are the what-if pair; leave them nil to omit
	// the comparison.
	Steady, Disturbed *whatif.Run
	// Proposed is the disturbed run with a proposal (Proposal says which),
	// shown beside it; nil to omit.
	Proposed *whatif.Run
	Proposal string
	// Sizing are the safety terms of the kanban formula for the plan.
	Sizing  jit.SizingOptions
	Command string // how the report was made, shown at the foot
}

// Write writes the report.
func Write(w io.Writer, in Input) error {
	p := &page{in: in, scale: in.Model.Plant.Currency.Scale, cur: in.Model.Plant.Currency.Code}
	p.head()
	p.summary()
	p.inventory()
	p.books()
	p.flows()
	p.measures()
	p.plan()
	p.whatIf()
	p.proposal()
	p.foot()
	_, err := io.WriteString(w, p.b.String())
	return err
}

type page struct {
	in    Input
	b     strings.Builder
	scale int
	cur   string
}

func (p *page) f(format string, args ...any) { fmt.Fprintf(&p.b, format, args...) }

// m shows an amount with its thousands grouped and, as the report always
// has, the typographic minus sign: −1,234.50.
func (p *page) m(v bf.Money) string { return money(v, p.scale) }

func money(v bf.Money, scale int) string { return textfmt.Money(v, scale, textfmt.MinusSign) }

// esc escapes text for the page and its charts.
func esc(s string) string { return svgchart.Esc(s) }

// units converts an amount to currency units for drawing.
func (p *page) units(v bf.Money) float64 { return float64(v) / math.Pow10(p.scale) }

const css = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2330;margin:0;background:#f6f7f9}
main{max-width:1100px;margin:0 auto;padding:24px 28px 60px;background:#fff}
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:36px 0 8px;border-bottom:2px solid #0072B2;padding-bottom:4px}
h3{font-size:15px;margin:20px 0 6px}p.lead{color:#4a5366;margin:0 0 14px}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(160px,1fr));gap:10px;margin:14px 0}
.tile{border:1px solid #dde1e8;border-radius:6px;padding:8px 10px}.tile b{display:block;font-size:20px}.tile span{color:#5b6478;font-size:12px}
table{border-collapse:collapse;margin:8px 0 14px;font-size:13px}th,td{padding:3px 9px;border-bottom:1px solid #e6e9ef;text-align:right;white-space:nowrap}
th:first-child,td:first-child{text-align:left}thead th{background:#eef2f7}td.t,th.t{text-align:left;white-space:normal}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:12px}.grid3{display:grid;grid-template-columns:1fr 1fr 1fr;gap:8px}
svg.chart{max-width:100%;height:auto;display:block;margin:6px 0}
svg text{font-family:system-ui,sans-serif;font-size:11px;fill:#333}
.grid{stroke:#e3e6ec}.axis{stroke:#555}.ylab{text-anchor:end}.xlab{text-anchor:middle}.unit{font-size:10px;fill:#666}
.unit.end{text-anchor:end}.leg{font-size:11px}.ctitle{font-weight:600;font-size:12px}.blab{text-anchor:end}.bval{font-size:10px}
.nlab{font-size:11px;font-weight:600}.nval{font-size:10px;fill:#444}.nlab,.nval{paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}
.hit{fill:transparent}.hit:hover{fill:#0001}
.note{color:#5b6478;font-size:12px}.good{color:#007a55}.bad{color:#b3261e}ul.reasons{margin:4px 0 10px 18px;padding:0;color:#333}
footer{margin-top:40px;color:#6b7385;font-size:12px}
@media (max-width:800px){.grid2,.grid3{grid-template-columns:1fr}}
`

func (p *page) head() {
	in := p.in
	r := in.Primary
	p.f(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`)
	p.f(`<title>%s</title><style>%s</style></head><body><main>`, esc(in.Title), css)
	first, last := in.Model.Start, in.Model.Start+bf.Date(r.Sim.Options.Days-1)
	p.f(`<h1>%s</h1><p class="lead">%s · %d working days, %s to %s · seed %d · disturbances: %s · currency %s</p>`,
		esc(in.Title), esc(in.Model.Name), r.Sim.Options.Days, first, last, in.Seed, esc(disturbText(r.Disturb)), esc(p.cur))
}

func disturbText(d sim.Disturbances) string {
	if d == 0 {
		return "none (steady run)"
	}
	names := map[string]string{"late": "late suppliers", "defects": "defects", "surge": "demand surge"}
	var out []string
	for _, n := range d.Names() {
		out = append(out, names[n])
	}
	return strings.Join(out, ", ")
}

func (p *page) summary() {
	r := p.in.Primary
	ms := r.Measures
	ref := report.Summarize(r.Ledger.Books[max(r.Ref, 0)])
	p.f(`<div class="tiles">`)
	tile := func(v, label string) { p.f(`<div class="tile"><b>%s</b><span>%s</span></div>`, esc(v), esc(label)) }
	tile(fmt.Sprint(ms.ShippedOrders), "vehicles shipped")
	tile(fmt.Sprint(ms.OpenOrders), "orders open at the end")
	tile(ms.CustomerOnTime().Pct(1), "customer on-time delivery")
	tile(ms.SupplierOTIF().Pct(1), "supplier on-time in full (kanbans)")
	tile(meanMinutes(ms.LeadTime), "mean order lead time, shipped orders")
	tile(ms.MCE().Pct(0)+" / "+ms.LineMCE().Pct(0), "cycle efficiency: order / line basis")
	tile(pctMaybe(ms.RolledYield), "rolled first-pass yield")
	tile(ms.DaysOfSupply().Format(2), "days of supply")
	tile(p.m(ref.COGS), "cost of goods sold ("+ref.Name+")")
	p.f(`</div>`)
	// Stated from the figures: the books agree only when they do, and a
	// difference names the causes the cause test found in it.
	var spread, conv, ppv bf.Money
	for _, c := range r.Causes() {
		spread = max(spread, c.Drift, -c.Drift)
		conv = max(conv, c.Conversion)
		ppv = max(ppv, c.PriceVariance, -c.PriceVariance)
	}
	if spread == 0 {
		p.f(`<p class="good">Every book reports the same operating income as sequential tracking at the end of the run, to the cent.</p>`)
		return
	}
	var why []string
	if conv != 0 {
		why = append(why, "inventory was left on hand whose conversion the backflush books do not hold")
	}
	if ppv != 0 {
		why = append(why, "books without the purchase trigger never record the purchase price variance")
	}
	if len(why) == 0 {
		why = append(why, "the cause test finds no cause for it")
	}
	p.f(`<p class="bad">The books' operating income differs from sequential tracking's by up to %s %s at the end of the run: %s (see the cause test below).</p>`,
		esc(p.m(spread)), esc(p.cur), esc(strings.Join(why, "; ")))
}

// dayLabels numbers the days 1, 2, …
func dayLabels(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprint(i + 1)
	}
	return out
}

// The widths of charts: the full page, or half of it in a two-column grid.
const (
	full = 1040.0
	half = 520.0
)

func (p *page) stageSeries(r *whatif.Run) []svgchart.Series {
	ms := r.Measures
	ss := make([]svgchart.Series, len(ms.Stages))
	for s := range ms.Stages {
		ss[s].Name = ms.Stages[s].Name
		ss[s].Values = make([]float64, len(ms.Inventory))
		for d := range ms.Inventory {
			ss[s].Values[d] = p.units(ms.Inventory[d][s])
		}
	}
	return ss
}

func (p *page) stageChart(r *whatif.Run, title string, w float64, sc *svgchart.Range) string {
	ms := r.Measures
	n := len(ms.Inventory)
	ss := p.stageSeries(r)
	tips := make([]string, n)
	for d := range tips {
		var t strings.Builder
		fmt.Fprintf(&t, "Day %d (%s): %s at standard", d+1, r.Days[d].Date, p.m(ms.Total[d]))
		for s, st := range ms.Stages {
			if v := ms.Inventory[d][s]; v != 0 {
				fmt.Fprintf(&t, "\n  %s: %s", st.Name, p.m(v))
			}
		}
		fmt.Fprintf(&t, "\n  orders waiting: %d", ms.Backlog[d])
		tips[d] = t.String()
	}
	return svgchart.StackedArea(w, title, p.cur+" at standard cost, end of each day", dayLabels(n), ss, tips, sc)
}

func (p *page) inventory() {
	r := p.in.Primary
	p.f(`<h2>Inventory per stage over time</h2>`)
	p.f(`<p class="lead">What the plant held at the end of each day, valued at standard cost: purchased parts in the line-side stores, each parts process's supermarket, work in process (on the line and on the way to the next store), and vehicles waiting in the yard for a truck. Kanban caps every store at cards × container. Hover a day for its figures.</p>`)
	p.f(`%s`, p.stageChart(r, "Inventory per stage, "+r.Name+" run", full, nil))
	ms := r.Measures
	p.f(`<p class="note">Average inventory %s %s; standard cost of sales %s; %s turns a year; %s days of supply.</p>`,
		esc(p.m(ms.AverageInventory)), esc(p.cur), esc(p.m(ms.CostOfSales)), esc(ms.Turns().Format(1)), esc(ms.DaysOfSupply().Format(2)))
}

func bookLabel(c bf.BookConfig) string {
	if c.Method == bf.MethodSequential {
		return "sequential tracking"
	}
	return "backflush, triggers " + strings.Join(c.Triggers.Names(), " + ")
}

func (p *page) books() {
	r := p.in.Primary
	l := r.Ledger
	sums := make([]report.Summary, len(l.Books))
	for i, b := range l.Books {
		sums[i] = report.Summarize(b)
	}
	p.f(`<h2>The books side by side</h2>`)
	p.f(`<p class="lead">The same %d events posted into every book: sequential tracking records every stage; each backflush book records only at its trigger points and flushes costs from the standards.</p>`, l.Len())
	p.f(`<table><thead><tr><th></th>`)
	for i, s := range sums {
		p.f(`<th title="%s">%s</th>`, esc(bookLabel(l.Books[i].Config)), esc(s.Name))
	}
	p.f(`</tr></thead><tbody>`)
	row := func(label string, v func(s *report.Summary) string) {
		p.f(`<tr><td>%s</td>`, esc(label))
		for i := range sums {
			p.f(`<td>%s</td>`, esc(v(&sums[i])))
		}
		p.f(`</tr>`)
	}
	row("method", func(s *report.Summary) string {
		if len(s.Triggers) == 0 {
			return s.Method
		}
		return s.Method
	})
	row("triggers", func(s *report.Summary) string { return strings.Join(s.Triggers, " + ") })
	row("journal entries", func(s *report.Summary) string { return fmt.Sprint(s.Entries) })
	row("journal lines", func(s *report.Summary) string { return fmt.Sprint(s.Lines) })
	for _, a := range report.InventoryAccounts {
		row("inventory: "+a.String(), func(s *report.Summary) string { return p.m(s.Inventory[a]) })
	}
	row("total inventory", func(s *report.Summary) string { return p.m(s.TotalInventory) })
	row("revenue", func(s *report.Summary) string { return p.m(s.Revenue) })
	row("cost of goods sold", func(s *report.Summary) string { return p.m(s.COGS) })
	row("all expenses", func(s *report.Summary) string { return p.m(s.Expenses) })
	row("operating income", func(s *report.Summary) string { return p.m(s.OperatingIncome) })
	row("conversion under(+)/over(−) allocated", func(s *report.Summary) string { return p.m(s.ConversionVariance) })
	p.f(`</tbody></table>`)
	chart := func(title string, v func(s *report.Summary) bf.Money) string {
		bs := make([]svgchart.Bar, len(sums))
		for i := range sums {
			bs[i] = svgchart.Bar{Label: sums[i].Name, Value: p.units(v(&sums[i])), Text: p.m(v(&sums[i]))}
		}
		return svgchart.Bars(340, title, bs)
	}
	p.f(`<div class="grid3">%s%s%s</div>`,
		chart("Inventory at the end", func(s *report.Summary) bf.Money { return s.TotalInventory }),
		chart("Cost of goods sold", func(s *report.Summary) bf.Money { return s.COGS }),
		chart("Operating income", func(s *report.Summary) bf.Money { return s.OperatingIncome }))
}

func (p *page) flows() {
	l := p.in.Primary.Ledger
	p.f(`<h2>Cost flows</h2>`)
	p.f(`<p class="lead">Where each book's costs went over the run, from its journal: purchases and labour into materials and conversion, through work in process and finished goods, to cost of goods sold, scrap and variances, and what is left on hand. The backflush books skip the stages they do not track. Hover a band for its amount.</p>`)
	p.f(`<div class="grid2">`)
	for _, b := range l.Books {
		title := b.Config.Name + ": " + bookLabel(b.Config)
		flows, ok := costFlows(b)
		if !ok {
			p.f(`<div><p>%s: the flows over the run pass the range of an amount; no diagram.</p></div>`, esc(title))
			continue
		}
		p.f(`<div>%s</div>`, sankey(title, flows, p.scale, half))
	}
	p.f(`</div>`)
}

func (p *page) measures() {
	r := p.in.Primary
	ms := r.Measures
	p.f(`<h2>JIT measures</h2>`)
	warm := ""
	if ms.WarmUpDays > 0 {
		warm = fmt.Sprintf(" The first %d days (the warm-up: the first fill of the empty stores) are left out.", ms.WarmUpDays)
	}
	p.f(`<p class="lead">Non-financial measures of the %s run. Times are working minutes (a day is %d). A ratio with nothing to count is n/a.%s</p>`, esc(r.Name), p.in.Model.DayMinutes, esc(warm))
	p.f(`<table><thead><tr><th>measure</th><th>value</th><th class="t">how</th></tr></thead><tbody>`)
	row := func(k, v, how string) {
		p.f(`<tr><td>%s</td><td>%s</td><td class="t">%s</td></tr>`, esc(k), esc(v), esc(how))
	}
	row("supplier on-time in full", ms.SupplierOTIF().Pct(1), fmt.Sprintf("%d of %d supplier kanbans had every part accepted by their first due time (sent plus lead time); %d deliveries, %d of them replacements of rejected parts", ms.OTIF, ms.Kanbans, ms.Deliveries, ms.Replacements))
	row("supplier lateness", meanMinutes(ms.LateMinutes)+" late", lateClasses(ms.Lateness))
	row("rejected parts", fmt.Sprintf("%d ppm", ms.RejectedPPM()), fmt.Sprintf("%s of %s parts refused at receiving inspection", ms.Rejected, ms.Shipped))
	row("customer on-time delivery", ms.CustomerOnTime().Pct(1), fmt.Sprintf("%d of %d shipped by the promised time; %d open at the end, %d of them late; %d booked for the next period", ms.ShippedOnTime, ms.ShippedOrders, ms.OpenOrders, ms.OpenLate, ms.Deferred))
	row("order lead time", meanP95(ms.LeadTime), fmt.Sprintf("from the order to the truck, over the %d shipped orders only", ms.LeadTime.N))
	row("manufacturing cycle time", meanP95(ms.CycleTime), fmt.Sprintf("from the production instruction to the vehicle in the yard, over the %d completed orders only", ms.CycleTime.N))
	row("open orders", fmt.Sprintf("%d (%d past due)", ms.OpenOrders, ms.OpenLate), "age at the end: "+meanP95(ms.OpenAge))
	row("manufacturing cycle efficiency", ms.MCE().Pct(1)+" / "+ms.LineMCE().Pct(1), fmt.Sprintf("value-added time %d min over %d min from order to completion (order basis), and over %d min from line start to completion (line basis)", ms.ValueAdded, ms.CycleMinutes, ms.LineMinutes))
	row("defects", fmt.Sprintf("%d units", ms.Scrap), "scrapped at the end of a line and made again")
	row("rolled first-pass yield", pctMaybe(ms.RolledYield), "per vehicle of the mix: each process's first-pass yield raised to the units of it a vehicle takes, multiplied")
	row("inventory turns", ms.Turns().Format(1), "a year: standard cost of sales, annualised, over average inventory")
	row("days of supply", ms.DaysOfSupply().Format(2), "average inventory over a day's standard cost of sales")
	p.f(`</tbody></table>`)

	lead := make([]int64, 0, len(r.Sim.Orders))
	for _, o := range r.Sim.Orders {
		if o.Shipped >= 0 {
			lead = append(lead, o.Shipped-o.Arrival)
		}
	}
	p.f(`%s`, svgchart.Histogram(full, "Order lead time: orders by working minutes from order to truck", "minutes", lead))
	late := make([]svgchart.Bar, len(ms.Lateness))
	for k, n := range ms.Lateness {
		late[k] = svgchart.Bar{Label: jit.LatenessLabels[k], Value: float64(n), Text: fmt.Sprint(n)}
	}
	p.f(`%s`, svgchart.Bars(700, "Supplier deliveries by lateness against their own due time", late))

	p.f(`<div class="grid2"><div><h3>Suppliers</h3><table><thead><tr><th>supplier</th><th>kanbans</th><th>on time in full</th><th>deliveries</th><th>replacements</th><th>rejected ppm</th><th>mean late</th></tr></thead><tbody>`)
	for i := range ms.Suppliers {
		s := &ms.Suppliers[i]
		p.f(`<tr><td>%s</td><td>%d</td><td>%s</td><td>%d</td><td>%d</td><td>%d</td><td>%s</td></tr>`, esc(s.ID), s.Kanbans, s.OnTimeInFull().Pct(1), s.Deliveries, s.Replacements, s.RejectedPPM(), esc(meanMinutes(s.LateMinutes)))
	}
	p.f(`</tbody></table></div><div><h3>Processes</h3><table><thead><tr><th>process</th><th>started</th><th>good</th><th>scrap</th><th>first-pass yield</th><th>utilisation</th><th>andon pulls</th><th>stop min</th></tr></thead><tbody>`)
	for i := range ms.Processes {
		q := &ms.Processes[i]
		p.f(`<tr><td>%s</td><td>%d</td><td>%d</td><td>%d</td><td>%s</td><td>%s</td><td>%d</td><td>%d</td></tr>`, esc(q.ID), q.Started, q.Good, q.Scrap, q.FirstPassYield().Pct(1), q.Utilisation().Pct(0), q.Pulls, q.StopMinutes)
	}
	p.f(`</tbody></table></div></div>`)
	p.f(`<h3>Kanban loops</h3><table><thead><tr><th>item</th><th>cards × container</th><th>average on hand</th><th>most on hand</th><th>stock-outs</th><th>minutes short</th><th>open at the end</th></tr></thead><tbody>`)
	var bs []svgchart.Bar
	for _, lp := range ms.Loops {
		p.f(`<tr><td>%s</td><td>%d × %s</td><td>%.1f</td><td>%s</td><td>%d</td><td>%d</td><td>%d</td></tr>`, esc(lp.Item), lp.Cards, lp.Container,
			float64(lp.AvgOnHand)/float64(bf.Units(1)), lp.MaxOnHand, lp.Stockouts, lp.StockoutMinutes, lp.OpenWaits)
		bs = append(bs, svgchart.Bar{Label: lp.Item, Value: float64(lp.StockoutMinutes), Text: fmt.Sprintf("%d stock-outs, %d min", lp.Stockouts, lp.StockoutMinutes)})
	}
	p.f(`</tbody></table>`)
	p.f(`%s`, svgchart.Bars(700, "Minutes each loop could not serve a waiting process", bs))
	p.f(`<p class="note">The plant starts with empty stores and every card on the kanban post, so the first hours show stock-outs while the loops fill.</p>`)
}

func (p *page) driftSeries(r *whatif.Run) []svgchart.Series {
	n := len(r.Days)
	var ss []svgchart.Series
	// Books that drift alike overlap: dashes keep each visible.
	dashes := []string{"", "9 5", "2 4", "12 4 2 4"}
	for b, bk := range r.Ledger.Books {
		if b == r.Ref {
			continue
		}
		s := svgchart.Series{Name: bk.Config.Name, Values: make([]float64, n), Dash: dashes[len(ss)%len(dashes)]}
		for d := range r.Days {
			s.Values[d] = p.units(r.Drift(d, b))
		}
		ss = append(ss, s)
	}
	return ss
}

func (p *page) driftChart(r *whatif.Run, sc *svgchart.Range) string {
	n := len(r.Days)
	ss := p.driftSeries(r)
	tips := make([]string, n)
	for d := range tips {
		var t strings.Builder
		fmt.Fprintf(&t, "Day %d (%s): inventory %s", d+1, r.Days[d].Date, p.m(r.Days[d].Books[max(r.Ref, 0)].Inventory))
		for b, bk := range r.Ledger.Books {
			if b != r.Ref {
				fmt.Fprintf(&t, "\n  %s drifts %s", bk.Config.Name, p.m(r.Drift(d, b)))
			}
		}
		tips[d] = t.String()
	}
	return svgchart.Lines(half, "Drift, "+r.Name+" run: operating income minus sequential", p.cur+", end of each day", dayLabels(n), ss, tips, sc)
}

func (p *page) whatIf() {
	s, d := p.in.Steady, p.in.Disturbed
	if s == nil || d == nil {
		return
	}
	p.f(`<h2>What-if: the same plant, steady and disturbed</h2>`)
	p.f(`<p class="lead">Both runs use seed %d, so the customers order the same vehicles at the same minutes; the disturbed run switches on %s. The upper charts show the inventory the plant holds; the lower ones, for every backflush book, its operating income minus the sequential book's, on the same scales. The drift is the conversion (and, without the completion trigger, the conversion of vehicles waiting in the yard) that a backflush book does not inventory, which follows the inventory and vanishes when the stores are empty, plus, for a book without the purchase trigger, the purchase price variances it never records, which do not.</p>`,
		p.in.Seed, esc(disturbText(d.Disturb)))
	inv := svgchart.Range{Lo: 0, Hi: svgchart.NiceMax(math.Max(math.Max(svgchart.StackMax(p.stageSeries(s)), svgchart.StackMax(p.stageSeries(d))), 1))}
	ds, dd := svgchart.LineRange(p.driftSeries(s)), svgchart.LineRange(p.driftSeries(d))
	drift := svgchart.Range{Lo: math.Min(ds.Lo, dd.Lo), Hi: math.Max(ds.Hi, dd.Hi)}
	p.f(`<div class="grid2"><div>%s</div><div>%s</div></div>`, p.stageChart(s, "Inventory per stage, steady run", half, &inv), p.stageChart(d, "Inventory per stage, disturbed run", half, &inv))
	p.f(`<div class="grid2"><div>%s</div><div>%s</div></div>`, p.driftChart(s, &drift), p.driftChart(d, &drift))

	p.f(`<h3>At the end of each run</h3><table><thead><tr><th>book</th><th>COGS steady</th><th>minus sequential</th><th>COGS disturbed</th><th>minus sequential</th><th>largest drift, disturbed</th></tr></thead><tbody>`)
	sref, dref := report.Summarize(s.Ledger.Books[s.Ref]), report.Summarize(d.Ledger.Books[d.Ref])
	for b := range s.Ledger.Books {
		ss, ds := report.Summarize(s.Ledger.Books[b]), report.Summarize(d.Ledger.Books[b])
		peak := d.LargestDrift(b)
		p.f(`<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>`, esc(ss.Name),
			esc(p.m(ss.COGS)), esc(p.m(ss.COGS-sref.COGS)), esc(p.m(ds.COGS)), esc(p.m(ds.COGS-dref.COGS)), esc(p.m(peak)))
	}
	p.f(`</tbody></table>`)
	sEnd := s.Days[len(s.Days)-1].Books[s.Ref].Inventory
	dEnd := d.Days[len(d.Days)-1].Books[d.Ref].Inventory
	p.f(`<p>Steady run: %s of inventory at the end; disturbed run: %s (the end-of-month surge and late or rejected parts leave work on the line and parts in the stores, and %d orders open).</p>`,
		esc(p.m(sEnd)), esc(p.m(dEnd)), d.Measures.OpenOrders)

	p.differences("Why the books differ at the end of the disturbed run", d.End)
	if d.Peak >= 0 && d.Peak != len(d.Days)-1 {
		p.differences(fmt.Sprintf("… and on day %d (%s), its largest drift", d.Peak+1, d.Days[d.Peak].Date), d.PeakDiffs)
	}
	p.f(`<h3>The cause test</h3><p class="lead">Each book's operating income minus sequential tracking's at the end of each run, against its causes computed from the plant and the purchases, not from the books: the conversion at standard in stocked sub-assemblies, work in process and (without the completion trigger) the yard that the book does not hold, and the purchase price variance a book without the purchase trigger never records. What is left over is unexplained.</p>`)
	p.f(`<table><thead><tr><th>run</th><th>book</th><th>drift</th><th>conversion not held</th><th>price variance never recorded</th><th>left over</th><th>test</th></tr></thead><tbody>`)
	for _, r := range []*whatif.Run{s, d} {
		for _, c := range r.Causes() {
			mark := `<span class="good">explained</span>`
			switch {
			case !c.Tested:
				mark = `not tested`
			case !c.Explained():
				mark = `<span class="bad">not explained</span>`
			}
			p.f(`<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>`, esc(r.Name), esc(c.Book),
				esc(p.m(c.Drift)), esc(p.m(c.Conversion)), esc(p.m(c.PriceVariance)), esc(p.m(c.Residue)), mark)
		}
	}
	p.f(`</tbody></table>`)
	p.f(`<p class="note">Closing the conversion variance to cost of goods sold turns the unheld conversion into a COGS difference at the period end.</p>`)
}

func (p *page) differences(title string, ds []report.Difference) {
	if len(ds) == 0 {
		return
	}
	p.f(`<h3>%s</h3><table><thead><tr><th>book (minus %s)</th><th>materials + WIP</th><th>finished goods</th><th>payable</th><th>COGS</th><th>other expenses</th><th>operating income</th></tr></thead><tbody>`,
		esc(title), esc(ds[0].Reference))
	for _, x := range ds {
		p.f(`<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>`, esc(x.Book),
			esc(p.m(x.MaterialsAndWIP)), esc(p.m(x.FinishedGoods)), esc(p.m(x.Payable)), esc(p.m(x.COGS)), esc(p.m(x.OtherExpenses)), esc(p.m(x.OperatingIncome)))
	}
	p.f(`</tbody></table>`)
	for _, x := range ds {
		if len(x.Reasons) == 0 {
			continue
		}
		p.f(`<div><b>%s</b><ul class="reasons">`, esc(x.Book))
		for _, r := range x.Reasons {
			p.f(`<li>%s</li>`, esc(r))
		}
		p.f(`</ul></div>`)
	}
}

func (p *page) foot() {
	p.f(`<footer>Made by Backflush`)
	if p.in.Command != "" {
		p.f(` with <code>%s</code>`, esc(p.in.Command))
	}
	p.f(`. The simulation is deterministic for a seed; amounts are exact fixed-point; charts are drawn from the same figures. Measures and formulas: docs/jit.md.</footer></main>`)
	// The only script: it marks the page with the number of charts drawn,
	// which the browser test reads. The report reads the same without it.
	p.f(`<script>document.body.setAttribute("data-charts",String(document.querySelectorAll("svg.chart").length))</script>`)
	p.f(`</body></html>`)
}

// meanMinutes shows a mean duration, or n/a when there is none.
func meanMinutes(d jit.Durations) string {
	if d.N == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%d min", d.Mean)
}

// meanP95 shows a duration summary, or n/a when there is none.
func meanP95(d jit.Durations) string {
	if d.N == 0 {
		return "n/a"
	}
	return fmt.Sprintf("mean %d, p95 %d min", d.Mean, d.P95)
}

func pctMaybe(f jit.Maybe) string {
	if !f.OK {
		return "n/a"
	}
	return fmt.Sprintf("%.1f%%", 100*f.V)
}

// lateClasses lists the supplier lateness classes with their counts.
func lateClasses(n []int) string {
	var parts []string
	for k, c := range n {
		parts = append(parts, fmt.Sprintf("%s: %d", jit.LatenessLabels[k], c))
	}
	return "deliveries by their own due time — " + strings.Join(parts, "; ")
}

// plan shows the takt time against each process, the line balance, and
// each kanban loop's cards against the kanban formula.
func (p *page) plan() {
	m := p.in.Model
	t := jit.TaktOf(m)
	o := p.in.Sizing
	p.f(`<h2>Takt, line balance and supermarket sizing</h2>`)
	takt := "n/a (no demand)"
	if t.OK {
		takt = fmt.Sprintf("%.1f min a vehicle", t.Minutes)
	}
	p.f(`<p class="lead">Takt time %s (available minutes a day over vehicles ordered a day, steady demand); line balance %.1f%% (the processes' work per vehicle over as many times the bottleneck's), bottleneck %s.</p>`,
		esc(takt), 100*t.Balance, esc(t.Bottleneck))
	p.f(`<table><thead><tr><th>process</th><th>cycle min</th><th>units a vehicle</th><th>its takt min</th><th>load</th><th>work min a vehicle</th></tr></thead><tbody>`)
	for _, q := range t.Processes {
		tk, load := "n/a", "n/a"
		if q.TaktMinutes > 0 {
			tk, load = fmt.Sprintf("%.1f", q.TaktMinutes), fmt.Sprintf("%.0f%%", 100*q.Load)
			if q.Load > 1 {
				load = `<span class="bad">` + load + `</span>`
			}
		}
		p.f(`<tr><td>%s</td><td>%d</td><td>%.2f</td><td>%s</td><td>%s</td><td>%.1f</td></tr>`, esc(q.ID), q.CycleMinutes, q.PerVehicle, tk, load, q.WorkMinutes)
	}
	p.f(`</tbody></table>`)
	p.f(`<p>Kanban cards by N = ⌈D·(L + S)·(1 + α)/C⌉: D the loop's demand a minute, L its lead time (the supplier's, or the time to make a container), S = %d min, α = %d%%, C the container; at least the fewest cards validation accepts. <code>backflush demo --suggest-kanban</code> writes the plant with the suggested cards.</p>`, o.SafetyMinutes, o.SafetyPct)
	p.f(`<table><thead><tr><th>loop</th><th>container</th><th>D a day</th><th>L min</th><th>formula</th><th>fewest valid</th><th>suggested</th><th>cards</th><th></th></tr></thead><tbody>`)
	for _, l := range jit.Sizing(m, o) {
		p.f(`<tr><td>%s</td><td>%s</td><td>%.1f</td><td>%d</td><td>%d</td><td>%d</td><td>%d</td><td>%d</td><td class="t">%s</td></tr>`,
			esc(l.Item), l.Container, l.DemandPerDay, l.LeadMinutes, l.Formula, l.MinValid, l.Suggested, l.Cards, esc(l.Flag))
	}
	p.f(`</tbody></table>`)
}

// proposal shows the disturbed run beside the same run as proposed, each
// with its books' drift.
func (p *page) proposal() {
	d, q := p.in.Disturbed, p.in.Proposed
	if d == nil || q == nil {
		return
	}
	dm, qm := d.Measures, q.Measures
	p.f(`<h2>What-if: the disturbed run as proposed</h2><p class="lead">The disturbed run beside the same seed and disturbances with %s.</p>`, esc(p.in.Proposal))
	p.f(`<table><thead><tr><th></th><th>disturbed</th><th>proposed</th></tr></thead><tbody>`)
	row := func(k, a, b string) { p.f(`<tr><td>%s</td><td>%s</td><td>%s</td></tr>`, esc(k), esc(a), esc(b)) }
	stock := func(m *jit.Measures) string {
		n, minutes := 0, int64(0)
		for _, l := range m.Loops {
			n += l.Stockouts
			minutes += l.StockoutMinutes
		}
		return fmt.Sprintf("%d (%d min)", n, minutes)
	}
	row("orders shipped", fmt.Sprint(dm.ShippedOrders), fmt.Sprint(qm.ShippedOrders))
	row("customer on-time delivery", dm.CustomerOnTime().Pct(1), qm.CustomerOnTime().Pct(1))
	row("open orders at the end", fmt.Sprint(dm.OpenOrders), fmt.Sprint(qm.OpenOrders))
	row("stock-outs", stock(dm), stock(qm))
	row("average inventory", p.m(dm.AverageInventory), p.m(qm.AverageInventory))
	for b, bk := range d.Ledger.Books {
		if b != d.Ref {
			row("largest drift, "+bk.Config.Name, p.m(d.LargestDrift(b)), p.m(q.LargestDrift(b)))
		}
	}
	p.f(`</tbody></table>`)
	ds, dq := svgchart.LineRange(p.driftSeries(d)), svgchart.LineRange(p.driftSeries(q))
	drift := svgchart.Range{Lo: math.Min(ds.Lo, dq.Lo), Hi: math.Max(ds.Hi, dq.Hi)}
	p.f(`<div class="grid2"><div>%s</div><div>%s</div></div>`, p.driftChart(d, &drift), p.driftChart(q, &drift))
}
