package sim

import (
	"bytes"
	_ "embed"
	"errors"
	"os"
	"strconv"
	"strings"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/internal/yamlx"
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
		return nil, bf.E("read plant", bf.KindNotFound, bf.File(path), err)
	}
	return Decode(path, data)
}

// decoder reads a plant file: the shared node helpers and item decoding of
// package yamlx, and the plant's own sections.
type decoder struct {
	yamlx.Decoder
}

// Decode parses a plant file; file names the source in errors. Every value
// is read from its text (never through float64), unknown fields are refused
// and the whole model is validated, so a plant that decodes can be run.
func Decode(file string, data []byte) (*Model, error) {
	d := &decoder{yamlx.Decoder{File: file, Op: "decode plant", Scale: 2}}
	root, err := d.Root(data, "a plant is a YAML mapping with items, suppliers, processes, kanban and demand")
	if err != nil {
		return nil, err
	}
	m := &Model{DayMinutes: 960, File: file}
	if m.Plant.Currency, err = d.Currency(root); err != nil {
		return nil, err
	}
	seen := map[string]*yaml.Node{}
	err = d.Fields(root, "", func(key string, k, v *yaml.Node) error {
		seen[key] = v
		switch key {
		case "name":
			s, err := d.Scalar(v, key)
			m.Name, m.Plant.Name = s, s
			return err
		case "currency":
			return nil
		case "start":
			s, err := d.Scalar(v, key)
			if err != nil {
				return err
			}
			var why string
			if m.Start, why = bf.ParseDate(s); why != "" {
				return d.ErrAt(v, bf.Field(key), why)
			}
			return nil
		case "day_minutes":
			return d.minutes(v, key, &m.DayMinutes)
		case "items":
			return d.Items(v, &m.Plant)
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
		return d.ErrAt(k, bf.Field(key), "is not a plant field (fields: name, currency, start, day_minutes, items, suppliers, processes, kanban, demand, run_out)")
	})
	if err != nil {
		return nil, err
	}
	for _, f := range []string{"start", "items", "processes", "demand"} {
		if seen[f] == nil {
			return nil, d.ErrAt(root, bf.Field(f), "is missing")
		}
	}
	if err := d.SettleOverhead(&m.Plant); err != nil {
		return nil, err
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

// integer reads a whole number in [lo, hi].
func (d *decoder) integer(n *yaml.Node, field string, lo, hi int64) (int64, error) {
	s, err := d.Scalar(n, field)
	if err != nil {
		return 0, err
	}
	v, perr := strconv.ParseInt(s, 10, 64)
	if perr != nil || v < lo || v > hi {
		return 0, d.ErrAt(n, bf.Field(field), "must be a whole number from "+strconv.FormatInt(lo, 10)+" to "+strconv.FormatInt(hi, 10))
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
	s, err := d.Scalar(n, field)
	if err != nil {
		return zero, err
	}
	v, why := parse(s)
	if why != "" {
		return zero, d.ErrAt(n, bf.Field(field), why)
	}
	return v, nil
}

// strings reads a list of plain values.
func (d *decoder) strs(n *yaml.Node, field string) ([]string, error) {
	list, err := d.List(n, field)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(list))
	for _, e := range list {
		s, err := d.Scalar(e, field)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func (d *decoder) suppliers(n *yaml.Node, m *Model) error {
	list, err := d.List(n, "suppliers")
	if err != nil {
		return err
	}
	for _, sn := range list {
		s := Supplier{Line: sn.Line, OnTimePct: 100_000_000}
		err := d.Fields(sn, "suppliers", func(key string, k, v *yaml.Node) error {
			f := "suppliers." + key
			var err error
			switch key {
			case "id":
				s.ID, err = d.Scalar(v, f)
			case "name":
				s.Name, err = d.Scalar(v, f)
			case "items":
				s.Items, err = d.strs(v, f)
			case "lead_minutes":
				err = d.minutes(v, f, &s.LeadMinutes)
			case "on_time_pct":
				s.OnTimePct, err = fixed(d, v, f, bf.ParsePct)
			case "late_minutes":
				var l []*yaml.Node
				if l, err = d.List(v, f); err == nil {
					if len(l) != 2 {
						return d.ErrAt(v, bf.Field(f), "must be [min, max]")
					}
					if err = d.minutes(l[0], f, &s.LateMin); err == nil {
						err = d.minutes(l[1], f, &s.LateMax)
					}
				}
			case "reject_ppm":
				s.RejectPPM, err = d.integer(v, f, 0, 1_000_000)
			case "prices":
				s.Prices = map[string]bf.Cost{}
				err = d.Fields(v, f, func(item string, _, pv *yaml.Node) error {
					c, err := fixed(d, pv, f+"."+item, bf.ParseCost)
					s.Prices[item] = c
					return err
				})
			default:
				err = d.ErrAt(k, bf.Field(f), "is not a supplier field (fields: id, name, items, lead_minutes, on_time_pct, late_minutes, reject_ppm, prices)")
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
	list, err := d.List(n, "processes")
	if err != nil {
		return err
	}
	for _, pn := range list {
		p := Process{Line: pn.Line, Stations: 1}
		err := d.Fields(pn, "processes", func(key string, k, v *yaml.Node) error {
			f := "processes." + key
			var err error
			switch key {
			case "id":
				p.ID, err = d.Scalar(v, f)
			case "name":
				p.Name, err = d.Scalar(v, f)
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
				p.LabourPerDay, err = fixed(d, v, f, func(s string) (bf.Money, string) { return bf.ParseMoney(s, d.Scale) })
			case "andon_minutes":
				err = d.minutes(v, f, &p.AndonMinutes)
			default:
				err = d.ErrAt(k, bf.Field(f), "is not a process field (fields: id, name, makes, stations, cycle_minutes, transport_minutes, defect_pct, labour_per_day, andon_minutes)")
			}
			return err
		})
		if err != nil {
			return err
		}
		if p.CycleMinutes == 0 {
			return d.ErrAt(pn, bf.Field("processes.cycle_minutes"), "is missing")
		}
		m.Processes = append(m.Processes, p)
	}
	return nil
}

func (d *decoder) loops(n *yaml.Node, m *Model) error {
	list, err := d.List(n, "kanban")
	if err != nil {
		return err
	}
	for _, ln := range list {
		l := Loop{Line: ln.Line}
		err := d.Fields(ln, "kanban", func(key string, k, v *yaml.Node) error {
			f := "kanban." + key
			var err error
			switch key {
			case "item":
				l.Item, err = d.Scalar(v, f)
			case "cards":
				var c int64
				c, err = d.integer(v, f, 1, 10_000)
				l.Cards = int(c)
			case "container":
				l.Container, err = fixed(d, v, f, bf.ParseQty)
			default:
				err = d.ErrAt(k, bf.Field(f), "is not a kanban field (fields: item, cards, container)")
			}
			return err
		})
		if err != nil {
			return err
		}
		if l.Item == "" || l.Cards == 0 || l.Container == 0 {
			return d.ErrAt(ln, bf.Field("kanban"), "a loop needs item, cards and container")
		}
		m.Loops = append(m.Loops, l)
	}
	return nil
}

func (d *decoder) demand(n *yaml.Node, m *Model) error {
	dm := &m.Demand
	dm.Line = n.Line
	dm.DispatchMinutes = 240
	return d.Fields(n, "demand", func(key string, k, v *yaml.Node) error {
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
			err = d.Fields(v, f, func(item string, ik, wv *yaml.Node) error {
				w, err := d.integer(wv, f+"."+item, 1, 1_000_000)
				dm.Mix = append(dm.Mix, MixEntry{Item: item, Weight: w, Line: ik.Line})
				return err
			})
		case "surge":
			s := &Surge{Line: v.Line}
			dm.Surge = s
			err = d.Fields(v, f, func(sk string, kk, sv *yaml.Node) error {
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
				return d.ErrAt(kk, bf.Field(sf), "is not a surge field (fields: from_day, to_day, factor)")
			})
		default:
			err = d.ErrAt(k, bf.Field(f), "is not a demand field (fields: orders_per_day, mix, due_minutes, dispatch_minutes, surge)")
		}
		return err
	})
}

func (d *decoder) runOut(n *yaml.Node, m *Model) error {
	r := &RunOut{Line: n.Line}
	m.RunOut = r
	return d.Fields(n, "run_out", func(key string, k, v *yaml.Node) error {
		switch key {
		case "plan_minutes":
			return d.minutes(v, "run_out."+key, &r.PlanMinutes)
		case "cutoff_minutes":
			return d.minutes(v, "run_out."+key, &r.CutoffMinutes)
		}
		return d.ErrAt(k, bf.Field("run_out."+key), "is not a run-out field (fields: plan_minutes, cutoff_minutes)")
	})
}
