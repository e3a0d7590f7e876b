package report_test

// Property tests of the controller's reports over random plants (package
// refmodel computes the standards independently of package costing):
//
//   - the costed BOM's totals are the rolled-up standard of every item;
//   - a proposal revalues what is on hand by the change of the standards;
//   - FIFO's five steps account for every cost to account for;
//   - the best mix by throughput and by contribution never exceeds a
//     resource's capacity or a product's demand.
//
// Failures name the seed; rerun one with
//
//	go test ./report -run 'TestController.*/seed=17$' -v

import (
	"bytes"
	"encoding/json"
	"math/big"
	"math/rand/v2"
	"strconv"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/internal/refmodel"
	"github.com/backflush/backflush/report"
)

const bomSeeds = 120

func ctlRand(seed, stream uint64) *rand.Rand { return refmodel.Rand(seed, 0xc0_0000+stream) }

// ctlPlant draws a plant with every kind of level: assemblies, phantoms,
// component scrap and fixed conversion.
func ctlPlant(r *rand.Rand) *bf.Plant {
	return refmodel.NewPlant(r, refmodel.PlantOpts{MinMaterials: 2, MaxMaterials: 6, MaxAssemblies: 3, Phantoms: true,
		MaxBOMQty: 4, Scrap: true, Fixed: true})
}

// TestControllerCostedBOMTotals: for every item of a random plant, the
// costed BOM's material, conversion and fixed totals are refmodel's
// standards, its top row extends to the rolled-up standard, and its
// conversion by level adds up to the conversion; the report's JSON of every
// finished item says the same totals.
func TestControllerCostedBOMTotals(t *testing.T) {
	refmodel.Seeds(t, bomSeeds, func(t *testing.T, seed uint64) {
		p := ctlPlant(ctlRand(seed, 1))
		s := refmodel.Standards(p)
		std, err := costing.Compile(p)
		if err != nil {
			t.Fatal(err)
		}
		for i := range p.Items {
			b, err := std.CostedBOM(int32(i))
			if err != nil {
				t.Fatalf("%s: %v", p.Items[i].ID, err)
			}
			id := p.Items[i].ID
			if int64(b.Material) != s.Mat[i] || int64(b.Conversion) != s.Conv[i] || int64(b.Fixed) != s.Fixed[i] {
				t.Fatalf("%s: costed BOM materials %s, conversion %s (fixed %s); the standards are %s, %s (%s)", id,
					b.Material, b.Conversion, b.Fixed, bf.Cost(s.Mat[i]), bf.Cost(s.Conv[i]), bf.Cost(s.Fixed[i]))
			}
			if int64(b.Total()) != s.Rolled(i) || int64(b.Rows[0].Extended) != s.Rolled(i) || int64(b.Rows[0].UnitCost) != s.Rolled(i) {
				t.Fatalf("%s: total %s, top row %s extended %s; the rolled-up standard is %s", id, b.Total(), b.Rows[0].UnitCost, b.Rows[0].Extended, bf.Cost(s.Rolled(i)))
			}
			var levels, rows bf.Cost
			for _, lv := range b.Levels {
				levels += lv.Conversion
			}
			for _, row := range b.Rows {
				rows += row.Material + row.Conversion
				if mat := p.Items[row.Item].Kind == bf.Material; (mat && (row.Conversion != 0 || row.Extended != row.Material)) || (!mat && row.Material != 0) {
					t.Fatalf("%s: row %s of kind %s carries material %s and conversion %s, extended %s", id, row.Path, p.Items[row.Item].Kind, row.Material, row.Conversion, row.Extended)
				}
			}
			if int64(levels) != s.Conv[i] || int64(rows) != s.Rolled(i) {
				t.Fatalf("%s: conversion by level %s, rows %s; want %s and %s", id, levels, rows, bf.Cost(s.Conv[i]), bf.Cost(s.Rolled(i)))
			}
		}
		l, err := costing.NewLedger(std, bf.DefaultBooks(), bf.CloseToCOGS)
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := report.Write(&out, l, report.Request{Kind: report.KindBOM, JSON: true}); err != nil {
			t.Fatal(err)
		}
		var doc struct {
			BOMs []struct{ Item, Material, Conversion, Total string }
		}
		if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		finished := s.Items(bf.Finished)
		if len(doc.BOMs) != len(finished) {
			t.Fatalf("the report shows %d BOMs for %d finished items", len(doc.BOMs), len(finished))
		}
		for k, i := range finished {
			got := doc.BOMs[k]
			if got.Item != p.Items[i].ID || got.Material != bf.Cost(s.Mat[i]).String() || got.Conversion != bf.Cost(s.Conv[i]).String() ||
				got.Total != bf.Cost(s.Rolled(i)).String() {
				t.Fatalf("report: %+v; want %s with %s + %s = %s", got, p.Items[i].ID, bf.Cost(s.Mat[i]), bf.Cost(s.Conv[i]), bf.Cost(s.Rolled(i)))
			}
		}
	})
}

