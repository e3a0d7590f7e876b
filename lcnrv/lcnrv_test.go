package lcnrv_test

import (
	"math/rand/v2"
	"strings"
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
		r, err := lcnrv.Value(golfUSA(), tt.basis, bf.USGAAP, 2)
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
	r, _ := lcnrv.Value(golfUSA(), bf.LCNRVTotal, bf.USGAAP, 2)
	if r.Groups[0].NRV.Format(2) != "12928.00" {
		t.Errorf("total NRV %s, want 12928.00", r.Groups[0].NRV.Format(2))
	}
}

// TestRecovery: the equipment's NRV recovers to 330 the next period with the
// same units on hand, which carry the 980 write-down. US GAAP keeps it (the
// new cost basis), unless it was written down at an interim close of the
// same fiscal year, when it recovers to the 140 still required; IAS 2
// reverses it to the 7 × 20 = 140 still required.
func TestRecovery(t *testing.T) {
	lines := golfUSA()
	lines[1].UnitNRV = bf.Dollars(330)
	lines[1].Held, lines[1].Written = 98000, 98000
	for _, c := range []struct {
		std                   bf.LCNRVStandard
		recoverable           bf.Money
		allowance, adjustment string
	}{
		{bf.USGAAP, 0, "980.00", "0.00"},
		{bf.USGAAP, 98000, "140.00", "-840.00"},
		{bf.USGAAP, 50000, "480.00", "-500.00"}, // only what this year wrote down recovers
		{bf.IAS2, 0, "140.00", "-840.00"},
	} {
		lines[1].Recoverable = c.recoverable
		r, err := lcnrv.Value(lines, bf.LCNRVByItem, c.std, 2)
		if err != nil {
			t.Fatal(err)
		}
		if r.Allowance.Format(2) != c.allowance || r.Adjustment.Format(2) != c.adjustment || r.Released != 0 {
			t.Errorf("%s, recoverable %s: allowance %s, adjustment %s, released %s; want %s and %s, nothing released", c.std, c.recoverable.Format(2),
				r.Allowance.Format(2), r.Adjustment.Format(2), r.Released.Format(2), c.allowance, c.adjustment)
		}
	}
}

// TestReleased: goods sold since the last close take their write-down with
// them. The equipment held 980 and 4 of its 7 units are gone: the 3 left
// carry 420 of it; 560 is released, and the test of the 3 (cost 1,050, NRV
// 630) requires 420 — no adjustment under either standard.
func TestReleased(t *testing.T) {
	lines := golfUSA()
	lines[1].Qty, lines[1].Held, lines[1].Written = bf.Units(3), 98000, 42000
	for _, std := range []bf.LCNRVStandard{bf.USGAAP, bf.IAS2} {
		r, err := lcnrv.Value(lines, bf.LCNRVByItem, std, 2)
		if err != nil {
			t.Fatal(err)
		}
		if r.Released.Format(2) != "560.00" || r.Allowance.Format(2) != "420.00" || r.Adjustment != 0 || r.Shares[1].Format(2) != "420.00" {
			t.Errorf("%s: released %s, allowance %s, adjustment %s, equipment's share %s; want 560.00, 420.00, 0.00, 420.00", std,
				r.Released.Format(2), r.Allowance.Format(2), r.Adjustment.Format(2), r.Shares[1].Format(2))
		}
	}
}

