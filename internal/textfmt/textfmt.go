// Package textfmt lays out text for people: tables aligned in columns for
// the plain-text reports, fitted to 100 columns and with numbers grouped in
// thousands unless the writer's Style says otherwise, a writer that keeps
// the first write error, and numbers shown with their thousands grouped
// (Grouped, Money) for the HTML report and the dashboard.
package textfmt

import (
	"io"
	"strings"
	"unicode/utf8"
)

// Table lays out rows in columns: the first column left-aligned, the others
// right-aligned unless marked in Left. It writes nothing until Flush, so
// widths fit the widest cell.
//
// The numbers of right-aligned columns (plain decimals) are shown grouped
// in thousands unless the writer's style is Plain. A table wider than Width
// is fitted unless the style is Wide: a last left-aligned column of free
// text wraps under itself; if that is not enough, the columns are split
// into blocks one under the other, each repeating the first column.
type Table struct {
	Indent string       // written before every row
	Left   map[int]bool // columns aligned left besides the first
	rows   [][]string
}

// Add adds a row.
func (t *Table) Add(cells ...string) { t.rows = append(t.rows, cells) }

// Raw adds a line printed as it is, outside the columns.
func (t *Table) Raw(s string) { t.rows = append(t.rows, []string{"\x00" + s}) }

// minWrap is the narrowest a wrapped free-text column becomes before the
// table is split into blocks instead.
const minWrap = 24

// Flush writes the rows, trailing spaces trimmed, and empties the table.
func (t *Table) Flush(w io.Writer) {
	style := StyleOf(w)
	rows := t.rows
	if !style.Plain {
		rows = make([][]string, len(t.rows))
		for k, r := range t.rows {
			if isRaw(r) {
				rows[k] = r
				continue
			}
			rows[k] = make([]string, len(r))
			for i, c := range r {
				if i > 0 && !t.Left[i] && isDecimal(c) {
					c = Grouped(c, Hyphen)
				}
				rows[k][i] = c
			}
		}
	}
	width := widths(rows)
	total := utf8.RuneCountInString(t.Indent)
	for i, n := range width {
		if i > 0 {
			total += 2
		}
		total += n
	}
	last := len(width) - 1
	switch {
	case style.Wide || total <= Width:
		t.write(w, rows, width, allColumns(len(width)), 0)
	case last > 0 && t.Left[last] && total-width[last]+minWrap <= Width:
		t.write(w, rows, width, allColumns(len(width)), Width-(total-width[last]))
	default:
		for k, cols := range t.blocks(width) {
			if k > 0 {
				io.WriteString(w, "\n")
			}
			t.write(w, rows, width, cols, 0)
		}
	}
	t.rows = t.rows[:0]
}

// widths returns the widest cell of each column.
func widths(rows [][]string) []int {
	var width []int
	for _, r := range rows {
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
	return width
}

func allColumns(n int) []int {
	cols := make([]int, n)
	for i := range cols {
		cols[i] = i
	}
	return cols
}

// blocks splits the columns after the first into runs that fit Width
// beside the first column (at least one column a block).
func (t *Table) blocks(width []int) [][]int {
	var out [][]int
	head := utf8.RuneCountInString(t.Indent) + width[0]
	cols, used := []int{0}, head
	for i := 1; i < len(width); i++ {
		if len(cols) > 1 && used+2+width[i] > Width {
			out = append(out, cols)
			cols, used = []int{0}, head
		}
		cols = append(cols, i)
		used += 2 + width[i]
	}
	return append(out, cols)
}

// write writes the rows' cells of the columns cols; wrap > 0 wraps the
// last column's text at that width under itself.
func (t *Table) write(w io.Writer, rows [][]string, width, cols []int, wrap int) {
	var b strings.Builder
	for _, r := range rows {
		if isRaw(r) {
			io.WriteString(w, r[0][1:]+"\n")
			continue
		}
		b.Reset()
		b.WriteString(t.Indent)
		var rest []string // wrapped lines of the last column after the first
		at := 0           // where the last column starts
		for k, i := range cols {
			c := ""
			if i < len(r) {
				c = r[i]
			}
			if k > 0 {
				b.WriteString("  ")
			}
			if wrap > 0 && k == len(cols)-1 {
				at = utf8.RuneCountInString(b.String())
				lines := wrapText(c, wrap)
				c, rest = lines[0], lines[1:]
			}
			pad := strings.Repeat(" ", max(width[i]-utf8.RuneCountInString(c), 0))
			if i == 0 || t.Left[i] {
				b.WriteString(c)
				b.WriteString(pad)
			} else {
				b.WriteString(pad)
				b.WriteString(c)
			}
		}
		io.WriteString(w, strings.TrimRight(b.String(), " ")+"\n")
		if len(rest) > 0 {
			indent := strings.Repeat(" ", at)
			for _, ln := range rest {
				io.WriteString(w, indent+ln+"\n")
			}
		}
	}
}

// wrapText breaks s at spaces into lines of at most n runes (a word longer
// than n stands on its own line); it returns at least one line.
func wrapText(s string, n int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		switch {
		case line == "":
			line = word
		case utf8.RuneCountInString(line)+1+utf8.RuneCountInString(word) <= n:
			line += " " + word
		default:
			lines = append(lines, line)
			line = word
		}
	}
	return append(lines, line)
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
