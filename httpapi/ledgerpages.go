package httpapi

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/report"
	"github.com/backflush/backflush/service"
)

// The book pages: a trial balance as of a date or for a period, and an
// account's lines filtered by date, item and event type, with page
// numbers, a jump to a date and a CSV download. Negative balances of
// inventory accounts are flagged with the reason they need a look.

// negativeWhy says why a balance needs a look, or "" when it does not:
// an inventory account (materials, WIP, finished goods, materials in
// process) holding less than nothing means more cost was relieved from it
// — at standard, by completions, backflushes or sales — than was charged
// into it.
func negativeWhy(a bf.Account, bal bf.Money) string {
	if bal >= 0 || !slices.Contains(report.InventoryAccounts, a) {
		return ""
	}
	return "negative inventory: more cost was relieved from this account (at standard, by completions, backflushes or sales) than was charged into it — look for missing purchases or conversion, or goods relieved before they were recorded"
}

type tbRow struct {
	Label, Code, Href string
	Debit, Credit     string
	Warn              string
}

type bookBody struct {
	Book, Method, Scope, Basis, Currency string
	Rows                                 []tbRow
	Debit, Credit                        string
	Entries                              int
	AsOf                                 string
	Period                               int
	Periods                              []field       // Label: "P1 …", Value: the number
	Scope2                               string        // what the figures are: "the whole journal", …
	Downloads                            []downloadRow // the whole journal, then each period
	Warned                               bool          // some row is flagged: the note column is shown
}

func (s *Server) bookPage(w http.ResponseWriter, r *http.Request) error {
	chart := s.svc.Chart()
	name := r.PathValue("book")
	q := r.URL.Query()
	asOf, err := dateParam("as_of", q.Get("as_of"))
	if err != nil {
		return err
	}
	period := 0
	if v := q.Get("period"); v != "" {
		if period, err = strconv.Atoi(v); err != nil || period < 1 {
			return badRequest("period", "must be a period number from 1")
		}
	}
	tb, err := s.svc.TrialBalanceOf(service.TrialBalanceQuery{Book: name, AsOf: asOf, Period: period})
	if err != nil {
		return err
	}
	cur := s.svc.Currency()
	scale := cur.Scale
	body := bookBody{Book: name, Method: methodLabel(tb.Config), Scope: tb.Config.Scope.String(), Basis: tb.Config.Basis.String(),
		Currency: cur.Code, Entries: tb.Entries, Period: period, Scope2: "the balances of the whole journal"}
	if asOf != 0 {
		body.AsOf, body.Scope2 = asOf.String(), "the balances as of "+asOf.String()+" (events dated on or before it)"
	}
	for _, p := range s.svc.Periods() {
		label := "P" + itoa(p.Number) + " " + p.From.String() + " to " + p.To.String()
		if !p.Closed {
			label += " (open)"
		}
		if p.Number == period {
			body.Scope2 = "the movements of period " + label
		}
		body.Periods = append(body.Periods, field{Label: label, Value: itoa(p.Number)})
	}
	for _, r := range tb.Rows {
		row := tbRow{Label: accountLabel(chart, r.Account), Code: r.Code, Href: accountHref(name, r.Account)}
		if r.Balance >= 0 { // a zero balance shows as a debit of 0.00
			row.Debit = money(r.Debit(), scale)
		} else {
			row.Credit = money(r.Credit(), scale)
		}
		if period == 0 { // a period's movements may well be negative
			row.Warn = negativeWhy(r.Account, r.Balance)
			body.Warned = body.Warned || row.Warn != ""
		}
		body.Rows = append(body.Rows, row)
	}
	body.Debit, body.Credit = money(tb.Debit, scale), money(tb.Credit, scale)
	body.Downloads = s.downloads(name)
	return s.render(w, r, http.StatusOK, "book", "Trial balance of book "+name, "books", body)
}

// accountPageQuery are the account page's query parameters.
var accountPageQuery = []param{
	{"page", "integer", "the page, from 1 (200 lines a page)"},
	{"event", "string", "only the lines of this event"},
	pFrom, pTo,
	{"item", "string", "only lines of this item (the line's component, else the event's item)"},
	{"type", "string", "only lines of events of this type (purchase, complete, sale, …)"},
	{"at", "date", "go to the page holding the first line dated on or after this date"},
	{"format", "string", "csv: every chosen line as a CSV file instead of the page"},
}

type moveRow struct {
	Date, Event, EventHref, Rule, Origin, Qty string
	Debit, Credit, Balance                    string
	Neg                                       bool
}

type pageLink struct {
	Label, Href string
	Current     bool
}

type accountBody struct {
	Book, BookHref, Account, Code, Balance, Currency string
	Warn                                             string
	Event, From, To, Item, Type                      string
	Types                                            []string
	Rows                                             []moveRow
	Page, Pages, Total                               int
	TotalText                                        string // Total, grouped in thousands
	Prev, Next, CSV, All                             string
	Pager                                            []pageLink
	Filtered                                         bool
}

// accountRoute reads what the account routes (the API's and the page)
// share: the paging in q, and the account the path names in the plant's
// chart.
func (s *Server) accountRoute(r *http.Request, q url.Values, defLimit int) (service.Page, *bf.Chart, bf.Account, error) {
	pg, err := parsePaging(q, defLimit)
	if err != nil {
		return pg, nil, 0, err
	}
	chart := s.svc.Chart()
	a, err := accountOf(chart, r.PathValue("account"))
	return pg, chart, a, err
}

