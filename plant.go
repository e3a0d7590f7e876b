package backflush

import (
	"sort"
	"strconv"
	"strings"
)

// ItemKind says how an item enters the plant and where it is stocked.
type ItemKind uint8

// The item kinds.
const (
	Material ItemKind = iota + 1 // bought from suppliers at a standard cost
	Assembly                     // made from a BOM and stocked between processes
	Finished                     // made from a BOM and sold
	Phantom                      // a BOM level never stocked: exploded into its parent
)

var itemKindNames = [...]string{"", "material", "assembly", "finished", "phantom"}

// String names the kind as the scenario file spells it.
func (k ItemKind) String() string { return nameAt(itemKindNames[:], int(k)) }

// nameAt returns names[i], "?" when i is out of range.
func nameAt(names []string, i int) string {
	if i >= 0 && i < len(names) {
		return names[i]
	}
	return "?"
}

// indexOfName returns the position of s in names (past the unnamed 0).
func indexOfName(names []string, s string) (int, bool) {
	for i, n := range names {
		if i > 0 && n == s {
			return i, true
		}
	}
	return 0, false
}

// ParseItemKind parses a kind name; ok is false for an unknown name.
func ParseItemKind(s string) (ItemKind, bool) {
	i, ok := indexOfName(itemKindNames[:], s)
	return ItemKind(i), ok
}

// Made reports whether items of this kind are produced from a BOM.
func (k ItemKind) Made() bool { return k == Assembly || k == Finished || k == Phantom }

// BOMLine is one component of a bill of materials, per unit of the parent.
type BOMLine struct {
	Item     string // the component's item id
	Qty      Qty    // quantity per unit of the parent, before scrap
	ScrapPct Pct    // component scrap: consumption is Qty × (1 + ScrapPct/100)
	Line     int    // the line of the source file, for errors (0 when unknown)
}

// Item is a part, sub-assembly or product of the plant with its standards.
type Item struct {
	ID             string
	Name           string
	Kind           ItemKind
	UOM            string
	StandardCost   Cost      // standard purchase cost per unit (materials)
	ConversionCost Cost      // standard conversion per unit made at this level (variable + fixed)
	Price          Cost      // selling price per unit, if sold
	BOM            []BOMLine // components per unit (made items)
	Line           int       // the line of the source file, for errors

	// FixedConversion is the part of ConversionCost that is fixed
	// manufacturing overhead, at the budgeted rate: FixedBudget over
	// Denominator when those are given. The rest is variable conversion.
	FixedConversion Cost
	// FixedBudget is the budgeted fixed overhead of a period for this item's
	// level, and Denominator the units it is spread over (the denominator
	// level); both zero when the rate is given directly or there is none.
	FixedBudget Money
	Denominator Qty
	// PlantShare says that the item absorbs the plant's fixed overhead
	// budget (Plant.FixedOverhead) at Denominator units: its FixedBudget
	// and FixedConversion are derived from it (Plant.SpreadFixedOverhead).
	PlantShare bool
	// MachineMinutes and LabourMinutes are the standard minutes per unit
	// made at this level, the volume a plant-wide budget is spread by.
	MachineMinutes, LabourMinutes Qty

	// SellingCost is the variable marketing cost per unit sold, charged as a
	// period expense at each sale in every book.
	SellingCost Cost
	// NRV is the net realizable value per unit for LCNRV: selling price less
	// costs to complete and sell. Zero means Price − SellingCost.
	NRV Cost
	// Class groups similar items for LCNRV by class.
	Class string
	// Shortage says what happens when issuing this item would take its stock
	// below zero: allow it (the JIT default: a count finds the error), queue
	// the shortfall until stock arrives, or reject the event.
	Shortage Shortage
}

// Shortage is an item's policy for a backflush that would take it below zero.
type Shortage uint8

// The shortage policies.
const (
	ShortageAllow  Shortage = iota // negative stock is allowed
	ShortageQueue                  // issue what is there, queue the rest until stock arrives
	ShortageReject                 // refuse the event
)

// String names the policy as scenario files spell it.
func (s Shortage) String() string {
	switch s {
	case ShortageQueue:
		return "queue"
	case ShortageReject:
		return "reject"
	}
	return "allow"
}

// ParseShortage parses a policy name.
func ParseShortage(s string) (Shortage, bool) {
	switch s {
	case "allow":
		return ShortageAllow, true
	case "queue":
		return ShortageQueue, true
	case "reject":
		return ShortageReject, true
	}
	return 0, false
}

