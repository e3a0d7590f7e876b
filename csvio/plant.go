package csvio

import (
	"strconv"
	"strings"

	bf "github.com/backflush/backflush"
)

// itemFields are the columns of an item master: the ones every ERP has
// (id, description, type, unit, standard cost, price) and the optional
// ones of Backflush's standards (conversion, fixed overhead, selling cost,
// NRV, LCNRV class, shortage policy).
var itemFields = []string{"id", "description", "type", "unit", "standard_cost", "price",
	"conversion_cost", "fixed_conversion", "fixed_budget", "denominator", "selling_cost", "nrv", "class", "shortage",
	"price_unit"}

// itemRequired are the columns an item master cannot do without.
var itemRequired = []string{"id", "type", "standard_cost"}

// itemAliases are other common names of item columns, used when the
// mapping names no column for the field.
var itemAliases = map[string][]string{
	"description": {"name"},
	"type":        {"kind"},
	"unit":        {"uom"},
}

// bomFields are the columns of BOM lines: the component's quantity before
// scrap and its scrap percentage, per base_qty units of the parent (one
// when there is no such column), in the line's unit (the component's base
// unit when there is none), of one alternative BOM of the parent.
var bomFields = []string{"parent", "component", "qty", "scrap_pct", "unit", "base_qty", "alternative"}

var bomRequired = []string{"parent", "component", "qty"}

var bomAliases = map[string][]string{
	"component": {"item"},
	"qty":       {"quantity"},
	"scrap_pct": {"scrap"},
}

// parseItem reads one item row. Errors mark the row bad; every field is
// checked so that one pass reports all of a row's faults.
func parseItem(t *table, r *row, seen map[string]int) (itemRow, Errors) {
	x := itemRow{line: r.line, item: bf.Item{Line: r.line}}
	it := &x.item
	var errs Errors
	bad := func(field, reason string) {
		errs = append(errs, t.errAt(r.line, bf.ItemID(it.ID), bf.Field(field), reason))
	}
	it.ID = t.get(r, "id")
	switch {
	case it.ID == "":
		bad("id", "is missing")
	case strings.ContainsAny(it.ID, " \t\n>,\""):
		bad("id", "must not contain spaces, quotes, commas or '>'")
	default:
		if first, dup := seen[it.ID]; dup {
			bad("id", "duplicates the item at line "+strconv.Itoa(first))
		} else {
			seen[it.ID] = r.line
		}
	}
	it.Name = t.get(r, "description")
	it.UOM = t.get(r, "unit")
	it.Class = t.get(r, "class")
	kind := t.value(r, "type")
	if k, ok := bf.ParseItemKind(strings.ToLower(kind)); ok {
		it.Kind = k
	} else if kind == "" {
		bad("type", "is missing")
	} else {
		bad("type", strconv.Quote(kind)+" must be material, assembly, finished or phantom (map other values with --map 'type["+kind+"]=material')")
	}
	if s := t.value(r, "shortage"); s != "" {
		if v, ok := bf.ParseShortage(strings.ToLower(s)); ok {
			it.Shortage = v
		} else {
			bad("shortage", strconv.Quote(s)+" must be allow, queue or reject")
		}
	}
	cost := func(field string) (bf.Cost, bool) {
		s, why := t.num(r, field)
		if why != "" {
			bad(field, why)
			return 0, false
		}
		if s == "" {
			return 0, false
		}
		c, why := parseIn(t.o, s, false, bf.ParseCost)
		if why != "" {
			bad(field, why)
			return 0, false
		}
		if c < 0 {
			bad(field, "must not be negative ("+s+")")
			return 0, false
		}
		return c, true
	}
	// A price unit (SAP's PEINH: 12,50 per 1.000 pieces) divides the
	// standard cost and price, exactly.
	perUnit := func(field string, c bf.Cost) bf.Cost { return c }
	if pu, ok, why := positiveQty(t.o, t.get(r, "price_unit")); ok {
		switch {
		case why != "":
			bad("price_unit", why)
		default:
			perUnit = func(field string, c bf.Cost) bf.Cost {
				v, why := costPer(c, pu)
				if why != "" {
					bad(field, c.String()+" per "+pu.String()+" units "+why)
				}
				return v
			}
		}
	}
	std, hasStd := cost("standard_cost")
	std = perUnit("standard_cost", std)
	x.erpStd, x.hasErpStd = std, hasStd
	it.Price, _ = cost("price")
	it.Price = perUnit("price", it.Price)
	conv, hasConv := cost("conversion_cost")
	fixed, hasFixed := cost("fixed_conversion")
	it.SellingCost, _ = cost("selling_cost")
	it.NRV, _ = cost("nrv")
	budgetText, denomText := t.get(r, "fixed_budget"), t.get(r, "denominator")
	var hasBudget bool
	if budgetText != "" || denomText != "" {
		switch {
		case budgetText == "":
			bad("fixed_budget", "is missing: a denominator needs the budget it spreads")
		case denomText == "":
			bad("denominator", "is missing: a fixed overhead budget needs a denominator level")
		default:
			b, why := parseIn(t.o, budgetText, false, func(s string) (bf.Money, string) { return bf.ParseMoney(s, t.o.scale()) })
			if why != "" {
				bad("fixed_budget", why)
			}
			d, why2 := parseIn(t.o, denomText, false, bf.ParseQty)
			if why2 != "" {
				bad("denominator", why2)
			}
			if why == "" && why2 == "" {
				it.FixedBudget, it.Denominator, hasBudget = b, d, true
			}
		}
	}
	switch it.Kind {
	case bf.Material:
		switch {
		case !hasStd && t.get(r, "standard_cost") == "":
			bad("standard_cost", "a material needs a positive standard cost")
		case hasStd && std == 0:
			bad("standard_cost", "a material needs a positive standard cost")
		}
		it.StandardCost = std
		if conv != 0 || fixed != 0 || hasBudget {
			bad("conversion_cost", "a material is not converted in the plant")
		}
	case bf.Assembly, bf.Finished, bf.Phantom:
		// An ERP's standard cost of a made item is its rolled-up cost;
		// Backflush rolls standards up from the BOM and conversion itself,
		// so the column is not read for made items.
		if hasBudget {
			if it.Kind == bf.Phantom {
				bad("fixed_budget", "a phantom is never stocked: it absorbs no fixed overhead")
			} else if it.Denominator <= 0 {
				bad("denominator", "must be positive (a denominator of zero has no rate)")
			} else if it.FixedBudget < 0 {
				bad("fixed_budget", "must not be negative")
			} else if rate, ok := bf.RateOf(it.FixedBudget, t.o.scale(), it.Denominator); !ok {
				bad("denominator", "the budget over the denominator overflows")
			} else if hasFixed && rate != fixed {
				bad("fixed_conversion", "is "+fixed.String()+" but fixed_budget over denominator is "+rate.String())
			} else {
				fixed, hasFixed = rate, true
			}
		}
		if !hasConv && hasFixed {
			conv = fixed // all of the conversion is the fixed part
		}
		if fixed > conv {
			bad("fixed_conversion", "the fixed part "+fixed.String()+" exceeds conversion_cost "+conv.String())
		}
		it.ConversionCost, it.FixedConversion = conv, fixed
	}
	return x, errs
}

