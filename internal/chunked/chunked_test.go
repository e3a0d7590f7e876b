package chunked

import (
	"math/rand/v2"
	"testing"
)

// TestSliceMatchesSlice drives a Slice and a plain slice with the same
// random appends, truncations and reservations, across several chunks,
// and checks that they hold the same elements at every step.
func TestSliceMatchesSlice(t *testing.T) {
	for seed := range uint64(8) {
		r := rand.New(rand.NewPCG(seed, 1))
		var s Slice[int64]
		var want []int64
		next := int64(1)
		check := func(step int) {
			t.Helper()
			if s.Len() != len(want) {
				t.Fatalf("seed %d step %d: Len %d, want %d", seed, step, s.Len(), len(want))
			}
			for i, v := range want {
				if got := *s.At(i); got != v {
					t.Fatalf("seed %d step %d: At(%d) = %d, want %d", seed, step, i, got, v)
				}
			}
			n := 0
			for i, p := range s.All() {
				if i != n || *p != want[i] {
					t.Fatalf("seed %d step %d: All yields (%d, %d) at %d", seed, step, i, *p, n)
				}
				n++
			}
			if n != len(want) {
				t.Fatalf("seed %d step %d: All yields %d elements, want %d", seed, step, n, len(want))
			}
		}
		for step := range 60 {
			switch k := r.IntN(10); {
			case k < 6: // a run of appends, up to two chunks long
				for range r.IntN(2 * Size) {
					s.Append(next)
					want = append(want, next)
					next++
				}
			case k < 8:
				n := r.IntN(len(want) + 1)
				s.Truncate(n)
				want = want[:n]
			default:
				s.Reserve(r.IntN(3 * Size))
			}
			check(step)
		}
	}
}

// TestSlicePointersStay: a pointer to an element stays valid however much
// is appended after it (nothing is moved once its chunk is full size).
func TestSlicePointersStay(t *testing.T) {
	var s Slice[int]
	for i := range Size {
		s.Append(i)
	}
	p := s.At(Size / 2)
	for i := range 5 * Size {
		s.Append(i)
	}
	if p != s.At(Size/2) || *p != Size/2 {
		t.Fatal("an element of a full chunk moved")
	}
}

// TestSliceReserveAllocs: after Reserve, appending the reserved elements
// allocates nothing, across chunk boundaries.
func TestSliceReserveAllocs(t *testing.T) {
	var s Slice[[4]int64]
	s.Append([4]int64{1})
	const n = 3*Size + 100
	// AllocsPerRun runs f once more to warm up. Four runs average away a
	// stray allocation of the race detector's; a chunk allocated per run
	// would be three or more.
	s.Reserve(5 * n)
	if a := testing.AllocsPerRun(4, func() {
		for range n {
			s.Append([4]int64{2})
		}
	}); a != 0 {
		t.Fatalf("%v allocations appending %d reserved elements", a, n)
	}
}

// TestSliceTruncateReleases: truncation clears what it drops, so the
// garbage collector can free what dropped elements point to.
func TestSliceTruncateReleases(t *testing.T) {
	var s Slice[*int]
	for range 10 {
		s.Append(new(int))
	}
	s.Truncate(3)
	for i := 3; i < 10; i++ {
		if s.chunks[0][i] != nil {
			t.Fatalf("element %d still points after Truncate(3)", i)
		}
	}
}

func BenchmarkAppend(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		var s Slice[[32]byte]
		for range 4 * Size {
			s.Append([32]byte{1})
		}
	}
}
