package svgchart

import (
	"fmt"
	"math"
	"strings"
)

// XY is a point of a series on logarithmic axes.
type XY struct{ X, Y float64 }

// LogSeries is a named series of a LogPanel, drawn in its colour.
type LogSeries struct {
	Name   string
	Color  string
	Points []XY
}

// LogPanel is a chart on logarithmic axes (whole decades around the data):
// series as lines with a marker and a tooltip per point, and horizontal
// reference lines such as targets. The benchmark's scaling chart is four.
type LogPanel struct {
	Title, XLabel, YLabel string
	Series                []LogSeries
	Refs                  []Ref                // horizontal reference lines (targets)
	Label                 func(float64) string // a value in a tooltip
}

// Ref is a horizontal line at a value, in a series' colour.
type Ref struct {
	Y     float64
	Color string
}

// Draw renders the panel in the box of size w×h at (x0, y0).
func (p LogPanel) Draw(b *strings.Builder, x0, y0, w, h float64) {
	fmt.Fprintf(b, `<rect x="%.0f" y="%.0f" width="%.0f" height="%.0f" fill="none" stroke="#ccc"/>`+"\n", x0, y0, w, h)
	fmt.Fprintf(b, `<text x="%.0f" y="%.0f" text-anchor="middle" font-weight="bold">%s</text>`+"\n", x0+w/2, y0+18, Esc(p.Title))
	xmin, xmax, ymin, ymax := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, r := range p.Refs {
		ymin, ymax = math.Min(ymin, r.Y), math.Max(ymax, r.Y)
	}
	for _, s := range p.Series {
		for _, pt := range s.Points {
			if pt.X > 0 && pt.Y > 0 {
				xmin, xmax = math.Min(xmin, pt.X), math.Max(xmax, pt.X)
				ymin, ymax = math.Min(ymin, pt.Y), math.Max(ymax, pt.Y)
			}
		}
	}
	if math.IsInf(xmin, 0) || math.IsInf(ymin, 0) {
		fmt.Fprintf(b, `<text x="%.0f" y="%.0f" text-anchor="middle" fill="#888">not measured</text>`+"\n", x0+w/2, y0+h/2)
		return
	}
	// Whole decades around the data.
	lx0, lx1 := math.Floor(math.Log10(xmin)), math.Ceil(math.Log10(xmax))
	ly0, ly1 := math.Floor(math.Log10(ymin)), math.Ceil(math.Log10(ymax))
	if lx1 == lx0 {
		lx1++
	}
	if ly1 == ly0 {
		ly1++
	}
	left, right, top, bottom := x0+62, x0+w-15, y0+32, y0+h-48
	px := func(x float64) float64 { return left + (math.Log10(x)-lx0)/(lx1-lx0)*(right-left) }
	py := func(y float64) float64 { return bottom - (math.Log10(y)-ly0)/(ly1-ly0)*(bottom-top) }
	for d := lx0; d <= lx1; d++ {
		x := px(math.Pow(10, d))
		fmt.Fprintf(b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#eee"/>`+"\n", x, top, x, bottom)
		fmt.Fprintf(b, `<text x="%.1f" y="%.1f" text-anchor="middle">%s</text>`+"\n", x, bottom+15, DecadeLabel(math.Pow(10, d)))
	}
	for d := ly0; d <= ly1; d++ {
		y := py(math.Pow(10, d))
		fmt.Fprintf(b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#eee"/>`+"\n", left, y, right, y)
		fmt.Fprintf(b, `<text x="%.1f" y="%.1f" text-anchor="end">%s</text>`+"\n", left-5, y+4, DecadeLabel(math.Pow(10, d)))
	}
	fmt.Fprintf(b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#333"/>`+"\n", left, bottom, right, bottom)
	fmt.Fprintf(b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#333"/>`+"\n", left, top, left, bottom)
	fmt.Fprintf(b, `<text x="%.1f" y="%.1f" text-anchor="middle">%s (log)</text>`+"\n", (left+right)/2, bottom+34, Esc(p.XLabel))
	fmt.Fprintf(b, `<text x="%.1f" y="%.1f" text-anchor="middle" transform="rotate(-90 %.1f %.1f)">%s (log)</text>`+"\n",
		x0+14, (top+bottom)/2, x0+14, (top+bottom)/2, Esc(p.YLabel))
	for _, r := range p.Refs {
		fmt.Fprintf(b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-dasharray="6 4" opacity="0.6"/>`+"\n", left, py(r.Y), right, py(r.Y), r.Color)
	}
	for k, s := range p.Series {
		var pts []string
		for _, pt := range s.Points {
			if pt.X > 0 && pt.Y > 0 {
				pts = append(pts, fmt.Sprintf("%.1f,%.1f", px(pt.X), py(pt.Y)))
			}
		}
		if len(pts) == 0 {
			continue
		}
		fmt.Fprintf(b, `<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>`+"\n", s.Color, strings.Join(pts, " "))
		for _, pt := range s.Points {
			if pt.X > 0 && pt.Y > 0 {
				fmt.Fprintf(b, `<circle cx="%.1f" cy="%.1f" r="3.5" fill="%s"><title>%s: %s at %s</title></circle>`+"\n",
					px(pt.X), py(pt.Y), s.Color, Esc(s.Name), p.Label(pt.Y), p.Label(pt.X))
			}
		}
		ly := top + 8 + float64(k)*16
		fmt.Fprintf(b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="2"/>`+"\n", right-200, ly, right-180, ly, s.Color)
		fmt.Fprintf(b, `<text x="%.1f" y="%.1f">%s</text>`+"\n", right-175, ly+4, Esc(s.Name))
	}
}

// DecadeLabel labels a power of ten: 1, 10, 100, 1k, 10k, … 1G.
func DecadeLabel(v float64) string {
	for _, u := range []struct {
		div  float64
		unit string
	}{{1e9, "G"}, {1e6, "M"}, {1e3, "k"}} {
		if v >= u.div {
			return fmt.Sprintf("%g%s", v/u.div, u.unit)
		}
	}
	return fmt.Sprintf("%g", v)
}
