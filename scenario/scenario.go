// Package scenario is the YAML form of a plant's configuration (bf.Config):
// it reads a plant, its books and its events from one file (Load, Decode)
// and writes one (Write). Every value is read from its text (never through float64), and every
// error names the file, the line, the item or event, the field and the reason.
//
// The format is documented in docs/scenario.md.
package scenario

import (
	"errors"
	"os"
	"sort"
	"strconv"
	"strings"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/internal/yamlx"
	"go.yaml.in/yaml/v3"
)

// Load reads and decodes a scenario file.
func Load(path string) (*bf.Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, bf.E("read scenario", bf.KindNotFound, bf.File(path), err)
	}
	return Decode(path, data)
}

// decoder reads a scenario: the shared node helpers and item decoding of
// package yamlx, and the scenario's own sections.
type decoder struct {
	yamlx.Decoder
}

// Decode parses a scenario from data; file names the source in errors. The
// scenario is checked whole (plant, books, event fields) but its events are
// not posted: Build does that.
func Decode(file string, data []byte) (*bf.Config, error) {
	d := &decoder{yamlx.Decoder{File: file, Op: "decode scenario", Scale: 2}}
	root, err := d.Root(data, "a scenario is a YAML mapping with items, books and events")
	if err != nil {
		return nil, err
	}
	sc := &bf.Config{}
	if sc.Plant.Currency, err = d.Currency(root); err != nil {
		return nil, err
	}
	var itemsNode *yaml.Node
	err = d.Fields(root, "", func(key string, k, v *yaml.Node) error {
		switch key {
		case "name":
			s, err := d.Scalar(v, key)
			sc.Name, sc.Plant.Name = s, s
			return err
		case "currency":
			return nil
		case "items":
			itemsNode = v
			return d.Items(v, &sc.Plant)
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
		case "fixed_overhead":
			return d.PlantOverhead(v, &sc.Plant)
		case "conversion_rate":
			s, err := d.Scalar(v, key)
			if err != nil {
				return err
			}
			var why string
			if sc.Plant.ConversionRate, why = bf.ParseCost(s); why == "" && sc.Plant.ConversionRate <= 0 {
				why = "must be positive (the standard conversion cost of an hour worked)"
			}
			if why != "" {
				return d.ErrAt(v, bf.Field(key), why)
			}
			return nil
		}
		return d.ErrAt(k, bf.Field(key), "is not a scenario field (fields: name, currency, items, fixed_overhead, conversion_rate, books, close, accounts, events, throughput)")
	})
	if err != nil {
		return nil, err
	}
	if itemsNode == nil {
		return nil, d.ErrAt(root, bf.Field("items"), "is missing: a scenario needs the plant's items")
	}
	if err := d.SettleOverhead(&sc.Plant); err != nil {
		return nil, err
	}
	if err := sc.Plant.Validate(); err != nil {
		var e *bf.Error
		if errors.As(err, &e) {
			e.File = d.File
		}
		return nil, err
	}
	if sc.Books == nil {
		sc.Books = bf.DefaultBooks()
	}
	return sc, nil
}

func (d *decoder) books(n *yaml.Node, sc *bf.Config) error {
	list, err := d.List(n, "books")
	if err != nil {
		return err
	}
	sc.Books = []bf.BookConfig{}
	for _, bn := range list {
		var c bf.BookConfig
		var trigNode *yaml.Node
		err := d.Fields(bn, "books", func(key string, k, v *yaml.Node) error {
			switch key {
			case "name":
				s, err := d.Scalar(v, key)
				c.Name = s
				return err
			case "method":
				s, err := d.Scalar(v, key)
				if err != nil {
					return err
				}
				m, ok := bf.ParseMethod(s)
				if !ok {
					return d.ErrAt(v, bf.Field(key), "must be sequential or backflush")
				}
				c.Method = m
			case "triggers":
				trigNode = v
				ts, err := d.List(v, key)
				if err != nil {
					return err
				}
				for _, tn := range ts {
					s, err := d.Scalar(tn, key)
					if err != nil {
						return err
					}
					t, ok := bf.ParseTrigger(s)
					if !ok {
						return d.ErrAt(tn, bf.Field(key), "must be purchase, completion or sale")
					}
					c.Triggers |= t
				}
			case "scope":
				s, err := d.Scalar(v, key)
				if err != nil {
					return err
				}
				sc, ok := bf.ParseScope(s)
				if !ok {
					return d.ErrAt(v, bf.Field(key), "must be absorption, variable or throughput")
				}
				c.Scope = sc
			case "basis":
				s, err := d.Scalar(v, key)
				if err != nil {
					return err
				}
				b, ok := bf.ParseBasis(s)
				if !ok {
					return d.ErrAt(v, bf.Field(key), "must be standard, fifo or weighted_average")
				}
				c.Basis = b
			case "lcnrv":
				p, err := d.lcnrvPolicy(v)
				c.LCNRV = p
				return err
			case "external":
				s, err := d.Scalar(v, key)
				if err != nil {
					return err
				}
				switch s {
				case "true":
					c.External = true
				case "false":
				default:
					return d.ErrAt(v, bf.Field(key), "must be true or false")
				}
			default:
				return d.ErrAt(k, bf.Field(key), "is not a book field (fields: name, method, triggers, scope, basis, lcnrv, external)")
			}
			return nil
		})
		if err != nil {
			return err
		}
		if err := c.Validate(); err != nil {
			if e, ok := bf.AsError(err); ok {
				e.File, e.Line = d.File, bn.Line
				if e.Field == "triggers" && trigNode != nil {
					e.Line = trigNode.Line
				}
			}
			return err
		}
		for _, o := range sc.Books {
			if o.Name == c.Name {
				return d.ErrAt(bn, bf.Field("name"), "two books are named "+c.Name)
			}
		}
		sc.Books = append(sc.Books, c)
	}
	if len(sc.Books) == 0 {
		return d.ErrAt(n, bf.Field("books"), "lists no book; leave it out to keep the default books")
	}
	return nil
}

