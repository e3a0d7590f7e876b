package report_test

import (
	"io"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/export"
	"github.com/backflush/backflush/report"
)

// TestStreamingRefused checks that every report and export that reads
// journals refuses a streaming ledger (costing.NewStreamingLedger), whose
// journals are empty, rather than print books without entries.
func TestStreamingRefused(t *testing.T) {
	p := &bf.Plant{Currency: bf.Currency{Code: "USD", Scale: 2}, Items: []bf.Item{
		{ID: "m", Kind: bf.Material, StandardCost: bf.Dollars(1)},
		{ID: "f", Kind: bf.Finished, ConversionCost: bf.Dollars(2), Price: bf.Dollars(9), BOM: []bf.BOMLine{{Item: "m", Qty: bf.Units(2)}}},
	}}
	std, err := costing.Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	l, err := costing.NewStreamingLedger(std, []bf.BookConfig{{Name: "seq", Method: bf.MethodSequential}}, bf.CloseToCOGS)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Post(&bf.Event{ID: "b1", Date: 20600, Type: bf.Purchase, Item: "m", Qty: bf.Units(5), UnitCost: bf.Dollars(1)}); err != nil {
		t.Fatal(err)
	}
	b := l.Books[0]
	for name, f := range map[string]func() error{
		"WriteText":      func() error { return report.WriteText(io.Discard, l, report.Options{}) },
		"WriteJSON":      func() error { return report.WriteJSON(io.Discard, l, report.Options{}) },
		"WriteWhy":       func() error { return report.WriteWhy(io.Discard, l, b, bf.Materials, "", nil) },
		"WriteIncome":    func() error { return report.WriteIncome(io.Discard, l, report.Options{}) },
		"IncomeJSON":     func() error { return report.IncomeJSON(io.Discard, l, report.Options{}) },
		"WriteReconcile": func() error { return report.WriteReconcile(io.Discard, l, report.Options{}, 0, "") },
		"ReconcileJSON":  func() error { return report.ReconcileJSON(io.Discard, l, 0, "") },
		"export.Write":   func() error { return export.Write(io.Discard, export.Ledger, l, b, export.Options{}) },
		"export.TrialBalance": func() error {
			_, err := export.TrialBalance(l, b, export.Options{})
			return err
		},
	} {
		if err := f(); bf.ErrorKind(err) != bf.KindInvalid {
			t.Errorf("%s of a streaming ledger: %v, want an invalid error", name, err)
		}
	}
}
