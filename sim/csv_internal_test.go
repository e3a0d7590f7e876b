package sim

import (
	"testing"

	bf "github.com/backflush/backflush"
)

// A field added to bf.EventFields must be taught to the CSV writer, or its
// column would be silently empty.
func TestCSVKnowsEveryField(t *testing.T) {
	probes := []bf.Event{
		{ID: "a", Date: 1, Type: bf.Purchase, Item: "m", Qty: 1, UnitCost: 1, Memo: "x"},
		{ID: "b", Date: 1, Type: bf.Complete, Item: "m", Qty: 1, ScrapQty: 1},
		{ID: "c", Date: 1, Type: bf.Sale, Item: "m", Qty: 1, UnitPrice: 1},
		{ID: "d", Date: 1, Type: bf.ConversionCost, Amount: 1, Behavior: bf.Fixed},
		{ID: "e", Date: 1, Type: bf.WIPCount, Item: "m", Qty: 1, MaterialsPct: 1, ConversionPct: 1},
		{ID: "f", Date: 1, Type: bf.Reverse, Reverses: "a"},
		{ID: "g", Date: 1, Type: bf.Close, Reason: "queue checked"},
	}
	for _, f := range bf.EventFields {
		shown := false
		for i := range probes {
			shown = shown || csvField(&probes[i], f, 2) != ""
		}
		if !shown {
			t.Errorf("the CSV writer never writes field %s", f)
		}
	}
}
