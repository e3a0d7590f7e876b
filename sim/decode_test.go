package sim_test

import (
	"errors"
	"strings"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/sim"
)

const plantFile = "plant.yaml"

// mutation is the built-in plant with one text replaced.
type mutation struct {
	name     string
	old, new string
	at       string // the line the error must name: the first line holding this text after the change
	kind     bf.Kind
	field    string
	reason   string
}

var mutations = []mutation{
	{"not YAML", "name: Sample JIT vehicle plant", "name: [Sample", "", bf.KindInvalid, "", "not valid YAML"},
	{"unknown plant field", "day_minutes: 960", "day_minutes: 960\ncolour: red", "colour: red", bf.KindInvalid, "colour", "is not a plant field"},
	{"field twice", "day_minutes: 960", "day_minutes: 960\nday_minutes: 480", "day_minutes: 480", bf.KindInvalid, "day_minutes", "is given twice"},
	{"bad date", "start: 2026-06-01", "start: 2026-06-31", "start: 2026-06-31", bf.KindInvalid, "start", "June 2026 has 30 days"},
	{"start missing", "start: 2026-06-01\n", "", "name: Sample", bf.KindInvalid, "start", "is missing"},
	{"day too long", "day_minutes: 960", "day_minutes: 2000", "day_minutes: 2000", bf.KindInvalid, "day_minutes", "60 to 1440"},
	{"item field misspelt", "uom: ea, standard_cost: 2100.00}", "uom: ea, cost: 2100.00}", "cost: 2100.00}", bf.KindInvalid, "cost", "is not an item field"},
	{"bad cost", "standard_cost: 2100.00}", "standard_cost: 2100.0000000001}", "standard_cost: 2100.0000000001}", bf.KindInvalid, "standard_cost", "decimal places"},
	{"BOM cycle", "bom: [{item: block4, qty: 1}, {item: piston, qty: 4}]", "bom: [{item: block4, qty: 1}, {item: sedan, qty: 1}]", "id: engine4", bf.KindInvalid, "bom", "BOM cycle"},
	{"process field misspelt", "transport_minutes: 20,", "transprot_minutes: 20,", "transprot_minutes", bf.KindInvalid, "processes.transprot_minutes", "is not a process field"},
	{"negative lead time", "lead_minutes: 480, on_time_pct: 85", "lead_minutes: -5, on_time_pct: 85", "lead_minutes: -5", bf.KindInvalid, "suppliers.lead_minutes", "whole number"},
	{"exponent", "orders_per_day: 20", "orders_per_day: 2e1", "orders_per_day: 2e1", bf.KindInvalid, "demand.orders_per_day", "not a decimal number"},
	{"made by nobody known", "makes: [engine4, engine6]", "makes: [engine4, engine8]", "makes: [engine4, engine8]", bf.KindNotFound, "processes.makes", `unknown item "engine8"`},
	{"made twice", "makes: [body_s, body_v]", "makes: [body_s, body_v, engine4]", "makes: [body_s, body_v, engine4]", bf.KindInvalid, "processes.makes", "is made by process engine too"},
	{"no maker", "makes: [body_s, body_v]", "makes: [body_s]", "id: body_v", bf.KindInvalid, "processes", "no process makes this item"},
	{"no loop", "  - {item: harness, cards: 3, container: 10}\n", "", "id: harness", bf.KindInvalid, "kanban", "needs a kanban loop"},
	{"loop too small", "{item: tyre, cards: 4, container: 20}", "{item: tyre, cards: 2, container: 3}", "{item: tyre, cards: 2", bf.KindInvalid, "kanban", "cannot hold the 4 that one batch of sedan withdraws"},
	{"one card", "{item: engine6, cards: 3, container: 2}", "{item: engine6, cards: 1, container: 2}", "{item: engine6, cards: 1", bf.KindInvalid, "kanban", "in use"},
	{"loop twice", "{item: seat, cards: 3, container: 24}", "{item: seat, cards: 3, container: 24}\n  - {item: seat, cards: 1, container: 1}", "{item: seat, cards: 1", bf.KindInvalid, "kanban.item", "two kanban loops"},
	{"loop for a finished item", "{item: seat, cards: 3, container: 24}", "{item: seat, cards: 3, container: 24}\n  - {item: sedan, cards: 2, container: 1}", "{item: sedan, cards: 2", bf.KindInvalid, "kanban.item", "made to order"},
	{"fractional engines", "{item: engine4, cards: 3, container: 2}", "{item: engine4, cards: 3, container: 2.5}", "container: 2.5", bf.KindInvalid, "kanban.container", "whole units"},
	{"no supplier", "items: [harness]", "items: []", "id: harness", bf.KindInvalid, "suppliers", "no supplier delivers"},
	{"supplier of an assembly", "items: [harness]", "items: [harness, engine4]", "items: [harness, engine4]", bf.KindInvalid, "suppliers.items", "suppliers deliver materials"},
	{"price of another's item", "reject_ppm: 1000}", "reject_ppm: 1000, prices: {tyre: 1.00}}", "prices: {tyre", bf.KindInvalid, "suppliers.prices", "does not deliver"},
	{"late range", "late_minutes: [120, 720]", "late_minutes: [720, 120]", "late_minutes: [720, 120]", bf.KindInvalid, "suppliers.late_minutes", "min <= max"},
	{"mix of an assembly", "mix: {sedan: 3, suv: 2}", "mix: {sedan: 3, engine4: 2}", "mix: {sedan: 3, engine4", bf.KindInvalid, "demand.mix", "customers order finished items"},
	{"surge too small", "factor: 1.6}", "factor: 0.5}", "factor: 0.5}", bf.KindInvalid, "demand.surge.factor", "1 to 10"},
	{"defects too high", "defect_pct: 2,", "defect_pct: 60,", "defect_pct: 60,", bf.KindInvalid, "processes.defect_pct", "0 to 50"},
	{"run-out backwards", "run_out: {plan_minutes: 6720, cutoff_minutes: 1440}", "run_out: {plan_minutes: 60, cutoff_minutes: 1440}", "run_out:", bf.KindInvalid, "run_out", "cutoff_minutes <= plan_minutes"},
	{"negative demand", "orders_per_day: 20", "orders_per_day: -1", "orders_per_day: -1", bf.KindInvalid, "demand.orders_per_day", "must not be negative"},
	{"two documents", "run_out: {plan_minutes: 6720, cutoff_minutes: 1440}", "run_out: {plan_minutes: 6720, cutoff_minutes: 1440}\n---\nname: x", "---", bf.KindInvalid, "", "only one YAML document"},
}

