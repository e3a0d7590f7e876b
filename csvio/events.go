package csvio

import (
	"sort"
	"strconv"
	"strings"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
)

// eventRequired are the columns every event file needs.
var eventRequired = []string{"id", "date", "type"}

// eventFields are the columns of an event file: the scenario's event
// fields, the unit of the quantity (the item's base unit when there is
// none) and the price unit of the unit cost or price (one when there is
// none), which the import converts away, and the production order of an
// issue or a completion (SAP's AUFNR), which turns issues to an order into
// its usage variance.
var eventFields = append(append([]string(nil), bf.EventFields...), "unit", "price_unit", "order")

// numberFields are the event fields read as decimals, with the decimal
// mark of the options; pctFields may carry a "%".
var numberFields = map[string]bool{"qty": true, "scrap": true, "unit_cost": true, "unit_price": true, "amount": true, "materials_pct": true, "conversion_pct": true}
var pctFields = map[string]bool{"materials_pct": true, "conversion_pct": true}

// eventsRead is everything reading an event file found.
type eventsRead struct {
	events   []bf.Event
	errs     Errors
	warnings Errors
	filtered int
	skipped  int // rows left out by errors, dependents included
}

// ReadEvents reads events from CSV through the mapping, every field by
// bf.Event.Set as the other decoders do, and orders them by date (then by
// document and line for a composite id). Rows are checked on their own
// (fields, types, ids repeated with other content) and, when p is not nil,
// by posting them into the default books of p, so an unknown item or a
// date in a closed period is reported here, with its line, and not when
// the scenario is run. Every refused row is reported; with o.SkipBadRows
// the good rows are returned and skipped lists the others.
func ReadEvents(src Source, p *bf.Plant, o Options) (events []bf.Event, skipped Errors, err error) {
	r, err := loadEvents(src, p, nil, &o)
	if err != nil {
		return nil, nil, err
	}
	if len(r.errs) > 0 && !o.SkipBadRows {
		return nil, nil, r.errs
	}
	return r.events, r.errs, nil
}