// TestNeverAboveCost is a property: over random lines, bases, standards and
// allowances held, LCNRV never carries a group above its cost nor below
// zero, nor above the lower of its cost and NRV; under IAS 2 it carries
// each group at exactly that; under US GAAP it keeps at least the
// write-down that may not recover (up to cost); the shares add up to the
// group's allowance, none above its line's cost; and the allowance after
// the adjustment is what the goods on hand carried plus the adjustment.
func TestNeverAboveCost(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := range 2000 {
		var lines []lcnrv.Line
		for i := range 1 + rng.IntN(6) {
			ln := lcnrv.Line{Item: string(rune('a' + i)), Class: string(rune('x' + rng.IntN(3))), InProcess: rng.IntN(4) == 0,
				Qty: bf.Qty(rng.Int64N(1e9)), UnitCost: bf.Cost(rng.Int64N(1e12)), UnitNRV: bf.Cost(rng.Int64N(2e12) - 5e11)}
			ln.Held = bf.Money(rng.Int64N(1e6))
			ln.Written = bf.Money(rng.Int64N(int64(ln.Held) + 1))
			ln.Recoverable = bf.Money(rng.Int64N(int64(ln.Written) + 1))
			lines = append(lines, ln)
		}
		basis := bf.LCNRVBasis(1 + rng.IntN(3))
		std := bf.LCNRVStandard(1 + rng.IntN(2))
		if std == bf.IAS2 && basis == bf.LCNRVTotal {
			basis = bf.LCNRVByClass
		}
		r, err := lcnrv.Value(lines, basis, std, 2)
		if err != nil {
			t.Fatal(err)
		}
		if r.Written+r.Adjustment != r.Allowance || r.Held-r.Released != r.Written {
			t.Fatalf("case %d: written %d + adjustment %d != allowance %d, or held %d − released %d != written", n, r.Written, r.Adjustment, r.Allowance, r.Held, r.Released)
		}
		parts := lcnrv.Partition(lines, basis)
		for _, p := range parts {
			var g lcnrv.Group // names are unique here: every line has a class
			for _, gg := range r.Groups {
				if gg.Name == p.Name {
					g = gg
				}
			}
			var shares, fixed bf.Money
			for _, k := range p.Lines {
				cost, _ := bf.Extend(lines[k].Qty, lines[k].UnitCost, 2)
				if r.Shares[k] < 0 || r.Shares[k] > cost {
					t.Fatalf("case %d: line %d's share %d outside 0..cost %d", n, k, r.Shares[k], cost)
				}
				shares += r.Shares[k]
				if std == bf.USGAAP {
					fixed += min(lines[k].Written-lines[k].Recoverable, cost)
				}
			}
			carried := g.Cost - g.Allowance
			if shares != g.Allowance || carried < 0 || carried > g.Carrying || g.Carrying > g.Cost ||
				std == bf.IAS2 && carried != g.Carrying || std == bf.USGAAP && g.Allowance < fixed {
				t.Fatalf("case %d (%s, %s): group %s cost %d, NRV %d, allowance %d (shares %d, fixed %d)", n, basis, std, g.Name, g.Cost, g.NRV, g.Allowance, shares, fixed)
			}
		}
	}
}

func TestInvalid(t *testing.T) {
	if _, err := lcnrv.Value(golfUSA(), 9, bf.USGAAP, 2); bf.ErrorKind(err) != bf.KindInvalid {
		t.Errorf("bad basis: %v", err)
	}
	if _, err := lcnrv.Value(golfUSA(), bf.LCNRVByItem, 0, 2); bf.ErrorKind(err) != bf.KindInvalid {
		t.Errorf("bad standard: %v", err)
	}
	// IAS 2.29: item by item or groups of similar items, never the total.
	if _, err := lcnrv.Value(golfUSA(), bf.LCNRVTotal, bf.IAS2, 2); bf.ErrorKind(err) != bf.KindInvalid ||
		!strings.Contains(err.Error(), "field basis") || !strings.Contains(err.Error(), "IAS 2.29") {
		t.Errorf("IAS 2 in total: %v", err)
	}
	bad := golfUSA()
	bad[0].Qty = -1
	if _, err := lcnrv.Value(bad, bf.LCNRVByItem, bf.USGAAP, 2); bf.ErrorKind(err) != bf.KindInvalid {
		t.Errorf("negative qty: %v", err)
	}
	bad = golfUSA()
	bad[0].Held, bad[0].Written = 100, 200
	if _, err := lcnrv.Value(bad, bf.LCNRVByItem, bf.USGAAP, 2); bf.ErrorKind(err) != bf.KindInvalid {
		t.Errorf("more written than held: %v", err)
	}
}
