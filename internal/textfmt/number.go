package textfmt

import (
	"strings"

	bf "github.com/backflush/backflush"
)

// Minus is the sign shown before a negative number. Each page keeps the
// sign it has always shown; the choice is the caller's, made explicit.
type Minus string

// The minus signs in use.
const (
	// Hyphen is the ASCII hyphen-minus "-": the dashboard (package
	// httpapi) shows it, so that an amount copied from a page reads back as
	// a number wherever a plain decimal does.
	Hyphen Minus = "-"
	// MinusSign is the typographic minus sign "−" (U+2212), as wide as a
	// plus: the HTML report of the demo (package htmlreport) shows it.
	MinusSign Minus = "\u2212"
)

// Grouped shows a plain decimal ("-1234567.89", as bf.Money.Format and
// bf.Qty.String write it) to people: the whole part's thousands grouped
// with commas, the decimals as they are, and the given minus sign before a
// negative number ("−1,234,567.89"). Machines get the plain decimal.
func Grouped(s string, minus Minus) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	if neg {
		b.WriteString(string(minus))
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if hasFrac {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

// Money shows an amount to people with the currency's decimals, grouped
// (Grouped): 1,234,567.89.
func Money(m bf.Money, scale int, minus Minus) string { return Grouped(m.Format(scale), minus) }
