package sim

import (
	"bytes"
	_ "embed"
	"errors"
	"os"
	"strconv"
	"strings"

	bf "github.com/backflush/backflush"
	"go.yaml.in/yaml/v3"
)

//go:embed default.yaml
var defaultPlant []byte

// DefaultFile is the name the built-in plant goes by in messages.
const DefaultFile = "default-plant.yaml"

// DefaultYAML returns the text of the built-in plant, a starting point for
// a plant file of one's own.
func DefaultYAML() []byte { return bytes.Clone(defaultPlant) }

// Default returns the built-in plant: a vehicle assembly line fed by an
// engine shop and a body shop, fed in turn by suppliers.
func Default() *Model {
	m, err := Decode(DefaultFile, defaultPlant)
	if err != nil {
		panic("sim: the built-in plant is invalid: " + err.Error())
	}
	return m
}

// Load reads and decodes a plant file.
func Load(path string) (*Model, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &bf.Error{Kind: bf.KindNotFound, Op: "read plant", File: path, Err: err}
	}
	return Decode(path, data)
}

// decoder carries the file name into errors.
type decoder struct {
	file  string
	scale int
}

func (d *decoder) errAt(n *yaml.Node, field, reason string) *bf.Error {
	return &bf.Error{Kind: bf.KindInvalid, Op: "decode plant", File: d.file, Line: n.Line, Field: field, Reason: reason}
}

// Decode parses a plant file; file names the source in errors. Every value
// is read from its text (never through float64), unknown fields are refused
// and the whole model is validated, so a plant that decodes can be run.
func Decode(file string, data []byte) (*Model, error) {
	d := &decoder{file: file, scale: 2}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		return nil, &bf.Error{Kind: bf.KindInvalid, Op: "decode plant", File: file, Line: yamlErrLine(err), Reason: "not valid YAML", Err: err}
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, d.errAt(&extra, "", "only one YAML document is allowed")
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, &bf.Error{Kind: bf.KindInvalid, Op: "decode plant", File: file, Line: 1,
			Reason: "a plant is a YAML mapping with items, suppliers, processes, kanban and demand"}
	}
	root := doc.Content[0]
	m := &Model{Plant: bf.Plant{Currency: bf.Currency{Code: "USD", Scale: 2}}, DayMinutes: 960}
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
		m.Plant.Currency, d.scale = c, c.Scale
	}
	seen := map[string]*yaml.Node{}
	err := d.fields(root, "", func(key string, k, v *yaml.Node) error {
		seen[key] = v
		switch key {
		case "name":
			s, err := d.scalar(v, key)
			m.Name, m.Plant.Name = s, s
			return err
		case "currency":
			return nil
		case "start":
			s, err := d.scalar(v, key)
			if err != nil {
				return err
			}
			var why string
			if m.Start, why = bf.ParseDate(s); why != "" {
				return d.errAt(v, key, why)
			}
			return nil
		case "day_minutes":
			return d.minutes(v, key, &m.DayMinutes)
		case "items":
			return d.items(v, &m.Plant)
		case "suppliers":
			return d.suppliers(v, m)
		case "processes":
			return d.processes(v, m)
		case "kanban":
			return d.loops(v, m)
		case "demand":
			return d.demand(v, m)
		case "run_out":
			return d.runOut(v, m)
		}
		return d.errAt(k, key, "is not a plant field (fields: name, currency, start, day_minutes, items, suppliers, processes, kanban, demand, run_out)")
	})
	if err != nil {
		return nil, err
	}
	for _, f := range []string{"start", "items", "processes", "demand"} {
		if seen[f] == nil {
			return nil, d.errAt(root, f, "is missing")
		}
	}
	if err := m.compile(); err != nil {
		var e *bf.Error
		if errors.As(err, &e) {
			e.File = file
			if e.Line == 0 && seen[rootField(e.Field)] != nil {
				e.Line = seen[rootField(e.Field)].Line
			}
		}
		return nil, err
	}
	return m, nil
}

// rootField maps an error's field ("demand.mix") to its top-level field.
func rootField(f string) string {
	if i := strings.IndexByte(f, '.'); i >= 0 {
		f = f[:i]
	}
	return f
}

func yamlErrLine(err error) int {
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
			return d.errAt(k, join(what, k.Value), "is given twice")
		}
		seen[k.Value] = true
		if err := f(k.Value, k, v); err != nil {
			return err
		}
	}
	return nil
}

