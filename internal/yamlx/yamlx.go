// Package yamlx holds what the YAML decoders share (package scenario for
// scenario files, package sim for plant files): walking yaml.v3 nodes with
// errors that name the file, the line and the field, and the decoding of a
// plant's items and BOMs, spelled the same in both files.
package yamlx

import (
	"bytes"
	"errors"
	"io"
	"strings"

	bf "github.com/backflush/backflush"
	"go.yaml.in/yaml/v3"
)

// Decoder carries the file, the operation and the currency scale into
// every error and every amount it reads.
type Decoder struct {
	File  string
	Op    string // "decode scenario", "decode plant"
	Scale int    // decimals of the currency's minor unit

	// shares: items that absorb the plant's fixed overhead budget, whose
	// conversion is split once SettleOverhead has their rates.
	shares []pendingSplit
}

// pendingSplit is an item whose conversion split waits for its rate.
type pendingSplit struct {
	item                            int
	conv, variable, fixed, overhead *yaml.Node
}

// ErrAt returns the invalid-input error at a node: bf.E of the decoder's
// operation and file, kind invalid and the node's line, then args, of which
// a Kind or a culprit overrides these.
func (d *Decoder) ErrAt(n *yaml.Node, args ...any) *bf.Error {
	return bf.E(d.Op, append([]any{bf.KindInvalid, bf.File(d.File), bf.LineNo(n.Line)}, args...)...)
}

// ErrLine returns the line yaml.v3 names in a syntax error, or 0.
func ErrLine(err error) int {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		return 0
	}
	// yaml.v3 reports "yaml: line N: …".
	msg := err.Error()
	if i := strings.Index(msg, "line "); i >= 0 {
		n := 0
		for _, c := range msg[i+5:] {
			if c < '0' || c > '9' {
				break
			}
			n = n*10 + int(c-'0')
			if n > 1<<30 {
				return 0
			}
		}
		return n
	}
	return 0
}

// Lookup returns the value of key in a mapping, or nil.
func Lookup(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// Fields calls f for each key of a mapping, refusing duplicates and non-scalar keys.
func (d *Decoder) Fields(m *yaml.Node, what string, f func(key string, k, v *yaml.Node) error) error {
	if m.Kind != yaml.MappingNode {
		return d.ErrAt(m, bf.Field(what), "must be a mapping of fields")
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return d.ErrAt(k, bf.Field(what), "a field name must be plain text")
		}
		if seen[k.Value] {
			return d.ErrAt(k, bf.Field(k.Value), "is given twice")
		}
		seen[k.Value] = true
		if err := f(k.Value, k, v); err != nil {
			return err
		}
	}
	return nil
}

// Scalar returns the text of a scalar node; null is refused.
func (d *Decoder) Scalar(n *yaml.Node, field string) (string, error) {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return "", d.ErrAt(n, bf.Field(field), "must be a single value")
	}
	return n.Value, nil
}

// List returns the elements of a sequence node.
func (d *Decoder) List(n *yaml.Node, field string) ([]*yaml.Node, error) {
	if n.Kind != yaml.SequenceNode {
		return nil, d.ErrAt(n, bf.Field(field), "must be a list")
	}
	return n.Content, nil
}

// Items reads a plant's items and their BOMs into p.
func (d *Decoder) Items(n *yaml.Node, p *bf.Plant) error {
	list, err := d.List(n, "items")
	if err != nil {
		return err
	}
	p.Items = make([]bf.Item, 0, len(list))
	d.shares = d.shares[:0]
	for _, in := range list {
		it := bf.Item{Line: in.Line}
		var conv, variable, fixed *yaml.Node // which conversion fields were given
		var overhead *yaml.Node
		err := d.Fields(in, "items", func(key string, k, v *yaml.Node) error {
			if key == "bom" {
				return d.bom(v, &it)
			}
			if key == "fixed_overhead" {
				overhead = v
				return d.fixedOverhead(v, &it)
			}
			s, err := d.Scalar(v, key)
			if err != nil {
				if e, ok := bf.AsError(err); ok {
					e.Item = it.ID
				}
				return err
			}
			var why string
			switch key {
			case "id":
				it.ID = s
			case "name":
				it.Name = s
			case "uom":
				it.UOM = s
			case "kind":
				k, ok := bf.ParseItemKind(s)
				if !ok {
					return d.ErrAt(v, bf.ItemID(it.ID), bf.Field(key), "must be material, assembly, finished or phantom")
				}
				it.Kind = k
			case "standard_cost":
				it.StandardCost, why = bf.ParseCost(s)
			case "conversion_cost":
				it.ConversionCost, why = bf.ParseCost(s)
				conv = v
			case "variable_conversion":
				var c bf.Cost
				c, why = bf.ParseCost(s)
				it.ConversionCost += c // the fixed part is added after the fields are read
				variable = v
			case "fixed_conversion":
				it.FixedConversion, why = bf.ParseCost(s)
				fixed = v
			case "machine_minutes":
				it.MachineMinutes, why = bf.ParseQty(s)
			case "labour_minutes":
				it.LabourMinutes, why = bf.ParseQty(s)
			case "price":
				it.Price, why = bf.ParseCost(s)
			case "selling_cost":
				it.SellingCost, why = bf.ParseCost(s)
			case "nrv":
				it.NRV, why = bf.ParseCost(s)
			case "class":
				it.Class = s
			case "shortage":
				sh, ok := bf.ParseShortage(s)
				if !ok {
					return d.ErrAt(v, bf.ItemID(it.ID), bf.Field(key), "must be allow, queue or reject")
				}
				it.Shortage = sh
			default:
				return d.ErrAt(k, bf.Field(key), "is not an item field (fields: id, name, kind, uom, standard_cost, conversion_cost, variable_conversion, fixed_conversion, fixed_overhead, machine_minutes, labour_minutes, price, selling_cost, nrv, class, shortage, bom)")
			}
			if why != "" {
				return d.ErrAt(v, bf.ItemID(it.ID), bf.Field(key), why)
			}
			return nil
		})
		if err != nil {
			return err
		}
		if it.Kind == 0 {
			return d.ErrAt(in, bf.ItemID(it.ID), bf.Field("kind"), "is missing")
		}
		if it.PlantShare {
			// The rate comes from the plant's budget: SettleOverhead.
			d.shares = append(d.shares, pendingSplit{len(p.Items), conv, variable, fixed, overhead})
		} else if err := d.splitConversion(&it, conv, variable, fixed, overhead); err != nil {
			return err
		}
		p.Items = append(p.Items, it)
	}
	return nil
}

