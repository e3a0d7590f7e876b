package httpapi_test

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/internal/testenv"
)

// overlapJS lists the pairs of text labels whose boxes overlap on the
// page, as measured by the browser: every visible text node's line boxes
// (Range.getClientRects, the glyphs' extent rather than their block's)
// and every SVG text element's box, compared pairwise. Boxes that merely
// touch (within half a pixel) do not count. It answers up to 20 pairs,
// each as "text A" / "text B".
const overlapJS = `(() => {
  const boxes = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.textContent.trim();
    if (!text) continue;
    const el = n.parentElement;
    if (!el || el.closest('script,style,option,select,textarea')) continue;
    const cs = getComputedStyle(el);
    if (cs.visibility === 'hidden' || cs.display === 'none') continue;
    let rects;
    if (el.closest('svg')) {
      rects = [el.getBoundingClientRect()];
    } else {
      const r = document.createRange();
      r.selectNodeContents(n);
      rects = [...r.getClientRects()];
    }
    for (const b of rects) {
      if (b.width > 0 && b.height > 0) boxes.push({text, node: n, l: b.left + scrollX, r: b.right + scrollX, t: b.top + scrollY, b: b.bottom + scrollY});
    }
  }
  boxes.sort((a, b) => a.t - b.t);
  const out = [];
  const eps = 0.5;
  for (let i = 0; i < boxes.length && out.length < 20; i++) {
    const a = boxes[i];
    for (let j = i + 1; j < boxes.length && boxes[j].t < a.b - eps; j++) {
      const b = boxes[j];
      if (a.node === b.node) continue;
      if (Math.min(a.r, b.r) - Math.max(a.l, b.l) > eps && Math.min(a.b, b.b) - Math.max(a.t, b.t) > eps) {
        out.push(JSON.stringify(a.text.slice(0, 40)) + ' / ' + JSON.stringify(b.text.slice(0, 40)));
      }
    }
  }
  return {count: boxes.length, overlaps: out};
})()`

// checkNoOverlap fails the test when two text labels of the page overlap.
func checkNoOverlap(t *testing.T, b *browser, page string) {
	t.Helper()
	var res struct {
		Count    int
		Overlaps []string
	}
	b.eval(overlapJS, &res)
	if res.Count == 0 {
		t.Errorf("%s: no text measured", page)
	}
	if len(res.Overlaps) > 0 {
		t.Errorf("%s: text labels overlap:\n%s", page, strings.Join(res.Overlaps, "\n"))
	}
}

// TestOverlapCheckSeesOverlaps proves the measurement can fail: two labels
// drawn on top of each other, in HTML and in SVG, are reported.
func TestOverlapCheckSeesOverlaps(t *testing.T) {
	bin := testenv.RequireBrowser(t)
	b := startBrowser(t, bin)
	b.navigate(`data:text/html,<p style="position:absolute;top:10px;left:10px">Scrap</p><p style="position:absolute;top:12px;left:14px">On hand</p>` +
		`<div style="position:absolute;top:100px"><svg width="200" height="50"><text x="10" y="20">Materials</text><text x="20" y="22">Total</text></svg><p>alone</p></div>`)
	var res struct {
		Count    int
		Overlaps []string
	}
	b.eval(overlapJS, &res)
	if len(res.Overlaps) != 2 {
		t.Fatalf("two overlapping pairs drawn, %d reported: %q", len(res.Overlaps), res.Overlaps)
	}
}

var decimalRE = regexp.MustCompile(`^-?[0-9]+\.[0-9]+$`)

// amountsOf lists the decimal figures (with a decimal point) of a JSON
// document, in any order: the figures a statements page must show.
func amountsOf(t *testing.T, data []byte) []string {
	t.Helper()
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		case string:
			if decimalRE.MatchString(v) {
				out = append(out, v)
			}
		}
	}
	walk(v)
	slices.Sort(out)
	return out
}

// pageAmountsJS lists the figures with a decimal point shown in a report
// page's tables and fields, thousands separators removed.
const pageAmountsJS = `[...document.querySelectorAll('section.report td.num, section.report dd')]
  .map(e => e.textContent.trim().replaceAll(',', '')).filter(s => /^-?[0-9]+\.[0-9]+$/.test(s))`

