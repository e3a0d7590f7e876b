package costing_test

import (
	"fmt"
	"iter"
	"strconv"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/internal/refmodel"
)

// Tests of the streaming ledger (NewStreamingLedger): it must reach exactly
// the balances and quantities of a ledger that keeps everything, refuse
// what needs the history it drops, and post without allocating.

// sameState fails unless the streaming ledger s holds what the retaining
// ledger r holds: every book's balances (and they are the sums of r's
// journal lines), every item's stock and units in process, the close date,
// the queue and the count of events.
func sameState(t *testing.T, what string, r, s *costing.Ledger) {
	t.Helper()
	for i, rb := range r.Books {
		sb := s.Books[i]
		if rb.Balances() != sb.Balances() {
			t.Fatalf("%s: book %s: streaming balances\n%v\nwant\n%v", what, rb.Config.Name, sb.Balances(), rb.Balances())
		}
		var sum [bf.NumAccounts]bf.Money
		for ln := range rb.Journal.Lines() {
			sum[ln.Account] += ln.Amount
		}
		if sum != rb.Balances() {
			t.Fatalf("%s: book %s: balances are not the sums of the journal's lines", what, rb.Config.Name)
		}
		if sb.Journal.NumLines() != 0 || sb.Journal.Len() != 0 {
			t.Fatalf("%s: book %s: the streaming journal keeps %d entries and %d lines", what, sb.Config.Name, sb.Journal.Len(), sb.Journal.NumLines())
		}
	}
	for i := range r.Std.NumItems() {
		x := int32(i)
		if r.OnHand(x) != s.OnHand(x) || r.InProcess(x) != s.InProcess(x) {
			t.Fatalf("%s: item %s: streaming on hand %s, in process %s; want %s, %s", what, r.Std.Item(x).ID,
				s.OnHand(x), s.InProcess(x), r.OnHand(x), r.InProcess(x))
		}
	}
	if r.ClosedThrough() != s.ClosedThrough() {
		t.Fatalf("%s: streaming closed through %s, want %s", what, s.ClosedThrough(), r.ClosedThrough())
	}
	if fmt.Sprint(r.Queue()) != fmt.Sprint(s.Queue()) {
		t.Fatalf("%s: streaming queue %v, want %v", what, s.Queue(), r.Queue())
	}
	if r.Len() != count(r.Events()) || s.Len() != r.Len() || count(s.Events()) != 0 {
		t.Fatalf("%s: Len %d (streaming %d, %d events kept), %d events in the log", what, r.Len(), s.Len(), count(s.Events()), count(r.Events()))
	}
}

// count returns the number of pairs seq yields.
func count[K, V any](seq iter.Seq2[K, V]) int {
	n := 0
	for range seq {
		n++
	}
	return n
}

// TestStreamingMatchesRetaining posts the property tests' random streams
// (random plants, every event type but reversals, closes under both
// policies, inexact quantities so that rounding residues occur) into both
// kinds of ledger and compares them after every event. A refused event
// must be refused by both with the same kind.
func TestStreamingMatchesRetaining(t *testing.T) {
	for seed := uint64(1); seed <= 100; seed++ {
		t.Run("seed="+strconv.FormatUint(seed, 10), func(t *testing.T) {
			policy := bf.ClosePolicy(seed % 2)
			w := newPropWorld(t, seed, policy)
			w.Opts.Fractional = seed%3 == 0
			s, err := costing.NewStreamingLedger(w.L.Std, w.cfg, policy)
			if err != nil {
				t.Fatal(err)
			}
			if !s.Streaming() || w.L.Streaming() {
				t.Fatal("Streaming() does not tell the ledgers apart")
			}
			for n := 40 + w.R.IntN(60); n > 0; n-- {
				e := w.Next()
				if w.Opts.Fractional && e.Qty > 0 && e.Type != bf.Count {
					e.Qty += bf.Qty(w.R.IntN(1000)) * 1000 // three decimals
				}
				errR, errS := w.L.Post(&e), s.Post(&e)
				if (errR == nil) != (errS == nil) || bf.ErrorKind(errR) != bf.ErrorKind(errS) {
					t.Fatalf("Post(%s): retaining %v, streaming %v", refmodel.EventString(&e), errR, errS)
				}
				sameState(t, "after "+refmodel.EventString(&e), w.L, s)
				if e.Type == bf.Close {
					w.Day++
				}
			}
		})
	}
}

