package service_test

import (
	"context"
	"errors"
	"os"
	"sync/atomic"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
	"github.com/backflush/backflush/inmem"
	"github.com/backflush/backflush/service"
)

// failingStore is a store in memory with a switch to fail the next append.
type failingStore struct {
	*inmem.Store
	failing atomic.Bool
}

func (f *failingStore) Append(ctx context.Context, evs []bf.Event) error {
	if f.failing.CompareAndSwap(true, false) {
		return errors.New("disk full")
	}
	return f.Store.Append(ctx, evs)
}

// logLen returns the number of events in st's log.
func logLen(t *testing.T, st bf.Store) int {
	t.Helper()
	n, err := st.Len(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

const plant = `
name: Acton
items:
  - {id: dm, kind: material, standard_cost: 1.00}
  - {id: cable, kind: finished, conversion_cost: 20, price: 60, bom: [{item: dm, qty: 25}]}
books:
  - {name: seq, method: sequential}
  - {name: pc, method: backflush, triggers: [purchase, completion]}
`

func ev(id string, day int, typ bf.EventType, item string, qty int64) bf.Event {
	e := bf.Event{ID: id, Date: bf.Date(20666 + day), Type: typ, Item: item, Qty: bf.Units(qty)}
	if typ == bf.Purchase {
		e.UnitCost = bf.Dollars(1)
	}
	return e
}

func open(t *testing.T) (*service.Service, *failingStore) {
	t.Helper()
	st := &failingStore{Store: inmem.New()}
	return openOn(t, st), st
}

// openOn configures st with the test plant and opens a service on it.
func openOn(t *testing.T, st bf.Store) *service.Service {
	t.Helper()
	return openWith(t, st, plant)
}

// openWith configures st with a plant and opens a service on it.
func openWith(t *testing.T, st bf.Store, plant string) *service.Service {
	t.Helper()
	ctx := context.Background()
	if err := service.Init(ctx, st, []byte(plant), "plant.yaml"); err != nil {
		t.Fatal(err)
	}
	s, err := service.Open(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func balance(s *service.Service, book string, a bf.Account) (v bf.Money) {
	s.View(func(l *costing.Ledger) error { v = l.Book(book).Balance(a); return nil })
	return
}

func TestIngestAllOrNothing(t *testing.T) {
	s, st := open(t)
	ctx := context.Background()
	r, err := s.Ingest(ctx, []bf.Event{ev("p1", 0, bf.Purchase, "dm", 1000), ev("f1", 1, bf.Complete, "cable", 10)})
	if err != nil || r.Accepted != 2 {
		t.Fatalf("ingest: %+v %v", r, err)
	}
	// The second event names an unknown item: nothing of the batch stays.
	bad := []bf.Event{ev("p2", 2, bf.Purchase, "dm", 50), ev("x1", 2, bf.Sale, "wire", 1)}
	bad[1].Line = 2
	_, err = s.Ingest(ctx, bad)
	if bf.ErrorKind(err) != bf.KindNotFound {
		t.Fatalf("bad batch: %v", err)
	}
	if n := logLen(t, st); n != 2 || balance(s, "seq", bf.Materials) != 75000 {
		t.Errorf("a refused batch left %d events, materials %d", n, balance(s, "seq", bf.Materials))
	}
	// Same ids and content: no-ops; same id, other content: conflict.
	r, err = s.Ingest(ctx, []bf.Event{ev("p1", 0, bf.Purchase, "dm", 1000), ev("p2", 2, bf.Purchase, "dm", 50)})
	if err != nil || r.Accepted != 1 || r.Duplicates != 1 {
		t.Fatalf("replayed batch: %+v %v", r, err)
	}
	_, err = s.Ingest(ctx, []bf.Event{ev("p1", 0, bf.Purchase, "dm", 999)})
	if bf.ErrorKind(err) != bf.KindConflict {
		t.Fatalf("conflicting id: %v", err)
	}
	// A store that fails to append leaves the books as they were.
	st.failing.Store(true)
	before := balance(s, "seq", bf.Materials)
	if _, err := s.Ingest(ctx, []bf.Event{ev("p3", 3, bf.Purchase, "dm", 5)}); err == nil {
		t.Fatal("a failed append was acknowledged")
	}
	if balance(s, "seq", bf.Materials) != before {
		t.Error("a failed append changed the books")
	}
	// Reopening replays the log to the same books.
	s2, err := service.Open(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []bf.Account{bf.Materials, bf.WIP, bf.FinishedGoods, bf.ConversionAllocated} {
		if balance(s2, "seq", a) != balance(s, "seq", a) {
			t.Errorf("%s after replay %d, want %d", a, balance(s2, "seq", a), balance(s, "seq", a))
		}
	}
}

func TestClosedPeriodByEveryPath(t *testing.T) {
	s, _ := open(t)
	ctx := context.Background()
	if _, err := s.Ingest(ctx, []bf.Event{ev("p1", 0, bf.Purchase, "dm", 1000), {ID: "z1", Date: 20670, Type: bf.Close}}); err != nil {
		t.Fatal(err)
	}
	_, err := s.Ingest(ctx, []bf.Event{ev("p2", 2, bf.Purchase, "dm", 5)})
	if bf.ErrorKind(err) != bf.KindClosedPeriod {
		t.Errorf("an event in a closed period: %v", err)
	}
	_, err = s.Recost(ctx, []byte(plant), 20669, "too early")
	if bf.ErrorKind(err) != bf.KindClosedPeriod {
		t.Errorf("a re-costing into a closed period: %v", err)
	}
}

// TestRecost changes the conversion standard from 20 to 22 effective on a
// date: completions from then on allocate 22; the earlier journal stays
// readable.
func TestRecost(t *testing.T) {
	s, st := open(t)
	ctx := context.Background()
	if _, err := s.Ingest(ctx, []bf.Event{ev("p1", 0, bf.Purchase, "dm", 10000), ev("f1", 1, bf.Complete, "cable", 10), ev("f2", 10, bf.Complete, "cable", 10)}); err != nil {
		t.Fatal(err)
	}
	if got := balance(s, "pc", bf.ConversionAllocated); got != -40000 {
		t.Fatalf("allocated %d", got)
	}
	doc, err := os.ReadFile("testdata/acton-22.yaml")
	if err != nil {
		t.Fatal(err)
	}
	v, err := s.Recost(ctx, doc, bf.Date(20666+5), "conversion standard raised to 22")
	if err != nil || v != 2 {
		t.Fatalf("recost: %d %v", v, err)
	}
	if got := balance(s, "pc", bf.ConversionAllocated); got != -42000 { // 10 × 20 + 10 × 22
		t.Errorf("allocated after re-costing %d, want -42000", got)
	}
	var prev bf.Money
	if err := s.Previous(func(l *costing.Ledger) error { prev = l.Book("pc").Balance(bf.ConversionAllocated); return nil }); err != nil || prev != -40000 {
		t.Errorf("previous journal: %d %v", prev, err)
	}
	if cfgs, err := st.Configs(ctx); err != nil || len(cfgs) != 2 || cfgs[1].Effective != bf.Date(20671) {
		t.Errorf("stored versions %+v, %v", cfgs, err)
	}
	// A reopened service re-costs the same way from the stored versions.
	s2, err := service.Open(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	if got := balance(s2, "pc", bf.ConversionAllocated); got != -42000 {
		t.Errorf("allocated after reopening %d, want -42000", got)
	}
}
