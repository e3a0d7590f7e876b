package httpapi

import (
	"slices"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/internal/svgchart"
	"github.com/backflush/backflush/report"
)

// svgChart is a line chart laid out in pixels by the server: the template
// only copies coordinates into SVG elements, and escapes the text in its
// context. Coordinates are worked out in integers straight from the
// amounts (svgchart.IntFrame, 128-bit intermediates), so no amount ever
// passes through a float.
type svgChart struct {
	Width, Height int
	Label         string // what the chart shows, for screen readers
	Series        []svgSeries
	Grid          []svgTick // horizontal grid lines with their amount
	Dates         []svgTick // date labels under the plot
	Zero          *svgTick  // the zero line when amounts go negative
	PlotLeft      int
	PlotRight     int
	PlotBottom    int
	DateY         int
}

type svgSeries struct {
	Name, Color, Points string
	Width               int // stroke width
	KeyX, KeyY          int // legend swatch
}

type svgTick struct {
	X, Y  int
	Label string
}

// Chart geometry, in SVG user units.
const (
	chartLeft   = 96
	chartTop    = 14
	chartW      = 560
	chartH      = 200
	chartLegend = 210
	maxPoints   = 240
)

// palette colours the series; the total is drawn darker and thicker.
var palette = svgchart.Palette{"#2563eb", "#d97706", "#059669", "#9333ea", "#dc2626", "#0891b2"}

// inventorySeries returns a book's inventory accounts' balances at the end
// of each day that has events (after the day's last event in posting
// order), and the accounts, the last series being the total.
func inventorySeries(l *costing.Ledger, b *costing.Book) (dates []bf.Date, accts []bf.Account, vals [][]bf.Money) {
	used := report.Used(&b.Journal)
	for _, a := range report.InventoryAccounts {
		if used[a] {
			accts = append(accts, a)
		}
	}
	jn, n := &b.Journal, l.Len()
	var bal [bf.NumAccounts]bf.Money
	byDate := map[bf.Date][]bf.Money{}
	k := 0
	for i, ev := range l.Events() {
		for k < jn.Len() && jn.Entry(k).Event <= int32(i) {
			for _, ln := range jn.LinesOf(jn.Entry(k)) {
				bal[ln.Account] += ln.Amount // the balances as posted, each within bf.MaxBalance
			}
			k++
		}
		if i == n-1 || l.Event(int32(i+1)).Date != ev.Date {
			snap := make([]bf.Money, len(accts)+1)
			for j, a := range accts {
				snap[j] = bal[a]
				snap[len(accts)] += bal[a] // five inventory accounts: within 5×bf.MaxBalance
			}
			byDate[ev.Date] = snap
		}
	}
	for d := range byDate {
		dates = append(dates, d)
	}
	slices.Sort(dates)
	if len(dates) > maxPoints { // keep the first and last day, evenly between
		picked := make([]bf.Date, maxPoints)
		for j := range picked {
			picked[j] = dates[j*(len(dates)-1)/(maxPoints-1)]
		}
		dates = picked
	}
	for _, d := range dates {
		vals = append(vals, byDate[d])
	}
	return dates, accts, vals
}

// inventoryChart lays out a book's inventory over time, and lists the
// latest balance of each account.
func inventoryChart(l *costing.Ledger, b *costing.Book, chart *bf.Chart) (*svgChart, []field) {
	scale := l.Std.Scale
	dates, accts, vals := inventorySeries(l, b)
	var latest []field
	names := make([]string, 0, len(accts)+1)
	for _, a := range accts {
		names = append(names, accountLabel(chart, a))
	}
	names = append(names, "Total inventory")
	if len(dates) == 0 {
		return nil, nil
	}
	lo, hi := bf.Money(0), bf.Money(0)
	for _, v := range vals {
		for _, x := range v {
			lo, hi = min(lo, x), max(hi, x)
		}
	}
	flat := lo == hi // every balance zero: one grid line, the series on it
	if flat {
		hi = lo + 1
	}
	d0, d1 := dates[0], dates[len(dates)-1]
	plot := &svgchart.IntFrame{Left: chartLeft, Top: chartTop, W: chartW, H: chartH,
		XMin: int64(d0), XMax: int64(d1), YMin: int64(lo), YMax: int64(hi)}
	c := &svgChart{Width: chartLeft + chartW + chartLegend, Height: chartTop + chartH + 34,
		PlotLeft: plot.Left, PlotRight: plot.Right(), PlotBottom: plot.Bottom(), DateY: plot.Bottom() + 20,
		Label: "Inventory of book " + b.Config.Name + " by account over time"}
	ticks := plot.YTicks(4)
	if flat {
		ticks = ticks[:1]
	}
	for _, m := range ticks {
		c.Grid = append(c.Grid, svgTick{X: chartLeft - 6, Y: plot.Y(m), Label: money(bf.Money(m), scale)})
	}
	if lo < 0 {
		c.Zero = &svgTick{Y: plot.Y(0)}
	}
	for _, d := range slices.Compact([]bf.Date{d0, dates[len(dates)/2], d1}) {
		c.Dates = append(c.Dates, svgTick{X: plot.X(int64(d)), Y: c.DateY, Label: d.String()})
	}
	for j, name := range names {
		var pts svgchart.Points
		for k, d := range dates {
			pts.AddInt(plot.X(int64(d)), plot.Y(int64(vals[k][j])))
		}
		sr := svgSeries{Name: name, Points: pts.String(), Width: 2, KeyX: plot.Right() + 16, KeyY: chartTop + 18*j}
		if j == len(names)-1 {
			sr.Color, sr.Width = "#111827", 3
		} else {
			sr.Color = palette.Colour(j)
		}
		c.Series = append(c.Series, sr)
		last := vals[len(vals)-1][j]
		f := field{Label: name, Value: money(last, scale)}
		if j < len(accts) {
			f.Href = accountHref(b.Config.Name, accts[j])
		}
		latest = append(latest, f)
	}
	return c, latest
}
