package csvio

import (
	"sort"
	"strconv"
	"strings"

	bf "github.com/backflush/backflush"
)

// itemFields are the columns of an item master: the ones every ERP has
// (id, description, type, unit, standard cost, price) and the optional
// ones of Backflush's standards (conversion, fixed overhead, selling cost,
// NRV, LCNRV class, shortage policy).
var itemFields = []string{"id", "description", "type", "unit", "standard_cost", "price",
	"conversion_cost", "fixed_conversion", "fixed_budget", "denominator", "selling_cost", "nrv", "class", "shortage"}

// itemRequired are the columns an item master cannot do without.
var itemRequired = []string{"id", "type", "standard_cost"}

// itemAliases are other common names of item columns, used when the
// mapping names no column for the field.
var itemAliases = map[string][]string{
	"description": {"name"},
	"type":        {"kind"},
	"unit":        {"uom"},
}

// bomFields are the columns of BOM lines: per unit of the parent, the
// component's quantity before scrap and its scrap percentage.
var bomFields = []string{"parent", "component", "qty", "scrap_pct"}

var bomRequired = []string{"parent", "component", "qty"}

var bomAliases = map[string][]string{
	"component": {"item"},
	"qty":       {"quantity"},
	"scrap_pct": {"scrap"},
}

// itemRow is one row of the item master as read.
type itemRow struct {
	line int
	item bf.Item
	bad  bool // the row has errors of its own
	out  bool // left out (skipped) in an earlier pass
}

// bomRow is one BOM line as read.
type bomRow struct {
	line   int
	parent string
	l      bf.BOMLine
	bad    bool
	out    bool
}

// ReadPlant reads an item master and its BOM lines into a plant named name
// (its currency from o). Every row refused is reported: with
// o.SkipBadRows the plant holds the good rows and skipped lists the others
// (and the rows that needed them); otherwise err lists every bad row and
// no plant is returned.
func ReadPlant(items, bom Source, name string, o Options) (p *bf.Plant, skipped Errors, err error) {
	it, bad, err := readTable(items, "items", itemFields, itemRequired, itemAliases, &o)
	if err != nil {
		return nil, nil, err
	}
	bt, bad2, err := readTable(bom, "bom", bomFields, bomRequired, bomAliases, &o)
	if err != nil {
		return nil, nil, err
	}
	var errs Errors
	errs = append(errs, bad...)
	errs = append(errs, bad2...)
	irows := make([]itemRow, 0, len(it.rows))
	seen := map[string]int{} // id → line of its first row
	for i := range it.rows {
		r, rowErrs := parseItem(it, &it.rows[i], seen)
		errs = append(errs, rowErrs...)
		irows = append(irows, r)
	}
	brows := make([]bomRow, 0, len(bt.rows))
	for i := range bt.rows {
		r, rowErrs := parseBOM(bt, &bt.rows[i])
		errs = append(errs, rowErrs...)
		brows = append(brows, r)
	}
	// Structural checks (references, BOM presence, cycles) run on the rows
	// still in. With skipping, a pass that leaves rows out may break rows
	// that needed them: passes repeat until none is refused. Without it,
	// one pass reports everything, ids of bad rows still counting as known
	// so that one bad cell does not cascade into a page of errors.
	for pass := 0; ; pass++ {
		if !o.SkipBadRows && pass > 0 {
			break
		}
		known := map[string]bf.ItemKind{}
		for i := range irows {
			r := &irows[i]
			if r.out || (o.SkipBadRows && r.bad) {
				continue
			}
			if _, dup := known[r.item.ID]; !dup {
				known[r.item.ID] = r.item.Kind
			}
		}
		serrs := structure(it, bt, irows, brows, known, o.SkipBadRows)
		errs = append(errs, serrs...)
		if !o.SkipBadRows {
			break
		}
		n := 0
		for i := range irows {
			if irows[i].bad && !irows[i].out {
				irows[i].out = true
				n++
			}
		}
		for i := range brows {
			if brows[i].bad && !brows[i].out {
				brows[i].out = true
				n++
			}
		}
		if n == 0 {
			break
		}
	}
	errs = errs.sorted(items.File, bom.File)
	if len(errs) > 0 && !o.SkipBadRows {
		return nil, nil, errs
	}
	cur := o.Currency
	if cur.Code == "" {
		cur = bf.Currency{Code: "USD", Scale: 2}
	}
	p = &bf.Plant{Name: name, Currency: cur}
	pos := map[string]int{}
	for i := range irows {
		if !irows[i].out {
			pos[irows[i].item.ID] = len(p.Items)
			p.Items = append(p.Items, irows[i].item)
		}
	}
	for i := range brows {
		b := &brows[i]
		if !b.out {
			it := &p.Items[pos[b.parent]]
			it.BOM = append(it.BOM, b.l)
		}
	}
	// The rows passed every check above; Validate is the plant's own word
	// and must agree. A disagreement is reported against the files rather
	// than lost.
	if err := p.Validate(); err != nil {
		if e, ok := bf.AsError(err); ok {
			e.File = items.File
			if strings.HasPrefix(e.Field, "bom") {
				e.File = bom.File
			}
		}
		return nil, nil, err
	}
	return p, errs, nil
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
		s := t.get(r, field)
		if s == "" {
			return 0, false
		}
		n := t.o.number(s, false)
		c, why := bf.ParseCost(n)
		if why != "" {
			bad(field, t.o.numberHint(s, why))
			return 0, false
		}
		if c < 0 {
			bad(field, "must not be negative ("+s+")")
			return 0, false
		}
		return c, true
	}
	std, hasStd := cost("standard_cost")
	it.Price, _ = cost("price")
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
			b, why := bf.ParseMoney(t.o.number(budgetText, false), t.o.scale())
			if why != "" {
				bad("fixed_budget", t.o.numberHint(budgetText, why))
			}
			d, why2 := bf.ParseQty(t.o.number(denomText, false))
			if why2 != "" {
				bad("denominator", t.o.numberHint(denomText, why2))
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
	x.bad = len(errs) > 0
	return x, errs
}

