package service_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/inmem"
	"github.com/backflush/backflush/service"
)

// Tests of group commit (Service.Ingest): concurrent batches share store
// appends, every acknowledged batch is in the log, a failing group gives
// each batch its own verdict, readers never see a batch before it is
// durable, and the journals grown in the background equal a replay's.

// groupStore is a store in memory whose Append can be slowed, held at a
// gate, and made to find an id "already in the log" (appended by another
// process).
type groupStore struct {
	*inmem.Store
	mu      sync.Mutex
	taken   map[string]bool // ids Append refuses as already in the log
	delay   time.Duration
	gate    chan struct{} // when set, each Append waits for a value
	entered chan int      // when set, each Append sends its size on entry
	calls   atomic.Int32
	most    atomic.Int32 // the most events one Append held
}

func (g *groupStore) Append(ctx context.Context, evs []bf.Event) error {
	g.calls.Add(1)
	if int32(len(evs)) > g.most.Load() {
		g.most.Store(int32(len(evs)))
	}
	if g.entered != nil {
		g.entered <- len(evs)
	}
	if g.gate != nil {
		<-g.gate
	}
	time.Sleep(g.delay)
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, e := range evs {
		if g.taken[e.ID] {
			return bf.E("append events", bf.KindConflict, bf.EventID(e.ID), bf.Field("id"), "is already in the log")
		}
	}
	return g.Store.Append(ctx, evs)
}

func openGroup(t *testing.T, delay time.Duration) (*service.Service, *groupStore) {
	t.Helper()
	st := &groupStore{Store: inmem.New(), taken: map[string]bool{}, delay: delay}
	return openOn(t, st), st
}

// clientBatches returns the batches of one client: purchases and
// completions with ids unique to the client.
func clientBatches(client, batches, size int) [][]bf.Event {
	var out [][]bf.Event
	for b := range batches {
		var bs []bf.Event
		for i := range size {
			id := fmt.Sprintf("c%d-b%d-%d", client, b, i)
			if i%3 == 2 {
				bs = append(bs, ev(id, b%20, bf.Complete, "cable", int64(1+i%4)))
			} else {
				bs = append(bs, ev(id, b%20, bf.Purchase, "dm", int64(10+i)))
			}
		}
		out = append(out, bs)
	}
	return out
}

