package textfmt

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestTableGroupsNumbersUnlessPlain(t *testing.T) {
	tb := Table{Left: map[int]bool{2: true}}
	add := func() {
		tb.Add("account", "debit", "note")
		tb.Add("1200", "10162820.25", "10162820.25") // the first and left-aligned columns stay as written
		tb.Add("total", "-1234.5", "")
	}
	var b bytes.Buffer
	add()
	tb.Flush(&b)
	want := "account          debit  note\n1200     10,162,820.25  10162820.25\ntotal         -1,234.5\n"
	if b.String() != want {
		t.Errorf("grouped:\n%s\nwant\n%s", b.String(), want)
	}
	b.Reset()
	add()
	tb.Flush(&ErrWriter{W: NewOut(&b, Style{Plain: true})})
	if strings.Contains(b.String(), ",") {
		t.Errorf("plain table has a separator:\n%s", b.String())
	}
	b.Reset()
	add()
	tb.Flush(NewOut(&b, Style{Plain: true}))
	if strings.Contains(b.String(), ",") {
		t.Errorf("plain style lost through ErrWriter:\n%s", b.String())
	}
}

func TestNum(t *testing.T) {
	var b bytes.Buffer
	for _, c := range []struct{ in, grouped, plain string }{
		{"1234567.89", "1,234,567.89", "1234567.89"},
		{"-1000", "-1,000", "-1000"},
		{"2026-02-28", "2026-02-28", "2026-02-28"},
		{"12.", "12.", "12."},
		{"", "", ""},
	} {
		if got := Num(&b, c.in); got != c.grouped {
			t.Errorf("Num(%q) = %q, want %q", c.in, got, c.grouped)
		}
		if got := Num(NewOut(&b, Style{Plain: true}), c.in); got != c.plain {
			t.Errorf("plain Num(%q) = %q, want %q", c.in, got, c.plain)
		}
	}
}

func maxLine(s string) int {
	m := 0
	for _, ln := range strings.Split(s, "\n") {
		m = max(m, utf8.RuneCountInString(ln))
	}
	return m
}

func TestTableFitsWidth(t *testing.T) {
	// Free text in a last left-aligned column wraps under itself.
	tb := Table{Left: map[int]bool{2: true}}
	long := strings.Repeat("because the trigger is late ", 8)
	tb.Add("conversion not inventoried", "20000.00", long)
	tb.Add("total", "1.00", "short")
	var b bytes.Buffer
	tb.Flush(&b)
	if m := maxLine(b.String()); m > Width {
		t.Errorf("wrapped table is %d wide:\n%s", m, b.String())
	}
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	at := strings.Index(lines[0], "because")
	if len(lines) < 3 || strings.Index(lines[1], "because") != at || strings.TrimSpace(lines[1][:at]) != "" {
		t.Errorf("continuation lines not under their column:\n%s", b.String())
	}
	if got := strings.Join(strings.Fields(b.String()), " "); !strings.Contains(got, strings.TrimSpace(long)) {
		t.Errorf("wrapping lost words:\n%s", b.String())
	}

	// Many numeric columns split into blocks, each with the first column.
	tb = Table{}
	head := []string{"book"}
	row := []string{"operating income"}
	for i := range 9 {
		head = append(head, "purchase+completion-"+string(rune('a'+i)))
		row = append(row, "10162820.25")
	}
	tb.Add(head...)
	tb.Add(row...)
	b.Reset()
	tb.Flush(&b)
	if m := maxLine(b.String()); m > Width {
		t.Errorf("split table is %d wide:\n%s", m, b.String())
	}
	if n := strings.Count(b.String(), "operating income"); n < 2 {
		t.Errorf("first column repeated %d times, want a block each:\n%s", n, b.String())
	}
	for i := range 9 {
		if !strings.Contains(b.String(), "purchase+completion-"+string(rune('a'+i))) {
			t.Errorf("column %d lost:\n%s", i, b.String())
		}
	}

	// --wide keeps one line a row.
	tb.Add(head...)
	tb.Add(row...)
	b.Reset()
	tb.Flush(NewOut(&b, Style{Wide: true}))
	if n := strings.Count(b.String(), "\n"); n != 2 {
		t.Errorf("wide table has %d lines, want 2:\n%s", n, b.String())
	}
}

func TestPlural(t *testing.T) {
	for _, c := range []struct {
		n    int
		want string
	}{{0, "0 entries"}, {1, "1 entry"}, {2, "2 entries"}, {1000, "1000 entries"}} {
		if got := Plural(c.n, "entry", "entries"); got != c.want {
			t.Errorf("Plural(%d) = %q, want %q", c.n, got, c.want)
		}
	}
}

func TestOutFoldsProse(t *testing.T) {
	var b bytes.Buffer
	o := NewOut(&b, Style{})
	long := "  - " + strings.Repeat("materials stay in materials-in-process ", 6)
	io.WriteString(o, "short line\n"+long+"\nno newline")
	o.Flush()
	lines := strings.Split(b.String(), "\n")
	if lines[0] != "short line" || lines[len(lines)-1] != "no newline" {
		t.Errorf("short lines changed:\n%s", b.String())
	}
	for _, ln := range lines {
		if utf8.RuneCountInString(ln) > Width {
			t.Errorf("a folded line is %d wide: %q", utf8.RuneCountInString(ln), ln)
		}
	}
	if !strings.HasPrefix(lines[2], "    materials") {
		t.Errorf("continuation not hung under the bullet's text: %q", lines[2])
	}
	if strings.Join(strings.Fields(b.String()), " ") != strings.Join(strings.Fields("short line "+long+" no newline"), " ") {
		t.Errorf("folding changed the words:\n%s", b.String())
	}
	b.Reset()
	o = NewOut(&b, Style{Wide: true})
	io.WriteString(o, long+"\n")
	if b.String() != long+"\n" {
		t.Errorf("a wide Out folded:\n%s", b.String())
	}
}
