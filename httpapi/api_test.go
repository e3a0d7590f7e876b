package httpapi_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/httpapi"
	"github.com/backflush/backflush/report"
)

// endpoint is one route exercised with a request that succeeds for a
// caller with the role.
type endpoint struct {
	method, path, body string
	role               bf.Role // 0: public
	page               bool
	ok                 int
}

func recostDoc(t *testing.T) string {
	doc := strings.Replace(testPlant, "conversion_cost: 20,", "conversion_cost: 22,", 1)
	b, _ := json.Marshal(map[string]string{"document": doc, "effective": "2026-01-20", "note": "conversion standard raised to 22"})
	return string(b)
}

func endpoints(t *testing.T, e *env) []endpoint {
	return []endpoint{
		{"GET", "/healthz", "", 0, false, 200},
		{"GET", "/metrics", "", 0, false, 200},
		{"GET", "/openapi.json", "", 0, false, 200},
		{"GET", "/api/v1/plant", "", bf.Viewer, false, 200},
		{"GET", "/api/v1/versions", "", bf.Viewer, false, 200},
		{"POST", "/api/v1/versions", recostDoc(t), bf.Controller, false, 201},
		{"POST", "/api/v1/events", `[{"id":"p9","date":"2026-01-20","type":"purchase","item":"dm","qty":"5","unit_cost":"1"}]`, bf.Operator, false, 200},
		{"GET", "/api/v1/events", "", bf.Viewer, false, 200},
		{"GET", "/api/v1/events/f1", "", bf.Viewer, false, 200},
		{"POST", "/api/v1/events/s1/reverse", `{"date":"2026-01-20"}`, bf.Controller, false, 200},
		{"GET", "/api/v1/books", "", bf.Viewer, false, 200},
		{"GET", "/api/v1/books/seq/journal", "", bf.Viewer, false, 200},
		{"GET", "/api/v1/books/seq/trial-balance", "", bf.Viewer, false, 200},
		{"GET", "/api/v1/books/seq/accounts/materials", "", bf.Viewer, false, 200},
		{"GET", "/api/v1/books/seq/export?format=csv", "", bf.Viewer, false, 200},
		{"GET", "/api/v1/reports/income", "", bf.Viewer, false, 200},
		{"GET", "/api/v1/reports/reconcile", "", bf.Viewer, false, 200},
		// The test plant keeps no actual-cost book: process costing is
		// refused, after authorization (400, not 401 or 403).
		{"GET", "/api/v1/reports/process", "", bf.Viewer, false, 400},
		{"GET", "/api/v1/reports/lcnrv", "", bf.Viewer, false, 200},
		{"GET", "/api/v1/reports/variances", "", bf.Viewer, false, 200},
		// The controller's reports; the test plant has no throughput section.
		{"GET", "/api/v1/reports/bom", "", bf.Viewer, false, 200},
		{"GET", "/api/v1/reports/throughput", "", bf.Viewer, false, 400},
		{"GET", "/api/v1/queue", "", bf.Viewer, false, 200},
		{"POST", "/api/v1/queue/reprocess", `{"date":"2026-01-20"}`, bf.Operator, false, 200},
		{"POST", "/api/v1/periods/close", `{"date":"2026-01-31"}`, bf.Controller, false, 200},
		{"GET", "/api/v1/tokens", "", bf.Admin, false, 200},
		{"POST", "/api/v1/tokens", `{"name":"new","role":"viewer"}`, bf.Admin, false, 201},
		{"DELETE", "/api/v1/tokens/" + e.spare.Hash, "", bf.Admin, false, 204},
		{"GET", "/", "", bf.Viewer, true, 200},
		{"GET", "/books/seq", "", bf.Viewer, true, 200},
		{"GET", "/books/seq/accounts/materials", "", bf.Viewer, true, 200},
		{"GET", "/books/seq/download?format=xlsx", "", bf.Viewer, true, 200},
		{"GET", "/events/f1", "", bf.Viewer, true, 200},
		{"GET", "/inventory", "", bf.Viewer, true, 200},
		{"GET", "/queue", "", bf.Viewer, true, 200},
		{"GET", "/statements", "", bf.Viewer, true, 200},
		{"GET", "/statements/income", "", bf.Viewer, true, 200},
		{"GET", "/statements/reconcile", "", bf.Viewer, true, 200},
		{"GET", "/statements/variances", "", bf.Viewer, true, 200},
		{"GET", "/statements/bom", "", bf.Viewer, true, 200},
		{"GET", "/statements/lcnrv", "", bf.Viewer, true, 200},
		{"GET", "/statements/throughput", "", bf.Viewer, true, 200}, // a sentence: the plant keeps no throughput section
		{"GET", "/statements/process", "", bf.Viewer, true, 200},    // a sentence: no actual-cost book
		{"GET", "/month-end", "", bf.Viewer, true, 200},
		{"POST", "/month-end/close", "date=2026-01-31&confirm=yes", bf.Controller, true, 200},
		{"POST", "/month-end/reverse", "date=2026-01-20&event=s1&confirm=yes", bf.Controller, true, 200},
		{"POST", "/month-end/reprocess", "date=2026-01-20&confirm=yes", bf.Operator, true, 200},
		{"GET", "/downloads", "", bf.Viewer, true, 200},
		{"GET", "/login", "", 0, true, 200},
		{"POST", "/login", "token=" + url.QueryEscape(e.secret[bf.Viewer]), 0, true, 303},
		{"POST", "/logout", "", 0, true, 303},
	}
}

