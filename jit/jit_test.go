package jit

import (
	"bytes"
	"math"
	"strings"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/sim"
)

func TestSummarize(t *testing.T) {
	d := []int64{50, 10, 40, 20, 30, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150, 160, 170, 180, 190, 200}
	got := Summarize(d)
	// 20 values: the 95th percentile by nearest rank is the 19th.
	if got != (Durations{N: 20, Mean: 105, P95: 190, Max: 200}) {
		t.Errorf("got %+v", got)
	}
	if got := Summarize([]int64{7}); got != (Durations{N: 1, Mean: 7, P95: 7, Max: 7}) {
		t.Errorf("one value: %+v", got)
	}
	if got := Summarize([]int64{1, 2}); got.Mean != 2 { // 1.5 rounds half up
		t.Errorf("mean of 1 and 2: %d", got.Mean)
	}
	if got := Summarize(nil); got != (Durations{}) {
		t.Errorf("none: %+v", got)
	}
}

func TestRatios(t *testing.T) {
	if got := ppm(3, 1000); got != 3000 {
		t.Errorf("ppm(3, 1000) = %d", got)
	}
	if got := ppm(1<<40, 1<<41); got != 500_000 {
		t.Errorf("large ppm = %d", got)
	}
	if ppm(1, 0) != 0 {
		t.Error("empty ppm")
	}
	m := &Measures{Days: 30, AverageInventory: 300_000_00, CostOfSales: 9_000_000_00, ValueAdded: 30, CycleMinutes: 120, LineMinutes: 40}
	if got := m.Turns(); !got.OK || got.V < 364.99 || got.V > 365.01 { // 300,000 a day over 300,000 held
		t.Errorf("turns %+v", got)
	}
	if got := m.DaysOfSupply(); !got.OK || got.V < 0.999 || got.V > 1.001 {
		t.Errorf("days of supply %+v", got)
	}
	if got := m.MCE(); got.Value() != 0.25 || got.Pct(1) != "25.0%" {
		t.Errorf("MCE %+v", got)
	}
	if got := m.LineMCE(); got.Value() != 0.75 {
		t.Errorf("line MCE %+v", got)
	}
}

// Empty denominators are n/a, never 100% or 0: on time with nothing
// shipped, yield with nothing made, days of supply with stock and no
// sales, turns without inventory, utilisation of a run of no minutes.
func TestEmptyDenominators(t *testing.T) {
	m := &Measures{Days: 5, AverageInventory: 1000}
	for name, r := range map[string]Ratio{"customer on time": m.CustomerOnTime(), "supplier OTIF": m.SupplierOTIF(),
		"MCE": m.MCE(), "line MCE": m.LineMCE(), "yield": (&Process{}).FirstPassYield(), "utilisation": (&Process{}).Utilisation()} {
		if r.Valid() || r.Pct(1) != "n/a" {
			t.Errorf("%s of nothing: %+v %s", name, r, r.Pct(1))
		}
	}
	if f := m.DaysOfSupply(); f.OK || f.Format(2) != "n/a" {
		t.Errorf("days of supply with stock and no sales: %+v", f)
	}
	if f := (&Measures{Days: 5, CostOfSales: 100}).Turns(); f.OK {
		t.Errorf("turns without inventory: %+v", f)
	}
	if r := (Ratio{0, 4}); !r.Valid() || r.Pct(0) != "0%" {
		t.Errorf("0 of 4: %s", r.Pct(0))
	}
}

// The rolled yield raises each process's first-pass yield to the units of
// its make one vehicle takes, and weighs the vehicles by the mix.
func TestRolledYield(t *testing.T) {
	m := sim.Default()
	if _, err := m.Run(sim.Options{Days: 1, Seed: 1}); err != nil { // compiles the model
		t.Fatal(err)
	}
	procs := make([]Process, len(m.Processes))
	for i := range procs {
		procs[i] = Process{Good: 9, Scrap: 1} // 90% everywhere
	}
	// Every vehicle takes one engine, one body and itself: 0.9³.
	if got := rolledYield(m, procs); !got.OK || math.Abs(got.V-0.729) > 1e-9 {
		t.Errorf("rolled yield %+v, want 0.729", got)
	}
	procs[0] = Process{}
	if got := rolledYield(m, procs); got.OK {
		t.Errorf("a process that made nothing: %+v", got)
	}
}