// loadEvents reads an event file against the plant of the rows in; out
// names the items of the item master left out, with their root cause, so
// that an event on one of them is reported under that cause.
func loadEvents(src Source, p *bf.Plant, out map[string]*root, o *Options) (*eventsRead, error) {
	t, errs, err := readTable(src, "events", eventFields, eventRequired, nil, o)
	if err != nil {
		return nil, err
	}
	res := &eventsRead{filtered: t.filtered, skipped: len(errs), warnings: t.skipWarnings()}
	scale := o.scale()
	var items map[string]*bf.Item
	if p != nil {
		scale = p.Currency.Scale
		items = make(map[string]*bf.Item, len(p.Items))
		for i := range p.Items {
			items[p.Items[i].ID] = &p.Items[i]
		}
	}
	type keyed struct {
		e     bf.Event
		key   []string // the parts of a composite id, for the order
		diff  int8     // a count given as a difference: +1 a gain, -1 a loss
		order string   // a completion's production order
	}
	var kept []keyed
	var issues []issue
	var reversals []reversalRow
	ids := map[string]int{}      // id → index in kept of its first row
	badIDs := map[string]*root{} // id → the root of its refused row
	for i := range t.rows {
		r := &t.rows[i]
		e := bf.Event{Line: r.line, ID: t.get(r, "id")}
		var rowErrs Errors
		bad := func(field, reason string) {
			rowErrs = append(rowErrs, t.errAt(r.line, bf.EventID(e.ID), bf.Field(field), reason))
		}
		hasCost := false
		var diff, issued int8
		reversal := false
		for _, f := range bf.EventFields {
			if f == "reverses" && reversal {
				continue // kept aside: the reversal is made when its original is known
			}
			raw, why := t.num(r, f)
			if why != "" {
				bad(f, why)
				continue
			}
			if raw == "" {
				continue
			}
			v := t.o.Map.value("events", f, raw)
			if f == "type" && strings.HasPrefix(v, "error:") {
				bad(f, strings.TrimSpace(strings.TrimPrefix(v, "error:")))
				continue
			}
			if f == "type" && (v == "issue" || v == "issue-") {
				// An issue to a production order (SAP's 261, a return
				// 262): read as a count for its fields, then gathered
				// into the order's usage.
				issued = 1
				if v == "issue-" {
					issued = -1
				}
				v = "count"
			}
			if f == "type" && v == "reversal" {
				// A reversal of part or all of an earlier movement (SAP's
				// 102, 122, 602): read as a count for its item and
				// quantity, then made a reverse of the original and, when
				// partial, the rest posted again.
				reversal, v = true, "count"
			}
			if f == "type" && (v == "count+" || v == "count-") {
				// An inventory difference (SAP's 701/702, scrapping
				// 551): a count of the stock on hand then, plus or
				// minus the quantity, made absolute when posted.
				diff = 1
				if v == "count-" {
					diff = -1
				}
				v = "count"
			}
			switch {
			case f == "date":
				var why string
				if v, why = o.date(v); why != "" {
					bad(f, why)
					continue
				}
			case numberFields[f]:
				var why string
				if v, why = o.number(v, pctFields[f]); why != "" {
					bad(f, why)
					continue
				}
			}
			if why := e.Set(f, v, scale); why != "" {
				if numberFields[f] {
					why = o.numberHint(raw, why)
				} else if f == "type" || f == "behavior" {
					why = strconv.Quote(raw) + " " + why + " (map other values with --map '" + f + "[" + raw + "]=…')"
				}
				bad(f, why)
				continue
			}
			hasCost = hasCost || f == "unit_cost"
		}
		if len(rowErrs) == 0 {
			if e.Type == 0 {
				bad("type", "is missing")
			} else if err := e.Validate(); err != nil {
				x, ok := bf.AsError(err)
				if !ok {
					return nil, err
				}
				x.File, x.Op = src.File, "read events"
				rowErrs = append(rowErrs, x)
			}
		}
		dependent := false
		if len(rowErrs) == 0 && e.Item != "" {
			if cause := out[e.Item]; cause != nil && (items == nil || items[e.Item] == nil) {
				cause.depend(src.File, r.line)
				dependent = true
			}
		}
		if len(rowErrs) == 0 && !dependent && e.Reverses != "" {
			if cause := badIDs[e.Reverses]; cause != nil {
				cause.depend(src.File, r.line)
				dependent = true
			}
		}
		if len(rowErrs) == 0 && !dependent && items != nil {
			if it := items[e.Item]; it != nil {
				rowErrs = append(rowErrs, convertEvent(t, r, &e, it, hasCost, o, &res.warnings)...)
			}
		}
		if len(rowErrs) == 0 && !dependent && issued == 0 && !reversal {
			if first, dup := ids[e.ID]; dup && !kept[first].e.SameContent(&e) {
				rowErrs = append(rowErrs, t.errAt(r.line, bf.KindConflict, bf.EventID(e.ID), bf.Field("id"), "repeats the id of the event at line "+strconv.Itoa(kept[first].e.Line)+" with other content"))
			} else if !dup {
				ids[e.ID] = len(kept)
			}
		}
		if dependent {
			res.skipped++
			continue
		}
		if len(rowErrs) > 0 {
			errs = append(errs, rowErrs...)
			res.skipped++
			if e.ID != "" && badIDs[e.ID] == nil {
				badIDs[e.ID] = &root{err: rowErrs[0]}
			}
			continue
		}
		order := t.get(r, "order")
		if reversal {
			rv := reversalRow{e: e, of: t.get(r, "reverses"), key: t.idParts(r)}
			if rv.of == "" {
				errs = append(errs, t.errAt(r.line, bf.EventID(e.ID), bf.Field("reverses"), "a reversal names the movement it reverses"))
				res.skipped++
				continue
			}
			reversals = append(reversals, rv)
			continue
		}
		if issued != 0 {
			if order == "" {
				errs = append(errs, t.errAt(r.line, bf.EventID(e.ID), bf.Field("order"), "an issue to a production order names the order"))
				res.skipped++
				continue
			}
			issues = append(issues, issue{order: order, item: e.Item, qty: e.Qty, sign: issued, date: e.Date, line: r.line})
			continue
		}
		kept = append(kept, keyed{e: e, key: t.idParts(r), diff: diff, order: order})
	}
	for _, rv := range reversals {
		if cause := badIDs[rv.of]; cause != nil {
			cause.depend(src.File, rv.e.Line)
			res.skipped++
			continue
		}
		evs, err := rv.events(func(id string) *bf.Event {
			if i, ok := ids[id]; ok {
				return &kept[i].e
			}
			return nil
		}, src.File)
		if err != nil {
			errs = append(errs, err)
			res.skipped++
			continue
		}
		for _, e := range evs {
			ids[e.ID] = len(kept)
			kept = append(kept, keyed{e: e, key: rv.key})
		}
	}
	if len(issues) > 0 {
		var done []orderDone
		for i := range kept {
			if k := &kept[i]; k.order != "" && k.e.Type == bf.Complete {
				done = append(done, orderDone{order: k.order, item: k.e.Item, qty: k.e.Qty + k.e.ScrapQty, date: k.e.Date})
			}
		}
		usage, uerrs, warns := orderUsage(issues, done, items, src.File)
		errs = append(errs, uerrs...)
		res.skipped += len(uerrs)
		res.warnings = append(res.warnings, warns...)
		for _, u := range usage {
			kept = append(kept, keyed{e: u.e, key: []string{"\xff"}, diff: u.diff})
		}
	}
	// Events are costed in date order; within a day, a composite id (a
	// document and its line) orders them, else the file's order.
	sort.SliceStable(kept, func(i, j int) bool {
		a, b := &kept[i], &kept[j]
		if a.e.Date != b.e.Date {
			return a.e.Date < b.e.Date
		}
		for k := 0; k < len(a.key) && k < len(b.key); k++ {
			if c := naturalCompare(a.key[k], b.key[k]); c != 0 {
				return c < 0
			}
		}
		return false
	})
	events := make([]bf.Event, len(kept))
	diffs := make([]int8, len(kept))
	for i := range kept {
		events[i], diffs[i] = kept[i].e, kept[i].diff
	}
	if p != nil {
		var perrs Errors
		events, perrs, err = tryPost(p, events, diffs, src.File)
		if err != nil {
			return nil, err
		}
		errs = append(errs, perrs...)
		res.skipped += len(perrs)
	}
	for _, x := range badIDs {
		x.finish()
	}
	res.errs = errs.sorted()
	res.events = events
	return res, nil
}