// TestEveryEndpointEveryRole sends every route's request as every caller:
// anonymous, an unknown token, and each role. A route that needs a role is
// refused with 401 (API) or a redirect to the login form (pages) without a
// known token, with 403 below its role, and succeeds from its role up.
func TestEveryEndpointEveryRole(t *testing.T) {
	shared := newEnv(t)
	eps := endpoints(t, shared)
	// Every registered route is in the table, so a new route cannot go
	// untested for access.
	have := map[string]bool{}
	for _, ep := range eps {
		have[ep.method+" "+ep.path] = true
	}
	for _, rt := range shared.srv.Routes() {
		found := false
		for _, ep := range eps {
			found = found || (ep.method == rt.Method && matches(rt.Path, ep.path))
		}
		if !found {
			t.Errorf("route %s is not exercised by TestEveryEndpointEveryRole", rt.Pattern())
		}
	}
	type caller struct {
		name string
		role bf.Role
		anon bool
	}
	callers := []caller{{"anonymous", 0, true}, {"unknown token", 0, false}}
	for _, r := range roles {
		callers = append(callers, caller{r.String(), r, false})
	}
	for _, ep := range eps {
		for _, c := range callers {
			t.Run(ep.method+" "+ep.path+" as "+c.name, func(t *testing.T) {
				e := shared
				if ep.method != "GET" { // a request that changes the books gets books of its own
					e = newEnv(t)
				}
				secret := "bft_unknown-secret"
				switch {
				case c.anon:
					secret = ""
				case c.role != 0:
					secret = e.secret[c.role]
				}
				body := ep.body
				if ep.path == "/login" && ep.method == "POST" {
					body = "token=" + url.QueryEscape(e.secret[bf.Viewer])
				}
				path := ep.path
				if ep.method == "DELETE" {
					path = "/api/v1/tokens/" + e.spare.Hash
				}
				var hdr map[string][]string
				if ep.page && ep.method == "POST" {
					hdr = map[string][]string{"Content-Type": {"application/x-www-form-urlencoded"}}
				}
				res := e.request(ep.method, path, secret, strings.NewReader(body), hdr)
				defer res.Body.Close()
				var b strings.Builder
				buf := make([]byte, 4096)
				for {
					n, err := res.Body.Read(buf)
					b.WriteString(string(buf[:n]))
					if err != nil {
						break
					}
				}
				got := res.StatusCode
				switch {
				case ep.role == 0 || c.role >= ep.role:
					if got != ep.ok {
						t.Fatalf("status %d, want %d: %.400s", got, ep.ok, b.String())
					}
				case ep.page && ep.method == "POST" && c.role == 0: // a form is not sent back after a login
					if got != 401 || !strings.Contains(b.String(), "<h1>Please log in</h1>") {
						t.Fatalf("status %d, want 401 with the page asking to log in: %.400s", got, b.String())
					}
				case ep.page && ep.method == "POST":
					if got != 403 || !strings.Contains(b.String(), "needs the role "+ep.role.String()) {
						t.Fatalf("status %d, want 403 with the page naming the role needed: %.400s", got, b.String())
					}
				case ep.page && c.role == 0:
					if got != 303 || !strings.HasPrefix(res.Header.Get("Location"), "/login?next=") {
						t.Fatalf("status %d to %q, want 303 to the login form", got, res.Header.Get("Location"))
					}
				case c.role == 0:
					if got != 401 || decodeErr(t, []byte(b.String())).Kind != "unauthorized" || res.Header.Get("WWW-Authenticate") == "" {
						t.Fatalf("status %d, want 401 unauthorized with WWW-Authenticate: %s", got, b.String())
					}
				default:
					if got != 403 || decodeErr(t, []byte(b.String())).Kind != "forbidden" {
						t.Fatalf("status %d, want 403 forbidden: %s", got, b.String())
					}
				}
			})
		}
	}
}

// matches reports whether a concrete path fits a route pattern's path.
func matches(pattern, path string) bool {
	if pattern == "/{$}" {
		return path == "/"
	}
	path, _, _ = strings.Cut(path, "?")
	ps, qs := strings.Split(pattern, "/"), strings.Split(path, "/")
	if len(ps) != len(qs) {
		return false
	}
	for i := range ps {
		if !strings.HasPrefix(ps[i], "{") && ps[i] != qs[i] {
			return false
		}
	}
	return true
}

