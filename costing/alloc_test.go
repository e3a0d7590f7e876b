package costing_test

import (
	"fmt"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
)

// allocCase posts, per run, one group of events (a single event except for
// the close, which needs conversion posted since the last close to have
// anything to close). gen returns the i-th group; the test gives the ids.
type allocCase struct {
	name string
	gen  func(i int, day bf.Date) []bf.Event
}

func allocCases() []allocCase {
	one := func(e bf.Event) func(int, bf.Date) []bf.Event {
		return func(i int, day bf.Date) []bf.Event {
			e := e
			e.Date = day
			return []bf.Event{e}
		}
	}
	return []allocCase{
		{"purchase", func(i int, day bf.Date) []bf.Event {
			return []bf.Event{{Date: day, Type: bf.Purchase, Item: fmt.Sprintf("m%02d", i%20+1), Qty: bf.Units(int64(100 + i)),
				UnitCost: bf.Cost(int64(i%20+1)*737_000_000 + int64(i%7)*1_000_000)}}
		}},
		{"start", one(bf.Event{Type: bf.Start, Item: "fin", Qty: bf.Units(3)})},
		{"conversion_cost", one(bf.Event{Type: bf.ConversionCost, Amount: 98_765})},
		// The prelude leaves plenty of fin started: these draw on it.
		{"complete/started", one(bf.Event{Type: bf.Complete, Item: "fin", Qty: bf.Units(2), ScrapQty: 250_000})},
		// Nothing of sub is left started: components are issued at completion
		// and the sequential book closes the WIP residue.
		{"complete/unstarted", one(bf.Event{Type: bf.Complete, Item: "sub", Qty: bf.Units(5), ScrapQty: bf.Units(1)})},
		{"sale", func(i int, day bf.Date) []bf.Event {
			e := bf.Event{Date: day, Type: bf.Sale, Item: "fin", Qty: bf.Units(1)}
			if i%2 == 0 {
				e.UnitPrice = bf.Dollars(260)
			}
			return []bf.Event{e}
		}},
		// Counts alternate so that every one differs from the book quantity.
		{"count/material", func(i int, day bf.Date) []bf.Event {
			return []bf.Event{{Date: day, Type: bf.Count, Item: "m07", Qty: bf.Units(int64(500 + i%2))}}
		}},
		{"count/finished", func(i int, day bf.Date) []bf.Event {
			return []bf.Event{{Date: day, Type: bf.Count, Item: "fin", Qty: bf.Units(int64(50 + i%2))}}
		}},
		{"expense/variable", one(bf.Event{Type: bf.Expense, Amount: 4_321, Behavior: bf.Variable})},
		{"expense/fixed", one(bf.Event{Type: bf.Expense, Amount: 8_765, Behavior: bf.Fixed})},
		{"conversion_cost/fixed", one(bf.Event{Type: bf.ConversionCost, Amount: 55_555, Behavior: bf.Fixed})},
		// The test sets the quantity: the units in process, as a count must.
		{"wip_count", one(bf.Event{Type: bf.WIPCount, Item: "sub", MaterialsPct: 100_000_000, ConversionPct: 40_000_000})},
		// A close per day, each after a conversion bill so that it has lines.
		{"close", func(i int, day bf.Date) []bf.Event {
			d := day + bf.Date(i)
			return []bf.Event{{Date: d, Type: bf.ConversionCost, Amount: bf.Money(10_000 + i)}, {Date: d, Type: bf.Close}}
		}},
	}
}

// allocLedger returns a four-book ledger that has posted a few cycles of the
// benchmark mix (so that stock, WIP and balances are realistic, and fin has
// units started), and the first day after them.
func allocLedger(t *testing.T, std *costing.Standards, policy bf.ClosePolicy) (*costing.Ledger, bf.Date) {
	t.Helper()
	l := newBenchLedger(t, std, fourBooks, policy)
	prelude := benchEvents(64)
	prelude = append(prelude, bf.Event{ID: "prelude-start", Date: prelude[len(prelude)-1].Date, Type: bf.Start, Item: "fin", Qty: bf.Units(100_000)})
	for i := range prelude {
		if err := l.Post(&prelude[i]); err != nil {
			t.Fatal(err)
		}
	}
	return l, prelude[len(prelude)-1].Date + 1
}

