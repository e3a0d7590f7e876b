// Package csvio brings plant master data and events in from the CSV files
// ERPs export, and writes master data back out as CSV.
//
// An item master (id, description, type, unit, standard cost, price and
// optional conversion columns), BOM lines (parent, component, quantity,
// scrap %) and events (the fields of bf.EventFields) are read with a column
// mapping, so an export keeps its own headers (MATNR, MAKTX, …). Every
// value is read from its text, never through floating point. Every rejected
// row is reported with its file, line, field and reason — all of them, not
// just the first — and nothing is imported from a file with errors unless
// the caller asks to skip bad rows, in which case the skipped rows are
// reported instead.
//
// WriteItems and WriteBOM write a plant in the same layout, so that reading
// what they wrote gives the same plant back; WriteScenario writes a
// scenario file the other commands read.
package csvio

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	bf "github.com/backflush/backflush"
)

// Source is one input file: its name (for errors) and its content.
type Source struct {
	File string    // the name errors give, as the user wrote it
	R    io.Reader // the CSV text
}

// Errors is every row refused, in file and line order. It is an error whose
// kind (bf.ErrorKind) is that of its first row.
type Errors []*bf.Error

// Error lists the rows, one a line.
func (es Errors) Error() string {
	var b strings.Builder
	for i, e := range es {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap returns the rows' errors, so errors.As finds the first *bf.Error.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// sorted orders errors by file, in the order the files are given (those
// not given last, by name), then by line, keeping the order of a row's own.
func (es Errors) sorted(files ...string) Errors {
	rank := func(f string) int {
		for i, x := range files {
			if x == f {
				return i
			}
		}
		return len(files)
	}
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i], es[j]
		if ra, rb := rank(a.File), rank(b.File); ra != rb {
			return ra < rb
		}
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Line < b.Line
	})
	return es
}

// Kind is the kind the rows share, or KindInvalid when they differ: the
// kind of the report as a whole, for an exit code.
func (es Errors) Kind() bf.Kind {
	if len(es) == 0 {
		return bf.KindInternal
	}
	k := es[0].Kind
	for _, e := range es[1:] {
		if e.Kind != k {
			return bf.KindInvalid
		}
	}
	return k
}

// maxFileBytes bounds one CSV file, so a corrupt or hostile file cannot
// exhaust memory: 256 MiB is far beyond any plant's master data.
const maxFileBytes = 256 << 20

// table is a CSV file read with its header resolved: the column of every
// canonical field it has, and its data rows with their lines.
type table struct {
	file string
	kind string // items, bom, events, chart: the mapping's prefix
	col  map[string]int
	rows []row
	o    *Options
	// filtered counts the rows the mapping's filters left out.
	filtered int
	join     map[string][]int  // field → the columns of a composite value
	div      map[string][2]int // field → numerator and denominator columns
	rules    map[string][]rule // field → its rules, resolved
	origin   map[int]string    // column → the joined file it comes from
	// skipped holds the rows a rule left out with a reason, by reason,
	// and skipReasons the reasons in the order met.
	skipped     map[string][]int
	skipReasons []string
}

// skipWarnings are the warnings of the rows rules left out with a reason:
// one per reason, naming its rows.
func (t *table) skipWarnings() Errors {
	var out Errors
	for _, why := range t.skipReasons {
		lines := t.skipped[why]
		var at []string
		for i, l := range lines {
			if i == 10 {
				at = append(at, "…")
				break
			}
			at = append(at, strconv.Itoa(l))
		}
		out = append(out, bf.E("read "+t.kind, bf.KindInvalid, bf.File(t.file), bf.LineNo(lines[0]),
			strconv.Itoa(len(lines))+" row(s) left out (lines "+strings.Join(at, ", ")+"): "+why))
	}
	return out
}

// rule is a Rule with its columns found in the header.
type rule struct {
	when  []int    // columns
	pats  []string // their patterns
	value string
	cols  map[string][]int // field → its columns (joined by "-"; none: empty), for the rows it matches
}