// VariableConversion returns the variable part of the item's conversion.
func (it *Item) VariableConversion() Cost { return it.ConversionCost - it.FixedConversion }

// UnitNRV returns the item's net realizable value per unit and whether one
// is known (an explicit NRV, or a price).
func (it *Item) UnitNRV() (Cost, bool) {
	if it.NRV != 0 {
		return it.NRV, true
	}
	if it.Price != 0 {
		return it.Price - it.SellingCost, true
	}
	return 0, false
}

// Plant is the master data of one plant: its items and their BOMs.
type Plant struct {
	Name     string
	Currency Currency
	Items    []Item
	// FixedOverhead is the plant-wide fixed overhead budget, stated once,
	// or nil when the items state their own (or none).
	FixedOverhead *PlantOverhead
	// ConversionRate is the standard variable conversion cost per hour
	// worked, zero when the plant states none. With the hours on its
	// conversion costs, it splits the conversion variance into rate and
	// efficiency (costing.SplitConversion).
	ConversionRate Cost
}

// Index returns the position of every item by id. Callers validate first.
func (p *Plant) Index() map[string]int {
	m := make(map[string]int, len(p.Items))
	for i := range p.Items {
		m[p.Items[i].ID] = i
	}
	return m
}

// Validate checks the master data: unique ids, known kinds, BOMs only on made
// items and present on every one, known components, positive quantities, no
// cycle, standard costs on materials. The first error found is returned.
func (p *Plant) Validate() error {
	const op = "validate plant"
	if len(p.Items) == 0 {
		return E(op, KindInvalid, Field("items"), "the plant has no items")
	}
	if p.ConversionRate < 0 {
		return E(op, KindInvalid, Field("conversion_rate"), "must not be negative")
	}
	idx := make(map[string]int, len(p.Items))
	for i := range p.Items {
		it := &p.Items[i]
		if it.ID == "" {
			return E(op, KindInvalid, LineNo(it.Line), ItemID(it.ID), Field("id"), "is missing")
		}
		if strings.ContainsAny(it.ID, " \t\n>,\"") {
			return E(op, KindInvalid, LineNo(it.Line), ItemID(it.ID), Field("id"), "must not contain spaces, quotes, commas or '>'")
		}
		if j, dup := idx[it.ID]; dup {
			return E(op, KindInvalid, LineNo(it.Line), ItemID(it.ID), Field("id"), "duplicates the item at position "+strconv.Itoa(j+1))
		}
		idx[it.ID] = i
		switch it.Kind {
		case Material:
			if len(it.BOM) > 0 {
				return E(op, KindInvalid, LineNo(it.Line), ItemID(it.ID), Field("bom"), "a material is bought, not made: it cannot have a BOM")
			}
			if it.StandardCost <= 0 {
				return E(op, KindInvalid, LineNo(it.Line), ItemID(it.ID), Field("standard_cost"), "a material needs a positive standard cost")
			}
			if it.ConversionCost != 0 {
				return E(op, KindInvalid, LineNo(it.Line), ItemID(it.ID), Field("conversion_cost"), "a material is not converted in the plant")
			}
		case Assembly, Finished, Phantom:
			if len(it.BOM) == 0 {
				return E(op, KindInvalid, LineNo(it.Line), ItemID(it.ID), Field("bom"), "a made item needs a BOM")
			}
			if it.StandardCost != 0 {
				return E(op, KindInvalid, LineNo(it.Line), ItemID(it.ID), Field("standard_cost"), "a made item's cost is rolled up from its BOM, not given")
			}
			if it.ConversionCost < 0 {
				return E(op, KindInvalid, LineNo(it.Line), ItemID(it.ID), Field("conversion_cost"), "must not be negative")
			}
			if it.FixedConversion < 0 {
				return E(op, KindInvalid, LineNo(it.Line), ItemID(it.ID), Field("fixed_conversion"), "must not be negative")
			}
			if it.FixedConversion > it.ConversionCost {
				return E(op, KindInvalid, LineNo(it.Line), ItemID(it.ID), Field("fixed_conversion"), "the fixed part exceeds the item's conversion_cost")
			}
		default:
			return E(op, KindInvalid, LineNo(it.Line), ItemID(it.ID), Field("kind"), "must be material, assembly, finished or phantom")
		}
		if it.Price < 0 {
			return E(op, KindInvalid, LineNo(it.Line), ItemID(it.ID), Field("price"), "must not be negative")
		}
		if it.SellingCost < 0 {
			return E(op, KindInvalid, LineNo(it.Line), ItemID(it.ID), Field("selling_cost"), "must not be negative")
		}
		if it.NRV < 0 {
			return E(op, KindInvalid, LineNo(it.Line), ItemID(it.ID), Field("nrv"), "must not be negative")
		}
		if it.MachineMinutes < 0 || it.LabourMinutes < 0 {
			f := "machine_minutes"
			if it.LabourMinutes < 0 {
				f = "labour_minutes"
			}
			return E(op, KindInvalid, LineNo(it.Line), ItemID(it.ID), Field(f), "must not be negative")
		}
		if it.FixedBudget != 0 || it.Denominator != 0 {
			if !it.Kind.Made() || it.Kind == Phantom {
				return E(op, KindInvalid, LineNo(it.Line), ItemID(it.ID), Field("fixed_overhead"), "only assemblies and finished items absorb fixed overhead")
			}
			if it.Denominator <= 0 {
				return E(op, KindInvalid, LineNo(it.Line), ItemID(it.ID), Field("fixed_overhead.denominator"), "a denominator level must be positive (a denominator of zero has no rate)")
			}
			if it.FixedBudget < 0 {
				return E(op, KindInvalid, LineNo(it.Line), ItemID(it.ID), Field("fixed_overhead.budget"), "must not be negative")
			}
		}
	}
	for i := range p.Items {
		it := &p.Items[i]
		for _, l := range it.BOM {
			line := l.Line
			if line == 0 {
				line = it.Line
			}
			j, ok := idx[l.Item]
			if !ok {
				return E(op, KindNotFound, LineNo(line), ItemID(it.ID), Field("bom.item"), "unknown item "+strconv.Quote(l.Item))
			}
			if p.Items[j].Kind == Phantom && it.Kind == Material {
				return E(op, KindInvalid, LineNo(line), ItemID(it.ID), Field("bom.item"), "a material cannot use a phantom")
			}
			if l.Qty <= 0 {
				return E(op, KindInvalid, LineNo(line), ItemID(it.ID), Field("bom.qty"), "must be positive")
			}
			if l.ScrapPct < 0 {
				return E(op, KindInvalid, LineNo(line), ItemID(it.ID), Field("bom.scrap_pct"), "must not be negative")
			}
		}
	}
	if cyc := findCycle(p, idx); cyc != nil {
		it := &p.Items[idx[cyc[0]]]
		return E(op, KindInvalid, LineNo(it.Line), ItemID(it.ID), Field("bom"), "BOM cycle "+strings.Join(cyc, " > "))
	}
	return nil
}

