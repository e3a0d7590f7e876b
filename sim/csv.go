package sim

import (
	"encoding/csv"
	"io"

	bf "github.com/backflush/backflush"
)

// WriteCSV writes events as CSV for spreadsheets and loaders elsewhere. The
// first row names the columns: the event fields in documentation order
// (bf.EventFields), currently
//
//	id, date, type, item, qty, scrap, unit_cost, unit_price, amount,
//	behavior, materials_pct, conversion_pct, reverses, reason, memo
//
// A field that does not apply to an event's type is left empty. Numbers are
// plain decimals that bf.Event.Set reads back exactly (quantities, unit
// costs and prices as a scenario file spells them, amounts at the
// currency's scale); dates are YYYY-MM-DD. Quoting follows RFC 4180.
func WriteCSV(w io.Writer, events []bf.Event, scale int) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(bf.EventFields); err != nil {
		return err
	}
	row := make([]string, len(bf.EventFields))
	for i := range events {
		for c, f := range bf.EventFields {
			row[c] = csvField(&events[i], f, scale)
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvField formats one field of an event, empty when it does not apply. The
// presence rules are the JSON Lines writer's: a count of zero and a
// completion of scrap alone still show their quantity.
func csvField(e *bf.Event, field string, scale int) string {
	switch field {
	case "id":
		return e.ID
	case "date":
		return e.Date.String()
	case "type":
		return e.Type.String()
	case "item":
		return e.Item
	case "qty":
		if e.Qty != 0 || e.Type == bf.Count || e.Type == bf.WIPCount || (e.Type == bf.Complete && e.ScrapQty != 0) {
			return e.Qty.String()
		}
	case "scrap":
		if e.ScrapQty != 0 {
			return e.ScrapQty.String()
		}
	case "unit_cost":
		if e.Type == bf.Purchase {
			return e.UnitCost.String()
		}
	case "unit_price":
		if e.UnitPrice != 0 {
			return e.UnitPrice.String()
		}
	case "amount":
		if e.Amount != 0 {
			return e.Amount.Format(scale)
		}
	case "behavior":
		return e.Behavior.String()
	case "materials_pct":
		if e.Type == bf.WIPCount {
			return e.MaterialsPct.String()
		}
	case "conversion_pct":
		if e.Type == bf.WIPCount {
			return e.ConversionPct.String()
		}
	case "reverses":
		return e.Reverses
	case "reason":
		return e.Reason
	case "memo":
		return e.Memo
	}
	return ""
}
