package backflush

import "unicode/utf8"

// EventType names what happened on the shop floor.
type EventType uint8

// The event types. Their order is the order of the scenario documentation.
const (
	Purchase       EventType = iota + 1 // materials received from a supplier
	Start                               // production started: components issued to the floor
	ConversionCost                      // actual labour and overhead incurred
	Complete                            // good units finished (and units scrapped)
	Sale                                // units shipped to a customer
	Count                               // a physical count of an item on hand
	Close                               // the end of an accounting period
	Expense                             // marketing or administration: a period cost in every book
	WIPCount                            // units in process counted with their degree of completion
	Reverse                             // a correction: undoes an earlier event exactly
	Reprocess                           // retries the failed-backflush queue (of one item, or all)
)

var eventTypeNames = [...]string{"", "purchase", "start", "conversion_cost", "complete", "sale", "count", "close", "expense", "wip_count", "reverse", "reprocess"}

// Behavior says how a cost behaves with volume.
type Behavior uint8

// The behaviors. A conversion cost without one is variable.
const (
	BehaviorUnset Behavior = iota
	Variable               // varies with units made or sold
	Fixed                  // a cost of the period's capacity
)

// String names the behavior as event files spell it.
func (b Behavior) String() string {
	switch b {
	case Variable:
		return "variable"
	case Fixed:
		return "fixed"
	}
	return ""
}

// String names the type as event files spell it.
func (t EventType) String() string {
	if int(t) < len(eventTypeNames) {
		return eventTypeNames[t]
	}
	return "?"
}

// ParseEventType parses a type name; ok is false for an unknown name.
func ParseEventType(s string) (EventType, bool) {
	for i, n := range eventTypeNames {
		if i > 0 && n == s {
			return EventType(i), true
		}
	}
	return 0, false
}

// Event is one shop-floor fact. Which fields apply depends on Type; unused
// fields stay zero so that two postings of one event compare equal.
type Event struct {
	ID        string
	Date      Date
	Type      EventType
	Item      string // purchase, start, complete, sale, count
	Qty       Qty    // purchase, start, complete (good units), sale, count (on hand)
	ScrapQty  Qty    // complete: units scrapped besides the good ones
	UnitCost  Cost   // purchase: actual price paid per unit
	UnitPrice Cost   // sale: price per unit; zero means the item's list price
	Amount    Money  // conversion_cost, expense: actual amount incurred
	// Hours are the hours worked for a variable conversion cost's amount,
	// when the plant records them: they split its variance into rate and
	// efficiency (Plant.ConversionRate is the standard rate per hour).
	Hours    Qty
	Behavior Behavior
	// MaterialsPct and ConversionPct are a WIP count's degree of completion.
	MaterialsPct  Pct
	ConversionPct Pct
	// Reverses is the id of the event a reverse event undoes.
	Reverses string
	// Reason explains a close that overrides the failed-backflush queue.
	Reason string
	Memo   string // free text kept with the entry
	Line   int    // the line of the source, for errors; not part of the content
}

// SameContent reports whether e and o describe the same fact (the source line
// does not count): posting an id again with the same content is a no-op.
func (e *Event) SameContent(o *Event) bool {
	a, b := *e, *o
	a.Line, b.Line = 0, 0
	return a == b
}

