package textfmt

import (
	"io"
	"strconv"
	"strings"
)

// Width is the widest line a Table writes unless the style is Wide: text
// reports fit a 100-column terminal, a printed page and a code review.
const Width = 100

// Style is how text for people shows numbers and how wide it runs. The
// zero value is the default: thousands grouped, tables fitted to Width.
type Style struct {
	Plain bool // numbers as plain decimals (1234567.89), for scripts and diffs
	Wide  bool // tables as wide as their cells, never wrapped
}

// styled is a writer that carries a Style to the tables written to it.
type styled struct {
	io.Writer
	style Style
}

// WithStyle returns a writer that writes to w and carries s to every
// Table flushed to it and every Num formatted for it: the reports take a
// writer, so the style travels with it instead of through every signature.
func WithStyle(w io.Writer, s Style) io.Writer {
	if s == (Style{}) {
		return w
	}
	return styled{w, s}
}

// StyleOf returns the style w carries (through ErrWriter too); the zero
// Style when it carries none.
func StyleOf(w io.Writer) Style {
	for {
		switch x := w.(type) {
		case styled:
			return x.style
		case *ErrWriter:
			w = x.W
		default:
			return Style{}
		}
	}
}

// Num shows a plain decimal as w's style asks: grouped with the ASCII
// hyphen for a minus (Grouped) by default, as it is when Plain.
func Num(w io.Writer, s string) string {
	if StyleOf(w).Plain || !isDecimal(s) {
		return s
	}
	return Grouped(s, Hyphen)
}

// isDecimal reports whether s is a plain decimal as bf.Money.Format and
// bf.Qty.String write it: an optional minus, digits, optionally a point
// and digits.
func isDecimal(s string) bool {
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasFrac := strings.Cut(s, ".")
	if intPart == "" || (hasFrac && frac == "") {
		return false
	}
	for _, c := range intPart + frac {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// Plural says a count with its noun in the right number: "1 order",
// "2 orders", "0 entries" (Plural(n, "entry", "entries")).
func Plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
