package httpapi

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"

	"github.com/backflush/backflush/export"
	"github.com/backflush/backflush/service"
)

// exportTypes are the media types and file extensions of the downloads.
var exportTypes = map[export.Format]struct{ mediaType, ext string }{
	export.Ledger:    {"text/plain; charset=utf-8", "ledger"},
	export.HLedger:   {"text/plain; charset=utf-8", "journal"},
	export.Beancount: {"text/plain; charset=utf-8", "beancount"},
	export.CSV:       {"text/csv; charset=utf-8", "csv"},
	export.XLSX:      {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"},
}

// getExport downloads one book's journal (or one period's) for ledger,
// hledger, beancount, a spreadsheet or Excel: what `backflush export`
// writes, from the books the server keeps.
func (s *Server) getExport(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f, ok := export.ParseFormat(q.Get("format"))
	if !ok {
		return badRequest("format", "must be ledger, hledger, beancount, csv or xlsx")
	}
	period := 0
	if v := q.Get("period"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return badRequest("period", "must be a period number from 1 (omit it for every period)")
		}
		period = n
	}
	previous, err := previousParam(q.Get("previous"))
	if err != nil {
		return err
	}
	book := r.PathValue("book")
	var buf bytes.Buffer // the answer starts only once the file is whole
	if err := s.svc.Export(&buf, service.ExportRequest{Book: book, Format: f, Period: period, Previous: previous}); err != nil {
		return err
	}
	name := fileName(s.svc.Name()) + "-" + fileName(book)
	if period > 0 {
		name += "-p" + strconv.Itoa(period)
	}
	t := exportTypes[f]
	noStore(w)
	w.Header().Set("Content-Type", t.mediaType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+"."+t.ext+`"`)
	w.Write(buf.Bytes())
	return nil
}

// fileName keeps letters, digits, '-' and '_' of a name for a file name
// ("purchase+completion" → "purchase-completion").
func fileName(s string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(s) {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '_':
			b.WriteRune(c)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	return strings.Trim(b.String(), "-")
}
