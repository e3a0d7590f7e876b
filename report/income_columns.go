package report

import (
	"fmt"
	"io"
	"strconv"
	"time"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/internal/textfmt"
)

// YearStart is the first day of a fiscal year: a month and a day.
type YearStart struct {
	Month time.Month
	Day   int
}

// ParseYearStart parses MM-DD; empty is January 1 (calendar years). A
// fiscal year cannot start on February 29.
func ParseYearStart(s string) (YearStart, error) {
	if s == "" {
		return YearStart{time.January, 1}, nil
	}
	t, err := time.Parse("01-02", s)
	if err != nil || len(s) != 5 || t.Month() == time.February && t.Day() == 29 {
		return YearStart{}, bf.E("report income", bf.KindInvalid, bf.Field("fiscal_year_start"), "must be a month and day MM-DD, such as 04-01 (not 02-29)")
	}
	return YearStart{t.Month(), t.Day()}, nil
}

// String formats the start as MM-DD.
func (y YearStart) String() string { return fmt.Sprintf("%02d-%02d", int(y.Month), y.Day) }

// FiscalYear is a fiscal year: its first and last days.
type FiscalYear struct{ Start, End bf.Date }

// YearOf returns the fiscal year that d falls in.
func (y YearStart) YearOf(d bf.Date) FiscalYear {
	at := func(year int) bf.Date { return bf.DateOf(time.Date(year, y.Month, y.Day, 0, 0, 0, 0, time.UTC)) }
	year := d.Time().Year()
	if d < at(year) {
		year--
	}
	return FiscalYear{at(year), at(year+1) - 1}
}

// Label names the fiscal year: its calendar year, or FY2025/26 for one
// that starts on another day than January 1.
func (f FiscalYear) Label() string {
	t := f.Start.Time()
	if t.Month() == time.January && t.Day() == 1 {
		return strconv.Itoa(t.Year())
	}
	return fmt.Sprintf("FY%d/%02d", t.Year(), (t.Year()+1)%100)
}

// IncomeColumn is one column of the columns layout: a period, or the year
// to date of a fiscal year, whose Period spans the year's periods so far
// (Number 0).
type IncomeColumn struct {
	Label  string
	Period Period
	YTD    bool
	Year   FiscalYear
}

// IncomeRow is one line of the statements, with its amount in every column
// (zero where a period's statement leaves the line out).
type IncomeRow struct {
	Label   string
	Total   bool
	Amounts []bf.Money
}

// IncomeColumns is a book's income statements with the periods as columns:
// after the periods of each fiscal year, a year-to-date column that sums
// them. Inventory is the book's total inventory at the end of each column
// (for a year to date, at the end of its last period).
type IncomeColumns struct {
	Book, Format string
	Columns      []IncomeColumn
	Rows         []IncomeRow
	Inventory    []bf.Money
}

// IncomeByColumns lays a book's income statements (IncomeStatements) out
// with the periods as columns. A period belongs to the fiscal year its last
// event falls in (never an earlier year than the period before it); each
// year's periods are followed by a year-to-date column: every line the sum
// of the year's periods (the fixed-overhead split too, whose budget is a
// period's), the inventory that at the end of its last period. The year
// to date is checked against the journal: its operating income must be
// minus the movement of the income-statement accounts over the year's
// events (CheckIncome).
func IncomeByColumns(l *costing.Ledger, b *costing.Book, ys YearStart) (IncomeColumns, error) {
	out := IncomeColumns{Book: b.Config.Name, Format: b.Config.Scope.String()}
	var sts []Statement // one per column; a year to date's is the sum
	var year FiscalYear
	first := 0 // the column of the year's first period
	closeYear := func() error {
		ytd := Statement{Book: out.Book, Format: out.Format}
		p := sts[first].Period
		for _, st := range sts[first:] {
			ytd.Lines = mergeLines(ytd.Lines, st.Lines)
			ytd.OperatingIncome += st.OperatingIncome
			p.From, p.To = min(p.From, st.Period.From), max(p.To, st.Period.To)
			p.LastEvent, p.Closed = st.Period.LastEvent, st.Period.Closed
		}
		p.Number = 0
		ytd.Period, ytd.Inventory = p, sts[len(sts)-1].Inventory
		if err := CheckIncome(b, ytd); err != nil {
			return bf.E("report income", bf.KindInternal, "the year to date "+year.Label()+" does not agree with the journal: "+err.Error())
		}
		out.Columns = append(out.Columns, IncomeColumn{Label: "YTD " + year.Label(), Period: p, YTD: true, Year: year})
		sts = append(sts, ytd)
		first = len(sts)
		return nil
	}
	for _, st := range IncomeStatements(l, b) {
		fy := ys.YearOf(st.Period.To)
		if len(sts) > 0 && fy.Start > year.Start {
			if err := closeYear(); err != nil {
				return out, err
			}
		}
		if len(sts) == 0 || fy.Start > year.Start {
			year = fy
		}
		label := "P" + strconv.Itoa(st.Period.Number)
		if !st.Period.Closed {
			label += " open"
		}
		out.Columns = append(out.Columns, IncomeColumn{Label: label, Period: st.Period, Year: year})
		sts = append(sts, st)
	}
	if len(sts) > 0 {
		if err := closeYear(); err != nil {
			return out, err
		}
	}
	// The rows: every line of any column, in the order of the statements.
	var rows []StatementLine
	for _, st := range sts {
		rows = mergeLines(rows, st.Lines)
	}
	for _, r := range rows {
		row := IncomeRow{Label: r.Label, Total: r.Total, Amounts: make([]bf.Money, len(sts))}
		for k, st := range sts {
			for _, ln := range st.Lines {
				if ln.Label == r.Label {
					row.Amounts[k] = ln.Amount
				}
			}
		}
		out.Rows = append(out.Rows, row)
	}
	for _, st := range sts {
		out.Inventory = append(out.Inventory, st.Inventory)
	}
	return out, nil
}

