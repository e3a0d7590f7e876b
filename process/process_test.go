package process_test

import (
	"strings"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/process"
)

// fenton is Horngren, Datar & Rajan, Cost Accounting 14e, 17-19 to 17-22:
// Fenton Watches, May.
func fenton() *process.Period {
	return &process.Period{
		BeginUnits: bf.Units(80), Started: bf.Units(500), Completed: bf.Units(460), EndUnits: bf.Units(120),
		Scale: 2,
		Elements: []process.Element{
			{Name: "direct materials", BeginPct: 90_000_000, BeginCost: 49336000, Added: 322000000, EndPct: 60_000_000},
			{Name: "conversion", BeginPct: 40_000_000, BeginCost: 9104000, Added: 139200000, EndPct: 30_000_000},
		},
	}
}

func TestFenton(t *testing.T) {
	tests := []struct {
		m                process.Method
		eu               [2]string
		perEU            [2]string
		transferred, wip string
	}{
		{process.WeightedAverage, [2]string{"532", "496"}, [2]string{"6980.00", "2990.00"}, "4586200.00", "610200.00"},
		{process.FIFO, [2]string{"460", "464"}, [2]string{"7000.00", "3000.00"}, "4584400.00", "612000.00"},
	}
	for _, tt := range tests {
		r, err := process.Cost(fenton(), tt.m)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 2 {
			if got := r.Elements[i].EquivalentUnits.String(); got != tt.eu[i] {
				t.Errorf("%s %s: equivalent units %s, want %s", tt.m, r.Elements[i].Name, got, tt.eu[i])
			}
			if got := r.Elements[i].CostPerEU.String(); got != tt.perEU[i] {
				t.Errorf("%s %s: cost per EU %s, want %s", tt.m, r.Elements[i].Name, got, tt.perEU[i])
			}
		}
		if got := r.TransferredOut.Format(2); got != tt.transferred {
			t.Errorf("%s: transferred out %s, want %s", tt.m, got, tt.transferred)
		}
		if got := r.EndingWIP.Format(2); got != tt.wip {
			t.Errorf("%s: ending WIP %s, want %s", tt.m, got, tt.wip)
		}
		if r.TransferredOut+r.EndingWIP != r.TotalCost || r.TotalCost.Format(2) != "5196400.00" {
			t.Errorf("%s: %s + %s does not account for %s", tt.m, r.TransferredOut.Format(2), r.EndingWIP.Format(2), r.TotalCost.Format(2))
		}
	}
}

// TestRoundingResidue checks that a cost per EU that does not divide evenly
// still accounts for every cent: 100.00 over 3 equivalent units.
func TestRoundingResidue(t *testing.T) {
	p := &process.Period{Started: bf.Units(3), Completed: bf.Units(2), EndUnits: bf.Units(1), Scale: 2,
		Elements: []process.Element{{Name: "m", Added: 10000, EndPct: 100_000_000}}}
	r, err := process.Cost(p, process.FIFO)
	if err != nil {
		t.Fatal(err)
	}
	if r.EndingWIP.Format(2) != "33.33" || r.TransferredOut.Format(2) != "66.67" {
		t.Errorf("ending %s, transferred %s; want 33.33 and 66.67", r.EndingWIP.Format(2), r.TransferredOut.Format(2))
	}
	if r.Elements[0].CostPerEU.String() != "33.333333333" {
		t.Errorf("cost per EU %s", r.Elements[0].CostPerEU)
	}
}

func TestInvalid(t *testing.T) {
	tests := []struct {
		mutate func(p *process.Period)
		want   string
	}{
		{func(p *process.Period) { p.Elements[0].EndPct = 101_000_000 }, "between 0 and 100"},
		{func(p *process.Period) { p.Elements[1].BeginPct = -1 }, "between 0 and 100"},
		{func(p *process.Period) { p.EndUnits = bf.Units(119) }, "must equal completed"},
		{func(p *process.Period) { p.Completed, p.EndUnits = bf.Units(60), bf.Units(520) }, "fewer units completed"}, // FIFO only
		{func(p *process.Period) { p.Elements = nil }, "at least one cost element"},
	}
	for _, tt := range tests {
		p := fenton()
		tt.mutate(p)
		_, err := process.Cost(p, process.FIFO)
		if err == nil || !strings.Contains(err.Error(), tt.want) || bf.ErrorKind(err) != bf.KindInvalid {
			t.Errorf("error %v, want invalid containing %q", err, tt.want)
		}
	}
}
