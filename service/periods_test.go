package service_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/report"
)

// Tests of the period rule through the service: an event belongs to the
// period of its date, whatever arrived first.

// day is the date of day d of the tests' calendar (0 is 2026-08-01).
func day(d int) bf.Date { return bf.Date(20666 + d) }

// TestCloseByDate is issue 13's example: a sale dated 2026-09-15 is posted
// while August is open, then August is closed through 2026-08-31. Period 1
// ends on 2026-08-31 and has August's revenue only; the September sale is
// in period 2. Every path then refuses a date in August, a late September
// document joins period 2, and a restart replays the same books.
func TestCloseByDate(t *testing.T) {
	s, st := open(t)
	ctx := context.Background()
	sale := func(id string, d int, qty int64) bf.Event {
		e := ev(id, d, bf.Sale, "cable", qty)
		e.UnitPrice = bf.Dollars(60)
		return e
	}
	if _, err := s.Ingest(ctx, []bf.Event{ev("p1", 0, bf.Purchase, "dm", 1000), ev("f1", 1, bf.Complete, "cable", 10), sale("x1", 20, 5)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Ingest(ctx, []bf.Event{sale("x2", 45, 3)}); err != nil { // 2026-09-15
		t.Fatal(err)
	}
	if _, err := s.Close(ctx, day(30), "", ""); err != nil { // 2026-08-31
		t.Fatal(err)
	}
	check := func(from bf.Date) {
		t.Helper()
		s.View(func(l *costing.Ledger) error {
			if l.ClosedThrough() != day(30) {
				t.Errorf("closed through %s, want 2026-08-31", l.ClosedThrough())
			}
			sts := report.IncomeStatements(l, l.Book("seq"))
			if len(sts) != 2 {
				t.Fatalf("%d periods, want 2", len(sts))
			}
			p1, p2 := sts[0], sts[1]
			if !p1.Period.Closed || p1.Period.To != day(30) || p1.Lines[0].Amount != 30000 {
				t.Errorf("period 1: %+v, revenue %s; want closed, to 2026-08-31, revenue 300.00", p1.Period, p1.Lines[0].Amount.Format(2))
			}
			if p2.Period.Closed || p2.Period.From != from || p2.Period.To != day(45) || p2.Lines[0].Amount != 18000 {
				t.Errorf("period 2: %+v, revenue %s; want open, %s to 2026-09-15, revenue 180.00", p2.Period, p2.Lines[0].Amount.Format(2), from)
			}
			i, _ := l.EventIndex("x2")
			if l.Period(i) != 2 {
				t.Errorf("the September sale is in period %d", l.Period(i))
			}
			return nil
		})
	}
	check(day(45))
	// August is closed by every path.
	_, ingest := s.Ingest(ctx, []bf.Event{ev("p2", 25, bf.Purchase, "dm", 5)})
	_, closing := s.Close(ctx, day(29), "", "")
	_, reverse := s.Reverse(ctx, "x1", day(30), "", "")
	_, reprocess := s.Reprocess(ctx, day(30), "", "")
	for what, err := range map[string]error{"ingest": ingest, "close": closing, "reverse": reverse, "reprocess": reprocess} {
		if bf.ErrorKind(err) != bf.KindClosedPeriod {
			t.Errorf("%s dated in August: %v, want a closed period", what, err)
		}
	}
	if _, err := s.Recost(ctx, []byte(plant), day(30), "too early"); bf.ErrorKind(err) != bf.KindClosedPeriod {
		t.Errorf("a re-costing effective in August: %v, want a closed period", err)
	}
	// A reversal is dated on or after what it reverses.
	if _, err := s.Reverse(ctx, "x2", day(44), "", ""); bf.ErrorKind(err) != bf.KindInvalid {
		t.Errorf("a reversal dated before the sale it reverses: %v, want invalid", err)
	}
	// A late September document joins the open period.
	if _, err := s.Ingest(ctx, []bf.Event{ev("p3", 33, bf.Purchase, "dm", 5)}); err != nil {
		t.Fatal(err)
	}
	check(day(33))
	sameAsReplay(t, s, st)
}

// TestLateEventsSameAsReplay: clients ingest batches at the same time, many
// of their events dated before events already posted (each client a few
// days behind or ahead of the others), while a controller closes August
// and then September (once every client has reached the batches around
// the month's end); one batch holds an id another process appended, so
// its group is undone and its batches ingested again one by one. Batches
// dated in a period closed meanwhile are refused, the others acknowledged;
// the books equal a replay of the log, which holds the events in the order
// they arrived.
func TestLateEventsSameAsReplay(t *testing.T) {
	s, st := openGroup(t, time.Millisecond)
	st.taken["c1-b12-3"] = true
	ctx := context.Background()
	const clients, batches, size = 4, 30, 8
	var wg sync.WaitGroup
	var mu sync.Mutex
	accepted, refused, conflicts := 0, 0, 0
	errs := make(chan error, clients*batches)
	// The closes: through day 30 once every client is at batch 17 (days
	// 28 to 42), through day 60 at batch 29 (days 52 to 62).
	type gate struct {
		at, through int
		reached     sync.WaitGroup
		closed      chan struct{}
	}
	gates := []*gate{{at: 17, through: 30, closed: make(chan struct{})}, {at: 29, through: 60, closed: make(chan struct{})}}
	for _, g := range gates {
		g.reached.Add(clients)
	}
	for c := range clients {
		r := rand.New(rand.NewPCG(uint64(c), 13))
		var bs [][]bf.Event
		for b := range batches {
			var evs []bf.Event
			for i := range size {
				d := max(0, 2*b+r.IntN(9)-6) // days 0 to 60, a week either way
				id := fmt.Sprintf("c%d-b%d-%d", c, b, i)
				switch i % 4 {
				case 0, 1:
					evs = append(evs, ev(id, d, bf.Purchase, "dm", int64(20+r.IntN(50))))
				case 2:
					evs = append(evs, ev(id, d, bf.Complete, "cable", int64(1+r.IntN(3))))
				default:
					e := ev(id, d, bf.Sale, "cable", 1)
					e.UnitPrice = bf.Dollars(int64(55 + r.IntN(10)))
					evs = append(evs, e)
				}
			}
			bs = append(bs, evs)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k, b := range bs {
				for _, g := range gates {
					if k == g.at {
						g.reached.Done()
						<-g.closed
					}
				}
				res, err := s.Ingest(ctx, b)
				mu.Lock()
				switch k := bf.ErrorKind(err); {
				case err == nil:
					accepted += res.Accepted
				case k == bf.KindClosedPeriod:
					refused++
				case k == bf.KindConflict && b[0].ID == "c1-b12-0":
					conflicts++
				default:
					errs <- fmt.Errorf("batch %s: %v", b[0].ID, err)
				}
				mu.Unlock()
			}
		}()
	}
	for _, g := range gates {
		g.reached.Wait()
		if _, err := s.Close(ctx, day(g.through), "", ""); err != nil {
			t.Fatalf("close through %s: %v", day(g.through), err)
		}
		close(g.closed)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := logLen(t, st); n != accepted+2 {
		t.Errorf("the log holds %d events, %d were acknowledged (and 2 closes)", n, accepted)
	}
	t.Logf("%d events accepted, %d batches refused, %d conflicts, %d appends", accepted, refused, conflicts, st.calls.Load())
	if refused == 0 || accepted < clients*batches*size/2 {
		t.Errorf("%d events accepted, %d batches refused: the test no longer mixes late events and closes", accepted, refused)
	}
	s.View(func(l *costing.Ledger) error {
		if l.ClosedThrough() != day(60) {
			t.Errorf("closed through %s", l.ClosedThrough())
		}
		for i, e := range l.Events() {
			if p := l.Period(int32(i)); (e.Date <= day(30)) != (p == 1) || (e.Date > day(60)) != (p == 3) {
				t.Fatalf("event %s of %s is in period %d", e.ID, e.Date, p)
			}
		}
		return nil
	})
	sameAsReplay(t, s, st)
}
