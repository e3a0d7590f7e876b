package csvio

import (
	"math/big"
	"os"
	"strings"

	bf "github.com/backflush/backflush"
	"go.yaml.in/yaml/v3"
)

// Options say how to read a plant's CSV files.
type Options struct {
	// Map names the file's columns for the canonical fields, and
	// translates its values (an ERP's item types, event types).
	Map Mapping
	// Delimiter separates cells; zero means a comma. Many European ERP
	// exports use a semicolon.
	Delimiter rune
	// DecimalComma reads "1.234,56" as 1234.56: a comma is the decimal mark
	// and dots or spaces group thousands.
	DecimalComma bool
	// DateFormat is the layout of dates, with YYYY, MM and DD for the year,
	// month and day ("DD.MM.YYYY", "YYYYMMDD", "MM/DD/YYYY"); empty means
	// YYYY-MM-DD.
	DateFormat string
	// SkipBadRows imports the good rows of files with errors and reports the
	// rows left out, instead of importing nothing.
	SkipBadRows bool
	// Currency decides the decimals of amounts; the zero value is USD.
	Currency bf.Currency
	// Units converts BOM lines and movements in other units than their
	// item's base unit; nil knows only the SI prefixes (G to KG).
	Units *Units
	// BOMAlternative chooses, for parents with several alternative BOMs,
	// the one to import (SAP's STLAL "01"); without it such a parent is
	// an error.
	BOMAlternative string
	// StdTolerance is how far, in percent, a made item's rolled-up
	// standard may differ from the ERP's standard cost before a warning;
	// zero means 0.5 %, a negative value turns the comparison off.
	StdTolerance bf.Pct
	// Tables holds the tables the mapping joins into the files, by name.
	Tables map[string]TableData
	// ReceiptsAtStandard values a purchase receipt without a price at the
	// item's standard cost, with a warning; without it such a receipt is
	// an error (posting it at zero would be silently wrong).
	ReceiptsAtStandard bool
}

func (o *Options) comma() rune {
	if o.Delimiter == 0 {
		return ','
	}
	return o.Delimiter
}

func (o *Options) scale() int {
	if o.Currency.Code == "" {
		return 2
	}
	return o.Currency.Scale
}

// number turns a cell into the plain decimal the bf parsers read, strictly
// for the file's locale (plainNumber), or says why it is none.
func (o *Options) number(s string, pct bool) (string, string) {
	n, why := plainNumber(s, o.DecimalComma, pct)
	if why != "" {
		return "", why + " (" + strings.TrimSpace(s) + ")"
	}
	return n, ""
}

// rat reads a cell as an exact rational, strictly for the locale.
func (o *Options) rat(s string) (*big.Rat, string) {
	n, why := o.number(s, false)
	if why != "" {
		return nil, why
	}
	r, ok := new(big.Rat).SetString(n)
	if !ok || strings.ContainsAny(n, "eE/") {
		return nil, "is not a decimal number (" + strings.TrimSpace(s) + ")"
	}
	return r, ""
}

// computed reports whether a field is built from several columns (a
// composite, a quotient) or by rules, rather than read from one column.
func (m *Mapping) computed(file, field string) bool {
	_, div := m.Divides[file+"."+field]
	return len(m.pick(m.Joins, file, field)) > 0 || div || (len(m.Rules[file+"."+field]) > 0 && m.Columns[file+"."+field] == "")
}

// pick returns a per-file or general entry of a mapping's map.
func (m *Mapping) pick(x map[string][]string, file, field string) []string {
	if v, ok := x[file+"."+field]; ok {
		return v
	}
	return x[field]
}

// numberHint adds why a number with a comma or a grouping was refused.
func (o *Options) numberHint(s, why string) string {
	if why == "" {
		return ""
	}
	if !o.DecimalComma && strings.Contains(s, ",") {
		return why + " (" + s + "): write no thousands separators, or read with --decimal-comma if the comma is the decimal mark"
	}
	return why + " (" + s + ")"
}

