package bench

import (
	"fmt"
	"html"
	"io"
	"math"
	"strings"
)

// WriteSVG draws the scaling table as a self-contained SVG chart: four
// panels on logarithmic axes — events/s against the length of the stream,
// memory against it (the streaming ledger next to one that keeps every
// line), events/s against BOM components, and events/s against items.
func (rep *Report) WriteSVG(w io.Writer) error {
	const width, height = 980, 720
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">`+"\n", width, height, width, height)
	b.WriteString(`<rect width="100%" height="100%" fill="white"/>` + "\n")
	m := rep.Machine
	title := fmt.Sprintf("Backflush costing in memory: how it scales (%s, %d cores, %s)", m.CPU, m.Cores, m.GoVersion)
	fmt.Fprintf(&b, `<text x="%d" y="24" text-anchor="middle" font-size="15" font-weight="bold">%s</text>`+"\n", width/2, html.EscapeString(title))
	axis := func(name string) []ScalePoint {
		var out []ScalePoint
		for _, p := range rep.Scaling {
			if p.Axis == name {
				out = append(out, p)
			}
		}
		return out
	}
	rate := func(pts []ScalePoint, four bool) []xy {
		var out []xy
		for _, p := range pts {
			v := p.Rate1
			if four {
				v = p.Rate4
			}
			out = append(out, xy{float64(p.X), v})
		}
		return out
	}
	heap := func(pts []ScalePoint, retain bool) []xy {
		var out []xy
		for _, p := range pts {
			v := p.StreamHeap
			if retain {
				v = p.RetainHeap
			}
			if v > 0 {
				out = append(out, xy{float64(p.X), float64(v) / (1 << 20)})
			}
		}
		return out
	}
	ev, comp, items := axis("events"), axis("components"), axis("items")
	targets := []ref{{targetMem1, "#1f77b4"}, {targetMem4, "#d62728"}}
	panels := []panel{
		{title: "Throughput vs events in the stream", xlabel: "events", ylabel: "events/s", refs: targets,
			series: []series{{"1 book", "#1f77b4", rate(ev, false)}, {"4 books", "#d62728", rate(ev, true)}}},
		{title: "Memory vs events in the stream (4 books)", xlabel: "events", ylabel: "live heap, MiB",
			series: []series{{"streaming ledger", "#2ca02c", heap(ev, false)}, {"ledger keeping every line", "#9467bd", heap(ev, true)}}},
		{title: "Throughput vs BOM components (depth 2)", xlabel: "components per BOM", ylabel: "events/s", refs: targets,
			series: []series{{"1 book", "#1f77b4", rate(comp, false)}, {"4 books", "#d62728", rate(comp, true)}}},
		{title: "Throughput vs items in the plant", xlabel: "items", ylabel: "events/s", refs: targets,
			series: []series{{"1 book", "#1f77b4", rate(items, false)}, {"4 books", "#d62728", rate(items, true)}}},
	}
	const pw, ph = 470, 310
	for i, p := range panels {
		x0, y0 := 15+(i%2)*(pw+15), 45+(i/2)*(ph+20)
		p.draw(&b, float64(x0), float64(y0), pw, ph)
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" fill="#555">Streaming ledger unless named; streams from package gen (seed %d): a 1,000-item plant, 20-component BOMs two levels deep, unless the axis varies it.</text>`+"\n",
		width/2, height-26, rep.Config.Seed)
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" fill="#555">Dashed: the targets (2,000,000 events/s in one book, 1,000,000 in four). Drawn by backflush bench --svg FILE; figures in BENCHMARKS.md.</text>`+"\n",
		width/2, height-10)
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

type xy struct{ x, y float64 }

type series struct {
	name   string
	color  string
	points []xy
}

type panel struct {
	title, xlabel, ylabel string
	series                []series
	refs                  []ref // horizontal reference lines (targets)
}

// ref is a horizontal line at a value, in a series' colour.
type ref struct {
	y     float64
	color string
}

// draw renders the panel with log axes in the box at (x0, y0).
func (p panel) draw(b *strings.Builder, x0, y0, w, h float64) {
	fmt.Fprintf(b, `<rect x="%.0f" y="%.0f" width="%.0f" height="%.0f" fill="none" stroke="#ccc"/>`+"\n", x0, y0, w, h)
	fmt.Fprintf(b, `<text x="%.0f" y="%.0f" text-anchor="middle" font-weight="bold">%s</text>`+"\n", x0+w/2, y0+18, html.EscapeString(p.title))
	xmin, xmax, ymin, ymax := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, r := range p.refs {
		ymin, ymax = math.Min(ymin, r.y), math.Max(ymax, r.y)
	}
	for _, s := range p.series {
		for _, pt := range s.points {
			if pt.x > 0 && pt.y > 0 {
				xmin, xmax = math.Min(xmin, pt.x), math.Max(xmax, pt.x)
				ymin, ymax = math.Min(ymin, pt.y), math.Max(ymax, pt.y)
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
		fmt.Fprintf(b, `<text x="%.1f" y="%.1f" text-anchor="middle">%s</text>`+"\n", x, bottom+15, tick(math.Pow(10, d)))
	}
	for d := ly0; d <= ly1; d++ {
		y := py(math.Pow(10, d))
		fmt.Fprintf(b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#eee"/>`+"\n", left, y, right, y)
		fmt.Fprintf(b, `<text x="%.1f" y="%.1f" text-anchor="end">%s</text>`+"\n", left-5, y+4, tick(math.Pow(10, d)))
	}
	fmt.Fprintf(b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#333"/>`+"\n", left, bottom, right, bottom)
	fmt.Fprintf(b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#333"/>`+"\n", left, top, left, bottom)
	fmt.Fprintf(b, `<text x="%.1f" y="%.1f" text-anchor="middle">%s (log)</text>`+"\n", (left+right)/2, bottom+34, html.EscapeString(p.xlabel))
	fmt.Fprintf(b, `<text x="%.1f" y="%.1f" text-anchor="middle" transform="rotate(-90 %.1f %.1f)">%s (log)</text>`+"\n",
		x0+14, (top+bottom)/2, x0+14, (top+bottom)/2, html.EscapeString(p.ylabel))
	for _, r := range p.refs {
		fmt.Fprintf(b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-dasharray="6 4" opacity="0.6"/>`+"\n", left, py(r.y), right, py(r.y), r.color)
	}
	for k, s := range p.series {
		var pts []string
		for _, pt := range s.points {
			if pt.x > 0 && pt.y > 0 {
				pts = append(pts, fmt.Sprintf("%.1f,%.1f", px(pt.x), py(pt.y)))
			}
		}
		if len(pts) == 0 {
			continue
		}
		fmt.Fprintf(b, `<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>`+"\n", s.color, strings.Join(pts, " "))
		for _, pt := range s.points {
			if pt.x > 0 && pt.y > 0 {
				fmt.Fprintf(b, `<circle cx="%.1f" cy="%.1f" r="3.5" fill="%s"><title>%s: %s at %s</title></circle>`+"\n",
					px(pt.x), py(pt.y), s.color, html.EscapeString(s.name), num(pt.y), num(pt.x))
			}
		}
		ly := top + 8 + float64(k)*16
		fmt.Fprintf(b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="2"/>`+"\n", right-200, ly, right-180, ly, s.color)
		fmt.Fprintf(b, `<text x="%.1f" y="%.1f">%s</text>`+"\n", right-175, ly+4, html.EscapeString(s.name))
	}
}

// tick labels a power of ten: 1, 10, 100, 1k, 10k, … 1G.
func tick(v float64) string {
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
