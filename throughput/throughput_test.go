package throughput_test

import (
	"strings"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/throughput"
)

// TestKaplanX is the Kaplan ACCA PM workbook's X Limited: price 85, material
// 42.50, 1.5 bottleneck hours a unit, 10 machines × 40 hours a week, factory
// costs 8,000 a week. Return per factory hour 28.33, cost per factory hour
// 20, TA ratio 1.4167 (the book prints 1.4165 after rounding 28.33 first).
func TestKaplanX(t *testing.T) {
	ps := []throughput.Product{{ID: "x", Price: bf.Dollars(85), Material: 42_500_000_000, Minutes: []bf.Qty{bf.Units(90)}}}
	f := throughput.Factory{Capacity: []bf.Qty{bf.Units(400 * 60)}, OperatingExpenses: 800000, Scale: 2}
	an, err := throughput.Analyze(ps, f)
	if err != nil {
		t.Fatal(err)
	}
	a := an[0]
	for _, c := range []struct{ name, got, want string }{
		{"throughput per unit", a.ThroughputPerUnit.String(), "42.50"},
		{"return per factory hour", a.ReturnPerFactoryHour.Format(2), "28.33"},
		{"cost per factory hour", a.CostPerFactoryHour.Format(2), "20.00"},
		{"TA ratio", a.TARatio.String(), "1.4167"},
		{"per bottleneck minute", a.PerBottleneckMinute.String(), "0.4722"},
	} {
		if c.got != c.want {
			t.Errorf("%s = %s, want %s", c.name, c.got, c.want)
		}
	}
}

// TestMixOneBottleneck: 2,400 bottleneck minutes. A earns 30 a unit in 10
// minutes (3.00/min), B 50 in 20 (2.50/min), C 12 in 3 (4.00/min). Demand: A
// 100, B 200, C 300. C first: 300 units, 900 min; A: 100 units, 1,000 min;
// B: 500 min left → 25 units. Throughput 3,600 + 3,000 + 1,250 = 7,850; net
// profit after 5,000 of operating expenses 2,850.
func TestMixOneBottleneck(t *testing.T) {
	ps := []throughput.Product{
		{ID: "A", Price: bf.Dollars(70), Material: bf.Dollars(40), Minutes: []bf.Qty{bf.Units(10)}, Demand: bf.Units(100)},
		{ID: "B", Price: bf.Dollars(90), Material: bf.Dollars(40), Minutes: []bf.Qty{bf.Units(20)}, Demand: bf.Units(200)},
		{ID: "C", Price: bf.Dollars(20), Material: bf.Dollars(8), Minutes: []bf.Qty{bf.Units(3)}, Demand: bf.Units(300)},
	}
	f := throughput.Factory{Capacity: []bf.Qty{bf.Units(2400)}, OperatingExpenses: 500000, Scale: 2}
	an, _ := throughput.Analyze(ps, f)
	if an[2].Rank != 1 || an[0].Rank != 2 || an[1].Rank != 3 {
		t.Errorf("ranks %d %d %d, want C, A, B", an[0].Rank, an[1].Rank, an[2].Rank)
	}
	m, err := throughput.BestMix(ps, f)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range m.Lines {
		got = append(got, l.ID+"="+l.Units.String())
	}
	if strings.Join(got, " ") != "C=300 A=100 B=25" {
		t.Errorf("mix %v, want C=300 A=100 B=25", got)
	}
	if m.Throughput.Format(2) != "7850.00" || m.NetProfit.Format(2) != "2850.00" || m.Unused != 0 {
		t.Errorf("throughput %s, net profit %s, unused %s", m.Throughput.Format(2), m.NetProfit.Format(2), m.Unused)
	}
}

// TestMixSeveralConstraints: a second resource of 1,000 minutes where B takes
// 10 minutes a unit and C 2: the ranked mix needs 600 + 250 = 850 there, which
// fits; then shrink it to 700 so B (lowest ranked) loses 15 units.
func TestMixSeveralConstraints(t *testing.T) {
	ps := []throughput.Product{
		{ID: "A", Price: bf.Dollars(70), Material: bf.Dollars(40), Minutes: []bf.Qty{bf.Units(10), 0}, Demand: bf.Units(100)},
		{ID: "B", Price: bf.Dollars(90), Material: bf.Dollars(40), Minutes: []bf.Qty{bf.Units(20), bf.Units(10)}, Demand: bf.Units(200)},
		{ID: "C", Price: bf.Dollars(20), Material: bf.Dollars(8), Minutes: []bf.Qty{bf.Units(3), bf.Units(2)}, Demand: bf.Units(300)},
	}
	f := throughput.Factory{Capacity: []bf.Qty{bf.Units(2400), bf.Units(1000)}, OperatingExpenses: 0, Scale: 2}
	m, _ := throughput.BestMix(ps, f)
	if !strings.Contains(m.Note, "optimal") || strings.Contains(m.Note, "not guaranteed") {
		t.Errorf("non-binding second constraint: note %q", m.Note)
	}
	f.Capacity[1] = bf.Units(700)
	m, _ = throughput.BestMix(ps, f)
	if !strings.Contains(m.Note, "not guaranteed optimal") {
		t.Errorf("binding second constraint: note %q", m.Note)
	}
	last := m.Lines[len(m.Lines)-1]
	if last.ID != "B" || last.Units != bf.Units(10) {
		t.Errorf("B gets %s units, want 10 (700 − 600 for C = 100 minutes)", last.Units)
	}
}

func TestInvalid(t *testing.T) {
	ps := []throughput.Product{{ID: "x", Price: bf.Dollars(1), Minutes: []bf.Qty{bf.Units(1)}}}
	for _, f := range []throughput.Factory{
		{Capacity: []bf.Qty{0}},
		{Capacity: nil},
		{Capacity: []bf.Qty{bf.Units(1), bf.Units(2)}},
		{Capacity: []bf.Qty{bf.Units(1)}, OperatingExpenses: -1},
	} {
		if _, err := throughput.Analyze(ps, f); bf.ErrorKind(err) != bf.KindInvalid {
			t.Errorf("factory %+v: error %v, want invalid", f, err)
		}
	}
}

// TestMixOverflow: two products whose throughputs each fit but whose total
// does not: the mix is refused rather than its total wrapping around.
func TestMixOverflow(t *testing.T) {
	per := bf.Cost(9_000_000_000_000_000_000) // $9 billion a unit
	ps := []throughput.Product{
		{ID: "A", Price: per, Minutes: []bf.Qty{bf.Units(1)}, Demand: bf.Units(7_000_000)},
		{ID: "B", Price: per - 1, Minutes: []bf.Qty{bf.Units(1)}, Demand: bf.Units(7_000_000)},
	}
	f := throughput.Factory{Capacity: []bf.Qty{bf.Units(20_000_000)}, Scale: 2}
	if _, err := throughput.BestMix(ps, f); err == nil || bf.ErrorKind(err) != bf.KindInvalid {
		t.Fatalf("a mix whose throughput passes the range: %v", err)
	}
	ps[1].Demand = bf.Units(1)
	if _, err := throughput.BestMix(ps, f); err != nil {
		t.Fatalf("a mix whose throughput fits: %v", err)
	}
}
