package report

import (
	"io"
	"strings"
	"unicode/utf8"
)

// table lays out rows in columns: the first column left-aligned, the others
// right-aligned unless marked left. It writes nothing until flush, so widths
// fit the widest cell.
type table struct {
	rows [][]string
	left map[int]bool // columns aligned left besides the first
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

// raw adds a line printed as it is, outside the columns.
func (t *table) raw(s string) { t.rows = append(t.rows, []string{"\x00" + s}) }

func (t *table) flush(w io.Writer) {
	var width []int
	for _, r := range t.rows {
		if len(r) == 1 && strings.HasPrefix(r[0], "\x00") {
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
		if len(r) == 1 && strings.HasPrefix(r[0], "\x00") {
			b.WriteString(r[0][1:])
		} else {
			for i, c := range r {
				pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
				if i > 0 {
					b.WriteString("  ")
				}
				if i == 0 || t.left[i] {
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
