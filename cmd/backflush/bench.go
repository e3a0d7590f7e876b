package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"

	"github.com/backflush/backflush/bench"
	"github.com/backflush/backflush/internal/textfmt"
)

// cmdBench runs the performance benchmark (package bench) and prints every
// figure against its target: quick sizes by default, the targets' sizes
// with --full. Flags override single sizes.
func cmdBench(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("bench")
	full := fs.Bool("full", false, "the sizes the targets name (10^7-event year, 10^6 items; tens of minutes) instead of the quick run (about two minutes)")
	only := fs.String("only", "", "comma-separated sections to run: "+strings.Join(bench.Sections, ", ")+" (default all)")
	seed := fs.Uint64("seed", 1, "the seed of the synthetic plant and streams")
	runs := fs.Int("runs", 0, "runs per figure, the median reported (default 3, 5 with --full)")
	pg := fs.String("pg", os.Getenv("BACKFLUSH_PG_DSN"), "a PostgreSQL DSN for the postgres section (each run uses a fresh schema, dropped after); none skips it")
	dir := fs.String("dir", "", "where the stores and journals go (default a temporary directory, removed after)")
	svg := fs.String("svg", "", "write the scaling chart as SVG to this file")
	jsonOut := fs.String("json", "", "write every figure as JSON to this file")
	quiet := fs.Bool("quiet", false, "no progress lines on standard error")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file (go tool pprof)")
	sizes := map[string]*int{}
	for _, s := range []struct{ name, usage string }{
		{"mem-events", "events of the in-memory figures"},
		{"durable-events", "events ingested per durable run"},
		{"http-events", "events posted per HTTP run"},
		{"batch", "events per batch of the durable sections (group commit joins the clients' batches)"},
		{"http-batch", "events per request of the HTTP section"},
		{"clients", "concurrent clients (durable and HTTP)"},
		{"durable-books", "books the service keeps in the durable and HTTP sections, 1 to 4 (sequential first)"},
		{"durable-items", "items of the plant of the durable and HTTP sections (default 1,000)"},
		{"year-events", "events of the year re-costed in memory"},
		{"store-events", "events of the log replayed from the embedded store"},
		{"scale-events", "events per point of the scaling table"},
		{"peer-events", "events whose journal ledger and hledger read"},
	} {
		sizes[s.name] = fs.Int(s.name, 0, s.usage+" (0: the default of the mode)")
	}
	if _, err := parse(fs, args, 0); err != nil {
		return err
	}
	c := bench.Defaults(*full)
	// The benchmark's tables are kept as wide as they are (BENCHMARKS.md
	// quotes them): Wide, unlike the other commands' 100 columns.
	out := textfmt.NewOut(stdout, textfmt.Style{Wide: true})
	defer out.Flush()
	c.Seed, c.PGDSN, c.Dir, c.SVG, c.JSON, c.Out = *seed, *pg, *dir, *svg, *jsonOut, out
	if *runs > 0 {
		c.Runs = *runs
	}
	if *only != "" {
		c.Only = strings.Split(*only, ",")
	}
	if !*quiet {
		c.Log = stderr
	}
	for name, p := range map[string]*int{"mem-events": &c.MemEvents, "durable-events": &c.DurableEvents, "http-events": &c.HTTPEvents,
		"batch": &c.Batch, "http-batch": &c.HTTPBatch, "clients": &c.Clients, "durable-books": &c.DurableBooks, "durable-items": &c.DurableItems, "year-events": &c.YearEvents, "store-events": &c.StoreEvents,
		"scale-events": &c.ScaleEvents, "peer-events": &c.PeerEvents} {
		if v := *sizes[name]; v > 0 {
			*p = v
		}
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	_, err := bench.Run(ctx, c)
	return err
}
