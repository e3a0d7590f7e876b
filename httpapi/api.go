package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/eventio"
	"github.com/backflush/backflush/report"
	"github.com/backflush/backflush/scenario"
	"github.com/backflush/backflush/service"
)

// The JSON shapes of the API. Amounts are decimal strings at the
// currency's scale, quantities and unit costs decimal strings too: JSON
// numbers would be read as floats by most clients, and money is exact here.

type healthJSON struct {
	Status string `json:"status"`
	Plant  string `json:"plant"`
	Events int    `json:"events"`
}

type versionJSON struct {
	Version   int    `json:"version"`
	Effective string `json:"effective,omitempty"` // empty for the first version
	Note      string `json:"note"`
	Created   string `json:"created"`
	Document  string `json:"document,omitempty"`
}

type bomLineJSON struct {
	Item     string `json:"item"`
	Qty      string `json:"qty"`
	ScrapPct string `json:"scrap_pct,omitempty"`
}

type itemJSON struct {
	ID              string        `json:"id"`
	Name            string        `json:"name,omitempty"`
	Kind            string        `json:"kind"`
	UOM             string        `json:"uom,omitempty"`
	StandardCost    string        `json:"standard_cost,omitempty"`
	ConversionCost  string        `json:"conversion_cost,omitempty"`
	FixedConversion string        `json:"fixed_conversion,omitempty"`
	Price           string        `json:"price,omitempty"`
	Shortage        string        `json:"shortage"`
	Class           string        `json:"class,omitempty"`
	BOM             []bomLineJSON `json:"bom,omitempty"`
}

type bookConfigJSON struct {
	Name     string   `json:"name"`
	Method   string   `json:"method"`
	Triggers []string `json:"triggers"`
	Scope    string   `json:"scope"`
	Basis    string   `json:"basis"`
	LCNRV    bool     `json:"lcnrv"`
}

type plantJSON struct {
	Name     string           `json:"name"`
	Currency string           `json:"currency"`
	Version  int              `json:"version"`
	Items    []itemJSON       `json:"items"`
	Books    []bookConfigJSON `json:"books"`
	Versions []versionJSON    `json:"versions"`
}

type batchJSON struct {
	Accepted   int `json:"accepted"`
	Duplicates int `json:"duplicates"`
}

type postedJSON struct {
	ID         string   `json:"id"`
	Accepted   int      `json:"accepted"`
	Duplicates int      `json:"duplicates"`
	Warnings   []string `json:"warnings,omitempty"` // a close's: see costing.ExternalCloseWarnings
}

type bookSummaryJSON struct {
	report.JSONSummary
	Method   string   `json:"method"`
	Triggers []string `json:"triggers"`
	Scope    string   `json:"scope"`
	Basis    string   `json:"basis"`
}

type tbRowJSON struct {
	Account string `json:"account"` // the default id
	Code    string `json:"code"`    // the plant's code (the id when none)
	Name    string `json:"name,omitempty"`
	Debit   string `json:"debit"`
	Credit  string `json:"credit"`
	Balance string `json:"balance"` // debit minus credit
}

type movementJSON struct {
	Date    string `json:"date"`
	Event   string `json:"event"`
	Rule    string `json:"rule"`
	Item    string `json:"item,omitempty"`
	Path    string `json:"path,omitempty"`
	Qty     string `json:"qty,omitempty"`
	Debit   string `json:"debit"`
	Credit  string `json:"credit"`
	Balance string `json:"balance"`
}

type queueJSON struct {
	Event     string `json:"event"`
	Date      string `json:"date"`
	Item      string `json:"item"`      // the item being made
	Component string `json:"component"` // the component short
	Qty       string `json:"qty"`
}

type tokenJSON struct {
	Hash    string `json:"hash"`
	Name    string `json:"name"`
	Role    string `json:"role"`
	Created string `json:"created"`
	Secret  string `json:"secret,omitempty"` // only in the answer to its creation
}

// The request bodies.

type recostRequest struct {
	Document  string `json:"document"`
	Effective string `json:"effective"`
	Note      string `json:"note"`
}

type closeRequest struct {
	Date   string `json:"date"`
	Reason string `json:"reason"`
	ID     string `json:"id"`
}

type reprocessRequest struct {
	Date string `json:"date"`
	Item string `json:"item"`
	ID   string `json:"id"`
}