// TestControllerRevaluation: after a random stream, a proposal that changes
// materials' standards and made items' conversion revalues each item by
// the change of refmodel's standards: its stock on hand at its own, its
// units in process at their components'.
func TestControllerRevaluation(t *testing.T) {
	refmodel.Seeds(t, bomSeeds/2, func(t *testing.T, seed uint64) {
		r := ctlRand(seed, 2)
		p := ctlPlant(r)
		w := newPhWorld(t, seed, r, p, []bf.BookConfig{{Name: "seq", Method: bf.MethodSequential}}, bf.CloseToCOGS,
			refmodel.Opts{Periods: 1 + r.IntN(3), KeepStock: true, Scrap: true})
		w.Run()
		prop := *p
		prop.Items = append([]bf.Item(nil), p.Items...)
		for i := range prop.Items {
			it := &prop.Items[i]
			switch {
			case it.Kind == bf.Material && r.IntN(2) == 0:
				it.StandardCost = refmodel.CentsCost(int64(1 + r.IntN(5000)))
			case it.Kind != bf.Material && r.IntN(3) == 0:
				it.ConversionCost = refmodel.CentsCost(int64(r.IntN(2001)))
				it.FixedConversion = min(it.FixedConversion, it.ConversionCost)
			}
		}
		old, nu := w.S, refmodel.Standards(&prop)
		rev, err := costing.Revalue(w.L, &prop)
		if err != nil {
			t.Fatal(err)
		}
		q := w.Quantities()
		got := map[int]costing.ItemChange{}
		for _, c := range rev.Items {
			got[int(c.Item)] = c
		}
		var total bf.Money
		for i := range p.Items {
			want := refmodel.Value(q.OnHand[i], nu.Rolled(i)-old.Rolled(i))
			for _, u := range old.Direct[i] {
				want += refmodel.Value(refmodel.MulQty(q.InProcess[i], u.Per), nu.Rolled(u.Item)-old.Rolled(u.Item))
			}
			c, listed := got[i]
			if c.Revaluation() != want || (!listed && (want != 0 || nu.Rolled(i) != old.Rolled(i))) ||
				(listed && (int64(c.Old) != old.Rolled(i) || int64(c.New) != nu.Rolled(i))) {
				w.Fatalf("%s: revaluation %s (listed %v, %s → %s), want %s (%s → %s; %s on hand, %s in process)", p.Items[i].ID,
					c.Revaluation().Format(2), listed, c.Old, c.New, want.Format(2), bf.Cost(old.Rolled(i)), bf.Cost(nu.Rolled(i)), q.OnHand[i], q.InProcess[i])
			}
			total += want
		}
		sv, err := costing.StandardValuationOf(w.L)
		if err != nil || rev.NewValue-rev.OldValue != total || rev.OldValue != sv.Total() {
			w.Fatalf("revaluation %s → %s, want a change of %s from the standard valuation %s (%v)", rev.OldValue.Format(2), rev.NewValue.Format(2),
				total.Format(2), sv.Total().Format(2), err)
		}
	})
}

// TestControllerFIFOAccountedFor: at every close of random streams with
// work in process carried over, every FIFO process report laid out in the
// five steps accounts for every cost to account for, per element and in
// total; the units and equivalent units add up; and each assignment is
// within two cents of the exact cost per equivalent unit times its units.
func TestControllerFIFOAccountedFor(t *testing.T) {
	withBegin := 0
	refmodel.Seeds(t, bomSeeds/2, func(t *testing.T, seed uint64) {
		r := ctlRand(seed, 3)
		o := refmodel.Opts{Periods: 2 + r.IntN(4), KeepStock: true, WIPCounts: true, Scrap: seed%3 == 0, Fractional: seed%2 == 0,
			Counts: seed%4 == 0, Quiet: true}
		p := phPlant(r, seed%2 == 0, seed%3 == 0)
		w := newPhWorld(t, seed, r, p, phFamilyBooks(phSeqFIFO), bf.CloseToCOGS, o)
		checked := map[string]int{}
		w.OnClose = func() {
			for _, b := range w.L.Books {
				reps := b.ProcessReports()
				for _, rep := range reps[checked[b.Config.Name]:] {
					s, ok := report.FIFOStepsOf(rep)
					if !ok {
						continue // a period averaged for want of completed beginning units
					}
					if s.BeginUnits > 0 {
						withBegin++
					}
					checkFIFOSteps(w, b.Config.Name+" "+rep.Item+" period "+strconv.Itoa(rep.Period), rep, s)
				}
				checked[b.Config.Name] = len(reps)
			}
		}
		w.Run()
	})
	if withBegin == 0 && !t.Failed() {
		t.Fatal("test design: no FIFO period had beginning work in process")
	}
	t.Logf("%d FIFO periods with beginning work in process", withBegin)
}

