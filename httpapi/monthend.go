package httpapi

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/service"
)

// Month end: each period's status, the failed-backflush queue and what
// blocks the close, the commands given so far, and — for the roles the API
// allows — the forms that close a period (controller), reverse an event
// (controller) and re-process the queue (operator). Each form is confirmed
// on a second page before anything is posted, posts the same event the API
// would (service.CloseBy, Reverse, ReprocessBy) with who asked for it in
// the event's memo, and is logged as a "command" record with the time.
//
// Cross-site request forgery: the session cookie is SameSite=Strict, so no
// other site's page sends it; and every POST of the dashboard carries a
// per-session token in a hidden field, checked before anything else. The
// token is an HMAC of the session's secret under a key drawn when the
// process starts: it cannot be derived without the key, is the same on
// every page of one session, and stops working when the session ends or
// the server restarts (a stale form asks to reload the page).

// csrfKey keys the forms' tokens.
var csrfKey = func() []byte {
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		panic("no randomness for the CSRF key: " + err.Error())
	}
	return k
}()

// csrfField is the name of the forms' hidden token field.
const csrfField = "csrf"

// csrfToken is the forms' token of the session whose secret is given; ""
// without a session.
func csrfToken(secret string) string {
	if secret == "" {
		return ""
	}
	m := hmac.New(sha256.New, csrfKey)
	m.Write([]byte("backflush csrf\x00" + secret))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// errCSRF refuses a form without the session's token.
var errCSRF = errStatus(http.StatusForbidden, KindForbidden, csrfField,
	"the form did not carry this session's token (it may be stale, or sent from another site): reload the page and submit it again")

// checkCSRF parses a POSTed form and checks its token against the
// session's. Only the session cookie is a credential a browser sends by
// itself, so only a request presenting it needs the token: a request with
// an Authorization header (a script or a test with its own token) cannot
// be forged by another site's page, and a request with no credential has
// no session to forge (logout is then a no-op).
func checkCSRF(r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return err
		}
		return badRequest("", "the form could not be read")
	}
	if r.Header.Get("Authorization") != "" {
		return nil
	}
	want := csrfToken(credential(r, true))
	if want == "" {
		return nil
	}
	if !hmac.Equal([]byte(r.PostForm.Get(csrfField)), []byte(want)) {
		return errCSRF
	}
	return nil
}

// commandForm documents the month-end forms' fields in the OpenAPI document.
var commandForm = obj(map[string]any{
	"csrf":    str("the session's form token, as the page gives it"),
	"date":    date("the command's date"),
	"reason":  str("close: why the period is closed while the queue holds entries (kept on record)"),
	"event":   str("reverse: the id of the event to reverse"),
	"item":    str("reprocess: only this component's entries"),
	"confirm": str("yes: post it; otherwise the confirmation page is shown and nothing is posted")},
	"csrf", "date")

// registerMonthEnd registers the month-end page and its forms.
func (s *Server) registerMonthEnd() {
	s.handle(Route{Method: http.MethodGet, Path: "/month-end", Role: bf.Viewer, Page: true, doc: opDoc{tag: tagDashboard, resp: "html",
		summary: "Month end: each period's status, the failed-backflush queue, what blocks the close, the commands given, and the forms for them",
		query:   []param{{"reverse", "string", "the event the reversal form is filled in for"}}}}, s.monthEndPage)
	form := func(path string, role bf.Role, summary string, h handlerFunc) {
		s.handle(Route{Method: http.MethodPost, Path: path, Role: role, Page: true, doc: opDoc{tag: tagDashboard, summary: summary,
			desc: "A form of the month-end page: without confirm=yes it answers the confirmation page and posts nothing. Refused (403) without the session's csrf token.",
			form: true, body: "CommandForm", resp: "html", errs: []int{400, 404, 409, 413, 422}}}, h)
	}
	form("/month-end/close", bf.Controller, "Close the period through a date (the form of POST /api/v1/periods/close)", s.closeCommand)
	form("/month-end/reverse", bf.Controller, "Reverse an event (the form of POST /api/v1/events/{id}/reverse)", s.reverseCommand)
	form("/month-end/reprocess", bf.Operator, "Re-process the failed-backflush queue (the form of POST /api/v1/queue/reprocess)", s.reprocessCommand)
}

type periodRow struct {
	Number                int
	From, To, Status      string
	Events                string // grouped in thousands
	Closed                bool
	TrialHref, IncomeHref string
}

type commandRow struct {
	ID, Href, Type, Date, Detail, Memo string
}