func TestMalformedAndWrongTypes(t *testing.T) {
	e := newEnv(t)
	op, ctl, adm := e.secret[bf.Operator], e.secret[bf.Controller], e.secret[bf.Admin]
	e.wantErr("POST", "/api/v1/events", op, `[{"id":"x1","date":"2026-01-20",`, 400, "invalid", "")
	e.wantErr("POST", "/api/v1/events", op, `{"id":"x1","date":`, 400, "invalid", "")
	e.wantErr("POST", "/api/v1/events", op, ``, 400, "invalid", "")
	e.wantErr("POST", "/api/v1/events", op, `[]`, 400, "invalid", "")
	e.wantErr("POST", "/api/v1/events", op, `[{"id":"x1"}] trailing`, 400, "invalid", "")
	// Wrong types name the field; in a batch, the line and the index too.
	ae := e.wantErr("POST", "/api/v1/events", op, "[\n"+`{"id":"x1","date":"2026-01-20","type":"purchase","item":"dm","qty":"1","unit_cost":"1"},`+"\n"+
		`{"id":"x2","date":"2026-01-20","type":"purchase","item":"dm","qty":true,"unit_cost":"1"}`+"\n]", 400, "invalid", "qty")
	if ae.Event != "x2" || ae.Line != 3 || ae.Index != 2 {
		t.Errorf("a wrong type in a batch: %+v, want event x2, line 3, index 2", ae)
	}
	ae = e.wantErr("POST", "/api/v1/events", op, `{"id":"x1","date":"2026-01-20","type":"purchase","item":"dm","qty":"1","unit_cost":"1"}`+"\n"+
		`{"id":"x2","date":"20-01-2026","type":"purchase","item":"dm","qty":"1","unit_cost":"1"}`, 400, "invalid", "date")
	if ae.Line != 2 || ae.Event != "x2" {
		t.Errorf("a bad date in JSON Lines: %+v, want line 2, event x2", ae)
	}
	e.wantErr("POST", "/api/v1/events", op, `[{"id":"x1","date":"2026-01-20","type":"purchase","item":"dm","qty":{"v":1},"unit_cost":"1"}]`, 400, "invalid", "qty")
	e.wantErr("POST", "/api/v1/events", op, `[{"id":"x1","date":"2026-01-20","type":"purchase","item":"dm","qty":"-1","unit_cost":"1"}]`, 400, "invalid", "qty")
	e.wantErr("POST", "/api/v1/events", op, `["not an event"]`, 400, "invalid", "")
	e.wantErr("POST", "/api/v1/periods/close", ctl, `{"date":20260131}`, 400, "invalid", "date")
	e.wantErr("POST", "/api/v1/periods/close", ctl, `{"date":"2026-01-31","reson":"typo"}`, 400, "invalid", "reson")
	e.wantErr("POST", "/api/v1/periods/close", ctl, `{}`, 400, "invalid", "date")
	e.wantErr("POST", "/api/v1/periods/close", ctl, `[1]`, 400, "invalid", "")
	e.wantErr("POST", "/api/v1/periods/close", ctl, `{"date":"2026-01-31"`, 400, "invalid", "")
	e.wantErr("POST", "/api/v1/queue/reprocess", op, `{"date":"2026-01-31","item":7}`, 400, "invalid", "item")
	e.wantErr("POST", "/api/v1/events/f1/reverse", ctl, `{"date":true}`, 400, "invalid", "date")
	e.wantErr("POST", "/api/v1/versions", ctl, `{"document":"name: x","effective":"soon"}`, 400, "invalid", "effective")
	e.wantErr("POST", "/api/v1/versions", ctl, `{"document":["x"],"effective":"2026-02-01"}`, 400, "invalid", "document")
	e.wantErr("POST", "/api/v1/versions", ctl, `{"document":"items: [","effective":"2026-02-01"}`, 400, "invalid", "")
	e.wantErr("POST", "/api/v1/tokens", adm, `{"name":"x","role":7}`, 400, "invalid", "role")
	e.wantErr("POST", "/api/v1/tokens", adm, `{"name":"x","role":"superuser"}`, 400, "invalid", "role")
	e.wantErr("POST", "/api/v1/tokens", adm, `{"name":"","role":"viewer"}`, 400, "invalid", "name")
	// Query parameters: bad values and unknown names are refused.
	v := e.secret[bf.Viewer]
	e.wantErr("GET", "/api/v1/events?page=0", v, "", 400, "invalid", "page")
	e.wantErr("GET", "/api/v1/events?limit=5000", v, "", 400, "invalid", "limit")
	e.wantErr("GET", "/api/v1/events?limit=ten", v, "", 400, "invalid", "limit")
	e.wantErr("GET", "/api/v1/events?type=shipment", v, "", 400, "invalid", "type")
	e.wantErr("GET", "/api/v1/books/seq/journal?from=yesterday", v, "", 400, "invalid", "from")
	e.wantErr("GET", "/api/v1/books/seq/journal?acount=materials", v, "", 400, "invalid", "acount")
	e.wantErr("GET", "/api/v1/reports/reconcile?materiality=-1", v, "", 400, "invalid", "materiality")
	e.wantErr("GET", "/api/v1/reports/lcnrv?basis=everything", v, "", 400, "invalid", "basis")
	e.wantErr("GET", "/api/v1/reports/income?layout=grid", v, "", 400, "invalid", "layout")
	e.wantErr("GET", "/api/v1/reports/income?layout=columns&fiscal_year_start=13-01", v, "", 400, "invalid", "fiscal_year_start")
	e.wantErr("GET", "/api/v1/reports/income?fiscal_year_start=04-01", v, "", 400, "invalid", "fiscal_year_start")
	e.wantErr("GET", "/api/v1/reports/variances?bok=seq", v, "", 400, "invalid", "bok")
	e.wantErr("GET", "/api/v1/reports/bom?version=first", v, "", 400, "invalid", "version")
	e.wantErr("GET", "/api/v1/reports/bom?proposed=x.yaml", v, "", 400, "invalid", "proposed")
	e.wantErr("GET", "/api/v1/reports/throughput?contribution=maybe", v, "", 400, "invalid", "contribution")
	e.wantErr("GET", "/api/v1/reports/throughput", v, "", 400, "invalid", "throughput")
	// Routing errors are in the same format.
	e.wantErr("GET", "/api/v1/nothing-here", v, "", 404, "not_found", "")
	e.wantErr("DELETE", "/api/v1/books", adm, "", 405, "invalid", "")
	// Nothing of all that reached the log.
	var h struct{ Events int }
	e.getJSON("/healthz", &h)
	if h.Events != 6 {
		t.Errorf("the log holds %d events after refused requests, want 6", h.Events)
	}
}