// TestStreamingQueueAndRestore covers what the random streams do not: the
// failed-backflush queue (queued shortfalls, re-processing, a refused
// shortage, a close refused while the queue holds entries) and an
// all-or-nothing batch rolled back with Checkpoint and Restore.
func TestStreamingQueueAndRestore(t *testing.T) {
	r := queuePlant(t)
	s, err := costing.NewStreamingLedger(r.Std, []bf.BookConfig{r.Books[0].Config, r.Books[1].Config}, r.Close)
	if err != nil {
		t.Fatal(err)
	}
	both := func(e *bf.Event) {
		t.Helper()
		if e.Type == bf.Purchase && e.UnitCost == 0 {
			e.UnitCost = r.Std.Item(must(r.Std.Lookup(e.Item))).StandardCost
		}
		errR, errS := r.Post(e), s.Post(e)
		if bf.ErrorKind(errR) != bf.ErrorKind(errS) || (errR == nil) != (errS == nil) {
			t.Fatalf("post %s: retaining %v, streaming %v", e.ID, errR, errS)
		}
		sameState(t, "after "+e.ID, r, s)
	}
	both(ev("b1", 1, bf.Purchase, "m", 10))
	both(ev("b2", 1, bf.Purchase, "r", 20))
	both(ev("s1", 2, bf.Start, "p", 8))  // 16 m needed, 10 on hand: 6 queued
	both(ev("s2", 2, bf.Start, "p", 30)) // 30 r needed, 12 left: refused
	both(ev("c1", 3, bf.Close, "", 0))   // refused: the queue holds entries
	both(ev("b3", 4, bf.Purchase, "m", 4))

	rc, sc := r.Checkpoint(), s.Checkpoint()
	both(ev("b4", 5, bf.Purchase, "m", 5))
	both(ev("f1", 5, bf.Complete, "p", 8))
	both(&bf.Event{ID: "c2", Date: bf.Date(20606), Type: bf.Close})
	r.Restore(rc)
	s.Restore(sc)
	sameState(t, "after Restore", r, s)
	// The close was rolled back with its date: the period is open again.
	both(ev("b5", 6, bf.Purchase, "m", 5))
	both(&bf.Event{ID: "c3", Date: bf.Date(20607), Type: bf.Close})
	both(ev("late", 7, bf.Purchase, "a", 1)) // closed period: refused by both
}

// TestStreamingRefuses checks that what needs history is refused with an
// error that says why: reversals, books keeping actual costs, and readers
// of journals (History); and that nothing of the log is kept.
func TestStreamingRefuses(t *testing.T) {
	std := compileBench(t)
	for _, basis := range []bf.Basis{bf.BasisFIFO, bf.BasisWeightedAverage} {
		_, err := costing.NewStreamingLedger(std, []bf.BookConfig{{Name: "actual", Method: bf.MethodSequential, Basis: basis}}, bf.CloseToCOGS)
		if bf.ErrorKind(err) != bf.KindInvalid {
			t.Errorf("a streaming ledger with a %s book: %v, want an invalid error", basis, err)
		}
	}
	if _, err := costing.NewStreamingLedger(std, nil, bf.CloseToCOGS); bf.ErrorKind(err) != bf.KindInvalid {
		t.Errorf("a streaming ledger without books: %v, want an invalid error", err)
	}
	s, err := costing.NewStreamingLedger(std, fourBooks, bf.CloseToCOGS)
	if err != nil {
		t.Fatal(err)
	}
	evs := benchEvents(32)
	for i := range evs {
		if err := s.Post(&evs[i]); err != nil {
			t.Fatal(err)
		}
	}
	rev := bf.Event{ID: "r1", Date: evs[len(evs)-1].Date, Type: bf.Reverse, Reverses: evs[3].ID}
	before := s.Books[0].Balances()
	if err := s.Post(&rev); bf.ErrorKind(err) != bf.KindInvalid {
		t.Errorf("a reversal in a streaming ledger: %v, want an invalid error", err)
	}
	if s.Books[0].Balances() != before || s.Len() != len(evs) {
		t.Error("a refused reversal changed the streaming ledger")
	}
	if err := s.History("report"); bf.ErrorKind(err) != bf.KindInvalid {
		t.Errorf("History of a streaming ledger: %v, want an invalid error", err)
	}
	if _, ok := s.EventByID(evs[0].ID); ok || count(s.Events()) != 0 {
		t.Error("a streaming ledger kept events")
	}
	r := newBenchLedger(t, std, fourBooks, bf.CloseToCOGS)
	if err := r.History("report"); err != nil {
		t.Errorf("History of a retaining ledger: %v", err)
	}
	// A streaming ledger does not check ids: posting an event again posts
	// it again (the caller promised a clean stream).
	if err := s.Post(&evs[len(evs)-1]); err != nil || s.Len() != len(evs)+1 {
		t.Errorf("reposting into a streaming ledger: %v, %d events", err, s.Len())
	}
	// It keeps no history to re-cost: an event dated before the last one
	// costed is refused and changes nothing.
	before = s.Books[0].Balances()
	late := evs[0]
	late.ID = "late"
	if err := s.Post(&late); bf.ErrorKind(err) != bf.KindInvalid || s.Books[0].Balances() != before || s.Len() != len(evs)+1 {
		t.Errorf("a late event in a streaming ledger: %v, want an invalid error and no change", err)
	}
}