// date turns a cell into YYYY-MM-DD by the date format, or says exactly why
// it is no date.
func (o *Options) date(s string) (string, string) {
	return parseDateAs(s, o.DateFormat)
}

// TableData is a joined table's file name (for errors) and content.
type TableData struct {
	File string
	Data []byte
}

// Mapping maps canonical fields to a file's own column names, and a file's
// values to canonical values. A key is "field" (every file with that field)
// or "file.field" (one file: items, bom, events or chart).
type Mapping struct {
	Columns map[string]string            // key → the file's column name
	Values  map[string]map[string]string // key → the file's value → the canonical value
	// Joins builds a field from several columns joined by "-": a
	// composite key such as SAP's MBLNR, MJAHR, ZEILE.
	Joins map[string][]string
	// Divides computes a field as one column over another, exactly (a
	// unit cost as DMBTR ÷ MENGE).
	Divides map[string][2]string
	// Refs reads a field's "[REF] Name" cell as REF (Odoo's references).
	Refs map[string]bool
	// FillDown names, per file, the fields whose empty cells repeat the
	// cell above (Odoo's one2many exports write the parent once).
	FillDown map[string][]string
	// Filters keep or drop rows by a column's value, per file.
	Filters map[string][]Filter
	// TableJoins joins other tables into a file's rows, per file (SAP's
	// MAKT and MBEW into MARA), in order.
	TableJoins map[string][]TableJoin
	// Rules decide a field from several columns (an event's type from
	// SAP's BWART with EBELN or AUFNR), per key; the first rule matching
	// wins.
	Rules map[string][]Rule
}

// TableJoin joins the table named Table (its file given in
// Options.Tables) on the columns On, which both have; Where filters the
// table's rows first (MBEW of one valuation area).
type TableJoin struct {
	Table string
	On    []string
	Where []Filter
	// Inner leaves out a row without a match (a BOM of another plant),
	// counted as filtered; else the row keeps empty cells for the table.
	Inner bool
}

// Filter keeps a file's rows whose column holds one of Values (Keep), or
// drops them (not Keep). Rows left out are counted, never lost silently.
type Filter struct {
	Column string
	Keep   bool
	Values []string
}

// Rule gives a field Value when every column of When holds its pattern:
// a value, several separated by "|", "*" for any non-empty cell, "" for an
// empty one, or a prefix ending in "*" ("WH/*"). Fields maps other fields to other columns for the rows it
// matches (per-type field maps; an empty column: no value; columns joined
// by "+": a composite value, as SAP's LFBJA+LFBNR+LFPOS). The value
// "skip" leaves the row out, as a filter does (SAP's 311 transfers);
// "skip: reason" too, with a warning giving the reason and the rows;
// "error: reason" refuses the row with that reason; for an event's type,
// "count+" and "count-" read the quantity as an inventory difference,
// "issue" and "issue-" as an issue to (a return from) the production order,
// "reversal" as a reversal of part or all of the movement reverses names.
type Rule struct {
	When   map[string]string
	Value  string
	Fields map[string]string
}

// matches reports whether a cell holds a rule's pattern.
func matchPattern(pat, cell string) bool {
	switch pat {
	case "*":
		return cell != ""
	case "":
		return cell == ""
	}
	for _, p := range strings.Split(pat, "|") {
		if p == cell || (len(p) > 1 && strings.HasSuffix(p, "*") && strings.HasPrefix(cell, p[:len(p)-1])) {
			return true
		}
	}
	return false
}

// column returns the column name for a field of a file, and whether the
// mapping named it (an unmapped field is looked for under its own name).
func (m *Mapping) column(file, field string) (string, bool) {
	if c, ok := m.Columns[file+"."+field]; ok {
		return c, true
	}
	if c, ok := m.Columns[field]; ok {
		return c, true
	}
	return field, false
}

