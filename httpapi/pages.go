package httpapi

import (
	"bytes"
	"embed"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/internal/textfmt"
	"github.com/backflush/backflush/report"
)

// The dashboard is server-rendered HTML: one template per page inside one
// layout, the CSS inlined, charts drawn as inline SVG by the server. There
// is no script at all, so nothing needs building and nothing can break in
// a browser's console; the Content-Security-Policy forbids scripts outright.

//go:embed templates/*.html templates/style.css
var templateFS embed.FS

var pageTemplates = func() map[string]*template.Template {
	layout := template.Must(template.New("layout.html").ParseFS(templateFS, "templates/layout.html"))
	out := map[string]*template.Template{}
	for _, p := range []string{"home", "book", "account", "event", "inventory", "queue", "login", "error",
		"statements", "report", "monthend", "confirm", "downloads"} {
		out[p] = template.Must(template.Must(layout.Clone()).ParseFS(templateFS, "templates/"+p+".html"))
	}
	return out
}()

var styleCSS = func() template.CSS {
	b, err := templateFS.ReadFile("templates/style.css")
	if err != nil {
		panic(err)
	}
	return template.CSS(b)
}()

// pagesCSP allows the inline style and nothing else: no script, no
// external asset, no framing, forms only to this server.
const pagesCSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// pageData is what every page's template gets.
type pageData struct {
	Title string
	Plant string
	User  string
	Role  string
	Nav   string // the active menu entry
	CSRF  string // the session's form token (monthend.go)
	CSS   template.CSS
	Body  any
}

func (s *Server) registerPages() {
	page := func(path, nav string, d opDoc, h handlerFunc) {
		d.tag, d.resp = tagDashboard, "html"
		s.handle(Route{Method: http.MethodGet, Path: path, Role: bf.Viewer, Page: true, doc: d}, h)
	}
	page("/{$}", "home", opDoc{summary: "Dashboard: the books side by side"}, s.homePage)
	page("/books/{book}", "books", opDoc{summary: "A book's trial balance, as of a date or for a period, each account linking to its drill-down",
		query: []param{{"as_of", "date", "the balances as of this date (events dated on or before it)"}, {"period", "integer", "the movements of this period, from 1"}}, errs: []int{400, 404}}, s.bookPage)
	s.handle(Route{Method: http.MethodGet, Path: "/books/{book}/download", Role: bf.Viewer, Page: true, doc: opDoc{tag: tagDashboard,
		summary: "Download a book's journal (the dashboard's links): what GET /api/v1/books/{book}/export sends",
		query:   []param{{"format", "string", "ledger, hledger, beancount, csv or xlsx (required)"}, {"period", "integer", "only this period, from 1"}},
		resp:    "download", errs: []int{400, 404}}}, s.getExport)
	page("/books/{book}/accounts/{account}", "books", opDoc{summary: "The entries that moved an account, each linking to its event, filtered, paginated, or as CSV",
		query: accountPageQuery, errs: []int{400, 404}}, s.accountPage)
	page("/events/{id}", "events", opDoc{summary: "An event, every book's entries for it, and the BOM behind each line", errs: []int{404}}, s.eventPage)
	page("/inventory", "inventory", opDoc{summary: "Inventory per account over time, per book (SVG charts)", query: []param{pBook}, errs: []int{404}}, s.inventoryPage)
	page("/queue", "queue", opDoc{summary: "The failed-backflush queue"}, s.queuePage)
	s.registerStatements(page)
	s.registerMonthEnd()
	s.registerDownloads(page)
	s.handle(Route{Method: http.MethodGet, Path: "/login", Page: true, doc: opDoc{tag: tagDashboard, summary: "The login form",
		query: []param{{"next", "string", "the page to go to after login"}}, resp: "html"}}, s.loginForm)
	s.handle(Route{Method: http.MethodPost, Path: "/login", Page: true, doc: opDoc{tag: tagDashboard, summary: "Log in with a token: sets an HttpOnly SameSite=Strict cookie",
		form: true, status: 303, resp: "redirect", errs: []int{401, 413}}}, s.login)
	s.handle(Route{Method: http.MethodPost, Path: "/logout", Page: true, doc: opDoc{tag: tagDashboard, summary: "Log out: clears the cookie",
		status: 303, resp: "redirect"}}, s.logout)
}

