package csvio

import (
	"math/big"
	"strconv"
	"strings"

	bf "github.com/backflush/backflush"
)

// parseIn parses a cell with a bf parser after reading it strictly for the
// file's locale; the reason names the cell's text.
func parseIn[T any](o *Options, s string, pct bool, parse func(string) (T, string)) (T, string) {
	var zero T
	n, why := o.number(s, pct)
	if why != "" {
		return zero, why
	}
	v, why := parse(n)
	if why != "" {
		return zero, o.numberHint(strings.TrimSpace(s), why)
	}
	return v, ""
}

// positiveQty reads an optional positive quantity cell (a price unit, a
// base quantity): present is false for an empty cell, why says what is
// wrong with a bad one.
func positiveQty(o *Options, s string) (q bf.Qty, present bool, why string) {
	if s == "" {
		return 0, false, ""
	}
	q, why = parseIn(o, s, false, bf.ParseQty)
	if why == "" && q <= 0 {
		why = "must be positive (" + s + ")"
	}
	return q, true, why
}

// mulDivExact returns a × b ÷ d when it is exact and fits an int64; else
// the reason.
func mulDivExact(a, b, d int64) (int64, string) {
	if d == 0 {
		return 0, "divides by zero"
	}
	n := new(big.Int).Mul(big.NewInt(a), big.NewInt(b))
	q, r := new(big.Int).QuoRem(n, big.NewInt(d), new(big.Int))
	if r.Sign() != 0 {
		return 0, "is not exact at the decimals Backflush keeps (give the quantity per a base that divides evenly, or a conversion that does)"
	}
	if !q.IsInt64() {
		return 0, "is too large"
	}
	return q.Int64(), ""
}

// qtyRatio returns q × num ÷ den, exactly (num and den at any one scale).
func qtyRatio(q, num, den bf.Qty) (bf.Qty, string) {
	v, why := mulDivExact(int64(q), int64(num), int64(den))
	return bf.Qty(v), why
}

// costPer returns the cost of one unit when c is the cost of per units,
// exactly: 12.50 per 1000 is 0.0125.
func costPer(c bf.Cost, per bf.Qty) (bf.Cost, string) {
	v, why := mulDivExact(int64(c), int64(bf.Units(1)), int64(per))
	return bf.Cost(v), why
}

// conv converts a quantity in one unit to another: one unit is num ÷ den
// of the other (SAP's MARM: UMREZ base units make UMREN alternative units,
// so num = UMREZ, den = UMREN).
type conv struct{ num, den bf.Qty }

// Units holds the conversions of units of measure: per item (an ERP's
// alternative units) and general ones between two units; the SI prefixes
// of mass, length and volume are known without a table.
type Units struct {
	item    map[[2]string]conv // item, unit → to the item's base unit
	general map[[2]string]conv // from, to
}

// units of one dimension, in their size in the smallest.
var siUnits = []map[string]int64{
	{"MG": 1, "G": 1_000, "KG": 1_000_000, "T": 1_000_000_000, "TO": 1_000_000_000},
	{"MM": 1, "CM": 10, "DM": 100, "M": 1_000, "KM": 1_000_000},
	{"ML": 1, "CL": 10, "DL": 100, "L": 1_000, "HL": 100_000},
}

func unitKey(u string) string { return strings.ToUpper(strings.TrimSpace(u)) }

// factor returns the conversion from unit to base for an item, or why there
// is none (naming the item and both units).
func (u *Units) factor(item, unit, base string) (conv, string) {
	from, to := unitKey(unit), unitKey(base)
	if from == to {
		return conv{1, 1}, ""
	}
	if u != nil {
		if c, ok := u.item[[2]string{item, from}]; ok {
			return c, ""
		}
		if c, ok := u.general[[2]string{from, to}]; ok {
			return c, ""
		}
		if c, ok := u.general[[2]string{to, from}]; ok {
			return conv{c.den, c.num}, ""
		}
	}
	for _, dim := range siUnits {
		a, okA := dim[from]
		b, okB := dim[to]
		if okA && okB {
			return conv{bf.Qty(a), bf.Qty(b)}, ""
		}
	}
	return conv{}, "no conversion from " + unit + " to " + base + ", the base unit of item " + strconv.Quote(item) +
		" (give one in the units file: item,unit,numerator,denominator — or SAP's MARM: MATNR,MEINH,UMREZ,UMREN)"
}

