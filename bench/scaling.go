package bench

import (
	"runtime"
	"time"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/gen"
)

// scaling measures how costing in memory grows with the length of the
// stream, the size of the BOMs, their depth and the number of items: for
// each point, events/s in one book and in four (streaming ledger, the
// stream generated as it is posted, about 0.07 µs an event), the lines
// an event makes, the live heap the streaming ledger holds afterwards, and
// on the events axis the heap of a ledger that keeps every line.
func (r *runner) scaling() error {
	runs := 1
	if r.cfg.Full {
		runs = r.cfg.Runs
	}
	point := func(axis string, x int, c gen.Config, retain bool) error {
		t0 := time.Now()
		g, std, err := compile(c)
		if err != nil {
			return err
		}
		p := ScalePoint{Axis: axis, X: x, Events: g.Config().Events, CompileSecs: time.Since(t0).Seconds()}
		r.logf("scaling: %s = %d", axis, x)
		for _, nb := range []int{1, 4} {
			var rates []float64
			for range runs {
				base := heapLive()
				l, err := costing.NewStreamingLedger(std, gen.Books(nb), bf.CloseToCOGS)
				if err != nil {
					return err
				}
				l.Grow(0, 1<<12)
				t0 := time.Now()
				if err := g.Each(l.Post); err != nil {
					return err
				}
				rates = append(rates, float64(p.Events)/time.Since(t0).Seconds())
				if nb == 4 {
					p.StreamHeap = heapLive() - base
				}
				runtime.KeepAlive(l)
			}
			if nb == 1 {
				p.Rate1 = median(rates)
			} else {
				p.Rate4 = median(rates)
			}
		}
		// Lines an event makes, from the stream's first 10,000 events in a
		// ledger that keeps them; on the events axis, that ledger's heap
		// after the whole stream.
		sample := c
		if !retain {
			sample.Events = min(c.Events, 10_000)
		}
		sg, err := gen.New(sample)
		if err != nil {
			return err
		}
		base := heapLive()
		l, err := costing.NewLedger(std, gen.Books(4), bf.CloseToCOGS)
		if err != nil {
			return err
		}
		if err := sg.Each(l.Post); err != nil {
			return err
		}
		lines := 0
		for _, b := range l.Books {
			lines += b.Journal.NumLines()
		}
		p.LinesPerEv = float64(lines) / float64(l.Len())
		if retain {
			p.RetainHeap = heapLive() - base
		}
		runtime.KeepAlive(l)
		r.rep.Scaling = append(r.rep.Scaling, p)
		return nil
	}
	base := r.basePlant(0)
	for _, n := range []int{10_000, 100_000, 1_000_000, 10_000_000} {
		if n > r.cfg.ScaleMax {
			break
		}
		c := base
		c.Events = n
		// A ledger keeping every line of four books takes about 3 KB an
		// event: measured up to a million events.
		if err := point("events", n, c, n <= 1_000_000); err != nil {
			return err
		}
	}
	for _, k := range []int{5, 20, 50, 200} {
		c := base
		c.Components, c.Events = k, r.cfg.ScaleEvents
		if err := point("components", k, c, false); err != nil {
			return err
		}
	}
	for _, d := range []int{1, 2, 3, 5} {
		c := base
		c.Depth, c.Events = d, r.cfg.ScaleEvents
		if err := point("depth", d, c, false); err != nil {
			return err
		}
	}
	for _, n := range []int{1_000, 10_000, 100_000, 1_000_000} {
		if n > r.cfg.ScaleItemsMax {
			break
		}
		c := base
		c.Items, c.Events = n, r.cfg.ScaleEvents
		if err := point("items", n, c, false); err != nil {
			return err
		}
	}
	return nil
}
