// Package svgchart draws charts as inline SVG written by hand: no script,
// no external asset. It is the one chart toolkit of the module: the HTML
// report of the demo (package htmlreport) draws its line, stacked-area,
// bar and histogram charts with it (Lines, StackedArea, Bars, Histogram)
// and its cost-flow diagrams from its pieces (Open, Esc, F1, Short, the
// palette); the dashboard (package httpapi) lays out its inventory chart
// with its exact integer scales (IntFrame), point lists (Points) and
// palettes, and leaves the markup to its html/template, whose escaping
// fits each attribute and text in context.
//
// The drawn charts carry classes that the page's style sheet styles: grid,
// axis, ylab, xlab, unit, leg, ctitle, blab, bval and hit.
//
// Coordinates of the drawn charts are float64: they are drawing
// positions, not money, and labels carry the exact amounts. An IntFrame
// maps amounts in minor units to whole pixels with a 128-bit intermediate
// (bf.MulDiv), so that no amount passes through a float.
package svgchart

import (
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
)

// Palette is a list of series colours, used in turn.
type Palette []string

// Colour is the colour of the i-th series: the palette's colours in turn.
func (p Palette) Colour(i int) string { return p[i%len(p)] }

// OkabeIto is colour-blind friendly and prints well in grey: the colours
// of the charts drawn here.
var OkabeIto = Palette{"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000", "#999999"}

// Esc escapes text for SVG and HTML, in text and in quoted attributes.
func Esc(s string) string { return html.EscapeString(s) }

// F1 writes a coordinate with one decimal: 12.5.
func F1(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

// Short writes an axis value shortly: 1.2M, 350k, 12.
func Short(v float64) string {
	a := math.Abs(v)
	switch {
	case a >= 1e9:
		return trimFloat(v/1e9) + "B"
	case a >= 1e6:
		return trimFloat(v/1e6) + "M"
	case a >= 1e3:
		return trimFloat(v/1e3) + "k"
	}
	return trimFloat(v)
}

// trimFloat writes v with at most two decimals, trailing zeros dropped.
func trimFloat(v float64) string {
	s := strconv.FormatFloat(v, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		return "0"
	}
	return s
}

// Open starts an SVG chart with a title (its accessible name) and the
// class "chart", which the report's check counts.
func Open(b *strings.Builder, w, h float64, title string) {
	fmt.Fprintf(b, `<svg class="chart" role="img" viewBox="0 0 %s %s" width="%s" height="%s" xmlns="http://www.w3.org/2000/svg"><title>%s</title>`,
		F1(w), F1(h), F1(w), F1(h), Esc(title))
}

// Points builds the points attribute of a polyline or a polygon: "x,y x,y".
type Points struct{ b strings.Builder }

// Add adds a point at drawing coordinates, written with one decimal (F1).
func (p *Points) Add(x, y float64) { p.add(F1(x), F1(y)) }

// AddInt adds a point at whole coordinates.
func (p *Points) AddInt(x, y int) { p.add(strconv.Itoa(x), strconv.Itoa(y)) }

func (p *Points) add(x, y string) {
	if p.b.Len() > 0 {
		p.b.WriteByte(' ')
	}
	p.b.WriteString(x)
	p.b.WriteByte(',')
	p.b.WriteString(y)
}

// String is the attribute's value.
func (p *Points) String() string { return p.b.String() }
