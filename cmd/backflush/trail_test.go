package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/eventio"
	"github.com/backflush/backflush/jit"
	"github.com/backflush/backflush/sim"
)

// TestMeasuresFromTheTrail recomputes the JIT measures from the exported
// events and audit trail alone (with the plant file for cycle times), by
// the formulas docs/jit.md gives, and compares them with the measures the
// demo reports: an auditor needs nothing else.
func TestMeasuresFromTheTrail(t *testing.T) {
	dir := t.TempDir()
	events, trail := filepath.Join(dir, "e.jsonl"), filepath.Join(dir, "t.jsonl")
	code, out, stderr := runMain(t, "demo", "--seed", "3", "--disturb", "all", "--no-report", "--compare-disturbed=false",
		"--format", "json", "--events-out", events, "--trail-out", trail)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var doc struct {
		Runs []struct {
			Measures jit.MeasuresJSON `json:"measures"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || len(doc.Runs) != 1 {
		t.Fatalf("%v: %.300s", err, out)
	}
	want := doc.Runs[0].Measures

	evs, err := eventio.ReadFile(events, "", 2)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(trail)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var recs []sim.TrailRecord
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r sim.TrailRecord
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
	}
	if recs[0].Record != "run" {
		t.Fatalf("the trail starts with %+v", recs[0])
	}
	end := int64(recs[0].Days) * recs[0].DayMinutes
	minute := map[string]int64{}
	v := func(p *int64) int64 {
		if p == nil {
			return -1
		}
		return *p
	}
	qty := func(s string) int64 {
		q, why := bf.ParseQty(s)
		if why != "" {
			t.Fatalf("quantity %q: %s", s, why)
		}
		return int64(q)
	}

	var shipped, onTime, openLate, open int64
	var lead, age []int64
	var va, cyc, line int64
	var kanbans, otif, deliveries, replacements int64
	var partsShipped, partsRejected int64
	waited := map[string]int64{}
	for _, r := range recs {
		switch r.Record {
		case "event":
			minute[r.ID] = v(r.Minute)
		case "order":
			if r.Accepted == nil || !*r.Accepted {
				continue
			}
			if s := v(r.Shipped); s >= 0 {
				shipped++
				lead = append(lead, s-v(r.Arrival))
				if s <= v(r.Due) {
					onTime++
				}
			} else {
				open++
				age = append(age, end-v(r.Arrival))
				if v(r.Due) < end {
					openLate++
				}
			}
			if c := v(r.Completed); c >= 0 {
				va += v(r.ValueAdded)
				cyc += c - v(r.Arrival)
				line += c - v(r.Started)
			}
		case "signal":
			if r.Supplier == "" || v(r.Due) >= end && (v(r.Filled) < 0 || v(r.Filled) > v(r.Due)) {
				continue
			}
			kanbans++
			if fl := v(r.Filled); fl >= 0 && fl <= v(r.Due) {
				otif++
			}
		case "delivery":
			if v(r.Arrived) < 0 && v(r.Due) >= end {
				continue
			}
			deliveries++
			if r.Replacement {
				replacements++
			}
			if v(r.Arrived) >= 0 {
				partsShipped += qty(r.Qty)
				partsRejected += qty(r.Rejected)
			}
		case "wait":
			to := v(r.To)
			if to < 0 {
				to = end
			}
			waited[r.Loop] += to - v(r.From)
		}
	}
	pct := func(n, d int64) *float64 {
		if d == 0 {
			return nil
		}
		x := 100 * float64(n) / float64(d)
		return &x
	}
	ratio := func(n, d int64) *float64 {
		if d == 0 {
			return nil
		}
		x := float64(n) / float64(d)
		return &x
	}
	same := func(name string, got, want *float64) {
		t.Helper()
		if (got == nil) != (want == nil) || got != nil && strconv.FormatFloat(*got, 'f', 9, 64) != strconv.FormatFloat(*want, 'f', 9, 64) {
			t.Errorf("%s: %v from the trail, %v reported", name, deref(got), deref(want))
		}
	}
	same("customer on-time", pct(onTime, shipped+openLate), want.CustomerOnTimePct)
	same("supplier OTIF", pct(otif, kanbans), want.SupplierOTIFPct)
	same("MCE, order basis", ratio(va, cyc), want.MCE)
	same("MCE, line basis", ratio(va, line), want.LineMCE)
	if got := jit.Summarize(lead); got != want.LeadTimeMinutes {
		t.Errorf("lead time %+v from the trail, %+v reported", got, want.LeadTimeMinutes)
	}
	if got := jit.Summarize(age); got != want.OpenAgeMinutes || int(open) != want.Open || int(openLate) != want.OpenLate {
		t.Errorf("open orders %d (%d late), age %+v from the trail; %d (%d), %+v reported", open, openLate, got, want.Open, want.OpenLate, want.OpenAgeMinutes)
	}
	if int(kanbans) != want.SupplierKanbans || int(deliveries) != want.SupplierDeliveries || int(replacements) != want.Replacements {
		t.Errorf("%d kanbans, %d deliveries (%d replacements) from the trail; %d, %d (%d) reported", kanbans, deliveries, replacements,
			want.SupplierKanbans, want.SupplierDeliveries, want.Replacements)
	}
	if got := partsRejected * 1_000_000 / partsShipped; got != want.RejectedPPM || partsRejected == 0 {
		t.Errorf("%d ppm rejected from the trail, %d reported", got, want.RejectedPPM)
	}
	for _, l := range want.Loops {
		if waited[l.Item] != l.StockoutMinutes {
			t.Errorf("loop %s: %d minutes short from the trail, %d reported", l.Item, waited[l.Item], l.StockoutMinutes)
		}
	}
	// Utilisation and scrap per process, from the events' minutes and the
	// plant's cycle times: a batch keeps the line entry qty × cycle minutes,
	// to the end of the run at most.
	m := sim.Default()
	busy := map[string]int64{}
	scrap := map[string]int64{}
	makers := map[string]*sim.Process{}
	for pi := range m.Processes {
		for _, id := range m.Processes[pi].Makes {
			makers[id] = &m.Processes[pi]
		}
	}
	for k := range evs {
		e := &evs[k]
		p, ok := makers[e.Item]
		switch {
		case !ok:
		case e.Type == bf.Start:
			at, found := minute[e.ID]
			if !found {
				t.Fatalf("event %s has no minute in the trail", e.ID)
			}
			busy[p.ID] += min(int64(e.Qty/bf.Units(1))*p.CycleMinutes, end-at)
		case e.Type == bf.Complete:
			scrap[p.ID] += int64(e.ScrapQty / bf.Units(1))
		}
	}
	for _, p := range want.Processes {
		same("utilisation of "+p.ID, pct(busy[p.ID], end), p.UtilisationPct)
		if scrap[p.ID] != p.Scrap {
			t.Errorf("%s: %d scrapped by the events, %d reported", p.ID, scrap[p.ID], p.Scrap)
		}
	}
	if len(minute) != len(evs) {
		t.Errorf("%d event minutes for %d events", len(minute), len(evs))
	}
}

func deref(p *float64) any {
	if p == nil {
		return "n/a"
	}
	return *p
}