// toBase converts a quantity of an item in unit to its base unit, exactly.
func (u *Units) toBase(item string, q bf.Qty, unit, base string) (bf.Qty, string) {
	v, why := u.convert(item, int64(q), unit, base, false, "is in ", q.String()+" ")
	return bf.Qty(v), why
}

// costToBase converts a cost per unit to a cost per base unit, exactly.
func (u *Units) costToBase(item string, c bf.Cost, unit, base string) (bf.Cost, string) {
	v, why := u.convert(item, int64(c), unit, base, true, "is per ", c.String()+" per ")
	return bf.Cost(v), why
}

// convert converts v in unit to base, or (per) v per unit to per base.
func (u *Units) convert(item string, v int64, unit, base string, per bool, in, what string) (int64, string) {
	if strings.TrimSpace(unit) == "" || unitKey(unit) == unitKey(base) {
		return v, ""
	}
	if strings.TrimSpace(base) == "" {
		return 0, in + unit + " but item " + strconv.Quote(item) + " has no base unit (its unit column is empty)"
	}
	c, why := u.factor(item, unit, base)
	if why != "" {
		return 0, why
	}
	num, den := c.num, c.den
	if per {
		num, den = den, num
	}
	x, why := mulDivExact(v, int64(num), int64(den))
	if why != "" {
		return 0, what + unit + " in " + base + " " + why
	}
	return x, ""
}

// unitFields are the columns of a units file: per item (an ERP's
// alternative units: one unit is numerator ÷ denominator base units), or
// with no item between unit and base_unit for every item.
var unitFields = []string{"item", "unit", "base_unit", "numerator", "denominator"}

var unitRequired = []string{"unit", "numerator"}

// ReadUnits reads a units-of-measure conversion table. Every row refused
// is reported with its line.
func ReadUnits(src Source, o Options) (*Units, error) {
	u, errs, err := readUnits(src, &o)
	if err != nil {
		return nil, err
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return u, nil
}

// readUnits reads a units table: the conversions of its good rows, and the
// rows refused.
func readUnits(src Source, o *Options) (*Units, Errors, error) {
	t, errs, err := readTable(src, "units", unitFields, unitRequired, nil, o)
	if err != nil {
		return nil, nil, err
	}
	u := &Units{item: map[[2]string]conv{}, general: map[[2]string]conv{}}
	seen := map[[3]string]int{}
	for i := range t.rows {
		r := &t.rows[i]
		item, unit, base := t.get(r, "item"), unitKey(t.get(r, "unit")), unitKey(t.get(r, "base_unit"))
		bad := func(field, why string) { errs = append(errs, t.errAt(r.line, bf.ItemID(item), bf.Field(field), why)) }
		if unit == "" {
			bad("unit", "is missing")
			continue
		}
		if item == "" && base == "" {
			bad("base_unit", "is missing: a conversion for every item names both units")
			continue
		}
		num, why := parseIn(o, t.get(r, "numerator"), false, bf.ParseQty)
		if why != "" || num <= 0 {
			bad("numerator", "must be a positive number "+why)
			continue
		}
		den := bf.Units(1)
		if s := t.get(r, "denominator"); s != "" {
			if den, why = parseIn(o, s, false, bf.ParseQty); why != "" || den <= 0 {
				bad("denominator", "must be a positive number "+why)
				continue
			}
		}
		k := [3]string{item, unit, base}
		if first, dup := seen[k]; dup {
			bad("unit", "repeats the conversion at line "+strconv.Itoa(first))
			continue
		}
		seen[k] = r.line
		if item != "" {
			u.item[[2]string{item, unit}] = conv{num, den}
		} else {
			u.general[[2]string{unit, base}] = conv{num, den}
		}
	}
	return u, errs.sorted(), nil
}
