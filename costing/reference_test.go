package costing_test

import (
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
)

// TestReferenceBook checks the reference-book rule's preference order for
// each purpose: a name first, then the first qualifying book (for GAAP the
// first with LCNRV), then each purpose's fallback.
func TestReferenceBook(t *testing.T) {
	plant := bf.Plant{Currency: bf.Currency{Code: "USD", Scale: 2}, Items: []bf.Item{
		{ID: "a", Kind: bf.Material, StandardCost: bf.Cost(1_000_000)},
		{ID: "f", Kind: bf.Finished, BOM: []bf.BOMLine{{Item: "a", Qty: bf.Units(1)}}, Price: bf.Cost(3_000_000)},
	}}
	std, err := costing.Compile(&plant)
	if err != nil {
		t.Fatal(err)
	}
	lcnrv := &bf.LCNRVPolicy{Basis: bf.LCNRVByItem, Standard: bf.USGAAP}
	ledger := func(books ...bf.BookConfig) *costing.Ledger {
		l, err := costing.NewLedger(std, books, bf.CloseToCOGS)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	bfl := bf.BookConfig{Name: "bfl", Method: bf.MethodBackflush, Triggers: bf.TriggerPurchase | bf.TriggerCompletion}
	vari := bf.BookConfig{Name: "var", Method: bf.MethodSequential, Scope: bf.ScopeVariable}
	abs := bf.BookConfig{Name: "abs", Method: bf.MethodSequential}
	absL := bf.BookConfig{Name: "absL", Method: bf.MethodSequential, LCNRV: lcnrv}
	fifo := bf.BookConfig{Name: "fifo", Method: bf.MethodSequential, Basis: bf.BasisFIFO}
	name := func(b *costing.Book) string {
		if b == nil {
			return "<nil>"
		}
		return b.Config.Name
	}
	for _, c := range []struct {
		l     *costing.Ledger
		named string
		want  costing.Purpose
		book  string
		kind  bf.Kind // the error's, when not zero
	}{
		{ledger(bfl, vari, abs, absL), "", costing.ForComparison, "var", 0},
		{ledger(bfl, vari, abs, absL), "", costing.ForGAAP, "absL", 0},
		{ledger(bfl, vari, abs, fifo), "", costing.ForGAAP, "abs", 0},
		{ledger(bfl, vari, abs, absL), "abs", costing.ForGAAP, "abs", 0},
		{ledger(bfl, vari, abs, absL), "var", costing.ForGAAP, "", bf.KindInvalid},
		{ledger(bfl, vari, abs, absL), "nope", costing.ForGAAP, "", bf.KindNotFound},
		{ledger(bfl), "", costing.ForGAAP, "<nil>", 0},
		{ledger(bfl), "", costing.ForComparison, "<nil>", 0},
		{ledger(bfl, vari), "", costing.ForLCNRV, "var", 0},
		{ledger(bfl), "", costing.ForLCNRV, "bfl", 0},
		{ledger(bfl, vari), "bfl", costing.ForLCNRV, "bfl", 0},
		{ledger(bfl, abs, fifo), "", costing.ForProcess, "fifo", 0},
		{ledger(bfl, abs, fifo), "abs", costing.ForProcess, "", bf.KindInvalid},
		{ledger(bfl, abs), "", costing.ForProcess, "", bf.KindInvalid},
	} {
		b, err := costing.ReferenceBook(c.l, c.named, c.want)
		if c.kind != 0 {
			if err == nil || bf.ErrorKind(err) != c.kind {
				t.Errorf("purpose %d, name %q: book %s, error %v; want a %s error", c.want, c.named, name(b), err, c.kind)
			}
			continue
		}
		if err != nil || name(b) != c.book {
			t.Errorf("purpose %d, name %q: book %s, error %v; want %s", c.want, c.named, name(b), err, c.book)
		}
	}
}