func journalLines(l *costing.Ledger) int {
	n := 0
	for _, b := range l.Books {
		n += b.Journal.NumLines()
	}
	return n
}

// TestPostAllocs guards the hot path: once a ledger is grown, posting any
// type of event allocates nothing. AllocsPerRun truncates its average, so
// this catches an allocation per event or per line, however rare the event.
func TestPostAllocs(t *testing.T) {
	const runs = 100
	std := compileBench(t)
	for _, policy := range []bf.ClosePolicy{bf.CloseToCOGS, bf.CloseProrate} {
		for _, c := range allocCases() {
			t.Run(fmt.Sprintf("%s/policy=%d", c.name, policy), func(t *testing.T) {
				var groups [][]bf.Event
				n, wantLines := 0, 0
				l, day := allocLedger(t, std, policy)
				for i := 0; i < runs+1; i++ { // AllocsPerRun adds a warm-up run
					g := c.gen(i, day)
					for j := range g {
						g[j].ID = fmt.Sprintf("%s-%d-%d", c.name, i, j)
						if g[j].Type == bf.WIPCount {
							item, _ := std.Lookup(g[j].Item)
							g[j].Qty = l.InProcess(item)
						}
					}
					groups = append(groups, g)
					n += len(g)
					if g[0].Type != bf.WIPCount { // the standard books record none
						wantLines += 2
					}
				}
				// 64 lines per event is more than any event of this plant
				// needs in any book (a completion with scrap in a backflush
				// book makes 46).
				l.Grow(n, 64)
				before := journalLines(l)
				next := 0
				var err error
				avg := testing.AllocsPerRun(runs, func() {
					g := groups[next]
					next++
					for j := range g {
						if err == nil {
							err = l.Post(&g[j])
						}
					}
				})
				if err != nil {
					t.Fatal(err)
				}
				if next != runs+1 {
					t.Fatalf("posted %d groups, want %d", next, runs+1)
				}
				// Make sure the guard guards something: the groups post lines.
				if got := journalLines(l) - before; got < wantLines {
					t.Fatalf("the events posted %d lines in all books, want at least %d", got, wantLines)
				}
				if avg != 0 {
					t.Errorf("posting allocates %v times per %s, want 0", avg, c.name)
				}
			})
		}
	}
}

// TestPostBatchAllocs is stricter: posting a whole pre-grown batch of the
// benchmark mix allocates nothing at all, so amortised growth (of the id
// index, of the log) that the per-event average above would round away
// shows up too.
func TestPostBatchAllocs(t *testing.T) {
	std := compileBench(t)
	for _, books := range [][]bf.BookConfig{fourBooks, oneBook} {
		t.Run(fmt.Sprintf("books=%d", len(books)), func(t *testing.T) {
			evs := benchEvents(400) // a small id index: its pre-sizing is exact
			lpe := linesPerEvent(t, std, books, evs)
			var err error
			allocs := testing.AllocsPerRun(1, func() {
				l := newBenchLedger(t, std, books, bf.CloseToCOGS)
				l.Grow(len(evs), lpe)
				for i := range evs {
					if err == nil {
						err = l.Post(&evs[i])
					}
				}
			})
			if err != nil {
				t.Fatal(err)
			}
			// Subtract what making and growing the ledger costs.
			setup := testing.AllocsPerRun(1, func() {
				l := newBenchLedger(t, std, books, bf.CloseToCOGS)
				l.Grow(len(evs), lpe)
			})
			if allocs != setup {
				t.Errorf("posting %d events into a grown ledger allocated %v times, want 0", len(evs), allocs-setup)
			}
		})
	}
}