type monthEndBody struct {
	ClosedThrough string
	Periods       []periodRow
	Queue         []queueRow
	Blocks        []string
	Notes         []string
	CanClose      bool
	CanReprocess  bool
	CloseDate     string // the last event's date of the open period: the usual close date
	Reverse       string // the reversal form's event
	Commands      []commandRow
	CSRF          string
}

func (s *Server) monthEndPage(w http.ResponseWriter, r *http.Request) error {
	c := caller(r)
	books := s.svc.Books()
	body := monthEndBody{CanClose: c.role >= bf.Controller, CanReprocess: c.role >= bf.Operator, Reverse: r.URL.Query().Get("reverse"),
		CSRF: csrfToken(credential(r, true))}
	if ct := s.svc.ClosedThrough(); ct != 0 {
		body.ClosedThrough = ct.String()
	}
	first := ""
	if len(books) > 0 {
		first = books[0].Config.Name
	}
	for _, p := range s.svc.Periods() {
		row := periodRow{Number: p.Number, From: p.From.String(), To: p.To.String(), Events: group(itoa(int(p.LastEvent-p.FirstEvent) + 1)), Closed: p.Closed,
			Status: "open", IncomeHref: "/statements/income"}
		if p.Closed {
			row.Status = "closed"
		} else {
			body.CloseDate = row.To
		}
		if first != "" {
			row.TrialHref = bookHref(first) + "?period=" + itoa(p.Number)
		}
		body.Periods = append(body.Periods, row)
	}
	q := s.svc.Queue()
	for _, e := range queueEntries(q) {
		body.Queue = append(body.Queue, queueRow{Event: e.Event, EventHref: eventHref(e.Event), Date: e.Date, Item: e.Item, Component: e.Component, Qty: group(e.Qty)})
	}
	if n := len(q); n > 0 {
		body.Blocks = append(body.Blocks, plural(n, "component shortfall waits", "component shortfalls wait")+
			" in the failed-backflush queue: a close is refused unless it gives a reason, which stays on record. Receive the components and re-process the queue, or close with a reason.")
	}
	if body.CloseDate == "" {
		body.Blocks = append(body.Blocks, "No event since the last close: there is nothing to close yet.")
	}
	scale := s.svc.Currency().Scale
	for _, b := range books {
		if oc := b.Summary.OpenConversion; oc != 0 {
			body.Notes = append(body.Notes, "Book "+b.Config.Name+": "+money(oc, scale)+" of conversion is not yet closed; the close writes it off by the plant's close policy.")
		}
	}
	for _, t := range []bf.EventType{bf.Close, bf.Reverse, bf.Reprocess} {
		evs, _, err := s.svc.Events(service.EventFilter{Type: t}, service.Page{})
		if err != nil {
			return err
		}
		for _, e := range evs {
			row := commandRow{ID: e.ID, Href: eventHref(e.ID), Type: t.String(), Date: e.Date.String(), Memo: e.Memo, Detail: e.Reason}
			if row.Memo == "" {
				row.Memo = "not recorded (posted through the API or a file)"
			}
			switch t {
			case bf.Reverse:
				row.Detail = "reverses " + e.Reverses
			case bf.Reprocess:
				row.Detail = "all components"
				if e.Item != "" {
					row.Detail = "component " + e.Item
				}
			}
			body.Commands = append(body.Commands, row)
		}
	}
	slices.SortStableFunc(body.Commands, func(a, b commandRow) int { return strings.Compare(a.Date, b.Date) })
	return s.render(w, r, http.StatusOK, "monthend", "Month end", "monthend", body)
}

// plural says n things.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return itoa(n) + " " + many
}

// confirmBody is the confirmation page of a command, and after it the
// page saying what was done.
type confirmBody struct {
	Action   string  // the form's path
	What     []field // what the command does, for the person to check
	Hidden   []field // the form's fields, sent again with confirm=yes
	Done     bool
	Posted   string // the event posted
	Href     string
	Repeated bool // the event was already in the log: nothing new was posted
	Warnings []string
	CSRF     string
}