type reverseRequest struct {
	Date string `json:"date"`
	ID   string `json:"id"`
}

// dated is a command's request: each carries the command's date.
type dated interface{ date() string }

func (q *closeRequest) date() string     { return q.Date }
func (q *reprocessRequest) date() string { return q.Date }
func (q *reverseRequest) date() string   { return q.Date }

type tokenRequest struct {
	Name string `json:"name"`
	Role string `json:"role"`
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	noStore(w)
	writeJSON(w, http.StatusOK, healthJSON{Status: "ok", Plant: s.svc.Name(), Events: s.svc.Len()})
	return nil
}

func (s *Server) metricsPage(w http.ResponseWriter, r *http.Request) error {
	var buf bytes.Buffer
	s.metrics.write(&buf, s.svc.Len())
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	noStore(w)
	w.Write(buf.Bytes())
	return nil
}

func versionOf(c bf.ConfigVersion, withDoc bool) versionJSON {
	v := versionJSON{Version: c.Version, Note: c.Note, Created: c.Created.UTC().Format(time.RFC3339)}
	if c.Effective != 0 {
		v.Effective = c.Effective.String()
	}
	if withDoc {
		v.Document = string(c.Document)
	}
	return v
}

// newest returns the newest configuration version, decoded once per version.
func (s *Server) newest() (*bf.Config, int, error) {
	vs := s.svc.Versions()
	last := vs[len(vs)-1]
	s.plantMu.Lock()
	defer s.plantMu.Unlock()
	if s.plant == nil || s.plantV != last.Version {
		sc, err := scenario.Decode("configuration version "+itoa(last.Version), last.Document)
		if err != nil {
			return nil, 0, err
		}
		s.plant, s.plantV = sc, last.Version
	}
	return s.plant, s.plantV, nil
}

func (s *Server) getPlant(w http.ResponseWriter, r *http.Request) error {
	sc, v, err := s.newest()
	if err != nil {
		return err
	}
	p := plantJSON{Name: sc.Name, Currency: sc.Plant.Currency.Code, Version: v, Items: []itemJSON{}, Books: []bookConfigJSON{}}
	for _, it := range sc.Plant.Items {
		j := itemJSON{ID: it.ID, Name: it.Name, Kind: it.Kind.String(), UOM: it.UOM, Shortage: it.Shortage.String(), Class: it.Class}
		cost := func(c bf.Cost) string {
			if c == 0 {
				return ""
			}
			return c.String()
		}
		j.StandardCost, j.ConversionCost, j.FixedConversion, j.Price = cost(it.StandardCost), cost(it.ConversionCost), cost(it.FixedConversion), cost(it.Price)
		for _, b := range it.BOM {
			bl := bomLineJSON{Item: b.Item, Qty: b.Qty.String()}
			if b.ScrapPct != 0 {
				bl.ScrapPct = b.ScrapPct.String()
			}
			j.BOM = append(j.BOM, bl)
		}
		p.Items = append(p.Items, j)
	}
	for _, b := range sc.Books {
		p.Books = append(p.Books, bookConfig(b))
	}
	for _, c := range s.svc.Versions() {
		p.Versions = append(p.Versions, versionOf(c, false))
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

func bookConfig(b bf.BookConfig) bookConfigJSON {
	t := b.Triggers.Names()
	if t == nil {
		t = []string{}
	}
	return bookConfigJSON{Name: b.Name, Method: b.Method.String(), Triggers: t, Scope: b.Scope.String(), Basis: b.Basis.String(), LCNRV: b.LCNRV != nil}
}

func (s *Server) getVersions(w http.ResponseWriter, r *http.Request) error {
	out := []versionJSON{}
	for _, c := range s.svc.Versions() {
		out = append(out, versionOf(c, true))
	}
	writeJSON(w, http.StatusOK, map[string]any{"versions": out})
	return nil
}

func (s *Server) postVersion(w http.ResponseWriter, r *http.Request) error {
	var req recostRequest
	if err := decodeBody(r, &req); err != nil {
		return err
	}
	if req.Document == "" {
		return badRequest("document", "is missing: the scenario YAML of the new version (items, books, close, accounts)")
	}
	d, err := requiredDate("effective", req.Effective)
	if err != nil {
		return err
	}
	v, err := s.svc.Recost(r.Context(), []byte(req.Document), d, req.Note)
	if err != nil {
		return err
	}
	for _, c := range s.svc.Versions() {
		if c.Version == v {
			writeJSON(w, http.StatusCreated, versionOf(c, false))
			return nil
		}
	}
	writeJSON(w, http.StatusCreated, versionJSON{Version: v})
	return nil
}

// decodeBatch reads a batch of events: a JSON array of event objects, or
// JSON Lines (one object a line). Each event's Line is the line of the body
// where it starts, so that errors point into what the client sent.
func decodeBatch(data []byte, scale int) ([]bf.Event, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) == 0 {
		return nil, badRequest("", "the body holds no events: send a JSON array of event objects or JSON Lines")
	}
	if trimmed[0] != '[' {
		evs, err := eventio.ReadJSONL("", bytes.NewReader(data), scale)
		if err != nil {
			return nil, err
		}
		if len(evs) == 0 {
			return nil, badRequest("", "the body holds no events")
		}
		return evs, nil
	}
	lineAt := func(off int64) int { return 1 + bytes.Count(data[:off], []byte{'\n'}) }
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if _, err := dec.Token(); err != nil {
		return nil, jsonError(err)
	}
	var evs []bf.Event
	for dec.More() {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			err = jsonError(err)
			if ae, ok := err.(*apiError); ok {
				ae.body.Index = len(evs) + 1
				ae.body.Line = lineAt(min(dec.InputOffset(), int64(len(data))))
			}
			return nil, err
		}
		start := dec.InputOffset() - int64(len(raw))
		e, err := eventio.DecodeJSON(raw, scale)
		if err != nil {
			var be *bf.Error
			if errors.As(err, &be) {
				be.Line = lineAt(start)
			}
			return nil, atIndex(err, len(evs)+1)
		}
		e.Line = lineAt(start)
		evs = append(evs, e)
	}
	if _, err := dec.Token(); err != nil {
		return nil, jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, badRequest("", "the body has data after the array of events")
	}
	if len(evs) == 0 {
		return nil, badRequest("", "the array holds no events")
	}
	return evs, nil
}

