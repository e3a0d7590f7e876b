package httpapi

import (
	"slices"
	"strconv"
	"strings"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/report"
)

// svgChart is a line chart laid out in pixels by the server: the template
// only copies coordinates into SVG elements. Coordinates are worked out in
// integers (bf.MulDiv, 128-bit intermediate) straight from the amounts, so
// no amount ever passes through a float.
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
var palette = []string{"#2563eb", "#d97706", "#059669", "#9333ea", "#dc2626", "#0891b2"}

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
				bal[ln.Account] += ln.Amount
			}
			k++
		}
		if i == n-1 || l.Event(int32(i+1)).Date != ev.Date {
			snap := make([]bf.Money, len(accts)+1)
			for j, a := range accts {
				snap[j] = bal[a]
				snap[len(accts)] += bal[a]
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

// scaleTo maps v in [lo, hi] to [0, span] pixels.
func scaleTo(v, lo, hi int64, span int) int {
	if hi == lo {
		return span / 2
	}
	p, ok := bf.MulDiv(v-lo, int64(span), hi-lo)
	if !ok {
		return 0
	}
	return int(p)
}

// inventoryChart lays out a book's inventory over time, and lists the
// latest balance of each account.
func inventoryChart(l *costing.Ledger, b *costing.Book, chart *bf.Chart) (*svgChart, []field) {
	scale := l.Std.Scale
	dates, accts, vals := inventorySeries(l, b)
	c := &svgChart{Width: chartLeft + chartW + chartLegend, Height: chartTop + chartH + 34,
		PlotLeft: chartLeft, PlotRight: chartLeft + chartW, PlotBottom: chartTop + chartH, DateY: chartTop + chartH + 20,
		Label: "Inventory of book " + b.Config.Name + " by account over time"}
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
	y := func(v bf.Money) int { return chartTop + chartH - scaleTo(int64(v), int64(lo), int64(hi), chartH) }
	d0, d1 := dates[0], dates[len(dates)-1]
	x := func(d bf.Date) int { return chartLeft + scaleTo(int64(d), int64(d0), int64(d1), chartW) }
	for t := 0; t <= 4 && !(flat && t > 0); t++ {
		v, _ := bf.MulDiv(int64(hi-lo), int64(t), 4)
		m := lo + bf.Money(v)
		c.Grid = append(c.Grid, svgTick{X: chartLeft - 6, Y: y(m), Label: money(m, scale)})
	}
	if lo < 0 {
		c.Zero = &svgTick{Y: y(0)}
	}
	for _, d := range slices.Compact([]bf.Date{d0, dates[len(dates)/2], d1}) {
		c.Dates = append(c.Dates, svgTick{X: x(d), Y: c.DateY, Label: d.String()})
	}
	for j, name := range names {
		var pts strings.Builder
		for k, d := range dates {
			if k > 0 {
				pts.WriteByte(' ')
			}
			pts.WriteString(strconv.Itoa(x(d)))
			pts.WriteByte(',')
			pts.WriteString(strconv.Itoa(y(vals[k][j])))
		}
		sr := svgSeries{Name: name, Points: pts.String(), Width: 2, KeyX: chartLeft + chartW + 16, KeyY: chartTop + 18*j}
		if j == len(names)-1 {
			sr.Color, sr.Width = "#111827", 3
		} else {
			sr.Color = palette[j%len(palette)]
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
