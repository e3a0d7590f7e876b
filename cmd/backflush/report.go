package main

import (
	"context"
	"flag"
	"io"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/report"
	"github.com/backflush/backflush/service"
)

// reportFlags are the flags every report takes.
type reportFlags struct {
	fs     *flag.FlagSet
	format *string
	events *string
	chart  *string
	store  storeFlags
	style  textStyle
}

func newReportFlags(name string, stderr io.Writer) *reportFlags {
	fs := newFlagSet("report " + name)
	return &reportFlags{fs: fs,
		format: fs.String("format", "text", "output format: text or json"),
		events: fs.String("events", "", "events posted after the scenario's own: JSON Lines, or CSV when the name ends in .csv"),
		chart:  chartFlag(fs),
		store:  addStoreFlags(fs),
		style:  styleFlags(fs)}
}

// write parses the flags and writes the report that req asks for
// (report.Write): from the books of a scenario file (and --events) when one
// is named, else from those of the store (--db or --pg). The title and the
// chart are the scenario's or the store's, --chart applied over them; req
// is called once they are known, so that errors come in the order they
// always have.
func (r *reportFlags) write(args []string, stdout io.Writer, req func() (report.Request, error)) error {
	var pos []string
	for {
		if err := parseFlags(r.fs, args); err != nil {
			return err
		}
		args = r.fs.Args()
		if len(args) == 0 {
			break
		}
		pos, args = append(pos, args[0]), args[1:]
	}
	if len(pos) > 1 {
		return usageError{r.fs.Name() + " takes one scenario file, or none to read the store"}
	}
	stdout, flush, err := r.style.forFormat(stdout, *r.format)
	if err != nil {
		return err
	}
	defer flush()
	request := func(sc *bf.Config) (report.Request, error) {
		q, err := req()
		q.Title, q.Chart, q.JSON = sc.Name, &sc.Chart, *r.format == "json"
		return q, err
	}
	if len(pos) == 0 && *r.events != "" {
		return usageError{"--events applies to a scenario file: post events to the store with backflush ingest"}
	}
	if len(pos) == 0 {
		return r.store.withService(context.Background(), func(s *service.Service) error {
			sc := bf.Config{Name: s.Name(), Chart: *s.Chart()}
			if err := applyChart(&sc, *r.chart); err != nil {
				return err
			}
			q, err := request(&sc)
			if err != nil {
				return err
			}
			return s.Report(stdout, q, false)
		})
	}
	in, err := loadInput(pos[0], *r.chart, *r.events)
	if err != nil {
		return err
	}
	l, err := in.build()
	if err != nil {
		return err
	}
	q, err := request(in.cfg)
	if err != nil {
		return err
	}
	q.Throughput, q.Source = in.cfg.Throughput, pos[0]
	return report.Write(stdout, l, q)
}

func cmdReport(args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && isHelp(args[0]) {
		return noFlagsHelp(stdout, "report")
	}
	if len(args) == 0 {
		return usageError{"report needs a kind: income, reconcile, throughput, lcnrv, process, variances or bom"}
	}
	kind, args := args[0], args[1:]
	rf := newReportFlags(kind, stderr)
	var req func() (report.Request, error)
	switch kind {
	case "income":
		book := rf.fs.String("book", "", "only this book")
		columns := rf.fs.Bool("columns", false, "the periods as columns, with a year-to-date column after each fiscal year's")
		yearStart := rf.fs.String("fiscal-year-start", "", "with --columns: the fiscal year's first day, MM-DD (default 01-01: calendar years)")
		req = func() (report.Request, error) {
			return report.Request{Kind: report.KindIncome, Options: report.Options{Book: *book}, Columns: *columns, YearStart: *yearStart}, nil
		}
	case "reconcile":
		gaap := rf.fs.String("gaap", "", "the GAAP book (default: the first sequential absorption book, preferring one with LCNRV)")
		mat := rf.fs.String("materiality", "5", "materiality threshold, percent of GAAP inventory and of GAAP operating income")
		req = func() (report.Request, error) {
			threshold, why := bf.ParsePct(*mat)
			if why != "" || threshold < 0 {
				return report.Request{}, bf.E("reconcile", bf.KindInvalid, bf.Field("materiality"), "must be a non-negative percentage")
			}
			return report.Request{Kind: report.KindReconcile, Options: report.Options{Book: *gaap}, Materiality: threshold}, nil
		}
	case "throughput", "bom":
		req = controllerReport(kind, rf.fs)
	case "lcnrv":
		book := rf.fs.String("book", "", "the book to test (default: the first sequential book)")
		basis := rf.fs.String("basis", "", "item, class or total (default: the book's policy, else item)")
		standard := rf.fs.String("standard", "", "us_gaap or ias2 (default: the book's policy, else us_gaap)")
		req = func() (report.Request, error) {
			return report.Request{Kind: report.KindLCNRV, Options: report.Options{Book: *book}, Basis: *basis, Standard: *standard}, nil
		}
	case "process":
		book := rf.fs.String("book", "", "the actual-cost book (default: the first with a fifo or weighted_average basis)")
		item := rf.fs.String("item", "", "only this item")
		req = func() (report.Request, error) {
			return report.Request{Kind: report.KindProcess, Options: report.Options{Book: *book}, Item: *item}, nil
		}
	case "variances":
		book := rf.fs.String("book", "", "the book (default: the GAAP book, else the first standard-cost book; the report says which)")
		req = func() (report.Request, error) {
			return report.Request{Kind: report.KindVariances, Options: report.Options{Book: *book}}, nil
		}
	default:
		return usageError{"unknown report " + kind + " (reports: income, reconcile, throughput, lcnrv, process, variances, bom)"}
	}
	return rf.write(args, stdout, req)
}