// fixedOverhead reads {budget, denominator}: the period's budgeted fixed
// overhead for the item's level and the units it is spread over. Without a
// budget the item absorbs the plant's budget (PlantOverhead) at its
// denominator units.
func (d *Decoder) fixedOverhead(n *yaml.Node, it *bf.Item) error {
	o, hasBudget, err := d.overheadFields(n, it.ID, false)
	if err != nil {
		return err
	}
	it.FixedBudget, it.Denominator, it.PlantShare = o.Budget, o.Denominator, !hasBudget
	return nil
}

// PlantOverhead reads a plant-wide fixed overhead budget, stated once:
// {budget, basis: units|machine_minutes|labour_minutes, denominator}, the
// denominator level in the basis.
func (d *Decoder) PlantOverhead(n *yaml.Node, p *bf.Plant) error {
	o, hasBudget, err := d.overheadFields(n, "", true)
	if err == nil && !hasBudget {
		err = d.ErrAt(n, bf.Field("fixed_overhead.budget"), "is missing")
	}
	if err != nil {
		return err
	}
	p.FixedOverhead = &o
	return nil
}

// overheadFields reads a fixed_overhead mapping: budget and denominator
// (required), and with plant a basis (units by default). item names the
// item in errors, "" for the plant's.
func (d *Decoder) overheadFields(n *yaml.Node, item string, plant bool) (o bf.PlantOverhead, hasBudget bool, err error) {
	o = bf.PlantOverhead{Basis: bf.OverheadByUnits, Line: n.Line}
	fields, hasDenom := "(fields: budget, denominator)", false
	if plant {
		fields = "(fields: budget, basis, denominator)"
	}
	err = d.Fields(n, "fixed_overhead", func(key string, k, v *yaml.Node) error {
		s, err := d.Scalar(v, "fixed_overhead."+key)
		if err != nil {
			if e, ok := bf.AsError(err); ok {
				e.Item = item
			}
			return err
		}
		var why string
		switch {
		case key == "budget":
			o.Budget, why = bf.ParseMoney(s, d.Scale)
			hasBudget = true
		case key == "denominator":
			o.Denominator, why = bf.ParseQty(s)
			hasDenom = true
		case key == "basis" && plant:
			b, ok := bf.ParseOverheadBasis(s)
			if !ok {
				why = "must be units, machine_minutes or labour_minutes"
			}
			o.Basis = b
		default:
			why = "is not a fixed_overhead field " + fields
		}
		if why != "" {
			return d.ErrAt(v, bf.ItemID(item), bf.Field("fixed_overhead."+key), why)
		}
		return nil
	})
	if err == nil && !hasDenom {
		err = d.ErrAt(n, bf.ItemID(item), bf.Field("fixed_overhead.denominator"), "is missing")
	}
	return o, hasBudget, err
}

// SettleOverhead derives the rates of the items that absorb the plant's
// fixed overhead budget (bf.Plant.SpreadFixedOverhead) and splits their
// conversion. The decoders call it once the items and the plant's
// fixed_overhead are read, before the plant is validated.
func (d *Decoder) SettleOverhead(p *bf.Plant) error {
	if err := p.SpreadFixedOverhead(); err != nil {
		if e, ok := bf.AsError(err); ok {
			e.File = d.File
		}
		return err
	}
	for _, s := range d.shares {
		if err := d.splitConversion(&p.Items[s.item], s.conv, s.variable, s.fixed, s.overhead); err != nil {
			return err
		}
	}
	return nil
}

