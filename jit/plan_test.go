package jit

import (
	"math"
	"testing"

	"github.com/backflush/backflush/sim"
)

func TestTaktAndBalance(t *testing.T) {
	m := sim.Default()
	tk := TaktOf(m)
	// 960 minutes ÷ 20 vehicles; every vehicle takes one engine and one body.
	if !tk.OK || tk.Minutes != 48 || tk.Bottleneck != "assembly" {
		t.Fatalf("takt %+v", tk)
	}
	// Work per vehicle 30, 35, 38: balance 103 ÷ (3 × 38).
	if want := 103.0 / 114; math.Abs(tk.Balance-want) > 1e-12 {
		t.Errorf("balance %.6f, want %.6f", tk.Balance, want)
	}
	for _, p := range tk.Processes {
		if p.PerVehicle != 1 || p.TaktMinutes != 48 || math.Abs(p.Load-float64(p.CycleMinutes)/48) > 1e-12 {
			t.Errorf("%+v", p)
		}
	}
	zero := *m
	zero.Demand.OrdersPerDay = 0
	if tk := TaktOf(&zero); tk.OK || tk.Processes[0].TaktMinutes != 0 {
		t.Errorf("no demand: %+v", tk)
	}
}

// The kanban formula N = ⌈D·(L+S)·(1+α)/C⌉ on the minimal plant of issue 17
// (80 wheels a day over 480 minutes, lead 60, containers of 6), and the
// floor validation sets.
func TestSizing(t *testing.T) {
	m, err := sim.Load("../sim/testdata/deadlock.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		o                  SizingOptions
		formula, suggested int
		flag               string
	}{
		{SizingOptions{SafetyPct: 10}, 2, 2, ""},                               // 1/6 × 60 × 1.1 / 6 = 1.83
		{SizingOptions{SafetyPct: 10, SafetyMinutes: 30}, 3, 3, "under-sized"}, // 1/6 × 90 × 1.1 / 6 = 2.75
		{SizingOptions{SafetyPct: 20, SafetyMinutes: 48}, 4, 4, "under-sized"}, // 1/6 × 108 × 1.2 / 6 = 3.6
		{SizingOptions{}, 2, 2, ""},                                            // 1/6 × 60 / 6 = 1.67
		{SizingOptions{SafetyMinutes: 48}, 3, 3, "under-sized"},                // exactly 3: not rounded up
	} {
		s := Sizing(m, c.o)
		if len(s) != 1 {
			t.Fatalf("%d loops", len(s))
		}
		l := s[0]
		if l.DemandPerDay != 80 || l.LeadMinutes != 60 || l.MinValid != 2 || l.Formula != c.formula || l.Suggested != c.suggested || l.Flag != c.flag {
			t.Errorf("%+v: %+v", c.o, l)
		}
	}
	// The built-in plant: 96 pistons a day (4 a sedan, 6 an SUV, mix 3:2);
	// the made engines' lead time is the time to make a container.
	for _, l := range Sizing(sim.Default(), SizingOptions{SafetyPct: 10}) {
		switch l.Item {
		case "piston":
			if l.DemandPerDay != 96 || l.LeadMinutes != 480 || l.Formula != 2 {
				t.Errorf("%+v", l)
			}
		case "engine4":
			if l.LeadMinutes != 3*30+30+20 || l.MinValid != 2 {
				t.Errorf("%+v", l)
			}
		case "block6": // 8 a day, 480 min, containers of 2: 8/960 × 480 × 1.1 / 2 = 2.2
			if l.Formula != 3 || l.Suggested != 3 || l.Flag != "over-sized" {
				t.Errorf("%+v", l)
			}
		}
	}
}

// The plant with suggested cards is a valid plant with those cards, and
// runs without a stall.
func TestSuggestedPlantRuns(t *testing.T) {
	m := sim.Default()
	sizes := Sizing(m, SizingOptions{SafetyPct: 10})
	cards := map[string]int{}
	for _, s := range sizes {
		cards[s.Item] = s.Suggested
	}
	text, err := sim.SetCards("suggested.yaml", sim.DefaultYAML(), cards)
	if err != nil {
		t.Fatal(err)
	}
	p, err := sim.Decode("suggested.yaml", text)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range p.Loops {
		if l.Cards != cards[l.Item] {
			t.Errorf("%s: %d cards, suggested %d", l.Item, l.Cards, cards[l.Item])
		}
	}
	for _, s := range Sizing(p, SizingOptions{SafetyPct: 10}) {
		if s.Flag != "" {
			t.Errorf("the suggested plant flags %s %s", s.Item, s.Flag)
		}
	}
	if _, err := p.Run(sim.Options{Days: 30, Seed: 5, Disturb: sim.AllDisturbances}); err != nil {
		t.Error(err)
	}
}
