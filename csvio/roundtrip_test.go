package csvio

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/eventio"
	"github.com/backflush/backflush/scenario"
	"github.com/backflush/backflush/sim"
)

// stripLines zeroes the source lines, which say where data was read from
// and are not part of it.
func stripLines(p *bf.Plant) *bf.Plant {
	c := *p
	c.Items = append([]bf.Item(nil), p.Items...)
	// The CSV master data has no plant-level section: a plant-wide fixed
	// overhead budget leaves as each item's derived share and rate, the
	// same standards stated per item.
	c.FixedOverhead = nil
	// Nor has it a place for the plant's standard conversion rate per
	// hour, which only a scenario states.
	c.ConversionRate = 0
	for i := range c.Items {
		it := &c.Items[i]
		it.PlantShare, it.MachineMinutes, it.LabourMinutes = false, 0, 0
		it.Line = 0
		it.BOM = append([]bf.BOMLine(nil), it.BOM...)
		for j := range it.BOM {
			it.BOM[j].Line = 0
		}
	}
	return &c
}

func stripEvents(evs []bf.Event) []bf.Event {
	out := append([]bf.Event(nil), evs...)
	for i := range out {
		out[i].Line = 0
	}
	return out
}

// roundTrip writes a plant's master data and reads it back.
func roundTrip(t *testing.T, p *bf.Plant) *bf.Plant {
	t.Helper()
	var items, bom bytes.Buffer
	if err := WriteItems(&items, p); err != nil {
		t.Fatal(err)
	}
	if err := WriteBOM(&bom, p); err != nil {
		t.Fatal(err)
	}
	got, skipped, err := ReadPlant(Source{"items.csv", &items}, Source{"bom.csv", &bom}, p.Name, Options{Currency: p.Currency})
	if err != nil {
		t.Fatalf("reading back: %v\nitems:\n%s", err, items.String())
	}
	if len(skipped) > 0 {
		t.Fatalf("skipped %v", skipped)
	}
	return got
}

func samplePlants(t *testing.T) map[string]*bf.Config {
	files, _ := filepath.Glob("../testdata/*/scenario.yaml")
	more, _ := filepath.Glob("../examples/*.yaml")
	out := map[string]*bf.Config{}
	for _, f := range append(files, more...) {
		sc, err := scenario.Load(f)
		if err != nil {
			t.Fatal(err)
		}
		out[f] = sc
	}
	m := sim.Default()
	out["sim default plant"] = &bf.Config{Name: m.Name, Plant: m.Plant}
	if len(out) < 5 {
		t.Fatalf("only %d sample plants", len(out))
	}
	return out
}

// TestRoundTripSamplePlants: import(export(plant)) == plant for every
// sample plant, and its events survive the CSV and the scenario file.
func TestRoundTripSamplePlants(t *testing.T) {
	for name, sc := range samplePlants(t) {
		t.Run(name, func(t *testing.T) {
			want := stripLines(&sc.Plant)
			got := roundTrip(t, &sc.Plant)
			if !reflect.DeepEqual(stripLines(got), want) {
				t.Fatalf("plant differs:\n got %+v\nwant %+v", stripLines(got).Items, want.Items)
			}
			var evs bytes.Buffer
			if err := eventio.WriteCSV(&evs, sc.Events, sc.Plant.Currency.Scale); err != nil {
				t.Fatal(err)
			}
			back, skipped, err := ReadEvents(Source{"events.csv", &evs}, got, Options{})
			if err != nil || len(skipped) > 0 {
				t.Fatalf("events: %v %v", err, skipped)
			}
			if !reflect.DeepEqual(stripEvents(back), stripEvents(sc.Events)) && len(sc.Events) > 0 {
				t.Fatalf("events differ")
			}
			// The scenario file written from the import reads back the same.
			var y bytes.Buffer
			if err := scenario.Write(&y, &bf.Config{Plant: *got, Chart: sc.Chart, Events: back}, []string{"test"}); err != nil {
				t.Fatal(err)
			}
			sc2, err := scenario.Decode("written.yaml", y.Bytes())
			if err != nil {
				t.Fatalf("%v\n%s", err, y.String())
			}
			if !reflect.DeepEqual(stripLines(&sc2.Plant), want) || sc2.Chart != sc.Chart {
				t.Fatalf("scenario plant differs:\n%s", y.String())
			}
			if !reflect.DeepEqual(stripEvents(sc2.Events), stripEvents(sc.Events)) && len(sc.Events) > 0 {
				t.Fatalf("scenario events differ:\n%s", y.String())
			}
		})
	}
}

