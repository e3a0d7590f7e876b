package export

import (
	"archive/zip"
	"encoding/xml"
	"io"
	"strconv"
	"strings"
	"time"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/report"
)

// The workbook is written by hand: a minimal SpreadsheetML package (the
// content types, the package and workbook relationships, the workbook, a
// style sheet and one worksheet per sheet) is a few hundred lines of XML,
// while a spreadsheet library would be the module's largest dependency for
// three sheets of rows. Numbers are numeric cells holding the exact decimal
// text of the amount; dates are date serials with a date format; text is
// inline, so no shared-string table is needed.

// Cell styles, indexes into cellXfs of the style sheet.
const (
	styleNone      = 0
	styleMoney     = 1
	styleDate      = 2
	styleBold      = 3
	styleBoldMoney = 4
)

// cell is one spreadsheet cell: text, a number (its exact decimal text) or
// empty.
type cell struct {
	num   bool
	text  string
	style int
}

// sheet is one worksheet: its name, column widths and rows.
type sheet struct {
	name   string
	widths []float64
	rows   [][]cell
}

func text(s string) cell              { return cell{text: s} }
func bold(s string) cell              { return cell{text: s, style: styleBold} }
func number(s string, style int) cell { return cell{num: true, text: s, style: style} }

// money is an amount as a numeric cell, empty when zero and blank is true.
func money(m bf.Money, scale int, blank bool, style int) cell {
	if m == 0 && blank {
		return cell{}
	}
	return number(m.Format(scale), style)
}

// excelEpoch is 1899-12-30 in days from 1970-01-01: day zero of the date
// serials spreadsheet programs use (the 1900 leap-year bug included).
const excelEpoch = -25569

func date(d bf.Date) cell {
	return number(strconv.Itoa(int(d)-excelEpoch), styleDate)
}

// writeXLSX writes the workbook: the journal, the trial balance and the
// income statements of the exported span.
func writeXLSX(w io.Writer, m *model, l *costing.Ledger, b *costing.Book, c *bf.Chart) error {
	sheets := []sheet{journalSheet(m, c), trialSheet(m, c), incomeSheet(m, l, b)}
	return writeWorkbook(w, sheets, m.scale)
}

func journalSheet(m *model, c *bf.Chart) sheet {
	s := sheet{name: "Journal", widths: []float64{11, 8, 10, 48, 22, 30, 16, 16, 14, 28, 12}}
	head := make([]cell, len(CSVColumns))
	for i, h := range CSVColumns {
		head[i] = bold(h)
	}
	s.rows = append(s.rows, head)
	for i := range m.entries {
		e := &m.entries[i]
		id := text(e.id)
		if _, err := strconv.Atoi(e.id); err == nil {
			id = number(e.id, styleNone)
		}
		for _, ln := range e.lines {
			qty := cell{}
			if ln.qty != "" {
				qty = number(ln.qty, styleNone)
			}
			var debit, credit bf.Money
			if ln.amount > 0 {
				debit = ln.amount
			} else {
				credit = -ln.amount
			}
			s.rows = append(s.rows, []cell{date(e.date), id, text(e.event), text(e.memo),
				text(AccountCode(ln.acct, c)), text(AccountTitle(ln.acct, c)),
				money(debit, m.scale, true, styleMoney), money(credit, m.scale, true, styleMoney),
				text(ln.item), text(ln.path), qty})
		}
	}
	return s
}

func trialSheet(m *model, c *bf.Chart) sheet {
	s := sheet{name: "Trial balance", widths: []float64{22, 32, 16, 16}}
	s.rows = append(s.rows, []cell{bold("account"), bold("account_name"), bold("debit"), bold("credit")})
	tb := m.trialBalance(c)
	for _, r := range tb.Rows {
		s.rows = append(s.rows, []cell{text(r.Code), text(r.Name), money(r.Debit(), m.scale, true, styleMoney), money(r.Credit(), m.scale, true, styleMoney)})
	}
	s.rows = append(s.rows, []cell{bold("total"), {}, money(tb.Debit, m.scale, false, styleBoldMoney), money(tb.Credit, m.scale, false, styleBoldMoney)})
	return s
}

func incomeSheet(m *model, l *costing.Ledger, b *costing.Book) sheet {
	s := sheet{name: "Income statements", widths: []float64{8, 11, 11, 8, 12, 52, 16}}
	s.rows = append(s.rows, []cell{bold("period"), bold("from"), bold("to"), bold("state"), bold("format"), bold("line"), bold("amount")})
	for _, st := range report.IncomeStatements(l, b) {
		if m.period != nil && st.Period.Number != m.period.Number {
			continue
		}
		state := "closed"
		if !st.Period.Closed {
			state = "open"
		}
		lead := []cell{number(strconv.Itoa(st.Period.Number), styleNone), date(st.Period.From), date(st.Period.To), text(state), text(st.Format)}
		for _, ln := range st.Lines {
			label, amt := text(ln.Label), money(ln.Amount, m.scale, false, styleMoney)
			if ln.Total {
				label, amt = bold(ln.Label), money(ln.Amount, m.scale, false, styleBoldMoney)
			}
			s.rows = append(s.rows, append(append([]cell{}, lead...), label, amt))
		}
		s.rows = append(s.rows, append(append([]cell{}, lead...), text("inventory at the end of the period"), money(st.Inventory, m.scale, false, styleMoney)))
	}
	return s
}