func TestUnknownThingsAre404(t *testing.T) {
	e := newEnv(t)
	v, op := e.secret[bf.Viewer], e.secret[bf.Operator]
	ae := e.wantErr("POST", "/api/v1/events", op, `[{"id":"p7","date":"2026-01-20","type":"purchase","item":"dm","qty":"1","unit_cost":"1"},`+
		`{"id":"x7","date":"2026-01-20","type":"sale","item":"wire","qty":"1"}]`, 404, "not_found", "item")
	if ae.Event != "x7" || ae.Index != 2 {
		t.Errorf("an unknown item in a batch: %+v", ae)
	}
	e.wantErr("POST", "/api/v1/queue/reprocess", op, `{"date":"2026-01-20","item":"wire"}`, 404, "not_found", "item")
	e.wantErr("POST", "/api/v1/events/nope/reverse", e.secret[bf.Controller], `{"date":"2026-01-20"}`, 404, "not_found", "reverses")
	e.wantErr("GET", "/api/v1/events?item=wire", v, "", 404, "not_found", "item")
	e.wantErr("GET", "/api/v1/events/nope", v, "", 404, "not_found", "id")
	e.wantErr("GET", "/api/v1/books/nope/journal", v, "", 404, "not_found", "book")
	e.wantErr("GET", "/api/v1/books/nope/trial-balance", v, "", 404, "not_found", "book")
	e.wantErr("GET", "/api/v1/books/seq/journal?account=nope", v, "", 404, "not_found", "account")
	e.wantErr("GET", "/api/v1/books/seq/journal?event=nope", v, "", 404, "not_found", "event")
	e.wantErr("GET", "/api/v1/books/seq/accounts/nope", v, "", 404, "not_found", "account")
	e.wantErr("GET", "/api/v1/reports/income?book=nope", v, "", 404, "not_found", "book")
	e.wantErr("GET", "/api/v1/reports/variances?book=nope", v, "", 404, "not_found", "book")
	e.wantErr("GET", "/api/v1/reports/bom?item=nope", v, "", 404, "not_found", "item")
	e.wantErr("GET", "/api/v1/reports/bom?version=9", v, "", 404, "not_found", "version")
	e.wantErr("DELETE", "/api/v1/tokens/"+strings.Repeat("0", 64), e.secret[bf.Admin], "", 404, "not_found", "hash")
	// The whole batch was refused: p7 is not in the log.
	e.wantErr("GET", "/api/v1/events/p7", v, "", 404, "not_found", "id")
	// A page for something unknown is a page saying so.
	st, b := e.do("GET", "/events/nope", v, "")
	if st != 404 || !strings.Contains(string(b), "no event with this id") {
		t.Errorf("an unknown event's page: %d %.300s", st, b)
	}
}

