package service

import (
	"io"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/export"
)

// ExportRequest says which book to export, in which format, for which
// period (0: all) and under which chart (nil: the plant's).
type ExportRequest struct {
	Book     string
	Format   export.Format
	Period   int
	Chart    *bf.Chart
	Previous bool // the books as they stood before the last re-costing
}

// Export writes one book's journal for accountants' tools (export.Write):
// ledger, hledger, beancount, CSV or an Excel workbook, from the current
// books or the previous ones. An empty book is the only book when the
// plant keeps one; Invalid naming the books when it keeps more. It writes
// under the read lock, as Report does: the API writes into a buffer.
func (s *Service) Export(w io.Writer, r ExportRequest) error {
	chart := r.Chart
	if chart == nil {
		chart = s.Chart()
	}
	return s.read(r.Previous, func(l *costing.Ledger) error {
		b, err := export.ChooseBook(l, r.Book)
		if err != nil {
			return err
		}
		return export.Write(w, r.Format, l, b, export.Options{Period: r.Period, Chart: chart, Title: s.Name()})
	})
}
