package csvio

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/scenario"
)

// ImportFiles names the ERP exports an import reads and the scenario it
// writes.
type ImportFiles struct {
	Items, BOM string // the item master and the BOM lines (required)
	Events     string // the events, if any
	Chart      string // a chart-of-accounts mapping, if any
	Units      string // a units-of-measure conversion table, if any
	// Tables names the files of the tables the mapping joins (MAKT, MBEW,
	// STKO, …), by the mapping's name for them.
	Tables map[string]string
	Name   string // the plant's name (default "Imported from" and the items file's name)
	Out    string // the scenario file's name, for its errors
}

// Imported is what an import made: the configuration, its scenario file
// (checked to read back and cost), the row problems skipped under
// Options.SkipBadRows, the warnings, and the summary of it all.
type Imported struct {
	Config   *bf.Config
	Scenario []byte
	Skipped  Errors // root causes, each naming the rows that depended on it
	Warnings Errors // figures that may be wrong, with their cause
	Summary  Summary
}

// Summary counts what an import read, left out and warned of.
type Summary struct {
	Items, BOMLines int
	Events          map[string]int // by event type
	Warnings        int
	SkippedRows     int // rows left out by errors, dependent rows included
	FilteredRows    int // rows left out by the mapping: filters, other alternative BOMs, "skip" rules
}

// String writes the summary on one line, events by type in type order.
func (s Summary) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d items, %d BOM lines, ", s.Items, s.BOMLines)
	n := 0
	var parts []string
	for t := bf.Purchase; t <= bf.Reprocess; t++ {
		if c := s.Events[t.String()]; c > 0 {
			parts = append(parts, strconv.Itoa(c)+" "+t.String())
			n += c
		}
	}
	fmt.Fprintf(&b, "%d events", n)
	if len(parts) > 0 {
		b.WriteString(" (" + strings.Join(parts, ", ") + ")")
	}
	fmt.Fprintf(&b, ", %d warnings, %d rows skipped, %d rows filtered out", s.Warnings, s.SkippedRows, s.FilteredRows)
	return b.String()
}

// BOMLines counts the BOM lines imported.
func (im *Imported) BOMLines() int {
	n := 0
	for _, it := range im.Config.Plant.Items {
		n += len(it.BOM)
	}
	return n
}

// Import reads an ERP's item master, BOM lines and events from CSV as o
// maps them, and writes the scenario file the other commands read. Every
// file is read and checked in one pass: the rows refused in all of them
// (without SkipBadRows) are returned together as *RowsRefused, each row
// that only depended on a refused row named under it, and nothing is
// imported. The scenario is decoded and costed before it is returned, so a
// file Import makes is always one the commands read.
func Import(f ImportFiles, o Options) (*Imported, error) {
	name := f.Name
	if name == "" {
		name = "Imported from " + filepath.Base(f.Items)
	}
	open := func(path string) (*os.File, error) {
		fh, err := os.Open(path)
		if err != nil {
			return nil, bf.E("import", bf.KindNotFound, bf.File(path), err)
		}
		return fh, nil
	}
	var unitErrs Errors
	for name, path := range f.Tables {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, bf.E("import", bf.KindNotFound, bf.File(path), err)
		}
		if o.Tables == nil {
			o.Tables = map[string]TableData{}
		}
		o.Tables[name] = TableData{File: path, Data: data}
	}
	if f.Units != "" {
		fu, err := open(f.Units)
		if err != nil {
			return nil, err
		}
		defer fu.Close()
		// The units table's rows refused are reported with every other
		// file's; the lines needing them then lack a conversion.
		u, errs, err := readUnits(Source{File: f.Units, R: fu}, &o)
		if err != nil {
			return nil, err
		}
		o.Units, unitErrs = u, errs
	}
	fi, err := open(f.Items)
	if err != nil {
		return nil, err
	}
	defer fi.Close()
	fb, err := open(f.BOM)
	if err != nil {
		return nil, err
	}
	defer fb.Close()
	pr, err := loadPlant(Source{File: f.Items, R: fi}, Source{File: f.BOM, R: fb}, name, &o)
	if err != nil {
		return nil, err
	}
	p := pr.p
	skipped := append(unitErrs, pr.errs...)
	warnings := pr.warnings
	sum := Summary{SkippedRows: len(unitErrs) + pr.skipped, FilteredRows: pr.filtered, Events: map[string]int{}}
	var evs []bf.Event
	sources := []string{f.Items, f.BOM}
	if f.Events != "" {
		fe, err := open(f.Events)
		if err != nil {
			return nil, err
		}
		defer fe.Close()
		er, err := loadEvents(Source{File: f.Events, R: fe}, p, pr.out, &o)
		if err != nil {
			return nil, err
		}
		evs = er.events
		skipped = append(skipped, er.errs...)
		warnings = append(warnings, er.warnings...)
		sum.SkippedRows += er.skipped
		sum.FilteredRows += er.filtered
		sources = append(sources, f.Events)
	}
	// The plant's roots now carry the rows of every file that depended
	// on them.
	for _, x := range pr.roots {
		x.finish()
	}
	if len(skipped) > 0 && (!o.SkipBadRows || p == nil) {
		return nil, &RowsRefused{skipped}
	}
	var c bf.Chart
	if f.Chart != "" {
		if c, err = LoadChart(f.Chart, o); err != nil {
			return nil, err
		}
		sources = append(sources, f.Chart)
	}
	if f.Units != "" {
		sources = append(sources, f.Units)
	}
	var tables []string
	for name := range f.Tables {
		tables = append(tables, name)
	}
	sort.Strings(tables)
	for _, name := range tables {
		sources = append(sources, f.Tables[name])
	}
	comment := []string{"Imported by backflush import from " + strings.Join(sources, ", ") + "."}
	if len(skipped) > 0 {
		comment = append(comment, strconv.Itoa(sum.SkippedRows)+" row(s) skipped (--skip-bad-rows); the command listed them.")
	}
	cfg := &bf.Config{Name: p.Name, Plant: *p, Chart: c, Events: evs}
	var buf bytes.Buffer
	if err := scenario.Write(&buf, cfg, comment); err != nil {
		return nil, bf.E("import", bf.KindInternal, err)
	}
	// The file must be one the other commands read: decode and cost it
	// before handing it over.
	sc, err := scenario.Decode(f.Out, buf.Bytes())
	if err == nil {
		_, err = costing.Build(sc, f.Out)
	}
	if err != nil {
		return nil, bf.E("import", bf.KindInternal, "the scenario written does not read back", err)
	}
	im := &Imported{Config: cfg, Scenario: buf.Bytes(), Skipped: skipped, Warnings: warnings}
	sum.Items, sum.BOMLines, sum.Warnings = len(p.Items), im.BOMLines(), len(warnings)
	for i := range evs {
		sum.Events[evs[i].Type.String()]++
	}
	im.Summary = sum
	return im, nil
}

// RowsRefused reports every row that kept an import from happening.
type RowsRefused struct{ Errs Errors }

// Error lists the rows, one a line.
func (r *RowsRefused) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d row problem(s); nothing imported (--skip-bad-rows imports the good rows):", len(r.Errs))
	for _, e := range r.Errs {
		b.WriteString("\n  " + e.Error())
	}
	return b.String()
}

// Unwrap gives the report one kind for the exit code: the rows' kind when
// they share it, else invalid input.
func (r *RowsRefused) Unwrap() error {
	return bf.E("import", r.Errs.Kind(), "rows refused", r.Errs)
}