// randomPlant makes a valid plant with every kind of item, multi-level
// BOMs, phantoms, scrap, fixed overhead given directly and by budget, and
// costs with all nine decimals.
func randomPlant(r *rand.Rand) *bf.Plant {
	p := &bf.Plant{Name: "random", Currency: bf.Currency{Code: "EUR", Scale: 2}}
	cost := func() bf.Cost { return bf.Cost(r.Int64N(1_000_000_000_000) + 1) }
	word := func() string {
		w := []string{"bolt", "nut", "Gehäuse", "panel, left", "tube \"A\"", "coat", "frame", ""}
		return w[r.IntN(len(w))]
	}
	nm := 1 + r.IntN(6)
	for i := range nm {
		p.Items = append(p.Items, bf.Item{ID: fmt.Sprintf("m%d", i), Name: word(), Kind: bf.Material, UOM: "kg", StandardCost: cost(),
			Price: bf.Cost(r.Int64N(3)) * cost(), Class: []string{"", "raw"}[r.IntN(2)]})
	}
	nmade := 1 + r.IntN(7)
	for i := range nmade {
		kinds := []bf.ItemKind{bf.Assembly, bf.Finished, bf.Phantom}
		it := bf.Item{ID: fmt.Sprintf("x%d", i), Name: word(), Kind: kinds[r.IntN(3)], UOM: "ea"}
		it.ConversionCost = bf.Cost(r.Int64N(2)) * cost()
		switch r.IntN(3) {
		case 1:
			it.FixedConversion = it.ConversionCost / 3
		case 2:
			if it.Kind != bf.Phantom {
				it.FixedBudget = bf.Money(r.Int64N(10_000_000))
				it.Denominator = bf.Qty(r.Int64N(1_000_000_000) + 1)
				rate, _ := bf.RateOf(it.FixedBudget, 2, it.Denominator)
				it.FixedConversion = rate
				if it.ConversionCost < rate {
					it.ConversionCost = rate + bf.Cost(r.Int64N(1000))
				}
			}
		}
		if it.Kind == bf.Finished {
			it.Price, it.SellingCost, it.NRV = cost(), bf.Cost(r.Int64N(2))*cost(), bf.Cost(r.Int64N(2))*cost()
		}
		if r.IntN(4) == 0 {
			it.Shortage = bf.Shortage(r.IntN(3))
		}
		// Components come from the items before this one: no cycle.
		n := 1 + r.IntN(4)
		for range n {
			c := p.Items[r.IntN(len(p.Items))]
			it.BOM = append(it.BOM, bf.BOMLine{Item: c.ID, Qty: bf.Qty(r.Int64N(10_000_000) + 1), ScrapPct: bf.Pct(r.Int64N(3) * r.Int64N(50_000_000))})
		}
		p.Items = append(p.Items, it)
	}
	// Shuffle, so components do not always come first.
	r.Shuffle(len(p.Items), func(i, j int) { p.Items[i], p.Items[j] = p.Items[j], p.Items[i] })
	return p
}

func TestRoundTripRandomPlants(t *testing.T) {
	r := rand.New(rand.NewPCG(6, 6))
	for i := range 300 {
		p := randomPlant(r)
		if err := p.Validate(); err != nil {
			t.Fatalf("plant %d is not valid: %v", i, err)
		}
		got := roundTrip(t, p)
		if !reflect.DeepEqual(stripLines(got), stripLines(p)) {
			t.Fatalf("plant %d differs:\n got %+v\nwant %+v", i, got.Items, p.Items)
		}
	}
}

// TestEventFieldsAllWritten fails when bf.EventFields gains a field the
// writer does not know, or one it never fills in: its column would be
// silently empty.
func TestEventFieldsAllWritten(t *testing.T) {
	probes := []bf.Event{
		{ID: "a", Date: 1, Type: bf.Purchase, Item: "m", Qty: 1, UnitCost: 1, Memo: "x"},
		{ID: "b", Date: 1, Type: bf.Complete, Item: "m", Qty: 1, ScrapQty: 1},
		{ID: "c", Date: 1, Type: bf.Sale, Item: "m", Qty: 1, UnitPrice: 1},
		{ID: "d", Date: 1, Type: bf.ConversionCost, Amount: 1, Behavior: bf.Fixed},
		{ID: "h", Date: 1, Type: bf.ConversionCost, Amount: 1, Hours: 1},
		{ID: "e", Date: 1, Type: bf.WIPCount, Item: "m", Qty: 1, MaterialsPct: 1, ConversionPct: 1},
		{ID: "f", Date: 1, Type: bf.Reverse, Reverses: "a"},
		{ID: "g", Date: 1, Type: bf.Close, Reason: "queue checked"},
	}
	for _, f := range bf.EventFields {
		if _, known := (&bf.Event{}).Get(f, 2); !known {
			t.Errorf("EventField does not write %q", f)
		}
		shown := false
		for i := range probes {
			v, _ := probes[i].Get(f, 2)
			shown = shown || v != ""
		}
		if !shown {
			t.Errorf("EventField never writes a value of %q", f)
		}
	}
	if !strings.Contains(strings.Join(bf.EventFields, ","), "id,date,type") {
		t.Errorf("event fields %v", bf.EventFields)
	}
}
