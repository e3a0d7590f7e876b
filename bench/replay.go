package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"time"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/gen"
	"github.com/backflush/backflush/service"
	"github.com/backflush/backflush/sqlite"
)

// yearEvents is the size of the year the replay target names.
const yearEvents = 10_000_000

// replay measures re-costing a year: the stream generated and costed in
// four books by a streaming ledger (what a re-costing after a standard
// change computes), with the memory it took; then a log read back from
// the embedded store and costed the same way, and the service's restart
// (service.Open: the log replayed into a ledger that keeps every line).
func (r *runner) replay() error {
	if err := r.recostYear(); err != nil {
		return err
	}
	return r.storeReplay()
}

func (r *runner) recostYear() error {
	n := r.cfg.YearEvents
	g, std, err := compile(r.basePlant(n))
	if err != nil {
		return err
	}
	var secs, peaks, heaps []float64
	for run := 0; run < r.cfg.Runs; run++ {
		base := heapLive()
		l, err := costing.NewStreamingLedger(std, gen.Books(4), bf.CloseToCOGS)
		if err != nil {
			return err
		}
		l.Grow(0, 1<<12)
		// Give the memory earlier sections freed back to the system, so that
		// the peak is this year's: the plant, the standards, the ledger.
		debug.FreeOSMemory()
		resetPeak()
		t0 := time.Now()
		if err := g.Each(l.Post); err != nil {
			return err
		}
		d := time.Since(t0)
		peak := peakRSS()
		if l.Len() != n || l.ClosedThrough() == 0 {
			return fmt.Errorf("the year posted %d events of %d", l.Len(), n)
		}
		secs = append(secs, d.Seconds())
		peaks = append(peaks, float64(peak)/(1<<20))
		heaps = append(heaps, float64(heapLive()-base)/(1<<20))
		runtime.KeepAlive(l)
	}
	name := fmt.Sprintf("a year of %s events (12 closes) generated and re-costed in 4 books, streaming ledger", num(float64(n)))
	f := Figure{Section: "replay", Name: name, Value: median(secs), Unit: "s", Runs: secs}
	if n == yearEvents {
		f.Target, f.Lower = targetYearSecs, true
	}
	r.add(f)
	if n != yearEvents {
		per := median(secs) * yearEvents / float64(n)
		r.add(Figure{Section: "replay", Name: "the same, scaled to 10^7 events (run --full to measure it)", Value: per, Unit: "s", Target: targetYearSecs, Lower: true})
	}
	r.add(Figure{Section: "replay", Name: "peak resident memory of the process while re-costing the year", Value: median(peaks), Unit: "MiB", Runs: peaks,
		Note: "the generator, the plant's standards and the ledger"})
	r.add(Figure{Section: "replay", Name: "live heap the streaming ledger holds after the year", Value: median(heaps), Unit: "MiB", Runs: heaps,
		Note: "per-item state: it does not grow with events, see scaling"})
	return nil
}

// storeReplay fills an embedded store with a log (in large batches, off the
// clock) and measures reading it back.
func (r *runner) storeReplay() error {
	n := r.cfg.StoreEvents
	g, std, err := compile(r.basePlant(n))
	if err != nil {
		return err
	}
	doc, err := scenarioDoc(g, 4)
	if err != nil {
		return err
	}
	path := filepath.Join(r.dir, "replay.db")
	defer func() {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(path + suffix)
		}
	}()
	st, err := sqlite.Open(path)
	if err != nil {
		return err
	}
	defer st.Close()
	ctx := r.ctx
	if err := service.Init(ctx, st, doc, "gen.yaml"); err != nil {
		return err
	}
	r.logf("replay: writing %s events to the store", num(float64(n)))
	batch := make([]bf.Event, 0, 50_000)
	flush := func() error {
		err := st.Append(ctx, batch)
		batch = batch[:0]
		return err
	}
	err = g.Each(func(e *bf.Event) error {
		batch = append(batch, *e)
		if len(batch) == cap(batch) {
			return flush()
		}
		return nil
	})
	if err == nil && len(batch) > 0 {
		err = flush()
	}
	if err != nil {
		return err
	}
	var rates []float64
	for run := 0; run < r.cfg.Runs; run++ {
		l, err := costing.NewStreamingLedger(std, gen.Books(4), bf.CloseToCOGS)
		if err != nil {
			return err
		}
		l.Grow(0, 1<<12)
		t0 := time.Now()
		if err := st.Replay(ctx, l.Post); err != nil {
			return err
		}
		d := time.Since(t0)
		if l.Len() != n {
			return fmt.Errorf("replayed %d events of %d", l.Len(), n)
		}
		rates = append(rates, float64(n)/d.Seconds())
	}
	rate := median(rates)
	r.add(Figure{Section: "replay", Name: fmt.Sprintf("replay of %s events from the embedded store into 4 books, streaming ledger", num(float64(n))),
		Value: rate, Unit: "events/s", Runs: rates})
	r.add(Figure{Section: "replay", Name: "the same, time for 10^7 events at that rate", Value: yearEvents / rate, Unit: "s", Target: targetYearSecs, Lower: true,
		Note: map[bool]string{true: "measured on 10^7", false: "scaled"}[n == yearEvents]})
	// The service's restart keeps every line of every book in memory
	// (about 3 KB per event in four books here), so it is measured on a
	// log that fits: at most a million events.
	if n <= 1_000_000 {
		var secs, rates []float64
		for run := 0; run < r.cfg.Runs; run++ {
			runtimeGC()
			t0 := time.Now()
			svc, err := service.Open(ctx, st)
			if err != nil {
				return err
			}
			secs = append(secs, time.Since(t0).Seconds())
			rates = append(rates, float64(n)/secs[len(secs)-1])
			if got := svc.Len(); got != n {
				return fmt.Errorf("the service replayed %d events of %d", got, n)
			}
		}
		r.add(Figure{Section: "replay", Name: fmt.Sprintf("service restart (service.Open): %s events replayed into 4 books keeping every line", num(float64(n))),
			Value: median(rates), Unit: "events/s", Runs: rates, Note: fmt.Sprintf("%.2f s", median(secs))})
	}
	return nil
}

// runtimeGC collects garbage between runs, so a run does not pay for the
// one before.
func runtimeGC() { heapLive() }
