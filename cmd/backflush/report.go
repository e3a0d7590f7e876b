package main

import (
	"context"
	"flag"
	"io"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/report"
	"github.com/backflush/backflush/scenario"
	"github.com/backflush/backflush/service"
)

// reportFlags are the flags every report takes.
type reportFlags struct {
	fs     *flag.FlagSet
	format *string
	events *string
	chart  *string
	store  storeFlags
}

func newReportFlags(name string, stderr io.Writer) *reportFlags {
	fs := flag.NewFlagSet("report "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return &reportFlags{fs: fs,
		format: fs.String("format", "text", "output format: text or json"),
		events: fs.String("events", "", "events posted after the scenario's own: JSON Lines, or CSV when the name ends in .csv"),
		chart:  chartFlag(fs),
		store:  addStoreFlags(fs)}
}

// load parses the flags and builds the books: from a scenario file (and
// --events) when one is named, else from the store (--db or --pg).
func (r *reportFlags) load(args []string) (*bf.Config, *costing.Ledger, error) {
	var pos []string
	for {
		if err := r.fs.Parse(args); err != nil {
			return nil, nil, err
		}
		args = r.fs.Args()
		if len(args) == 0 {
			break
		}
		pos, args = append(pos, args[0]), args[1:]
	}
	if len(pos) > 1 {
		return nil, nil, usageError{r.fs.Name() + " takes one scenario file, or none to read the store"}
	}
	if *r.format != "text" && *r.format != "json" {
		return nil, nil, usageError{"--format must be text or json"}
	}
	if len(pos) == 0 {
		return r.fromStore()
	}
	in, err := loadInput(pos[0], *r.chart, *r.events)
	if err != nil {
		return nil, nil, err
	}
	l, err := in.build()
	if err != nil {
		return nil, nil, err
	}
	return in.cfg, l, nil
}

func (r *reportFlags) json() bool { return *r.format == "json" }

// fromStore builds the books from the store's log; the scenario returned
// carries the plant's name and account codes only.
func (r *reportFlags) fromStore() (*bf.Config, *costing.Ledger, error) {
	var sc bf.Config
	var l *costing.Ledger
	err := r.store.withService(context.Background(), func(s *service.Service) error {
		sc.Name, sc.Chart = s.Name(), *s.Chart()
		return s.View(func(x *costing.Ledger) error { l = x; return nil })
	})
	if err != nil {
		return nil, nil, err
	}
	if err := applyChart(&sc, *r.chart); err != nil {
		return nil, nil, err
	}
	return &sc, l, nil
}

func cmdReport(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{"report needs a kind: income, reconcile, throughput, lcnrv or process"}
	}
	kind, args := args[0], args[1:]
	rf := newReportFlags(kind, stderr)
	switch kind {
	case "income":
		book := rf.fs.String("book", "", "only this book")
		sc, l, err := rf.load(args)
		if err != nil {
			return err
		}
		if err := report.CheckBook(l, *book); err != nil {
			return err
		}
		o := report.Options{Title: sc.Name, Chart: &sc.Chart, Book: *book}
		if rf.json() {
			return report.IncomeJSON(stdout, l, o)
		}
		return report.WriteIncome(stdout, l, o)
	case "reconcile":
		gaap := rf.fs.String("gaap", "", "the GAAP book (default: the first sequential absorption book, preferring one with LCNRV)")
		mat := rf.fs.String("materiality", "5", "materiality threshold, percent of GAAP inventory and of GAAP operating income")
		sc, l, err := rf.load(args)
		if err != nil {
			return err
		}
		threshold, why := bf.ParsePct(*mat)
		if why != "" || threshold < 0 {
			return bf.E("reconcile", bf.KindInvalid, bf.Field("materiality"), "must be a non-negative percentage")
		}
		if rf.json() {
			return report.ReconcileJSON(stdout, l, threshold, *gaap)
		}
		return report.WriteReconcile(stdout, l, report.Options{Title: sc.Name, Chart: &sc.Chart}, threshold, *gaap)
	case "throughput":
		pos, err := parse(rf.fs, args, 1)
		if err != nil {
			return err
		}
		sc, err := scenario.Load(pos[0])
		if err != nil {
			return err
		}
		an, mix, err := costing.AnalyzeThroughput(sc, pos[0])
		if err != nil {
			return err
		}
		return report.WriteThroughput(stdout, an, mix, sc.Plant.Currency.Scale, rf.json())
	case "lcnrv":
		book := rf.fs.String("book", "", "the book to test (default: the first sequential book)")
		basis := rf.fs.String("basis", "", "item, class or total (default: the book's policy, else item)")
		standard := rf.fs.String("standard", "", "us_gaap or ias2 (default: the book's policy, else us_gaap)")
		_, l, err := rf.load(args)
		if err != nil {
			return err
		}
		b, err := costing.ReferenceBook(l, *book, costing.ForLCNRV)
		if err != nil {
			return err
		}
		pol, err := costing.LCNRVPolicyOf(b).Override(*basis, *standard)
		if err != nil {
			return err
		}
		r, lines, err := costing.LCNRVTest(l, b, pol)
		if err != nil {
			return err
		}
		return report.WriteLCNRV(stdout, l, b, r, lines, pol.Standard, rf.json())
	case "process":
		book := rf.fs.String("book", "", "the actual-cost book (default: the first with a fifo or weighted_average basis)")
		item := rf.fs.String("item", "", "only this item")
		_, l, err := rf.load(args)
		if err != nil {
			return err
		}
		b, err := costing.ReferenceBook(l, *book, costing.ForProcess)
		if err != nil {
			return err
		}
		return report.WriteProcess(stdout, l, b, *item, rf.json())
	}
	return usageError{"unknown report " + kind + " (reports: income, reconcile, throughput, lcnrv, process)"}
}
