package httpapi_test

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/httpapi"
)

// session is a dashboard login over real HTTP: the session cookie the
// login form set, and the form token the pages carry.
type session struct {
	e      *env
	cookie *http.Cookie
	csrf   string
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// login logs in through the form as a role and reads the form token off
// the month-end page.
func login(t *testing.T, e *env, role bf.Role) *session {
	t.Helper()
	res := e.request("POST", "/login", "", strings.NewReader("token="+url.QueryEscape(e.secret[role])),
		http.Header{"Content-Type": {"application/x-www-form-urlencoded"}})
	res.Body.Close()
	if res.StatusCode != 303 || len(res.Cookies()) != 1 {
		t.Fatalf("login as %s: %d, cookies %v", role, res.StatusCode, res.Cookies())
	}
	s := &session{e: e, cookie: res.Cookies()[0]}
	if c := s.cookie; !c.HttpOnly || c.SameSite != http.SameSiteStrictMode {
		t.Errorf("the session cookie is not HttpOnly and SameSite=Strict: %v", c)
	}
	st, body := s.do("GET", "/month-end", "")
	m := csrfRE.FindStringSubmatch(body)
	if st != 200 || m == nil {
		t.Fatalf("the month-end page as %s: %d, no form token", role, st)
	}
	s.csrf = m[1]
	return s
}

// do sends a request with the session's cookie only (as a browser would).
func (s *session) do(method, path, form string) (int, string) {
	s.e.t.Helper()
	h := http.Header{"Cookie": {s.cookie.Name + "=" + s.cookie.Value}}
	if method == "POST" {
		h.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res := s.e.request(method, path, "", strings.NewReader(form), h)
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// TestDashboardCSRF: a form posted with the session cookie is refused
// without the session's token, with a wrong one and with another
// session's, and nothing is posted; with it, the command runs.
func TestDashboardCSRF(t *testing.T) {
	e := newEnv(t)
	s := login(t, e, bf.Controller)
	other := login(t, e, bf.Admin)
	if s.csrf == other.csrf {
		t.Fatal("two sessions share a form token")
	}
	close := "date=2026-01-31&reason=month+end&confirm=yes"
	for _, tc := range []struct{ name, form string }{
		{"without a token", close},
		{"with an empty token", close + "&csrf="},
		{"with a wrong token", close + "&csrf=" + url.QueryEscape(s.csrf[:len(s.csrf)-2]+"xx")},
		{"with another session's token", close + "&csrf=" + url.QueryEscape(other.csrf)},
	} {
		n := e.svc.Len()
		st, body := s.do("POST", "/month-end/close", tc.form)
		if st != 403 || !strings.Contains(body, "reload the page") {
			t.Errorf("a close %s: %d %.300s", tc.name, st, body)
		}
		if e.svc.Len() != n || e.svc.ClosedThrough() != 0 {
			t.Errorf("a close %s was posted", tc.name)
		}
	}
	for _, path := range []string{"/month-end/reverse", "/month-end/reprocess", "/logout"} {
		if st, _ := s.do("POST", path, "date=2026-01-20&event=s1&confirm=yes"); st != 403 {
			t.Errorf("POST %s without a token: %d", path, st)
		}
	}
	// Without confirm=yes, the confirmation page; nothing posted.
	n := e.svc.Len()
	st, body := s.do("POST", "/month-end/close", "date=2026-01-31&reason=month+end&csrf="+url.QueryEscape(s.csrf))
	if st != 200 || !strings.Contains(body, "<h1>Confirm: close the period through 2026-01-31</h1>") || !strings.Contains(body, `name="confirm" value="yes"`) || e.svc.Len() != n {
		t.Fatalf("the close form without confirm: %d, %d events (was %d)", st, e.svc.Len(), n)
	}
	st, body = s.do("POST", "/month-end/close", close+"&csrf="+url.QueryEscape(s.csrf))
	if st != 200 || !strings.Contains(body, "Posted event") || e.svc.ClosedThrough().String() != "2026-01-31" {
		t.Fatalf("the confirmed close: %d %.300s", st, body)
	}
	d, err := e.svc.Event("close-2026-01-31")
	if err != nil || d.Event.Reason != "month end" || d.Event.Memo != "by controller-tester (controller) from the dashboard" {
		t.Errorf("the close is recorded as %+v (%v)", d, err)
	}
	// The same form again is the same event: nothing new.
	if st, body = s.do("POST", "/month-end/close", close+"&csrf="+url.QueryEscape(s.csrf)); st != 200 || !strings.Contains(body, "Already done") {
		t.Errorf("the close retried: %d %.300s", st, body)
	}
	// A login posted from another site is refused.
	res := e.request("POST", "/login", "", strings.NewReader("token="+url.QueryEscape(e.secret[bf.Viewer])),
		http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "Sec-Fetch-Site": {"cross-site"}})
	res.Body.Close()
	if res.StatusCode != 403 || len(res.Cookies()) != 0 {
		t.Errorf("a cross-site login: %d, cookies %v", res.StatusCode, res.Cookies())
	}
	if st, _ := s.do("POST", "/logout", "csrf="+url.QueryEscape(s.csrf)); st != 303 {
		t.Errorf("logout with the token: %d", st)
	}
}

// TestDashboardFormsPerRole: each month-end form needs the role the API
// route it stands for needs, and a role below it is refused (with a valid
// session and token) and posts nothing.
func TestDashboardFormsPerRole(t *testing.T) {
	forms := []struct{ page, api, form string }{
		{"/month-end/close", "/api/v1/periods/close", "date=2026-01-31&reason=x&confirm=yes"},
		{"/month-end/reverse", "/api/v1/events/{id}/reverse", "date=2026-01-20&event=s1&confirm=yes"},
		{"/month-end/reprocess", "/api/v1/queue/reprocess", "date=2026-01-20&confirm=yes"},
	}
	e0 := newEnv(t)
	need := map[string]bf.Role{}
	for _, rt := range e0.srv.Routes() {
		if rt.Method == "POST" {
			need[rt.Path] = rt.Role
		}
	}
	for _, f := range forms {
		if need[f.page] == 0 || need[f.page] != need[f.api] {
			t.Errorf("%s needs the role %s, the API's %s the role %s", f.page, need[f.page], f.api, need[f.api])
		}
		for _, role := range roles {
			t.Run(f.page+" as "+role.String(), func(t *testing.T) {
				e := newEnv(t)
				s := login(t, e, role)
				n := e.svc.Len()
				st, body := s.do("POST", f.page, f.form+"&csrf="+url.QueryEscape(s.csrf))
				switch {
				case role >= need[f.api]:
					if st != 200 || !strings.Contains(body, "Posted event") || e.svc.Len() != n+1 {
						t.Errorf("status %d, %d events (was %d): %.300s", st, e.svc.Len(), n, body)
					}
				default:
					if st != 403 || e.svc.Len() != n {
						t.Errorf("status %d, %d events (was %d), want 403 and nothing posted", st, e.svc.Len(), n)
					}
				}
			})
		}
	}
}

// TestAccountPageFiltersAndPages: an account of 450 lines runs to three
// pages with page numbers; a jump to a date lands on the page holding it;
// filters narrow the lines and the CSV holds exactly the chosen lines,
// with the API's figures.
func TestAccountPageFiltersAndPages(t *testing.T) {
	var ev strings.Builder
	for i := range 450 {
		fmt.Fprintf(&ev, `{"id":"q%d","date":"2026-02-%02d","type":"purchase","item":"dm","qty":"1","unit_cost":"1.00"}`+"\n", i, 1+i/20)
	}
	e := newEnvOf(t, testPlant, baseEvents+ev.String())
	st, bb := e.do("GET", "/books/seq/accounts/materials", e.secret[bf.Viewer], "")
	b := string(bb)
	// 1 purchase of dm, 1 of chip, 2 issues (b1 chips, f1 dm), then 450 purchases: 454 lines
	if st != 200 || !strings.Contains(b, "<strong>454</strong>") || !strings.Contains(b, "(page 1 of 3)") {
		t.Fatalf("the account page: %d %.500s", st, b)
	}
	for _, p := range []string{"page=2", "page=3"} {
		if !strings.Contains(b, "/books/seq/accounts/materials?"+p) {
			t.Errorf("no link to %s", p)
		}
	}
	// 2026-02-11 is the first day of purchases q200…: line 4+200 = 205, on page 2.
	st, bb = e.do("GET", "/books/seq/accounts/materials?at=2026-02-11", e.secret[bf.Viewer], "")
	b = string(bb)
	if st != 200 || !strings.Contains(b, "(page 2 of 3)") || !strings.Contains(b, `href="/events/q200"`) {
		t.Errorf("jumping to 2026-02-11: %d, page %q", st, regexp.MustCompile(`\(page \d+ of \d+\)`).FindString(b))
	}
	// Filters: the purchases of chip; of February's first two days; none of type sale.
	for _, tc := range []struct {
		query string
		lines int
	}{
		{"item=chip", 2}, // its purchase and its issue to b1
		{"item=chip&type=purchase", 1},
		{"from=2026-02-01&to=2026-02-02", 40},
		{"type=sale", 0},
	} {
		res := e.request("GET", "/books/seq/accounts/materials?format=csv&"+tc.query, e.secret[bf.Viewer], nil, nil)
		rows, err := csv.NewReader(res.Body).ReadAll()
		res.Body.Close()
		if err != nil || res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
			t.Fatalf("%s: %d %v", tc.query, res.StatusCode, err)
		}
		if len(rows)-1 != tc.lines {
			t.Errorf("%s: %d lines in the CSV, want %d", tc.query, len(rows)-1, tc.lines)
		}
	}
	// The CSV of every line has the API's figures, line by line.
	res := e.request("GET", "/books/seq/accounts/materials?format=csv", e.secret[bf.Viewer], nil, nil)
	rows, _ := csv.NewReader(res.Body).ReadAll()
	res.Body.Close()
	var api struct {
		Movements []map[string]string `json:"movements"`
	}
	e.getJSON("/api/v1/books/seq/accounts/materials?limit=1000", &api)
	if len(rows) != len(api.Movements)+1 {
		t.Fatalf("%d CSV rows for %d API lines", len(rows)-1, len(api.Movements))
	}
	for i, m := range api.Movements {
		r := rows[i+1]
		if r[1] != m["event"] || r[6] != m["debit"] || r[7] != m["credit"] || r[8] != m["balance"] {
			t.Fatalf("CSV line %d %q, API %v", i+1, r, m)
		}
	}
	e.wantStatuses("/books/seq/accounts/materials?", map[string]int{"type=nonsense": 400, "from=2026-02-30": 400, "format=xml": 400, "item=unobtainium": 404})
}

// wantStatuses GETs each query after prefix as a viewer and checks the
// status.
func (e *env) wantStatuses(prefix string, want map[string]int) {
	e.t.Helper()
	for q, st := range want {
		if got, _ := e.do("GET", prefix+q, e.secret[bf.Viewer], ""); got != st {
			e.t.Errorf("%s%s: %d, want %d", prefix, q, got, st)
		}
	}
}

// TestTrialBalancePage: as of a date, for a period, and refused for both.
func TestTrialBalancePage(t *testing.T) {
	e := newEnv(t)
	richer(t, e)
	// As of 2026-01-05: the two purchases only (dm 1,000.00 and chip 204.00).
	st, b := e.do("GET", "/books/seq?as_of=2026-01-05", e.secret[bf.Viewer], "")
	if st != 200 || !strings.Contains(string(b), "as of 2026-01-05") || !strings.Contains(string(b), ">1,204.00<") {
		t.Errorf("as of 2026-01-05: %d %.600s", st, b)
	}
	// Period 2 holds one purchase of dm, 490.00.
	st, b = e.do("GET", "/books/seq?period=2", e.secret[bf.Viewer], "")
	if st != 200 || !strings.Contains(string(b), "movements of period P2") || !strings.Contains(string(b), ">490.00<") {
		t.Errorf("period 2: %d", st)
	}
	e.wantStatuses("/books/seq?", map[string]int{"period=3": 404, "period=0": 400, "as_of=2026-13-01": 400, "as_of=2026-01-05&period=1": 400})
}

// TestDownloads: every book and period in every format, as attachments.
func TestDownloads(t *testing.T) {
	e := newEnv(t)
	richer(t, e)
	st, page := e.do("GET", "/downloads", e.secret[bf.Viewer], "")
	if st != 200 {
		t.Fatal(st)
	}
	links := regexp.MustCompile(`href="(/books/[^"]+/download\?[^"]+)"`).FindAllStringSubmatch(string(page), -1)
	if len(links) != 3*3*5 { // 3 books × (whole journal, P1, P2) × 5 formats
		t.Fatalf("%d download links, want 45", len(links))
	}
	for _, l := range links {
		href := strings.ReplaceAll(l[1], "&amp;", "&")
		res := e.request("GET", href, e.secret[bf.Viewer], nil, nil)
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || len(body) == 0 || !strings.HasPrefix(res.Header.Get("Content-Disposition"), `attachment; filename="test-plant-`) {
			t.Errorf("%s: %d, %d bytes, %q", href, res.StatusCode, len(body), res.Header.Get("Content-Disposition"))
		}
		if strings.Contains(href, "xlsx") && !strings.HasPrefix(string(body), "PK") {
			t.Errorf("%s is not a zip (xlsx)", href)
		}
	}
	e.wantStatuses("/books/", map[string]int{"seq/download?format=pdf": 400, "seq/download?format=csv&period=9": 404, "nope/download?format=csv": 404})
}

// TestNegativeInventoryFlagged: cables completed beyond the components on
// hand (shortage policy allow) leave credit balances on inventory accounts
// — in seq materials -150.00 and WIP -480.00 (the boards' chips and
// conversion relieved at standard) — flagged on the books side by side, the
// trial balance and the account, with the reason; a book without negative
// inventory and a period's movements are not flagged.
func TestNegativeInventoryFlagged(t *testing.T) {
	e := newEnv(t)
	if st, b := e.do("POST", "/api/v1/events", e.secret[bf.Operator], `{"id":"f9","date":"2026-01-10","type":"complete","item":"cable","qty":"40"}`); st != 200 {
		t.Fatalf("%d %s", st, b)
	}
	for page, want := range map[string][]string{
		"/":                             {"Negative inventory", "seq: Materials -150.00", "seq: Work in process -480.00"},
		"/books/seq":                    {`<td class="num neg">150.00</td>`, `<td class="num neg">480.00</td>`, "negative inventory: more cost was relieved"},
		"/books/seq/accounts/wip":       {`class="neg">-480.00 USD`, "negative inventory"},
		"/books/seq/accounts/materials": {"negative inventory"},
	} {
		_, b := e.do("GET", page, e.secret[bf.Viewer], "")
		for _, w := range want {
			if !strings.Contains(string(b), w) {
				t.Errorf("%s does not show %q", page, w)
			}
		}
	}
	for _, page := range []string{"/books/sale", "/books/seq?period=1", "/books/seq/accounts/finished_goods"} {
		if _, b := e.do("GET", page, e.secret[bf.Viewer], ""); strings.Contains(string(b), "negative inventory") {
			t.Errorf("%s is flagged", page)
		}
	}
}

// TestCloseRefusedThroughForm: a close without a reason while the queue
// holds entries is refused as the API refuses it (409), the page says why
// and leads back to month end, and nothing is posted.
func TestCloseRefusedThroughForm(t *testing.T) {
	e := newEnv(t)
	if st, b := e.do("POST", "/api/v1/events", e.secret[bf.Operator], `{"id":"b2","date":"2026-01-12","type":"complete","item":"board","qty":"15"}`); st != 200 {
		t.Fatalf("%d %s", st, b)
	}
	s := login(t, e, bf.Controller)
	n := e.svc.Len()
	st, body := s.do("POST", "/month-end/close", "date=2026-01-31&confirm=yes&csrf="+url.QueryEscape(s.csrf))
	if st != 409 || !strings.Contains(body, "queue") || !strings.Contains(body, `<a href="/month-end">Back to month end</a>`) || e.svc.Len() != n {
		t.Errorf("a close without a reason over a queue: %d, %d events (was %d): %.2000s", st, e.svc.Len(), n, body)
	}
	if st, _ := s.do("POST", "/month-end/close", "date=2026-02-30&confirm=yes&csrf="+url.QueryEscape(s.csrf)); st != 400 {
		t.Errorf("an impossible date: %d", st)
	}
	if st, _ := s.do("POST", "/month-end/reverse", "date=2026-01-20&event=nope&confirm=yes&csrf="+url.QueryEscape(s.csrf)); st != 404 {
		t.Errorf("reversing an unknown event: %d", st)
	}
}

// TestCommandAudited: a command given through the forms is logged with
// the time, who gave it, the command, its event and its fields, and never
// the form's token.
func TestCommandAudited(t *testing.T) {
	e := newEnv(t)
	var logged strings.Builder
	srv := httpapi.New(e.svc, slog.New(slog.NewJSONHandler(&logged, nil)), httpapi.Options{})
	ts := httptest.NewServer(srv)
	defer ts.Close()
	e.ts = ts
	s := login(t, e, bf.Controller)
	if st, body := s.do("POST", "/month-end/close", "date=2026-01-31&reason=books+done&confirm=yes&csrf="+url.QueryEscape(s.csrf)); st != 200 {
		t.Fatalf("%d %.300s", st, body)
	}
	for _, line := range strings.Split(logged.String(), "\n") {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) != nil || rec["msg"] != "command" {
			continue
		}
		if rec["time"] == nil || rec["command"] != "close" || rec["event"] != "close-2026-01-31" || rec["by"] != "controller-tester" ||
			rec["role"] != "controller" || rec["reason"] != "books done" || rec["date"] != "2026-01-31" || strings.Contains(line, s.csrf) {
			t.Errorf("the command's record: %s", line)
		}
		return
	}
	t.Errorf("no command record in the log:\n%s", logged.String())
}

// TestStatementsLinks: the events behind a variance link to their pages,
// a material gap to GAAP is flagged, and a report the books cannot give is
// a sentence, while a bad parameter the user gave is an error.
func TestStatementsLinks(t *testing.T) {
	e := newEnv(t)
	_, b := e.do("GET", "/statements/variances", e.secret[bf.Viewer], "")
	if !strings.Contains(string(b), `<a href="/events/p2">p2</a>`) {
		t.Errorf("the variances page does not link the purchase behind its price variance:\n%.3000s", b)
	}
	_, b = e.do("GET", "/statements/reconcile", e.secret[bf.Viewer], "")
	if !regexp.MustCompile(`<dt>Material</dt><dd class="neg">yes</dd>`).Match(b) {
		t.Errorf("the reconciliation does not flag a material gap")
	}
	st, b := e.do("GET", "/statements/process", e.secret[bf.Viewer], "")
	if st != 200 || !strings.Contains(string(b), "keep no such report") {
		t.Errorf("process costing without an actual-cost book: %d", st)
	}
	e.wantStatuses("/statements/", map[string]int{"reconcile?materiality=lots": 400, "variances?book=nope": 404, "process?book=nope": 404, "income?layout=sideways": 400})
}
