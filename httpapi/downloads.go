package httpapi

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/export"
)

// Downloads: each book, whole or one period, in every export format — the
// files `backflush export` writes (package export), from the running
// books.

// downloadFormats are the formats offered, in the order shown.
var downloadFormats = []export.Format{export.CSV, export.XLSX, export.Ledger, export.HLedger, export.Beancount}

// downloadTypes are the formats' media types and file extensions.
var downloadTypes = map[export.Format][2]string{
	export.CSV:       {"text/csv; charset=utf-8", ".csv"},
	export.XLSX:      {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"},
	export.Ledger:    {"text/plain; charset=utf-8", ".ledger"},
	export.HLedger:   {"text/plain; charset=utf-8", ".journal"},
	export.Beancount: {"text/plain; charset=utf-8", ".beancount"},
}

func (s *Server) registerDownloads(page func(path, nav string, d opDoc, h handlerFunc)) {
	page("/downloads", "downloads", opDoc{summary: "Downloads: each book and period as CSV, XLSX, ledger, hledger and beancount"}, s.downloadsPage)
	s.handle(Route{Method: http.MethodGet, Path: "/downloads/{book}", Role: bf.Viewer, Page: true, doc: opDoc{tag: tagDashboard,
		summary: "A book's journal, whole or one period, as a file (what backflush export writes)",
		query:   []param{{"format", "string", "csv, xlsx, ledger, hledger or beancount"}, {"period", "integer", "only this period, from 1 (the whole journal by default)"}},
		resp:    "file", errs: []int{400, 404}}}, s.download)
}

type downloadLink struct{ Label, Href string }

type downloadRow struct {
	Book, Period string
	Links        []downloadLink
}

func (s *Server) downloadsPage(w http.ResponseWriter, r *http.Request) error {
	periods := s.svc.Periods()
	var rows []downloadRow
	for _, b := range s.svc.Books() {
		name := b.Config.Name
		add := func(label string, period int) {
			row := downloadRow{Book: name, Period: label}
			for _, f := range downloadFormats {
				href := "/downloads/" + url.PathEscape(name) + "?format=" + f.String()
				if period > 0 {
					href += "&period=" + strconv.Itoa(period)
				}
				row.Links = append(row.Links, downloadLink{strings.ToUpper(f.String()[:1]) + f.String()[1:], href})
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

func (s *Server) download(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f, ok := export.ParseFormat(q.Get("format"))
	if !ok {
		return badRequest("format", "must be csv, xlsx, ledger, hledger or beancount")
	}
	period := 0
	if v := q.Get("period"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return badRequest("period", "must be a period number from 1")
		}
		period = n
	}
	book := r.PathValue("book")
	var buf bytes.Buffer
	if err := s.svc.Export(&buf, f, book, period); err != nil {
		return err
	}
	t := downloadTypes[f]
	file := fileName(s.svc.Name()) + "-" + fileName(book)
	if period > 0 {
		file += "-P" + strconv.Itoa(period)
	}
	h := w.Header()
	h.Set("Content-Type", t[0])
	h.Set("Content-Disposition", `attachment; filename="`+file+t[1]+`"`)
	h.Set("X-Content-Type-Options", "nosniff")
	noStore(w)
	w.Write(buf.Bytes())
	return nil
}

// fileName keeps letters, digits, dots and hyphens of a name, the rest
// (spaces, slashes, quotes) becoming hyphens, so it is safe in a header
// and on any file system.
func fileName(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-') {
			b[i] = '-'
		}
	}
	if len(b) == 0 {
		return "backflush"
	}
	return string(b)
}