// atIndex adds the 1-based position of the refused event in its batch.
func atIndex(err error, index int) error {
	status, body := describe(err)
	if status == http.StatusInternalServerError {
		return err
	}
	body.Index = index
	return &apiError{status: status, body: body}
}

func (s *Server) postEvents(w http.ResponseWriter, r *http.Request) error {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		return err
	}
	evs, err := decodeBatch(data, s.svc.Currency().Scale)
	if err != nil {
		return err
	}
	res, err := s.svc.Ingest(r.Context(), evs)
	if err != nil {
		var be *bf.Error
		if errors.As(err, &be) && be.Event != "" {
			for i := range evs {
				if evs[i].ID == be.Event {
					return atIndex(err, i+1)
				}
			}
		}
		return err
	}
	s.metrics.ingest(res.Accepted, res.Duplicates)
	writeJSON(w, http.StatusOK, batchJSON{Accepted: res.Accepted, Duplicates: res.Duplicates})
	return nil
}

func (s *Server) getEvents(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	pg, err := parsePaging(q, DefaultLimit)
	if err != nil {
		return err
	}
	from, err := dateParam("from", q.Get("from"))
	if err != nil {
		return err
	}
	to, err := dateParam("to", q.Get("to"))
	if err != nil {
		return err
	}
	var typ bf.EventType
	if v := q.Get("type"); v != "" {
		t, ok := bf.ParseEventType(v)
		if !ok {
			return badRequest("type", "must be purchase, start, conversion_cost, complete, sale, count, close, expense, wip_count, reverse or reprocess")
		}
		typ = t
	}
	evs, total, err := s.svc.Events(service.EventFilter{From: from, To: to, Type: typ, Item: q.Get("item")}, pg)
	if err != nil {
		return err
	}
	scale := s.svc.Currency().Scale
	out := make([]json.RawMessage, 0, len(evs))
	for i := range evs {
		out = append(out, eventio.AppendJSON(nil, &evs[i], scale))
	}
	noStore(w)
	writeJSON(w, http.StatusOK, struct {
		Events []json.RawMessage `json:"events"`
		pageInfo
	}{out, infoOf(pg, total)})
	return nil
}