func checkFIFOSteps(w *phWorld, what string, rep costing.ProcessReport, s report.FIFOSteps) {
	w.T.Helper()
	if s.CompletedFromBegin+s.StartedCompleted+s.EndUnits != s.BeginUnits+s.Started || s.StartedCompleted < 0 {
		w.Fatalf("%s: units accounted for %s + %s + %s, to account for %s + %s", what, s.CompletedFromBegin, s.StartedCompleted, s.EndUnits, s.BeginUnits, s.Started)
	}
	for k, e := range s.Elements {
		if e.EUCompletingBegin+e.EUStartedCompleted+e.EUEndingWIP != e.EquivalentUnits || e.EUCompletingBegin < 0 || e.EUEndingWIP < 0 {
			w.Fatalf("%s, %s: equivalent units %s + %s + %s ≠ %s", what, e.Name, e.EUCompletingBegin, e.EUStartedCompleted, e.EUEndingWIP, e.EquivalentUnits)
		}
		if e.AccountedFor != e.ToAccountFor || e.ToAccountFor != e.BeginWIP+e.Added ||
			e.BeginWIP+e.CompletingBegin+e.StartedCompleted+e.EndingWIP != e.ToAccountFor {
			w.Fatalf("%s, %s: accounted for %s (beginning WIP %s + to complete it %s + started and completed %s + ending WIP %s), to account for %s (%s + %s)",
				what, e.Name, e.AccountedFor.Format(2), e.BeginWIP.Format(2), e.CompletingBegin.Format(2), e.StartedCompleted.Format(2), e.EndingWIP.Format(2),
				e.ToAccountFor.Format(2), e.BeginWIP.Format(2), e.Added.Format(2))
		}
		if res := rep.Result.Elements[k]; e.TransferredOut() != res.TransferredOut || e.EndingWIP != res.EndingWIP {
			w.Fatalf("%s, %s: the steps transfer %s and leave %s; process costing %s and %s", what, e.Name,
				e.TransferredOut().Format(2), e.EndingWIP.Format(2), res.TransferredOut.Format(2), res.EndingWIP.Format(2))
		}
		if e.EquivalentUnits > 0 {
			// The exact cost per equivalent unit, in cents per unit.
			per := new(big.Rat).Quo(big.NewRat(int64(e.Added), 1), refmodel.QtyRat(e.EquivalentUnits))
			for _, a := range []struct {
				name string
				got  bf.Money
				eu   bf.Qty
			}{{"cost to complete beginning WIP", e.CompletingBegin, e.EUCompletingBegin},
				{"started and completed", e.StartedCompleted, e.EUStartedCompleted}, {"ending WIP", e.EndingWIP, e.EUEndingWIP}} {
				exact := new(big.Rat).Mul(per, refmodel.QtyRat(a.eu))
				diff := new(big.Rat).Sub(exact, big.NewRat(int64(a.got), 1))
				if diff.Abs(diff).Cmp(big.NewRat(2, 1)) > 0 {
					w.Fatalf("%s, %s: %s is %s for %s EU at %s per EU; exactly %s", what, e.Name, a.name, a.got.Format(2), a.eu, e.CostPerEU, exact.FloatString(4))
				}
			}
		}
	}
	// Each figure of the total column adds up its elements'.
	for _, f := range []func(report.FIFOCosts) bf.Money{
		func(c report.FIFOCosts) bf.Money { return c.BeginWIP }, func(c report.FIFOCosts) bf.Money { return c.Added },
		func(c report.FIFOCosts) bf.Money { return c.ToAccountFor }, func(c report.FIFOCosts) bf.Money { return c.CompletingBegin },
		func(c report.FIFOCosts) bf.Money { return c.StartedCompleted }, func(c report.FIFOCosts) bf.Money { return c.EndingWIP },
		func(c report.FIFOCosts) bf.Money { return c.AccountedFor },
	} {
		var sum bf.Money
		for _, e := range s.Elements {
			sum += f(e.FIFOCosts)
		}
		if sum != f(s.Total) {
			w.Fatalf("%s: total %+v, but its elements add to %s", what, s.Total, sum.Format(2))
		}
	}
	if s.Total.AccountedFor != s.Total.ToAccountFor || s.Total.TransferredOut() != rep.Result.TransferredOut || s.Total.ToAccountFor != rep.Result.TotalCost {
		w.Fatalf("%s: total %+v; process costing transfers %s of %s", what, s.Total, rep.Result.TransferredOut.Format(2), rep.Result.TotalCost.Format(2))
	}
}

