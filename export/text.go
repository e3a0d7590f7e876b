package export

import (
	"bufio"
	"sort"
	"strings"
	"unicode/utf8"

	bf "github.com/backflush/backflush"
)

// sortedUsed lists the used accounts in the order of their names, which is
// how the tools list them too.
func sortedUsed(m *model, names *[numAccounts]string) []int {
	var list []int
	for a := range numAccounts {
		if m.used[a] {
			list = append(list, a)
		}
	}
	sort.Slice(list, func(i, j int) bool { return names[list[i]] < names[list[j]] })
	return list
}

// nameWidth is the widest used account name, to align amounts.
func nameWidth(m *model, names *[numAccounts]string) int {
	w := 0
	for a := range numAccounts {
		if m.used[a] {
			w = max(w, utf8.RuneCountInString(names[a]))
		}
	}
	return w
}

// writeLedger writes a ledger-cli or hledger journal. Both read the same
// transactions; the directives differ: ledger declares a commodity's display
// format in a sub-directive, hledger in the directive itself, and hledger
// is told the decimal mark so that "1.500" (three decimals) is never taken
// for fifteen hundred. Accounts and the commodity are declared, so both
// tools' strict modes (ledger --pedantic, hledger --strict) accept the file.
func writeLedger(w *bufio.Writer, m *model, f Format, names *[numAccounts]string) {
	sample := bf.Money(100000).Format(m.scale) // "1000.00" at scale 2
	if m.scale == 0 {
		sample = "1000"
	}
	w.WriteString("; Backflush export of book " + oneLine(m.book) + " (" + m.method + "), " + m.periodText() + "\n")
	if m.title != "" {
		w.WriteString("; " + oneLine(m.title) + "\n")
	}
	w.WriteString("; Amounts are exact, in " + m.currency + "; debits are positive, credits negative.\n\n")
	if f == HLedger {
		// hledger wants a decimal mark in a commodity directive even for a
		// currency without minor units ("1000." means no decimals).
		if m.scale == 0 {
			sample += "."
		}
		w.WriteString("decimal-mark .\n")
		w.WriteString("commodity " + sample + " " + m.currency + "\n\n")
	} else {
		w.WriteString("commodity " + m.currency + "\n    format " + sample + " " + m.currency + "\n")
		// ledger --pedantic wants metadata tags declared too.
		w.WriteString("tag event\ntag entry\ntag item\ntag path\ntag qty\n\n")
	}
	for _, a := range sortedUsed(m, names) {
		w.WriteString("account " + names[a] + "\n")
	}
	width := nameWidth(m, names)
	var buf []byte
	for i := range m.entries {
		e := &m.entries[i]
		buf = append(buf[:0], '\n')
		buf = e.date.AppendFormat(buf)
		buf = append(buf, " * "...)
		if e.event != "" && !strings.ContainsAny(e.event, "()") {
			buf = append(buf, '(')
			buf = append(buf, e.event...)
			buf = append(buf, ") "...)
		}
		buf = append(buf, ledgerText(e.memo)...)
		buf = append(buf, '\n')
		if e.event != "" {
			buf = appendTag(buf, "    ", "event", e.event)
		}
		buf = appendTag(buf, "    ", "entry", e.id)
		buf = appendPostings(buf, m, names, width, e, "    ", appendTag)
		w.Write(buf)
	}
}

// appendPostings appends an entry's postings, amounts aligned at width,
// each followed by its item, BOM path and quantity as meta lines (meta
// writes one in the format's syntax), indented under the posting.
func appendPostings(buf []byte, m *model, names *[numAccounts]string, width int, e *entry, indent string,
	meta func(dst []byte, indent, key, value string) []byte) []byte {
	sub := indent + "  "
	for _, ln := range e.lines {
		buf = append(buf, indent...)
		buf = append(buf, names[ln.acct]...)
		amt := ln.amount.Format(m.scale)
		pad := width - utf8.RuneCountInString(names[ln.acct]) + 16 - len(amt)
		buf = append(buf, strings.Repeat(" ", max(pad, 2))...)
		buf = append(buf, amt...)
		buf = append(buf, ' ')
		buf = append(buf, m.currency...)
		buf = append(buf, '\n')
		if ln.item != "" {
			buf = meta(buf, sub, "item", ln.item)
		}
		if ln.path != "" {
			buf = meta(buf, sub, "path", ln.path)
		}
		if ln.qty != "" {
			buf = meta(buf, sub, "qty", ln.qty)
		}
	}
	return buf
}

// appendTag appends a "; key: value" comment line: metadata to ledger,
// a tag to hledger, attached to the transaction or posting above it.
func appendTag(dst []byte, indent, key, value string) []byte {
	dst = append(dst, indent...)
	dst = append(dst, "; "...)
	dst = append(dst, key...)
	dst = append(dst, ": "...)
	dst = append(dst, oneLine(value)...)
	return append(dst, '\n')
}

// ledgerText makes a memo safe as a transaction description: on one line,
// and without a semicolon, which would start a comment.
func ledgerText(s string) string {
	return strings.ReplaceAll(oneLine(s), ";", ",")
}

// writeBeancount writes a beancount file: options naming the file and its
// operating currency, the commodity and every account opened on the first
// date, then one transaction per entry with the event, the entry number and
// each posting's item, BOM path and quantity as metadata.
func writeBeancount(w *bufio.Writer, m *model, names *[numAccounts]string) {
	title := "Backflush: book " + m.book + ", " + m.periodText()
	if m.title != "" {
		title = m.title + ": book " + m.book + ", " + m.periodText()
	}
	w.WriteString(";; Backflush export of book " + oneLine(m.book) + " (" + m.method + "), " + m.periodText() + "\n")
	w.WriteString(";; Amounts are exact, in " + m.currency + "; debits are positive, credits negative.\n\n")
	w.WriteString("option \"title\" " + beanString(title) + "\n")
	w.WriteString("option \"operating_currency\" \"" + m.currency + "\"\n\n")
	if len(m.entries) == 0 {
		return
	}
	day := m.first.String()
	w.WriteString(day + " commodity " + m.currency + "\n")
	for _, a := range sortedUsed(m, names) {
		w.WriteString(day + " open " + names[a] + " " + m.currency + "\n")
	}
	width := nameWidth(m, names)
	var buf []byte
	for i := range m.entries {
		e := &m.entries[i]
		buf = append(buf[:0], '\n')
		buf = e.date.AppendFormat(buf)
		buf = append(buf, " * "...)
		buf = append(buf, beanString(e.memo)...)
		buf = append(buf, '\n')
		if e.event != "" {
			buf = appendMeta(buf, "  ", "event", e.event)
		}
		buf = appendMeta(buf, "  ", "entry", e.id)
		buf = appendPostings(buf, m, names, width, e, "  ", appendMeta)
		w.Write(buf)
	}
}

// appendMeta appends a beancount metadata line with a string value.
func appendMeta(dst []byte, indent, key, value string) []byte {
	dst = append(dst, indent...)
	dst = append(dst, key...)
	dst = append(dst, ": "...)
	dst = append(dst, beanString(value)...)
	return append(dst, '\n')
}

// beanString quotes text as a beancount string: on one line, with
// backslashes and double quotes escaped.
func beanString(s string) string {
	s = oneLine(s)
	if !strings.ContainsAny(s, "\\\"") {
		return "\"" + s + "\""
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		if r == '"' || r == '\\' {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	b.WriteByte('"')
	return b.String()
}