// parseBOM reads one BOM line: its quantity per base_qty units of the
// parent becomes a quantity per unit, exactly (the unit is converted later,
// when the component's base unit is known).
func parseBOM(t *table, r *row) (bomRow, Errors) {
	x := bomRow{line: r.line, parent: t.get(r, "parent"), l: bf.BOMLine{Item: t.get(r, "component"), Line: r.line},
		unit: t.get(r, "unit"), alt: t.get(r, "alternative")}
	var errs Errors
	bad := func(field, reason string) {
		errs = append(errs, t.errAt(r.line, bf.ItemID(x.parent), bf.Field(field), reason))
	}
	if x.parent == "" {
		bad("parent", "is missing")
	}
	if x.l.Item == "" {
		bad("component", "is missing")
	}
	if x.parent != "" && x.parent == x.l.Item {
		bad("component", "an item cannot be its own component")
	}
	s := t.get(r, "qty")
	if s == "" {
		bad("qty", "is missing")
	} else if q, why := parseIn(t.o, s, false, bf.ParseQty); why != "" {
		bad("qty", why)
	} else if q <= 0 {
		bad("qty", "must be positive ("+s+")")
	} else {
		x.l.Qty = q
	}
	if base, ok, why := positiveQty(t.o, t.get(r, "base_qty")); ok {
		switch {
		case why != "":
			bad("base_qty", why)
		case x.l.Qty > 0:
			q, why := qtyRatio(x.l.Qty, bf.Units(1), base)
			if why != "" {
				bad("qty", x.l.Qty.String()+" per base quantity "+base.String()+" "+why)
			}
			x.l.Qty = q
		}
	}
	if s := t.get(r, "scrap_pct"); s != "" {
		if p, why := parseIn(t.o, s, true, bf.ParsePct); why != "" {
			bad("scrap_pct", why)
		} else if p < 0 {
			bad("scrap_pct", "must not be negative ("+s+")")
		} else {
			x.l.ScrapPct = p
		}
	}
	return x, errs
}