// findCycle returns the ids along a BOM cycle (first id repeated at the end),
// or nil. Items are visited in id order so the reported cycle is stable.
func findCycle(p *Plant, idx map[string]int) []string {
	const (
		white = iota
		grey
		black
	)
	color := make([]uint8, len(p.Items))
	var stack []string
	var found []string
	var visit func(i int) bool
	visit = func(i int) bool {
		color[i] = grey
		stack = append(stack, p.Items[i].ID)
		for _, l := range p.Items[i].BOM {
			j := idx[l.Item]
			switch color[j] {
			case grey:
				start := 0
				for k, id := range stack {
					if id == l.Item {
						start = k
					}
				}
				found = append(append([]string{}, stack[start:]...), l.Item)
				return true
			case white:
				if visit(j) {
					return true
				}
			}
		}
		stack = stack[:len(stack)-1]
		color[i] = black
		return false
	}
	order := make([]int, len(p.Items))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return p.Items[order[a]].ID < p.Items[order[b]].ID })
	for _, i := range order {
		if color[i] == white && visit(i) {
			return found
		}
	}
	return nil
}

// Currency names the money of a plant and how many decimals its minor unit has.
type Currency struct {
	Code  string
	Scale int // decimals of the minor unit: 2 for USD, 0 for JPY
}

// currencyScales lists ISO 4217 currencies whose minor unit is not cents.
var currencyScales = map[string]int{"JPY": 0, "KRW": 0, "ISK": 0, "CLP": 0, "VND": 0, "BHD": 3, "KWD": 3, "OMR": 3, "JOD": 3, "TND": 3}

// LookupCurrency returns the currency for a three-letter code; unknown codes
// of the right form get two decimals.
func LookupCurrency(code string) (Currency, bool) {
	if len(code) != 3 || strings.ToUpper(code) != code {
		return Currency{}, false
	}
	for _, c := range code {
		if c < 'A' || c > 'Z' {
			return Currency{}, false
		}
	}
	s, ok := currencyScales[code]
	if !ok {
		s = 2
	}
	return Currency{Code: code, Scale: s}, true
}
