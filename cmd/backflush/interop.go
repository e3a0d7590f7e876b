package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/csvio"
	"github.com/backflush/backflush/eventio"
	"github.com/backflush/backflush/export"
)

// chartFlag adds --chart, the chart-of-accounts mapping file every report
// and export applies.
func chartFlag(fs *flag.FlagSet) *string {
	return fs.String("chart", "", "a chart-of-accounts mapping (CSV: account,code,name; or YAML like a scenario's accounts) applied over the scenario's accounts")
}

// applyChart merges a chart mapping file over the scenario's own accounts
// section, account by account; an empty path changes nothing.
func applyChart(sc *bf.Config, path string) error {
	if path == "" {
		return nil
	}
	c, err := csvio.LoadChart(path, csvio.Options{})
	if err != nil {
		return err
	}
	sc.Chart = csvio.MergeChart(sc.Chart, c)
	return nil
}

// writeOut writes data to a file, or to stdout for "" or "-". The data is
// complete before the file is created, so a failed export leaves no
// half-written file behind.
func writeOut(path string, data []byte, stdout io.Writer) error {
	if path == "" || path == "-" {
		_, err := stdout.Write(data)
		return err
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return bf.E("write", bf.KindNotFound, bf.File(path), err)
	}
	return nil
}

// cmdExport exports one book's journal for accountants' tools, or the
// master data and events as CSV (--to master), from a scenario file or
// from the store.
func cmdExport(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("export")
	book := fs.String("book", "", "the book to export (needed when the books are more than one)")
	to := fs.String("to", "", "ledger, hledger, beancount, csv, xlsx; or master for items.csv, bom.csv, events.csv (and chart.csv) in the -o directory")
	period := fs.Int("period", 0, "export one period only (1 is the first; periods end at close events)")
	src := addSourceFlags(fs)
	out := fs.String("o", "", "the output file (standard output by default; required for xlsx; a directory for master)")
	file, err := parseSource(fs, args)
	if err != nil {
		return err
	}
	if *to == "" {
		return usageError{"export needs --to ledger, hledger, beancount, csv, xlsx or master"}
	}
	if *period < 0 {
		return usageError{"--period must be 1 or more (or 0 for every period)"}
	}
	if *to == "master" {
		if *out == "" || *out == "-" {
			return usageError{"export --to master writes several files: give the directory with -o DIR"}
		}
		return exportMasterOf(src, file, *out, stdout)
	}
	f, ok := export.ParseFormat(*to)
	if !ok {
		return usageError{"--to must be ledger, hledger, beancount, csv, xlsx or master, not " + *to}
	}
	if f == export.XLSX && (*out == "" || *out == "-") {
		return usageError{"an xlsx workbook is a binary file: give it a name with -o FILE.xlsx"}
	}
	var buf bytes.Buffer
	err = src.withLedger(file, func(l *costing.Ledger, sc *bf.Config) error {
		if *book == "" && len(l.Books) > 1 {
			names := make([]string, len(l.Books))
			for i, b := range l.Books {
				names[i] = b.Config.Name
			}
			return usageError{"the books are " + strconv.Itoa(len(l.Books)) + ": choose one with --book (" + strings.Join(names, ", ") + ")"}
		}
		b, err := export.ChooseBook(l, *book)
		if err != nil {
			return err
		}
		return export.Write(&buf, f, l, b, export.Options{Period: *period, Chart: &sc.Chart, Title: sc.Name})
	})
	if err != nil {
		return err
	}
	return writeOut(*out, buf.Bytes(), stdout)
}

// exportMasterOf writes the master data and the events of a scenario file
// (and --events) or of the store: its newest plant and its event log.
func exportMasterOf(src source, file, dir string, stdout io.Writer) error {
	if file != "" {
		in, err := loadInput(file, *src.chart, *src.events)
		if err != nil {
			return err
		}
		return exportMaster(in.cfg, append(append([]bf.Event(nil), in.cfg.Events...), in.extra...), dir, stdout)
	}
	var sc *bf.Config
	var events []bf.Event
	err := src.withLedger("", func(l *costing.Ledger, cfg *bf.Config) error {
		sc = cfg
		return nil
	})
	if err != nil {
		return err
	}
	ctx := context.Background()
	st, err := src.store.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Replay(ctx, func(e *bf.Event) error { events = append(events, *e); return nil }); err != nil {
		return err
	}
	return exportMaster(sc, events, dir, stdout)
}

