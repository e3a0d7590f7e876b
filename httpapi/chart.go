package httpapi

import (
	"slices"
	"strconv"

	bf "github.com/backflush/backflush"
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

// chartScale is the scale every inventory chart of a page shares, so
// that books compare at a glance: the days from the first to the last of
// any book, and amounts from lo to hi in minor units, both multiples of
// step, a round 1, 2 or 5 times a power of ten.
type chartScale struct {
	d0, d1       bf.Date
	lo, hi, step int64
}

// sharedScale is the scale of a set of series; ok is false when none has
// a day.
func sharedScale(series []report.InventorySeries) (sc chartScale, ok bool) {
	lo, hi := int64(0), int64(0)
	for _, sr := range series {
		if len(sr.Dates) == 0 {
			continue
		}
		if !ok || sr.Dates[0] < sc.d0 {
			sc.d0 = sr.Dates[0]
		}
		if !ok || sr.Dates[len(sr.Dates)-1] > sc.d1 {
			sc.d1 = sr.Dates[len(sr.Dates)-1]
		}
		ok = true
		for _, v := range sr.Values {
			for _, x := range v {
				lo, hi = min(lo, int64(x)), max(hi, int64(x))
			}
		}
	}
	sc.lo, sc.hi, sc.step = niceRange(lo, hi, 4)
	return sc, ok
}

// niceRange widens [lo, hi] to multiples of a round step — 1, 2 or 5
// times a power of ten — such that about n steps span it; a range of zero
// width becomes one step above it. Amounts are in minor units, so a step
// is never below one cent (one minor unit).
func niceRange(lo, hi int64, n int64) (nlo, nhi, step int64) {
	span := hi - lo
	if span <= 0 {
		span = 1
	}
	raw := (span + n - 1) / n
	step = 1
	for step < raw {
		if 2*step >= raw {
			step *= 2
			break
		}
		if 5*step >= raw {
			step *= 5
			break
		}
		step *= 10
	}
	nlo = floorTo(lo, step)
	nhi = -floorTo(-hi, step)
	if nhi == nlo {
		nhi = nlo + step
	}
	return nlo, nhi, step
}

// floorTo rounds v down to a multiple of step.
func floorTo(v, step int64) int64 {
	q := v / step
	if v%step != 0 && v < 0 {
		q--
	}
	return q * step
}

// tickLabel shows a tick's amount, without the decimals when the step is
// whole currency units (500,000 rather than 500,000.00).
func tickLabel(m, step int64, scale int) string {
	unit := int64(1)
	for range scale {
		unit *= 10
	}
	if step%unit == 0 {
		return group(strconv.FormatInt(m/unit, 10))
	}
	return money(bf.Money(m), scale)
}

// inventoryChart lays out a book's inventory over time on the shared
// scale sc, and lists the latest balance of each account. At most
// maxPoints days are drawn: the first and the last, and days evenly
// between.
func inventoryChart(inv *report.InventorySeries, chart *bf.Chart, scale int, sc chartScale) (*svgChart, []field) {
	dates, accts, vals := inv.Dates, inv.Accounts, inv.Values
	if len(dates) > maxPoints {
		pd, pv := make([]bf.Date, maxPoints), make([][]bf.Money, maxPoints)
		for j := range pd {
			k := j * (len(dates) - 1) / (maxPoints - 1)
			pd[j], pv[j] = dates[k], vals[k]
		}
		dates, vals = pd, pv
	}
	var latest []field
	names := make([]string, 0, len(accts)+1)
	for _, a := range accts {
		names = append(names, accountLabel(chart, a))
	}
	names = append(names, "Total inventory")
	if len(dates) == 0 {
		return nil, nil
	}
	plot := &svgchart.IntFrame{Left: chartLeft, Top: chartTop, W: chartW, H: chartH,
		XMin: int64(sc.d0), XMax: int64(sc.d1), YMin: sc.lo, YMax: sc.hi}
	c := &svgChart{Width: chartLeft + chartW + chartLegend, Height: chartTop + chartH + 34,
		PlotLeft: plot.Left, PlotRight: plot.Right(), PlotBottom: plot.Bottom(), DateY: plot.Bottom() + 20,
		Label: "Inventory of book " + inv.Book + " by account over time"}
	for m := sc.lo; m <= sc.hi; m += sc.step {
		c.Grid = append(c.Grid, svgTick{X: chartLeft - 6, Y: plot.Y(m), Label: tickLabel(m, sc.step, scale)})
	}
	if sc.lo < 0 {
		c.Zero = &svgTick{Y: plot.Y(0)}
	}
	for _, d := range slices.Compact([]bf.Date{sc.d0, sc.d0 + (sc.d1-sc.d0)/2, sc.d1}) {
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
			f.Href = accountHref(inv.Book, accts[j])
		}
		latest = append(latest, f)
	}
	return c, latest
}
