package costing_test

import (
	"fmt"
	"runtime"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
)

// The fixtures below are shared by the benchmark and by the allocation guard
// (alloc_test.go).

// benchPlant is a plant whose finished item "fin" consumes 20 purchased
// components: ten straight from stores (some with scrap), five through the
// stocked sub-assembly "sub" (two per unit) and five through the phantom "ph"
// (with scrap at both levels), so that a flush walks three conversion levels.
func benchPlant() *bf.Plant {
	p := &bf.Plant{Name: "bench", Currency: bf.Currency{Code: "USD", Scale: 2}}
	for i := 1; i <= 20; i++ {
		p.Items = append(p.Items, bf.Item{
			ID: fmt.Sprintf("m%02d", i), Kind: bf.Material, UOM: "ea",
			// 0.37, 1.11, … with odd cents so that extensions round.
			StandardCost: bf.Cost(int64(i)*737_000_000 + 3_000_000),
		})
	}
	bom := func(from, to int, qty bf.Qty, scrapEvery int) []bf.BOMLine {
		var out []bf.BOMLine
		for i := from; i <= to; i++ {
			l := bf.BOMLine{Item: fmt.Sprintf("m%02d", i), Qty: qty + bf.Qty(i)*125_000}
			if scrapEvery > 0 && i%scrapEvery == 0 {
				l.ScrapPct = 2_500_000 // 2.5%
			}
			out = append(out, l)
		}
		return out
	}
	p.Items = append(p.Items,
		bf.Item{ID: "sub", Kind: bf.Assembly, UOM: "ea", ConversionCost: 1_250_000_000, BOM: bom(11, 15, bf.Units(1), 2)},
		bf.Item{ID: "ph", Kind: bf.Phantom, UOM: "ea", ConversionCost: 400_000_000, BOM: bom(16, 20, bf.Units(1), 1)},
		bf.Item{ID: "fin", Kind: bf.Finished, UOM: "ea", ConversionCost: 4_750_000_000, Price: bf.Dollars(250),
			BOM: append(bom(1, 10, bf.Units(1), 3),
				bf.BOMLine{Item: "sub", Qty: bf.Units(2)},
				bf.BOMLine{Item: "ph", Qty: bf.Units(1), ScrapPct: 1_000_000})},
	)
	return p
}

// The book sets benchmarked: all four ways of costing at once, and one book.
var (
	fourBooks = []bf.BookConfig{
		{Name: "sequential", Method: bf.MethodSequential},
		{Name: "purchase+completion", Method: bf.MethodBackflush, Triggers: bf.TriggerPurchase | bf.TriggerCompletion},
		{Name: "purchase+sale", Method: bf.MethodBackflush, Triggers: bf.TriggerPurchase | bf.TriggerSale},
		{Name: "completion", Method: bf.MethodBackflush, Triggers: bf.TriggerCompletion},
	}
	oneBook = fourBooks[:1]
)

func compileBench(tb testing.TB) *costing.Standards {
	tb.Helper()
	std, err := costing.Compile(benchPlant())
	if err != nil {
		tb.Fatal(err)
	}
	return std
}

func newBenchLedger(tb testing.TB, std *costing.Standards, books []bf.BookConfig, policy bf.ClosePolicy) *costing.Ledger {
	tb.Helper()
	l, err := costing.NewLedger(std, books, policy)
	if err != nil {
		tb.Fatal(err)
	}
	return l
}

var benchDay0, _ = bf.ParseDate("2026-01-05")

// benchEvents returns n events of a production-like mix with unique ids, in
// cycles of 16: six purchases (rotating over the materials, at prices a little
// off standard), the sub-assembly started and completed, the finished item
// started and completed (with scrap every other cycle, and now and then more
// units than were started), three sales (one at list price) and two
// conversion-cost bills. One day passes per cycle. There are no closes.
func benchEvents(n int) []bf.Event {
	evs := make([]bf.Event, 0, n)
	add := func(e bf.Event) {
		if len(evs) < n {
			e.ID = fmt.Sprintf("ev%07d", len(evs))
			evs = append(evs, e)
		}
	}
	for c := 0; len(evs) < n; c++ {
		d := benchDay0 + bf.Date(c)
		for k := 0; k < 6; k++ {
			m := (c*6+k)%20 + 1
			add(bf.Event{Date: d, Type: bf.Purchase, Item: fmt.Sprintf("m%02d", m), Qty: bf.Units(int64(900 + 37*k)),
				UnitCost: bf.Cost(int64(m)*737_000_000 + 3_000_000 + int64(k-2)*1_100_000)})
		}
		add(bf.Event{Date: d, Type: bf.Start, Item: "sub", Qty: bf.Units(200)})
		add(bf.Event{Date: d, Type: bf.ConversionCost, Amount: bf.Money(123_456 + c%97)})
		add(bf.Event{Date: d, Type: bf.Complete, Item: "sub", Qty: bf.Units(198), ScrapQty: bf.Units(int64(2 * (c % 2)))})
		add(bf.Event{Date: d, Type: bf.Start, Item: "fin", Qty: bf.Units(100)})
		good := bf.Units(97)
		if c%5 == 4 {
			good = bf.Units(103) // more than started: the rest is issued at completion
		}
		add(bf.Event{Date: d, Type: bf.Complete, Item: "fin", Qty: good, ScrapQty: bf.Units(int64(3 * (c % 2)))})
		add(bf.Event{Date: d, Type: bf.Sale, Item: "fin", Qty: bf.Units(40), UnitPrice: bf.Dollars(255)})
		add(bf.Event{Date: d, Type: bf.Sale, Item: "fin", Qty: bf.Units(35)})
		add(bf.Event{Date: d, Type: bf.ConversionCost, Amount: bf.Money(456_789 + c%89)})
		add(bf.Event{Date: d, Type: bf.Sale, Item: "fin", Qty: 22_500_000, UnitPrice: 249_990_000_000})
	}
	return evs
}

