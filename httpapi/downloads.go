package httpapi

import (
	"net/http"
	"net/url"
)

// Downloads: every book, whole or one period, in every export format,
// each a link to /books/{book}/download (export.go), which sends what
// `backflush export` writes, from the running books — on each book's page
// and, for every book at once, on the downloads page.

func (s *Server) registerDownloads(page func(path, nav string, d opDoc, h handlerFunc)) {
	page("/downloads", "downloads", opDoc{summary: "Downloads: each book and period as CSV, XLSX, ledger, hledger and beancount"}, s.downloadsPage)
}

// downloadRow is one line of a book page's downloads: a label and a link
// per export format.
type downloadRow struct {
	Label string
	Links []downloadLink
}

type downloadLink struct{ Format, Href string }

// downloads lists a book's journal and each of its periods in every
// export format, as links to /books/{book}/download.
func (s *Server) downloads(book string) []downloadRow {
	row := func(label, period string) downloadRow {
		d := downloadRow{Label: label}
		for _, f := range []struct{ label, name string }{{"Excel", "xlsx"}, {"CSV", "csv"}, {"ledger", "ledger"}, {"hledger", "hledger"}, {"beancount", "beancount"}} {
			q := url.Values{"format": {f.name}}
			if period != "" {
				q.Set("period", period)
			}
			d.Links = append(d.Links, downloadLink{f.label, "/books/" + url.PathEscape(book) + "/download?" + q.Encode()})
		}
		return d
	}
	out := []downloadRow{row("Whole journal", "")}
	for _, p := range s.svc.Periods() {
		state := "open"
		if p.Closed {
			state = "closed"
		}
		out = append(out, row("Period "+itoa(p.Number)+" ("+p.From.String()+" to "+p.To.String()+", "+state+")", itoa(p.Number)))
	}
	return out
}

type downloadsBook struct {
	Book, Href string
	Rows       []downloadRow
}

func (s *Server) downloadsPage(w http.ResponseWriter, r *http.Request) error {
	var books []downloadsBook
	for _, name := range s.bookNames() {
		books = append(books, downloadsBook{Book: name, Href: bookHref(name), Rows: s.downloads(name)})
	}
	return s.render(w, r, http.StatusOK, "downloads", "Downloads", "downloads", books)
}
