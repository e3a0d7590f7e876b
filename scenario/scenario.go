// Package scenario reads a plant, its books and its events from one YAML
// file. Every value is read from its text (never through float64), and every
// error names the file, the line, the item or event, the field and the reason.
//
// The format is documented in docs/scenario.md.
package scenario

import (
	"bytes"
	"errors"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/lcnrv"
	"go.yaml.in/yaml/v3"
)

// Scenario is a decoded scenario file: master data, books and events.
type Scenario struct {
	Name   string
	Plant  bf.Plant
	Books  []costing.BookConfig
	Close  costing.ClosePolicy
	Chart  bf.Chart
	Events []bf.Event
	// Throughput is the bottleneck data for throughput decision support.
	Throughput *Throughput
}

// Throughput is a scenario's throughput section: the constrained resources
// with their capacity in minutes per period, the period's operating expenses,
// and each product's minutes on every resource and demand limit. Prices and
// material costs come from the items.
type Throughput struct {
	OperatingExpenses bf.Money
	Resources         []Resource
	Products          []ThroughputProduct
	Line              int
}

// Resource is one constrained resource; the first listed is the bottleneck.
type Resource struct {
	Name     string
	Capacity bf.Qty // minutes per period
}

// ThroughputProduct is one product's use of the resources.
type ThroughputProduct struct {
	Item    string
	Minutes []bf.Qty // per unit, one per resource
	Demand  bf.Qty   // zero: no limit
	Line    int
}

// DefaultBooks are the books kept when a scenario names none: sequential
// tracking and the four textbook backflush variants.
func DefaultBooks() []costing.BookConfig {
	return []costing.BookConfig{
		{Name: "sequential", Method: costing.Sequential},
		{Name: "purchase+completion", Method: costing.Backflush, Triggers: costing.TriggerPurchase | costing.TriggerCompletion},
		{Name: "purchase+sale", Method: costing.Backflush, Triggers: costing.TriggerPurchase | costing.TriggerSale},
		{Name: "completion", Method: costing.Backflush, Triggers: costing.TriggerCompletion},
		{Name: "sale", Method: costing.Backflush, Triggers: costing.TriggerSale},
	}
}

// Load reads and decodes a scenario file.
func Load(path string) (*Scenario, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &bf.Error{Kind: bf.KindNotFound, Op: "read scenario", File: path, Err: err}
	}
	return Decode(path, data)
}

// decoder carries the file name into errors.
type decoder struct {
	file  string
	scale int
}

func (d *decoder) errAt(n *yaml.Node, field, reason string) *bf.Error {
	return &bf.Error{Kind: bf.KindInvalid, Op: "decode scenario", File: d.file, Line: n.Line, Field: field, Reason: reason}
}