// accountPageSize is the number of lines an account page shows.
const accountPageSize = 200

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	pg, chart, a, err := s.accountRoute(r, url.Values{"page": q["page"]}, accountPageSize)
	if err != nil {
		return err
	}
	name := r.PathValue("book")
	aq := service.AccountQuery{Book: name, Account: a, Event: q.Get("event"), Item: q.Get("item")}
	for _, d := range []struct {
		key string
		to  *bf.Date
	}{{"from", &aq.From}, {"to", &aq.To}, {"at", &aq.At}} {
		if *d.to, err = dateParam(d.key, q.Get(d.key)); err != nil {
			return err
		}
	}
	if v := q.Get("type"); v != "" {
		t, ok := bf.ParseEventType(v)
		if !ok {
			return badRequest("type", "must be an event type (purchase, start, conversion_cost, complete, sale, count, close, expense, wip_count, reverse, reprocess)")
		}
		aq.Type = t
	}
	format := q.Get("format")
	if format != "" && format != "csv" {
		return badRequest("format", "must be csv (or absent for the page)")
	}
	if format == "csv" {
		pg = service.Page{} // every chosen line
	}
	am, page, err := s.svc.AccountLines(aq, pg)
	if err != nil {
		return err
	}
	cur := s.svc.Currency()
	scale := cur.Scale
	if format == "csv" {
		return accountCSV(w, name, chart.CodeOf(a), am, scale)
	}
	pg.Number = page
	info := infoOf(pg, am.Total)
	// the filters, kept by every link of the page
	filters := url.Values{}
	for _, k := range []string{"event", "from", "to", "item", "type"} {
		if v := q.Get(k); v != "" {
			filters.Set(k, v)
		}
	}
	body := accountBody{Book: name, BookHref: bookHref(name), Account: accountLabel(chart, a), Code: chart.CodeOf(a),
		Balance: money(am.Balance, scale), Currency: cur.Code, Warn: negativeWhy(a, am.Balance),
		Event: aq.Event, From: q.Get("from"), To: q.Get("to"), Item: aq.Item, Type: q.Get("type"),
		Page: info.Page, Pages: max(info.Pages, 1), Total: info.Total, TotalText: group(itoa(info.Total)), Filtered: len(filters) > 0}
	for t := bf.EventType(1); t.String() != "?" && t.String() != ""; t++ {
		body.Types = append(body.Types, t.String())
	}
	for _, m := range am.Movements {
		row := moveRow{Date: m.Date.String(), Event: m.Event, EventHref: eventHref(m.Event), Rule: m.Memo, Origin: m.Path,
			Balance: money(m.Balance, scale), Neg: negativeWhy(a, m.Balance) != ""}
		if row.Origin == "" {
			row.Origin = m.Item
		}
		if m.Qty != 0 {
			row.Qty = group(m.Qty.String())
		}
		if m.Amount >= 0 {
			row.Debit = money(m.Amount, scale)
		} else {
			row.Credit = money(-m.Amount, scale)
		}
		body.Rows = append(body.Rows, row)
	}
	base := accountHref(name, a)
	link := func(p int) string {
		v := url.Values{}
		for k, x := range filters {
			v[k] = x
		}
		v.Set("page", itoa(p))
		return base + "?" + v.Encode()
	}
	if info.Page > 1 {
		body.Prev = link(info.Page - 1)
	}
	if info.Page < info.Pages {
		body.Next = link(info.Page + 1)
	}
	body.Pager = pager(info.Page, info.Pages, link)
	csvq := url.Values{}
	for k, x := range filters {
		csvq[k] = x
	}
	csvq.Set("format", "csv")
	body.CSV = base + "?" + csvq.Encode()
	body.All = base
	return s.render(w, r, http.StatusOK, "account", accountLabel(chart, a)+" in book "+name, "books", body)
}

// pager lists the page links shown: the first and last page, and the two
// either side of the current one, with "…" for the gaps.
func pager(page, pages int, link func(int) string) []pageLink {
	if pages <= 1 {
		return nil
	}
	var out []pageLink
	last := 0
	for p := 1; p <= pages; p++ {
		if p != 1 && p != pages && (p < page-2 || p > page+2) {
			continue
		}
		if p > last+1 {
			out = append(out, pageLink{Label: "…"})
		}
		out = append(out, pageLink{Label: itoa(p), Href: link(p), Current: p == page})
		last = p
	}
	return out
}

// accountCSV writes an account's chosen lines as CSV: the columns of the
// API's movements (plain decimals, debit and credit apart).
func accountCSV(w http.ResponseWriter, book, code string, am *service.AccountMovements, scale int) error {
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="`+fileName(book)+"-"+fileName(code)+`.csv"`)
	noStore(w)
	cw := csv.NewWriter(w)
	cw.Write([]string{"date", "event", "rule", "item", "path", "qty", "debit", "credit", "balance"})
	for _, m := range am.Movements {
		j := movementOf(m, scale)
		cw.Write([]string{j.Date, inert(j.Event), inert(j.Rule), inert(j.Item), inert(j.Path), j.Qty, j.Debit, j.Credit, j.Balance})
	}
	cw.Flush()
	return nil // the header is sent: a write error is the client's going away
}

// inert keeps a text cell of a CSV download from being read as a formula
// by a spreadsheet (an event id such as "=HYPERLINK(…)"): one starting
// with =, +, -, @ or a tab gets a leading apostrophe. Figures are plain
// decimals and left alone.
func inert(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