// Validate checks the fields an event of its type needs, independently of the
// plant; Ledger.Post checks the rest (items, periods).
func (e *Event) Validate() error {
	if e.ID == "" {
		return E("validate event", KindInvalid, LineNo(e.Line), EventID(e.ID), Field("id"), "is missing")
	}
	if e.Date == 0 {
		return E("validate event", KindInvalid, LineNo(e.Line), EventID(e.ID), Field("date"), "is missing")
	}
	needItem := func() error {
		if e.Item == "" {
			return E("validate event", KindInvalid, LineNo(e.Line), EventID(e.ID), Field("item"), "is missing")
		}
		return nil
	}
	forbid := func(ok bool, field string) error {
		if !ok {
			return E("validate event", KindInvalid, LineNo(e.Line), EventID(e.ID), Field(field), "does not apply to a "+e.Type.String()+" event")
		}
		return nil
	}
	var err error
	switch e.Type {
	case Purchase:
		if err = needItem(); err != nil {
			return err
		}
		if e.Qty <= 0 {
			return E("validate event", KindInvalid, LineNo(e.Line), EventID(e.ID), Field("qty"), "must be positive")
		}
		if e.UnitCost < 0 {
			return E("validate event", KindInvalid, LineNo(e.Line), EventID(e.ID), Field("unit_cost"), "must not be negative")
		}
		err = firstErr(forbid(e.ScrapQty == 0, "scrap"), forbid(e.UnitPrice == 0, "unit_price"), forbid(e.Amount == 0, "amount"))
	case Start:
		if err = needItem(); err != nil {
			return err
		}
		if e.Qty <= 0 {
			return E("validate event", KindInvalid, LineNo(e.Line), EventID(e.ID), Field("qty"), "must be positive")
		}
		err = firstErr(forbid(e.ScrapQty == 0, "scrap"), forbid(e.UnitCost == 0, "unit_cost"), forbid(e.UnitPrice == 0, "unit_price"), forbid(e.Amount == 0, "amount"))
	case Complete:
		if err = needItem(); err != nil {
			return err
		}
		if e.Qty < 0 {
			return E("validate event", KindInvalid, LineNo(e.Line), EventID(e.ID), Field("qty"), "must not be negative")
		}
		if e.ScrapQty < 0 {
			return E("validate event", KindInvalid, LineNo(e.Line), EventID(e.ID), Field("scrap"), "must not be negative")
		}
		if e.Qty == 0 && e.ScrapQty == 0 {
			return E("validate event", KindInvalid, LineNo(e.Line), EventID(e.ID), Field("qty"), "a completion needs good or scrapped units")
		}
		err = firstErr(forbid(e.UnitCost == 0, "unit_cost"), forbid(e.UnitPrice == 0, "unit_price"), forbid(e.Amount == 0, "amount"))
	case Sale:
		if err = needItem(); err != nil {
			return err
		}
		if e.Qty <= 0 {
			return E("validate event", KindInvalid, LineNo(e.Line), EventID(e.ID), Field("qty"), "must be positive")
		}
		if e.UnitPrice < 0 {
			return E("validate event", KindInvalid, LineNo(e.Line), EventID(e.ID), Field("unit_price"), "must not be negative")
		}
		err = firstErr(forbid(e.ScrapQty == 0, "scrap"), forbid(e.UnitCost == 0, "unit_cost"), forbid(e.Amount == 0, "amount"))
	case Count:
		if err = needItem(); err != nil {
			return err
		}
		if e.Qty < 0 {
			return E("validate event", KindInvalid, LineNo(e.Line), EventID(e.ID), Field("qty"), "a count cannot be negative")
		}
		err = firstErr(forbid(e.ScrapQty == 0, "scrap"), forbid(e.UnitCost == 0, "unit_cost"), forbid(e.UnitPrice == 0, "unit_price"), forbid(e.Amount == 0, "amount"))
	case ConversionCost:
		if e.Amount <= 0 {
			return E("validate event", KindInvalid, LineNo(e.Line), EventID(e.ID), Field("amount"), "must be positive")
		}
		err = firstErr(forbid(e.Item == "", "item"), forbid(e.Qty == 0, "qty"), forbid(e.ScrapQty == 0, "scrap"), forbid(e.UnitCost == 0, "unit_cost"), forbid(e.UnitPrice == 0, "unit_price"))
	case Expense:
		if e.Amount <= 0 {
			return E("validate event", KindInvalid, LineNo(e.Line), EventID(e.ID), Field("amount"), "must be positive")
		}
		if e.Behavior == BehaviorUnset {
			return E("validate event", KindInvalid, LineNo(e.Line), EventID(e.ID), Field("behavior"), "an expense is variable (with units sold) or fixed (of the period)")
		}
		err = firstErr(forbid(e.Item == "", "item"), forbid(e.Qty == 0, "qty"), forbid(e.ScrapQty == 0, "scrap"), forbid(e.UnitCost == 0, "unit_cost"), forbid(e.UnitPrice == 0, "unit_price"))
	case WIPCount:
		if err = needItem(); err != nil {
			return err
		}
		if e.Qty < 0 {
			return E("validate event", KindInvalid, LineNo(e.Line), EventID(e.ID), Field("qty"), "a count cannot be negative")
		}
		const hundred = Pct(100_000_000)
		if e.MaterialsPct < 0 || e.MaterialsPct > hundred {
			return E("validate event", KindInvalid, LineNo(e.Line), EventID(e.ID), Field("materials_pct"), "a percent complete must be between 0 and 100")
		}
		if e.ConversionPct < 0 || e.ConversionPct > hundred {
			return E("validate event", KindInvalid, LineNo(e.Line), EventID(e.ID), Field("conversion_pct"), "a percent complete must be between 0 and 100")
		}
		err = firstErr(forbid(e.ScrapQty == 0, "scrap"), forbid(e.UnitCost == 0, "unit_cost"), forbid(e.UnitPrice == 0, "unit_price"), forbid(e.Amount == 0, "amount"))
	case Close:
		err = firstErr(forbid(e.Item == "", "item"), forbid(e.Qty == 0, "qty"), forbid(e.ScrapQty == 0, "scrap"), forbid(e.UnitCost == 0, "unit_cost"), forbid(e.UnitPrice == 0, "unit_price"), forbid(e.Amount == 0, "amount"))
	case Reverse:
		if e.Reverses == "" {
			return E("validate event", KindInvalid, LineNo(e.Line), EventID(e.ID), Field("reverses"), "a reverse event names the id of the event it undoes")
		}
		if e.Reverses == e.ID {
			return E("validate event", KindInvalid, LineNo(e.Line), EventID(e.ID), Field("reverses"), "an event cannot reverse itself")
		}
		err = firstErr(forbid(e.Item == "", "item"), forbid(e.Qty == 0, "qty"), forbid(e.ScrapQty == 0, "scrap"), forbid(e.UnitCost == 0, "unit_cost"), forbid(e.UnitPrice == 0, "unit_price"), forbid(e.Amount == 0, "amount"))
	case Reprocess:
		err = firstErr(forbid(e.Qty == 0, "qty"), forbid(e.ScrapQty == 0, "scrap"), forbid(e.UnitCost == 0, "unit_cost"), forbid(e.UnitPrice == 0, "unit_price"), forbid(e.Amount == 0, "amount"))
	default:
		return E("validate event", KindInvalid, LineNo(e.Line), EventID(e.ID), Field("type"), "must be purchase, start, conversion_cost, complete, sale, count, close, expense, wip_count, reverse or reprocess")
	}
	if err == nil && e.Type != Reverse && e.Reverses != "" {
		err = E("validate event", KindInvalid, LineNo(e.Line), EventID(e.ID), Field("reverses"), "does not apply to a "+e.Type.String()+" event")
	}
	if err == nil && e.Type != Close && e.Reason != "" {
		err = E("validate event", KindInvalid, LineNo(e.Line), EventID(e.ID), Field("reason"), "does not apply to a "+e.Type.String()+" event (it explains a close that overrides the queue)")
	}
	if err == nil && e.Type != ConversionCost && e.Type != Expense && e.Behavior != BehaviorUnset {
		err = E("validate event", KindInvalid, LineNo(e.Line), EventID(e.ID), Field("behavior"), "does not apply to a "+e.Type.String()+" event")
	}
	if err == nil && e.Hours != 0 {
		switch {
		case e.Type != ConversionCost:
			err = E("validate event", KindInvalid, LineNo(e.Line), EventID(e.ID), Field("hours"), "does not apply to a "+e.Type.String()+" event (hours are worked for a conversion cost)")
		case e.Behavior == Fixed:
			err = E("validate event", KindInvalid, LineNo(e.Line), EventID(e.ID), Field("hours"), "does not apply to a fixed conversion cost: fixed overhead has spending and production-volume variances, not rate and efficiency")
		case e.Hours < 0:
			err = E("validate event", KindInvalid, LineNo(e.Line), EventID(e.ID), Field("hours"), "must not be negative")
		}
	}
	if err == nil && e.Type != WIPCount && (e.MaterialsPct != 0 || e.ConversionPct != 0) {
		field := "materials_pct"
		if e.MaterialsPct == 0 {
			field = "conversion_pct"
		}
		err = E("validate event", KindInvalid, LineNo(e.Line), EventID(e.ID), Field(field), "does not apply to a "+e.Type.String()+" event")
	}
	return err
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// EventFields lists the fields an event record may carry, in documentation order.
var EventFields = []string{"id", "date", "type", "item", "qty", "scrap", "unit_cost", "unit_price", "amount", "hours", "behavior", "materials_pct", "conversion_pct", "reverses", "reason", "memo"}

// Set parses one field of an event from its text, as every decoder (YAML,
// JSONL, CSV) reads it; scale is the currency's decimals. It returns an empty
// reason on success, else why the value was refused.
func (e *Event) Set(field, value string, scale int) string {
	var why string
	if !utf8.ValidString(value) {
		return "is not valid UTF-8 text"
	}
	switch field {
	case "id":
		if value == "" {
			return "is empty"
		}
		e.ID = value
	case "date":
		e.Date, why = ParseDate(value)
	case "type":
		t, ok := ParseEventType(value)
		if !ok {
			return "must be purchase, start, conversion_cost, complete, sale, count, close, expense, wip_count, reverse or reprocess"
		}
		e.Type = t
	case "reverses":
		if value == "" {
			return "is empty"
		}
		e.Reverses = value
	case "reason":
		e.Reason = value
	case "behavior":
		switch value {
		case "variable":
			e.Behavior = Variable
		case "fixed":
			e.Behavior = Fixed
		default:
			return "must be variable or fixed"
		}
	case "materials_pct":
		e.MaterialsPct, why = ParsePct(value)
	case "conversion_pct":
		e.ConversionPct, why = ParsePct(value)
	case "item":
		if value == "" {
			return "is empty"
		}
		e.Item = value
	case "qty":
		e.Qty, why = ParseQty(value)
	case "scrap":
		e.ScrapQty, why = ParseQty(value)
	case "unit_cost":
		e.UnitCost, why = ParseCost(value)
	case "unit_price":
		e.UnitPrice, why = ParseCost(value)
	case "amount":
		e.Amount, why = ParseMoney(value, scale)
	case "hours":
		e.Hours, why = ParseQty(value)
	case "memo":
		e.Memo = value
	default:
		return "is not an event field (fields: id, date, type, item, qty, scrap, unit_cost, unit_price, amount, hours, behavior, materials_pct, conversion_pct, reverses, reason, memo)"
	}
	return why
}

// Get formats one field of an event as Set reads it back,
// empty when it does not apply; known is false for a field this writer
// does not know, so a test can catch a field added to EventFields and
// not here. A count of zero and a completion of scrap alone still show
// their quantity, since zero is what they say.
func (e *Event) Get(field string, scale int) (v string, known bool) {
	switch field {
	case "id":
		return e.ID, true
	case "date":
		return e.Date.String(), true
	case "type":
		return e.Type.String(), true
	case "item":
		return e.Item, true
	case "qty":
		if e.Qty != 0 || e.Type == Count || e.Type == WIPCount || (e.Type == Complete && e.ScrapQty != 0) {
			return e.Qty.String(), true
		}
	case "scrap":
		if e.ScrapQty != 0 {
			return e.ScrapQty.String(), true
		}
	case "unit_cost":
		if e.Type == Purchase {
			return e.UnitCost.String(), true
		}
	case "unit_price":
		if e.UnitPrice != 0 {
			return e.UnitPrice.String(), true
		}
	case "amount":
		if e.Amount != 0 {
			return e.Amount.Format(scale), true
		}
	case "hours":
		if e.Hours != 0 {
			return e.Hours.String(), true
		}
	case "behavior":
		return e.Behavior.String(), true
	case "materials_pct":
		if e.Type == WIPCount {
			return e.MaterialsPct.String(), true
		}
	case "conversion_pct":
		if e.Type == WIPCount {
			return e.ConversionPct.String(), true
		}
	case "reverses":
		return e.Reverses, true
	case "reason":
		return e.Reason, true
	case "memo":
		return e.Memo, true
	default:
		return "", false
	}
	return "", true
}
