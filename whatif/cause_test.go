package whatif_test

import (
	"bytes"
	"strings"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/sim"
	"github.com/backflush/backflush/whatif"
)

// Every backflush book's drift at the end of a run is its causes, computed
// from the plant and the purchases rather than from the books: the
// conversion in sub-assemblies, work in process and (without the
// completion trigger) the yard that it does not hold, and the price
// variance it never records without the purchase trigger. Tested over
// seeds, steady and disturbed.
func TestDriftIsItsCauses(t *testing.T) {
	seeds := uint64(12)
	if testing.Short() {
		seeds = 4
	}
	held := false
	for seed := uint64(1); seed <= seeds; seed++ {
		s, d := compare(t, seed)
		for _, r := range []*whatif.Run{s, d} {
			cs := r.Causes()
			if len(cs) != len(r.Ledger.Books)-1 {
				t.Fatalf("%d causes for %d books", len(cs), len(r.Ledger.Books))
			}
			for _, c := range cs {
				if !c.Tested || !c.Explained() {
					t.Errorf("seed %d %s: %+v", seed, r.Name, c)
				}
				held = held || c.Conversion != 0
			}
		}
	}
	if !held {
		t.Error("no run left conversion unheld: the test proves nothing")
	}
}

// A supplier paid over standard: with empty stores the books without the
// purchase trigger report more income than sequential tracking by the
// price variance they never record, and the demo says so instead of
// claiming the books agree.
func TestPriceVarianceWithEmptyStores(t *testing.T) {
	m := sim.Default()
	for i := range m.Suppliers {
		for _, id := range m.Suppliers[i].Items {
			if id == "piston" {
				m.Suppliers[i].Prices = map[string]bf.Cost{"piston": bf.Dollars(96)} // standard 95.00
			}
		}
	}
	s, err := whatif.Simulate(m, "steady", 0, whatif.Options{Days: 30, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if inv := s.Days[len(s.Days)-1].Books[s.Ref].Inventory; inv != 0 {
		t.Fatalf("the steady run ends with %s in inventory", inv.Format(2))
	}
	var pistons bf.Qty
	for _, e := range s.Sim.Events {
		if e.Type == bf.Purchase && e.Item == "piston" {
			pistons += e.Qty
		}
	}
	want, _ := bf.Extend(pistons, bf.Dollars(1), 2)
	for _, c := range s.Causes() {
		purchase := strings.HasPrefix(c.Book, "purchase")
		switch {
		case !c.Explained():
			t.Errorf("%+v not explained", c)
		case purchase && (c.Drift != 0 || c.PriceVariance != 0):
			t.Errorf("%s: drift %s, price variance %s", c.Book, c.Drift.Format(2), c.PriceVariance.Format(2))
		case !purchase && (c.Drift != want || c.PriceVariance != want):
			t.Errorf("%s: drift %s, price variance %s, want %s", c.Book, c.Drift.Format(2), c.PriceVariance.Format(2), want.Format(2))
		}
	}
	var buf bytes.Buffer
	whatif.WriteAgreement(&buf, s, 2)
	out := buf.String()
	if strings.Contains(out, "every book reports the same") || !strings.Contains(out, "do not agree") ||
		!strings.Contains(out, "never record the "+want.Format(2)+" paid over standard") {
		t.Errorf("the agreement says:\n%s", out)
	}
	// The steady built-in plant agrees, and says so.
	buf.Reset()
	st, _ := compare(t, 1)
	whatif.WriteAgreement(&buf, st, 2)
	if !strings.Contains(buf.String(), "every book reports the same operating income") {
		t.Errorf("the steady run says:\n%s", buf.String())
	}
}