// eventDetail is an event with every book's entries for it.
type eventDetail struct {
	Event      json.RawMessage `json:"event"`
	Position   int             `json:"position"` // 1-based, in the log
	Period     int             `json:"period"`
	ReversedBy string          `json:"reversed_by,omitempty"`
	Books      []bookEntries   `json:"books"`
}

type bookEntries struct {
	Book    string             `json:"book"`
	Entries []report.JSONEntry `json:"entries"`
}

func (s *Server) getEvent(w http.ResponseWriter, r *http.Request) error {
	chart, scale := s.svc.Chart(), s.svc.Currency().Scale
	ev, err := s.svc.Event(r.PathValue("id"))
	if err != nil {
		return err
	}
	d := eventDetail{Event: eventio.AppendJSON(nil, &ev.Event, scale), Position: ev.Position, Period: ev.Period, ReversedBy: ev.ReversedBy}
	for _, b := range ev.Books {
		d.Books = append(d.Books, bookEntries{Book: b.Book, Entries: entriesJSON(b.Entries, chart, scale)})
	}
	noStore(w)
	writeJSON(w, http.StatusOK, d)
	return nil
}

// entriesJSON renders journal entries; none is an empty list.
func entriesJSON(es []report.Entry, chart *bf.Chart, scale int) []report.JSONEntry {
	out := make([]report.JSONEntry, 0, len(es))
	for _, e := range es {
		out = append(out, e.JSON(chart, scale))
	}
	return out
}

// command decodes the request of a command (close, reprocess, reverse),
// checks its date, runs it on the service and answers what it did.
func command[T any, R interface {
	*T
	dated
}](s *Server, w http.ResponseWriter, r *http.Request, run func(ctx context.Context, d bf.Date, req R) (service.Posted, error)) error {
	req := R(new(T))
	if err := decodeBody(r, req); err != nil {
		return err
	}
	d, err := requiredDate("date", req.date())
	if err != nil {
		return err
	}
	p, err := run(r.Context(), d, req)
	if err != nil {
		return err
	}
	s.metrics.ingest(p.Accepted, p.Duplicates)
	writeJSON(w, http.StatusOK, postedJSON{ID: p.ID, Accepted: p.Accepted, Duplicates: p.Duplicates, Warnings: p.Warnings})
	return nil
}

func (s *Server) postClose(w http.ResponseWriter, r *http.Request) error {
	return command(s, w, r, func(ctx context.Context, d bf.Date, req *closeRequest) (service.Posted, error) {
		return s.svc.Close(ctx, d, req.Reason, req.ID)
	})
}

func (s *Server) postReprocess(w http.ResponseWriter, r *http.Request) error {
	return command(s, w, r, func(ctx context.Context, d bf.Date, req *reprocessRequest) (service.Posted, error) {
		return s.svc.Reprocess(ctx, d, req.Item, req.ID)
	})
}

func (s *Server) postReverse(w http.ResponseWriter, r *http.Request) error {
	return command(s, w, r, func(ctx context.Context, d bf.Date, req *reverseRequest) (service.Posted, error) {
		return s.svc.Reverse(ctx, r.PathValue("id"), d, "", req.ID)
	})
}

func (s *Server) getBooks(w http.ResponseWriter, r *http.Request) error {
	var out []bookSummaryJSON
	chart, cur := s.svc.Chart(), s.svc.Currency()
	scale := cur.Scale
	for _, bs := range s.svc.Books() {
		sm := &bs.Summary
		js := report.JSONSummary{Book: sm.Name, Entries: sm.Entries, Inventory: map[string]string{},
			TotalInventory: sm.TotalInventory.Format(scale), Revenue: sm.Revenue.Format(scale), COGS: sm.COGS.Format(scale),
			Expenses: sm.Expenses.Format(scale), OperatingIncome: sm.OperatingIncome.Format(scale),
			ConversionVariance: sm.ConversionVariance.Format(scale), OpenConversion: sm.OpenConversion.Format(scale)}
		for a, v := range sm.Inventory {
			js.Inventory[chart.CodeOf(a)] = v.Format(scale)
		}
		c := bookConfig(bs.Config)
		out = append(out, bookSummaryJSON{JSONSummary: js, Method: c.Method, Triggers: c.Triggers, Scope: c.Scope, Basis: c.Basis})
	}
	noStore(w)
	writeJSON(w, http.StatusOK, map[string]any{"currency": cur.Code, "books": out})
	return nil
}