// value translates a file's value for a field; a value the mapping does
// not name is kept.
func (m *Mapping) value(file, field, v string) string {
	if x, ok := m.Values[file+"."+field][v]; ok {
		return x
	}
	if x, ok := m.Values[field][v]; ok {
		return x
	}
	return v
}

// setColumn and setValue add to a mapping, making its maps as needed.
func (m *Mapping) setColumn(key, col string) {
	if m.Columns == nil {
		m.Columns = map[string]string{}
	}
	m.Columns[key] = col
}

func (m *Mapping) setValue(key, from, to string) {
	if m.Values == nil {
		m.Values = map[string]map[string]string{}
	}
	if m.Values[key] == nil {
		m.Values[key] = map[string]string{}
	}
	m.Values[key][from] = to
}

// mapFiles are the file prefixes a mapping key may carry.
var mapFiles = []string{"items", "bom", "events", "chart", "units"}

// fieldsOf lists the canonical fields of a file.
func fieldsOf(file string) []string {
	switch file {
	case "items":
		return itemFields
	case "bom":
		return bomFields
	case "events":
		return eventFields
	case "chart":
		return chartFields
	case "units":
		return unitFields
	}
	return nil
}

// checkKey refuses a key naming no known field, so a misspelt mapping is
// an error and not a column silently ignored.
func checkKey(key string) string {
	file, field, ok := strings.Cut(key, ".")
	if ok {
		if !contains(mapFiles, file) {
			return "names no file (files: items, bom, events, chart)"
		}
		if !contains(fieldsOf(file), field) {
			return "is not a field of " + file + " (fields: " + strings.Join(fieldsOf(file), ", ") + ")"
		}
		return ""
	}
	for _, f := range mapFiles {
		if contains(fieldsOf(f), key) {
			return ""
		}
	}
	return "is not a field of any file (items: " + strings.Join(itemFields, ", ") + "; bom: " + strings.Join(bomFields, ", ") +
		"; events: " + strings.Join(eventFields, ", ") + "; chart: " + strings.Join(chartFields, ", ") + ")"
}

// ParseMap adds a command-line mapping to m: comma-separated
// "[file.]field=COLUMN" pairs naming columns, and
// "[file.]field[VALUE]=canonical" pairs translating values, as in
// "id=MATNR,description=MAKTX,type=MTART,type[ROH]=material".
func (m *Mapping) ParseMap(s string) error {
	for _, part := range strings.Split(s, ",") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		key, val, ok := strings.Cut(part, "=")
		key, val = strings.TrimSpace(key), strings.TrimSpace(val)
		if !ok || key == "" || val == "" {
			return bf.E("read mapping", bf.KindInvalid, bf.Field("map"), strings.TrimSpace(part)+": must be field=COLUMN or field[VALUE]=value")
		}
		if i := strings.IndexByte(key, '['); i >= 0 {
			if !strings.HasSuffix(key, "]") || i == len(key)-2 {
				return bf.E("read mapping", bf.KindInvalid, bf.Field("map"), strings.TrimSpace(part)+": a value mapping is field[VALUE]=value")
			}
			from := key[i+1 : len(key)-1]
			key = key[:i]
			if why := checkKey(key); why != "" {
				return bf.E("read mapping", bf.KindInvalid, bf.Field("map"), strings.TrimSpace(part)+": "+key+" "+why)
			}
			m.setValue(key, from, val)
			continue
		}
		if why := checkKey(key); why != "" {
			return bf.E("read mapping", bf.KindInvalid, bf.Field("map"), strings.TrimSpace(part)+": "+key+" "+why)
		}
		m.setColumn(key, val)
	}
	return nil
}