func TestComputeAndText(t *testing.T) {
	m := sim.Default()
	r, err := m.Run(sim.Options{Days: 5, Seed: 9, Disturb: sim.AllDisturbances})
	if err != nil {
		t.Fatal(err)
	}
	ms, err := Compute(r, func(i int) bf.Cost { return bf.Dollars(1) })
	if err != nil {
		t.Fatal(err)
	}
	if len(ms.Inventory) != 5 || len(ms.Total) != 5 || len(ms.Stages) != 7 {
		t.Fatalf("%d days, %d stages", len(ms.Inventory), len(ms.Stages))
	}
	for d, row := range ms.Inventory {
		var sum bf.Money
		for _, v := range row {
			sum += v
		}
		if sum != ms.Total[d] {
			t.Errorf("day %d: stages sum to %d, total %d", d, sum, ms.Total[d])
		}
	}
	var buf bytes.Buffer
	if err := WriteText(&buf, ms, 2); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"supplier on-time in full", "supplier lateness", "open orders", "line basis", "rejected parts", "customer on-time delivery", "order lead time",
		"manufacturing cycle time", "manufacturing cycle efficiency", "rolled first-pass yield", "inventory turns", "days of supply",
		"kanban loop", "stock-outs", "castings", "assembly"} {
		if !strings.Contains(buf.String(), s) {
			t.Errorf("text lacks %q", s)
		}
	}
}

// TestComputeOverflow: values at standard that pass the fixed-point range
// are an error, not figures that wrapped around: a part's value per unit
// of its parent (pistons, four to an engine, at the largest unit cost),
// and the parts' sum per unit (an engine's block and pistons, each within
// the range).
func TestComputeOverflow(t *testing.T) {
	r, err := sim.Default().Run(sim.Options{Days: 5, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	m := r.Model
	block, _ := m.Index("block4")
	piston, _ := m.Index("piston")
	cases := map[string]map[int]bf.Cost{
		"pistons of an engine": {piston: math.MaxInt64},
		"an engine's parts":    {block: math.MaxInt64, piston: math.MaxInt64 / 8},
	}
	for name, costs := range cases {
		value := func(i int) bf.Cost {
			if c, ok := costs[i]; ok {
				return c
			}
			return 1
		}
		if _, err := Compute(r, value); err == nil || bf.ErrorKind(err) != bf.KindInvalid {
			t.Errorf("%s past the range: %v", name, err)
		}
	}
	if _, err := Compute(r, func(int) bf.Cost { return math.MaxInt64 / 64 }); err != nil {
		t.Errorf("values within the range: %v", err)
	}
}

// The measures read the processes from the events by their minute and the
// stock-outs from the waits: with no warm-up they equal the simulator's own
// counts, an andon plant included. With a warm-up the first days are left
// out: only orders arriving after it count, and the first fill's
// stock-outs do not.
func TestWarmUp(t *testing.T) {
	text := strings.Replace(string(sim.DefaultYAML()), "defect_pct: 2, labour_per_day", "defect_pct: 2, andon_minutes: 45, labour_per_day", 1)
	andon, err := sim.Decode("andon.yaml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	dollar := func(int) bf.Cost { return bf.Dollars(1) }
	for _, m := range []*sim.Model{sim.Default(), andon} {
		r, err := m.Run(sim.Options{Days: 20, Seed: 6, Disturb: sim.AllDisturbances})
		if err != nil {
			t.Fatal(err)
		}
		ms, err := Compute(r, dollar)
		if err != nil {
			t.Fatal(err)
		}
		for pi, st := range r.Processes {
			p := ms.Processes[pi]
			if p.Busy != st.BusyMinutes || p.Scrap != st.Scrap || p.Started != st.Started || p.Pulls != st.Pulls || p.StopMinutes != st.StopMinutes {
				t.Errorf("%s: measured %+v, simulated %+v", p.ID, p, st)
			}
		}
		for li, ls := range r.Loops {
			if l := ms.Loops[li]; l.Stockouts != ls.Stockouts || l.StockoutMinutes != ls.StockoutMinutes {
				t.Errorf("%s: measured %d stock-outs of %d min, simulated %d of %d", l.Item, l.Stockouts, l.StockoutMinutes, ls.Stockouts, ls.StockoutMinutes)
			}
		}
		w, err := m.Run(sim.Options{Days: 20, Seed: 6, Disturb: sim.AllDisturbances, WarmUpDays: 3})
		if err != nil {
			t.Fatal(err)
		}
		wm, err := Compute(w, dollar)
		if err != nil {
			t.Fatal(err)
		}
		from := 3 * m.DayMinutes
		orders := 0
		for _, o := range w.Orders {
			if o.Accepted && o.Arrival >= from {
				orders++
			}
		}
		var before, after int64
		for li := range ms.Loops {
			before += ms.Loops[li].StockoutMinutes
			after += wm.Loops[li].StockoutMinutes
		}
		if wm.Days != 17 || wm.WarmUpDays != 3 || wm.Orders != orders || wm.Orders >= ms.Orders || after >= before || wm.Processes[0].Available != 17*m.DayMinutes {
			t.Errorf("warm-up: %d days, %d orders (want %d, of %d), %d stock-out minutes (of %d)", wm.Days, wm.Orders, orders, ms.Orders, after, before)
		}
	}
	if _, err := sim.Default().Run(sim.Options{Days: 3, WarmUpDays: 3}); bf.ErrorKind(err) != bf.KindInvalid {
		t.Errorf("a warm-up as long as the run: %v", err)
	}
}