// row is one data row, the line it starts on, and per field with rules
// the rule it matched (-1 none).
type row struct {
	line  int
	cells []string
	rule  map[string]int
}

// normHeader folds a header for matching: case, surrounding spaces, a
// byte-order mark, and spaces or hyphens inside ("Standard Cost",
// "standard-cost" and "standard_cost" are one column).
func normHeader(s string) string {
	s = strings.TrimSpace(strings.TrimPrefix(s, "\ufeff"))
	s = strings.ToLower(s)
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return '_'
		}
		return r
	}, s)
}

// readTable reads a CSV file and resolves its header against the
// canonical fields of its kind. Header problems (a required column
// missing, a mapped column absent, a column named twice) are fatal: no row
// can be read without them. Malformed rows are returned as row errors.
func readTable(src Source, kind string, fields, required []string, aliases map[string][]string, o *Options) (*table, Errors, error) {
	data, err := io.ReadAll(io.LimitReader(src.R, maxFileBytes+1))
	if err != nil {
		return nil, nil, bf.E("read "+kind, bf.KindNotFound, bf.File(src.File), "cannot be read", err)
	}
	if len(data) > maxFileBytes {
		return nil, nil, bf.E("read "+kind, bf.KindInvalid, bf.File(src.File), "is larger than 256 MiB")
	}
	t := &table{file: src.File, kind: kind, col: map[string]int{}, o: o}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = o.comma()
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err == io.EOF {
		return nil, nil, t.errAt(1, "is empty: the first row must name the columns")
	}
	if err != nil {
		return nil, nil, t.errAt(1, "the header row is not valid CSV: "+csvReason(err))
	}
	width := len(header)
	joins, err := t.prepareJoins(&header, o)
	if err != nil {
		return nil, nil, err
	}
	at := map[string]int{}
	var names []string
	for i, h := range header {
		n := normHeader(h)
		if n == "" {
			continue
		}
		names = append(names, strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if j, dup := at[n]; dup {
			at[n] = -1 - j // named twice: refused only if a field needs it
			continue
		}
		at[n] = i
	}
	found := "columns found: " + strings.Join(names, ", ")
	for _, f := range fields {
		if o.Map.computed(kind, f) {
			continue // resolved below
		}
		mapped, explicit := o.Map.column(kind, f)
		cands := []string{mapped}
		if !explicit {
			cands = append(cands, aliases[f]...)
		}
		idx := -1
		for _, c := range cands {
			if i, ok := at[normHeader(c)]; ok {
				if i < 0 {
					return nil, nil, t.errAt(1, bf.Field(f), "column "+strconv.Quote(c)+" is named twice in the header")
				}
				idx = i
				break
			}
		}
		if idx < 0 {
			switch {
			case explicit && (o.Map.Columns[kind+"."+f] != "" || contains(required, f) || filesWith(f) < 2):
				// A general mapping (unit=MEINS) of a field a file may
				// lack applies where the column is; one naming the file
				// (items.unit=MEINS) or a required field must be there.
				return nil, nil, t.errAt(1, bf.Field(f), "the mapping names column "+strconv.Quote(mapped)+", which the header lacks ("+found+")")
			case contains(required, f):
				return nil, nil, t.errAt(1, bf.Field(f), "missing column "+strconv.Quote(f)+" (map it with --map "+kind+"."+f+"=COLUMN; "+found+")")
			}
			continue
		}
		t.col[f] = idx
	}
	colOf := func(field, c string) (int, *bf.Error) {
		i, ok := at[normHeader(c)]
		if !ok {
			return 0, t.errAt(1, bf.Field(field), "the mapping names column "+strconv.Quote(c)+", which the header lacks ("+found+")")
		}
		if i < 0 {
			return 0, t.errAt(1, bf.Field(field), "column "+strconv.Quote(c)+" is named twice in the header")
		}
		return i, nil
	}
	m := &o.Map
	for _, f := range fields {
		if cols := m.pick(m.Joins, kind, f); len(cols) > 0 {
			if t.join == nil {
				t.join = map[string][]int{}
			}
			for _, c := range cols {
				i, e := colOf(f, c)
				if e != nil {
					return nil, nil, e
				}
				t.join[f] = append(t.join[f], i)
			}
			t.col[f] = t.join[f][0]
		}
		if d, ok := m.Divides[kind+"."+f]; ok {
			a, e := colOf(f, d[0])
			if e != nil {
				return nil, nil, e
			}
			b, e := colOf(f, d[1])
			if e != nil {
				return nil, nil, e
			}
			if t.div == nil {
				t.div = map[string][2]int{}
			}
			t.div[f] = [2]int{a, b}
			t.col[f] = a
		}
		for _, ru := range m.Rules[kind+"."+f] {
			x := rule{value: ru.Value, cols: map[string][]int{}}
			for _, c := range sortedKeys(ru.When) {
				i, e := colOf(f, c)
				if e != nil {
					return nil, nil, e
				}
				x.when, x.pats = append(x.when, i), append(x.pats, ru.When[c])
			}
			for _, g := range sortedKeys(ru.Fields) {
				x.cols[g] = []int{}
				if ru.Fields[g] == "" {
					continue
				}
				for _, c := range strings.Split(ru.Fields[g], "+") {
					i, e := colOf(g, strings.TrimSpace(c))
					if e != nil {
						return nil, nil, e
					}
					x.cols[g] = append(x.cols[g], i)
				}
			}
			if t.rules == nil {
				t.rules = map[string][]rule{}
			}
			t.rules[f] = append(t.rules[f], x)
		}
	}
	var fill []int
	for _, f := range m.FillDown[kind] {
		i, ok := t.col[f]
		if !ok {
			i, ok = at[normHeader(f)] // a column no field reads (a filter's)
		}
		if !ok || i < 0 {
			return nil, nil, t.errAt(1, bf.Field(f), "is to be filled down but the file has no column for it")
		}
		fill = append(fill, i)
	}
	type filter struct {
		col  int
		keep bool
		vals []string
	}
	var filters []filter
	for _, fl := range m.Filters[kind] {
		i, e := colOf(fl.Column, fl.Column)
		if e != nil {
			return nil, nil, e
		}
		filters = append(filters, filter{i, fl.Keep, fl.Values})
	}
	var prev []string
	keepRow := func(rec []string) bool {
		for _, i := range fill {
			if strings.TrimSpace(rec[i]) == "" && prev != nil {
				rec[i] = prev[i]
			}
		}
		prev = rec
		for _, fl := range filters {
			if contains(fl.vals, strings.TrimSpace(rec[fl.col])) != fl.keep {
				t.filtered++
				return false
			}
		}
		return true
	}
	var bad Errors
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			// FieldsPerRecord is -1, so every error is a malformed row;
			// the reader goes on after it.
			line, parse := csvLine(err)
			bad = append(bad, t.errAt(line, "is not valid CSV: "+csvReason(err)))
			if !parse {
				break // not a parse error: the reader cannot go on
			}
			continue
		}
		if len(rec) == 0 {
			continue
		}
		line, _ := cr.FieldPos(0)
		blank := true
		for _, c := range rec {
			blank = blank && strings.TrimSpace(c) == ""
		}
		if blank {
			continue
		}
		if len(rec) > width {
			extra := true
			for _, c := range rec[width:] {
				extra = extra && strings.TrimSpace(c) == ""
			}
			if !extra {
				bad = append(bad, t.errAt(line, "has "+strconv.Itoa(len(rec))+" cells; the header has "+strconv.Itoa(width)))
				continue
			}
		}
		if len(rec) < width {
			bad = append(bad, t.errAt(line, "has "+strconv.Itoa(len(rec))+" cells; the header has "+strconv.Itoa(width)))
			continue
		}
		for _, c := range rec {
			if !utf8.ValidString(c) {
				bad = append(bad, t.errAt(line, "is not valid UTF-8 (convert the file, e.g. iconv -f latin1 -t utf-8)"))
				rec = nil
				break
			}
		}
		if rec == nil {
			continue
		}
		for _, rec := range t.expand(append([]string(nil), rec[:width]...), joins) {
			if !keepRow(rec) {
				continue
			}
			t.add(row{line: line, cells: rec})
		}
	}
	return t, bad, nil
}