// render writes a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name, title, nav string, body any) error {
	c := caller(r)
	d := pageData{Title: title, Plant: s.svc.Name(), User: c.name, Nav: nav, CSS: styleCSS, Body: body}
	if c.name != "" {
		d.CSRF = csrfToken(credential(r, true))
	}
	if c.role != 0 {
		d.Role = c.role.String()
	}
	var buf bytes.Buffer
	if err := pageTemplates[name].ExecuteTemplate(&buf, "layout.html", d); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", pagesCSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
	return nil
}

// pageError shows an error as a page; a visitor without a valid login is
// sent to the login form instead, and comes back after it.
func (s *Server) pageError(w http.ResponseWriter, r *http.Request, err error) {
	status, body := describe(err)
	if status == http.StatusUnauthorized && r.Method == http.MethodGet {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	if status >= 500 {
		s.log.Error("page failed", "path", r.URL.Path, "err", err)
	}
	titles := map[int]string{400: "That request is not valid", 401: "Please log in", 403: "Not allowed", 404: "Not found", 409: "Refused", 413: "Too large"}
	title := titles[status]
	if title == "" {
		title = "Something went wrong"
	}
	back := errorBody{ErrorBody: body, Back: "/", BackTo: "the books"}
	if strings.HasPrefix(r.URL.Path, "/month-end") { // a refused form: back to the forms, to correct it
		back.Back, back.BackTo = "/month-end", "month end"
	}
	if rerr := s.render(w, r, status, "error", title, "", back); rerr != nil {
		writeError(w, err)
	}
}

// errorBody is an error page: the error, and where to go back to.
type errorBody struct {
	ErrorBody
	Back, BackTo string
}

// money and group show an amount and a decimal (a quantity) to people:
// thousands grouped, the currency's decimals kept, and the ASCII hyphen for
// a minus, as the dashboard always has. The API keeps plain decimal strings
// for machines.
func money(m bf.Money, scale int) string { return textfmt.Money(m, scale, textfmt.Hyphen) }

func group(s string) string { return textfmt.Grouped(s, textfmt.Hyphen) }

// accountLabel names an account for people: the plant's name for it, else
// its id in words ("materials_in_process" → "Materials in process").
func accountLabel(chart *bf.Chart, a bf.Account) string {
	if a < bf.NumAccounts && chart.Name[a] != "" {
		return chart.Name[a]
	}
	s := strings.ReplaceAll(a.String(), "_", " ")
	switch a {
	case bf.COGS:
		return "Cost of goods sold"
	case bf.WIP:
		return "Work in process"
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// cell is one amount in a table: its text and where it links.
type cell struct {
	Text string
	Href string
	Warn string // why the amount needs a look (negativeWhy)
}

type homeRow struct {
	Label string
	Code  string
	Cells []cell
	Total bool
}

type homeBook struct {
	Name, Method, Scope, Basis string
	Href                       string
}

type homeBody struct {
	Currency      string
	Books         []homeBook
	Inventory     []homeRow
	Income        []homeRow
	Events        int
	ClosedThrough string
	Queue         int
	Versions      int
	Negative      []string // inventory accounts below zero, "book: account amount"
}

func bookHref(b string) string { return "/books/" + url.PathEscape(b) }

func accountHref(b string, a bf.Account) string {
	return "/books/" + url.PathEscape(b) + "/accounts/" + url.PathEscape(a.String())
}

func eventHref(id string) string { return "/events/" + url.PathEscape(id) }

func methodLabel(c bf.BookConfig) string {
	if c.Method == bf.MethodBackflush {
		return "backflush at " + strings.ReplaceAll(c.Triggers.String(), "+", " and ")
	}
	return "sequential"
}

func (s *Server) homePage(w http.ResponseWriter, r *http.Request) error {
	chart, cur := s.svc.Chart(), s.svc.Currency()
	scale := cur.Scale
	body := homeBody{Currency: cur.Code, Events: s.svc.Len(), Queue: len(s.svc.Queue()), Versions: len(s.svc.Versions())}
	if ct := s.svc.ClosedThrough(); ct != 0 {
		body.ClosedThrough = ct.String()
	}
	books := s.svc.Books()
	var used [bf.NumAccounts]bool
	for _, b := range books {
		for a := range b.Used {
			used[a] = used[a] || b.Used[a]
		}
		body.Books = append(body.Books, homeBook{Name: b.Config.Name, Method: methodLabel(b.Config), Scope: b.Config.Scope.String(),
			Basis: b.Config.Basis.String(), Href: bookHref(b.Config.Name)})
	}
	for _, a := range report.InventoryAccounts {
		if !used[a] {
			continue
		}
		row := homeRow{Label: accountLabel(chart, a), Code: chart.CodeOf(a)}
		for _, b := range books {
			c := cell{Text: "—"}
			if b.Used[a] {
				v := b.Summary.Inventory[a]
				c = cell{Text: money(v, scale), Href: accountHref(b.Config.Name, a), Warn: negativeWhy(a, v)}
				if c.Warn != "" {
					body.Negative = append(body.Negative, b.Config.Name+": "+accountLabel(chart, a)+" "+c.Text)
				}
			}
			row.Cells = append(row.Cells, c)
		}
		body.Inventory = append(body.Inventory, row)
	}
	total := homeRow{Label: "Total inventory", Total: true}
	rev := homeRow{Label: "Revenue"}
	cogs := homeRow{Label: "Cost of goods sold", Code: chart.CodeOf(bf.COGS)}
	exp := homeRow{Label: "All expenses (COGS, variances, period costs)"}
	inc := homeRow{Label: "Operating income", Total: true}
	for _, b := range books {
		sm := &b.Summary
		total.Cells = append(total.Cells, cell{Text: money(sm.TotalInventory, scale)})
		rev.Cells = append(rev.Cells, cell{Text: money(sm.Revenue, scale), Href: accountHref(b.Config.Name, bf.SalesRevenue)})
		cogs.Cells = append(cogs.Cells, cell{Text: money(sm.COGS, scale), Href: accountHref(b.Config.Name, bf.COGS)})
		exp.Cells = append(exp.Cells, cell{Text: money(sm.Expenses, scale)})
		inc.Cells = append(inc.Cells, cell{Text: money(sm.OperatingIncome, scale)})
	}
	body.Inventory = append(body.Inventory, total)
	body.Income = []homeRow{rev, cogs, exp, inc}
	return s.render(w, r, http.StatusOK, "home", "The books side by side", "home", body)
}

type field struct{ Label, Value, Href string }

type eventLine struct {
	Account, AccountHref, Code string
	Debit, Credit, Qty         string
	Item, Path                 string
}

type eventEntry struct {
	Number int
	Rule   string
	Lines  []eventLine
}

type eventBook struct {
	Book, Href string
	Entries    []eventEntry
}

type bomRow struct{ Component, Per, Path, Issued string }

type eventBody struct {
	ID       string
	Fields   []field
	Books    []eventBook
	BOMItem  string
	BOM      []bomRow
	Currency string
	Reverse  string // for a controller: the month-end page's reversal form for this event
}

func (s *Server) eventPage(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	chart := s.svc.Chart()
	d, err := s.svc.Event(id)
	if err != nil {
		return err
	}
	cur := s.svc.Currency()
	scale := cur.Scale
	e := &d.Event
	body := eventBody{ID: e.ID, Currency: cur.Code}
	add := func(label, value, href string) {
		if value != "" && value != "0" {
			body.Fields = append(body.Fields, field{label, value, href})
		}
	}
	add("Type", strings.ReplaceAll(e.Type.String(), "_", " "), "")
	add("Date", e.Date.String(), "")
	add("Period", itoa(d.Period), "")
	add("Position in the log", itoa(d.Position)+" of "+itoa(d.Len), "")
	add("Item", e.Item, "")
	if e.Qty != 0 || e.Type == bf.Count {
		add("Quantity", group(e.Qty.String()), "")
	}
	if e.ScrapQty != 0 {
		add("Scrapped", group(e.ScrapQty.String()), "")
	}
	if e.UnitCost != 0 {
		add("Unit cost", e.UnitCost.String(), "")
	}
	if e.UnitPrice != 0 {
		add("Unit price", e.UnitPrice.String(), "")
	}
	if e.Amount != 0 {
		add("Amount", money(e.Amount, scale), "")
	}
	add("Behavior", e.Behavior.String(), "")
	if e.Type == bf.WIPCount {
		add("Materials complete %", e.MaterialsPct.String(), "")
		add("Conversion complete %", e.ConversionPct.String(), "")
	}
	if e.Reverses != "" {
		add("Reverses", e.Reverses, eventHref(e.Reverses))
	}
	if d.ReversedBy != "" {
		add("Reversed by", d.ReversedBy, eventHref(d.ReversedBy))
	}
	if caller(r).role >= bf.Controller && d.ReversedBy == "" && e.Type != bf.Close && e.Type != bf.Reverse {
		body.Reverse = reverseHref(e.ID)
	}
	add("Reason", e.Reason, "")
	add("Memo", e.Memo, "")
	for _, b := range d.Books {
		eb := eventBook{Book: b.Book, Href: bookHref(b.Book)}
		for _, en := range b.Entries {
			ee := eventEntry{Number: en.Index + 1, Rule: en.Kind.String()}
			for _, ln := range en.Lines {
				el := eventLine{Account: accountLabel(chart, ln.Account), Code: chart.CodeOf(ln.Account),
					AccountHref: accountHref(b.Book, ln.Account) + "?event=" + url.QueryEscape(e.ID), Item: ln.Item, Path: ln.Path}
				if ln.Amount >= 0 {
					el.Debit = money(ln.Amount, scale)
				} else {
					el.Credit = money(-ln.Amount, scale)
				}
				if ln.Qty != 0 {
					el.Qty = group(absQty(ln.Qty).String())
				}
				ee.Lines = append(ee.Lines, el)
			}
			eb.Entries = append(eb.Entries, ee)
		}
		body.Books = append(body.Books, eb)
	}
	// The BOM behind a start or completion: the stocked components a unit
	// issues, with their paths, which the lines above point to.
	for _, c := range d.BOM {
		body.BOMItem = e.Item
		row := bomRow{Component: c.Item, Per: group(c.Per.String()), Path: c.Path}
		if q, ok := bf.MulQty(e.Qty+e.ScrapQty, c.Per); ok && e.Type != bf.WIPCount {
			row.Issued = group(q.String())
		}
		body.BOM = append(body.BOM, row)
	}
	return s.render(w, r, http.StatusOK, "event", "Event "+id, "events", body)
}

func absQty(q bf.Qty) bf.Qty {
	if q < 0 {
		return -q
	}
	return q
}

type inventoryBook struct {
	Book, Href string
	Chart      *svgChart
	Latest     []field
	Keeps      string // what the book keeps no account for, and why; "" when it keeps them all
}

type inventoryBody struct {
	Currency string
	Books    []inventoryBook
}

func (s *Server) inventoryPage(w http.ResponseWriter, r *http.Request) error {
	chart := s.svc.Chart()
	book := r.URL.Query().Get("book")
	series, err := s.svc.Inventory(book)
	if err != nil {
		return err
	}
	cur := s.svc.Currency()
	body := inventoryBody{Currency: cur.Code}
	sc, _ := sharedScale(series)
	var union []bf.Account
	for _, sr := range series {
		for _, a := range sr.Accounts {
			if !slices.Contains(union, a) {
				union = append(union, a)
			}
		}
	}
	cfg := map[string]bf.BookConfig{}
	for _, b := range s.svc.Books() {
		cfg[b.Config.Name] = b.Config
	}
	for i := range series {
		sr := &series[i]
		ib := inventoryBook{Book: sr.Book, Href: bookHref(sr.Book)}
		ib.Keeps = keepsNo(sr, union, cfg[sr.Book], chart)
		if len(sr.Accounts) > 0 { // else a sentence says why, rather than an empty chart
			ib.Chart, ib.Latest = inventoryChart(sr, chart, cur.Scale, sc)
		}
		if len(sr.Accounts) == 1 {
			ib.Keeps = strings.TrimSpace(ib.Keeps + " Its total inventory is its one account, " + accountLabel(chart, sr.Accounts[0]) + ", so the two lines coincide.")
		}
		body.Books = append(body.Books, ib)
	}
	return s.render(w, r, http.StatusOK, "inventory", "Inventory over time", "inventory", body)
}

// keepsNo says which inventory accounts a book has no line on while other
// books do, and why a backflush book skips them; "" when none.
func keepsNo(sr *report.InventorySeries, union []bf.Account, c bf.BookConfig, chart *bf.Chart) string {
	if len(sr.Dates) > 0 && len(sr.Accounts) == 0 {
		msg := "Book " + sr.Book + " has no inventory account: "
		if c.Method == bf.MethodBackflush {
			return msg + "it is " + methodLabel(c) + ", so materials, work and finished goods are recorded straight in cost of goods sold, and its inventory is zero throughout: there is nothing to chart."
		}
		return msg + "no event it has costed held stock."
	}
	var missing []string
	for _, a := range union {
		if !slices.Contains(sr.Accounts, a) {
			missing = append(missing, accountLabel(chart, a))
		}
	}
	if len(missing) == 0 {
		return ""
	}
	msg := "Book " + sr.Book + " keeps no " + strings.Join(missing, ", no ") + " account"
	switch {
	case c.Method == bf.MethodBackflush:
		return msg + ": it is " + methodLabel(c) + ", so it records no entry at the stages between its trigger points."
	case len(missing) == 1 && missing[0] == accountLabel(chart, bf.MaterialsInProcess):
		return msg + ": that account belongs to backflush books with a purchase trigger; sequential tracking keeps materials and work in process apart."
	}
	return msg + ": none of its events touched it."
}

type queueRow struct {
	Event, EventHref, Date, Item, Component, Qty string
}

func (s *Server) queuePage(w http.ResponseWriter, r *http.Request) error {
	var rows []queueRow
	for _, q := range queueEntries(s.svc.Queue()) {
		rows = append(rows, queueRow{Event: q.Event, EventHref: eventHref(q.Event), Date: q.Date, Item: q.Item, Component: q.Component, Qty: group(q.Qty)})
	}
	return s.render(w, r, http.StatusOK, "queue", "Failed-backflush queue", "queue", rows)
}

type loginBody struct {
	Next, Message string
}

// safeNext keeps a post-login redirect on this server: a path, never a
// scheme-relative or absolute URL that would send the user elsewhere.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, `/\`) {
		return "/"
	}
	return next
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "login", "Log in", "", loginBody{Next: safeNext(r.URL.Query().Get("next"))})
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	// No session yet, so no form token: a login posted from another
	// site's page (login CSRF) is refused by the browser's own word.
	if r.Header.Get("Sec-Fetch-Site") == "cross-site" {
		return errStatus(http.StatusForbidden, KindForbidden, "", "a login must be posted from this server's own login page")
	}
	if err := r.ParseForm(); err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return err
		}
		return badRequest("", "the login form could not be read")
	}
	secret := strings.TrimSpace(r.PostForm.Get("token"))
	next := safeNext(r.PostForm.Get("next"))
	t, ok := bf.Token{}, false
	if secret != "" {
		var err error
		if t, ok, err = s.tokens.lookup(r.Context(), secret); err != nil {
			return err
		}
	}
	if !ok {
		return s.render(w, r, http.StatusUnauthorized, "login", "Log in", "", loginBody{Next: next, Message: "That token is not known. Check it, or ask an administrator for a new one."})
	}
	if info, ok := r.Context().Value(infoKey{}).(*reqInfo); ok {
		info.user = t.Name
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: secret, Path: "/", MaxAge: int(sessionLength.Seconds()),
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.opts.SecureCookie || r.TLS != nil})
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if err := checkCSRF(r); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode,
		Secure: s.opts.SecureCookie || r.TLS != nil})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}