// TestDashboardPagesEveryRole logs in as every role and visits every page
// the role may see: each renders with a heading and no console message,
// no two text labels overlap, and the statements show exactly the figures
// the API answers for them.
func TestDashboardPagesEveryRole(t *testing.T) {
	bin := testenv.RequireBrowser(t)
	e := newEnv(t)
	richer(t, e)
	b := startBrowser(t, bin)
	shots := os.Getenv("BACKFLUSH_SCREENSHOTS")
	str := func(expr string) string {
		var s string
		b.eval(expr, &s)
		return s
	}
	concrete := strings.NewReplacer("{book}", "seq", "{account}", "materials", "{id}", "f1")
	extra := []string{"/books/seq?as_of=2026-01-08", "/books/pc?period=1", "/books/seq/accounts/materials?from=2026-01-05&to=2026-01-07&type=purchase",
		"/books/seq/accounts/finished_goods?item=cable&page=1", "/statements/income?layout=statements", "/statements/reconcile?materiality=1", "/inventory?book=sale", "/month-end?reverse=s1"}
	for _, role := range roles {
		t.Run(role.String(), func(t *testing.T) {
			b.navigate(e.ts.URL + "/login")
			b.act(`document.querySelector('#token').value = '` + e.secret[role] + `'; document.querySelector('form.login').submit()`)
			if p := str("location.pathname"); p != "/" {
				t.Fatalf("after login the browser is on %s", p)
			}
			var pages []string
			for _, rt := range e.srv.Routes() {
				if rt.Page && rt.Method == "GET" && rt.Role != 0 && rt.Role <= role && rt.Path != "/books/{book}/download" {
					pages = append(pages, concrete.Replace(strings.TrimSuffix(rt.Path, "{$}")))
				}
			}
			pages = append(pages, extra...)
			for _, page := range pages {
				from := b.mark()
				b.navigate(e.ts.URL + page)
				if p := str("location.pathname"); p != strings.SplitN(page, "?", 2)[0] {
					t.Errorf("%s ended on %s", page, p)
					continue
				}
				if h := str("document.querySelector('h1') ? document.querySelector('h1').textContent : ''"); h == "" || strings.Contains(h, "wrong") ||
					h == "Not found" || h == "Not allowed" || h == "That request is not valid" {
					t.Errorf("%s: heading %q", page, h)
				}
				if p := b.problems(from); len(p) > 0 {
					t.Errorf("%s logged to the console:\n%s", page, strings.Join(p, "\n"))
				}
				checkNoOverlap(t, b, page)
				if shots != "" && role == bf.Controller {
					name := strings.Trim(strings.NewReplacer("/", "_", "?", "_", "&", "_", "=", "-").Replace(page), "_")
					if name == "" {
						name = "home"
					}
					b.screenshot(filepath.Join(shots, name+".png"))
				}
				// A statements page shows the API's figures, each as often.
				if kind, ok := strings.CutPrefix(page, "/statements/"); ok {
					api := "/api/v1/reports/" + kind
					if kind == "income" { // the page's default layout
						api += "?layout=columns"
					}
					st, data := e.do("GET", api, e.secret[bf.Viewer], "")
					if st != 200 {
						continue // a report the books do not keep: the page says so (checked below)
					}
					var shown []string
					b.eval(pageAmountsJS, &shown)
					slices.Sort(shown)
					if want := amountsOf(t, data); !slices.Equal(shown, want) {
						t.Errorf("%s shows the figures\n%q\nthe API answers\n%q", page, shown, want)
					} else if len(want) == 0 && kind != "throughput" && kind != "process" {
						t.Errorf("%s: the API answers no figure to compare", page)
					}
				}
			}
			if role == bf.Viewer {
				checkLedgerFigures(t, e, b)
			}
			b.navigate(e.ts.URL + "/statements/throughput")
			if s := str(`document.querySelector('main p.empty') ? document.querySelector('main p.empty').textContent : ''`); !strings.Contains(s, "keep no such report") {
				t.Errorf("the throughput page of a plant without a throughput section says %q", s)
			}
			// Forms appear only for the roles the API allows.
			b.navigate(e.ts.URL + "/month-end")
			var forms []string
			b.eval(`[...document.querySelectorAll('form.command')].map(f => new URL(f.action).pathname)`, &forms)
			var want []string
			if role >= bf.Operator {
				want = append(want, "/month-end/reprocess")
			}
			if role >= bf.Controller {
				want = append(want, "/month-end/close", "/month-end/reverse")
			}
			if !slices.Equal(forms, want) {
				t.Errorf("month end shows the forms %q to a %s, want %q", forms, role, want)
			}
			b.act(`document.querySelector('form.logout').submit()`)
			if p := str("location.pathname"); p != "/login" {
				t.Fatalf("logging out led to %s", p)
			}
		})
	}
}