// command runs a month-end form: the confirmation page first, then the
// command, logged with who gave it.
func (s *Server) runCommand(w http.ResponseWriter, r *http.Request, title string, what []field, fields []string,
	run func(by string) (service.Posted, error)) error {
	body := confirmBody{Action: r.URL.Path, What: what, CSRF: r.PostForm.Get(csrfField)}
	for _, f := range fields {
		body.Hidden = append(body.Hidden, field{Label: f, Value: r.PostForm.Get(f)})
	}
	if r.PostForm.Get("confirm") != "yes" {
		return s.render(w, r, http.StatusOK, "confirm", "Confirm: "+title, "monthend", body)
	}
	c := caller(r)
	p, err := run("by " + c.name + " (" + c.role.String() + ") from the dashboard")
	if err != nil {
		return err
	}
	s.metrics.ingest(p.Accepted, p.Duplicates)
	attrs := []any{"command", strings.TrimPrefix(r.URL.Path, "/month-end/"), "event", p.ID, "by", c.name, "role", c.role.String()}
	for _, f := range fields { // the form's fields, not its token
		attrs = append(attrs, f, r.PostForm.Get(f))
	}
	s.log.Info("command", append(attrs, "accepted", p.Accepted, "duplicates", p.Duplicates)...)
	body.Done, body.Posted, body.Href, body.Repeated, body.Warnings = true, p.ID, eventHref(p.ID), p.Accepted == 0, p.Warnings
	return s.render(w, r, http.StatusOK, "confirm", "Done: "+title, "monthend", body)
}

// readForm checks a month-end form's token (checkCSRF) and reads its
// date.
func readForm(r *http.Request) (bf.Date, error) {
	if err := checkCSRF(r); err != nil {
		return 0, err
	}
	return requiredDate("date", r.PostForm.Get("date"))
}

func (s *Server) closeCommand(w http.ResponseWriter, r *http.Request) error {
	d, err := readForm(r)
	if err != nil {
		return err
	}
	reason := strings.TrimSpace(r.PostForm.Get("reason"))
	what := []field{{Label: "Close the period through", Value: d.String()},
		{Label: "Then", Value: "conversion variances are closed by the plant's close policy, and events dated on or before " + d.String() + " are refused"}}
	if n := len(s.svc.Queue()); n > 0 {
		what = append(what, field{Label: "Failed-backflush queue", Value: plural(n, "entry waits", "entries wait") + ": the close needs a reason"})
	}
	if reason != "" {
		what = append(what, field{Label: "Reason, kept on record", Value: reason})
	}
	return s.runCommand(w, r, "close the period through "+d.String(), what, []string{"date", "reason"}, func(by string) (service.Posted, error) {
		return s.svc.CloseBy(r.Context(), d, reason, by, "")
	})
}

func (s *Server) reverseCommand(w http.ResponseWriter, r *http.Request) error {
	d, err := readForm(r)
	if err != nil {
		return err
	}
	id := strings.TrimSpace(r.PostForm.Get("event"))
	if id == "" {
		return badRequest("event", "is missing: the id of the event to reverse")
	}
	ev, err := s.svc.Event(id)
	if err != nil {
		return err
	}
	e := &ev.Event
	desc := strings.ReplaceAll(e.Type.String(), "_", " ") + " of " + e.Date.String()
	if e.Item != "" {
		desc += ", item " + e.Item
	}
	if e.Qty != 0 {
		desc += ", quantity " + group(e.Qty.String())
	}
	what := []field{{Label: "Reverse event", Value: id, Href: eventHref(id)}, {Label: "Which is", Value: desc},
		{Label: "Dated", Value: d.String() + " (in the open period)"},
		{Label: "Then", Value: "every book's entries for " + id + " are undone exactly; a reversed backflush returns the components it relieved"}}
	return s.runCommand(w, r, "reverse event "+id, what, []string{"date", "event"}, func(by string) (service.Posted, error) {
		return s.svc.Reverse(r.Context(), id, d, by, "")
	})
}

func (s *Server) reprocessCommand(w http.ResponseWriter, r *http.Request) error {
	d, err := readForm(r)
	if err != nil {
		return err
	}
	item := strings.TrimSpace(r.PostForm.Get("item"))
	scope := "every component"
	if item != "" {
		scope = "component " + item
	}
	what := []field{{Label: "Re-process the failed-backflush queue", Value: scope + ", with the stock on hand"}, {Label: "Dated", Value: d.String()},
		{Label: "Queue now", Value: plural(len(s.svc.Queue()), "entry", "entries")}}
	return s.runCommand(w, r, "re-process the queue", what, []string{"date", "item"}, func(by string) (service.Posted, error) {
		return s.svc.ReprocessBy(r.Context(), d, item, by, "")
	})
}

// reverseHref is the month-end page with the reversal form filled in for
// an event.
func reverseHref(id string) string { return "/month-end?reverse=" + url.QueryEscape(id) + "#reverse" }