func (s *Server) getJournal(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	pg, err := parsePaging(q, DefaultLimit)
	if err != nil {
		return err
	}
	from, err := dateParam("from", q.Get("from"))
	if err != nil {
		return err
	}
	to, err := dateParam("to", q.Get("to"))
	if err != nil {
		return err
	}
	chart := s.svc.Chart()
	jq := service.JournalQuery{Book: r.PathValue("book"), Event: q.Get("event"), From: from, To: to}
	if v := q.Get("account"); v != "" {
		a, err := accountOf(chart, v)
		if err != nil {
			return err
		}
		jq.Account = &a
	}
	if jq.Previous, err = previousParam(q.Get("previous")); err != nil {
		return err
	}
	es, total, err := s.svc.Journal(jq, pg)
	if err != nil {
		return err
	}
	noStore(w)
	writeJSON(w, http.StatusOK, struct {
		Book    string             `json:"book"`
		Entries []report.JSONEntry `json:"entries"`
		pageInfo
	}{jq.Book, entriesJSON(es, chart, s.svc.Currency().Scale), infoOf(pg, total)})
	return nil
}

// previousParam reads the previous query parameter: with true, a read sees
// the books as they stood before the last re-costing, which stay readable
// so that a controller can see what the new standards changed.
func previousParam(v string) (bool, error) {
	switch v {
	case "", "false":
		return false, nil
	case "true":
		return true, nil
	}
	return false, badRequest("previous", "must be true or false")
}

func (s *Server) getTrialBalance(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("book")
	previous, err := previousParam(r.URL.Query().Get("previous"))
	if err != nil {
		return err
	}
	tb, err := s.svc.TrialBalance(name, previous)
	if err != nil {
		return err
	}
	cur := s.svc.Currency()
	scale := cur.Scale
	rows := []tbRowJSON{}
	for _, r := range tb.Rows {
		rows = append(rows, tbRowJSON{Account: r.Account.String(), Code: r.Code, Name: r.Name,
			Debit: r.Debit().Format(scale), Credit: r.Credit().Format(scale), Balance: r.Balance.Format(scale)})
	}
	noStore(w)
	writeJSON(w, http.StatusOK, map[string]any{"book": name, "currency": cur.Code, "accounts": rows,
		"total_debit": tb.Debit.Format(scale), "total_credit": tb.Credit.Format(scale)})
	return nil
}

func movementOf(m report.Movement, scale int) movementJSON {
	j := movementJSON{Date: m.Date.String(), Event: m.Event, Rule: m.Memo, Item: m.Item, Path: m.Path,
		Debit: max(m.Amount, 0).Format(scale), Credit: max(-m.Amount, 0).Format(scale), Balance: m.Balance.Format(scale)}
	if m.Qty != 0 {
		j.Qty = m.Qty.String()
	}
	return j
}

func (s *Server) getAccount(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	pg, chart, a, err := s.accountRoute(r, q, DefaultLimit)
	if err != nil {
		return err
	}
	name := r.PathValue("book")
	am, err := s.svc.Account(name, a, q.Get("event"), pg)
	if err != nil {
		return err
	}
	scale := s.svc.Currency().Scale
	out := make([]movementJSON, 0, len(am.Movements))
	for _, m := range am.Movements {
		out = append(out, movementOf(m, scale))
	}
	noStore(w)
	writeJSON(w, http.StatusOK, struct {
		Book      string         `json:"book"`
		Account   string         `json:"account"`
		Code      string         `json:"code"`
		Balance   string         `json:"balance"`
		Movements []movementJSON `json:"movements"`
		pageInfo
	}{name, a.String(), chart.CodeOf(a), am.Balance.Format(scale), out, infoOf(pg, am.Total)})
	return nil
}

// report writes a report of the current books as JSON, through a buffer
// so that an error can still become an error response.
func (s *Server) report(w http.ResponseWriter, req report.Request) error {
	var buf bytes.Buffer
	req.JSON = true
	if err := s.svc.Report(&buf, req, false); err != nil {
		return err
	}
	noStore(w)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	w.Write(buf.Bytes())
	return nil
}

