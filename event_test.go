package backflush_test

import (
	"strings"
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

// TestValidateHours: hours belong to a variable conversion cost only, and
// are never negative; each refusal names the field and says why.
func TestValidateHours(t *testing.T) {
	for _, c := range []struct {
		e    bf.Event
		want string // "" when valid
	}{
		{bf.Event{ID: "c1", Date: 1, Type: bf.ConversionCost, Amount: 100, Hours: bf.Units(4)}, ""},
		{bf.Event{ID: "c2", Date: 1, Type: bf.ConversionCost, Amount: 100, Behavior: bf.Variable, Hours: bf.Units(4)}, ""},
		{bf.Event{ID: "c3", Date: 1, Type: bf.ConversionCost, Amount: 100, Behavior: bf.Fixed, Hours: bf.Units(4)}, "field hours: does not apply to a fixed conversion cost"},
		{bf.Event{ID: "c4", Date: 1, Type: bf.ConversionCost, Amount: 100, Hours: -1}, "field hours: must not be negative"},
		{bf.Event{ID: "p1", Date: 1, Type: bf.Purchase, Item: "m", Qty: 1, UnitCost: 1, Hours: 1}, "field hours: does not apply to a purchase event"},
		{bf.Event{ID: "x1", Date: 1, Type: bf.Expense, Amount: 1, Behavior: bf.Fixed, Hours: 1}, "field hours: does not apply to a"},
	} {
		err := c.e.Validate()
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.e.ID, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: %v, want %q", c.e.ID, err, c.want)
		}
	}
	var e bf.Event
	if why := e.Set("hours", "7.5", 2); why != "" || e.Hours != bf.Units(15)/2 {
		t.Errorf("Set hours 7.5: %q, %v", why, e.Hours)
	}
	if v, _ := e.Get("hours", 2); v != "7.5" {
		t.Errorf("Get hours: %q", v)
	}
}
