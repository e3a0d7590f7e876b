package backflush_test

import (
	"bytes"
	"path/filepath"
	"strconv"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/report"
	"github.com/backflush/backflush/scenario"
)

// The controller's reports on published and hand-worked cases: the bike's
// costed BOM and a proposed change (worked by hand in docs/cases.md),
// Fenton's FIFO process costing in Horngren's five steps (the textbook's
// figures), and throughput beside contribution at the limiting factor
// (Kaplan's X Limited; two products worked by hand). Each pins its text
// and JSON in testdata/<case>/expected-*; refresh with -update.

// writeReport writes a report through report.Write, the one dispatch the
// CLI and the API use, as text and as JSON.
func writeReport(t *testing.T, sc *bf.Config, l *costing.Ledger, q report.Request) (txt, js []byte) {
	t.Helper()
	q.Title, q.Chart = sc.Name, &sc.Chart
	var a, b bytes.Buffer
	if err := report.Write(&a, l, q); err != nil {
		t.Fatal(err)
	}
	q.JSON = true
	if err := report.Write(&b, l, q); err != nil {
		t.Fatal(err)
	}
	return a.Bytes(), b.Bytes()
}

// TestBikeCostedBOM checks the bike's costed BOM against the roll-up worked
// by hand in docs/cases.md, and the proposed change (testdata/bike/
// proposed.yaml) against its revaluation worked there too.
func TestBikeCostedBOM(t *testing.T) {
	sc, l := load(t, "bike")
	i, _ := l.Std.Lookup("bike")
	b, err := l.Std.CostedBOM(i)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ what, got, want string }{
		{"materials", b.Material.String(), "10.03"},
		{"conversion", b.Conversion.String(), "18.50"},
		{"total", b.Total().String(), "28.53"},
		{"frame's unit cost", b.Rows[1].UnitCost.String(), "12.00"},
		{"steel per bike", b.Rows[2].Per.String(), "3.3"},
		{"paint per bike (phantom coat, 20% scrap)", b.Rows[5].Per.String(), "0.3"},
		{"bolts per bike (5% scrap)", b.Rows[6].Per.String(), "6.3"},
		{"conversion at the bike's level, with the phantom coat", b.Levels[0].Conversion.String(), "13.50"},
		{"conversion at the frame's level", b.Levels[1].Conversion.String(), "5.00"},
	} {
		if c.got != c.want {
			t.Errorf("%s = %s, want %s", c.what, c.got, c.want)
		}
	}
	if b.Rows[4].Item != 4 || l.Std.Item(b.Rows[4].Item).Kind != bf.Phantom || b.Rows[4].Path != "bike>coat" {
		t.Errorf("row 4 is %+v, want the phantom coat", b.Rows[4])
	}
	file := filepath.Join("testdata", "bike", "proposed.yaml")
	prop, err := scenario.Load(file)
	if err != nil {
		t.Fatal(err)
	}
	rev, err := costing.Revalue(l, &prop.Plant)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][3]string{ // item → old, new, revaluation
		"steel": {"2.00", "2.20", "14.00"},
		"frame": {"12.00", "12.66", "5.28"},
		"coat":  {"3.90", "3.70", "0.00"},
		"bike":  {"28.53", "29.49", "7.68"},
	}
	if len(rev.Items) != len(want) {
		t.Errorf("%d items change, want %d", len(rev.Items), len(want))
	}
	for _, c := range rev.Items {
		id := rev.Proposed.Item(c.Item).ID
		if got := [3]string{c.Old.String(), c.New.String(), c.Revaluation().Format(2)}; got != want[id] {
			t.Errorf("%s: old, new, revaluation %v, want %v", id, got, want[id])
		}
	}
	if rev.OldValue.Format(2) != "571.24" || rev.NewValue.Format(2) != "598.20" {
		t.Errorf("on hand %s → %s, want 571.24 → 598.20", rev.OldValue.Format(2), rev.NewValue.Format(2))
	}
	if sv, err := costing.StandardValuationOf(l); err != nil || sv.Total() != rev.OldValue {
		t.Errorf("the revaluation starts from %s, the standard valuation is %s (%v)", rev.OldValue.Format(2), sv.Total().Format(2), err)
	}
	txt, js := writeReport(t, sc, l, report.Request{Kind: report.KindBOM, Item: "bike",
		Controller: report.Controller{Proposed: &prop.Plant, ProposedFrom: "proposed.yaml"}})
	golden(t, filepath.Join("testdata", "bike", "expected-bom.txt"), txt)
	golden(t, filepath.Join("testdata", "bike", "expected-bom.json"), js)

	// Ten frames started: 33 kg of steel and 40 bolts leave the stores for
	// work in process, where the proposal revalues them the same: the
	// steel's 14.00 splits into 7.40 on hand and 6.60 in process.
	june, _ := bf.ParseDate("2026-06-01")
	if err := l.Post(&bf.Event{ID: "s9", Date: june, Type: bf.Start, Item: "frame", Qty: bf.Units(10)}); err != nil {
		t.Fatal(err)
	}
	rev, err = costing.Revalue(l, &prop.Plant)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range rev.Items {
		switch rev.Proposed.Item(c.Item).ID {
		case "steel":
			if c.Revaluation().Format(2) != "7.40" {
				t.Errorf("steel on hand after the start: revaluation %s, want 7.40", c.Revaluation().Format(2))
			}
		case "frame":
			if c.InProcess != bf.Units(10) || c.Revaluation().Format(2) != "11.88" {
				t.Errorf("frames: %s in process, revaluation %s; want 10 and 5.28 + 6.60 = 11.88", c.InProcess, c.Revaluation().Format(2))
			}
		}
	}
	if got := (rev.NewValue - rev.OldValue).Format(2); got != "26.96" {
		t.Errorf("revaluation after the start %s, want 26.96 still", got)
	}
}

