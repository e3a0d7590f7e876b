package bench

import (
	"fmt"
	"runtime"
	"time"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/gen"
)

// The targets of issue 5, on a two-core machine.
const (
	targetMem1        = 2_000_000 // events/s, one book
	targetMem4        = 1_000_000 // events/s, four books
	targetSQLite      = 200_000   // events/s, durable, embedded
	targetSQLiteP99   = 20        // ms, acknowledgement
	targetPostgres    = 50_000    // events/s
	targetHTTP        = 50_000    // events/s
	targetLedgerRatio = 10        // Backflush's trial balance vs `ledger bal`
	targetHLedger     = 50        // … vs `hledger bal`
	targetYearSecs    = 30        // s, 10^7 events
)

// basePlant is the plant of the headline figures: 1,000 items, BOMs two
// levels deep with 20 components each (a finished item takes one
// sub-assembly and 19 materials; the sub-assembly 20 materials).
func (r *runner) basePlant(events int) gen.Config {
	return gen.Config{Seed: r.cfg.Seed, Items: 1_000, Depth: 2, Components: 20, Events: events}
}

// compile builds a generator and its standards.
func compile(c gen.Config) (*gen.Generator, *costing.Standards, error) {
	g, err := gen.New(c)
	if err != nil {
		return nil, nil, err
	}
	std, err := costing.Compile(g.Plant())
	if err != nil {
		return nil, nil, err
	}
	return g, std, nil
}

// collect generates a stream into a slice, for measurements that must not
// time the generator. Closes are dropped when noCloses: concurrent clients
// post batches in any order, and an event after a close of its period's
// end would be refused, as it should.
func collect(g *gen.Generator, noCloses bool) []bf.Event {
	out := make([]bf.Event, 0, g.Config().Events)
	for e := range g.Events() {
		if noCloses && e.Type == bf.Close {
			continue
		}
		out = append(out, *e)
	}
	return out
}

// postTimed posts evs into l and returns the time taken and the heap
// allocations made.
func postTimed(l *costing.Ledger, evs []bf.Event) (time.Duration, uint64, error) {
	runtime.GC() // no collection of the setup's garbage on the clock
	a0 := mallocs()
	t0 := time.Now()
	for i := range evs {
		if err := l.Post(&evs[i]); err != nil {
			return 0, 0, fmt.Errorf("event %s: %w", evs[i].ID, err)
		}
	}
	d := time.Since(t0)
	return d, mallocs() - a0, nil
}

// memory measures events/s costed in memory, in one book and in four, with
// the streaming ledger (the engine's pace: balances and per-item state) and
// for comparison a pre-grown retaining ledger (every journal line kept).
func (r *runner) memory() error {
	g, std, err := compile(r.basePlant(r.cfg.MemEvents))
	if err != nil {
		return err
	}
	evs := collect(g, false)
	for _, nb := range []int{1, 4} {
		var rates []float64
		var allocs uint64
		for run := 0; run < r.cfg.Runs; run++ {
			l, err := costing.NewStreamingLedger(std, gen.Books(nb), bf.CloseToCOGS)
			if err != nil {
				return err
			}
			// Room for the largest event of the plant, so that the
			// scratch journal never grows on the clock.
			l.Grow(0, 1<<12)
			d, a, err := postTimed(l, evs)
			if err != nil {
				return err
			}
			rates = append(rates, float64(len(evs))/d.Seconds())
			allocs = max(allocs, a)
		}
		target := float64(targetMem1)
		if nb == 4 {
			target = targetMem4
		}
		r.add(Figure{Section: "memory", Name: fmt.Sprintf("events/s in %d book(s), streaming ledger, %s events", nb, num(float64(len(evs)))),
			Value: median(rates), Unit: "events/s", Target: target, Runs: rates})
		// Counted process-wide: the runtime's own allocations (a handful per
		// run) are in it too. One allocation per event would show as
		// 1,000,000; costing's allocation tests guard Post exactly.
		r.add(Figure{Section: "memory", Name: fmt.Sprintf("heap allocations per million events, %d book(s) (most of any run, process-wide)", nb),
			Value: float64(allocs) * 1e6 / float64(len(evs)), Unit: "allocs", Target: 10, Lower: true,
			Note: "one per event would be 1,000,000"})
	}
	// The retaining ledger keeps every line: a shorter stream, pre-grown as
	// costing's benchmark does, so that the figure is posting, not growing.
	n := min(len(evs), 200_000)
	for _, nb := range []int{1, 4} {
		var rates []float64
		for run := 0; run < r.cfg.Runs; run++ {
			l, err := costing.NewLedger(std, gen.Books(nb), bf.CloseToCOGS)
			if err != nil {
				return err
			}
			l.Grow(n, 24)
			d, _, err := postTimed(l, evs[:n])
			if err != nil {
				return err
			}
			rates = append(rates, float64(n)/d.Seconds())
		}
		r.add(Figure{Section: "memory", Name: fmt.Sprintf("events/s in %d book(s), retaining ledger (every line kept), %s events", nb, num(float64(n))),
			Value: median(rates), Unit: "events/s", Runs: rates})
	}
	return nil
}
