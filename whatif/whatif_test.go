package whatif_test

import (
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/report"
	"github.com/backflush/backflush/sim"
	"github.com/backflush/backflush/whatif"
)

func compare(t *testing.T, seed uint64) (*whatif.Run, *whatif.Run) {
	t.Helper()
	s, d, err := whatif.Compare(sim.Default(), whatif.Options{Days: 30, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	return s, d
}

// With steady demand the run-out leaves every store empty, and then every
// book reports the same cost of goods sold, to the cent.
func TestSteadyBooksAgree(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		s, _ := compare(t, seed)
		ref := report.Summarize(s.Ledger.Books[s.Ref])
		if ref.TotalInventory != 0 {
			t.Fatalf("seed %d: the steady run ends with %s of inventory in the sequential book", seed, ref.TotalInventory.Format(2))
		}
		if ref.COGS <= 0 {
			t.Fatalf("seed %d: COGS %s", seed, ref.COGS.Format(2))
		}
		for _, b := range s.Ledger.Books {
			got := report.Summarize(b)
			if got.COGS != ref.COGS || got.TotalInventory != 0 {
				t.Errorf("seed %d: book %s: COGS %s, inventory %s; sequential COGS %s", seed, got.Name,
					got.COGS.Format(2), got.TotalInventory.Format(2), ref.COGS.Format(2))
			}
			// Materials are bought at standard in the built-in plant, so
			// operating income agrees too.
			if got.OperatingIncome != ref.OperatingIncome {
				t.Errorf("seed %d: book %s: operating income %s, sequential %s", seed, got.Name,
					got.OperatingIncome.Format(2), ref.OperatingIncome.Format(2))
			}
		}
		for _, d := range s.End {
			if d.COGS != 0 || d.OperatingIncome != 0 || d.MaterialsAndWIP != 0 || d.FinishedGoods != 0 {
				t.Errorf("seed %d: %s differs from %s at the end: %+v", seed, d.Book, d.Reference, d)
			}
		}
		if last := len(s.Days) - 1; s.Drift(last, 1) != 0 {
			t.Errorf("seed %d: drift %s at the end", seed, s.Drift(last, 1).Format(2))
		}
	}
}

// The disturbed run ends with work open (the month-end surge outruns the
// line, late parts hold it up), so the backflush books drift from
// sequential tracking; report.Differences explains the drift.
func TestDisturbedRunDriftsAndIsExplained(t *testing.T) {
	_, d := compare(t, 1)
	ref := report.Summarize(d.Ledger.Books[d.Ref])
	if ref.TotalInventory == 0 {
		t.Fatal("the disturbed run ends with no inventory: nothing to drift")
	}
	drifted := false
	for _, b := range d.Ledger.Books {
		if s := report.Summarize(b); s.COGS != ref.COGS {
			drifted = true
		}
	}
	if !drifted {
		t.Fatal("every book reports the same COGS despite inventory left at the close")
	}
	for _, diffs := range [][]report.Difference{d.End, d.PeakDiffs} {
		if len(diffs) != len(d.Ledger.Books)-1 {
			t.Fatalf("%d differences for %d books", len(diffs), len(d.Ledger.Books))
		}
		explained := false
		for _, x := range diffs {
			if len(x.Reasons) == 0 {
				t.Errorf("%s: a backflush book with no reason given", x.Book)
			}
			// (The drift's causes are tested in TestDriftIsItsCauses, from
			// the plant rather than from the books' own double entry.)
			explained = explained || x.OperatingIncome != 0
		}
		if !explained {
			t.Error("no book differs in operating income")
		}
	}
	if d.PeakDrift == 0 {
		t.Error("no drift on any day of the disturbed run")
	}
}

// The drift is bounded by the inventory: a backflush book can misstate
// income by at most what sequential tracking holds in inventory, and with
// no inventory it does not drift at all.
func TestDriftFollowsInventory(t *testing.T) {
	s, d := compare(t, 4)
	for _, r := range []*whatif.Run{s, d} {
		for day := range r.Days {
			inv := r.Days[day].Books[r.Ref].Inventory
			for b := range r.Ledger.Books {
				if v := r.Drift(day, b); v > inv || -v > inv {
					t.Errorf("%s day %d: book %s drifts %s with %s in inventory", r.Name, day+1,
						r.Ledger.Books[b].Config.Name, v.Format(2), inv.Format(2))
				}
			}
		}
	}
}

// The measures value inventory as the sequential book holds it: the day-end
// totals of the physical plant at standard equal the book's, every day.
func TestMeasuresMatchTheSequentialBook(t *testing.T) {
	s, d := compare(t, 2)
	for _, r := range []*whatif.Run{s, d} {
		for day := range r.Days {
			if got, want := r.Measures.Total[day], r.Days[day].Books[r.Ref].Inventory; got != want {
				t.Fatalf("%s day %d: plant inventory at standard %s, sequential book %s", r.Name, day+1, got.Format(2), want.Format(2))
			}
		}
		m := r.Measures
		if m.Orders == 0 || m.ShippedOrders == 0 || m.Deliveries == 0 || m.CostOfSales <= 0 || m.AverageInventory <= 0 {
			t.Fatalf("%s: empty measures %+v", r.Name, m)
		}
		if v := m.MCE().Value(); v <= 0 || v > 1 || m.LineMCE().Value() < v || m.LineMCE().Value() > 1 {
			t.Errorf("%s: MCE %s, line basis %s", r.Name, m.MCE().Pct(1), m.LineMCE().Pct(1))
		}
		for _, p := range m.Processes {
			if p.Busy > p.Available {
				t.Errorf("%s: %s busy %d of %d minutes", r.Name, p.ID, p.Busy, p.Available)
			}
		}
		if m.LeadTime.Mean < m.CycleTime.Mean || m.CycleTime.P95 < m.CycleTime.Mean || m.CycleTime.Max < m.CycleTime.P95 {
			t.Errorf("%s: lead time %+v, cycle time %+v", r.Name, m.LeadTime, m.CycleTime)
		}
	}
	if s.Measures.Scrap != 0 || s.Measures.RejectedPPM() != 0 || s.Measures.SupplierOTIF().Value() != 1 {
		t.Errorf("steady run: scrap %d, %d ppm rejected, suppliers %s on time in full", s.Measures.Scrap, s.Measures.RejectedPPM(), s.Measures.SupplierOTIF().Pct(1))
	}
	if d.Measures.Scrap == 0 || d.Measures.RejectedPPM() == 0 || d.Measures.SupplierOTIF().Value() == 1 || d.Measures.RolledYield.V >= 1 {
		t.Errorf("disturbed run shows no disturbance: scrap %d, %d ppm, %s on time in full", d.Measures.Scrap, d.Measures.RejectedPPM(), d.Measures.SupplierOTIF().Pct(1))
	}
}

func TestBadOptions(t *testing.T) {
	if _, _, err := whatif.Compare(sim.Default(), whatif.Options{Days: 0}); bf.ErrorKind(err) != bf.KindInvalid {
		t.Errorf("0 days: %v", err)
	}
}