// add keeps a row read, with the rule it matches; a rule "skip" filters it.
func (t *table) add(r row) {
	skip := false
	for f, rs := range t.rules {
		if r.rule == nil {
			r.rule = map[string]int{}
		}
		r.rule[f] = -1
		for k, ru := range rs {
			ok := true
			for j, c := range ru.when {
				ok = ok && matchPattern(ru.pats[j], strings.TrimSpace(r.cells[c]))
			}
			if ok {
				r.rule[f] = k
				if ru.value == "skip" {
					skip = true
				} else if why, ok := strings.CutPrefix(ru.value, "skip:"); ok {
					// Left out with a reason the import warns of, once
					// for all the rows it names.
					skip = true
					why = strings.TrimSpace(why)
					if t.skipped == nil {
						t.skipped = map[string][]int{}
					}
					if t.skipped[why] == nil {
						t.skipReasons = append(t.skipReasons, why)
					}
					t.skipped[why] = append(t.skipped[why], r.line)
				}
				break
			}
		}
	}
	if skip {
		t.filtered++
		return
	}
	t.rows = append(t.rows, r)
}

// joined is a table joined into a file's rows: the file's columns it is
// joined on, and its rows (filtered) by the values of those columns.
type joined struct {
	on    []int
	rows  map[string][][]string
	width int
	inner bool // a row without a match is left out (filtered)
}