func TestDecodeErrors(t *testing.T) {
	base := string(sim.DefaultYAML())
	for _, mu := range mutations {
		t.Run(mu.name, func(t *testing.T) {
			if !strings.Contains(base, mu.old) {
				t.Fatalf("the built-in plant lacks %q", mu.old)
			}
			text := strings.Replace(base, mu.old, mu.new, 1)
			_, err := sim.Decode(plantFile, []byte(text))
			var e *bf.Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v, want a *bf.Error", err)
			}
			if e.File != plantFile || e.Kind != mu.kind || e.Field != mu.field || !strings.Contains(e.Error(), mu.reason) {
				t.Errorf("got %q (kind %v, field %q), want kind %v, field %q, reason %q", err, e.Kind, e.Field, mu.kind, mu.field, mu.reason)
			}
			if mu.at != "" {
				want := 0
				for n, line := range strings.Split(text, "\n") {
					if strings.Contains(line, mu.at) {
						want = n + 1
						break
					}
				}
				if e.Line != want {
					t.Errorf("%q: line %d, want %d (the line of %q)", err, e.Line, want, mu.at)
				}
				if !strings.HasPrefix(err.Error(), plantFile+":") {
					t.Errorf("%q does not start with the file and line", err)
				}
			} else if e.Line == 0 {
				t.Errorf("%q names no line", err)
			}
		})
	}
}