// TestControllerMixFeasible: on random plants with random throughput
// sections (one to three resources, demands or none), the best mix by
// throughput and the best mix by contribution each stay within every
// resource's capacity and every product's demand, in whole units, report
// the bottleneck minutes they leave, and earn by their own measure what
// the mix says.
func TestControllerMixFeasible(t *testing.T) {
	refmodel.Seeds(t, bomSeeds, func(t *testing.T, seed uint64) {
		r := ctlRand(seed, 4)
		p := ctlPlant(r)
		s := refmodel.Standards(p)
		std, err := costing.Compile(p)
		if err != nil {
			t.Fatal(err)
		}
		nres := 1 + r.IntN(3)
		td := &bf.ThroughputData{OperatingExpenses: bf.Money(r.Int64N(1_000_000))}
		for k := range nres {
			td.Resources = append(td.Resources, bf.Resource{Name: "r" + strconv.Itoa(k), Capacity: bf.Units(int64(100 + r.IntN(5000)))})
		}
		for _, i := range s.Items(bf.Finished, bf.Assembly) {
			if p.Items[i].Price == 0 && r.IntN(2) == 0 {
				continue
			}
			tp := bf.ThroughputProduct{Item: p.Items[i].ID}
			for k := range nres {
				m := bf.Qty(r.Int64N(30_000_000)) // up to 30 minutes, six decimals
				if k == 0 {
					m += 500_000
				} else if r.IntN(3) == 0 {
					m = 0
				}
				tp.Minutes = append(tp.Minutes, m)
			}
			if r.IntN(3) > 0 {
				tp.Demand = bf.Units(int64(r.IntN(400)))
			}
			td.Products = append(td.Products, tp)
		}
		if len(td.Products) == 0 {
			return
		}
		lf, err := costing.CompareLimitingFactor(std, td, "random")
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range []struct {
			name     string
			fm       costing.FactorMix
			measured bf.Money
		}{{"throughput", lf.Throughput, lf.Throughput.Throughput}, {"contribution", lf.Contribution, lf.Contribution.Contribution}} {
			used := make([]int64, nres)
			for _, ln := range m.fm.Mix.Lines {
				var tp *bf.ThroughputProduct
				for k := range td.Products {
					if td.Products[k].Item == ln.ID {
						tp = &td.Products[k]
					}
				}
				if tp == nil || ln.Units <= 0 || ln.Units%bf.Units(1) != 0 {
					t.Fatalf("%s mix: %s units of %s", m.name, ln.Units, ln.ID)
				}
				if tp.Demand > 0 && ln.Units > tp.Demand {
					t.Fatalf("%s mix: %s units of %s, demand %s", m.name, ln.Units, ln.ID, tp.Demand)
				}
				for k := range nres {
					used[k] += int64(refmodel.MulQty(ln.Units, tp.Minutes[k]))
				}
			}
			for k := range nres {
				if used[k] > int64(td.Resources[k].Capacity) {
					t.Fatalf("%s mix: %s minutes of %s, capacity %s", m.name, bf.Qty(used[k]), td.Resources[k].Name, td.Resources[k].Capacity)
				}
			}
			if m.fm.Mix.Unused != td.Resources[0].Capacity-bf.Qty(used[0]) {
				t.Fatalf("%s mix: %s bottleneck minutes unused, but %s of %s are used", m.name, m.fm.Mix.Unused, bf.Qty(used[0]), td.Resources[0].Capacity)
			}
			if m.measured != m.fm.Mix.Throughput || m.fm.ProfitTA != m.fm.Throughput-td.OperatingExpenses ||
				m.fm.ProfitMarginal != m.fm.Contribution-td.OperatingExpenses {
				t.Fatalf("%s mix: earns %s by its measure, the mix says %s; profits %s and %s", m.name, m.measured.Format(2),
					m.fm.Mix.Throughput.Format(2), m.fm.ProfitTA.Format(2), m.fm.ProfitMarginal.Format(2))
			}
		}
	})
}
