package svgchart

import bf "github.com/backflush/backflush"

// IntFrame is a plotting area in whole SVG user units whose scales map
// integer values (amounts in minor units, dates as day numbers) exactly: a
// value's position is worked out with a 128-bit intermediate (bf.MulDiv),
// never through a float.
type IntFrame struct {
	Left, Top, W, H        int // the plot's top left corner and size
	XMin, XMax, YMin, YMax int64
}

// X is the position of x across the plot.
func (f *IntFrame) X(x int64) int { return f.Left + ScaleTo(x, f.XMin, f.XMax, f.W) }

// Y is the position of y up the plot.
func (f *IntFrame) Y(y int64) int { return f.Top + f.H - ScaleTo(y, f.YMin, f.YMax, f.H) }

// Right is the right edge of the plot.
func (f *IntFrame) Right() int { return f.Left + f.W }

// Bottom is the bottom edge of the plot.
func (f *IntFrame) Bottom() int { return f.Top + f.H }

// YTicks returns n+1 values evenly spaced from YMin to YMax, each rounded
// half to even: the values of the horizontal grid lines.
func (f *IntFrame) YTicks(n int) []int64 {
	out := make([]int64, 0, n+1)
	for t := 0; t <= n; t++ {
		v, _ := bf.MulDiv(f.YMax-f.YMin, int64(t), int64(n))
		out = append(out, f.YMin+v)
	}
	return out
}

// ScaleTo maps v in [lo, hi] to [0, span] pixels, rounded half to even;
// the middle of the span when lo and hi are equal, and 0 when the result
// would not fit.
func ScaleTo(v, lo, hi int64, span int) int {
	if hi == lo {
		return span / 2
	}
	p, ok := bf.MulDiv(v-lo, int64(span), hi-lo)
	if !ok {
		return 0
	}
	return int(p)
}