func join(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
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

// integer reads a whole number in [lo, hi].
func (d *decoder) integer(n *yaml.Node, field string, lo, hi int64) (int64, error) {
	s, err := d.scalar(n, field)
	if err != nil {
		return 0, err
	}
	v, perr := strconv.ParseInt(s, 10, 64)
	if perr != nil || v < lo || v > hi {
		return 0, d.errAt(n, field, "must be a whole number from "+strconv.FormatInt(lo, 10)+" to "+strconv.FormatInt(hi, 10))
	}
	return v, nil
}

// maxMinutes bounds every duration: a hundred years of minutes.
const maxMinutes = 100 * 366 * 1440

func (d *decoder) minutes(n *yaml.Node, field string, out *int64) error {
	v, err := d.integer(n, field, 0, maxMinutes)
	*out = v
	return err
}

// fixed reads a decimal through one of the fixed-point parsers.
func fixed[T any](d *decoder, n *yaml.Node, field string, parse func(string) (T, string)) (T, error) {
	var zero T
	s, err := d.scalar(n, field)
	if err != nil {
		return zero, err
	}
	v, why := parse(s)
	if why != "" {
		return zero, d.errAt(n, field, why)
	}
	return v, nil
}

// strings reads a list of plain values.
func (d *decoder) strs(n *yaml.Node, field string) ([]string, error) {
	list, err := d.list(n, field)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(list))
	for _, e := range list {
		s, err := d.scalar(e, field)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// items reads the plant's items exactly as a scenario file spells them.
func (d *decoder) items(n *yaml.Node, p *bf.Plant) error {
	list, err := d.list(n, "items")
	if err != nil {
		return err
	}
	p.Items = make([]bf.Item, 0, len(list))
	for _, in := range list {
		it := bf.Item{Line: in.Line}
		err := d.fields(in, "items", func(key string, k, v *yaml.Node) error {
			var err error
			switch key {
			case "bom":
				err = d.bom(v, &it)
			case "id":
				it.ID, err = d.scalar(v, key)
			case "name":
				it.Name, err = d.scalar(v, key)
			case "uom":
				it.UOM, err = d.scalar(v, key)
			case "kind":
				var s string
				if s, err = d.scalar(v, key); err == nil {
					var ok bool
					if it.Kind, ok = bf.ParseItemKind(s); !ok {
						err = d.errAt(v, key, "must be material, assembly, finished or phantom")
					}
				}
			case "standard_cost":
				it.StandardCost, err = fixed(d, v, key, bf.ParseCost)
			case "conversion_cost":
				it.ConversionCost, err = fixed(d, v, key, bf.ParseCost)
			case "price":
				it.Price, err = fixed(d, v, key, bf.ParseCost)
			default:
				err = d.errAt(k, key, "is not an item field (fields: id, name, kind, uom, standard_cost, conversion_cost, price, bom)")
			}
			if e, ok := err.(*bf.Error); ok && e.Item == "" {
				e.Item = it.ID
			}
			return err
		})
		if err != nil {
			return err
		}
		if it.Kind == 0 {
			e := d.errAt(in, "kind", "is missing")
			e.Item = it.ID
			return e
		}
		p.Items = append(p.Items, it)
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
			var err error
			switch key {
			case "item":
				l.Item, err = d.scalar(v, "bom.item")
			case "qty":
				l.Qty, err = fixed(d, v, "bom.qty", bf.ParseQty)
				hasQty = true
			case "scrap_pct":
				l.ScrapPct, err = fixed(d, v, "bom.scrap_pct", bf.ParsePct)
			default:
				err = d.errAt(k, "bom."+key, "is not a BOM field (fields: item, qty, scrap_pct)")
			}
			return err
		})
		if err != nil {
			return err
		}
		if l.Item == "" || !hasQty {
			f := "bom.item"
			if l.Item != "" {
				f = "bom.qty"
			}
			return d.errAt(ln, f, "is missing")
		}
		it.BOM = append(it.BOM, l)
	}
	return nil
}

func (d *decoder) suppliers(n *yaml.Node, m *Model) error {
	list, err := d.list(n, "suppliers")
	if err != nil {
		return err
	}
	for _, sn := range list {
		s := Supplier{Line: sn.Line, OnTimePct: 100_000_000}
		err := d.fields(sn, "suppliers", func(key string, k, v *yaml.Node) error {
			f := "suppliers." + key
			var err error
			switch key {
			case "id":
				s.ID, err = d.scalar(v, f)
			case "name":
				s.Name, err = d.scalar(v, f)
			case "items":
				s.Items, err = d.strs(v, f)
			case "lead_minutes":
				err = d.minutes(v, f, &s.LeadMinutes)
			case "on_time_pct":
				s.OnTimePct, err = fixed(d, v, f, bf.ParsePct)
			case "late_minutes":
				var l []*yaml.Node
				if l, err = d.list(v, f); err == nil {
					if len(l) != 2 {
						return d.errAt(v, f, "must be [min, max]")
					}
					if err = d.minutes(l[0], f, &s.LateMin); err == nil {
						err = d.minutes(l[1], f, &s.LateMax)
					}
				}
			case "reject_ppm":
				s.RejectPPM, err = d.integer(v, f, 0, 1_000_000)
			case "prices":
				s.Prices = map[string]bf.Cost{}
				err = d.fields(v, f, func(item string, _, pv *yaml.Node) error {
					c, err := fixed(d, pv, f+"."+item, bf.ParseCost)
					s.Prices[item] = c
					return err
				})
			default:
				err = d.errAt(k, f, "is not a supplier field (fields: id, name, items, lead_minutes, on_time_pct, late_minutes, reject_ppm, prices)")
			}
			return err
		})
		if err != nil {
			return err
		}
		m.Suppliers = append(m.Suppliers, s)
	}
	return nil
}