// mergeLines adds the lines of st to sum: amounts of a label already there
// are added to it, a new label is inserted after the label st puts before
// it, so that statements whose optional lines differ keep one order.
func mergeLines(sum, st []StatementLine) []StatementLine {
	at := -1 // where the last line of st stands in sum
	for _, ln := range st {
		j := -1
		for k := range sum {
			if sum[k].Label == ln.Label {
				j = k
				break
			}
		}
		if j < 0 {
			j = at + 1
			sum = append(sum[:j], append([]StatementLine{{Label: ln.Label, Total: ln.Total}}, sum[j:]...)...)
		}
		sum[j].Amount += ln.Amount
		at = j
	}
	return sum
}

// WriteIncomeColumns writes the income statements of the chosen books with
// the periods as columns and the year to date (IncomeByColumns), as text
// or JSON; yearStart is the fiscal year's first day, MM-DD (01-01 when
// empty).
func WriteIncomeColumns(w io.Writer, l *costing.Ledger, o Options, yearStart string, asJSON bool) error {
	if err := l.History("report income"); err != nil { // a streaming ledger has no journal to read
		return err
	}
	ys, err := ParseYearStart(yearStart)
	if err != nil {
		return err
	}
	var all []IncomeColumns
	for _, b := range o.books(l) {
		c, err := IncomeByColumns(l, b, ys)
		if err != nil {
			return err
		}
		all = append(all, c)
	}
	scale := l.Std.Scale
	if asJSON {
		type column struct {
			Label     string `json:"label"`
			Period    int    `json:"period,omitempty"`
			YTD       bool   `json:"ytd,omitempty"`
			YearStart string `json:"fiscal_year_from"`
			YearEnd   string `json:"fiscal_year_to"`
			From      string `json:"from"`
			To        string `json:"to"`
			Closed    bool   `json:"closed"`
		}
		type row struct {
			Label   string   `json:"label"`
			Total   bool     `json:"total,omitempty"`
			Amounts []string `json:"amounts"`
		}
		type stmt struct {
			Book      string   `json:"book"`
			Format    string   `json:"format"`
			Columns   []column `json:"columns"`
			Lines     []row    `json:"lines"`
			Inventory []string `json:"inventory"`
		}
		out := []stmt{}
		for _, c := range all {
			s := stmt{Book: c.Book, Format: c.Format, Columns: []column{}, Lines: []row{}, Inventory: formatAll(c.Inventory, scale)}
			for _, col := range c.Columns {
				s.Columns = append(s.Columns, column{col.Label, col.Period.Number, col.YTD, col.Year.Start.String(), col.Year.End.String(),
					col.Period.From.String(), col.Period.To.String(), col.Period.Closed})
			}
			for _, r := range c.Rows {
				s.Lines = append(s.Lines, row{r.Label, r.Total, formatAll(r.Amounts, scale)})
			}
			out = append(out, s)
		}
		return writeJSON(w, map[string]any{"layout": "columns", "fiscal_year_start": ys.String(), "currency": l.Std.Plant.Currency.Code, "statements": out})
	}
	ew := &textfmt.ErrWriter{W: w}
	if o.Title != "" {
		fmt.Fprintf(ew, "%s (%s)\n", o.Title, l.Std.Plant.Currency.Code)
	}
	for _, c := range all {
		fmt.Fprintf(ew, "\n== %s: %s income statements by period, with the year to date (fiscal years from %s) ==\n", c.Book, c.Format, ys)
		if len(c.Columns) == 0 {
			fmt.Fprintf(ew, "No events, no periods.\n")
			continue
		}
		var tb textfmt.Table
		head, dates := []string{""}, []string{""}
		for _, col := range c.Columns {
			head = append(head, col.Label)
			dates = append(dates, "to "+col.Period.To.String())
		}
		tb.Add(head...)
		tb.Add(dates...)
		for _, r := range c.Rows {
			label := "  " + r.Label
			if r.Total {
				label = r.Label
			}
			tb.Add(append([]string{label}, formatAll(r.Amounts, scale)...)...)
		}
		tb.Add(append([]string{"inventory at the end"}, formatAll(c.Inventory, scale)...)...)
		tb.Flush(ew)
	}
	return ew.Err
}

// formatAll formats amounts at the currency's scale.
func formatAll(ms []bf.Money, scale int) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Format(scale)
	}
	return out
}