// TestCloseInBrowser closes a period through the forms as a controller:
// the confirmation page posts nothing, Confirm posts the close with its
// reason and who gave it, and the month-end page then lists it.
func TestCloseInBrowser(t *testing.T) {
	bin := testenv.RequireBrowser(t)
	e := newEnv(t)
	b := startBrowser(t, bin)
	str := func(expr string) string {
		var s string
		b.eval(expr, &s)
		return s
	}
	b.navigate(e.ts.URL + "/login?next=" + url.QueryEscape("/month-end"))
	b.act(`document.querySelector('#token').value = '` + e.secret[bf.Controller] + `'; document.querySelector('form.login').submit()`)
	if p := str("location.pathname"); p != "/month-end" {
		t.Fatalf("after login the browser is on %s", p)
	}
	b.act(`document.querySelector('#close-date').value = '2026-01-31'; document.querySelector('#close-reason').value = 'January done'; document.querySelector('form[action="/month-end/close"] button').click()`)
	if h := str(`document.querySelector('h1').textContent`); h != "Confirm: close the period through 2026-01-31" {
		t.Fatalf("the close form led to %q", h)
	}
	checkNoOverlap(t, b, "the confirmation page")
	if n := e.svc.Len(); n != 6 {
		t.Fatalf("the confirmation page posted something: %d events", n)
	}
	b.act(`document.querySelector('form.confirm button').click()`)
	if s := str(`document.querySelector('.notice').textContent`); !strings.Contains(s, "Posted event close-2026-01-31") {
		t.Fatalf("after Confirm the page says %q", s)
	}
	d, err := e.svc.Event("close-2026-01-31")
	if err != nil {
		t.Fatal(err)
	}
	if d.Event.Reason != "January done" || d.Event.Memo != "by controller-tester (controller) from the dashboard" {
		t.Errorf("the close records reason %q and memo %q", d.Event.Reason, d.Event.Memo)
	}
	b.navigate(e.ts.URL + "/month-end")
	if s := str(`document.querySelector('table.commands tbody').textContent`); !strings.Contains(s, "close-2026-01-31") || !strings.Contains(s, "January done") || !strings.Contains(s, "controller-tester") {
		t.Errorf("the commands given list %q", s)
	}
	checkNoOverlap(t, b, "/month-end after the close")

	// Reverse a sale from its event page: the link fills in the form.
	b.navigate(e.ts.URL + "/events/s1")
	b.act(`document.querySelector('a.reverse').click()`)
	if v := str(`document.querySelector('#rev-event').value`); v != "s1" {
		t.Fatalf("the reversal form is filled in with %q", v)
	}
	b.act(`document.querySelector('#rev-date').value = '2026-02-02'; document.querySelector('form[action="/month-end/reverse"] button').click()`)
	if s := str(`document.querySelector('dl.confirm').textContent`); !strings.Contains(s, "sale of 2026-01-08, item cable, quantity 5") {
		t.Errorf("the reversal's confirmation says %q", s)
	}
	b.act(`document.querySelector('form.confirm button').click()`)
	if d, err := e.svc.Event("s1"); err != nil || d.ReversedBy != "reverse-s1" {
		t.Fatalf("s1 is reversed by %q (%v)", d.ReversedBy, err)
	}
	b.navigate(e.ts.URL + "/events/s1")
	var links int
	b.eval(`document.querySelectorAll('a.reverse').length`, &links)
	if links != 0 {
		t.Error("a reversed event still offers its reversal")
	}
}

