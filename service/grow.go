package service

import (
	"slices"
	"unsafe"

	bf "github.com/backflush/backflush"
	"github.com/backflush/backflush/costing"
)

// Journals in memory grow while the service ingests: every book keeps every
// line. Left to append, a large journal grows by a quarter each time it is
// full, copying every line each time, under the lock that every batch
// waits for: with millions of lines each growth was a pause of tens to
// hundreds of milliseconds (the copy, faulting in the fresh memory, and the
// garbage collector's assist charged to so large an allocation), and the
// copies were most of ingestion's time. So a journal grows by doubling,
// and once it is large the new array is allocated and filled in the
// background: when a journal is half full, a goroutine copies the part of
// it that can no longer change into an array twice as large, while
// batches go on being posted; the next batch to start takes the new array,
// copying only the lines posted since. If the journal fills up before the
// copy is done, it grows on the spot as before and the copy is dropped.
//
// The part that can no longer change is the lines of acknowledged batches
// (frontier): a batch still waiting for its commit may be rolled back
// (Restore truncates the journal) and posted again, which rewrites lines,
// but never below where it began.

// backgroundFrom is the size, in elements, from which a journal grows in
// the background; a smaller one is copied on the spot in well under a
// millisecond.
var backgroundFrom = 1 << 16

// journalGrowth is one book's journal being copied into larger arrays.
type journalGrowth struct {
	lines   *growth[bf.Line]
	entries *growth[bf.Entry]
}

// growth is a copy of a slice's frozen prefix into a larger array, made by
// a goroutine.
type growth[T any] struct {
	from []T // the prefix copied, on the array the journal had
	to   []T // the new array holding the prefix; valid once done is closed
	done chan struct{}
}

func startGrowth[T any](cur []T, frozen, newCap int) *growth[T] {
	g := &growth[T]{from: cur[:frozen:frozen], done: make(chan struct{})}
	go func() {
		to := make([]T, frozen, newCap)
		// A megabyte at a time: one copy of hundreds of megabytes cannot be
		// preempted, and the garbage collector's stop-the-world phases, which
		// stop every goroutine, would wait for it to end.
		step := max(1, (1<<20)/int(unsafe.Sizeof(*new(T))))
		for off := 0; off < frozen; off += step {
			end := min(off+step, frozen)
			copy(to[off:end], g.from[off:end])
		}
		g.to = to
		close(g.done)
	}()
	return g
}

// take returns cur moved onto the new array once the copy is done (ok
// false while it runs). A journal that moved meanwhile (it grew on the
// spot, or the ledger was replaced) keeps its array and the copy is
// dropped.
func (g *growth[T]) take(cur []T) (out []T, ok bool) {
	select {
	case <-g.done:
	default:
		return cur, false
	}
	if unsafe.SliceData(cur) != unsafe.SliceData(g.from) || len(cur) < len(g.from) || cap(g.to) < len(cur) {
		return cur, true
	}
	return append(g.to, cur[len(g.to):]...), true
}

// reserve makes room in every book's journal for a batch of n events
// before it is posted: it takes the arrays copied in the background,
// starts copies of journals half full, and grows on the spot (by
// doubling) a journal that could not hold the batch. The lines an event
// makes are estimated from the journal so far. The caller holds wmu and mu.
func (s *Service) reserve(n int) {
	l := s.ledger
	events := l.Len()
	if s.growing == nil {
		s.growing = map[*costing.Book]*journalGrowth{}
	}
	for bi, b := range l.Books {
		j := &b.Journal
		perEvent := 8
		if events > 0 {
			perEvent = max(perEvent, len(j.Lines)/events+2)
		}
		g := s.growing[b]
		if g == nil {
			g = &journalGrowth{}
			s.growing[b] = g
		}
		j.Lines = reserveOne(j.Lines, &g.lines, n*perEvent, s.frontier(bi, 0))
		j.Entries = reserveOne(j.Entries, &g.entries, n*perEvent/2, s.frontier(bi, 1))
	}
}

// reserveOne makes room for need more elements in one journal slice; frozen
// is how much of it can no longer change.
func reserveOne[T any](cur []T, g **growth[T], need, frozen int) []T {
	if *g != nil {
		if out, done := (*g).take(cur); done {
			cur, *g = out, nil
		}
	}
	if *g == nil && cap(cur) >= backgroundFrom && len(cur) >= cap(cur)/2 {
		*g = startGrowth(cur, min(frozen, len(cur)), 2*cap(cur))
	}
	if cap(cur)-len(cur) < need {
		// slices.Grow leaves the copied part of the new array unzeroed.
		cur = slices.Grow(cur, max(need, len(cur)))
	}
	return cur
}

// lengths returns every book's journal lengths, lines and entries, as
// frontier reads them.
func (s *Service) lengths() []int {
	out := make([]int, 0, 2*len(s.ledger.Books))
	for _, b := range s.ledger.Books {
		out = append(out, len(b.Journal.Lines), len(b.Journal.Entries))
	}
	return out
}

// frontier returns how many lines (which 0) or entries (1) of book bi
// belong to acknowledged batches and so can no longer change: the length
// before the oldest batch still waiting for its commit, or the whole
// journal when none waits. The caller holds wmu.
func (s *Service) frontier(bi, which int) int {
	j := &s.ledger.Books[bi].Journal
	n := len(j.Lines)
	if which == 1 {
		n = len(j.Entries)
	}
	for _, q := range [][]*pending{s.inflight, s.queue} {
		for _, p := range q {
			n = min(n, p.start[2*bi+which])
		}
	}
	return n
}