// Decode parses a scenario from data; file names the source in errors. The
// scenario is checked whole (plant, books, event fields) but its events are
// not posted: Build does that.
func Decode(file string, data []byte) (*Scenario, error) {
	d := &decoder{file: file, scale: 2}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		return nil, &bf.Error{Kind: bf.KindInvalid, Op: "decode scenario", File: file, Line: yamlErrLine(err), Reason: "not valid YAML", Err: err}
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err != io.EOF {
		line := extra.Line
		if err != nil {
			line = yamlErrLine(err)
		}
		return nil, &bf.Error{Kind: bf.KindInvalid, Op: "decode scenario", File: file, Line: line, Reason: "only one YAML document is allowed"}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, &bf.Error{Kind: bf.KindInvalid, Op: "decode scenario", File: file, Line: 1, Reason: "a scenario is a YAML mapping with items, books and events"}
	}
	root := doc.Content[0]
	sc := &Scenario{Plant: bf.Plant{Currency: bf.Currency{Code: "USD", Scale: 2}}}
	// The currency decides how amounts parse, so read it first.
	if v := lookup(root, "currency"); v != nil {
		s, err := d.scalar(v, "currency")
		if err != nil {
			return nil, err
		}
		c, ok := bf.LookupCurrency(s)
		if !ok {
			return nil, d.errAt(v, "currency", "must be a three-letter ISO 4217 code such as USD")
		}
		sc.Plant.Currency, d.scale = c, c.Scale
	}
	var itemsNode *yaml.Node
	err := d.fields(root, "", func(key string, k, v *yaml.Node) error {
		switch key {
		case "name":
			s, err := d.scalar(v, key)
			sc.Name, sc.Plant.Name = s, s
			return err
		case "currency":
			return nil
		case "items":
			itemsNode = v
			return d.items(v, &sc.Plant)
		case "books":
			return d.books(v, sc)
		case "close":
			return d.closeOpts(v, sc)
		case "accounts":
			return d.accounts(v, &sc.Chart)
		case "events":
			return d.events(v, sc)
		case "throughput":
			return d.throughput(v, sc)
		}
		return d.errAt(k, key, "is not a scenario field (fields: name, currency, items, books, close, accounts, events, throughput)")
	})
	if err != nil {
		return nil, err
	}
	if itemsNode == nil {
		return nil, d.errAt(root, "items", "is missing: a scenario needs the plant's items")
	}
	if err := sc.Plant.Validate(); err != nil {
		var e *bf.Error
		if errors.As(err, &e) {
			e.File = d.file
		}
		return nil, err
	}
	if sc.Books == nil {
		sc.Books = DefaultBooks()
	}
	return sc, nil
}

// Build compiles the scenario's standards, opens its books and posts its
// events in order. It stops at the first event refused; the error names it.
func (sc *Scenario) Build(file string) (*costing.Ledger, error) {
	std, err := costing.Compile(&sc.Plant)
	if err != nil {
		return nil, withFile(err, file)
	}
	l, err := costing.NewLedger(std, sc.Books, sc.Close)
	if err != nil {
		return nil, withFile(err, file)
	}
	if err := PostAll(l, sc.Events, file); err != nil {
		return nil, err
	}
	return l, nil
}

// PostAll posts events in order, stopping at the first refused; the error
// names file (where the events came from) and the event's line.
func PostAll(l *costing.Ledger, events []bf.Event, file string) error {
	l.Grow(len(events), 8)
	for i := range events {
		if err := l.Post(&events[i]); err != nil {
			return withFile(err, file)
		}
	}
	return nil
}

func withFile(err error, file string) error {
	var e *bf.Error
	if errors.As(err, &e) && e.File == "" {
		e.File = file
	}
	return err
}

func yamlErrLine(err error) int {
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

// lookup returns the value of key in a mapping, or nil.
func lookup(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// fields calls f for each key of a mapping, refusing duplicates and non-scalar keys.
func (d *decoder) fields(m *yaml.Node, what string, f func(key string, k, v *yaml.Node) error) error {
	if m.Kind != yaml.MappingNode {
		return d.errAt(m, what, "must be a mapping of fields")
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return d.errAt(k, what, "a field name must be plain text")
		}
		if seen[k.Value] {
			return d.errAt(k, k.Value, "is given twice")
		}
		seen[k.Value] = true
		if err := f(k.Value, k, v); err != nil {
			return err
		}
	}
	return nil
}

// scalar returns the text of a scalar node; null is refused.
func (d *decoder) scalar(n *yaml.Node, field string) (string, error) {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return "", d.errAt(n, field, "must be a single value")
	}
	return n.Value, nil
}

// list returns the elements of a sequence node.
func (d *decoder) list(n *yaml.Node, field string) ([]*yaml.Node, error) {
	if n.Kind != yaml.SequenceNode {
		return nil, d.errAt(n, field, "must be a list")
	}
	return n.Content, nil
}