// TestFentonFIFOSteps checks the five steps of Fenton's May (Horngren,
// Datar & Rajan 14e, 17-20, FIFO) figure by figure against the textbook.
func TestFentonFIFOSteps(t *testing.T) {
	sc, l := load(t, "fenton")
	reps := l.Book("fifo").ProcessReports()
	s, ok := report.FIFOStepsOf(reps[1])
	if !ok {
		t.Fatal("May is not laid out in FIFO's steps")
	}
	units := []struct {
		what string
		got  bf.Qty
		want int64
	}{
		{"beginning WIP", s.BeginUnits, 80}, {"started", s.Started, 500}, {"completed from beginning WIP", s.CompletedFromBegin, 80},
		{"started and completed", s.StartedCompleted, 380}, {"ending WIP", s.EndUnits, 120},
	}
	for _, u := range units {
		if u.got != bf.Units(u.want) {
			t.Errorf("step 1, %s: %s, want %d", u.what, u.got, u.want)
		}
	}
	// Step 2 (materials, conversion): 8 and 48 to complete beginning WIP,
	// 380 started and completed, 72 and 36 in ending WIP: 460 and 464.
	dm, cc := s.Elements[0], s.Elements[1]
	for _, c := range []struct {
		what     string
		got      [2]bf.Qty
		dm, conv int64
	}{
		{"completing beginning WIP", [2]bf.Qty{dm.EUCompletingBegin, cc.EUCompletingBegin}, 8, 48},
		{"started and completed", [2]bf.Qty{dm.EUStartedCompleted, cc.EUStartedCompleted}, 380, 380},
		{"ending WIP", [2]bf.Qty{dm.EUEndingWIP, cc.EUEndingWIP}, 72, 36},
		{"total", [2]bf.Qty{dm.EquivalentUnits, cc.EquivalentUnits}, 460, 464},
	} {
		if c.got != [2]bf.Qty{bf.Units(c.dm), bf.Units(c.conv)} {
			t.Errorf("step 2, %s: %s and %s, want %d and %d", c.what, c.got[0], c.got[1], c.dm, c.conv)
		}
	}
	// Steps 3 to 5, in total and per element (materials, conversion).
	money := func(c report.FIFOCosts, f func(report.FIFOCosts) bf.Money) string { return f(c).Format(2) }
	for _, c := range []struct {
		what string
		f    func(report.FIFOCosts) bf.Money
		want [3]string
	}{
		{"beginning WIP", func(c report.FIFOCosts) bf.Money { return c.BeginWIP }, [3]string{"584400.00", "493360.00", "91040.00"}},
		{"added in May", func(c report.FIFOCosts) bf.Money { return c.Added }, [3]string{"4612000.00", "3220000.00", "1392000.00"}},
		{"to account for", func(c report.FIFOCosts) bf.Money { return c.ToAccountFor }, [3]string{"5196400.00", "3713360.00", "1483040.00"}},
		{"to complete beginning WIP", func(c report.FIFOCosts) bf.Money { return c.CompletingBegin }, [3]string{"200000.00", "56000.00", "144000.00"}},
		{"from beginning WIP", report.FIFOCosts.FromBegin, [3]string{"784400.00", "549360.00", "235040.00"}},
		{"started and completed", func(c report.FIFOCosts) bf.Money { return c.StartedCompleted }, [3]string{"3800000.00", "2660000.00", "1140000.00"}},
		{"transferred out", report.FIFOCosts.TransferredOut, [3]string{"4584400.00", "3209360.00", "1375040.00"}},
		{"ending WIP", func(c report.FIFOCosts) bf.Money { return c.EndingWIP }, [3]string{"612000.00", "504000.00", "108000.00"}},
		{"accounted for", func(c report.FIFOCosts) bf.Money { return c.AccountedFor }, [3]string{"5196400.00", "3713360.00", "1483040.00"}},
	} {
		if got := [3]string{money(s.Total, c.f), money(dm.FIFOCosts, c.f), money(cc.FIFOCosts, c.f)}; got != c.want {
			t.Errorf("%s: %v, want %v", c.what, got, c.want)
		}
	}
	if dm.CostPerEU.String() != "7000.00" || cc.CostPerEU.String() != "3000.00" {
		t.Errorf("step 4: %s and %s per EU, want 7000.00 and 3000.00", dm.CostPerEU, cc.CostPerEU)
	}
	_, js := writeReport(t, sc, l, report.Request{Kind: report.KindProcess, Options: report.Options{Book: "fifo"}})
	golden(t, filepath.Join("testdata", "fenton", "expected-process.json"), js)
}