// TestStreamingPostAllocs guards the streaming hot path: once the scratch
// journal has grown to the largest event, posting any type of event, or a
// whole batch of the benchmark mix, allocates nothing.
func TestStreamingPostAllocs(t *testing.T) {
	const runs = 100
	std := compileBench(t)
	for _, c := range allocCases() {
		t.Run(c.name, func(t *testing.T) {
			l, err := costing.NewStreamingLedger(std, fourBooks, bf.CloseToCOGS)
			if err != nil {
				t.Fatal(err)
			}
			prelude := benchEvents(64)
			prelude = append(prelude, bf.Event{ID: "prelude-start", Date: prelude[len(prelude)-1].Date, Type: bf.Start, Item: "fin", Qty: bf.Units(100_000)})
			for i := range prelude {
				if err := l.Post(&prelude[i]); err != nil {
					t.Fatal(err)
				}
			}
			day := prelude[len(prelude)-1].Date + 1
			l.Grow(0, 64)
			var groups [][]bf.Event
			for i := 0; i < runs+1; i++ {
				g := c.gen(i, day)
				for j := range g {
					g[j].ID = fmt.Sprintf("%s-%d-%d", c.name, i, j)
					if g[j].Type == bf.WIPCount {
						item, _ := std.Lookup(g[j].Item)
						g[j].Qty = l.InProcess(item)
					}
				}
				groups = append(groups, g)
			}
			next := 0
			var err2 error
			avg := testing.AllocsPerRun(runs, func() {
				for j := range groups[next] {
					if err2 == nil {
						err2 = l.Post(&groups[next][j])
					}
				}
				next++
			})
			if err2 != nil {
				t.Fatal(err2)
			}
			if avg != 0 {
				t.Errorf("streaming posting allocates %v times per %s, want 0", avg, c.name)
			}
		})
	}
	// A year of monthly closes allocates nothing either (the ledger
	// remembers each close: Grow made room).
	t.Run("closes", func(t *testing.T) {
		l, err := costing.NewStreamingLedger(std, fourBooks, bf.CloseProrate)
		if err != nil {
			t.Fatal(err)
		}
		l.Grow(0, 64)
		var evs []bf.Event
		for m := range 13 {
			d := benchDay0 + bf.Date(30*m)
			evs = append(evs, bf.Event{ID: fmt.Sprintf("cc%d", m), Date: d, Type: bf.ConversionCost, Amount: bf.Money(50_000 + m)},
				bf.Event{ID: fmt.Sprintf("z%d", m), Date: d, Type: bf.Close})
		}
		if err := l.Post(&evs[0]); err != nil { // the first close sizes the prorating's scratch
			t.Fatal(err)
		}
		if err := l.Post(&evs[1]); err != nil {
			t.Fatal(err)
		}
		rest, calls := evs[2:], 0
		allocs := testing.AllocsPerRun(1, func() {
			if calls++; calls == 1 {
				return // AllocsPerRun's warm-up: the events are posted once, measured
			}
			for i := range rest {
				if err == nil {
					err = l.Post(&rest[i])
				}
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		if allocs != 0 {
			t.Errorf("a year of closes allocated %v times, want 0", allocs)
		}
	})
	for _, books := range [][]bf.BookConfig{fourBooks, oneBook} {
		t.Run(fmt.Sprintf("batch/books=%d", len(books)), func(t *testing.T) {
			l, err := costing.NewStreamingLedger(std, books, bf.CloseToCOGS)
			if err != nil {
				t.Fatal(err)
			}
			l.Grow(0, 64)
			// In date order: the scratch meets every kind of event in the
			// first 400, and each of AllocsPerRun's two runs posts 4000 more.
			evs := benchEvents(8400)
			for i := range evs[:400] {
				if err := l.Post(&evs[i]); err != nil {
					t.Fatal(err)
				}
			}
			next := 400
			allocs := testing.AllocsPerRun(1, func() {
				for i := range evs[next : next+4000] {
					if err == nil {
						err = l.Post(&evs[next+i])
					}
				}
				next += 4000
			})
			if err != nil {
				t.Fatal(err)
			}
			if allocs != 0 {
				t.Errorf("posting 4000 events into a streaming ledger allocated %v times, want 0", allocs)
			}
		})
	}
}
