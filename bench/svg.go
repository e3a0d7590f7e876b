package bench

import (
	"fmt"
	"io"
	"strings"

	"github.com/backflush/backflush/internal/svgchart"
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
	fmt.Fprintf(&b, `<text x="%d" y="24" text-anchor="middle" font-size="15" font-weight="bold">%s</text>`+"\n", width/2, svgchart.Esc(title))
	axis := func(name string) []ScalePoint {
		var out []ScalePoint
		for _, p := range rep.Scaling {
			if p.Axis == name {
				out = append(out, p)
			}
		}
		return out
	}
	rate := func(pts []ScalePoint, four bool) []svgchart.XY {
		var out []svgchart.XY
		for _, p := range pts {
			v := p.Rate1
			if four {
				v = p.Rate4
			}
			out = append(out, svgchart.XY{X: float64(p.X), Y: v})
		}
		return out
	}
	heap := func(pts []ScalePoint, retain bool) []svgchart.XY {
		var out []svgchart.XY
		for _, p := range pts {
			v := p.StreamHeap
			if retain {
				v = p.RetainHeap
			}
			if v > 0 {
				out = append(out, svgchart.XY{X: float64(p.X), Y: float64(v) / (1 << 20)})
			}
		}
		return out
	}
	ev, comp, items := axis("events"), axis("components"), axis("items")
	targets := []svgchart.Ref{{Y: targetMem1, Color: "#1f77b4"}, {Y: targetMem4, Color: "#d62728"}}
	panels := []svgchart.LogPanel{
		{Title: "Throughput vs events in the stream", XLabel: "events", YLabel: "events/s", Refs: targets,
			Label: num, Series: []svgchart.LogSeries{{Name: "1 book", Color: "#1f77b4", Points: rate(ev, false)}, {Name: "4 books", Color: "#d62728", Points: rate(ev, true)}}},
		{Title: "Memory vs events in the stream (4 books)", XLabel: "events", YLabel: "live heap, MiB",
			Label: num, Series: []svgchart.LogSeries{{Name: "streaming ledger", Color: "#2ca02c", Points: heap(ev, false)}, {Name: "ledger keeping every line", Color: "#9467bd", Points: heap(ev, true)}}},
		{Title: "Throughput vs BOM components (depth 2)", XLabel: "components per BOM", YLabel: "events/s", Refs: targets,
			Label: num, Series: []svgchart.LogSeries{{Name: "1 book", Color: "#1f77b4", Points: rate(comp, false)}, {Name: "4 books", Color: "#d62728", Points: rate(comp, true)}}},
		{Title: "Throughput vs items in the plant", XLabel: "items", YLabel: "events/s", Refs: targets,
			Label: num, Series: []svgchart.LogSeries{{Name: "1 book", Color: "#1f77b4", Points: rate(items, false)}, {Name: "4 books", Color: "#d62728", Points: rate(items, true)}}},
	}
	const pw, ph = 470, 310
	for i, p := range panels {
		x0, y0 := 15+(i%2)*(pw+15), 45+(i/2)*(ph+20)
		p.Draw(&b, float64(x0), float64(y0), pw, ph)
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" fill="#555">Streaming ledger unless named; streams from package gen (seed %d): a 1,000-item plant, 20-component BOMs two levels deep, unless the axis varies it.</text>`+"\n",
		width/2, height-26, rep.Config.Seed)
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" fill="#555">Dashed: the targets (2,000,000 events/s in one book, 1,000,000 in four). Drawn by backflush bench --svg FILE; figures in BENCHMARKS.md.</text>`+"\n",
		width/2, height-10)
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}
