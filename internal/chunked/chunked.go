// Package chunked holds append-only sequences kept in fixed-size chunks.
//
// A ledger keeps every event and every journal line it posts. Held in one
// slice, such a history is copied into an array a quarter or twice as
// large each time it fills: with millions of elements each growth copies
// and zeroes hundreds of megabytes under the lock every writer waits for,
// which was most of durable ingestion's time and all of its latency tail.
// In chunks, growing allocates one more chunk and copies nothing, and an
// element never moves, so pointers to it stay valid.
package chunked

import "iter"

// Shift is log2 of the elements in a full chunk.
const Shift = 14

// Size is the number of elements in a full chunk.
const Size = 1 << Shift

const mask = Size - 1

// firstCap is the room the first chunk starts with: small histories (a
// test, a textbook case) stay small; the first chunk doubles up to Size.
const firstCap = 16

// Slice is an append-only sequence of T in chunks of Size elements. The
// zero value is empty and ready to use.
type Slice[T any] struct {
	chunks [][]T // every chunk has len Size except the first while it grows
	n      int
	spare  [][]T // full-size chunks allocated ahead (Reserve) or released by Truncate
}

// Len returns the number of elements.
func (s *Slice[T]) Len() int { return s.n }

// At returns a pointer to element i, which stays valid until a Truncate
// drops it.
func (s *Slice[T]) At(i int) *T { return &s.chunks[i>>Shift][i&mask] }

// Add appends a zero element and returns a pointer to it, to be filled in
// place.
func (s *Slice[T]) Add() *T {
	c, o := s.n>>Shift, s.n&mask
	if c == len(s.chunks) || o == len(s.chunks[c]) {
		s.room(c, o)
	}
	s.n++
	p := &s.chunks[c][o]
	var zero T
	*p = zero
	return p
}

// Append appends v.
func (s *Slice[T]) Append(v T) { *s.Add() = v }

// room makes slot o of chunk c exist: it grows the first chunk (copying at
// most Size elements, once) or takes a chunk.
func (s *Slice[T]) room(c, o int) {
	if c == 0 && len(s.chunks) == 1 {
		// The first chunk grows by doubling until it is full size.
		old := s.chunks[0]
		grown := s.take(min(Size, max(firstCap, 2*len(old))))
		copy(grown, old)
		s.chunks[0] = grown
		return
	}
	if c == 0 {
		s.chunks = append(s.chunks, s.take(firstCap))
		return
	}
	s.chunks = append(s.chunks, s.take(Size))
}

// take returns a chunk of n elements, a spare one when it is full size.
func (s *Slice[T]) take(n int) []T {
	if n == Size && len(s.spare) > 0 {
		k := s.spare[len(s.spare)-1]
		s.spare = s.spare[:len(s.spare)-1]
		return k
	}
	return make([]T, n)
}

// Truncate drops the elements from n on. Their chunks are kept for reuse.
func (s *Slice[T]) Truncate(n int) {
	if n >= s.n {
		return
	}
	keep := (n + mask) >> Shift // chunks still holding elements
	if n == 0 && len(s.chunks) > 0 {
		keep = 1 // the first chunk may be small: it stays in place
	}
	for i := len(s.chunks) - 1; i >= keep; i-- {
		if len(s.chunks[i]) == Size {
			s.spare = append(s.spare, s.chunks[i])
		}
		s.chunks[i] = nil
	}
	s.chunks = s.chunks[:keep]
	if keep > 0 {
		// What is dropped may hold pointers: let them go.
		k := s.chunks[keep-1]
		clear(k[min(len(k), n-(keep-1)*Size):])
	}
	s.n = n
}

// Reserve allocates ahead the chunks that n more elements need, so that
// appending them allocates nothing.
func (s *Slice[T]) Reserve(n int) {
	if n <= 0 {
		return
	}
	end := s.n + n
	if len(s.chunks) == 0 {
		s.chunks = append(s.chunks, make([]T, min(Size, max(firstCap, end))))
	} else if len(s.chunks[0]) < Size && len(s.chunks[0]) < end {
		grown := make([]T, min(Size, max(end, 2*len(s.chunks[0]))))
		copy(grown, s.chunks[0])
		s.chunks[0] = grown
	}
	have := len(s.chunks)*Size + len(s.spare)*Size
	if len(s.chunks[0]) < Size {
		have = len(s.chunks[0])
	}
	for ; have < end; have += Size {
		s.spare = append(s.spare, make([]T, Size))
	}
	if cap(s.chunks) < (end+mask)>>Shift {
		c := make([][]T, len(s.chunks), (end+mask)>>Shift)
		copy(c, s.chunks)
		s.chunks = c
	}
}

// All yields every element's index and a pointer to it, in order.
func (s *Slice[T]) All() iter.Seq2[int, *T] {
	return func(yield func(int, *T) bool) {
		for i := 0; i < s.n; {
			k := s.chunks[i>>Shift]
			for o := i & mask; o < len(k) && i < s.n; o, i = o+1, i+1 {
				if !yield(i, &k[o]) {
					return
				}
			}
		}
	}
}
