package service_test

import (
	"context"
	"fmt"
	"testing"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/inmem"
)

// countingStore is a store that keeps nothing of the events it is given,
// so that an allocation test measures the service, not the store.
type countingStore struct {
	*inmem.Store
	n int64
}

func (c *countingStore) Append(_ context.Context, evs []bf.Event) error {
	c.n += int64(len(evs))
	return nil
}
func (c *countingStore) Len(context.Context) (int64, error) { return c.n, nil }

// TestIngestAllocsPerBatch guards durable ingestion's hot path: the
// service allocates per batch (its checkpoint, its place in the commit
// queue), never per event. Batches ten times larger must not allocate
// more.
func TestIngestAllocsPerBatch(t *testing.T) {
	st := &countingStore{Store: inmem.New()}
	s := openOn(t, st)
	ctx := context.Background()
	allocs := func(size int) float64 {
		const runs = 40
		var batches [][]bf.Event
		for b := range runs + 1 { // AllocsPerRun runs once more to warm up
			var bs []bf.Event
			for i := range size {
				id := fmt.Sprintf("n%d-b%d-%d", size, b, i)
				if i%3 == 2 {
					bs = append(bs, ev(id, 1, bf.Complete, "cable", 1))
				} else {
					bs = append(bs, ev(id, 1, bf.Purchase, "dm", 30))
				}
			}
			batches = append(batches, bs)
		}
		next := 0
		return testing.AllocsPerRun(runs, func() {
			r, err := s.Ingest(ctx, batches[next])
			if err != nil || r.Accepted != size {
				t.Fatalf("batch of %d: %+v, %v", size, r, err)
			}
			next++
		})
	}
	small, large := allocs(30), allocs(300)
	t.Logf("allocations per batch: %.0f for 30 events, %.0f for 300", small, large)
	if large > small+3 || large > 40 {
		t.Fatalf("a batch of 300 events allocates %.0f times, one of 30 %.0f: the service allocates per event", large, small)
	}
}