// convertEvent brings an event's quantities and unit values to its item's
// base unit and price unit of one, and values a receipt without a price.
func convertEvent(t *table, r *row, e *bf.Event, it *bf.Item, hasCost bool, o *Options, warnings *Errors) Errors {
	var errs Errors
	bad := func(field, reason string) {
		errs = append(errs, t.errAt(r.line, bf.EventID(e.ID), bf.ItemID(e.Item), bf.Field(field), reason))
	}
	if pu, ok, why := positiveQty(o, t.get(r, "price_unit")); ok {
		switch {
		case why != "":
			bad("price_unit", why)
		default:
			for _, c := range []*bf.Cost{&e.UnitCost, &e.UnitPrice} {
				v, why := costPer(*c, pu)
				if why != "" {
					bad("price_unit", c.String()+" per "+pu.String()+" units "+why)
				}
				*c = v
			}
		}
	}
	if unit := t.get(r, "unit"); unit != "" {
		for _, q := range []*bf.Qty{&e.Qty, &e.ScrapQty} {
			v, why := o.Units.toBase(e.Item, *q, unit, it.UOM)
			if why != "" {
				bad("unit", why)
				break
			}
			*q = v
		}
		for _, c := range []*bf.Cost{&e.UnitCost, &e.UnitPrice} {
			if *c == 0 {
				continue
			}
			v, why := o.Units.costToBase(e.Item, *c, unit, it.UOM)
			if why != "" {
				bad("unit", why)
				break
			}
			*c = v
		}
	}
	if e.Type == bf.Sale && e.UnitPrice == 0 && it.Price == 0 && len(errs) == 0 {
		bad("unit_price", "a sale without a price: neither the row nor item "+strconv.Quote(it.ID)+" has one, so its revenue would be zero (map a price column, or give the items a price, e.g. a price list joined as a table)")
	}
	if e.Type == bf.Purchase && !hasCost && len(errs) == 0 {
		if !o.ReceiptsAtStandard {
			bad("unit_cost", "a receipt without a price: posting it at zero would understate stock and overstate the price variance (map a price or amount column, or value receipts at standard with --receipts-at-standard)")
		} else {
			e.UnitCost = it.StandardCost
			*warnings = append(*warnings, t.errAt(r.line, bf.EventID(e.ID), bf.ItemID(e.Item), bf.Field("unit_cost"),
				"a receipt without a price, valued at the standard cost "+it.StandardCost.String()+" (--receipts-at-standard): no price variance is recorded for it"))
		}
	}
	return errs
}

