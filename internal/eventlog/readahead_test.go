package eventlog

import (
	"context"
	"errors"
	"strconv"
	"sync/atomic"
	"testing"

	bf "github.com/backflush/backflush"
)

// pagedLog is a log of n events with positions 1..n, except those in gaps,
// read pageSize at a time.
type pagedLog struct {
	n, pageSize int64
	missing     map[int64]bool
	reads       atomic.Int32 // reads in flight
	maxInFlight atomic.Int32
}

func (p *pagedLog) read(after int64) ([]Stored, error) {
	if k := p.reads.Add(1); k > p.maxInFlight.Load() {
		p.maxInFlight.Store(k)
	}
	defer p.reads.Add(-1)
	var out []Stored
	for s := after + 1; s <= p.n && int64(len(out)) < p.pageSize; s++ {
		if !p.missing[s] {
			out = append(out, Stored{Seq: s, Event: bf.Event{ID: "e" + strconv.FormatInt(s, 10)}})
		}
	}
	return out, nil
}

func TestReadAheadInOrder(t *testing.T) {
	for _, tc := range []struct{ n, page int64 }{{0, 3}, {1, 3}, {3, 3}, {10, 3}, {1000, 7}} {
		p := &pagedLog{n: tc.n, pageSize: tc.page}
		var got []string
		err := ReadAhead(context.Background(), "replay", tc.n, p.read, func(e *bf.Event) error {
			got = append(got, e.ID)
			return nil
		})
		if err != nil || int64(len(got)) != tc.n {
			t.Fatalf("n=%d: %d events, %v", tc.n, len(got), err)
		}
		for i, id := range got {
			if id != "e"+strconv.Itoa(i+1) {
				t.Fatalf("n=%d: event %d is %s", tc.n, i, id)
			}
		}
		if p.maxInFlight.Load() > 1 {
			t.Fatalf("n=%d: %d reads at once", tc.n, p.maxInFlight.Load())
		}
	}
}

// TestReadAheadGapsInPositions: positions may skip numbers (PostgreSQL's
// sequences do); the log ends at last, not at a count.
func TestReadAheadGapsInPositions(t *testing.T) {
	p := &pagedLog{n: 20, pageSize: 4, missing: map[int64]bool{3: true, 4: true, 5: true, 6: true, 11: true}}
	n := 0
	if err := ReadAhead(context.Background(), "replay", 20, p.read, func(*bf.Event) error { n++; return nil }); err != nil || n != 15 {
		t.Fatalf("%d events, %v", n, err)
	}
}

// TestReadAheadLogCutShort: a log that ends before its last position is
// an internal error, not a short replay.
func TestReadAheadLogCutShort(t *testing.T) {
	p := &pagedLog{n: 10, pageSize: 4}
	err := ReadAhead(context.Background(), "replay", 12, p.read, func(*bf.Event) error { return nil })
	if bf.ErrorKind(err) != bf.KindInternal {
		t.Fatalf("got %v, want an internal error", err)
	}
}

// TestReadAheadStopsOnError: fn's error (or a cancelled context) ends the
// replay there, and no read is left in flight when ReadAhead returns.
func TestReadAheadStopsOnError(t *testing.T) {
	stop := errors.New("stop")
	p := &pagedLog{n: 100, pageSize: 10}
	n := 0
	err := ReadAhead(context.Background(), "replay", 100, p.read, func(*bf.Event) error {
		if n++; n == 15 {
			return stop
		}
		return nil
	})
	if err != stop || n != 15 || p.reads.Load() != 0 {
		t.Fatalf("got %v after %d events, %d reads in flight", err, n, p.reads.Load())
	}
	ctx, cancel := context.WithCancel(context.Background())
	n = 0
	err = ReadAhead(ctx, "replay", 100, p.read, func(*bf.Event) error {
		if n++; n == 5 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) || n != 5 || p.reads.Load() != 0 {
		t.Fatalf("cancelled: got %v after %d events, %d reads in flight", err, n, p.reads.Load())
	}
}
