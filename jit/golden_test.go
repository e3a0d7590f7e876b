package jit

import (
	"bytes"
	"path/filepath"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/internal/goldenfile"
	"github.com/backflush/backflush/sim"
)

// golden compares got with a file, or rewrites it under -update.
func golden(t *testing.T, path string, got []byte) { goldenfile.Check(t, path, got) }

// TestGoldenReports holds the practitioner's reports to goldens: the
// measures of a disturbed month of the built-in plant (values at a dollar a
// unit, so the golden depends on the simulator and the measures only), the
// measures of the minimal plant with no orders (n/a where nothing was
// counted), and
// the plan (takt, balance, sizing).
func TestGoldenReports(t *testing.T) {
	dollar := func(int) bf.Cost { return bf.Dollars(1) }
	m := sim.Default()
	r, err := m.Run(sim.Options{Days: 30, Seed: 40, Disturb: sim.AllDisturbances})
	if err != nil {
		t.Fatal(err)
	}
	ms, err := Compute(r, dollar)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteText(&buf, ms, 2); err != nil {
		t.Fatal(err)
	}
	golden(t, filepath.Join("testdata", "measures-seed40-all.txt"), buf.Bytes())

	buf.Reset()
	o := SizingOptions{SafetyPct: 10}
	if err := WritePlan(&buf, TaktOf(m), Sizing(m, o), o); err != nil {
		t.Fatal(err)
	}
	golden(t, filepath.Join("testdata", "plan-default.txt"), buf.Bytes())

	// A day of the minimal plant with no orders: every order ratio is n/a.
	d, err := sim.Load("../sim/testdata/deadlock.yaml")
	if err != nil {
		t.Fatal(err)
	}
	d.Demand.OrdersPerDay = 0
	r, err = d.Run(sim.Options{Days: 1, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if ms, err = Compute(r, dollar); err != nil {
		t.Fatal(err)
	}
	buf.Reset()
	if err := WriteText(&buf, ms, 2); err != nil {
		t.Fatal(err)
	}
	golden(t, filepath.Join("testdata", "measures-no-demand.txt"), buf.Bytes())
}