// naturalCompare orders strings with runs of digits compared as numbers
// ("9" before "10", "0010" as "10"), so document numbers and lines order as
// numbers do.
func naturalCompare(a, b string) int {
	for a != "" && b != "" {
		da, db := digitRun(a), digitRun(b)
		if da > 0 && db > 0 {
			x, y := strings.TrimLeft(a[:da], "0"), strings.TrimLeft(b[:db], "0")
			if len(x) != len(y) {
				return len(x) - len(y)
			}
			if c := strings.Compare(x, y); c != 0 {
				return c
			}
			a, b = a[da:], b[db:]
			continue
		}
		if a[0] != b[0] {
			return int(a[0]) - int(b[0])
		}
		a, b = a[1:], b[1:]
	}
	return len(a) - len(b)
}

func digitRun(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

// tryPost posts the events into the default books of p, as `backflush run`
// will, and reports each event refused with its line. A refused event
// changes nothing (posting is all or nothing per event), so the others go
// on; they are the events kept.
//
// A count given as a difference (diffs[i] ±1) becomes the absolute count
// the engine reads: the stock on hand before it, plus or minus its quantity.
func tryPost(p *bf.Plant, events []bf.Event, diffs []int8, file string) ([]bf.Event, Errors, error) {
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
		if e := &events[i]; diffs[i] != 0 {
			k, ok := std.Lookup(e.Item)
			if !ok {
				errs = append(errs, bf.E("read events", bf.KindNotFound, bf.File(file), bf.LineNo(e.Line), bf.EventID(e.ID), bf.Field("item"), "unknown item "+e.Item))
				continue
			}
			have := l.OnHand(k)
			d := e.Qty
			if diffs[i] < 0 {
				d = -d
			}
			if have+d < 0 {
				errs = append(errs, bf.E("read events", bf.KindInvalid, bf.File(file), bf.LineNo(e.Line), bf.EventID(e.ID), bf.Field("qty"),
					"an inventory loss of "+e.Qty.String()+" but only "+have.String()+" on hand then: a count cannot be negative"))
				continue
			}
			if e.Memo == "" {
				e.Memo = "inventory difference " + map[bool]string{true: "+", false: "-"}[diffs[i] > 0] + e.Qty.String() + " on " + have.String() + " on hand"
			}
			e.Qty = have + d
		}
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

// issue is an issue of a component to a production order (or a return,
// sign −1), in the component's base unit.
type issue struct {
	order, item string
	qty         bf.Qty
	sign        int8
	date        bf.Date
	line        int
}

// orderDone is a completion of a production order.
type orderDone struct {
	order, item string
	qty         bf.Qty // good and scrapped units: both used components
	date        bf.Date
}

// orderUse is a count difference made from an order's usage.
type orderUse struct {
	e    bf.Event
	diff int8
}

// orderUsage turns the issues to each production order into the order's
// usage variance, as the engine records usage: completions backflush the
// standard usage of their units, so what was issued beyond it (or short of
// it) is a count difference of the component — a loss or a gain — dated
// at the order's last movement, which the books post to material usage
// variance. An order with issues but no completion is work in process in
// the ERP: its issues are left out with a warning.
func orderUsage(issues []issue, done []orderDone, items map[string]*bf.Item, file string) ([]orderUse, Errors, Errors) {
	var errs, warns Errors
	type key struct{ order, item string }
	issued := map[key]bf.Qty{}
	lastLine := map[key]int{}
	last := map[string]bf.Date{}
	var orders []string
	seen := map[string]bool{}
	for _, is := range issues {
		k := key{is.order, is.item}
		q := is.qty
		if is.sign < 0 {
			q = -q
		}
		issued[k] += q
		lastLine[k] = is.line
		if is.date > last[is.order] {
			last[is.order] = is.date
		}
		if !seen[is.order] {
			seen[is.order] = true
			orders = append(orders, is.order)
		}
	}
	made := map[string]string{}  // order → the item it makes
	units := map[string]bf.Qty{} // order → units completed (good and scrapped)
	for _, d := range done {
		if m, ok := made[d.order]; ok && m != d.item {
			errs = append(errs, bf.E("read events", bf.KindInvalid, bf.File(file), bf.Field("order"), "production order "+d.order+" completes both "+m+" and "+d.item))
			continue
		}
		made[d.order] = d.item
		units[d.order] += d.qty
		if d.date > last[d.order] {
			last[d.order] = d.date
		}
	}
	var out []orderUse
	for _, ord := range orders {
		parent, ok := made[ord]
		if !ok {
			warns = append(warns, bf.E("read events", bf.KindInvalid, bf.File(file), bf.Field("order"),
				"production order "+ord+" has issues but no completion: its issues are left out (work in process in the ERP)"))
			continue
		}
		per := map[string]bf.Qty{} // component → standard use per unit, scrap included
		if it := items[parent]; it != nil {
			for _, l := range it.BOM {
				q, _ := bf.WithScrap(l.Qty, l.ScrapPct)
				per[l.Item] += q
			}
		}
		var comps []string
		for k := range issued {
			if k.order == ord {
				comps = append(comps, k.item)
			}
		}
		sort.Strings(comps)
		for _, c := range comps {
			k := key{ord, c}
			std, ok := bf.MulQty(units[ord], per[c])
			if !ok {
				errs = append(errs, bf.E("read events", bf.KindInvalid, bf.File(file), bf.LineNo(lastLine[k]), bf.Field("qty"), "the standard usage of order "+ord+" overflows"))
				continue
			}
			excess := issued[k] - std
			if excess == 0 {
				continue
			}
			u := orderUse{diff: -1, e: bf.Event{ID: "usage-" + ord + "-" + c, Date: last[ord], Type: bf.Count, Item: c, Qty: excess, Line: lastLine[k],
				Memo: "usage against production order " + ord + " (" + parent + "): issued " + issued[k].String() + ", standard " + std.String()}}
			if excess < 0 {
				u.diff, u.e.Qty = 1, -excess
			}
			out = append(out, u)
		}
	}
	return out, errs, warns
}

// reversalRow is a reversal as read: its own event (id, date, item,
// quantity) and the id of the movement it reverses.
type reversalRow struct {
	e   bf.Event
	of  string
	key []string
}

// events makes a reversal the engine's events: a reverse of the original
// and, when only part of it is reversed, the rest posted again on the
// reversal's date at the original's price — so stock and value are the
// original's until then and the rest's after.
func (rv *reversalRow) events(find func(id string) *bf.Event, file string) ([]bf.Event, *bf.Error) {
	e := &rv.e
	fail := func(field, why string) *bf.Error {
		return bf.E("read events", bf.KindInvalid, bf.File(file), bf.LineNo(e.Line), bf.EventID(e.ID), bf.Field(field), why)
	}
	orig := find(rv.of)
	switch {
	case orig == nil:
		return nil, fail("reverses", "reverses "+strconv.Quote(rv.of)+", which no movement of the file is (a reversal needs its original)")
	case orig.Item != e.Item:
		return nil, fail("item", "is "+e.Item+" but movement "+rv.of+" it reverses is of "+orig.Item)
	case orig.Type != bf.Purchase && orig.Type != bf.Complete && orig.Type != bf.Sale:
		return nil, fail("reverses", "reverses a "+orig.Type.String()+"; only receipts, completions and sales are reversed in part")
	case e.Qty > orig.Qty:
		return nil, fail("qty", "reverses "+e.Qty.String()+" of movement "+rv.of+", which moved "+orig.Qty.String())
	case e.Date < orig.Date:
		return nil, fail("date", "is before movement "+rv.of+" it reverses ("+orig.Date.String()+")")
	case e.Qty < orig.Qty && orig.ScrapQty != 0:
		return nil, fail("qty", "reverses part of a completion with scrap; reverse it whole and post the rest")
	}
	out := []bf.Event{{ID: e.ID, Date: e.Date, Type: bf.Reverse, Reverses: orig.ID, Line: e.Line, Memo: e.Memo}}
	if e.Qty > 0 && e.Qty < orig.Qty {
		rest := *orig
		rest.ID, rest.Date, rest.Line = e.ID+"-rest", e.Date, e.Line
		rest.Qty = orig.Qty - e.Qty
		rest.Memo = "the rest of " + orig.ID + " after reversal " + e.ID + " of " + e.Qty.String() + " of " + orig.Qty.String()
		out = append(out, rest)
	}
	return out, nil
}
