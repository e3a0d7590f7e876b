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
}

// row is one data row and the line it starts on.
type row struct {
	line  int
	cells []string
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
			case explicit:
				return nil, nil, t.errAt(1, bf.Field(f), "the mapping names column "+strconv.Quote(mapped)+", which the header lacks ("+found+")")
			case contains(required, f):
				return nil, nil, t.errAt(1, bf.Field(f), "missing column "+strconv.Quote(f)+" (map it with --map "+kind+"."+f+"=COLUMN; "+found+")")
			}
			continue
		}
		t.col[f] = idx
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
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			bad = append(bad, t.errAt(line, "is not valid CSV: "+csvReason(err)))
			if pe == nil {
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
		if len(rec) > len(header) {
			extra := true
			for _, c := range rec[len(header):] {
				extra = extra && strings.TrimSpace(c) == ""
			}
			if !extra {
				bad = append(bad, t.errAt(line, "has "+strconv.Itoa(len(rec))+" cells; the header has "+strconv.Itoa(len(header))))
				continue
			}
		}
		if len(rec) < len(header) {
			bad = append(bad, t.errAt(line, "has "+strconv.Itoa(len(rec))+" cells; the header has "+strconv.Itoa(len(header))))
			continue
		}
		for _, c := range rec {
			if !utf8.ValidString(c) {
				bad = append(bad, t.errAt(line, "is not valid UTF-8 (convert the file, e.g. iconv -f latin1 -t utf-8)"))
				rec = nil
				break
			}
		}
		if rec != nil {
			t.rows = append(t.rows, row{line: line, cells: append([]string(nil), rec...)})
		}
	}
	return t, bad, nil
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
	return bf.E("read "+t.kind, append([]any{bf.KindInvalid, bf.File(t.file), bf.LineNo(line)}, args...)...)
}

// has reports whether the file has a column for a field.
func (t *table) has(field string) bool {
	_, ok := t.col[field]
	return ok
}

// get returns a field's cell of a row, trimmed; empty without the column.
func (t *table) get(r *row, field string) string {
	i, ok := t.col[field]
	if !ok {
		return ""
	}
	return strings.TrimSpace(r.cells[i])
}

// value returns a field's cell with the mapping's value translation
// applied (an ERP's "ROH" read as "material").
func (t *table) value(r *row, field string) string {
	return t.o.Map.value(t.kind, field, t.get(r, field))
}