// linesPerEvent posts evs once into a scratch ledger and returns the lines
// per event the busiest book needs, rounded up, for Ledger.Grow.
func linesPerEvent(tb testing.TB, std *costing.Standards, books []bf.BookConfig, evs []bf.Event) int {
	tb.Helper()
	l := newBenchLedger(tb, std, books, bf.CloseToCOGS)
	for i := range evs {
		if err := l.Post(&evs[i]); err != nil {
			tb.Fatal(err)
		}
	}
	most := 0
	for _, b := range l.Books {
		most = max(most, b.Journal.NumLines())
	}
	return (most + len(evs) - 1) / len(evs)
}

// benchBatch is the number of events posted into one ledger. The events are
// generated once and reposted into a fresh pre-grown ledger every batch (off
// the clock), so that memory stays bounded however large b.N gets.
const benchBatch = 1 << 14

func benchmarkPost(b *testing.B, books []bf.BookConfig, cold bool) {
	std := compileBench(b)
	evs := benchEvents(benchBatch)
	lpe := linesPerEvent(b, std, books, evs)
	var l *costing.Ledger
	fresh := func() {
		l = nil // let the previous batch's ledger go
		l = newBenchLedger(b, std, books, bf.CloseToCOGS)
		l.Grow(len(evs), lpe)
		if !cold {
			// Post the batch once off the clock and take it back, so that
			// the clock measures posting into memory already written rather
			// than the kernel faulting in a fresh page at every 128th line
			// (Restore keeps the history's chunks for reuse).
			cp := l.Checkpoint()
			for i := range evs {
				if err := l.Post(&evs[i]); err != nil {
					b.Fatal(err)
				}
			}
			l.Restore(cp)
			l.Release(cp)
		}
		// Collect the garbage now, so that no collection started by this
		// setup runs on the clock.
		runtime.GC()
	}
	fresh()
	next := 0
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if next == len(evs) {
			b.StopTimer()
			fresh()
			next = 0
			b.StartTimer()
		}
		if err := l.Post(&evs[next]); err != nil {
			b.Fatal(err)
		}
		next++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkPost measures Ledger.Post over a realistic event mix, one op per
// event: in the four books at once and in the sequential book alone.
func BenchmarkPost(b *testing.B) {
	b.Run("books=4", func(b *testing.B) { benchmarkPost(b, fourBooks, false) })
	b.Run("books=1", func(b *testing.B) { benchmarkPost(b, oneBook, false) })
}

// BenchmarkPostColdMemory is BenchmarkPost in four books, leaving the
// journals' memory untouched after Ledger.Grow, as a freshly grown ledger
// finds it. The difference from BenchmarkPost is what the first writes to new
// pages cost: it depends on the kernel and on the size of a line, not on the
// posting code.
func BenchmarkPostColdMemory(b *testing.B) {
	b.Run("books=4", func(b *testing.B) { benchmarkPost(b, fourBooks, true) })
}

// BenchmarkPostLate measures a late event (dated before the events already
// costed in the open period), one op per late event: a purchase dated on
// the first day of an open window of n events of the benchmark mix (no
// close), in the four books, so that the whole window is re-costed; and,
// with late=100, a batch of a hundred such events merged at once
// (Ledger.Merge). The window grows by the events posted and is rebuilt off
// the clock every 64 ops.
func BenchmarkPostLate(b *testing.B) {
	std := compileBench(b)
	for _, c := range []struct{ window, late int }{{1_000, 1}, {10_000, 1}, {10_000, 100}} {
		b.Run(fmt.Sprintf("window=%d/late=%d", c.window, c.late), func(b *testing.B) {
			evs := benchEvents(c.window)
			lpe := linesPerEvent(b, std, fourBooks, evs)
			const rebuild = 64
			batches := make([][]bf.Event, rebuild)
			for k := range batches {
				for j := range c.late {
					batches[k] = append(batches[k], bf.Event{ID: fmt.Sprintf("late%d-%d", k, j), Date: benchDay0, Type: bf.Purchase,
						Item: "m01", Qty: bf.Units(10), UnitCost: bf.Cost(740_000_000)})
				}
			}
			var l *costing.Ledger
			fresh := func() {
				l = nil
				l = newBenchLedger(b, std, fourBooks, bf.CloseToCOGS)
				l.Grow(len(evs)+rebuild*c.late, lpe)
				for i := range evs {
					if err := l.Post(&evs[i]); err != nil {
						b.Fatal(err)
					}
				}
				runtime.GC()
			}
			fresh()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if i > 0 && i%rebuild == 0 {
					b.StopTimer()
					fresh()
					b.StartTimer()
				}
				var err error
				if g := batches[i%rebuild]; len(g) == 1 {
					err = l.Post(&g[0])
				} else {
					err = l.Merge(g)
				}
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(b.Elapsed().Seconds()*1000/float64(b.N), "ms/op")
		})
	}
}
