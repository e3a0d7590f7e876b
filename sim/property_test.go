package sim_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/sim"
)

// randomPlant writes a random plant file: materials from one or two
// suppliers, zero to two assemblies on a parts process, one or two finished
// items on a final line, sometimes a phantom and sometimes a part on two
// BOM lines, loops sized to pass validation with a random margin, and
// every disturbance's parameters drawn.
func randomPlant(r *rand.Rand) string {
	var b strings.Builder
	fmt.Fprintf(&b, "name: random\ncurrency: USD\nstart: 2026-03-02\nday_minutes: 480\nitems:\n")
	nm := 1 + r.IntN(4)
	na := r.IntN(3)
	nf := 1 + r.IntN(2)
	type line struct {
		item string
		qty  int
	}
	boms := map[string][]line{}
	mats := make([]string, nm)
	for k := range mats {
		mats[k] = fmt.Sprintf("m%d", k)
		fmt.Fprintf(&b, "  - {id: %s, kind: material, standard_cost: %d.00}\n", mats[k], 1+r.IntN(50))
	}
	pick := func(from []string) []line {
		n := 1 + r.IntN(len(from))
		var out []line
		for _, k := range r.Perm(len(from))[:n] {
			out = append(out, line{from[k], 1 + r.IntN(3)})
		}
		if r.IntN(3) == 0 { // a part on two lines
			out = append(out, line{out[0].item, 1 + r.IntN(2)})
		}
		return out
	}
	phantom := r.IntN(2) == 0
	if phantom {
		boms["ph"] = pick(mats)
	}
	withPhantom := func(ls []line) []line {
		if phantom && r.IntN(2) == 0 {
			ls = append(ls, line{"ph", 1})
		}
		return ls
	}
	asms := make([]string, na)
	for k := range asms {
		asms[k] = fmt.Sprintf("a%d", k)
		boms[asms[k]] = withPhantom(pick(mats))
	}
	fins := make([]string, nf)
	for k := range fins {
		fins[k] = fmt.Sprintf("f%d", k)
		ls := pick(append(append([]string{}, mats...), asms...))
		boms[fins[k]] = withPhantom(ls)
	}
	bom := func(ls []line) string {
		var parts []string
		for _, l := range ls {
			parts = append(parts, fmt.Sprintf("{item: %s, qty: %d}", l.item, l.qty))
		}
		return strings.Join(parts, ", ")
	}
	if phantom {
		fmt.Fprintf(&b, "  - {id: ph, kind: phantom, conversion_cost: 1.00, bom: [%s]}\n", bom(boms["ph"]))
	}
	for _, a := range asms {
		fmt.Fprintf(&b, "  - {id: %s, kind: assembly, conversion_cost: 5.00, bom: [%s]}\n", a, bom(boms[a]))
	}
	for _, f := range fins {
		fmt.Fprintf(&b, "  - {id: %s, kind: finished, conversion_cost: 10.00, price: 900.00, bom: [%s]}\n", f, bom(boms[f]))
	}
	// The direct stocked uses per unit, phantoms exploded and lines merged.
	uses := func(item string) map[string]int {
		out := map[string]int{}
		for _, l := range boms[item] {
			if l.item == "ph" {
				for _, pl := range boms["ph"] {
					out[pl.item] += l.qty * pl.qty
				}
				continue
			}
			out[l.item] += l.qty
		}
		return out
	}
	container := map[string]int{}
	used := map[string]bool{}
	for _, a := range asms {
		container[a] = 1 + r.IntN(4)
	}
	need := map[string]int{}
	for _, p := range append(append([]string{}, asms...), fins...) {
		batch := 1
		if c, ok := container[p]; ok {
			batch = c
		}
		for it, q := range uses(p) {
			need[it] = max(need[it], batch*q)
			used[it] = true
		}
	}
	split := 1 + r.IntN(2)
	fmt.Fprintf(&b, "suppliers:\n")
	for s := 0; s < split; s++ {
		var its []string
		for k, m := range mats {
			if k%split == s && used[m] {
				its = append(its, m)
			}
		}
		if len(its) == 0 {
			continue
		}
		lo := r.IntN(200)
		fmt.Fprintf(&b, "  - {id: s%d, items: [%s], lead_minutes: %d, on_time_pct: %d, late_minutes: [%d, %d], reject_ppm: %d}\n",
			s, strings.Join(its, ", "), r.IntN(600), 50+r.IntN(51), lo, lo+r.IntN(600), r.IntN(400_000))
	}
	fmt.Fprintf(&b, "processes:\n")
	var usedAsms []string
	for _, a := range asms {
		if used[a] {
			usedAsms = append(usedAsms, a)
		}
	}
	if len(usedAsms) > 0 {
		fmt.Fprintf(&b, "  - {id: parts, makes: [%s], stations: %d, cycle_minutes: %d, transport_minutes: %d, defect_pct: %d}\n",
			strings.Join(usedAsms, ", "), 1+r.IntN(4), 1+r.IntN(15), r.IntN(60), r.IntN(20))
	}
	fmt.Fprintf(&b, "  - {id: line, makes: [%s], stations: %d, cycle_minutes: %d, transport_minutes: %d, defect_pct: %d, andon_minutes: %d}\n",
		strings.Join(fins, ", "), 1+r.IntN(6), 1+r.IntN(20), r.IntN(60), r.IntN(20), r.IntN(3)*r.IntN(60))
	fmt.Fprintf(&b, "kanban:\n")
	for it := range need {
		c, ok := container[it]
		if !ok {
			c = 1 + r.IntN(30)
		}
		cards := (need[it]+c-1)/c + 1 + r.IntN(3)
		fmt.Fprintf(&b, "  - {item: %s, cards: %d, container: %d}\n", it, cards, c)
	}
	var mix []string
	for _, f := range fins {
		mix = append(mix, fmt.Sprintf("%s: %d", f, 1+r.IntN(3)))
	}
	fmt.Fprintf(&b, "demand: {orders_per_day: %d, mix: {%s}, due_minutes: %d, surge: {from_day: 2, to_day: 4, factor: 2}}\n",
		1+r.IntN(40), strings.Join(mix, ", "), r.IntN(2000))
	if r.IntN(2) == 0 {
		fmt.Fprintf(&b, "run_out: {plan_minutes: %d, cutoff_minutes: %d}\n", 480+r.IntN(1000), r.IntN(480))
	}
	return b.String()
}

