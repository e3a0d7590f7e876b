// Package textfmt lays out text for people: tables aligned in columns for
// the plain-text reports, a writer that keeps the first write error, and
// numbers shown with their thousands grouped (Grouped, Money) for the HTML
// report and the dashboard.
package textfmt

import (
	"io"
	"strings"
	"unicode/utf8"
)

// Table lays out rows in columns: the first column left-aligned, the others
// right-aligned unless marked in Left. It writes nothing until Flush, so
// widths fit the widest cell.
type Table struct {
	Indent string       // written before every row
	Left   map[int]bool // columns aligned left besides the first
	rows   [][]string
}

// Add adds a row.
func (t *Table) Add(cells ...string) { t.rows = append(t.rows, cells) }

// Raw adds a line printed as it is, outside the columns.
func (t *Table) Raw(s string) { t.rows = append(t.rows, []string{"\x00" + s}) }

// Flush writes the rows, trailing spaces trimmed, and empties the table.
func (t *Table) Flush(w io.Writer) {
	var width []int
	for _, r := range t.rows {
		if isRaw(r) {
			continue
		}
		for i, c := range r {
			if i >= len(width) {
				width = append(width, 0)
			}
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	var b strings.Builder
	for _, r := range t.rows {
		b.Reset()
		if isRaw(r) {
			b.WriteString(r[0][1:])
		} else {
			b.WriteString(t.Indent)
			for i, c := range r {
				pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
				if i > 0 {
					b.WriteString("  ")
				}
				if i == 0 || t.Left[i] {
					b.WriteString(c)
					b.WriteString(pad)
				} else {
					b.WriteString(pad)
					b.WriteString(c)
				}
			}
		}
		io.WriteString(w, strings.TrimRight(b.String(), " ")+"\n")
	}
	t.rows = t.rows[:0]
}

func isRaw(r []string) bool { return len(r) == 1 && strings.HasPrefix(r[0], "\x00") }

// ErrWriter keeps the first write error, so that a report writing many
// pieces checks once, at the end; after an error it writes nothing more.
type ErrWriter struct {
	W   io.Writer
	Err error
}

// Write writes p unless an earlier write failed.
func (e *ErrWriter) Write(p []byte) (int, error) {
	if e.Err != nil {
		return len(p), nil
	}
	n, err := e.W.Write(p)
	e.Err = err
	return n, err
}