// origin names the file and column of a joined table's column, for errors.
func origin(file, col string) string { return "the cell is from " + file + ", column " + col }

// prepareJoins reads the tables the mapping joins into this file (SAP's
// MAKT and MBEW into MARA, STAS, MAST and STKO into STPO) and adds their
// columns to the header. A table is joined on columns both have; rows of
// the file without a match keep empty cells for the table's columns (a
// field needed from them is then reported missing), rows with several
// matches become several rows.
func (t *table) prepareJoins(header *[]string, o *Options) ([]joined, error) {
	var out []joined
	for _, j := range o.Map.TableJoins[t.kind] {
		src, ok := o.Tables[j.Table]
		if !ok {
			return nil, t.errAt(1, bf.Field("join"), "the mapping joins table "+j.Table+": give its file with --table "+j.Table+"=FILE")
		}
		cr := csv.NewReader(bytes.NewReader(src.Data))
		cr.Comma = o.comma()
		cr.FieldsPerRecord = -1
		jh, err := cr.Read()
		if err != nil {
			return nil, bf.E("read "+t.kind, bf.KindInvalid, bf.File(src.File), bf.LineNo(1), "the header row is not valid CSV or is missing")
		}
		pos := map[string]int{}
		for i, h := range jh {
			pos[normHeader(h)] = i
		}
		mine := map[string]int{}
		for i, h := range *header {
			mine[normHeader(h)] = i
		}
		x := joined{rows: map[string][][]string{}, width: len(jh), inner: j.Inner}
		var theirs []int
		for _, c := range j.On {
			a, okA := mine[normHeader(c)]
			b, okB := pos[normHeader(c)]
			if !okA || !okB {
				return nil, t.errAt(1, bf.Field("join"), "joins table "+j.Table+" on column "+strconv.Quote(c)+", which "+map[bool]string{true: src.File, false: t.file}[okA]+" lacks")
			}
			x.on, theirs = append(x.on, a), append(theirs, b)
		}
		type cond struct {
			col  int
			keep bool
			vals []string
		}
		var conds []cond
		for _, f := range j.Where {
			i, ok := pos[normHeader(f.Column)]
			if !ok {
				return nil, bf.E("read "+t.kind, bf.KindInvalid, bf.File(src.File), bf.LineNo(1), bf.Field(f.Column), "the mapping filters table "+j.Table+" on a column it lacks")
			}
			conds = append(conds, cond{i, f.Keep, f.Values})
		}
	rows:
		for {
			rec, err := cr.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				line, _ := csvLine(err)
				return nil, bf.E("read "+t.kind, bf.KindInvalid, bf.File(src.File), bf.LineNo(line), "is not valid CSV: "+csvReason(err))
			}
			if len(rec) < len(jh) {
				rec = append(rec, make([]string, len(jh)-len(rec))...)
			}
			rec = rec[:len(jh)]
			for _, c := range conds {
				if contains(c.vals, strings.TrimSpace(rec[c.col])) != c.keep {
					continue rows
				}
			}
			k := joinKey(rec, theirs)
			x.rows[k] = append(x.rows[k], rec)
		}
		for _, h := range jh {
			// A column the file has already (MANDT, MATNR, STLAL) is
			// known as TABLE.COLUMN, so no field reads it by mistake.
			if _, dup := mine[normHeader(h)]; dup {
				h = j.Table + "." + strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
			}
			mine[normHeader(h)] = len(*header)
			if t.origin == nil {
				t.origin = map[int]string{}
			}
			t.origin[len(*header)] = origin(src.File, strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
			*header = append(*header, h)
		}
		out = append(out, x)
	}
	return out, nil
}

