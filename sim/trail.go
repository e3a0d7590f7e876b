package sim

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
)

// TrailRecord is one line of the audit trail a run writes beside its
// events (WriteTrail): what the JIT measures are computed from, with
// working-minute timestamps. Record says which fields apply; a time that
// never came is null.
type TrailRecord struct {
	// Record is "run", "event", "order", "signal", "delivery", "wait",
	// "stop" (an andon pull) or "stall".
	Record string `json:"record"`
	ID     string `json:"id,omitempty"` // the event's, order's, signal's (K-…), delivery's (D-…) or wait's (W-…) id
	Minute *int64 `json:"minute,omitempty"`
	// Run: the run's length and its day in minutes.
	Days       int     `json:"days,omitempty"`
	DayMinutes int64   `json:"day_minutes,omitempty"`
	Seed       *uint64 `json:"seed,omitempty"`
	// Orders, signals, deliveries, waits: what and where.
	Item     string `json:"item,omitempty"`
	Process  string `json:"process,omitempty"`  // the process (a signal to a parts process; a wait)
	Supplier string `json:"supplier,omitempty"` // a signal to a supplier; a delivery
	Loop     string `json:"loop,omitempty"`     // the kanban loop (by its item)
	Signal   string `json:"signal,omitempty"`   // the kanban a delivery fills
	Qty      string `json:"qty,omitempty"`      // a decimal, as in the events
	Rejected string `json:"rejected,omitempty"` // refused at receiving (a delivery that arrived)
	// Times, in working minutes from the start of the run.
	Arrival    *int64 `json:"arrival,omitempty"`     // an order reached the plant
	Due        *int64 `json:"due,omitempty"`         // promised (order), sent + lead time (signal, delivery)
	Started    *int64 `json:"started,omitempty"`     // an order's first line start
	Completed  *int64 `json:"completed,omitempty"`   // an order's good unit in the yard
	Shipped    *int64 `json:"shipped,omitempty"`     // an order on a truck
	Sent       *int64 `json:"sent,omitempty"`        // a card went out
	Filled     *int64 `json:"filled,omitempty"`      // the last good part of a kanban arrived
	Arrived    *int64 `json:"arrived,omitempty"`     // a delivery reached receiving
	From       *int64 `json:"from,omitempty"`        // a wait began
	To         *int64 `json:"to,omitempty"`          // a wait ended (null: open at the end)
	ValueAdded *int64 `json:"value_added,omitempty"` // an order's minutes on the line
	Accepted   *bool  `json:"accepted,omitempty"`    // an order taken this period (false: booked for the next)
	Remade     int    `json:"remade,omitempty"`      // an order's units scrapped and made again
	// Replacement marks a delivery replacing rejected parts; Special one
	// under a special kanban.
	Replacement bool   `json:"replacement,omitempty"`
	Special     bool   `json:"special,omitempty"`
	Text        string `json:"text,omitempty"` // a stall's andon message
}

// at is a time for the trail: nil when it never came (-1).
func at(t int64) *int64 {
	if t < 0 {
		return nil
	}
	return &t
}

// Trail lists the run's audit trail, in this order: the run, every event's
// minute, the orders, the kanban signals, the supplier deliveries, the
// stock-out waits, and the stall if the run stalled.
func (r *Result) Trail() []TrailRecord {
	m := r.Model
	seed := r.Options.Seed
	out := []TrailRecord{{Record: "run", Days: r.Options.Days, DayMinutes: m.DayMinutes, Seed: &seed}}
	for k := range r.Events {
		out = append(out, TrailRecord{Record: "event", ID: r.Events[k].ID, Minute: at(r.EventMinutes[k])})
	}
	for _, o := range r.Orders {
		acc := o.Accepted
		va := o.ValueAdded
		rec := TrailRecord{Record: "order", ID: o.ID, Item: m.Plant.Items[o.Item].ID, Arrival: at(o.Arrival), Due: at(o.Due),
			Accepted: &acc, Started: at(o.Started), Completed: at(o.Completed), Shipped: at(o.Shipped), Remade: o.Remade}
		if o.Completed >= 0 {
			rec.ValueAdded = &va
		}
		out = append(out, rec)
	}
	for k, s := range r.Signals {
		item, _ := m.Index(m.Loops[s.Loop].Item)
		rec := TrailRecord{Record: "signal", ID: signalID(k), Loop: m.Loops[s.Loop].Item, Qty: s.Qty.String(), Sent: at(s.Sent), Due: at(s.Due), Filled: at(s.Filled)}
		if sp := m.SupplierOf(item); sp >= 0 {
			rec.Supplier = m.Suppliers[sp].ID
		} else {
			rec.Process = m.Processes[m.MakerOf(item)].ID
		}
		out = append(out, rec)
	}
	for k, d := range r.Deliveries {
		rec := TrailRecord{Record: "delivery", ID: fmt.Sprintf("D-%06d", k+1), Supplier: m.Suppliers[d.Supplier].ID, Item: m.Plant.Items[d.Item].ID,
			Signal: signalID(d.Signal), Qty: d.Qty.String(), Due: at(d.Due), Arrived: at(d.Arrived), Replacement: d.Replacement, Special: d.Special}
		if d.Arrived >= 0 {
			rec.Rejected = d.Rejected.String()
		}
		out = append(out, rec)
	}
	for k, w := range r.Waits {
		out = append(out, TrailRecord{Record: "wait", ID: fmt.Sprintf("W-%06d", k+1), Process: m.Processes[w.Process].ID,
			Loop: m.Loops[w.Loop].Item, From: at(w.From), To: at(w.To)})
	}
	for k, s := range r.Stops {
		out = append(out, TrailRecord{Record: "stop", ID: fmt.Sprintf("A-%06d", k+1), Process: m.Processes[s.Process].ID,
			Item: m.Plant.Items[s.Item].ID, From: at(s.From), To: at(s.To)})
	}
	if s := r.Stall; s != nil {
		out = append(out, TrailRecord{Record: "stall", Minute: at(s.Minute), Process: m.Processes[s.Process].ID, Loop: m.Loops[s.Loop].Item,
			Item: m.Plant.Items[s.Item].ID, Text: r.StallText()})
	}
	return out
}

func signalID(k int) string { return fmt.Sprintf("K-%06d", k+1) }

// WriteTrail writes the run's audit trail (Trail) as JSON Lines: one
// record a line. Quantities are decimal strings, as in the events.
func (r *Result) WriteTrail(w io.Writer) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	for _, rec := range r.Trail() {
		if err := enc.Encode(rec); err != nil {
			return err
		}
	}
	return bw.Flush()
}