// parseBOM reads one BOM line.
func parseBOM(t *table, r *row) (bomRow, Errors) {
	x := bomRow{line: r.line, parent: t.get(r, "parent"), l: bf.BOMLine{Item: t.get(r, "component"), Line: r.line}}
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
	} else if q, why := bf.ParseQty(t.o.number(s, false)); why != "" {
		bad("qty", t.o.numberHint(s, why))
	} else if q <= 0 {
		bad("qty", "must be positive ("+s+")")
	} else {
		x.l.Qty = q
	}
	if s := t.get(r, "scrap_pct"); s != "" {
		if p, why := bf.ParsePct(t.o.number(s, true)); why != "" {
			bad("scrap_pct", t.o.numberHint(s, why))
		} else if p < 0 {
			bad("scrap_pct", "must not be negative ("+s+")")
		} else {
			x.l.ScrapPct = p
		}
	}
	x.bad = len(errs) > 0
	return x, errs
}

// structure checks what needs every row: BOM lines naming known items, no
// BOM on a material, a BOM on every made item, no cycle. It marks the rows
// at fault bad (for skipping) and reports them. With skip, rows already
// bad are out of the plant and count as unknown.
func structure(it, bt *table, irows []itemRow, brows []bomRow, known map[string]bf.ItemKind, skip bool) Errors {
	var errs Errors
	in := func(bad, out bool) bool { return !out && !(skip && bad) }
	hasBOM := map[string]bool{}
	for i := range brows {
		b := &brows[i]
		if !in(b.bad, b.out) || b.parent == "" || b.l.Item == "" {
			continue
		}
		bad := func(field, reason string, kind bf.Kind) {
			errs = append(errs, bt.errAt(b.line, kind, bf.ItemID(b.parent), bf.Field(field), reason))
			b.bad = true
		}
		pk, ok := known[b.parent]
		switch {
		case !ok:
			bad("parent", "unknown parent "+strconv.Quote(b.parent)+": no row of "+it.file+" has this id", bf.KindNotFound)
			continue
		case pk == bf.Material:
			bad("parent", b.parent+" is a material: it is bought, not made, and cannot have BOM lines", bf.KindInvalid)
			continue
		}
		if _, ok := known[b.l.Item]; !ok {
			bad("component", "unknown component "+strconv.Quote(b.l.Item)+": no row of "+it.file+" has this id", bf.KindNotFound)
			continue
		}
		hasBOM[b.parent] = true
	}
	for i := range irows {
		r := &irows[i]
		if !in(r.bad, r.out) || !r.item.Kind.Made() || hasBOM[r.item.ID] {
			continue
		}
		errs = append(errs, it.errAt(r.line, bf.ItemID(r.item.ID), bf.Field("bom"), "a made item needs a BOM: no line of "+bt.file+" has parent "+strconv.Quote(r.item.ID)))
		r.bad = true
	}
	errs = append(errs, cycles(bt, brows, in)...)
	return errs
}

// cycles finds BOM cycles among the lines still in and reports each at the
// line that closes it, so the file points at a line to fix. Parents are
// visited in id order so the report is stable.
func cycles(bt *table, brows []bomRow, in func(bad, out bool) bool) Errors {
	edges := map[string][]int{} // parent → its lines
	for i := range brows {
		b := &brows[i]
		if in(b.bad, b.out) && b.parent != "" && b.l.Item != "" {
			edges[b.parent] = append(edges[b.parent], i)
		}
	}
	parents := make([]string, 0, len(edges))
	for p := range edges {
		parents = append(parents, p)
	}
	sort.Strings(parents)
	const (
		white = iota
		grey
		black
	)
	color := map[string]uint8{}
	var stack []string
	var errs Errors
	var visit func(id string)
	visit = func(id string) {
		color[id] = grey
		stack = append(stack, id)
		for _, i := range edges[id] {
			b := &brows[i]
			if b.bad {
				continue // a line cut by an earlier cycle report
			}
			switch color[b.l.Item] {
			case grey:
				start := 0
				for k, s := range stack {
					if s == b.l.Item {
						start = k
					}
				}
				path := append(append([]string{}, stack[start:]...), b.l.Item)
				errs = append(errs, bt.errAt(b.line, bf.ItemID(b.parent), bf.Field("component"), "BOM cycle "+strings.Join(path, " > ")))
				b.bad = true
			case white:
				visit(b.l.Item)
			}
		}
		stack = stack[:len(stack)-1]
		color[id] = black
	}
	for _, p := range parents {
		if color[p] == white {
			visit(p)
		}
	}
	return errs
}
