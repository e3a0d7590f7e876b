package svgchart

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Series is one named line or band of a chart.
type Series struct {
	Name   string
	Values []float64
	Dash   string // stroke-dasharray for lines, "" for solid
}

// frame is the plotting area of a chart and its scales.
type frame struct {
	w, h                     float64
	left, right, top, bottom float64
	xmin, xmax, ymin, ymax   float64
}

func (f *frame) x(v float64) float64 {
	if f.xmax == f.xmin {
		return f.left
	}
	return f.left + (v-f.xmin)/(f.xmax-f.xmin)*(f.w-f.left-f.right)
}

func (f *frame) y(v float64) float64 {
	if f.ymax == f.ymin {
		return f.h - f.bottom
	}
	return f.h - f.bottom - (v-f.ymin)/(f.ymax-f.ymin)*(f.h-f.top-f.bottom)
}

// niceTicks returns about n round tick values covering [lo, hi].
func niceTicks(lo, hi float64, n int) []float64 {
	if hi <= lo {
		hi = lo + 1
	}
	raw := (hi - lo) / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	var out []float64
	for v := math.Floor(lo/step) * step; v <= hi+step/2; v += step {
		out = append(out, v)
	}
	return out
}

// axes draws the y grid with labels and the x labels (day numbers).
func axes(b *strings.Builder, f *frame, xlabels []string) {
	for _, t := range niceTicks(f.ymin, f.ymax, 5) {
		if t < f.ymin-1e-9 || t > f.ymax+1e-9 {
			continue
		}
		y := f.y(t)
		fmt.Fprintf(b, `<line x1="%s" x2="%s" y1="%s" y2="%s" class="grid"/>`, F1(f.left), F1(f.w-f.right), F1(y), F1(y))
		fmt.Fprintf(b, `<text x="%s" y="%s" class="ylab">%s</text>`, F1(f.left-6), F1(y+4), Esc(Short(t)))
	}
	n := len(xlabels)
	every := max(1, (n+11)/12)
	for i, l := range xlabels {
		if i%every != 0 && i != n-1 {
			continue
		}
		fmt.Fprintf(b, `<text x="%s" y="%s" class="xlab">%s</text>`, F1(f.x(float64(i))), F1(f.h-f.bottom+16), Esc(l))
	}
	fmt.Fprintf(b, `<line x1="%s" x2="%s" y1="%s" y2="%s" class="axis"/>`, F1(f.left), F1(f.w-f.right), F1(f.y(math.Max(f.ymin, math.Min(0, f.ymax)))), F1(f.y(math.Max(f.ymin, math.Min(0, f.ymax)))))
}

// legendPos lays the series names out in rows under the plot, returning
// each name's position relative to the legend's top left and the legend's
// height. Text width is estimated: 6.2 pixels a character at 11px.
func legendPos(names []string, width float64) (xs, ys []float64, h float64) {
	x, y := 0.0, 0.0
	for _, n := range names {
		wn := 26 + 6.2*float64(len([]rune(n)))
		if x > 0 && x+wn > width {
			x, y = 0, y+15
		}
		xs, ys = append(xs, x), append(ys, y)
		x += wn
	}
	return xs, ys, y + 15
}

// legend draws the series names under the chart.
func legend(b *strings.Builder, f *frame, names []string, dashes []string) {
	xs, ys, _ := legendPos(names, f.w-f.left-f.right)
	top := f.h - f.bottom + 28
	for i, n := range names {
		x, y := f.left+xs[i], top+ys[i]
		if dashes != nil {
			dash := ""
			if dashes[i] != "" {
				dash = ` stroke-dasharray="` + dashes[i] + `"`
			}
			fmt.Fprintf(b, `<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="%s" stroke-width="3"%s/>`, F1(x), F1(x+18), F1(y+6), F1(y+6), OkabeIto.Colour(i), dash)
		} else {
			fmt.Fprintf(b, `<rect x="%s" y="%s" width="12" height="10" fill="%s"/>`, F1(x), F1(y+1), OkabeIto.Colour(i))
		}
		fmt.Fprintf(b, `<text x="%s" y="%s" class="leg">%s</text>`, F1(x+22), F1(y+10), Esc(n))
	}
}

// layout sizes a chart of width w with a plot height ph and a legend of
// the given names, and titles it.
func layout(w, ph float64, names []string) *frame {
	f := &frame{w: w, left: 60, right: 18, top: 34}
	_, _, lh := legendPos(names, w-f.left-f.right)
	f.bottom = 34 + lh
	f.h = f.top + ph + f.bottom
	return f
}

// heading writes a chart's visible title and unit.
func heading(b *strings.Builder, f *frame, title, unit string) {
	fmt.Fprintf(b, `<text x="4" y="14" class="ctitle">%s</text>`, Esc(title))
	if unit != "" {
		fmt.Fprintf(b, `<text x="%s" y="28" class="unit">%s</text>`, F1(f.left), Esc(unit))
	}
}

// Range is a y range a caller can share between charts so that they
// compare at a glance.
type Range struct{ Lo, Hi float64 }