// colName returns the column letters of a 0-based column index (A, B, …, Z, AA).
func colName(i int) string {
	var b []byte
	for i++; i > 0; i = (i - 1) / 26 {
		b = append([]byte{byte('A' + (i-1)%26)}, b...)
	}
	return string(b)
}

const (
	nsMain = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	nsRel  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	nsPkg  = "http://schemas.openxmlformats.org/package/2006/relationships"
	xmlHdr = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
)

// writeWorkbook writes the sheets as an .xlsx package.
func writeWorkbook(w io.Writer, sheets []sheet, scale int) error {
	zw := zip.NewWriter(w)
	// A fixed time keeps the file the same for the same book, so exports
	// can be compared and committed.
	stamp := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	put := func(name, body string) error {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: stamp})
		if err != nil {
			return err
		}
		_, err = io.WriteString(f, body)
		return err
	}
	var ct, rels, wb strings.Builder
	ct.WriteString(xmlHdr + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
		`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>`)
	rels.WriteString(xmlHdr + `<Relationships xmlns="` + nsPkg + `">`)
	wb.WriteString(xmlHdr + `<workbook xmlns="` + nsMain + `" xmlns:r="` + nsRel + `"><bookViews><workbookView/></bookViews><sheets>`)
	for i, s := range sheets {
		n := strconv.Itoa(i + 1)
		ct.WriteString(`<Override PartName="/xl/worksheets/sheet` + n + `.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`)
		rels.WriteString(`<Relationship Id="rId` + n + `" Type="` + nsRel + `/worksheet" Target="worksheets/sheet` + n + `.xml"/>`)
		wb.WriteString(`<sheet name="` + escape(s.name) + `" sheetId="` + n + `" r:id="rId` + n + `"/>`)
	}
	ct.WriteString(`</Types>`)
	rels.WriteString(`<Relationship Id="rId` + strconv.Itoa(len(sheets)+1) + `" Type="` + nsRel + `/styles" Target="styles.xml"/></Relationships>`)
	wb.WriteString(`</sheets></workbook>`)
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", ct.String()},
		{"_rels/.rels", xmlHdr + `<Relationships xmlns="` + nsPkg + `"><Relationship Id="rId1" Type="` + nsRel + `/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", wb.String()},
		{"xl/_rels/workbook.xml.rels", rels.String()},
		{"xl/styles.xml", styles(scale)},
	}
	for _, p := range parts {
		if err := put(p.name, p.body); err != nil {
			return err
		}
	}
	for i, s := range sheets {
		if err := put("xl/worksheets/sheet"+strconv.Itoa(i+1)+".xml", worksheet(&s)); err != nil {
			return err
		}
	}
	return zw.Close()
}

// styles returns the style sheet: money with thousands separators and the
// currency's decimals, ISO dates, and bold headers and totals.
func styles(scale int) string {
	format := "#,##0"
	if scale > 0 {
		format += "." + strings.Repeat("0", scale)
	}
	return xmlHdr + `<styleSheet xmlns="` + nsMain + `">` +
		`<numFmts count="2"><numFmt numFmtId="164" formatCode="` + format + `"/><numFmt numFmtId="165" formatCode="yyyy-mm-dd"/></numFmts>` +
		`<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>` +
		`<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
		`<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
		`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
		`<cellXfs count="5">` +
		`<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
		`<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
		`<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
		`<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>` +
		`<xf numFmtId="164" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"/>` +
		`</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`
}

// worksheet renders one sheet, its header row frozen.
func worksheet(s *sheet) string {
	var b strings.Builder
	b.WriteString(xmlHdr + `<worksheet xmlns="` + nsMain + `" xmlns:r="` + nsRel + `">`)
	b.WriteString(`<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>`)
	b.WriteString(`<sheetFormatPr defaultRowHeight="15"/><cols>`)
	for i, wd := range s.widths {
		n := strconv.Itoa(i + 1)
		b.WriteString(`<col min="` + n + `" max="` + n + `" width="` + strconv.FormatFloat(wd, 'f', -1, 64) + `" customWidth="1"/>`)
	}
	b.WriteString(`</cols><sheetData>`)
	for r, row := range s.rows {
		rn := strconv.Itoa(r + 1)
		b.WriteString(`<row r="` + rn + `">`)
		for c, x := range row {
			if x.text == "" {
				continue
			}
			ref := colName(c) + rn
			b.WriteString(`<c r="` + ref + `"`)
			if x.style != styleNone {
				b.WriteString(` s="` + strconv.Itoa(x.style) + `"`)
			}
			if x.num {
				b.WriteString(`><v>` + x.text + `</v></c>`)
				continue
			}
			b.WriteString(` t="inlineStr"><is><t`)
			if strings.TrimSpace(x.text) != x.text {
				b.WriteString(` xml:space="preserve"`)
			}
			b.WriteString(`>` + escape(x.text) + `</t></is></c>`)
		}
		b.WriteString(`</row>`)
	}
	b.WriteString(`</sheetData></worksheet>`)
	return b.String()
}

// escape escapes text for XML; characters XML cannot hold become U+FFFD.
func escape(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}
