package refmodel

import (
	"slices"
	"testing"

	bf "github.com/backflush/backflush"
)

// The reference must be right by itself: hand-worked cases.

func TestStandards(t *testing.T) {
	cents := func(c int64) bf.Cost { return CentsCost(c) }
	p := &bf.Plant{Items: []bf.Item{
		{ID: "m1", Kind: bf.Material, StandardCost: cents(100)},
		{ID: "m2", Kind: bf.Material, StandardCost: cents(30)},
		{ID: "ph1", Kind: bf.Phantom, ConversionCost: cents(10), BOM: []bf.BOMLine{{Item: "m2", Qty: bf.Units(2)}}},
		{ID: "a1", Kind: bf.Assembly, ConversionCost: cents(20), FixedConversion: cents(5),
			BOM: []bf.BOMLine{{Item: "m1", Qty: bf.Units(1), ScrapPct: 50_000_000}}},
		{ID: "f1", Kind: bf.Finished, ConversionCost: cents(100), FixedConversion: cents(40),
			BOM: []bf.BOMLine{{Item: "a1", Qty: bf.Units(3)}, {Item: "ph1", Qty: bf.Units(1)}}},
	}}
	s := Standards(p)
	f1, a1 := s.Index["f1"], s.Index["a1"]
	for _, c := range []struct {
		what      string
		got, want int64
	}{
		{"a1 material", s.Mat[a1], int64(cents(150))},
		{"f1 material", s.Mat[f1], int64(cents(510))},    // 3 × 1.50 + 2 × 0.30
		{"f1 conversion", s.Conv[f1], int64(cents(170))}, // 1.00 + 3 × 0.20 + 0.10
		{"f1 fixed", s.Fixed[f1], int64(cents(55))},      // 0.40 + 3 × 0.05
		{"f1 own", s.Own[f1], int64(cents(110))},         // 1.00 + the phantom's 0.10
		{"f1 variable", s.RolledFor(f1, bf.ScopeVariable), int64(cents(625))},
		{"f1 throughput", s.RolledFor(f1, bf.ScopeThroughput), int64(cents(510))},
		{"granule", s.Granule, 2}, // 3 × 1.5 and 1.5 need even quantities
	} {
		if c.got != c.want {
			t.Errorf("%s = %d, want %d", c.what, c.got, c.want)
		}
	}
	want := []Use{{Item: s.Index["m2"], Per: bf.Units(2)}, {Item: a1, Per: bf.Units(3)}}
	if !slices.Equal(s.Direct[f1], want) {
		t.Errorf("f1 direct = %v, want %v", s.Direct[f1], want)
	}
	if got := s.Direct[a1]; len(got) != 1 || got[0].Per != bf.Units(1)+bf.Units(1)/2 {
		t.Errorf("a1 direct = %v, want m1 × 1.5", got)
	}
}

func TestRound(t *testing.T) {
	half := bf.Units(1) / 2
	for _, c := range []struct {
		q    bf.Qty
		c    bf.Cost
		want bf.Money
	}{
		{half, CentsCost(1), 0},               // 0.005: a tie, to even
		{3 * half, CentsCost(1), 2},           // 0.015: a tie, to even
		{-3 * half, CentsCost(1), -2},         // and the same below zero
		{bf.Units(3), bf.Cost(12_345_000), 4}, // 0.037035
		{bf.Units(1), bf.Cost(14_999_999), 1},
	} {
		if got := Round(c.q, c.c); got != c.want {
			t.Errorf("Round(%s, %s) = %d, want %d", c.q, c.c, got, c.want)
		}
	}
}

func TestApportion(t *testing.T) {
	for _, c := range []struct {
		total   bf.Money
		weights []bf.Money
		want    []bf.Money
	}{
		{10, []bf.Money{1, 1, 1}, []bf.Money{4, 3, 3}}, // ties to the first
		{-10, []bf.Money{1, 1, 1}, []bf.Money{-4, -3, -3}},
		{5, []bf.Money{0, 0}, []bf.Money{0, 5}}, // no weight: all to the last
		{7, []bf.Money{2, 0, 5}, []bf.Money{2, 0, 5}},
		{100, []bf.Money{1, 2}, []bf.Money{33, 67}}, // 33.3 and 66.7: the larger remainder
	} {
		if got := Apportion(c.total, c.weights); !slices.Equal(got, c.want) {
			t.Errorf("Apportion(%d, %v) = %v, want %v", c.total, c.weights, got, c.want)
		}
	}
}

// TestArrivals: an order of arrival is a permutation that keeps each day's
// events in order and brings every close after the events before it, and
// with some jitter it does bring events out of date order.
func TestArrivals(t *testing.T) {
	var evs []bf.Event
	for i := range 60 {
		e := bf.Event{ID: string(rune('A' + i)), Date: bf.Date(20666 + i/3), Type: bf.Purchase}
		if i%10 == 9 {
			e.Type = bf.Close
		}
		evs = append(evs, e)
	}
	late := 0
	for seed := uint64(1); seed <= 50; seed++ {
		order := Arrivals(Rand(seed, 1), evs, 12)
		at := make([]int, len(evs)) // event → its place of arrival, +1
		for k, i := range order {
			if at[i] != 0 {
				t.Fatalf("seed %d: event %d arrives twice", seed, i)
			}
			at[i] = k + 1
		}
		if len(order) != len(evs) {
			t.Fatalf("seed %d: %d arrivals of %d events", seed, len(order), len(evs))
		}
		for i, e := range evs {
			if i > 0 && evs[i-1].Date == e.Date && at[i-1] > at[i] {
				t.Fatalf("seed %d: events %d and %d of one day arrive out of order", seed, i-1, i)
			}
			for j := range i {
				if e.Type == bf.Close && at[j] > at[i] {
					t.Fatalf("seed %d: event %d arrives after the close %d", seed, j, i)
				}
			}
		}
		last := bf.Date(0)
		for _, i := range order {
			if evs[i].Date < last {
				late++
			}
			last = max(last, evs[i].Date)
		}
	}
	if late == 0 {
		t.Error("no event ever arrived out of date order")
	}
}