// sameAsReplay checks that the service's ledger equals one replayed from
// its store: the same events in the same order (date order, whatever order
// they arrived in), the same closes, stock and units in process, and
// journals equal line for line.
func sameAsReplay(t *testing.T, s *service.Service, st bf.Store) {
	t.Helper()
	r, err := service.Open(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	s.View(func(l *costing.Ledger) error {
		return r.View(func(rl *costing.Ledger) error {
			if l.Len() != rl.Len() {
				t.Fatalf("the service holds %d events, a replay of its log %d", l.Len(), rl.Len())
			}
			for i, e := range l.Events() {
				if re := rl.Event(int32(i)); re.ID != e.ID {
					t.Fatalf("event %d is %s, in a replay %s", i, e.ID, re.ID)
				}
			}
			if l.ClosedThrough() != rl.ClosedThrough() {
				t.Fatalf("closed through %s, in a replay %s", l.ClosedThrough(), rl.ClosedThrough())
			}
			for i := range l.Std.NumItems() {
				x := int32(i)
				if l.OnHand(x) != rl.OnHand(x) || l.InProcess(x) != rl.InProcess(x) {
					t.Fatalf("item %s: on hand %s, in process %s; in a replay %s, %s", l.Std.Item(x).ID, l.OnHand(x), l.InProcess(x), rl.OnHand(x), rl.InProcess(x))
				}
			}
			for i, b := range l.Books {
				rb := rl.Books[i]
				es, ls := flat(&b.Journal)
				res, rls := flat(&rb.Journal)
				if !reflect.DeepEqual(ls, rls) || !reflect.DeepEqual(es, res) {
					t.Fatalf("book %s: the journal differs from a replay's (%d lines, replay %d)", b.Config.Name, len(ls), len(rls))
				}
				if b.Balances() != rb.Balances() {
					t.Fatalf("book %s: balances differ from a replay's", b.Config.Name)
				}
			}
			return nil
		})
	})
}

// flat returns a journal's entries and lines as slices.
func flat(j *bf.Journal) ([]bf.Entry, []bf.Line) {
	var es []bf.Entry
	var ls []bf.Line
	for e, lines := range j.All() {
		es = append(es, *e)
		ls = append(ls, lines...)
	}
	return es, ls
}

// TestGroupCommit: concurrent clients' batches are acknowledged, appended
// in fewer store calls than batches (groups), and leave the ledger equal to
// a replay of the log. The journals grow over several chunks.
func TestGroupCommit(t *testing.T) {
	s, st := openGroup(t, 2*time.Millisecond)
	const clients, batches, size = 6, 40, 30
	var wg sync.WaitGroup
	errs := make(chan error, clients*batches)
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, b := range clientBatches(c, batches, size) {
				r, err := s.Ingest(context.Background(), b)
				if err == nil && r.Accepted != len(b) {
					err = fmt.Errorf("%d of %d accepted", r.Accepted, len(b))
				}
				if err != nil {
					errs <- err
				}
			}
		}()
	}
	// Readers run throughout: each must see a whole number of batches.
	stop := make(chan struct{})
	var readers sync.WaitGroup
	readers.Add(1)
	go func() {
		defer readers.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			s.View(func(l *costing.Ledger) error {
				if n := l.Len(); n%size != 0 {
					errs <- fmt.Errorf("a reader saw %d events: part of a batch", n)
				}
				if n, _ := st.Len(context.Background()); int(n) < l.Len() {
					errs <- fmt.Errorf("a reader saw %d events, %d durable", l.Len(), n)
				}
				return nil
			})
		}
	}()
	wg.Wait()
	close(stop)
	readers.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if n := logLen(t, st); n != clients*batches*size {
		t.Fatalf("the log holds %d events, want %d", n, clients*batches*size)
	}
	if calls := st.calls.Load(); calls >= clients*batches || st.most.Load() <= size {
		t.Errorf("%d appends for %d batches, the largest of %d events: no group commit", calls, clients*batches, st.most.Load())
	}
	sameAsReplay(t, s, st)
}

