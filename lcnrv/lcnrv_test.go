package lcnrv_test

import (
	"math/rand/v2"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/lcnrv"
)

// golfUSA is Spiceland, Financial Accounting: Golf USA's inventory.
func golfUSA() []lcnrv.Line {
	return []lcnrv.Line{
		{Item: "clothing", Class: "apparel", Qty: bf.Units(27), UnitCost: bf.Dollars(52), UnitNRV: bf.Dollars(74)},
		{Item: "equipment", Class: "equipment", Qty: bf.Units(7), UnitCost: bf.Dollars(350), UnitNRV: bf.Dollars(210)},
		{Item: "megadriver", Class: "equipment", Qty: bf.Units(22), UnitCost: bf.Dollars(310), UnitNRV: bf.Dollars(430)},
	}
}

func TestGolfUSA(t *testing.T) {
	tests := []struct {
		basis            bf.LCNRVBasis
		carrying, adjust string
	}{
		{bf.LCNRVByItem, "9694.00", "980.00"},
		// Equipment class: cost 2,450 + 6,820 = 9,270, NRV 1,470 + 9,460 = 10,930.
		{bf.LCNRVByClass, "10674.00", "0.00"},
		// Total NRV 12,928 is above cost 10,674.
		{bf.LCNRVTotal, "10674.00", "0.00"},
	}
	for _, tt := range tests {
		r, err := lcnrv.Value(golfUSA(), tt.basis, bf.USGAAP, 0, 2)
		if err != nil {
			t.Fatal(err)
		}
		if r.Cost.Format(2) != "10674.00" {
			t.Errorf("%s: cost %s, want 10674.00", tt.basis, r.Cost.Format(2))
		}
		if got := r.Carrying.Format(2); got != tt.carrying {
			t.Errorf("%s: carrying %s, want %s", tt.basis, got, tt.carrying)
		}
		if got := r.Adjustment.Format(2); got != tt.adjust {
			t.Errorf("%s: write-down %s, want %s", tt.basis, got, tt.adjust)
		}
	}
	r, _ := lcnrv.Value(golfUSA(), bf.LCNRVTotal, bf.USGAAP, 0, 2)
	if r.Groups[0].NRV.Format(2) != "12928.00" {
		t.Errorf("total NRV %s, want 12928.00", r.Groups[0].NRV.Format(2))
	}
}

// TestRecovery: the equipment's NRV recovers to 330 the next period with the
// same units on hand. US GAAP keeps the 980 write-down; IAS 2 reverses it to
// the 7 × 20 = 140 still required.
func TestRecovery(t *testing.T) {
	lines := golfUSA()
	lines[1].UnitNRV = bf.Dollars(330)
	us, _ := lcnrv.Value(lines, bf.LCNRVByItem, bf.USGAAP, 98000, 2)
	if us.Allowance.Format(2) != "980.00" || us.Adjustment != 0 {
		t.Errorf("US GAAP: allowance %s, adjustment %s; want 980.00 and 0", us.Allowance.Format(2), us.Adjustment.Format(2))
	}
	ias, _ := lcnrv.Value(lines, bf.LCNRVByItem, bf.IAS2, 98000, 2)
	if ias.Allowance.Format(2) != "140.00" || ias.Adjustment.Format(2) != "-840.00" {
		t.Errorf("IAS 2: allowance %s, adjustment %s; want 140.00 and -840.00", ias.Allowance.Format(2), ias.Adjustment.Format(2))
	}
}

// TestNeverAboveCost is a property: over random lines, bases and standards,
// LCNRV never carries inventory above cost nor below zero, and the allowance
// after the adjustment equals the prior plus the adjustment.
func TestNeverAboveCost(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := range 2000 {
		var lines []lcnrv.Line
		for i := range 1 + rng.IntN(6) {
			lines = append(lines, lcnrv.Line{Item: string(rune('a' + i)), Class: string(rune('x' + rng.IntN(3))),
				Qty: bf.Qty(rng.Int64N(1e9)), UnitCost: bf.Cost(rng.Int64N(1e12)), UnitNRV: bf.Cost(rng.Int64N(2e12) - 5e11)})
		}
		basis := bf.LCNRVBasis(1 + rng.IntN(3))
		std := bf.LCNRVStandard(1 + rng.IntN(2))
		prior := bf.Money(rng.Int64N(1e6))
		r, err := lcnrv.Value(lines, basis, std, prior, 2)
		if err != nil {
			t.Fatal(err)
		}
		carried := r.Cost - r.Allowance
		if carried > r.Cost || carried < 0 || r.Carrying > r.Cost {
			t.Fatalf("case %d: cost %d, allowance %d, carrying %d", n, r.Cost, r.Allowance, r.Carrying)
		}
		if prior+r.Adjustment != r.Allowance {
			t.Fatalf("case %d: prior %d + adjustment %d != allowance %d", n, prior, r.Adjustment, r.Allowance)
		}
		if std == bf.USGAAP && r.Adjustment < 0 && r.Allowance < min(prior, r.Cost) {
			t.Fatalf("case %d: US GAAP reversed a write-down", n)
		}
	}
}

func TestInvalid(t *testing.T) {
	if _, err := lcnrv.Value(golfUSA(), 9, bf.USGAAP, 0, 2); bf.ErrorKind(err) != bf.KindInvalid {
		t.Errorf("bad basis: %v", err)
	}
	if _, err := lcnrv.Value(golfUSA(), bf.LCNRVByItem, 0, 0, 2); bf.ErrorKind(err) != bf.KindInvalid {
		t.Errorf("bad standard: %v", err)
	}
	bad := golfUSA()
	bad[0].Qty = -1
	if _, err := lcnrv.Value(bad, bf.LCNRVByItem, bf.USGAAP, 0, 2); bf.ErrorKind(err) != bf.KindInvalid {
		t.Errorf("negative qty: %v", err)
	}
}
