package sim_test

import (
	"bytes"
	"encoding/csv"
	"reflect"
	"strings"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/eventio"
	"github.com/backflush/backflush/sim"
)

// month runs the built-in plant for 30 days.
func month(t *testing.T, seed uint64, d sim.Disturbances) (*sim.Model, *sim.Result) {
	t.Helper()
	m := sim.Default()
	r, err := m.Run(sim.Options{Days: 30, Seed: seed, Disturb: d})
	if err != nil {
		t.Fatal(err)
	}
	return m, r
}

// every disturbance setting the invariants must hold under.
var settings = []sim.Disturbances{0, sim.LateSuppliers, sim.Defects, sim.DemandSurge, sim.AllDisturbances}

func TestSameSeedSameEvents(t *testing.T) {
	for _, d := range []sim.Disturbances{0, sim.AllDisturbances} {
		_, a := month(t, 7, d)
		_, b := month(t, 7, d)
		if !reflect.DeepEqual(a.Events, b.Events) {
			t.Fatalf("%v: two runs with seed 7 differ", d)
		}
		if !reflect.DeepEqual(a.Orders, b.Orders) || !reflect.DeepEqual(a.Daily, b.Daily) || !reflect.DeepEqual(a.Loops, b.Loops) {
			t.Fatalf("%v: two runs with seed 7 keep different records", d)
		}
		_, c := month(t, 8, d)
		if reflect.DeepEqual(a.Events, c.Events) {
			t.Fatalf("%v: seeds 7 and 8 give the same events", d)
		}
	}
}

// Switching a disturbance on must not change the draws of the others: the
// customer orders of a run with late suppliers are those of the steady run.
func TestDisturbancesKeepTheOrderStream(t *testing.T) {
	_, steady := month(t, 3, 0)
	_, late := month(t, 3, sim.LateSuppliers|sim.Defects)
	if !reflect.DeepEqual(steady.Orders[:0], late.Orders[:0]) || len(steady.Orders) != len(late.Orders) {
		t.Fatalf("%d orders steady, %d with late suppliers and defects", len(steady.Orders), len(late.Orders))
	}
	for i := range steady.Orders {
		a, b := steady.Orders[i], late.Orders[i]
		if a.ID != b.ID || a.Item != b.Item || a.Arrival != b.Arrival {
			t.Fatalf("order %d: %+v steady, %+v disturbed", i, a, b)
		}
	}
	_, surge := month(t, 3, sim.DemandSurge)
	if len(surge.Orders) <= len(steady.Orders) {
		t.Errorf("the surge brought %d orders, steady %d", len(surge.Orders), len(steady.Orders))
	}
	late2 := 0
	for _, d := range late.Deliveries {
		if d.Arrived > d.Due {
			late2++
		}
	}
	if late2 == 0 {
		t.Error("no late delivery with late suppliers switched on")
	}
	for _, d := range steady.Deliveries {
		if d.Arrived > d.Due || d.Rejected != 0 {
			t.Fatalf("steady run: delivery %+v late or rejected", d)
		}
	}
	for pi, p := range steady.Processes {
		if p.Scrap != 0 {
			t.Errorf("steady run: process %d scrapped %d", pi, p.Scrap)
		}
	}
	var scrap int64
	for _, p := range late.Processes {
		scrap += p.Scrap
	}
	if scrap == 0 {
		t.Error("no scrap with defects switched on")
	}
}

// flow replays the events physically: what came in (bought or made good),
// what was used by starts (through the exploded BOM), sold and left in
// process.
type flow struct {
	in, used, sold, onHand, inProcess []bf.Qty
}

func replay(t *testing.T, m *sim.Model, events []bf.Event, check func(i int, f *flow, e *bf.Event)) *flow {
	t.Helper()
	n := len(m.Plant.Items)
	f := &flow{make([]bf.Qty, n), make([]bf.Qty, n), make([]bf.Qty, n), make([]bf.Qty, n), make([]bf.Qty, n)}
	for k := range events {
		e := &events[k]
		i := -1
		if e.Item != "" {
			var ok bool
			if i, ok = m.Index(e.Item); !ok {
				t.Fatalf("event %s names unknown item %s", e.ID, e.Item)
			}
		}
		switch e.Type {
		case bf.Purchase:
			f.in[i] += e.Qty
			f.onHand[i] += e.Qty
		case bf.Start:
			f.inProcess[i] += e.Qty
			for _, u := range m.Direct(i) {
				q, _ := bf.MulQty(e.Qty, u.Per)
				f.used[u.Item] += q
				f.onHand[u.Item] -= q
			}
		case bf.Complete:
			f.inProcess[i] -= e.Qty + e.ScrapQty
			f.in[i] += e.Qty
			f.onHand[i] += e.Qty
		case bf.Sale:
			f.sold[i] += e.Qty
			f.onHand[i] -= e.Qty
		case bf.Count:
			if e.Qty != f.onHand[i] {
				t.Fatalf("count %s finds %s of %s, the events leave %s", e.ID, e.Qty, e.Item, f.onHand[i])
			}
		}
		if check != nil {
			check(i, f, e)
		}
	}
	return f
}

