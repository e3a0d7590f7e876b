package httpapi

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/backflush/backflush/export"
)

// The downloads page: every book, whole or one period, in every export
// format, each a link to /books/{book}/download (export.go), which sends
// what `backflush export` writes, from the running books.

// downloadsFormats are the formats offered, in the order shown.
var downloadsFormats = []struct {
	label string
	f     export.Format
}{{"CSV", export.CSV}, {"Excel", export.XLSX}, {"ledger", export.Ledger}, {"hledger", export.HLedger}, {"beancount", export.Beancount}}

func (s *Server) registerDownloads(page func(path, nav string, d opDoc, h handlerFunc)) {
	page("/downloads", "downloads", opDoc{summary: "Downloads: each book and period as CSV, XLSX, ledger, hledger and beancount"}, s.downloadsPage)
}

type downloadsLink struct{ Label, Href string }

type downloadsRow struct {
	Book, Period string
	Links        []downloadsLink
}

func (s *Server) downloadsPage(w http.ResponseWriter, r *http.Request) error {
	periods := s.svc.Periods()
	var rows []downloadsRow
	for _, name := range s.bookNames() {
		add := func(label string, period int) {
			row := downloadsRow{Book: name, Period: label}
			for _, f := range downloadsFormats {
				q := url.Values{"format": {f.f.String()}}
				if period > 0 {
					q.Set("period", strconv.Itoa(period))
				}
				row.Links = append(row.Links, downloadsLink{f.label, "/books/" + url.PathEscape(name) + "/download?" + q.Encode()})
			}
			rows = append(rows, row)
		}
		add("whole journal", 0)
		for _, p := range periods {
			state := "open"
			if p.Closed {
				state = "closed"
			}
			add("P"+strconv.Itoa(p.Number)+" "+p.From.String()+" to "+p.To.String()+" ("+state+")", p.Number)
		}
	}
	return s.render(w, r, http.StatusOK, "downloads", "Downloads", "downloads", rows)
}
