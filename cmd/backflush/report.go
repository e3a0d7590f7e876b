package main

import (
	"context"
	"flag"
	"io"
	"os"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/eventio"
	"github.com/backflush/backflush/report"
	"github.com/backflush/backflush/scenario"
	"github.com/backflush/backflush/service"
	"github.com/backflush/backflush/throughput"
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
		events: fs.String("events", "", "a JSON Lines file of events posted after the scenario's own"),
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
	sc, err := scenario.Load(pos[0])
	if err != nil {
		return nil, nil, err
	}
	if err := applyChart(sc, *r.chart); err != nil {
		return nil, nil, err
	}
	l, err := costing.Build(sc, pos[0])
	if err != nil {
		return nil, nil, err
	}
	if *r.events != "" {
		f, err := os.Open(*r.events)
		if err != nil {
			return nil, nil, bf.E("read events", bf.KindNotFound, bf.File(*r.events), err)
		}
		evs, err := eventio.ReadJSONL(*r.events, f, sc.Plant.Currency.Scale)
		f.Close()
		if err != nil {
			return nil, nil, err
		}
		if err := costing.PostAll(l, evs, *r.events); err != nil {
			return nil, nil, err
		}
	}
	return sc, l, nil
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
		an, mix, err := analyzeThroughput(sc, pos[0])
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
		b, pb, ps, err := report.ResolveLCNRV(l, *book, *basis, *standard)
		if err != nil {
			return err
		}
		r, lines, err := report.LCNRVTest(l, b, pb, ps)
		if err != nil {
			return err
		}
		return report.WriteLCNRV(stdout, l, b, r, lines, ps, rf.json())
	case "process":
		book := rf.fs.String("book", "", "the actual-cost book (default: the first with a fifo or weighted_average basis)")
		item := rf.fs.String("item", "", "only this item")
		_, l, err := rf.load(args)
		if err != nil {
			return err
		}
		b, err := report.ProcessBook(l, *book)
		if err != nil {
			return err
		}
		return report.WriteProcess(stdout, l, b, *item, rf.json())
	}
	return usageError{"unknown report " + kind + " (reports: income, reconcile, throughput, lcnrv, process)"}
}

// analyzeThroughput builds the throughput inputs from a scenario: prices
// from the items, truly variable cost from their standard material content.
func analyzeThroughput(sc *bf.Config, file string) ([]throughput.Analysis, *throughput.Mix, error) {
	t := sc.Throughput
	if t == nil {
		return nil, nil, bf.E("throughput", bf.KindInvalid, bf.File(file), bf.Field("throughput"), "the scenario has no throughput section (resources, operating_expenses, products)")
	}
	std, err := costing.Compile(&sc.Plant)
	if err != nil {
		return nil, nil, err
	}
	f := throughput.Factory{OperatingExpenses: t.OperatingExpenses, Scale: sc.Plant.Currency.Scale}
	for _, r := range t.Resources {
		f.Capacity = append(f.Capacity, r.Capacity)
	}
	var ps []throughput.Product
	for _, p := range t.Products {
		i, ok := std.Lookup(p.Item)
		if !ok {
			return nil, nil, bf.E("throughput", bf.KindNotFound, bf.File(file), bf.LineNo(p.Line), bf.ItemID(p.Item), bf.Field("item"), "unknown item "+p.Item)
		}
		it := std.Item(i)
		ps = append(ps, throughput.Product{ID: it.ID, Price: it.Price, Material: std.MaterialContent(i), Minutes: p.Minutes, Demand: p.Demand})
	}
	an, err := throughput.Analyze(ps, f)
	if err != nil {
		if e, ok := bf.AsError(err); ok {
			e.File, e.Line = file, t.Line
		}
		return nil, nil, err
	}
	mix, err := throughput.BestMix(ps, f)
	return an, mix, err
}