func (d *decoder) items(n *yaml.Node, p *bf.Plant) error {
	list, err := d.list(n, "items")
	if err != nil {
		return err
	}
	p.Items = make([]bf.Item, 0, len(list))
	for _, in := range list {
		it := bf.Item{Line: in.Line}
		var conv, variable, fixed *yaml.Node // which conversion fields were given
		var overhead *yaml.Node
		err := d.fields(in, "items", func(key string, k, v *yaml.Node) error {
			bad := func(reason string) error {
				e := d.errAt(v, key, reason)
				e.Item = it.ID
				return e
			}
			if key == "bom" {
				return d.bom(v, &it)
			}
			if key == "fixed_overhead" {
				overhead = v
				return d.fixedOverhead(v, &it)
			}
			s, err := d.scalar(v, key)
			if err != nil {
				err.(*bf.Error).Item = it.ID
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
					return bad("must be material, assembly, finished or phantom")
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
					return bad("must be allow, queue or reject")
				}
				it.Shortage = sh
			default:
				return d.errAt(k, key, "is not an item field (fields: id, name, kind, uom, standard_cost, conversion_cost, variable_conversion, fixed_conversion, fixed_overhead, price, selling_cost, nrv, class, shortage, bom)")
			}
			if why != "" {
				return bad(why)
			}
			return nil
		})
		if err != nil {
			return err
		}
		if it.Kind == 0 {
			e := d.errAt(in, "kind", "is missing")
			e.Item = it.ID
			return e
		}
		if err := d.splitConversion(&it, conv, variable, fixed, overhead); err != nil {
			return err
		}
		p.Items = append(p.Items, it)
	}
	return nil
}

// fixedOverhead reads {budget, denominator}: the period's budgeted fixed
// overhead for the item's level and the units it is spread over.
func (d *decoder) fixedOverhead(n *yaml.Node, it *bf.Item) error {
	var hasBudget, hasDenom bool
	err := d.fields(n, "fixed_overhead", func(key string, k, v *yaml.Node) error {
		s, err := d.scalar(v, "fixed_overhead."+key)
		if err != nil {
			err.(*bf.Error).Item = it.ID
			return err
		}
		var why string
		switch key {
		case "budget":
			it.FixedBudget, why = bf.ParseMoney(s, d.scale)
			hasBudget = true
		case "denominator":
			it.Denominator, why = bf.ParseQty(s)
			hasDenom = true
		default:
			why = "is not a fixed_overhead field (fields: budget, denominator)"
		}
		if why != "" {
			e := d.errAt(v, "fixed_overhead."+key, why)
			e.Item = it.ID
			return e
		}
		return nil
	})
	if err != nil {
		return err
	}
	if !hasBudget || !hasDenom {
		f := "fixed_overhead.budget"
		if hasBudget {
			f = "fixed_overhead.denominator"
		}
		e := d.errAt(n, f, "is missing")
		e.Item = it.ID
		return e
	}
	return nil
}

// splitConversion settles an item's conversion into variable and fixed
// parts from whichever fields were given: conversion_cost is the total;
// fixed_conversion, or fixed_overhead's budget over its denominator, the
// fixed part; variable_conversion the rest. Given all three, they must agree.
func (d *decoder) splitConversion(it *bf.Item, conv, variable, fixed, overhead *yaml.Node) error {
	bad := func(n *yaml.Node, field, reason string) error {
		e := d.errAt(n, field, reason)
		e.Item = it.ID
		return e
	}
	if overhead != nil {
		if fixed != nil {
			return bad(fixed, "fixed_conversion", "give fixed_conversion or fixed_overhead, not both")
		}
		rate, ok := bf.RateOf(it.FixedBudget, d.scale, it.Denominator)
		if !ok {
			return bad(overhead, "fixed_overhead.denominator", "a denominator level must be positive (a denominator of zero has no rate)")
		}
		it.FixedConversion = rate
	}
	hasFixed := fixed != nil || overhead != nil
	switch {
	case conv != nil && variable != nil:
		// ConversionCost holds conversion_cost + variable_conversion here.
		// Undo the sum: the variable part must equal total − fixed.
		return bad(variable, "variable_conversion", "give conversion_cost or variable_conversion, not both (the variable part is conversion_cost − fixed)")
	case conv == nil && hasFixed:
		it.ConversionCost += it.FixedConversion
	}
	if it.FixedConversion > it.ConversionCost {
		n := fixed
		if n == nil {
			n = overhead
		}
		return bad(n, "fixed_conversion", "the fixed part "+it.FixedConversion.String()+" exceeds conversion_cost "+it.ConversionCost.String())
	}
	return nil
}