func TestUnitsConserved(t *testing.T) {
	for _, d := range settings {
		m, r := month(t, 11, d)
		f := replay(t, m, r.Events, nil)
		last := r.Daily[len(r.Daily)-1]
		for i := range m.Plant.Items {
			id := m.Plant.Items[i].ID
			// made (or bought) = used + sold + on hand
			if f.in[i] != f.used[i]+f.sold[i]+last.OnHand[i] {
				t.Errorf("%v: %s: in %s != used %s + sold %s + on hand %s", d, id, f.in[i], f.used[i], f.sold[i], last.OnHand[i])
			}
			if f.inProcess[i] != last.InProcess[i] {
				t.Errorf("%v: %s: %s in process by the events, %s by the plant", d, id, f.inProcess[i], last.InProcess[i])
			}
		}
		var scrapped int64
		for pi, p := range r.Processes {
			scrapped += p.Scrap
			// Started = good delivered + scrapped + still on the line or on the way.
			var good, in bf.Qty
			for _, id := range m.Processes[pi].Makes {
				i, _ := m.Index(id)
				good += f.in[i]
				in += last.InProcess[i]
			}
			if bf.Units(p.Started) != good+bf.Units(p.Scrap)+in || p.Good < int64(good/bf.Units(1)) {
				t.Errorf("%v: %s: started %d, %s good delivered (%d off the line), %d scrapped, %s in process", d, m.Processes[pi].ID, p.Started, good, p.Good, p.Scrap, in)
			}
		}
		if (scrapped > 0) != (d&sim.Defects != 0) {
			t.Errorf("%v: %d units scrapped", d, scrapped)
		}
	}
}

// A process makes only what was withdrawn: at every event, the good units
// of an assembly made so far never exceed what its users have withdrawn
// plus the loop's cards × container (the first fill) and what was replaced
// under special kanban (rejects and scrap), and finished items are made
// only for orders.
func TestMakesOnlyWhatWasWithdrawn(t *testing.T) {
	for _, d := range settings {
		m, r := month(t, 5, d)
		fill := make([]bf.Qty, len(m.Plant.Items))
		for li, l := range m.Loops {
			i, _ := m.Index(l.Item)
			fill[i], _ = bf.MulQty(bf.Units(int64(l.Cards)), l.Container)
			ls := r.Loops[li]
			if ls.Special > 0 && d&sim.Defects == 0 {
				t.Errorf("%v: %s: %s replaced under special kanban without defects", d, l.Item, ls.Special)
			}
			fill[i] += ls.Special
			if ls.Ordered > fill[i]+ls.Withdrawn {
				t.Errorf("%v: %s: ordered %s, more than the fill %s and the %s withdrawn", d, l.Item, ls.Ordered, fill[i], ls.Withdrawn)
			}
			if ls.Received > ls.Ordered || ls.Sent > ls.Returned {
				t.Errorf("%v: %s: received %s of %s ordered; %d cards sent of %d returned", d, l.Item, ls.Received, ls.Ordered, ls.Sent, ls.Returned)
			}
			if ls.Post+ls.Out+ls.Attached != l.Cards {
				t.Errorf("%v: %s: %d cards on the post, %d out, %d on containers; the loop has %d", d, l.Item, ls.Post, ls.Out, ls.Attached, l.Cards)
			}
		}
		orders := map[string]int{}
		for _, o := range r.Orders {
			if o.Accepted {
				orders[m.Plant.Items[o.Item].ID]++
			}
		}
		good := map[string]bf.Qty{}
		replay(t, m, r.Events, func(i int, f *flow, e *bf.Event) {
			if e.Type != bf.Complete && e.Type != bf.Purchase {
				return
			}
			it := &m.Plant.Items[i]
			switch it.Kind {
			case bf.Assembly, bf.Material:
				if f.in[i] > fill[i]+f.used[i] {
					t.Fatalf("%v: event %s: %s made %s, withdrawn %s plus a fill of %s", d, e.ID, it.ID, f.in[i], f.used[i], fill[i])
				}
			case bf.Finished:
				good[it.ID] += e.Qty
				if good[it.ID] > bf.Units(int64(orders[it.ID])) {
					t.Fatalf("%v: event %s: %s units made, %d ordered", d, good[it.ID], it.ID, orders[it.ID])
				}
			}
		})
	}
}

