package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/internal/textfmt"
)

// direction says whether a variance is favourable, for people and JSON.
func direction(v *costing.VarianceLine) string {
	switch {
	case v.Amount > 0:
		return "unfavourable"
	case v.Amount < 0:
		return "favourable"
	}
	return "none"
}

// accountName names a variance account, or a pool by its two accounts, in
// the plant's codes.
func accountName(a *costing.VarianceAccount, chart *bf.Chart) string {
	names := make([]string, len(a.Accounts))
	for i, x := range a.Accounts {
		names[i] = chart.CodeOf(x)
	}
	return strings.Join(names, " + ")
}

// WriteVariances writes the variance report of the book o.Book names (by
// default the one costing.VarianceBook chooses) as text or JSON. It fails,
// writing nothing, when the variances do not reconcile to the book.
func WriteVariances(w io.Writer, l *costing.Ledger, o Options, asJSON bool) error {
	if err := l.History("report variances"); err != nil { // a streaming ledger has no journal to read
		return err
	}
	b, why, err := costing.VarianceBook(l, o.Book)
	if err != nil {
		return err
	}
	v, err := costing.BookVariances(l, b)
	if err != nil {
		return err
	}
	scale := l.Std.Scale
	periods := Periods(l)
	if asJSON {
		type line struct {
			Period    int      `json:"period"`
			To        string   `json:"to"`
			Item      string   `json:"item,omitempty"`
			Cause     string   `json:"cause"`
			Account   string   `json:"account"`
			Amount    string   `json:"amount"`
			Direction string   `json:"direction"`
			Events    []string `json:"events"`
		}
		type account struct {
			Account   string `json:"account"`
			Variances string `json:"variances"`
			Book      string `json:"book"`
			Closed    string `json:"closed,omitempty"`
			Open      string `json:"open,omitempty"`
		}
		lines, accts := []line{}, []account{}
		for i := range v.Lines {
			x := &v.Lines[i]
			lines = append(lines, line{x.Period, periods[x.Period-1].To.String(), x.Item, x.Cause.String(),
				accountName(&v.Accounts[x.Account], o.Chart), x.Amount.Format(scale), direction(x), x.Events})
		}
		for i := range v.Accounts {
			a := &v.Accounts[i]
			j := account{Account: accountName(a, o.Chart), Variances: a.Lines.Format(scale), Book: a.Book.Format(scale)}
			if a.Pool {
				j.Closed, j.Open = a.Closed.Format(scale), a.Open.Format(scale)
			}
			accts = append(accts, j)
		}
		out := map[string]any{"book": b.Config.Name, "chosen": why, "currency": l.Std.Plant.Currency.Code,
			"lines": lines, "accounts": accts, "reconciles": true, "notes": v.Notes}
		if len(v.Conversion) > 0 {
			type hours struct {
				Period        int    `json:"period"`
				To            string `json:"to"`
				StandardRate  string `json:"standard_rate"`
				Actual        string `json:"actual"`
				ActualHours   string `json:"actual_hours"`
				StandardHours string `json:"standard_hours"`
				Applied       string `json:"applied"`
				Rate          string `json:"rate_variance"`
				Efficiency    string `json:"efficiency_variance"`
			}
			var hs []hours
			for _, c := range v.Conversion {
				hs = append(hs, hours{c.Period, periods[c.Period-1].To.String(), l.Std.Plant.ConversionRate.String(), c.Actual.Format(scale),
					c.ActualHours.String(), c.StandardHours.String(), c.Applied.Format(scale), c.Rate.Format(scale), c.Efficiency.Format(scale)})
			}
			out["conversion_hours"] = hs
		}
		return writeJSON(w, out)
	}
	ew := &textfmt.ErrWriter{W: w}
	if o.Title != "" {
		fmt.Fprintf(ew, "%s (%s)\n", o.Title, l.Std.Plant.Currency.Code)
	}
	fmt.Fprintf(ew, "\n== Variances of book %s (%s) by period, item and cause ==\n", b.Config.Name, why)
	fmt.Fprintf(ew, "Positive amounts are unfavourable (U: a debit, more cost than standard), negative favourable (F).\n\n")
	tb := textfmt.Table{Left: map[int]bool{1: true, 2: true, 4: true, 5: true}}
	if len(v.Lines) == 0 {
		fmt.Fprintf(ew, "No variances.\n")
	} else {
		tb.Add("period", "item", "cause", "amount", "F/U", "events")
	}
	for i := range v.Lines {
		x := &v.Lines[i]
		item := x.Item
		if item == "" {
			item = "(plant)"
		}
		fu := ""
		if x.Amount != 0 {
			fu = strings.ToUpper(direction(x)[:1])
		}
		tb.Add(periodLabel(periods[x.Period-1]), item, x.Cause.Words(), x.Amount.Format(scale), fu, eventList(x.Events, 4))
	}
	tb.Flush(ew)
	if len(v.Conversion) > 0 {
		fmt.Fprintf(ew, "\nConversion by the hours worked, at the standard rate of %s an hour\n", l.Std.Plant.ConversionRate)
		fmt.Fprintf(ew, "(rate = actual − actual hours × standard rate; efficiency = (actual hours − standard hours) × standard rate)\n")
		tb = textfmt.Table{Left: map[int]bool{0: true}}
		tb.Add("  period", "actual", "actual hours", "standard hours", "applied", "rate", "efficiency")
		for _, c := range v.Conversion {
			tb.Add("  "+periodLabel(periods[c.Period-1]), c.Actual.Format(scale), c.ActualHours.String(), c.StandardHours.String(),
				c.Applied.Format(scale), c.Rate.Format(scale), c.Efficiency.Format(scale))
		}
		tb.Flush(ew)
	}
	fmt.Fprintf(ew, "\nReconciliation to the book's variance accounts (a pool: what its closes disposed of, and what is open)\n")
	tb = textfmt.Table{}
	tb.Add("  account", "variances", "book", "closed", "open")
	for i := range v.Accounts {
		a := &v.Accounts[i]
		closed, open := "", ""
		if a.Pool {
			closed, open = a.Closed.Format(scale), a.Open.Format(scale)
		}
		tb.Add("  "+accountName(a, o.Chart), a.Lines.Format(scale), a.Book.Format(scale), closed, open)
	}
	tb.Flush(ew)
	fmt.Fprintf(ew, "The variances reconcile to the book to the cent.\n")
	for _, n := range v.Notes {
		fmt.Fprintf(ew, "note: %s\n", n)
	}
	return ew.Err
}

// eventList joins up to n event ids, counting the rest.
func eventList(ids []string, n int) string {
	if len(ids) <= n {
		return strings.Join(ids, ", ")
	}
	return strings.Join(ids[:n], ", ") + " and " + strconv.Itoa(len(ids)-n) + " more"
}