func (d *decoder) bom(n *yaml.Node, it *bf.Item) error {
	list, err := d.list(n, "bom")
	if err != nil {
		return err
	}
	for _, ln := range list {
		l := bf.BOMLine{Line: ln.Line}
		hasQty := false
		err := d.fields(ln, "bom", func(key string, k, v *yaml.Node) error {
			s, err := d.scalar(v, "bom."+key)
			if err != nil {
				err.(*bf.Error).Item = it.ID
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
				e := d.errAt(k, "bom."+key, "is not a BOM field (fields: item, qty, scrap_pct)")
				e.Item = it.ID
				return e
			}
			if why != "" {
				e := d.errAt(v, "bom."+key, why)
				e.Item = it.ID
				return e
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
			e := d.errAt(ln, f, "is missing")
			e.Item = it.ID
			return e
		}
		it.BOM = append(it.BOM, l)
	}
	return nil
}

func (d *decoder) books(n *yaml.Node, sc *Scenario) error {
	list, err := d.list(n, "books")
	if err != nil {
		return err
	}
	sc.Books = []costing.BookConfig{}
	for _, bn := range list {
		var c costing.BookConfig
		var trigNode *yaml.Node
		err := d.fields(bn, "books", func(key string, k, v *yaml.Node) error {
			switch key {
			case "name":
				s, err := d.scalar(v, key)
				c.Name = s
				return err
			case "method":
				s, err := d.scalar(v, key)
				if err != nil {
					return err
				}
				m, ok := costing.ParseMethod(s)
				if !ok {
					return d.errAt(v, key, "must be sequential or backflush")
				}
				c.Method = m
			case "triggers":
				trigNode = v
				ts, err := d.list(v, key)
				if err != nil {
					return err
				}
				for _, tn := range ts {
					s, err := d.scalar(tn, key)
					if err != nil {
						return err
					}
					t, ok := costing.ParseTrigger(s)
					if !ok {
						return d.errAt(tn, key, "must be purchase, completion or sale")
					}
					c.Triggers |= t
				}
			case "scope":
				s, err := d.scalar(v, key)
				if err != nil {
					return err
				}
				sc, ok := costing.ParseScope(s)
				if !ok {
					return d.errAt(v, key, "must be absorption, variable or throughput")
				}
				c.Scope = sc
			case "basis":
				s, err := d.scalar(v, key)
				if err != nil {
					return err
				}
				b, ok := costing.ParseBasis(s)
				if !ok {
					return d.errAt(v, key, "must be standard, fifo or weighted_average")
				}
				c.Basis = b
			case "lcnrv":
				p, err := d.lcnrvPolicy(v)
				c.LCNRV = p
				return err
			default:
				return d.errAt(k, key, "is not a book field (fields: name, method, triggers, scope, basis, lcnrv)")
			}
			return nil
		})
		if err != nil {
			return err
		}
		if err := c.Validate(); err != nil {
			e := err.(*bf.Error)
			e.File, e.Line = d.file, bn.Line
			if e.Field == "triggers" && trigNode != nil {
				e.Line = trigNode.Line
			}
			return e
		}
		for _, o := range sc.Books {
			if o.Name == c.Name {
				return d.errAt(bn, "name", "two books are named "+c.Name)
			}
		}
		sc.Books = append(sc.Books, c)
	}
	if len(sc.Books) == 0 {
		return d.errAt(n, "books", "lists no book; leave it out to keep the default books")
	}
	return nil
}

// lcnrvPolicy reads a book's lcnrv: {basis: item|class|total, standard:
// us_gaap|ias2}; "off" (or false) means none.
func (d *decoder) lcnrvPolicy(n *yaml.Node) (*costing.LCNRVPolicy, error) {
	if n.Kind == yaml.ScalarNode && (n.Value == "off" || n.Value == "false") {
		return nil, nil
	}
	p := &costing.LCNRVPolicy{Basis: lcnrv.ByItem, Standard: lcnrv.USGAAP}
	err := d.fields(n, "lcnrv", func(key string, k, v *yaml.Node) error {
		s, err := d.scalar(v, "lcnrv."+key)
		if err != nil {
			return err
		}
		switch key {
		case "basis":
			b, ok := lcnrv.ParseBasis(s)
			if !ok {
				return d.errAt(v, "lcnrv.basis", "must be item, class or total")
			}
			p.Basis = b
		case "standard":
			st, ok := lcnrv.ParseStandard(s)
			if !ok {
				return d.errAt(v, "lcnrv.standard", "must be us_gaap or ias2")
			}
			p.Standard = st
		default:
			return d.errAt(k, "lcnrv."+key, "is not an lcnrv field (fields: basis, standard)")
		}
		return nil
	})
	return p, err
}

func (d *decoder) closeOpts(n *yaml.Node, sc *Scenario) error {
	return d.fields(n, "close", func(key string, k, v *yaml.Node) error {
		if key != "conversion_variance" {
			return d.errAt(k, key, "is not a close option (options: conversion_variance)")
		}
		s, err := d.scalar(v, key)
		if err != nil {
			return err
		}
		switch s {
		case "cogs":
			sc.Close = costing.CloseToCOGS
		case "prorate":
			sc.Close = costing.CloseProrate
		default:
			return d.errAt(v, key, "must be cogs or prorate")
		}
		return nil
	})
}

func (d *decoder) accounts(n *yaml.Node, c *bf.Chart) error {
	return d.fields(n, "accounts", func(key string, k, v *yaml.Node) error {
		a, ok := bf.ParseAccount(key)
		if !ok {
			ids := make([]string, bf.NumAccounts)
			for i := range ids {
				ids[i] = bf.Account(i).String()
			}
			sort.Strings(ids)
			return d.errAt(k, "accounts", "unknown account "+key+" (accounts: "+strings.Join(ids, ", ")+")")
		}
		if v.Kind == yaml.MappingNode {
			return d.fields(v, "accounts."+key, func(f string, fk, fv *yaml.Node) error {
				s, err := d.scalar(fv, "accounts."+key+"."+f)
				if err != nil {
					return err
				}
				switch f {
				case "code":
					c.Code[a] = s
				case "name":
					c.Name[a] = s
				default:
					return d.errAt(fk, "accounts."+key+"."+f, "is not an account field (fields: code, name)")
				}
				return nil
			})
		}
		s, err := d.scalar(v, "accounts."+key)
		c.Code[a] = s
		return err
	})
}

func (d *decoder) events(n *yaml.Node, sc *Scenario) error {
	list, err := d.list(n, "events")
	if err != nil {
		return err
	}
	sc.Events = make([]bf.Event, 0, len(list))
	ids := make(map[string]int, len(list))
	for _, en := range list {
		e := bf.Event{Line: en.Line}
		err := d.fields(en, "events", func(key string, k, v *yaml.Node) error {
			s, err := d.scalar(v, key)
			if err != nil {
				err.(*bf.Error).Event = e.ID
				return err
			}
			if why := e.Set(key, s, d.scale); why != "" {
				line := v.Line
				if strings.HasPrefix(why, "is not an event field") {
					line = k.Line
				}
				return &bf.Error{Kind: bf.KindInvalid, Op: "decode scenario", File: d.file, Line: line, Event: e.ID, Field: key, Reason: why}
			}
			return nil
		})
		if err != nil {
			return err
		}
		if e.Type == 0 {
			return &bf.Error{Kind: bf.KindInvalid, Op: "decode scenario", File: d.file, Line: en.Line, Event: e.ID, Field: "type", Reason: "is missing"}
		}
		if err := e.Validate(); err != nil {
			err.(*bf.Error).File = d.file
			return err
		}
		if first, dup := ids[e.ID]; dup {
			prev := &sc.Events[first]
			if !prev.SameContent(&e) {
				return &bf.Error{Kind: bf.KindConflict, Op: "decode scenario", File: d.file, Line: e.Line, Event: e.ID, Field: "id",
					Reason: "repeats the id of the event at line " + strconv.Itoa(prev.Line) + " with other content"}
			}
		} else {
			ids[e.ID] = len(sc.Events)
		}
		sc.Events = append(sc.Events, e)
	}
	return nil
}

func (d *decoder) throughput(n *yaml.Node, sc *Scenario) error {
	t := &Throughput{Line: n.Line}
	err := d.fields(n, "throughput", func(key string, k, v *yaml.Node) error {
		switch key {
		case "operating_expenses":
			s, err := d.scalar(v, "throughput."+key)
			if err != nil {
				return err
			}
			var why string
			t.OperatingExpenses, why = bf.ParseMoney(s, d.scale)
			if why != "" {
				return d.errAt(v, "throughput."+key, why)
			}
		case "resources":
			list, err := d.list(v, "throughput.resources")
			if err != nil {
				return err
			}
			for _, rn := range list {
				var r Resource
				err := d.fields(rn, "throughput.resources", func(key string, k, v *yaml.Node) error {
					s, err := d.scalar(v, "throughput.resources."+key)
					if err != nil {
						return err
					}
					switch key {
					case "name":
						r.Name = s
					case "capacity":
						var why string
						if r.Capacity, why = bf.ParseQty(s); why != "" {
							return d.errAt(v, "throughput.resources.capacity", why)
						}
					default:
						return d.errAt(k, "throughput.resources."+key, "is not a resource field (fields: name, capacity)")
					}
					return nil
				})
				if err != nil {
					return err
				}
				t.Resources = append(t.Resources, r)
			}
		case "products":
			list, err := d.list(v, "throughput.products")
			if err != nil {
				return err
			}
			for _, pn := range list {
				p := ThroughputProduct{Line: pn.Line}
				err := d.fields(pn, "throughput.products", func(key string, k, v *yaml.Node) error {
					if key == "minutes" {
						ms, err := d.list(v, "throughput.products.minutes")
						if err != nil {
							return err
						}
						for _, mn := range ms {
							s, err := d.scalar(mn, "throughput.products.minutes")
							if err != nil {
								return err
							}
							q, why := bf.ParseQty(s)
							if why != "" {
								return d.errAt(mn, "throughput.products.minutes", why)
							}
							p.Minutes = append(p.Minutes, q)
						}
						return nil
					}
					s, err := d.scalar(v, "throughput.products."+key)
					if err != nil {
						return err
					}
					switch key {
					case "item":
						p.Item = s
					case "demand":
						var why string
						if p.Demand, why = bf.ParseQty(s); why != "" {
							return d.errAt(v, "throughput.products.demand", why)
						}
					default:
						return d.errAt(k, "throughput.products."+key, "is not a product field (fields: item, minutes, demand)")
					}
					return nil
				})
				if err != nil {
					return err
				}
				t.Products = append(t.Products, p)
			}
		default:
			return d.errAt(k, "throughput."+key, "is not a throughput field (fields: operating_expenses, resources, products)")
		}
		return nil
	})
	if err != nil {
		return err
	}
	sc.Throughput = t
	return nil
}