// TestGroupFailure: in a group whose append fails because one batch holds
// an id another process appended, that batch alone is refused and the
// rest of the group is stored; in a group holding a batch whose caller
// gave up (its context cancelled), that batch alone fails with its
// context's error.
func TestGroupFailure(t *testing.T) {
	s, st := openGroup(t, 0)
	st.gate = make(chan struct{})
	st.entered = make(chan int, 16)
	ctx := context.Background()
	type result struct {
		name string
		err  error
	}
	results := make(chan result, 8)
	ingest := func(name string, ctx context.Context, evs []bf.Event) {
		go func() {
			_, err := s.Ingest(ctx, evs)
			results <- result{name, err}
		}()
	}
	// phase holds the store with a first batch, queues the others behind
	// it (they are then appended as one group), and lets everything go.
	phase := func(hold []bf.Event, queued map[string][]bf.Event, ctxs map[string]context.Context, before func()) map[string]error {
		ingest("hold", ctx, hold)
		<-st.entered
		for name, evs := range queued {
			c := ctx
			if ctxs[name] != nil {
				c = ctxs[name]
			}
			ingest(name, c, evs)
		}
		for deadline := time.Now().Add(5 * time.Second); service.QueueLen(s) < len(queued); {
			if time.Now().After(deadline) {
				t.Fatalf("%d batches queued, want %d", service.QueueLen(s), len(queued))
			}
			time.Sleep(time.Millisecond)
		}
		before()
		got := map[string]error{}
		for len(got) < len(queued)+1 {
			select {
			case st.gate <- struct{}{}:
			case <-st.entered:
			case r := <-results:
				got[r.name] = r.err
			}
		}
		return got
	}
	bad := clientBatches(1, 1, 3)[0]
	bad[1].ID = "taken"
	got := phase(clientBatches(0, 1, 3)[0], map[string][]bf.Event{"good": clientBatches(2, 1, 3)[0], "bad": bad}, nil, func() {
		st.mu.Lock()
		st.taken["taken"] = true // appended meanwhile by another process
		st.mu.Unlock()
	})
	if got["hold"] != nil || got["good"] != nil {
		t.Errorf("hold: %v, good: %v; want both stored", got["hold"], got["good"])
	}
	if bf.ErrorKind(got["bad"]) != bf.KindConflict {
		t.Errorf("the batch with a taken id: %v, want a conflict", got["bad"])
	}
	cctx, cancel := context.WithCancel(ctx)
	got = phase(clientBatches(3, 1, 3)[0], map[string][]bf.Event{"good": clientBatches(4, 1, 3)[0], "cancelled": clientBatches(5, 1, 3)[0]},
		map[string]context.Context{"cancelled": cctx}, cancel)
	if got["hold"] != nil || got["good"] != nil {
		t.Errorf("hold: %v, good: %v; want both stored", got["hold"], got["good"])
	}
	if !errors.Is(got["cancelled"], context.Canceled) {
		t.Errorf("the cancelled batch: %v, want context.Canceled", got["cancelled"])
	}
	// A batch posted while a failing group is being appended is undone
	// with the group and ingested again on its own.
	ingest("hold", ctx, clientBatches(6, 1, 3)[0])
	<-st.entered
	bad2 := clientBatches(7, 1, 3)[0]
	bad2[0].ID = "taken"
	ingest("good", ctx, clientBatches(8, 1, 3)[0])
	ingest("bad", ctx, bad2)
	for service.QueueLen(s) < 2 {
		time.Sleep(time.Millisecond)
	}
	st.gate <- struct{}{} // hold is stored; the group of good and bad is appended next
	if n := <-st.entered; n != 6 {
		t.Fatalf("the group's append holds %d events, want 6", n)
	}
	ingest("late", ctx, clientBatches(9, 1, 3)[0])
	for service.QueueLen(s) < 1 {
		time.Sleep(time.Millisecond)
	}
	got = map[string]error{}
	for len(got) < 4 {
		select {
		case st.gate <- struct{}{}:
		case <-st.entered:
		case r := <-results:
			got[r.name] = r.err
		}
	}
	if got["hold"] != nil || got["good"] != nil || got["late"] != nil {
		t.Errorf("hold: %v, good: %v, late: %v; want all stored", got["hold"], got["good"], got["late"])
	}
	if bf.ErrorKind(got["bad"]) != bf.KindConflict {
		t.Errorf("the batch with a taken id: %v, want a conflict", got["bad"])
	}
	if n := logLen(t, st); n != 21 {
		t.Errorf("the log holds %d events, want 21", n)
	}
	st.gate, st.entered = nil, nil
	sameAsReplay(t, s, st)
}

// TestReadersSeeDurable: while a batch's append is held, a reader waits;
// a batch arriving after the reader is not posted before the reader ran,
// so the reader sees exactly the durable batch.
func TestReadersSeeDurable(t *testing.T) {
	s, st := openGroup(t, 0)
	st.gate = make(chan struct{})
	st.entered = make(chan int, 4)
	ctx := context.Background()
	done := make(chan error, 2)
	go func() { _, err := s.Ingest(ctx, clientBatches(0, 1, 4)[0]); done <- err }()
	<-st.entered // the first batch is posted and its append held
	seen := make(chan int, 1)
	go func() {
		s.View(func(l *costing.Ledger) error { seen <- l.Len(); return nil })
	}()
	select {
	case n := <-seen:
		t.Fatalf("a reader saw %d events while their append was held", n)
	case <-time.After(50 * time.Millisecond):
	}
	go func() { _, err := s.Ingest(ctx, clientBatches(1, 1, 4)[0]); done <- err }()
	time.Sleep(20 * time.Millisecond) // the second batch waits for the reader
	st.gate <- struct{}{}
	if n := <-seen; n != 4 {
		t.Errorf("the reader saw %d events, want the 4 durable ones", n)
	}
	<-st.entered
	st.gate <- struct{}{}
	for range 2 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if n := logLen(t, st); n != 8 {
		t.Errorf("the log holds %d events, want 8", n)
	}
}