// downsample keeps at most max points of a day series (always the last).
func downsample(n, max int) []int {
	var idx []int
	step := (n + max - 1) / max
	if step < 1 {
		step = 1
	}
	for i := 0; i < n; i += step {
		idx = append(idx, i)
	}
	if len(idx) == 0 || idx[len(idx)-1] != n-1 {
		idx = append(idx, n-1)
	}
	return idx
}

// StackMax is the highest stack of the series.
func StackMax(ss []Series) float64 {
	var top []float64
	for _, s := range ss {
		for i, v := range s.Values {
			if i >= len(top) {
				top = append(top, 0)
			}
			top[i] += v
		}
	}
	m := 0.0
	for _, v := range top {
		m = math.Max(m, v)
	}
	return m
}

// StackedArea draws series stacked over days, with a tooltip per day; sc,
// when not nil, fixes the y range.
func StackedArea(w float64, title, unit string, xlabels []string, ss []Series, tips []string, sc *Range) string {
	var b strings.Builder
	names := make([]string, len(ss))
	for i, s := range ss {
		names[i] = s.Name
	}
	f := layout(w, 200, names)
	n := len(xlabels)
	f.xmin, f.xmax = 0, float64(max(n-1, 1))
	f.ymin, f.ymax = 0, NiceMax(math.Max(StackMax(ss), 1))
	if sc != nil {
		f.ymin, f.ymax = sc.Lo, sc.Hi
	}
	Open(&b, f.w, f.h, title)
	heading(&b, f, title, unit)
	axes(&b, f, xlabels)
	idx := downsample(n, 730)
	base := make([]float64, n)
	for si, s := range ss {
		var pts Points // along the top of the band, then back along its bottom
		for _, i := range idx {
			pts.Add(f.x(float64(i)), f.y(base[i]+s.Values[i]))
		}
		for k := len(idx) - 1; k >= 0; k-- {
			i := idx[k]
			pts.Add(f.x(float64(i)), f.y(base[i]))
		}
		fmt.Fprintf(&b, `<polygon points="%s" fill="%s" fill-opacity="0.85" stroke="%s" stroke-width="0.5"><title>%s</title></polygon>`,
			pts.String(), OkabeIto.Colour(si), OkabeIto.Colour(si), Esc(s.Name))
		for i := range base {
			base[i] += s.Values[i]
		}
	}
	hover(&b, f, idx, tips)
	legend(&b, f, names, nil)
	b.WriteString(`</svg>`)
	return b.String()
}

// hover adds an invisible column per day whose tooltip lists the day's figures.
func hover(b *strings.Builder, f *frame, idx []int, tips []string) {
	if len(tips) == 0 || len(idx) < 2 {
		return
	}
	wcol := (f.w - f.left - f.right) / float64(len(idx)-1)
	for _, i := range idx {
		fmt.Fprintf(b, `<rect x="%s" y="%s" width="%s" height="%s" class="hit"><title>%s</title></rect>`,
			F1(f.x(float64(i))-wcol/2), F1(f.top), F1(wcol), F1(f.h-f.top-f.bottom), Esc(tips[i]))
	}
}