// Without a run-out the loops are plain kanban: every card that comes back
// goes out again for a full container.
func TestPlainKanban(t *testing.T) {
	m := sim.Default()
	m.RunOut = nil
	r, err := m.Run(sim.Options{Days: 10, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	for li, ls := range r.Loops {
		l := m.Loops[li]
		want, _ := bf.MulQty(bf.Units(int64(ls.Returned)), l.Container)
		if ls.Sent != ls.Returned || ls.Post != 0 || ls.Ordered != want {
			t.Errorf("%s: %d cards returned, %d sent, %d on the post, ordered %s", l.Item, ls.Returned, ls.Sent, ls.Post, ls.Ordered)
		}
	}
	last := r.Daily[len(r.Daily)-1]
	var left bf.Qty
	for _, q := range last.OnHand {
		left += q
	}
	if left == 0 {
		t.Error("plain kanban left the stores empty: the loops hold no stock")
	}
}

func TestNoNegativeStock(t *testing.T) {
	for _, d := range settings {
		for seed := uint64(1); seed <= 3; seed++ {
			m, r := month(t, seed, d)
			if r.MinOnHand < 0 {
				t.Errorf("%v seed %d: stock fell to %s", d, seed, r.MinOnHand)
			}
			for _, s := range r.Daily {
				for i, q := range s.OnHand {
					if q < 0 || s.InProcess[i] < 0 {
						t.Fatalf("%v seed %d day %d: %s on hand %s, in process %s", d, seed, s.Day, m.Plant.Items[i].ID, q, s.InProcess[i])
					}
				}
			}
			// The books' own physical quantities never go negative either.
			l := ledger(t, m)
			for k := range r.Events {
				if err := l.Post(&r.Events[k]); err != nil {
					t.Fatal(err)
				}
				if it := r.Events[k].Item; it != "" {
					i, _ := l.Std.Lookup(it)
					for _, u := range m.Direct(int(i)) {
						if l.OnHand(int32(u.Item)) < 0 {
							t.Fatalf("%v: after %s the books hold %s of %s", d, r.Events[k].ID, l.OnHand(int32(u.Item)), m.Plant.Items[u.Item].ID)
						}
					}
				}
			}
		}
	}
}

func ledger(t *testing.T, m *sim.Model) *costing.Ledger {
	t.Helper()
	std, err := costing.Compile(&m.Plant)
	if err != nil {
		t.Fatal(err)
	}
	l, err := costing.NewLedger(std, bf.DefaultBooks(), bf.CloseToCOGS)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// The events are valid, uniquely named, in date order, post into the books
// without a refusal, and leave the books' quantities equal to the plant's.
func TestEventsPostIntoTheBooks(t *testing.T) {
	for _, d := range []sim.Disturbances{0, sim.AllDisturbances} {
		m, r := month(t, 1, d)
		seen := map[string]bool{}
		types := map[bf.EventType]int{}
		for k := range r.Events {
			e := &r.Events[k]
			if seen[e.ID] {
				t.Fatalf("id %s twice", e.ID)
			}
			seen[e.ID] = true
			types[e.Type]++
			if k > 0 && e.Date < r.Events[k-1].Date {
				t.Fatalf("%s dated %s after %s", e.ID, e.Date, r.Events[k-1].Date)
			}
			if e.Date < m.Start || e.Date >= m.Start+30 {
				t.Fatalf("%s dated %s, outside the run", e.ID, e.Date)
			}
		}
		for ty := bf.Purchase; ty <= bf.Close; ty++ {
			if types[ty] == 0 {
				t.Errorf("%v: no %s event", d, ty)
			}
		}
		if n := types[bf.Close]; n != 1 {
			t.Errorf("%v: %d closes in one June", d, n)
		}
		l := ledger(t, m)
		if err := costing.PostAll(l, r.Events, "sim"); err != nil {
			t.Fatal(err)
		}
		last := r.Daily[len(r.Daily)-1]
		for i := range m.Plant.Items {
			if got := l.OnHand(int32(i)); got != last.OnHand[i] {
				t.Errorf("%v: %s: the books hold %s, the plant %s", d, m.Plant.Items[i].ID, got, last.OnHand[i])
			}
			if got := l.InProcess(int32(i)); got != last.InProcess[i] {
				t.Errorf("%v: %s: the books have %s in process, the plant %s", d, m.Plant.Items[i].ID, got, last.InProcess[i])
			}
		}
	}
}

// The run-out empties every store of the steady plant, whatever the seed.
func TestSteadyRunEndsEmpty(t *testing.T) {
	for seed := uint64(1); seed <= 25; seed++ {
		m, r := month(t, seed, 0)
		last := r.Daily[len(r.Daily)-1]
		for i := range m.Plant.Items {
			if last.OnHand[i] != 0 || last.InProcess[i] != 0 {
				t.Errorf("seed %d: %s left: %s on hand, %s in process", seed, m.Plant.Items[i].ID, last.OnHand[i], last.InProcess[i])
			}
		}
		for _, o := range r.Orders {
			if o.Accepted && o.Shipped < 0 {
				t.Errorf("seed %d: order %s accepted and not shipped", seed, o.ID)
			}
		}
	}
}

// The explosion the simulator issues parts by is the books' own.
func TestDirectMatchesTheStandards(t *testing.T) {
	m := sim.Default()
	std, err := costing.Compile(&m.Plant)
	if err != nil {
		t.Fatal(err)
	}
	for i := range m.Plant.Items {
		// The books issue a component line by line; the simulator merges
		// a component's lines into one use (same total, same order of first
		// appearance).
		var got []sim.Use
		for _, u := range std.Direct(int32(i)) {
			merged := false
			for k := range got {
				if got[k].Item == int(u.Item) {
					got[k].Per += u.Per
					merged = true
				}
			}
			if !merged {
				got = append(got, sim.Use{Item: int(u.Item), Per: u.Per})
			}
		}
		if !reflect.DeepEqual(got, m.Direct(i)) {
			t.Errorf("%s: the books issue %v, the simulator %v", m.Plant.Items[i].ID, got, m.Direct(i))
		}
	}
}

func TestCSVRoundTrip(t *testing.T) {
	_, r := month(t, 1, sim.AllDisturbances)
	var buf bytes.Buffer
	if err := eventio.WriteCSV(&buf, r.Events, 2); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// The simulator records no hours: WriteCSV leaves their column out.
	if strings.Join(rows[0], ",") != strings.Replace(strings.Join(bf.EventFields, ","), ",hours", "", 1) {
		t.Fatalf("header %v", rows[0])
	}
	if len(rows)-1 != len(r.Events) {
		t.Fatalf("%d rows for %d events", len(rows)-1, len(r.Events))
	}
	for k, row := range rows[1:] {
		var e bf.Event
		for c, v := range row {
			if v == "" {
				continue
			}
			if why := e.Set(rows[0][c], v, 2); why != "" {
				t.Fatalf("row %d column %s %q: %s", k+2, rows[0][c], v, why)
			}
		}
		if !e.SameContent(&r.Events[k]) {
			t.Fatalf("row %d reads back as %+v, wrote %+v", k+2, e, r.Events[k])
		}
	}
}

func TestParseDisturbances(t *testing.T) {
	for s, want := range map[string]sim.Disturbances{"all": sim.AllDisturbances, "none": 0, "": 0,
		"late": sim.LateSuppliers, "defects,surge": sim.Defects | sim.DemandSurge, " late , defects ": sim.LateSuppliers | sim.Defects} {
		got, ok := sim.ParseDisturbances(s)
		if !ok || got != want {
			t.Errorf("%q: %v %v, want %v", s, got, ok, want)
		}
	}
	if _, ok := sim.ParseDisturbances("late,strike"); ok {
		t.Error("strike accepted")
	}
	if s := (sim.LateSuppliers | sim.DemandSurge).String(); s != "late+surge" {
		t.Errorf("String %q", s)
	}
}

func TestRunRefusesBadDays(t *testing.T) {
	for _, days := range []int{0, -1, 40000} {
		if _, err := sim.Default().Run(sim.Options{Days: days}); bf.ErrorKind(err) != bf.KindInvalid {
			t.Errorf("%d days: %v", days, err)
		}
	}
}