// checkLedgerFigures holds the ledger pages' figures, as the browser shows
// them, to the API's answers for the same books: the books side by side
// to GET /api/v1/books, a trial balance to .../trial-balance, an account's
// lines to .../accounts/{account}, the queue on the month-end page to
// GET /api/v1/queue.
func checkLedgerFigures(t *testing.T, e *env, b *browser) {
	t.Helper()
	plain := func(s string) string { return strings.ReplaceAll(strings.TrimSpace(s), ",", "") }
	var books struct {
		Books []map[string]any `json:"books"`
	}
	e.getJSON("/api/v1/books", &books)
	b.navigate(e.ts.URL + "/")
	var rows map[string][]string
	b.eval(`Object.fromEntries([...document.querySelectorAll('table.compare tbody tr')].map(r => [r.querySelector('th').firstChild.textContent.trim(), [...r.querySelectorAll('td')].map(c => c.textContent.replaceAll(',', '').replace('negative', '').trim())]))`, &rows)
	for label, key := range map[string]string{"Total inventory": "total_inventory", "Revenue": "revenue", "Cost of goods sold": "cogs",
		"All expenses (COGS, variances, period costs)": "expenses", "Operating income": "operating_income"} {
		for i, bk := range books.Books {
			if got := rows[label]; len(got) != len(books.Books) || got[i] != bk[key] {
				t.Errorf("the books side by side: %s of %s is %q, the API says %v", label, bk["book"], got, bk[key])
			}
		}
	}
	var tb struct {
		Accounts []map[string]string `json:"accounts"`
		Debit    string              `json:"total_debit"`
		Credit   string              `json:"total_credit"`
	}
	e.getJSON("/api/v1/books/seq/trial-balance", &tb)
	b.navigate(e.ts.URL + "/books/seq")
	var lines [][]string
	b.eval(`[...document.querySelectorAll('table.tb tbody tr, table.tb tfoot tr')].map(r => [...r.querySelectorAll('td')].slice(0, 3).map(c => c.textContent))`, &lines)
	if len(lines) != len(tb.Accounts)+1 {
		t.Fatalf("the trial balance shows %d rows, the API %d accounts", len(lines)-1, len(tb.Accounts))
	}
	for i, a := range tb.Accounts {
		debit, credit := a["debit"], ""
		if strings.HasPrefix(a["balance"], "-") {
			debit, credit = "", a["credit"]
		}
		if got := lines[i]; got[0] != a["code"] || plain(got[1]) != debit || plain(got[2]) != credit {
			t.Errorf("trial balance row %q, the API %v", got, a)
		}
	}
	if last := lines[len(lines)-1]; plain(last[1]) != tb.Debit || plain(last[2]) != tb.Credit {
		t.Errorf("trial balance totals %q, the API %s and %s", last, tb.Debit, tb.Credit)
	}
	var am struct {
		Balance   string              `json:"balance"`
		Movements []map[string]string `json:"movements"`
	}
	e.getJSON("/api/v1/books/seq/accounts/materials?limit=200", &am)
	b.navigate(e.ts.URL + "/books/seq/accounts/materials")
	b.eval(`[...document.querySelectorAll('table.moves tbody tr')].map(r => [...r.querySelectorAll('td')].map(c => c.textContent))`, &lines)
	if len(lines) != len(am.Movements) {
		t.Fatalf("the account page shows %d lines, the API %d", len(lines), len(am.Movements))
	}
	for i, m := range am.Movements {
		debit, credit := m["debit"], ""
		if m["credit"] != "0.00" {
			debit, credit = "", m["credit"]
		}
		if got := lines[i]; got[0] != m["date"] || got[1] != m["event"] || plain(got[5]) != debit || plain(got[6]) != credit || plain(got[7]) != m["balance"] {
			t.Errorf("account line %q, the API %v", got, m)
		}
	}
	var q struct {
		Entries []map[string]string `json:"entries"`
	}
	e.getJSON("/api/v1/queue", &q)
	b.navigate(e.ts.URL + "/month-end")
	b.eval(`[...document.querySelectorAll('table.queue tbody tr')].map(r => [...r.querySelectorAll('td')].map(c => c.textContent))`, &lines)
	if len(lines) != len(q.Entries) || len(lines) == 0 {
		t.Fatalf("month end lists %d queue entries, the API %d", len(lines), len(q.Entries))
	}
	for i, en := range q.Entries {
		if got := lines[i]; got[0] != en["event"] || got[3] != en["component"] || plain(got[4]) != en["qty"] {
			t.Errorf("queue entry %q, the API %v", got, en)
		}
	}
}
