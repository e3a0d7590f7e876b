package httpapi_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/internal/testenv"
)

// richer posts events that give every page something to show: a queued
// shortfall, a reversal and a closed period.
func richer(t *testing.T, e *env) {
	t.Helper()
	for _, body := range []string{
		`{"id":"b2","date":"2026-01-12","type":"complete","item":"board","qty":"15"}`, // needs 30 chips, 20 left: 10 queued
		`{"id":"s2","date":"2026-01-13","type":"sale","item":"cable","qty":"1"}`,
		`{"id":"r1","date":"2026-01-14","type":"reverse","reverses":"s2"}`,
		`{"id":"z1","date":"2026-01-31","type":"close","reason":"chips on order; shortfall stays queued"}`,
		`{"id":"p3","date":"2026-02-02","type":"purchase","item":"dm","qty":"500","unit_cost":"0.98"}`,
	} {
		if st, b := e.do("POST", "/api/v1/events", e.secret[bf.Controller], body); st != 200 {
			t.Fatalf("%s: %d %s", body, st, b)
		}
	}
}

func TestDashboardInBrowser(t *testing.T) {
	bin := testenv.RequireBrowser(t)
	e := newEnv(t)
	richer(t, e)
	b := startBrowser(t, bin)
	shots := os.Getenv("BACKFLUSH_SCREENSHOTS") // a folder: save a PNG of every page
	str := func(expr string) string {
		var s string
		b.eval(expr, &s)
		return s
	}
	clean := func(from int, where string) {
		t.Helper()
		if p := b.problems(from); len(p) > 0 {
			t.Errorf("%s logged to the console:\n%s", where, strings.Join(p, "\n"))
		}
	}

	// The check itself must be able to fail: a console error and an
	// uncaught exception are seen.
	from := b.mark()
	b.navigate(`data:text/html,<script>console.error("boom");undefinedFunction()</script>`)
	if p := b.problems(from); len(p) < 2 {
		t.Fatalf("a page with a console error and an uncaught exception gave %d problems: the check cannot see errors", len(p))
	}

	// Without a login, a page sends the visitor to the login form and back.
	b.navigate(e.ts.URL + "/books/seq")
	if p := str("location.pathname"); p != "/login" {
		t.Fatalf("an anonymous visit landed on %s, want /login", p)
	}
	b.act(`document.querySelector('#token').value = 'bft_not-a-token'; document.querySelector('form.login').submit()`)
	if m := str(`document.querySelector('.error') ? document.querySelector('.error').textContent : ''`); !strings.Contains(m, "not known") {
		t.Errorf("a wrong token: the form says %q", m)
	}
	from = b.mark() // the refused login answered 401, which the browser logs as a failed load
	b.act(`document.querySelector('#token').value = '` + e.secret[bf.Viewer] + `'; document.querySelector('form.login').submit()`)
	if p := str("location.pathname"); p != "/books/seq" {
		t.Fatalf("after login the browser is on %s, want /books/seq", p)
	}
	if h := str("document.querySelector('h1').textContent"); h != "Trial balance of book seq" {
		t.Errorf("book page heading %q", h)
	}
	if c := str("document.cookie"); c != "" {
		t.Errorf("a script can read the session cookie: %q", c)
	}
	clean(from, "the login")
	if shots != "" {
		b.screenshot(filepath.Join(shots, "book.png"))
	}

	// Drill down: trial balance → account → event.
	from = b.mark()
	b.act(`[...document.querySelectorAll('a.drill')].find(a => a.textContent === 'Materials').click()`)
	if p := str("location.pathname"); p != "/books/seq/accounts/materials" {
		t.Fatalf("the Materials link led to %s", p)
	}
	var rows int
	b.eval(`document.querySelectorAll('table.moves tbody tr').length`, &rows)
	if rows < 4 {
		t.Errorf("the materials drill-down shows %d lines", rows)
	}
	if shots != "" {
		b.screenshot(filepath.Join(shots, "account.png"))
	}
	b.act(`document.querySelector('table.moves a.drill[href="/events/f1"]').click()`)
	if p := str("location.pathname"); p != "/events/f1" {
		t.Fatalf("the event link led to %s", p)
	}
	var books, paths int
	b.eval(`document.querySelectorAll('section.book h3').length`, &books)
	b.eval(`[...document.querySelectorAll('table.bom code')].filter(c => c.textContent === 'cable>board').length`, &paths)
	if books != 3 || paths != 1 {
		t.Errorf("the event page shows %d books and %d BOM path cable>board, want 3 and 1", books, paths)
	}
	if n := str(`[...document.querySelectorAll('table.entries code')].map(c => c.textContent).join(' ')`); !strings.Contains(n, "cable>board>chip") {
		t.Errorf("no journal line of f1 points to the BOM path cable>board>chip: %q", n)
	}
	if shots != "" {
		b.screenshot(filepath.Join(shots, "event.png"))
	}
	// And back from a line of the event to its account, filtered to the event.
	b.act(`document.querySelector('table.entries a').click()`)
	if s := str("location.pathname + location.search"); !strings.Contains(s, "/accounts/") || !strings.Contains(s, "event=f1") {
		t.Errorf("an event's account link led to %s", s)
	}
	clean(from, "the drill-down")

	// Every page renders with a heading and without a console message.
	for _, page := range []string{"/", "/books/pc", "/books/sale/accounts/cogs", "/events/r1", "/events/b2", "/inventory", "/queue"} {
		from := b.mark()
		b.navigate(e.ts.URL + page)
		if p := str("location.pathname"); p != strings.SplitN(page, "?", 2)[0] {
			t.Errorf("%s ended on %s", page, p)
			continue
		}
		if h := str("document.querySelector('h1') ? document.querySelector('h1').textContent : ''"); h == "" || strings.Contains(h, "wrong") || h == "Not found" {
			t.Errorf("%s: heading %q", page, h)
		}
		clean(from, page)
		if shots != "" {
			name := strings.Trim(strings.ReplaceAll(page, "/", "_"), "_")
			if name == "" {
				name = "home"
			}
			b.screenshot(filepath.Join(shots, name+".png"))
		}
	}
	var lines int
	b.navigate(e.ts.URL + "/inventory")
	b.eval(`document.querySelectorAll('svg.chart polyline').length`, &lines)
	if lines < 6 {
		t.Errorf("the inventory page draws %d lines", lines)
	}
	b.navigate(e.ts.URL + "/queue")
	b.eval(`document.querySelectorAll('table.queue tbody tr').length`, &rows)
	if rows != 1 {
		t.Errorf("the queue page lists %d entries, want 1", rows)
	}
	// Logging out ends the session.
	b.act(`document.querySelector('form.logout').submit()`)
	b.navigate(e.ts.URL + "/")
	if p := str("location.pathname"); p != "/login" {
		t.Errorf("after logout / shows %s", p)
	}
}
