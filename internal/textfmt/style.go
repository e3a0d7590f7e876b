package textfmt

import (
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
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

// Out is standard output for people: it carries a Style to every Table
// flushed to it and every Num formatted for it (the reports take a writer,
// so the style travels with it instead of through every signature), and
// unless the style is Wide it folds a line of prose longer than Width at
// a space, the rest indented under the line's text. Tables fit Width
// themselves, so only prose is folded. Never put JSON or a file format
// through an Out; call Flush when done.
type Out struct {
	w     io.Writer
	style Style
	line  []byte
	err   error
}

// NewOut returns an Out writing to w in style s.
func NewOut(w io.Writer, s Style) *Out { return &Out{w: w, style: s} }

// Write writes p, folding each complete line as it comes.
func (o *Out) Write(p []byte) (int, error) {
	for _, c := range p {
		o.line = append(o.line, c)
		if c == '\n' {
			o.emit()
		}
	}
	return len(p), o.err
}

// Flush writes what is left of an unfinished last line.
func (o *Out) Flush() error {
	if len(o.line) > 0 {
		o.emit()
	}
	return o.err
}

func (o *Out) emit() {
	s := string(o.line)
	o.line = o.line[:0]
	if o.err != nil {
		return
	}
	if !o.style.Wide {
		s = fold(s, Width)
	}
	_, o.err = io.WriteString(o.w, s)
}

// fold breaks a line longer than n runes at spaces; the continuation lines
// are indented like the line's text (after its leading spaces and any
// "- " bullet), so that prose stays readable.
func fold(s string, n int) string {
	body := strings.TrimSuffix(s, "\n")
	if utf8.RuneCountInString(body) <= n {
		return s
	}
	lead := len(body) - len(strings.TrimLeft(body, " "))
	hang := lead
	if strings.HasPrefix(body[lead:], "- ") {
		hang += 2
	}
	pad := strings.Repeat(" ", hang)
	var b strings.Builder
	first := true
	for body != "" {
		limit := n
		if !first {
			limit = n - hang
		}
		if utf8.RuneCountInString(body) <= limit {
			break
		}
		cut := -1
		count := 0
		for i, r := range body {
			if count > limit {
				break
			}
			if r == ' ' && i > lead {
				cut = i
			}
			count++
		}
		if cut <= 0 {
			break // one word longer than the line: left whole
		}
		b.WriteString(strings.TrimRight(body[:cut], " "))
		b.WriteString("\n" + pad)
		body = strings.TrimLeft(body[cut:], " ")
		first, lead = false, 0
	}
	b.WriteString(body)
	if strings.HasSuffix(s, "\n") {
		b.WriteString("\n")
	}
	return b.String()
}

// StyleOf returns the style w carries (through ErrWriter too); the zero
// Style when it carries none.
func StyleOf(w io.Writer) Style {
	for {
		switch x := w.(type) {
		case *Out:
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
