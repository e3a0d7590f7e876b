package csvio

import (
	"strconv"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
)

// eventRequired are the columns every event file needs.
var eventRequired = []string{"id", "date", "type"}

// numberFields are the event fields read as decimals, with the decimal
// mark of the options; pctFields may carry a "%".
var numberFields = map[string]bool{"qty": true, "scrap": true, "unit_cost": true, "unit_price": true, "amount": true, "materials_pct": true, "conversion_pct": true}
var pctFields = map[string]bool{"materials_pct": true, "conversion_pct": true}

// ReadEvents reads events from CSV through the mapping, every field by
// bf.Event.Set as the other decoders do. Rows are checked on their own
// (fields, types, ids repeated with other content) and, when p is not nil,
// by posting them in order into the default books of p, so an unknown
// item or a date in a closed period is reported here, with its line, and
// not when the scenario is run. Every refused row is reported; with
// o.SkipBadRows the good rows are returned and skipped lists the others.
func ReadEvents(src Source, p *bf.Plant, o Options) (events []bf.Event, skipped Errors, err error) {
	t, errs, err := readTable(src, "events", bf.EventFields, eventRequired, nil, &o)
	if err != nil {
		return nil, nil, err
	}
	scale := o.scale()
	if p != nil {
		scale = p.Currency.Scale
	}
	ids := map[string]int{} // id → index in events of its first row
	for i := range t.rows {
		r := &t.rows[i]
		e := bf.Event{Line: r.line, ID: t.get(r, "id")}
		var rowErrs Errors
		bad := func(field, reason string) {
			rowErrs = append(rowErrs, t.errAt(r.line, bf.EventID(e.ID), bf.Field(field), reason))
		}
		for _, f := range bf.EventFields {
			raw := t.get(r, f)
			if raw == "" {
				continue
			}
			v := t.o.Map.value("events", f, raw)
			switch {
			case f == "date":
				var why string
				if v, why = o.date(v); why != "" {
					bad(f, why)
					continue
				}
			case numberFields[f]:
				v = o.number(v, pctFields[f])
			}
			if why := e.Set(f, v, scale); why != "" {
				if numberFields[f] {
					why = o.numberHint(raw, why)
				} else if f == "type" || f == "behavior" {
					why = strconv.Quote(raw) + " " + why + " (map other values with --map '" + f + "[" + raw + "]=…')"
				}
				bad(f, why)
			}
		}
		if len(rowErrs) == 0 {
			if e.Type == 0 {
				bad("type", "is missing")
			} else if err := e.Validate(); err != nil {
				x, ok := bf.AsError(err)
				if !ok {
					return nil, nil, err
				}
				x.File, x.Op = src.File, "read events"
				rowErrs = append(rowErrs, x)
			}
		}
		if len(rowErrs) == 0 {
			if first, dup := ids[e.ID]; dup && !events[first].SameContent(&e) {
				rowErrs = append(rowErrs, t.errAt(r.line, bf.KindConflict, bf.EventID(e.ID), bf.Field("id"), "repeats the id of the event at line "+strconv.Itoa(events[first].Line)+" with other content"))
			} else if !dup {
				ids[e.ID] = len(events)
			}
		}
		if len(rowErrs) > 0 {
			errs = append(errs, rowErrs...)
			continue
		}
		events = append(events, e)
	}
	if len(errs) > 0 && !o.SkipBadRows {
		// Posting rows that passed would only add errors they cause by
		// the rows missing; report what is certain.
		return nil, nil, errs.sorted()
	}
	if p != nil {
		kept, perrs, err := tryPost(p, events, src.File, o.SkipBadRows)
		if err != nil {
			return nil, nil, err
		}
		errs = append(errs, perrs...)
		events = kept
	}
	errs = errs.sorted()
	if len(errs) > 0 && !o.SkipBadRows {
		return nil, nil, errs
	}
	return events, errs, nil
}

// tryPost posts the events into the default books of p, as `backflush run`
// will, and reports each event refused with its line. A refused event
// changes nothing (posting is all or nothing per event), so the others go
// on; they are the events kept.
func tryPost(p *bf.Plant, events []bf.Event, file string, skip bool) ([]bf.Event, Errors, error) {
	std, err := costing.Compile(p)
	if err != nil {
		return nil, nil, err
	}
	l, err := costing.NewLedger(std, bf.DefaultBooks(), bf.CloseToCOGS)
	if err != nil {
		return nil, nil, err
	}
	l.Grow(len(events), 8)
	var errs Errors
	kept := events[:0:0]
	for i := range events {
		if err := l.Post(&events[i]); err != nil {
			x, ok := bf.AsError(err)
			if !ok {
				return nil, nil, err
			}
			x.File = file
			errs = append(errs, x)
			continue
		}
		kept = append(kept, events[i])
	}
	return kept, errs, nil
}