// exportMaster writes the scenario's master data, events and chart as the
// CSV files `backflush import` reads back.
func exportMaster(sc *bf.Config, events []bf.Event, dir string, stdout io.Writer) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return bf.E("export", bf.KindNotFound, bf.File(dir), err)
	}
	type file struct {
		name  string
		write func(w io.Writer) error
	}
	files := []file{
		{"items.csv", func(w io.Writer) error { return csvio.WriteItems(w, &sc.Plant) }},
		{"bom.csv", func(w io.Writer) error { return csvio.WriteBOM(w, &sc.Plant) }},
		{"events.csv", func(w io.Writer) error { return eventio.WriteCSV(w, events, sc.Plant.Currency.Scale) }},
	}
	if sc.Chart != (bf.Chart{}) {
		files = append(files, file{"chart.csv", func(w io.Writer) error { return csvio.WriteChart(w, &sc.Chart) }})
	}
	var names []string
	for _, f := range files {
		var buf bytes.Buffer
		if err := f.write(&buf); err != nil {
			return bf.E("export", bf.KindInternal, bf.File(f.name), err)
		}
		p := filepath.Join(dir, f.name)
		if err := writeOut(p, buf.Bytes(), stdout); err != nil {
			return err
		}
		names = append(names, p)
	}
	fmt.Fprintf(stdout, "wrote %s\n", strings.Join(names, ", "))
	return nil
}

// mapFlag collects --map options, which may be given more than once.
type mapFlag struct{ specs []string }

func (m *mapFlag) String() string     { return strings.Join(m.specs, ",") }
func (m *mapFlag) Set(s string) error { m.specs = append(m.specs, s); return nil }

// exitSkipped is the exit code of an import that skipped rows (with
// --skip-bad-rows, without --allow-skipped): not a kind's code, so that a
// nightly job can tell "imported, but rows were dropped" from success and
// from failure.
const exitSkipped = 8

// skippedRows is the error of an import that wrote its scenario but left
// rows out; its exit code is exitSkipped.
type skippedRows struct{ n int }

func (s skippedRows) Error() string {
	return strconv.Itoa(s.n) + " row(s) skipped (listed above); the scenario was written without them (--allow-skipped accepts this with exit code 0)"
}

// ExitCode is the process exit code of an import that skipped rows.
func (s skippedRows) ExitCode() int { return exitSkipped }