// lcnrvPolicy reads a book's lcnrv: {basis: item|class|total, standard:
// us_gaap|ias2, fiscal_year_start: MM-DD}; "off" (or false) means none. A
// policy bf.LCNRVPolicy.Validate refuses (IAS 2 on a total basis) is
// refused at the line of the field at fault.
func (d *decoder) lcnrvPolicy(n *yaml.Node) (*bf.LCNRVPolicy, error) {
	if n.Kind == yaml.ScalarNode && (n.Value == "off" || n.Value == "false") {
		return nil, nil
	}
	p := &bf.LCNRVPolicy{Basis: bf.LCNRVByItem, Standard: bf.USGAAP}
	at := map[string]*yaml.Node{}
	err := d.Fields(n, "lcnrv", func(key string, k, v *yaml.Node) error {
		s, err := d.Scalar(v, "lcnrv."+key)
		if err != nil {
			return err
		}
		at[key] = v
		switch key {
		case "basis":
			b, ok := bf.ParseLCNRVBasis(s)
			if !ok {
				return d.ErrAt(v, bf.Field("lcnrv.basis"), "must be item, class or total")
			}
			p.Basis = b
		case "standard":
			st, ok := bf.ParseLCNRVStandard(s)
			if !ok {
				return d.ErrAt(v, bf.Field("lcnrv.standard"), "must be us_gaap or ias2")
			}
			p.Standard = st
		case "fiscal_year_start":
			m, ok := bf.ParseMonthDay(s)
			if !ok {
				return d.ErrAt(v, bf.Field("lcnrv.fiscal_year_start"), "must be the first day of the fiscal year as MM-DD (07-01 for July 1); 02-29 is not in every year")
			}
			p.FiscalYearStart = m
		default:
			return d.ErrAt(k, bf.Field("lcnrv."+key), "is not an lcnrv field (fields: basis, standard, fiscal_year_start)")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var be *bf.Error
	if err := p.Validate(); errors.As(err, &be) {
		node := at[be.Field]
		if node == nil {
			node = n
		}
		return nil, d.ErrAt(node, bf.Field("lcnrv."+be.Field), be.Reason)
	}
	return p, nil
}

func (d *decoder) closeOpts(n *yaml.Node, sc *bf.Config) error {
	return d.Fields(n, "close", func(key string, k, v *yaml.Node) error {
		if key != "conversion_variance" {
			return d.ErrAt(k, bf.Field(key), "is not a close option (options: conversion_variance)")
		}
		s, err := d.Scalar(v, key)
		if err != nil {
			return err
		}
		switch s {
		case "cogs":
			sc.Close = bf.CloseToCOGS
		case "prorate":
			sc.Close = bf.CloseProrate
		default:
			return d.ErrAt(v, bf.Field(key), "must be cogs or prorate")
		}
		return nil
	})
}

func (d *decoder) accounts(n *yaml.Node, c *bf.Chart) error {
	return d.Fields(n, "accounts", func(key string, k, v *yaml.Node) error {
		a, ok := bf.ParseAccount(key)
		if !ok {
			ids := make([]string, bf.NumAccounts)
			for i := range ids {
				ids[i] = bf.Account(i).String()
			}
			sort.Strings(ids)
			return d.ErrAt(k, bf.Field("accounts"), "unknown account "+key+" (accounts: "+strings.Join(ids, ", ")+")")
		}
		if v.Kind == yaml.MappingNode {
			return d.Fields(v, "accounts."+key, func(f string, fk, fv *yaml.Node) error {
				s, err := d.Scalar(fv, "accounts."+key+"."+f)
				if err != nil {
					return err
				}
				switch f {
				case "code":
					c.Code[a] = s
				case "name":
					c.Name[a] = s
				default:
					return d.ErrAt(fk, bf.Field("accounts."+key+"."+f), "is not an account field (fields: code, name)")
				}
				return nil
			})
		}
		s, err := d.Scalar(v, "accounts."+key)
		c.Code[a] = s
		return err
	})
}

func (d *decoder) events(n *yaml.Node, sc *bf.Config) error {
	list, err := d.List(n, "events")
	if err != nil {
		return err
	}
	sc.Events = make([]bf.Event, 0, len(list))
	ids := make(map[string]int, len(list))
	for _, en := range list {
		e := bf.Event{Line: en.Line}
		err := d.Fields(en, "events", func(key string, k, v *yaml.Node) error {
			s, err := d.Scalar(v, key)
			if err != nil {
				if be, ok := bf.AsError(err); ok {
					be.Event = e.ID
				}
				return err
			}
			if why := e.Set(key, s, d.Scale); why != "" {
				line := v.Line
				if strings.HasPrefix(why, "is not an event field") {
					line = k.Line
				}
				return bf.E("decode scenario", bf.KindInvalid, bf.File(d.File), bf.LineNo(line), bf.EventID(e.ID), bf.Field(key), why)
			}
			return nil
		})
		if err != nil {
			return err
		}
		if e.Type == 0 {
			return bf.E("decode scenario", bf.KindInvalid, bf.File(d.File), bf.LineNo(en.Line), bf.EventID(e.ID), bf.Field("type"), "is missing")
		}
		if err := e.Validate(); err != nil {
			if be, ok := bf.AsError(err); ok {
				be.File = d.File
			}
			return err
		}
		if first, dup := ids[e.ID]; dup {
			prev := &sc.Events[first]
			if !prev.SameContent(&e) {
				return bf.E("decode scenario", bf.KindConflict, bf.File(d.File), bf.LineNo(e.Line), bf.EventID(e.ID), bf.Field("id"),
					"repeats the id of the event at line "+strconv.Itoa(prev.Line)+" with other content")
			}
		} else {
			ids[e.ID] = len(sc.Events)
		}
		sc.Events = append(sc.Events, e)
	}
	return nil
}

func (d *decoder) throughput(n *yaml.Node, sc *bf.Config) error {
	t := &bf.ThroughputData{Line: n.Line}
	err := d.Fields(n, "throughput", func(key string, k, v *yaml.Node) error {
		switch key {
		case "operating_expenses":
			s, err := d.Scalar(v, "throughput."+key)
			if err != nil {
				return err
			}
			var why string
			t.OperatingExpenses, why = bf.ParseMoney(s, d.Scale)
			if why != "" {
				return d.ErrAt(v, bf.Field("throughput."+key), why)
			}
		case "resources":
			list, err := d.List(v, "throughput.resources")
			if err != nil {
				return err
			}
			for _, rn := range list {
				var r bf.Resource
				err := d.Fields(rn, "throughput.resources", func(key string, k, v *yaml.Node) error {
					s, err := d.Scalar(v, "throughput.resources."+key)
					if err != nil {
						return err
					}
					switch key {
					case "name":
						r.Name = s
					case "capacity":
						var why string
						if r.Capacity, why = bf.ParseQty(s); why != "" {
							return d.ErrAt(v, bf.Field("throughput.resources.capacity"), why)
						}
					default:
						return d.ErrAt(k, bf.Field("throughput.resources."+key), "is not a resource field (fields: name, capacity)")
					}
					return nil
				})
				if err != nil {
					return err
				}
				t.Resources = append(t.Resources, r)
			}
		case "products":
			list, err := d.List(v, "throughput.products")
			if err != nil {
				return err
			}
			for _, pn := range list {
				p := bf.ThroughputProduct{Line: pn.Line}
				err := d.Fields(pn, "throughput.products", func(key string, k, v *yaml.Node) error {
					if key == "minutes" {
						ms, err := d.List(v, "throughput.products.minutes")
						if err != nil {
							return err
						}
						for _, mn := range ms {
							s, err := d.Scalar(mn, "throughput.products.minutes")
							if err != nil {
								return err
							}
							q, why := bf.ParseQty(s)
							if why != "" {
								return d.ErrAt(mn, bf.Field("throughput.products.minutes"), why)
							}
							p.Minutes = append(p.Minutes, q)
						}
						return nil
					}
					s, err := d.Scalar(v, "throughput.products."+key)
					if err != nil {
						return err
					}
					switch key {
					case "item":
						p.Item = s
					case "demand":
						var why string
						if p.Demand, why = bf.ParseQty(s); why != "" {
							return d.ErrAt(v, bf.Field("throughput.products.demand"), why)
						}
					default:
						return d.ErrAt(k, bf.Field("throughput.products."+key), "is not a product field (fields: item, minutes, demand)")
					}
					return nil
				})
				if err != nil {
					return err
				}
				t.Products = append(t.Products, p)
			}
		default:
			return d.ErrAt(k, bf.Field("throughput."+key), "is not a throughput field (fields: operating_expenses, resources, products)")
		}
		return nil
	})
	if err != nil {
		return err
	}
	sc.Throughput = t
	return nil
}