// LoadOptions reads a mapping file (YAML): per file, each field's column,
// or {column, values} to translate values too; and optionally the
// delimiter, decimal mark and date format of the files:
//
//	items:
//	  id: MATNR
//	  description: MAKTX
//	  type: {column: MTART, values: {ROH: material, HALB: assembly, FERT: finished}}
//	bom: {parent: MATNR, component: IDNRK, qty: MENGE, scrap_pct: AUSCH}
//	delimiter: ";"
//	decimal: ","
//	date_format: DD.MM.YYYY
//
// A field may also be {columns: [A, B]} (a composite value), {divide:
// [A, B]} (A ÷ B, exactly), {column: A, ref: true} (Odoo's "[REF] Name"),
// or {rules: [{when: {COL: pattern}, value: V, fields: {field: COL}}]}; a
// file's section may hold where, where_not (column → values) and fill_down
// (fields). Options: bom_alternative, std_tolerance, receipts_at_standard.
func LoadOptions(path string) (Options, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Options{}, bf.E("read mapping", bf.KindNotFound, bf.File(path), err)
	}
	return ParseOptions(path, data)
}

// ParseOptions reads a mapping file's text (LoadOptions); path names it in
// errors.
func ParseOptions(path string, data []byte) (Options, error) {
	var o Options
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return o, bf.E("read mapping", bf.KindInvalid, bf.File(path), "not valid YAML", err)
	}
	if len(doc.Content) == 0 {
		return o, nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return o, bf.E("read mapping", bf.KindInvalid, bf.File(path), bf.LineNo(root.Line), "a mapping file is a YAML mapping of files (items, bom, events, chart, units) and options")
	}
	fail := func(n *yaml.Node, field, why string) error {
		return bf.E("read mapping", bf.KindInvalid, bf.File(path), bf.LineNo(n.Line), bf.Field(field), why)
	}
	scalar := func(n *yaml.Node, field string) (string, error) {
		if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
			return "", fail(n, field, "must be a single value")
		}
		return n.Value, nil
	}
	boolean := func(n *yaml.Node, field string) (bool, error) {
		if n.Kind != yaml.ScalarNode || (n.Value != "true" && n.Value != "false") {
			return false, fail(n, field, "must be true or false")
		}
		return n.Value == "true", nil
	}
	list := func(n *yaml.Node, field string) ([]string, error) {
		if n.Kind == yaml.ScalarNode {
			s, err := scalar(n, field)
			return []string{s}, err
		}
		if n.Kind != yaml.SequenceNode {
			return nil, fail(n, field, "must be a list of values")
		}
		out := make([]string, 0, len(n.Content))
		for _, c := range n.Content {
			s, err := scalar(c, field)
			if err != nil {
				return nil, err
			}
			out = append(out, s)
		}
		return out, nil
	}
	pairs := func(n *yaml.Node, field string, each func(k *yaml.Node, v *yaml.Node) error) error {
		if n.Kind != yaml.MappingNode {
			return fail(n, field, "must be a mapping")
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if err := each(n.Content[i], n.Content[i+1]); err != nil {
				return err
			}
		}
		return nil
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case "delimiter":
			s, err := scalar(v, k.Value)
			if err != nil {
				return o, err
			}
			r := []rune(s)
			if len(r) != 1 || r[0] == '"' || r[0] == '\n' || r[0] == '\r' {
				return o, fail(v, "delimiter", "must be one character, such as , or ; (write \"\\t\" for a tab)")
			}
			o.Delimiter = r[0]
		case "decimal":
			s, err := scalar(v, k.Value)
			if err != nil {
				return o, err
			}
			if s != "," && s != "." {
				return o, fail(v, "decimal", "must be \".\" or \",\"")
			}
			o.DecimalComma = s == ","
		case "date_format":
			s, err := scalar(v, k.Value)
			if err != nil {
				return o, err
			}
			if why := checkDateFormat(s); why != "" {
				return o, fail(v, "date_format", why)
			}
			o.DateFormat = s
		case "bom_alternative":
			s, err := scalar(v, k.Value)
			if err != nil {
				return o, err
			}
			o.BOMAlternative = s
		case "std_tolerance":
			s, err := scalar(v, k.Value)
			if err != nil {
				return o, err
			}
			t, why := ParseTolerance(s)
			if why != "" {
				return o, fail(v, "std_tolerance", why)
			}
			o.StdTolerance = t
		case "receipts_at_standard":
			var err error
			if o.ReceiptsAtStandard, err = boolean(v, k.Value); err != nil {
				return o, err
			}
		case "items", "bom", "events", "chart", "units":
			file := k.Value
			if v.Kind != yaml.MappingNode {
				return o, fail(v, file, "must map fields to columns")
			}
			for j := 0; j+1 < len(v.Content); j += 2 {
				fk, fv := v.Content[j], v.Content[j+1]
				switch fk.Value {
				case "where", "where_not":
					err := pairs(fv, file+"."+fk.Value, func(ck, cv *yaml.Node) error {
						vals, err := list(cv, file+"."+fk.Value)
						if err != nil {
							return err
						}
						if o.Map.Filters == nil {
							o.Map.Filters = map[string][]Filter{}
						}
						o.Map.Filters[file] = append(o.Map.Filters[file], Filter{Column: ck.Value, Keep: fk.Value == "where", Values: vals})
						return nil
					})
					if err != nil {
						return o, err
					}
					continue
				case "join":
					if fv.Kind != yaml.SequenceNode {
						return o, fail(fv, file+".join", "must be a list of {table, on, where, where_not}")
					}
					for _, jn := range fv.Content {
						var tj TableJoin
						err := pairs(jn, file+".join", func(jk, jv *yaml.Node) error {
							switch jk.Value {
							case "table":
								s, err := scalar(jv, file+".join.table")
								tj.Table = s
								return err
							case "on":
								cols, err := list(jv, file+".join.on")
								tj.On = cols
								return err
							case "inner":
								var err error
								tj.Inner, err = boolean(jv, file+".join.inner")
								return err
							case "where", "where_not":
								return pairs(jv, file+".join."+jk.Value, func(ck, cv *yaml.Node) error {
									vals, err := list(cv, file+".join."+jk.Value)
									tj.Where = append(tj.Where, Filter{Column: ck.Value, Keep: jk.Value == "where", Values: vals})
									return err
								})
							}
							return fail(jk, file+".join."+jk.Value, "is not a join field (fields: table, on, inner, where, where_not)")
						})
						if err != nil {
							return o, err
						}
						if tj.Table == "" || len(tj.On) == 0 {
							return o, fail(jn, file+".join", "a join names its table and the columns it is joined on")
						}
						if o.Map.TableJoins == nil {
							o.Map.TableJoins = map[string][]TableJoin{}
						}
						o.Map.TableJoins[file] = append(o.Map.TableJoins[file], tj)
					}
					continue
				case "fill_down":
					fields, err := list(fv, file+".fill_down")
					if err != nil {
						return o, err
					}
					if o.Map.FillDown == nil {
						o.Map.FillDown = map[string][]string{}
					}
					o.Map.FillDown[file] = append(o.Map.FillDown[file], fields...)
					continue
				}
				key := file + "." + fk.Value
				if why := checkKey(key); why != "" {
					return o, fail(fk, key, why)
				}
				if fv.Kind == yaml.ScalarNode {
					s, err := scalar(fv, key)
					if err != nil {
						return o, err
					}
					o.Map.setColumn(key, s)
					continue
				}
				if fv.Kind != yaml.MappingNode {
					return o, fail(fv, key, "must be a column name or {column, values}")
				}
				err := pairs(fv, key, func(ak, av *yaml.Node) error {
					switch ak.Value {
					case "column":
						s, err := scalar(av, key+".column")
						if err != nil {
							return err
						}
						o.Map.setColumn(key, s)
					case "values":
						return pairs(av, key+".values", func(vk, vv *yaml.Node) error {
							to, err := scalar(vv, key+".values")
							if err != nil {
								return err
							}
							o.Map.setValue(key, vk.Value, to)
							return nil
						})
					case "columns":
						cols, err := list(av, key+".columns")
						if err != nil {
							return err
						}
						if len(cols) < 2 {
							return fail(av, key+".columns", "a composite value names two columns or more")
						}
						if o.Map.Joins == nil {
							o.Map.Joins = map[string][]string{}
						}
						o.Map.Joins[key] = cols
					case "divide":
						cols, err := list(av, key+".divide")
						if err != nil {
							return err
						}
						if len(cols) != 2 {
							return fail(av, key+".divide", "names two columns: the dividend and the divisor ([DMBTR, MENGE])")
						}
						if file == "events" && (!numberFields[fk.Value] || pctFields[fk.Value]) {
							return fail(av, key+".divide", "only an amount or a quantity can be computed")
						}
						if o.Map.Divides == nil {
							o.Map.Divides = map[string][2]string{}
						}
						o.Map.Divides[key] = [2]string{cols[0], cols[1]}
					case "ref":
						ref, err := boolean(av, key+".ref")
						if err != nil {
							return err
						}
						if o.Map.Refs == nil {
							o.Map.Refs = map[string]bool{}
						}
						o.Map.Refs[key] = ref
					case "rules":
						if av.Kind != yaml.SequenceNode {
							return fail(av, key+".rules", "must be a list of {when, value, fields}")
						}
						for _, rn := range av.Content {
							var ru Rule
							err := pairs(rn, key+".rules", func(rk, rv *yaml.Node) error {
								switch rk.Value {
								case "when":
									ru.When = map[string]string{}
									return pairs(rv, key+".rules.when", func(ck, cv *yaml.Node) error {
										if cv.Kind != yaml.ScalarNode {
											return fail(cv, key+".rules.when", "must be a value, values separated by |, * or \"\"")
										}
										ru.When[ck.Value] = cv.Value
										return nil
									})
								case "value":
									s, err := scalar(rv, key+".rules.value")
									ru.Value = s
									return err
								case "fields":
									ru.Fields = map[string]string{}
									return pairs(rv, key+".rules.fields", func(gk, gv *yaml.Node) error {
										if why := checkKey(file + "." + gk.Value); why != "" {
											return fail(gk, key+".rules.fields", gk.Value+" "+why)
										}
										s, err := scalar(gv, key+".rules.fields")
										ru.Fields[gk.Value] = s
										return err
									})
								}
								return fail(rk, key+".rules."+rk.Value, "is not a rule field (fields: when, value, fields)")
							})
							if err != nil {
								return err
							}
							if len(ru.When) == 0 || ru.Value == "" {
								return fail(rn, key+".rules", "a rule needs when and value")
							}
							if o.Map.Rules == nil {
								o.Map.Rules = map[string][]Rule{}
							}
							o.Map.Rules[key] = append(o.Map.Rules[key], ru)
						}
					default:
						return fail(ak, key+"."+ak.Value, "is not a mapping field (fields: column, values, columns, divide, ref, rules)")
					}
					return nil
				})
				if err != nil {
					return o, err
				}
			}
		default:
			return o, fail(k, k.Value, "is not a mapping file field (fields: items, bom, events, chart, units, delimiter, decimal, date_format, bom_alternative, std_tolerance, receipts_at_standard)")
		}
	}
	return o, nil
}

// ParseTolerance reads a tolerance in percent ("0.5", "0.5%"); "off" (or a
// negative value) turns the standards comparison off.
func ParseTolerance(s string) (bf.Pct, string) {
	if strings.TrimSpace(s) == "off" {
		return -1, ""
	}
	p, why := bf.ParsePct(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%")))
	if why != "" {
		return 0, why + " (" + s + "): a percentage such as 0.5, or off"
	}
	if p == 0 {
		return 1, "" // the smallest tolerance: every difference warns
	}
	return p, ""
}

// CheckDateFormat says why a date format cannot be used, or "".
func CheckDateFormat(s string) string { return checkDateFormat(s) }
