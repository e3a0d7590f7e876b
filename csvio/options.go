package csvio

import (
	"os"
	"strings"
	"time"

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

// number turns a cell into the plain decimal the bf parsers read: without
// surrounding spaces, with a dot for the decimal mark and, for a
// percentage, without a trailing "%". It refuses nothing itself: the
// parser says what is wrong with what is left.
func (o *Options) number(s string, pct bool) string {
	s = strings.TrimSpace(s)
	if pct {
		s = strings.TrimSpace(strings.TrimSuffix(s, "%"))
	}
	if o.DecimalComma {
		s = strings.NewReplacer(".", "", " ", "", "\u00a0", "", ",", ".").Replace(s)
	}
	return s
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

// date turns a cell into YYYY-MM-DD by the date format.
func (o *Options) date(s string) (string, string) {
	s = strings.TrimSpace(s)
	if o.DateFormat == "" {
		return s, ""
	}
	layout := strings.NewReplacer("YYYY", "2006", "MM", "01", "DD", "02").Replace(o.DateFormat)
	t, err := time.Parse(layout, s)
	if err != nil {
		return "", "is not a date of the form " + o.DateFormat + " (" + s + ")"
	}
	return t.Format(time.DateOnly), ""
}

// Mapping maps canonical fields to a file's own column names, and a file's
// values to canonical values. A key is "field" (every file with that field)
// or "file.field" (one file: items, bom, events or chart).
type Mapping struct {
	Columns map[string]string            // key → the file's column name
	Values  map[string]map[string]string // key → the file's value → the canonical value
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
var mapFiles = []string{"items", "bom", "events", "chart"}

// fieldsOf lists the canonical fields of a file.
func fieldsOf(file string) []string {
	switch file {
	case "items":
		return itemFields
	case "bom":
		return bomFields
	case "events":
		return bf.EventFields
	case "chart":
		return chartFields
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
		"; events: " + strings.Join(bf.EventFields, ", ") + "; chart: " + strings.Join(chartFields, ", ") + ")"
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
func LoadOptions(path string) (Options, error) {
	var o Options
	data, err := os.ReadFile(path)
	if err != nil {
		return o, bf.E("read mapping", bf.KindNotFound, bf.File(path), err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return o, bf.E("read mapping", bf.KindInvalid, bf.File(path), "not valid YAML", err)
	}
	if len(doc.Content) == 0 {
		return o, nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return o, bf.E("read mapping", bf.KindInvalid, bf.File(path), bf.LineNo(root.Line), "a mapping file is a YAML mapping of files (items, bom, events, chart) and options")
	}
	scalar := func(n *yaml.Node, field string) (string, error) {
		if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
			return "", bf.E("read mapping", bf.KindInvalid, bf.File(path), bf.LineNo(n.Line), bf.Field(field), "must be a single value")
		}
		return n.Value, nil
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
				return o, bf.E("read mapping", bf.KindInvalid, bf.File(path), bf.LineNo(v.Line), bf.Field("delimiter"), "must be one character, such as , or ; (write \"\\t\" for a tab)")
			}
			o.Delimiter = r[0]
		case "decimal":
			s, err := scalar(v, k.Value)
			if err != nil {
				return o, err
			}
			if s != "," && s != "." {
				return o, bf.E("read mapping", bf.KindInvalid, bf.File(path), bf.LineNo(v.Line), bf.Field("decimal"), "must be \".\" or \",\"")
			}
			o.DecimalComma = s == ","
		case "date_format":
			s, err := scalar(v, k.Value)
			if err != nil {
				return o, err
			}
			if why := checkDateFormat(s); why != "" {
				return o, bf.E("read mapping", bf.KindInvalid, bf.File(path), bf.LineNo(v.Line), bf.Field("date_format"), why)
			}
			o.DateFormat = s
		case "items", "bom", "events", "chart":
			if v.Kind != yaml.MappingNode {
				return o, bf.E("read mapping", bf.KindInvalid, bf.File(path), bf.LineNo(v.Line), bf.Field(k.Value), "must map fields to columns")
			}
			for j := 0; j+1 < len(v.Content); j += 2 {
				fk, fv := v.Content[j], v.Content[j+1]
				key := k.Value + "." + fk.Value
				if why := checkKey(key); why != "" {
					return o, bf.E("read mapping", bf.KindInvalid, bf.File(path), bf.LineNo(fk.Line), bf.Field(key), why)
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
					return o, bf.E("read mapping", bf.KindInvalid, bf.File(path), bf.LineNo(fv.Line), bf.Field(key), "must be a column name or {column, values}")
				}
				for x := 0; x+1 < len(fv.Content); x += 2 {
					ak, av := fv.Content[x], fv.Content[x+1]
					switch ak.Value {
					case "column":
						s, err := scalar(av, key+".column")
						if err != nil {
							return o, err
						}
						o.Map.setColumn(key, s)
					case "values":
						if av.Kind != yaml.MappingNode {
							return o, bf.E("read mapping", bf.KindInvalid, bf.File(path), bf.LineNo(av.Line), bf.Field(key+".values"), "must map the file's values to canonical ones")
						}
						for y := 0; y+1 < len(av.Content); y += 2 {
							to, err := scalar(av.Content[y+1], key+".values")
							if err != nil {
								return o, err
							}
							o.Map.setValue(key, av.Content[y].Value, to)
						}
					default:
						return o, bf.E("read mapping", bf.KindInvalid, bf.File(path), bf.LineNo(ak.Line), bf.Field(key+"."+ak.Value), "is not a mapping field (fields: column, values)")
					}
				}
			}
		default:
			return o, bf.E("read mapping", bf.KindInvalid, bf.File(path), bf.LineNo(k.Line), bf.Field(k.Value), "is not a mapping file field (fields: items, bom, events, chart, delimiter, decimal, date_format)")
		}
	}
	return o, nil
}

// CheckDateFormat says why a date format cannot be used, or "".
func CheckDateFormat(s string) string { return checkDateFormat(s) }

func checkDateFormat(s string) string {
	if strings.Count(s, "YYYY") != 1 || strings.Count(s, "MM") != 1 || strings.Count(s, "DD") != 1 {
		return "must hold YYYY, MM and DD once each, such as DD.MM.YYYY or YYYYMMDD"
	}
	return ""
}