// TestLimitingFactor checks throughput beside contribution at the
// limiting factor: Kaplan's X Limited (the published throughput figures;
// its contribution uses the scenario's variable conversion of 20), and two
// products worked by hand in docs/cases.md whose rankings differ.
func TestLimitingFactor(t *testing.T) {
	for _, c := range []struct {
		name string
		// per product: throughput/unit, per minute, rank, contribution/unit, per minute, rank
		products map[string][6]string
		// per mix (throughput, contribution): units, throughput, contribution, profit TA, profit marginal
		mixes [2][5]string
	}{
		{"kaplan-x", map[string][6]string{"x": {"42.50", "0.4722", "1", "22.50", "0.2500", "1"}},
			[2][5]string{{"x 266", "11305.00", "5985.00", "3305.00", "-2015.00"}, {"x 266", "11305.00", "5985.00", "3305.00", "-2015.00"}}},
		{"limiting-factor", map[string][6]string{"a": {"50.00", "5.0000", "2", "40.00", "4.0000", "1"}, "b": {"90.00", "6.0000", "1", "40.00", "2.6667", "2"}},
			[2][5]string{{"b 100, a 90", "13500.00", "7600.00", "9500.00", "3600.00"}, {"a 150, b 60", "12900.00", "8400.00", "8900.00", "4400.00"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			sc, l := load(t, c.name)
			lf, err := costing.CompareLimitingFactor(l.Std, sc.Throughput, c.name)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range lf.Products {
				got := [6]string{p.Throughput.ThroughputPerUnit.String(), p.Throughput.PerBottleneckMinute.String(), strconv.Itoa(p.Throughput.Rank),
					p.Contribution.ThroughputPerUnit.String(), p.Contribution.PerBottleneckMinute.String(), strconv.Itoa(p.Contribution.Rank)}
				if got != c.products[p.ID] {
					t.Errorf("%s: %v, want %v", p.ID, got, c.products[p.ID])
				}
			}
			for k, m := range []costing.FactorMix{lf.Throughput, lf.Contribution} {
				got := [5]string{mixUnits(m), m.Throughput.Format(2), m.Contribution.Format(2), m.ProfitTA.Format(2), m.ProfitMarginal.Format(2)}
				if got != c.mixes[k] {
					t.Errorf("mix %d: %v, want %v", k, got, c.mixes[k])
				}
			}
			txt, js := writeReport(t, sc, l, report.Request{Kind: report.KindThroughput,
				Controller: report.Controller{Throughput: sc.Throughput, Source: c.name, Contribution: true}})
			golden(t, filepath.Join("testdata", c.name, "expected-throughput.txt"), txt)
			golden(t, filepath.Join("testdata", c.name, "expected-throughput.json"), js)
		})
	}
}

func mixUnits(m costing.FactorMix) string {
	s := ""
	for k, ln := range m.Mix.Lines {
		if k > 0 {
			s += ", "
		}
		s += ln.ID + " " + ln.Units.String()
	}
	return s
}