// splitConversion settles an item's conversion into variable and fixed
// parts from whichever fields were given: conversion_cost is the total;
// fixed_conversion, or fixed_overhead's budget over its denominator, the
// fixed part; variable_conversion the rest. Given all three, they must agree.
func (d *Decoder) splitConversion(it *bf.Item, conv, variable, fixed, overhead *yaml.Node) error {
	if overhead != nil {
		if fixed != nil {
			return d.ErrAt(fixed, bf.ItemID(it.ID), bf.Field("fixed_conversion"), "give fixed_conversion or fixed_overhead, not both")
		}
	}
	if overhead != nil && !it.PlantShare {
		rate, ok := bf.RateOf(it.FixedBudget, d.Scale, it.Denominator)
		if !ok {
			return d.ErrAt(overhead, bf.ItemID(it.ID), bf.Field("fixed_overhead.denominator"), "a denominator level must be positive (a denominator of zero has no rate)")
		}
		it.FixedConversion = rate
	}
	hasFixed := fixed != nil || overhead != nil
	switch {
	case conv != nil && variable != nil:
		// ConversionCost holds conversion_cost + variable_conversion here.
		// Undo the sum: the variable part must equal total − fixed.
		return d.ErrAt(variable, bf.ItemID(it.ID), bf.Field("variable_conversion"), "give conversion_cost or variable_conversion, not both (the variable part is conversion_cost − fixed)")
	case conv == nil && hasFixed:
		it.ConversionCost += it.FixedConversion
	}
	if it.FixedConversion > it.ConversionCost {
		n := fixed
		if n == nil {
			n = overhead
		}
		return d.ErrAt(n, bf.ItemID(it.ID), bf.Field("fixed_conversion"), "the fixed part "+it.FixedConversion.String()+" exceeds conversion_cost "+it.ConversionCost.String())
	}
	return nil
}

func (d *Decoder) bom(n *yaml.Node, it *bf.Item) error {
	list, err := d.List(n, "bom")
	if err != nil {
		return err
	}
	for _, ln := range list {
		l := bf.BOMLine{Line: ln.Line}
		hasQty := false
		err := d.Fields(ln, "bom", func(key string, k, v *yaml.Node) error {
			s, err := d.Scalar(v, "bom."+key)
			if err != nil {
				if e, ok := bf.AsError(err); ok {
					e.Item = it.ID
				}
				return err
			}
			var why string
			switch key {
			case "item":
				l.Item = s
			case "qty":
				l.Qty, why = bf.ParseQty(s)
				hasQty = true
			case "scrap_pct":
				l.ScrapPct, why = bf.ParsePct(s)
			default:
				return d.ErrAt(k, bf.ItemID(it.ID), bf.Field("bom."+key), "is not a BOM field (fields: item, qty, scrap_pct)")
			}
			if why != "" {
				return d.ErrAt(v, bf.ItemID(it.ID), bf.Field("bom."+key), why)
			}
			return nil
		})
		if err != nil {
			return err
		}
		if l.Item == "" || !hasQty {
			f := "bom.item"
			if l.Item != "" {
				f = "bom.qty"
			}
			return d.ErrAt(ln, bf.ItemID(it.ID), bf.Field(f), "is missing")
		}
		it.BOM = append(it.BOM, l)
	}
	return nil
}

// Root parses data as exactly one YAML document holding a mapping and
// returns the mapping; what says in an error what the mapping should hold.
func (d *Decoder) Root(data []byte, what string) (*yaml.Node, error) {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		return nil, bf.E(d.Op, bf.KindInvalid, bf.File(d.File), bf.LineNo(ErrLine(err)), "not valid YAML", err)
	}
	// A second document, well-formed or not, is refused: it would be
	// silently ignored otherwise.
	var extra yaml.Node
	if err := dec.Decode(&extra); err != io.EOF {
		line := extra.Line
		if err != nil {
			line = ErrLine(err)
		}
		return nil, bf.E(d.Op, bf.KindInvalid, bf.File(d.File), bf.LineNo(line), "only one YAML document is allowed")
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, bf.E(d.Op, bf.KindInvalid, bf.File(d.File), bf.LineNo(1), what)
	}
	return doc.Content[0], nil
}

// Currency reads root's optional currency field first, since it decides how
// amounts parse: it sets d.Scale and returns the currency (USD without one).
func (d *Decoder) Currency(root *yaml.Node) (bf.Currency, error) {
	c := bf.Currency{Code: "USD", Scale: 2}
	if v := Lookup(root, "currency"); v != nil {
		s, err := d.Scalar(v, "currency")
		if err != nil {
			return c, err
		}
		var ok bool
		if c, ok = bf.LookupCurrency(s); !ok {
			return c, d.ErrAt(v, bf.Field("currency"), "must be a three-letter ISO 4217 code such as USD")
		}
	}
	d.Scale = c.Scale
	return c, nil
}
