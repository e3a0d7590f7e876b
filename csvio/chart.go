package csvio

import (
	"bytes"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	bf "github.com/backflush/backflush"
	"go.yaml.in/yaml/v3"
)

// chartFields are the columns of a chart-of-accounts mapping: the default
// account id, and the plant's code and name for it.
var chartFields = []string{"account", "code", "name"}

// accountIDs lists the default ids, sorted, for error messages.
func accountIDs() string {
	ids := make([]string, bf.NumAccounts)
	for i := range ids {
		ids[i] = bf.Account(i).String()
	}
	sort.Strings(ids)
	return strings.Join(ids, ", ")
}

// LoadChart reads a chart-of-accounts mapping file: YAML when its name ends
// in .yaml or .yml, else CSV.
func LoadChart(path string, o Options) (bf.Chart, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return bf.Chart{}, bf.E("read chart", bf.KindNotFound, bf.File(path), err)
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".yaml", ".yml":
		return DecodeChartYAML(path, data)
	}
	return ReadChart(Source{File: path, R: bytes.NewReader(data)}, o)
}

// chartSet records one account's mapping, refusing an account mapped twice
// and a code given to two accounts: reports key balances by code, so two
// accounts under one code would merge.
type chartSet struct {
	c     bf.Chart
	line  [bf.NumAccounts]int
	codes map[string]bf.Account
}

func (s *chartSet) set(a bf.Account, code, name string, line int) string {
	if s.line[a] != 0 {
		return "maps account " + a.String() + ", mapped at line " + strconv.Itoa(s.line[a]) + " already"
	}
	if s.codes == nil {
		s.codes = map[string]bf.Account{}
	}
	if code != "" {
		if o, dup := s.codes[code]; dup {
			return "gives code " + strconv.Quote(code) + " to " + a.String() + "; " + o.String() + " has it at line " + strconv.Itoa(s.line[o])
		}
		s.codes[code] = a
	}
	s.line[a] = line
	s.c.Code[a], s.c.Name[a] = code, name
	return ""
}

// ReadChart reads a chart-of-accounts mapping from CSV with the columns
// account (the default id), code and name (either may be empty). Every bad
// row is reported.
func ReadChart(src Source, o Options) (bf.Chart, error) {
	o.SkipBadRows = false
	t, errs, err := readTable(src, "chart", chartFields, []string{"account"}, map[string][]string{"account": {"id", "default"}}, &o)
	if err != nil {
		return bf.Chart{}, err
	}
	if !t.has("code") && !t.has("name") {
		return bf.Chart{}, t.errAt(1, bf.Field("code"), "a chart needs a code or a name column besides account")
	}
	var s chartSet
	for i := range t.rows {
		r := &t.rows[i]
		id := t.get(r, "account")
		a, ok := bf.ParseAccount(id)
		if !ok {
			errs = append(errs, t.errAt(r.line, bf.KindNotFound, bf.Field("account"), "unknown account "+strconv.Quote(id)+" (accounts: "+accountIDs()+")"))
			continue
		}
		if why := s.set(a, t.get(r, "code"), t.get(r, "name"), r.line); why != "" {
			errs = append(errs, t.errAt(r.line, bf.Field("account"), why))
		}
	}
	if len(errs) > 0 {
		return bf.Chart{}, errs.sorted()
	}
	return s.c, nil
}

// DecodeChartYAML reads a chart-of-accounts mapping written as a
// scenario's accounts section, with or without the "accounts:" key:
// each default id maps to a code, or to {code, name}.
func DecodeChartYAML(file string, data []byte) (bf.Chart, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return bf.Chart{}, bf.E("read chart", bf.KindInvalid, bf.File(file), "not valid YAML", err)
	}
	if len(doc.Content) == 0 {
		return bf.Chart{}, bf.E("read chart", bf.KindInvalid, bf.File(file), bf.LineNo(1), "is empty: map default account ids to codes")
	}
	root := doc.Content[0]
	if root.Kind == yaml.MappingNode && len(root.Content) == 2 && root.Content[0].Value == "accounts" {
		root = root.Content[1]
	}
	if root.Kind != yaml.MappingNode {
		return bf.Chart{}, bf.E("read chart", bf.KindInvalid, bf.File(file), bf.LineNo(root.Line), bf.Field("accounts"), "must map default account ids to codes or {code, name}")
	}
	scalar := func(n *yaml.Node, field string) (string, *bf.Error) {
		if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
			return "", bf.E("read chart", bf.KindInvalid, bf.File(file), bf.LineNo(n.Line), bf.Field(field), "must be a single value")
		}
		return n.Value, nil
	}
	var s chartSet
	var errs Errors
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		a, ok := bf.ParseAccount(k.Value)
		if !ok {
			errs = append(errs, bf.E("read chart", bf.KindNotFound, bf.File(file), bf.LineNo(k.Line), bf.Field("accounts"), "unknown account "+strconv.Quote(k.Value)+" (accounts: "+accountIDs()+")"))
			continue
		}
		var code, name string
		if v.Kind == yaml.MappingNode {
			for j := 0; j+1 < len(v.Content); j += 2 {
				fk, fv := v.Content[j], v.Content[j+1]
				val, err := scalar(fv, "accounts."+k.Value+"."+fk.Value)
				if err != nil {
					errs = append(errs, err)
					continue
				}
				switch fk.Value {
				case "code":
					code = val
				case "name":
					name = val
				default:
					errs = append(errs, bf.E("read chart", bf.KindInvalid, bf.File(file), bf.LineNo(fk.Line), bf.Field("accounts."+k.Value+"."+fk.Value), "is not an account field (fields: code, name)"))
				}
			}
		} else {
			val, err := scalar(v, "accounts."+k.Value)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			code = val
		}
		if why := s.set(a, code, name, k.Line); why != "" {
			errs = append(errs, bf.E("read chart", bf.KindInvalid, bf.File(file), bf.LineNo(k.Line), bf.Field("accounts"), why))
		}
	}
	if len(errs) > 0 {
		return bf.Chart{}, errs.sorted()
	}
	return s.c, nil
}

// WriteChart writes the mapped accounts of a chart as CSV (account, code,
// name), the layout ReadChart reads.
func WriteChart(w io.Writer, c *bf.Chart) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(chartFields); err != nil {
		return err
	}
	for a := bf.Account(0); a < bf.NumAccounts; a++ {
		if c.Code[a] == "" && c.Name[a] == "" {
			continue
		}
		if err := cw.Write([]string{a.String(), c.Code[a], c.Name[a]}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// MergeChart returns base with every account that over maps taken from
// over: a chart file given on the command line overrides a scenario's
// accounts section account by account.
func MergeChart(base, over bf.Chart) bf.Chart {
	for a := bf.Account(0); a < bf.NumAccounts; a++ {
		if over.Code[a] != "" || over.Name[a] != "" {
			base.Code[a], base.Name[a] = over.Code[a], over.Name[a]
		}
	}
	return base
}