// TestRandomPlantsNeverStall runs random valid plants (some with andon
// stops) under every disturbance and several seeds, one of them levelled:
// no run stalls, no stock goes negative,
// every loop holds its cap (cards × container plus what the special kanban
// replaced), no process pushes (receipts never exceed the first fill plus
// what was withdrawn plus the replacements), every card is accounted for,
// and finished items are made only for orders.
func TestRandomPlantsNeverStall(t *testing.T) {
	plants, runs := 60, 0
	days := 12
	if testing.Short() {
		plants, days = 15, 8
	}
	r := rand.New(rand.NewPCG(17, 17))
	valid := 0
	for k := 0; k < plants; k++ {
		text := randomPlant(r)
		m, err := sim.Decode(fmt.Sprintf("random-%d.yaml", k), []byte(text))
		if err != nil {
			continue // the generator may draw a plant validation refuses
		}
		valid++
		for _, d := range settings {
			for seed := uint64(1); seed <= 3; seed++ {
				runs++
				// The third seed runs the final line levelled.
				res, err := m.Run(sim.Options{Days: days, Seed: seed, Disturb: d, Level: seed == 3})
				if err != nil {
					t.Fatalf("%v seed %d: %v\n%s", d, seed, err, text)
				}
				checkRun(t, m, res, fmt.Sprintf("%s %v seed %d", m.File, d, seed), text)
			}
		}
	}
	if valid < plants/2 {
		t.Fatalf("only %d of %d random plants were valid: the generator needs fixing", valid, plants)
	}
	t.Logf("%d valid plants of %d, %d runs", valid, plants, runs)
}

// checkRun holds a run to the invariants of a pull plant.
func checkRun(t *testing.T, m *sim.Model, r *sim.Result, name, text string) {
	t.Helper()
	if r.MinOnHand < 0 {
		t.Fatalf("%s: stock fell to %s\n%s", name, r.MinOnHand, text)
	}
	fill := make([]bf.Qty, len(m.Plant.Items))
	for li, l := range m.Loops {
		i, _ := m.Index(l.Item)
		ls := r.Loops[li]
		fill[i], _ = bf.MulQty(bf.Units(int64(l.Cards)), l.Container)
		fill[i] += ls.Special
		if ls.Post+ls.Out+ls.Attached != l.Cards {
			t.Fatalf("%s: %s: %d cards on the post, %d out, %d attached of %d\n%s", name, l.Item, ls.Post, ls.Out, ls.Attached, l.Cards, text)
		}
		if ls.Received > ls.Ordered || ls.Ordered > fill[i]+ls.Withdrawn {
			t.Fatalf("%s: %s: ordered %s, received %s, withdrawn %s, cap %s\n%s", name, l.Item, ls.Ordered, ls.Received, ls.Withdrawn, fill[i], text)
		}
		for _, s := range r.Daily {
			if s.OnHand[i] > fill[i] {
				t.Fatalf("%s: %s: %s on hand on day %d, over the cap %s\n%s", name, l.Item, s.OnHand[i], s.Day, fill[i], text)
			}
		}
	}
	// Busy time is booked as it is spent: never more than the run.
	end := int64(r.Options.Days) * m.DayMinutes
	for pi, p := range r.Processes {
		if p.BusyMinutes+p.StopMinutes > end || p.BusyMinutes < 0 {
			t.Fatalf("%s: %s busy %d and stopped %d of %d minutes\n%s", name, m.Processes[pi].ID, p.BusyMinutes, p.StopMinutes, end, text)
		}
	}
	orders := map[string]int{}
	for _, o := range r.Orders {
		if o.Accepted {
			orders[m.Plant.Items[o.Item].ID]++
		}
	}
	good := map[string]bf.Qty{}
	for k := range r.Events {
		e := &r.Events[k]
		if e.Type == bf.Complete {
			if i, _ := m.Index(e.Item); m.Plant.Items[i].Kind == bf.Finished {
				good[e.Item] += e.Qty
				if good[e.Item] > bf.Units(int64(orders[e.Item])) {
					t.Fatalf("%s: %s made %s for %d orders\n%s", name, e.Item, good[e.Item], orders[e.Item], text)
				}
			}
		}
	}
}