func TestDefaultPlantIsABookablePlant(t *testing.T) {
	m := sim.Default()
	if _, err := costing.Compile(&m.Plant); err != nil {
		t.Fatal(err)
	}
	kinds := map[bf.ItemKind]int{}
	for _, it := range m.Plant.Items {
		kinds[it.Kind]++
	}
	if kinds[bf.Material] == 0 || kinds[bf.Assembly] == 0 || kinds[bf.Finished] < 2 {
		t.Errorf("the built-in plant has %v kinds of items: it needs materials, assemblies and vehicle types", kinds)
	}
	if len(m.Demand.Mix) < 2 || m.RunOut == nil || m.Demand.Surge == nil {
		t.Error("the built-in plant needs a mix of vehicles, a surge and a run-out")
	}
	if _, err := sim.Load("no/such/plant.yaml"); bf.ErrorKind(err) != bf.KindNotFound {
		t.Errorf("missing file: %v", err)
	}
}

// FuzzDecode feeds the decoder mangled plants. It must never panic; an
// error is always a *bf.Error naming the file; and a plant that decodes
// runs, and its events are accepted by the books.
func FuzzDecode(f *testing.F) {
	base := string(sim.DefaultYAML())
	f.Add([]byte(base))
	for _, mu := range mutations {
		f.Add([]byte(strings.Replace(base, mu.old, mu.new, 1)))
	}
	f.Add([]byte("name: x\nstart: 2026-01-01\nitems: []\nprocesses: []\ndemand: {}\n"))
	f.Add([]byte("{}"))
	f.Add([]byte("- 1\n- 2\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := sim.Decode(plantFile, data)
		if err != nil {
			var e *bf.Error
			if !errors.As(err, &e) || e.File != plantFile || e.Error() == "" {
				t.Fatalf("error %v (%T) is not a *bf.Error naming the file", err, err)
			}
			return
		}
		r, err := m.Run(sim.Options{Days: 1, Seed: 1, Disturb: sim.AllDisturbances})
		if err != nil {
			t.Fatalf("a plant that decodes does not run: %v", err)
		}
		for k := range r.Events {
			if err := r.Events[k].Validate(); err != nil {
				t.Fatalf("event %d is invalid: %v", k, err)
			}
		}
		std, err := costing.Compile(&m.Plant)
		if err != nil {
			return // standards out of the fixed-point range: the books refuse the plant
		}
		l, err := costing.NewLedger(std, bf.DefaultBooks(), bf.CloseToCOGS)
		if err != nil {
			t.Fatal(err)
		}
		if err := costing.PostAll(l, r.Events, "fuzz"); err != nil && !strings.Contains(err.Error(), "overflow") {
			t.Fatalf("the books refuse the simulated events: %v", err)
		}
	})
}

// A line that makes an item and one of its components would wait at the
// head of its fixed sequence for work queued behind it: refused, naming
// the file, the line and the process.
func TestProcessWaitsForItself(t *testing.T) {
	base := string(sim.DefaultYAML())
	text := strings.Replace(base, "makes: [engine4, engine6]", "makes: [engine6]", 1)
	text = strings.Replace(text, "makes: [sedan, suv]", "makes: [sedan, suv, engine4]", 1)
	_, err := sim.Decode(plantFile, []byte(text))
	if err == nil || !strings.HasPrefix(err.Error(), plantFile+":88: field processes.makes: process assembly makes an item and") {
		t.Errorf("got %v", err)
	}
}

// Zero demand is a plant that only fills its loops: no orders, and the
// measures that need orders are n/a rather than 100%.
func TestZeroDemand(t *testing.T) {
	text := strings.Replace(string(sim.DefaultYAML()), "orders_per_day: 20", "orders_per_day: 0", 1)
	m, err := sim.Decode(plantFile, []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	r, err := m.Run(sim.Options{Days: 3, Seed: 1, Disturb: sim.AllDisturbances})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Orders) != 0 || len(r.Waits) != 0 {
		t.Errorf("%d orders, %d stock-outs with no demand", len(r.Orders), len(r.Waits))
	}
}