func TestOversizedBodies(t *testing.T) {
	e := newEnv(t)
	// A batch just over 16 MiB: one valid event padded with a long memo
	// per line, so only the size is wrong.
	var sb strings.Builder
	line := `{"id":"big%d","date":"2026-01-20","type":"purchase","item":"dm","qty":"1","unit_cost":"1","memo":"` + strings.Repeat("m", 1000) + `"}` + "\n"
	for i := 0; sb.Len() <= 16<<20; i++ {
		sb.WriteString(strings.Replace(line, "%d", itoa(i), 1))
	}
	e.wantErr("POST", "/api/v1/events", e.secret[bf.Operator], sb.String(), 413, "too_large", "")
	// Without a Content-Length the limit still holds while reading.
	res := e.request("POST", "/api/v1/events", e.secret[bf.Operator], struct{ *strings.Reader }{strings.NewReader(sb.String())}, nil)
	res.Body.Close()
	if res.StatusCode != 413 {
		t.Errorf("a chunked 16 MiB+ batch: %d, want 413", res.StatusCode)
	}
	// Other routes take 1 MiB.
	big := `{"date":"2026-01-31","reason":"` + strings.Repeat("r", 1<<20) + `"}`
	e.wantErr("POST", "/api/v1/periods/close", e.secret[bf.Controller], big, 413, "too_large", "")
	e.wantErr("POST", "/api/v1/versions", e.secret[bf.Controller], big, 413, "too_large", "")
	// A batch under 16 MiB but over 1 MiB is fine on the events route.
	sb.Reset()
	n := 0
	for ; sb.Len() <= 2<<20; n++ {
		sb.WriteString(strings.Replace(line, "%d", itoa(n), 1))
	}
	var r struct{ Accepted int }
	st, b := e.do("POST", "/api/v1/events", e.secret[bf.Operator], sb.String())
	if json.Unmarshal(b, &r); st != 200 || r.Accepted != n {
		t.Errorf("a 2 MiB batch: %d %.200s", st, b)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func jsonInt(i int) string { return strconv.Itoa(i) }

func TestDuplicateAndConflictingIDs(t *testing.T) {
	e := newEnv(t)
	op := e.secret[bf.Operator]
	batch := `[{"id":"p5","date":"2026-01-20","type":"purchase","item":"dm","qty":"5","unit_cost":"1"},` +
		`{"id":"p6","date":"2026-01-20","type":"purchase","item":"dm","qty":"6","unit_cost":"1"}]`
	var r struct{ Accepted, Duplicates int }
	for i, want := range [][2]int{{2, 0}, {0, 2}} {
		st, b := e.do("POST", "/api/v1/events", op, batch)
		if json.Unmarshal(b, &r); st != 200 || r.Accepted != want[0] || r.Duplicates != want[1] {
			t.Fatalf("posting the batch time %d: %d %s", i+1, st, b)
		}
	}
	// The base events again, as JSON Lines: all duplicates, no-ops.
	st, b := e.do("POST", "/api/v1/events", op, baseEvents)
	if json.Unmarshal(b, &r); st != 200 || r.Accepted != 0 || r.Duplicates != 6 {
		t.Fatalf("the base events again: %d %s", st, b)
	}
	// Same id, other content: 409, and nothing of the batch is posted.
	ae := e.wantErr("POST", "/api/v1/events", op, `[{"id":"p8","date":"2026-01-21","type":"purchase","item":"dm","qty":"1","unit_cost":"1"},`+
		`{"id":"p5","date":"2026-01-20","type":"purchase","item":"dm","qty":"7","unit_cost":"1"}]`, 409, "conflict", "id")
	if ae.Event != "p5" || ae.Index != 2 {
		t.Errorf("a conflicting id: %+v", ae)
	}
	e.wantErr("GET", "/api/v1/events/p8", op, "", 404, "not_found", "")
	// An id twice in one batch with different content is a conflict too.
	e.wantErr("POST", "/api/v1/events", op, `[{"id":"q1","date":"2026-01-21","type":"purchase","item":"dm","qty":"1","unit_cost":"1"},`+
		`{"id":"q1","date":"2026-01-21","type":"purchase","item":"dm","qty":"2","unit_cost":"1"}]`, 409, "conflict", "id")
	// A close or reverse retried with its id is a duplicate, not a second event.
	for i := 0; i < 2; i++ {
		st, b := e.do("POST", "/api/v1/events/p6/reverse", e.secret[bf.Controller], `{"date":"2026-01-22","id":"fix-p6"}`)
		var p struct {
			ID                   string
			Accepted, Duplicates int
		}
		if json.Unmarshal(b, &p); st != 200 || p.ID != "fix-p6" || p.Accepted+p.Duplicates != 1 || (i == 1) != (p.Duplicates == 1) {
			t.Fatalf("reverse retried (%d): %d %s", i, st, b)
		}
	}
}

// TestRetriedCommandsAreNoOps retries close, reverse and reprocess without
// ids, as a client does after a lost answer: each names its event by
// service.CommandID, so the retry is a duplicate and the books do not move.
func TestRetriedCommandsAreNoOps(t *testing.T) {
	e := newEnv(t)
	op, ctl := e.secret[bf.Operator], e.secret[bf.Controller]
	for _, c := range []struct{ path, secret, body, id string }{
		{"/api/v1/events/p1/reverse", ctl, `{"date":"2026-01-20"}`, "reverse-p1"},
		{"/api/v1/queue/reprocess", op, `{"date":"2026-01-21"}`, "reprocess-2026-01-21"},
		{"/api/v1/queue/reprocess", op, `{"date":"2026-01-21","item":"dm"}`, "reprocess-2026-01-21-dm"},
		{"/api/v1/periods/close", ctl, `{"date":"2026-01-31"}`, "close-2026-01-31"},
	} {
		_, before := e.do("GET", "/api/v1/books/seq/trial-balance", op, "")
		for i := 0; i < 3; i++ {
			st, b := e.do("POST", c.path, c.secret, c.body)
			var p struct {
				ID                   string
				Accepted, Duplicates int
			}
			if json.Unmarshal(b, &p); st != 200 || p.ID != c.id || p.Accepted != btoi(i == 0) || p.Duplicates != btoi(i > 0) {
				t.Fatalf("%s %s, time %d: %d %s", c.path, c.body, i+1, st, b)
			}
			if i == 0 {
				_, before = e.do("GET", "/api/v1/books/seq/trial-balance", op, "")
			}
		}
		if _, after := e.do("GET", "/api/v1/books/seq/trial-balance", op, ""); string(after) != string(before) {
			t.Errorf("%s retried moved the books:\n%s\n%s", c.path, before, after)
		}
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestClosedPeriodByEveryPath closes a period through the API and checks
// that nothing can change it: not the events endpoint, not a second close,
// not a reversal, not a re-processing, not a re-costing.
func TestClosedPeriodByEveryPath(t *testing.T) {
	e := newEnv(t)
	op, ctl := e.secret[bf.Operator], e.secret[bf.Controller]
	var p struct{ ID string }
	st, b := e.do("POST", "/api/v1/periods/close", ctl, `{"date":"2026-01-31"}`)
	if json.Unmarshal(b, &p); st != 200 || p.ID != "close-2026-01-31" {
		t.Fatalf("close: %d %s", st, b)
	}
	e.wantErr("POST", "/api/v1/events", op, `[{"id":"late","date":"2026-01-30","type":"purchase","item":"dm","qty":"1","unit_cost":"1"}]`, 409, "closed_period", "date")
	e.wantErr("POST", "/api/v1/events", op, `{"id":"late","date":"2026-01-31","type":"sale","item":"cable","qty":"1"}`, 409, "closed_period", "date")
	e.wantErr("POST", "/api/v1/periods/close", ctl, `{"date":"2026-01-15"}`, 409, "closed_period", "date")
	e.wantErr("POST", "/api/v1/events/s1/reverse", ctl, `{"date":"2026-01-20"}`, 409, "closed_period", "date")
	e.wantErr("POST", "/api/v1/queue/reprocess", op, `{"date":"2026-01-31"}`, 409, "closed_period", "date")
	doc, _ := json.Marshal(map[string]string{"document": testPlant, "effective": "2026-01-31"})
	e.wantErr("POST", "/api/v1/versions", ctl, string(doc), 409, "closed_period", "effective")
	// In the open period all of them work; a reversal of an event of the
	// closed period is dated in the open one.
	st, b = e.do("POST", "/api/v1/events/s1/reverse", ctl, `{"date":"2026-02-01"}`)
	if st != 200 {
		t.Fatalf("reversing s1 in the open period: %d %s", st, b)
	}
	var d struct {
		ReversedBy string `json:"reversed_by"`
		Period     int
	}
	e.getJSON("/api/v1/events/s1", &d)
	if d.ReversedBy == "" || d.Period != 1 {
		t.Errorf("s1 after its reversal: %+v", d)
	}
}

func TestQueueAndClose(t *testing.T) {
	e := newEnv(t)
	op, ctl := e.secret[bf.Operator], e.secret[bf.Controller]
	// 15 boards need 30 chips; 20 are left: 10 wait in the queue.
	if st, b := e.do("POST", "/api/v1/events", op, `[{"id":"b2","date":"2026-01-12","type":"complete","item":"board","qty":"15"}]`); st != 200 {
		t.Fatalf("%d %s", st, b)
	}
	var q struct {
		Count   int
		Entries []struct{ Event, Item, Component, Qty string }
	}
	e.getJSON("/api/v1/queue", &q)
	if q.Count != 1 || q.Entries[0].Event != "b2" || q.Entries[0].Component != "chip" || q.Entries[0].Qty != "10" {
		t.Fatalf("queue %+v", q)
	}
	// A close is refused while the queue holds entries…
	e.wantErr("POST", "/api/v1/periods/close", ctl, `{"date":"2026-01-31"}`, 409, "conflict", "reason")
	// …re-processing without stock changes nothing; with stock it clears.
	if st, b := e.do("POST", "/api/v1/queue/reprocess", op, `{"date":"2026-01-13","item":"chip"}`); st != 200 {
		t.Fatalf("reprocess: %d %s", st, b)
	}
	e.getJSON("/api/v1/queue", &q)
	if q.Count != 1 {
		t.Fatalf("queue after an empty re-processing: %+v", q)
	}
	if st, b := e.do("POST", "/api/v1/events", op, `[{"id":"p4","date":"2026-01-14","type":"purchase","item":"chip","qty":"4","unit_cost":"5"}]`); st != 200 {
		t.Fatalf("%d %s", st, b)
	}
	e.getJSON("/api/v1/queue", &q)
	if q.Count != 1 || q.Entries[0].Qty != "6" {
		t.Fatalf("queue after 4 chips arrived: %+v", q)
	}
	// A close with a reason goes ahead, and the reason is on record.
	var p struct{ ID string }
	st, b := e.do("POST", "/api/v1/periods/close", ctl, `{"date":"2026-01-31","reason":"chips arrive in February"}`)
	if json.Unmarshal(b, &p); st != 200 {
		t.Fatalf("close with a reason: %d %s", st, b)
	}
	var d struct{ Event map[string]string }
	e.getJSON("/api/v1/events/"+p.ID, &d)
	if d.Event["reason"] != "chips arrive in February" || d.Event["type"] != "close" {
		t.Errorf("the close on record: %+v", d.Event)
	}
	// A reject component refuses the event: 422.
	ae := e.wantErr("POST", "/api/v1/events", op, `[{"id":"g1","date":"2026-02-02","type":"complete","item":"ring","qty":"1"}]`, 422, "insufficient_stock", "qty")
	if ae.Item != "gold" || ae.Event != "g1" {
		t.Errorf("insufficient stock: %+v", ae)
	}
}

func TestPagination(t *testing.T) {
	e := newEnv(t)
	var sb strings.Builder
	for i := 0; i < 24; i++ {
		sb.WriteString(`{"id":"n` + jsonInt(100+i) + `","date":"2026-01-2` + jsonInt(i%8) + `","type":"purchase","item":"dm","qty":"1","unit_cost":"1"}` + "\n")
	}
	if st, b := e.do("POST", "/api/v1/events", e.secret[bf.Operator], sb.String()); st != 200 {
		t.Fatalf("%d %s", st, b)
	}
	type page struct {
		Events                    []map[string]string
		Page, Limit, Total, Pages int
	}
	var p page
	e.getJSON("/api/v1/events?limit=7&page=5", &p)
	if p.Total != 30 || p.Pages != 5 || p.Page != 5 || p.Limit != 7 || len(p.Events) != 2 || p.Events[1]["id"] != "n123" {
		t.Errorf("events page 5 of 7: %+v", p)
	}
	e.getJSON("/api/v1/events?limit=7&page=9", &p)
	if len(p.Events) != 0 || p.Total != 30 {
		t.Errorf("a page past the end: %+v", p)
	}
	e.getJSON("/api/v1/events?type=purchase&from=2026-01-22&to=2026-01-23", &p)
	if p.Total != 6 {
		t.Errorf("purchases of 22-23 January: %d, want 6", p.Total)
	}
	e.getJSON("/api/v1/events?item=cable", &p)
	if p.Total != 2 {
		t.Errorf("events of cable: %d, want 2", p.Total)
	}
	// Every page of the journal, put together, is the journal.
	type jpage struct {
		Entries []report.JSONEntry
		Total   int
		Pages   int
	}
	var all []report.JSONEntry
	var j jpage
	for pg := 1; ; pg++ {
		e.getJSON("/api/v1/books/seq/journal?limit=4&page="+jsonInt(pg), &j)
		all = append(all, j.Entries...)
		if pg >= j.Pages {
			break
		}
	}
	if len(all) != j.Total || all[0].ID != 1 || all[len(all)-1].ID != j.Total {
		t.Errorf("the journal's pages hold %d entries of %d", len(all), j.Total)
	}
	// Filters: by account, by event, by dates.
	e.getJSON("/api/v1/books/seq/journal?account=finished_goods", &j)
	for _, en := range j.Entries {
		hit := false
		for _, ln := range en.Lines {
			hit = hit || ln.Account == "finished_goods"
		}
		if !hit {
			t.Errorf("entry %d has no finished_goods line", en.ID)
		}
	}
	if j.Total != 2 { // f1's transfer, s1's cost of sale
		t.Errorf("finished_goods entries: %d, want 2", j.Total)
	}
	e.getJSON("/api/v1/books/seq/journal?event=f1", &j)
	if j.Total != 3 {
		t.Errorf("entries of f1: %d, want 3", j.Total)
	}
	e.getJSON("/api/v1/books/pc/journal?from=2026-01-06&to=2026-01-08", &j)
	for _, en := range j.Entries {
		if en.Date < "2026-01-06" || en.Date > "2026-01-08" {
			t.Errorf("entry of %s outside the dates", en.Date)
		}
	}
	var m struct {
		Movements []map[string]string
		Total     int
	}
	e.getJSON("/api/v1/books/seq/accounts/materials?limit=2&page=2", &m)
	if len(m.Movements) != 2 || m.Total < 4 {
		t.Errorf("materials movements page 2: %+v", m)
	}
}

// TestJournalMatchesReport holds the API's journal to the report package's
// JSON, so the two cannot drift (entry kinds in particular).
func TestJournalMatchesReport(t *testing.T) {
	e := newEnv(t)
	richer(t, e)
	var want report.JSONReport
	e.svc.View(func(l *costing.Ledger) error {
		want = report.BuildJSON(l, report.Options{Chart: e.svc.Chart()})
		return nil
	})
	for _, b := range want.Books {
		var j struct{ Entries []report.JSONEntry }
		e.getJSON("/api/v1/books/"+b.Name+"/journal?limit=1000", &j)
		got, _ := json.Marshal(j.Entries)
		exp, _ := json.Marshal(b.Entries)
		if string(got) != string(exp) {
			t.Errorf("book %s: the API's journal differs from report.BuildJSON's\n got %.600s\nwant %.600s", b.Name, got, exp)
		}
		var tb struct {
			Accounts []struct{ Code, Balance string }
		}
		e.getJSON("/api/v1/books/"+b.Name+"/trial-balance", &tb)
		for _, a := range tb.Accounts {
			if b.Balances[a.Code] != a.Balance {
				t.Errorf("book %s account %s: trial balance %s, report %s", b.Name, a.Code, a.Balance, b.Balances[a.Code])
			}
		}
	}
}

// TestControllerReportsMatchReport holds the variance report and the
// income statements' columns layout to report.Write's JSON.
func TestControllerReportsMatchReport(t *testing.T) {
	e := newEnv(t)
	richer(t, e)
	v := e.secret[bf.Viewer]
	for _, c := range []struct {
		path string
		req  report.Request
	}{
		{"/api/v1/reports/variances", report.Request{Kind: report.KindVariances}},
		{"/api/v1/reports/variances?book=pc", report.Request{Kind: report.KindVariances, Options: report.Options{Book: "pc"}}},
		{"/api/v1/reports/income?layout=columns", report.Request{Kind: report.KindIncome, Columns: true}},
		{"/api/v1/reports/income?layout=columns&fiscal_year_start=04-01&book=seq", report.Request{Kind: report.KindIncome, Columns: true, YearStart: "04-01", Options: report.Options{Book: "seq"}}},
		{"/api/v1/reports/income?layout=statements", report.Request{Kind: report.KindIncome}},
	} {
		var want bytes.Buffer
		c.req.JSON, c.req.Title, c.req.Chart = true, e.svc.Name(), e.svc.Chart()
		e.svc.View(func(l *costing.Ledger) error { return report.Write(&want, l, c.req) })
		st, got := e.do("GET", c.path, v, "")
		if st != 200 || string(got) != want.String() {
			t.Errorf("%s: %d\n got %.600s\nwant %.600s", c.path, st, got, want.String())
		}
	}
}

func TestTokens(t *testing.T) {
	e := newEnv(t)
	adm := e.secret[bf.Admin]
	var tok struct{ Hash, Name, Role, Secret string }
	st, b := e.do("POST", "/api/v1/tokens", adm, `{"name":"line 2 scanner","role":"operator"}`)
	if json.Unmarshal(b, &tok); st != 201 || tok.Secret == "" || tok.Role != "operator" {
		t.Fatalf("create: %d %s", st, b)
	}
	sum := sha256.Sum256([]byte(tok.Secret))
	if tok.Hash != hex.EncodeToString(sum[:]) {
		t.Errorf("hash %s is not the SHA-256 of the secret", tok.Hash)
	}
	stored, _ := e.store.Tokens(t.Context())
	for _, s := range stored {
		if strings.Contains(s.Hash+s.Name, tok.Secret) {
			t.Error("the store holds the secret")
		}
	}
	// The new token works at once (the cache was invalidated).
	if st, _ := e.do("POST", "/api/v1/events", tok.Secret, `[{"id":"t1","date":"2026-01-20","type":"purchase","item":"dm","qty":"1","unit_cost":"1"}]`); st != 200 {
		t.Errorf("the new operator token: %d", st)
	}
	var list struct{ Tokens []map[string]string }
	e.getJSON("/api/v1/tokens", &list)
	if len(list.Tokens) != 6 {
		t.Errorf("%d tokens listed, want 6", len(list.Tokens))
	}
	for _, l := range list.Tokens {
		if l["secret"] != "" {
			t.Error("the list shows a secret")
		}
	}
	// A token added to the store by another process (the CLI) is found on
	// its first use, without waiting for the cache to expire.
	secret, other, _ := httpapi.NewToken("cli-made", bf.Viewer)
	e.store.PutToken(t.Context(), &other)
	if st, _ := e.do("GET", "/api/v1/books", secret, ""); st != 200 {
		t.Errorf("a token made by another process: %d", st)
	}
	if st, _ := e.do("DELETE", "/api/v1/tokens/"+tok.Hash, adm, ""); st != 204 {
		t.Fatalf("delete: %d", st)
	}
	e.wantErr("GET", "/api/v1/books", tok.Secret, "", 401, "unauthorized", "")
}

func TestMetricsMove(t *testing.T) {
	e := newEnv(t)
	scrape := func() map[string]string {
		st, b := e.do("GET", "/metrics", "", "")
		if st != 200 {
			t.Fatalf("metrics: %d", st)
		}
		m := map[string]string{}
		for _, l := range strings.Split(string(b), "\n") {
			if l == "" || strings.HasPrefix(l, "#") {
				continue
			}
			i := strings.LastIndexByte(l, ' ')
			m[l[:i]] = l[i+1:]
		}
		return m
	}
	before := scrape()
	if before["events_ingested_total"] != "6" || before["ingest_batches_total"] != "1" || before["books_events"] != "6" {
		t.Errorf("metrics after the base events: %v", before)
	}
	batch := `[{"id":"m1","date":"2026-01-20","type":"purchase","item":"dm","qty":"1","unit_cost":"1"},{"id":"m2","date":"2026-01-20","type":"purchase","item":"dm","qty":"2","unit_cost":"1"}]`
	e.do("POST", "/api/v1/events", e.secret[bf.Operator], batch)
	e.do("POST", "/api/v1/events", e.secret[bf.Operator], batch)
	e.do("GET", "/api/v1/books", "", "")
	after := scrape()
	for k, want := range map[string]string{
		"events_ingested_total":  "8",
		"events_duplicate_total": "2",
		"ingest_batches_total":   "3",
		"books_events":           "8",
		`http_requests_total{method="POST",route="/api/v1/events",code="200"}`:                 "3",
		`http_requests_total{method="GET",route="/api/v1/books",code="401"}`:                   "1",
		`http_request_duration_seconds_count{method="POST",route="/api/v1/events"}`:            "3",
		`http_request_duration_seconds_bucket{method="POST",route="/api/v1/events",le="+Inf"}`: "3",
	} {
		if after[k] != want {
			t.Errorf("%s = %q, want %s", k, after[k], want)
		}
	}
	st, b := e.do("GET", "/metrics", "", "")
	if st != 200 || !strings.Contains(string(b), "# TYPE http_request_duration_seconds histogram") {
		t.Errorf("no histogram type line")
	}
}

func TestLoginCookie(t *testing.T) {
	e := newEnv(t)
	res := e.request("GET", "/queue?x=1", "", nil, nil)
	res.Body.Close()
	if res.StatusCode != 303 || res.Header.Get("Location") != "/login?next="+url.QueryEscape("/queue?x=1") {
		t.Fatalf("an anonymous page visit: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	form := map[string][]string{"Content-Type": {"application/x-www-form-urlencoded"}}
	res = e.request("POST", "/login", "", strings.NewReader("token=bft_wrong&next=/queue"), form)
	res.Body.Close()
	if res.StatusCode != 401 || len(res.Cookies()) != 0 {
		t.Fatalf("a wrong token: %d, cookies %v", res.StatusCode, res.Cookies())
	}
	res = e.request("POST", "/login", "", strings.NewReader("token="+url.QueryEscape(e.secret[bf.Viewer])+"&next=//evil.example/"), form)
	res.Body.Close()
	if res.StatusCode != 303 || res.Header.Get("Location") != "/" {
		t.Errorf("an off-site next: %d to %q, want 303 to /", res.StatusCode, res.Header.Get("Location"))
	}
	var c *struct{ name, value string }
	for _, k := range res.Cookies() {
		if !k.HttpOnly || k.SameSite != 3 /* http.SameSiteStrictMode */ || k.Path != "/" {
			t.Errorf("cookie %s: HttpOnly %v SameSite %v Path %q", k.Name, k.HttpOnly, k.SameSite, k.Path)
		}
		c = &struct{ name, value string }{k.Name, k.Value}
	}
	if c == nil {
		t.Fatal(errNoCookie)
	}
	cookie := map[string][]string{"Cookie": {c.name + "=" + c.value}}
	res = e.request("GET", "/", "", nil, cookie)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Errorf("the dashboard with the cookie: %d, CSP %q", res.StatusCode, res.Header.Get("Content-Security-Policy"))
	}
	// The API takes only the Authorization header: a cookie alone is 401,
	// so no other site's page can make a browser post events.
	res = e.request("GET", "/api/v1/books", "", nil, cookie)
	res.Body.Close()
	if res.StatusCode != 401 {
		t.Errorf("the API with the cookie only: %d, want 401", res.StatusCode)
	}
}

// TestRecostKeepsPreviousJournal re-costs through the API: completions from
// the effective date allocate the new standard, and the journal as it stood
// before stays readable with previous=true.
func TestRecostKeepsPreviousJournal(t *testing.T) {
	e := newEnv(t)
	e.wantErr("GET", "/api/v1/books/seq/trial-balance?previous=true", e.secret[bf.Viewer], "", 404, "not_found", "")
	e.wantErr("GET", "/api/v1/books/seq/trial-balance?previous=maybe", e.secret[bf.Viewer], "", 400, "invalid", "previous")
	if st, b := e.do("POST", "/api/v1/events", e.secret[bf.Operator], `{"id":"f2","date":"2026-01-21","type":"complete","item":"cable","qty":"10"}`); st != 200 {
		t.Fatalf("%d %s", st, b)
	}
	allocated := func(q string) string {
		var tb struct {
			Accounts []struct{ Account, Balance string }
		}
		e.getJSON("/api/v1/books/seq/trial-balance"+q, &tb)
		for _, a := range tb.Accounts {
			if a.Account == "conversion_allocated" {
				return a.Balance
			}
		}
		return ""
	}
	before := allocated("")
	st, b := e.do("POST", "/api/v1/versions", e.secret[bf.Controller], recostDoc(t))
	var v struct {
		Version   int
		Effective string
	}
	if json.Unmarshal(b, &v); st != 201 || v.Version != 2 || v.Effective != "2026-01-20" {
		t.Fatalf("recost: %d %s", st, b)
	}
	// f2 (10 cables on 21 January) now allocates 22 a cable instead of 20.
	if before != "-420.00" || allocated("") != "-440.00" || allocated("?previous=true") != before {
		t.Errorf("conversion allocated: before %s, after %s, previous %s", before, allocated(""), allocated("?previous=true"))
	}
	var j struct{ Total int }
	e.getJSON("/api/v1/books/seq/journal?previous=true&event=f2", &j)
	if j.Total != 3 {
		t.Errorf("the previous journal's entries of f2: %d", j.Total)
	}
	var p struct {
		Version  int
		Versions []struct{ Version int }
	}
	e.getJSON("/api/v1/plant", &p)
	if p.Version != 2 || len(p.Versions) != 2 {
		t.Errorf("plant after re-costing: version %d, %d versions", p.Version, len(p.Versions))
	}
}
