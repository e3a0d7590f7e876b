package svgchart

import (
	"math"
	"strings"
	"testing"
)

func TestFormatting(t *testing.T) {
	for v, want := range map[float64]string{0: "0", -0.001: "0", 12: "12", 12.345: "12.35", 1500: "1.5k", -2_500_000: "-2.5M", 3e9: "3B"} {
		if got := Short(v); got != want {
			t.Errorf("Short(%v) = %q, want %q", v, got, want)
		}
	}
	if got := F1(2.25); got != "2.2" {
		t.Errorf("F1(2.25) = %q", got)
	}
	if got := Esc(`a<b & "c"`); got != "a&lt;b &amp; &#34;c&#34;" {
		t.Errorf("Esc = %q", got)
	}
	if p := (Palette{"a", "b"}); p.Colour(0) != "a" || p.Colour(3) != "b" {
		t.Error("a palette does not repeat its colours in turn")
	}
}

func TestPoints(t *testing.T) {
	var p Points
	if p.String() != "" {
		t.Fatal("empty points not empty")
	}
	p.Add(1, 2.25)
	p.AddInt(3, -4)
	if got := p.String(); got != "1.0,2.2 3,-4" {
		t.Errorf("points %q", got)
	}
}

func TestIntFrame(t *testing.T) {
	f := &IntFrame{Left: 10, Top: 5, W: 100, H: 50, XMin: 0, XMax: 3, YMin: -100, YMax: 300}
	if f.X(0) != 10 || f.X(3) != 110 || f.X(1) != 43 || f.Right() != 110 || f.Bottom() != 55 {
		t.Errorf("x: %d %d %d", f.X(0), f.X(3), f.X(1))
	}
	if f.Y(-100) != 55 || f.Y(300) != 5 || f.Y(0) != 43 {
		t.Errorf("y: %d %d %d", f.Y(-100), f.Y(300), f.Y(0))
	}
	if got := f.YTicks(4); len(got) != 5 || got[0] != -100 || got[2] != 100 || got[4] != 300 {
		t.Errorf("ticks %v", got)
	}
	// Amounts near the int64 limits map without overflow.
	g := &IntFrame{H: 200, YMin: math.MinInt64 / 2, YMax: math.MaxInt64 / 2}
	if g.Y(0) != 100 {
		t.Errorf("y of 0 over the widest range: %d", g.Y(0))
	}
	if ScaleTo(5, 7, 7, 200) != 100 {
		t.Error("an empty range does not map to the middle")
	}
}

func TestCharts(t *testing.T) {
	ss := []Series{{Name: "a & b", Values: []float64{1, -2, 3}}, {Name: "c", Values: []float64{0, 1, 2}, Dash: "2 4"}}
	days := []string{"1", "2", "3"}
	for name, svg := range map[string]string{
		"lines":     Lines(400, "Lines", "USD", days, ss, []string{"d1", "d2", "d3"}, nil),
		"stacked":   StackedArea(400, "Stacked", "USD", days, ss, nil, &Range{Lo: 0, Hi: 10}),
		"bars":      Bars(300, "Bars", []Bar{{Label: "x", Value: -5, Text: "−5"}, {Label: "y", Value: 7, Text: "7"}}),
		"histogram": Histogram(500, "Histogram", "minutes", []int64{5, 1, 30, 12}),
		"empty":     Histogram(500, "None", "minutes", nil),
	} {
		if !strings.HasPrefix(svg, `<svg class="chart"`) || !strings.HasSuffix(svg, "</svg>") {
			t.Errorf("%s: not one SVG element: %.80s", name, svg)
		}
		if strings.Contains(svg, "NaN") || strings.Contains(svg, "Inf") || strings.Contains(svg, "a & b") {
			t.Errorf("%s: a broken figure or unescaped text", name)
		}
	}
	if r := LineRange(ss); r.Lo != -NiceMax(2) || r.Hi != NiceMax(3) {
		t.Errorf("line range %+v", r)
	}
	if m := StackMax(ss); m != 5 {
		t.Errorf("stack max %v", m)
	}
}