func (s *Server) getIncome(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	o := report.Options{Title: s.svc.Name(), Chart: s.svc.Chart(), Book: q.Get("book")}
	req := report.Request{Kind: report.KindIncome, Options: o, YearStart: q.Get("fiscal_year_start")}
	switch q.Get("layout") {
	case "", "statements":
	case "columns":
		req.Columns = true
	default:
		return badRequest("layout", "must be statements or columns")
	}
	return s.report(w, req)
}

func (s *Server) getVariances(w http.ResponseWriter, r *http.Request) error {
	o := report.Options{Title: s.svc.Name(), Chart: s.svc.Chart(), Book: r.URL.Query().Get("book")}
	return s.report(w, report.Request{Kind: report.KindVariances, Options: o})
}

func (s *Server) getReconcile(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	threshold := report.DefaultMateriality
	if v := q.Get("materiality"); v != "" {
		t, why := bf.ParsePct(v)
		if why != "" || t < 0 {
			return badRequest("materiality", "must be a non-negative percentage, e.g. 5")
		}
		threshold = t
	}
	return s.report(w, report.Request{Kind: report.KindReconcile, Options: report.Options{Book: q.Get("gaap")}, Materiality: threshold})
}

func (s *Server) getProcess(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	return s.report(w, report.Request{Kind: report.KindProcess, Options: report.Options{Book: q.Get("book")}, Item: q.Get("item")})
}

func (s *Server) getLCNRV(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	return s.report(w, report.Request{Kind: report.KindLCNRV, Options: report.Options{Book: q.Get("book")},
		Basis: q.Get("basis"), Standard: q.Get("standard")})
}

// queueEntries renders the failed-backflush queue.
func queueEntries(q []service.Shortfall) []queueJSON {
	out := []queueJSON{}
	for _, e := range q {
		out = append(out, queueJSON{Event: e.Event, Date: e.Date.String(), Item: e.For, Component: e.Component, Qty: e.Qty.String()})
	}
	return out
}

func (s *Server) getQueue(w http.ResponseWriter, r *http.Request) error {
	out := queueEntries(s.svc.Queue())
	noStore(w)
	writeJSON(w, http.StatusOK, map[string]any{"entries": out, "count": len(out)})
	return nil
}

func tokenOf(t bf.Token) tokenJSON {
	return tokenJSON{Hash: t.Hash, Name: t.Name, Role: t.Role.String(), Created: t.Created.UTC().Format(time.RFC3339)}
}

func (s *Server) getTokens(w http.ResponseWriter, r *http.Request) error {
	ts, err := s.svc.Store().Tokens(r.Context())
	if err != nil {
		return err
	}
	out := []tokenJSON{}
	for _, t := range ts {
		out = append(out, tokenOf(t))
	}
	noStore(w)
	writeJSON(w, http.StatusOK, map[string]any{"tokens": out})
	return nil
}

func (s *Server) postToken(w http.ResponseWriter, r *http.Request) error {
	var req tokenRequest
	if err := decodeBody(r, &req); err != nil {
		return err
	}
	role, ok := bf.ParseRole(req.Role)
	if !ok {
		return badRequest("role", "must be viewer, operator, controller or admin")
	}
	secret, t, err := NewToken(req.Name, role)
	if err != nil {
		return err
	}
	if err := s.svc.Store().PutToken(r.Context(), &t); err != nil {
		return err
	}
	s.tokens.invalidate()
	s.log.Info("token created", "name", t.Name, "role", t.Role.String(), "by", caller(r).name)
	j := tokenOf(t)
	j.Secret = secret
	noStore(w)
	writeJSON(w, http.StatusCreated, j)
	return nil
}

func (s *Server) deleteToken(w http.ResponseWriter, r *http.Request) error {
	h := r.PathValue("hash")
	if err := s.svc.Store().DeleteToken(r.Context(), h); err != nil {
		if bf.ErrorKind(err) == bf.KindNotFound {
			return notFound("hash", "no token with hash "+strconv.Quote(h))
		}
		return err
	}
	s.tokens.invalidate()
	s.log.Info("token deleted", "hash", h, "by", caller(r).name)
	w.WriteHeader(http.StatusNoContent)
	return nil
}
