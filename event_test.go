package backflush_test

import (
	"testing"

	bf "github.com/backflush/backflush"
)

// BenchmarkValidate measures one event's checks, which run at three
// boundaries on purpose (docs/design.md): the decoder, the ledger and the
// store.
func BenchmarkValidate(b *testing.B) {
	e := bf.Event{ID: "e123456", Date: 20000, Type: bf.Purchase, Item: "m1234", Qty: bf.Units(500), UnitCost: 123456}
	b.ReportAllocs()
	for b.Loop() {
		if err := e.Validate(); err != nil {
			b.Fatal(err)
		}
	}
}

// TestValidateAllocs keeps the checks free of allocations, since every
// event passes them three times.
func TestValidateAllocs(t *testing.T) {
	e := bf.Event{ID: "e123456", Date: 20000, Type: bf.Purchase, Item: "m1234", Qty: bf.Units(500), UnitCost: 123456}
	if n := testing.AllocsPerRun(100, func() { _ = e.Validate() }); n != 0 {
		t.Errorf("Validate allocates %v times", n)
	}
}