func joinKey(rec []string, cols []int) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = strings.TrimSpace(rec[c])
	}
	return strings.Join(parts, "\x00")
}

// expand joins a row with the joined tables, in order: one row per match,
// or the row with empty cells when a table has none (none at all for an
// inner join, counted as filtered).
func (t *table) expand(rec []string, joins []joined) [][]string {
	recs := [][]string{rec}
	for _, j := range joins {
		var next [][]string
		for _, r := range recs {
			ms := j.rows[joinKey(r, j.on)]
			if len(ms) == 0 {
				if j.inner {
					t.filtered++
					continue
				}
				next = append(next, append(r, make([]string, j.width)...))
				continue
			}
			for _, m := range ms {
				next = append(next, append(append([]string(nil), r...), m...))
			}
		}
		recs = next
	}
	return recs
}

// csvLine is the line a CSV error starts on, and whether it is a parse
// error (after which the reader can go on).
func csvLine(err error) (int, bool) {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.StartLine, true
	}
	return 0, false
}

// csvReason is the reason of a CSV parse error without its position,
// which the error names already.
func csvReason(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// errAt returns the error at a line of the table: bf.E of the table's
// operation and file, kind invalid and the line, then args, of which a Kind
// or a culprit overrides these.
func (t *table) errAt(line int, args ...any) *bf.Error {
	e := bf.E("read "+t.kind, append([]any{bf.KindInvalid, bf.File(t.file), bf.LineNo(line)}, args...)...)
	if i, ok := t.col[e.Field]; ok && t.origin[i] != "" && line > 1 {
		e.Reason += " (" + t.origin[i] + ")"
	}
	return e
}

// has reports whether the file has a column for a field.
func (t *table) has(field string) bool {
	_, ok := t.col[field]
	return ok || len(t.rules[field]) > 0
}

// get returns a field's cell of a row, trimmed; empty without the column.
// A field with rules takes the matching rule's value; a rule's field map
// names the columns of the rows it matches; a composite field joins its
// cells with "-"; a reference "[REF] Name" gives REF. A computed field
// (a quotient) is read with num.
func (t *table) get(r *row, field string) string {
	for f, k := range r.rule {
		if k < 0 {
			continue
		}
		ru := &t.rules[f][k]
		if f == field {
			return ru.value
		}
		if cols, ok := ru.cols[field]; ok {
			// None: the rule says the field has no column for its rows.
			parts := make([]string, len(cols))
			for k, i := range cols {
				parts[k] = strings.TrimSpace(r.cells[i])
			}
			return strings.Join(parts, "-")
		}
	}
	if len(t.rules[field]) > 0 {
		if _, ok := t.col[field]; !ok {
			return ""
		}
	}
	if cols, ok := t.join[field]; ok {
		parts := make([]string, len(cols))
		for k, c := range cols {
			parts[k] = strings.TrimSpace(r.cells[c])
		}
		return strings.Join(parts, "-")
	}
	i, ok := t.col[field]
	if !ok {
		return ""
	}
	v := strings.TrimSpace(r.cells[i])
	if t.o.Map.Refs[t.kind+"."+field] {
		v = parseRef(v)
	}
	return v
}

// ruled reports whether the rule a row matched names the field's column.
func (t *table) ruled(r *row, field string) bool {
	for f, k := range r.rule {
		if k >= 0 {
			if _, ok := t.rules[f][k].cols[field]; ok {
				return true
			}
		}
	}
	return false
}

// parseRef reads Odoo's "[REF] Name" as REF; a cell without brackets is
// kept whole.
func parseRef(s string) string {
	if strings.HasPrefix(s, "[") {
		if i := strings.IndexByte(s, ']'); i > 1 {
			return strings.TrimSpace(s[1:i])
		}
	}
	return s
}

// num returns a numeric field's text in the locale of the file; a computed
// field is divided out here, exactly, or rounded to the nearest at the nine
// decimals of a unit cost when the division does not end, which qty × cost
// still gives back to the cent for any quantity below ten million units.
func (t *table) num(r *row, field string) (string, string) {
	d, ok := t.div[field]
	if !ok || t.ruled(r, field) {
		return t.get(r, field), ""
	}
	a, b := strings.TrimSpace(r.cells[d[0]]), strings.TrimSpace(r.cells[d[1]])
	if a == "" {
		return "", ""
	}
	ra, why := t.o.rat(a)
	if why != "" {
		return "", why
	}
	rb, why := t.o.rat(b)
	if why != "" {
		return "", why
	}
	if rb.Sign() == 0 {
		return "", "is " + a + " ÷ " + b + ": the divisor is zero"
	}
	q := new(big.Rat).Quo(ra, rb)
	if q.Sign() < 0 {
		q.Neg(q) // an ERP writes the sign in its own column
	}
	if big10(q, bf.CostDecimals) && new(big.Rat).Abs(rb).Cmp(new(big.Rat).SetInt64(10_000_000)) >= 0 {
		return "", "is " + a + " ÷ " + b + ", which does not end: rounded, it would not give the amount back for so large a quantity"
	}
	s := q.FloatString(bf.CostDecimals)
	if t.o.DecimalComma {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s, ""
}

// big10 reports whether q has more than n decimals.
func big10(q *big.Rat, n int) bool {
	x := new(big.Rat).Mul(q, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)))
	return !x.IsInt()
}

// sortedKeys returns a map's keys in order, for stable column lookups.
func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// value returns a field's cell with the mapping's value translation
// applied (an ERP's "ROH" read as "material").
func (t *table) value(r *row, field string) string {
	return t.o.Map.value(t.kind, field, t.get(r, field))
}

// idParts returns the cells of a composite id in the mapping's order, for
// ordering events by document and line; nil for a plain id.
func (t *table) idParts(r *row) []string {
	cols := t.join["id"]
	if len(cols) < 2 {
		return nil
	}
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = strings.TrimSpace(r.cells[c])
	}
	return out
}

// filesWith counts the files that have a field.
func filesWith(field string) int {
	n := 0
	for _, f := range mapFiles {
		if contains(fieldsOf(f), field) {
			n++
		}
	}
	return n
}