func (d *decoder) processes(n *yaml.Node, m *Model) error {
	list, err := d.list(n, "processes")
	if err != nil {
		return err
	}
	for _, pn := range list {
		p := Process{Line: pn.Line, Stations: 1}
		err := d.fields(pn, "processes", func(key string, k, v *yaml.Node) error {
			f := "processes." + key
			var err error
			switch key {
			case "id":
				p.ID, err = d.scalar(v, f)
			case "name":
				p.Name, err = d.scalar(v, f)
			case "makes":
				p.Makes, err = d.strs(v, f)
			case "stations":
				p.Stations, err = d.integer(v, f, 1, 1000)
			case "cycle_minutes":
				p.CycleMinutes, err = d.integer(v, f, 1, 1440)
			case "transport_minutes":
				err = d.minutes(v, f, &p.TransportMinutes)
			case "defect_pct":
				p.DefectPct, err = fixed(d, v, f, bf.ParsePct)
			case "labour_per_day":
				p.LabourPerDay, err = fixed(d, v, f, func(s string) (bf.Money, string) { return bf.ParseMoney(s, d.scale) })
			default:
				err = d.errAt(k, f, "is not a process field (fields: id, name, makes, stations, cycle_minutes, transport_minutes, defect_pct, labour_per_day)")
			}
			return err
		})
		if err != nil {
			return err
		}
		if p.CycleMinutes == 0 {
			return d.errAt(pn, "processes.cycle_minutes", "is missing")
		}
		m.Processes = append(m.Processes, p)
	}
	return nil
}

func (d *decoder) loops(n *yaml.Node, m *Model) error {
	list, err := d.list(n, "kanban")
	if err != nil {
		return err
	}
	for _, ln := range list {
		l := Loop{Line: ln.Line}
		err := d.fields(ln, "kanban", func(key string, k, v *yaml.Node) error {
			f := "kanban." + key
			var err error
			switch key {
			case "item":
				l.Item, err = d.scalar(v, f)
			case "cards":
				var c int64
				c, err = d.integer(v, f, 1, 10_000)
				l.Cards = int(c)
			case "container":
				l.Container, err = fixed(d, v, f, bf.ParseQty)
			default:
				err = d.errAt(k, f, "is not a kanban field (fields: item, cards, container)")
			}
			return err
		})
		if err != nil {
			return err
		}
		if l.Item == "" || l.Cards == 0 || l.Container == 0 {
			return d.errAt(ln, "kanban", "a loop needs item, cards and container")
		}
		m.Loops = append(m.Loops, l)
	}
	return nil
}

func (d *decoder) demand(n *yaml.Node, m *Model) error {
	dm := &m.Demand
	dm.Line = n.Line
	dm.DispatchMinutes = 240
	return d.fields(n, "demand", func(key string, k, v *yaml.Node) error {
		f := "demand." + key
		var err error
		switch key {
		case "orders_per_day":
			dm.OrdersPerDay, err = fixed(d, v, f, bf.ParseQty)
		case "due_minutes":
			err = d.minutes(v, f, &dm.DueMinutes)
		case "dispatch_minutes":
			err = d.minutes(v, f, &dm.DispatchMinutes)
		case "mix":
			err = d.fields(v, f, func(item string, ik, wv *yaml.Node) error {
				w, err := d.integer(wv, f+"."+item, 1, 1_000_000)
				dm.Mix = append(dm.Mix, MixEntry{Item: item, Weight: w, Line: ik.Line})
				return err
			})
		case "surge":
			s := &Surge{Line: v.Line}
			dm.Surge = s
			err = d.fields(v, f, func(sk string, kk, sv *yaml.Node) error {
				sf := f + "." + sk
				switch sk {
				case "from_day", "to_day":
					day, err := d.integer(sv, sf, 1, 100*366)
					if sk == "from_day" {
						s.FromDay = int(day)
					} else {
						s.ToDay = int(day)
					}
					return err
				case "factor":
					var err error
					s.Factor, err = fixed(d, sv, sf, bf.ParseQty)
					return err
				}
				return d.errAt(kk, sf, "is not a surge field (fields: from_day, to_day, factor)")
			})
		default:
			err = d.errAt(k, f, "is not a demand field (fields: orders_per_day, mix, due_minutes, dispatch_minutes, surge)")
		}
		return err
	})
}

func (d *decoder) runOut(n *yaml.Node, m *Model) error {
	r := &RunOut{Line: n.Line}
	m.RunOut = r
	return d.fields(n, "run_out", func(key string, k, v *yaml.Node) error {
		switch key {
		case "plan_minutes":
			return d.minutes(v, "run_out."+key, &r.PlanMinutes)
		case "cutoff_minutes":
			return d.minutes(v, "run_out."+key, &r.CutoffMinutes)
		}
		return d.errAt(k, "run_out."+key, "is not a run-out field (fields: plan_minutes, cutoff_minutes)")
	})
}