// LineRange is the y range of line series, zero included, rounded out.
func LineRange(ss []Series) Range {
	lo, hi := 0.0, 0.0
	for _, s := range ss {
		for _, v := range s.Values {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if lo == hi {
		return Range{-1, 1}
	}
	return Range{-NiceMax(-lo), NiceMax(hi)}
}

// Lines draws series as lines over days; sc, when not nil, fixes the y range.
func Lines(w float64, title, unit string, xlabels []string, ss []Series, tips []string, sc *Range) string {
	var b strings.Builder
	names := make([]string, len(ss))
	dashes := make([]string, len(ss))
	for i, s := range ss {
		names[i], dashes[i] = s.Name, s.Dash
	}
	f := layout(w, 180, names)
	n := len(xlabels)
	f.xmin, f.xmax = 0, float64(max(n-1, 1))
	r := LineRange(ss)
	if sc != nil {
		r = *sc
	}
	f.ymin, f.ymax = r.Lo, r.Hi
	Open(&b, f.w, f.h, title)
	heading(&b, f, title, unit)
	axes(&b, f, xlabels)
	idx := downsample(n, 730)
	for si, s := range ss {
		var pts Points
		for _, i := range idx {
			pts.Add(f.x(float64(i)), f.y(s.Values[i]))
		}
		dash := ""
		if s.Dash != "" {
			dash = ` stroke-dasharray="` + s.Dash + `"`
		}
		fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2.2"%s><title>%s</title></polyline>`,
			pts.String(), OkabeIto.Colour(si), dash, Esc(s.Name))
	}
	hover(&b, f, idx, tips)
	legend(&b, f, names, dashes)
	b.WriteString(`</svg>`)
	return b.String()
}

// NiceMax rounds a positive maximum up to a round number.
func NiceMax(v float64) float64 {
	if v <= 0 {
		return 0
	}
	t := niceTicks(0, v, 5)
	return math.Max(t[len(t)-1], v)
}

// Bar is one bar of a bar chart.
type Bar struct {
	Label string
	Value float64
	Text  string // the exact figure shown at the bar
}

// Bars draws a horizontal bar chart (one row per bar, labels left, the
// figure right of the bar).
func Bars(w float64, title string, bs []Bar) string {
	var b strings.Builder
	rowh, left, right := 26.0, 8.0, 8.0
	for _, x := range bs {
		left = math.Max(left, 14+6.2*float64(len([]rune(x.Label))))
		right = math.Max(right, 10+5.8*float64(len([]rune(x.Text))))
	}
	h := 30 + rowh*float64(len(bs))
	lo, hi := 0.0, 0.0
	for _, x := range bs {
		lo, hi = math.Min(lo, x.Value), math.Max(hi, x.Value)
	}
	if hi == lo {
		hi = lo + 1
	}
	f := &frame{w: w, h: h, left: left, right: right, top: 24, bottom: 6, xmin: lo, xmax: hi}
	Open(&b, w, h, title)
	fmt.Fprintf(&b, `<text x="4" y="14" class="ctitle">%s</text>`, Esc(title))
	zero := f.x(0)
	for i, x := range bs {
		y := f.top + rowh*float64(i)
		x0, x1 := zero, f.x(x.Value)
		if x1 < x0 {
			x0, x1 = x1, x0
		}
		fmt.Fprintf(&b, `<text x="%s" y="%s" class="blab">%s</text>`, F1(left-6), F1(y+15), Esc(x.Label))
		fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="18" fill="%s"><title>%s: %s</title></rect>`,
			F1(x0), F1(y+2), F1(math.Max(x1-x0, 0.5)), OkabeIto.Colour(i), Esc(x.Label), Esc(x.Text))
		fmt.Fprintf(&b, `<text x="%s" y="%s" class="bval">%s</text>`, F1(math.Max(x1, zero)+4), F1(y+15), Esc(x.Text))
	}
	fmt.Fprintf(&b, `<line x1="%s" x2="%s" y1="%s" y2="%s" class="axis"/>`, F1(zero), F1(zero), F1(f.top), F1(h-f.bottom))
	b.WriteString(`</svg>`)
	return b.String()
}

// Histogram draws counts of durations in equal bins.
func Histogram(w float64, title, unit string, values []int64) string {
	var b strings.Builder
	f := &frame{w: w, h: 230, left: 60, right: 18, top: 34, bottom: 34}
	Open(&b, f.w, f.h, title)
	heading(&b, f, title, "")
	if len(values) == 0 {
		fmt.Fprintf(&b, `<text x="%s" y="%s" class="unit">no data</text></svg>`, F1(f.left), F1(f.h/2))
		return b.String()
	}
	v := append([]int64(nil), values...)
	sort.Slice(v, func(a, c int) bool { return v[a] < v[c] })
	hi := float64(v[len(v)-1])
	ticks := niceTicks(0, math.Max(hi, 1), 20)
	width := ticks[1] - ticks[0]
	nb := int(math.Ceil((hi+1)/width)) + 0
	nb = max(nb, 1)
	counts := make([]int, nb)
	for _, x := range v {
		k := min(int(float64(x)/width), nb-1)
		counts[k]++
	}
	cmax := 1
	for _, c := range counts {
		cmax = max(cmax, c)
	}
	f.xmin, f.xmax = 0, width*float64(nb)
	f.ymin, f.ymax = 0, NiceMax(float64(cmax))
	for _, t := range niceTicks(0, f.ymax, 4) {
		y := f.y(t)
		fmt.Fprintf(&b, `<line x1="%s" x2="%s" y1="%s" y2="%s" class="grid"/>`, F1(f.left), F1(f.w-f.right), F1(y), F1(y))
		fmt.Fprintf(&b, `<text x="%s" y="%s" class="ylab">%s</text>`, F1(f.left-6), F1(y+4), Esc(Short(t)))
	}
	for k, c := range counts {
		x0, x1 := f.x(width*float64(k)), f.x(width*float64(k+1))
		fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s–%s %s: %d</title></rect>`,
			F1(x0+1), F1(f.y(float64(c))), F1(math.Max(x1-x0-2, 1)), F1(f.y(0)-f.y(float64(c))), OkabeIto.Colour(0),
			Short(width*float64(k)), Short(width*float64(k+1)), Esc(unit), c)
	}
	for _, t := range niceTicks(0, f.xmax, 10) {
		if t > f.xmax {
			break
		}
		fmt.Fprintf(&b, `<text x="%s" y="%s" class="xlab">%s</text>`, F1(f.x(t)), F1(f.h-f.bottom+16), Esc(Short(t)))
	}
	fmt.Fprintf(&b, `<text x="%s" y="%s" class="unit end">%s</text>`, F1(f.w-f.right), F1(f.h-4), Esc(unit))
	fmt.Fprintf(&b, `<line x1="%s" x2="%s" y1="%s" y2="%s" class="axis"/>`, F1(f.left), F1(f.w-f.right), F1(f.y(0)), F1(f.y(0)))
	b.WriteString(`</svg>`)
	return b.String()
}