// cmdImport reads an ERP's item master, BOM lines and events from CSV and
// writes a scenario file the other commands read.
func cmdImport(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("import")
	items := fs.String("items", "", "the item master CSV (required)")
	bom := fs.String("bom", "", "the BOM lines CSV (required)")
	events := fs.String("events", "", "events CSV")
	units := fs.String("units", "", "a units-of-measure conversion CSV (item, unit, numerator, denominator; or unit, base_unit, … for every item)")
	var tables mapFlag
	fs.Var(&tables, "table", "NAME=FILE: a table the mapping joins into a file (SAP's MAKT, MBEW, STAS, MAST, STKO) (repeatable)")
	var maps mapFlag
	fs.Var(&maps, "map", "column mapping: [file.]field=COLUMN and field[VALUE]=value pairs, comma-separated (repeatable)")
	mapFile := fs.String("map-file", "", "a YAML mapping file: columns and values per file, delimiter, decimal, date_format")
	profile := fs.String("profile", "", "the mapping of an ERP's standard exports: "+strings.Join(csvio.Profiles(), ", "))
	printProfile := fs.Bool("print-profile", false, "print the --profile's mapping (to edit and pass back with --map-file) and stop")
	chart := chartFlag(fs)
	name := fs.String("name", "", "the plant's name (default: \"Imported from\" and the items file's name)")
	currency := fs.String("currency", "USD", "the ISO 4217 currency of the amounts")
	delimiter := fs.String("delimiter", ",", "the cell delimiter: , or ; or \\t")
	decimalComma := fs.Bool("decimal-comma", false, "numbers use a decimal comma (1.234,56)")
	dateFormat := fs.String("date-format", "", "the layout of dates with YYYY, MM, DD (and hh, mm, ss for a time, dropped) (default YYYY-MM-DD)")
	alternative := fs.String("bom-alternative", "", "the alternative BOM to import for parents that have several (SAP's STLAL, e.g. 01)")
	tolerance := fs.String("std-tolerance", "0.5", "warn when a made item's rolled-up standard differs from the ERP's standard cost by more than this percentage (off: never)")
	atStandard := fs.Bool("receipts-at-standard", false, "value purchase receipts without a price at the standard cost, with a warning (default: refuse them)")
	skip := fs.Bool("skip-bad-rows", false, "import the good rows of files with errors and report the rows skipped (exit code 8 when rows were skipped)")
	allowSkipped := fs.Bool("allow-skipped", false, "with --skip-bad-rows, exit 0 even when rows were skipped")
	out := fs.String("o", "", "the scenario file to write (required; - for standard output)")
	if _, err := parse(fs, args, 0); err != nil {
		return err
	}
	if *printProfile {
		if *profile == "" {
			return usageError{"--print-profile needs --profile NAME (" + strings.Join(csvio.Profiles(), ", ") + ")"}
		}
		data, err := csvio.Profile(*profile)
		if err != nil {
			return err
		}
		_, err = stdout.Write(data)
		return err
	}
	if *items == "" || *bom == "" || *out == "" {
		return usageError{"import needs --items FILE, --bom FILE and -o SCENARIO.yaml"}
	}
	if *profile != "" && *mapFile != "" {
		return usageError{"give --profile or --map-file (an edited profile), not both"}
	}
	var o csvio.Options
	if *profile != "" {
		var err error
		if o, err = csvio.LoadProfile(*profile); err != nil {
			return err
		}
	}
	if *mapFile != "" {
		var err error
		if o, err = csvio.LoadOptions(*mapFile); err != nil {
			return err
		}
	}
	for _, s := range maps.specs {
		if err := o.Map.ParseMap(s); err != nil {
			return err
		}
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["delimiter"] || o.Delimiter == 0 {
		r := []rune(strings.ReplaceAll(*delimiter, `\t`, "\t"))
		if len(r) != 1 || r[0] == '"' || r[0] == '\n' || r[0] == '\r' {
			return usageError{"--delimiter must be one character, such as , or ;"}
		}
		o.Delimiter = r[0]
	}
	if set["decimal-comma"] {
		o.DecimalComma = *decimalComma
	}
	if set["date-format"] {
		if why := csvio.CheckDateFormat(*dateFormat); why != "" {
			return usageError{"--date-format " + why}
		}
		o.DateFormat = *dateFormat
	}
	if set["bom-alternative"] {
		o.BOMAlternative = *alternative
	}
	if set["std-tolerance"] || o.StdTolerance == 0 {
		t, why := csvio.ParseTolerance(*tolerance)
		if why != "" {
			return usageError{"--std-tolerance " + why}
		}
		o.StdTolerance = t
	}
	if set["receipts-at-standard"] {
		o.ReceiptsAtStandard = *atStandard
	}
	tableFiles := map[string]string{}
	for _, t := range tables.specs {
		n, path, ok := strings.Cut(t, "=")
		if !ok || n == "" || path == "" {
			return usageError{"--table must be NAME=FILE, such as MBEW=mbew.csv"}
		}
		tableFiles[n] = path
	}
	cur, ok := bf.LookupCurrency(*currency)
	if !ok {
		return usageError{"--currency must be a three-letter ISO 4217 code such as USD"}
	}
	o.Currency = cur
	o.SkipBadRows = *skip
	imp, err := csvio.Import(csvio.ImportFiles{Items: *items, BOM: *bom, Events: *events, Chart: *chart, Units: *units, Tables: tableFiles, Name: *name, Out: *out}, o)
	if err != nil {
		return err
	}
	if err := writeOut(*out, imp.Scenario, stdout); err != nil {
		return err
	}
	for _, e := range imp.Warnings {
		fmt.Fprintln(stderr, "backflush: warning:", e)
	}
	for _, e := range imp.Skipped {
		fmt.Fprintln(stderr, "backflush: skipped:", e)
	}
	// The summary goes to standard output, or beside the warnings when the
	// scenario itself goes there.
	sumTo := stdout
	if *out == "-" {
		sumTo = stderr
	}
	fmt.Fprintf(sumTo, "imported into %s: %s\n", *out, imp.Summary)
	if imp.Summary.SkippedRows > 0 && !*allowSkipped {
		return skippedRows{imp.Summary.SkippedRows}
	}
	return nil
}
